/**
 * Plain-TypeScript f64 reference of one Yuma epoch (float mode), stage by stage in the order of subtensor's
 * `epoch/run_epoch.rs`. It is the oracle for the Wasm float kernel: the same algorithm,
 * the same masks and path differences (path rules) as the chain, in f64 instead of fixed point, with the kernel's
 * reduction orders so the two agree to the bit except where `exp` differs by an ulp.
 */
import type { PreparedEpoch } from '../../epoch/prepare.js';
import { allocRawResult, type RawEpochResult } from '../../epoch/result.js';
import { originalYumaBonds, weightsForBonds, yuma3Bonds } from './bonds.js';
import { clipWeights, rankOf, stakeWeightedColumnSums, trust, validatorTrust } from './clip.js';
import { emissionShares, emissions } from './emission.js';
import { consensus } from './median.js';
import { activeMask, activeStake, forbiddenRows, newPermits, normalizedStake, previousPermits, recentlyRegistered } from './stake.js';
import { normalizeInPlace } from './sums.js';
import { vecToU16 } from './u16.js';
import { maskedNormalizedWeights } from './weights.js';
import { writeBackBonds } from './writeback.js';

export * from './bonds.js';
export * from './clip.js';
export * from './emission.js';
export * from './grid.js';
export * from './median.js';
export * from './stake.js';
export * from './sums.js';
export * from './u16.js';
export * from './weights.js';
export * from './writeback.js';

/** Every intermediate of one reference epoch, for stage-by-stage tests. */
export interface ReferenceTrace {
  active: Uint8Array;
  recent: Uint8Array;
  forbidden: Uint8Array;
  stake: Float64Array;
  newPermit: Uint8Array;
  activeStake: Float64Array;
  weights: ReturnType<typeof maskedNormalizedWeights>;
  consensus: Float64Array;
  clipped: ReturnType<typeof clipWeights>;
  validatorTrust: Float64Array;
  rank: Float64Array;
  prerank: Float64Array;
  incentive: Float64Array;
  weightsForBonds: ReturnType<typeof weightsForBonds>;
  bonds: ReturnType<typeof yuma3Bonds>;
  dividends: Float64Array;
  serverShare: Float64Array;
  validatorShare: Float64Array;
}

export function referenceEpochTrace(p: PreparedEpoch): { result: RawEpochResult; trace: ReferenceTrace } {
  const n = p.n;
  const h = p.hyper;
  const active = activeMask(p);
  const recent = recentlyRegistered(p);
  const prev = previousPermits(p);
  const forbidden = forbiddenRows(p, prev);

  const stake = normalizedStake(p);
  const newPermit = newPermits(p, stake);
  const a = activeStake(p, stake, active, forbidden);

  const w = maskedNormalizedWeights(p, forbidden);
  const c = consensus(a, w, h.kappa);
  const cw = clipWeights(w, c);
  const vtrust = validatorTrust(cw);
  const rank = rankOf(cw, a);
  const prerank = stakeWeightedColumnSums(w, a);
  const incentive = normalizeInPlace(rank.slice());

  const wb = weightsForBonds(w, cw, h.bondsPenalty);
  const bonds = h.yuma3Enabled ? yuma3Bonds(p, w, wb, a, incentive, c, recent) : originalYumaBonds(p, wb, a, incentive, recent);
  const dividends = normalizeInPlace(bonds.dividends.slice());

  const shares = emissionShares(incentive, dividends, a, stake);
  const rao = emissions(shares, p.raoEmission);

  const r = allocRawResult(n);
  r.stakeWeight.set(vecToU16(stake));
  r.consensus.set(vecToU16(c));
  r.incentive.set(vecToU16(incentive));
  r.dividends.set(vecToU16(dividends));
  r.validatorTrust.set(vecToU16(vtrust));
  r.active.set(active);
  r.validatorPermit.set(newPermit);
  writeBackBonds(p, prev, newPermit, bonds.storage, bonds.emaPresent, r.bonds, r.bondsPresent);
  r.serverEmission.set(rao.server);
  r.validatorEmission.set(rao.validator);
  r.consensusF.set(c);
  r.incentiveF.set(incentive);
  r.dividendsF.set(dividends);
  r.rankF.set(rank);
  r.trustF.set(trust(rank, prerank));
  r.validatorTrustF.set(vtrust);
  return {
    result: r,
    trace: {
      active, recent, forbidden, stake, newPermit, activeStake: a, weights: w, consensus: c, clipped: cw,
      validatorTrust: vtrust, rank, prerank, incentive, weightsForBonds: wb, bonds, dividends,
      serverShare: shares.server, validatorShare: shares.validator,
    },
  };
}

/** One float-mode epoch in plain TypeScript. */
export function referenceEpoch(p: PreparedEpoch): RawEpochResult {
  return referenceEpochTrace(p).result;
}
