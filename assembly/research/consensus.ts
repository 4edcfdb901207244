// The simulator's consensus weight per server column, max{ w : Σ stake of weights ≥ w ≥ κ } (its sorted
// cumulative-stake quantile), with the bucketed selection of src/research/consensus.ts step for step — the
// same buckets, the same order of every addition, the same radix select — so both give the same bits. The weights are read once,
// row by row, while normalizeRows has the row in cache: rowKeys files each into its bucket (one byte). The
// bucket sums then run over the 1-byte keys in blocks of BLOCK columns (the table stays in L1, a row's keys
// are 8 bytes), and each span of columns gathers its crossing bucket's weights in one row-major pass that
// compares 16 keys at a time. Then C = trunc(Craw / ΣCraw · 65535) / 65535.
import {
  BLOCK, CONSENSUS_WORK, C, C32, C_RAW, KEYS, M, S, V, W, bucketsFor, candStride, consensusPrecision, degenerateArm, f32mode, f64At,
  fr, gatherSpan, kappa, keysBytes, legacyConsensus, row32, rowAt, setF64,
} from './job';
import { toF32 } from './lanes32';

const INT_MIN: f64 = -2147483648.0;

/**
 * The running stake has reached κ. T is the weights' type: in f32 epochs the double sum is rounded to float32
 * first (torch's cumsum). The consensus functions are generic in T so each precision compiles its own loops.
 */
// @ts-ignore: decorator
@inline function reached<T>(x: f64, k: f64): bool {
  return (sizeof<T>() == 4 ? fr(x) : x) >= k;
}

export let keyShift: u32 = 0;
export let keyBase: i32 = 0;
export let keyTop: i32 = 0;

/**
 * The bucket keys of this epoch (K from V): the top bits of a weight's IEEE-754 pattern without its sign (so
 * −0 files with 0), monotone in the value; K = 256 spends 3 mantissa bits on each of the 32 octaves below 1.
 */
export function prepareKeys(): void {
  const K = bucketsFor(V);
  keyShift = <u32>(25 - (31 - clz<i32>(K)));
  keyBase = <i32>(<u32>0x3ff00000 >>> keyShift) - K;
  keyTop = K - 1;
}

// @ts-ignore: decorator
@inline function keyOf(x: u32): i32 {
  let k = <i32>((x & 0x7fffffff) >>> keyShift) - keyBase;
  k = k < 0 ? 0 : k;
  return k > keyTop ? keyTop : k;
}

/** Clamped keys of four weights from their high words. */
// @ts-ignore: decorator
@inline export function keys4(a: v128, b: v128, base: v128, top: v128): v128 {
  const hi = v128.and(i8x16.shuffle(a, b, 4, 5, 6, 7, 12, 13, 14, 15, 20, 21, 22, 23, 28, 29, 30, 31), i32x4.splat(0x7fffffff));
  const k = i32x4.sub(i32x4.shr_u(hi, keyShift), base);
  return i32x4.min_s(i32x4.max_s(k, i32x4.splat(0)), top);
}

/** The bucket key of every weight of row v (normalised) from column `from` on, one byte each, into KEYS. */
export function rowKeys(v: i32, from: i32): void {
  const n = M;
  const src = rowAt(W, v);
  const dst = KEYS + <usize>v * <usize>n;
  const base = i32x4.splat(keyBase);
  const top = i32x4.splat(keyTop);
  let m = from;
  for (; m + 16 <= n; m += 16) {
    const at = src + (<usize>m << 3);
    const k0 = keys4(v128.load(at), v128.load(at, 16), base, top);
    const k1 = keys4(v128.load(at, 32), v128.load(at, 48), base, top);
    const k2 = keys4(v128.load(at, 64), v128.load(at, 80), base, top);
    const k3 = keys4(v128.load(at, 96), v128.load(at, 112), base, top);
    v128.store(dst + <usize>m, i8x16.narrow_i16x8_u(i16x8.narrow_i32x4_u(k0, k1), i16x8.narrow_i32x4_u(k2, k3)));
  }
  for (; m < n; m++) store<u8>(dst + <usize>m, <u8>keyOf(load<u32>(src + (<usize>m << 3), 4)));
}

