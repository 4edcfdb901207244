// Step 7 of the BigInt reference epoch (`epoch.ts`): the stored weights in the sparse path's matrix, masked
// (forbidden rows, diagonal, outdated, commit-reveal) and row-normalised.
import type { PreparedEpoch } from '../../epoch/prepare.js';
import { RULE_COMMIT_REVEAL, RULE_OWNER_SELF_WEIGHT, sparseRule } from '../../epoch/path-rules.js';
import * as S from './sparse.js';
import { ownerUnder } from './stake.js';

export function maskedNormalizedWeights(p: PreparedEpoch, oldPermit: readonly boolean[]): S.SparseMatrix {
  const n = p.n;
  const rules = p.pathRules;
  const present = p.weightsPresent;
  const lastUpdate = Array.from(p.lastUpdate);
  const reg = Array.from(p.blockAtRegistration);
  const forbid = oldPermit.map((x) => !x);

  // Stored u16 as integer-valued I32F32, explicit zeros kept; masks; row normalisation.
  let W: S.SparseMatrix = [];
  for (let i = 0; i < n; i++) {
    const row: S.SparseRow = [];
    for (let j = 0; j < n; j++) if (present[i * n + j]) row.push([j, BigInt(p.weights[i * n + j]) << 32n]);
    W.push(row);
  }
  W = S.maskRows(forbid, W);
  W = S.maskDiag(W, ownerUnder(p, RULE_OWNER_SELF_WEIGHT));
  W = S.vecMask(W, lastUpdate, reg, (updated, registered) => updated <= registered);
  if (p.commitBlocks && sparseRule(rules, RULE_COMMIT_REVEAL)) {
    W = S.vecMask(W, Array.from(p.commitBlocks), reg, (commit, registered) => commit < registered);
  }
  return S.rowNormalize(W);
}
