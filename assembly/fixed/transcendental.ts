// `substrate_fixed::transcendental` (v0.6.0) with S = D = I32F32, and the subtensor helpers built on it.
// These are not mathematically accurate functions; they are the crate's exact algorithms, errors included:
// exp is a 31-term Taylor series (exp(20) ≈ 481 239 357.67, not 485 165 195.4), log2 is bit-by-bit squaring.

import {
  ONE, HALF, MAX, overflow, addChecked, mulChecked, mulSat, mulWrap, divChecked, satAdd, satSub, satDiv, safeDiv,
  clampValue,
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

/**
 * `expSafe` of two arguments at once (results in `expA`, `expB`), for the liquid-alpha bonds' hot loop: the series
 * is a serial chain of multiply, divide and add, so one alone leaves the CPU waiting on latencies; two independent
 * chains in one loop overlap. Each lane follows `exp` step for step, including its early stop and its error results
 * (the unit tests check both lanes against `expSafe`).
 */
export function expSafePair(xa: i64, xb: i64): void {
  const sa = xa < EXP_LO ? EXP_LO : xa > EXP_HI ? EXP_HI : xa;
  const sb = xb < EXP_LO ? EXP_LO : xb > EXP_HI ? EXP_HI : xb;
  const negA = sa < 0;
  const negB = sb < 0;
  const ua = negA ? -sa : sa;
  const ub = negB ? -sb : sb;
  // ua, ub ≤ 20·ONE: ua + ONE cannot overflow
  let ra = ua + ONE;
  let rb = ub + ONE;
  let ta = ua;
  let tb = ub;
  let doneA = sa == 0 || sa == ONE;
  let doneB = sb == 0 || sb == ONE;
  let errA = false;
  let errB = false;
  for (let i: i64 = 2; i < 32; i++) {
    if (!doneA) {
      ta = mulChecked(ta, ua);
      if (overflow) { errA = true; doneA = true; }
      else {
        ta = <i64>(<u64>ta / <u64>i);
        if (ta == 0) doneA = true;
        else {
          ra = addChecked(ra, ta);
          if (overflow) { errA = true; doneA = true; }
        }
      }
    }
    if (!doneB) {
      tb = mulChecked(tb, ub);
      if (overflow) { errB = true; doneB = true; }
      else {
        tb = <i64>(<u64>tb / <u64>i);
        if (tb == 0) doneB = true;
        else {
          rb = addChecked(rb, tb);
          if (overflow) { errB = true; doneB = true; }
        }
      }
    }
    if (doneA && doneB) break;
  }
  expA = finishExpSafe(sa, negA, errA, ra);
  expB = finishExpSafe(sb, negB, errB, rb);
}

// @ts-ignore: decorator
@inline function finishExpSafe(s: i64, neg: bool, err: bool, r: i64): i64 {
  if (s == 0) return ONE;
  if (s == ONE) return E_RAW;
  if (err) return neg ? 0 : MAX;
  if (!neg) return r;
  const q = divChecked(ONE, r);
  return overflow ? 0 : q;
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
  const sigmoid = satDiv(ONE, satAdd(ONE, e));
  return clampValue(satAdd(alphaLow, mulSat(sigmoid, satSub(alphaHigh, alphaLow))), alphaLow, alphaHigh);
}

/** `alpha_sigmoid(consensus, weight, bond, low, high, steepness)`, all I32F32 raw. */
export function alphaSigmoid(
  consensus: i64, weight: i64, bond: i64, alphaLow: i64, alphaHigh: i64, steepness: i64,
): i64 {
  return alphaFromExp(expSafe(sigmoidArg(consensus, weight, bond, steepnessFactor(steepness))), alphaLow, alphaHigh);
}
