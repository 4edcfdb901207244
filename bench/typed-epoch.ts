import { YumaError } from '../src/errors.js';
import { ALL_SPARSE_RULES } from '../src/epoch/path-rules.js';
import type { PreparedEpoch } from '../src/epoch/prepare.js';
import { allocRawResult, type RawEpochResult } from '../src/epoch/result.js';
import { U64_MAX } from '../src/units.js';

/**
 * The benchmark's "plain typed-array JS" baseline: the sparse-path epoch written the way a competent JS developer
 * would write it without Wasm — dense f64 `n·n` matrices, one loop per step, the chain's pivot search for the
 * median, no sparsity tricks and no SIMD. It is honest (same outputs as the chain within the float tolerance,
 * checked against the conformance data in test/baseline-typed.test.ts), not a strawman; it is not part of the
 * public API.
 */

/** Scratch reused across calls of the same size, as a performance-minded JS implementation would do. */
interface Scratch {
  n: number;
  w: Float64Array;
  wPresent: Uint8Array;
  clipped: Float64Array;
  clippedPresent: Uint8Array;
  wb: Float64Array;
  wbPresent: Uint8Array;
  bonds: Float64Array;
  ema: Float64Array;
  emaPresent: Uint8Array;
  delta: Float64Array;
  colSum: Float64Array;
  order: number[];
  medStake: Float64Array;
  medScore: Float64Array;
  medCur: Int32Array;
  medLower: Int32Array;
  medUpper: Int32Array;
}

let scratch: Scratch | null = null;

function getScratch(n: number): Scratch {
  if (scratch && scratch.n === n) return scratch;
  const nn = n * n;
  scratch = {
    n,
    w: new Float64Array(nn),
    wPresent: new Uint8Array(nn),
    clipped: new Float64Array(nn),
    clippedPresent: new Uint8Array(nn),
    wb: new Float64Array(nn),
    wbPresent: new Uint8Array(nn),
    bonds: new Float64Array(nn),
    ema: new Float64Array(nn),
    emaPresent: new Uint8Array(nn),
    delta: new Float64Array(nn),
    colSum: new Float64Array(n),
    order: Array.from({ length: n }, (_, i) => i),
    medStake: new Float64Array(n),
    medScore: new Float64Array(n),
    medCur: new Int32Array(n),
    medLower: new Int32Array(n),
    medUpper: new Int32Array(n),
  };
  return scratch;
}

const SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/**
 * Block numbers as f64 for the n² outdated/commit comparisons. Exact while every value is ≤ 2^53; past that the
 * values are replaced by their rank among all block numbers of the epoch, which keeps every comparison exact.
 */
function blockNumbers(p: PreparedEpoch): { lu: Float64Array; reg: Float64Array; commit: Float64Array | null } {
  const n = p.n;
  const sources: BigUint64Array[] = [p.lastUpdate, p.blockAtRegistration];
  if (p.commitBlocks) sources.push(p.commitBlocks);
  let safe = true;
  for (const s of sources) for (let i = 0; i < n; i++) if (s[i] > SAFE) safe = false;
  let toNum: (v: bigint) => number = Number;
  if (!safe) {
    const all = [...new Set(sources.flatMap((s) => Array.from(s)))].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    const rank = new Map(all.map((v, k) => [v, k] as const));
    toNum = (v) => rank.get(v)!;
  }
  const conv = (s: BigUint64Array) => Float64Array.from(s, toNum);
  return { lu: conv(p.lastUpdate), reg: conv(p.blockAtRegistration), commit: p.commitBlocks ? conv(p.commitBlocks) : null };
}

/** `floor(x · 65535)` clamped to u16 — the chain's `fixed_proportion_to_u16`. */
function toU16(x: number): number {
  const v = Math.floor(x * 65535);
  return v < 0 ? 0 : v > 65535 ? 65535 : v;
}

function toRao(share: number, rao: number): bigint {
  const v = Math.floor(share * rao);
  if (!(v > 0)) return 0n;
  const b = BigInt(v);
  return b > U64_MAX ? U64_MAX : b;
}

