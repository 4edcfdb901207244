/**
 * The one seam between the simulator and the dTAO module: everything the simulator needs from pool economics
 * comes through here, so a change of names in `src/dtao` touches this file only.
 */
import { YumaError } from '../errors.js';

export { Pool } from '../dtao/pool.js';
export { blockEmission } from '../dtao/emission.js';

/**
 * Emission shares over spot prices (dtao.md §3). Adapter until `src/dtao` exports its own `emissionShares`:
 * `proportional` = p_i / Σp, `softmax` = exp(p_i/τ) / Σ exp(p_j/τ), max-shifted for stability.
 */
export function emissionShares(prices: number[], opts: { mode: 'proportional' | 'softmax'; temperature?: number }): number[] {
  if (prices.length === 0) return [];
  for (const p of prices) if (!Number.isFinite(p) || p < 0) throw new YumaError('E_RANGE', `prices must be finite and non-negative (got ${p})`);
  if (opts.mode === 'proportional') {
    const sum = prices.reduce((a, b) => a + b, 0);
    return sum > 0 ? prices.map((p) => p / sum) : prices.map(() => 1 / prices.length);
  }
  const tau = opts.temperature ?? 1;
  const max = Math.max(...prices);
  const e = prices.map((p) => Math.exp((p - max) / tau));
  const sum = e.reduce((a, b) => a + b, 0);
  return e.map((x) => x / sum);
}

/** The chain's moving-price step (dtao.md §3): `ema ← α·min(spot, 1) + (1−α)·ema`, `α = 3e-6·b/(b + 201 600)`. */
export function movingPriceStep(ema: number, spot: number, blocksSinceStart: number): number {
  const alpha = (3e-6 * blocksSinceStart) / (blocksSinceStart + 201_600);
  return alpha * Math.min(spot, 1) + (1 - alpha) * ema;
}
