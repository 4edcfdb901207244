import { describe, expect, it } from 'vitest';
import { xorshift32 } from './helpers/xorshift.js';
import { resolveConfig, yumaEpoch } from '../src/research/index.js';
import { runKernel, type Numerics } from '../src/research/kernel.js';

// Float32 epochs of Yuma 2C / 3 take part of their dividends' quotients B / den, and Yuma 1 part of its bond
// renormalisation's, as RN32(B ×₆₄ RN64(1/den)) (assembly/research/lanes32.ts, laneProductDot32 and
// reciprocalQuotient4) instead of a float32 division. In JavaScript that is exactly
// Math.fround(b * (1 / den)) for float32 b and den: 1 / den is the double reciprocal, the product is rounded
// to double, fround rounds to float32 as Wasm's demotion does. The plain rule is Math.fround(b / den).

const f32 = (bits: number): number => new Float32Array(new Uint32Array([bits >>> 0]).buffer)[0];

/** xorshift32 in [0, 2³²). */
const prng = xorshift32;

/** The divisors where the product may miss a tie: even integers that are not powers of two (the kernel's guard). */
const tieable = (d: number): boolean => {
  const h = Math.abs(d) * 0.5;
  return h === Math.floor(h) && (new Uint32Array(Float32Array.of(d).buffer)[0] & 0x7fffff) !== 0;
};

const sameBits = (a: number, b: number): boolean => Object.is(a, b) || (Number.isNaN(a) && Number.isNaN(b));

