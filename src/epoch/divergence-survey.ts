/**
 * How often the chain's two epoch paths pay differently, and why, over random subnets: what
 * `yuma-wasm diverge --random N` prints.
 *
 * The subnets are drawn across the whole hyper-parameter space (each parameter at its chain default, at an edge
 * of its range, or anywhere in it; original Yuma, Yuma3 and Yuma3 + liquid alpha a third each) and across the
 * states a live subnet is in: a few validators with large stakes and stale or fresh weights, miners with zero
 * stake, recent registrations, bonds left from an earlier weight set (so some point at UIDs the validator no
 * longer weights), explicitly stored zero weights, self-weights, a subnet owner on half of them and
 * commit-reveal on half (independently). One seed gives the same subnets on every machine.
 */
import { YumaError } from '../errors.js';
import { describe } from '../validation/describe.js';
import { guard, readOptions } from '../validation/read.js';
import { Rng } from '../rng.js';
import { RAO } from '../units.js';
import type { MechanismPathDivergence, PathDivergence, PathDivergenceOptions } from './divergence.js';
import { PATH_RULES, type PathRuleCode } from './path-rules.js';
import { DEFAULT_HYPERPARAMS, type EpochInput, type Hyperparams, type MechanismEpochInput, type MechanismInput, type NumericMode, type SparseRow } from './types.js';

/** Which Yuma a random subnet runs. */
export type YumaVariant = 'original' | 'yuma3' | 'yuma3-liquid';
export const YUMA_VARIANTS: readonly YumaVariant[] = ['original', 'yuma3', 'yuma3-liquid'];

export interface RandomSubnet {
  input: EpochInput | MechanismEpochInput;
  hyper: Hyperparams;
  variant: YumaVariant;
  owner: boolean;
  commitReveal: boolean;
}

export interface RandomSubnetOptions {
  /** Largest subnet drawn (UIDs); at least 2. */
  maxUids: number;
  /** Mechanisms per subnet (1 = a plain epoch). */
  mechanisms: number;
}

/** The parameter at its chain default (40 %), at one of its edges (20 %) or uniform in [lo, hi] (40 %). */
function param(rng: Rng, def: number, edges: readonly number[], lo: number, hi: number): number {
  const u = rng.next();
  if (u < 0.4) return def;
  if (u < 0.6) return edges[rng.int(edges.length)];
  return lo + rng.int(hi - lo + 1);
}

const chance = (rng: Rng, p: number): boolean => rng.next() < p;

/** One mechanism's weights, bonds, last updates and commits. */
function randomMechanism(
  rng: Rng,
  n: number,
  validators: number[],
  currentBlock: number,
  tempo: number,
  cutoff: number,
  commitReveal: boolean,
): MechanismInput {
  const weights: SparseRow[] = Array.from({ length: n }, () => []);
  const bonds: SparseRow[] = Array.from({ length: n }, () => []);
  const lastUpdate = Array.from({ length: n }, () => Math.max(0, currentBlock - rng.int(3 * tempo + 1)));
  for (const v of validators) {
    // the UIDs this validator weights now, and the (overlapping) set it weighted when its bonds were formed
    const now = new Set<number>();
    const before = new Set<number>();
    for (let j = 0; j < n; j++) {
      if (chance(rng, 0.5)) now.add(j);
      if (chance(rng, 0.5)) before.add(j);
    }
    if (!chance(rng, 0.2)) now.delete(v); // most validators never weight themselves
    weights[v] = [...now].sort((a, b) => a - b).map((j): [number, number] => [j, chance(rng, 0.1) ? 0 : 1 + rng.int(65535)]);
    if (chance(rng, 0.8)) bonds[v] = [...before].sort((a, b) => a - b).map((j): [number, number] => [j, 1 + rng.int(65535)]);
    // a fifth of the validators are stale: their last update is beyond the activity cutoff
    if (chance(rng, 0.2)) lastUpdate[v] = Math.max(0, currentBlock - cutoff - 1 - rng.int(1000));
  }
  const m: MechanismInput = { weights, bonds, lastUpdate };
  if (commitReveal) {
    m.commitBlocks = Array.from({ length: n }, (_, i) =>
      validators.includes(i) && chance(rng, 0.7) ? Math.max(0, currentBlock - rng.int(2 * tempo + 1)) : null,
    );
  }
  return m;
}

