// ⌊(num/den)^(a/b) · 10^18⌋ for 0 < num ≤ den < 2^64 — what safe-bigmath's `pow_ratio_scaled` gives the swap pallet
// (scale 10^18, 256 bits of precision) — when that floor is certain, else POW_DECLINED (the caller then runs the
// crate's own rule in BigInt, src/dtao/bigmath.ts). Both of the crate's paths return the true floor: the exact
// root path by construction (⌊⌊X⌋^(1/b)⌋ = ⌊X^(1/b)⌋), the ln/exp series because it is within ~2^-240 of the true
// power (src/dtao/bigmath.ts's certified path rests on the same fact). So an enclosure of the true power that holds
// no integer boundary after scaling gives the crate's answer, whichever path the crate takes.
//
// The enclosure, in fixed point 2^-120 on (lo, hi) words: num/den = m · 2^-k with m = n/den ∈ (1/2, 1];
// ln m = −2·atanh(z), z = (den − n)/(den + n) ∈ [0, 1/3); u = (2·atanh(z) + k·ln 2) · a/b ≥ 0; e^-u = e^-s · 2^-k2
// with s = u − k2·ln 2 ∈ [0, ln 2). Every product and quotient is floored (one unit, 2^-120, each): the atanh sum
// (terms shrink by z² < 1/9, at most ~40 of them) is within 2^-113, ln within 2^-111, u within 2^-102 for an
// exponent a/b < 256, s within 2^-101.9 (k2 ≤ 46 units of ln 2's error), and e^-s (its derivative is at most 1;
// ~40 floored series terms) within 2^-101.8 — 2^18.2 units. The enclosure is e^-s ± 2^28 units (2^-92, as the
// BigInt certified path), scaled by 10^18 / 2^k2 and floored at both ends; equal floors are the answer.
//
// Declined: exponents a/b ≥ 256 (pool weights past 0.996; the error grows with a/b), u ≥ 32 (powers below
// e^-32, where the crate's series needs the most care), and enclosures that hold an integer (about 2^-31 of
// random inputs, and every exact one such as (1/8)^(1/3)). a = b is a plain division, num = den exactly 10^18.

import { umul128, umul128x128, prodW1, prodW2, prodW3, udiv128by64, udivmod128, wideHi, wideRemLo, wideRemHi } from './wide';
import { udiv192by128 } from './unsigned-fixed';

/** Returned when the floor is not certain (or the inputs are outside the domain above). */
export const POW_DECLINED: u64 = u64.MAX_VALUE;

const PERQUINTILL: u64 = 1_000_000_000_000_000_000;
// ⌊ln 2 · 2^120⌋
const LN2_LO: u64 = 0xabc9e3b39803f2f6;
const LN2_HI: u64 = 0xb17217f7d1cf79;
const ONE_HI: u64 = 1 << 56; // 2^120
const U_LIMIT_HI: u64 = 32 << 56; // u ≥ 32 is declined
const MARGIN: u64 = 1 << 28;

let fHi: u64 = 0;

/** ⌊a·b / 2^120⌋ (lo returned, hi in fHi) for a·b < 2^248. */
// @ts-ignore: decorator
@inline function mulF(aLo: u64, aHi: u64, bLo: u64, bHi: u64): u64 {
  if (aHi == 0) {
    // the series' small terms: a one-word factor, a 192-bit product
    umul128(aLo, bLo);
    const p0hi = wideHi;
    const p1lo = umul128(aLo, bHi);
    const w1 = p0hi + p1lo;
    const w2 = wideHi + <u64>(w1 < p1lo);
    fHi = w2 >> 56;
    return (w1 >> 56) | (w2 << 8);
  }
  umul128x128(aLo, aHi, bLo, bHi);
  const w1 = prodW1, w2 = prodW2, w3 = prodW3;
  fHi = (w2 >> 56) | (w3 << 8);
  return (w1 >> 56) | (w2 << 8);
}

/** ⌊(hi:lo) / d⌋ for a small d ≠ 0 (lo returned, hi in fHi). */
// @ts-ignore: decorator
@inline function divSmall(lo: u64, hi: u64, d: u64): u64 {
  fHi = 0;
  if (hi == 0) return lo / d;
  const qHi = hi / d;
  const q = udiv128by64(lo, hi - qHi * d, d);
  fHi = qHi;
  return q;
}

/** ⌊(w2:w1:w0) >> sh⌋ for 64 ≤ sh < 192 when the result fits 64 bits. */
// @ts-ignore: decorator
@inline function shr192(w1: u64, w2: u64, sh: u32): u64 {
  const t = sh - 64;
  if (t == 0) return w1;
  if (t < 64) return (w1 >> <u64>t) | (w2 << <u64>(64 - t));
  return w2 >> <u64>(t - 64);
}

/** ⌊y · 10^18 / 2^(120 + k2)⌋ for y < 2^122, k2 ≤ 63. */
// @ts-ignore: decorator
@inline function scaleDown(yLo: u64, yHi: u64, k2: u32): u64 {
  umul128(yLo, PERQUINTILL);
  const p0hi = wideHi;
  const p1lo = umul128(yHi, PERQUINTILL);
  const p1hi = wideHi;
  const w1 = p0hi + p1lo;
  const w2 = p1hi + <u64>(w1 < p1lo);
  return shr192(w1, w2, 120 + k2);
}

