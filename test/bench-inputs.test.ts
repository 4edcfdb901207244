/**
 * README: "The Wasm outputs on the bench inputs are identical to the references." The benchmark checks this before
 * timing anything; this test asserts it on the same inputs (bench/suite.ts `syntheticSubnet`, the bench's seeds).
 */
import { describe, expect, it } from 'vitest';
import { syntheticSubnet } from '../bench/suite.js';
import { createEngineSync } from '../src/engine.js';
import { prepareEpoch } from '../src/epoch/prepare.js';
import { referenceEpoch } from '../src/reference/float/epoch.js';
import { referenceEpochFixed } from '../src/reference/fixed/epoch.js';
import { expectSameResult } from './helpers/epoch-fixed-compare.js';
import { kernelVsReference } from './helpers/epoch-float-compare.js';

const engine = createEngineSync();
const prepared = (n: number, k: number, mode: 'float' | 'fixed') => {
  const { input, hyper } = syntheticSubnet({ n, validators: k, seed: n * 1000 + k });
  return prepareEpoch(input, hyper, { mode });
};

describe('Wasm engine vs the references on the benchmark inputs', () => {
  it.each([[256, 64], [256, 128], [1024, 64], [1024, 128]])('float %i UIDs × %i validators: equal to the f64 reference', (n, k) => {
    const p = prepared(n, k, 'float');
    expect(kernelVsReference(p, engine.runPrepared([p])[0], referenceEpoch(p))).toEqual([]);
  });

  it.each([[256, 64], [1024, 64]])('fixed %i UIDs × %i validators: bit-identical to the BigInt reference', (n, k) => {
    const p = prepared(n, k, 'fixed');
    expectSameResult(engine.runPrepared([p])[0], referenceEpochFixed(p), `${n}×${k}`);
  });
});

describe('the benchmark inputs are what bench/README describes', () => {
  // The bench's own shapes and seeds (n·1000 + k); bench/README "What runs", Inputs.
  const shapes = [[256, 64], [256, 128], [1024, 64], [1024, 128], [4096, 64]] as const;

  it('k permitted validators with at least 1000 TAO, miners with at most 50 TAO and no weights, each validator weighting ~85 % of the miners, bonds on ~60 % of validator-miner entries, everyone active, ~2 % of miners registered since the last epoch, maxAllowedValidators = k', () => {
    let miners = 0;
    let fresh = 0;
    for (const [n, k] of shapes) {
      const { input, hyper } = syntheticSubnet({ n, validators: k, seed: n * 1000 + k });
      const label = `${n}×${k}`;
      const W = input.weights as Uint16Array;
      const B = input.bonds as Uint16Array;
      const stake = input.stake as bigint[];
      const val = input.validatorPermit.flatMap((p, i) => (p ? [i] : []));
      const mins = Array.from({ length: n }, (_, i) => i).filter((i) => !input.validatorPermit[i]);
      expect([val.length, hyper.maxAllowedValidators], label).toEqual([k, k]);
      expect(val.every((i) => stake[i] >= 1000n * 10n ** 9n), `${label} validator stakes ≥ 1000 TAO`).toBe(true);
      expect(mins.every((j) => stake[j] <= 50n * 10n ** 9n), `${label} miner stakes ≤ 50 TAO`).toBe(true);
      expect(mins.every((j) => W.subarray(j * n, (j + 1) * n).every((w) => w === 0)), `${label} miners set no weights`).toBe(true);
      let w = 0;
      let b = 0;
      for (const i of val) for (const j of mins) {
        if (W[i * n + j] !== 0) w++;
        if (B[i * n + j] !== 0) b++;
      }
      const cells = val.length * mins.length;
      expect(w / cells, `${label} weighted share`).toBeGreaterThan(0.83);
      expect(w / cells, `${label} weighted share`).toBeLessThan(0.87);
      expect(b / cells, `${label} bonded share`).toBeGreaterThan(0.57);
      expect(b / cells, `${label} bonded share`).toBeLessThan(0.63);
      const out = engine.epoch(input, hyper, { mode: 'float' });
      expect(out.active.every(Boolean), `${label} everyone active`).toBe(true);
      expect(out.validatorPermit.filter(Boolean), label).toHaveLength(k);
      miners += mins.length;
      fresh += mins.filter((j) => Number((input.blockAtRegistration as number[])[j]) > Number(input.lastStepBlock)).length;
    }
    // pooled over the shapes (a 256-UID subnet holds only a few): about 2 %
    expect(fresh / miners).toBeGreaterThan(0.015);
    expect(fresh / miners).toBeLessThan(0.025);
  });
});
