// The chain's 128-bit fixed-point steps (I64F64, I96F32, U96F32) that feed or leave the I32F32 epoch.
// 128-bit raws travel as (lo, hi) words; 128-bit results come back as lo with hi in `wideHi` (see wide.ts).

import {
  wideHi, wideOverflow, umul128, umul128x128, prodW1, prodW2, prodW3, neg128, add128, udiv128by64, sdivFixed128,
} from './wide';
import { ONE, MAX as I64_MAX, satSub } from './i32f32';

const SIGN: u64 = 0x8000000000000000;

/** Set by `mulSatI64F64` (saturated). */
export let wideFixedErr: bool = false;

/**
 * I64F64::saturating_from_num(u64): x·2^64, but values ≥ 2^63 saturate to I64F64::MAX (2^127 − 1).
 * Returns lo; hi in `wideHi`.
 */
// @ts-ignore: decorator
@inline export function u64ToI64F64(x: u64): u64 {
  if (x >= SIGN) { wideHi = SIGN - 1; return u64.MAX_VALUE; }
  wideHi = x;
  return 0;
}

/** I64F64 → I32F32 (`saturating_from_num`): drop 32 fraction bits with floor, clamp to i64. */
// @ts-ignore: decorator
@inline export function i64f64ToI32F32(lo: u64, hi: u64): i64 {
  const rHi = <i64>hi >> 32;
  const rLo = <i64>((lo >> 32) | (hi << 32));
  if (rHi != (rLo >> 63)) return <i64>hi < 0 ? i64.MIN_VALUE : i64.MAX_VALUE;
  return rLo;
}

/**
 * I64F64 `saturating_mul` (floor(a·b / 2^64), MIN when the signs differ else MAX on overflow).
 * Returns lo; hi in `wideHi`; `wideFixedErr` tells whether it saturated.
 */
export function mulSatI64F64(aLo: u64, aHi: u64, bLo: u64, bHi: u64): u64 {
  const aNeg = <i64>aHi < 0, bNeg = <i64>bHi < 0;
  let a0 = aLo, a1 = aHi, b0 = bLo, b1 = bHi;
  if (aNeg) { a0 = neg128(aLo, aHi); a1 = wideHi; }
  if (bNeg) { b0 = neg128(bLo, bHi); b1 = wideHi; }
  // |a|·|b| as four 64-bit words w3:w2:w1:w0 (magnitudes ≤ 2^127, product < 2^254)
  const w0 = umul128x128(a0, a1, b0, b1);
  const w1 = prodW1, w2 = prodW2, w3 = prodW3;
  // magnitude of the product shifted right by 64 is w3:w2:w1; floor for a negative result rounds the magnitude up
  let mLo = w1, mHi = w2;
  let big = w3 != 0;
  const neg = aNeg != bNeg && (a0 | a1) != 0 && (b0 | b1) != 0;
  if (neg && w0 != 0) {
    mLo = add128(mLo, mHi, 1, 0); mHi = wideHi;
    if (mLo == 0 && mHi == 0) big = true;
  }
  if (neg) {
    if (big || mHi > SIGN || (mHi == SIGN && mLo != 0)) { wideFixedErr = true; wideHi = SIGN; return 0; }
    wideFixedErr = false;
    return neg128(mLo, mHi);
  }
  if (big || mHi >= SIGN) {
    wideFixedErr = true;
    if (aNeg != bNeg) { wideHi = SIGN; return 0; }
    wideHi = SIGN - 1; return u64.MAX_VALUE;
  }
  wideFixedErr = false;
  wideHi = mHi;
  return mLo;
}

/** `get_tao_weight()`: U96F32(tw) safe_div U96F32(u64::MAX) = trunc(tw·2^32 / (2^64 − 1)); raw U96F32 (≤ 2^32). */
// @ts-ignore: decorator
@inline export function taoWeightU96F32(taoWeight: u64): u64 {
  return udiv128by64(taoWeight << 32, taoWeight >> 32, u64.MAX_VALUE);
}

