/**
 * Where the chain's two epoch paths pay differently, and why: `engine.explainPathDivergence`.
 *
 * The sparse path (`epoch_mechanism`, what the chain runs) and the dense twin (`epoch_dense_mechanism`, what most
 * of the chain's tests run) differ by the path rules (`PATH_RULES`), and every implementation runs any mix of
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
 * Rules that cannot act on the epoch (no owner, no commit blocks, no Yuma3 + liquid alpha, one mechanism, …) are
 * left out exactly; every mix of the others is run: 2^k epochs for k acting rules (k ≤ 8), in batches that keep
 * memory bounded (n² bond matrices are compared as they come, never all held at once).
 *
 * With mechanisms the rules switch in every mechanism at once, and what is compared is everything the chain
 * stores from the epoch: the per-netuid aggregate (as `epoch` returns it) and each mechanism's incentive and bonds.
 */
import { readOptions } from '../validation/read.js';
import { oneOf } from '../validation/values.js';
import { aggregateMechanisms, isPreparedMechanisms, prepareItem, runItemRaws, type PreparedItem } from './mechanisms.js';
import {
  ALL_SPARSE_RULES,
  PATH_RULES,
  RULE_BOND_WRITEBACK,
  RULE_COMMIT_REVEAL,
  RULE_LIQUID_ALPHA_BOND_DROP,
  RULE_MECHANISM_PERMITS,
  RULE_OWNER_PERMIT,
  RULE_OWNER_SELF_WEIGHT,
  RULE_STORED_ZERO_WEIGHTS,
  RULE_ZERO_CONSENSUS_BOND_DROP,
  type PathRuleCode,
} from './path-rules.js';
import { withPathRules, type PreparedEpoch } from './prepare.js';
import { toEpochOutput, type RawEpochResult } from './result.js';
import type { EpochInput, EpochInputLike, EpochOutput, Hyperparams, MechanismEpochInput, MechanismEpochOutput, NumericMode } from './types.js';

/** Options of `explainPathDivergence`. */
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
/**
 * A stored output: a field of the epoch (with mechanisms: of the per-netuid aggregate, whose incentive and bonds
 * are mechanism 0's), or a later mechanism's own stored incentive or bonds.
 */
export type DivergenceField = (typeof DIVERGENCE_FIELDS)[number] | `mechanisms[${number}].${'incentive' | 'bonds'}`;

/** One UID's outputs where the paths disagree (a key is present only if that output differs). */
export interface UidDivergence {
  /** The UID. */
  uid: number;
  /** `Dividends` on each path, u16 as stored. */
  dividends?: { sparse: number; dense: number };
  /** `Incentive` on each path, u16 as stored. */
  incentive?: { sparse: number; dense: number };
  /** Server (miner) emission on each path, rao. */
  serverEmission?: { sparse: bigint; dense: bigint };
  /** Validator emission on each path, rao. */
  validatorEmission?: { sparse: bigint; dense: bigint };
  /** Entries of this UID's bond row (as a validator) that differ: `uid` is the bonded UID, values u16. */
  bonds?: Array<{ uid: number; sparse: number; dense: number }>;
}

/** What one cause does on the chain's path: the sparse path with only this rule switched to dense behaviour. */
export interface CauseEffect {
  /** The path rule switched. */
  code: PathRuleCode;
  /** Stored outputs that change. */
  fields: DivergenceField[];
  /** Share of the dividends that goes to other validators: Σ|Δ dividend| / 2 / 65535 (u16 dividends). */
  dividendsMoved: number;
}

/** `explainPathDivergence`'s report: where the chain's two epoch paths store different outputs, and which path rules cause it. */
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
  /** UIDs whose dividends, incentive, emissions or bond row differ, ascending (with mechanisms: the aggregate's). */
  uids: UidDivergence[];
  /** The engine's `path: 'sparse'` output (what the chain runs). */
  sparse: EpochOutput;
  /** The engine's `path: 'dense'` output (the chain's test twin). */
  dense: EpochOutput;
}

/** One mechanism's own epoch on both paths. */
export interface MechanismDivergence {
  /** The mechanism (0 … count − 1). */
  mechanism: number;
  /** Its outputs that differ (all of them; the chain stores its incentive and bonds, the rest feeds the aggregate). */
  fields: Array<(typeof DIVERGENCE_FIELDS)[number]>;
  /** UIDs whose outputs in this mechanism's epoch differ, ascending. */
  uids: UidDivergence[];
}

/** `explainPathDivergence` of an epoch with mechanisms. */
export interface MechanismPathDivergence extends PathDivergence {
  sparse: MechanismEpochOutput;
  dense: MechanismEpochOutput;
  /** Each mechanism's own epoch compared (mechanism 0 first). */
  mechanisms: MechanismDivergence[];
}

