// Bond storage of the BigInt reference epoch (`epoch.ts`): what each path writes back of the bond EMA.
import type { PreparedEpoch } from '../../epoch/prepare.js';
import type { RawEpochResult } from '../../epoch/result.js';
import { fixedProportionToU16 } from '../../fixed/substrate-fixed.js';
import { RULE_BOND_WRITEBACK, sparseRule } from '../../epoch/path-rules.js';
import type * as S from './sparse.js';
import type { Prologue } from './stake.js';

/** Writes the bond storage (bond-writeback rule) of the EMA `ema` into `out`. */
export function writeBonds(p: PreparedEpoch, pro: Prologue, ema: S.SparseMatrix, out: RawEpochResult): void {
  const { n, newPermit, oldPermit } = pro;
  if (sparseRule(p.pathRules, RULE_BOND_WRITEBACK)) {
    // Sparse: every UID's row is rewritten: the EMA row under a new permit, else empty.
    for (let i = 0; i < n; i++) {
      if (!newPermit[i]) continue;
      for (const [j, v] of ema[i]) {
        out.bonds[i * n + j] = Number(fixedProportionToU16(v));
        out.bondsPresent[i * n + j] = 1;
      }
    }
    return;
  }
  // Dense: only rows below the stored permit vector's length are touched (new permit: all n entries, lost
  // previous permit: emptied); the others keep their input.
  const touched = Math.min(n, oldPermit.length);
  for (let i = 0; i < n; i++) {
    const row: bigint[] = new Array(n).fill(0n);
    for (const [j, v] of ema[i]) row[j] = v;
    for (let j = 0; j < n; j++) {
      const k = i * n + j;
      if (i < touched && newPermit[i]) {
        out.bonds[k] = Number(fixedProportionToU16(row[j]));
        out.bondsPresent[k] = 1;
      } else if (i < touched && oldPermit[i]) {
        out.bonds[k] = 0;
        out.bondsPresent[k] = 0;
      } else {
        out.bonds[k] = p.bonds[k];
        out.bondsPresent[k] = p.bonds[k] !== 0 ? 1 : 0;
      }
    }
  }
}
