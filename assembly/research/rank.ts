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
import { held, lanesTotal, nanToNum, vectorEnd } from './lanes';
import { lanesTotal32, toF32, toF64 } from './lanes32';

// Compile-time switches for the passes' specialised loops: a function instantiated with Yes compiles the branch
// isSigned<T>() guards, one with No drops it, so no loop tests a flag per entry (binaryen folds copies of one
// inlined loop that differ only in boolean literals back into one loop with the flags as variables).
type Yes = i8;
type No = u8;

export function rankPass(liquidRuns: bool): void {
  const n = M;
  const buys = version == VERSION_YUMA1 || version == VERSION_YUMA2 || version == VERSION_YUMA2B;
  const fused = version == VERSION_YUMA2C || (version == VERSION_YUMA3 && !liquidRuns);
  memory.fill(R, 0, <usize>n << 3);
  if (fused) {
    rankBondPass();
    return;
  }
  if (buys) {
    memory.fill(BSUM, 0, <usize>n << 3);
    rankRows<Yes>();
  } else {
    // Yuma 3 with liquid alpha: the rank and each row's liquid bonds.
    rankRows<No>();
  }
}

/** rankRows32 in f64. */
function rankRows<BUYS>(): void {
  const buys = isSigned<BUYS>();
  const n = M;
  const end = vectorEnd(n);
  const base = version == VERSION_YUMA2B && W_PREV != 0 ? W_PREV : W;
  const r = R;
  const c = C;
  const bsum = BSUM;
  const keep2 = held(0, f64x2.splat(1 - bondPenalty));
  const pen2 = held(1, f64x2.splat(bondPenalty));
  const keep = 1 - bondPenalty;
  const pen = bondPenalty;
  for (let v = 0; v < V; v++) {
    const o = rowAt(base, v);
    const s = f64At(S, v);
    const s2 = held(2, f64x2.splat(s));
    let a = f64x2.splat(0);
    let b = f64x2.splat(0);
    let m = 0;
    for (; m < end; m += 4) {
      const at = <usize>m << 3;
      const w0 = v128.load(o + at);
      const w1 = v128.load(o + at, 16);
      const x0 = f64x2.pmin(v128.load(c + at), w0);
      const x1 = f64x2.pmin(v128.load(c + at, 16), w1);
      v128.store(r + at, f64x2.add(v128.load(r + at), f64x2.mul(s2, x0)));
      v128.store(r + at, f64x2.add(v128.load(r + at, 16), f64x2.mul(s2, x1)), 16);
      if (buys) {
        a = f64x2.add(a, x0);
        b = f64x2.add(b, x1);
        const p0 = f64x2.mul(s2, f64x2.add(f64x2.mul(keep2, w0), f64x2.mul(pen2, x0)));
        const p1 = f64x2.mul(s2, f64x2.add(f64x2.mul(keep2, w1), f64x2.mul(pen2, x1)));
        v128.store(bsum + at, f64x2.add(v128.load(bsum + at), p0));
        v128.store(bsum + at, f64x2.add(v128.load(bsum + at, 16), p1), 16);
      }
    }
    let sum = lanesTotal(a, b);
    for (; m < n; m++) {
      const at = <usize>m << 3;
      const w = load<f64>(o + at);
      const cm = load<f64>(c + at);
      const x = w < cm ? w : cm;
      store<f64>(r + at, load<f64>(r + at) + s * x);
      sum += x;
      if (buys) store<f64>(bsum + at, load<f64>(bsum + at) + s * (keep * w + pen * x));
    }
    if (buys) setF64(ROW_SUM_WC, v, sum);
    else relativeRowLiquid(v);
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
 * Specialised per version and bond state (no branch in the loop); Yuma 3 takes no row sums (it returns no
 * validator trust).
 */
function rankBondPass(): void {
  const y3 = version == VERSION_YUMA3;
  if (B_OLD != 0) {
    inPlace(8);
    if (y3) rankBondRows<Yes, Yes>();
    else rankBondRows<No, Yes>();
  } else {
    if (y3) rankBondRows<Yes, No>();
    else rankBondRows<No, No>();
  }
}

/**
 * The fused passes read each old bond where they write its new one (one address per row instead of two): old
 * bonds in a buffer of their own (the loader passes one buffer for both) are first copied into B_NEW.
 */
function inPlace(bytes: i32): void {
  if (B_OLD != B_NEW) memory.copy(B_NEW, B_OLD, <usize>V * <usize>M * <usize>bytes);
}

/**
 * Two entries of the f64 rank pass with the bond step, at byte offset at of the step's four (HI: the upper two,
 * a load offset of 16, so the step computes each buffer's address once); returns the clipped weights.
 */
// @ts-ignore: decorator
@inline function rankBond2<HI>(
  y3: bool, hasOld: bool, w: v128, at: usize, bRow: usize, s2: v128, a2: v128, k2: v128, one: v128, cap2: v128, buy2: v128, decay2: v128,
  r: usize, c: usize, col: usize,
): v128 {
  const off = isSigned<HI>() ? 16 : 0;
  const x = f64x2.pmin(v128.load(c + at, off), w);
  v128.store(r + at, f64x2.add(v128.load(r + at, off), f64x2.mul(s2, x)), off);
  const old = hasOld ? v128.load(bRow + at, off) : f64x2.splat(0);
  const b = y3 ? relativeStep2(old, w, a2, k2, one) : capacityStep2(old, w, cap2, buy2, decay2);
  v128.store(bRow + at, b, off);
  v128.store(col + at, f64x2.add(v128.load(col + at, off), b), off);
  return x;
}

function rankBondRows<Y3, OLD>(): void {
  const y3 = isSigned<Y3>();
  const hasOld = isSigned<OLD>();
  const n = M;
  const end = vectorEnd(n);
  const r = R;
  const c = C;
  const col = COL_SUM;
  const alpha = 1 - bondMovingAvg;
  const keep = 1 - alpha;
  const a2 = held(0, f64x2.splat(alpha));
  const k2 = held(1, f64x2.splat(keep));
  const one = held(2, f64x2.splat(1));
  const decay = 1 - decayRate;
  const decay2 = held(3, f64x2.splat(decay));
  const zero = f64x2.splat(0);
  for (let v = 0; v < V; v++) {
    const o = rowAt(W, v);
    const bRow = rowAt(B_NEW, v);
    const s = f64At(S, v);
    const s2 = held(4, f64x2.splat(s));
    const cap = s * MAXINT;
    const buy = capacityAlpha * cap;
    const cap2 = held(5, f64x2.splat(cap));
    const buy2 = held(6, f64x2.splat(buy));
    let a = zero;
    let b = zero;
    let m = 0;
    for (; m < end; m += 4) {
      const at = <usize>m << 3;
      const x0 = rankBond2<No>(y3, hasOld, v128.load(o + at), at, bRow, s2, a2, k2, one, cap2, buy2, decay2, r, c, col);
      const x1 = rankBond2<Yes>(y3, hasOld, v128.load(o + at, 16), at, bRow, s2, a2, k2, one, cap2, buy2, decay2, r, c, col);
      if (!y3) {
        a = f64x2.add(a, x0);
        b = f64x2.add(b, x1);
      }
    }
    let sum = lanesTotal(a, b);
    for (; m < n; m++) {
      const at = <usize>m << 3;
      const w = load<f64>(o + at);
      const cm = load<f64>(c + at);
      const x = w < cm ? w : cm;
      store<f64>(r + at, load<f64>(r + at) + s * x);
      sum += x;
      const old = hasOld ? load<f64>(bRow + at) : 0;
      const bond = y3 ? relativeStep(old, w, alpha, keep) : capacityStep(old, w, cap, buy, decay);
      store<f64>(bRow + at, bond);
      store<f64>(col + at, load<f64>(col + at) + bond);
    }
    if (!y3) setF64(ROW_SUM_WC, v, sum);
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
  const buys = version == VERSION_YUMA1 || version == VERSION_YUMA2 || version == VERSION_YUMA2B;
  const fused = version == VERSION_YUMA2C || (version == VERSION_YUMA3 && !liquidRuns);
  memory.fill(R32, 0, <usize>n << 2);
  if (fused) {
    rankBondPass32();
    toF64(R, R32, n);
    return;
  }
  if (buys) {
    memory.fill(BSUM32, 0, <usize>n << 2);
    rankRows32<Yes>();
    toF64(BSUM, BSUM32, n);
  } else {
    // Yuma 3 with liquid alpha: the rank and each row's liquid bonds.
    rankRows32<No>();
  }
  toF64(R, R32, n);
}

/**
 * The rank pass of Yuma 1/2/2B (buys: also the column sums of the bonds bought, S·(keep·W + pen·min(W, C))) or
 * of Yuma 3 with liquid alpha (each row's bonds right after its rank; no row sums, Yuma 3 returns no trust).
 */
function rankRows32<BUYS>(): void {
  const buys = isSigned<BUYS>();
  const n = M;
  const end = vectorEnd(n);
  const base = version == VERSION_YUMA2B && W_PREV != 0 ? W_PREV : W;
  const r32 = R32;
  const c32 = C32;
  const bsum = BSUM32;
  const keep = <f32>(1 - bondPenalty);
  const pen = <f32>bondPenalty;
  const keep4 = f32x4.splat(keep);
  const pen4 = f32x4.splat(pen);
  for (let v = 0; v < V; v++) {
    const o = row32(base, v);
    const s = <f32>f64At(S, v);
    const s4 = f32x4.splat(s);
    let a = f32x4.splat(0);
    let m = 0;
    for (; m < end; m += 4) {
      const at = <usize>m << 2;
      const w = v128.load(o + at);
      const x = f32x4.pmin(v128.load(c32 + at), w);
      v128.store(r32 + at, f32x4.add(v128.load(r32 + at), f32x4.mul(s4, x)));
      if (buys) {
        a = f32x4.add(a, x);
        const p = f32x4.mul(s4, f32x4.add(f32x4.mul(keep4, w), f32x4.mul(pen4, x)));
        v128.store(bsum + at, f32x4.add(v128.load(bsum + at), p));
      }
    }
    let sum: f32 = end > 0 ? lanesTotal32(a) : 0;
    for (; m < n; m++) {
      const at = <usize>m << 2;
      const w = load<f32>(o + at);
      const c = load<f32>(c32 + at);
      const x = w < c ? w : c;
      store<f32>(r32 + at, load<f32>(r32 + at) + s * x);
      sum += x;
      if (buys) store<f32>(bsum + at, load<f32>(bsum + at) + s * (keep * w + pen * x));
    }
    if (buys) setF64(ROW_SUM_WC, v, <f64>sum);
    else relativeRowLiquid32(v);
  }
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
 * float32. R32 and COL32 start at 0. The loop is specialised per version and per bond state (old bonds or
 * none), so it carries no branch, and takes eight entries a step: it is bound by the instructions it issues
 * (a row held in L1 costs it as much as the matrices streamed), so loop overhead and address arithmetic count.
 * Yuma 3 returns no validator trust, so its row sums of clipped weights are not taken.
 */
function rankBondPass32(): void {
  const y3 = version == VERSION_YUMA3;
  if (B_OLD != 0) {
    inPlace(4);
    if (y3) rankBondRows32<Yes, Yes>();
    else rankBondRows32<No, Yes>();
  } else {
    if (y3) rankBondRows32<Yes, No>();
    else rankBondRows32<No, No>();
  }
}

/** The bond of four entries: Yuma 3's relative step or Yuma 2C's capacity step (y3 a literal: one is compiled). */
// @ts-ignore: decorator
@inline function bondStep4(y3: bool, old: v128, w: v128, a: v128, keep: v128, one: v128, cap: v128, buy: v128, decay: v128): v128 {
  return y3 ? relativeStep4(old, w, a, keep, one) : capacityStep4(old, w, cap, buy, decay);
}

/** Four entries of the rank pass with the bond step at byte offset at (HI: the next four, as rankBond2). */
// @ts-ignore: decorator
@inline function rankBond4<HI>(
  y3: bool, hasOld: bool, w: v128, at: usize, bRow: usize, s4: v128, a4: v128, k4: v128, one: v128, cap4: v128, buy4: v128, decay4: v128,
  r32: usize, c32: usize, col: usize,
): v128 {
  const off = isSigned<HI>() ? 16 : 0;
  const x = f32x4.pmin(v128.load(c32 + at, off), w);
  v128.store(r32 + at, f32x4.add(v128.load(r32 + at, off), f32x4.mul(s4, x)), off);
  const b = bondStep4(y3, hasOld ? v128.load(bRow + at, off) : f32x4.splat(0), w, a4, k4, one, cap4, buy4, decay4);
  v128.store(bRow + at, b, off);
  v128.store(col + at, f32x4.add(v128.load(col + at, off), b), off);
  return x;
}

function rankBondRows32<Y3, OLD>(): void {
  const y3 = isSigned<Y3>();
  const hasOld = isSigned<OLD>();
  const n = M;
  const end = vectorEnd(n);
  const end8 = end & ~7;
  const r32 = R32;
  const c32 = C32;
  const col = COL32;
  const alpha = 1 - bondMovingAvg;
  const a = <f32>alpha;
  const keep = <f32>(1 - alpha);
  const a4 = held(0, f32x4.splat(a));
  const k4 = held(1, f32x4.splat(keep));
  const one = held(2, f32x4.splat(1));
  const decay = <f32>(1 - decayRate);
  const decay4 = held(3, f32x4.splat(decay));
  const zero = f32x4.splat(0);
  for (let v = 0; v < V; v++) {
    const o = row32(W, v);
    const bRow = row32(B_NEW, v);
    const s = <f32>f64At(S, v);
    const s4 = held(4, f32x4.splat(s));
    const cap = s * <f32>MAXINT;
    const buy = <f32>capacityAlpha * cap;
    const cap4 = held(5, f32x4.splat(cap));
    const buy4 = held(6, f32x4.splat(buy));
    let acc = zero;
    let m = 0;
    for (; m < end8; m += 8) {
      const at = <usize>m << 2;
      const x0 = rankBond4<No>(y3, hasOld, v128.load(o + at), at, bRow, s4, a4, k4, one, cap4, buy4, decay4, r32, c32, col);
      const x1 = rankBond4<Yes>(y3, hasOld, v128.load(o + at, 16), at, bRow, s4, a4, k4, one, cap4, buy4, decay4, r32, c32, col);
      if (!y3) acc = f32x4.add(f32x4.add(acc, x0), x1);
    }
    if (m < end) {
      const at = <usize>m << 2;
      const x = rankBond4<No>(y3, hasOld, v128.load(o + at), at, bRow, s4, a4, k4, one, cap4, buy4, decay4, r32, c32, col);
      if (!y3) acc = f32x4.add(acc, x);
      m += 4;
    }
    let sum: f32 = end > 0 ? lanesTotal32(acc) : 0;
    for (; m < n; m++) {
      const at = <usize>m << 2;
      const w = load<f32>(o + at);
      const c = load<f32>(c32 + at);
      const x = w < c ? w : c;
      store<f32>(r32 + at, load<f32>(r32 + at) + s * x);
      sum += x;
      const old: f32 = hasOld ? load<f32>(bRow + at) : 0;
      const b = y3 ? relativeStep32(old, w, a, keep) : capacityStep32(old, w, cap, buy, decay);
      store<f32>(bRow + at, b);
      store<f32>(col + at, load<f32>(col + at) + b);
    }
    if (!y3) setF64(ROW_SUM_WC, v, <f64>sum);
  }
}
