import { YumaError } from '../errors.js';
import { checkVersion, ownEntries, resolveConfig, type YumaConfig, type YumaVersion } from './config.js';
import { checkBlock, checkStakeTotal, resolveOptions, runFlat, toResult, type FlatEpoch, type YumaEpochResult, type YumaOptions } from './epoch.js';
import { MAX_CASE_CELLS, MAX_EPOCHS, guarded, readMatrix, readVector, type Matrix, type Vector } from './input.js';

export interface ResetBonds {
  /** The epoch before which the column is zeroed (the simulator's `reset_bonds_epoch`). */
  epoch: number;
  /** The server column of the bond state to zero (`reset_bonds_index`; in full matrices the absolute column). */
  column: number;
}

export interface SimulateCaseInput extends YumaOptions {
  version: YumaVersion;
  /** weights[epoch][validator][server], raw. Every epoch has the same shape. */
  weights: ReadonlyArray<Matrix>;
  /** stakes[epoch][validator], raw. */
  stakes: ReadonlyArray<Vector>;
  config?: Partial<YumaConfig>;
  /**
   * Zero one server column of the bond state before one epoch, as the simulator's `_call_yuma` does: for
   * Yuma 2C and Yuma 3 (with or without liquid alpha) only — the simulator applies no reset to Yuma 1, 2
   * and 2B, and neither does this — and never before the first epoch (there is no state yet).
   */
  resetBonds?: ResetBonds | null;
}

const CASE_KEYS = new Set(['version', 'weights', 'stakes', 'config', 'resetBonds']);
const RESETTING: ReadonlySet<YumaVersion> = new Set(['yuma2c', 'yuma3', 'yuma3-liquid']);

/** Whether the simulator resets bonds for this version when a case asks for it. */
export function resetsBonds(version: YumaVersion): boolean {
  return RESETTING.has(version);
}

/**
 * Runs a whole case like the simulator's `_run_simulation`: one epoch per entry of `weights`, each version's
 * state (bonds, previous consensus, for Yuma 2B the previous weights) passed from epoch to epoch.
 * Returns one result per epoch.
 */
export function simulateCase(input: SimulateCaseInput): YumaEpochResult[] {
  const fields = new Map(ownEntries(input, 'simulateCase input'));
  const version = checkVersion(fields.get('version'));
  const cfg = resolveConfig(version, fields.get('config'));
  const opts = resolveOptions(input, CASE_KEYS);
  const { epochs, V, M } = readCase(fields.get('weights'), fields.get('stakes'));
  checkBlock(opts.block, V, M);
  const reset = readReset(fields.get('resetBonds'), epochs.length, M);

  const results: YumaEpochResult[] = new Array(epochs.length);
  let B: Float64Array | null = null;
  let C: Float64Array | null = null;
  let Wprev: Float64Array | null = null;
  for (let e = 0; e < epochs.length; e++) {
    if (reset && B !== null && e === reset.epoch && RESETTING.has(version)) {
      B = B.slice();
      for (let v = 0; v < V; v++) B[v * M + reset.column] = 0;
    }
    const k = runFlat(version, { ...epochs[e], B, C, Wprev }, cfg, opts);
    results[e] = toResult(k, V, M);
    B = k.validatorBonds;
    C = k.serverConsensusWeight;
    if (version === 'yuma2b') Wprev = k.weight;
  }
  return results;
}

function readCase(weights: unknown, stakes: unknown): { epochs: FlatEpoch[]; V: number; M: number } {
  return guarded('simulateCase input', () => {
    if (!Array.isArray(weights)) throw new YumaError('E_SHAPE', 'weights must be an array of epochs (weights[epoch][validator][server])');
    if (!Array.isArray(stakes)) throw new YumaError('E_SHAPE', 'stakes must be an array of epochs (stakes[epoch][validator])');
    const E = weights.length;
    if (E === 0) throw new YumaError('E_SHAPE', 'weights has no epochs');
    if (E > MAX_EPOCHS) throw new YumaError('E_LIMIT', `at most ${MAX_EPOCHS} epochs per case (got ${E})`);
    if (stakes.length !== E) throw new YumaError('E_SHAPE', `stakes has ${stakes.length} epochs, weights has ${E}`);
    const first = readMatrix(weights[0], 'weights[0]', null, null, true);
    const V = first.rows;
    const M = first.cols;
    if (E * V * M > MAX_CASE_CELLS) throw new YumaError('E_LIMIT', `${E} epochs of ${V}×${M} exceed the ${MAX_CASE_CELLS} cells a case may hold`);
    const epochs: FlatEpoch[] = new Array(E);
    for (let e = 0; e < E; e++) {
      const W = e === 0 ? first.data : readMatrix(weights[e], `weights[${e}]`, V, M, true).data;
      const S = readVector(stakes[e], `stakes[${e}]`, V, true);
      checkStakeTotal(S, `stakes[${e}]`);
      epochs[e] = { V, M, W, S, B: null, C: null, Wprev: null };
    }
    return { epochs, V, M };
  });
}

function readReset(value: unknown, epochs: number, M: number): ResetBonds | null {
  if (value === undefined || value === null) return null;
  const f = new Map(ownEntries(value, 'resetBonds'));
  for (const k of f.keys()) if (k !== 'epoch' && k !== 'column') throw new YumaError('E_ARG', `unknown key resetBonds.${k}`);
  const epoch = f.get('epoch');
  const column = f.get('column');
  if (typeof epoch !== 'number' || !Number.isInteger(epoch) || epoch < 0 || epoch >= epochs) {
    throw new YumaError('E_RANGE', `resetBonds.epoch must be a whole number in [0, ${epochs - 1}] (got ${String(epoch)})`);
  }
  if (typeof column !== 'number' || !Number.isInteger(column) || column < 0 || column >= M) {
    throw new YumaError('E_RANGE', `resetBonds.column must be a server column in [0, ${M - 1}] (got ${String(column)})`);
  }
  return { epoch, column };
}
