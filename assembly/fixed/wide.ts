// 128-bit integer helpers on two 64-bit words (Wasm has no i128).
//
// Convention: a 128-bit value is the pair (lo: u64, hi: u64) read as unsigned, or as two's complement when an
// operation says "signed". Functions return the LOW word and leave the HIGH word in the global `wideHi`; read it
// immediately after the call (the next wide call overwrites it). Divisions also leave the remainder in
// `wideRemLo`/`wideRemHi`. Nothing here allocates.

export let wideHi: u64 = 0;
export let wideRemLo: u64 = 0;
export let wideRemHi: u64 = 0;

const M32: u64 = 0xffffffff;

// --- multiply ------------------------------------------------------------------------------------------------------

/** Unsigned 64×64 → 128. Returns lo; hi in `wideHi`. */
// @ts-ignore: decorator
@inline export function umul128(a: u64, b: u64): u64 {
  const aL = a & M32, aH = a >> 32, bL = b & M32, bH = b >> 32;
  const ll = aL * bL;
  const lh = aL * bH;
  const hl = aH * bL;
  const hh = aH * bH;
  // middle column: every addend < 2^32 + 2^32 + 2^32, no overflow
  const mid = (ll >> 32) + (lh & M32) + (hl & M32);
  wideHi = hh + (lh >> 32) + (hl >> 32) + (mid >> 32);
  return (mid << 32) | (ll & M32);
}

/** Words 1–3 of the last `umul128x128` product. */
export let prodW1: u64 = 0;
export let prodW2: u64 = 0;
export let prodW3: u64 = 0;

/** Unsigned 128×128 → 256: returns word 0, words 1–3 in `prodW1..prodW3`. */
// @ts-ignore: decorator
@inline export function umul128x128(aLo: u64, aHi: u64, bLo: u64, bHi: u64): u64 {
  const p00lo = umul128(aLo, bLo); const p00hi = wideHi;
  const p01lo = umul128(aLo, bHi); const p01hi = wideHi;
  const p10lo = umul128(aHi, bLo); const p10hi = wideHi;
  const p11lo = umul128(aHi, bHi); const p11hi = wideHi;
  let w1 = p00hi + p01lo;
  let c: u64 = <u64>(w1 < p01lo);
  w1 += p10lo;
  c += <u64>(w1 < p10lo);
  let w2 = p01hi + c;
  let c2: u64 = <u64>(w2 < c);
  w2 += p10hi; c2 += <u64>(w2 < p10hi);
  w2 += p11lo; c2 += <u64>(w2 < p11lo);
  prodW1 = w1;
  prodW2 = w2;
  prodW3 = p11hi + c2;
  return p00lo;
}

/** Signed 64×64 → 128 (two's complement). Returns lo; hi in `wideHi`. */
// @ts-ignore: decorator
@inline export function smul128(a: i64, b: i64): u64 {
  const lo = umul128(<u64>a, <u64>b);
  // reading a negative operand as unsigned adds 2^64 to it; take the extra (other)·2^64 back off the high word
  let hi = wideHi;
  if (a < 0) hi -= <u64>b;
  if (b < 0) hi -= <u64>a;
  wideHi = hi;
  return lo;
}

/** Signed i64 × unsigned u64 → signed 128. Returns lo; hi in `wideHi`. */
// @ts-ignore: decorator
@inline export function sumul128(a: i64, b: u64): u64 {
  const lo = umul128(<u64>a, b);
  if (a < 0) wideHi -= b;
  return lo;
}

// --- add / sub / neg / shift / compare -----------------------------------------------------------------------------

// @ts-ignore: decorator
@inline export function add128(aLo: u64, aHi: u64, bLo: u64, bHi: u64): u64 {
  const lo = aLo + bLo;
  wideHi = aHi + bHi + <u64>(lo < aLo);
  return lo;
}

// @ts-ignore: decorator
@inline export function sub128(aLo: u64, aHi: u64, bLo: u64, bHi: u64): u64 {
  const lo = aLo - bLo;
  wideHi = aHi - bHi - <u64>(aLo < bLo);
  return lo;
}

// @ts-ignore: decorator
@inline export function neg128(lo: u64, hi: u64): u64 {
  wideHi = ~hi + <u64>(lo == 0);
  return -lo;
}

