import { YumaError } from '../errors.js';
import { readOptions } from '../validation/read.js';
import { oneOf, toBool } from '../validation/values.js';
import { checkVersion, resolveConfig, type YumaConfig, type YumaVersion } from './config.js';
import { readMatrix, readVector, toRows, type Matrix, type Vector } from './input.js';
import { checkStakeTotal, type Block, type FlatEpoch, type KernelOutput, type Numerics } from './kernel.js';
import { WasmCase, releaseLargeMemory } from './wasm.js';

/** One epoch's arguments, as the simulator's functions take them (state from the previous epoch optional). */
export interface YumaEpochInput {
  /** Raw weights [validator][server]; rows are normalised inside, as the simulator does. */
  weights: Matrix;
  /** Raw stakes per validator (normalised inside). */
  stakes: Vector;
  /** `B_old`: the previous epoch's `validatorBonds` (absent or null on the first epoch). */
  bondsOld?: Matrix | null;
  /** `C_old`: the previous epoch's `serverConsensusWeight` (liquid alpha needs it; absent on the first epoch). */
  consensusOld?: Vector | null;
  /** `W_prev` (Yuma 2B only): the previous epoch's row-normalised `weight`; absent = this epoch's. */
  weightsPrev?: Matrix | null;
}

/** How a research epoch computes (every field optional). */
export interface YumaOptions {
  /** `'f64'` (default): double precision. `'f32'`: every operation rounded to float32 as torch does. */
  precision?: 'f64' | 'f32';
  /**
   * An epoch whose consensus is 0 in every column (C/ΣC = 0/0): `'x86'` (default) gives what the simulator
   * gives on x86 (consensus −32768.5 everywhere: incentive split evenly), `'arm'` what it gives on ARM
   * (consensus 0: no incentive). Results flag such epochs with `degenerateConsensus`.
   */
  degenerateConsensus?: 'x86' | 'arm';
  /** `'zero'` (default): validator trust of a validator without weights is 0 instead of the simulator's NaN/±∞. `'torch'`: keep them. */
  nonFinite?: 'zero' | 'torch';
  /** The simulator's `LEGACY_CONSENSUS=1` bisection (steps of 1/consensusPrecision) instead of its sort-based quantile. */
  legacyConsensus?: boolean;
  /**
   * The simulator's full-matrix layout (`use_full_matrices=True`): weights are N×N with N = validators +
   * servers, validators in rows 0..validators-1, servers in the last `servers` columns. Only liquid alpha
   * reads it (it runs on that block and is 0 elsewhere).
   */
  fullMatrices?: { validators: number; servers: number } | null;
}

/** An epoch's outputs: the Python function's dict keys in camelCase; vectors as Float64Array, matrices as arrays of rows. */
export interface YumaEpochResult {
  /** `weight`: the weights, each validator's row normalised (W / (row sum + 1e-6), as the simulator). */
  weight: Float64Array[];
  /** `stake`: the stakes normalised to sum 1. */
  stake: Float64Array;
  /** `server_prerank`: stake-weighted sum of weights per server. */
  serverPrerank: Float64Array;
  /** `server_consensus_weight`: the κ-quantile of each server's column by stake. */
  serverConsensusWeight: Float64Array;
  /** `consensus_clipped_weight`: weights clipped at the consensus. */
  consensusClippedWeight: Float64Array[];
  /** `server_rank`: stake-weighted sum of the clipped weights per server. */
  serverRank: Float64Array;
  /** `server_incentive`: the rank normalised (or all to the top servers with `winnerTakesAll`). */
  serverIncentive: Float64Array;
  /** Yuma 1, 2, 2B, 2C (Yuma 3 computes no trust it returns). */
  serverTrust?: Float64Array;
  /** `validator_trust`: the share of each validator's weight that survived clipping (not Yuma 3). */
  validatorTrust?: Float64Array;
  /** Yuma 2, 2B: W_b = (1 − β)·W + β·W_clipped. Yuma 1 computes it too; the simulator does not return it there. */
  weightForBond?: Float64Array[];
  /** Yuma 1, 2, 2B: bonds bought this epoch, before the EMA. */
  validatorBond?: Float64Array[];
  /** Yuma 1, 2, 2B: the EMA bonds (the same rows as `validatorBonds`). */
  validatorEmaBond?: Float64Array[];
  /** The bond state the next epoch reads: `validator_ema_bond` for Yuma 1/2/2B, `validator_bonds` for 2C/3. */
  validatorBonds: Float64Array[];
  /** `validator_reward`: each validator's dividend before normalisation (bonds × incentive). */
  validatorReward: Float64Array;
  /** `validator_reward_normalized`: dividends normalised to sum 1 (+1e-6 in the denominator, as the simulator). */
  validatorRewardNormalized: Float64Array;
  /** Yuma 1, 2, 2B: the EMA factor (1 for Yuma 1, 1 − bondMovingAvg otherwise), or the liquid-alpha matrix. */
  alpha?: number | Float64Array[];
  /** The per-entry liquid alpha when it ran (Yuma 3 liquid from the second epoch on). */
  liquidAlpha?: Float64Array[];
  /** Every column's consensus was 0: C/ΣC is undefined in the simulator (NaN; platform-dependent cast). */
  degenerateConsensus: boolean;
}

