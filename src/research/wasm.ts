import { YumaError } from '../errors.js';
import { Arena } from '../wasm/arena.js';
import { compileSync, instantiate, type KernelExports } from '../wasm/loader.js';
import type { YumaConfig, YumaVersion } from './config.js';
import { bondPurchase, checkStakeTotal, clipped, purchaseDivisor, purchaseOutputs, type Block, type KernelOutput, type Numerics } from './kernel.js';
import { LA_MODE_CODE, R, R_SLOTS, RF, STATUS_OK, VERSION_CODE } from './wasm-abi.js';

/**
 * The research epochs in Wasm (assembly/research): one module instance for this subpath, its memory owned
 * by the loader's Arena. A `WasmCase` lays out everything a run of epochs needs once — header, weights,
 * stakes, two bond buffers and two consensus buffers that swap roles each epoch, the outputs and the kernel's
 * scratch — so the state stays in Wasm memory from one epoch to the next and the kernels allocate nothing.
 * The kernels compute in the order of src/research/kernel.ts (the same sums in the same order, in f64 or with
 * every operation rounded to float32), so both give the same bits; the TypeScript kernel is their reference.
 * In float32 (`precision: 'f32'`) the V×M matrices (weights, bonds, liquid alpha) are stored as f32, the
 * vectors as f64 holding float32 values.
 */

interface Module {
  k: KernelExports;
  arena: Arena;
}

let mod: Module | null = null;

function module(): Module {
  if (mod === null) {
    const k = instantiate(compileSync());
    mod = { k, arena: new Arena(k.memory, k.heapBase()) };
  }
  return mod;
}

function ownModule(): Module {
  const k = instantiate(compileSync());
  return { k, arena: new Arena(k.memory, k.heapBase()) };
}

/** Above this much Wasm memory the instance is dropped after a run, so one huge case does not pin its memory for the life of the process. */
const KEEP_BYTES = 256 * 1024 * 1024;

/** Called when a run is over (its outputs are copies): drops an instance that grew past KEEP_BYTES. */
export function releaseLargeMemory(): void {
  if (mod !== null && mod.arena.memoryBytes > KEEP_BYTES) mod = null;
}

/** Bytes of a buffer of n f64: 16 more than needed, so a pair load at the last odd entry stays inside it. */
const padded = (n: number) => n * 8 + 16;

/** Entries of f64 weights rounded to float32 per call in float32 epochs (128 KiB of staging: stays in L2). */
const STAGE = 16384;

/** The largest float32; a weight or stake above it has no float32 value. */
const F32_MAX = 3.4028234663852886e38;

/** The state a caller hands over for one epoch (simulateCase passes null: the state in Wasm memory is used). */
export interface GivenState {
  B: Float64Array | null;
  C: Float64Array | null;
  Wprev: Float64Array | null;
}

export class WasmCase {
  private readonly a: Arena;
  private readonly k: KernelExports;
  private readonly V: number;
  private readonly M: number;
  private readonly version: YumaVersion;
  private readonly cfg: YumaConfig;
  private readonly liquidPossible: boolean;
  /** Float32 epochs: matrices stored as f32. */
  private readonly f32: boolean;
  private readonly job: number;
  /** Two weight buffers (Yuma 2B reads the previous epoch's) and two consensus buffers, swapped each epoch. */
  private readonly Wbuf: [number, number];
  /**
   * The bond state, updated in place: the kernel reads each entry before writing it, and writes none before
   * every weight has passed its check, so a refused epoch still leaves it as it was. One buffer instead of
   * two keeps the bond pass's 4–8 MB of writes on lines it has just read.
   */
  private readonly B: number;
  /** Float32 epochs: f64 weights pass through here, a chunk at a time, to be rounded to float32 in Wasm. */
  private readonly W64: number;
  /** A run's own input buffer (`inputView`), in the matrices' type, or 0. */
  private readonly Win: number;
  private readonly Cbuf: [number, number];
  private readonly out: { S: number; P: number; R: number; I: number; T: number; TV: number; D: number; DN: number; BSUM: number; LIQUID: number };
  private cur = 0;
  private hasState = false;
  /** The previous epoch's row-normalised weights as returned (Yuma 2B's clipping base for the lazily built outputs). */
  private prevWeight: Float64Array | null = null;

