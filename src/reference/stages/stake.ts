import type { PreparedEpoch } from '../../epoch/prepare.js';
import { RULE_OWNER_PERMIT, sparseRule } from '../../epoch/path-rules.js';
import { normalizeInPlace } from './sums.js';

/** Stake: threshold (the owner exempt under owner-permit), then normalise. The sum is exact (bigint). */
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
  const t = Number(total);
  for (let i = 0; i < n; i++) out[i] = Number(filtered[i]) / t;
  return out;
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
 * Active stake: stake masked by inactivity and by missing previous permits, then normalised. The chain's vector mask
 * masks nothing when the mask vector is empty, so an empty permit vector leaves stake unmasked here.
 */
export function activeStake(p: PreparedEpoch, stake: Float64Array, active: Uint8Array, forbidden: Uint8Array): Float64Array {
  const a = new Float64Array(p.n);
  for (let i = 0; i < p.n; i++) {
    const permitMasked = p.permitLength > 0 && forbidden[i] === 1;
    a[i] = active[i] && !permitMasked ? stake[i] : 0;
  }
  return normalizeInPlace(a);
}