/** A random subnet epoch (see the module comment). */
export function randomSubnet(rng: Rng, opts: RandomSubnetOptions): RandomSubnet {
  const n = 2 + rng.int(opts.maxUids - 1);
  const variant = YUMA_VARIANTS[rng.int(3)];
  const owner = chance(rng, 0.5);
  const commitReveal = chance(rng, 0.5);

  const tempo = param(rng, 360, [1, 1000], 1, 1000);
  const currentBlock = 1_000_000 + rng.int(1_000_000);
  const activityCutoff = param(rng, DEFAULT_HYPERPARAMS.activityCutoff, [1, 20_000], 1, 20_000);

  // 1 to n/2 + 1 validators with stakes from 10 TAO to ~10^6 TAO (ties on a tenth of subnets); miners hold 0 or dust
  const order = rng.shuffle(Array.from({ length: n }, (_, i) => i));
  const validators = order.slice(0, 1 + rng.int(Math.floor(n / 2) + 1)).sort((a, b) => a - b);
  const tie = chance(rng, 0.1);
  const tieStake = BigInt(Math.round(rng.logNormal(Math.log(10_000), 1.5) * 1e9));
  const stake = Array.from({ length: n }, (_, i): bigint => {
    if (validators.includes(i)) return tie ? tieStake : BigInt(Math.round(rng.logNormal(Math.log(10_000), 1.5) * 1e9)) + 10n * RAO;
    return chance(rng, 0.8) ? 0n : BigInt(rng.int(1_000_000));
  });
  // most registered long ago; a fifth within the last two tempos (after some weights and commits)
  const blockAtRegistration = Array.from({ length: n }, () =>
    chance(rng, 0.2) ? currentBlock - rng.int(2 * tempo + 1) : Math.max(0, currentBlock - 2 * tempo - 1 - rng.int(100_000)),
  );
  const validatorPermit = Array.from({ length: n }, (_, i) => (validators.includes(i) ? chance(rng, 0.85) : chance(rng, 0.05)));

  const maxStake = stake.reduce((a, b) => (a > b ? a : b), 0n);
  const thresholdPick = rng.next();
  const stakeThreshold = thresholdPick < 0.6 ? 0n : thresholdPick < 0.85 ? stake[validators[rng.int(validators.length)]] : maxStake + 1n;
  const alphaA = param(rng, DEFAULT_HYPERPARAMS.alphaLow, [1638, 65535], 1638, 65535);
  const alphaB = param(rng, DEFAULT_HYPERPARAMS.alphaHigh, [1638, 65535], 1638, 65535);
  const hyper: Hyperparams = {
    kappa: param(rng, DEFAULT_HYPERPARAMS.kappa, [0, 1, 65535], 0, 65535),
    bondsMovingAverage: param(rng, DEFAULT_HYPERPARAMS.bondsMovingAverage, [0, 1_000_000], 0, 1_000_000),
    bondsPenalty: param(rng, DEFAULT_HYPERPARAMS.bondsPenalty, [0, 65535], 0, 65535),
    activityCutoff,
    maxAllowedValidators: param(rng, 64, [1, n], 1, 256),
    liquidAlphaEnabled: variant === 'yuma3-liquid',
    alphaLow: Math.min(alphaA, alphaB),
    alphaHigh: Math.max(alphaA, alphaB),
    alphaSigmoidSteepness: param(rng, DEFAULT_HYPERPARAMS.alphaSigmoidSteepness, [-2000, 0, 20_000], -2000, 20_000),
    yuma3Enabled: variant !== 'original',
    stakeThreshold,
  };

  const base = {
    n,
    currentBlock,
    tempo,
    lastStepBlock: currentBlock - tempo - 1,
    stake,
    blockAtRegistration,
    validatorPermit,
    raoEmission: BigInt(1 + rng.int(1_000_000)) * 1_000_000n,
    ...(owner ? { ownerUid: rng.int(n) } : {}),
  };
  const mechs = Array.from({ length: opts.mechanisms }, () => randomMechanism(rng, n, validators, currentBlock, tempo, activityCutoff, commitReveal));
  const input: EpochInput | MechanismEpochInput = opts.mechanisms === 1 ? { ...base, ...mechs[0] } : { ...base, mechanisms: mechs };
  return { input, hyper, variant, owner, commitReveal };
}

/** Anything that explains path divergence (an `Engine`, or the reference engine). */
export interface DivergenceExplainer {
  explainPathDivergence(
    input: EpochInput | MechanismEpochInput,
    hyper?: Partial<Hyperparams> | null,
    opts?: PathDivergenceOptions | null,
  ): PathDivergence | MechanismPathDivergence;
}

export interface SurveyOptions {
  /** Random subnets to draw, 1 to 100 000. */
  count: number;
  seed?: number;
  mode?: NumericMode;
  /** Largest subnet drawn, 2 to 256 (default 64). */
  maxUids?: number;
  /** Mechanisms per subnet, 1 to 16 (default 1). */
  mechanisms?: number;
  /** Called after each subnet. */
  onProgress?: (done: number, total: number) => void;
}

/** How often the paths differ among a group of subnets. */
export interface SurveyGroup {
  /** Which subnets: `all`, a Yuma variant, `owner`, `commit-reveal`, `owner+commit-reveal`. */
  group: string;
  subnets: number;
  /** Any stored output differs. */
  differ: number;
  /** The dividends differ. */
  dividendsDiffer: number;
  /** What a UID is paid differs (server or validator emission). */
  payoutsDiffer: number;
  /** Mean share of the dividends paid to other validators (Σ|Δ dividend| / 2 / 65535), over the group's subnets. */
  meanDividendsMoved: number;
}

