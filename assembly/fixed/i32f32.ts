// I32F32 (`substrate_fixed::types::I32F32`) on raw i64 bits: value = raw / 2^32.
//
// Rounding and overflow follow the crate bit for bit (substrate-fixed v0.6.0):
//   mul  floor(a·b / 2^32)          div  trunc(a·2^32 / b) toward zero
//   saturation: MIN when the operand signs differ, else MAX
//   checked ops report overflow through the global `overflow` (see below)
// The multiply never forms a 128-bit product: it splits each operand into a signed high and an unsigned low
// 32-bit half and keeps only bits 32..95 plus an overflow test.

import { udiv128by64 } from './wide';

export const ONE: i64 = 0x100000000;
export const HALF: i64 = 0x80000000;
export const MAX: i64 = i64.MAX_VALUE;
export const MIN: i64 = i64.MIN_VALUE;
/** I32F32(65535), the u16 scale. */
export const U16_MAX_FIXED: i64 = 65535 << 32;

const M32: i64 = 0xffffffff;

/**
 * Written by every `*Checked` function: true when THAT call overflowed (or divided by zero), false otherwise.
 * Not sticky — read it right after the call.
 */
export let overflow: bool = false;

// --- add / sub -----------------------------------------------------------------------------------------------------

// @ts-ignore: decorator
@inline export function satAdd(a: i64, b: i64): i64 {
  const s = a + b;
  // overflow iff a and b share a sign that s does not
  return ((a ^ s) & (b ^ s)) < 0 ? (a < 0 ? MIN : MAX) : s;
}

// @ts-ignore: decorator
@inline export function satSub(a: i64, b: i64): i64 {
  const s = a - b;
  return ((a ^ b) & (a ^ s)) < 0 ? (a < 0 ? MIN : MAX) : s;
}

/** `checked_add`: sets `overflow`, returns the wrapped sum. */
// @ts-ignore: decorator
@inline export function addChecked(a: i64, b: i64): i64 {
  const s = a + b;
  overflow = ((a ^ s) & (b ^ s)) < 0;
  return s;
}

// --- multiply ------------------------------------------------------------------------------------------------------

// high/low words of floor(a·b/2^32) as a 96-bit signed integer: result = mulHigh·2^32 + (mulLow & M32)
let mulHigh: i64 = 0;

// @ts-ignore: decorator
@inline function mulParts(a: i64, b: i64): i64 {
  const aH = a >> 32, aL = a & M32, bH = b >> 32, bL = b & M32;
  const x = aH * bL; // |x| < 2^63
  const y = aL * bH;
  const z = <i64>(<u64>(aL * bL) >> 32); // aL·bL < 2^64 as u64
  const low = (x & M32) + (y & M32) + z; // < 3·2^32
  mulHigh = aH * bH + (x >> 32) + (y >> 32) + (low >> 32);
  return low;
}

/** `saturating_mul`. */
// @ts-ignore: decorator
@inline export function mulSat(a: i64, b: i64): i64 {
  const low = mulParts(a, b);
  const high = mulHigh;
  if (high != <i64><i32>high) return (a ^ b) < 0 ? MIN : MAX;
  return (high << 32) | (low & M32);
}

/** Release-build `*` (overflow wraps). */
// @ts-ignore: decorator
@inline export function mulWrap(a: i64, b: i64): i64 {
  const aH = a >> 32, aL = a & M32, bH = b >> 32, bL = b & M32;
  return ((aH * bH) << 32) + aH * bL + aL * bH + <i64>(<u64>(aL * bL) >> 32);
}

/** `checked_mul`: sets `overflow`; returns the wrapped product (meaningless when `overflow`). */
// @ts-ignore: decorator
@inline export function mulChecked(a: i64, b: i64): i64 {
  const low = mulParts(a, b);
  const high = mulHigh;
  overflow = high != <i64><i32>high;
  return (high << 32) | (low & M32);
}

