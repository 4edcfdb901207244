import { YumaError } from '../errors.js';
import { show } from '../validation/describe.js';
import { readOptions } from '../validation/read.js';
import { oneOf, toBool, toFinite } from '../validation/values.js';

/** The six epoch designs of yuma-simulation, by the names its charts use (Yuma 1 … Yuma 3 with liquid alpha). */
export type YumaVersion = 'yuma1' | 'yuma2' | 'yuma2b' | 'yuma2c' | 'yuma3' | 'yuma3-liquid';
/** Every `YumaVersion`, in the simulator's chart order. */
export const YUMA_VERSIONS: readonly YumaVersion[] = ['yuma1', 'yuma2', 'yuma2b', 'yuma2c', 'yuma3', 'yuma3-liquid'];

/** The simulator's display name of each version (`YumaSimulationNames`) and the Python function it runs. */
export const VERSION_INFO: Readonly<Record<YumaVersion, { name: string; fn: string }>> = {
  yuma1: { name: 'Yuma 1', fn: 'YumaRust' },
  yuma2: { name: 'Yuma 2 (subtensor)', fn: 'Yuma' },
  yuma2b: { name: 'Yuma 2B (Adrian-Fish)', fn: 'Yuma2b' },
  yuma2c: { name: 'Yuma 2C (Rhef+reset)', fn: 'Yuma2c' },
  yuma3: { name: 'Yuma 3 (Rhef+relative bonds)', fn: 'Yuma3' },
  'yuma3-liquid': { name: 'Yuma 3 (Rhef+relative bonds) - liquid alpha on', fn: 'Yuma3' },
};

/** Which consensus Yuma 3's liquid alpha compares against: this epoch's, the previous one's, or their maximum. */
export type LiquidAlphaConsensusMode = 'CURRENT' | 'PREVIOUS' | 'MIXED';

/**
 * The simulator's `YumaConfig` (its `SimulationHyperparameters` and `YumaParams`, flattened) in camelCase.
 * Every field is a plain number, boolean or string, as in Python.
 */
export interface YumaConfig {
  /** Stake quantile of the consensus weight (0.5 = stake-weighted median). */
  kappa: number;
  /** β: how much of a bond is bought on the clipped weight rather than the raw weight (Yuma 1, 2, 2B). */
  bondPenalty: number;
  /** Only for the summary: emission of one epoch (default 100). */
  totalEpochEmission: number;
  /** Only for the summary: the validators' share of an epoch's emission (default 0.41). */
  validatorEmissionRatio: number;
  /** Only for the summary: the subnet's total stake in TAO (default 1 000 000). */
  totalSubnetStake: number;
  /** Steps of the legacy bisection consensus (`legacyConsensus` option): it stops at width 1/consensusPrecision. */
  consensusPrecision: number;
  /** Which consensus liquid alpha compares against in Yuma 3: this epoch's, the previous one's, or their maximum. */
  liquidAlphaConsensusMode: LiquidAlphaConsensusMode;
  /** Used by the simulator's metagraph summaries only; kept so a YumaConfig round-trips. */
  alphaTaoRatio: number | null;
  /** Bond EMA: new bonds get weight 1 − bondMovingAvg (Yuma 2, 2B, 3); Yuma 1 ignores it (alpha = 1). */
  bondMovingAvg: number;
  /** Liquid alpha: the bond EMA's alpha per entry from consensus, between alphaLow and alphaHigh (default false; true for `yuma3-liquid`). */
  liquidAlpha: boolean;
  /** High end of liquid alpha's range (default 0.3). */
  alphaHigh: number;
  /** Low end of liquid alpha's range (default 0.1). */
  alphaLow: number;
  /** Yuma 2C: bonds decay by this share each epoch, and a validator buys at most capacityAlpha of its capacity. */
  decayRate: number;
  /** Yuma 2C: the share of its capacity a validator buys per epoch (default 0.1). */
  capacityAlpha: number;
  /** Slope of liquid alpha's sigmoid (default 10). */
  alphaSigmoidSteepness: number;
  /** Declared by the simulator's `YumaParams` but read by none of its functions (at 2b976fd); kept for round-trips. */
  overrideConsensusHigh: number | null;
  /** Declared but unread, as `overrideConsensusHigh`. */
  overrideConsensusLow: number | null;
  /** All incentive to the servers of highest rank (shared equally on ties). */
  winnerTakesAll: boolean;
}

/**
 * The simulator's defaults: `SimulationHyperparameters()` / `YumaParams()`, with the parameter sets that
 * `scripts/charts_table_generator.py` gives each version, the liquid-alpha mode it runs (MIXED) and
 * bond_penalty 0.99 (the Python default is None, which no function accepts; 0.99 is the run behind the
 * simulator's published charts, one of the script's 0, 0.5, 0.99, 1).
 */
