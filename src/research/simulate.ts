import { YumaError } from '../errors.js';
import { readList, readOptions } from '../validation/read.js';
import { toInt } from '../validation/values.js';
import { checkVersion, resolveConfig, type YumaConfig, type YumaVersion } from './config.js';
import { OPTION_KEYS, checkBlock, checkStakeTotal, resolveOptions, toResult, type FlatEpoch, type YumaEpochResult, type YumaOptions } from './epoch.js';
import { WasmCase, releaseLargeMemory } from './wasm.js';
import { MAX_CASE_CELLS, MAX_EPOCHS, readMatrix, readVector, type Matrix, type Vector } from './input.js';

/** A bond reset of a case: one server's bond column zeroed before one epoch. */
export interface ResetBonds {
  /** The epoch before which the column is zeroed (the simulator's `reset_bonds_epoch`). */
  epoch: number;
  /** The server column of the bond state to zero (`reset_bonds_index`; in full matrices the absolute column). */
  column: number;
}

/** A whole case for `simulateCase`: the version, every epoch's weights and stakes, and options. */
export interface SimulateCaseInput extends YumaOptions {
  /** Which Yuma to run. */
  version: YumaVersion;
  /** weights[epoch][validator][server], raw. Every epoch has the same shape. */
  weights: ReadonlyArray<Matrix>;
  /** stakes[epoch][validator], raw. */
  stakes: ReadonlyArray<Vector>;
  /** Overrides of the version's `defaultConfig`; an unknown key is `E_ARG`. */
  config?: Partial<YumaConfig>;
  /**
   * Zero one server column of the bond state before one epoch, as the simulator's `_call_yuma` does: for
   * Yuma 2C and Yuma 3 (with or without liquid alpha) only — the simulator applies no reset to Yuma 1, 2
   * and 2B, and neither does this — and never before the first epoch (there is no state yet).
   */
  resetBonds?: ResetBonds | null;
}

const CASE_KEYS = ['version', 'weights', 'stakes', 'config', 'resetBonds', ...OPTION_KEYS] as const;
const RESETTING: ReadonlySet<YumaVersion> = new Set(['yuma2c', 'yuma3', 'yuma3-liquid']);

/** Whether the simulator resets bonds for this version when a case asks for it (anything but a version is E_ARG). */
export function resetsBonds(version: YumaVersion): boolean {
  return RESETTING.has(checkVersion(version));
}

/**
 * Runs a whole case like the simulator's `_run_simulation`: one epoch per entry of `weights`, each version's
 * state (bonds, previous consensus, for Yuma 2B the previous weights) passed from epoch to epoch.
 * Returns one result per epoch.
 */
export function simulateCase(input: SimulateCaseInput): YumaEpochResult[] {
  const fields = readOptions(input, 'simulateCase input', CASE_KEYS, true);
  const version = checkVersion(fields.version);
  const cfg = resolveConfig(version, fields.config);
  const opts = resolveOptions(fields);
  const { epochs, V, M } = readCase(fields.weights, fields.stakes, opts.numerics.f32);
  checkBlock(opts.block, V, M);
  const reset = readReset(fields.resetBonds, epochs.length, M);

  const results: YumaEpochResult[] = new Array(epochs.length);
  // The state stays in Wasm memory from epoch to epoch; a refused epoch (a weight beyond float32) ends the
  // case too, and the memory a large case grew goes then as well.
  try {
    const run = new WasmCase(version, V, M, cfg, opts.numerics, opts.block);
    for (let e = 0; e < epochs.length; e++) {
      if (reset && e === reset.epoch && RESETTING.has(version)) run.resetColumn(reset.column);
      results[e] = toResult(run.run(epochs[e].W, epochs[e].S), V, M);
    }
  } finally {
    releaseLargeMemory();
  }
  return results;
}

function readCase(weightsIn: unknown, stakesIn: unknown, f32: boolean): { epochs: FlatEpoch[]; V: number; M: number } {
  const weights = readList(weightsIn, 'weights', MAX_EPOCHS);
  const stakes = readList(stakesIn, 'stakes', MAX_EPOCHS);
  const E = weights.length;
  if (E === 0) throw new YumaError('E_SHAPE', 'weights has no epochs');
  if (stakes.length !== E) throw new YumaError('E_SHAPE', `stakes has ${stakes.length} epochs, weights has ${E}`);
  // the whole case's size from the first matrix's shape, before any entry is read (up to 2²⁴ of them)
  const first = readMatrix(weights[0], 'weights[0]', null, null, true, (V, M) => {
    if (E * V * M > MAX_CASE_CELLS) throw new YumaError('E_LIMIT', `${E} epochs of ${V}×${M} exceed the ${MAX_CASE_CELLS} cells a case may hold`);
  });
  const V = first.rows;
  const M = first.cols;
  const epochs: FlatEpoch[] = new Array(E);
  for (let e = 0; e < E; e++) {
    const W = e === 0 ? first.data : readMatrix(weights[e], `weights[${e}]`, V, M, true).data;
    const S = readVector(stakes[e], `stakes[${e}]`, V, true);
    checkStakeTotal(S, `stakes[${e}]`, f32);
    epochs[e] = { V, M, W, S, B: null, C: null, Wprev: null };
  }
  return { epochs, V, M };
}

function readReset(value: unknown, epochs: number, M: number): ResetBonds | null {
  if (value === undefined || value === null) return null;
  const f = readOptions(value, 'resetBonds', ['epoch', 'column'] as const, true);
  return { epoch: toInt(f.epoch, 'resetBonds.epoch', 0, epochs - 1), column: toInt(f.column, 'resetBonds.column', 0, M - 1) };
}
