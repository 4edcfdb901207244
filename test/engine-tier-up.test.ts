import { describe, expect, it, vi } from 'vitest';
import { createEngine, createEngineSync, createOneShotEngineSync } from '../src/engine.js';
import { TIER_UP_WARM_UP, warmUpSubnet } from '../src/epoch/warm-up.js';
import { settleTierUpSync } from '../src/wasm/tier-up.js';
import { syntheticSubnet } from '../bench/suite.js';

/** Typed arrays byte for byte (−0 and every float bit count), bigints as text, the rest as it is. */
function bits(v: unknown): unknown {
  if (ArrayBuffer.isView(v)) return `${v.constructor.name} ${Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('hex')}`;
  if (Array.isArray(v)) return v.map(bits);
  if (typeof v === 'bigint') return `${v}n`;
  if (typeof v === 'object' && v !== null) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, bits(x)]));
  return v;
}

// Vitest runs each test file in a fresh process, so the first engine made here is the first of its module.
describe('the tier-up warm-up runs once per compiled module', () => {
  const oneShot = createOneShotEngineSync();
  const first = createEngineSync();
  const second = createEngineSync();

  it('a one-shot engine (the CLI epoch) runs only the 64-UID warm-up and leaves the tier-up to the next engine', () => {
    // the 64-UID warm-up fits the module's initial memory; the 256-UID tier-up rounds grow it
    expect(oneShot.memoryBytes).toBe(second.memoryBytes);
    expect(first.memoryBytes).toBeGreaterThan(oneShot.memoryBytes);
  });

  it("the first createEngineSync of the process ran the 256-UID rounds (its arena grew for them), a later one did not", () => {
    expect(first.memoryBytes).toBeGreaterThan(second.memoryBytes);
  });

  it('an async createEngine after them shares the tiered module: no 256-UID rounds either', async () => {
    const third = await createEngine();
    expect(third.memoryBytes).toBe(second.memoryBytes);
  });

  it('the engine that ran the tier-up rounds and engines made before and after it give the same outputs, every field bit for bit, on the tier-up subnet and random subnets, both modes', () => {
    const subnets = [warmUpSubnet(TIER_UP_WARM_UP), ...[1, 2, 3].map((seed) => syntheticSubnet({ n: 40 + 30 * seed, validators: 8 * seed, seed }))];
    for (const mode of ['float', 'fixed'] as const) {
      for (const { input, hyper } of subnets) {
        const want = bits(oneShot.epoch(input, hyper, { mode }));
        expect(bits(first.epoch(input, hyper, { mode }))).toEqual(want);
        expect(bits(second.epoch(input, hyper, { mode }))).toEqual(want);
      }
    }
  });
});

describe('waiting for the tier-up', () => {
  it('returns instead of throwing where Atomics.wait may not block the calling thread (it tries once, then gives up)', () => {
    const wait = vi.spyOn(Atomics, 'wait').mockImplementation(() => {
      throw new TypeError('Atomics.wait cannot be called in this context');
    });
    try {
      expect(() => settleTierUpSync()).not.toThrow();
      expect(wait).toHaveBeenCalledTimes(1);
    } finally {
      wait.mockRestore();
    }
  });
});
