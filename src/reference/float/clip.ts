import { TWO32, ULP, mulUlps } from './grid.js';
import { sumPairs } from './sums.js';
import type { Mat } from './weights.js';

/**
 * Clipping: `min(w, C_j)`. `col_clip_sparse` drops an entry whose weight exceeds a consensus that is not
 * positive (weights are ≥ 0, so: C_j = 0 and w > 0); the value is 0 either way, only presence differs (which
 * matters to Yuma3 liquid alpha: zero-consensus-bond-drop).
 */
export function clipWeights(w: Mat, c: Float64Array): Mat {
  const n = w.n;
  const v = new Float64Array(n * n);
  const present = new Uint8Array(n * n);
  for (let k = 0; k < n * n; k++) {
    const j = k % n;
    const x = w.v[k];
    v[k] = c[j] < x ? c[j] : x;
    present[k] = w.present[k] && !(c[j] < x && c[j] <= 0) ? 1 : 0;
  }
  return { n, v, present };
}

/** Validator trust: row sums of the clipped weights. */
export function validatorTrust(cw: Mat): Float64Array {
  const n = cw.n;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = sumPairs(n, (j) => cw.v[i * n + j]);
  return out;
}

/**
 * Rank `Σᵢ aᵢ ⊗ cwᵢⱼ` with the chain's floored products on the grid (a and cw are grid values): a column
 * whose products all floor to zero has rank 0, as on chain. Integer ulps add exactly in any order.
 */
export function rankOf(cw: Mat, a: Float64Array): Float64Array {
  const n = cw.n;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    if (a[i] === 0) continue;
    const aUlps = a[i] * TWO32;
    for (let j = 0; j < n; j++) out[j] += mulUlps(cw.v[i * n + j], aUlps);
  }
  return out.map((x) => x * ULP);
}

/** `Σᵢ aᵢ·mᵢⱼ` in f64, rows added in uid order (the prerank behind the trust view). */
export function stakeWeightedColumnSums(m: Mat, a: Float64Array): Float64Array {
  const n = m.n;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    if (a[i] === 0) continue; // adds +0 only
    for (let j = 0; j < n; j++) out[j] += a[i] * m.v[i * n + j];
  }
  return out;
}

/** rank / prerank, 0 where the prerank is 0 (the chain's trust before 2025-10). */
export function trust(rank: Float64Array, prerank: Float64Array): Float64Array {
  return rank.map((r, j) => (prerank[j] > 0 ? r / prerank[j] : 0));
}
