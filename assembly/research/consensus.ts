// The simulator's consensus weight per server column, max{ w : stake of the weights ≥ w reaches κ } (its sorted
// cumulative-stake quantile), with the stakes in exact fixed point (units of 2⁻⁶², src/research/consensus.ts's
// stakeUnits and kappaUnits): every stake sum is an exact integer, so the order of the additions cannot change
// a bit, and this kernel and the sort of the TypeScript reference agree. Per column a key scale from the
// prerank (the column's stake-weighted mean) files each normalised weight into one of K linear buckets (one
// byte, monotone in the value: most columns spread over a hundred buckets instead of the ten octave-mantissa
// buckets their values share; key 0 only for 0 and −0); per block of BLOCK columns (its keys filed together) the
// bucket stakes are summed over the key bytes, each column's walk (eight buckets a step, then one) finds the
// bucket where the stake reaches κ, the few weights of that bucket are gathered (none where it is bucket 0: the
// column crosses at a zero), and a sort (a radix select when many) finds the exact one. Then
// C = trunc(Craw / ΣCraw · 65535) / 65535.
import {
  BLOCK, CONSENSUS_WORK, TABLE_COLUMN, SPLIT_BYTES, C, C32, C_RAW, KEYS, M, P, S, V, W, bucketsFor, candStride, gatherSpan, consensusPrecision, degenerateArm, f32mode, f64At, keyBlockBytes,
  fr, kappa, keysBytes, legacyConsensus, row32, rowAt, setF64,
} from './job';
import { held } from './lanes';
import { toF32 } from './lanes32';

const F32_MAX_F64: f64 = 3.4028234663852886e38;

const INT_MIN: f64 = -2147483648.0;
/** 2⁶²: a stake share of 1 in units. */
const UNITS_PER_ONE: f64 = 4611686018427387904.0;
const TWO_63: f64 = 9223372036854775808.0;
/** Bytes from one column's buckets to the next's in a block's table. */
const COLUMN: usize = TABLE_COLUMN;
/** A threshold no sum of shares reaches. */
const NEVER: i64 = 9223372036854775807;

/**
 * The least stake in units that reaches κ (src/research/consensus.ts's kappaUnits): f64, its value ≥ κ; f32,
 * its value rounded to float32 (ties to even) ≥ fr(κ), as torch's float32 cumsum compares.
 */
export function kappaUnits(k: f64, f32: bool): i64 {
  if (!(k > 0)) return 0;
  if (!f32) {
    const x = Math.ceil(k * UNITS_PER_ONE);
    return x >= TWO_63 ? NEVER : <i64>x;
  }
  const k32 = <f32>k;
  if (k32 == 0) return 0;
  const bits = reinterpret<u32>(k32);
  const below = <f64>reinterpret<f32>(bits - 1);
  // Half-way between κ and the float32 below it (exact): a sum exactly there rounds to the even one.
  const mid = ((below + <f64>k32) / 2) * UNITS_PER_ONE;
  if (mid >= TWO_63) return NEVER;
  if (mid != Math.floor(mid)) return <i64>Math.ceil(mid);
  return (bits & 1) == 0 ? <i64>mid : <i64>mid + 1;
}

/** The weight at p, widened exactly to f64. */
// @ts-ignore: decorator
@inline function weightAt<T>(p: usize): f64 {
  return <f64>load<T>(p);
}

/** Column j's bucket `key` += u. */
// @ts-ignore: decorator
@inline function addUnits(table: usize, key: i32, j: i32, u: i64): void {
  const at = table + <usize>j * COLUMN + (<usize>key << 3);
  store<i64>(at, load<i64>(at) + u);
}

/** The key in byte j of x. */
// @ts-ignore: decorator
@inline function byteOf(x: u64, j: i32): i32 {
  return <i32>(x >> (<u64>j << 3)) & 0xff;
}