/** `checked_mul(..).unwrap_or(0)`. */
// @ts-ignore: decorator
@inline export function mulOrZero(a: i64, b: i64): i64 {
  const r = mulChecked(a, b);
  return overflow ? 0 : r;
}

// --- divide --------------------------------------------------------------------------------------------------------

// Magnitude of trunc(|a|·2^32 / |b|) for b ≠ 0, or u64.MAX as "≥ 2^64" (too big for any I32F32).
// @ts-ignore: decorator
@inline function udivMag(a: i64, b: i64): u64 {
  const ua: u64 = a < 0 ? <u64>0 - <u64>a : <u64>a; // |MIN| = 2^63 is fine as u64
  const ub: u64 = b < 0 ? <u64>0 - <u64>b : <u64>b;
  const qi = ua / ub;
  if (qi >= 0x100000000) return u64.MAX_VALUE;
  const r = ua - qi * ub;
  // fraction digits: (r·2^32) / ub with r < ub, a 96-by-64 division
  const qf = udiv128by64(r << 32, r >> 32, ub);
  return (qi << 32) | qf;
}

/** `checked_div`: sets `overflow` (also on b == 0) and returns 0 in that case. */
// @ts-ignore: decorator
@inline export function divChecked(a: i64, b: i64): i64 {
  if (b == 0) { overflow = true; return 0; }
  const m = udivMag(a, b);
  if ((a ^ b) < 0) {
    overflow = m > 0x8000000000000000;
    return overflow ? 0 : <i64>(<u64>0 - m);
  }
  overflow = m > 0x7fffffffffffffff;
  return overflow ? 0 : <i64>m;
}

/**
 * ONE ÷ y (= `divChecked(ONE, y)`, the sigmoid's and the negative exp's reciprocal) for y ≥ ONE, where the quotient
 * is trunc(2^64 / y) ≤ ONE and never overflows: one u64 division of 2^64 − 1, plus one where y divides 2^64 (the
 * remainder is then y − 1), instead of the general 128-by-64 long division.
 */
// @ts-ignore: decorator
@inline export function divOneBy(y: i64): i64 {
  const q = u64.MAX_VALUE / <u64>y;
  return <i64>(q + <u64>(u64.MAX_VALUE - q * <u64>y == <u64>y - 1));
}

/** subtensor `safe_div`: the quotient, or 0 on division by zero or overflow. */
// @ts-ignore: decorator
@inline export function safeDiv(a: i64, b: i64): i64 {
  return divChecked(a, b);
}

/** `saturating_div`. The crate panics on b == 0; here it returns 0 and sets `overflow` (never reached by the chain). */
// @ts-ignore: decorator
@inline export function satDiv(a: i64, b: i64): i64 {
  if (b == 0) { overflow = true; return 0; }
  const r = divChecked(a, b);
  if (overflow) return (a ^ b) < 0 ? MIN : MAX;
  return r;
}

// --- conversions ---------------------------------------------------------------------------------------------------

// @ts-ignore: decorator
@inline export function fromU16(x: u32): i64 {
  return <i64>(x & 0xffff) << 32;
}

/** `saturating_from_num(i64)`: x·2^32 clamped. */
// @ts-ignore: decorator
@inline export function fromI64Sat(x: i64): i64 {
  if (x > 0x7fffffff) return MAX;
  if (x < -0x80000000) return MIN;
  return x << 32;
}

/** `saturating_from_num(u64)`. */
// @ts-ignore: decorator
@inline export function fromU64Sat(x: u64): i64 {
  return x > 0x7fffffff ? MAX : <i64>(x << 32);
}

/** `u16_proportion_to_fixed`: floor(x·2^32 / 65535). */
// @ts-ignore: decorator
@inline export function u16ProportionToFixed(x: u32): i64 {
  return <i64>((<u64>(x & 0xffff) << 32) / 65535);
}

