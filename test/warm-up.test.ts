import { describe, expect, it } from 'vitest';
import { createEngineSync } from '../src/engine.js';
import { SMALL_WARM_UP, TIER_UP_WARM_UP, warmUpSubnet, type WarmUpShape } from '../src/epoch/warm-up.js';
import { createReferenceEngine } from '../src/testing/index.js';
import { plain } from './helpers/json.js';


const engine = createEngineSync();
const reference = createReferenceEngine();

const shapes: [string, WarmUpShape][] = [
  ['the small warm-up every new engine runs (64 UIDs, 16 validators)', SMALL_WARM_UP],
  ["the tier-up warm-up a module's first engine runs (256 UIDs, 64 validators)", TIER_UP_WARM_UP],
];

for (const [title, shape] of shapes) {
  describe(title, () => {
    const { input, hyper } = warmUpSubnet(shape);
    const { n, validators: v } = shape;

    it('is the same subnet in every call, input and hyper-parameters (deterministic)', () => {
      expect(Object.keys(hyper).length).toBeGreaterThan(0);
      expect(plain(warmUpSubnet(shape))).toEqual(plain({ input, hyper }));
    });

    for (const mode of ['float', 'fixed'] as const) {
      it(`${mode}: runs every stage — ${v} permits, dividends to the ${v} validators, incentive to the ${n - v - 1} miners registered before the last step, bonds written, the new miner masked`, () => {
        const out = engine.epoch(input, hyper, { mode });
        expect(out.validatorPermit.filter(Boolean)).toHaveLength(v);
        expect(Array.from(out.dividends).filter((d) => d > 0)).toHaveLength(v);
        expect(Array.from(out.incentive).slice(v, n - 1).every((x) => x > 0)).toBe(true);
        expect(Array.from(out.bonds as Uint16Array).some((b) => b > 0)).toBe(true);
        // the miner registered after the last step: validators' older weights to it are masked out of consensus
        expect(out.consensus[n - 1]).toBe(0);
      });

      it(`${mode}: gives the reference engine's output, so warming up a new engine changes no result`, () => {
        expect(plain(engine.epoch(input, hyper, { mode }))).toEqual(plain(reference.epoch(input, hyper, { mode })));
      });
    }
  });
}
