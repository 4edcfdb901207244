import { describe, expect, it } from 'vitest';
import { createEngineSync } from '../src/engine.js';
import { warmUpSubnet } from '../src/epoch/warm-up.js';
import type { EpochOutput } from '../src/epoch/types.js';
import { createReferenceEngine } from '../src/testing/index.js';

function plain(o: EpochOutput): unknown {
  return JSON.parse(JSON.stringify(o, (_k, v) => (typeof v === 'bigint' ? v.toString() : ArrayBuffer.isView(v) ? Array.from(v as Uint16Array) : v)));
}

describe('the warm-up subnet a new engine runs', () => {
  const { input, hyper } = warmUpSubnet();
  const engine = createEngineSync();
  const reference = createReferenceEngine();

  it('is the same input in every call (deterministic)', () => {
    expect(plain(warmUpSubnet().input as unknown as EpochOutput)).toEqual(plain(input as unknown as EpochOutput));
  });

  for (const mode of ['float', 'fixed'] as const) {
    it(`${mode}: runs every stage — 16 permits, dividends to 16 validators, incentive to the 48 miners, bonds written, the new miner masked`, () => {
      const out = engine.epoch(input, hyper, { mode });
      expect(out.validatorPermit.filter(Boolean)).toHaveLength(16);
      expect(Array.from(out.dividends).filter((d) => d > 0)).toHaveLength(16);
      expect(Array.from(out.incentive).slice(16, 63).every((x) => x > 0)).toBe(true);
      expect(Array.from(out.bonds as Uint16Array).some((b) => b > 0)).toBe(true);
      // the miner registered after the last step: validators' older weights to it are masked out of consensus
      expect(out.consensus[63]).toBe(0);
    });

    it(`${mode}: gives the reference engine's output, so warming up a new engine changes no result`, () => {
      expect(plain(engine.epoch(input, hyper, { mode }))).toEqual(plain(reference.epoch(input, hyper, { mode })));
    });
  }
});
