// The excess-TAO buy of `inject_and_maybe_swap` on a dynamic subnet at HEAD: `swap_tao_for_alpha` with fees dropped
// and no price limit but the pallet's maximum (10^6 TAO per alpha), `do_swap` → `BasicSwapStep` on the Balancer
// pool. Only the swap that succeeds on the first step is done here: any pallet error (input past 1000× the reserve,
// reserves below the minimum, a price at or past the limit, nothing bought), a step that would cross the limit, an
// uncertain power (pow-ratio.ts) or a weight outside (0, 1) is declined, and the block model runs the pallet's rule
// in BigInt instead (src/chain/swap.ts → src/dtao/balancer.ts's doSwap, which is also this kernel's oracle).
import { wideHi, umul128 } from '../fixed/wide';
import { udiv192ByPerquintill } from '../fixed/unsigned-fixed';
import { POW_DECLINED, powRatioPerquintill } from '../fixed/pow-ratio';
import { PERQUINTILL, balancerPrice } from './prices';

const HALF: u64 = PERQUINTILL / 2;
// the limit price U64F64(10^15 rao / 10^9) = 10^6 exactly: raw (lo 0, hi 10^6)
const LIMIT_HI: u64 = 1_000_000;
// below this f64 estimate of a price the floored U64F64 one is below the limit (f64 ratios are within 2^-50)
const NEAR_LIMIT: f64 = 900_000;

/** Alpha bought by the last successful `buyAlphaWithExcess`. */
export let boughtAlpha: u64 = 0;
/** The pool's quote weight after it (the lazy 0.5 initialisation of an uninitialised pool). */
export let boughtWeight: u64 = 0;

/**
 * Buys alpha with `amount` TAO (> 0) from the pool (tao, alpha, weight, initialised): true when done here (alpha out
 * in `boughtAlpha`, all of `amount` paid into the TAO reserve, the weight in `boughtWeight`), false when declined.
 */
export function buyAlphaWithExcess(tao: u64, alpha: u64, weight: u64, initialised: bool, amount: u64, minReserve: u64): bool {
  // SwapInputTooLarge: amount > u64_sat(tao · 1000)
  const capLo = umul128(tao, 1000);
  if (wideHi == 0 && amount > capLo) return false;
  if (alpha < minReserve) return false; // ReservesTooLow
  const w = initialised ? weight : HALF;
  if (w == 0 || w >= PERQUINTILL) return false;

  // PriceLimitExceeded unless current < limit (the U64F64 price is floored from (w1/w2)·(tao/alpha): an estimate a
  // tenth below the limit settles it without the two 128-bit divisions)
  const ratio = <f64>(PERQUINTILL - w) / <f64>w;
  if (ratio * (<f64>tao / <f64>alpha) >= NEAR_LIMIT) {
    balancerPrice(w, alpha, tao);
    if (wideHi >= LIMIT_HI) return false;
  }

  // alpha out = ⌊alpha · (1 − e)⌋, e = U64F64(⌊(tao / (tao + amount))^(w / (1 − w)) · 10^18⌋ / 10^18), at most 1
  let den = tao + amount;
  if (den < tao) den = u64.MAX_VALUE;
  const r = powRatioPerquintill(tao, den, w, PERQUINTILL - w);
  if (r == POW_DECLINED) return false;
  const eLo = udiv192ByPerquintill(0, r, 0); // U64F64(r) / U64F64(10^18) = ⌊r·2^64 / 10^18⌋
  const eHi = wideHi;
  let out: u64;
  if (eHi != 0) out = 0; // e ≥ 1 (r ≤ 10^18: exactly 1)
  else if (eLo == 0) out = alpha;
  else { umul128(alpha, 0 - eLo); out = wideHi; }
  if (out == 0) return false; // ReservesTooLow

  // the step's target price must stay at or below the limit, else the pallet solves for the limit (declined)
  let taoAfter = tao + amount;
  if (taoAfter < tao) taoAfter = u64.MAX_VALUE;
  if (ratio * (<f64>taoAfter / <f64>(alpha - out)) >= NEAR_LIMIT) {
    const tLo = balancerPrice(w, alpha - out, taoAfter);
    if (wideHi > LIMIT_HI || (wideHi == LIMIT_HI && tLo != 0)) return false;
  }

  boughtAlpha = out;
  boughtWeight = w;
  return true;
}
