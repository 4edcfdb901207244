/**
 * BigInt reference of the chain's fixed-point Yuma epoch, both code paths of subtensor `epoch/run_epoch.rs`:
 * `epoch_mechanism` (`path: 'sparse'`, what the chain runs) and `epoch_dense_mechanism` (`path: 'dense'`), as one
 * computation in the sparse path's matrices where each difference between the two is a path rule
 * (`PATH_RULES`). Stages follow that file's order, each in the file named as the kernels' (`stake.ts`,
 * `weights.ts`, `median.ts`, `clip.ts`, `bonds.ts`, `emission.ts`, `writeback.ts`), all over the chain's matrix
 * helpers (`sparse.ts`, `vector.ts`).
 * Slow on purpose: it is the oracle the Wasm fixed kernel is tested against.
 */
import type { PreparedEpoch } from '../../epoch/prepare.js';
import { allocRawResult, type RawEpochResult } from '../../epoch/result.js';
import { I32F32, emissionShare, fixedProportionToU16, safeDiv, toF64, u16ProportionToFixed } from '../../fixed/substrate-fixed.js';
import { bondsAndDividends } from './bonds.js';
import { clipRankIncentive } from './clip.js';
import { emissionShares } from './emission.js';
import { weightedMedianCols } from './median.js';
import { prologue } from './stake.js';
import { maskedNormalizedWeights } from './weights.js';
import { writeBonds } from './writeback.js';

/** `x·2^32 ÷ 65535·2^32`: how the chain turns u16 hyper-parameters (kappa) into I32F32. */
const u16Ratio = (x: number): bigint => u16ProportionToFixed(BigInt(x));

/**
 * The steps in `run_epoch.rs`'s order, in `epoch_mechanism`'s sparse matrices. The dense twin computes the same
 * values wherever its rules agree (an entry the sparse form does not hold is a 0 there); where they differ, the
 * path rules decide.
 */
export function referenceEpochFixed(p: PreparedEpoch): RawEpochResult {
  const n = p.n;
  const out = allocRawResult(n);
  if (n === 0) return out;
  const pro = prologue(p);
  const W = maskedNormalizedWeights(p, pro.oldPermit);
  const dense = W.map((row) => {
    const d: bigint[] = new Array(n).fill(0n);
    for (const [j, v] of row) d[j] = v;
    return d;
  });
  const consensus = weightedMedianCols(pro.activeStake, n, (r, j) => dense[r][j], u16Ratio(p.hyper.kappa));
  const c = clipRankIncentive(W, consensus, pro.activeStake, n);
  const { incentive } = c;
  const { dividends, ema } = bondsAndDividends(p, pro, W, dense, c.CW, consensus, incentive);
  const shares = emissionShares(incentive, dividends, pro);

  const rao = p.raoEmission;
  const f = (x: bigint) => toF64(I32F32, x);
  const u16 = (x: bigint) => Number(fixedProportionToU16(x));
  for (let i = 0; i < n; i++) {
    out.stakeWeight[i] = u16(pro.stake[i]);
    out.consensus[i] = u16(consensus[i]);
    out.incentive[i] = u16(incentive[i]);
    out.dividends[i] = u16(dividends[i]);
    out.validatorTrust[i] = u16(c.validatorTrust[i]);
    out.active[i] = pro.active[i] ? 1 : 0;
    out.validatorPermit[i] = pro.newPermit[i] ? 1 : 0;
    out.serverEmission[i] = emissionShare(shares.server[i], rao);
    out.validatorEmission[i] = emissionShare(shares.validator[i], rao);
    out.consensusF[i] = f(consensus[i]);
    out.incentiveF[i] = f(incentive[i]);
    out.dividendsF[i] = f(dividends[i]);
    out.rankF[i] = f(c.rank[i]);
    out.trustF[i] = f(safeDiv(I32F32, c.rank[i], c.prerank[i]));
    out.validatorTrustF[i] = f(c.validatorTrust[i]);
  }
  writeBonds(p, pro, ema, out);
  return out;
}
