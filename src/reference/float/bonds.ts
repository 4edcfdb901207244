import type { PreparedEpoch } from '../../epoch/prepare.js';
import { RULE_BOND_WRITEBACK, RULE_LIQUID_ALPHA_BOND_DROP, RULE_STORED_ZERO_WEIGHTS, RULE_ZERO_CONSENSUS_BOND_DROP, sparseRule } from '../../epoch/path-rules.js';
import { TWO32, ULP, mulUlps, u16ProportionUlps } from './grid.js';
import { sumPairs } from './sums.js';
import type { Mat } from './weights.js';

/**
 * Weights for bonds: `WB = W ⊕ β⊗(CW − W)` with the chain's β = floor(bondsPenalty·2^32 / 65535) and its floored
 * product, on the grid (W and CW are grid values, so WB is the chain's exactly up to the bound of `mulUlps`).
 * β = 0 and β = 1 hand over W or CW as they are (with their stored entries); otherwise `interpolate_sparse` keeps
 * only results > 0. The presence only matters to Yuma3 liquid alpha (see `bondDropped`).
 */
export function weightsForBonds(w: Mat, cw: Mat, bondsPenalty: number): Mat {
  if (bondsPenalty === 0) return w;
  if (bondsPenalty === 65535) return cw;
  const betaUlps = u16ProportionUlps(bondsPenalty);
  const n = w.n;
  const v = new Float64Array(n * n);
  const present = new Uint8Array(n * n);
  for (let k = 0; k < n * n; k++) {
    v[k] = w.v[k] + mulUlps(cw.v[k] - w.v[k], betaUlps) * ULP;
    present[k] = v[k] > 0 ? 1 : 0;
  }
  return { n, v, present };
}

/**
 * The EMA weights of `compute_ema_bonds_normal`: keep = floor(bondsMovingAverage·2^32 / 10^6) (the I64F64 ratio
 * floored to I32F32; exact in f64, as bma·2^32 < 2^52 and a non-integer quotient is ≥ 10^-6 from the next integer)
 * and α = 1 − keep, both in ulps.
 */
export function emaWeightsUlps(bondsMovingAverage: number): { alpha: number; keep: number } {
  const keep = Math.floor((bondsMovingAverage * TWO32) / 1e6);
  return { alpha: TWO32 - keep, keep };
}

/** A u16 proportion's ulps per unit, 2^32/65535. */
const U16_TO_ULPS = TWO32 / 65535;

/** Column sums, rows added in uid order. */
export function columnSums(m: Float64Array, n: number): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) out[j] += m[i * n + j];
  return out;
}

/** Divides each column by its sum where the sum is non-zero (`inplace_col_normalize`). */
export function columnNormalize(m: Float64Array, n: number): Float64Array {
  const s = columnSums(m, n);
  const out = new Float64Array(n * n);
  for (let k = 0; k < n * n; k++) {
    const c = s[k % n];
    out[k] = c !== 0 ? m[k] / c : m[k];
  }
  return out;
}

/** What a bonds variant hands on: the EMA (pre-storage form), its stored entries, dividends and the storage form. */
export interface BondsResult {
  ema: Float64Array;
  emaPresent: Uint8Array;
  dividends: Float64Array;
  /** Proportions that `fixed_proportion_to_u16` turns into the stored u16 bonds. */
  storage: Float64Array;
}

/**
 * Original Yuma: stored bonds (u16 integers, column max-upscaled) with recent columns dropped; `ΔB = WB ⊗ a` with
 * the chain's floored products (in ulps: a column that floors to zero stays zero, a column of a few ulps keeps the
 * chain's integers); `EMA = α⊗colnorm(ΔB) ⊕ (1−α)⊗colnorm(B)` in ulps as floor(ΔB·α/ΣΔB) + floor(b·(1−α)/Σb)
 * (the chain floors the normalised values first; that moves a term by less than α resp. 1−α ulps, so where a
 * coefficient is small — the only place its floor decides anything — the result is the chain's);
 * column-normalised; dividends `Σⱼ EMAᵢⱼ ⊗ Iⱼ` (floored) normalised; storage = column max-upscale of the EMA.
 */