/** `saturating_to_num::<u64>()`: floor, negative → 0. */
// @ts-ignore: decorator
@inline export function floorToU64(x: i64): u64 {
  return x < 0 ? 0 : <u64>(x >> 32);
}

/** `saturating_to_num::<u16>()`: floor, clamp to [0, 65535]. */
// @ts-ignore: decorator
@inline export function floorToU16(x: i64): u32 {
  if (x < 0) return 0;
  const v = x >> 32;
  return v > 65535 ? 65535 : <u32>v;
}

/** `saturating_to_num::<i64>()` (= floor; always fits). */
// @ts-ignore: decorator
@inline export function floorToI64(x: i64): i64 {
  return x >> 32;
}

/** `fixed_proportion_to_u16`: clamp(floor(x·65535 / 2^32), 0, 65535). */
// @ts-ignore: decorator
@inline export function fixedProportionToU16(x: i64): u32 {
  return floorToU16(mulSat(x, U16_MAX_FIXED));
}

/** `round()`: nearest integer, ties away from zero; wraps like the release build above 2^31 − 0.5. */
// @ts-ignore: decorator
@inline export function round(x: i64): i64 {
  const intPart = x & ~M32;
  const frac = x & M32;
  if (frac < HALF || (frac == HALF && x < 0)) return intPart;
  return intPart + ONE;
}

/**
 * `saturating_from_num(f64)`: nearest I32F32, ties to even, clamped to [MIN, MAX]; NaN → 0 (the crate panics).
 * Exact: it works on the double's bits, never multiplies in floating point.
 */
export function fromF64(v: f64): i64 {
  if (isNaN(v)) return 0;
  const bits = reinterpret<u64>(v);
  const neg = (bits >> 63) != 0;
  const e = <i32>((bits >> 52) & 0x7ff);
  if (e == 0x7ff) return neg ? MIN : MAX; // ±Inf
  let m: u64 = bits & 0xfffffffffffff;
  let exp: i32; // value = m · 2^exp
  if (e == 0) { exp = -1074; } else { m |= 0x10000000000000; exp = e - 1075; }
  const sh = exp + 32; // raw = m · 2^sh
  let mag: u64;
  if (m == 0) return 0;
  if (sh >= 0) {
    // m < 2^53, so m·2^sh fits in a u64 unless sh > 11; the signed range is checked below
    if (sh > 11 && (sh >= 64 || (m >> <u64>(64 - sh)) != 0)) return neg ? MIN : MAX;
    mag = m << <u64>sh;
  } else {
    const r = -sh;
    if (r > 54) return 0; // below half an ulp of I32F32
    const q = m >> <u64>r;
    const rem = m & ((<u64>1 << <u64>r) - 1);
    const half = <u64>1 << <u64>(r - 1);
    mag = q + <u64>(rem > half || (rem == half && (q & 1) != 0));
  }
  if (neg) return mag > 0x8000000000000000 ? MIN : <i64>(<u64>0 - mag);
  return mag > 0x7fffffffffffffff ? MAX : <i64>mag;
}

/** `saturating_from_num(f32)` (the chain's test helper `fixed(x)`). */
// @ts-ignore: decorator
@inline export function fromF32(v: f32): i64 {
  return fromF64(<f64>v);
}

/** Nearest double (ties to even) of raw / 2^32. */
// @ts-ignore: decorator
@inline export function toF64(x: i64): f64 {
  // i64 → f64 rounds to nearest-even; the power-of-two scale is exact
  return <f64>x * 2.3283064365386963e-10;
}

// --- small helpers the epoch uses ----------------------------------------------------------------------------------

/** `clamp_value(v, lo, hi)` = v.min(hi).max(lo). */
// @ts-ignore: decorator
@inline export function clampValue(v: i64, lo: i64, hi: i64): i64 {
  const m = v < hi ? v : hi;
  return m > lo ? m : lo;
}