/** Logical left shift by 0 ≤ s < 128. */
export function shl128(lo: u64, hi: u64, s: u32): u64 {
  if (s == 0) { wideHi = hi; return lo; }
  if (s >= 64) { wideHi = lo << <u64>(s - 64); return 0; }
  wideHi = (hi << <u64>s) | (lo >> <u64>(64 - s));
  return lo << <u64>s;
}

/** Logical right shift by 0 ≤ s < 128. */
export function shr128u(lo: u64, hi: u64, s: u32): u64 {
  if (s == 0) { wideHi = hi; return lo; }
  if (s >= 64) { wideHi = 0; return hi >> <u64>(s - 64); }
  wideHi = hi >> <u64>s;
  return (lo >> <u64>s) | (hi << <u64>(64 - s));
}

/** Arithmetic right shift (floor) by 0 ≤ s < 128. */
export function shr128s(lo: u64, hi: u64, s: u32): u64 {
  if (s == 0) { wideHi = hi; return lo; }
  if (s >= 64) { wideHi = <u64>(<i64>hi >> 63); return <u64>(<i64>hi >> <i64>(s - 64)); }
  wideHi = <u64>(<i64>hi >> <i64>s);
  return (lo >> <u64>s) | (hi << <u64>(64 - s));
}

/** Unsigned compare: −1, 0, 1. */
// @ts-ignore: decorator
@inline export function cmp128u(aLo: u64, aHi: u64, bLo: u64, bHi: u64): i32 {
  if (aHi != bHi) return aHi < bHi ? -1 : 1;
  if (aLo != bLo) return aLo < bLo ? -1 : 1;
  return 0;
}

/** Signed compare: −1, 0, 1. */
// @ts-ignore: decorator
@inline export function cmp128s(aLo: u64, aHi: u64, bLo: u64, bHi: u64): i32 {
  if (aHi != bHi) return <i64>aHi < <i64>bHi ? -1 : 1;
  if (aLo != bLo) return aLo < bLo ? -1 : 1;
  return 0;
}

/** Leading zeros of a 128-bit value (128 for 0). */
// @ts-ignore: decorator
@inline export function clz128(lo: u64, hi: u64): u32 {
  return hi != 0 ? <u32>clz<u64>(hi) : 64 + <u32>clz<u64>(lo);
}

// --- divide --------------------------------------------------------------------------------------------------------

/**
 * Unsigned (hi:lo) ÷ d for hi < d (so the quotient fits in 64 bits): returns the quotient, remainder in
 * `wideRemLo` (`wideRemHi` = 0). Two-digit long division in base 2^32 on a normalised divisor (Knuth D,
 * Hacker's Delight `divlu`): each quotient digit is estimated from the top digits and corrected at most twice.
 */
export function udiv128by64(lo: u64, hi: u64, d: u64): u64 {
  const s = <u64>clz<u64>(d);
  const v = d << s;
  const vn1 = v >> 32, vn0 = v & M32;
  const un32 = s == 0 ? hi : (hi << s) | (lo >> (64 - s));
  const un10 = lo << s;
  const un1 = un10 >> 32, un0 = un10 & M32;

  let q1 = un32 / vn1;
  let rhat = un32 - q1 * vn1;
  while (q1 > M32 || q1 * vn0 > ((rhat << 32) | un1)) {
    q1 -= 1;
    rhat += vn1;
    if (rhat > M32) break;
  }
  const un21 = ((un32 << 32) | un1) - q1 * v;

  let q0 = un21 / vn1;
  rhat = un21 - q0 * vn1;
  while (q0 > M32 || q0 * vn0 > ((rhat << 32) | un0)) {
    q0 -= 1;
    rhat += vn1;
    if (rhat > M32) break;
  }
  wideRemLo = (((un21 << 32) | un0) - q0 * v) >> s;
  wideRemHi = 0;
  return (q1 << 32) | q0;
}

/**
 * Unsigned 128 ÷ 128, d ≠ 0 (d == 0 returns 0 with remainder n; callers check first).
 * Returns the quotient lo; quotient hi in `wideHi`; remainder in `wideRemLo`/`wideRemHi`.
 */
