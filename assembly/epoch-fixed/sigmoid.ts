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
    result = addChecked(result, term);
    if (overflow) return neg ? 0 : MAX;
  }
  if (neg) {
    result = divChecked(ONE, result);
    if (overflow) return 0;
  }
  return result;
}

/** `alpha_sigmoid(consensus, weight, bond, low, high, steepness)`, all I32F32 raw. */
export function alphaSigmoid(c: i64, w: i64, b: i64, lo: i64, hi: i64, steepness: i64): i64 {
  const d = w >= b ? clampValue(satSub(w, c), 0, ONE) : clampValue(satSub(b, w), 0, ONE);
  const e = expSafe(mulSat(satDiv(steepness, MINUS_100), satSub(d, HALF)));
  const sigmoid = satDiv(ONE, satAdd(ONE, e));
  return clampValue(satAdd(lo, mulSat(sigmoid, satSub(hi, lo))), lo, hi);
}
