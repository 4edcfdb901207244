/**
 * Stake shares in fixed point: units of 2⁻⁶² (`STAKE_UNIT`), each share truncated (`stakeUnits`). Shares sum to
 * about 1, so any set's stake is an exact integer below 2⁶³ and every order of adding gives the same sum: the
 * consensus then depends only on the values, and any algorithm (buckets, lanes, partial sums) gives the same
 * bits. A share below 2⁻⁶² (or the part of one below it) is dropped; it can move a decision only where a
 * partial sum lies within 2⁻⁶² · V of κ, where torch's own cumsum already depends on the order of ties.
 */
export const STAKE_UNIT = 2 ** -62;
const UNITS_PER_ONE = 2 ** 62;
/** 2⁶³ − 1: a threshold no sum of shares reaches (κ ≥ 2). */
const NEVER = (1n << 63n) - 1n;

/** A stake share (≥ 0) in units of 2⁻⁶², truncated. */
export function stakeUnits(s: number): bigint {
  // s · 2⁶² is exact (a power of two); truncation drops only what lies below the unit.
  return BigInt(Math.trunc(s * UNITS_PER_ONE));
}

/**
 * The least stake, in units, that reaches κ. f64: its value is ≥ κ. f32 (κ given as a float32, as torch
 * compares a float32 cumsum with it): its value rounded to float32 (to nearest, ties to even) is ≥ κ — what
 * torch's float32 cumsum of exactly added stakes decides. Every `reached` is then one integer comparison.
 */
export function kappaUnits(kappa: number, f32: boolean): bigint {
  if (!(kappa > 0)) return 0n;
  if (!f32) {
    const x = Math.ceil(kappa * UNITS_PER_ONE);
    return x >= 2 ** 63 ? NEVER : BigInt(x);
  }
  const k = Math.fround(kappa);
  if (k === 0) return 0n;
  const bits = new Uint32Array(Float32Array.of(k).buffer)[0];
  const below = new Float32Array(new Uint32Array([bits - 1]).buffer)[0];
  // Half-way between κ and the float32 below it (exact in a double): sums above it round to κ or higher,
  // sums below it to `below` or lower, and a sum exactly on it rounds to the one whose last bit is 0.
  const mid = ((below + k) / 2) * UNITS_PER_ONE;
  if (mid >= 2 ** 63) return NEVER;
  if (!Number.isInteger(mid)) return BigInt(Math.ceil(mid));
  return (bits & 1) === 0 ? BigInt(mid) : BigInt(mid) + 1n;
}

/**
 * The simulator's consensus weight per server column: sort the column's weights in descending order, add up
 * the stakes in that order, and take the first weight at which the running stake reaches κ
 * (`optimized_compute_consensus_weights`); the largest weight when no prefix reaches κ (torch's argmax of an
 * all-false row is 0). That is max{ w : stake of the validators whose weight is ≥ w reaches κ }. Here the stake
 * sums are exact (`stakeUnits`, `kappaUnits`: f32 compares as torch's float32 cumsum does), so the answer
 * depends on the values only. Among equal weights (0 and −0) the walk takes them in row order, as the Wasm
 * kernel's stable selection does. This is the readable reference; assembly/research/consensus.ts is fast.
 */
export function consensusColumns(W: Float64Array, S: Float64Array, V: number, M: number, kappa: number, f32: boolean, out: Float64Array): void {
  const T = kappaUnits(kappa, f32);
  const units = Array.from(S, stakeUnits);
  let total = 0n;
  for (const u of units) total += u;
  if (total < T) {
    // No prefix reaches κ: the column's largest weight.
    out.fill(-Infinity, 0, M);
    for (let v = 0; v < V; v++) {
      const o = v * M;
      for (let m = 0; m < M; m++) if (W[o + m] > out[m]) out[m] = W[o + m];
    }
    return;
  }
  const col = new Float64Array(V);
  const order = new Uint32Array(V);
  for (let m = 0; m < M; m++) {
    for (let v = 0; v < V; v++) {
      col[v] = W[v * M + m];
      order[v] = v;
    }
    order.sort((a, b) => col[b] - col[a] || a - b);
    let run = 0n;
    for (let i = 0; i < V; i++) {
      run += units[order[i]];
      if (run >= T) {
        out[m] = col[order[i]];
        break;
      }
    }
  }
}

/**
 * The simulator's `LEGACY_CONSENSUS=1` path: per column, bisect [0, 1] until the interval is narrower than
 * 1/precision, keeping the upper end of the interval where strictly more than κ of stake weights above it.
 */
export function bisectionConsensus(
  W: Float64Array,
  S: Float64Array,
  V: number,
  M: number,
  kappa: number,
  precision: number,
  q: (x: number) => number,
  out: Float64Array,
): void {
  const width = 1 / precision;
  for (let m = 0; m < M; m++) {
    let high = 1.0;
    let low = 0.0;
    while (high - low > width) {
      const mid = (high + low) / 2;
      const midQ = q(mid);
      let sum = 0;
      for (let v = 0; v < V; v++) if (W[v * M + m] > midQ) sum = q(sum + S[v]);
      if (sum > kappa) low = mid;
      else high = mid;
    }
    out[m] = q(high);
  }
}
