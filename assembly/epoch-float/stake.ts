// Stake normalisation, top-k permits, active stake.
import { IN_STAKE, MAX_VALIDATORS, N, OWNER_PERMIT, PERMIT_LEN, THRESHOLD } from './job';
import { ASTAKE, FORBID, SORT_A, STAKE, f64At, i32At, setF64, setI32 } from './layout';

// @ts-ignore: decorator
@inline function filtered(i: i32): u64 {
  const s = load<u64>(IN_STAKE + (<usize>i << 3));
  return s < THRESHOLD && i != OWNER_PERMIT ? 0 : s;
}

/** Threshold (owner exempt under owner-permit), then `s_i / Σs`; the sum is exact in u64 (< 2^63, validated). */
export function normalizeStake(): void {
  let total: u64 = 0;
  for (let i = 0; i < N; i++) total += filtered(i);
  const t = <f64>total;
  for (let i = 0; i < N; i++) setF64(STAKE, i, total == 0 ? 0.0 : <f64>filtered(i) / t);
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
  for (let i = 0; i < N; i++) {
    const p: u8 = f64At(STAKE, i) != 0 ? 1 : 0;
    store<u8>(out + <usize>i, p);
    nonZero += p;
  }
  const k = MAX_VALIDATORS;
  if (N >= k && nonZero > k) {
    // The n − k first in the (stake, uid) order lose their permit: a selection, not a full sort. The order is
    // total (uids differ), so the set is exactly the stable sort's first n − k.
    const drop = N - k;
    for (let i = 0; i < N; i++) setI32(SORT_A, i, i);
    selectSmallest(SORT_A, N, drop);
    for (let r = 0; r < drop; r++) store<u8>(out + <usize>i32At(SORT_A, r), 0);
  }
  if (OWNER_PERMIT >= 0) store<u8>(out + <usize>OWNER_PERMIT, 1);
}

/** Stake masked by inactivity and missing previous permits (an empty permit vector masks nothing), normalised. */
export function activeStake(active: usize): void {
  let sum = 0.0;
  for (let i = 0; i < N; i++) {
    const masked = load<u8>(active + <usize>i) == 0 || (PERMIT_LEN > 0 && load<u8>(FORBID + <usize>i) != 0);
    const a = masked ? 0.0 : f64At(STAKE, i);
    setF64(ASTAKE, i, a);
    sum += a;
  }
  if (sum != 0) for (let i = 0; i < N; i++) setF64(ASTAKE, i, f64At(ASTAKE, i) / sum);
}
