import { YumaError } from '../errors.js';
import { describe, typedArrayKind } from '../validation/describe.js';
import { plainView, readOptions, typedLength } from '../validation/read.js';
import { toInt } from '../validation/values.js';
import { checkVersion, resolveConfig, type YumaConfig, type YumaVersion } from './config.js';
import { OPTION_KEYS, checkBlock, checkStakeTotal, resolveOptions, type YumaOptions } from './epoch.js';
import { MAX_CELLS, readVector, type Vector } from './input.js';
import { WasmCase, badWeight, type WasmViews } from './wasm.js';

/** The shape of every epoch of a `YumaRun`. */
export interface YumaRunShape {
  /** Rows of every epoch's weights (1 or more). */
  validators: number;
  /** Columns of every epoch's weights (1 or more). */
  servers: number;
}

/** A run's precision: `'f64'` (the default) or `'f32'` (torch's float32). */
export type YumaPrecision = 'f64' | 'f32';

/**
 * One epoch's outputs of a `YumaRun`: views into the run's own Wasm memory, matrices flat and row-major
 * (entry [v][m] at v·servers + m; Float64Array, or Float32Array for a run in `precision: 'f32'`, whose
 * vectors are Float64Arrays holding float32 values). They are overwritten by the run's next `epoch` call (a
 * refused one too) and detached by its `dispose` (length 0); copy what you keep (`.slice()`). The lazily built matrices of `yumaEpoch` (clipped
 * weights, W_b, bonds bought, alpha) are not produced.
 */
export type YumaRunEpoch<P extends YumaPrecision = 'f64'> = WasmViews<P extends 'f32' ? Float32Array : Float64Array>;

/**
 * A chained run of one Yuma version for callers that feed epochs one at a time and read them at once (sweeps,
 * long random cases): the bond state, the previous consensus and (Yuma 2B) the previous weights stay in a Wasm
 * instance of the run's own, each epoch's flat weights are copied in once and checked by the kernel itself, and
 * the outputs are views (no V×M array is allocated per epoch). Same arithmetic and the same bits as
 * `simulateCase`, in f64 or (`precision: 'f32'`, matrices stored as float32) torch's float32.
 */
export class YumaRun<P extends YumaPrecision = 'f64'> {
  /** The Yuma version this run computes. */
  readonly version: YumaVersion;
  /** Rows of every epoch. */
  readonly validators: number;
  /** Columns of every epoch. */
  readonly servers: number;
  /** Null once disposed: the instance, and with it the run's Wasm memory, is no longer referenced. */
  private case: WasmCase | null;
  private readonly f32: boolean;
  private epochs = 0;
  /**
   * The stakes' copy, reused from epoch to epoch: a new 8 KB array per call took ≈ 1.8 page faults (external
   * memory is freed only by a GC, so each call's landed on fresh pages). Taken while a call reads into it, so
   * that a stakes getter running an epoch of this run re-entrantly reads into an array of its own.
   */
  private stakeCopy: Float64Array | null;

  /** A run before its first epoch (no bond state yet); `config` and `opts` as `simulateCase` takes them. */
  constructor(version: YumaVersion, shape: YumaRunShape, config?: Partial<YumaConfig>, opts?: YumaOptions & { precision?: P }) {
    this.version = checkVersion(version);
    const cfg = resolveConfig(this.version, config);
    const o = resolveOptions(readOptions(opts, 'options', OPTION_KEYS));
    this.f32 = o.numerics.f32;
    const s = readOptions(shape, 'shape', ['validators', 'servers'] as const, true);
    const V = toInt(s.validators, 'shape.validators', 1, MAX_CELLS);
    const M = toInt(s.servers, 'shape.servers', 1, MAX_CELLS);
    if (V * M > MAX_CELLS) throw new YumaError('E_LIMIT', `${V}×${M} exceeds the ${MAX_CELLS} entries an epoch may hold`);
    checkBlock(o.block, V, M);
    this.validators = V;
    this.servers = M;
    this.case = new WasmCase(this.version, V, M, cfg, o.numerics, o.block, true);
    this.stakeCopy = new Float64Array(V);
  }

