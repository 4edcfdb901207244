// Fast I32F32 ops for operands the epoch keeps in [0, ONE] (normalised weights, stakes, consensus, bonds as
// proportions). Each checks its domain and otherwise falls back to the general op, so the result is always the
// crate's bit for bit; the fast branch just avoids the 4-multiply split and the 128-by-64 long division.
import { ONE, mulSat, safeDiv } from '../fixed/i32f32';

/** `a.saturating_mul(b)` (= floor(a·b / 2^32)); one u64 multiply when 0 ≤ a, b ≤ ONE. */
// @ts-ignore: decorator
@inline export function mulU(a: i64, b: i64): i64 {
  if (<u64>a < <u64>ONE && <u64>b <= <u64>ONE) return <i64>((<u64>a * <u64>b) >> 32);
  return mulSat(a, b);
}

/** `a.safe_div(b)`; one u64 division when 0 ≤ a < ONE and b > 0 (0 when the quotient overflows, as safe_div). */
// @ts-ignore: decorator
@inline export function divU(a: i64, b: i64): i64 {
  if (<u64>a < <u64>ONE && b > 0) {
    const q = (<u64>a << 32) / <u64>b;
    return q > <u64>i64.MAX_VALUE ? 0 : <i64>q;
  }
  return safeDiv(a, b);
}
