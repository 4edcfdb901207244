// Stake shares, the weight check, row normalisation W / (Σ_row W + 1e-6) in place, the prerank P = Σ_v S·W and
// the row sums of the normalised weights, while the row is in cache. (The consensus files its bucket keys in a
// pass of its own: their scale per column is the prerank, known only after the last row. The
// bond update of Yuma 2C and Yuma 3 without liquid alpha needs no consensus either, but runs in the rank pass:
// here it would push the weights the consensus gathers from next out of the cache.)
import { LANE_MIN } from './abi';
import { M, P, P32, ROW_SUM_W, S, V, W, W_IN, f64At, fr, row32, rowAt, setF64 } from './job';
import { lanesTotal, laneSum, vectorEnd } from './lanes';
import { lanesTotal32, laneSum32, toF64 } from './lanes32';

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
  for (let v = 0; v < V; v++) {
    const o = rowAt(W, v);
    // The raw weights, when in a buffer of their own, are read from there by the division of a row of
    // LANE_MIN or more (no copy: in f64 the copy's stores cost more than a tenth of this pass) and copied into W
    // on the way in a shorter one.
    const src = W_IN != 0 ? rowAt(W_IN, v) : 0;
    // Raw row sum; every entry must satisfy 0 ≤ w < ∞ (NaN fails both comparisons).
    let a = zero;
    let b = zero;
    let ok = v128.not(zero);
    let m = 0;
    if (src != 0 && n >= LANE_MIN) {
      // The division below reads the raw row from src and writes W: no copy.
      for (; m < end; m += 4) {
        const x0 = v128.load(src + (<usize>m << 3));
        const x1 = v128.load(src + (<usize>m << 3), 16);
        ok = v128.and(ok, v128.and(v128.and(f64x2.ge(x0, zero), f64x2.lt(x0, inf)), v128.and(f64x2.ge(x1, zero), f64x2.lt(x1, inf))));
        a = f64x2.add(a, x0);
        b = f64x2.add(b, x1);
      }
    } else if (src != 0) {
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
    if (n >= LANE_MIN) {
      fusedRow(src != 0 ? src : o, o, n, d2, s2, den, s, v);
      continue;
    }
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
 * A row of LANE_MIN or more weights, raw at i (W_IN's row or o), normalised into o: the division, the prerank
 * and the normalised row's lane sum of 16 weights at a time in one loop (the same operations, in the same order per lane and per column, as the separate loops
 * above and laneSum).
 */
// @ts-ignore: decorator
@inline function fusedRow(i: usize, o: usize, n: i32, d2: v128, s2: v128, den: f64, s: f64, v: i32): void {
  let a = f64x2.splat(0);
  let b = f64x2.splat(0);
  let m = 0;
  for (; m + 16 <= n; m += 16) {
    const at = o + (<usize>m << 3);
    const pAt = P + (<usize>m << 3);
    const ia = i + (<usize>m << 3);
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
    const x0 = f64x2.div(v128.load(i + (<usize>m << 3)), d2);
    const x1 = f64x2.div(v128.load(i + (<usize>m << 3), 16), d2);
    v128.store(at, x0);
    v128.store(at, x1, 16);
    v128.store(pAt, f64x2.add(v128.load(pAt), f64x2.mul(s2, x0)));
    v128.store(pAt, f64x2.add(v128.load(pAt, 16), f64x2.mul(s2, x1)), 16);
    a = f64x2.add(a, x0);
    b = f64x2.add(b, x1);
  }
  let sum = lanesTotal(a, b);
  for (; m < n; m++) {
    const x = load<f64>(o + (<usize>m << 3)) / den;
    store<f64>(o + (<usize>m << 3), x);
    setF64(P, m, f64At(P, m) + s * x);
    sum += x;
  }
  setF64(ROW_SUM_W, v, sum);
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
    if (!rowsAhead32(n)) return false;
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

type Yes = i8;
type No = u8;

/**
 * The raw sum of a row's LANE_MIN or more weights at i in the lane order, or NaN if one of them is negative, NaN
 * or infinite (a sum of weights that pass is never NaN).
 */
function rawRow32(i: usize, n: i32): f32 {
  const end = n & ~3;
  const zero = f32x4.splat(0);
  const inf = f32x4.splat(Infinity);
  let a = zero;
  let ok = v128.not(zero);
  let m = 0;
  for (; m < end; m += 4) {
    const x = v128.load(i + (<usize>m << 2));
    ok = v128.and(ok, v128.and(f32x4.ge(x, zero), f32x4.lt(x, inf)));
    a = f32x4.add(a, x);
  }
  let raw = lanesTotal32(a);
  let fine = i32x4.all_true(ok);
  for (; m < n; m++) {
    const x = load<f32>(i + (<usize>m << 2));
    if (!(x >= 0 && x < Infinity)) fine = false;
    raw += x;
  }
  return fine ? raw : NaN;
}

/**
 * Rows of LANE_MIN or more: each row's division, prerank and normalised sum in one loop that also reads the
 * next row's raw weights for its sum and check, so the next row's lines stream in from memory while the divider
 * works on this row (a separate sum loop before each division waited on memory, then the division on the
 * divider: the two costs added). The raw weights are read from W_IN when the run has one (no copy), else
 * divided in place in W. Each lane and the tails add in the order of rawRow32 and laneSum32.
 */
function rowsAhead32(n: i32): bool {
  const eps: f32 = <f32>1e-6;
  let raw = rawRow32(W_IN != 0 ? row32(W_IN, 0) : row32(W, 0), n);
  for (let v = 0; v < V; v++) {
    if (isNaN(raw)) return false;
    const o = row32(W, v);
    const i = W_IN != 0 ? row32(W_IN, v) : o;
    const den = raw + eps;
    const s = <f32>f64At(S, v);
    if (v + 1 < V) raw = divideRow32<Yes>(i, o, n, den, s, v, W_IN != 0 ? row32(W_IN, v + 1) : row32(W, v + 1));
    else divideRow32<No>(i, o, n, den, s, v, 0);
  }
  return true;
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
  let ok = v128.not(zero);
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
      const g0 = v128.and(f32x4.ge(y0, zero), f32x4.lt(y0, inf));
      const g1 = v128.and(f32x4.ge(y1, zero), f32x4.lt(y1, inf));
      const g2 = v128.and(f32x4.ge(y2, zero), f32x4.lt(y2, inf));
      const g3 = v128.and(f32x4.ge(y3, zero), f32x4.lt(y3, inf));
      ok = v128.and(ok, v128.and(v128.and(g0, g1), v128.and(g2, g3)));
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
      ok = v128.and(ok, v128.and(f32x4.ge(y, zero), f32x4.lt(y, inf)));
      na = f32x4.add(na, y);
    }
    const x = f32x4.div(v128.load(i + (<usize>m << 2)), d4);
    v128.store(at, x);
    v128.store(pAt, f32x4.add(v128.load(pAt), f32x4.mul(s4, x)));
    a = f32x4.add(a, x);
  }
  let sum: f32 = lanesTotal32(a);
  let raw: f32 = next ? lanesTotal32(na) : 0;
  let fine = next ? i32x4.all_true(ok) : true;
  for (; m < n; m++) {
    const x = load<f32>(i + (<usize>m << 2)) / den;
    store<f32>(o + (<usize>m << 2), x);
    const pAt = P32 + (<usize>m << 2);
    store<f32>(pAt, load<f32>(pAt) + s * x);
    sum += x;
    if (next) {
      const y = load<f32>(j + (<usize>m << 2));
      if (!(y >= 0 && y < Infinity)) fine = false;
      raw += y;
    }
  }
  setF64(ROW_SUM_W, v, <f64>sum);
  return fine ? raw : NaN;
}
