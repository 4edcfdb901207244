/**
 * Vector helpers of subtensor's `epoch/math.rs`, on I32F32 raw `bigint`s, for the BigInt reference epoch.
 * Each keeps the chain's sum kind: `iter().sum()` wraps (release build), the explicit `saturating_add` loops clamp.
 */
import { I32F32, safeDiv, wrapAdd, mulChecked } from '../../fixed/substrate-fixed.js';

/** `iter().sum()` of I32F32 values: release-build addition, i.e. wrapping. */
export function sum(x: readonly bigint[]): bigint {
  let s = 0n;
  for (const v of x) s = wrapAdd(I32F32, s, v);
  return s;
}

/** `inplace_normalize`: divide by the (wrapping) sum unless it is zero. */
export function normalize(x: readonly bigint[]): bigint[] {
  return normalizeUsingSum(x, sum(x));
}

/** `inplace_normalize_using_sum`. */
export function normalizeUsingSum(x: readonly bigint[], s: bigint): bigint[] {
  if (s === 0n) return x.slice();
  return x.map((v) => safeDiv(I32F32, v, s));
}

/**
 * `inplace_mask_vector`: an empty mask masks nothing; otherwise index i is zeroed when the mask says so or is too
 * short to say (`unwrap_or(true)`).
 */
export function maskVector(mask: readonly boolean[], x: readonly bigint[]): bigint[] {
  if (mask.length === 0) return x.slice();
  return x.map((v, i) => (i >= mask.length || mask[i] ? 0n : v));
}

/** `is_topk_nonzero`: stable ascending sort by value, the n−k smallest lose; zero never qualifies. */
export function isTopkNonzero(x: readonly bigint[], k: number): boolean[] {
  const n = x.length;
  const result = x.map((v) => v !== 0n);
  if (n < k) return result;
  const idx = Array.from({ length: n }, (_, i) => i);
  idx.sort((a, b) => (x[a] < x[b] ? -1 : x[a] > x[b] ? 1 : a - b));
  for (let t = 0; t < n - k; t++) result[idx[t]] = false;
  return result;
}

/** `vec_mul`: element-wise `checked_mul`, 0 on overflow. */
export function vecMul(a: readonly bigint[], b: readonly bigint[]): bigint[] {
  const len = Math.min(a.length, b.length);
  const out: bigint[] = new Array(len);
  for (let i = 0; i < len; i++) out[i] = mulChecked(I32F32, a[i], b[i]) ?? 0n;
  return out;
}
