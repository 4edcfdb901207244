// Stake shares, the weight check, row normalisation W / (Σ_row W + 1e-6) in place, the prerank P = Σ_v S·W and
// the row sums of the normalised weights, while the row is in cache. (The consensus files its bucket keys in a
// pass of its own: their scale per column is the prerank, known only after the last row. The
// bond update of Yuma 2C and Yuma 3 without liquid alpha needs no consensus either, but runs in the rank pass:
// here it would push the weights the consensus gathers from next out of the cache.)
import { LANE_MIN } from './abi';
import { M, P, P32, ROW_SUM_W, S, V, W, W_IN, f64At, fr, row32, rowAt, setF64 } from './job';
import { lanesTotal, laneSum, vectorEnd } from './lanes';
import { lanesTotal32, laneSum32, toF64 } from './lanes32';

// Compile-time switches (as in rank.ts): a function instantiated with Yes compiles the branch isSigned<T>() guards.
type Yes = i8;
type No = u8;

/** S / ΣS in place (the sum in validator order). */
export function stakeShares(): void {
  let total = 0.0;
  for (let v = 0; v < V; v++) total += f64At(S, v);
  for (let v = 0; v < V; v++) setF64(S, v, f64At(S, v) / total);
}

/**
 * Returns false at the first row holding a negative, NaN or infinite weight (the caller then names it; the bond
 * state is only ever written to the other buffer, so nothing is lost).
 */
export function normalizeRows(): bool {
  const n = M;
  const end = vectorEnd(n);
  const zero = f64x2.splat(0);
  const inf = f64x2.splat(Infinity);
  memory.fill(P, 0, <usize>n << 3);
  if (n >= LANE_MIN) return rowsAhead<f64>(n);
  for (let v = 0; v < V; v++) {
    const o = rowAt(W, v);
    // Rows shorter than LANE_MIN: the raw weights, when in a buffer of their own, are copied into W first.
    const src = W_IN != 0 ? rowAt(W_IN, v) : 0;
    // Raw row sum; every entry must satisfy 0 ≤ w < ∞ (NaN fails both comparisons).
    let a = zero;
    let b = zero;
    let ok = v128.not(zero);
    let m = 0;
    if (src != 0) {
      for (; m < end; m += 4) {
        const x0 = v128.load(src + (<usize>m << 3));
        const x1 = v128.load(src + (<usize>m << 3), 16);
        v128.store(o + (<usize>m << 3), x0);
        v128.store(o + (<usize>m << 3), x1, 16);
        ok = v128.and(ok, v128.and(v128.and(f64x2.ge(x0, zero), f64x2.lt(x0, inf)), v128.and(f64x2.ge(x1, zero), f64x2.lt(x1, inf))));
        a = f64x2.add(a, x0);
        b = f64x2.add(b, x1);
      }
    } else {
      for (; m < end; m += 4) {
        const x0 = v128.load(o + (<usize>m << 3));
        const x1 = v128.load(o + (<usize>m << 3), 16);
        ok = v128.and(ok, v128.and(v128.and(f64x2.ge(x0, zero), f64x2.lt(x0, inf)), v128.and(f64x2.ge(x1, zero), f64x2.lt(x1, inf))));
        a = f64x2.add(a, x0);
        b = f64x2.add(b, x1);
      }
    }
    if (!i64x2.all_true(ok)) return false;
    let raw = lanesTotal(a, b);
    for (; m < n; m++) {
      if (src != 0) store<f64>(o + (<usize>m << 3), load<f64>(src + (<usize>m << 3)));
      const x = load<f64>(o + (<usize>m << 3));
      if (!(x >= 0 && x < Infinity)) return false;
      raw += x;
    }
    const den = raw + 1e-6;
    const s = f64At(S, v);
    const d2 = f64x2.splat(den);
    const s2 = f64x2.splat(s);
    m = 0;
    const vend = n & ~1;
    for (; m < vend; m += 2) {
      const at = o + (<usize>m << 3);
      const x = f64x2.div(v128.load(at), d2);
      v128.store(at, x);
      const pAt = P + (<usize>m << 3);
      v128.store(pAt, f64x2.add(v128.load(pAt), f64x2.mul(s2, x)));
    }
    for (; m < n; m++) {
      const x = load<f64>(o + (<usize>m << 3)) / den;
      store<f64>(o + (<usize>m << 3), x);
      setF64(P, m, f64At(P, m) + s * x);
    }
    setF64(ROW_SUM_W, v, laneSum(o, n));
  }
  return true;
}

