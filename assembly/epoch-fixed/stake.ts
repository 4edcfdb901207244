// Activity, recent registrations, stake (threshold, I64F64 normalisation), permits, active stake.
import { udiv128by64 } from '../fixed/wide';
import { divU } from '../fixed/proportion';
import * as J from '../job';
import { ACT, INACTIVE, KEYS_A, KEYS_B, NEW_PERMIT, OLD_PERMIT, RECENT, STAKE, ld, ldU8, st, stU8 } from './layout';

export function activityAndRecent(): void {
  const n = J.n;
  const cb = J.currentBlock;
  for (let i = 0; i < n; i++) {
    const lu = J.lastUpdate(i);
    let until = lu + J.cutoff;
    if (until < lu) until = u64.MAX_VALUE;
    stU8(INACTIVE, i, until < cb);
  }
  let lastTempo: u64;
  if (J.lastStep == 0) lastTempo = cb > J.tempo ? cb - J.tempo : 0;
  else lastTempo = J.lastStep == u64.MAX_VALUE ? u64.MAX_VALUE : J.lastStep + 1;
  for (let j = 0; j < n; j++) stU8(RECENT, j, lastTempo <= J.reg(j));
}

/** Stake weights: threshold (owner exempt under owner-permit), floor(stake·2^32 / Σ) via the chain's I64F64 division. */
export function stakeWeights(): void {
  const n = J.n;
  let total: u64 = 0;
  for (let i = 0; i < n; i++) {
    const s = load<u64>(J.stakeIn + (<usize>i << 3));
    // prepareEpoch guarantees Σ stake < 2^63, so the I64F64 sum neither wraps nor saturates
    if (i == J.ownerPermit || s >= J.stakeThreshold) total += s;
  }
  // I64F64 f ÷ Σ then the I32F32 floor is exactly floor(f·2^32 / Σ) for 0 ≤ f ≤ Σ (Σ = 0: every f is 0)
  for (let i = 0; i < n; i++) {
    const s = load<u64>(J.stakeIn + (<usize>i << 3));
    const f: u64 = i == J.ownerPermit || s >= J.stakeThreshold ? s : 0;
    st(STAKE, i, total == 0 ? 0 : <i64>udiv128by64(f << 32, f >> 32, total));
  }
}

/**
 * Old permits: the stored vector may be shorter than n (entries past its end count as no permit, which is also
 * how `mask_rows` treats them); the owner's entry is forced (owner-permit) only if it exists.
 */
export function oldPermits(): void {
  const n = J.n;
  for (let i = 0; i < n; i++) {
    let p = i < J.permitLen && load<u8>(J.permitIn + <usize>i) != 0;
    if (i == J.ownerPermit && i < J.permitLen) p = true;
    stU8(OLD_PERMIT, i, p);
  }
}

/**
 * `is_topk_nonzero`: the n − k lowest in a stable ascending sort lose their permit. Stakes are ≤ 2^32 and
 * uids < 4096, so (stake << 12 | uid) is a unique key whose order is exactly the stable order.
 */
export function newPermits(): void {
  const n = J.n;
  const k = J.maxValidators;
  for (let i = 0; i < n; i++) stU8(NEW_PERMIT, i, ld(STAKE, i) != 0);
  if (n >= k) {
    for (let i = 0; i < n; i++) store<u64>(KEYS_A + (<usize>i << 3), (<u64>ld(STAKE, i) << 12) | <u64>i);
    const sorted = sortKeys(KEYS_A, KEYS_B, n);
    const drop = n - k;
    for (let t = 0; t < drop; t++) stU8(NEW_PERMIT, <i32>(load<u64>(sorted + (<usize>t << 3)) & 0xfff), false);
  }
  if (J.ownerPermit >= 0) stU8(NEW_PERMIT, J.ownerPermit, true);
}

/**
 * Bottom-up merge sort of u64 keys, ping-ponging between two buffers; returns the buffer holding the result. Each
 * merge step takes its key and advances its cursor by selects, not a branch: on a new subnet's stakes the branch
 * went either way unpredictably (about n·log2 n steps a sort).
 */
export function sortKeys(a: usize, b: usize, n: i32): usize {
  let src = a;
  let dst = b;
  for (let width = 1; width < n; width <<= 1) {
    for (let lo = 0; lo < n; lo += width << 1) {
      const mid = min(lo + width, n);
      const hi = min(lo + (width << 1), n);
      let x = lo, y = mid, o = lo;
      while (x < mid && y < hi) {
        const kx = load<u64>(src + (<usize>x << 3));
        const ky = load<u64>(src + (<usize>y << 3));
        const takeX = <i32>(kx <= ky);
        store<u64>(dst + (<usize>o << 3), select<u64>(kx, ky, takeX));
        x += takeX;
        y += takeX ^ 1;
        o++;
      }
      while (x < mid) { store<u64>(dst + (<usize>o << 3), load<u64>(src + (<usize>x << 3))); x++; o++; }
      while (y < hi) { store<u64>(dst + (<usize>o << 3), load<u64>(src + (<usize>y << 3))); y++; o++; }
    }
    const t = src; src = dst; dst = t;
  }
  return src;
}

/** Active stake: stake masked by inactivity and by missing old permits (an empty vector masks nothing), normalised. */
export function activeStake(): void {
  const n = J.n;
  let s: i64 = 0;
  for (let i = 0; i < n; i++) {
    let a = ld(STAKE, i);
    if (ldU8(INACTIVE, i)) a = 0;
    if (J.permitLen > 0 && !ldU8(OLD_PERMIT, i)) a = 0;
    st(ACT, i, a);
    s += a; // each ≤ ONE: the chain's wrapping sum cannot wrap
  }
  if (s != 0) for (let i = 0; i < n; i++) st(ACT, i, divU(ld(ACT, i), s));
}
