import type { PreparedEpoch } from '../../epoch/prepare.js';
import { RULE_OWNER_PERMIT, sparseRule } from '../../epoch/path-rules.js';
import { TWO32, fixedShare } from './grid.js';
import { U64_MAX } from '../../units.js';

// Activity, recent registrations, previous permits, stake, new permits, active stake (the kernels' stake.ts).

/** Activity: `active_i = !(lastUpdate_i ⊕ cutoff < currentBlock)` in saturating u64. */
export function activeMask(p: PreparedEpoch): Uint8Array {
  const out = new Uint8Array(p.n);
  const cutoff = BigInt(p.hyper.activityCutoff);
  for (let i = 0; i < p.n; i++) {
    let upTo = p.lastUpdate[i] + cutoff;
    if (upTo > U64_MAX) upTo = U64_MAX;
    out[i] = upTo < p.currentBlock ? 0 : 1;
  }
  return out;
}

/** Recent registrations: the block from which a registration counts as "since the last epoch". */
export function lastTempoBlock(p: PreparedEpoch): bigint {
  if (p.lastStepBlock === 0n) {
    const t = BigInt(p.tempo);
    return p.currentBlock > t ? p.currentBlock - t : 0n;
  }
  return p.lastStepBlock >= U64_MAX ? U64_MAX : p.lastStepBlock + 1n;
}

/** `recent_j = lastTempo <= blockAtRegistration_j`: bond columns of miners registered since the last epoch. */
export function recentlyRegistered(p: PreparedEpoch): Uint8Array {
  const lt = lastTempoBlock(p);
  const out = new Uint8Array(p.n);
  for (let j = 0; j < p.n; j++) out[j] = lt <= p.blockAtRegistration[j] ? 1 : 0;
  return out;
}

/**
 * Previous permits as the epoch reads them: the stored vector, with the owner's entry forced
 * true under owner-permit when the vector reaches it. Entries at or past `permitLength` do not exist.
 */
export function previousPermits(p: PreparedEpoch): Uint8Array {
  const vp = p.validatorPermit.slice();
  if (p.ownerUid >= 0 && p.ownerUid < p.permitLength && sparseRule(p.pathRules, RULE_OWNER_PERMIT)) vp[p.ownerUid] = 1;
  return vp;
}

/** Rows whose weights are dropped: no entry in the permit vector, or no permit. */
export function forbiddenRows(p: PreparedEpoch, prev: Uint8Array): Uint8Array {
  const out = new Uint8Array(p.n);
  for (let i = 0; i < p.n; i++) out[i] = i < p.permitLength && prev[i] ? 0 : 1;
  return out;
}

/**
 * Stake: threshold (the owner exempt under owner-permit), then the chain's fixed-point stake
 * q = floor(s·2^32 / Σs) (I64F64 division floored to I32F32), returned as the exact f64 q·2^-32. Permits,
 * the active-stake mask and the median's voters are thus decided on the chain's own integers: a stake below
 * 2^-32 of the total is 0, and stakes that differ by less than that tie (uid order breaks the tie).
 */
export function normalizedStake(p: PreparedEpoch): Float64Array {
  const n = p.n;
  const filtered = new BigUint64Array(n);
  let total = 0n;
  for (let i = 0; i < n; i++) {
    const s = p.stake[i];
    const exempt = i === p.ownerUid && sparseRule(p.pathRules, RULE_OWNER_PERMIT);
    filtered[i] = !exempt && s < p.hyper.stakeThreshold ? 0n : s;
    total += filtered[i];
  }
  const out = new Float64Array(n);
  if (total === 0n) return out;
  for (let i = 0; i < n; i++) out[i] = Number(fixedShare(filtered[i], total)) / TWO32;
  return out;
}

/** The integer I32F32 values x·2^32 of a vector on the 2^-32 grid (stake, active stake), exact. */
export function fixedRaw(v: ArrayLike<number>): bigint[] {
  return Array.from(v, (x) => BigInt(x * TWO32));
}

/**
 * `is_topk_nonzero`: non-zero stakes hold a permit; unless n < k, a stable ascending sort
 * evicts the n − k smallest (ties evict the lower uid first). owner-permit then forces the owner's permit.
 */
export function newPermits(p: PreparedEpoch, stake: Float64Array): Uint8Array {
  const n = p.n;
  const k = p.hyper.maxAllowedValidators;
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = stake[i] !== 0 ? 1 : 0;
  if (n >= k) {
    const idx = Array.from({ length: n }, (_, i) => i);
    idx.sort((a, b) => stake[a] - stake[b] || a - b);
    for (let r = 0; r < n - k; r++) out[idx[r]] = 0;
  }
  if (p.ownerUid >= 0 && sparseRule(p.pathRules, RULE_OWNER_PERMIT)) out[p.ownerUid] = 1;
  return out;
}

/**
 * Active stake: stake masked by inactivity and by missing previous permits, then normalised as the chain does in
 * I32F32 (a = floor(m·2^32 / Σm) on the integer stakes), returned as the exact f64 a·2^-32. The chain's vector
 * mask masks nothing when the mask vector is empty, so an empty permit vector leaves stake unmasked here.
 */
export function activeStake(p: PreparedEpoch, stake: Float64Array, active: Uint8Array, forbidden: Uint8Array): Float64Array {
  const masked = fixedRaw(stake).map((q, i) => (active[i] && !(p.permitLength > 0 && forbidden[i] === 1) ? q : 0n));
  const sum = masked.reduce((x, y) => x + y, 0n);
  return Float64Array.from(masked, (m) => (sum === 0n ? 0 : Number(fixedShare(m, sum)) / TWO32));
}
