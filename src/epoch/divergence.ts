/**
 * Where the chain's two epoch paths pay differently, and why: `engine.explainPathDivergence`.
 *
 * The sparse path (`epoch_mechanism`, what the chain runs) and the dense twin (`epoch_dense_mechanism`, what most
 * of the chain's tests run) differ by the path rules of path-rules.ts, and every implementation runs any mix of
 * them. So the question "which differences make these two outputs differ" is answered by running mixes:
 *
 * - A *fix* is a set of rules that, switched to their dense behaviour on the sparse path, makes it store exactly
 *   what the dense path stores (the chain's stored outputs; float views are not compared). All rules together
 *   are a fix.
 * - The *causes* are the rules of the minimal fixes (fixes none of whose proper subsets is one): each cause is
 *   needed by some fix, and only such rules are named. Their union is itself a fix whenever the rules compose
 *   monotonically; where they do not (one rule can hide another's effect, e.g. a commit mask emptying the owner's
 *   row), the causes are completed to the smallest fix that contains them, so switching all causes to the
 *   dense behaviour always makes the paths agree.
 *
 * Rules that cannot act on the epoch (no owner, no commit blocks, no Yuma3 + liquid alpha, …) are left out
 * exactly; every mix of the others is run: 2^k epochs for k acting rules (k ≤ 7), in batches that keep memory
 * bounded (n² bond matrices are compared as they come, never all held at once).
 */
import { readOptions } from '../validation/read.js';
import { oneOf } from '../validation/values.js';
import {
  ALL_SPARSE_RULES,
  PATH_RULES,
  RULE_BOND_WRITEBACK,
  RULE_COMMIT_REVEAL,
  RULE_LIQUID_ALPHA_BOND_DROP,
  RULE_OWNER_PERMIT,
  RULE_OWNER_SELF_WEIGHT,
  RULE_STORED_ZERO_WEIGHTS,
  RULE_ZERO_CONSENSUS_BOND_DROP,
  type PathRuleCode,
} from './path-rules.js';
import { prepareEpoch, withPathRules, type PreparedEpoch } from './prepare.js';
import { toEpochOutput, type RawEpochResult } from './result.js';
import type { EpochInput, EpochOutput, Hyperparams, NumericMode } from './types.js';

export interface PathDivergenceOptions {
  /** As for `epoch`: `'fixed'` (default, bit-exact with the chain) or `'float'`. */
  mode?: NumericMode;
}

/** The outputs the chain stores, compared field by field (bonds by value: a stored 0 equals no entry). */
export const DIVERGENCE_FIELDS = [
  'stakeWeight',
  'consensus',
  'incentive',
  'dividends',
  'validatorTrust',
  'active',
  'validatorPermit',
  'bonds',
  'serverEmission',
  'validatorEmission',
] as const;
export type DivergenceField = (typeof DIVERGENCE_FIELDS)[number];

/** One UID's outputs where the paths disagree (a key is present only if that output differs). */
export interface UidDivergence {
  uid: number;
  /** u16 as stored. */
  dividends?: { sparse: number; dense: number };
  incentive?: { sparse: number; dense: number };
  /** rao. */
  serverEmission?: { sparse: bigint; dense: bigint };
  validatorEmission?: { sparse: bigint; dense: bigint };
  /** Entries of this UID's bond row (as a validator) that differ: `uid` is the bonded UID, values u16. */
  bonds?: Array<{ uid: number; sparse: number; dense: number }>;
}

/** What one cause does on the chain's path: the sparse path with only this rule switched to dense behaviour. */
export interface CauseEffect {
  code: PathRuleCode;
  /** Stored outputs that change. */
  fields: DivergenceField[];
  /** Share of the dividends that goes to other validators: Σ|Δ dividend| / 2 / 65535 (u16 dividends). */
  dividendsMoved: number;
}

export interface PathDivergence {
  /** Whether any stored output differs between the two paths. */
  differs: boolean;
  /** The stored outputs that differ. */
  fields: DivergenceField[];
  /** Stable codes of the path rules that cause the difference (in the order of PATH_RULES). */
  causes: PathRuleCode[];
  /** Per cause (same order): what switching it alone on the sparse path changes. */
  effects: CauseEffect[];
  /** Share of the dividends the two paths pay to different validators: Σ|Δ dividend| / 2 / 65535. */
  dividendsMoved: number;
  /** UIDs whose dividends, incentive, emissions or bond row differ, ascending. */
  uids: UidDivergence[];
  /** The engine's `path: 'sparse'` output (what the chain runs). */
  sparse: EpochOutput;
  /** The engine's `path: 'dense'` output (the chain's test twin). */
  dense: EpochOutput;
}

