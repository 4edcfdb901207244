// One epoch of a yuma-simulation version (f64, or float32 with RF_F32) over the buffers a header describes: the steps in the order of
// src/research/kernel.ts, fused where a pass can carry the next step's work while its row is in cache.
import { R_DEGENERATE, R_LIQUID_RAN, R_STATUS, STATUS_BAD_WEIGHT, STATUS_OK, VERSION_YUMA1, VERSION_YUMA2C, VERSION_YUMA3, setSlot } from './abi';
import {
  bondDividends, bondDividends32, emaPass, emaPass32, emaRenormalize, emaRenormalize32, liquidConsensus, liquidConsensus32, normalizeRewards,
  normalizeRewards32,
} from './bonds';
import { consensus } from './consensus';
import { COL32, COL_SUM, C_OLD, M, f32mode, laMode, liquidAlphaOn, readResearchJob, version } from './job';
import { normalizeRows, normalizeRows32, stakeShares, stakeShares32 } from './normalize';
import { incentive, incentive32, rankPass, rankPass32, trusts, trusts32 } from './rank';

export function runResearchEpoch(job: usize): void {
  readResearchJob(job);
  const liquidRuns = liquidAlphaOn && C_OLD != 0 && version != VERSION_YUMA2C;
  setSlot(job, R_LIQUID_RAN, liquidRuns ? 1 : 0);
  if (f32mode) {
    stakeShares32();
    memory.fill(COL32, 0, <usize>M << 2);
    if (!normalizeRows32()) {
      setSlot(job, R_STATUS, STATUS_BAD_WEIGHT);
      return;
    }
  } else {
    stakeShares();
    memory.fill(COL_SUM, 0, <usize>M << 3);
    if (!normalizeRows()) {
      setSlot(job, R_STATUS, STATUS_BAD_WEIGHT);
      return;
    }
  }
  setSlot(job, R_DEGENERATE, consensus() ? 1 : 0);
  if (f32mode) {
    if (version == VERSION_YUMA3 && liquidRuns) liquidConsensus32(laMode, C_OLD);
    rankPass32(liquidRuns);
    incentive32();
    if (version != VERSION_YUMA3) trusts32();
    if (version == VERSION_YUMA2C || version == VERSION_YUMA3) {
      bondDividends32();
    } else {
      emaPass32(liquidRuns);
      if (version == VERSION_YUMA1) emaRenormalize32(!liquidRuns);
    }
    normalizeRewards32();
  } else {
    if (version == VERSION_YUMA3 && liquidRuns) liquidConsensus(laMode, C_OLD);
    rankPass(liquidRuns);
    incentive();
    if (version != VERSION_YUMA3) trusts();
    if (version == VERSION_YUMA2C || version == VERSION_YUMA3) {
      bondDividends();
    } else {
      emaPass(liquidRuns);
      if (version == VERSION_YUMA1) emaRenormalize(!liquidRuns);
    }
    normalizeRewards();
  }
  setSlot(job, R_STATUS, STATUS_OK);
}
