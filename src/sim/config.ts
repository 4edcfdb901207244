import { YumaError } from '../errors.js';
import type { Engine } from '../engine.js';
import type { ChainPath, Hyperparams, NumericMode } from '../epoch/types.js';
import { MAX_BATCH_CELLS, MAX_UIDS } from '../epoch/limits.js';
import { RAO } from '../units.js';
import { HYPER_KEYS, resolveHyper } from '../epoch/prepare.js';
import { MAX_MECHANISMS } from '../epoch/limits.js';
import { checkEmissionSplit } from '../epoch/mechanisms.js';
import { show } from '../validation/describe.js';
import { readList, readOptions } from '../validation/read.js';
import { oneOf as oneOfChecked, toInt, toNumberIn } from '../validation/values.js';
import { MAX_RESIDENT_BYTES, residentBytes, residentSlots } from '../wasm/resident.js';


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
export const STRATEGIES = Object.freeze(['honest', 'copier', 'lazy', 'cabal', 'self-dealing'] as const);
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
export const SHARE_MODES = Object.freeze(['moving-price', 'proportional', 'softmax'] as const);
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
  /** Blocks between the report's series samples (0 = about 240 points). */
  sampleEvery: number;
  /**
   * Netuids whose validators and miners are reported one by one, epoch by epoch (`report.detail`): dividends,
   * stake, bonds, incentive. Default `[1]`.
   */
  detailSubnets: number[];
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
export const DEFAULT_OPTIONS: Readonly<NetworkOptions> = deepFreeze({
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

const OPTION_KEYS = [...Object.keys(DEFAULT_OPTIONS), 'engine'] as Array<keyof NetworkOptions | 'engine'>;

/**
 * Largest estimated memory of a Network (`estimateNetworkBytes`): 2 GiB, half of Node's default heap on a
 * 64-bit machine. Larger configurations are refused with E_LIMIT when the Network is built, not two minutes
 * into a run by an out-of-memory crash.
 */
export const MAX_NETWORK_BYTES = 2 ** 31;
/** Most points (samples × subnets) a run's report series may hold; raise `sampleEvery` for longer runs. */
export const MAX_REPORT_POINTS = 2 ** 21;

function int(v: unknown, field: string, min: number, max: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v)) throw new YumaError('E_ARG', `${field} must be an integer (got ${show(v)})`);
  if (v < min || v > max) throw new YumaError('E_RANGE', `${field} must be in [${min}, ${max}] (got ${v})`);
  return v;
}

function num(v: unknown, field: string, min: number, max: number): number {
  return toNumberIn(v, field, min, max);
}

function oneOf<T extends string>(v: unknown, field: string, allowed: readonly T[]): T {
  return oneOfChecked(v, field, allowed);
}

/** Deeply frozen (the options a Network runs on cannot be changed from outside afterwards). */
function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

/**
 * Fills defaults and checks every option; throws `YumaError` naming the first bad field. The result is a deep,
 * frozen copy: every option, list and nested object of `config` is read once, and holes, unknown keys, Symbols,
 * throwing getters and sizes past the documented limits are refused.
 */
export function resolveOptions(config: Partial<NetworkOptions> & { engine?: unknown }): NetworkOptions {
  return readNetworkConfig(config).options;
}

