// Emission split and the per-UID outputs (u16 storage forms, rao emissions, f64 views = raw / 2^32).
import {
  J_OUT_ACTIVE, J_OUT_CONSENSUS, J_OUT_CONSENSUS_F, J_OUT_DIVIDENDS, J_OUT_DIVIDENDS_F, J_OUT_INCENTIVE,
  J_OUT_INCENTIVE_F, J_OUT_PERMIT, J_OUT_RANK_F, J_OUT_SERVER, J_OUT_STAKE_WEIGHT, J_OUT_TRUST_F, J_OUT_VALIDATOR,
  J_OUT_VTRUST, J_OUT_VTRUST_F, ptr,
} from '../abi';
import { fixedProportionToU16, safeDiv, satAdd, toF64 } from '../fixed/i32f32';
import { emissionShare } from '../fixed/wide-fixed';
import { divU } from '../fixed/proportion';
import * as J from '../job';
import { ACT, CONS, DIV, INC, INACTIVE, NEW_PERMIT, PRERANK, RANK, STAKE, VTRUST, ld, ldU8 } from './layout';

export function emissionAndOutputs(job: usize): void {
  const n = J.n;
  let total: i64 = 0;
  let activeTotal: i64 = 0;
  for (let i = 0; i < n; i++) {
    total += satAdd(ld(INC, i), ld(DIV, i)); // the chain's plain `sum()`; each term ≤ 2·ONE
    activeTotal += ld(ACT, i);
  }
  const fallback = activeTotal == 0 ? STAKE : ACT;
  const server = ptr(job, J_OUT_SERVER);
  const validator = ptr(job, J_OUT_VALIDATOR);
  for (let i = 0; i < n; i++) {
    const inc = ld(INC, i);
    const div = ld(DIV, i);
    const se = total == 0 ? inc : divU(inc, total);
    const ve = total == 0 ? ld(fallback, i) : divU(div, total);
    store<u64>(server + (<usize>i << 3), emissionShare(se, J.rao));
    store<u64>(validator + (<usize>i << 3), emissionShare(ve, J.rao));
  }

  u16Out(ptr(job, J_OUT_STAKE_WEIGHT), STAKE, n);
  u16Out(ptr(job, J_OUT_CONSENSUS), CONS, n);
  u16Out(ptr(job, J_OUT_INCENTIVE), INC, n);
  u16Out(ptr(job, J_OUT_DIVIDENDS), DIV, n);
  u16Out(ptr(job, J_OUT_VTRUST), VTRUST, n);
  f64Out(ptr(job, J_OUT_CONSENSUS_F), CONS, n);
  f64Out(ptr(job, J_OUT_INCENTIVE_F), INC, n);
  f64Out(ptr(job, J_OUT_DIVIDENDS_F), DIV, n);
  f64Out(ptr(job, J_OUT_RANK_F), RANK, n);
  f64Out(ptr(job, J_OUT_VTRUST_F), VTRUST, n);
  const trust = ptr(job, J_OUT_TRUST_F);
  for (let i = 0; i < n; i++) store<f64>(trust + (<usize>i << 3), toF64(safeDiv(ld(RANK, i), ld(PRERANK, i))));

  const active = ptr(job, J_OUT_ACTIVE);
  const permit = ptr(job, J_OUT_PERMIT);
  for (let i = 0; i < n; i++) {
    store<u8>(active + <usize>i, ldU8(INACTIVE, i) ? 0 : 1);
    store<u8>(permit + <usize>i, ldU8(NEW_PERMIT, i) ? 1 : 0);
  }
}

function u16Out(out: usize, src: usize, n: i32): void {
  for (let i = 0; i < n; i++) store<u16>(out + (<usize>i << 1), <u16>fixedProportionToU16(ld(src, i)));
}

function f64Out(out: usize, src: usize, n: i32): void {
  for (let i = 0; i < n; i++) store<f64>(out + (<usize>i << 3), toF64(ld(src, i)));
}
