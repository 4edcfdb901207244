import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { alphaSigmoid, consensusWithMajority, floorShareTimes, proportionToU16, weightedMedian, type Mat } from '../src/reference/float/epoch.js';

const f32 = (x: number) => Math.fround(x);

/** The chain's math-test call: stake normalised, minority = Σ − majority, partition over [0, Σ]. */
function median(stake: number[], score: number[], majority: number): number {
  const s = stake.reduce((a, b) => a + b, 0);
  const u = s === 0 ? stake : stake.map((x) => x / s);
  const t = u.reduce((a, b) => a + b, 0);
  return weightedMedian(u, score, t - majority, 0, t);
}

describe('weighted median (chain test_math_weighted_median, majority 0.51)', () => {
  const cases: Array<[number[], number[], number]> = [
    [[], [], 0],
    [[0.51], [1.0], 1.0],
    [[0.49, 0.51], [0.5, 1.0], 1.0],
    [[0.51, 0.49], [0.5, 1.0], 0.5],
    [[0.49, 0.0, 0.51], [0.5, 0.7, 1.0], 1.0],
    [[0.49, 0.01, 0.5], [0.5, 0.7, 1.0], 0.7],
    [[0.49, 0.51, 0.0], [0.5, 0.7, 1.0], 0.7],
    [[0.0, 0.49, 0.51], [0.5, 0.7, 1.0], 1.0],
    [[0.0, 0.49, 0.0, 0.51], [0.5, 0.5, 1.0, 1.0], 1.0],
    [[0.0, 0.49, 0.0, 0.51, 0.0], [0.5, 0.5, 1.0, 1.0, 0.5], 1.0],
    [[0.2, 0.2, 0.2, 0.2, 0.2], [0.8, 0.2, 1.0, 0.6, 0.4], 0.6],
    [[0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1], [0.8, 0.8, 0.2, 0.2, 1.0, 1.0, 0.6, 0.6, 0.4, 0.4], 0.6],
  ];
  cases.forEach(([stake, score, want], k) => {
    it(`case ${k}`, () => {
      expect(median(stake.map(f32), score.map(f32), f32(0.51))).toBe(f32(want));
    });
  });
});

describe('column medians (chain test_math_weighted_median_col[_sparse])', () => {
  const mat = (flat: number[]): Mat => {
    // 4 validators × 3 columns, padded to a square 4×4 for the reference's n×n layout.
    const v = new Float64Array(16);
    for (let i = 0; i < 4; i++) for (let j = 0; j < 3; j++) v[i * 4 + j] = f32(flat[i * 3 + j]);
    return { n: 4, v, present: v.map((x) => (x !== 0 ? 1 : 0)) as unknown as Uint8Array };
  };
  const a = mat([0.0, 0.1, 0.0, 0.0, 0.2, 0.4, 0.0, 0.3, 0.1, 0.0, 0.4, 0.5]);
  const stakeA = Float64Array.from([0.0, 0.75, 0.25, 0.0].map(f32));
  for (const [majority, want] of [[0.24, [0.0, 0.3, 0.4]], [0.26, [0.0, 0.2, 0.4]], [0.76, [0.0, 0.2, 0.1]]] as const) {
    it(`case a, majority ${majority}`, () => {
      expect(Array.from(consensusWithMajority(stakeA, a, f32(majority)).slice(0, 3))).toEqual(want.map(f32));
    });
  }
  it('case b, majority 0.51', () => {
    const b = mat([0.0, 0.1, 0.0, 0.0, 0.2, 0.4, 0.0, 0.3, 0.1, 0.0, 0.0, 0.5]);
    const stakeB = Float64Array.from([0.0, 0.3, 0.2, 0.5].map(f32));
    expect(Array.from(consensusWithMajority(stakeB, b, f32(0.51)).slice(0, 3))).toEqual([0.0, 0.0, 0.4].map(f32));
  });
  it('zero stake gives zero consensus', () => {
    expect(Array.from(consensusWithMajority(new Float64Array(2), { n: 2, v: new Float64Array(4), present: new Uint8Array(4) }, 0.5))).toEqual([0, 0]);
  });
});

describe('stage helpers', () => {
  it('floorShareTimes is the exact floor of share · rao (an f64 is m / 2^s)', () => {
    const f = new Float64Array(1);
    const bits = new BigUint64Array(f.buffer);
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1, noNaN: true }), fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }), (share, rao) => {
        const r = floorShareTimes(share, rao);
        if (share === 0) {
          expect(r).toBe(0n);
          return;
        }
        f[0] = share;
        const e = Number((bits[0] >> 52n) & 0x7ffn);
        const m = e === 0 ? bits[0] & ((1n << 52n) - 1n) : (bits[0] & ((1n << 52n) - 1n)) | (1n << 52n);
        const s = BigInt(e === 0 ? 1074 : 1075 - e);
        const exact = m * rao; // share·rao = exact / 2^s
        const capped = (1n << 64n) - 1n;
        if (exact >> s > capped) expect(r).toBe(capped);
        else expect(r << s <= exact && exact < (r + 1n) << s).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('proportionToU16 floors and clamps like fixed_proportion_to_u16', () => {
    expect([0, 1, 0.5, 1 / 65535, -0.1, 1.2].map(proportionToU16)).toEqual([0, 65535, 32767, 1, 0, 65535]);
  });

  it('alphaSigmoid stays within [low, high] and is the midpoint at d = ½', () => {
    const lo = 45875 / 65535;
    const hi = 58982 / 65535;
    // w ≥ b and w − c = ½ → σ(0) = ½.
    expect(alphaSigmoid(0.25, 0.75, 0.1, lo, hi, -10)).toBeCloseTo(lo + (hi - lo) / 2, 15);
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }), fc.integer({ min: -32768, max: 32767 }), (c, w, b, s) => {
        const al = alphaSigmoid(c, w, b, lo, hi, s / -100);
        expect(al >= lo && al <= hi).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});