  /**
   * `own`: a Wasm instance of this case's own instead of the subpath's shared one (a `YumaRun`, whose state
   * must outlive other research calls; those reset the shared instance's arena).
   */
  constructor(version: YumaVersion, V: number, M: number, cfg: YumaConfig, num: Numerics, block: Block | null, own = false) {
    const { k, arena } = own ? ownModule() : module();
    this.k = k;
    this.a = arena;
    this.V = V;
    this.M = M;
    this.version = version;
    this.cfg = cfg;
    const N = V * M;
    this.liquidPossible = cfg.liquidAlpha && version !== 'yuma2c';
    this.f32 = num.f32;
    const twoW = version === 'yuma2b';
    const scratch = k.researchScratchBytes(V, M);
    const matrix = N * (num.f32 ? 4 : 8) + 16;
    const staging = num.f32 ? Math.min(N, STAGE) * 8 + 16 : 0;
    const bytes =
      R_SLOTS * 8 +
      matrix * ((twoW ? 2 : 1) + 1 + (own ? 1 : 0) + (this.liquidPossible ? 1 : 0)) +
      staging +
      padded(M) * 7 +
      padded(V) * 4 +
      scratch +
      16 * 24;
    arena.reset();
    arena.reserve(bytes);
    this.job = arena.alloc(R_SLOTS * 8);
    const w0 = arena.alloc(matrix);
    this.Wbuf = [w0, twoW ? arena.alloc(matrix) : w0];
    this.B = arena.alloc(matrix);
    this.W64 = num.f32 ? arena.alloc(staging) : 0;
    this.Win = own ? arena.alloc(matrix) : 0;
    this.Cbuf = [arena.alloc(padded(M)), arena.alloc(padded(M))];
    this.out = {
      S: arena.alloc(padded(V)),
      P: arena.alloc(padded(M)),
      R: arena.alloc(padded(M)),
      I: arena.alloc(padded(M)),
      T: arena.alloc(padded(M)),
      TV: arena.alloc(padded(V)),
      D: arena.alloc(padded(V)),
      DN: arena.alloc(padded(V)),
      BSUM: arena.alloc(padded(M)),
      LIQUID: this.liquidPossible ? arena.alloc(matrix) : 0,
    };
    const scratchAt = arena.alloc(scratch);
    const f = arena.f64;
    const h = this.job / 8;
    f.fill(0, h, h + R_SLOTS);
    let flags = 0;
    if (num.f32) flags |= RF.F32;
    if (num.degenerate === 'arm') flags |= RF.DEGENERATE_ARM;
    if (num.nonFinite === 'torch') flags |= RF.NONFINITE_TORCH;
    if (num.legacyConsensus) flags |= RF.LEGACY_CONSENSUS;
    if (this.liquidPossible) flags |= RF.LIQUID_ALPHA;
    if (cfg.winnerTakesAll) flags |= RF.WINNER_TAKES_ALL;
    f[h + R.VERSION] = VERSION_CODE[version];
    f[h + R.FLAGS] = flags;
    f[h + R.V] = V;
    f[h + R.M] = M;
    f[h + R.BLOCK_ROWS] = block ? Math.min(block.validators, V) : V;
    f[h + R.BLOCK_COL0] = block ? Math.max(0, M - block.servers) : 0;
    f[h + R.KAPPA] = cfg.kappa;
    f[h + R.BOND_PENALTY] = cfg.bondPenalty;
    f[h + R.BOND_MOVING_AVG] = cfg.bondMovingAvg;
    f[h + R.ALPHA_LOW] = cfg.alphaLow;
    f[h + R.ALPHA_HIGH] = cfg.alphaHigh;
    f[h + R.STEEPNESS] = cfg.alphaSigmoidSteepness;
    f[h + R.DECAY_RATE] = cfg.decayRate;
    f[h + R.CAPACITY_ALPHA] = cfg.capacityAlpha;
    f[h + R.CONSENSUS_PRECISION] = cfg.consensusPrecision;
    f[h + R.LA_MODE] = LA_MODE_CODE[cfg.liquidAlphaConsensusMode];
    f[h + R.S] = this.out.S;
    f[h + R.OUT_P] = this.out.P;
    f[h + R.OUT_R] = this.out.R;
    f[h + R.OUT_I] = this.out.I;
    f[h + R.OUT_T] = this.out.T;
    f[h + R.OUT_TV] = this.out.TV;
    f[h + R.OUT_D] = this.out.D;
    f[h + R.OUT_DN] = this.out.DN;
    f[h + R.OUT_BSUM] = this.out.BSUM;
    f[h + R.OUT_LIQUID] = this.out.LIQUID;
    f[h + R.SCRATCH] = scratchAt;
  }