/**
 * The raw sum of a row's LANE_MIN or more weights at i in the lane order, or NaN if one of them is negative, NaN
 * or infinite (a sum of weights that pass is never NaN).
 */
function rawRow(i: usize, n: i32): f64 {
  const end = n & ~3;
  const zero = f64x2.splat(0);
  let a = zero;
  let b = zero;
  let lo = zero;
  let hi = zero;
  let m = 0;
  for (; m < end; m += 4) {
    const x0 = v128.load(i + (<usize>m << 3));
    const x1 = v128.load(i + (<usize>m << 3), 16);
    lo = f64x2.pmin(f64x2.pmin(lo, x0), x1);
    hi = f64x2.pmax(f64x2.pmax(hi, x0), x1);
    a = f64x2.add(a, x0);
    b = f64x2.add(b, x1);
  }
  return rowTotal(a, b, lo, hi, i, m, n);
}

/** rowTotal32 in f64: the raw sum from its lanes and the tail [m, n) at i, or NaN for a bad row. */
// @ts-ignore: decorator
@inline function rowTotal(a: v128, b: v128, lo: v128, hi: v128, i: usize, m: i32, n: i32): f64 {
  let raw = lanesTotal(a, b);
  let fine = i64x2.all_true(v128.and(f64x2.ge(lo, f64x2.splat(0)), f64x2.lt(hi, f64x2.splat(Infinity))));
  for (; m < n; m++) {
    const x = load<f64>(i + (<usize>m << 3));
    if (!(x >= 0 && x < Infinity)) fine = false;
    raw += x;
  }
  return fine ? raw : NaN;
}

/**
 * Rows of LANE_MIN or more, in f64 (T = f64: divideRow, rawRow) or float32 (T = f32: divideRow32, rawRow32, every
 * operation rounded to float32): each row's division, prerank and normalised sum in one loop that also reads the
 * next row's raw weights for its sum and check, so the next row's lines stream in from memory while the divider
 * works on this row (a separate sum loop before each division waited on memory, then the division on the
 * divider: the two costs added). The raw weights are read from W_IN when the run has one (no copy: in f64 the
 * copy's stores cost more than a tenth of this pass), else divided in place in W. Each lane and the tails add
 * in the order of rawRow and laneSum (rawRow32 and laneSum32). The precision is a compile-time branch: no
 * instance tests it per row. (The division loops stay two: their lanes, widths and roundings differ.)
 */
function rowsAhead<T>(n: i32): bool {
  const wide = sizeof<T>() == 8;
  const src = W_IN != 0 ? W_IN : W;
  let raw: T = wide ? <T>rawRow(rowOf<T>(src, 0), n) : <T>rawRow32(rowOf<T>(src, 0), n);
  for (let v = 0; v < V; v++) {
    if (isNaN<T>(raw)) return false;
    const o = rowOf<T>(W, v);
    const i = rowOf<T>(src, v);
    const den: T = raw + <T>1e-6;
    const s = <T>f64At(S, v);
    const last = v + 1 == V;
    if (wide) {
      if (!last) raw = <T>divideRow<Yes>(i, o, n, <f64>den, <f64>s, v, rowOf<T>(src, v + 1));
      else divideRow<No>(i, o, n, <f64>den, <f64>s, v, 0);
    } else {
      if (!last) raw = <T>divideRow32<Yes>(i, o, n, <f32>den, <f32>s, v, rowOf<T>(src, v + 1));
      else divideRow32<No>(i, o, n, <f32>den, <f32>s, v, 0);
    }
  }
  return true;
}

/** Byte offset of row v of a V×M matrix of T. */
// @ts-ignore: decorator
@inline function rowOf<T>(base: usize, v: i32): usize {
  return base + <usize>v * <usize>M * sizeof<T>();
}

