import { fixedShare } from './grid.js';
import type { Mat } from './weights.js';

/**
 * The chain's `weighted_median` literally: a deterministic pivot-at-middle search, not a sort
 * (ported with the chain's math tests; the epoch uses `weightedMedianHeaviestFirst`).
 */
export function weightedMedian(stake: ArrayLike<number>, score: ArrayLike<number>, minority: number, lo: number, hi: number): number {
  return search(stake, score, minority, lo, hi, (cur) => cur[cur.length >> 1]);
}

/**
 * The same search pivoting on the first element of each partition, for scores and stakes given heaviest voter
 * first (`consensus` orders them). Every partition keeps that order, so its first element is its heaviest voter.
 * In exact arithmetic the answer — the score v with stake(< v) ≤ minority < stake(≤ v) — is the chain's whatever
 * the pivot; it is chosen for speed (about 3 rounds a column instead of 5–7 with Pareto-like stakes), and the
 * Wasm float kernel pivots and adds in exactly this order, so the two agree to the bit.
 */
export function weightedMedianHeaviestFirst(stake: ArrayLike<number>, score: ArrayLike<number>, minority: number, lo: number, hi: number): number {
  return search(stake, score, minority, lo, hi, (cur) => cur[0]);
}

/**
 * Each round splits the current partition (in order) into scores below and above the pivot; ties with the pivot
 * go nowhere. The strict `<` and non-strict `<=` tests below decide borderline columns, so they are the chain's
 * literally. Stake sums run in two lanes, even and odd positions of the partition (the kernel's f64x2 order).
 */
function search(stake: ArrayLike<number>, score: ArrayLike<number>, minority: number, lo: number, hi: number, pivotOf: (cur: number[]) => number): number {
  let cur: number[] = Array.from({ length: score.length }, (_, i) => i);
  const limit = cur.length;
  for (let steps = 0; ; ) {
    if (cur.length === 0) return 0;
    if (cur.length === 1) return score[cur[0]];
    const pivot = score[pivotOf(cur)];
    const lower: number[] = [];
    const upper: number[] = [];
    const low = [0, 0];
    const high = [0, 0];
    cur.forEach((i, k) => {
      if (score[i] < pivot) {
        lower.push(i);
        low[k & 1] += stake[i];
      } else if (score[i] > pivot) {
        upper.push(i);
        high[k & 1] += stake[i];
      }
    });
    const lowStake = low[0] + low[1];
    const highStake = high[0] + high[1];
    if (minority < lo + lowStake && lower.length > 0) {
      cur = lower;
      hi = lo + lowStake;
    } else if (hi - highStake <= minority && upper.length > 0) {
      cur = upper;
      lo = hi - highStake;
    } else {
      return pivot;
    }
    steps++;
    if (steps > limit) return 0;
  }
}

/** Rows that vote in the median: positive active stake, in uid order. */
export function votingRows(activeStake: Float64Array): number[] {
  const rows: number[] = [];
  for (let i = 0; i < activeStake.length; i++) if (activeStake[i] > 0) rows.push(i);
  return rows;
}

/**
 * Column-wise stake-weighted median with the chain's I32F32 majority κ = floor(kappa·2^32 / 65535). Validators
 * with stake but no entry vote 0.
 */
export function consensus(activeStake: Float64Array, w: Mat, kappa: number): Float64Array {
  return consensusOfFixedMajority(activeStake, w, (BigInt(kappa) << 32n) / 65535n);
}

/** `consensus` with the majority given as a fraction (the chain's math tests use f32 majorities), rounded to I32F32. */
export function consensusWithMajority(activeStake: Float64Array, w: Mat, majority: number): Float64Array {
  return consensusOfFixedMajority(activeStake, w, BigInt(Math.round(majority * 2 ** 32)));
}

/**
 * The voters' stakes renormalised as on chain, u = floor(a·2^32 / Σa) on the integer active stakes (the epoch's
 * are exact multiples of 2^-32), `minority = Σu − majority`, each column searched over `[0, Σu]` with those
 * integers as stakes. Integers below 2^53 add exactly in f64, so every partition choice is the chain's whatever
 * the pivot or the order of the additions (the f64 scores only order the entries).
 */
function consensusOfFixedMajority(activeStake: Float64Array, w: Mat, majority: bigint): Float64Array {
  const n = w.n;
  const rows = votingRows(activeStake);
  const out = new Float64Array(n);
  if (rows.length === 0) return out;
  const a = rows.map((i) => BigInt(Math.round(activeStake[i] * 2 ** 32)));
  const sum = a.reduce((x, y) => x + y, 0n);
  const uFixed = a.map((x) => fixedShare(x, sum));
  const total = uFixed.reduce((x, y) => x + y, 0n);
  const minority = Number(total - majority);
  const u = uFixed.map(Number);
  // heaviest voter first, equal stakes in uid order (Array.prototype.sort is stable)
  const order = u.map((_, k) => k).sort((x, y) => u[y] - u[x]);
  const stake = order.map((k) => u[k]);
  const score = new Float64Array(rows.length);
  for (let j = 0; j < n; j++) {
    for (let q = 0; q < order.length; q++) score[q] = w.v[rows[order[q]] * n + j];
    out[j] = weightedMedianHeaviestFirst(stake, score, minority, 0, Number(total));
  }
  return out;
}