  /** Bytes of Wasm memory this case's instance holds (a `YumaRun`'s own instance: all of it is the run's). */
  get memoryBytes(): number {
    return this.a.memoryBytes;
  }

  /**
   * For a case with an instance of its own, about to be dropped: detaches every view of its memory handed out
   * so far (a Wasm memory's grow, even by 0 pages, detaches its buffer; the views then have length 0), so none
   * reads memory the case no longer owns. The memory itself goes with the instance at the next collection.
   */
  detachViews(): void {
    this.k.memory.grow(0);
  }

  /** The V×M matrices' element view over this case's memory (f64, or f32 in float32 epochs). */
  private mat(): Float64Array | Float32Array {
    return this.f32 ? new Float32Array(this.k.memory.buffer) : this.a.f64;
  }

  /** Element index of a byte offset in `mat()`. */
  private at(bytes: number): number {
    return this.f32 ? bytes / 4 : bytes / 8;
  }

  /** Zeroes one server column of the bond state the next epoch reads (the simulator's bond reset). */
  resetColumn(column: number): void {
    if (!this.hasState) return;
    const f = this.mat();
    const b = this.at(this.B);
    for (let v = 0; v < this.V; v++) f[b + v * this.M + column] = 0;
  }

  /**
   * One epoch on raw weights and stakes. `given`: the caller's state (single-epoch API), copied in; absent:
   * the state the previous epoch of this case left in Wasm memory. `W` and `given.B` must be the readers'
   * private copies: they receive the normalised weights and the new bonds (no fresh V×M arrays for those).
   */
  run(W: Float64Array, S: Float64Array, given?: GivenState): KernelOutput {
    const { V, M, version } = this;
    const N = V * M;
    const h = this.job / 8;
    const cur = this.cur;
    const nxt = 1 - cur;
    const wAt = this.Wbuf[nxt];
    let prevWeight = this.prevWeight;
    if (given) prevWeight = given.Wprev && version === 'yuma2b' ? given.Wprev : null;
    // The readers refuse negative and non-finite weights first, so this is a weight beyond float32's range
    // (precision 'f32'); the state is untouched (B_NEW is the other buffer).
    if (!this.kernel(W, S, given)) throw badWeight(W, this.f32);
    const f = this.a.f64;
    const mat = this.mat();
    const o = this.out;
    // subarray().slice(): a copy at memcpy speed (slice on the whole-memory view takes a slow path in V8).
    const vec = (at: number, n: number) => f.subarray(at / 8, at / 8 + n).slice();
    // A matrix out as f64 (float32 values widened); into the readers' copies where there are: already-touched
    // memory, where a fresh 8 MB array would cost page faults and GC.
    const into = (dst: Float64Array | null, at: number, n: number) => {
      const src = mat.subarray(this.at(at), this.at(at) + n);
      if (dst === null || dst.length !== n) return this.f32 ? Float64Array.from(src) : (src as Float64Array).slice();
      dst.set(src);
      return dst;
    };
    const weight = into(W, wAt, N);
    const stake = vec(o.S, V);
    const C = vec(this.Cbuf[nxt], M);
    const bonds = into(given?.B ?? null, this.B, N);
    const liquidRan = f[h + R.LIQUID_RAN] !== 0;
    const base = version === 'yuma2b' && prevWeight !== null ? prevWeight : weight;
    const result: KernelOutput = { ...this.outputs(vec, weight, stake, C, bonds), consensusClippedWeight: () => clipped(base, C, V, M) };
    const liquid = liquidRan && o.LIQUID !== 0 ? into(null, o.LIQUID, N) : null;
    if (version === 'yuma1' || version === 'yuma2' || version === 'yuma2b') {
      const p = bondPurchase(base, C, stake, V, M, this.cfg, this.f32);
      Object.assign(result, purchaseOutputs(p, purchaseDivisor(version, vec(o.BSUM, M), this.f32)));
      result.validatorEmaBond = bonds;
      result.alpha = liquid ?? (version === 'yuma1' ? 1 : 1 - this.cfg.bondMovingAvg);
    }
    if (liquid) result.liquidAlpha = liquid;
    this.prevWeight = weight;
    return result;
  }

