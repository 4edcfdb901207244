// Activity, recent registrations, stake (threshold, normalisation on the chain's fixed-point stake values),
// previous and new permits, active stake.
import * as J from '../job';
import { fracDiv, inverse } from '../fixed/proportion';
import { udiv128by64 } from '../fixed/wide';
import { TWO32, ULP } from './grid';
import { ASTAKE, FORBID, PREV, RECENT, SORT_A, STAKE, f64At, i32At, setF64, setI32 } from './layout';

/** `active_i = !(lastUpdate_i ⊕ cutoff < currentBlock)`, saturating u64 add. */
export function activeMask(out: usize): void {
  for (let i = 0; i < J.n; i++) {
    const lu = J.lastUpdate(i);
    let upTo = lu + J.cutoff;
    if (upTo < lu) upTo = U64.MAX_VALUE;
    store<u8>(out + <usize>i, upTo < J.currentBlock ? 0 : 1);
  }
}

/** Bond columns of miners registered since the last epoch: `lastTempo <= reg_j`. */
export function recentMask(): void {
  let lt: u64;
  if (J.lastStep == 0) lt = J.currentBlock > J.tempo ? J.currentBlock - J.tempo : 0;
  else lt = J.lastStep == U64.MAX_VALUE ? J.lastStep : J.lastStep + 1;
  for (let j = 0; j < J.n; j++) store<u8>(RECENT + <usize>j, lt <= J.reg(j) ? 1 : 0);
}

/**
 * Previous permits (owner forced under owner-permit when the stored vector reaches it) and forbidden rows:
 * no entry in the permit vector, or no permit.
 */
export function permitMasks(): void {
  for (let i = 0; i < J.n; i++) {
    let prev: u8 = i < J.permitLen ? load<u8>(J.permitIn + <usize>i) : 0;
    if (i == J.ownerPermit && i < J.permitLen) prev = 1;
    store<u8>(PREV + <usize>i, prev);
    store<u8>(FORBID + <usize>i, prev != 0 ? 0 : 1);
  }
}

// @ts-ignore: decorator
@inline function filtered(i: i32): u64 {
  const s = load<u64>(J.stakeIn + (<usize>i << 3));
  return s < J.stakeThreshold && i != J.ownerPermit ? 0 : s;
}

/**
 * floor(f·2^32 / total) for 0 ≤ f ≤ total, 0 < total < 2^63: the chain's I64F64 division floored to I32F32.
 * Below 2^62 the f64 estimate (within ±1: relative error < 2^-51 on a value ≤ 2^32) is corrected by one
 * remainder test, computed mod 2^64 but known to lie in (−total, 2·total), so its signed reading is exact.
 */
// @ts-ignore: decorator
@inline function stakeShare(f: u64, total: u64, inv: f64): u64 {
  if (total >= (<u64>1 << 62)) return udiv128by64(f << 32, f >> 32, total);
  let q = <u64>(<f64>f * inv * TWO32);
  const r = <i64>((f << 32) - q * total);
  if (r < 0) q--;
  else if (r >= <i64>total) q++;
  return q;
}

/**
 * Threshold (owner exempt under owner-permit), then the chain's fixed-point stake q = floor(s·2^32 / Σs), kept
 * as the exact f64 q·2^-32: permits, the active-stake mask and the median's voters are decided on the same
 * integers as on chain (a stake below 2^-32 of the total is 0 there). The sum is exact in u64 (< 2^63, validated).
 */
export function normalizeStake(): void {
  let total: u64 = 0;
  for (let i = 0; i < J.n; i++) total += filtered(i);
  if (total == 0) {
    memory.fill(STAKE, 0, <usize>J.n << 3);
    return;
  }
  const inv = 1.0 / <f64>total;
  for (let i = 0; i < J.n; i++) setF64(STAKE, i, <f64>stakeShare(filtered(i), total, inv) * ULP);
}

// @ts-ignore: decorator
@inline function before(a: i32, b: i32): bool {
  const sa = f64At(STAKE, a);
  const sb = f64At(STAKE, b);
  return sa < sb || (sa == sb && a < b);
}

/** Moves the `count` smallest uids (by `before`) of `idx[0..len)` to its front (quickselect, median-of-three). */
function selectSmallest(idx: usize, len: i32, count: i32): void {
  let lo = 0;
  let hi = len - 1;
  while (lo < hi) {
    // median of three as the pivot, then a Hoare partition
    const mid = lo + ((hi - lo) >> 1);
    let a = i32At(idx, lo), b = i32At(idx, mid), c = i32At(idx, hi);
    if (before(b, a)) { const t = a; a = b; b = t; }
    if (before(c, b)) { b = c; if (before(b, a)) b = a; }
    const pivot = b;
    let x = lo;
    let y = hi;
    while (x <= y) {
      while (before(i32At(idx, x), pivot)) x++;
      while (before(pivot, i32At(idx, y))) y--;
      if (x <= y) {
        const t = i32At(idx, x);
        setI32(idx, x, i32At(idx, y));
        setI32(idx, y, t);
        x++;
        y--;
      }
    }
    // [lo, y] ≤ pivot ≤ [x, hi]; keep the side holding position count − 1
    if (count - 1 <= y) hi = y;
    else if (count - 1 >= x) lo = x;
    else break;
  }
}

/**
 * `is_topk_nonzero`: non-zero stake holds a permit; unless n < k the n − k smallest (stable ascending order)
 * lose it. When at most k stakes are non-zero the evicted ones are all zeros, so the sort is skipped.
 */
export function newPermits(out: usize): void {
  let nonZero = 0;
  for (let i = 0; i < J.n; i++) {
    const p: u8 = f64At(STAKE, i) != 0 ? 1 : 0;
    store<u8>(out + <usize>i, p);
    nonZero += p;
  }
  const k = J.maxValidators;
  if (J.n >= k && nonZero > k) {
    // The n − k first in the (stake, uid) order lose their permit: a selection, not a full sort. The order is
    // total (uids differ), so the set is exactly the stable sort's first n − k.
    const drop = J.n - k;
    for (let i = 0; i < J.n; i++) setI32(SORT_A, i, i);
    selectSmallest(SORT_A, J.n, drop);
    for (let r = 0; r < drop; r++) store<u8>(out + <usize>i32At(SORT_A, r), 0);
  }
  if (J.ownerPermit >= 0) store<u8>(out + <usize>J.ownerPermit, 1);
}

/**
 * Stake masked by inactivity and missing previous permits (an empty permit vector masks nothing), normalised as
 * the chain does in I32F32: a = floor(m·2^32 / Σm) on the integer stakes, kept as the exact f64 a·2^-32.
 */
export function activeStake(active: usize): void {
  let sum: i64 = 0;
  for (let i = 0; i < J.n; i++) {
    const masked = load<u8>(active + <usize>i) == 0 || (J.permitLen > 0 && load<u8>(FORBID + <usize>i) != 0);
    const m: i64 = masked ? 0 : <i64>(f64At(STAKE, i) * TWO32);
    setF64(ASTAKE, i, <f64>m);
    sum += m;
  }
  const inv = inverse(sum);
  for (let i = 0; i < J.n; i++) {
    const m = <i64>f64At(ASTAKE, i);
    setF64(ASTAKE, i, sum == 0 ? 0.0 : <f64>fracDiv(m, sum, inv) * ULP);
  }
}
