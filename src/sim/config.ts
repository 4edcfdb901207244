import { YumaError } from '../errors.js';
import type { Engine } from '../engine.js';
import type { ChainPath, Hyperparams, NumericMode } from '../epoch/types.js';
import { RAO } from '../units.js';
import { resolveHyper } from '../epoch/prepare.js';
import { MAX_MECHANISMS } from '../epoch/limits.js';
import { checkEmissionSplit } from '../epoch/mechanisms.js';

/** What the simulator needs from an engine: the block model runs each subnet's epoch through `engine.epoch`. */
export type EpochEngine = Pick<Engine, 'epoch' | 'epochs'>;

/**
 * Which block the simulator runs (the block model's era): `head` is the chain at subtensor 14bc6f9f; `launch` the
 * dTAO launch of 2025-02 (constant-product pools with a flat 50 000-rao fee kept in the pool, alpha injection
 * capped at the alpha emission, the tempo + 1 schedule); `seed` the seed document's model (softmax shares over spot
 * prices, fee-less constant product, owner 18 % / miners 41 % / validators 41 %, no root).
 */
export const MODELS = Object.freeze(['head', 'launch', 'seed'] as const);
/** One of `MODELS`: the block a simulated network runs. */
export type Model = (typeof MODELS)[number];

/** The validator strategies the simulator knows (see `Strategy`). */
export const STRATEGIES = ['honest', 'copier', 'lazy', 'cabal', 'self-dealing'] as const;
/**
 * - `honest`: weights = a noisy view of the miners' hidden quality, `lag` epochs old.
 * - `copier`: weights = the subnet's consensus from its previous epoch.
 * - `lazy`: an honest view, but refreshed only every `lazyEvery` epochs (stale weights, old `lastUpdate`).
 * - `cabal`: all weight on the cabal's own miners.
 * - `self-dealing`: all weight on the validator's own miner.
 */
export type Strategy = (typeof STRATEGIES)[number];

/**
 * How the block emission is shared across subnets: `moving-price` is the chain's (each era's EMA-price rule),
 * `proportional` and `softmax` share by spot price (the seed model uses softmax).
 */
export const SHARE_MODES = ['moving-price', 'proportional', 'softmax'] as const;
/**
 * `moving-price`: the chain's `get_shares` over each subnet's moving price; `proportional`: by spot price;
 * `softmax`: softmax of the spot prices at `temperature`.
 */
export type ShareMode = (typeof SHARE_MODES)[number];

/** One validator of an explicit roster (applied to every subnet). */
export interface ValidatorSpec {
  /** A label for reports and charts (default: `strategy uid`). */
  name?: string;
  /** How it sets weights (default `honest`). */
  strategy?: Strategy;
  /** Fraction of the subnet's validator stake; unspecified shares split what is left equally. */
  stakeShare?: number;
  /** Epochs of delay in the validator's view of quality (honest/lazy only). */
  lag?: number;
}

/** A scheduled change to the hidden quality: the best and the worst miner trade places. */
export interface QualitySwap {
  /** Block at which the swap happens. */
  block: number;
  /** Netuids it applies to; all subnets when omitted. */
  subnets?: number[];
}

