// The chain's I32F32 values held exactly in f64 (the reference's src/reference/float/grid.ts): raw·2^-32 with an
// integer raw < 2^34 is exact in f64, and so are sums below 2^53 ulps in any order. Float mode keeps the
// quantities that decide discrete outcomes on this grid and does the rest in plain f64.

// @ts-ignore: decorator
@inline export const TWO32: f64 = 4294967296.0;
// @ts-ignore: decorator
@inline export const ULP: f64 = 1.0 / 4294967296.0;

/**
 * floor(x·2^32 / s) in ulps for integers 0 ≤ x ≤ s < 2^32, given v = fl(x/s)·2^32 (= fl(x·2^32 / s): scaling by
 * 2^32 is exact). Rounding is monotone and the integers next to the quotient are representable, so floor(v) is
 * exact unless v is itself an integer (the quotient may then lie just below it): those are redone in integers.
 */
// @ts-ignore: decorator
@inline export function floorQuotient(v: f64, x: u64, s: u64): f64 {
  const q = Math.floor(v);
  return q == v && q != 0 ? <f64>((x << 32) / s) : q;
}

/**
 * Divisors below this need no check: for integers 0 ≤ x ≤ s < 2^22 a non-integer x·2^32/s (< 2^32) lies at least
 * 1/s > 2^-22 from the integers around it, more than half an ulp (≤ 2^-22) there, so floor(fl(x/s)·2^32) is exact.
 */
// @ts-ignore: decorator
@inline export const EXACT_BELOW: f64 = 4194304.0;

/** `u16_proportion_to_fixed` in ulps: floor(x·2^32 / 65535), exact (a non-integer quotient is ≥ 1/65535 from the next integer, the rounding error ≤ 2^-21). */
// @ts-ignore: decorator
@inline export function u16ProportionUlps(x: f64): f64 {
  return Math.floor((x / 65535.0) * TWO32);
}