export function originalYumaBonds(p: PreparedEpoch, wb: Mat, a: Float64Array, incentive: Float64Array, recent: Uint8Array): BondsResult {
  const n = p.n;
  const b = new Float64Array(n * n);
  for (let k = 0; k < n * n; k++) b[k] = recent[k % n] ? 0 : p.bonds[k];
  const delta = new Float64Array(n * n);
  for (let k = 0; k < n * n; k++) delta[k] = mulUlps(wb.v[k], a[Math.floor(k / n)] * TWO32);
  const { alpha, keep } = emaWeightsUlps(p.hyper.bondsMovingAverage);
  const perDelta = columnSums(delta, n).map((s) => (s !== 0 ? alpha / s : 0));
  const perBond = columnSums(b, n).map((s) => (s !== 0 ? keep / s : 0));
  const raw = new Float64Array(n * n);
  for (let k = 0; k < n * n; k++) raw[k] = (Math.floor(delta[k] * perDelta[k % n]) + Math.floor(b[k] * perBond[k % n])) * ULP;
  const ema = columnNormalize(raw, n);
  const emaPresent = new Uint8Array(n * n);
  const sparseStorage = sparseRule(p.pathRules, RULE_BOND_WRITEBACK);
  for (let k = 0; k < n * n; k++) emaPresent[k] = !sparseStorage || ema[k] > 0 ? 1 : 0;
  const dividends = new Float64Array(n);
  // Σⱼ Iⱼ ⊗ EMAᵢⱼ with the chain's floors, in ulps (normalised afterwards, so the scale does not matter)
  for (let i = 0; i < n; i++) dividends[i] = sumPairs(n, (j) => Math.floor(incentive[j] * ema[i * n + j] * TWO32));
  return { ema, emaPresent, dividends, storage: columnMaxUpscale(ema, n) };
}

/** Divides each column by its maximum where that is non-zero (`inplace_col_max_upscale`). */
export function columnMaxUpscale(m: Float64Array, n: number): Float64Array {
  const max = new Float64Array(n);
  for (let k = 0; k < n * n; k++) if (max[k % n] < m[k]) max[k % n] = m[k];
  return m.map((x, k) => (max[k % n] !== 0 ? x / max[k % n] : x));
}

/** `exp` with the chain's input clamp to [−20, 20] (`exp_safe`). */
export function expSafe(x: number): number {
  return Math.exp(Math.min(20, Math.max(-20, x)));
}

/**
 * Liquid alpha v2 (`alpha_sigmoid`): how far the weight sits above consensus (buying) or below the bond
 * (selling) sets the EMA speed between alphaLow and alphaHigh.
 */
export function alphaSigmoid(c: number, w: number, b: number, lo: number, hi: number, steepness: number): number {
  const buy = Math.min(1, Math.max(0, w - c));
  const sell = Math.min(1, Math.max(0, b - w));
  const d = w >= b ? buy : sell;
  const sigma = 1 / (1 + expSafe((steepness / -100) * (d - 0.5)));
  return Math.max(lo, Math.min(hi, lo + sigma * (hi - lo)));
}

/**
 * Yuma3 liquid alpha, for an entry the weights for bonds do not list: whether its old bond is dropped (the sparse
 * path's `mat_ema_alpha_sparse`) rather than decayed (the dense path), by the path rule covering why the entry is
 * missing: no weight entry after masking (liquid-alpha-bond-drop), a stored zero removed by an in-between bonds
 * penalty (stored-zero-weights), or a positive weight whose weight for bonds vanished (zero-consensus-bond-drop).
 */
export function bondDropped(p: PreparedEpoch, w: Mat, k: number): boolean {
  if (!w.present[k]) return sparseRule(p.pathRules, RULE_LIQUID_ALPHA_BOND_DROP);
  return sparseRule(p.pathRules, w.v[k] === 0 ? RULE_STORED_ZERO_WEIGHTS : RULE_ZERO_CONSENSUS_BOND_DROP);
}

