/**
 * Sparse-matrix helpers of subtensor's epoch/math.rs as `epoch_mechanism` (the path the chain runs) uses them.
 * A row is a list of `[column, I32F32 raw]` in storage order; which entries exist matters (explicit zeros are kept
 * by some steps and decide, e.g., whether a Yuma3 liquid-alpha bond decays or is dropped).
 */
import { I32F32, ONE, mulSat, safeDiv, satAdd, satSub, wrapAdd } from '../../fixed/substrate-fixed.js';

export type SparseRow = Array<[number, bigint]>;
export type SparseMatrix = SparseRow[];

/** `mask_rows_sparse`: rows at or past the mask's end count as masked. */
export function maskRows(forbid: readonly boolean[], m: SparseMatrix): SparseMatrix {
  return m.map((row, i) => (i >= forbid.length || forbid[i] ? [] : row.slice()));
}

/** `mask_diag_sparse` / `mask_diag_sparse_except_index` (owner < 0: no exception). */
export function maskDiag(m: SparseMatrix, owner: number): SparseMatrix {
  return m.map((row, i) => row.filter(([j]) => i !== j || (i === owner && j === owner)));
}

/** `vec_mask_sparse_matrix`: drop (i, j) where `drop(first[i], second[j])`. */
export function vecMask(
  m: SparseMatrix,
  first: readonly bigint[],
  second: readonly bigint[],
  drop: (a: bigint, b: bigint) => boolean,
): SparseMatrix {
  return m.map((row, i) => row.filter(([j]) => !drop(first[i] ?? 0n, second[j] ?? 0n)));
}

/** `inplace_row_normalize_sparse`: wrapping row sum, divide when positive. */
export function rowNormalize(m: SparseMatrix): SparseMatrix {
  return m.map((row) => {
    let s = 0n;
    for (const [, v] of row) s = wrapAdd(I32F32, s, v);
    return s > 0n ? row.map(([j, v]) => [j, safeDiv(I32F32, v, s)] as [number, bigint]) : row.slice();
  });
}

/** `inplace_col_normalize_sparse`: saturating column sums, divide where the sum is non-zero. */
export function colNormalize(m: SparseMatrix, n: number): SparseMatrix {
  const sums: bigint[] = new Array(n).fill(0n);
  for (const row of m) for (const [j, v] of row) sums[j] = satAdd(I32F32, sums[j], v);
  return m.map((row) => row.map(([j, v]) => [j, sums[j] !== 0n ? safeDiv(I32F32, v, sums[j]) : v] as [number, bigint]));
}

/** `inplace_col_max_upscale_sparse`. */
export function colMaxUpscale(m: SparseMatrix, n: number): SparseMatrix {
  const max: bigint[] = new Array(n).fill(0n);
  for (const row of m) for (const [j, v] of row) if (max[j] < v) max[j] = v;
  return m.map((row) => row.map(([j, v]) => [j, max[j] !== 0n ? safeDiv(I32F32, v, max[j]) : v] as [number, bigint]));
}

/** `col_clip_sparse`: keep w ≤ c; clip to c when c > 0; drop the entry when c ≤ 0 < w. */
export function colClip(m: SparseMatrix, c: readonly bigint[]): SparseMatrix {
  return m.map((row) => {
    const out: SparseRow = [];
    for (const [j, v] of row) {
      const th = c[j] ?? 0n;
      if (th < v) {
        if (th > 0n) out.push([j, th]);
      } else out.push([j, v]);
    }
    return out;
  });
}

/** `row_sum_sparse` (wrapping sum). */
export function rowSum(m: SparseMatrix): bigint[] {
  return m.map((row) => row.reduce((s, [, v]) => wrapAdd(I32F32, s, v), 0n));
}

/** `matmul_sparse`: r_j = Σ⊕_i (x_i ⊗ m_ij), rows in order. */
export function matmul(m: SparseMatrix, x: readonly bigint[], n: number): bigint[] {
  const r: bigint[] = new Array(n).fill(0n);
  m.forEach((row, i) => {
    const s = x[i] ?? 0n;
    for (const [j, v] of row) r[j] = satAdd(I32F32, r[j], mulSat(I32F32, s, v));
  });
  return r;
}

/** `matmul_transpose_sparse`: r_i = Σ⊕_j (x_j ⊗ m_ij). */
export function matmulTranspose(m: SparseMatrix, x: readonly bigint[]): bigint[] {
  return m.map((row) => row.reduce((acc, [j, v]) => satAdd(I32F32, acc, mulSat(I32F32, x[j] ?? 0n, v)), 0n));
}

/**
 * `interpolate_sparse`: ratio 0 → m1 as is, ratio 1 → m2 as is; otherwise m1 + ratio·(m2 − m1) over all n columns,
 * keeping only results > 0, in ascending column order.
 */