/** `resolveOptions`, also handing back the `engine` the config names (read in the same single pass). */
export function readNetworkConfig(config: unknown, checkLimits = true): { options: NetworkOptions; engine: unknown } {
  const given = readOptions(config, 'Network config', OPTION_KEYS, true) as Record<string, unknown>;
  const d = DEFAULT_OPTIONS;
  const pick = <K extends keyof NetworkOptions>(k: K): unknown => (k in given ? given[k] : d[k]);

  const subnets = int(pick('subnets'), 'subnets', 1, 1024);
  const mechanisms = int(pick('mechanisms'), 'mechanisms', 1, MAX_MECHANISMS);
  const o = {
    model: oneOf(pick('model'), 'model', MODELS),
    subnets,
    uidsPerSubnet: int(pick('uidsPerSubnet'), 'uidsPerSubnet', 2, MAX_UIDS),
    subnet1Uids: int(pick('subnet1Uids'), 'subnet1Uids', 0, MAX_UIDS),
    seed: int(pick('seed'), 'seed', 0, 0xffff_ffff),
    tempo: int(pick('tempo'), 'tempo', 1, 65535),
    mode: oneOf(pick('mode'), 'mode', ['float', 'fixed'] as const),
    path: oneOf(pick('path'), 'path', ['sparse', 'dense'] as const),
    shareMode: pick('shareMode') === null ? null : oneOf(pick('shareMode'), 'shareMode', SHARE_MODES),
    temperature: num(pick('temperature'), 'temperature', 1e-9, 1e9),
    issuanceStart: pick('issuanceStart') as bigint,
    validatorsPerSubnet: int(pick('validatorsPerSubnet'), 'validatorsPerSubnet', 1, MAX_UIDS - 1),
    strategies: readStrategies(pick('strategies')),
    validators: readRoster(pick('validators')),
    minerQualities: readQualities(pick('minerQualities')),
    weightNoise: num(pick('weightNoise'), 'weightNoise', 0, 10),
    qualityDrift: num(pick('qualityDrift'), 'qualityDrift', 0, 10),
    honestLag: int(pick('honestLag'), 'honestLag', 0, 1000),
    lazyEvery: int(pick('lazyEvery'), 'lazyEvery', 1, 100_000),
    cabalMiners: int(pick('cabalMiners'), 'cabalMiners', 0, MAX_UIDS - 1),
    qualitySwaps: readSwaps(pick('qualitySwaps'), subnets),
    hyper: readHyper(pick('hyper')),
    tradesPerBlock: num(pick('tradesPerBlock'), 'tradesPerBlock', 0, 1000),
    meanTradeTao: num(pick('meanTradeTao'), 'meanTradeTao', 0, 1e7),
    minerSellFraction: num(pick('minerSellFraction'), 'minerSellFraction', 0, 1),
    registrationsPerDay: num(pick('registrationsPerDay'), 'registrationsPerDay', 0, 7200),
    immunityPeriod: int(pick('immunityPeriod'), 'immunityPeriod', 0, 2 ** 31),
    ownerCut: int(pick('ownerCut'), 'ownerCut', 0, 65535),
    sampleEvery: int(pick('sampleEvery'), 'sampleEvery', 0, 2 ** 31),
    detailSubnets: readList(pick('detailSubnets'), 'detailSubnets', 16).map((u, j) => int(u, `detailSubnets[${j}]`, 1, subnets)),
    rootStakeTao: num(pick('rootStakeTao'), 'rootStakeTao', 0, 21_000_000),
    mechanisms,
    mechanismSubnets:
      pick('mechanismSubnets') === null
        ? null
        : !Array.isArray(pick('mechanismSubnets'))
          ? (() => {
              throw new YumaError('E_ARG', 'mechanismSubnets must be an array of netuids or null');
            })()
          : readList(pick('mechanismSubnets'), 'mechanismSubnets', 1024).map((u, j) => int(u, `mechanismSubnets[${j}]`, 1, subnets)),
    emissionSplit:
      pick('emissionSplit') === null
        ? null
        : checkEmissionSplit(readList(pick('emissionSplit'), 'emissionSplit', MAX_MECHANISMS), 'emissionSplit', { minParts: mechanisms, maxParts: mechanisms }),
  } satisfies NetworkOptions;
  if (o.subnet1Uids === 1) throw new YumaError('E_RANGE', 'subnet1Uids must be 0 (same as others) or at least 2');
  if (typeof o.issuanceStart !== 'bigint') throw new YumaError('E_ARG', 'issuanceStart must be a bigint (rao)');
  if (o.issuanceStart < 0n || o.issuanceStart > 21_000_000n * RAO) throw new YumaError('E_RANGE', 'issuanceStart must be in [0, 21 M TAO]');
  let mix = 0;
  for (const v of Object.values(o.strategies)) mix += v ?? 0;
  if (o.validators === null && !(mix > 0)) throw new YumaError('E_RANGE', 'strategies must give some validator a positive weight');
  if (o.validators !== null) {
    const smallest = Math.min(o.uidsPerSubnet, o.subnet1Uids > 0 ? o.subnet1Uids : o.uidsPerSubnet);
    if (o.validators.length > smallest - 1) {
      throw new YumaError('E_RANGE', `a roster of ${o.validators.length} validators needs at least ${o.validators.length + 1} UIDs on every subnet (the smallest has ${smallest})`);
    }
    if (!rosterShares(o.validators).some((x) => x > 0)) {
      throw new YumaError('E_RANGE', "validators' stake shares leave every validator without stake");
    }
  }
  if (checkLimits) checkSize(o);
  return { options: deepFreeze(o), engine: given.engine };
}

