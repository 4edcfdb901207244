// I32F32 helpers two lanes at a time (i64x2) for values the epoch keeps in [0, ONE]; each equals its scalar
// counterpart in proportion.ts bit for bit on that domain.
import { ONE } from './i32f32';

const MAGIC: i64 = 0x4330000000000000; // bits of 2^52
const TWO52: f64 = 4503599627370496.0;

/** i64 lanes in [0, 2^52) to f64, exactly. */
// @ts-ignore: decorator
@inline export function toF64(x: v128): v128 {
  return f64x2.sub(v128.or(x, i64x2.splat(MAGIC)), f64x2.splat(TWO52));
}

/** Integral f64 lanes in [0, 2^52) to i64. */
// @ts-ignore: decorator
@inline export function toI64(f: v128): v128 {
  return i64x2.sub(f64x2.add(f, f64x2.splat(TWO52)), i64x2.splat(MAGIC));
}

/** `fracDiv` per lane: floor(a·2^32 / b) for 0 ≤ a ≤ b, b > 0, from `inv` = 1/f64(b). */
// @ts-ignore: decorator
@inline export function fracDivX(a: v128, b: v128, inv: v128): v128 {
  let q = toI64(f64x2.trunc(f64x2.mul(f64x2.mul(toF64(a), inv), f64x2.splat(4294967296.0))));
  const r = i64x2.sub(i64x2.shl(a, 32), i64x2.mul(q, b)); // mod 2^64, but known to lie in (−b, 2b)
  q = i64x2.add(q, i64x2.lt_s(r, i64x2.splat(0))); // −1 where r < 0
  return i64x2.sub(q, i64x2.ge_s(r, b)); // +1 where r ≥ b
}

/** floor(x·y / 2^32) for x, y in [0, ONE] (`mulU`): the u64 product, except x = ONE (2^64 would wrap) gives y. */
// @ts-ignore: decorator
@inline export function mulUX(x: v128, y: v128): v128 {
  return v128.bitselect(y, i64x2.shr_u(i64x2.mul(x, y), 32), i64x2.eq(x, i64x2.splat(ONE)));
}