const TWO32 = 2 ** 32;

/** The chain's I32F32 `inplace_normalize` of values on the 2^-32 grid: floor(x·2^32/Σx)·2^-32 (exact in f64). */
function fixedNormalizeInPlace(v: Float64Array): void {
  let sum = 0n;
  for (let i = 0; i < v.length; i++) sum += BigInt(v[i] * TWO32);
  if (sum === 0n) return;
  for (let i = 0; i < v.length; i++) v[i] = Number((BigInt(v[i] * TWO32) << 32n) / sum) / TWO32;
}

function normalizeInPlace(v: Float64Array): void {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i];
  if (s !== 0) for (let i = 0; i < v.length; i++) v[i] /= s;
}

/** Divides every column by its sum (columns summing to 0 are left alone). */
function colNormalizeInPlace(m: Float64Array, n: number, colSum: Float64Array): void {
  colSum.fill(0);
  for (let i = 0; i < n; i++) {
    const row = i * n;
    for (let j = 0; j < n; j++) colSum[j] += m[row + j];
  }
  for (let j = 0; j < n; j++) colSum[j] = colSum[j] !== 0 ? 1 / colSum[j] : 0;
  for (let i = 0; i < n; i++) {
    const row = i * n;
    for (let j = 0; j < n; j++) if (colSum[j] !== 0) m[row + j] *= colSum[j];
  }
}

/**
 * The chain's deterministic weighted median (mid-index pivot, ties excluded from both sides, strict `<` to go
 * lower and `<=` to go upper). `stake`/`score` are indexed 0..m−1.
 */
function weightedMedian(s: Scratch, m: number, minority: number, total: number): number {
  const { medStake: stake, medScore: score } = s;
  let cur = s.medCur;
  let lower = s.medLower;
  let upper = s.medUpper;
  for (let k = 0; k < m; k++) cur[k] = k;
  let len = m;
  let lo = 0;
  let hi = total;
  for (let steps = 0; steps <= m; steps++) {
    if (len === 0) return 0;
    if (len === 1) return score[cur[0]];
    const pivot = score[cur[len >> 1]];
    let nl = 0;
    let nu = 0;
    let lowStake = 0;
    let highStake = 0;
    for (let k = 0; k < len; k++) {
      const idx = cur[k];
      const v = score[idx];
      if (v < pivot) {
        lowStake += stake[idx];
        lower[nl++] = idx;
      } else if (v > pivot) {
        highStake += stake[idx];
        upper[nu++] = idx;
      }
    }
    if (minority < lo + lowStake && nl > 0) {
      hi = lo + lowStake;
      const t = cur;
      cur = lower;
      lower = t;
      len = nl;
    } else if (hi - highStake <= minority && nu > 0) {
      lo = hi - highStake;
      const t = cur;
      cur = upper;
      upper = t;
      len = nu;
    } else {
      return pivot;
    }
  }
  return 0;
}

/** Liquid-alpha v2 per-entry EMA factor (`alpha_sigmoid`), in f64. */
function alphaSigmoid(c: number, w: number, b: number, low: number, high: number, steepness: number): number {
  const clamp01 = (x: number) => (x < 0 ? 0 : x > 1 ? 1 : x);
  const d = w >= b ? clamp01(w - c) : clamp01(b - w);
  let x = (steepness / -100) * (d - 0.5);
  x = x < -20 ? -20 : x > 20 ? 20 : x;
  const sigma = 1 / (1 + Math.exp(x));
  const a = low + sigma * (high - low);
  return a > high ? high : a < low ? low : a;
}

