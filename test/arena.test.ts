import { afterAll, describe, expect, it } from 'vitest';
import { createEngineSync } from '../src/engine.js';
import type { EpochOutput } from '../src/epoch/types.js';
import { Arena, align } from '../src/wasm/arena.js';
import { syntheticSubnet } from '../bench/suite.js';
import { plain } from './helpers/json.js';

const engine = createEngineSync();
afterAll(() => engine.close());

describe('Wasm arena addresses at and above 2 GiB', () => {
  it('align rounds up to 16 and stays positive past 2^31 (the & mask made them negative)', () => {
    expect(align(0)).toBe(0);
    expect(align(17)).toBe(32);
    expect(align(2 ** 31 - 1)).toBe(2 ** 31);
    expect(align(2 ** 31 + 1)).toBe(2 ** 31 + 16);
    expect(align(4 * 2 ** 30 - 20)).toBe(4 * 2 ** 30 - 16);
  });

  it('an arena over a memory past 2 GiB hands out addresses above 2^31 that its views read and write', () => {
    // 2 GiB + 1 MiB of Wasm memory: reserved, not touched, so it costs the few pages written below.
    const memory = new WebAssembly.Memory({ initial: 2 ** 15 + 16 });
    const a = new Arena(memory, 2 ** 31 - 40);
    const low = a.alloc(64);
    const high = a.alloc(16);
    expect(low).toBe(2 ** 31 - 32);
    expect(high).toBe(2 ** 31 + 32);
    a.u32[high / 4] = 0xdeadbeef;
    expect(a.u8[high]).toBe(0xef);
  });

  it('a threaded engine whose arena starts just below 2 GiB gives the single-threaded results', () => {
    const threaded = createEngineSync({ threads: 2 });
    try {
      // Where a batch of more than 2 GiB of jobs puts its later jobs, without building one: the arena is moved up.
      const arena = (threaded as unknown as { arena: { base: number; top: number; reserve(b: number): void } }).arena;
      arena.reserve(2 ** 31);
      arena.base = 2 ** 31 - 4096;
      arena.top = arena.base;
      const batch = [syntheticSubnet({ n: 64, validators: 8, seed: 1 }), syntheticSubnet({ n: 96, validators: 12, seed: 2 }), syntheticSubnet({ n: 48, validators: 6, seed: 3 })];
      expect(plain(threaded.epochs(batch))).toEqual(plain(engine.epochs(batch)));
      expect(arena.top).toBeGreaterThan(2 ** 31);
    } finally {
      threaded.close();
    }
  });
});


describe('resident blocks carved from slabs', () => {
  it('every new resident block reads zero: over scratch the bump region wrote, from a slab\'s untouched rest, reused after a free, and from the next slab', () => {
    const a = new Arena(new WebAssembly.Memory({ initial: 1 }), 64);
    const dirty = (at: number, bytes: number): void => void a.u8.fill(0xab, at, at + bytes);
    const zero = (at: number, bytes: number): boolean => a.u8.subarray(at, at + bytes).every((x) => x === 0);
    const B = 100_000; // a multiple of 16: blocks lie back to back; a slab holds 16 of them
    a.reset();
    dirty(a.alloc(200_000), 200_000); // a call's scratch where the first block goes
    const first = a.allocResident(B);
    expect(first).toBe(64);
    expect(zero(first, B)).toBe(true);
    dirty(first, B);
    a.reset();
    dirty(a.alloc(300_000), 300_000); // the next call's scratch, above the slab
    const second = a.allocResident(B);
    expect(second).toBe(first + B);
    expect(zero(second, B)).toBe(true);
    dirty(second, B);
    a.freeResident(first, B);
    const again = a.allocResident(B);
    expect(again).toBe(first);
    expect(zero(again, B)).toBe(true);
    const rest = Array.from({ length: 14 }, () => a.allocResident(B));
    expect(rest.map((at) => zero(at, B))).toEqual(rest.map(() => true));
    for (const at of rest) dirty(at, B);
    expect(a.residentBytes).toBe(16 * B);
    a.reset();
    dirty(a.alloc(500_000), 500_000);
    const next = a.allocResident(B);
    expect(next).toBe(first + 16 * B);
    expect(zero(next, B)).toBe(true);
    expect(zero(a.allocResident(B), B)).toBe(true);
    // everything freed: the held bytes go back to the bump region
    for (const at of [again, second, ...rest, next, next + B]) a.freeResident(at, B);
    expect(a.residentBytes).toBe(0);
  });
});
