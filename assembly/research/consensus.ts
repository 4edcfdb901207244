// The simulator's consensus weight per server column, max{ w : Σ stake of weights ≥ w ≥ κ } (its sorted
// cumulative-stake quantile), with the bucketed selection of src/research/consensus.ts step for step — the
// same buckets, the same order of every addition — so both give the same bits. Here the columns go in
// blocks of BLOCK: one 64-byte line per row, and the block's bucket table (≤ 24 KB) stays in L1 while
// the rows stream past. Then C = trunc(Craw / ΣCraw · 65535) / 65535.
import { BLOCK, CONSENSUS_WORK, blockWidth, C, C_RAW, M, S, V, W, bucketsFor, consensusPrecision, degenerateArm, f64At, kappa, legacyConsensus, rowAt, setF64 } from './job';

const INT_MIN: f64 = -2147483648.0;

// @ts-ignore: decorator
@inline function reached(x: f64, k: f64): bool {
  return x >= k;
}

/** Bucket of a weight: the top bits of its IEEE-754 pattern (monotone in the value), clamped to [0, K). */
// @ts-ignore: decorator
@inline function keyOf(at: usize, shift: u32, keyBase: i32, top: i32): i32 {
  let k = <i32>(load<u32>(at, 4) >>> shift) - keyBase;
  k = k < 0 ? 0 : k;
  return k > top ? top : k;
}

export function consensusColumns(): void {
  const k = kappa;
  let total = 0.0;
  for (let v = 0; v < V; v++) total += f64At(S, v);
  if (!reached(total, k)) {
    // No prefix of any column reaches κ: the column's largest weight.
    for (let m = 0; m < M; m++) setF64(C_RAW, m, -Infinity);
    for (let v = 0; v < V; v++) {
      const o = rowAt(W, v);
      for (let m = 0; m < M; m++) {
        const x = load<f64>(o + (<usize>m << 3));
        if (x > f64At(C_RAW, m)) setF64(C_RAW, m, x);
      }
    }
    return;
  }
  const K = bucketsFor(V);
  const shift = <u32>(20 - (31 - clz<i32>(K)) + 5);
  const keyBase = <i32>(<u32>0x3ff00000 >>> shift) - K;
  const top = K - 1;
  const stake = CONSENSUS_WORK;
  const count = stake + ((<usize>K * BLOCK) << 3);
  const bucket = count + ((<usize>K * BLOCK) << 2);
  const above = bucket + (BLOCK << 3);
  const start = above + (BLOCK << 3);
  const fill = start + (BLOCK << 3);
  const candW = fill + (BLOCK << 3);
  const candS = candW + ((<usize>V * <usize>blockWidth(M)) << 3);
  for (let m0 = 0; m0 < M; m0 += BLOCK) {
    const bw = min(BLOCK, M - m0);
    memory.fill(stake, 0, (<usize>K * BLOCK) * 12);
    for (let v = 0; v < V; v++) {
      const o = rowAt(W, v) + (<usize>m0 << 3);
      const sv = f64At(S, v);
      for (let j = 0; j < bw; j++) {
        const b = keyOf(o + (<usize>j << 3), shift, keyBase, top) * BLOCK + j;
        const sAt = stake + (<usize>b << 3);
        store<f64>(sAt, load<f64>(sAt) + sv);
        const cAt = count + (<usize>b << 2);
        store<i32>(cAt, load<i32>(cAt) + 1);
      }
    }
    // Walk each column's buckets from the top until the running stake reaches κ.
    let room = 0;
    for (let j = 0; j < bw; j++) {
      let up = 0.0;
      let kb = top;
      for (; kb > 0; kb--) {
        const next = up + load<f64>(stake + ((<usize>(kb * BLOCK + j)) << 3));
        if (reached(next, k)) break;
        up = next;
      }
      store<i32>(bucket + (<usize>j << 2), kb);
      store<f64>(above + (<usize>j << 3), up);
      store<i32>(start + (<usize>j << 2), room);
      store<i32>(fill + (<usize>j << 2), room);
      room += load<i32>(count + ((<usize>(kb * BLOCK + j)) << 2));
    }
    // The weights of each column's crossing bucket, in row order.
    for (let v = 0; v < V; v++) {
      const o = rowAt(W, v) + (<usize>m0 << 3);
      const sv = f64At(S, v);
      for (let j = 0; j < bw; j++) {
        const at = o + (<usize>j << 3);
        if (keyOf(at, shift, keyBase, top) != load<i32>(bucket + (<usize>j << 2))) continue;
        const fAt = fill + (<usize>j << 2);
        const c = load<i32>(fAt);
        store<i32>(fAt, c + 1);
        store<f64>(candW + (<usize>c << 3), load<f64>(at));
        store<f64>(candS + (<usize>c << 3), sv);
      }
    }
    for (let j = 0; j < bw; j++) {
      const lo = load<i32>(start + (<usize>j << 2));
      const hi = load<i32>(fill + (<usize>j << 2));
      setF64(C_RAW, m0 + j, selectColumn(candW, candS, lo, hi, load<f64>(above + (<usize>j << 3)), k));
    }
  }
}

