// YumaRun under any mix of accepted and refused epochs: weights written into weightsInput() or passed as copies
// (Float64Array, Float32Array), the previous epoch's own output views (normalised weights, the bond state) fed back as
// the next weights, a bond-column reset, and bad entries (NaN, ±Infinity, negatives) placed anywhere. The accepted
// epochs must give simulateCase's bits for the same accepted sequence: a refused epoch leaves the bonds updated in
// place, the consensus and (Yuma 2B) the previous weights as they were.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { YUMA_VERSIONS, YumaRun, resetsBonds, simulateCase, type YumaVersion } from '../src/research/index.js';

const V = 3;
const M = 5;

type Ep = {
  w: number[];
  s: number[];
  bad: null | { at: number; v: number };
  how: 'view' | 'copy64' | 'copy32' | 'prevWeight' | 'prevBonds';
  reset: number | null;
};

const arbEp = fc.record({
  w: fc.array(fc.oneof(fc.constant(0), fc.constant(-0), fc.integer({ min: 0, max: 65535 }), fc.double({ min: 0, max: 1e6, noNaN: true })), { minLength: V * M, maxLength: V * M }),
  s: fc.array(fc.integer({ min: 1, max: 1e6 }), { minLength: V, maxLength: V }),
  bad: fc.option(fc.record({ at: fc.nat(V * M - 1), v: fc.constantFrom(NaN, Infinity, -Infinity, -1, -1e-300) }), { freq: 3, nil: null }),
  how: fc.constantFrom('view', 'copy64', 'copy32', 'prevWeight', 'prevBonds'),
  reset: fc.option(fc.nat(M - 1), { freq: 4, nil: null }),
}) as fc.Arbitrary<Ep>;

describe('YumaRun: refused epochs in any order change nothing the accepted ones compute', () => {
  for (const version of YUMA_VERSIONS as readonly YumaVersion[]) for (const precision of ['f64', 'f32'] as const) {
    it(`${version}, ${precision}: incentive, bond state and normalised dividends of every accepted epoch equal simulateCase's on the accepted sequence (bit for bit), every bad entry refused with a YumaError`, () => {
      let refused = 0;
      fc.assert(
        fc.property(fc.array(arbEp, { minLength: 1, maxLength: 6 }), (eps) => {
          const run = new YumaRun(version, { validators: V, servers: M }, undefined, { precision });
          const input = run.weightsInput();
          const accepted: Array<{ w: Float64Array; s: Float64Array }> = [];
          let reset: { epoch: number; column: number } | undefined;
          let last: ReturnType<typeof run.epoch> | null = null; // views of the last accepted epoch (a refused one overwrites them)
          const outs: unknown[] = [];
          for (const ep of eps) {
            const raw = Float64Array.from(ep.w);
            if (ep.bad) raw[ep.bad.at] = ep.bad.v;
            let w: Float64Array | Float32Array = raw;
            if (ep.how === 'view') w = (input.set(raw), input);
            else if (ep.how === 'copy32') w = Float32Array.from(raw);
            else if (ep.how !== 'copy64' && last !== null && ep.bad === null) w = ep.how === 'prevWeight' ? last.weight : last.validatorBonds;
            if (ep.reset !== null && accepted.length > 0 && resetsBonds(version) && reset === undefined) {
              run.resetBondColumn(ep.reset);
              reset = { epoch: accepted.length, column: ep.reset };
            }
            const used = Float64Array.from(precision === 'f32' ? Float32Array.from(w) : w); // read after the reset: w may be the bond state
            const bad = used.some((x) => !(x >= 0 && x < Infinity));
            try {
              last = run.epoch(w, Float64Array.from(ep.s));
            } catch (e) {
              expect(e).toMatchObject({ name: 'YumaError' });
              expect(bad).toBe(true);
              refused++;
              last = null;
              continue;
            }
            expect(bad).toBe(false);
            accepted.push({ w: used, s: Float64Array.from(ep.s) });
            outs.push({ incentive: Array.from(last.serverIncentive), bonds: Array.from(last.validatorBonds), dividends: Array.from(last.validatorRewardNormalized) });
          }
          expect(run.epochCount).toBe(accepted.length);
          if (accepted.length === 0) return;
          const ref = simulateCase({
            version,
            precision,
            weights: accepted.map((a) => Array.from({ length: V }, (_, v) => Array.from(a.w.subarray(v * M, v * M + M)))),
            stakes: accepted.map((a) => Array.from(a.s)),
            ...(reset && reset.epoch < accepted.length ? { resetBonds: reset } : {}),
          });
          expect(outs).toEqual(ref.map((r) => ({ incentive: Array.from(r.serverIncentive), bonds: r.validatorBonds.flatMap((x) => Array.from(x)), dividends: Array.from(r.validatorRewardNormalized) })));
        }),
        { numRuns: 40, seed: 1203 },
      );
      expect(refused).toBeGreaterThan(5);
    });
  }
});