/** Runs prepared epochs (an engine's own runner, or the references). */
export type RunPrepared = (prepared: PreparedEpoch[]) => RawEpochResult[];

type StoredField = (typeof DIVERGENCE_FIELDS)[number];

/** Whether a stored output differs between two results. */
function fieldDiffers(a: RawEpochResult, b: RawEpochResult, f: StoredField): boolean {
  const x = a[f];
  const y = b[f];
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return true;
  return false;
}

function differingFields(a: RawEpochResult, b: RawEpochResult): StoredField[] {
  return DIVERGENCE_FIELDS.filter((f) => fieldDiffers(a, b, f));
}

/** Σ|Δ dividend| / 2 / 65535 over u16 dividends. */
function dividendsMoved(a: RawEpochResult, b: RawEpochResult): number {
  let s = 0;
  for (let i = 0; i < a.dividends.length; i++) s += Math.abs(a.dividends[i] - b.dividends[i]);
  return s / 2 / 65535;
}

/**
 * One run's stored state: `main` is the epoch's raw result (with mechanisms: the aggregate in raw form, incentive
 * and bonds from mechanism 0), `mechanisms` each mechanism's own raw result (empty for a plain epoch).
 */
interface Outcome {
  main: RawEpochResult;
  mechanisms: RawEpochResult[];
}

/** The stored outputs on which two outcomes differ. */
function outcomeFields(a: Outcome, b: Outcome): DivergenceField[] {
  const out: DivergenceField[] = differingFields(a.main, b.main);
  for (let m = 1; m < a.mechanisms.length; m++) {
    if (fieldDiffers(a.mechanisms[m], b.mechanisms[m], 'incentive')) out.push(`mechanisms[${m}].incentive`);
    if (fieldDiffers(a.mechanisms[m], b.mechanisms[m], 'bonds')) out.push(`mechanisms[${m}].bonds`);
  }
  return out;
}

function sameOutcome(a: Outcome, b: Outcome): boolean {
  if (DIVERGENCE_FIELDS.some((f) => fieldDiffers(a.main, b.main, f))) return false;
  for (let m = 1; m < a.mechanisms.length; m++) {
    if (fieldDiffers(a.mechanisms[m], b.mechanisms[m], 'incentive') || fieldDiffers(a.mechanisms[m], b.mechanisms[m], 'bonds')) return false;
  }
  return true;
}