// @ts-ignore: decorator
@inline function swap(w: usize, s: usize, i: i32, j: i32): void {
  const wi = load<f64>(w + (<usize>i << 3));
  const si = load<f64>(s + (<usize>i << 3));
  store<f64>(w + (<usize>i << 3), load<f64>(w + (<usize>j << 3)));
  store<f64>(s + (<usize>i << 3), load<f64>(s + (<usize>j << 3)));
  store<f64>(w + (<usize>j << 3), wi);
  store<f64>(s + (<usize>j << 3), si);
}

/** The exact weight in w[lo, hi) where the running stake, starting at `above`, reaches κ (values descending). */
function selectColumn(w: usize, s: usize, lo0: i32, hi0: i32, above0: f64, k: f64): f64 {
  let lo = lo0;
  let hi = hi0;
  let above = above0;
  const first = lo;
  for (;;) {
    if (hi - lo <= 16) {
      for (let i = lo + 1; i < hi; i++) {
        const wi = load<f64>(w + (<usize>i << 3));
        const si = load<f64>(s + (<usize>i << 3));
        let j = i - 1;
        while (j >= lo && load<f64>(w + (<usize>j << 3)) < wi) {
          store<f64>(w + (<usize>(j + 1) << 3), load<f64>(w + (<usize>j << 3)));
          store<f64>(s + (<usize>(j + 1) << 3), load<f64>(s + (<usize>j << 3)));
          j--;
        }
        store<f64>(w + (<usize>(j + 1) << 3), wi);
        store<f64>(s + (<usize>(j + 1) << 3), si);
      }
      for (let i = lo; i < hi; i++) {
        above += load<f64>(s + (<usize>i << 3));
        if (reached(above, k)) return load<f64>(w + (<usize>i << 3));
      }
      return hi > first ? load<f64>(w + (<usize>(hi - 1) << 3)) : 0;
    }
    const a = load<f64>(w + (<usize>lo << 3));
    const b = load<f64>(w + (<usize>((lo + hi) >>> 1) << 3));
    const c = load<f64>(w + (<usize>(hi - 1) << 3));
    const p = a < b ? (b < c ? b : a < c ? c : a) : a < c ? a : b < c ? c : b;
    // Three-way partition: [lo, gt) > p, [gt, i) == p, [lt, hi) < p.
    let gt = lo;
    let i = lo;
    let lt = hi;
    let sGt = 0.0;
    let sEq = 0.0;
    while (i < lt) {
      const wi = load<f64>(w + (<usize>i << 3));
      if (wi > p) {
        sGt += load<f64>(s + (<usize>i << 3));
        swap(w, s, i, gt);
        gt++;
        i++;
      } else if (wi < p) {
        lt--;
        swap(w, s, i, lt);
      } else {
        sEq += load<f64>(s + (<usize>i << 3));
        i++;
      }
    }
    if (gt > lo && reached(above + sGt, k)) {
      hi = gt;
    } else if (reached(above + sGt + sEq, k)) {
      return p;
    } else {
      above += sGt + sEq;
      lo = lt;
    }
  }
  return unreachable();
}

/**
 * The simulator's LEGACY_CONSENSUS=1 bisection: per column, halve [0, 1] until narrower than 1/precision,
 * keeping the upper end where strictly more than κ of stake weights above it. Every column takes the same
 * number of halvings (the width is 2⁻ⁱ exactly), so a block of columns goes through the rows together.
 */
export function bisectionConsensus(): void {
  const width = 1 / consensusPrecision;
  const k = kappa;
  const low = CONSENSUS_WORK;
  const high = low + (BLOCK << 3);
  const sum = high + (BLOCK << 3);
  const mid = sum + (BLOCK << 3);
  for (let m0 = 0; m0 < M; m0 += BLOCK) {
    const bw = min(BLOCK, M - m0);
    for (let j = 0; j < bw; j++) {
      setF64(low, j, 0.0);
      setF64(high, j, 1.0);
    }
    while (f64At(high, 0) - f64At(low, 0) > width) {
      for (let j = 0; j < bw; j++) {
        const x = (f64At(high, j) + f64At(low, j)) / 2;
        setF64(mid, j, x);
        setF64(sum, j, 0.0);
      }
      for (let v = 0; v < V; v++) {
        const o = rowAt(W, v) + (<usize>m0 << 3);
        const sv = f64At(S, v);
        for (let j = 0; j < bw; j++) {
          if (load<f64>(o + (<usize>j << 3)) > f64At(mid, j)) setF64(sum, j, f64At(sum, j) + sv);
        }
      }
      for (let j = 0; j < bw; j++) {
        if (f64At(sum, j) > k) setF64(low, j, f64At(mid, j));
        else setF64(high, j, f64At(mid, j));
      }
    }
    for (let j = 0; j < bw; j++) setF64(C_RAW, m0 + j, f64At(high, j));
  }
}

/** C = trunc(Craw / ΣCraw · 65535) / 65535; returns whether ΣCraw was 0 (see Numerics.degenerate). */
export function quantizeConsensus(): bool {
  let sum = 0.0;
  for (let m = 0; m < M; m++) sum += f64At(C_RAW, m);
  const degenerate = !(sum != 0);
  for (let m = 0; m < M; m++) {
    let k: f64;
    if (degenerate) k = degenerateArm ? 0 : INT_MIN;
    else k = Math.trunc((f64At(C_RAW, m) / sum) * 65535);
    setF64(C, m, k / 65535);
  }
  return degenerate;
}

export function consensus(): bool {
  if (legacyConsensus) bisectionConsensus();
  else consensusColumns();
  return quantizeConsensus();
}