export function interpolate(m1: SparseMatrix, m2: SparseMatrix, n: number, ratio: bigint): SparseMatrix {
  if (ratio === 0n) return m1.map((r) => r.slice());
  if (ratio === ONE) return m2.map((r) => r.slice());
  return m1.map((row1, i) => {
    const a: bigint[] = new Array(n).fill(0n);
    const b: bigint[] = new Array(n).fill(0n);
    for (const [j, v] of row1) a[j] = v;
    for (const [j, v] of m2[i]) b[j] = v;
    const out: SparseRow = [];
    for (let j = 0; j < n; j++) {
      const v = satAdd(I32F32, a[j], mulSat(I32F32, ratio, satSub(I32F32, b[j], a[j])));
      if (v > 0n) out.push([j, v]);
    }
    return out;
  });
}

/** `row_hadamard_sparse`: m_ij ⊗ x_i. */
export function rowHadamard(m: SparseMatrix, x: readonly bigint[]): SparseMatrix {
  return m.map((row, i) => row.map(([j, v]) => [j, mulSat(I32F32, v, x[i])] as [number, bigint]));
}

/** `scalar_vec_mask_sparse_matrix`: drop (i, j) where `drop(scalar, vector[j])`. */
export function scalarVecMask(
  m: SparseMatrix,
  scalar: bigint,
  vector: readonly bigint[],
  drop: (a: bigint, b: bigint) => boolean,
): SparseMatrix {
  return m.map((row) => row.filter(([j]) => !drop(scalar, vector[j] ?? 0n)));
}

/** `mat_ema_sparse`: (0 ⊕ α⊗new) ⊕ (1−α)⊗old over the column union, keeping entries > 0 in ascending order. */
export function matEma(next: SparseMatrix, old: SparseMatrix, alpha: bigint): SparseMatrix {
  const n = next.length;
  const oneMinus = satSub(I32F32, ONE, alpha);
  return next.map((row, i) => {
    const acc: bigint[] = new Array(n).fill(0n);
    for (const [j, v] of row) acc[j] = satAdd(I32F32, acc[j], mulSat(I32F32, alpha, v));
    for (const [j, v] of old[i] ?? []) acc[j] = satAdd(I32F32, acc[j], mulSat(I32F32, oneMinus, v));
    const out: SparseRow = [];
    for (let j = 0; j < n; j++) if (acc[j] > 0n) out.push([j, acc[j]]);
    return out;
  });
}

/**
 * `mat_ema_alpha_sparse`: only columns listed in the new row are produced (in its order), as
 * min(ONE, (ONE ⊖ α)⊗old ⊕ max(0, α⊗new)), kept when > 0. An old bond in an unlisted column is dropped — unless
 * `decays(i, j)` says to treat that column as the dense `mat_ema_alpha` does (new value 0, the old bond decayed).
 */
export function matEmaAlpha(
  next: SparseMatrix,
  old: SparseMatrix,
  alpha: bigint[][],
  decays: (i: number, j: number) => boolean = () => false,
): SparseMatrix {
  return next.map((row, i) => {
    const a = alpha[i];
    const m = a.length;
    const decayed: bigint[] = new Array(m).fill(0n);
    for (const [j, v] of old[i]) if (j < m) decayed[j] = mulSat(I32F32, satSub(I32F32, ONE, a[j]), v);
    const listed: Array<bigint | null> = new Array(m).fill(null);
    for (const [j, v] of row) if (j < m) listed[j] = v;
    const out: SparseRow = [];
    for (let j = 0; j < m; j++) {
      const v = listed[j];
      if (v === null && !decays(i, j)) continue;
      let inc = v === null ? 0n : mulSat(I32F32, a[j], v);
      if (inc < 0n) inc = 0n;
      let val = satAdd(I32F32, decayed[j], inc);
      if (val > ONE) val = ONE;
      if (val > 0n) out.push([j, val]);
    }
    return out;
  });
}

/**
 * The (weight, bond) lookup of `compute_liquid_alpha_values_sparse`: forward-only cursors over each row, which
 * find an entry only when rows are in ascending column order (as the chain assumes).
 */
export function cursorLookup(row: SparseRow, n: number): bigint[] {
  const out: bigint[] = new Array(n).fill(0n);
  let k = 0;
  for (let j = 0; j < n; j++) {
    while (k < row.length && row[k][0] < j) k++;
    if (k < row.length && row[k][0] === j) out[j] = row[k][1];
  }
  return out;
}

/** `mat_vec_mul_sparse`: m_ij ⊗ x_j, dropping zero products. */
export function matVecMul(m: SparseMatrix, x: readonly bigint[]): SparseMatrix {
  return m.map((row) => {
    const out: SparseRow = [];
    for (const [j, v] of row) {
      if (j >= x.length) continue;
      const p = mulSat(I32F32, v, x[j]);
      if (p !== 0n) out.push([j, p]);
    }
    return out;
  });
}
