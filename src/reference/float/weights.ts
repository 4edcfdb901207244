import type { PreparedEpoch } from '../../epoch/prepare.js';
import { RULE_COMMIT_REVEAL, RULE_OWNER_SELF_WEIGHT, sparseRule } from '../../epoch/path-rules.js';
import { fixedQuotient } from './grid.js';

/** A dense n×n f64 matrix with the set of entries the chain's sparse form would hold. */
export interface Mat {
  n: number;
  v: Float64Array;
  /** 1 where the sparse path stores the entry (explicit zeros included); the dense path ignores it. */
  present: Uint8Array;
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

/**
 * Weights: the stored u16 weights as values, rows of forbidden validators dropped, diagonal / outdated / commit
 * masks applied, then each row normalised as the chain does: floor(w·2^32 / Σw) in I32F32, held exactly in
 * f64 (grid.ts). Consensus, clipping and validator trust then see the chain's own values, ties included.
 */
export function maskedNormalizedWeights(p: PreparedEpoch, forbidden: Uint8Array): Mat {
  const n = p.n;
  const v = new Float64Array(n * n);
  const present = new Uint8Array(n * n);
  const wp = p.weightsPresent;
  for (let i = 0; i < n; i++) {
    if (forbidden[i]) continue;
    let s = 0;
    for (let j = 0; j < n; j++) {
      const k = i * n + j;
      if (!wp[k] || !weightKept(p, i, j)) continue;
      present[k] = 1;
      v[k] = p.weights[k];
      s += p.weights[k];
    }
    if (s > 0) for (let j = 0; j < n; j++) v[i * n + j] = fixedQuotient(v[i * n + j], s);
  }
  return { n, v, present };
}