/** Per column, K / (2·P): weights at twice the column's stake-weighted mean or above file in the top bucket. */
function keyScales<T>(scale: usize, K: i32): void {
  const k = <f64>K;
  for (let m = 0; m < M; m++) {
    // P = 0 (no stake on the column) gives ∞: every positive weight in the top bucket, zeros in bucket 0.
    const r = k / (2 * f64At(P, m));
    // At most the largest finite value: 0 · ∞ would be NaN, which the keys do not order.
    if (sizeof<T>() == 4) store<f32>(scale + (<usize>m << 2), <f32>min(r, F32_MAX_F64));
    else store<f64>(scale + (<usize>m << 3), min(r, F64.MAX_VALUE));
  }
}

/**
 * The key of every normalised weight (keys4of32, keys2of64), one byte each into KEYS, and each column's highest
 * key into `highest` (M bytes). Multiplying by a positive number, rounding and clamping never reverse two
 * weights, so the keys are monotone in the value within a column (0 and −0 share key 0, every positive weight
 * has a key of 1 or more: a column whose crossing bucket is 0 crosses at a zero, with no candidate to gather).
 * Returns whether any weight has its sign bit set (−0: which zero a column crosses at then depends on the row
 * order, and the gather finds it). The keys are filed by
 * block of BLOCK columns, each block's rows one after the other (keyBlockBytes apart): the bucket sums then read
 * a block's keys as one sequential stream, where rows M bytes apart made every row's key word a load from
 * another line, outside L1 for the block's whole pass.
 */
function fileKeys<T>(scale: usize, K: i32, highest: usize): bool {
  // Through memory (held): V8 would rebuild a splat or constant at each use inside the loops.
  const topB = held(0, i8x16.splat(<i8>(K - 1)));
  const round = held(1, f32x4.splat(8388608.0));
  // K − 2: a positive weight's key is one more than its rounded product.
  const topD = held(2, f64x2.splat(<f64>(K - 2)));
  const round64 = held(3, f64x2.splat(4503599627370496.0));
  const zero = held(4, i32x4.splat(0));
  // The OR of every weight's bits (their sign bits are what is read).
  let signs = i32x4.splat(0);
  let signBits: u64 = 0;
  const n = M;
  const stride = keyBlockBytes(V);
  memory.fill(highest, 0, <usize>n);
  for (let v = 0; v < V; v++) {
    const dst = KEYS + <usize>v * BLOCK;
    let m = 0;
    if (sizeof<T>() == 4) {
      const src = row32(W, v);
      for (; m + 16 <= n; m += 16) {
        const at = src + (<usize>m << 2);
        const x0 = v128.load(at);
        const x1 = v128.load(at, 16);
        const x2 = v128.load(at, 32);
        const x3 = v128.load(at, 48);
        signs = v128.or(signs, v128.or(v128.or(x0, x1), v128.or(x2, x3)));
        const keys = keys16of32(x0, x1, x2, x3, scale + (<usize>m << 2), topB, round);
        storeKeys(dst, m, stride, keys);
        v128.store(highest + <usize>m, i8x16.max_u(v128.load(highest + <usize>m), keys));
      }
      for (; m < n; m++) {
        const x = f32x4.splat(load<f32>(src + (<usize>m << 2)));
        signBits |= <u64>load<u32>(src + (<usize>m << 2));
        fileKey(dst, highest, m, min(i32x4.extract_lane(keys4of32(x, f32x4.splat(load<f32>(scale + (<usize>m << 2))), round), 0), K - 1));
      }
    } else {
      const src = rowAt(W, v);
      for (; m + 16 <= n; m += 16) {
        const at = src + (<usize>m << 3);
        const x0 = v128.load(at);
        const x1 = v128.load(at, 16);
        const x2 = v128.load(at, 32);
        const x3 = v128.load(at, 48);
        const x4 = v128.load(at, 64);
        const x5 = v128.load(at, 80);
        const x6 = v128.load(at, 96);
        const x7 = v128.load(at, 112);
        signs = v128.or(signs, v128.or(v128.or(v128.or(x0, x1), v128.or(x2, x3)), v128.or(v128.or(x4, x5), v128.or(x6, x7))));
        const keys = keys16of64(x0, x1, x2, x3, x4, x5, x6, x7, scale + (<usize>m << 3), topD, round64, zero);
        storeKeys(dst, m, stride, keys);
        v128.store(highest + <usize>m, i8x16.max_u(v128.load(highest + <usize>m), keys));
      }
      for (; m < n; m++) {
        const x = f64x2.splat(load<f64>(src + (<usize>m << 3)));
        signBits |= load<u64>(src + (<usize>m << 3)) >> 32;
        fileKey(dst, highest, m, i32x4.extract_lane(keys2of64(x, f64x2.splat(load<f64>(scale + (<usize>m << 3))), topD, round64, zero), 0));
      }
    }
  }
  // The sign bits: bit 31 of each f32 lane, bit 63 of each f64 lane, bit 31 of the tails' (high) words.
  return ((sizeof<T>() == 4 ? i32x4.bitmask(signs) : i64x2.bitmask(signs)) | <i32>(signBits >> 31)) != 0;
}