/** The aggregate of an epoch with mechanisms in raw form (its own incentive and bonds are mechanism 0's). */
function aggregateRaw(out: MechanismEpochOutput, raws: RawEpochResult[]): RawEpochResult {
  const r0 = raws[0];
  return {
    stakeWeight: out.stakeWeight,
    consensus: out.consensus,
    incentive: r0.incentive,
    dividends: out.dividends,
    validatorTrust: out.validatorTrust,
    active: Uint8Array.from(out.active, Number),
    validatorPermit: Uint8Array.from(out.validatorPermit, Number),
    bonds: r0.bonds,
    bondsPresent: r0.bondsPresent,
    serverEmission: BigUint64Array.from(out.serverEmission),
    validatorEmission: BigUint64Array.from(out.validatorEmission),
    consensusF: out.float.consensus,
    incentiveF: r0.incentiveF,
    dividendsF: out.float.dividends,
    rankF: out.float.rank,
    trustF: out.float.trust,
    validatorTrustF: out.float.validatorTrust,
  };
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
 * The rules that can act on one epoch at all; the others are exactly inert (the code they switch is never
 * reached, or reaches only values that are the same either way).
 */
function actingRulesOf(p: PreparedEpoch): number {
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

/** The rules that can act on an epoch (with mechanisms: on any of them, plus the permit order between them). */
export function actingRules(item: PreparedItem): number {
  if (!isPreparedMechanisms(item)) return actingRulesOf(item);
  const m = item.mechanisms.reduce((acc, p) => acc | actingRulesOf(p), 0);
  return item.mechanisms.length > 1 ? m | RULE_MECHANISM_PERMITS : m;
}

/** The same epoch with another mix of path rules (in every mechanism). */
function withRules(item: PreparedItem, rules: number): PreparedItem {
  if (!isPreparedMechanisms(item)) return withPathRules(item, rules);
  return { ...item, mechanisms: item.mechanisms.map((p) => withPathRules(p, rules)) };
}

/** Epochs per batch: about 2^24 bond entries (≈ 80 MB of results) at a time. */
function batchSize(item: PreparedItem): number {
  const k = isPreparedMechanisms(item) ? item.mechanisms.length : 1;
  return Math.max(1, Math.floor(2 ** 24 / Math.max(1, item.n * item.n * k)));
}

/** Runs `item` under each rule mix; `visit` sees every outcome (and its public output) as soon as its batch is done. */
function runMixes(
  item: PreparedItem,
  masks: number[],
  runPrepared: RunPrepared,
  visit: (mask: number, o: Outcome, out: EpochOutput | MechanismEpochOutput) => void,
): void {
  const size = batchSize(item);
  for (let at = 0; at < masks.length; at += size) {
    const group = masks.slice(at, at + size);
    const variants = group.map((m) => withRules(item, m));
    const raws = runItemRaws(variants, runPrepared);
    variants.forEach((v, k) => {
      if (isPreparedMechanisms(v)) {
        const out = aggregateMechanisms(v, raws[k]);
        visit(group[k], { main: aggregateRaw(out, raws[k]), mechanisms: raws[k] }, out);
      } else {
        visit(group[k], { main: raws[k][0], mechanisms: [] }, toEpochOutput(v, raws[k][0]));
      }
    });
  }
}

interface Search {
  causes: number;
  sparse: Outcome;
  dense: Outcome;
  sparseOut: EpochOutput | MechanismEpochOutput;
  denseOut: EpochOutput | MechanismEpochOutput;
  /** Per cause bit: the sparse path with that rule alone switched to dense behaviour. */
  without: Map<number, { fields: DivergenceField[]; dividendsMoved: number }>;
}

/** Runs every mix of the acting rules and derives the causes (see the module comment). */
function search(item: PreparedItem, runPrepared: RunPrepared): Search {
  const acting = actingRules(item);
  const inert = ALL_SPARSE_RULES & ~acting;
  const found = new Map<number, [Outcome, EpochOutput | MechanismEpochOutput]>();
  runMixes(item, [0, ALL_SPARSE_RULES], runPrepared, (m, o, out) => found.set(m, [o, out]));
  const [dense, denseOut] = found.get(0)!;
  const [sparse, sparseOut] = found.get(ALL_SPARSE_RULES)!;
  const without = new Map<number, { fields: DivergenceField[]; dividendsMoved: number }>();
  const result = (causes: number): Search => ({ causes, sparse, dense, sparseOut, denseOut, without });
  if (sameOutcome(sparse, dense)) return result(0);

  // fixes[C] for every C ⊆ acting: the sparse rules left are (acting & ~C) | inert
  const fixes = new Map<number, boolean>();
  const masks = submasks(acting);
  const switched = new Map(masks.map((c) => [(acting & ~c) | inert, c]));
  runMixes(item, [...switched.keys()], runPrepared, (rules, o) => {
    const c = switched.get(rules)!;
    fixes.set(c, sameOutcome(o, dense));
    if (bitCount(c) === 1) without.set(c, { fields: outcomeFields(sparse, o), dividendsMoved: dividendsMoved(sparse.main, o.main) });
  });
  const isFix = (c: number): boolean => fixes.get(c) === true;

  let union = 0;
  for (const c of masks) {
    if (!isFix(c) || (c & ~union) === 0) continue;
    if (submasks(c).every((sub) => sub === c || !isFix(sub))) union |= c;
  }
  if (isFix(union)) return result(union);
  // the smallest fix containing every minimal fix's rules (fewest rules, then lowest bits)
  return result(
    masks.filter((c) => (c & union) === union && isFix(c)).reduce((best, c) => (bitCount(c) < bitCount(best) ? c : best), acting),
  );
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

/** `engine.explainPathDivergence` over an engine's runner of prepared epochs. */
export function explainPathDivergence(
  runPrepared: RunPrepared,
  input: EpochInput | MechanismEpochInput | EpochInputLike,
  hyper?: Partial<Hyperparams> | null,
  opts?: PathDivergenceOptions | null,
): PathDivergence | MechanismPathDivergence {
  const { mode } = resolveDivergenceOptions(opts);
  const item = prepareItem(input as EpochInput, hyper, { mode, path: 'sparse' }); // any accepted spelling: read by prepareEpoch
  const { causes, sparse: s, dense: d, sparseOut, denseOut, without } = search(item, runPrepared);
  const fields = outcomeFields(s, d);
  const causeRules = PATH_RULES.filter((r) => (causes & r.bit) !== 0);
  const report: PathDivergence = {
    differs: fields.length > 0,
    fields,
    causes: causeRules.map((r) => r.code),
    effects: causeRules.map((r) => ({ code: r.code, fields: [], dividendsMoved: 0, ...without.get(r.bit) })),
    dividendsMoved: dividendsMoved(s.main, d.main),
    uids: uidDifferences(s.main, d.main, item.n),
    sparse: sparseOut,
    dense: denseOut,
  };
  if (!isPreparedMechanisms(item)) return report;
  const mechanisms = s.mechanisms.map((sm, m) => ({ mechanism: m, fields: differingFields(sm, d.mechanisms[m]), uids: uidDifferences(sm, d.mechanisms[m], item.n) }));
  return { ...report, sparse: sparseOut as MechanismEpochOutput, dense: denseOut as MechanismEpochOutput, mechanisms };
}

