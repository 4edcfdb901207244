// Clipping at consensus, validator trust, rank (and prerank for the trust view), incentive, for Yuma3; original
// Yuma runs the same steps inside its bond passes (bonds.ts `originalYuma`).
import { TWO32, ULP } from './grid';
import * as J from '../job';
import { ASTAKE, CONS, INC, PRERANK, RANK, ROWS, VT, f64At, i32At, matRow, normalizeVec } from './layout';

/**
 * One pass over the working rows. `clipped = min(w, C_j)` (f64x2.pmin is exactly `C < w ? C : w`); validator
 * trust sums a row in two lanes (even / odd columns) as the reference's `sumPairs` does (grid values: exact);
 * rank adds the chain's floored products `floor(clipped · a·2^32)` in ulps (exact integers, scaled to 2^-32 at the
 * end), prerank adds `a_i · w` row by row in uid order, so each column's sum has the reference's order. Rows with
 * zero active stake would add +0 to rank and prerank and are skipped; rows outside the working set have zero
 * weights and zero trust.
 */
export function clipRankIncentive(rows: i32): void {
  const n = J.n;
  const bytes = <usize>n << 3;
  memory.fill(VT, 0, bytes);
  memory.fill(RANK, 0, bytes);
  memory.fill(PRERANK, 0, bytes);
  for (let r = 0; r < rows; r++) {
    const i = i32At(ROWS, r);
    const row = matRow(r, n);
    const a = f64At(ASTAKE, i);
    const av = f64x2.splat(a);
    const aUlps = a * TWO32;
    const aUlpsV = f64x2.splat(aUlps);
    let acc = f64x2.splat(0);
    let j = 0;
    if (a != 0) {
      for (; j + 2 <= n; j += 2) {
        const o = <usize>j << 3;
        const w = v128.load(row + o);
        const cw = f64x2.pmin(w, v128.load(CONS + o));
        acc = f64x2.add(acc, cw);
        v128.store(RANK + o, f64x2.add(v128.load(RANK + o), f64x2.floor(f64x2.mul(cw, aUlpsV))));
        v128.store(PRERANK + o, f64x2.add(v128.load(PRERANK + o), f64x2.mul(av, w)));
      }
    } else {
      for (; j + 2 <= n; j += 2) {
        const o = <usize>j << 3;
        acc = f64x2.add(acc, f64x2.pmin(v128.load(row + o), v128.load(CONS + o)));
      }
    }
    let s0 = f64x2.extract_lane(acc, 0);
    if (j < n) {
      const o = <usize>j << 3;
      const w = load<f64>(row + o);
      const c = load<f64>(CONS + o);
      const cw = c < w ? c : w;
      s0 += cw;
      if (a != 0) {
        store<f64>(RANK + o, load<f64>(RANK + o) + Math.floor(cw * aUlps));
        store<f64>(PRERANK + o, load<f64>(PRERANK + o) + a * w);
      }
    }
    store<f64>(VT + (<usize>i << 3), s0 + f64x2.extract_lane(acc, 1));
  }
  incentiveOfRank();
}

/** Rank from ulps to its value, incentive = rank normalised. */
export function incentiveOfRank(): void {
  const n = J.n;
  for (let j = 0; j < n; j++) store<f64>(RANK + (<usize>j << 3), load<f64>(RANK + (<usize>j << 3)) * ULP);
  memory.copy(INC, RANK, <usize>n << 3);
  normalizeVec(INC, n);
}