/**
 * Keys of columns m … m + 15 (m a multiple of 16) of the row whose first block's keys are at dst: one block of
 * BLOCK = 16 columns, one 16-byte store (with blocks of 8 the row's keys took two 8-byte lane stores into two
 * blocks, and the key pass 374 against 326 µs under research-stages' clock).
 */
// @ts-ignore: decorator
@inline function storeKeys(dst: usize, m: i32, blockBytes: usize, keys: v128): void {
  v128.store(dst + <usize>(m >> 4) * blockBytes, keys);
}

/** Where column m's key of the row whose first block's keys are at dst lies. */
// @ts-ignore: decorator
@inline function keyAt(dst: usize, m: i32): usize {
  return dst + <usize>(m >> 4) * keyBlockBytes(V) + <usize>(m & (BLOCK - 1));
}

// @ts-ignore: decorator
@inline function fileKey(dst: usize, highest: usize, m: i32, key: i32): void {
  store<u8>(keyAt(dst, m), <u8>key);
  store<u8>(highest + <usize>m, <u8>max(<i32>load<u8>(highest + <usize>m), key));
}

/**
 * Four keys: ⌈x·r⌉ + 2²³ holds the integer k = ⌈x·r⌉ in its low bits while below 2²³; less 2²³'s bit pattern, the
 * lane holds k, or more for anything larger (∞ included), which the narrowing to bytes saturates to 255 (and
 * keys16of32 to `top`). k is 0 for 0 and −0 only: a positive x times a scale of at least 8 (K / 2P with P ≤ 1, or
 * the largest float32) is positive, so its ceiling is 1 or more; no NaN arises (keyScales keeps the scales
 * finite). Monotone in x, which is all the consensus needs of its keys: four operations per four weights, where
 * the rounded product plus one for a positive x took five (research-stages consensus 1199 / 1921 → 1168 / 1880 µs).
 */
// @ts-ignore: decorator
@inline function keys4of32(x: v128, r: v128, round: v128): v128 {
  return i32x4.sub(f32x4.add(f32x4.ceil(f32x4.mul(x, r)), round), round);
}

/** Keys of 16 f32 weights under the 16 scales at r (keys4of32), as bytes, at most `top` (K − 1, bytes). */
// @ts-ignore: decorator
@inline function keys16of32(x0: v128, x1: v128, x2: v128, x3: v128, r: usize, top: v128, round: v128): v128 {
  const k0 = keys4of32(x0, v128.load(r), round);
  const k1 = keys4of32(x1, v128.load(r, 16), round);
  const k2 = keys4of32(x2, v128.load(r, 32), round);
  const k3 = keys4of32(x3, v128.load(r, 48), round);
  return i8x16.min_u(i8x16.narrow_i16x8_u(i16x8.narrow_i32x4_s(k0, k1), i16x8.narrow_i32x4_s(k2, k3)), top);
}

