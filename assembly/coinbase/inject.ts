// `inject_and_maybe_swap` over the emitting subnets in emission order, from one TAO credit and each subnet's terms
// (CBS_TAO_IN, CBS_ALPHA_IN_TERM, CBS_EXCESS): the pool is re-weighted (HEAD) for (TAO in, alpha in) — a refused
// re-weight injects nothing —, the excess is taken from the credit for a buy (CBS_SPENT; the TAO leaves the credit
// even if the buy fails), alpha in is minted into the reserve and TAO in moved from the credit. The buy itself is
// done here when buy.ts can (CB_BOUGHT: alpha bought in CBS_BOUGHT, all of the TAO paid in, reserves, alpha out,
// flow and weight final); for any other subnet with a buy the caller swaps and redoes the reserve bookkeeping, the
// weight, the amounts and the credit being final here.
import { u96ToU64 } from '../fixed/unsigned-fixed';
import {
  CBH_FLAGS, CBH_CREDIT, CBH_INJECTED_TAO, CBH_MIN_RESERVE, CB_ERA_HEAD, CB_REFUSED, CB_DYNAMIC, CB_SWAP_INIT, CB_BOUGHT,
  CBS_FLAGS, CBS_TAO, CBS_ALPHA_IN, CBS_ALPHA_OUT, CBS_WEIGHT, CBS_FLOW, CBS_TAO_IN, CBS_ALPHA_IN_TERM, CBS_EXCESS,
  CBS_INJ_TAO, CBS_INJ_ALPHA, CBS_SPENT, CBS_BOUGHT,
} from '../abi';
import { count, get, put, put2, record, u64SatAdd } from './table';
import { REWEIGHT_REFUSED, weightsForAddedLiquidity } from './reweight';
import { boughtAlpha, boughtWeight, buyAlphaWithExcess } from './buy';

const I64_MAX: u64 = <u64>i64.MAX_VALUE;

/** SubnetProtocolFlow (i64) plus a u64, saturating. */
// @ts-ignore: decorator
@inline function flowAdd(flow: u64, v: u64): u64 {
  return v > I64_MAX - flow ? I64_MAX : flow + v;
}

export function coinbaseInject(table: usize): void {
  const n = count(table);
  const head = (<i64>get(table, CBH_FLAGS) & CB_ERA_HEAD) != 0;
  let credit = get(table, CBH_CREDIT);
  const minReserve = get(table, CBH_MIN_RESERVE);
  let injLo: u64 = 0, injHi: u64 = 0;
  for (let i = 0; i < n; i++) {
    const r = record(table, i);
    let sflags = <i64>get(r, CBS_FLAGS);
    let tao = get(r, CBS_TAO);
    let alphaReserve = get(r, CBS_ALPHA_IN);
    const taoIn = u96ToU64(get(r, CBS_TAO_IN), get(r, CBS_TAO_IN + 1));
    const alphaIn = u96ToU64(get(r, CBS_ALPHA_IN_TERM), get(r, CBS_ALPHA_IN_TERM + 1));
    const toSwap = u96ToU64(get(r, CBS_EXCESS), get(r, CBS_EXCESS + 1));
    let injTao = taoIn, injAlpha = alphaIn;
    if (head) {
      const w = weightsForAddedLiquidity(get(r, CBS_WEIGHT), tao, alphaReserve, taoIn, alphaIn);
      if (w == REWEIGHT_REFUSED) {
        injTao = 0; injAlpha = 0;
        sflags |= CB_REFUSED;
      } else put(r, CBS_WEIGHT, w);
    }
    let spent: u64 = 0;
    if (toSwap > 0 && credit >= toSwap) {
      credit -= toSwap;
      spent = toSwap;
      const init = (sflags & CB_SWAP_INIT) != 0;
      if (head && (sflags & CB_DYNAMIC) != 0 && buyAlphaWithExcess(tao, alphaReserve, get(r, CBS_WEIGHT), init, spent, minReserve)) {
        tao = u64SatAdd(tao, spent);
        alphaReserve -= boughtAlpha;
        put(r, CBS_TAO, tao);
        put(r, CBS_ALPHA_OUT, u64SatAdd(get(r, CBS_ALPHA_OUT), boughtAlpha));
        put(r, CBS_FLOW, flowAdd(get(r, CBS_FLOW), spent));
        put(r, CBS_WEIGHT, boughtWeight);
        put(r, CBS_BOUGHT, boughtAlpha);
        sflags |= CB_BOUGHT | CB_SWAP_INIT;
      }
    }
    put(r, CBS_FLAGS, <u64>sflags);
    put(r, CBS_SPENT, spent);
    put(r, CBS_INJ_ALPHA, injAlpha);
    put(r, CBS_ALPHA_IN, u64SatAdd(alphaReserve, injAlpha));
    let movedTao: u64 = 0;
    if (injTao != 0 && credit >= injTao) {
      credit -= injTao;
      movedTao = injTao;
      put(r, CBS_TAO, u64SatAdd(tao, injTao));
      put(r, CBS_FLOW, flowAdd(get(r, CBS_FLOW), injTao));
      const lo = injLo + injTao;
      injHi += <u64>(lo < injLo);
      injLo = lo;
    }
    put(r, CBS_INJ_TAO, movedTao);
  }
  put(table, CBH_CREDIT, credit);
  put2(table, CBH_INJECTED_TAO, injLo, injHi);
}
