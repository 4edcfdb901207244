// `update_moving_prices` and `update_root_prop` for every emitting subnet after the block's epochs:
// α = SubnetMovingAlpha·b/(b + halving) for b blocks since the first emission, the EMA toward min(spot, 1) stored
// as I96F32, and `RootProp` from the alpha issuance as it now is (the alpha-out pass's when nothing it read moved).
import { wideHi } from '../fixed/wide';
import { uMulSat, uSatAdd, uSatSub, udivChecked } from '../fixed/unsigned-fixed';
import {
  CBH_ROOT_TW, CBH_MOVING_ALPHA, CBH_BLOCK, CB_DYNAMIC, CBS_FLAGS, CBS_MOVING, CBS_TAO, CBS_ALPHA_IN, CBS_ALPHA_OUT,
  CBS_WEIGHT, CBS_FIRST_EMISSION, CBS_HALVING, CBS_ROOT_PROP, CBS_ROOT_PROP_ISSUANCE, CBH_ROOT_PROP_TW, CBH_ROOT_PROP_VALID,
} from '../abi';
import { count, get, put2, record, u64SatAdd, u64SatSub } from './table';
import { currentPrice, i96ToU64F64, rootProportion } from './prices';
import { movingAlphaPrice } from './shares';

export function coinbaseMovingPrices(table: usize): void {
  const n = count(table);
  const block = get(table, CBH_BLOCK);
  const twLo = get(table, CBH_ROOT_TW), twHi = get(table, CBH_ROOT_TW + 1);
  const maLo = i96ToU64F64(get(table, CBH_MOVING_ALPHA), get(table, CBH_MOVING_ALPHA + 1)); const maHi = wideHi;
  const sameTw = get(table, CBH_ROOT_PROP_TW) == twLo && get(table, CBH_ROOT_PROP_TW + 1) == twHi && get(table, CBH_ROOT_PROP_VALID) != 0;
  // α and 1 − α for the last (blocks, halving): subnets that started emitting together share them
  let lastBlocks: u64 = 0, lastHalving: u64 = 0, known = false;
  let aLo: u64 = 0, aHi: u64 = 0, oLo: u64 = 0, oHi: u64 = 0;
  for (let i = 0; i < n; i++) {
    const r = record(table, i);
    const blocks = u64SatSub(block, u64SatSub(get(r, CBS_FIRST_EMISSION), 1));
    const halving = get(r, CBS_HALVING);
    if (!known || blocks != lastBlocks || halving != lastHalving) {
      // U64F64(b) / (U64F64(b) + U64F64(halving)), the sum saturating
      const dLo = uSatAdd(0, blocks, 0, halving); const dHi = wideHi;
      const fLo = udivChecked(0, blocks, dLo, dHi, 64); const fHi = wideHi;
      aLo = uMulSat(maLo, maHi, fLo, fHi, 64); aHi = wideHi;
      oLo = uSatSub(0, 1, aLo, aHi); oHi = wideHi;
      lastBlocks = blocks; lastHalving = halving; known = true;
    }
    const tao = get(r, CBS_TAO), alphaIn = get(r, CBS_ALPHA_IN);
    let sLo = currentPrice((<i64>get(r, CBS_FLAGS) & CB_DYNAMIC) != 0, get(r, CBS_WEIGHT), alphaIn, tao); let sHi = wideHi;
    if (sHi >= 1 && !(sHi == 1 && sLo == 0)) { sLo = 0; sHi = 1; }
    const cLo = uMulSat(aLo, aHi, sLo, sHi, 64); const cHi = wideHi;
    const mLo0 = movingAlphaPrice(r); const mHi0 = wideHi;
    const mLo = uMulSat(oLo, oHi, mLo0, mHi0, 64); const mHi = wideHi;
    const tLo = uSatAdd(cLo, cHi, mLo, mHi); const tHi = wideHi;
    // U64F64 → I96F32: drop 32 fraction bits (below 2^96, always in range)
    put2(r, CBS_MOVING, (tLo >> 32) | (tHi << 32), tHi >> 32);
    // the alpha-out pass's proportion when the issuance and tw·rootTao it had are still the same
    const issuance = u64SatAdd(alphaIn, get(r, CBS_ALPHA_OUT));
    if (!(sameTw && get(r, CBS_ROOT_PROP_ISSUANCE) == issuance)) {
      const rpLo = rootProportion(twLo, twHi, issuance);
      put2(r, CBS_ROOT_PROP, rpLo, wideHi);
    }
  }
}
