/**
 * The chain's I32F32 values held exactly in f64. An I32F32 number in [0, 2] is raw·2^-32 for an integer raw
 * < 2^34, which an f64 holds exactly; sums of such values below 2^53 ulps are exact in any order. Float mode
 * keeps the quantities that decide discrete outcomes on this grid — stake, active stake and the median's stakes —
 * so the chain's zeros and ties are reproduced, and does the rest in plain f64.
 */

export const TWO32 = 2 ** 32;
export const ULP = 2 ** -32;

/** floor(x·2^32 / total) for integers 0 ≤ x ≤ total, total > 0: an I32F32 (or I64F64 → I32F32) division. */
export function fixedShare(x: bigint, total: bigint): bigint {
  return (x << 32n) / total;
}