/**
 * rowKeys over an f32 row: the same keys as the double pattern of each value, whose high word (sign cleared)
 * is the float32 pattern shifted right by 3 with the exponent rebased (+896 << 20) — exact for every normal
 * float32; zeros and subnormals land far below 2⁻³² and clamp to bucket 0 either way.
 */
export function rowKeys32(v: i32, from: i32): void {
  const n = M;
  const src = row32(W, v);
  const dst = KEYS + <usize>v * <usize>n;
  const base = i32x4.splat(keyBase);
  const top = i32x4.splat(keyTop);
  let m = from;
  for (; m + 16 <= n; m += 16) {
    const at = src + (<usize>m << 2);
    v128.store(dst + <usize>m, keys16of32(v128.load(at), v128.load(at, 16), v128.load(at, 32), v128.load(at, 48), base, top));
  }
  for (; m < n; m++) store<u8>(dst + <usize>m, <u8>keyOf((((load<u32>(src + (<usize>m << 2)) & 0x7fffffff) >>> 3) + 0x38000000)));
}

/** Clamped keys of four f32 weights. */
// @ts-ignore: decorator
@inline function keys4of32(x: v128, base: v128, top: v128): v128 {
  const hi = i32x4.add(i32x4.shr_u(v128.and(x, i32x4.splat(0x7fffffff)), 3), i32x4.splat(0x38000000));
  return i32x4.min_s(i32x4.max_s(i32x4.sub(i32x4.shr_u(hi, keyShift), base), i32x4.splat(0)), top);
}

/** The 16 key bytes of 16 consecutive f32 weights (four vectors), as rowKeys32 files them. */
// @ts-ignore: decorator
@inline export function keys16of32(x0: v128, x1: v128, x2: v128, x3: v128, base: v128, top: v128): v128 {
  return i8x16.narrow_i16x8_u(
    i16x8.narrow_i32x4_u(keys4of32(x0, base, top), keys4of32(x1, base, top)),
    i16x8.narrow_i32x4_u(keys4of32(x2, base, top), keys4of32(x3, base, top)),
  );
}

/** The 16 key bytes of 16 consecutive f64 weights (eight pairs), as rowKeys files them. */
// @ts-ignore: decorator
@inline export function keys16of64(x0: v128, x1: v128, x2: v128, x3: v128, x4: v128, x5: v128, x6: v128, x7: v128, base: v128, top: v128): v128 {
  return i8x16.narrow_i16x8_u(
    i16x8.narrow_i32x4_u(keys4(x0, x1, base, top), keys4(x2, x3, base, top)),
    i16x8.narrow_i32x4_u(keys4(x4, x5, base, top), keys4(x6, x7, base, top)),
  );
}

/** The weight at p, widened exactly to f64. */
// @ts-ignore: decorator
@inline function weightAt<T>(p: usize): f64 {
  return <f64>load<T>(p);
}

/** stake[key·BLOCK + j] += s. */
// @ts-ignore: decorator
@inline function addStake(stake: usize, key: i32, j: i32, s: f64): void {
  const at = stake + ((<usize>(key * BLOCK + j)) << 3);
  store<f64>(at, load<f64>(at) + s);
}

/** The key in byte j of x. */
// @ts-ignore: decorator
@inline function byteOf(x: u64, j: i32): i32 {
  return <i32>(x >> (<u64>j << 3)) & 0xff;
}

/** Where the gather's touching loads go (kept, so the optimiser keeps them; never read). */
let touched: v128 = i32x4.splat(0);

export function consensusColumns(): void {
  if (f32mode) consensusOf<f32>();
  else consensusOf<f64>();
}

