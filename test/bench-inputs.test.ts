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
