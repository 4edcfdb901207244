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

/**
 * `fracDiv` per lane: floor(a·2^32 / b) for 0 ≤ a ≤ b, b > 0, from `inv32` = 2^32/f64(b) (`inverse(b)` · 2^32: the
 * scaling is exact, so the estimate has the bits of (a·inverse(b))·2^32 with one multiply less). The f64 estimate
 * x = a·inv·2^32 lies within 2^-20 of the quotient t = a·2^32/b (two roundings of relative error ≤ 2^-53 on
 * t ≤ 2^32), so where x's fraction is at least FRAC_MARGIN from an integer, trunc(x) = floor(t) and the integer
 * remainder test (a 64-bit multiply, several instructions per lane pair) is skipped; x = 0 is exact (a = 0).
 * Otherwise both lanes take the remainder test, as the scalar `fracDiv` does.
 */
// @ts-ignore: decorator
@inline export function fracDivX(a: v128, b: v128, inv32: v128): v128 {
  const x = f64x2.mul(toF64(a), inv32);
  const t = f64x2.trunc(x);
  let q = toI64(t);
  const f = f64x2.sub(x, t);
  const unsure = v128.or(v128.and(f64x2.lt(f, f64x2.splat(FRAC_MARGIN)), f64x2.ne(x, f64x2.splat(0))), f64x2.gt(f, f64x2.splat(1.0 - FRAC_MARGIN)));
  if (v128.any_true(unsure)) q = fracDivFix(a, b, q);
  return q;
}

/** How far from an integer (2^-16) the estimate's fraction must lie for `fracDivX` to trust it: 16× its error bound. */
const FRAC_MARGIN: f64 = 1.0 / 65536.0;

/** `fracDivX`'s remainder test: the estimate `q` (within ±1 of the quotient) corrected per lane. */
// @ts-ignore: decorator
@inline function fracDivFix(a: v128, b: v128, q: v128): v128 {
  const r = i64x2.sub(i64x2.shl(a, 32), i64x2.mul(q, b)); // mod 2^64, but known to lie in (−b, 2b)
  q = i64x2.add(q, i64x2.lt_s(r, i64x2.splat(0))); // −1 where r < 0
  return i64x2.sub(q, i64x2.ge_s(r, b)); // +1 where r ≥ b
}

/** The 64-bit products of the low 32 bits of each lane (one `pmuludq` on x64, where `i64x2.mul` takes three). */
// @ts-ignore: decorator
@inline export function mulLow32X(x: v128, y: v128): v128 {
  return i64x2.extmul_low_i32x4_u(i32x4.shuffle(x, x, 0, 2, 0, 2), i32x4.shuffle(y, y, 0, 2, 0, 2));
}

/**
 * floor(k·y / 2^32) (`mulU`) for a constant k in [0, ONE), given as `kk` = i32x4.splat(k), and y in [0, ONE]: one
 * 32 × 32 multiply, except y = ONE gives k.
 */
// @ts-ignore: decorator
@inline export function mulConstX(kk: v128, y: v128): v128 {
  const p = i64x2.shr_u(i64x2.extmul_low_i32x4_u(kk, i32x4.shuffle(y, y, 0, 2, 0, 2)), 32);
  return v128.bitselect(i64x2.extend_low_i32x4_u(kk), p, i64x2.eq(y, i64x2.splat(ONE)));
}

/**
 * floor(x·y / 2^32) for x, y in [0, ONE] (`mulU`): below ONE both fit in 32 bits and their product is one 32 × 32
 * multiply; x = ONE gives y, and y = ONE (x below it) gives x.
 */
// @ts-ignore: decorator
@inline export function mulUX(x: v128, y: v128): v128 {
  const one = i64x2.splat(ONE);
  const p = v128.bitselect(x, i64x2.shr_u(mulLow32X(x, y), 32), i64x2.eq(y, one));
  return v128.bitselect(y, p, i64x2.eq(x, one));
}