/**
 * The low 32 bits of each of two f64 keys: x·r capped at top (pmin, one instruction; no NaN arises, keyScales
 * keeping the scales finite, and −0 stays −0), then rounded to an integer by adding 2⁵², whose low bits then
 * hold it; one more for a positive x (bits above `zero`'s), so that key 0 holds 0 and −0 only.
 */
// @ts-ignore: decorator
@inline function keys2of64(x: v128, r: v128, top: v128, round: v128, zero: v128): v128 {
  return i64x2.sub(f64x2.add(f64x2.pmin(top, f64x2.mul(x, r)), round), i64x2.gt_s(x, zero));
}

/** Keys of 16 f64 weights under the 16 scales at r, as bytes. */
// @ts-ignore: decorator
@inline function keys16of64(
  x0: v128, x1: v128, x2: v128, x3: v128, x4: v128, x5: v128, x6: v128, x7: v128, r: usize, top: v128, round64: v128, zero: v128,
): v128 {
  const k0 = i8x16.shuffle(keys2of64(x0, v128.load(r), top, round64, zero), keys2of64(x1, v128.load(r, 16), top, round64, zero), 0, 1, 2, 3, 8, 9, 10, 11, 16, 17, 18, 19, 24, 25, 26, 27);
  const k1 = i8x16.shuffle(keys2of64(x2, v128.load(r, 32), top, round64, zero), keys2of64(x3, v128.load(r, 48), top, round64, zero), 0, 1, 2, 3, 8, 9, 10, 11, 16, 17, 18, 19, 24, 25, 26, 27);
  const k2 = i8x16.shuffle(keys2of64(x4, v128.load(r, 64), top, round64, zero), keys2of64(x5, v128.load(r, 80), top, round64, zero), 0, 1, 2, 3, 8, 9, 10, 11, 16, 17, 18, 19, 24, 25, 26, 27);
  const k3 = i8x16.shuffle(keys2of64(x6, v128.load(r, 96), top, round64, zero), keys2of64(x7, v128.load(r, 112), top, round64, zero), 0, 1, 2, 3, 8, 9, 10, 11, 16, 17, 18, 19, 24, 25, 26, 27);
  return i8x16.narrow_i16x8_u(i16x8.narrow_i32x4_s(k0, k1), i16x8.narrow_i32x4_s(k2, k3));
}

/**
 * One full block's bucket stakes: column j's bucket `key` += the row's units, row by row. Each column's buckets lie
 * together, COLUMN bytes from the next column's, so the column is each access's constant offset, a bucket's address
 * is the key times 8 plus the table (one address computation, where the key times 64 took a shift and an add: five
 * instructions per weight instead of six) and the walk reads eight buckets from one cache line; with the buckets'
 * rows interleaved (8 i64 a bucket) the sums and walk took 636 against 558 µs.
 */
