/**
 * Every place where the chain's two epoch paths differ, as one switchable rule each: `epoch_mechanism` (what the
 * chain runs, `path: 'sparse'`) and `epoch_dense_mechanism` (its test twin, `path: 'dense'`) in subtensor's
 * `epoch/run_epoch.rs` and the helpers of `epoch/math.rs` they call. A prepared epoch carries a bit set of the
 * rules that follow the sparse path; `'sparse'` is all of them, `'dense'` none, and every implementation (both
 * Wasm kernels, both references) consults these bits and nothing else, so any mix runs through the same code.
 * `engine.explainPathDivergence` mixes them to find which rules make the two paths pay differently.
 *
 * The bits are part of the job header: the Wasm kernels' ABI mirrors them (RULE_*), a test checks the two agree.
 */
import type { ChainPath } from './types.js';

/** Stable codes of the path rules (reported as causes, never renamed). */
export type PathRuleCode =
  | 'owner-permit'
  | 'owner-self-weight'
  | 'commit-reveal'
  | 'bond-writeback'
  | 'liquid-alpha-bond-drop'
  | 'stored-zero-weights'
  | 'zero-consensus-bond-drop'
  | 'mechanism-permits';

/** One difference between the chain's two epoch paths, as a switch. */
export interface PathRule {
  /** Its stable name (what `explainPathDivergence` reports as a cause). */
  code: PathRuleCode;
  /** The rule's bit in `PreparedEpoch.pathRules` and in the job header. */
  bit: number;
  /** What the sparse path (the chain) does. */
  sparse: string;
  /** What the dense twin does instead. */
  dense: string;
}

export const RULE_OWNER_PERMIT = 1;
export const RULE_OWNER_SELF_WEIGHT = 2;
export const RULE_COMMIT_REVEAL = 4;
export const RULE_BOND_WRITEBACK = 8;
export const RULE_LIQUID_ALPHA_BOND_DROP = 16;
export const RULE_STORED_ZERO_WEIGHTS = 32;
export const RULE_ZERO_CONSENSUS_BOND_DROP = 64;
export const RULE_MECHANISM_PERMITS = 128;

/** The rules in report order (the order of the chain's epoch). */
export const PATH_RULES: readonly PathRule[] = Object.freeze([
  {
    // One rule, not three: an owner below the stake threshold loses its new permit on the dense path too, so
    // the threshold exemption never shows without the forced permit.
    code: 'owner-permit',
    bit: RULE_OWNER_PERMIT,
    sparse:
      "the subnet owner always counts as a validator: its stake is exempt from the stake threshold, its stored (previous) permit is forced true where the stored vector reaches it, and its new permit is forced true",
    dense: "the owner is treated like any UID (threshold applies, permits as stored and as the top-k gives them)",
  },
  {
    code: 'owner-self-weight',
    bit: RULE_OWNER_SELF_WEIGHT,
    sparse: "the owner's weight on itself survives the diagonal mask",
    dense: 'the whole diagonal is masked, the owner included',
  },
  {
    code: 'commit-reveal',
    bit: RULE_COMMIT_REVEAL,
    sparse: 'with commit-reveal on (commitBlocks given), a weight into a UID registered after the setter\'s earliest active commit is masked',
    dense: 'no commit-reveal mask',
  },
  {
    code: 'bond-writeback',
    bit: RULE_BOND_WRITEBACK,
    sparse: "every UID's bond row is rewritten: its new EMA row (the entries the sparse EMA keeps) under a new permit, else emptied",
    dense: 'only rows inside the stored permit vector change (new permit: all n entries; lost permit: emptied); other rows keep their old bonds',
  },
  {
    code: 'liquid-alpha-bond-drop',
    bit: RULE_LIQUID_ALPHA_BOND_DROP,
    sparse: 'Yuma3 + liquid alpha: mat_ema_alpha_sparse emits only columns of the weights-for-bonds row, so a bond to a UID the validator has no weight entry for (never set, stopped weighting, or masked) is dropped',
    dense: 'that bond decays by (1 − α) like any other',
  },
  {
    code: 'stored-zero-weights',
    bit: RULE_STORED_ZERO_WEIGHTS,
    sparse: 'Yuma3 + liquid alpha with 0 < bondsPenalty < 65535: interpolate_sparse drops an explicitly stored zero weight from the weights for bonds, so the bond to that UID is dropped (with bondsPenalty 0 or 65535 the stored zero is kept and the bond decays)',
    dense: 'that bond decays by (1 − α)',
  },
  {
    code: 'zero-consensus-bond-drop',
    bit: RULE_ZERO_CONSENSUS_BOND_DROP,
    sparse: 'Yuma3 + liquid alpha: a positive weight whose weight for bonds comes out zero (col_clip_sparse drops a weight clipped to a zero consensus, with bondsPenalty 65535) loses its column, so the bond to that UID is dropped',
    dense: 'the clipped weight is a stored 0 and the bond decays by (1 − α)',
  },
  {
    // Read by the mechanism runner (src/epoch/mechanisms.ts), not by the kernels.
    code: 'mechanism-permits',
    bit: RULE_MECHANISM_PERMITS,
    sparse:
      "with mechanisms: every mechanism's epoch reads the stored (previous) validator permits; epoch_with_mechanisms stores the new ones once, after all of them",
    dense: 'epoch_dense_mechanism stores ValidatorPermit itself, so mechanisms after the first read the permits mechanism 0 has just computed',
  },
]);

/** Every rule following the sparse path: what `path: 'sparse'` means. */
export const ALL_SPARSE_RULES = PATH_RULES.reduce((m, r) => m | r.bit, 0);

/** The rule bits of a chain path. */
export function pathRulesOf(path: ChainPath): number {
  return path === 'sparse' ? ALL_SPARSE_RULES : 0;
}

/** Whether rule `bit` follows the sparse path in `rules`. */
export function sparseRule(rules: number, bit: number): boolean {
  return (rules & bit) !== 0;
}

/** The codes of the rules set in `rules`, in report order. */
export function ruleCodes(rules: number): PathRuleCode[] {
  return PATH_RULES.filter((r) => (rules & r.bit) !== 0).map((r) => r.code);
}
