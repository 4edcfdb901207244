// `substrate_fixed::transcendental` (v0.6.0) with S = D = I32F32, and the subtensor helpers built on it.
// These are not mathematically accurate functions; they are the crate's exact algorithms, errors included:
// exp is a 31-term Taylor series (exp(20) ≈ 481 239 357.67, not 485 165 195.4), log2 is bit-by-bit squaring.

import {
  ONE, HALF, MAX, overflow, addChecked, mulChecked, mulSat, mulWrap, divChecked, satAdd, satSub, satDiv, safeDiv,
  clampValue, divOneBy,
} from './i32f32';

/** e truncated to I9F23 (22 802 600 / 2^23), widened to I32F32. */
export const E_RAW: i64 = 22802600 << 9;
/** log2(e) truncated to I9F23 (12 102 203 / 2^23), widened to I32F32. */
export const LOG2_E_RAW: i64 = 12102203 << 9;

/** Set by `exp`, `log2`, `ln`: true where the crate returns Err (the value returned is then 0). */
export let mathErr: bool = false;

/**
 * `exp::<I32F32, I32F32>`. The crate divides each term by i·ONE; the terms are never negative, where that is
 * exactly floor(term / i): one native u64 division instead of the general 128-by-64 fixed division.
 */
export function exp(x: i64): i64 {
  mathErr = false;
  if (x == 0) return ONE;
  if (x == ONE) return E_RAW;
  const neg = x < 0;
  if (neg) {
    if (x == i64.MIN_VALUE) { mathErr = true; return 0; } // checked_neg
    x = -x;
  }
  let result = addChecked(x, ONE);
  if (overflow) { mathErr = true; return 0; }
  let term = x;
  for (let i: i64 = 2; i < 32; i++) {
    term = mulChecked(term, x);
    if (overflow) { mathErr = true; return 0; }
    term = <i64>(<u64>term / <u64>i); // checked_div(term, i·ONE) for term ≥ 0
    if (term == 0) break; // every later term is 0 too (0·x = 0, 0/i = 0) and adds nothing
    result = addChecked(result, term);
    if (overflow) { mathErr = true; return 0; }
  }
  if (neg) {
    result = divChecked(ONE, result);
    if (overflow) { mathErr = true; return 0; }
  }
  return result;
}

const EXP_LO: i64 = -20 << 32;
const EXP_HI: i64 = 20 << 32;

/** subtensor `exp_safe`: clamp to [−20, 20], then exp (Err → 0 for x ≤ 0, MAX otherwise; unreachable). */
export function expSafe(x: i64): i64 {
  const s = x < EXP_LO ? EXP_LO : x > EXP_HI ? EXP_HI : x;
  const r = exp(s);
  if (mathErr) return s <= 0 ? 0 : MAX;
  return r;
}

/** Results of `expSafePair`. */
export let expA: i64 = 0;
export let expB: i64 = 0;

const M32: u64 = 0xffffffff;

/**
 * floor(t·u / 2^32) for t, u ≥ 0 with u = uH·2^32 + uL, when that floor is below 2^64: t·uH + tH·uL + ⌊tL·uL / 2^32⌋
 * (t = tH·2^32 + tL) are the floor's three parts, each non-negative, so no partial sum wraps. Three multiplies
 * instead of `mulChecked`'s four with sign fix-ups.
 */
// @ts-ignore: decorator
@inline function mulFloorU(t: u64, uH: u64, uL: u64): u64 {
  return t * uH + (t >> 32) * uL + (((t & M32) * uL) >> 32);
}

/**
 * `expSafe` of two arguments at once (results in `expA`, `expB`), for the liquid-alpha bonds' hot loop. Same bits as
 * `exp` step for step: term_k = ⌊⌊term_(k−1)·u / 2^32⌋ / k⌋ (`checked_mul` floors, `checked_div` by k·ONE of a
 * non-negative term is ⌊· / k⌋), summed onto ONE + u, the reciprocal taken for a negative argument. What the clamp
 * to [−20, 20] lets it drop:
 * - every overflow check: the terms and sums stay at or below their real values, ONE·u^k/(k−1)! < 2^62 for the
 *   product before the division (largest at u = 20, k = 20) and ONE·e^20 < 2^61 for the sum, so the crate's Err is
 *   unreachable and plain u64 arithmetic is exact (`mulFloorU`);
 * - the per-lane stop: once a term is 0 every later one is 0 too and adds nothing, so both lanes run until both are
 *   0 (tested every few terms) or the crate's 30 terms are done;
 * - the loop counter: the divisors are literals, which the engine turns into multiplications (about 12 % of the
 *   series' time against a counted loop); two independent chains overlap their latencies.
 * x = 0 needs no special case (u = 0 leaves ONE), x = ONE keeps the crate's e constant.
 */
