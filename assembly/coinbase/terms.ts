// `get_subnet_terms` for the emitting subnets: TAO emission = credit × share (U64F64, then U96F32); alpha in = TAO
// emission / price, capped (HEAD) at root proportion × alpha emission, then TAO in = alpha in × price (launch: alpha
// in capped at the alpha emission, all the TAO injected; seed: no cap); the excess TAO.
import { wideHi } from '../fixed/wide';
import { uLess, uMulSat, uSatSub, udivChecked } from '../fixed/unsigned-fixed';
import {
  CBH_FLAGS, CBH_CREDIT, CBH_ROOT_TW, CB_ERA_HEAD, CB_ERA_LAUNCH, CB_EMISSIONS_GIVEN, CB_DYNAMIC, CBS_ALPHA_OUT_TERM,
  CBS_FLAGS, CBS_TAO, CBS_ALPHA_IN, CBS_ALPHA_OUT, CBS_WEIGHT, CBS_ALPHA_EMISSION, CBS_SHARE,
  CBS_TAO_EMISSION, CBS_TAO_IN, CBS_ALPHA_IN_TERM, CBS_EXCESS,
} from '../abi';
import { count, get, put2, record, u64SatAdd } from './table';
import { currentPrice, rootProportion } from './prices';

export function coinbaseTerms(table: usize): void {
  const n = count(table);
  const flags = <i64>get(table, CBH_FLAGS);
  const head = (flags & CB_ERA_HEAD) != 0;
  const launch = (flags & CB_ERA_LAUNCH) != 0;
  const given = (flags & CB_EMISSIONS_GIVEN) != 0;
  // U64F64(credit) = credit·2^64: (lo 0, hi credit)
  const credit = get(table, CBH_CREDIT);
  const twLo = get(table, CBH_ROOT_TW), twHi = get(table, CBH_ROOT_TW + 1);
  for (let i = 0; i < n; i++) {
    const r = record(table, i);
    const tao = get(r, CBS_TAO);
    const alphaReserve = get(r, CBS_ALPHA_IN);
    const ae = get(r, CBS_ALPHA_EMISSION);
    let teLo: u64, teHi: u64;
    if (given) { teLo = get(r, CBS_TAO_EMISSION); teHi = get(r, CBS_TAO_EMISSION + 1); }
    else {
      const e64Lo = uMulSat(0, credit, get(r, CBS_SHARE), get(r, CBS_SHARE + 1), 64); const e64Hi = wideHi;
      teLo = (e64Lo >> 32) | (e64Hi << 32); teHi = e64Hi >> 32;
    }
    const p64Lo = currentPrice((<i64>get(r, CBS_FLAGS) & CB_DYNAMIC) != 0, get(r, CBS_WEIGHT), alphaReserve, tao); const p64Hi = wideHi;
    const pLo = (p64Lo >> 32) | (p64Hi << 32), pHi = p64Hi >> 32;
    let tiLo = teLo, tiHi = teHi;
    let aiLo = udivChecked(teLo, teHi, pLo, pHi, 32); let aiHi = wideHi;
    if (head) {
      const rpLo = rootProportion(twLo, twHi, u64SatAdd(alphaReserve, get(r, CBS_ALPHA_OUT))); const rpHi = wideHi;
      const capLo = uMulSat(rpLo, rpHi, ae << 32, ae >> 32, 32); const capHi = wideHi;
      if (uLess(capLo, capHi, aiLo, aiHi)) {
        aiLo = capLo; aiHi = capHi;
        tiLo = uMulSat(capLo, capHi, pLo, pHi, 32); tiHi = wideHi;
      }
    } else if (launch && uLess(ae << 32, ae >> 32, aiLo, aiHi)) {
      aiLo = ae << 32; aiHi = ae >> 32;
    }
    const exLo = uSatSub(teLo, teHi, tiLo, tiHi); const exHi = wideHi;
    put2(r, CBS_TAO_EMISSION, teLo, teHi);
    put2(r, CBS_TAO_IN, tiLo, tiHi);
    put2(r, CBS_ALPHA_IN_TERM, aiLo, aiHi);
    put2(r, CBS_EXCESS, exLo, exHi);
    put2(r, CBS_ALPHA_OUT_TERM, ae << 32, ae >> 32);
  }
}
