import { YumaError } from '../errors.js';
import type { LiquidAlphaConsensusMode, YumaConfig, YumaVersion } from './config.js';
import { bisectionConsensus, consensusColumns } from './consensus.js';
import { expDet } from './exp.js';

/** Stakes must sum above 0 as the epoch computes them: in float32 (`f32`), each rounded to float32 first. */
export function checkStakeTotal(S: Float64Array, field: string, f32: boolean): void {
  let total = 0;
  if (f32) for (let i = 0; i < S.length; i++) total += Math.fround(S[i]);
  else for (let i = 0; i < S.length; i++) total += S[i];
  if (!(total > 0)) throw new YumaError('E_RANGE', `${field} sum to 0: stake shares are undefined (the simulator gives NaN everywhere)`);
}

/**
 * The arithmetic of the six simulator functions (`yumas.py`) on flat row-major Float64Arrays. Every
 * intermediate goes through `q`: the identity in f64 mode, `Math.fround` in f32 mode, where one IEEE
 * operation on float32 operands computed in double and rounded once is exactly torch's float32 result.
 * Python scalars meet a float32 tensor as float32 (`q(1 - bondMovingAvg)` is formed in double first, as
 * Python does). Sums: along a row in the lane order of sum64 and its kin below (rows of LANE_MIN or more
 * entries in four interleaved lanes, shorter rows in order; f32 rounds every addition; torch's vectorised
 * reduction differs only in the last bits) — the order of the Wasm kernels (assembly/research), which therefore
 * give the same bits in both precisions; down a column in row order with each partial sum rounded (torch's
 * order). This kernel is the Wasm kernels' reference (test/research-wasm.test.ts); the library runs those.
 */

// The loops over all V×M entries come in two forms: plain double arithmetic, and the same steps through `q`
// (always Math.fround there). A rounding function passed as a variable would make those call sites
// polymorphic as soon as both precisions run in one process, and V8 then runs every f64 loop tens of times
// slower; O(V + M) loops keep the single `q` form.

export const F32_MAX = 3.4028234663852886e38;
/** torch's `.int()` of NaN on x86 (cvttss2si): INT_MIN. */
const INT_MIN = -2147483648;

export interface Numerics {
  f32: boolean;
  /**
   * An epoch whose consensus is 0 in every column leaves C/ΣC = 0/0 undefined. `'x86'` (default): what torch
   * gives on x86, where `.int()` of NaN is INT_MIN, so every consensus is −32768.5 (every server then ranks
   * alike and incentive is split evenly). `'arm'`: what it gives on ARM, where the cast yields 0 (no
   * consensus, no incentive).
   */
  degenerate: 'x86' | 'arm';
  /**
   * `'zero'` (default): validator trust of a validator without weights (0/0 = NaN, or x/0 = ±∞ in Yuma 2B)
   * is 0, so no output is ever NaN or ∞. `'torch'`: keep the simulator's NaN/±∞.
   */
  nonFinite: 'zero' | 'torch';
  /** The bisection consensus (`LEGACY_CONSENSUS=1`) instead of the default sort-based one. */
  legacyConsensus: boolean;
}

const ident = (x: number) => x;

/**
 * Rows at least this long are summed in four lanes: entries m ≡ 0, 1, 2, 3 (mod 4) separately, then
 * (s0 + s2) + (s1 + s3), then the last n mod 4 entries in order; shorter rows in plain order. It is the order
 * of two f64x2 accumulators (f32: one f32x4), the Wasm kernels' order; torch's vectorised sums differ from
 * either only in the last bits.
 */
export const LANE_MIN = 16;

/** Σ x[o .. o+n) in the lane order (f64). */
export function sum64(x: Float64Array, o: number, n: number): number {
  let m = 0;
  let s = 0;
  if (n >= LANE_MIN) {
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    for (; m + 4 <= n; m += 4) {
      s0 += x[o + m];
      s1 += x[o + m + 1];
      s2 += x[o + m + 2];
      s3 += x[o + m + 3];
    }
    s = s0 + s2 + (s1 + s3);
  }
  for (; m < n; m++) s += x[o + m];
  return s;
}