export function udivmod128(nLo: u64, nHi: u64, dLo: u64, dHi: u64): u64 {
  if (dHi == 0 && dLo != 0) {
    // two 128÷64 steps: high word first, its remainder feeds the low word
    const qHi = nHi / dLo;
    const r = nHi - qHi * dLo;
    const qLo = udiv128by64(nLo, r, dLo);
    wideHi = qHi;
    return qLo;
  }
  if (cmp128u(nLo, nHi, dLo, dHi) < 0 || (dLo | dHi) == 0) {
    wideRemLo = nLo; wideRemHi = nHi; wideHi = 0;
    return 0;
  }
  // dHi ≠ 0: the quotient is < 2^64; restoring division over the aligned bit range only
  const shift = clz128(dLo, dHi) - clz128(nLo, nHi);
  let sLo = shl128(dLo, dHi, shift);
  let sHi = wideHi;
  let rLo = nLo, rHi = nHi;
  let q: u64 = 0;
  for (let i: u32 = 0; i <= shift; i++) {
    q <<= 1;
    if (cmp128u(rLo, rHi, sLo, sHi) >= 0) {
      rLo = sub128(rLo, rHi, sLo, sHi);
      rHi = wideHi;
      q |= 1;
    }
    sLo = (sLo >> 1) | (sHi << 63);
    sHi >>= 1;
  }
  wideRemLo = rLo; wideRemHi = rHi; wideHi = 0;
  return q;
}

/**
 * floor(r·2^bits / d) for a remainder r < d, d ≠ 0, bits ≤ 64: the fraction digits of a long division.
 * Bit-serial; a carry bit keeps it exact when d ≥ 2^127.
 */
export function udivFrac128(rLo: u64, rHi: u64, dLo: u64, dHi: u64, bits: u32): u64 {
  let q: u64 = 0;
  for (let i: u32 = 0; i < bits; i++) {
    const carry = rHi >> 63;
    rHi = (rHi << 1) | (rLo >> 63);
    rLo <<= 1;
    q <<= 1;
    if (carry != 0 || cmp128u(rLo, rHi, dLo, dHi) >= 0) {
      rLo = sub128(rLo, rHi, dLo, dHi);
      rHi = wideHi;
      q |= 1;
    }
  }
  return q;
}

/** Set by the 128-bit fixed-point divisions/multiplies below when the result does not fit the type. */
export let wideOverflow: bool = false;

/**
 * Unsigned fixed-point quotient trunc(a·2^frac / b) of two 128-bit raws, frac ∈ {32, 64}, b ≠ 0.
 * Returns lo, hi in `wideHi`; `wideOverflow` is set when the quotient needs more than 128 bits.
 */
export function udivFixed128(aLo: u64, aHi: u64, bLo: u64, bHi: u64, frac: u32): u64 {
  const qiLo = udivmod128(aLo, aHi, bLo, bHi);
  const qiHi = wideHi;
  const rLo = wideRemLo, rHi = wideRemHi;
  const qf = udivFrac128(rLo, rHi, bLo, bHi, frac);
  // quotient = qi·2^frac + qf; overflow when qi has bits at or above 128 − frac
  wideOverflow = clz128(qiLo, qiHi) < frac;
  const lo = shl128(qiLo, qiHi, frac);
  const hi = wideHi;
  wideHi = hi;
  return lo | qf; // qf < 2^frac, so OR is addition
}

/**
 * Signed fixed-point quotient for I64F64 / I96F32 raws: trunc(a·2^frac / b) toward zero, b ≠ 0.
 * Returns lo, hi in `wideHi`; `wideOverflow` set when the quotient is outside the signed 128-bit range.
 */
export function sdivFixed128(aLo: u64, aHi: u64, bLo: u64, bHi: u64, frac: u32): u64 {
  const aNeg = <i64>aHi < 0, bNeg = <i64>bHi < 0;
  let uaLo = aLo, uaHi = aHi, ubLo = bLo, ubHi = bHi;
  if (aNeg) { uaLo = neg128(aLo, aHi); uaHi = wideHi; }
  if (bNeg) { ubLo = neg128(bLo, bHi); ubHi = wideHi; }
  let qLo = udivFixed128(uaLo, uaHi, ubLo, ubHi, frac);
  let qHi = wideHi;
  let over = wideOverflow;
  if (aNeg != bNeg) {
    // magnitude may be exactly 2^127
    if (qHi > 0x8000000000000000 || (qHi == 0x8000000000000000 && qLo != 0)) over = true;
    qLo = neg128(qLo, qHi);
    qHi = wideHi;
  } else if (qHi >= 0x8000000000000000) {
    over = true;
  }
  wideOverflow = over;
  wideHi = qHi;
  return qLo;
}