describe('float32 quotients through a double reciprocal', () => {
  it('fround(b · (1/den)) has the bits of fround(b / den) for every pair of 40 edge values and 3 000 000 random float32 pairs (any bits, dividend-like, subnormal), den not an even integer other than a power of two (all floats from 2²⁴ up are even integers: ≈ 14 % of the pairs skipped)', () => {
    const rnd = prng(16);
    const edges = [
      0, -0, 1, -1, 2, 3, 0.5, 1e-6, f32(1) + 1e-6, Math.fround(1e-6), 1024, 1000, 98, 6, 2 ** -126, 2 ** -149, 3 * 2 ** -149, 147 * 2 ** -149,
      f32(0x007fffff), f32(0x00800001), f32(0x7f7fffff), -f32(0x7f7fffff), 2 ** 127, 2 ** -127, Infinity, -Infinity, NaN, 1 - 2 ** -24,
      1 + 2 ** -23, 0.1, 1 / 3, 3e38, 1e-38, 1e-45, 7, 5 * 2 ** -149, 17 * 2 ** -149, 0.75, 1.5, 65535,
    ].map(Math.fround);
    let checked = 0;
    const check = (b: number, d: number): void => {
      if (tieable(d)) return;
      checked++;
      const want = Math.fround(b / d);
      const got = Math.fround(b * (1 / d));
      if (!sameBits(got, want)) expect.fail(`b = ${b} (0x${new Uint32Array(Float32Array.of(b).buffer)[0].toString(16)}), den = ${d}: ${got} vs ${want}`);
    };
    for (const b of edges) for (const d of edges) check(b, d);
    for (let i = 0; i < 1_000_000; i++) check(f32(rnd()), f32(rnd()));
    // Bonds in [0, 1] over column sums + 1e-6 up to 1024, as the dividends divide.
    for (let i = 0; i < 1_000_000; i++) check(Math.fround(rnd() / 2 ** 32), Math.fround(Math.fround((rnd() / 2 ** 32) * 1024) + Math.fround(1e-6)));
    // Subnormal and tiny dividends over every kind of divisor (the quotients near and below 2⁻¹²⁶).
    for (let i = 0; i < 1_000_000; i++) check(f32(rnd() & 0x80ffffff), f32(rnd() % 0x4b000000));
    expect(checked).toBeGreaterThan(2_500_000);
  });

  it('misses a subnormal tie only at an even integer divisor other than a power of two (147·2⁻¹⁴⁹ / 98 = 3·2⁻¹⁵⁰ rounds to even 2⁻¹⁴⁸; the product gives 2⁻¹⁴⁹), which the guard refuses', () => {
    const b = 147 * 2 ** -149;
    expect(Math.fround(b / 98)).toBe(2 ** -148);
    expect(Math.fround(b * (1 / 98))).toBe(2 ** -149);
    expect(tieable(98)).toBe(true);
    // Every tie (2X + 1)·2⁻¹⁵⁰ = a / den with a float32: den = B′·2^s, B′ odd; the misses all fall on tieable divisors.
    let misses = 0;
    for (let odd = 3; odd < 2000; odd += 2) {
      for (let s = 0; s < 6; s++) {
        const d = odd * 2 ** s;
        for (let x = 0; x < 8; x++) {
          const a = (2 * x + 1) * odd * 2 ** (s - 150);
          if (Math.fround(a) !== a) continue;
          if (!sameBits(Math.fround(a * (1 / d)), Math.fround(a / d))) {
            misses++;
            expect(tieable(d), `den ${d}`).toBe(true);
          }
        }
      }
    }
    expect(misses).toBeGreaterThan(0);
    for (const d of [1, 2, 4, 1024, 2 ** 40, 3, 0.5, 6.5, 1e-6, 0, Infinity]) expect(tieable(d), `den ${d}`).toBe(false);
  });

  it('a Yuma 3 float32 epoch whose dividends meet that tie (column sum 98, a bond of 147·2⁻¹⁴⁹ in a column the reciprocal path takes): every output the same bits as the TypeScript kernel', () => {
    // Validators 0–97 weigh only server 12 with old bonds 2 (new bond 1 each, so den = 98 + tiny + 1e-6 = 98 in
    // float32); validator 98 has no weights and an old bond of 294·2⁻¹⁴⁹ there (new: ·0.5 = 147·2⁻¹⁴⁹). Its
    // dividend is fround(0.4·2⁻¹⁴⁸) = 2⁻¹⁴⁹ with the correct quotient, 0 with the missed tie. Sixteen servers: the
    // rows' one vector step, whose last four entries take the reciprocal.
    const V = 99;
    const M = 16;
    const tiny = 294 * 2 ** -149;
    const weights = Array.from({ length: V }, (_, v) => Float64Array.from({ length: M }, (_, m) => (v < 98 && m === 12 ? 1 : 0)));
    const stakes = Float64Array.from({ length: V }, (_, v) => (v < 98 ? 6 / 98 : 4));
    const bondsOld = Array.from({ length: V }, (_, v) => Float64Array.from({ length: M }, (_, m) => (m !== 12 ? 0 : v < 98 ? 2 : tiny)));
    const consensusOld = new Float64Array(M);
    const flat = (rows: Float64Array[]) => {
      const out = new Float64Array(V * M);
      rows.forEach((r, v) => out.set(r, v * M));
      return out.map(Math.fround);
    };
    const num: Numerics = { f32: true, degenerate: 'x86', nonFinite: 'zero', legacyConsensus: false };
    const cfg = resolveConfig('yuma3', { bondMovingAvg: 0.5 });
    const want = runKernel('yuma3', { V, M, W: flat(weights), S: stakes.map(Math.fround), B: flat(bondsOld), C: consensusOld, Wprev: null, block: null }, cfg, num);
    expect(want.validatorBonds[98 * M + 12]).toBe(147 * 2 ** -149);
    expect(want.serverIncentive[12]).toBe(1);
    expect(want.validatorReward[98]).toBe(2 ** -149);
    const got = yumaEpoch('yuma3', { weights, stakes, bondsOld, consensusOld }, { bondMovingAvg: 0.5 }, { precision: 'f32' });
    const bits = (x: Float64Array | Float64Array[]) => Array.from(Array.isArray(x) ? x.flatMap((r) => Array.from(r)) : x, (y) => Object.is(y, -0) ? '-0' : String(y));
    expect(bits(got.validatorReward)).toEqual(bits(want.validatorReward));
    expect(bits(got.validatorRewardNormalized)).toEqual(bits(want.validatorRewardNormalized));
    expect(bits(got.validatorBonds as Float64Array[])).toEqual(bits(want.validatorBonds));
    expect(bits(got.serverIncentive)).toEqual(bits(want.serverIncentive));
  });
});