/** Row v from i into o, W / den, P += s·x, its sum into ROW_SUM_W; with NEXT, returns rawRow(j, n). */
// @ts-ignore: decorator
@inline function divideRow<NEXT>(i: usize, o: usize, n: i32, den: f64, s: f64, v: i32, j: usize): f64 {
  const next = isSigned<NEXT>();
  const zero = f64x2.splat(0);
  const d2 = f64x2.splat(den);
  const s2 = f64x2.splat(s);
  let a = zero;
  let b = zero;
  let na = zero;
  let nb = zero;
  let lo = zero;
  let hi = zero;
  let m = 0;
  for (; m + 16 <= n; m += 16) {
    const at = o + (<usize>m << 3);
    const pAt = P + (<usize>m << 3);
    const ia = i + (<usize>m << 3);
    if (next) {
      const ja = j + (<usize>m << 3);
      const y0 = v128.load(ja);
      const y1 = v128.load(ja, 16);
      const y2 = v128.load(ja, 32);
      const y3 = v128.load(ja, 48);
      const y4 = v128.load(ja, 64);
      const y5 = v128.load(ja, 80);
      const y6 = v128.load(ja, 96);
      const y7 = v128.load(ja, 112);
      lo = f64x2.pmin(f64x2.pmin(f64x2.pmin(lo, y0), f64x2.pmin(y1, y2)), f64x2.pmin(f64x2.pmin(y3, y4), f64x2.pmin(y5, y6)));
      hi = f64x2.pmax(f64x2.pmax(f64x2.pmax(hi, y0), f64x2.pmax(y1, y2)), f64x2.pmax(f64x2.pmax(y3, y4), f64x2.pmax(y5, y6)));
      lo = f64x2.pmin(lo, y7);
      hi = f64x2.pmax(hi, y7);
      na = f64x2.add(f64x2.add(f64x2.add(f64x2.add(na, y0), y2), y4), y6);
      nb = f64x2.add(f64x2.add(f64x2.add(f64x2.add(nb, y1), y3), y5), y7);
    }
    const x0 = f64x2.div(v128.load(ia), d2);
    const x1 = f64x2.div(v128.load(ia, 16), d2);
    const x2 = f64x2.div(v128.load(ia, 32), d2);
    const x3 = f64x2.div(v128.load(ia, 48), d2);
    const x4 = f64x2.div(v128.load(ia, 64), d2);
    const x5 = f64x2.div(v128.load(ia, 80), d2);
    const x6 = f64x2.div(v128.load(ia, 96), d2);
    const x7 = f64x2.div(v128.load(ia, 112), d2);
    v128.store(at, x0);
    v128.store(at, x1, 16);
    v128.store(at, x2, 32);
    v128.store(at, x3, 48);
    v128.store(at, x4, 64);
    v128.store(at, x5, 80);
    v128.store(at, x6, 96);
    v128.store(at, x7, 112);
    v128.store(pAt, f64x2.add(v128.load(pAt), f64x2.mul(s2, x0)));
    v128.store(pAt, f64x2.add(v128.load(pAt, 16), f64x2.mul(s2, x1)), 16);
    v128.store(pAt, f64x2.add(v128.load(pAt, 32), f64x2.mul(s2, x2)), 32);
    v128.store(pAt, f64x2.add(v128.load(pAt, 48), f64x2.mul(s2, x3)), 48);
    v128.store(pAt, f64x2.add(v128.load(pAt, 64), f64x2.mul(s2, x4)), 64);
    v128.store(pAt, f64x2.add(v128.load(pAt, 80), f64x2.mul(s2, x5)), 80);
    v128.store(pAt, f64x2.add(v128.load(pAt, 96), f64x2.mul(s2, x6)), 96);
    v128.store(pAt, f64x2.add(v128.load(pAt, 112), f64x2.mul(s2, x7)), 112);
    a = f64x2.add(f64x2.add(f64x2.add(f64x2.add(a, x0), x2), x4), x6);
    b = f64x2.add(f64x2.add(f64x2.add(f64x2.add(b, x1), x3), x5), x7);
  }
  const end = n & ~3;
  for (; m < end; m += 4) {
    const at = o + (<usize>m << 3);
    const pAt = P + (<usize>m << 3);
    if (next) {
      const y0 = v128.load(j + (<usize>m << 3));
      const y1 = v128.load(j + (<usize>m << 3), 16);
      lo = f64x2.pmin(f64x2.pmin(lo, y0), y1);
      hi = f64x2.pmax(f64x2.pmax(hi, y0), y1);
      na = f64x2.add(na, y0);
      nb = f64x2.add(nb, y1);
    }
    const x0 = f64x2.div(v128.load(i + (<usize>m << 3)), d2);
    const x1 = f64x2.div(v128.load(i + (<usize>m << 3), 16), d2);
    v128.store(at, x0);
    v128.store(at, x1, 16);
    v128.store(pAt, f64x2.add(v128.load(pAt), f64x2.mul(s2, x0)));
    v128.store(pAt, f64x2.add(v128.load(pAt, 16), f64x2.mul(s2, x1)), 16);
    a = f64x2.add(a, x0);
    b = f64x2.add(b, x1);
  }
  const tail = m;
  let sum = lanesTotal(a, b);
  for (; m < n; m++) {
    const x = load<f64>(i + (<usize>m << 3)) / den;
    store<f64>(o + (<usize>m << 3), x);
    setF64(P, m, f64At(P, m) + s * x);
    sum += x;
  }
  setF64(ROW_SUM_W, v, sum);
  return next ? rowTotal(na, nb, lo, hi, j, tail, n) : 0;
}

