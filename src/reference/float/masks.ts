import type { PreparedEpoch } from '../../epoch/prepare.js';
import { RULE_COMMIT_REVEAL, RULE_OWNER_PERMIT, RULE_OWNER_SELF_WEIGHT, sparseRule } from '../../epoch/path-rules.js';

/** Activity: `active_i = !(lastUpdate_i ⊕ cutoff < currentBlock)` in saturating u64. */
export function activeMask(p: PreparedEpoch): Uint8Array {
  const out = new Uint8Array(p.n);
  const cutoff = BigInt(p.hyper.activityCutoff);
  const U64 = (1n << 64n) - 1n;
  for (let i = 0; i < p.n; i++) {
    let upTo = p.lastUpdate[i] + cutoff;
    if (upTo > U64) upTo = U64;
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
  const U64 = (1n << 64n) - 1n;
  return p.lastStepBlock >= U64 ? U64 : p.lastStepBlock + 1n;
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
 * Whether entry (i, j) of the weight matrix survives the weight masks: diagonal (owner-self-weight keeps the
 * owner's), outdated (`lastUpdate_i <= reg_j`) and, under commit-reveal, the commit column mask (`commit_i < reg_j`).
 */
export function weightKept(p: PreparedEpoch, i: number, j: number): boolean {
  if (i === j && !(i === p.ownerUid && sparseRule(p.pathRules, RULE_OWNER_SELF_WEIGHT))) return false;
  const reg = p.blockAtRegistration[j];
  if (p.lastUpdate[i] <= reg) return false;
  if (p.commitBlocks !== null && p.commitBlocks[i] < reg && sparseRule(p.pathRules, RULE_COMMIT_REVEAL)) return false;
  return true;
}
