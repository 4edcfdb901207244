/**
 * Reduction orders shared with the Wasm float kernel. Float sums depend on their order, and a one-ulp change
 * in a stake or a weight can flip a comparison in the weighted median, so the reference and the kernel add in
 * the same order and agree to the bit wherever `exp` is not involved.
 */

/** Σ in index order (vector reductions over UIDs: normalisations, emission sums). */
export function sumInOrder(v: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i];
  return s;
}

/**
 * Σ over a row as the kernel's f64x2 loop computes it: even and odd positions in two accumulators, the odd
 * tail element joins the even lane, the two lanes are added last.
 */
export function sumPairs(len: number, term: (j: number) => number): number {
  let s0 = 0;
  let s1 = 0;
  let j = 0;
  for (; j + 1 < len; j += 2) {
    s0 += term(j);
    s1 += term(j + 1);
  }
  if (j < len) s0 += term(j);
  return s0 + s1;
}

/** `x / Σx` in place when the sum is non-zero (the chain's `inplace_normalize`). */
export function normalizeInPlace(v: Float64Array): Float64Array {
  const s = sumInOrder(v);
  if (s !== 0) for (let i = 0; i < v.length; i++) v[i] = v[i] / s;
  return v;
}