/** sum64 with every addition rounded to float32. */
export function sum32(x: Float64Array, o: number, n: number): number {
  const q = Math.fround;
  let m = 0;
  let s = 0;
  if (n >= LANE_MIN) {
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    for (; m + 4 <= n; m += 4) {
      s0 = q(s0 + x[o + m]);
      s1 = q(s1 + x[o + m + 1]);
      s2 = q(s2 + x[o + m + 2]);
      s3 = q(s3 + x[o + m + 3]);
    }
    s = q(q(s0 + s2) + q(s1 + s3));
  }
  for (; m < n; m++) s = q(s + x[o + m]);
  return s;
}

/** Σ x[o + m]·y[m] in the lane order (f64). */
export function dot64(x: Float64Array, o: number, y: Float64Array, n: number): number {
  let m = 0;
  let s = 0;
  if (n >= LANE_MIN) {
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    for (; m + 4 <= n; m += 4) {
      s0 += x[o + m] * y[m];
      s1 += x[o + m + 1] * y[m + 1];
      s2 += x[o + m + 2] * y[m + 2];
      s3 += x[o + m + 3] * y[m + 3];
    }
    s = s0 + s2 + (s1 + s3);
  }
  for (; m < n; m++) s += x[o + m] * y[m];
  return s;
}

/** dot64 with every product and addition rounded to float32. */
export function dot32(x: Float64Array, o: number, y: Float64Array, n: number): number {
  const q = Math.fround;
  let m = 0;
  let s = 0;
  if (n >= LANE_MIN) {
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    for (; m + 4 <= n; m += 4) {
      s0 = q(s0 + q(x[o + m] * y[m]));
      s1 = q(s1 + q(x[o + m + 1] * y[m + 1]));
      s2 = q(s2 + q(x[o + m + 2] * y[m + 2]));
      s3 = q(s3 + q(x[o + m + 3] * y[m + 3]));
    }
    s = q(q(s0 + s2) + q(s1 + s3));
  }
  for (; m < n; m++) s = q(s + q(x[o + m] * y[m]));
  return s;
}

/** The liquid-alpha block of full (validators + servers) matrices: rows 0..V-1, the last M columns. */
export interface Block {
  validators: number;
  servers: number;
}

/** One epoch's arguments, checked and flattened. */
export interface FlatEpoch {
  V: number;
  M: number;
  /** Raw weights, V×M. */
  W: Float64Array;
  /** Raw stakes, V. */
  S: Float64Array;
  /** Previous bond state (V×M) or null (first epoch). */
  B: Float64Array | null;
  /** Previous consensus (M) or null. */
  C: Float64Array | null;
  /** Yuma 2B: previous row-normalised weights, or null (then the current ones). */
  Wprev: Float64Array | null;
}

export interface KernelInput extends FlatEpoch {
  /** Full-matrix layout for liquid alpha, or null (compact V×M). */
  block: Block | null;
}

/** Every array the Python function returns (only those its version has are set). */
export interface KernelOutput {
  weight: Float64Array;
  stake: Float64Array;
  serverPrerank: Float64Array;
  serverConsensusWeight: Float64Array;
  /** Computed on first use (cheap to rebuild from the weights and the consensus, costly to allocate per epoch). */
  consensusClippedWeight: () => Float64Array;
  serverRank: Float64Array;
  serverIncentive: Float64Array;
  serverTrust?: Float64Array;
  validatorTrust?: Float64Array;
  weightForBond?: () => Float64Array;
  validatorBond?: () => Float64Array;
  validatorEmaBond?: Float64Array;
  /** The bond state the next epoch reads (validator_ema_bond for 1/2/2B, validator_bonds for 2C/3). */
  validatorBonds: Float64Array;
  validatorReward: Float64Array;
  validatorRewardNormalized: Float64Array;
  /** Yuma 1/2/2B: the EMA factor, a scalar, or the per-entry matrix when liquid alpha ran. */
  alpha?: number | Float64Array;
  /** The per-entry liquid alpha, when it ran. */
  liquidAlpha?: Float64Array;
  /** True when every column's consensus was 0 (C/ΣC undefined); see Numerics.degenerate. */
  degenerateConsensus: boolean;
}

export function nanToNum(x: number): number {
  if (x !== x) return 0;
  if (x === Infinity) return F32_MAX;
  if (x === -Infinity) return -F32_MAX;
  return x;
}