function readStrategies(value: unknown): Partial<Record<Strategy, number>> {
  const r = readOptions(value, 'strategies', STRATEGIES, true);
  const out: Partial<Record<Strategy, number>> = {};
  for (const k of STRATEGIES) if (r[k] !== undefined) out[k] = num(r[k], `strategies.${k}`, 0, 1e9);
  return out;
}

function readRoster(value: unknown): ValidatorSpec[] | null {
  if (value === null) return null;
  const list = readList(value, 'validators', MAX_UIDS - 1);
  if (list.length === 0) throw new YumaError('E_ARG', 'validators must be a non-empty array');
  let shares = 0;
  const roster = list.map((item, i): ValidatorSpec => {
    const v = readOptions(item, `validators[${i}]`, ['name', 'strategy', 'stakeShare', 'lag'], true);
    const spec: ValidatorSpec = {};
    if (v.name !== undefined) {
      if (typeof v.name !== 'string' || v.name === '' || v.name.length > 60) {
        throw new YumaError('E_ARG', `validators[${i}].name must be a non-empty string of at most 60 characters`);
      }
      spec.name = v.name;
    }
    if (v.strategy !== undefined) spec.strategy = oneOf(v.strategy, `validators[${i}].strategy`, STRATEGIES);
    if (v.stakeShare !== undefined) shares += spec.stakeShare = num(v.stakeShare, `validators[${i}].stakeShare`, 0, 1);
    if (v.lag !== undefined) spec.lag = int(v.lag, `validators[${i}].lag`, 0, 1000);
    return spec;
  });
  if (shares > 1 + 1e-9) throw new YumaError('E_RANGE', `validators' stakeShare add up to ${shares}, more than 1`);
  return roster;
}

function readQualities(value: unknown): number[] | null {
  if (value === null) return null;
  const list = readList(value, 'minerQualities', MAX_UIDS, true);
  if (list.length === 0) throw new YumaError('E_ARG', 'minerQualities must be a non-empty array');
  return list.map((q, i) => num(q, `minerQualities[${i}]`, 0, 1e9));
}

function readSwaps(value: unknown, subnets: number): QualitySwap[] {
  return readList(value, 'qualitySwaps', 100_000).map((item, i) => {
    const s = readOptions(item, `qualitySwaps[${i}]`, ['block', 'subnets'], true);
    const swap: QualitySwap = { block: int(s.block, `qualitySwaps[${i}].block`, 0, 2 ** 40) };
    if (s.subnets !== undefined) {
      swap.subnets = readList(s.subnets, `qualitySwaps[${i}].subnets`, 1024).map((u, j) => int(u, `qualitySwaps[${i}].subnets[${j}]`, 1, subnets));
    }
    return swap;
  });
}

/** The hyper-parameters as given (a partial set; subnets fill the rest), each checked. */
function readHyper(value: unknown): Partial<Hyperparams> {
  const given = readOptions(value, 'hyper', HYPER_KEYS, true);
  const full = resolveHyper(given, 'hyper');
  const out: Partial<Hyperparams> = {};
  for (const k of HYPER_KEYS) if (given[k] !== undefined) (out as Record<string, unknown>)[k] = full[k];
  return out;
}

/** Stake shares of a roster: given ones as they are, the rest split what is left equally. */
export function rosterShares(roster: readonly ValidatorSpec[]): number[] {
  const given = roster.reduce((a, v) => a + (v.stakeShare ?? 0), 0);
  const unset = roster.filter((v) => v.stakeShare === undefined).length;
  const rest = unset > 0 ? Math.max(0, 1 - given) / unset : 0;
  return roster.map((v) => v.stakeShare ?? rest);
}

