// Steps 9–10 of the BigInt reference epoch (`epoch.ts`): clipping to consensus, validator trust, rank and incentive.
import * as S from './sparse.js';
import { normalize } from './vector.js';

/** The clipped weights and what the steps after clipping read of them. */
export interface Clipped {
  /** The weights clipped to consensus, column by column. */
  CW: S.SparseMatrix;
  validatorTrust: bigint[];
  rank: bigint[];
  /** Rank before clipping: feeds only the trust view (rank / prerank). */
  prerank: bigint[];
  incentive: bigint[];
}

/** `col_clip_sparse`, validator trust (row sums of the clipped weights), rank and prerank, incentive. */
export function clipRankIncentive(W: S.SparseMatrix, consensus: readonly bigint[], activeStake: readonly bigint[], n: number): Clipped {
  const CW = S.colClip(W, consensus);
  const validatorTrust = S.rowSum(CW);
  const rank = S.matmul(CW, activeStake, n);
  const prerank = S.matmul(W, activeStake, n);
  const incentive = normalize(rank);
  return { CW, validatorTrust, rank, prerank, incentive };
}
