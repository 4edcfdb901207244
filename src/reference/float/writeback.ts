import type { PreparedEpoch } from '../../epoch/prepare.js';
import { RULE_BOND_WRITEBACK, sparseRule } from '../../epoch/path-rules.js';
import { proportionToU16 } from './u16.js';

/**
 * Bond storage after the epoch, written into `bonds`/`present` (n·n), by the bond-writeback rule.
 * Sparse: every row rewritten — the EMA row (its stored entries) for a new permit, else empty.
 * Dense: only rows inside the stored permit vector change — new permit → all n entries, lost (previous) permit →
 * empty; every other row keeps its input (presence there is "value ≠ 0": the prepared input has no bond presence).
 * `prev` are the previous permits as the epoch read them (`previousPermits`).
 */
export function writeBackBonds(
  p: PreparedEpoch,
  prev: Uint8Array,
  newPermit: Uint8Array,
  storage: Float64Array,
  emaPresent: Uint8Array,
  bonds: Uint16Array,
  present: Uint8Array,
): void {
  const n = p.n;
  for (let i = 0; i < n; i++) {
    const base = i * n;
    if (sparseRule(p.pathRules, RULE_BOND_WRITEBACK)) {
      for (let j = 0; j < n; j++) {
        const keep = newPermit[i] && emaPresent[base + j];
        bonds[base + j] = keep ? proportionToU16(storage[base + j]) : 0;
        present[base + j] = keep ? 1 : 0;
      }
      continue;
    }
    const inVector = i < p.permitLength;
    if (inVector && newPermit[i]) {
      for (let j = 0; j < n; j++) {
        bonds[base + j] = proportionToU16(storage[base + j]);
        present[base + j] = 1;
      }
    } else if (inVector && prev[i]) {
      bonds.fill(0, base, base + n);
      present.fill(0, base, base + n);
    } else {
      for (let j = 0; j < n; j++) {
        bonds[base + j] = p.bonds[base + j];
        present[base + j] = p.bonds[base + j] !== 0 ? 1 : 0;
      }
    }
  }
}