/** Validators on a subnet: the roster, or `validatorsPerSubnet` scaled with the subnet's UIDs, under its permit cap. */
export function validatorsOf(o: NetworkOptions, netuid: number): number {
  const n = uidsOf(o, netuid);
  const maxVal = o.hyper.maxAllowedValidators ?? (netuid === 1 ? 128 : 64);
  return Math.min(n - 1, o.validators ? o.validators.length : Math.max(1, Math.min(maxVal, Math.round(o.validatorsPerSubnet * (n / o.uidsPerSubnet)))));
}

/**
 * Memory a Network of these options needs, in bytes (measured: about 72 bytes per stored weight or bond
 * entry, per mechanism, and 128 per UID on the V8 heap; 8 bytes per matrix cell of the epochs one block runs).
 */
export function estimateNetworkBytes(config: Partial<NetworkOptions>): number {
  return networkBytes(readNetworkConfig(config, false).options);
}

function networkBytes(o: NetworkOptions): number {
  let bytes = 0;
  let largest = 0;
  for (let netuid = 1; netuid <= o.subnets; netuid++) {
    const n = uidsOf(o, netuid);
    bytes += 128 * n + 2 * 72 * validatorsOf(o, netuid) * n * mechanismsOf(o, netuid);
    largest = Math.max(largest, n);
  }
  return bytes + 8 * epochCellsPerBlock(o, largest);
}

/** Wasm memory of every subnet's resident weight and bond matrices (src/wasm/resident.ts), all mechanisms. */
function networkResidentBytes(o: NetworkOptions): number {
  let bytes = 0;
  for (let netuid = 1; netuid <= o.subnets; netuid++) {
    const n = uidsOf(o, netuid);
    bytes += residentBytes(residentSlots(n, n)) * mechanismsOf(o, netuid);
  }
  return bytes;
}

/**
 * Memory the per-validator / per-UID detail of a `blocks`-long run needs (`detailSubnets`): every epoch keeps each
 * validator's bond row (2 bytes per UID) and every UID's incentive and emission (about 48 bytes).
 */
export function estimateDetailBytes(config: Partial<NetworkOptions>, blocks: number): number {
  return detailBytes(readNetworkConfig(config, false).options, toInt(blocks, 'blocks', 0, Number.MAX_SAFE_INTEGER));
}

/** `estimateDetailBytes` of checked options. */
export function detailBytes(o: NetworkOptions, blocks: number): number {
  const epochs = Math.ceil(blocks / (o.tempo + 1));
  let bytes = 0;
  for (const netuid of new Set(o.detailSubnets)) {
    const n = uidsOf(o, netuid);
    bytes += epochs * (2 * validatorsOf(o, netuid) * n + 48 * n);
  }
  return bytes;
}

/** Σ n² of the largest batch of epochs one block can run (the subnets sharing an epoch block, each mechanism a job), bounded above. */
function epochCellsPerBlock(o: NetworkOptions, largest: number): number {
  return Math.ceil(o.subnets / (o.tempo + 1)) * o.mechanisms * largest * largest;
}

function checkSize(o: NetworkOptions): void {
  const cells = epochCellsPerBlock(o, Math.max(o.uidsPerSubnet, o.subnet1Uids));
  if (cells > MAX_BATCH_CELLS) {
    throw new YumaError('E_LIMIT', `up to ${Math.ceil(o.subnets / (o.tempo + 1))} subnets share an epoch block, more matrix cells (${cells}) than one engine call takes (${MAX_BATCH_CELLS}); use fewer subnets or UIDs, or a longer tempo`);
  }
  const resident = networkResidentBytes(o);
  if (resident > MAX_RESIDENT_BYTES) {
    throw new YumaError('E_LIMIT', `this network's epoch state kept in Wasm memory needs about ${Math.round(resident / 2 ** 20)} MiB, more than the ${MAX_RESIDENT_BYTES / 2 ** 20} MiB limit; use fewer subnets, UIDs or mechanisms`);
  }
  const bytes = networkBytes(o);
  if (bytes > MAX_NETWORK_BYTES) {
    throw new YumaError('E_LIMIT', `this network needs about ${Math.round(bytes / 2 ** 20)} MiB, more than the ${MAX_NETWORK_BYTES / 2 ** 20} MiB limit; use fewer subnets, UIDs or validators`);
  }
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