/** stakeShares in float32: the total and each share rounded (S holds float32 values). */
export function stakeShares32(): void {
  let total = 0.0;
  for (let v = 0; v < V; v++) total = fr(total + f64At(S, v));
  for (let v = 0; v < V; v++) setF64(S, v, fr(f64At(S, v) / total));
}

/**
 * normalizeRows over f32 weights, every operation rounded to float32 (src/research/kernel.ts's f32 branch):
 * den = Σ_row W + ε, W / den, P += s·x, the normalised row's sum.
 */
export function normalizeRows32(): bool {
  const n = M;
  const end = vectorEnd(n);
  const zero = f32x4.splat(0);
  const inf = f32x4.splat(Infinity);
  const eps: f32 = <f32>1e-6;
  memory.fill(P32, 0, <usize>n << 2);
  if (n >= LANE_MIN) {
    if (!rowsAhead<f32>(n)) return false;
    toF64(P, P32, n);
    return true;
  }
  for (let v = 0; v < V; v++) {
    const o = row32(W, v);
    // Rows shorter than LANE_MIN: the raw weights, when in a buffer of their own, are copied into W first.
    const src = W_IN != 0 ? row32(W_IN, v) : 0;
    let a = zero;
    let ok = v128.not(zero);
    let m = 0;
    if (src != 0) {
      for (; m < end; m += 4) {
        const x = v128.load(src + (<usize>m << 2));
        v128.store(o + (<usize>m << 2), x);
        ok = v128.and(ok, v128.and(f32x4.ge(x, zero), f32x4.lt(x, inf)));
        a = f32x4.add(a, x);
      }
    } else {
      for (; m < end; m += 4) {
        const x = v128.load(o + (<usize>m << 2));
        ok = v128.and(ok, v128.and(f32x4.ge(x, zero), f32x4.lt(x, inf)));
        a = f32x4.add(a, x);
      }
    }
    if (!i32x4.all_true(ok)) return false;
    let raw: f32 = end > 0 ? lanesTotal32(a) : 0;
    for (; m < n; m++) {
      if (src != 0) store<f32>(o + (<usize>m << 2), load<f32>(src + (<usize>m << 2)));
      const x = load<f32>(o + (<usize>m << 2));
      if (!(x >= 0 && x < Infinity)) return false;
      raw += x;
    }
    const den = raw + eps;
    const s = <f32>f64At(S, v);
    const d4 = f32x4.splat(den);
    const s4 = f32x4.splat(s);
    m = 0;
    const vend = n & ~3;
    for (; m < vend; m += 4) {
      const at = o + (<usize>m << 2);
      const x = f32x4.div(v128.load(at), d4);
      v128.store(at, x);
      const pAt = P32 + (<usize>m << 2);
      v128.store(pAt, f32x4.add(v128.load(pAt), f32x4.mul(s4, x)));
    }
    for (; m < n; m++) {
      const at = o + (<usize>m << 2);
      const x = load<f32>(at) / den;
      store<f32>(at, x);
      const pAt = P32 + (<usize>m << 2);
      store<f32>(pAt, load<f32>(pAt) + s * x);
    }
    setF64(ROW_SUM_W, v, <f64>laneSum32(o, n));
  }
  toF64(P, P32, n);
  return true;
}

/**
 * The raw sum of a row's LANE_MIN or more weights at i in the lane order, or NaN if one of them is negative, NaN
 * or infinite (a sum of weights that pass is never NaN).
 */
function rawRow32(i: usize, n: i32): f32 {
  const end = n & ~3;
  const zero = f32x4.splat(0);
  let a = zero;
  let lo = zero;
  let hi = zero;
  let m = 0;
  for (; m < end; m += 4) {
    const x = v128.load(i + (<usize>m << 2));
    lo = f32x4.pmin(lo, x);
    hi = f32x4.pmax(hi, x);
    a = f32x4.add(a, x);
  }
  return rowTotal32(a, lo, hi, i, m, n);
}

