// Step 14 of the BigInt reference epoch (`epoch.ts`): the server and validator shares of the emission.
import { I32F32, satAdd } from '../../fixed/substrate-fixed.js';
import type { Prologue } from './stake.js';
import { normalizeUsingSum, sum } from './vector.js';

/**
 * Server share Iᵢ/E and validator share Dᵢ/E with E = Σ(I ⊕ D) in I32F32; when E is 0, validators get the active
 * stake (or, if that is all zero, the stake) and servers nothing.
 */
export function emissionShares(incentive: readonly bigint[], dividends: readonly bigint[], pro: Prologue): { server: bigint[]; validator: bigint[] } {
  const combined = incentive.map((x, i) => satAdd(I32F32, x, dividends[i]));
  const emissionSum = sum(combined);
  const server = normalizeUsingSum(incentive, emissionSum);
  let validator = normalizeUsingSum(dividends, emissionSum);
  if (emissionSum === 0n) validator = sum(pro.activeStake) === 0n ? pro.stake : pro.activeStake;
  return { server, validator };
}
