// §2.6 step 21: per column, the chain's `weighted_median` over the voters (rows with positive active stake).
// The search is reproduced literally (pivot at the middle index, stable lower/upper partitions, ties with the
// pivot dropped, the same `<` / `<=` edges); values are moved between three ping-pong buffers, no recursion.
import { satSub, divChecked } from '../fixed/i32f32';
import { divU } from './unit';
import * as J from './job';
import {
  ACT, CONS, MED_K0, MED_K1, MED_K2, MED_S0, MED_S1, MED_S2, ROW_OF, USE_STAKE, VOTER_ROW, ZERO_ROW, ld, ldI32, st,
} from './layout';
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
    // gather the column; a column where every voter gives the same score is decided without a search
    const first = load<i64>(load<usize>(VOTER_ROW) + off);
    let differ: i64 = 0;
    for (let k = 0; k < m; k++) {
      const v = load<i64>(load<usize>(VOTER_ROW + (<usize>k << 3)) + off);
      st(MED_S0, k, v);
      differ |= v ^ first;
    }
    st(CONS, j, differ == 0 ? first : search(m, minority, total));
  }
}

/**
 * `weighted_median(stake, score, 0..m, minority, 0, total)` with scores in MED_S0 and stakes in USE_STAKE.
 * All stakes are ≥ 0 and sum to ≤ ONE, so the chain's saturating partial sums never saturate: plain adds are exact.
 */
function search(m0: i32, minority: i64, total: i64): i64 {
  let cs = MED_S0, ck = USE_STAKE;
  let xs = MED_S1, xk = MED_K1;
  let ys = MED_S2, yk = MED_K2;
  let zk = MED_K0; // the stake buffer freed once the search leaves USE_STAKE
  let m = m0;
  let lo: i64 = 0;
  let hi = total;
  let steps = 0;
  while (true) {
    if (m == 0) return 0;
    if (m == 1) return ld(cs, 0);
    const pivot = ld(cs, m >> 1);
    let nl = 0, nu = 0;
    let loStake: i64 = 0, hiStake: i64 = 0;
    for (let t = 0; t < m; t++) {
      const v = ld(cs, t);
      const w = ld(ck, t);
      if (v < pivot) {
        st(xs, nl, v); st(xk, nl, w); nl++;
        loStake += w;
      } else if (v > pivot) {
        st(ys, nu, v); st(yk, nu, w); nu++;
        hiStake += w;
      }
    }
    // rotate: the chosen side becomes current, the other two buffers become the spares
    if (minority < lo + loStake && nl > 0) {
      hi = lo + loStake;
      const ts = cs, tk = ck;
      cs = xs; ck = xk; xs = ts; xk = tk;
      m = nl;
    } else if (hi - hiStake <= minority && nu > 0) {
      lo = hi - hiStake;
      const ts = cs, tk = ck;
      cs = ys; ck = yk; ys = ts; yk = tk;
      m = nu;
    } else {
      return pivot;
    }
    // USE_STAKE must survive for the next column: never write into it
    if (xk == USE_STAKE) xk = zk;
    if (yk == USE_STAKE) yk = zk;
    steps++;
    if (steps > m0) break;
  }
  return 0;
}
