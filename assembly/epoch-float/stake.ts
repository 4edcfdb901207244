// Spec §2.2 – §2.4: stake normalisation, top-k permits, active stake.
import { IN_STAKE, MAX_VALIDATORS, N, OWNER, PERMIT_LEN, THRESHOLD } from './job';
import { ASTAKE, FORBID, SORT_A, SORT_B, STAKE, f64At, i32At, setF64, setI32 } from './layout';

// @ts-ignore: decorator
@inline function filtered(i: i32): u64 {
  const s = load<u64>(IN_STAKE + (<usize>i << 3));
  return s < THRESHOLD && i != OWNER ? 0 : s;
}

/** Threshold (owner exempt on the sparse path), then `s_i / Σs`; the sum is exact in u64 (< 2^63, validated). */
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
    // Bottom-up merge sort of uids by (stake, uid): a total order, so the result equals the stable sort.
    let src = SORT_A;
    let dst = SORT_B;
    for (let i = 0; i < N; i++) setI32(src, i, i);
    for (let width = 1; width < N; width <<= 1) {
      for (let lo = 0; lo < N; lo += width << 1) {
        const mid = min(lo + width, N);
        const hi = min(lo + (width << 1), N);
        let a = lo;
        let b = mid;
        let o = lo;
        while (a < mid && b < hi) {
          const x = i32At(src, a);
          const y = i32At(src, b);
          if (before(y, x)) { setI32(dst, o++, y); b++; } else { setI32(dst, o++, x); a++; }
        }
        while (a < mid) setI32(dst, o++, i32At(src, a++));
        while (b < hi) setI32(dst, o++, i32At(src, b++));
      }
      const t = src; src = dst; dst = t;
    }
    for (let r = 0; r < N - k; r++) store<u8>(out + <usize>i32At(src, r), 0);
  }
  if (OWNER >= 0) store<u8>(out + <usize>OWNER, 1);
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
