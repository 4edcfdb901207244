// One epoch of a yuma-simulation version (f64) over the buffers a header describes: the steps in the order of
// src/research/kernel.ts, fused where a pass can carry the next step's work while its row is in cache.
import { R_DEGENERATE, R_LIQUID_RAN, R_STATUS, STATUS_BAD_WEIGHT, STATUS_OK, VERSION_YUMA1, VERSION_YUMA2C, VERSION_YUMA3, setSlot } from './abi';
import { bondDividends, emaPass, emaRenormalize, liquidConsensus, normalizeRewards } from './bonds';
import { consensus } from './consensus';
import { COL_SUM, C_OLD, M, laMode, legacyConsensus, liquidAlphaOn, readResearchJob, version } from './job';
import { normalizeRows, stakeShares } from './normalize';
import { incentive, rankPass, trusts } from './rank';

export function runResearchEpoch(job: usize): void {
  readResearchJob(job);
  const liquidRuns = liquidAlphaOn && C_OLD != 0 && version != VERSION_YUMA2C;
  setSlot(job, R_LIQUID_RAN, liquidRuns ? 1 : 0);
  stakeShares();
  memory.fill(COL_SUM, 0, <usize>M << 3);
  if (!normalizeRows(!legacyConsensus)) {
    setSlot(job, R_STATUS, STATUS_BAD_WEIGHT);
    return;
  }
  setSlot(job, R_DEGENERATE, consensus() ? 1 : 0);
  if (version == VERSION_YUMA3 && liquidRuns) liquidConsensus(laMode, C_OLD);
  rankPass(liquidRuns);
  incentive();
  if (version != VERSION_YUMA3) trusts();
  if (version == VERSION_YUMA2C || version == VERSION_YUMA3) {
    bondDividends();
  } else {
    emaPass(liquidRuns);
    if (version == VERSION_YUMA1) emaRenormalize();
  }
  normalizeRewards();
  setSlot(job, R_STATUS, STATUS_OK);
}
