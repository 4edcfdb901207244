// Consensus-clipped weights min(W, C) (Yuma 2B clips the previous epoch's weights), the rank R = Σ_v S·min(W, C),
// each row's clipped sum (validator trust), in one pass that also carries the bond work of the row: the column
// sums of the bonds bought (Yuma 1/2/2B), Yuma 3's liquid-alpha bonds, or the bond update of Yuma 2C and
// Yuma 3 without liquid alpha. Then incentive and trusts.
import { VERSION_YUMA1, VERSION_YUMA2, VERSION_YUMA2B, VERSION_YUMA2C, VERSION_YUMA3 } from './abi';
import { fusedBondRow, fusedBondRow32, relativeRowLiquid, relativeRowLiquid32 } from './bonds';
import {
  BSUM, BSUM32, C, C32, I, I32, M, P, R, R32, ROW_SUM_W, ROW_SUM_WC, S, T, TV, V, W, W_PREV, bondPenalty, f64At, fr, nonFiniteTorch,
  row32, rowAt, setF64, version, winnerTakesAll,
} from './job';
import { lanesTotal, nanToNum, vectorEnd } from './lanes';
import { lanesTotal32, toF32, toF64 } from './lanes32';

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

/** rankPass over f32 matrices, every operation rounded to float32; R and BSUM written back as f64. */
export function rankPass32(liquidRuns: bool): void {
  const n = M;
  const end = vectorEnd(n);
  const base = version == VERSION_YUMA2B && W_PREV != 0 ? W_PREV : W;
  const buys = version == VERSION_YUMA1 || version == VERSION_YUMA2 || version == VERSION_YUMA2B;
  const relative = version == VERSION_YUMA3 && liquidRuns;
  const fused = version == VERSION_YUMA2C || (version == VERSION_YUMA3 && !liquidRuns);
  const keep = <f32>(1 - bondPenalty);
  const pen = <f32>bondPenalty;
  const keep4 = f32x4.splat(keep);
  const pen4 = f32x4.splat(pen);
  memory.fill(R32, 0, <usize>n << 2);
  if (buys) memory.fill(BSUM32, 0, <usize>n << 2);
  for (let v = 0; v < V; v++) {
    const o = row32(base, v);
    const s = <f32>f64At(S, v);
    const s4 = f32x4.splat(s);
    let a = f32x4.splat(0);
    let m = 0;
    for (; m < end; m += 4) {
      const at = <usize>m << 2;
      const w = v128.load(o + at);
      const x = f32x4.pmin(v128.load(C32 + at), w);
      v128.store(R32 + at, f32x4.add(v128.load(R32 + at), f32x4.mul(s4, x)));
      a = f32x4.add(a, x);
      if (buys) {
        const p = f32x4.mul(s4, f32x4.add(f32x4.mul(keep4, w), f32x4.mul(pen4, x)));
        v128.store(BSUM32 + at, f32x4.add(v128.load(BSUM32 + at), p));
      }
    }
    let sum: f32 = end > 0 ? lanesTotal32(a) : 0;
    for (; m < n; m++) {
      const at = <usize>m << 2;
      const w = load<f32>(o + at);
      const c = load<f32>(C32 + at);
      const x = w < c ? w : c;
      store<f32>(R32 + at, load<f32>(R32 + at) + s * x);
      sum += x;
      if (buys) store<f32>(BSUM32 + at, load<f32>(BSUM32 + at) + s * (keep * w + pen * x));
    }
    setF64(ROW_SUM_WC, v, <f64>sum);
    if (relative) relativeRowLiquid32(v);
    else if (fused) fusedBondRow32(v);
  }
  toF64(R, R32, n);
  if (buys) toF64(BSUM, BSUM32, n);
}

/** incentive in float32 (the sum and each share rounded); I also as f32 for the dividends. */
export function incentive32(): void {
  const n = M;
  if (!winnerTakesAll) {
    let sum = 0.0;
    for (let m = 0; m < n; m++) sum = fr(sum + f64At(R, m));
    for (let m = 0; m < n; m++) setF64(I, m, nanToNum(fr(f64At(R, m) / sum)));
  } else {
    let max = -Infinity;
    for (let m = 0; m < n; m++) if (f64At(R, m) > max) max = f64At(R, m);
    let k = 0;
    for (let m = 0; m < n; m++) if (f64At(R, m) == max) k++;
    const share = k == 0 ? 0.0 : fr(1.0 / <f64>k);
    for (let m = 0; m < n; m++) setF64(I, m, f64At(R, m) == max ? share : 0.0);
  }
  toF32(I32, I, n);
}

/** trusts in float32. */
export function trusts32(): void {
  for (let m = 0; m < M; m++) setF64(T, m, nanToNum(fr(f64At(R, m) / f64At(P, m))));
  for (let v = 0; v < V; v++) {
    const t = fr(f64At(ROW_SUM_WC, v) / f64At(ROW_SUM_W, v));
    setF64(TV, v, nonFiniteTorch || (t - t == 0) ? t : 0.0);
  }
}
