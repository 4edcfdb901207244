// Consensus-clipped weights min(W, C) (Yuma 2B clips the previous epoch's weights), the rank R = Σ_v S·min(W, C),
// each row's clipped sum (validator trust), in one pass that also carries the bond work of the row: the column
// sums of the bonds bought (Yuma 1/2/2B), Yuma 3's liquid-alpha bonds, or the bond update of Yuma 2C and
// Yuma 3 without liquid alpha. Then incentive and trusts.
import { VERSION_YUMA1, VERSION_YUMA2, VERSION_YUMA2B, VERSION_YUMA2C, VERSION_YUMA3 } from './abi';
import { fusedBondRow, relativeRowLiquid } from './bonds';
import {
  BSUM, C, I, M, P, R, ROW_SUM_W, ROW_SUM_WC, S, T, TV, V, W, W_PREV, bondPenalty, f64At, nonFiniteTorch, rowAt, setF64,
  version, winnerTakesAll,
} from './job';
import { lanesTotal, nanToNum, vectorEnd } from './lanes';

export function rankPass(liquidRuns: bool): void {
  const n = M;
  const end = vectorEnd(n);
  const base = version == VERSION_YUMA2B && W_PREV != 0 ? W_PREV : W;
  const buys = version == VERSION_YUMA1 || version == VERSION_YUMA2 || version == VERSION_YUMA2B;
  const relative = version == VERSION_YUMA3 && liquidRuns;
  const fused = version == VERSION_YUMA2C || (version == VERSION_YUMA3 && !liquidRuns);
  const keep2 = f64x2.splat(1 - bondPenalty);
  const pen2 = f64x2.splat(bondPenalty);
  const keep = 1 - bondPenalty;
  const pen = bondPenalty;
  memory.fill(R, 0, <usize>n << 3);
  if (buys) memory.fill(BSUM, 0, <usize>n << 3);
  for (let v = 0; v < V; v++) {
    const o = rowAt(base, v);
    const s = f64At(S, v);
    const s2 = f64x2.splat(s);
    let a = f64x2.splat(0);
    let b = f64x2.splat(0);
    let m = 0;
    for (; m < end; m += 4) {
      const at = <usize>m << 3;
      const w0 = v128.load(o + at);
      const w1 = v128.load(o + at, 16);
      const c0 = v128.load(C + at);
      const c1 = v128.load(C + at, 16);
      const x0 = f64x2.pmin(c0, w0);
      const x1 = f64x2.pmin(c1, w1);
      v128.store(R + at, f64x2.add(v128.load(R + at), f64x2.mul(s2, x0)));
      v128.store(R + at, f64x2.add(v128.load(R + at, 16), f64x2.mul(s2, x1)), 16);
      a = f64x2.add(a, x0);
      b = f64x2.add(b, x1);
      if (buys) {
        const p0 = f64x2.mul(s2, f64x2.add(f64x2.mul(keep2, w0), f64x2.mul(pen2, x0)));
        const p1 = f64x2.mul(s2, f64x2.add(f64x2.mul(keep2, w1), f64x2.mul(pen2, x1)));
        v128.store(BSUM + at, f64x2.add(v128.load(BSUM + at), p0));
        v128.store(BSUM + at, f64x2.add(v128.load(BSUM + at, 16), p1), 16);
      }
    }
    let sum = lanesTotal(a, b);
    for (; m < n; m++) {
      const w = load<f64>(o + (<usize>m << 3));
      const c = f64At(C, m);
      const x = w < c ? w : c;
      setF64(R, m, f64At(R, m) + s * x);
      sum += x;
      if (buys) setF64(BSUM, m, f64At(BSUM, m) + s * (keep * w + pen * x));
    }
    setF64(ROW_SUM_WC, v, sum);
    if (relative) relativeRowLiquid(v);
    else if (fused) fusedBondRow(v);
  }
}

/** R / ΣR (NaN → 0), or with winner-takes-all 1/k to each of the k servers whose rank equals the maximum. */
export function incentive(): void {
  const n = M;
  if (!winnerTakesAll) {
    let sum = 0.0;
    for (let m = 0; m < n; m++) sum += f64At(R, m);
    for (let m = 0; m < n; m++) setF64(I, m, nanToNum(f64At(R, m) / sum));
    return;
  }
  let max = -Infinity;
  for (let m = 0; m < n; m++) if (f64At(R, m) > max) max = f64At(R, m);
  let k = 0;
  for (let m = 0; m < n; m++) if (f64At(R, m) == max) k++;
  const share = k == 0 ? 0.0 : 1.0 / <f64>k;
  for (let m = 0; m < n; m++) setF64(I, m, f64At(R, m) == max ? share : 0.0);
}

/** Server trust R / P (NaN → 0) and validator trust Σ clipped / Σ weights (0 for a row without weights unless 'torch'). */
export function trusts(): void {
  for (let m = 0; m < M; m++) setF64(T, m, nanToNum(f64At(R, m) / f64At(P, m)));
  for (let v = 0; v < V; v++) {
    const t = f64At(ROW_SUM_WC, v) / f64At(ROW_SUM_W, v);
    setF64(TV, v, nonFiniteTorch || (t - t == 0) ? t : 0.0);
  }
}
