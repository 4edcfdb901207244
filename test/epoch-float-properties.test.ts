import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { prepareEpoch } from '../src/epoch/prepare.js';
import type { EpochInput, SparseRow } from '../src/epoch/types.js';
import { referenceEpoch, referenceEpochTrace } from '../src/reference/float/epoch.js';
import { toEpochOutput } from '../src/epoch/result.js';
import { subnetArb } from './helpers/epoch-float-arbitraries.js';
import { expectSameResult } from './helpers/epoch-fixed-compare.js';
import { kernelVsReference } from './helpers/epoch-float-compare.js';
import { FloatKernel } from './helpers/epoch-float-harness.js';
import { largeSubnetArb } from './helpers/large-subnet.js';

const kernel = new FloatKernel();

function toDense(rows: SparseRow[], n: number): Uint16Array {
  const m = new Uint16Array(n * n);
  rows.forEach((row, i) => row.forEach(([j, v]) => (m[i * n + j] = v)));
  return m;
}

describe('Wasm float kernel equals the f64 reference', () => {
  it('whole epoch on random subnets of up to 7 UIDs (both paths and layouts, original Yuma and Yuma3 ± liquid alpha)', () => {
    fc.assert(
      fc.property(subnetArb(), ({ input, hyper, path }) => {
        const p = prepareEpoch(input, hyper, { mode: 'float', path });
        expect(kernelVsReference(p, kernel.run(p), referenceEpoch(p))).toEqual([]);
      }),
      { numRuns: 400 },
    );
  });

  it('sparse-layout bond rows read straight from Wasm memory (what engine.epoch returns) equal the rows built from the whole n² storage, on both paths', () => {
    let sparse = 0;
    fc.assert(
      fc.property(subnetArb(24), ({ input, hyper, path }) => {
        const p = prepareEpoch(input, hyper, { mode: 'float', path });
        if (p.layout !== 'sparse') return;
        sparse++;
        const direct = kernel.run(p, false);
        expect(direct.bonds.length).toBe(0);
        expect(toEpochOutput(p, direct).bonds).toEqual(toEpochOutput(p, kernel.run(p)).bonds);
      }),
      { numRuns: 200 },
    );
    expect(sparse).toBeGreaterThan(50);
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

  it('17 to 300 UIDs (full median tiles, two-lane row passes, permit selection)', () => {
    fc.assert(
      fc.property(largeSubnetArb(), ({ input, hyper, path }) => {
        const p = prepareEpoch(input, hyper, { mode: 'float', path });
        expect(kernelVsReference(p, kernel.run(p), referenceEpoch(p))).toEqual([]);
      }),
      { numRuns: 40 },
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

  it('dense and sparse layouts of the same input give the same epoch (each run in both layouts, whichever it was drawn in)', () => {
    fc.assert(
      fc.property(subnetArb(), ({ input, hyper, path }) => {
        const n = input.n;
        // A dense matrix cannot list explicit zeros: the sparse form keeps only non-zero entries.
        const rowsOf = (m: Uint16Array | SparseRow[]): SparseRow[] =>
          m instanceof Uint16Array
            ? Array.from({ length: n }, (_, i) => Array.from(m.subarray(i * n, (i + 1) * n)).flatMap((v, j): SparseRow => (v !== 0 ? [[j, v]] : [])))
            : m.map((row) => row.filter(([, v]) => v !== 0));
        const sparse: EpochInput = { ...input, weights: rowsOf(input.weights), bonds: rowsOf(input.bonds) };
        const dense: EpochInput = { ...input, weights: toDense(sparse.weights as SparseRow[], n), bonds: toDense(sparse.bonds as SparseRow[], n) };
        const ps = prepareEpoch(sparse, hyper, { mode: 'float', path });
        const pd = prepareEpoch(dense, hyper, { mode: 'float', path });
        expectSameResult(kernel.run(pd), kernel.run(ps), 'kernel dense vs sparse layout');
        expectSameResult(referenceEpoch(pd), referenceEpoch(ps), 'reference dense vs sparse layout');
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