/** Everything a simulated network is made of; `Network` fills what `NetworkConfig` leaves out from `DEFAULT_NETWORK_OPTIONS`. */
export interface NetworkOptions {
  /** The block the network runs: HEAD's (default), the launch era's or the seed document's model. */
  model: Model;
  /** Number of subnets, 1 … 1024 (default 64). */
  subnets: number;
  /** UID slots per subnet, 2 … 4096 (default 256). */
  uidsPerSubnet: number;
  /** UID slots of subnet 1 (1024 by default); 0 = same as the others. */
  subnet1Uids: number;
  /** Random seed: the same seed gives the same run (default 1). */
  seed: number;
  /** Blocks between a subnet's epochs, minus one (default 360). */
  tempo: number;
  /** Epoch arithmetic: `fixed` (the chain's, bit for bit; default) or `float` (f64, faster). */
  mode: NumericMode;
  /** Chain code path of the epochs (default `'sparse'`). */
  path: ChainPath;
  /** Emission shares; default: the model's own (`moving-price` for head and launch, `softmax` for seed). */
  shareMode: ShareMode | null;
  /** Softmax temperature (shareMode 'softmax'). */
  temperature: number;
  /** TAO issuance (rao) at the first block. */
  issuanceStart: bigint;
  /** Validators per subnet (subnet 1 scaled up with its UID count, at most maxAllowedValidators). */
  validatorsPerSubnet: number;
  /** Mix of strategies among the validators (weights, normalised). Ignored when `validators` is given. */
  strategies: Partial<Record<Strategy, number>>;
  /** Explicit validator roster for every subnet, overriding `validatorsPerSubnet` and `strategies`. */
  validators: ValidatorSpec[] | null;
  /** Fixed miner qualities (one per miner UID, cycled); random log-normal when null. */
  minerQualities: number[] | null;
  /** Relative noise of a validator's view of quality (log-normal sigma). */
  weightNoise: number;
  /** Per-epoch log-normal drift of each miner's quality. */
  qualityDrift: number;
  /** Honest validators' lag in epochs (validators of the roster may set their own). */
  honestLag: number;
  /** Lazy validators refresh their weights every this many epochs. */
  lazyEvery: number;
  /** Miner UIDs the cabal owns on each subnet where it has validators. */
  cabalMiners: number;
  /** Scheduled quality swaps (default none). */
  qualitySwaps: QualitySwap[];
  /** Hyper-parameters of every subnet (default Yuma3 with liquid alpha; the rest `DEFAULT_HYPERPARAMS`). */
  hyper: Partial<Hyperparams>;
  /** Stakers' trades per block across the network. */
  tradesPerBlock: number;
  /** Mean TAO of a staker's trade. */
  meanTradeTao: number;
  /** Fraction of their incentive that miners sell right after each epoch. */
  minerSellFraction: number;
  /** Expected registrations per subnet per day (7200 blocks). */
  registrationsPerDay: number;
  /** Blocks a new UID is immune from pruning. */
  immunityPeriod: number;
  /** Subnet owner's cut of alpha emission (u16 proportion; chain default 11796 ≈ 18 %). */
  ownerCut: number;
  /**
   * TAO staked on the root subnet (netuid 0), spread over the validators in proportion to their alpha stake's
   * worth: it sets the root proportion (the alpha-injection cap and root stakers' share of dividends). Not used by
   * the seed model, which has no root.
   */
  rootStakeTao: number;
  /** Mechanisms (sub-subnets) of the subnets in `mechanismSubnets`, 1 to 16; each epoch is then `epoch_with_mechanisms`. */
  mechanisms: number;
  /** `MechanismEmissionSplit` of those subnets: one u16 part per mechanism summing to 65535; null = even split. */
  emissionSplit: number[] | null;
  /** Netuids that have `mechanisms` mechanisms (null = every subnet). */
  mechanismSubnets: number[] | null;
  /** Blocks between the report's series samples (0 = about 240 points). */
  sampleEvery: number;
  /**
   * Netuids whose validators and miners are reported one by one, epoch by epoch (`report.detail`): dividends,
   * stake, bonds, incentive. Default `[1]`.
   */
  detailSubnets: number[];
}

/** What `new Network(config)` takes: an engine and any `NetworkOptions` (the rest default). */
export interface NetworkConfig extends Partial<NetworkOptions> {
  /** The engine that runs the epochs (`createEngineSync()`). */
  engine: EpochEngine;
}

export const BLOCKS_PER_DAY = 7200;

/** Default start issuance: just past the first halving (10.5 M TAO), where the network is at the end of 2026. */
export const DEFAULT_ISSUANCE_START = 10_800_000n * RAO;

/** The default network: 64 subnets of 256 UIDs (subnet 1: 1024), one validator mix, float epochs (frozen). */
export const DEFAULT_OPTIONS: Readonly<NetworkOptions> = Object.freeze({
  model: 'head',
  subnets: 64,
  uidsPerSubnet: 256,
  subnet1Uids: 1024,
  seed: 1,
  tempo: 360,
  mode: 'fixed',
  path: 'sparse',
  shareMode: null,
  temperature: 1,
  issuanceStart: DEFAULT_ISSUANCE_START,
  validatorsPerSubnet: 32,
  strategies: { honest: 0.6, copier: 0.15, lazy: 0.1, cabal: 0.1, 'self-dealing': 0.05 },
  validators: null,
  minerQualities: null,
  weightNoise: 0.25,
  qualityDrift: 0.05,
  honestLag: 0,
  lazyEvery: 8,
  cabalMiners: 3,
  qualitySwaps: [],
  hyper: { yuma3Enabled: true, liquidAlphaEnabled: true },
  tradesPerBlock: 2,
  meanTradeTao: 5,
  minerSellFraction: 1,
  registrationsPerDay: 6,
  immunityPeriod: 5000,
  ownerCut: 11796,
  rootStakeTao: 2_000_000,
  mechanisms: 1,
  emissionSplit: null,
  mechanismSubnets: null,
  sampleEvery: 0,
  detailSubnets: [1],
} satisfies NetworkOptions);

