// Yuma3 liquid alpha (`alpha_sigmoid`) with a faster `exp`: the crate's Taylor series divides each term by
// i·ONE, which for the non-negative terms of the series is exactly floor(term / i), one native u64 division
// instead of the general 128-by-64 fixed division. Everything else is the shared fixed-point layer's ops, in the
// crate's order, so results are identical to `assembly/fixed/transcendental.ts` (checked through the epoch
// against the BigInt reference).
import { ONE, HALF, MAX, overflow, addChecked, mulChecked, mulSat, divChecked, satAdd, satSub, satDiv, clampValue } from '../fixed/i32f32';
import { E_RAW } from '../fixed/transcendental';

const EXP_LO: i64 = -20 << 32;
const EXP_HI: i64 = 20 << 32;
const MINUS_100: i64 = -100 << 32;

/** `exp_safe`: clamp to [−20, 20], the crate's 31-term series; Err → 0 (x ≤ 0) or MAX. */
function expSafe(x0: i64): i64 {
  const s = x0 < EXP_LO ? EXP_LO : x0 > EXP_HI ? EXP_HI : x0;
  if (s == 0) return ONE;
  if (s == ONE) return E_RAW;
  const neg = s < 0;
  const x = neg ? -s : s;
  let result = addChecked(x, ONE);
  if (overflow) return neg ? 0 : MAX;
  let term = x;
  for (let i: i64 = 2; i < 32; i++) {
    term = mulChecked(term, x);
    if (overflow) return neg ? 0 : MAX;
    term = <i64>(<u64>term / <u64>i); // checked_div(term, i·ONE) for term ≥ 0
    // 0·x/i stays 0 and adds nothing: the remaining terms of the crate's fixed 31 cannot change the sum
    if (term == 0) break;
    result = addChecked(result, term);
    if (overflow) return neg ? 0 : MAX;
  }
  if (neg) {
    result = divChecked(ONE, result);
    if (overflow) return 0;
  }
  return result;
}

/**
 * Two `expSafe` series at once (results in `expA`, `expB`): the series is a serial chain of multiply, divide and
 * add, so one alone leaves the CPU waiting on latencies; two independent chains in one loop overlap. Each lane
 * follows `expSafe` step for step, including its early stop and its error results.
 */
export let expA: i64 = 0;
export let expB: i64 = 0;

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
  expA = finish(sa, negA, errA, ra);
  expB = finish(sb, negB, errB, rb);
}

// @ts-ignore: decorator
@inline function finish(s: i64, neg: bool, err: bool, r: i64): i64 {
  if (s == 0) return ONE;
  if (s == ONE) return E_RAW;
  if (err) return neg ? 0 : MAX;
  if (!neg) return r;
  const q = divChecked(ONE, r);
  return overflow ? 0 : q;
}

/** The `exp_safe` argument of `alpha_sigmoid`: `(steepness ÷ −100) ⊗ (d ⊖ ½)`, with `factor` = steepness ÷ −100. */
// @ts-ignore: decorator
@inline export function sigmoidArg(c: i64, w: i64, b: i64, factor: i64): i64 {
  const d = w >= b ? clampValue(satSub(w, c), 0, ONE) : clampValue(satSub(b, w), 0, ONE);
  return mulSat(factor, satSub(d, HALF));
}

/** The rest of `alpha_sigmoid` from `e` = exp_safe(argument). */
// @ts-ignore: decorator
@inline export function alphaFromExp(e: i64, lo: i64, hi: i64): i64 {
  const sigmoid = satDiv(ONE, satAdd(ONE, e));
  return clampValue(satAdd(lo, mulSat(sigmoid, satSub(hi, lo))), lo, hi);
}

export function steepnessFactor(steepness: i64): i64 {
  return satDiv(steepness, MINUS_100);
}

/** `alpha_sigmoid(consensus, weight, bond, low, high, steepness)`, all I32F32 raw. */
export function alphaSigmoid(c: i64, w: i64, b: i64, lo: i64, hi: i64, steepness: i64): i64 {
  return alphaFromExp(expSafe(sigmoidArg(c, w, b, steepnessFactor(steepness))), lo, hi);
}

export { expSafe };