  /**
   * Copies one epoch's raw weights (f64 or f32, converted by the copy; in float32 epochs rounded to float32 as
   * `torch.tensor` stores them) and stakes into Wasm memory, runs the kernel and, when it accepts the weights,
   * makes the new state current. Returns false (state untouched: the kernel writes the new bonds and consensus
   * into the other buffers) when a weight is negative or not finite (in float32 epochs: beyond float32's
   * range): the kernel's own check, so callers that copy a flat array in need not scan it first.
   * `checkTotal` (YumaRun.epoch, whose stakes are checked finite and ≥ 0 but not yet for float32's range or a
   * positive total): those checks ride on the copy of the stakes into Wasm memory, one pass over them instead of
   * three — the float32 range here, then the total of the values copied (in float32 epochs the float32 values),
   * named by `checkStakeTotal` when it is not positive — before anything is written but this epoch's own weight
   * buffer and the stake output region (the views a refused epoch overwrites).
   */
  kernel(W: Float64Array | Float32Array, S: Float64Array, given?: GivenState, checkTotal = false): boolean {
    const { version } = this;
    const f = this.a.f64;
    const mat = this.mat();
    const h = this.job / 8;
    const cur = this.cur;
    const nxt = 1 - cur;
    const round = this.f32;
    if (round) {
      if (!checkTotal) fitsF32(S, 'stakes');
      if (given?.B) fitsF32(given.B, 'bondsOld');
      if (given?.C) fitsF32(given.C, 'consensusOld');
      if (given?.Wprev) fitsF32(given.Wprev, 'weightsPrev');
    }
    // The raw weights: read where they are when the caller filled `inputView`; f64 for a float32 epoch rounded
    // in Wasm, a chunk at a time through the staging buffer (the copy stays in cache); else copied as they are.
    let wIn = 0;
    const N = this.V * this.M;
    if (this.Win !== 0 && W.buffer === this.k.memory.buffer && W.byteOffset === this.Win && W.length === N && (this.f32 ? W instanceof Float32Array : W instanceof Float64Array)) {
      wIn = this.Win;
    } else if (round && W instanceof Float64Array) {
      const w0 = this.Wbuf[nxt];
      for (let i = 0; i < N; i += STAGE) {
        const n = Math.min(STAGE, N - i);
        f.set(W.subarray(i, i + n), this.W64 / 8);
        this.k.researchToF32(w0 + i * 4, this.W64, n);
      }
    } else {
      mat.set(W, this.at(this.Wbuf[nxt]));
    }
    f[h + R.W_IN] = wIn;
    const s0 = this.out.S / 8;
    if (checkTotal) {
      let total = 0;
      if (round) {
        for (let v = 0; v < S.length; v++) {
          const x = Math.fround(S[v]);
          f[s0 + v] = x;
          total += x;
        }
        // The stakes are finite, so a total of at most 2²⁴ float32 values reaches ∞ only through one that rounded to ∞.
        if (total === Infinity) fitsF32(S, 'stakes');
      } else {
        for (let v = 0; v < S.length; v++) {
          const x = S[v];
          f[s0 + v] = x;
          total += x;
        }
      }
      // The same sum in the same order as checkStakeTotal's, which names the error.
      if (!(total > 0)) checkStakeTotal(S, 'stakes', round);
    } else if (round) for (let v = 0; v < S.length; v++) f[s0 + v] = Math.fround(S[v]);
    else f.set(S, s0);
    let bOld = 0;
    let cOld = 0;
    let wPrev = 0;
    if (given) {
      if (given.B) mat.set(given.B, this.at((bOld = this.B)));
      if (given.C) {
        const c0 = (cOld = this.Cbuf[cur]) / 8;
        if (round) for (let m = 0; m < given.C.length; m++) f[c0 + m] = Math.fround(given.C[m]);
        else f.set(given.C, c0);
      }
      if (given.Wprev && version === 'yuma2b') mat.set(given.Wprev, this.at((wPrev = this.Wbuf[cur])));
    } else if (this.hasState) {
      bOld = this.B;
      cOld = version === 'yuma2c' ? 0 : this.Cbuf[cur];
      wPrev = version === 'yuma2b' ? this.Wbuf[cur] : 0;
    }
    f[h + R.W] = this.Wbuf[nxt];
    f[h + R.B_OLD] = bOld;
    f[h + R.B_NEW] = this.B;
    f[h + R.C_OLD] = cOld;
    f[h + R.W_PREV] = wPrev;
    f[h + R.OUT_C] = this.Cbuf[nxt];
    this.k.researchEpoch(this.job);
    if (this.a.f64[h + R.STATUS] !== STATUS_OK) return false;
    this.cur = nxt;
    this.hasState = true;
    return true;
  }

