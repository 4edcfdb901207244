import { type EmissionShares } from '../../epoch/float-rules.js';
import { sumInOrder } from './sums.js';

// The float epoch's rao rule (exact floor of share·rao, Σ ≤ rao) is library code the reference builds on, not
// a readable twin of it: one implementation, which combinedEmission also runs.
export { emissions, floorShareTimes, type EmissionShares } from '../../epoch/float-rules.js';

/**
 * Server share Iᵢ/E and validator share Dᵢ/E with E = Σ(I + D); when E is 0, validators
 * get the active stake (or, if that is all zero, the stake) and servers nothing.
 */
export function emissionShares(incentive: Float64Array, dividends: Float64Array, activeStake: Float64Array, stake: Float64Array): EmissionShares {
  const n = incentive.length;
  const combined = incentive.map((x, i) => x + dividends[i]);
  const e = sumInOrder(combined);
  if (e === 0) {
    const allZero = activeStake.every((x) => x === 0);
    return { server: incentive.slice(), validator: (allZero ? stake : activeStake).slice() };
  }
  const server = new Float64Array(n);
  const validator = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    server[i] = incentive[i] / e;
    validator[i] = dividends[i] / e;
  }
  return { server, validator };
}