export function runKernel(version: YumaVersion, inp: KernelInput, cfg: YumaConfig, num: Numerics): KernelOutput {
  const q = num.f32 ? Math.fround : ident;
  const { V, M } = inp;
  const N = V * M;
  const eps = q(1e-6);

  // === Stake ===
  const S = new Float64Array(V);
  let sTotal = 0;
  for (let v = 0; v < V; v++) sTotal = q(sTotal + inp.S[v]);
  for (let v = 0; v < V; v++) S[v] = q(inp.S[v] / sTotal);

  // === Weight: W / (rowsum + 1e-6), in place (the input reader's private copy becomes the `weight` output),
  // and the prerank P = Σ_v S·W in the same pass ===
  const W = inp.W;
  const rowSumW = new Float64Array(V);
  const P = new Float64Array(M);
  for (let v = 0; v < V; v++) {
    const o = v * M;
    const s = S[v];
    if (num.f32) {
      const den = q(sum32(W, o, M) + eps);
      for (let m = 0; m < M; m++) {
        const x = q(W[o + m] / den);
        W[o + m] = x;
        P[m] = q(P[m] + q(s * x));
      }
      rowSumW[v] = sum32(W, o, M);
    } else {
      const den = sum64(W, o, M) + 1e-6;
      for (let m = 0; m < M; m++) {
        const x = W[o + m] / den;
        W[o + m] = x;
        P[m] += s * x;
      }
      rowSumW[v] = sum64(W, o, M);
    }
  }

  // === Consensus, quantised to u16 steps ===
  const Craw = new Float64Array(M);
  if (num.legacyConsensus) bisectionConsensus(W, S, V, M, cfg.kappa, cfg.consensusPrecision, q, Craw);
  else {
    consensusColumns(W, S, V, M, q(cfg.kappa), num.f32, Craw);
  }
  let cSum = 0;
  for (let m = 0; m < M; m++) cSum = q(cSum + Craw[m]);
  const C = new Float64Array(M);
  const degenerate = !(cSum !== 0);
  for (let m = 0; m < M; m++) {
    let k: number;
    if (degenerate) k = num.degenerate === 'x86' ? INT_MIN : 0;
    else k = Math.trunc(q(q(Craw[m] / cSum) * 65535));
    C[m] = q(k / 65535);
  }

  // === Consensus-clipped weight (Yuma 2B clips the previous epoch's weights), rank and the clipped row sums ===
  const base = version === 'yuma2b' ? (inp.Wprev ?? W) : W;
  const R = new Float64Array(M);
  const rowSumWc = new Float64Array(V);
  const clippedRow = new Float64Array(M);
  for (let v = 0; v < V; v++) {
    const o = v * M;
    const s = S[v];
    for (let m = 0; m < M; m++) {
      const w = base[o + m];
      const c = C[m];
      clippedRow[m] = w < c ? w : c;
    }
    if (num.f32) {
      for (let m = 0; m < M; m++) R[m] = q(R[m] + q(s * clippedRow[m]));
      rowSumWc[v] = sum32(clippedRow, 0, M);
    } else {
      for (let m = 0; m < M; m++) R[m] += s * clippedRow[m];
      rowSumWc[v] = sum64(clippedRow, 0, M);
    }
  }

  // === Incentive ===
  const I = incentive(R, cfg.winnerTakesAll, q, num.f32);

  const out: KernelOutput = {
    weight: W,
    stake: S,
    serverPrerank: P,
    serverConsensusWeight: C,
    consensusClippedWeight: () => clipped(base, C, V, M),
    serverRank: R,
    serverIncentive: I,
    validatorBonds: W, // replaced below
    validatorReward: W,
    validatorRewardNormalized: W,
    degenerateConsensus: degenerate,
  };

  // === Trusts (Yuma 3 computes them but does not return them) ===
  if (version !== 'yuma3' && version !== 'yuma3-liquid') {
    const T = new Float64Array(M);
    for (let m = 0; m < M; m++) T[m] = nanToNum(q(R[m] / P[m]));
    const Tv = new Float64Array(V);
    for (let v = 0; v < V; v++) {
      const t = q(rowSumWc[v] / rowSumW[v]);
      // Zero row: the simulator's 0/0 = NaN (or x/0 = ±∞ in Yuma 2B); the finite rule is 0 (no trust).
      Tv[v] = num.nonFinite === 'torch' || Number.isFinite(t) ? t : 0;
    }
    out.serverTrust = T;
    out.validatorTrust = Tv;
  }

  switch (version) {
    case 'yuma1':
    case 'yuma2':
    case 'yuma2b':
      emaBonds(version, inp, cfg, q, num.f32, W, S, C, base, I, out);
      break;
    case 'yuma2c':
      capacityBonds(inp, cfg, q, num.f32, W, S, I, out);
      break;
    default:
      relativeBonds(inp, cfg, q, num.f32, W, S, C, I, out);
  }
  return out;
}

