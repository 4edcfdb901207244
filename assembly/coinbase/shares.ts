// `get_shares` (HEAD: EMA price × (1 − MinerBurned), normalised; launch: EMA price alone) and the
// `SubnetEmissionEnabled` renormalisation, as U64F64 shares per emitting subnet; and `get_network_root_sell_flag`
// (Σ moving prices > 1). Shares given by the caller (the spot-price rules) are kept as they are.
import { wideHi } from '../fixed/wide';
import { uMulSat, uSatAdd, uSatSub, udivChecked } from '../fixed/unsigned-fixed';
import {
  CBH_FLAGS, CBH_ROOT_SELL, CB_ERA_LAUNCH, CB_SHARES_GIVEN, CBS_FLAGS, CBS_MOVING, CBS_BURNED, CBS_SHARE, CBS_TAO_EMISSION,
  CB_PRICE_ONE, CB_EMISSION_ENABLED,
} from '../abi';
import { count, get, put, put2, record } from './table';
import { i96ToU64F64 } from './prices';

/** `get_moving_alpha_price` (U64F64; lo, hi in `wideHi`): 1 for stable subnets. */
// @ts-ignore: decorator
@inline export function movingAlphaPrice(r: usize): u64 {
  if ((<i64>get(r, CBS_FLAGS) & CB_PRICE_ONE) != 0) { wideHi = 1; return 0; }
  return i96ToU64F64(get(r, CBS_MOVING), get(r, CBS_MOVING + 1));
}

export function coinbaseShares(table: usize): void {
  const n = count(table);
  const flags = <i64>get(table, CBH_FLAGS);
  // the prices, kept in the TAO-emission slots until the terms overwrite them; their sum, clamped, and whether it
  // passed 2^128 (the root sell flag compares the exact sum)
  let tLo: u64 = 0, tHi: u64 = 0, carries: u64 = 0;
  for (let i = 0; i < n; i++) {
    const r = record(table, i);
    const pLo = movingAlphaPrice(r); const pHi = wideHi;
    put2(r, CBS_TAO_EMISSION, pLo, pHi);
    const lo = tLo + pLo;
    const c = <u64>(lo < tLo);
    const hi = tHi + pHi + c;
    if (hi < tHi || (hi == tHi && (pHi | c) != 0)) carries++;
    tLo = lo; tHi = hi;
  }
  put(table, CBH_ROOT_SELL, carries != 0 || tHi > 1 || (tHi == 1 && tLo != 0) ? 1 : 0);
  if (carries != 0) { tLo = u64.MAX_VALUE; tHi = u64.MAX_VALUE; }
  if ((flags & CB_SHARES_GIVEN) != 0) return;

  // price_i = p_i / Σp, then (HEAD) weighted by 1 − MinerBurned (at most 1)
  let wLo: u64 = 0, wHi: u64 = 0;
  const launch = (flags & CB_ERA_LAUNCH) != 0;
  for (let i = 0; i < n; i++) {
    const r = record(table, i);
    let sLo = udivChecked(get(r, CBS_TAO_EMISSION), get(r, CBS_TAO_EMISSION + 1), tLo, tHi, 64); let sHi = wideHi;
    put2(r, CBS_TAO_EMISSION, sLo, sHi);
    if (!launch) {
      const bLo = get(r, CBS_BURNED), bHi = get(r, CBS_BURNED + 1);
      // U96F32 → U64F64 is ·2^32; at or above 1 the factor 1 − burned is 0
      let fLo: u64 = 0, fHi: u64 = 0;
      if (bHi == 0 && bLo <= (<u64>1 << 32)) { fLo = uSatSub(0, 1, bLo << 32, bLo >> 32); fHi = wideHi; }
      sLo = uMulSat(sLo, sHi, fLo, fHi, 64); sHi = wideHi;
      const lo = uSatAdd(wLo, wHi, sLo, sHi);
      wHi = wideHi; wLo = lo;
    }
    put2(r, CBS_SHARE, sLo, sHi);
  }
  if (launch) return;
  const anyWeight = (wLo | wHi) != 0;
  let allEnabled = true;
  for (let i = 0; i < n; i++) {
    const r = record(table, i);
    if (anyWeight) {
      const lo = udivChecked(get(r, CBS_SHARE), get(r, CBS_SHARE + 1), wLo, wHi, 64);
      put2(r, CBS_SHARE, lo, wideHi);
    } else {
      put2(r, CBS_SHARE, get(r, CBS_TAO_EMISSION), get(r, CBS_TAO_EMISSION + 1));
    }
    if ((<i64>get(r, CBS_FLAGS) & CB_EMISSION_ENABLED) == 0) allEnabled = false;
  }
  if (allEnabled) return;
  let eLo: u64 = 0, eHi: u64 = 0;
  for (let i = 0; i < n; i++) {
    const r = record(table, i);
    if ((<i64>get(r, CBS_FLAGS) & CB_EMISSION_ENABLED) == 0) continue;
    const lo = uSatAdd(eLo, eHi, get(r, CBS_SHARE), get(r, CBS_SHARE + 1));
    eHi = wideHi; eLo = lo;
  }
  for (let i = 0; i < n; i++) {
    const r = record(table, i);
    if ((<i64>get(r, CBS_FLAGS) & CB_EMISSION_ENABLED) != 0 && (eLo | eHi) != 0) {
      const lo = udivChecked(get(r, CBS_SHARE), get(r, CBS_SHARE + 1), eLo, eHi, 64);
      put2(r, CBS_SHARE, lo, wideHi);
    } else put2(r, CBS_SHARE, 0, 0);
  }
}
