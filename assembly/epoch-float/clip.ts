// Clipping at consensus, validator trust, rank (and prerank for the trust view), incentive; for original Yuma in
// the same pass, the first bond pass (bonds.ts), so W and C are read once for both.
import { TWO32, ULP } from './grid';
import * as J from '../job';
import { bondPair, keepPair, recentKeepMask, setBondsPenalty, wbOf, wbOfScalar } from './bonds';
import { ASTAKE, COL_A, COL_B, COL_C, CONS, INC, PRERANK, RANK, ROWS, VT, f64At, i32At, matRow, normalizeVec } from './layout';

/**
 * One pass over the working rows. `clipped = min(w, C_j)` (f64x2.pmin is exactly `C < w ? C : w`); validator
 * trust sums a row in two lanes (even / odd columns) as the reference's `sumPairs` does (grid values: exact);
 * rank adds the chain's floored products `floor(clipped · a·2^32)` in ulps (exact integers, scaled to 2^-32 at the
 * end), prerank adds `a_i · w` row by row in uid order, so each column's sum has the reference's order. Rows with
 * zero active stake would add +0 to rank and prerank and are skipped; rows outside the working set have zero
 * weights and zero trust.
 *
 * With `deltas` (original Yuma) the pass is also the first bond pass: column sums of the masked bonds (integers:
 * exact) into COL_A, ΔB = floor(WB·a·2^32) (the chain's floored product in ulps) in place of W and its column sums
 * into COL_B (rows without stake add nothing there, as the reference sums only rows with stake). Every column sum
 * adds the rows in the same order as two separate passes would, so the bits are theirs.
 */
export function clipRankIncentive(rows: i32, deltas: bool): void {
  const n = J.n;
  const bytes = <usize>n << 3;
  memory.fill(VT, 0, bytes);
  memory.fill(RANK, 0, bytes);
  memory.fill(PRERANK, 0, bytes);
  if (deltas) {
    setBondsPenalty();
    recentKeepMask();
    memory.fill(COL_A, 0, bytes);
    memory.fill(COL_B, 0, bytes);
  }
  for (let r = 0; r < rows; r++) {
    const i = i32At(ROWS, r);
    const row = matRow(r, n);
    const bRow = J.bondsIn + (<usize>i * <usize>n << 1);
    const a = f64At(ASTAKE, i);
    const av = f64x2.splat(a);
    const aUlps = a * TWO32;
    const aUlpsV = f64x2.splat(aUlps);
    let acc = f64x2.splat(0);
    let j = 0;
    if (a != 0 && deltas) {
      for (; j + 2 <= n; j += 2) {
        const o = <usize>j << 3;
        const w = v128.load(row + o);
        const c = v128.load(CONS + o);
        const cw = f64x2.pmin(w, c);
        acc = f64x2.add(acc, cw);
        v128.store(RANK + o, f64x2.add(v128.load(RANK + o), f64x2.floor(f64x2.mul(cw, aUlpsV))));
        v128.store(PRERANK + o, f64x2.add(v128.load(PRERANK + o), f64x2.mul(av, w)));
        v128.store(COL_A + o, f64x2.add(v128.load(COL_A + o), f64x2.mul(bondPair(bRow, j), keepPair(j))));
        const d = f64x2.floor(f64x2.mul(wbOf(w, c), aUlpsV));
        v128.store(row + o, d);
        v128.store(COL_B + o, f64x2.add(v128.load(COL_B + o), d));
      }
    } else if (a != 0) {
      for (; j + 2 <= n; j += 2) {
        const o = <usize>j << 3;
        const w = v128.load(row + o);
        const cw = f64x2.pmin(w, v128.load(CONS + o));
        acc = f64x2.add(acc, cw);
        v128.store(RANK + o, f64x2.add(v128.load(RANK + o), f64x2.floor(f64x2.mul(cw, aUlpsV))));
        v128.store(PRERANK + o, f64x2.add(v128.load(PRERANK + o), f64x2.mul(av, w)));
      }
    } else if (deltas) {
      for (; j + 2 <= n; j += 2) {
        const o = <usize>j << 3;
        const w = v128.load(row + o);
        const c = v128.load(CONS + o);
        acc = f64x2.add(acc, f64x2.pmin(w, c));
        v128.store(COL_A + o, f64x2.add(v128.load(COL_A + o), f64x2.mul(bondPair(bRow, j), keepPair(j))));
        v128.store(row + o, f64x2.floor(f64x2.mul(wbOf(w, c), aUlpsV)));
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
      if (deltas) {
        store<f64>(COL_A + o, load<f64>(COL_A + o) + <f64>load<u16>(bRow + (<usize>j << 1)) * load<f64>(COL_C + o));
        const d = Math.floor(wbOfScalar(w, c) * aUlps);
        store<f64>(row + o, d);
        if (a != 0) store<f64>(COL_B + o, load<f64>(COL_B + o) + d);
      }
    }
    store<f64>(VT + (<usize>i << 3), s0 + f64x2.extract_lane(acc, 1));
  }
  for (let j = 0; j < n; j++) store<f64>(RANK + (<usize>j << 3), load<f64>(RANK + (<usize>j << 3)) * ULP);
  memory.copy(INC, RANK, bytes);
  normalizeVec(INC, n);
}
