// `emit_to_subnets` step 3 for every emitting subnet: alpha out minted, the owner cut, root alpha (root proportion
// of the alpha issuance after injection, half of the rest) pending when root sells or recycled, and the
// server / validator halves into their pending pots — each pot floored on its own.
import { wideHi } from '../fixed/wide';
import { uMulSat, uSatSub, u96ToU64 } from '../fixed/unsigned-fixed';
import {
  CBH_ROOT_TW, CBH_OWNER_CUT, CBH_ROOT_SELL, CB_OWNER_CUT_ENABLED, CBS_FLAGS, CBS_ALPHA_IN, CBS_ALPHA_OUT,
  CBS_ALPHA_EMISSION, CBS_POT_SERVER, CBS_POT_VALIDATOR, CBS_POT_ROOT, CBS_POT_OWNER, CBS_OWNER_CUT, CBS_ROOT_ALPHA,
  CBS_CREATED, CBS_ROOT64, CBS_UNASSIGNED, CBS_ROOT_PROP, CBS_ROOT_PROP_ISSUANCE, CBH_ROOT_PROP_TW, CBH_ROOT_PROP_VALID,
} from '../abi';
import { count, get, put, put2, record, u64SatAdd, u64SatSub } from './table';
import { rootProportion } from './prices';

const HALF_U96: u64 = <u64>1 << 31;

export function coinbaseAlphaOut(table: usize): void {
  const n = count(table);
  const twLo = get(table, CBH_ROOT_TW), twHi = get(table, CBH_ROOT_TW + 1);
  // SubnetOwnerCut / 65535 in U96F32: ⌊cut·2^32 / 65535⌋
  const cutPercent = (get(table, CBH_OWNER_CUT) << 32) / 65535;
  const rootSell = get(table, CBH_ROOT_SELL) != 0;
  // the proportions below are RootProp's too while tw·rootTao and the issuance stay (moving-price.ts)
  put2(table, CBH_ROOT_PROP_TW, twLo, twHi);
  put(table, CBH_ROOT_PROP_VALID, 1);
  for (let i = 0; i < n; i++) {
    const r = record(table, i);
    const created = get(r, CBS_ALPHA_EMISSION);
    let aLo = created << 32, aHi = created >> 32;
    let alphaOutReserve = u64SatAdd(get(r, CBS_ALPHA_OUT), created);
    put(r, CBS_CREATED, created);
    let assigned: u64 = 0;
    if ((<i64>get(r, CBS_FLAGS) & CB_OWNER_CUT_ENABLED) != 0) {
      const cLo = uMulSat(aLo, aHi, cutPercent, 0, 32); const cHi = wideHi;
      put2(r, CBS_OWNER_CUT, cLo, cHi);
      aLo = uSatSub(aLo, aHi, cLo, cHi); aHi = wideHi;
      const cut = u96ToU64(cLo, cHi);
      put(r, CBS_POT_OWNER, u64SatAdd(get(r, CBS_POT_OWNER), cut));
      assigned += cut;
    } else put2(r, CBS_OWNER_CUT, 0, 0);
    const issuance = u64SatAdd(get(r, CBS_ALPHA_IN), alphaOutReserve);
    const rpLo = rootProportion(twLo, twHi, issuance); const rpHi = wideHi;
    put2(r, CBS_ROOT_PROP, rpLo, rpHi);
    put(r, CBS_ROOT_PROP_ISSUANCE, issuance);
    const xLo = uMulSat(rpLo, rpHi, aLo, aHi, 32); const xHi = wideHi;
    const rootLo = uMulSat(xLo, xHi, HALF_U96, 0, 32); const rootHi = wideHi;
    const sLo = uMulSat(aLo, aHi, HALF_U96, 0, 32); const sHi = wideHi;
    const vLo0 = uSatSub(aLo, aHi, sLo, sHi); const vHi0 = wideHi;
    const vLo = uSatSub(vLo0, vHi0, rootLo, rootHi); const vHi = wideHi;
    const server = u96ToU64(sLo, sHi);
    const validator = u96ToU64(vLo, vHi);
    const root = u96ToU64(rootLo, rootHi);
    put2(r, CBS_ROOT_ALPHA, rootLo, rootHi);
    put(r, CBS_POT_SERVER, u64SatAdd(get(r, CBS_POT_SERVER), server));
    put(r, CBS_POT_VALIDATOR, u64SatAdd(get(r, CBS_POT_VALIDATOR), validator));
    // not selling: the root alpha leaves SubnetAlphaOut (the caller adds it to the recycled total)
    if (rootSell) put(r, CBS_POT_ROOT, u64SatAdd(get(r, CBS_POT_ROOT), root));
    else alphaOutReserve = u64SatSub(alphaOutReserve, root);
    put(r, CBS_ALPHA_OUT, alphaOutReserve);
    put(r, CBS_ROOT64, root);
    put(r, CBS_UNASSIGNED, created - assigned - server - validator - root);
  }
}