export function expSafePair(xa: i64, xb: i64): void {
  const sa = xa < EXP_LO ? EXP_LO : xa > EXP_HI ? EXP_HI : xa;
  const sb = xb < EXP_LO ? EXP_LO : xb > EXP_HI ? EXP_HI : xb;
  const ua = <u64>(sa < 0 ? -sa : sa);
  const ub = <u64>(sb < 0 ? -sb : sb);
  const aH = ua >> 32, aL = ua & M32, bH = ub >> 32, bL = ub & M32;
  let ra = ua + <u64>ONE, rb = ub + <u64>ONE;
  let ta = ua, tb = ub;
  ta = mulFloorU(ta, aH, aL) / 2; tb = mulFloorU(tb, bH, bL) / 2; ra += ta; rb += tb;
  ta = mulFloorU(ta, aH, aL) / 3; tb = mulFloorU(tb, bH, bL) / 3; ra += ta; rb += tb;
  ta = mulFloorU(ta, aH, aL) / 4; tb = mulFloorU(tb, bH, bL) / 4; ra += ta; rb += tb;
  ta = mulFloorU(ta, aH, aL) / 5; tb = mulFloorU(tb, bH, bL) / 5; ra += ta; rb += tb;
  ta = mulFloorU(ta, aH, aL) / 6; tb = mulFloorU(tb, bH, bL) / 6; ra += ta; rb += tb;
  ta = mulFloorU(ta, aH, aL) / 7; tb = mulFloorU(tb, bH, bL) / 7; ra += ta; rb += tb;
  ta = mulFloorU(ta, aH, aL) / 8; tb = mulFloorU(tb, bH, bL) / 8; ra += ta; rb += tb;
  ta = mulFloorU(ta, aH, aL) / 9; tb = mulFloorU(tb, bH, bL) / 9; ra += ta; rb += tb;
  ta = mulFloorU(ta, aH, aL) / 10; tb = mulFloorU(tb, bH, bL) / 10; ra += ta; rb += tb;
  ta = mulFloorU(ta, aH, aL) / 11; tb = mulFloorU(tb, bH, bL) / 11; ra += ta; rb += tb;
  if ((ta | tb) != 0) {
    ta = mulFloorU(ta, aH, aL) / 12; tb = mulFloorU(tb, bH, bL) / 12; ra += ta; rb += tb;
    ta = mulFloorU(ta, aH, aL) / 13; tb = mulFloorU(tb, bH, bL) / 13; ra += ta; rb += tb;
    ta = mulFloorU(ta, aH, aL) / 14; tb = mulFloorU(tb, bH, bL) / 14; ra += ta; rb += tb;
    ta = mulFloorU(ta, aH, aL) / 15; tb = mulFloorU(tb, bH, bL) / 15; ra += ta; rb += tb;
    if ((ta | tb) != 0) {
      ta = mulFloorU(ta, aH, aL) / 16; tb = mulFloorU(tb, bH, bL) / 16; ra += ta; rb += tb;
      ta = mulFloorU(ta, aH, aL) / 17; tb = mulFloorU(tb, bH, bL) / 17; ra += ta; rb += tb;
      ta = mulFloorU(ta, aH, aL) / 18; tb = mulFloorU(tb, bH, bL) / 18; ra += ta; rb += tb;
      ta = mulFloorU(ta, aH, aL) / 19; tb = mulFloorU(tb, bH, bL) / 19; ra += ta; rb += tb;
      if ((ta | tb) != 0) {
        ta = mulFloorU(ta, aH, aL) / 20; tb = mulFloorU(tb, bH, bL) / 20; ra += ta; rb += tb;
        ta = mulFloorU(ta, aH, aL) / 21; tb = mulFloorU(tb, bH, bL) / 21; ra += ta; rb += tb;
        ta = mulFloorU(ta, aH, aL) / 22; tb = mulFloorU(tb, bH, bL) / 22; ra += ta; rb += tb;
        ta = mulFloorU(ta, aH, aL) / 23; tb = mulFloorU(tb, bH, bL) / 23; ra += ta; rb += tb;
        if ((ta | tb) != 0) {
          ta = mulFloorU(ta, aH, aL) / 24; tb = mulFloorU(tb, bH, bL) / 24; ra += ta; rb += tb;
          ta = mulFloorU(ta, aH, aL) / 25; tb = mulFloorU(tb, bH, bL) / 25; ra += ta; rb += tb;
          ta = mulFloorU(ta, aH, aL) / 26; tb = mulFloorU(tb, bH, bL) / 26; ra += ta; rb += tb;
          ta = mulFloorU(ta, aH, aL) / 27; tb = mulFloorU(tb, bH, bL) / 27; ra += ta; rb += tb;
          if ((ta | tb) != 0) {
            ta = mulFloorU(ta, aH, aL) / 28; tb = mulFloorU(tb, bH, bL) / 28; ra += ta; rb += tb;
            ta = mulFloorU(ta, aH, aL) / 29; tb = mulFloorU(tb, bH, bL) / 29; ra += ta; rb += tb;
            ta = mulFloorU(ta, aH, aL) / 30; tb = mulFloorU(tb, bH, bL) / 30; ra += ta; rb += tb;
            ta = mulFloorU(ta, aH, aL) / 31; tb = mulFloorU(tb, bH, bL) / 31; ra += ta; rb += tb;
          }
        }
      }
    }
  }
  expA = finishExpSafe(sa, <i64>ra);
  expB = finishExpSafe(sb, <i64>rb);
}

