// The prices the coinbase reads (U64F64 raws, lo returned, hi in `wideHi`): the Balancer pool's spot price
// (`current_alpha_price`), a stored I96F32 moving price as U64F64 (`get_moving_alpha_price`), and the root
// proportion tw·rootTao / (tw·rootTao + alpha issuance) in U96F32.
import { wideHi } from '../fixed/wide';
import { uMulSat, uRatio64, uSatAdd, udivChecked } from '../fixed/unsigned-fixed';

export const PERQUINTILL: u64 = 1_000_000_000_000_000_000;

/** Spot price (w1/w2)·(y/x) of a Balancer pool: 0 for an empty alpha reserve or a zero quote weight. */
export function balancerPrice(quoteParts: u64, alpha: u64, tao: u64): u64 {
  if (alpha == 0) { wideHi = 0; return 0; }
  let wLo: u64 = 0, wHi: u64 = 0;
  if (quoteParts != 0) { wLo = uRatio64(PERQUINTILL - quoteParts, quoteParts); wHi = wideHi; }
  const rLo = uRatio64(tao, alpha); const rHi = wideHi;
  return uMulSat(wLo, wHi, rLo, rHi, 64);
}

/** `current_alpha_price`: the pool's spot price on a dynamic subnet, exactly 1 otherwise. */
// @ts-ignore: decorator
@inline export function currentPrice(dynamic: bool, quoteParts: u64, alpha: u64, tao: u64): u64 {
  if (!dynamic) { wideHi = 1; return 0; }
  return balancerPrice(quoteParts, alpha, tao);
}

/** I96F32 raw → U64F64 (`saturating_from_num`): negative → 0, past 2^64 → U64F64::MAX. */
export function i96ToU64F64(lo: u64, hi: u64): u64 {
  if (<i64>hi < 0) { wideHi = 0; return 0; }
  if ((hi >> 32) != 0) { wideHi = u64.MAX_VALUE; return u64.MAX_VALUE; }
  wideHi = (hi << 32) | (lo >> 32);
  return lo << 32;
}

/** `root_proportion` from tw·rootTao (U96F32) and the subnet's alpha issuance (u64); 0 when the division fails. */
export function rootProportion(twLo: u64, twHi: u64, issuance: u64): u64 {
  const dLo = uSatAdd(twLo, twHi, issuance << 32, issuance >> 32); const dHi = wideHi;
  return udivChecked(twLo, twHi, dLo, dHi, 32);
}
