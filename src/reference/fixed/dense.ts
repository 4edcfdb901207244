/**
 * Dense-matrix helpers of subtensor's epoch/math.rs as `epoch_dense_mechanism` (the chain's test twin) uses them.
 * Matrices are n×n arrays of I32F32 raw `bigint`s; absent entries are plain zeros.
 */
import { I32F32, ONE, mulChecked, mulSat, safeDiv, satAdd, satSub, wrapAdd } from '../../fixed/substrate-fixed.js';

export type DenseMatrix = bigint[][];

/** `inplace_mask_rows`: rows at or past the mask's end count as masked. */
export function maskRows(forbid: readonly boolean[], m: DenseMatrix): DenseMatrix {
  return m.map((row, i) => (i >= forbid.length || forbid[i] ? row.map(() => 0n) : row.slice()));
}

/** `inplace_mask_diag` (the dense path masks the whole diagonal, owner or not). */
export function maskDiag(m: DenseMatrix): DenseMatrix {
  return m.map((row, i) => row.map((v, j) => (i === j ? 0n : v)));
}

/** `inplace_mask_matrix` with `mask(i, j)`. */
export function maskWhere(m: DenseMatrix, mask: (i: number, j: number) => boolean): DenseMatrix {
  return m.map((row, i) => row.map((v, j) => (mask(i, j) ? 0n : v)));
}

/** `inplace_row_normalize`: wrapping row sum, divide when positive. */
export function rowNormalize(m: DenseMatrix): DenseMatrix {
  return m.map((row) => {
    const s = row.reduce((a, v) => wrapAdd(I32F32, a, v), 0n);
    return s > 0n ? row.map((v) => safeDiv(I32F32, v, s)) : row.slice();
  });
}

/** `inplace_col_normalize`: saturating column sums, divide where non-zero. */
export function colNormalize(m: DenseMatrix): DenseMatrix {
  const n = m[0]?.length ?? 0;
  const sums: bigint[] = new Array(n).fill(0n);
  for (const row of m) row.forEach((v, j) => (sums[j] = satAdd(I32F32, sums[j], v)));
  return m.map((row) => row.map((v, j) => (sums[j] !== 0n ? safeDiv(I32F32, v, sums[j]) : v)));
}

/** `inplace_col_max_upscale`. */
export function colMaxUpscale(m: DenseMatrix): DenseMatrix {
  const n = m[0]?.length ?? 0;
  const max: bigint[] = new Array(n).fill(0n);
  for (const row of m) row.forEach((v, j) => (max[j] < v ? (max[j] = v) : 0));
  return m.map((row) => row.map((v, j) => (max[j] !== 0n ? safeDiv(I32F32, v, max[j]) : v)));
}

/** `inplace_col_clip`: min(w, c). */
export function colClip(m: DenseMatrix, c: readonly bigint[]): DenseMatrix {
  return m.map((row) => row.map((v, j) => (c[j] < v ? c[j] : v)));
}

/** `row_sum` (wrapping). */
export function rowSum(m: DenseMatrix): bigint[] {
  return m.map((row) => row.reduce((a, v) => wrapAdd(I32F32, a, v), 0n));
}

/** `matmul`: r_j = Σ⊕_i (x_i ⊗ m_ij). */
export function matmul(m: DenseMatrix, x: readonly bigint[]): bigint[] {
  const n = m[0]?.length ?? 0;
  const r: bigint[] = new Array(n).fill(0n);
  m.forEach((row, i) => row.forEach((v, j) => (r[j] = satAdd(I32F32, r[j], mulSat(I32F32, x[i] ?? 0n, v)))));
  return r;
}

/** `matmul_transpose`: r_i = Σ⊕_j (m_ij ⊗ x_j). */
export function matmulTranspose(m: DenseMatrix, x: readonly bigint[]): bigint[] {
  return m.map((row) => row.reduce((a, v, j) => satAdd(I32F32, a, mulSat(I32F32, v, x[j])), 0n));
}

/** `interpolate`: ratio 0 → m1, ratio 1 → m2, else m1 ⊕ ratio⊗(m2 ⊖ m1) everywhere. */
export function interpolate(m1: DenseMatrix, m2: DenseMatrix, ratio: bigint): DenseMatrix {
  if (ratio === 0n) return m1.map((r) => r.slice());
  if (ratio === ONE) return m2.map((r) => r.slice());
  return m1.map((row, i) => row.map((a, j) => satAdd(I32F32, a, mulSat(I32F32, ratio, satSub(I32F32, m2[i][j], a)))));
}

/** `row_hadamard`: x_i ⊗ m_ij. */
export function rowHadamard(m: DenseMatrix, x: readonly bigint[]): DenseMatrix {
  return m.map((row, i) => row.map((v) => mulSat(I32F32, x[i], v)));
}

/** `mat_ema`: α⊗new ⊕ (1−α)⊗old, no clamp, every entry kept. */
export function matEma(next: DenseMatrix, old: DenseMatrix, alpha: bigint): DenseMatrix {
  const oneMinus = satSub(I32F32, ONE, alpha);
  return next.map((row, i) => row.map((v, j) => satAdd(I32F32, mulSat(I32F32, alpha, v), mulSat(I32F32, oneMinus, old[i][j]))));
}

/** `mat_ema_alpha`: min(ONE, (ONE ⊖ α)⊗old ⊕ max(0, α⊗new)) everywhere. */
export function matEmaAlpha(next: DenseMatrix, old: DenseMatrix, alpha: bigint[][]): DenseMatrix {
  return next.map((row, i) =>
    row.map((v, j) => {
      const a = alpha[i][j];
      const decayed = mulSat(I32F32, satSub(I32F32, ONE, a), old[i][j]);
      let inc = mulSat(I32F32, a, v);
      if (inc < 0n) inc = 0n;
      const val = satAdd(I32F32, decayed, inc);
      return val > ONE ? ONE : val;
    }),
  );
}

/** `mat_vec_mul`: m_ij × x_j with `checked_mul` (0 on overflow). */
export function matVecMul(m: DenseMatrix, x: readonly bigint[]): DenseMatrix {
  return m.map((row) => row.map((v, j) => mulChecked(I32F32, v, x[j]) ?? 0n));
}
