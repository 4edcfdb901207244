/**
 * The chain's I32F32 values held exactly in f64. An I32F32 number in [0, 2] is raw·2^-32 for an integer raw
 * < 2^34, which an f64 holds exactly; sums of such values below 2^53 ulps are exact in any order. Float mode
 * keeps the quantities that decide discrete outcomes on this grid — stake, active stake, the median's stakes,
 * normalised weights (hence consensus, clipped weights and validator trust), rank, the weights for bonds and ΔB —
 * so the chain's zeros, ties and floors are reproduced, and does the rest (normalisations, EMAs) in plain f64.
 */

export const TWO32 = 2 ** 32;
export const ULP = 2 ** -32;

/** floor(x·2^32 / total) for integers 0 ≤ x ≤ total, total > 0: an I32F32 (or I64F64 → I32F32) division. */
export function fixedShare(x: bigint, total: bigint): bigint {
  return (x << 32n) / total;
}

/**
 * `w.safe_div(s)` on integer-valued I32F32 operands (0 ≤ w ≤ s, s > 0, w < 2^21), i.e. floor(w·2^32 / s)·2^-32:
 * w·2^32 and its remainder mod s are exact in f64, so their difference divided by s is the exact quotient.
 */
export function fixedQuotient(w: number, s: number): number {
  const x = w * TWO32;
  return ((x - (x % s)) / s) * ULP;
}

/**
 * `u16_proportion_to_fixed`: floor(x·2^32 / 65535) as an integer (ulps). 65535 < 2^21, so the f64 quotient's
 * floor is exact (a non-integer quotient is ≥ 1/65535 from the next integer, its rounding error ≤ 2^-21).
 */
export function u16ProportionUlps(x: number): number {
  return Math.floor((x / 65535) * TWO32);
}

/**
 * The chain's product `x ⊗ y` (I32F32 multiply, floored) in ulps, for a grid value x and y given in ulps
 * (`yUlps` = y·2^32): floor(x·yUlps). The f64 product is exact below 2^53, i.e. for results below 2^21 ulps, where
 * the floor is exact; above, it is within one ulp (a relative 2^-21) — the small values are the ones whose floors
 * decide (a column of ΔB that floors to zero on chain is not normalised there).
 */
export function mulUlps(x: number, yUlps: number): number {
  return Math.floor(x * yUlps);
}