/**
 * Stake weight of one hotkey (`get_stake_weights_for_network`): I64F64(alpha) ⊕ (I64F64(tao) ⊗₆₄ I64F64(tw)),
 * tw = raw U96F32 from `taoWeightU96F32`. Returns lo; hi in `wideHi`.
 */
export function stakeWeightI64F64(alpha: u64, tao: u64, taoWeightU96: u64): u64 {
  const tLo = u64ToI64F64(tao); const tHi = wideHi;
  // U96F32 → I64F64 is an exact shift by 32 (tw ≤ 2^32 so it fits)
  const pLo = mulSatI64F64(tLo, tHi, taoWeightU96 << 32, taoWeightU96 >> 32); const pHi = wideHi;
  const aLo = u64ToI64F64(alpha); const aHi = wideHi;
  // saturating add of two non-negative I64F64 values
  const sLo = add128(aLo, aHi, pLo, pHi); const sHi = wideHi;
  if (<i64>sHi < 0) { wideHi = SIGN - 1; return u64.MAX_VALUE; }
  wideHi = sHi;
  return sLo;
}

/**
 * One entry of `inplace_normalize_64` + `vec_fixed64_to_fixed32`: I32F32(filtered safe_div sum), both I64F64 raws.
 * sum == 0 → I32F32(filtered) (the chain leaves the vector unnormalised); division overflow → 0 (safe_div).
 * For 0 ≤ filtered ≤ sum this is exactly floor(filtered·2^32 / sum); for integer stakes (filtered = stake·2^64,
 * sum = Σstake·2^64) it is floor(stake·2^32 / Σstake).
 */
export function stakeProportion(fLo: u64, fHi: u64, sLo: u64, sHi: u64): i64 {
  if ((sLo | sHi) == 0) return i64f64ToI32F32(fLo, fHi);
  const qLo = sdivFixed128(fLo, fHi, sLo, sHi, 64);
  const qHi = wideHi;
  if (wideOverflow) return 0;
  return i64f64ToI32F32(qLo, qHi);
}

/** `stakeProportion` for plain u64 stakes: filtered = I64F64(stake), sum = I64F64(total) (both saturating). */
export function stakeProportionU64(stake: u64, total: u64): i64 {
  const fLo = u64ToI64F64(stake); const fHi = wideHi;
  const sLo = u64ToI64F64(total); const sHi = wideHi;
  return stakeProportion(fLo, fHi, sLo, sHi);
}

/**
 * Emission in rao: I96F32(share) ⊗ I96F32(rao) then `saturating_to_num::<u64>()`
 * = clamp(floor(share·rao / 2^32), 0, u64::MAX). The I96F32 product itself can never overflow.
 */
export function emissionShare(shareRaw: i64, rao: u64): u64 {
  if (shareRaw <= 0 || rao == 0) return 0;
  const lo = umul128(<u64>shareRaw, rao);
  const hi = wideHi;
  if (hi >> 32 != 0) return u64.MAX_VALUE;
  return (hi << 32) | (lo >> 32);
}

/**
 * Bond EMA factor α = ONE ⊖ I32F32(I64F64(bma) safe_div I64F64(1_000_000)) (compute_ema_bonds_normal[_sparse]).
 * I64F64 ÷ I64F64 then the I32F32 floor equals floor(bma·2^32 / 10^6), clamped to i64::MAX (bma ≥ 2^31·10^6).
 */
export function alphaFromBondsMovingAverage(bma: u64): i64 {
  // bma ≥ 2^63 saturates I64F64 first; (2^127 − 1)/10^6 >> 32 is far above i64::MAX, so both clamp
  if (bma >= <u64>2147483648 * 1000000) return satSub(ONE, I64_MAX);
  const ratio = udiv128by64(bma << 32, bma >> 32, 1000000);
  return satSub(ONE, <i64>ratio);
}