function consensusOf<T>(): void {
  const k = sizeof<T>() == 4 ? fr(kappa) : kappa;
  const wShift: usize = sizeof<T>() == 4 ? 2 : 3;
  let total = 0.0;
  for (let v = 0; v < V; v++) total += f64At(S, v);
  if (!reached<T>(total, k)) {
    // No prefix of any column reaches κ: the column's largest weight.
    for (let m = 0; m < M; m++) setF64(C_RAW, m, -Infinity);
    for (let v = 0; v < V; v++) {
      for (let m = 0; m < M; m++) {
        const x = weightAt<T>(W + ((<usize>v * <usize>M + <usize>m) << wShift));
        if (x > f64At(C_RAW, m)) setF64(C_RAW, m, x);
      }
    }
    return;
  }
  // One cache line of weights: 8 f64 or 16 f32.
  const line = sizeof<T>() == 4 ? 16 : 8;
  const K = bucketsFor(V);
  const span = gatherSpan(V);
  const stake = CONSENSUS_WORK + keysBytes(V, M);
  const bucket = stake + ((<usize>K * BLOCK) << 3); // u8 per column of the span
  const above = bucket + <usize>span;
  const fill = above + (<usize>span << 3);
  // Each column's candidates as (weight, stake) pairs, candStride(V) slots apart.
  const sub = fill + (<usize>span << 2);
  const cand = sub + (256 << 3);
  const stride = candStride(V);
  const rowBytes = <usize>M;
  memory.fill(sub, 0, 256 << 3);
  for (let s0 = 0; s0 < M; s0 += span) {
    const sw = min(span, M - s0);
    // Per block of BLOCK columns: the stake per bucket (rows in order), then each column's walk from the top
    // bucket down until the running stake reaches κ.
    for (let b0 = 0; b0 < sw; b0 += BLOCK) {
      const bw = min(BLOCK, sw - b0);
      memory.fill(stake, 0, (<usize>K * BLOCK) << 3);
      let kp = KEYS + <usize>(s0 + b0);
      if (bw == BLOCK) {
        for (let v = 0; v < V; v++, kp += rowBytes) {
          const x = load<u64>(kp);
          const sv = f64At(S, v);
          addStake(stake, byteOf(x, 0), 0, sv);
          addStake(stake, byteOf(x, 1), 1, sv);
          addStake(stake, byteOf(x, 2), 2, sv);
          addStake(stake, byteOf(x, 3), 3, sv);
          addStake(stake, byteOf(x, 4), 4, sv);
          addStake(stake, byteOf(x, 5), 5, sv);
          addStake(stake, byteOf(x, 6), 6, sv);
          addStake(stake, byteOf(x, 7), 7, sv);
        }
      } else {
        for (let v = 0; v < V; v++, kp += rowBytes) {
          const sv = f64At(S, v);
          for (let j = 0; j < bw; j++) addStake(stake, <i32>load<u8>(kp + <usize>j), j, sv);
        }
      }
      for (let j = 0; j < bw; j++) {
        let up = 0.0;
        let kb = keyTop;
        for (; kb > 0; kb--) {
          const next = up + load<f64>(stake + ((<usize>(kb * BLOCK + j)) << 3));
          if (reached<T>(next, k)) break;
          up = next;
        }
        store<u8>(bucket + <usize>(b0 + j), <u8>kb);
        store<f64>(above + (<usize>(b0 + j) << 3), up);
        store<i32>(fill + (<usize>(b0 + j) << 2), 0);
      }
    }
    // The weights of each column's crossing bucket, in row order: 16 keys compared at a time.
    for (let v = 0; v < V; v++) {
      const kp = KEYS + <usize>v * rowBytes + <usize>s0;
      const wp = W + ((<usize>v * <usize>M + <usize>s0) << wShift);
      const sv = f64At(S, v);
      // Touch every cache line of the row's span first: those loads go out together, where the loads below
      // wait behind the mispredicted loop exits one by one (the 8 MB matrix is not in the caches by now).
      let touch = v128.load(wp);
      for (let q = line; q < sw; q += line) touch = v128.or(touch, v128.load(wp + (<usize>q << wShift)));
      touched = v128.or(touched, touch);
      if (sw == 64) {
        // A full span: its four key masks as one 64-bit mask, so the loop below exits (mispredicted) once per
        // row instead of four times.
        let mask =
          <u64>i8x16.bitmask(i8x16.eq(v128.load(kp), v128.load(bucket))) |
          (<u64>i8x16.bitmask(i8x16.eq(v128.load(kp, 16), v128.load(bucket, 16))) << 16) |
          (<u64>i8x16.bitmask(i8x16.eq(v128.load(kp, 32), v128.load(bucket, 32))) << 32) |
          (<u64>i8x16.bitmask(i8x16.eq(v128.load(kp, 48), v128.load(bucket, 48))) << 48);
        appendMatches<T>(mask, 0, fill, cand, stride, wp, sv);
        continue;
      }
      for (let c = 0; c < sw; c += 16) {
        let mask = i8x16.bitmask(i8x16.eq(v128.load(kp + <usize>c), v128.load(bucket + <usize>c)));
        if (c + 16 > sw) mask &= (1 << (sw - c)) - 1;
        appendMatches<T>(<u64>mask, c, fill, cand, stride, wp, sv);
      }
    }
    for (let j = 0; j < sw; j++) {
      const list = cand + ((<usize>j * stride) << 4);
      setF64(C_RAW, s0 + j, selectColumn<T>(list, load<i32>(fill + (<usize>j << 2)), load<f64>(above + (<usize>j << 3)), k, sub));
    }
  }
}

