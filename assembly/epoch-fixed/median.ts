// §2.6 step 21: per column, the chain's `weighted_median` over the voters (rows with positive active stake).
// The search is reproduced literally (pivot at the middle index, stable lower/upper partitions, ties with the
// pivot dropped, the same `<` / `<=` edges); values are moved between three ping-pong buffers, no recursion.
import { satSub, divChecked } from '../fixed/i32f32';
import { divU } from './unit';
import * as J from './job';
import { ACT, CONS, MED_A, MED_B, MED_C, ROW_OF, USE_STAKE, VOTER_ROW, ZERO_ROW, ld, ldI32, st } from './layout';
import { rowPtr } from './weights';

/** Consensus for every column into CONS. */
export function consensus(): void {
  const n = J.n;
  // voters in uid order and their renormalised stake (the chain's `use_stake`)
  let m = 0;
  let s: i64 = 0;
  for (let i = 0; i < n; i++) {
    const a = ld(ACT, i);
    if (a > 0) {
      const r = ldI32(ROW_OF, i);
      store<usize>(VOTER_ROW + (<usize>m << 3), r >= 0 ? rowPtr(r) : ZERO_ROW);
      st(USE_STAKE, m, a);
      s += a; // each ≤ ONE: no wrap
      m++;
    }
  }
  if (m == 0) {
    memory.fill(CONS, 0, <usize>n << 3);
    return;
  }
  let total: i64 = 0;
  for (let k = 0; k < m; k++) {
    const u = divU(ld(USE_STAKE, k), s);
    st(USE_STAKE, k, u);
    total += u;
  }
  const majority = divChecked(<i64>J.kappa << 32, <i64>65535 << 32);
  const minority = satSub(total, majority);
  memory.fill(ZERO_ROW, 0, <usize>n << 3);

  for (let j = 0; j < n; j++) {
    const off = <usize>j << 3;
    // gather the column as (score, stake) pairs; a column where every voter gives the same score is decided
    // without a search (the chain returns that pivot after one empty partition)
    const first = load<i64>(load<usize>(VOTER_ROW) + off);
    let differ: i64 = 0;
    for (let k = 0; k < m; k++) {
      const v = load<i64>(load<usize>(VOTER_ROW + (<usize>k << 3)) + off);
      const at = MED_A + (<usize>k << 4);
      store<i64>(at, v);
      store<i64>(at, ld(USE_STAKE, k), 8);
      differ |= v ^ first;
    }
    st(CONS, j, differ == 0 ? first : search(m, minority, total));
  }
}

/**
 * `weighted_median(stake, score, 0..m, minority, 0, total)` on the (score, stake) pairs in MED_A.
 * Partitions without branches: each pair is written to both output buffers and each cursor advances by its
 * comparison. All stakes are ≥ 0 and sum to ≤ ONE, so the chain's saturating partial sums never saturate and
 * plain (masked) adds are exact.
 */
function search(m0: i32, minority: i64, total: i64): i64 {
  let cur = MED_A;
  let x = MED_B;
  let y = MED_C;
  let m = m0;
  let lo: i64 = 0;
  let hi = total;
  let steps = 0;
  while (true) {
    if (m == 0) return 0;
    if (m == 1) return load<i64>(cur);
    const pivot = load<i64>(cur + (<usize>(m >> 1) << 4));
    let nl = 0, nu = 0;
    let loStake: i64 = 0, hiStake: i64 = 0;
    for (let t = 0; t < m; t++) {
      const at = cur + (<usize>t << 4);
      const pair = v128.load(at);
      const v = load<i64>(at);
      const w = load<i64>(at, 8);
      const lt = <i32>(v < pivot);
      const gt = <i32>(v > pivot);
      v128.store(x + (<usize>nl << 4), pair);
      v128.store(y + (<usize>nu << 4), pair);
      nl += lt;
      nu += gt;
      loStake += w & -(<i64>lt);
      hiStake += w & -(<i64>gt);
    }
    // the chosen side becomes current; the other two buffers are the spares
    if (minority < lo + loStake && nl > 0) {
      hi = lo + loStake;
      const t = cur; cur = x; x = t;
      m = nl;
    } else if (hi - hiStake <= minority && nu > 0) {
      lo = hi - hiStake;
      const t = cur; cur = y; y = t;
      m = nu;
    } else {
      return pivot;
    }
    steps++;
    if (steps > m0) break;
  }
  return 0;
}
