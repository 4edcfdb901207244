// The chain's unsigned 128-bit fixed point (U64F64: 64 fraction bits, U96F32: 32) as the block's coinbase uses it:
// saturating add/sub/mul and checked division on (lo, hi) raws, rounding exactly as substrate-fixed does (products
// floored, quotients truncated). Results come back as lo with hi in `wideHi` (wide.ts's convention).

import { wideHi, umul128, umul128x128, prodW1, prodW2, prodW3, udiv128by64, wideRemLo, shl128 } from './wide';

const MAX: u64 = u64.MAX_VALUE;

/** Set by `udivChecked` when the chain's `checked_div` gives None (zero divisor or a quotient past 2^128). */
export let divNone: bool = false;

/** `saturating_add` of two unsigned 128-bit raws. */
// @ts-ignore: decorator
@inline export function uSatAdd(aLo: u64, aHi: u64, bLo: u64, bHi: u64): u64 {
  const lo = aLo + bLo;
  const c = <u64>(lo < aLo);
  const hi = aHi + bHi + c;
  // carry out of bit 128: the sum wrapped below either addend's high word
  if (hi < aHi || (hi == aHi && (bHi | c) != 0)) { wideHi = MAX; return MAX; }
  wideHi = hi;
  return lo;
}

/** `saturating_sub` of two unsigned 128-bit raws (0 below zero). */
// @ts-ignore: decorator
@inline export function uSatSub(aLo: u64, aHi: u64, bLo: u64, bHi: u64): u64 {
  if (aHi < bHi || (aHi == bHi && aLo < bLo)) { wideHi = 0; return 0; }
  wideHi = aHi - bHi - <u64>(aLo < bLo);
  return aLo - bLo;
}

/**
 * `saturating_mul` of two unsigned raws with `frac` (32 or 64) fraction bits: ⌊a·b / 2^frac⌋, or 2^128 − 1 when
 * that needs more than 128 bits.
 */
export function uMulSat(aLo: u64, aHi: u64, bLo: u64, bHi: u64, frac: u32): u64 {
  const w0 = umul128x128(aLo, aHi, bLo, bHi);
  const w1 = prodW1, w2 = prodW2, w3 = prodW3;
  if (frac == 64) {
    if (w3 != 0) { wideHi = MAX; return MAX; }
    wideHi = w2;
    return w1;
  }
  if (w3 != 0 || (w2 >> 32) != 0) { wideHi = MAX; return MAX; }
  wideHi = (w1 >> 32) | (w2 << 32);
  return (w0 >> 32) | (w1 << 32);
}

/**
 * `checked_div` of two unsigned raws with `frac` (32 or 64) fraction bits: trunc(a·2^frac / b); `divNone` tells
 * when the chain gets None (b = 0 or a quotient past 2^128), the result is then 0 (what `safe_div` /
 * `unwrap_or(0)` take). a·2^frac is a 192-bit numerator divided by word digits (Knuth D), not bit by bit.
 */
export function udivChecked(aLo: u64, aHi: u64, bLo: u64, bHi: u64, frac: u32): u64 {
  let n0: u64, n1: u64, n2: u64;
  if (frac == 64) { n0 = 0; n1 = aLo; n2 = aHi; }
  else { n0 = aLo << 32; n1 = (aLo >> 32) | (aHi << 32); n2 = aHi >> 32; }
  if (bHi == 0) {
    // the quotient reaches 2^128 exactly when the top word is at least the divisor (also b = 0)
    if (n2 >= bLo) { divNone = true; wideHi = 0; return 0; }
    // a high digit from one word (the usual case: a below 2^96) is a single hardware division
    let qHi: u64, r: u64;
    if (n2 == 0) { qHi = n1 / bLo; r = n1 - qHi * bLo; }
    else { qHi = udiv128by64(n1, n2, bLo); r = wideRemLo; }
    const qLo = udiv128by64(n0, r, bLo);
    divNone = false;
    wideHi = qHi;
    return qLo;
  }
  // b ≥ 2^64: the quotient is below 2^128; two digits, each from a 192 ÷ 128 step with a remainder below b
  const qHi = udiv192by128(n1, n2, 0, bLo, bHi);
  const pLo = umul128(qHi, bLo);
  const pHi = wideHi + qHi * bHi;
  const rLo = n1 - pLo;
  const rHi = n2 - pHi - <u64>(n1 < pLo);
  const qLo = udiv192by128(n0, rLo, rHi, bLo, bHi);
  divNone = false;
  wideHi = qHi;
  return qLo;
}

