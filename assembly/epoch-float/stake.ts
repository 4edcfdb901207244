// Activity, recent registrations, stake (threshold, normalisation on the chain's fixed-point stake values),
// previous and new permits, active stake.
import * as J from '../job';
import { fracDiv, inverse } from '../fixed/proportion';
import { udiv128by64 } from '../fixed/wide';
import { TWO32, ULP } from './grid';
import { ASTAKE, FORBID, MED_A, MED_B, PREV, RECENT, STAKE, f64At, setF64 } from './layout';

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
  const q = <u64>(<f64>f * inv * TWO32);
  const r = <i64>((f << 32) - q * total);
  // the correction as arithmetic, not branches: which way the estimate errs varies from one uid to the next
  return q + <u64>(r >= <i64>total) - <u64>(r < 0);
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

/**
 * Uid i's place in the (stake, uid) order as one integer: the stake's ulps (≤ 2^32) above the uid (< 2^20: the
 * loader allows 4096 UIDs), below 2^53 and distinct for every uid.
 */
// @ts-ignore: decorator
@inline function orderKey(i: i32): i64 {
  return (<i64>(f64At(STAKE, i) * TWO32) << 20) | <i64>i;
}

/**
 * The `count`-th smallest (1 ≤ count ≤ n) of the n uids' order keys: a quickselect whose partitions (median-of-three
 * pivot) write every key to both ends of the other buffer and advance a cursor by its comparison, without branches
 * (a partition's comparisons go either way; each was a mispredicted branch about half the time).
 */
function kthKey(count: i32): i64 {
  const n = J.n;
  let src = MED_A;
  let dst = MED_B;
  for (let i = 0; i < n; i++) store<i64>(src + (<usize>i << 3), orderKey(i));
  let len = n;
  let want = count;
  while (true) {
    const a = load<i64>(src);
    const b = load<i64>(src + (<usize>(len >> 1) << 3));
    const c = load<i64>(src + (<usize>(len - 1) << 3));
    const lo = select<i64>(a, b, a < b);
    const hi = select<i64>(b, a, a < b);
    const t = select<i64>(hi, c, hi < c);
    const pivot = select<i64>(lo, t, lo > t);
    // keys below the pivot from the front of dst, keys above it from the back (keys are distinct)
    let lc = 0;
    let hc = 0;
    const top = dst + (<usize>(len - 1) << 3);
    for (let k = 0; k < len; k++) {
      const x = load<i64>(src + (<usize>k << 3));
      store<i64>(dst + (<usize>lc << 3), x);
      store<i64>(top - (<usize>hc << 3), x);
      lc += <i32>(x < pivot);
      hc += <i32>(x > pivot);
    }
    if (want == lc + 1) return pivot;
    const low = <i32>(want <= lc);
    // the side kept: below (front of dst) or above (its last hc slots), as the next source; src becomes the buffer
    const next = select<usize>(dst, top - (<usize>(hc - 1) << 3), low);
    want = select<i32>(want, want - lc - 1, low);
    len = select<i32>(lc, hc, low);
    dst = src;
    src = next;
  }
  return 0;
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
    const last = kthKey(J.n - k);
    for (let i = 0; i < J.n; i++) store<u8>(out + <usize>i, load<u8>(out + <usize>i) & <u8>(orderKey(i) > last));
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
    // bitwise, not short-circuit: permits are spread over the uids
    const masked = <i32>(load<u8>(active + <usize>i) == 0) | (<i32>(J.permitLen > 0) & <i32>(load<u8>(FORBID + <usize>i) != 0));
    const m = select<i64>(0, <i64>(f64At(STAKE, i) * TWO32), masked);
    setF64(ASTAKE, i, <f64>m);
    sum += m;
  }
  const inv = inverse(sum);
  for (let i = 0; i < J.n; i++) {
    const m = <i64>f64At(ASTAKE, i);
    setF64(ASTAKE, i, sum == 0 ? 0.0 : <f64>fracDiv(m, sum, inv) * ULP);
  }
}