function incentive(R: Float64Array, wta: boolean, q: (x: number) => number, f32: boolean): Float64Array {
  const M = R.length;
  const I = new Float64Array(M);
  if (!wta) {
    let sum = 0;
    for (let m = 0; m < M; m++) sum = q(sum + R[m]);
    for (let m = 0; m < M; m++) I[m] = nanToNum(q(R[m] / sum));
    return I;
  }
  // Winner takes all: 1/k to each of the k servers whose rank equals the maximum exactly.
  if (M === 0) return I;
  let max = -Infinity;
  for (let m = 0; m < M; m++) if (R[m] > max) max = R[m];
  let k = 0;
  for (let m = 0; m < M; m++) if (R[m] === max) k++;
  if (k === 0) return I;
  const share = f32 ? Math.fround(1 / k) : 1 / k;
  for (let m = 0; m < M; m++) if (R[m] === max) I[m] = share;
  return I;
}

/** Σ_m X[v][m]·I[m] per row, in the lane order. */
function rowDot(X: Float64Array, I: Float64Array, V: number, M: number, f32: boolean): Float64Array {
  const D = new Float64Array(V);
  for (let v = 0; v < V; v++) D[v] = f32 ? dot32(X, v * M, I, M) : dot64(X, v * M, I, M);
  return D;
}

function normalizeRewards(D: Float64Array, q: (x: number) => number, eps: number): Float64Array {
  let sum = 0;
  for (let v = 0; v < D.length; v++) sum = q(sum + D[v]);
  const den = q(sum + eps);
  const out = new Float64Array(D.length);
  for (let v = 0; v < D.length; v++) out[v] = q(D[v] / den);
  return out;
}

/** Column sums in row order, each partial sum rounded. */
function columnSums(X: Float64Array, V: number, M: number, q: (x: number) => number, f32: boolean): Float64Array {
  const out = new Float64Array(M);
  for (let v = 0; v < V; v++) {
    const o = v * M;
    if (f32) for (let m = 0; m < M; m++) out[m] = q(out[m] + X[o + m]);
    else for (let m = 0; m < M; m++) out[m] += X[o + m];
  }
  return out;
}

/**
 * `_compute_liquid_alpha`: per entry, buying (W ≥ B) looks at how far the weight is above consensus,
 * selling at how far the bond is above the weight; a sigmoid of that gap maps into [alphaLow, alphaHigh].
 * Full matrices: computed on the validator × server block only, 0 elsewhere.
 */
function liquidAlpha(W: Float64Array, B: Float64Array | null, C: Float64Array, V: number, M: number, block: Block | null, cfg: YumaConfig, q: (x: number) => number, f32: boolean): Float64Array {
  const A = new Float64Array(V * M);
  const rows = block ? Math.min(block.validators, V) : V;
  const c0 = block ? Math.max(0, M - block.servers) : 0;
  const negSteep = q(-cfg.alphaSigmoidSteepness);
  const low = q(cfg.alphaLow);
  const high = q(cfg.alphaHigh);
  const span = q(cfg.alphaHigh - cfg.alphaLow);
  for (let v = 0; v < rows; v++) {
    const o = v * M;
    for (let m = c0; m < M; m++) {
      const w = W[o + m];
      const b = B ? B[o + m] : 0;
      let a: number;
      if (f32) {
        let d = w >= b ? q(w - C[m]) : q(b - w);
        d = d < 0 ? 0 : d > 1 ? 1 : d;
        const e = q(expDet(q(negSteep * q(d - 0.5))));
        const sig = q(1 / q(1 + e));
        a = q(low + q(sig * span));
      } else {
        let d = w >= b ? w - C[m] : b - w;
        d = d < 0 ? 0 : d > 1 ? 1 : d;
        a = low + span / (1 + expDet(negSteep * (d - 0.5)));
      }
      a = a < low ? low : a > high ? high : a;
      A[o + m] = a;
    }
  }
  return A;
}

