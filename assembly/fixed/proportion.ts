// Fast I32F32 ops for operands the epoch keeps in [0, ONE] (normalised weights, stakes, consensus, bonds as
// proportions). Each checks its domain and otherwise falls back to the general op, so the result is always the
// crate's bit for bit; the fast branch just avoids the 4-multiply split and the 128-by-64 long division.
import { ONE, mulSat, safeDiv, fixedProportionToU16 } from './i32f32';

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

/**
 * floor(a·2^32 / b) = `a.safe_div(b)` for 0 ≤ a ≤ b, b > 0 (a normalisation: the quotient is ≤ ONE and never
 * overflows), with `inv` = 1 / f64(b). The f64 estimate is within ±1 of the quotient (relative error < 2^-51 on a
 * value ≤ 2^32); one integer remainder test corrects it. Its remainder is computed modulo 2^64 but is known to lie
 * in (−b, 2b), so the signed reading is exact. Cheaper than a 64-bit division when the divisor repeats.
 */
// @ts-ignore: decorator
@inline export function fracDiv(a: i64, b: i64, inv: f64): i64 {
  let q = <i64>(<f64>a * inv * 4294967296.0);
  const r = (a << 32) - q * b;
  if (r < 0) q--;
  else if (r >= b) q++;
  return q;
}

/** 1 / f64(b) for `fracDiv`, 0 for b = 0 (callers test b first). */
// @ts-ignore: decorator
@inline export function inverse(b: i64): f64 {
  return b != 0 ? 1.0 / <f64>b : 0.0;
}

/** `fixed_proportion_to_u16`: one multiply for 0 ≤ x ≤ ONE (x·65535 < 2^48), the general op otherwise. */
// @ts-ignore: decorator
@inline export function toU16(x: i64): u32 {
  if (<u64>x <= <u64>ONE) return <u32>((x * 65535) >> 32);
  return fixedProportionToU16(x);
}
