// Stake shares, the weight check, row normalisation W / (Σ_row W + 1e-6) in place, the prerank P = Σ_v S·W,
// the row sums of the normalised weights and the row's consensus bucket keys, while the row is in cache. (The
// bond update of Yuma 2C and Yuma 3 without liquid alpha needs no consensus either, but runs in the rank pass:
// here it would push the weights the consensus gathers from next out of the cache.)
import { prepareKeys, rowKeys, rowKeys32 } from './consensus';
import { M, P, P32, ROW_SUM_W, S, V, W, f64At, fr, row32, rowAt, setF64 } from './job';
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
 * state is only ever written to the other buffer, so nothing is lost). `keys`: file the row's weights into the
 * consensus buckets (rowKeys).
 */
export function normalizeRows(keys: bool): bool {
  const n = M;
  const end = vectorEnd(n);
  const zero = f64x2.splat(0);
  const inf = f64x2.splat(Infinity);
  memory.fill(P, 0, <usize>n << 3);
  if (keys) prepareKeys();
  for (let v = 0; v < V; v++) {
    const o = rowAt(W, v);
    // Raw row sum; every entry must satisfy 0 ≤ w < ∞ (NaN fails both comparisons).
    let a = zero;
    let b = zero;
    let ok = v128.not(zero);
    let m = 0;
    for (; m < end; m += 4) {
      const x0 = v128.load(o + (<usize>m << 3));
      const x1 = v128.load(o + (<usize>m << 3), 16);
      ok = v128.and(ok, v128.and(v128.and(f64x2.ge(x0, zero), f64x2.lt(x0, inf)), v128.and(f64x2.ge(x1, zero), f64x2.lt(x1, inf))));
      a = f64x2.add(a, x0);
      b = f64x2.add(b, x1);
    }
    if (!i64x2.all_true(ok)) return false;
    let raw = lanesTotal(a, b);
    for (; m < n; m++) {
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
    if (keys) rowKeys(v);
  }
  return true;
}


/** stakeShares in float32: the total and each share rounded (S holds float32 values). */
export function stakeShares32(): void {
  let total = 0.0;
  for (let v = 0; v < V; v++) total = fr(total + f64At(S, v));
  for (let v = 0; v < V; v++) setF64(S, v, fr(f64At(S, v) / total));
}

/**
 * normalizeRows over f32 weights, every operation rounded to float32 (src/research/kernel.ts's f32 branch):
 * den = Σ_row W + ε, W / den, P += s·x, the normalised row's sum; keys as rowKeys.
 */
export function normalizeRows32(keys: bool): bool {
  const n = M;
  const end = vectorEnd(n);
  const zero = f32x4.splat(0);
  const inf = f32x4.splat(Infinity);
  const eps: f32 = <f32>1e-6;
  memory.fill(P32, 0, <usize>n << 2);
  if (keys) prepareKeys();
  for (let v = 0; v < V; v++) {
    const o = row32(W, v);
    let a = zero;
    let ok = v128.not(zero);
    let m = 0;
    for (; m < end; m += 4) {
      const x = v128.load(o + (<usize>m << 2));
      ok = v128.and(ok, v128.and(f32x4.ge(x, zero), f32x4.lt(x, inf)));
      a = f32x4.add(a, x);
    }
    if (!i32x4.all_true(ok)) return false;
    let raw: f32 = end > 0 ? lanesTotal32(a) : 0;
    for (; m < n; m++) {
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
    if (keys) rowKeys32(v);
  }
  toF64(P, P32, n);
  return true;
}
