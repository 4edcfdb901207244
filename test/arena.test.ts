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

