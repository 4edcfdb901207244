// Consensus-clipped weights min(W, C) (Yuma 2B clips the previous epoch's weights), the rank R = Σ_v S·min(W, C),
// each row's clipped sum (validator trust), in one pass that also carries the bond work of the row: the column
// sums of the bonds bought (Yuma 1/2/2B), Yuma 3's liquid-alpha bonds, or the bond update of Yuma 2C and
// Yuma 3 without liquid alpha. Then incentive and trusts.
import { VERSION_YUMA1, VERSION_YUMA2, VERSION_YUMA2B, VERSION_YUMA2C, VERSION_YUMA3 } from './abi';
import { MAXINT, relativeRowLiquid, relativeRowLiquid32, relativeStep, relativeStep2, relativeStep32, relativeStep4 } from './bonds';
import {
  B_NEW, B_OLD, BSUM, BSUM32, C, C32, COL32, COL_SUM, I, I32, M, P, R, R32, ROW_SUM_W, ROW_SUM_WC, S, T, TV, V, W, W_PREV, bondMovingAvg, bondPenalty,
  capacityAlpha, decayRate, f64At, fr, nonFiniteTorch, row32, rowAt, setF64, version, winnerTakesAll,
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
  if (fused) {
    rankBondPass();
    return;
  }
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
  }
}

/** Yuma 2C capacity bonds on two lanes: min(cap, decay·old + min(max(cap − old, 0), buy)·w). */
// @ts-ignore: decorator
@inline function capacityStep2(old: v128, w: v128, cap: v128, buy: v128, decay: v128): v128 {
  const rem = f64x2.pmax(f64x2.sub(cap, old), f64x2.splat(0));
  return f64x2.pmin(cap, f64x2.add(f64x2.mul(decay, old), f64x2.mul(f64x2.pmin(rem, buy), w)));
}

// @ts-ignore: decorator
@inline function capacityStep(old: f64, w: f64, cap: f64, buy: f64, decay: f64): f64 {
  let rem = cap - old;
  if (rem < 0) rem = 0;
  const pc = buy < rem ? buy : rem;
  const b = decay * old + pc * w;
  return b < cap ? b : cap;
}

/**
 * rankPass with the bond step of Yuma 2C or Yuma 3 without liquid alpha in the same loop (each weight loaded
 * once for its clipping and its bond; the bond arithmetic entry by entry as before). R and COL_SUM start at 0.
 */