const BASE: YumaConfig = {
  kappa: 0.5,
  bondPenalty: 0.99,
  totalEpochEmission: 100,
  validatorEmissionRatio: 0.41,
  totalSubnetStake: 1_000_000,
  consensusPrecision: 100_000,
  liquidAlphaConsensusMode: 'MIXED',
  alphaTaoRatio: null,
  bondMovingAvg: 0.1,
  liquidAlpha: false,
  alphaHigh: 0.3,
  alphaLow: 0.1,
  decayRate: 0.1,
  capacityAlpha: 0.1,
  alphaSigmoidSteepness: 10,
  overrideConsensusHigh: null,
  overrideConsensusLow: null,
  winnerTakesAll: false,
};

const VERSION_DEFAULTS: Record<YumaVersion, Partial<YumaConfig>> = {
  yuma1: { bondMovingAvg: 0 },
  yuma2: {},
  yuma2b: {},
  yuma2c: {},
  yuma3: { bondMovingAvg: 0.975, alphaLow: 0.1, alphaHigh: 0.3 },
  'yuma3-liquid': { bondMovingAvg: 0.975, alphaLow: 0.1, alphaHigh: 0.3, liquidAlpha: true, alphaSigmoidSteepness: 10 },
};

/** The full configuration a version runs with when the caller gives none. */
export function defaultConfig(version: YumaVersion): YumaConfig {
  return { ...BASE, ...VERSION_DEFAULTS[checkVersion(version)] };
}

/** camelCase key ↔ the simulator's snake_case name (for reading and writing simulator configs). */
export const PYTHON_KEYS: Readonly<Record<keyof YumaConfig, string>> = {
  kappa: 'kappa',
  bondPenalty: 'bond_penalty',
  totalEpochEmission: 'total_epoch_emission',
  validatorEmissionRatio: 'validator_emission_ratio',
  totalSubnetStake: 'total_subnet_stake',
  consensusPrecision: 'consensus_precision',
  liquidAlphaConsensusMode: 'liquid_alpha_consensus_mode',
  alphaTaoRatio: 'alpha_tao_ratio',
  bondMovingAvg: 'bond_moving_avg',
  liquidAlpha: 'liquid_alpha',
  alphaHigh: 'alpha_high',
  alphaLow: 'alpha_low',
  decayRate: 'decay_rate',
  capacityAlpha: 'capacity_alpha',
  alphaSigmoidSteepness: 'alpha_sigmoid_steepness',
  overrideConsensusHigh: 'override_consensus_high',
  overrideConsensusLow: 'override_consensus_low',
  winnerTakesAll: 'winner_takes_all',
};

const UNIT = new Set<keyof YumaConfig>(['kappa', 'bondPenalty', 'bondMovingAvg', 'alphaHigh', 'alphaLow', 'decayRate', 'capacityAlpha', 'validatorEmissionRatio']);
const NON_NEGATIVE = new Set<keyof YumaConfig>(['totalEpochEmission', 'totalSubnetStake', 'alphaSigmoidSteepness', 'alphaTaoRatio']);
const BOOLEAN = new Set<keyof YumaConfig>(['liquidAlpha', 'winnerTakesAll']);
const NULLABLE = new Set<keyof YumaConfig>(['alphaTaoRatio', 'overrideConsensusHigh', 'overrideConsensusLow']);
const MODES: readonly LiquidAlphaConsensusMode[] = ['CURRENT', 'PREVIOUS', 'MIXED'];

export function checkVersion(version: unknown): YumaVersion {
  return oneOf(version, 'version', YUMA_VERSIONS);
}

const CONFIG_KEYS = Object.keys(PYTHON_KEYS) as Array<keyof YumaConfig>;

/**
 * The version's defaults with the caller's overrides, every field checked: an unknown key is E_ARG (as
 * the simulator's `with_overrides` raises on one), a wrong type E_ARG, NaN/∞ E_NAN, a value outside its
 * interval E_RANGE. Each property is read once.
 */
export function resolveConfig(version: YumaVersion, overrides: unknown): YumaConfig {
  const cfg = defaultConfig(version);
  const given = readOptions(overrides, 'config', CONFIG_KEYS);
  const out = cfg as unknown as Record<string, unknown>;
  for (const key of CONFIG_KEYS) if (key in given) out[key] = checkField(key, given[key]);
  if (cfg.alphaLow > cfg.alphaHigh) throw new YumaError('E_RANGE', `config.alphaLow (${cfg.alphaLow}) is above config.alphaHigh (${cfg.alphaHigh})`);
  return cfg;
}

function checkField(key: keyof YumaConfig, value: unknown): unknown {
  const field = `config.${key}`;
  if (BOOLEAN.has(key)) return toBool(value, field);
  if (key === 'liquidAlphaConsensusMode') return oneOf(value, field, MODES);
  if (value === null && NULLABLE.has(key)) return null;
  const x = toFinite(value, field);
  if (UNIT.has(key) && !(x >= 0 && x <= 1)) throw new YumaError('E_RANGE', `${field} must be in [0, 1] (got ${show(x)})`);
  if (NON_NEGATIVE.has(key) && x < 0) throw new YumaError('E_RANGE', `${field} must be ≥ 0 (got ${show(x)})`);
  if (key === 'consensusPrecision' && !(x >= 1 && x <= 1e12)) throw new YumaError('E_RANGE', `${field} must be in [1, 1e12] (got ${show(x)})`);
  return x;
}