export const OPTION_KEYS = ['precision', 'degenerateConsensus', 'nonFinite', 'legacyConsensus', 'fullMatrices'] as const;

export interface ResolvedOptions {
  numerics: Numerics;
  block: Block | null;
}

/** Options from a record already read once (`readOptions`); absent keys take their defaults. */
export function resolveOptions(o: { [K in (typeof OPTION_KEYS)[number]]?: unknown }): ResolvedOptions {
  const numerics: Numerics = { f32: false, degenerate: 'x86', nonFinite: 'zero', legacyConsensus: false };
  if (o.precision !== undefined) numerics.f32 = oneOf(o.precision, 'precision', ['f64', 'f32'] as const) === 'f32';
  if (o.degenerateConsensus !== undefined) numerics.degenerate = oneOf(o.degenerateConsensus, 'degenerateConsensus', ['x86', 'arm'] as const);
  if (o.nonFinite !== undefined) numerics.nonFinite = oneOf(o.nonFinite, 'nonFinite', ['zero', 'torch'] as const);
  if (o.legacyConsensus !== undefined) numerics.legacyConsensus = toBool(o.legacyConsensus, 'legacyConsensus');
  let block: Block | null = null;
  if (o.fullMatrices !== undefined && o.fullMatrices !== null) {
    const f = readOptions(o.fullMatrices, 'fullMatrices', ['validators', 'servers'] as const, true);
    const v = f.validators;
    const s = f.servers;
    if (!Number.isInteger(v) || !Number.isInteger(s) || (v as number) < 1 || (s as number) < 1) {
      throw new YumaError('E_RANGE', 'fullMatrices needs whole numbers validators ≥ 1 and servers ≥ 1');
    }
    block = { validators: v as number, servers: s as number };
  }
  return { numerics, block };
}

export type { FlatEpoch };

const INPUT_KEYS = ['weights', 'stakes', 'bondsOld', 'consensusOld', 'weightsPrev'] as const;

export function readEpochInput(input: unknown, version: YumaVersion): FlatEpoch {
  const f = readOptions(input, 'epoch input', INPUT_KEYS, true);
  // the stakes first: their count is the weights' row count, so a matrix claiming other rows is refused before its
  // V×M cells are copied (2^24 claimed rows against 1 stake took 12 s and 128 MiB to reach the E_SHAPE)
  const S = readVector(f.stakes, 'stakes', null, true);
  const w = readMatrix(f.weights, 'weights', S.length, null, true);
  const V = w.rows;
  const M = w.cols;
  if (f.weightsPrev != null && version !== 'yuma2b') throw new YumaError('E_ARG', `weightsPrev is read by yuma2b only (version is ${version})`);
  return {
    V,
    M,
    W: w.data,
    S,
    B: f.bondsOld == null ? null : readMatrix(f.bondsOld, 'bondsOld', V, M, false).data,
    C: f.consensusOld == null ? null : readVector(f.consensusOld, 'consensusOld', M, false),
    Wprev: f.weightsPrev == null ? null : readMatrix(f.weightsPrev, 'weightsPrev', V, M, false).data,
  };
}

export { checkStakeTotal };

export function checkBlock(block: Block | null, V: number, M: number): void {
  if (block && (block.validators > V || block.servers > M)) {
    throw new YumaError('E_SHAPE', `fullMatrices (${block.validators} validators, ${block.servers} servers) does not fit a ${V}×${M} matrix`);
  }
}

/**
 * Runs one checked epoch in Wasm: f64, or float32 with the inputs rounded to float32 first (as
 * `torch.tensor` stores them).
 */
export function runFlat(version: YumaVersion, e: FlatEpoch, cfg: YumaConfig, o: ResolvedOptions): KernelOutput {
  try {
    return new WasmCase(version, e.V, e.M, cfg, o.numerics, o.block).run(e.W, e.S, e);
  } finally {
    // a refused epoch too: its instance may have grown as much
    releaseLargeMemory();
  }
}

