// Clipping at consensus, validator trust, rank (and prerank for the trust view),
// incentive. Clipped values are min(w, c) on both paths (the sparse path's dropped entries are exactly those
// clipped to a zero consensus), so they are recomputed on the fly instead of stored.
import { divU, mulU } from '../fixed/proportion';
import { mulConstX, mulUX } from '../fixed/proportion-x2';
import { ONE } from '../fixed/i32f32';
import * as J from '../job';
import { ACT, CONS, INC, PRERANK, RANK, ROWS, VTRUST, ld, ldI32, st } from './layout';
import { rowPtr } from './weights';

export function clipRankIncentive(rows: i32): void {
  const n = J.n;
  memory.fill(VTRUST, 0, <usize>n << 3);
  memory.fill(RANK, 0, <usize>n << 3);
  memory.fill(PRERANK, 0, <usize>n << 3);
  for (let r = 0; r < rows; r++) {
    const i = ldI32(ROWS, r);
    const row = rowPtr(r);
    const a = ld(ACT, i);
    const av = i64x2.splat(a);
    // a < ONE (every row unless one validator holds all the active stake): mulConstX is mulUX for a constant below
    // ONE with one shuffle and one select less
    const below = a < ONE;
    const ak = i32x4.splat(<i32>a);
    let vtv = i64x2.splat(0);
    let j = 0;
    // Σ of ≤ 4096 terms each ≤ ONE: the chain's saturating adds never saturate, so row order is free; a row of
    // normalised weights sums to ≤ ONE (no wrap in vt). Zero weights add zeros, so they need no skipping.
    for (; j + 2 <= n; j += 2) {
      const o = <usize>j << 3;
      const w = v128.load(row + o);
      const c = v128.load(CONS + o);
      const cw = v128.bitselect(w, c, i64x2.lt_s(w, c));
      vtv = i64x2.add(vtv, cw);
      if (a != 0) {
        v128.store(RANK + o, i64x2.add(v128.load(RANK + o), below ? mulConstX(ak, cw) : mulUX(av, cw)));
        v128.store(PRERANK + o, i64x2.add(v128.load(PRERANK + o), below ? mulConstX(ak, w) : mulUX(av, w)));
      }
    }
    let vt = i64x2.extract_lane(vtv, 0) + i64x2.extract_lane(vtv, 1);
    if (j < n) {
      const w = ld(row, j);
      const c = ld(CONS, j);
      const cw = w < c ? w : c;
      vt += cw;
      if (a != 0) {
        st(RANK, j, ld(RANK, j) + mulU(a, cw));
        st(PRERANK, j, ld(PRERANK, j) + mulU(a, w));
      }
    }
    st(VTRUST, i, vt);
  }
  let s: i64 = 0;
  for (let j = 0; j < n; j++) s += ld(RANK, j);
  for (let j = 0; j < n; j++) st(INC, j, s != 0 ? divU(ld(RANK, j), s) : ld(RANK, j));
}
