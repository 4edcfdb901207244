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

/** `exp::<I32F32, I32F32>`. */
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
    term = divChecked(term, i << 32); // = floor(term / i): term ≥ 0
    if (overflow) { mathErr = true; return 0; }
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

/**
 * Yuma3 liquid alpha (`alpha_sigmoid`, run_epoch.rs), I32F32 raw in and out; steepness = I32F32(i16 steepness).
 * σ = ONE sat÷ (ONE ⊕ exp_safe((steepness sat÷ −100) ⊗ (d ⊖ ½))); α = clamp(lo ⊕ σ ⊗ (hi ⊖ lo), lo, hi).
 */
export function alphaSigmoid(
  consensus: i64, weight: i64, bond: i64, alphaLow: i64, alphaHigh: i64, steepness: i64,
): i64 {
  const diffBuy = clampValue(satSub(weight, consensus), 0, ONE);
  const diffSell = clampValue(satSub(bond, weight), 0, ONE);
  const d = weight >= bond ? diffBuy : diffSell;
  const e = expSafe(mulSat(satDiv(steepness, MINUS_100), satSub(d, HALF)));
  const sigmoid = satDiv(ONE, satAdd(ONE, e));
  const alpha = satAdd(alphaLow, mulSat(sigmoid, satSub(alphaHigh, alphaLow)));
  return clampValue(alpha, alphaLow, alphaHigh);
}