  /** Epochs run so far (E_STATE once disposed). */
  get epochCount(): number {
    this.live();
    return this.epochs;
  }

  /** Bytes of Wasm memory the run's instance holds (it grows with validators × servers); 0 once disposed. */
  get memoryBytes(): number {
    return this.case === null ? 0 : this.case.memoryBytes;
  }

  /** Whether `dispose` was called. */
  get disposed(): boolean {
    return this.case === null;
  }

  /**
   * Lets the run's Wasm memory go now instead of when the run itself is collected: the run drops its instance
   * (the memory is returned at the next garbage collection) and every view it handed out — `epoch` outputs,
   * `weightsInput` — is detached at once (length 0; it reads nothing, never another run's memory). A view the
   * caller still holds keeps the memory alive until it is dropped too (in V8, a detached view of a Wasm memory
   * still references it): copy what you keep (`.slice()`) before disposing. Every later call on the run
   * (`epoch`, `weightsInput`, `resetBondColumn`, `epochCount`) throws `E_STATE`; `version`, `validators` and
   * `servers` stay readable; a second `dispose` does nothing.
   */
  dispose(): void {
    const c = this.case;
    if (c === null) return;
    this.case = null;
    c.detachViews();
  }

  private live(): WasmCase {
    if (this.case === null) throw new YumaError('E_STATE', `this YumaRun (${this.version}, ${this.validators}×${this.servers}) was disposed`);
    return this.case;
  }

  /**
   * One epoch: `weights` raw, flat row-major (a Float64Array or Float32Array of validators × servers entries,
   * each finite and ≥ 0; in `'f32'` rounded to float32, so each must also fit float32), `stakes` raw per
   * validator. A refused epoch (`YumaError`) leaves the state as it was.
   */
  epoch(weights: Float64Array | Float32Array, stakes: Vector): YumaRunEpoch<P> {
    this.live();
    const V = this.validators;
    const M = this.servers;
    const kind = typedArrayKind(weights);
    if (kind !== 'Float64Array' && kind !== 'Float32Array') {
      throw new YumaError('E_ARG', `weights must be a flat Float64Array or Float32Array (got ${describe(weights)})`);
    }
    const copy = this.stakeCopy;
    this.stakeCopy = null;
    try {
      // stakes first: a getter of theirs may detach the weights' buffer, whose length then reads 0
      const S = readVector(stakes, 'stakes', V, true, copy);
      const n = typedLength(weights);
      if (n !== V * M) throw new YumaError('E_SHAPE', `weights has ${n} entries, expected ${V}×${M} = ${V * M}`);
      // again: a getter of the stakes may have disposed the run (stakes summing to 0 are still named first)
      if (this.case === null) checkStakeTotal(S, 'stakes', this.f32);
      const c = this.live();
      // From here on only the built-in view is touched: the kernel reads where the entries are, and a subclass or
      // own property of the caller's array must not redirect that or run code.
      const w = kind === 'Float32Array' ? plainView(weights as Float32Array, Float32Array) : plainView(weights as Float64Array, Float64Array);
      // The stakes' total (and in 'f32' their float32 range) is checked as the kernel copies them, before it runs.
      if (!c.kernel(w, S, undefined, true)) throw badWeight(w, this.f32);
      this.epochs++;
      return c.views() as YumaRunEpoch<P>;
    } finally {
      this.stakeCopy = copy;
    }
  }

  /**
   * The run's own input buffer: a view of validators × servers entries (row-major; Float64Array, or
   * Float32Array for `precision: 'f32'`) in the run's Wasm memory. Weights written into it and passed back to
   * `epoch` are read where they are, with no copy into Wasm memory (the kernel copies each row into its own
   * weight buffer as it normalises, so the view keeps what was written: refill only what changes). Always the
   * same buffer for the life of the run (detached by `dispose`).
   */
  weightsInput(): P extends 'f32' ? Float32Array : Float64Array {
    return this.live().inputView() as P extends 'f32' ? Float32Array : Float64Array;
  }

  /** Zeroes one server column of the bond state the next epoch reads (the simulator's bond reset; a no-op before the first epoch). */
  resetBondColumn(column: number): void {
    this.live().resetColumn(toInt(column, 'column', 0, this.servers - 1));
  }
}