function rankBondPass(): void {
  const n = M;
  const end = vectorEnd(n);
  const y3 = version == VERSION_YUMA3;
  const alpha = 1 - bondMovingAvg;
  const keep = 1 - alpha;
  const a2 = f64x2.splat(alpha);
  const k2 = f64x2.splat(keep);
  const decay = 1 - decayRate;
  const decay2 = f64x2.splat(decay);
  const zero = f64x2.splat(0);
  for (let v = 0; v < V; v++) {
    const o = rowAt(W, v);
    const bRow = rowAt(B_NEW, v);
    const oRow = B_OLD != 0 ? rowAt(B_OLD, v) : 0;
    const s = f64At(S, v);
    const s2 = f64x2.splat(s);
    const cap = s * MAXINT;
    const buy = capacityAlpha * cap;
    const cap2 = f64x2.splat(cap);
    const buy2 = f64x2.splat(buy);
    let a = zero;
    let b = zero;
    let m = 0;
    for (; m < end; m += 4) {
      const at = <usize>m << 3;
      const w0 = v128.load(o + at);
      const w1 = v128.load(o + at, 16);
      const x0 = f64x2.pmin(v128.load(C + at), w0);
      const x1 = f64x2.pmin(v128.load(C + at, 16), w1);
      v128.store(R + at, f64x2.add(v128.load(R + at), f64x2.mul(s2, x0)));
      v128.store(R + at, f64x2.add(v128.load(R + at, 16), f64x2.mul(s2, x1)), 16);
      a = f64x2.add(a, x0);
      b = f64x2.add(b, x1);
      const old0 = oRow != 0 ? v128.load(oRow + at) : zero;
      const old1 = oRow != 0 ? v128.load(oRow + at, 16) : zero;
      const b0 = y3 ? relativeStep2(old0, w0, a2, k2) : capacityStep2(old0, w0, cap2, buy2, decay2);
      const b1 = y3 ? relativeStep2(old1, w1, a2, k2) : capacityStep2(old1, w1, cap2, buy2, decay2);
      v128.store(bRow + at, b0);
      v128.store(bRow + at, b1, 16);
      v128.store(COL_SUM + at, f64x2.add(v128.load(COL_SUM + at), b0));
      v128.store(COL_SUM + at, f64x2.add(v128.load(COL_SUM + at, 16), b1), 16);
    }
    let sum = lanesTotal(a, b);
    for (; m < n; m++) {
      const at = <usize>m << 3;
      const w = load<f64>(o + at);
      const c = load<f64>(C + at);
      const x = w < c ? w : c;
      store<f64>(R + at, load<f64>(R + at) + s * x);
      sum += x;
      const old = oRow != 0 ? load<f64>(oRow + at) : 0;
      const bond = y3 ? relativeStep(old, w, alpha, keep) : capacityStep(old, w, cap, buy, decay);
      store<f64>(bRow + at, bond);
      store<f64>(COL_SUM + at, load<f64>(COL_SUM + at) + bond);
    }
    setF64(ROW_SUM_WC, v, sum);
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
  if (fused) {
    rankBondPass32();
    toF64(R, R32, n);
    return;
  }
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

/** Yuma 2C capacity bonds on four float32 lanes: min(cap, decay·old + min(max(cap − old, 0), buy)·w). */
// @ts-ignore: decorator
@inline function capacityStep4(old: v128, w: v128, cap: v128, buy: v128, decay: v128): v128 {
  const rem = f32x4.pmax(f32x4.sub(cap, old), f32x4.splat(0));
  return f32x4.pmin(cap, f32x4.add(f32x4.mul(decay, old), f32x4.mul(f32x4.pmin(rem, buy), w)));
}

// @ts-ignore: decorator
@inline function capacityStep32(old: f32, w: f32, cap: f32, buy: f32, decay: f32): f32 {
  let rem = cap - old;
  if (rem < 0) rem = 0;
  const pc = buy < rem ? buy : rem;
  const b = decay * old + pc * w;
  return b < cap ? b : cap;
}

/**
 * rankPass32 with the bond step of Yuma 2C or Yuma 3 without liquid alpha in the same loop, as rankBondPass in
 * float32. R32 and COL32 start at 0.
 */
function rankBondPass32(): void {
  const n = M;
  const end = vectorEnd(n);
  const y3 = version == VERSION_YUMA3;
  const alpha = 1 - bondMovingAvg;
  const a = <f32>alpha;
  const keep = <f32>(1 - alpha);
  const a4 = f32x4.splat(a);
  const k4 = f32x4.splat(keep);
  const decay = <f32>(1 - decayRate);
  const decay4 = f32x4.splat(decay);
  const zero = f32x4.splat(0);
  for (let v = 0; v < V; v++) {
    const o = row32(W, v);
    const bRow = row32(B_NEW, v);
    const oRow = B_OLD != 0 ? row32(B_OLD, v) : 0;
    const s = <f32>f64At(S, v);
    const s4 = f32x4.splat(s);
    const cap = s * <f32>MAXINT;
    const buy = <f32>capacityAlpha * cap;
    const cap4 = f32x4.splat(cap);
    const buy4 = f32x4.splat(buy);
    let acc = zero;
    let m = 0;
    for (; m < end; m += 4) {
      const at = <usize>m << 2;
      const w = v128.load(o + at);
      const x = f32x4.pmin(v128.load(C32 + at), w);
      v128.store(R32 + at, f32x4.add(v128.load(R32 + at), f32x4.mul(s4, x)));
      acc = f32x4.add(acc, x);
      const old = oRow != 0 ? v128.load(oRow + at) : zero;
      const b = y3 ? relativeStep4(old, w, a4, k4) : capacityStep4(old, w, cap4, buy4, decay4);
      v128.store(bRow + at, b);
      v128.store(COL32 + at, f32x4.add(v128.load(COL32 + at), b));
    }
    let sum: f32 = end > 0 ? lanesTotal32(acc) : 0;
    for (; m < n; m++) {
      const at = <usize>m << 2;
      const w = load<f32>(o + at);
      const c = load<f32>(C32 + at);
      const x = w < c ? w : c;
      store<f32>(R32 + at, load<f32>(R32 + at) + s * x);
      sum += x;
      const old: f32 = oRow != 0 ? load<f32>(oRow + at) : 0;
      const b = y3 ? relativeStep32(old, w, a, keep) : capacityStep32(old, w, cap, buy, decay);
      store<f32>(bRow + at, b);
      store<f32>(COL32 + at, load<f32>(COL32 + at) + b);
    }
    setF64(ROW_SUM_WC, v, <f64>sum);
  }
}