/**
 * Appends one row's entries whose key matched its column's crossing bucket (bit j of `mask`: column c0 + j of the
 * span) to their columns' candidate lists as (weight, stake) pairs, in row order.
 */
// @ts-ignore: decorator
@inline function appendMatches<T>(mask: u64, c0: i32, fill: usize, cand: usize, stride: usize, wp: usize, sv: f64): void {
  const wShift: usize = sizeof<T>() == 4 ? 2 : 3;
  while (mask != 0) {
    const j = c0 + <i32>ctz(mask);
    const fAt = fill + (<usize>j << 2);
    const n = load<i32>(fAt);
    store<i32>(fAt, n + 1);
    const at = cand + ((<usize>j * stride + <usize>n) << 4);
    store<f64>(at, weightAt<T>(wp + (<usize>j << wShift)));
    store<f64>(at, sv, 8);
    mask &= mask - 1;
  }
}

// @ts-ignore: decorator
@inline function candWeight(c: usize, i: i32): f64 {
  return load<f64>(c + (<usize>i << 4));
}

// @ts-ignore: decorator
@inline function stakeAt(c: usize, i: i32): f64 {
  return load<f64>(c + (<usize>i << 4), 8);
}

/** The IEEE-754 pattern of candidate i's weight without the sign (−0 as 0): monotone in the value. */
// @ts-ignore: decorator
@inline function patternAt(c: usize, i: i32): u64 {
  return load<u64>(c + (<usize>i << 4)) & 0x7fffffffffffffff;
}

/**
 * The exact weight among the n (weight, stake) pairs at c (row order) where the running stake, starting at
 * `above`, reaches κ (values descending): the radix select of src/research/consensus.ts's selectColumn, step
 * for step. `sub` holds 256 f64 (one step's sub-bucket stake).
 */