/** Runs prepared epochs (an engine's `runPrepared`). */
export type RunPrepared = (prepared: PreparedEpoch[]) => RawEpochResult[];

/** Whether a stored output differs between two results. */
function fieldDiffers(a: RawEpochResult, b: RawEpochResult, f: DivergenceField): boolean {
  const x = a[f];
  const y = b[f];
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return true;
  return false;
}

export function differingFields(a: RawEpochResult, b: RawEpochResult): DivergenceField[] {
  return DIVERGENCE_FIELDS.filter((f) => fieldDiffers(a, b, f));
}

function sameStored(a: RawEpochResult, b: RawEpochResult): boolean {
  return DIVERGENCE_FIELDS.every((f) => !fieldDiffers(a, b, f));
}

/** Σ|Δ dividend| / 2 / 65535 over u16 dividends. */
export function dividendsMoved(a: RawEpochResult, b: RawEpochResult): number {
  let s = 0;
  for (let i = 0; i < a.dividends.length; i++) s += Math.abs(a.dividends[i] - b.dividends[i]);
  return s / 2 / 65535;
}

const bitCount = (m: number): number => {
  let c = 0;
  for (let x = m; x !== 0; x &= x - 1) c++;
  return c;
};

/** Submasks of `m`, ascending. */
function submasks(m: number): number[] {
  const out: number[] = [];
  for (let s = m; ; s = (s - 1) & m) {
    out.push(s);
    if (s === 0) break;
  }
  return out.reverse();
}

/**
 * The rules that can act on this epoch at all; the others are exactly inert (the code they switch is never
 * reached, or reaches only values that are the same either way).
 */
export function actingRules(p: PreparedEpoch): number {
  const n = p.n;
  const h = p.hyper;
  let m = RULE_BOND_WRITEBACK;
  const owner = p.ownerUid;
  if (owner >= 0) {
    m |= RULE_OWNER_PERMIT;
    if (p.weightsPresent[owner * n + owner]) m |= RULE_OWNER_SELF_WEIGHT;
  }
  if (p.commitBlocks) {
    const cb = p.commitBlocks;
    const wp = p.weightsPresent;
    let masks = false;
    for (let i = 0; i < n && !masks; i++) {
      for (let j = 0; j < n; j++) {
        if (wp[i * n + j] && cb[i] < p.blockAtRegistration[j]) {
          masks = true;
          break;
        }
      }
    }
    if (masks) m |= RULE_COMMIT_REVEAL;
  }
  if (h.yuma3Enabled && h.liquidAlphaEnabled) {
    m |= RULE_LIQUID_ALPHA_BOND_DROP;
    // β = 0 keeps every listed weight in the weights for bonds; β = 65535 keeps stored zeros (col_clip keeps 0 ≤ c)
    if (h.bondsPenalty > 0) m |= RULE_ZERO_CONSENSUS_BOND_DROP;
    if (h.bondsPenalty > 0 && h.bondsPenalty < 65535) {
      const wp = p.weightsPresent;
      for (let k = 0; k < n * n; k++) {
        if (wp[k] && p.weights[k] === 0) {
          m |= RULE_STORED_ZERO_WEIGHTS;
          break;
        }
      }
    }
  }
  return m;
}

/** Epochs per batch: about 2^24 bond entries (≈ 80 MB of results) at a time. */
function batchSize(n: number): number {
  return Math.max(1, Math.floor(2 ** 24 / Math.max(1, n * n)));
}

interface Search {
  causes: number;
  sparse: RawEpochResult;
  dense: RawEpochResult;
  /** Per cause bit: the sparse path with that rule alone switched to dense behaviour. */
  without: Map<number, { fields: DivergenceField[]; dividendsMoved: number }>;
}