/** ⌊(num/den)^(a/b) · 10^18⌋ or POW_DECLINED; see the file comment. */
export function powRatioPerquintill(num: u64, den: u64, a: u64, b: u64): u64 {
  if (num == 0 || num > den || a == 0 || b == 0 || (a >> 8) >= b) return POW_DECLINED;
  if (num == den) return PERQUINTILL;
  if (a == b) {
    const lo = umul128(num, PERQUINTILL);
    return udiv128by64(lo, wideHi, den);
  }

  // num/den = (n/den) · 2^-k with den/2 < n ≤ den
  let k = <u32>(clz<u64>(num) - clz<u64>(den));
  let n = num << <u64>k;
  if (n > den) { n >>= 1; k -= 1; }

  // z = ⌊(den − n)·2^120 / (den + n)⌋: a 184-bit numerator over a divisor of up to 65 bits, two 64-bit digits
  const d = den - n;
  const sLo = den + n;
  const sHi = <u64>(sLo < den);
  let zLo: u64 = 0, zHi: u64 = 0;
  if (d != 0) {
    const n2 = d >> 8, n1 = d << 56;
    zHi = udiv192by128(n1, n2, 0, sLo, sHi);
    // remainder of the high digit: (n2:n1) − zHi·s (below s)
    const pLo = umul128(zHi, sLo);
    const pHi = wideHi + zHi * sHi;
    const rLo = n1 - pLo;
    const rHi = n2 - pHi - <u64>(n1 < pLo);
    zLo = udiv192by128(0, rLo, rHi, sLo, sHi);
  }

  // atanh(z) = Σ z^(2j+1) / (2j+1)
  let sumLo: u64 = 0, sumHi: u64 = 0;
  if ((zLo | zHi) != 0) {
    const z2Lo = mulF(zLo, zHi, zLo, zHi);
    const z2Hi = fHi;
    let tLo = zLo, tHi = zHi;
    for (let j: u64 = 1; (tLo | tHi) != 0; j += 2) {
      const qLo = j == 1 ? tLo : divSmall(tLo, tHi, j);
      const qHi = j == 1 ? tHi : fHi;
      const lo = sumLo + qLo;
      sumHi += qHi + <u64>(lo < sumLo);
      sumLo = lo;
      tLo = mulF(tLo, tHi, z2Lo, z2Hi);
      tHi = fHi;
    }
  }

  // −ln(num/den) = 2·atanh(z) + k·ln 2 (below 45: fits 2^126)
  let lLo = sumLo << 1;
  let lHi = (sumHi << 1) | (sumLo >> 63);
  if (k != 0) {
    const kLo = umul128(LN2_LO, <u64>k);
    const kHi = wideHi + LN2_HI * <u64>k;
    const lo = lLo + kLo;
    lHi += kHi + <u64>(lo < lLo);
    lLo = lo;
  }

  // u = ⌊L·a / b⌋: a 190-bit product over b, three digits; u ≥ 32 is declined
  const p0 = umul128(lLo, a);
  const c0 = wideHi;
  const p1 = umul128(lHi, a);
  const w1 = c0 + p1;
  const w2 = wideHi + <u64>(w1 < p1);
  if (w2 >= b) return POW_DECLINED;
  const uHi = udiv128by64(w1, w2, b);
  const uLo = udiv128by64(p0, wideRemLo, b);
  if (uHi >= U_LIMIT_HI) return POW_DECLINED;

  // s = u − k2·ln 2 ∈ [0, ln 2)
  let k2: u32 = 0;
  let sLo2 = uLo, sHi2 = uHi;
  if (uHi > LN2_HI || (uHi == LN2_HI && uLo >= LN2_LO)) {
    k2 = <u32>udivmod128(uLo, uHi, LN2_LO, LN2_HI);
    sLo2 = wideRemLo;
    sHi2 = wideRemHi;
  }

  // e^-s = Σ (−s)^i / i!, on magnitudes (partial sums stay in (0, 1]; wrapping words add up exactly)
  let yLo: u64 = 0, yHi: u64 = 0;
  let mLo: u64 = 0, mHi: u64 = ONE_HI;
  for (let i: u64 = 1; (mLo | mHi) != 0; i++) {
    if ((i & 1) != 0) {
      const lo = yLo + mLo;
      yHi += mHi + <u64>(lo < yLo);
      yLo = lo;
    } else {
      const lo = yLo - mLo;
      yHi -= mHi + <u64>(yLo < mLo);
      yLo = lo;
    }
    const pLo = mulF(mLo, mHi, sLo2, sHi2);
    if (i == 1) { mLo = pLo; mHi = fHi; continue; }
    mLo = divSmall(pLo, fHi, i);
    mHi = fHi;
  }

  // the enclosure y ± MARGIN (y ≥ 2^119, so the low end stays positive), scaled and floored at both ends
  const loLo = yLo - MARGIN;
  const loHi = yHi - <u64>(yLo < MARGIN);
  const hiLo = yLo + MARGIN;
  const hiHi = yHi + <u64>(hiLo < yLo);
  const rLow = scaleDown(loLo, loHi, k2);
  const rHigh = scaleDown(hiLo, hiHi, k2);
  return rLow == rHigh ? rLow : POW_DECLINED;
}