/** min(W, C) per entry: the consensus-clipped weights (Yuma 2B: of the previous weights). */
export function clipped(base: Float64Array, C: Float64Array, V: number, M: number): Float64Array {
  const out = new Float64Array(V * M);
  for (let v = 0; v < V; v++) {
    const o = v * M;
    for (let m = 0; m < M; m++) {
      const w = base[o + m];
      const c = C[m];
      out[o + m] = w < c ? w : c;
    }
  }
  return out;
}

export interface BondPurchase {
  base: Float64Array;
  C: Float64Array;
  S: Float64Array;
  V: number;
  M: number;
  keep: number;
  pen: number;
  q: (x: number) => number;
  f32: boolean;
}

/**
 * Per entry W_b = (1 − β)·base + β·min(base, C), and S·W_b. With `den` null: the column sums of S·W_b (into
 * `out`, length M); with `den`: the bonds bought, S·W_b / den per column with NaN → 0 (into `out`, V×M); with
 * `weightsOnly`: W_b itself. One place for the arithmetic the epoch and the lazily built outputs share.
 */
function purchase(p: BondPurchase, out: Float64Array, den: Float64Array | null, weightsOnly = false): void {
  const { base, C, S, V, M, keep, pen, q, f32 } = p;
  for (let v = 0; v < V; v++) {
    const o = v * M;
    const s = S[v];
    for (let m = 0; m < M; m++) {
      const w = base[o + m];
      const c = C[m];
      const wc = w < c ? w : c;
      const wb = f32 ? q(q(keep * w) + q(pen * wc)) : keep * w + pen * wc;
      if (weightsOnly) {
        out[o + m] = wb;
        continue;
      }
      const bp = f32 ? q(s * wb) : s * wb;
      if (den === null) out[m] = f32 ? q(out[m] + bp) : out[m] + bp;
      else out[o + m] = nanToNum(f32 ? q(bp / den[m]) : bp / den[m]);
    }
  }
}

export function bondPurchase(base: Float64Array, C: Float64Array, S: Float64Array, V: number, M: number, cfg: YumaConfig, f32: boolean): BondPurchase {
  const q = f32 ? Math.fround : ident;
  return { base, C, S, V, M, keep: q(1 - cfg.bondPenalty), pen: q(cfg.bondPenalty), q, f32 };
}

/** The divisor of the bonds bought per column: Yuma 1 adds an epsilon to the column sum, Yuma 2 and 2B do not (0/0 becomes 0). */
export function purchaseDivisor(version: YumaVersion, bSum: Float64Array, f32: boolean): Float64Array {
  const q = f32 ? Math.fround : ident;
  const eps = q(1e-6);
  return version === 'yuma1' ? bSum.map((x) => q(x + eps)) : bSum;
}

/** W_b and the bonds bought: outputs the next epoch does not read, rebuilt when first read. */
export function purchaseOutputs(p: BondPurchase, den: Float64Array): { weightForBond: () => Float64Array; validatorBond: () => Float64Array } {
  const N = p.V * p.M;
  return {
    weightForBond: () => {
      const Wb = new Float64Array(N);
      purchase(p, Wb, null, true);
      return Wb;
    },
    validatorBond: () => {
      const B = new Float64Array(N);
      purchase(p, B, den);
      return B;
    },
  };
}

/**
 * Yuma 1 (`YumaRust`), Yuma 2 (`Yuma`) and Yuma 2B: bonds bought with stake on (partly) clipped weights,
 * then an EMA. W_b and the bonds bought are outputs the next epoch does not read: they are rebuilt on demand.
 */