/** Runs every mix of the acting rules and derives the causes (see the module comment). */
function search(p: PreparedEpoch, runPrepared: RunPrepared): Search {
  const acting = actingRules(p);
  const inert = ALL_SPARSE_RULES & ~acting;
  const [dense, sparse] = runPrepared([withPathRules(p, 0), withPathRules(p, ALL_SPARSE_RULES)]);
  const without = new Map<number, { fields: DivergenceField[]; dividendsMoved: number }>();
  if (sameStored(sparse, dense)) return { causes: 0, sparse, dense, without };

  // fixes[C] for every C ⊆ acting: the sparse rules left are (acting & ~C) | inert
  const fixes = new Map<number, boolean>();
  const masks = submasks(acting);
  const size = batchSize(p.n);
  for (let at = 0; at < masks.length; at += size) {
    const group = masks.slice(at, at + size);
    const results = runPrepared(group.map((c) => withPathRules(p, (acting & ~c) | inert)));
    group.forEach((c, k) => {
      const r = results[k];
      fixes.set(c, sameStored(r, dense));
      if (bitCount(c) === 1) without.set(c, { fields: differingFields(sparse, r), dividendsMoved: dividendsMoved(sparse, r) });
    });
  }
  const isFix = (c: number): boolean => fixes.get(c) === true;

  let union = 0;
  for (const c of masks) {
    if (!isFix(c) || (c & ~union) === 0) continue;
    if (submasks(c).every((sub) => sub === c || !isFix(sub))) union |= c;
  }
  let causes = union;
  if (!isFix(union)) {
    // the smallest fix containing every minimal fix's rules (fewest rules, then lowest bits)
    causes = masks
      .filter((c) => (c & union) === union && isFix(c))
      .reduce((best, c) => (bitCount(c) < bitCount(best) ? c : best), acting);
  }
  return { causes, sparse, dense, without };
}

/** Per-UID differences of dividends, incentive, emissions and bond rows. */
function uidDifferences(s: RawEpochResult, d: RawEpochResult, n: number): UidDivergence[] {
  const out: UidDivergence[] = [];
  for (let i = 0; i < n; i++) {
    const u: UidDivergence = { uid: i };
    if (s.dividends[i] !== d.dividends[i]) u.dividends = { sparse: s.dividends[i], dense: d.dividends[i] };
    if (s.incentive[i] !== d.incentive[i]) u.incentive = { sparse: s.incentive[i], dense: d.incentive[i] };
    if (s.serverEmission[i] !== d.serverEmission[i]) u.serverEmission = { sparse: s.serverEmission[i], dense: d.serverEmission[i] };
    if (s.validatorEmission[i] !== d.validatorEmission[i]) {
      u.validatorEmission = { sparse: s.validatorEmission[i], dense: d.validatorEmission[i] };
    }
    const bonds: Array<{ uid: number; sparse: number; dense: number }> = [];
    for (let j = 0; j < n; j++) {
      const k = i * n + j;
      if (s.bonds[k] !== d.bonds[k]) bonds.push({ uid: j, sparse: s.bonds[k], dense: d.bonds[k] });
    }
    if (bonds.length > 0) u.bonds = bonds;
    if (Object.keys(u).length > 1) out.push(u);
  }
  return out;
}

/** Reads `{ mode? }`; `path` is refused (both paths are compared), like any unknown key. */
export function resolveDivergenceOptions(opts: PathDivergenceOptions | null | undefined): { mode: NumericMode } {
  const o = readOptions(opts, 'options', ['mode'] as const);
  return { mode: o.mode === undefined ? 'fixed' : oneOf(o.mode, 'options.mode', ['fixed', 'float'] as const) };
}

/** `engine.explainPathDivergence` over an engine's `runPrepared`. */
export function explainPathDivergence(
  runPrepared: RunPrepared,
  input: EpochInput,
  hyper?: Partial<Hyperparams> | null,
  opts?: PathDivergenceOptions | null,
): PathDivergence {
  const { mode } = resolveDivergenceOptions(opts);
  const p = prepareEpoch(input, hyper, { mode, path: 'sparse' });
  const { causes, sparse: s, dense: d, without } = search(p, runPrepared);
  const fields = differingFields(s, d);
  const causeRules = PATH_RULES.filter((r) => (causes & r.bit) !== 0);
  return {
    differs: fields.length > 0,
    fields,
    causes: causeRules.map((r) => r.code),
    effects: causeRules.map((r) => ({ code: r.code, fields: [], dividendsMoved: 0, ...without.get(r.bit) })),
    dividendsMoved: dividendsMoved(s, d),
    uids: uidDifferences(s, d, p.n),
    sparse: toEpochOutput(p, s),
    dense: toEpochOutput(withPathRules(p, 0), d),
  };
}