export function toResult(k: KernelOutput, V: number, M: number): YumaEpochResult {
  const rows = (a: Float64Array) => toRows(a, V, M);
  const r = {
    weight: rows(k.weight),
    stake: k.stake,
    serverPrerank: k.serverPrerank,
    serverConsensusWeight: k.serverConsensusWeight,
  } as YumaEpochResult;
  lazy(r, 'consensusClippedWeight', () => rows(k.consensusClippedWeight()));
  r.serverRank = k.serverRank;
  r.serverIncentive = k.serverIncentive;
  if (k.serverTrust) r.serverTrust = k.serverTrust;
  if (k.validatorTrust) r.validatorTrust = k.validatorTrust;
  const wb = k.weightForBond;
  const b = k.validatorBond;
  if (wb) lazy(r, 'weightForBond', () => rows(wb()));
  if (b) lazy(r, 'validatorBond', () => rows(b()));
  r.validatorBonds = rows(k.validatorBonds);
  if (k.validatorEmaBond) r.validatorEmaBond = r.validatorBonds;
  r.validatorReward = k.validatorReward;
  r.validatorRewardNormalized = k.validatorRewardNormalized;
  if (k.alpha !== undefined) r.alpha = typeof k.alpha === 'number' ? k.alpha : rows(k.alpha);
  if (k.liquidAlpha) r.liquidAlpha = rows(k.liquidAlpha);
  r.degenerateConsensus = k.degenerateConsensus;
  return r;
}

/**
 * An output matrix the next epoch does not read, built on first access and then kept as a plain data
 * property (enumerable either way, so spreading, JSON and structured clone see it like the others).
 */
function lazy<K extends keyof YumaEpochResult>(r: YumaEpochResult, key: K, build: () => YumaEpochResult[K]): void {
  Object.defineProperty(r, key, {
    enumerable: true,
    configurable: true,
    get() {
      const value = build();
      Object.defineProperty(r, key, { value, enumerable: true, configurable: true, writable: true });
      return value;
    },
    set(value: YumaEpochResult[K]) {
      Object.defineProperty(r, key, { value, enumerable: true, configurable: true, writable: true });
    },
  });
}

/**
 * One epoch of `version` for callers that keep their own state: pass the previous result's
 * `validatorBonds` as `bondsOld`, its `serverConsensusWeight` as `consensusOld` (and for Yuma 2B its
 * `weight` as `weightsPrev`).
 */
export function yumaEpoch(version: YumaVersion, input: YumaEpochInput, config?: Partial<YumaConfig>, opts?: YumaOptions): YumaEpochResult {
  const v = checkVersion(version);
  const cfg = resolveConfig(v, config);
  const o = resolveOptions(readOptions(opts, 'options', OPTION_KEYS));
  const e = readEpochInput(input, v);
  checkStakeTotal(e.S, 'stakes', o.numerics.f32);
  checkBlock(o.block, e.V, e.M);
  return toResult(runFlat(v, e, cfg, o), e.V, e.M);
}

type EpochFn = (input: YumaEpochInput, config?: Partial<YumaConfig>, opts?: YumaOptions) => YumaEpochResult;

/** Yuma 1 (`YumaRust`): the chain's original Yuma; bonds renormalised per column, EMA factor 1. */
export const yuma1Epoch: EpochFn = (i, c, o) => yumaEpoch('yuma1', i, c, o);
/** Yuma 2 (`Yuma`): bonds EMA with alpha = 1 − bondMovingAvg, no renormalisation of the EMA. */
export const yuma2Epoch: EpochFn = (i, c, o) => yumaEpoch('yuma2', i, c, o);
/** Yuma 2B (`Yuma2b`): clipping and bonds use the previous epoch's weights. */
export const yuma2bEpoch: EpochFn = (i, c, o) => yumaEpoch('yuma2b', i, c, o);
/** Yuma 2C (`Yuma2c`): capacity bonds with decay. */
export const yuma2cEpoch: EpochFn = (i, c, o) => yumaEpoch('yuma2c', i, c, o);
/** Yuma 3 (`Yuma3`): relative bonds per validator–server pair. */
export const yuma3Epoch: EpochFn = (i, c, o) => yumaEpoch('yuma3', i, c, o);
/** Yuma 3 with liquid alpha on (`Yuma3`, `liquid_alpha=True`). */
export const yuma3LiquidEpoch: EpochFn = (i, c, o) => yumaEpoch('yuma3-liquid', i, c, o);
