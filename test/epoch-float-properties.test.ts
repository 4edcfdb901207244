import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { prepareEpoch } from '../src/epoch/prepare.js';
import type { EpochInput, SparseRow } from '../src/epoch/types.js';
import { referenceEpoch, referenceEpochTrace } from '../src/reference/epoch.js';
import { subnetArb } from './epoch-float-arbitraries.js';
import { kernelVsReference } from './epoch-float-compare.js';
import { FloatKernel, compileFloatKernel } from './epoch-float-harness.js';

let kernel: FloatKernel;
beforeAll(async () => {
  kernel = new FloatKernel(await compileFloatKernel());
});

function toDense(rows: SparseRow[], n: number): Uint16Array {
  const m = new Uint16Array(n * n);
  rows.forEach((row, i) => row.forEach(([j, v]) => (m[i * n + j] = v)));
  return m;
}

describe('Wasm float kernel equals the f64 reference', () => {
  it('whole epoch on random subnets (both paths, both layouts, all variants)', () => {
    fc.assert(
      fc.property(subnetArb(), ({ input, hyper, path }) => {
        const p = prepareEpoch(input, hyper, { mode: 'float', path });
        expect(kernelVsReference(p, kernel.run(p), referenceEpoch(p))).toEqual([]);
      }),
      { numRuns: 400 },
    );
  });

  it('larger subnets (up to 24 UIDs: working rows a subset of all rows)', () => {
    fc.assert(
      fc.property(subnetArb(24), ({ input, hyper, path }) => {
        const p = prepareEpoch(input, hyper, { mode: 'float', path });
        expect(kernelVsReference(p, kernel.run(p), referenceEpoch(p))).toEqual([]);
      }),
      { numRuns: 200 },
    );
  });

  it('Yuma3 with liquid alpha on both paths', () => {
    fc.assert(
      fc.property(subnetArb(), ({ input, hyper, path }) => {
        const h = { ...hyper, yuma3Enabled: true, liquidAlphaEnabled: true };
        const p = prepareEpoch(input, h, { mode: 'float', path });
        expect(kernelVsReference(p, kernel.run(p), referenceEpoch(p))).toEqual([]);
      }),
      { numRuns: 200 },
    );
  });

  it('dense and sparse layouts of the same input give the same epoch', () => {
    fc.assert(
      fc.property(subnetArb(), ({ input, hyper, path }) => {
        if (input.weights instanceof Uint16Array || input.bonds instanceof Uint16Array) return;
        const n = input.n;
        // A dense matrix cannot list explicit zeros: drop them from the sparse form first.
        const strip = (rows: SparseRow[]) => rows.map((row) => row.filter(([, v]) => v !== 0));
        const sparse: EpochInput = { ...input, weights: strip(input.weights), bonds: strip(input.bonds) };
        const dense: EpochInput = { ...input, weights: toDense(input.weights, n), bonds: toDense(input.bonds, n) };
        const ps = prepareEpoch(sparse, hyper, { mode: 'float', path });
        const pd = prepareEpoch(dense, hyper, { mode: 'float', path });
        const ks = kernel.run(ps);
        const kd = kernel.run(pd);
        expect(kd.consensusF).toEqual(ks.consensusF);
        expect(kd.dividendsF).toEqual(ks.dividendsF);
        expect(kd.bonds).toEqual(ks.bonds);
        expect(kd.serverEmission).toEqual(ks.serverEmission);
        expect(kd.validatorEmission).toEqual(ks.validatorEmission);
        expect(referenceEpoch(pd).dividends).toEqual(referenceEpoch(ps).dividends);
      }),
      { numRuns: 200 },
    );
  });
});

describe('float epoch invariants', () => {
  it('never pays more than the emission; shares and normalised vectors stay in [0, 1]', () => {
    fc.assert(
      fc.property(subnetArb(), ({ input, hyper, path }) => {
        const p = prepareEpoch(input, hyper, { mode: 'float', path });
        const r = kernel.run(p);
        let total = 0n;
        for (let i = 0; i < p.n; i++) total += r.serverEmission[i] + r.validatorEmission[i];
        expect(total <= p.raoEmission).toBe(true);
        for (const v of [r.consensusF, r.incentiveF, r.dividendsF]) for (const x of v) expect(x >= 0 && x <= 1 + 1e-12).toBe(true);
        const inc = r.incentiveF.reduce((s, x) => s + x, 0);
        expect(inc === 0 || Math.abs(inc - 1) < 1e-12).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('every validator inactive: no incentive, validators paid by stake', () => {
    fc.assert(
      fc.property(subnetArb(), ({ input, hyper, path }) => {
        const inactive = { ...input, lastUpdate: input.lastUpdate.map(() => 0n), currentBlock: 10_000n };
        const p = prepareEpoch(inactive, { ...hyper, activityCutoff: 5 }, { mode: 'float', path });
        const { result: r, trace } = referenceEpochTrace(p);
        expect(Array.from(r.active)).toEqual(Array(p.n).fill(0));
        expect(Array.from(r.incentiveF)).toEqual(Array(p.n).fill(0));
        expect(Array.from(trace.validatorShare)).toEqual(Array.from(trace.stake));
        expect(kernelVsReference(p, kernel.run(p), r)).toEqual([]);
      }),
      { numRuns: 200 },
    );
  });
});