// The crate's e constant for x = ONE; the reciprocal (never overflowing: r ≥ ONE) for x < 0.
// @ts-ignore: decorator
@inline function finishExpSafe(s: i64, r: i64): i64 {
  if (s == ONE) return E_RAW;
  return s < 0 ? divOneBy(r) : r;
}

// log2 of x ≥ 1: integer part by halving with round-half-up, then one fraction bit per squaring
function log2Inner(x: i64): i64 {
  let result: i64 = 0;
  while (x >= (ONE << 1)) {
    result += 1;
    x = (x >> 1) + (x & 1);
  }
  if (x == ONE) return result << 32;
  for (let i = 0; i < 32; i++) {
    x = mulWrap(x, x); // x < 2 so x² < 4: never wraps
    result <<= 1;
    if (x >= (ONE << 1)) {
      result |= 1;
      x = (x >> 1) + (x & 1);
    }
  }
  return result;
}

/** `log2::<I32F32, I32F32>`; Err (`mathErr`) for x ≤ 0 and for 0 < x ≤ 2 raw (1/x overflows). */
export function log2(x: i64): i64 {
  mathErr = false;
  if (x <= 0) { mathErr = true; return 0; }
  if (x < ONE) {
    const inv = divChecked(ONE, x);
    if (overflow) { mathErr = true; return 0; }
    return -log2Inner(inv);
  }
  return log2Inner(x);
}

/** `ln::<I32F32, I32F32>` = log2(x) / LOG2_E (the quotient never overflows). */
export function ln(x: i64): i64 {
  const l = log2(x);
  if (mathErr) return 0;
  return divChecked(l, LOG2_E_RAW);
}

/** subtensor `safe_ln`: ln or 0. */
// @ts-ignore: decorator
@inline export function safeLn(x: i64): i64 {
  return ln(x);
}

/** subtensor `sigmoid_safe(x, rho, kappa)` = ONE safe_div (exp_safe((rho ⊗ −ONE) ⊗ (x ⊖ kappa)) ⊕ ONE). */
export function sigmoidSafe(x: i64, rho: i64, kappa: i64): i64 {
  const offset = satSub(x, kappa);
  const negRho = mulSat(rho, -ONE);
  const e = expSafe(mulSat(negRho, offset));
  return safeDiv(ONE, satAdd(e, ONE));
}

const MINUS_100: i64 = -100 << 32;

// Yuma3 liquid alpha (`alpha_sigmoid`, run_epoch.rs), I32F32 raw in and out; steepness = I32F32(i16 steepness):
// σ = ONE sat÷ (ONE ⊕ exp_safe((steepness sat÷ −100) ⊗ (d ⊖ ½))); α = clamp(lo ⊕ σ ⊗ (hi ⊖ lo), lo, hi).
// Split in three so the bonds kernel can batch the exp_safe calls of a row (`expSafePair`).

/** steepness sat÷ −100, the slope `alpha_sigmoid` computes per call (constant over an epoch). */
export function steepnessFactor(steepness: i64): i64 {
  return satDiv(steepness, MINUS_100);
}

/** The `exp_safe` argument of `alpha_sigmoid`: `factor ⊗ (d ⊖ ½)`, d the clamped buy or sell difference. */
// @ts-ignore: decorator
@inline export function sigmoidArg(consensus: i64, weight: i64, bond: i64, factor: i64): i64 {
  const d = weight >= bond ? clampValue(satSub(weight, consensus), 0, ONE) : clampValue(satSub(bond, weight), 0, ONE);
  return mulSat(factor, satSub(d, HALF));
}

/** The rest of `alpha_sigmoid` from `e` = exp_safe(argument). */
// @ts-ignore: decorator
@inline export function alphaFromExp(e: i64, alphaLow: i64, alphaHigh: i64): i64 {
  const y = satAdd(ONE, e);
  const sigmoid = y >= ONE ? divOneBy(y) : satDiv(ONE, y); // e = exp_safe(·) ≥ 0: always the one-division form
  return clampValue(satAdd(alphaLow, mulSat(sigmoid, satSub(alphaHigh, alphaLow))), alphaLow, alphaHigh);
}

/** `alpha_sigmoid(consensus, weight, bond, low, high, steepness)`, all I32F32 raw. */
export function alphaSigmoid(
  consensus: i64, weight: i64, bond: i64, alphaLow: i64, alphaHigh: i64, steepness: i64,
): i64 {
  return alphaFromExp(expSafe(sigmoidArg(consensus, weight, bond, steepnessFactor(steepness))), alphaLow, alphaHigh);
}