function emaBonds(
  version: 'yuma1' | 'yuma2' | 'yuma2b',
  inp: KernelInput,
  cfg: YumaConfig,
  q: (x: number) => number,
  f32: boolean,
  W: Float64Array,
  S: Float64Array,
  C: Float64Array,
  base: Float64Array,
  I: Float64Array,
  out: KernelOutput,
): void {
  const { V, M } = inp;
  const N = V * M;
  const eps = q(1e-6);
  const p = bondPurchase(base, C, S, V, M, cfg, f32);
  const bSum = new Float64Array(M);
  purchase(p, bSum, null);
  const den = purchaseDivisor(version, bSum, f32);

  let alpha: number | Float64Array = version === 'yuma1' ? 1 : 1 - cfg.bondMovingAvg;
  if (cfg.liquidAlpha && inp.C !== null) alpha = liquidAlpha(W, inp.B, C, V, M, inp.block, cfg, q, f32);

  // The EMA is computed in place over the bonds bought: E starts as B.
  const E = new Float64Array(N);
  purchase(p, E, den);
  if (inp.B !== null) {
    const Bo = inp.B;
    if (typeof alpha === 'number') {
      const a = q(alpha);
      const r = q(1 - alpha);
      if (f32) for (let i = 0; i < N; i++) E[i] = q(q(a * E[i]) + q(r * Bo[i]));
      else for (let i = 0; i < N; i++) E[i] = a * E[i] + r * Bo[i];
    } else {
      for (let i = 0; i < N; i++) {
        const a = alpha[i];
        E[i] = f32 ? q(q(a * E[i]) + q(q(1 - a) * Bo[i])) : a * E[i] + (1 - a) * Bo[i];
      }
    }
  }
  if (version === 'yuma1') {
    // YumaRust renormalises the EMA per column (with the epsilon).
    const eSum = columnSums(E, V, M, q, f32);
    for (let v = 0; v < V; v++) {
      const o = v * M;
      if (f32) for (let m = 0; m < M; m++) E[o + m] = nanToNum(q(E[o + m] / q(eSum[m] + eps)));
      else for (let m = 0; m < M; m++) E[o + m] = nanToNum(E[o + m] / (eSum[m] + eps));
    }
  }
  const D = rowDot(E, I, V, M, f32);
  Object.assign(out, purchaseOutputs(p, den));
  out.validatorEmaBond = E;
  out.validatorBonds = E;
  out.validatorReward = D;
  out.validatorRewardNormalized = normalizeRewards(D, q, eps);
  out.alpha = alpha;
  if (typeof alpha !== 'number') out.liquidAlpha = alpha;
}

/** 2⁶⁴ as the simulator's Yuma2c `maxint` meets a float32 tensor (2⁶⁴ − 1 rounds to it). */
const MAXINT = 18446744073709551616;

/** Yuma 2C: bonds in units of stake × 2⁶⁴, bought up to each validator's remaining capacity, decaying each epoch. */
function capacityBonds(inp: KernelInput, cfg: YumaConfig, q: (x: number) => number, f32: boolean, W: Float64Array, S: Float64Array, I: Float64Array, out: KernelOutput): void {
  const { V, M } = inp;
  const N = V * M;
  const eps = q(1e-6);
  const Bo = inp.B;
  const capA = q(cfg.capacityAlpha);
  const decay = q(1 - cfg.decayRate);
  const B = new Float64Array(N);
  const colSum = new Float64Array(M);
  for (let v = 0; v < V; v++) {
    const cap = q(S[v] * MAXINT);
    const buy = q(capA * cap);
    const o = v * M;
    for (let m = 0; m < M; m++) {
      const old = Bo ? Bo[o + m] : 0;
      let rem = f32 ? q(cap - old) : cap - old;
      if (rem < 0) rem = 0;
      const pc = buy < rem ? buy : rem;
      const b = f32 ? q(q(decay * old) + q(pc * W[o + m])) : decay * old + pc * W[o + m];
      const x = b < cap ? b : cap;
      B[o + m] = x;
      colSum[m] = f32 ? q(colSum[m] + x) : colSum[m] + x;
    }
  }
  const D = bondDividends(B, colSum, I, V, M, q, eps, f32);
  out.validatorBonds = B;
  out.validatorReward = D;
  out.validatorRewardNormalized = normalizeRewards(D, q, eps);
}

/**
 * Σ_m B[v][m]/(colSum[m] + 1e-6) · I[m] per validator: the column-normalised bonds (`B_norm`) weighted by
 * incentive, without materialising B_norm. In f64 the division is folded into one factor per column (0 where
 * the incentive is 0: those terms are exactly 0); f32 keeps torch's two roundings per entry.
 */
