// Steps 1–6 of the BigInt reference epoch (`epoch.ts`): activity, stake, permits and active stake, with the
// owner-permit rule; and the block from which a registration counts as recent.
import type { PreparedEpoch } from '../../epoch/prepare.js';
import { I64F64, fromInt, stakeProportion, toU64Sat, wrapAdd } from '../../fixed/substrate-fixed.js';
import { U64_MAX } from '../../units.js';
import { RULE_OWNER_PERMIT, sparseRule } from '../../epoch/path-rules.js';
import { isTopkNonzero, maskVector, normalize } from './vector.js';

const u64SatAdd = (a: bigint, b: bigint): bigint => (a + b > U64_MAX ? U64_MAX : a + b);
const u64SatSub = (a: bigint, b: bigint): bigint => (a > b ? a - b : 0n);

/** Steps 1–6: activity, stake, permits and active stake, with the owner-permit rule. */
export interface Prologue {
  n: number;
  active: boolean[];
  stake: bigint[];
  /** Previous permits as the epoch reads them (owner forced under owner-permit), length = stored vector length. */
  oldPermit: boolean[];
  newPermit: boolean[];
  activeStake: bigint[];
}

/** The owner UID where rule `bit` follows the sparse path, else -1 (the dense path has no owner handling). */
export function ownerUnder(p: PreparedEpoch, bit: number): number {
  return sparseRule(p.pathRules, bit) ? p.ownerUid : -1;
}

export function prologue(p: PreparedEpoch): Prologue {
  const n = p.n;
  const h = p.hyper;
  const cb = p.currentBlock;
  const cutoff = BigInt(h.activityCutoff);

  // Activity.
  const inactive = Array.from(p.lastUpdate, (lu) => u64SatAdd(lu, cutoff) < cb);
  const active = inactive.map((x) => !x);

  // Stake: threshold (owner exempt under owner-permit), normalise in I64F64, floor to I32F32.
  const owner = ownerUnder(p, RULE_OWNER_PERMIT);
  const filtered = Array.from(p.stake, (s, i) => {
    const total = fromInt(I64F64, s);
    return i !== owner && toU64Sat(I64F64, total) < h.stakeThreshold ? 0n : total;
  });
  const total = filtered.reduce((a, b) => wrapAdd(I64F64, a, b), 0n);
  const stake = filtered.map((f) => stakeProportion(f, total));

  // Permits: the stored vector may be shorter than n; the owner's entry is forced only if it exists.
  const oldPermit = Array.from(p.validatorPermit.subarray(0, p.permitLength), (x) => x !== 0);
  if (owner >= 0 && owner < oldPermit.length) oldPermit[owner] = true;
  const forbid = oldPermit.map((x) => !x);
  const newPermit = isTopkNonzero(stake, h.maxAllowedValidators);
  if (owner >= 0) newPermit[owner] = true;

  // Active stake.
  const activeStake = normalize(maskVector(forbid, maskVector(inactive, stake)));
  return { n, active, stake, oldPermit, newPermit, activeStake };
}

/** `lastTempo`: registrations at or after this block are recent (their bond columns are dropped). */
export function lastTempoOf(p: PreparedEpoch): bigint {
  return p.lastStepBlock === 0n ? u64SatSub(p.currentBlock, BigInt(p.tempo)) : u64SatAdd(p.lastStepBlock, 1n);
}
