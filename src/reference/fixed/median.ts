/**
 * The chain's stake-weighted median (`weighted_median`, `weighted_median_col[_sparse]` in epoch/math.rs): a
 * deterministic pivot search, pivot at the middle index, stable partitions, ties with the pivot dropped.
 * Reproduced literally because its `<` / `<=` edges decide borderline columns.
 */
import { I32F32, satAdd, satSub } from '../../fixed/substrate-fixed.js';
import { normalize, sum } from './vector.js';

export function weightedMedian(
  stake: readonly bigint[],
  score: readonly bigint[],
  partition: readonly number[],
  minority: bigint,
  lo: bigint,
  hi: bigint,
): bigint {
  let cur = partition.slice();
  const limit = partition.length;
  let steps = 0;
  for (;;) {
    const m = cur.length;
    if (m === 0) return 0n;
    if (m === 1) return score[cur[0]];
    const pivot = score[cur[m >> 1]];
    let loStake = 0n;
    let hiStake = 0n;
    const lower: number[] = [];
    const upper: number[] = [];
    for (const i of cur) {
      const s = score[i];
      if (s === pivot) continue;
      if (s < pivot) {
        loStake = satAdd(I32F32, loStake, stake[i]);
        lower.push(i);
      } else {
        hiStake = satAdd(I32F32, hiStake, stake[i]);
        upper.push(i);
      }
    }
    if (minority < satAdd(I32F32, lo, loStake) && lower.length > 0) {
      cur = lower;
      hi = satAdd(I32F32, lo, loStake);
    } else if (satSub(I32F32, hi, hiStake) <= minority && upper.length > 0) {
      cur = upper;
      lo = satSub(I32F32, hi, hiStake);
    } else {
      return pivot;
    }
    steps++;
    if (steps > limit) return 0n;
  }
}

/**
 * Column medians over the rows with positive stake. `rowValue(r, j)` gives row r's score for column j (0 when
 * absent). Both chain paths build the same renormalised stake vector and call the same search per column.
 */
export function weightedMedianCols(
  stake: readonly bigint[],
  columns: number,
  rowValue: (r: number, j: number) => bigint,
  majority: bigint,
): bigint[] {
  const rows: number[] = [];
  for (let r = 0; r < stake.length; r++) if (stake[r] > 0n) rows.push(r);
  const useStake = normalize(rows.map((r) => stake[r]));
  const total = sum(useStake);
  const minority = satSub(I32F32, total, majority);
  const idx = rows.map((_, k) => k);
  const out: bigint[] = new Array(columns).fill(0n);
  if (rows.length === 0) return out;
  for (let j = 0; j < columns; j++) {
    const score = rows.map((r) => rowValue(r, j));
    out[j] = weightedMedian(useStake, score, idx, minority, 0n, total);
  }
  return out;
}
