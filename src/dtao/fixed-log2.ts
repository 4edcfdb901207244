/**
 * `substrate-fixed` v0.6.0 `log2` on I96F32, re-derived bit for bit in bigint: the chain's block emission
 * takes `floor(log2(·))`, so a port in doubles could land on the other side of a halving boundary.
 * Values are I96F32 bit patterns (value · 2^32).
 */
const FRAC = 32n;
const ONE = 1n << FRAC;
const TWO = 2n << FRAC;

/** The crate's `rs`: halve, rounding a trailing half bit up. */
function halveRoundUp(x: bigint): bigint {
  return (x >> 1n) + (x & 1n);
}

/** log2 for an operand ≥ 1 (bit pattern in, bit pattern out). */
function log2Inner(x: bigint): bigint {
  let result = 0n;
  while (x >= TWO) {
    result += 1n;
    x = halveRoundUp(x);
  }
  if (x === ONE) return result << FRAC;
  for (let i = 0n; i < FRAC; i++) {
    x = (x * x) >> FRAC; // fixed multiply truncates
    result <<= 1n;
    if (x >= TWO) {
      result |= 1n;
      x = halveRoundUp(x);
    }
  }
  return result;
}

/** I96F32 log2 of a positive bit pattern; throws on ≤ 0 like the crate's `Err(())`. */
export function log2I96F32(bits: bigint): bigint {
  if (bits <= 0n) throw new RangeError('log2 of a non-positive value');
  if (bits < ONE) return -log2Inner((ONE << FRAC) / bits);
  return log2Inner(bits);
}

export const I96F32_ONE = ONE;
