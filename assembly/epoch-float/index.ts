// Float-mode Yuma epoch: the chain's algorithm, order, masks and path differences, in f64.
// Entry points for assembly/index.ts: `runEpochFloat(job, scratch)` and `floatScratchBytes(n)`.
// Stages work on a (working rows × n) matrix: after masking only permitted validators carry weights, and
// only they (or rows still holding bonds) can have a non-zero bond EMA.
import {
  J_OUT_ACTIVE, J_OUT_BOND_ROWS, J_OUT_BONDS, J_OUT_BONDS_PRESENT, J_OUT_CONSENSUS, J_OUT_CONSENSUS_F, J_OUT_DIVIDENDS, J_OUT_DIVIDENDS_F,
  J_OUT_INCENTIVE, J_OUT_INCENTIVE_F, J_OUT_PERMIT, J_OUT_RANK_F, J_OUT_SERVER, J_OUT_STAKE_WEIGHT, J_OUT_TRUST_F,
  J_OUT_VALIDATOR, J_OUT_VTRUST, J_OUT_VTRUST_F, ptr,
} from '../abi';
import { clipBondsAndDividends } from './bonds';
import { emissionShares, emissions } from './emission';
import * as J from '../job';
import { CONS, DIV, INC, PRERANK, RANK, STAKE, VT, ZERO_ROW, f64At, layout, scratchBytes, setF64 } from './layout';
import { consensus } from './median';
import { prepareWeightMasks, weightRows, workingRows } from './weights';
import { activeMask, activeStake, newPermits, normalizeStake, permitMasks, recentMask } from './stake';
import { vecToU16 } from './u16';
import { writeBonds } from './writeback';

export function floatScratchBytes(n: i32): usize {
  return scratchBytes(n);
}

export function runEpochFloat(job: usize, scratch: usize): void {
  J.readJob(job);
  const n = J.n;
  if (n <= 0) return;
  layout(scratch, n);
  const bytes = <usize>n << 3;
  memory.fill(ZERO_ROW, 0, bytes);

  const active = ptr(job, J_OUT_ACTIVE);
  const permit = ptr(job, J_OUT_PERMIT);
  activeMask(active);
  recentMask();
  permitMasks();
  normalizeStake();
  newPermits(permit);
  activeStake(active);

  prepareWeightMasks();
  const rows = workingRows();
  weightRows(rows);
  consensus();
  clipBondsAndDividends(rows);

  emissionShares();
  emissions(ptr(job, J_OUT_SERVER), ptr(job, J_OUT_VALIDATOR));

  vecToU16(STAKE, ptr(job, J_OUT_STAKE_WEIGHT), n);
  vecToU16(CONS, ptr(job, J_OUT_CONSENSUS), n);
  vecToU16(INC, ptr(job, J_OUT_INCENTIVE), n);
  vecToU16(DIV, ptr(job, J_OUT_DIVIDENDS), n);
  vecToU16(VT, ptr(job, J_OUT_VTRUST), n);
  memory.copy(ptr(job, J_OUT_CONSENSUS_F), CONS, bytes);
  memory.copy(ptr(job, J_OUT_INCENTIVE_F), INC, bytes);
  memory.copy(ptr(job, J_OUT_DIVIDENDS_F), DIV, bytes);
  memory.copy(ptr(job, J_OUT_RANK_F), RANK, bytes);
  memory.copy(ptr(job, J_OUT_VTRUST_F), VT, bytes);
  const trust = ptr(job, J_OUT_TRUST_F);
  for (let j = 0; j < n; j++) {
    // the quotient always, 0 picked by an integer select where prerank is 0 (not a branch: such columns are spread)
    const pr = f64At(PRERANK, j);
    const q = f64At(RANK, j) / pr;
    setF64(trust, j, reinterpret<f64>(select<i64>(reinterpret<i64>(q), 0, pr > 0)));
  }

  writeBonds(permit, ptr(job, J_OUT_BONDS), ptr(job, J_OUT_BONDS_PRESENT), ptr(job, J_OUT_BOND_ROWS));
}
