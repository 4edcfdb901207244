// Activity, recent registrations, previous permits and the weight masks; which rows do work.
import { CURRENT_BLOCK, CUTOFF, IN_B, IN_COMMIT, IN_PERMIT, IN_WP, LAST_STEP, N, OWNER_PERMIT, OWNER_SELF, PERMIT_LEN, TEMPO, commitBlock, lastUpdate, registeredAt } from './job';
import { FORBID, PREV, RECENT, ROWS, ROW_OF, setI32 } from './layout';

/** `active_i = !(lastUpdate_i ⊕ cutoff < currentBlock)`, saturating u64 add. */
export function activeMask(out: usize): void {
  for (let i = 0; i < N; i++) {
    const lu = lastUpdate(i);
    let upTo = lu + CUTOFF;
    if (upTo < lu) upTo = U64.MAX_VALUE;
    store<u8>(out + <usize>i, upTo < CURRENT_BLOCK ? 0 : 1);
  }
}

/** Bond columns of miners registered since the last epoch: `lastTempo <= reg_j`. */
export function recentMask(): void {
  let lt: u64;
  if (LAST_STEP == 0) lt = CURRENT_BLOCK > TEMPO ? CURRENT_BLOCK - TEMPO : 0;
  else lt = LAST_STEP == U64.MAX_VALUE ? LAST_STEP : LAST_STEP + 1;
  for (let j = 0; j < N; j++) store<u8>(RECENT + <usize>j, lt <= registeredAt(j) ? 1 : 0);
}

/**
 * Previous permits (owner forced under owner-permit when the stored vector reaches it) and forbidden rows:
 * no entry in the permit vector, or no permit.
 */
export function permitMasks(): void {
  for (let i = 0; i < N; i++) {
    let prev: u8 = i < PERMIT_LEN ? load<u8>(IN_PERMIT + <usize>i) : 0;
    if (i == OWNER_PERMIT && i < PERMIT_LEN) prev = 1;
    store<u8>(PREV + <usize>i, prev);
    store<u8>(FORBID + <usize>i, prev != 0 ? 0 : 1);
  }
}

/** Whether a row holds any non-zero bond (SIMD scan, stops at the first). */
function rowHasBonds(i: i32): bool {
  const base = IN_B + (<usize>i * <usize>N << 1);
  const end = <usize>N << 1;
  let k: usize = 0;
  for (; k + 64 <= end; k += 64) {
    const x = v128.or(v128.or(v128.load(base + k), v128.load(base + k, 16)), v128.or(v128.load(base + k, 32), v128.load(base + k, 48)));
    if (v128.any_true(x)) return true;
  }
  for (; k + 16 <= end; k += 16) {
    if (v128.any_true(v128.load(base + k))) return true;
  }
  for (; k < end; k += 2) if (load<u16>(base + k) != 0) return true;
  return false;
}

/**
 * Working rows: permitted validators (the only rows with weights after masking) and any row holding bonds
 * (its EMA decays). Every other row has zero weights, zero bonds and so a zero EMA; stages skip it.
 */
export function workingRows(): i32 {
  let count = 0;
  for (let i = 0; i < N; i++) {
    if (load<u8>(FORBID + <usize>i) == 0 || rowHasBonds(i)) {
      setI32(ROWS, count, i);
      setI32(ROW_OF, i, count);
      count++;
    } else {
      setI32(ROW_OF, i, -1);
    }
  }
  return count;
}

let regMax: u64 = 0;

export function prepareWeightMasks(): void {
  regMax = 0;
  for (let j = 0; j < N; j++) if (registeredAt(j) > regMax) regMax = registeredAt(j);
}

/** Whether row i needs the per-entry outdated / commit tests at all (most rows are newer than every registration). */
// @ts-ignore: decorator
@inline export function rowNeedsColumnMask(i: i32): bool {
  return lastUpdate(i) <= regMax || (IN_COMMIT != 0 && commitBlock(i) < regMax);
}

/** Entry (i, j) survives the diagonal, outdated and (sparse) commit masks. */
// @ts-ignore: decorator
@inline export function weightKept(i: i32, j: i32): bool {
  if (i == j && i != OWNER_SELF) return false;
  const reg = registeredAt(j);
  if (lastUpdate(i) <= reg) return false;
  if (IN_COMMIT != 0 && commitBlock(i) < reg) return false;
  return true;
}

/** The sparse path's stored-entry flag of the masked weight matrix (rows assumed permitted). */
// @ts-ignore: decorator
@inline export function weightPresent(i: i32, j: i32): bool {
  return load<u8>(IN_WP + <usize>i * <usize>N + <usize>j) != 0 && weightKept(i, j);
}