/**
 * The raw sum's total from its lanes a and the tail [m, n) at i, or NaN for a bad row: a negative weight (−0
 * is not) leaves a lane of lo below 0, +∞ a lane of hi at ∞, and a NaN makes the sum NaN (every weight is one of
 * its terms; so does −∞ with +∞, and −∞ alone leaves lo at −∞). pmin / pmax are single instructions where
 * the checks they replace (two compares and an and per vector) were three.
 */
// @ts-ignore: decorator
@inline function rowTotal32(a: v128, lo: v128, hi: v128, i: usize, m: i32, n: i32): f32 {
  let raw = lanesTotal32(a);
  let fine = i32x4.all_true(v128.and(f32x4.ge(lo, f32x4.splat(0)), f32x4.lt(hi, f32x4.splat(Infinity))));
  for (; m < n; m++) {
    const x = load<f32>(i + (<usize>m << 2));
    if (!(x >= 0 && x < Infinity)) fine = false;
    raw += x;
  }
  return fine ? raw : NaN;
}

/** Row v from i into o, W / den, P32 += s·x, its sum into ROW_SUM_W; with NEXT, returns rawRow32(j, n). */
// @ts-ignore: decorator
@inline function divideRow32<NEXT>(i: usize, o: usize, n: i32, den: f32, s: f32, v: i32, j: usize): f32 {
  const next = isSigned<NEXT>();
  const zero = f32x4.splat(0);
  const inf = f32x4.splat(Infinity);
  const d4 = f32x4.splat(den);
  const s4 = f32x4.splat(s);
  let a = zero;
  let na = zero;
  let lo = zero;
  let hi = zero;
  let m = 0;
  for (; m + 16 <= n; m += 16) {
    const at = o + (<usize>m << 2);
    const pAt = P32 + (<usize>m << 2);
    const ia = i + (<usize>m << 2);
    if (next) {
      const ja = j + (<usize>m << 2);
      const y0 = v128.load(ja);
      const y1 = v128.load(ja, 16);
      const y2 = v128.load(ja, 32);
      const y3 = v128.load(ja, 48);
      lo = f32x4.pmin(f32x4.pmin(lo, y0), f32x4.pmin(y1, y2));
      hi = f32x4.pmax(f32x4.pmax(hi, y0), f32x4.pmax(y1, y2));
      lo = f32x4.pmin(lo, y3);
      hi = f32x4.pmax(hi, y3);
      na = f32x4.add(f32x4.add(f32x4.add(f32x4.add(na, y0), y1), y2), y3);
    }
    const x0 = f32x4.div(v128.load(ia), d4);
    const x1 = f32x4.div(v128.load(ia, 16), d4);
    const x2 = f32x4.div(v128.load(ia, 32), d4);
    const x3 = f32x4.div(v128.load(ia, 48), d4);
    v128.store(at, x0);
    v128.store(at, x1, 16);
    v128.store(at, x2, 32);
    v128.store(at, x3, 48);
    v128.store(pAt, f32x4.add(v128.load(pAt), f32x4.mul(s4, x0)));
    v128.store(pAt, f32x4.add(v128.load(pAt, 16), f32x4.mul(s4, x1)), 16);
    v128.store(pAt, f32x4.add(v128.load(pAt, 32), f32x4.mul(s4, x2)), 32);
    v128.store(pAt, f32x4.add(v128.load(pAt, 48), f32x4.mul(s4, x3)), 48);
    a = f32x4.add(f32x4.add(f32x4.add(f32x4.add(a, x0), x1), x2), x3);
  }
  const end = n & ~3;
  for (; m < end; m += 4) {
    const at = o + (<usize>m << 2);
    const pAt = P32 + (<usize>m << 2);
    if (next) {
      const y = v128.load(j + (<usize>m << 2));
      lo = f32x4.pmin(lo, y);
      hi = f32x4.pmax(hi, y);
      na = f32x4.add(na, y);
    }
    const x = f32x4.div(v128.load(i + (<usize>m << 2)), d4);
    v128.store(at, x);
    v128.store(pAt, f32x4.add(v128.load(pAt), f32x4.mul(s4, x)));
    a = f32x4.add(a, x);
  }
  const tail = m;
  let sum: f32 = lanesTotal32(a);
  for (; m < n; m++) {
    const x = load<f32>(i + (<usize>m << 2)) / den;
    store<f32>(o + (<usize>m << 2), x);
    const pAt = P32 + (<usize>m << 2);
    store<f32>(pAt, load<f32>(pAt) + s * x);
    sum += x;
  }
  setF64(ROW_SUM_W, v, <f64>sum);
  return next ? rowTotal32(na, lo, hi, j, tail, n) : 0;
}