  /**
   * The current epoch's outputs as views into Wasm memory (no copies): valid until this case's next `kernel`
   * call; only the vectors, the normalised weights and the bond state.
   */
  views(): WasmViews<Float64Array | Float32Array> {
    const f = this.a.f64;
    const mat = this.mat();
    const { V, M } = this;
    const view = (at: number, n: number) => f.subarray(at / 8, at / 8 + n);
    const matrix = (at: number) => mat.subarray(this.at(at), this.at(at) + V * M);
    return this.outputs(view, matrix(this.Wbuf[this.cur]), view(this.out.S, V), view(this.Cbuf[this.cur], M), matrix(this.B));
  }

  /**
   * A run's own input buffer (V×M, the matrices' type) as a view: weights written into it and passed to
   * `kernel` are read in place, with no copy. The kernel copies them into its weight buffer as it normalises,
   * so the view keeps what the caller wrote. Null for cases without one.
   */
  inputView(): Float64Array | Float32Array | null {
    if (this.Win === 0) return null;
    const mat = this.mat();
    return mat.subarray(this.at(this.Win), this.at(this.Win) + this.V * this.M);
  }

  /**
   * The outputs every version has, the vectors read from the kernel's output regions by `read` (a copy for
   * `run`, a view for `views`); the weights, stakes, consensus and bonds as the caller placed them.
   */
  private outputs<Mat extends Float64Array | Float32Array>(read: (at: number, n: number) => Float64Array, weight: Mat, stake: Float64Array, C: Float64Array, bonds: Mat): WasmViews<Mat> {
    const { V, M, version } = this;
    const o = this.out;
    const r: WasmViews<Mat> = {
      weight,
      stake,
      serverPrerank: read(o.P, M),
      serverConsensusWeight: C,
      serverRank: read(o.R, M),
      serverIncentive: read(o.I, M),
      validatorBonds: bonds,
      validatorReward: read(o.D, V),
      validatorRewardNormalized: read(o.DN, V),
      degenerateConsensus: this.a.f64[this.job / 8 + R.DEGENERATE] !== 0,
    };
    if (version !== 'yuma3' && version !== 'yuma3-liquid') {
      r.serverTrust = read(o.T, M);
      r.validatorTrust = read(o.TV, V);
    }
    return r;
  }
}