/** How often one path rule is a cause, and how much it moves dividends. */
export interface SurveyCause {
  code: PathRuleCode;
  /** Subnets on which it is a cause. */
  fires: number;
  /** Of those, subnets on which it is the only cause. */
  alone: number;
  /** Over the subnets where it fires: mean and largest share of dividends that switching it alone moves. */
  meanDividendsMoved: number;
  maxDividendsMoved: number;
}

export interface SurveyReport {
  count: number;
  seed: number;
  mode: NumericMode;
  maxUids: number;
  mechanisms: number;
  groups: SurveyGroup[];
  causes: SurveyCause[];
  /** Per rule: the first subnet (in draw order, from 0) on which it is a cause, as an epoch file's fields. */
  examples: Partial<Record<PathRuleCode, { index: number; input: EpochInput | MechanismEpochInput; hyper: Hyperparams }>>;
}

function intOption(v: unknown, name: string, lo: number, hi: number, def: number): number {
  if (v === undefined) return def;
  if (typeof v !== 'number' || !Number.isInteger(v)) throw new YumaError('E_ARG', `${name} must be a whole number`);
  if (v < lo || v > hi) throw new YumaError('E_RANGE', `${name} must be in ${lo}..${hi} (got ${v})`);
  return v;
}

/** Draws `count` random subnets and explains the path divergence of each (see the module comment). */
export function surveyPathDivergence(engine: DivergenceExplainer, opts: SurveyOptions): SurveyReport {
  const o = readOptions(opts, 'survey options', ['count', 'seed', 'mode', 'maxUids', 'mechanisms', 'onProgress'], true);
  const count = intOption(o.count, 'count', 1, 100_000, 0);
  const seed = intOption(o.seed, 'seed', 0, 0xffff_ffff, 1);
  const maxUids = intOption(o.maxUids, 'maxUids', 2, 256, 64);
  const mechanisms = intOption(o.mechanisms, 'mechanisms', 1, 16, 1);
  const mode = o.mode ?? 'fixed';
  if (mode !== 'fixed' && mode !== 'float') throw new YumaError('E_ARG', "mode must be 'fixed' or 'float'");
  const onProgress = o.onProgress;
  if (onProgress !== undefined && typeof onProgress !== 'function') throw new YumaError('E_ARG', `onProgress must be a function (got ${describe(onProgress)})`);
  const explain = guard('engine', () => (engine as Partial<DivergenceExplainer>).explainPathDivergence);
  if (typeof explain !== 'function') throw new YumaError('E_ARG', 'engine must have an explainPathDivergence() method (createEngineSync())');

  const groupNames = ['all', ...YUMA_VARIANTS, 'owner', 'commit-reveal', 'owner+commit-reveal'];
  const groups = new Map(groupNames.map((g) => [g, { group: g, subnets: 0, differ: 0, dividendsDiffer: 0, payoutsDiffer: 0, meanDividendsMoved: 0 }]));
  const causes = new Map(PATH_RULES.map((r) => [r.code, { code: r.code, fires: 0, alone: 0, meanDividendsMoved: 0, maxDividendsMoved: 0 }]));
  const examples: SurveyReport['examples'] = {};
  const rng = new Rng(seed);
  for (let k = 0; k < count; k++) {
    const s = randomSubnet(rng.fork(k), { maxUids, mechanisms });
    // an engine object of the caller's: what it throws, or a TypeError from reading what it returned, is E_ARG
    guard('engine.explainPathDivergence', () => {
      const r = explain.call(engine, s.input, s.hyper, { mode });
      const member = ['all', s.variant];
      if (s.owner) member.push('owner');
      if (s.commitReveal) member.push('commit-reveal');
      if (s.owner && s.commitReveal) member.push('owner+commit-reveal');
      for (const g of member) {
        const e = groups.get(g)!;
        e.subnets++;
        if (r.differs) e.differ++;
        if (r.fields.includes('dividends')) e.dividendsDiffer++;
        if (r.fields.includes('serverEmission') || r.fields.includes('validatorEmission')) e.payoutsDiffer++;
        e.meanDividendsMoved += r.dividendsMoved; // a sum until the end
      }
      for (const eff of r.effects) {
        const c = causes.get(eff.code)!;
        c.fires++;
        if (r.causes.length === 1) c.alone++;
        c.meanDividendsMoved += eff.dividendsMoved;
        c.maxDividendsMoved = Math.max(c.maxDividendsMoved, eff.dividendsMoved);
        if (examples[eff.code] === undefined) examples[eff.code] = { index: k, input: s.input, hyper: s.hyper };
      }
    });
    if (onProgress !== undefined) {
      try {
        (onProgress as (done: number, total: number) => void)(k + 1, count);
      } catch (e) {
        throw new YumaError('E_CALLBACK', `the survey's onProgress callback threw (its error is this error's cause)`, { cause: e });
      }
    }
  }
  for (const g of groups.values()) g.meanDividendsMoved = g.subnets > 0 ? g.meanDividendsMoved / g.subnets : 0;
  for (const c of causes.values()) c.meanDividendsMoved = c.fires > 0 ? c.meanDividendsMoved / c.fires : 0;
  return { count, seed, mode, maxUids, mechanisms, groups: [...groups.values()], causes: [...causes.values()], examples };
}