/** One epoch on the chain's sparse path (`epoch_mechanism`), dense f64 arithmetic. */
export function typedEpoch(p: PreparedEpoch): RawEpochResult {
  if (p.pathRules !== ALL_SPARSE_RULES) throw new YumaError('E_ARG', 'the typed-array baseline implements the sparse path only');
  const n = p.n;
  const out = allocRawResult(n);
  if (n === 0) return out;
  const h = p.hyper;
  const s = getScratch(n);
  const nn = n * n;
  const owner = p.ownerUid;

  // Activity (per UID, u64 saturating add as the chain does).
  const cutoff = BigInt(h.activityCutoff);
  const active = out.active;
  for (let i = 0; i < n; i++) {
    const until = p.lastUpdate[i] + cutoff;
    active[i] = (until > U64_MAX ? U64_MAX : until) < p.currentBlock ? 0 : 1;
  }
  const { lu, reg, commit } = blockNumbers(p);
  const lastTempo = p.lastStepBlock === 0n
    ? (p.currentBlock > BigInt(p.tempo) ? p.currentBlock - BigInt(p.tempo) : 0n)
    : p.lastStepBlock + 1n;
  const recent = new Uint8Array(n);
  for (let j = 0; j < n; j++) recent[j] = lastTempo <= p.blockAtRegistration[j] ? 1 : 0;

  // Stake: threshold filter (owner exempt), then the chain's I32F32 share floor(s·2^32/Σs) (exact as an f64), which
  // decides permits, ties and the median's voters as on chain.
  const filtered = new BigUint64Array(n);
  let stakeSum = 0n;
  for (let i = 0; i < n; i++) {
    const v = p.stake[i];
    filtered[i] = i !== owner && v < h.stakeThreshold ? 0n : v;
    stakeSum += filtered[i];
  }
  const stake = new Float64Array(n);
  if (stakeSum !== 0n) for (let i = 0; i < n; i++) stake[i] = Number((filtered[i] << 32n) / stakeSum) / TWO32;

  // Permits: previous (owner forced where the vector reaches it) and new top-k of non-zero stake.
  const prevPermit = new Uint8Array(p.validatorPermit);
  if (owner >= 0 && owner < p.permitLength) prevPermit[owner] = 1;
  const newPermit = out.validatorPermit;
  for (let i = 0; i < n; i++) newPermit[i] = stake[i] !== 0 ? 1 : 0;
  const k = h.maxAllowedValidators;
  if (n >= k) {
    const order = s.order;
    for (let i = 0; i < n; i++) order[i] = i;
    order.sort((a, b) => stake[a] - stake[b]); // stable: ties evict the lower uid first
    for (let r = 0; r < n - k; r++) newPermit[order[r]] = 0;
  }
  if (owner >= 0) newPermit[owner] = 1;

  // Active stake: inactive and (when the permit vector is non-empty) unpermitted UIDs masked, normalised.
  const activeStake = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const masked = !active[i] || (p.permitLength > 0 && !prevPermit[i]);
    activeStake[i] = masked ? 0 : stake[i];
  }
  fixedNormalizeInPlace(activeStake);

  // Weights: mask rows without permit, the diagonal (owner keeps its own), outdated and commit-masked entries;
  // row-normalise.
  const { w, wPresent } = s;
  const present = p.weightsPresent;
  const weightsIn = p.weights;
  for (let i = 0; i < n; i++) {
    const row = i * n;
    const rowKept = prevPermit[i] === 1;
    let sum = 0;
    for (let j = 0; j < n; j++) {
      const keep = rowKept && present[row + j] === 1 && (i !== j || i === owner) && !(lu[i] <= reg[j]) &&
        !(commit !== null && commit[i] < reg[j]);
      wPresent[row + j] = keep ? 1 : 0;
      const v = keep ? weightsIn[row + j] : 0;
      w[row + j] = v;
      sum += v;
    }
    // the chain's I32F32 row normalisation floor(w·2^32/Σw)·2^-32 (the f64 quotient's floor; exact but for quotients
    // that round onto an integer, see src/reference/float/grid.ts)
    if (sum > 0) for (let j = 0; j < n; j++) w[row + j] = Math.floor((w[row + j] / sum) * TWO32) / TWO32;
  }

  // Consensus: per column, stake-weighted median over validators with positive active stake.
  // The voters' stakes renormalised in I32F32 and kept as integers (ulps): their sums are exact, so every
  // partition choice is the chain's.
  let m = 0;
  const voters = new Int32Array(n);
  for (let i = 0; i < n; i++) if (activeStake[i] > 0) voters[m++] = i;
  for (let q = 0; q < m; q++) s.medStake[q] = activeStake[voters[q]];
  fixedNormalizeInPlace(s.medStake.subarray(0, m));
  let uSum = 0;
  for (let q = 0; q < m; q++) { s.medStake[q] *= TWO32; uSum += s.medStake[q]; }
  const minority = uSum - Math.floor((h.kappa / 65535) * TWO32);
  const consensus = out.consensusF;
  for (let j = 0; j < n; j++) {
    if (m === 0) { consensus[j] = 0; continue; }
    for (let q = 0; q < m; q++) s.medScore[q] = w[voters[q] * n + j];
    consensus[j] = weightedMedian(s, m, minority, uSum);
  }

  // Clip at consensus (a weight above a zero consensus is dropped), validator trust, rank, incentive.
  const { clipped, clippedPresent } = s;
  const vTrust = out.validatorTrustF;
  const rank = out.rankF;
  const prerank = new Float64Array(n);
  rank.fill(0);
  for (let i = 0; i < n; i++) {
    const row = i * n;
    const a = activeStake[i];
    let vt = 0;
    for (let j = 0; j < n; j++) {
      const v = w[row + j];
      const c = consensus[j];
      let cv = v;
      let cp = wPresent[row + j];
      if (c < v) {
        if (c > 0) cv = c;
        else { cv = 0; cp = 0; }
      }
      clipped[row + j] = cv;
      clippedPresent[row + j] = cp;
      vt += cv;
      rank[j] += a * cv;
      prerank[j] += a * v;
    }
    vTrust[i] = vt;
  }
  const incentive = out.incentiveF;
  incentive.set(rank);
  normalizeInPlace(incentive);
  for (let j = 0; j < n; j++) out.trustF[j] = prerank[j] !== 0 ? rank[j] / prerank[j] : 0;

  // Weights for bonds: W + β·(clipped − W); β = 0 and β = 1 pass a matrix through with its stored entries.
  let { wb, wbPresent } = s;
  if (h.bondsPenalty === 0) {
    wb = w;
    wbPresent = wPresent;
  } else if (h.bondsPenalty === 65535) {
    wb = clipped;
    wbPresent = clippedPresent;
  } else {
    const beta = h.bondsPenalty / 65535;
    for (let x = 0; x < nn; x++) {
      const v = w[x] + beta * (clipped[x] - w[x]);
      wb[x] = v > 0 ? v : 0;
      wbPresent[x] = v > 0 ? 1 : 0;
    }
  }

  // Bonds: previous storage, columns of recently registered UIDs zeroed.
  const { bonds, ema, emaPresent } = s;
  const yuma3 = h.yuma3Enabled;
  const bondsIn = p.bonds;
  for (let i = 0; i < n; i++) {
    const row = i * n;
    for (let j = 0; j < n; j++) {
      const b = recent[j] ? 0 : bondsIn[row + j];
      bonds[row + j] = yuma3 ? b / 65535 : b;
    }
  }
  const alpha = 1 - h.bondsMovingAverage / 1_000_000;
  const dividends = out.dividendsF;
  dividends.fill(0);

  if (yuma3) {
    let anyConsensus = false;
    for (let j = 0; j < n; j++) if (consensus[j] !== 0) anyConsensus = true;
    if (h.liquidAlphaEnabled && anyConsensus) {
      // Per-entry alpha; only the columns the validator still lists survive (the sparse path drops the rest).
      const low = h.alphaLow / 65535;
      const high = h.alphaHigh / 65535;
      for (let x = 0; x < nn; x++) {
        let v = 0;
        if (wbPresent[x]) {
          const j = x % n;
          const a = alphaSigmoid(consensus[j], wb[x], bonds[x], low, high, h.alphaSigmoidSteepness);
          const inc = a * wb[x];
          v = (1 - a) * bonds[x] + (inc > 0 ? inc : 0);
          if (v > 1) v = 1;
        }
        ema[x] = v > 0 ? v : 0;
        emaPresent[x] = v > 0 ? 1 : 0;
      }
    } else {
      for (let x = 0; x < nn; x++) {
        const v = alpha * wb[x] + (1 - alpha) * bonds[x];
        ema[x] = v > 0 ? v : 0;
        emaPresent[x] = v > 0 ? 1 : 0;
      }
    }
    // Dividends: Σⱼ colnorm(EMA)ᵢⱼ · incentiveⱼ, times active stake, normalised.
    const norm = s.delta;
    norm.set(ema);
    colNormalizeInPlace(norm, n, s.colSum);
    for (let i = 0; i < n; i++) {
      const row = i * n;
      let d = 0;
      for (let j = 0; j < n; j++) d += norm[row + j] * incentive[j];
      dividends[i] = d * activeStake[i];
    }
    normalizeInPlace(dividends);
    for (let i = 0; i < n; i++) {
      if (!newPermit[i]) continue;
      const row = i * n;
      for (let j = 0; j < n; j++) {
        out.bonds[row + j] = toU16(ema[row + j]);
        out.bondsPresent[row + j] = emaPresent[row + j];
      }
    }
  } else {
    // Original Yuma: column-normalised bonds, column-normalised ΔB = WB ⊙ active stake, EMA, normalised again.
    colNormalizeInPlace(bonds, n, s.colSum);
    const delta = s.delta;
    for (let i = 0; i < n; i++) {
      const row = i * n;
      const a = activeStake[i];
      // the chain's floored product, in ulps: granular columns (a few ulps) keep the chain's integers
      for (let j = 0; j < n; j++) delta[row + j] = Math.floor(wb[row + j] * a * TWO32);
    }
    colNormalizeInPlace(delta, n, s.colSum);
    for (let x = 0; x < nn; x++) {
      const v = alpha * delta[x] + (1 - alpha) * bonds[x];
      ema[x] = v > 0 ? v : 0;
      emaPresent[x] = v > 0 ? 1 : 0;
    }
    colNormalizeInPlace(ema, n, s.colSum);
    for (let i = 0; i < n; i++) {
      const row = i * n;
      let d = 0;
      for (let j = 0; j < n; j++) d += ema[row + j] * incentive[j];
      dividends[i] = d;
    }
    normalizeInPlace(dividends);
    // Storage form: each column scaled so its largest bond is 1.
    const colMax = s.colSum;
    colMax.fill(0);
    for (let i = 0; i < n; i++) {
      const row = i * n;
      for (let j = 0; j < n; j++) if (ema[row + j] > colMax[j]) colMax[j] = ema[row + j];
    }
    for (let i = 0; i < n; i++) {
      if (!newPermit[i]) continue;
      const row = i * n;
      for (let j = 0; j < n; j++) {
        const v = ema[row + j];
        out.bonds[row + j] = toU16(colMax[j] !== 0 ? v / colMax[j] : v);
        out.bondsPresent[row + j] = emaPresent[row + j];
      }
    }
  }

  // Emission split.
  let emissionSum = 0;
  for (let i = 0; i < n; i++) emissionSum += incentive[i] + dividends[i];
  let activeSum = 0;
  for (let i = 0; i < n; i++) activeSum += activeStake[i];
  const rao = Number(p.raoEmission);
  for (let i = 0; i < n; i++) {
    let server: number;
    let validator: number;
    if (emissionSum !== 0) {
      server = incentive[i] / emissionSum;
      validator = dividends[i] / emissionSum;
    } else {
      server = incentive[i];
      validator = activeSum === 0 ? stake[i] : activeStake[i];
    }
    out.serverEmission[i] = toRao(server, rao);
    out.validatorEmission[i] = toRao(validator, rao);
    out.stakeWeight[i] = toU16(stake[i]);
    out.consensus[i] = toU16(consensus[i]);
    out.incentive[i] = toU16(incentive[i]);
    out.dividends[i] = toU16(dividends[i]);
    out.validatorTrust[i] = toU16(vTrust[i]);
  }
  return out;
}