function selectColumn<T>(c: usize, n: i32, above0: f64, k: f64, sub: usize): f64 {
  let hi = n;
  let above = above0;
  for (;;) {
    let all: u64 = 0xffffffffffffffff;
    let any: u64 = 0;
    for (let i = 0; i < hi; i++) {
      const x = patternAt(c, i);
      all &= x;
      any |= x;
    }
    const diff = any ^ all;
    if (hi <= 16 || diff == 0) {
      // Insertion sort, descending and stable, then the running stake.
      for (let i = 1; i < hi; i++) {
        const x = v128.load(c + (<usize>i << 4));
        const wi = f64x2.extract_lane(x, 0);
        let j = i - 1;
        while (j >= 0 && candWeight(c, j) < wi) {
          v128.store(c + (<usize>(j + 1) << 4), v128.load(c + (<usize>j << 4)));
          j--;
        }
        v128.store(c + (<usize>(j + 1) << 4), x);
      }
      for (let i = 0; i < hi; i++) {
        above += stakeAt(c, i);
        if (reached<T>(above, k)) return candWeight(c, i);
      }
      return hi > 0 ? candWeight(c, hi - 1) : 0;
    }
    const top = 63 - <i32>clz<u64>(diff);
    const sh = <u64>(top < 7 ? 0 : top - 7);
    // `sub` is all zeros here (cleared once per consensus, then after each step over the range it used).
    let lowest = 255;
    let highest = 0;
    for (let i = 0; i < hi; i++) {
      const key = <i32>((patternAt(c, i) >> sh) & 0xff);
      const at = sub + (<usize>key << 3);
      store<f64>(at, load<f64>(at) + stakeAt(c, i));
      lowest = min(lowest, key);
      highest = max(highest, key);
    }
    // The walk starts at the highest filled sub-bucket: above it every one holds 0, and `above` + 0 has not
    // reached κ (`above` had not), so the walk from 255 passes them without stopping.
    let kb = highest;
    for (; kb > lowest; kb--) {
      const next = above + load<f64>(sub + (<usize>kb << 3));
      if (reached<T>(next, k)) break;
      above = next;
    }
    memory.fill(sub + (<usize>lowest << 3), 0, <usize>(highest - lowest + 1) << 3);
    let j = 0;
    for (let i = 0; i < hi; i++) {
      const x = v128.load(c + (<usize>i << 4));
      // Branch-free compaction: every pair is written to slot j, which advances only for the crossing sub-bucket.
      v128.store(c + (<usize>j << 4), x);
      j += <i32>(<i32>((patternAt(c, i) >> sh) & 0xff) == kb);
    }
    hi = j;
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
      if (f32mode) {
        // The midpoint and every partial sum rounded to float32 (the weights are float32).
        for (let j = 0; j < bw; j++) setF64(mid + (BLOCK << 3), j, fr(f64At(mid, j)));
        for (let v = 0; v < V; v++) {
          const o = row32(W, v) + (<usize>m0 << 2);
          const sv = f64At(S, v);
          for (let j = 0; j < bw; j++) {
            if (<f64>load<f32>(o + (<usize>j << 2)) > f64At(mid + (BLOCK << 3), j)) setF64(sum, j, fr(f64At(sum, j) + sv));
          }
        }
      } else {
        for (let v = 0; v < V; v++) {
          const o = rowAt(W, v) + (<usize>m0 << 3);
          const sv = f64At(S, v);
          for (let j = 0; j < bw; j++) {
            if (load<f64>(o + (<usize>j << 3)) > f64At(mid, j)) setF64(sum, j, f64At(sum, j) + sv);
          }
        }
      }
      for (let j = 0; j < bw; j++) {
        if (f64At(sum, j) > k) setF64(low, j, f64At(mid, j));
        else setF64(high, j, f64At(mid, j));
      }
    }
    for (let j = 0; j < bw; j++) setF64(C_RAW, m0 + j, f32mode ? fr(f64At(high, j)) : f64At(high, j));
  }
}

/** C = trunc(Craw / ΣCraw · 65535) / 65535; returns whether ΣCraw was 0 (see Numerics.degenerate). */
export function quantizeConsensus(): bool {
  let sum = 0.0;
  if (f32mode) for (let m = 0; m < M; m++) sum = fr(sum + f64At(C_RAW, m));
  else for (let m = 0; m < M; m++) sum += f64At(C_RAW, m);
  const degenerate = !(sum != 0);
  for (let m = 0; m < M; m++) {
    let k: f64;
    if (degenerate) k = degenerateArm ? 0 : INT_MIN;
    else if (f32mode) k = Math.trunc(fr(fr(f64At(C_RAW, m) / sum) * 65535));
    else k = Math.trunc((f64At(C_RAW, m) / sum) * 65535);
    setF64(C, m, f32mode ? fr(k / 65535) : k / 65535);
  }
  if (f32mode) toF32(C32, C, M);
  return degenerate;
}

export function consensus(): bool {
  if (legacyConsensus) bisectionConsensus();
  else consensusColumns();
  return quantizeConsensus();
}
