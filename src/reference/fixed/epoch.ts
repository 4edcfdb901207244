/**
 * BigInt reference of the chain's fixed-point Yuma epoch, both code paths of subtensor `epoch/run_epoch.rs`:
 * `epoch_mechanism` (`path: 'sparse'`, what the chain runs) and `epoch_dense_mechanism` (`path: 'dense'`), as one
 * computation in the sparse path's matrices where each difference between the two is a path rule
 * (`PATH_RULES`). Stages follow that file's order: activity, stake, permits, active stake, weights, consensus
 * and bonds each in the module named for its step, with clipping, rank, incentive and emission in this one, all
 * over the chain's matrix helpers.
 * Slow on purpose: it is the oracle the Wasm fixed kernel is tested against.
 */
import type { PreparedEpoch } from '../../epoch/prepare.js';
import { allocRawResult, type RawEpochResult } from '../../epoch/result.js';
import { I32F32, emissionShare, fixedProportionToU16, safeDiv, satAdd, toF64, u16ProportionToFixed } from '../../fixed/substrate-fixed.js';
import { bondsAndDividends } from './bonds.js';
import { weightedMedianCols } from './median.js';
import * as S from './sparse.js';
import { prologue, type Prologue } from './stake.js';
import { normalize, normalizeUsingSum, sum } from './vector.js';
import { maskedNormalizedWeights } from './weights.js';

/** `x·2^32 ÷ 65535·2^32`: how the chain turns u16 hyper-parameters (kappa) into I32F32. */
const u16Ratio = (x: number): bigint => u16ProportionToFixed(BigInt(x));

/** What the middle (weights → dividends) hands to the emission step and the outputs. */
interface Core {
  consensus: bigint[];
  validatorTrust: bigint[];
  rank: bigint[];
  prerank: bigint[];
  incentive: bigint[];
  dividends: bigint[];
  /** Writes the bond storage (bond-writeback rule) into the result. */
  writeBonds(out: RawEpochResult): void;
}

// ---------------------------------------------------------------------------------------------------------------
// Weights → dividends, in `epoch_mechanism`'s sparse matrices. The dense twin computes the same values wherever its
// rules agree (an entry the sparse form does not hold is a 0 there); where they differ, the path rules decide.
// ---------------------------------------------------------------------------------------------------------------

function core(p: PreparedEpoch, pro: Prologue): Core {
  const { n, activeStake, oldPermit } = pro;
  const h = p.hyper;
  const W = maskedNormalizedWeights(p, oldPermit);

  // Consensus, clipping, validator trust.
  const dense = W.map((row) => {
    const d: bigint[] = new Array(n).fill(0n);
    for (const [j, v] of row) d[j] = v;
    return d;
  });
  const consensus = weightedMedianCols(activeStake, n, (r, j) => dense[r][j], u16Ratio(h.kappa));
  const CW = S.colClip(W, consensus);
  const validatorTrust = S.rowSum(CW);

  // Rank and incentive (prerank feeds only the trust view).
  const rank = S.matmul(CW, activeStake, n);
  const prerank = S.matmul(W, activeStake, n);
  const incentive = normalize(rank);

  const { dividends, writeBonds } = bondsAndDividends(p, pro, W, dense, CW, consensus, incentive);
  return { consensus, validatorTrust, rank, prerank, incentive, dividends, writeBonds };
}

// ---------------------------------------------------------------------------------------------------------------
// Emission (2.10) and outputs
// ---------------------------------------------------------------------------------------------------------------

export function referenceEpochFixed(p: PreparedEpoch): RawEpochResult {
  const n = p.n;
  const out = allocRawResult(n);
  if (n === 0) return out;
  const pro = prologue(p);
  const c = core(p, pro);
  const { incentive, dividends } = c;

  const combined = incentive.map((x, i) => satAdd(I32F32, x, dividends[i]));
  const emissionSum = sum(combined);
  const serverShare = normalizeUsingSum(incentive, emissionSum);
  let validatorShare = normalizeUsingSum(dividends, emissionSum);
  if (emissionSum === 0n) validatorShare = sum(pro.activeStake) === 0n ? pro.stake : pro.activeStake;

  const rao = p.raoEmission;
  const f = (x: bigint) => toF64(I32F32, x);
  const u16 = (x: bigint) => Number(fixedProportionToU16(x));
  for (let i = 0; i < n; i++) {
    out.stakeWeight[i] = u16(pro.stake[i]);
    out.consensus[i] = u16(c.consensus[i]);
    out.incentive[i] = u16(incentive[i]);
    out.dividends[i] = u16(dividends[i]);
    out.validatorTrust[i] = u16(c.validatorTrust[i]);
    out.active[i] = pro.active[i] ? 1 : 0;
    out.validatorPermit[i] = pro.newPermit[i] ? 1 : 0;
    out.serverEmission[i] = emissionShare(serverShare[i], rao);
    out.validatorEmission[i] = emissionShare(validatorShare[i], rao);
    out.consensusF[i] = f(c.consensus[i]);
    out.incentiveF[i] = f(incentive[i]);
    out.dividendsF[i] = f(dividends[i]);
    out.rankF[i] = f(c.rank[i]);
    out.trustF[i] = f(safeDiv(I32F32, c.rank[i], c.prerank[i]));
    out.validatorTrustF[i] = f(c.validatorTrust[i]);
  }
  c.writeBonds(out);
  return out;
}