function blockSums(table: usize, kp: usize, units: usize): void {
  for (let v = 0; v < V; v++, kp += BLOCK) {
    const u = load<i64>(units + (<usize>v << 3));
    let at: usize;
    at = table + (<usize>load<u8>(kp, 0) << 3);
    store<i64>(at, load<i64>(at, 0 * COLUMN) + u, 0 * COLUMN);
    at = table + (<usize>load<u8>(kp, 1) << 3);
    store<i64>(at, load<i64>(at, 1 * COLUMN) + u, 1 * COLUMN);
    at = table + (<usize>load<u8>(kp, 2) << 3);
    store<i64>(at, load<i64>(at, 2 * COLUMN) + u, 2 * COLUMN);
    at = table + (<usize>load<u8>(kp, 3) << 3);
    store<i64>(at, load<i64>(at, 3 * COLUMN) + u, 3 * COLUMN);
    at = table + (<usize>load<u8>(kp, 4) << 3);
    store<i64>(at, load<i64>(at, 4 * COLUMN) + u, 4 * COLUMN);
    at = table + (<usize>load<u8>(kp, 5) << 3);
    store<i64>(at, load<i64>(at, 5 * COLUMN) + u, 5 * COLUMN);
    at = table + (<usize>load<u8>(kp, 6) << 3);
    store<i64>(at, load<i64>(at, 6 * COLUMN) + u, 6 * COLUMN);
    at = table + (<usize>load<u8>(kp, 7) << 3);
    store<i64>(at, load<i64>(at, 7 * COLUMN) + u, 7 * COLUMN);
    at = table + (<usize>load<u8>(kp, 8) << 3);
    store<i64>(at, load<i64>(at, 8 * COLUMN) + u, 8 * COLUMN);
    at = table + (<usize>load<u8>(kp, 9) << 3);
    store<i64>(at, load<i64>(at, 9 * COLUMN) + u, 9 * COLUMN);
    at = table + (<usize>load<u8>(kp, 10) << 3);
    store<i64>(at, load<i64>(at, 10 * COLUMN) + u, 10 * COLUMN);
    at = table + (<usize>load<u8>(kp, 11) << 3);
    store<i64>(at, load<i64>(at, 11 * COLUMN) + u, 11 * COLUMN);
    at = table + (<usize>load<u8>(kp, 12) << 3);
    store<i64>(at, load<i64>(at, 12 * COLUMN) + u, 12 * COLUMN);
    at = table + (<usize>load<u8>(kp, 13) << 3);
    store<i64>(at, load<i64>(at, 13 * COLUMN) + u, 13 * COLUMN);
    at = table + (<usize>load<u8>(kp, 14) << 3);
    store<i64>(at, load<i64>(at, 14 * COLUMN) + u, 14 * COLUMN);
    at = table + (<usize>load<u8>(kp, 15) << 3);
    store<i64>(at, load<i64>(at, 15 * COLUMN) + u, 15 * COLUMN);
  }
}

export function consensusColumns(): void {
  if (f32mode) consensusOf<f32>();
  else consensusOf<f64>();
}