function bondDividends(B: Float64Array, colSum: Float64Array, I: Float64Array, V: number, M: number, q: (x: number) => number, eps: number, f32: boolean): Float64Array {
  const out = new Float64Array(V);
  if (f32) {
    const den = colSum.map((c) => q(c + eps));
    const term = new Float64Array(M);
    for (let v = 0; v < V; v++) {
      const o = v * M;
      for (let m = 0; m < M; m++) term[m] = q(B[o + m] / den[m]);
      out[v] = dot32(term, 0, I, M);
    }
    return out;
  }
  const factor = new Float64Array(M);
  for (let m = 0; m < M; m++) factor[m] = I[m] === 0 ? 0 : I[m] / (colSum[m] + eps);
  for (let v = 0; v < V; v++) out[v] = dot64(B, v * M, factor, M);
  return out;
}

const MODE: Record<LiquidAlphaConsensusMode, (c: number, old: number) => number> = {
  CURRENT: (c) => c,
  PREVIOUS: (_c, old) => old,
  MIXED: (c, old) => (c > old ? c : old),
};

/** Yuma 3: per-pair relative bonds in [0, 1] moving by alpha toward the weight; stake enters only the dividends. */
function relativeBonds(inp: KernelInput, cfg: YumaConfig, q: (x: number) => number, f32: boolean, W: Float64Array, S: Float64Array, C: Float64Array, I: Float64Array, out: KernelOutput): void {
  const { V, M } = inp;
  const N = V * M;
  const eps = q(1e-6);
  const Bo = inp.B ?? new Float64Array(N);
  let A: Float64Array | null = null;
  if (cfg.liquidAlpha && inp.C !== null) {
    const pick = MODE[cfg.liquidAlphaConsensusMode];
    const Cold = inp.C;
    const Cl = new Float64Array(M);
    for (let m = 0; m < M; m++) Cl[m] = pick(C[m], Cold[m]);
    A = liquidAlpha(W, Bo, Cl, V, M, inp.block, cfg, q, f32);
  }
  const B = new Float64Array(N);
  const colSum = new Float64Array(M);
  if (A === null) {
    const alpha = 1 - cfg.bondMovingAvg;
    const a = q(alpha);
    const keep = q(1 - alpha);
    for (let v = 0; v < V; v++) {
      const o = v * M;
      for (let m = 0; m < M; m++) {
        const b = f32 ? relativeStep(Bo[o + m], W[o + m], a, keep, q) : relativeStep64(Bo[o + m], W[o + m], a, keep);
        B[o + m] = b;
        colSum[m] = f32 ? q(colSum[m] + b) : colSum[m] + b;
      }
    }
  } else {
    for (let v = 0; v < V; v++) {
      const o = v * M;
      for (let m = 0; m < M; m++) {
        const am = A[o + m];
        const b = f32 ? relativeStep(Bo[o + m], W[o + m], am, q(1 - am), q) : relativeStep64(Bo[o + m], W[o + m], am, 1 - am);
        B[o + m] = b;
        colSum[m] = f32 ? q(colSum[m] + b) : colSum[m] + b;
      }
    }
  }
  const tb = bondDividends(B, colSum, I, V, M, q, eps, f32);
  const D = new Float64Array(V);
  for (let v = 0; v < V; v++) D[v] = q(S[v] * tb[v]);
  out.validatorBonds = B;
  out.validatorReward = D;
  out.validatorRewardNormalized = normalizeRewards(D, q, eps);
  if (A) out.liquidAlpha = A;
}

function relativeStep64(old: number, w: number, a: number, keep: number): number {
  const dec = old * keep;
  let rem = 1 - dec;
  if (rem < 0) rem = 0;
  const inc = a * w;
  const b = dec + (inc < rem ? inc : rem);
  return b > 1 ? 1 : b;
}

function relativeStep(old: number, w: number, a: number, keep: number, q: (x: number) => number): number {
  const dec = q(old * keep);
  let rem = q(1 - dec);
  if (rem < 0) rem = 0;
  const inc = q(a * w);
  const b = q(dec + (inc < rem ? inc : rem));
  return b > 1 ? 1 : b;
}
