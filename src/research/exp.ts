/**
 * e^x from basic IEEE operations only, the steps of assembly/research/exp.ts, so the TypeScript reference and
 * the Wasm kernels compute the same liquid alpha to the bit (Math.exp is engine-dependent). x = k·ln 2 + r
 * with k the nearest integer to x/ln 2 (ln 2 split in two, Cody–Waite), e^r by its Taylor series to r¹³
 * (|r| ≤ ln 2 / 2: truncation below 2⁻⁵⁸), then two exact power-of-two scalings, each factor a normal double
 * for x in [−746, 710] (outside, the result is 0 or ∞ anyway). Within 1 ulp of the true value (tested).
 */
const INV_LN2 = 1.4426950408889634;
const LN2_HI = 6.9314718036912381649e-1;
const LN2_LO = 1.9082149292705877e-10;
/** 1.5·2⁵²: adding and subtracting it rounds |y| < 2⁵¹ to the nearest integer, ties to even. */
const ROUND = 6755399441055744.0;
const X_MIN = -746;
const X_MAX = 710;
const C = [1 / 6227020800, 1 / 479001600, 1 / 39916800, 1 / 3628800, 1 / 362880, 1 / 40320, 1 / 5040, 1 / 720, 1 / 120, 1 / 24, 1 / 6, 1 / 2, 1, 1];

/** 2^k for the integers k in [−600, 600] (exact: halving and doubling powers of two never round here). */
const POW2 = (() => {
  const t = new Float64Array(1201);
  t[600] = 1;
  for (let k = 1; k <= 600; k++) {
    t[600 + k] = t[599 + k] * 2;
    t[600 - k] = t[601 - k] / 2;
  }
  return t;
})();

export function expDet(x0: number): number {
  const x = x0 < X_MIN ? X_MIN : x0 > X_MAX ? X_MAX : x0;
  const k = x * INV_LN2 + ROUND - ROUND;
  const r = x - k * LN2_HI - k * LN2_LO;
  let p = C[0];
  for (let i = 1; i < C.length; i++) p = p * r + C[i];
  const k1 = Math.floor(k * 0.5);
  return p * POW2[600 + k1] * POW2[600 + k - k1];
}