function consensusOf<T>(): void {
  const T_ = kappaUnits(sizeof<T>() == 4 ? fr(kappa) : kappa, sizeof<T>() == 4);
  const wShift: usize = sizeof<T>() == 4 ? 2 : 3;
  const K = bucketsFor(V);
  const table = CONSENSUS_WORK + keysBytes(V, M);
  const units = table + <usize>BLOCK * COLUMN;
  const scale = units + ((<usize>V * 8 + 15) & ~(<usize>15));
  const span = gatherSpan(V);
  // Per column of a span: crossing bucket (u8), stake above it (i64), candidates found (i32).
  const highest = scale + ((<usize>M * 8 + 15) & ~(<usize>15));
  const bucket = highest + ((<usize>M + 15) & ~(<usize>15));
  const above = bucket + <usize>span;
  const fill = above + (<usize>span << 3);
  const sub = fill + (<usize>span << 2);
  // The select's split copy of up to 16 candidates: 17 weights, then (16-aligned) 17 units.
  const split = sub + (256 << 3);
  const cand = split + SPLIT_BYTES;
  const stride = candStride(V);
  let total: i64 = 0;
  for (let v = 0; v < V; v++) {
    // A share times 2⁶² is exact; the conversion truncates what lies below the unit.
    const u = <i64>(f64At(S, v) * UNITS_PER_ONE);
    store<i64>(units + (<usize>v << 3), u);
    total += u;
  }
  if (total < T_) {
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
  keyScales<T>(scale, K);
  const signed = fileKeys<T>(scale, K, highest);
  const blockBytes = keyBlockBytes(V);
  memory.fill(sub, 0, 256 << 3);
  for (let s0 = 0; s0 < M; s0 += span) {
    const sw = min(span, M - s0);
    // Per block of BLOCK columns: the stake per bucket (any order: the sums are exact), then each column's
    // walk from the top bucket down until the running stake reaches κ.
    for (let b0 = 0; b0 < sw; b0 += BLOCK) {
      const bw = min(BLOCK, sw - b0);
      for (let j = 0; j < BLOCK; j++) memory.fill(table + <usize>j * COLUMN, 0, <usize>K << 3);
      // The block's keys, BLOCK bytes a row, row after row.
      let kp = KEYS + <usize>((s0 + b0) >> 4) * keyBlockBytes(V);
      if (bw == BLOCK) {
        blockSums(table, kp, units);
      } else {
        for (let v = 0; v < V; v++, kp += BLOCK) {
          const u = load<i64>(units + (<usize>v << 3));
          for (let j = 0; j < bw; j++) addUnits(table, <i32>load<u8>(kp + <usize>j), j, u);
        }
      }
      for (let j = 0; j < bw; j++) {
        // From the column's highest key down: the buckets above it are empty, and starting in one of them would
        // stop an empty walk there when κ is 0 (T = 0), instead of at the column's largest weight.
        let up: i64 = 0;
        let kb = <i32>load<u8>(highest + <usize>(s0 + b0 + j));
        // Eight buckets a step while their stake keeps the running stake below T (independent loads and one
        // branch for eight), then one at a time inside the group where it does not.
        const col = table + <usize>j * COLUMN;
        while (kb >= 8) {
          const at = col + (<usize>kb << 3);
          const g = load<i64>(at) + load<i64>(at - 8) + (load<i64>(at - 16) + load<i64>(at - 24)) + (load<i64>(at - 32) + load<i64>(at - 40) + (load<i64>(at - 48) + load<i64>(at - 56)));
          if (up + g >= T_) break;
          up += g;
          kb -= 8;
        }
        for (; kb > 0; kb--) {
          const next = up + load<i64>(col + (<usize>kb << 3));
          if (next >= T_) break;
          up = next;
        }
        store<u8>(bucket + <usize>(b0 + j), <u8>kb);
        store<i64>(above + (<usize>(b0 + j) << 3), up);
        store<i32>(fill + (<usize>(b0 + j) << 2), 0);
      }
      // The weights of each column's crossing bucket, in row order, while the block's keys are in the cache: two
      // rows' keys compared at a time. A column crossing in bucket 0 crosses at a zero, +0 when no weight has its
      // sign bit set: nothing to gather (on sparse weights, the columns most validators leave at 0 held most of
      // the candidates).
      let keep = 0;
      for (let j = 0; j < bw; j++) {
        if (signed || load<u8>(bucket + <usize>(b0 + j)) != 0) keep |= 1 << j;
      }
      // The block's crossing buckets, one byte a column (those past bw are never kept).
      if (keep != 0) gatherBlock<T>(KEYS + <usize>((s0 + b0) >> 4) * blockBytes, v128.load(bucket + <usize>b0), keep, b0, W + (<usize>(s0 + b0) << wShift), units, fill, cand, stride);
    }
    for (let j = 0; j < sw; j++) {
      const list = cand + ((<usize>j * stride) << 4);
      setF64(C_RAW, s0 + j, !signed && load<u8>(bucket + <usize>j) == 0 ? 0 : selectColumn(list, load<i32>(fill + (<usize>j << 2)), load<i64>(above + (<usize>j << 3)), T_, sub, split));
    }
  }
}

/**
 * Appends the weights of one block whose key is their column's crossing bucket (byte j of `t`, for the
 * columns of bit j of `keep`) to their columns' candidate lists as (weight, units) pairs, in row order. The
 * block's keys are at kp, BLOCK bytes a row; column j's weight of row v at w0 + (v·M + j) weights. The keys are
 * overwritten: nothing reads them after the gather.
 */
function gatherBlock<T>(kp: usize, t: v128, keep: i32, b0: i32, w0: usize, units: usize, fill: usize, cand: usize, stride: usize): void {
  const keep2 = keep | (keep << 16);
  const pairs = V & ~1;
  // First the pairs of rows with a match, listed without a branch over the keys already compared (an entry of 8
  // bytes per 32 bytes of keys), then their weights: a branch per compare, taken at about one row in 16,
  // mispredicted at most matches.
  const list = kp;
  let n: usize = 0;
  for (let v = 0; v < pairs; v += 2, kp += 2 * BLOCK) {
    const mask = (i8x16.bitmask(i8x16.eq(v128.load(kp), t)) | (i8x16.bitmask(i8x16.eq(v128.load(kp, BLOCK), t)) << 16)) & keep2;
    store<i32>(list + (n << 3), v);
    store<i32>(list + (n << 3), mask, 4);
    n += <usize>(mask != 0);
  }
  for (let e: usize = 0; e < n; e++) {
    appendMatches<T>(load<i32>(list + (e << 3), 4), load<i32>(list + (e << 3)), b0, w0, units, fill, cand, stride);
  }
  if (pairs < V) {
    const mask = i8x16.bitmask(i8x16.eq(v128.load(kp), t)) & keep;
    if (mask != 0) appendMatches<T>(mask, pairs, b0, w0, units, fill, cand, stride);
  }
}

/** Bit b of mask: column b mod 16 of the block (b0 + b mod 16 of the span) in row v + b / 16 matched. */
// @ts-ignore: decorator
@inline function appendMatches<T>(mask: i32, v: i32, b0: i32, w0: usize, units: usize, fill: usize, cand: usize, stride: usize): void {
  const wShift: usize = sizeof<T>() == 4 ? 2 : 3;
  while (mask != 0) {
    const b = ctz(mask);
    const j = b0 + (b & 15);
    const row = v + (b >> 4);
    const fAt = fill + (<usize>j << 2);
    const n = load<i32>(fAt);
    store<i32>(fAt, n + 1);
    const at = cand + ((<usize>j * stride + <usize>n) << 4);
    store<f64>(at, weightAt<T>(w0 + ((<usize>row * <usize>M + <usize>(b & 15)) << wShift)));
    store<i64>(at, load<i64>(units + (<usize>row << 3)), 8);
    mask &= mask - 1;
  }
}

// @ts-ignore: decorator
@inline function candWeight(c: usize, i: i32): f64 {
  return load<f64>(c + (<usize>i << 4));
}

// @ts-ignore: decorator
@inline function unitsAt(c: usize, i: i32): i64 {
  return load<i64>(c + (<usize>i << 4), 8);
}

/** The IEEE-754 pattern of candidate i's weight without the sign (−0 as 0): monotone in the value. */
// @ts-ignore: decorator
@inline function patternAt(c: usize, i: i32): u64 {
  return load<u64>(c + (<usize>i << 4)) & 0x7fffffffffffffff;
}

/**
 * The exact weight among the n (weight, units) pairs at c (row order) where the running stake, starting at
 * `above0`, reaches T (values descending; among equal values the first in row order). All of one value: the walk
 * in row order (the stable sort's order). 16 or fewer candidates of different values (all positive): the value
 * whose run in that order the walk stops in, its stake counted pair by pair; the stake above already reaching T (κ = 0): a stable
 * insertion sort, then the walk. More: a radix select on the IEEE-754 patterns (sign cleared) — the top bit where
 * the candidates differ and the 7 below it file each into one of 256 sub-buckets, whose stake is walked from the
 * highest filled one; the crossing sub-bucket's candidates move to the front in order and the next step looks
 * below the bits just used. `sub` holds 256 i64, all zero between calls; `split` has room for SPLIT_BYTES.
 */
function selectColumn(c: usize, n: i32, above0: i64, T_: i64, sub: usize, split: usize): f64 {
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
    if (diff == 0) {
      // Every candidate compares equal (the same magnitude; 0 and −0 alike): sorted, they stay in row order.
      for (let i = 0; i < hi; i++) {
        above += unitsAt(c, i);
        if (above >= T_) return candWeight(c, i);
      }
      // Unreachable: the bucket walk stopped here because this bucket's stake reaches T.
      return hi > 0 ? candWeight(c, hi - 1) : 0;
    }
    if (hi <= 16 && above < T_) {
      // The value where the walk of the sorted list would stop, found without sorting: w_i is it when the stake
      // of the candidates of greater values keeps the running stake below T and that of the values ≥ w_i
      // reaches T (the walk stops inside the run of w_i's value). Every candidate here is positive (key 1 or
      // more; the zeros of bucket 0 are all of one value, above), so equal values have equal bits and which of
      // them the walk would stop at cannot change the result: no row-order term (the stake before i counted
      // greater values and equal ones earlier in row order, three more operations a pair; select 104 → 75 µs
      // under research-stages' clock). Every comparison is a lane mask, not a branch (an insertion sort of a few
      // random values mispredicts about once per element), two candidates a step over a split copy: weights,
      // then units, padded to an even count with a candidate of no stake (a weight of 0, below every candidate).
      const us = split + (18 << 3);
      // The pad goes into the list's next slot (free: the list has room for every row) and the copy is made a
      // pair at a time with 16-byte stores, which the pair loads below take forwarded; a 16-byte load of what two
      // 8-byte stores just wrote waits until both reach the cache (select 75 → 72 µs under research-stages' clock).
      v128.store(c + (<usize>hi << 4), i64x2.splat(0));
      for (let j = 0; j < hi; j += 2) {
        const a = v128.load(c + (<usize>j << 4));
        const b = v128.load(c + (<usize>j << 4), 16);
        v128.store(split + (<usize>j << 3), i8x16.shuffle(a, b, 0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23));
        v128.store(us + (<usize>j << 3), i8x16.shuffle(a, b, 8, 9, 10, 11, 12, 13, 14, 15, 24, 25, 26, 27, 28, 29, 30, 31));
      }
      for (let i = 0; i < hi; i++) {
        const wi = candWeight(c, i);
        const wi2 = f64x2.splat(wi);
        let greater = i64x2.splat(0);
        let atLeast = i64x2.splat(0);
        for (let j = 0; j < hi; j += 2) {
          const wj = v128.load(split + (<usize>j << 3));
          const u = v128.load(us + (<usize>j << 3));
          greater = i64x2.add(greater, v128.and(f64x2.gt(wj, wi2), u));
          atLeast = i64x2.add(atLeast, v128.and(f64x2.ge(wj, wi2), u));
        }
        const before = above + i64x2.extract_lane(greater, 0) + i64x2.extract_lane(greater, 1);
        const through = above + i64x2.extract_lane(atLeast, 0) + i64x2.extract_lane(atLeast, 1);
        if (before < T_ && through >= T_) return wi;
      }
      // Unreachable: the bucket walk stopped here because this bucket's stake reaches T.
      return candWeight(c, hi - 1);
    }
    if (hi <= 16) {
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
        above += unitsAt(c, i);
        if (above >= T_) return candWeight(c, i);
      }
      // Unreachable: the bucket walk stopped here because this bucket's stake reaches T.
      return hi > 0 ? candWeight(c, hi - 1) : 0;
    }
    const top = 63 - <i32>clz<u64>(diff);
    const sh = <u64>(top < 7 ? 0 : top - 7);
    let lowest = 255;
    let highest = 0;
    for (let i = 0; i < hi; i++) {
      const key = <i32>((patternAt(c, i) >> sh) & 0xff);
      const at = sub + (<usize>key << 3);
      store<i64>(at, load<i64>(at) + unitsAt(c, i));
      lowest = min(lowest, key);
      highest = max(highest, key);
    }
    let kb = highest;
    for (; kb > lowest; kb--) {
      const next = above + load<i64>(sub + (<usize>kb << 3));
      if (next >= T_) break;
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