const KNOWN = new Set<string>([...Object.keys(DEFAULT_OPTIONS), 'engine']);

function int(v: unknown, field: string, min: number, max: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v)) throw new YumaError('E_ARG', `${field} must be an integer (got ${String(v)})`);
  if (v < min || v > max) throw new YumaError('E_RANGE', `${field} must be in [${min}, ${max}] (got ${v})`);
  return v;
}

function num(v: unknown, field: string, min: number, max: number): number {
  if (typeof v !== 'number') throw new YumaError('E_ARG', `${field} must be a number (got ${String(v)})`);
  if (!Number.isFinite(v)) throw new YumaError('E_NAN', `${field} is ${v}`);
  if (v < min || v > max) throw new YumaError('E_RANGE', `${field} must be in [${min}, ${max}] (got ${v})`);
  return v;
}

function oneOf<T extends string>(v: unknown, field: string, allowed: readonly T[]): T {
  if (typeof v !== 'string' || !(allowed as readonly string[]).includes(v)) {
    throw new YumaError('E_ARG', `${field} must be one of ${allowed.join(', ')} (got ${String(v)})`);
  }
  return v as T;
}

/** Fills defaults and checks every option; throws `YumaError` naming the first bad field. */
export function resolveOptions(config: Partial<NetworkOptions> & { engine?: unknown }): NetworkOptions {
  if (config == null || typeof config !== 'object') throw new YumaError('E_ARG', 'Network config must be an object');
  for (const key of Object.keys(config)) {
    if (!KNOWN.has(key)) throw new YumaError('E_ARG', `unknown Network option '${key}'`);
  }
  const o: NetworkOptions = { ...DEFAULT_OPTIONS, hyper: { ...DEFAULT_OPTIONS.hyper } };
  for (const [k, v] of Object.entries(config)) if (v !== undefined && k !== 'engine') (o as unknown as Record<string, unknown>)[k] = v;

  oneOf(o.model, 'model', MODELS);
  int(o.subnets, 'subnets', 1, 1024);
  int(o.uidsPerSubnet, 'uidsPerSubnet', 2, 4096);
  int(o.subnet1Uids, 'subnet1Uids', 0, 4096);
  if (o.subnet1Uids === 1) throw new YumaError('E_RANGE', 'subnet1Uids must be 0 (same as others) or at least 2');
  int(o.seed, 'seed', 0, 0xffff_ffff);
  int(o.tempo, 'tempo', 1, 65535);
  oneOf(o.mode, 'mode', ['float', 'fixed'] as const);
  oneOf(o.path, 'path', ['sparse', 'dense'] as const);
  if (o.shareMode !== null) oneOf(o.shareMode, 'shareMode', SHARE_MODES);
  num(o.temperature, 'temperature', 1e-9, 1e9);
  if (typeof o.issuanceStart !== 'bigint') throw new YumaError('E_ARG', 'issuanceStart must be a bigint (rao)');
  if (o.issuanceStart < 0n || o.issuanceStart > 21_000_000n * RAO) throw new YumaError('E_RANGE', 'issuanceStart must be in [0, 21 M TAO]');
  int(o.validatorsPerSubnet, 'validatorsPerSubnet', 1, 4095);
  if (o.strategies == null || typeof o.strategies !== 'object') throw new YumaError('E_ARG', 'strategies must be an object');
  let mix = 0;
  for (const [k, v] of Object.entries(o.strategies)) {
    oneOf(k, 'strategies key', STRATEGIES);
    mix += num(v, `strategies.${k}`, 0, 1e9);
  }
  if (o.validators === null && !(mix > 0)) throw new YumaError('E_RANGE', 'strategies must give some validator a positive weight');
  if (o.validators !== null) {
    if (!Array.isArray(o.validators) || o.validators.length === 0) throw new YumaError('E_ARG', 'validators must be a non-empty array');
    let shares = 0;
    o.validators.forEach((v, i) => {
      if (v == null || typeof v !== 'object') throw new YumaError('E_ARG', `validators[${i}] must be an object`);
      for (const k of Object.keys(v)) {
        if (!['name', 'strategy', 'stakeShare', 'lag'].includes(k)) throw new YumaError('E_ARG', `validators[${i}].${k} is not known (known: name, strategy, stakeShare, lag)`);
      }
      if (v.name !== undefined && (typeof v.name !== 'string' || v.name === '' || v.name.length > 60)) {
        throw new YumaError('E_ARG', `validators[${i}].name must be a non-empty string of at most 60 characters`);
      }
      if (v.strategy !== undefined) oneOf(v.strategy, `validators[${i}].strategy`, STRATEGIES);
      if (v.stakeShare !== undefined) shares += num(v.stakeShare, `validators[${i}].stakeShare`, 0, 1);
      if (v.lag !== undefined) int(v.lag, `validators[${i}].lag`, 0, 1000);
    });
    if (shares > 1 + 1e-9) throw new YumaError('E_RANGE', `validators' stakeShare add up to ${shares}, more than 1`);
  }
  if (o.minerQualities !== null) {
    if (!Array.isArray(o.minerQualities) || o.minerQualities.length === 0) throw new YumaError('E_ARG', 'minerQualities must be a non-empty array');
    o.minerQualities.forEach((q, i) => num(q, `minerQualities[${i}]`, 0, 1e9));
  }
  num(o.weightNoise, 'weightNoise', 0, 10);
  num(o.qualityDrift, 'qualityDrift', 0, 10);
  int(o.honestLag, 'honestLag', 0, 1000);
  int(o.lazyEvery, 'lazyEvery', 1, 100_000);
  int(o.cabalMiners, 'cabalMiners', 0, 4095);
  if (!Array.isArray(o.qualitySwaps)) throw new YumaError('E_ARG', 'qualitySwaps must be an array');
  o.qualitySwaps.forEach((s, i) => {
    if (s == null || typeof s !== 'object') throw new YumaError('E_ARG', `qualitySwaps[${i}] must be an object`);
    int(s.block, `qualitySwaps[${i}].block`, 0, 2 ** 40);
    if (s.subnets !== undefined) {
      if (!Array.isArray(s.subnets)) throw new YumaError('E_ARG', `qualitySwaps[${i}].subnets must be an array`);
      s.subnets.forEach((u, j) => int(u, `qualitySwaps[${i}].subnets[${j}]`, 1, o.subnets));
    }
  });
  resolveHyper(o.hyper, 'hyper');
  num(o.tradesPerBlock, 'tradesPerBlock', 0, 1000);
  num(o.meanTradeTao, 'meanTradeTao', 0, 1e7);
  num(o.minerSellFraction, 'minerSellFraction', 0, 1);
  num(o.registrationsPerDay, 'registrationsPerDay', 0, 7200);
  int(o.immunityPeriod, 'immunityPeriod', 0, 2 ** 31);
  int(o.ownerCut, 'ownerCut', 0, 65535);
  int(o.sampleEvery, 'sampleEvery', 0, 2 ** 31);
  if (!Array.isArray(o.detailSubnets) || o.detailSubnets.length > 16) throw new YumaError('E_ARG', 'detailSubnets must be an array of at most 16 netuids');
  o.detailSubnets.forEach((u, j) => int(u, `detailSubnets[${j}]`, 1, o.subnets));
  num(o.rootStakeTao, 'rootStakeTao', 0, 21_000_000);
  int(o.mechanisms, 'mechanisms', 1, MAX_MECHANISMS);
  if (o.emissionSplit !== null) {
    o.emissionSplit = checkEmissionSplit(o.emissionSplit, 'emissionSplit', { minParts: o.mechanisms, maxParts: o.mechanisms });
  }
  if (o.mechanismSubnets !== null) {
    if (!Array.isArray(o.mechanismSubnets)) throw new YumaError('E_ARG', 'mechanismSubnets must be an array of netuids or null');
    o.mechanismSubnets.forEach((u, j) => int(u, `mechanismSubnets[${j}]`, 1, o.subnets));
  }
  return o;
}

/** The share rule a network runs: the option, else its model's own. */
export const shareModeOf = (o: NetworkOptions): ShareMode => o.shareMode ?? (o.model === 'seed' ? 'softmax' : 'moving-price');

/** Mechanisms of a subnet. */
export const mechanismsOf = (o: NetworkOptions, netuid: number): number =>
  o.mechanismSubnets === null || o.mechanismSubnets.includes(netuid) ? o.mechanisms : 1;

/** UID slots of a subnet. */
export function uidsOf(o: NetworkOptions, netuid: number): number {
  return netuid === 1 && o.subnet1Uids > 0 ? o.subnet1Uids : o.uidsPerSubnet;
}
