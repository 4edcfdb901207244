import { describe, expect, it, vi } from 'vitest';
import { createEngine, createEngineSync, createOneShotEngineSync } from '../src/engine.js';
import { TIER_UP_WARM_UP, warmUpSubnet } from '../src/epoch/warm-up.js';
import { settleTierUpSync } from '../src/wasm/tier-up.js';

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

  it('engines made before and after the tier-up give the same outputs on the tier-up subnet, both modes', () => {
    const { input, hyper } = warmUpSubnet(TIER_UP_WARM_UP);
    for (const mode of ['float', 'fixed'] as const) {
      const a = oneShot.epoch(input, hyper, { mode });
      const b = second.epoch(input, hyper, { mode });
      expect(Array.from(b.incentive)).toEqual(Array.from(a.incentive));
      expect(Array.from(b.dividends)).toEqual(Array.from(a.dividends));
      expect(b.serverEmission).toEqual(a.serverEmission);
      expect(b.validatorEmission).toEqual(a.validatorEmission);
      expect(Array.from(b.bonds as Uint16Array)).toEqual(Array.from(a.bonds as Uint16Array));
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