/** Whether Yuma3 uses per-entry liquid alpha: enabled and some consensus value non-zero. */
export function liquidAlphaApplies(p: PreparedEpoch, c: Float64Array): boolean {
  return p.hyper.liquidAlphaEnabled && c.some((x) => x !== 0);
}

/**
 * Yuma3: bonds as the chain's proportions floor(b·2^32/65535), recent columns dropped; EMA with per-entry
 * liquid alpha (`min(1, (1−α)⊗b ⊕ max(0, α⊗w))`; the sparse path only emits the columns listed in the validator's
 * WB row, see `bondDropped`) or with one α and no clamp, each product floored to the grid as on chain (the
 * single-α decay as floor(b·(1−α)/65535), see `originalYumaBonds`); dividends
 * `aᵢ ⊗ Σⱼ colnorm(EMA)ᵢⱼ ⊗ Iⱼ` (floored) normalised; storage = the EMA itself.
 */
export function yuma3Bonds(p: PreparedEpoch, w: Mat, wb: Mat, a: Float64Array, incentive: Float64Array, c: Float64Array, recent: Uint8Array): BondsResult {
  const n = p.n;
  const h = p.hyper;
  const sparseStorage = sparseRule(p.pathRules, RULE_BOND_WRITEBACK);
  const ema = new Float64Array(n * n);
  const emaPresent = new Uint8Array(n * n);
  if (liquidAlphaApplies(p, c)) {
    const lo = u16ProportionUlps(h.alphaLow) * ULP;
    const hi = u16ProportionUlps(h.alphaHigh) * ULP;
    for (let k = 0; k < n * n; k++) {
      const j = k % n;
      if (!wb.present[k] && bondDropped(p, w, k)) {
        emaPresent[k] = sparseStorage ? 0 : 1; // dropped: 0 (stored as such by the dense write-back)
        continue;
      }
      // the bond in ulps as b·2^32/65535 (the chain floors it first: less than an ulp, far below what the
      // sigmoid's f64 exp already differs by)
      const bUlps = recent[j] ? 0 : p.bonds[k] * U16_TO_ULPS;
      const al = alphaSigmoid(c[j], wb.v[k], bUlps * ULP, lo, hi, h.alphaSigmoidSteepness);
      const decayed = Math.floor((1 - al) * bUlps);
      const inc = Math.floor(al * (wb.v[k] * TWO32));
      ema[k] = Math.min(1, (decayed + Math.max(0, inc)) * ULP);
      emaPresent[k] = !sparseStorage || ema[k] > 0 ? 1 : 0;
    }
  } else {
    // (1−α)⊗B as floor(b·(1−α)/65535): B = floor(b·2^32/65535) floored first moves it by less than 1−α ulps
    const { alpha, keep } = emaWeightsUlps(h.bondsMovingAverage);
    const perBond = keep / 65535;
    for (let k = 0; k < n * n; k++) {
      const decayed = recent[k % n] ? 0 : Math.floor(p.bonds[k] * perBond);
      ema[k] = (mulUlps(wb.v[k], alpha) + decayed) * ULP;
      emaPresent[k] = !sparseStorage || ema[k] > 0 ? 1 : 0;
    }
  }
  // Σⱼ colnorm(EMA)ᵢⱼ ⊗ Iⱼ as floor(EMAᵢⱼ·Iⱼ/ΣⱼEMA) in ulps (the chain floors the normalised EMA first: less than
  // Iⱼ ulps), then ⊗ aᵢ; normalised afterwards. An empty column has EMA 0 and adds nothing.
  const perColumn = columnSums(ema, n).map((s, j) => (s !== 0 ? (incentive[j] * TWO32) / s : 0));
  const dividends = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const tb = sumPairs(n, (j) => Math.floor(ema[i * n + j] * perColumn[j]));
    dividends[i] = mulUlps(a[i], tb);
  }
  return { ema, emaPresent, dividends, storage: ema };
}
