// `update_weights_for_added_liquidity` of the swap pallet: the quote weight that keeps the spot price when
// (Δtao, Δalpha) is added, from two Perquintill-rounded products of up to 189 bits.
import { wideHi, umul128 } from '../fixed/wide';
import { divNone, uSatAdd, udiv192by128, udiv192ByPerquintill, uLess } from '../fixed/unsigned-fixed';
import { PERQUINTILL } from './prices';

const HALF: u64 = PERQUINTILL / 2;
const MIN_WEIGHT: u64 = PERQUINTILL / 100;
/** Returned when the new weight would leave [0.01, 0.99] (the chain then injects nothing). */
export const REWEIGHT_REFUSED: u64 = u64.MAX_VALUE;

/**
 * ⌊(parts·r·(s + ds) + 5·10^17) / 10^18⌋ capped at 2^128 − 1 (`Perquintill::mul` rounding half up on a u128
 * product): r, s, ds u64, so r·(s + ds) < 2^129 and the product with parts ≤ 10^18 < 2^189.
 */
function mulPerquintillRound(parts: u64, r: u64, s: u64, ds: u64): u64 {
  const sLo = s + ds;
  const carry = sLo < s;
  // x = r·(s + ds) = x2:x1:x0
  const x0 = umul128(r, sLo);
  let x1 = wideHi;
  let x2: u64 = 0;
  if (carry) { x1 += r; x2 = <u64>(x1 < r); }
  // y = parts·x + HALF = y2:y1:y0 (< 2^190)
  const m0 = umul128(parts, x0); const m0h = wideHi;
  const m1 = umul128(parts, x1); const m1h = wideHi;
  let y0 = m0;
  let y1 = m0h + m1;
  let y2 = m1h + parts * x2 + <u64>(y1 < m1);
  y0 += HALF;
  if (y0 < HALF) { y1 += 1; if (y1 == 0) y2 += 1; }
  const lo = udiv192ByPerquintill(y0, y1, y2);
  if (divNone) { wideHi = u64.MAX_VALUE; return u64.MAX_VALUE; }
  return lo;
}

/** The new quote weight (Perquintill parts), or REWEIGHT_REFUSED. */
export function weightsForAddedLiquidity(quoteParts: u64, tao: u64, alpha: u64, dTao: u64, dAlpha: u64): u64 {
  const q1Lo = mulPerquintillRound(PERQUINTILL - quoteParts, tao, alpha, dAlpha); const q1Hi = wideHi;
  const q2Lo = mulPerquintillRound(quoteParts, alpha, tao, dTao); const q2Hi = wideHi;
  const sLo = uSatAdd(q1Lo, q1Hi, q2Lo, q2Hi); const sHi = wideHi;
  let w: u64;
  if ((sLo | sHi) == 0) w = HALF;
  else if (!uLess(q2Lo, q2Hi, sLo, sHi)) w = PERQUINTILL;
  else {
    // q2·10^18 / qSum with q2 < qSum: the quotient is below 10^18
    const p0 = umul128(PERQUINTILL, q2Lo); const p0h = wideHi;
    const p1 = umul128(PERQUINTILL, q2Hi); const p1h = wideHi;
    const n1 = p0h + p1;
    const n2 = p1h + <u64>(n1 < p1);
    w = udiv192by128(p0, n1, n2, sLo, sHi);
  }
  return w >= MIN_WEIGHT && PERQUINTILL - w >= MIN_WEIGHT ? w : REWEIGHT_REFUSED;
}