/** ⌊(a·2^64) / b⌋ for u64 a, b ≠ 0 (U64F64(a) / U64F64(b); never past 2^128). */
// @ts-ignore: decorator
@inline export function uRatio64(a: u64, b: u64): u64 {
  const qHi = a / b;
  const r = a - qHi * b;
  const lo = udiv128by64(0, r, b);
  wideHi = qHi;
  return lo;
}

/** `saturating_to_num::<u64>()` of a U96F32 raw. */
// @ts-ignore: decorator
@inline export function u96ToU64(lo: u64, hi: u64): u64 {
  return (hi >> 32) != 0 ? MAX : (lo >> 32) | (hi << 32);
}

/** Unsigned (hi:lo) < (bHi:bLo). */
// @ts-ignore: decorator
@inline export function uLess(aLo: u64, aHi: u64, bLo: u64, bHi: u64): bool {
  return aHi < bHi || (aHi == bHi && aLo < bLo);
}

/**
 * ⌊n / d⌋ for a 192-bit n = n2:n1:n0 and a 128-bit d ≠ 0 when the quotient is known to be below 2^64 (n < d·2^64).
 * Knuth's algorithm D with one quotient digit: the estimate from the top 128 bits of n over the top word of the
 * normalised divisor is at most 2 too large, and is corrected against the full product.
 */
export function udiv192by128(n0: u64, n1: u64, n2: u64, dLo: u64, dHi: u64): u64 {
  // n < d·2^64 with d < 2^64: n2 = 0 and n1 < d, one 128 ÷ 64 step
  if (dHi == 0) return udiv128by64(n0, n1, dLo);
  const s = <u32>clz<u64>(dHi);
  const vLo = shl128(dLo, dHi, s); const vHi = wideHi;
  // n·2^s still fits 192 bits: n < d·2^64 and d·2^s < 2^128
  let u0 = n0, u1 = n1, u2 = n2;
  if (s != 0) {
    u2 = (n2 << s) | (n1 >> (64 - s));
    u1 = (n1 << s) | (n0 >> (64 - s));
    u0 = n0 << s;
  }
  let q: u64 = u2 >= vHi ? MAX : udiv128by64(u1, u2, vHi);
  // q·v as three words; step q down while it exceeds u
  for (;;) {
    const aLo = umul128(q, vLo); const aHi = wideHi;
    const bLo = umul128(q, vHi); const bHi = wideHi;
    const p0 = aLo;
    const p1 = aHi + bLo;
    const p2 = bHi + <u64>(p1 < bLo);
    if (p2 < u2 || (p2 == u2 && (p1 < u1 || (p1 == u1 && p0 <= u0)))) return q;
    q -= 1;
  }
  return q;
}

const PERQUINTILL: u64 = 1_000_000_000_000_000_000;
// 10^18 normalised (top bit set) and its reciprocal V = ⌊(2^128 − 1) / D⌋ − 2^64 (Möller & Granlund, "Improved
// division by invariant integers", 2011, algorithm 4): a 128 ÷ 64 step by D in two multiplications and at most two
// corrections instead of a hardware division.
const SHIFT: u64 = 4;
const D: u64 = PERQUINTILL << SHIFT;
const V: u64 = udiv128by64(MAX, MAX - D, D);
let divRem: u64 = 0;

/** ⌊(u1·2^64 + u0) / D⌋ for u1 < D; the remainder in `divRem`. */
// @ts-ignore: decorator
@inline function divByD(u1: u64, u0: u64): u64 {
  let q0 = umul128(V, u1);
  let q1 = wideHi;
  const lo = q0 + u0;
  q1 += u1 + <u64>(lo < q0);
  q0 = lo;
  q1 += 1;
  let r = u0 - q1 * D;
  if (r > q0) { q1 -= 1; r += D; }
  if (r >= D) { q1 += 1; r -= D; }
  divRem = r;
  return q1;
}

/**
 * ⌊y / 10^18⌋ for a 192-bit y = y2:y1:y0 (the Perquintill products of the swap pallet): lo returned, hi in
 * `wideHi`; `divNone` set (and 0 returned) when the quotient needs more than 128 bits.
 */
export function udiv192ByPerquintill(y0: u64, y1: u64, y2: u64): u64 {
  if (y2 >= PERQUINTILL) { divNone = true; wideHi = 0; return 0; }
  divNone = false;
  // ⌊y / 10^18⌋ = ⌊16·y / D⌋, two digits; y2 < 10^18 keeps the top digit below D
  const qHi = divByD((y2 << SHIFT) | (y1 >> (64 - SHIFT)), (y1 << SHIFT) | (y0 >> (64 - SHIFT)));
  const qLo = divByD(divRem, y0 << SHIFT);
  wideHi = qHi;
  return qLo;
}