/**
 * One epoch's outputs as views into a case's Wasm memory (matrices flat, row-major: Float64Array, or
 * Float32Array in float32 epochs).
 */
export interface WasmViews<Mat extends Float64Array | Float32Array = Float64Array> {
  /** `weight`: the row-normalised weights, V×M flat. */
  weight: Mat;
  /** `stake`: the stakes normalised to sum 1. */
  stake: Float64Array;
  /** `server_prerank`: stake-weighted sum of weights per server. */
  serverPrerank: Float64Array;
  /** `server_consensus_weight`: the κ-quantile of each server's column by stake. */
  serverConsensusWeight: Float64Array;
  /** `server_rank`: stake-weighted sum of the clipped weights per server. */
  serverRank: Float64Array;
  /** `server_incentive`: the rank normalised (or all to the top servers with `winnerTakesAll`). */
  serverIncentive: Float64Array;
  /** Yuma 1, 2, 2B, 2C: `server_trust`. */
  serverTrust?: Float64Array;
  /** Yuma 1, 2, 2B, 2C: `validator_trust`. */
  validatorTrust?: Float64Array;
  /** The bond state the next epoch reads, V×M flat. */
  validatorBonds: Mat;
  /** `validator_reward`: each validator's dividend before normalisation. */
  validatorReward: Float64Array;
  /** `validator_reward_normalized`: dividends normalised to sum 1 (+1e-6 in the denominator). */
  validatorRewardNormalized: Float64Array;
  /** Every column's consensus was 0 (see `YumaOptions.degenerateConsensus`). */
  degenerateConsensus: boolean;
}

/** The kernels' e^x over `xs` (pairs through the vector code, an odd last entry through the scalar one); for tests. */
export function researchExpMap(xs: Float64Array): Float64Array {
  const { k, arena } = module();
  arena.reset();
  const at = arena.alloc(padded(xs.length));
  arena.f64.set(xs, at / 8);
  k.researchExpMap(at, xs.length);
  return arena.f64.subarray(at / 8, at / 8 + xs.length).slice();
}

/**
 * The error for the first entry the kernel refused (its check: 0 ≤ w < ∞, after rounding to float32 in
 * float32 epochs), named as the readers name it.
 */
export function badWeight(w: Float64Array | Float32Array, f32: boolean): YumaError {
  for (let i = 0; i < w.length; i++) {
    const x = w[i];
    if (Number.isNaN(x) || x === Infinity || x === -Infinity) return new YumaError('E_NAN', `weights[${i}] is ${x}`);
    if (x < 0) return new YumaError('E_RANGE', `weights[${i}] is negative (${x})`);
    if (f32 && x > F32_MAX && Math.fround(x) === Infinity) return new YumaError('E_RANGE', `weights[${i}] (${x}) exceeds float32's range (precision 'f32')`);
  }
  return new YumaError('E_STATE', 'the research kernel refused the weights but no entry is negative or non-finite');
}

/** Float32 epochs: every entry must have a float32 value (E_RANGE names the first that rounds to ∞). */
function fitsF32(x: Float64Array, name: string): void {
  for (let i = 0; i < x.length; i++) {
    if (Math.fround(x[i]) === Infinity) throw new YumaError('E_RANGE', `${name}[${i}] (${x[i]}) exceeds float32's range (precision 'f32')`);
  }
}
