// Fixed-point (chain bit-exact) Yuma epoch kernel: one job header in, every output slot written, only the
// caller's scratch region used. Steps in the order of subtensor's `epoch/run_epoch.rs`; both chain paths
// (sparse `epoch_mechanism`, dense `epoch_dense_mechanism`) differ only by the path rules job.ts decodes
// (stake.ts, weights.ts, bonds.ts and writeback.ts consult them).
// Rows without an old validator permit carry no weights after masking, so every matrix pass runs over the
// compact rows of M (permitted validators plus UIDs that still hold bonds), not over all n.
import { bondsAndDividends } from './bonds';
import { clipRankIncentive } from './clip';
import { emissionAndOutputs } from './emission';
import * as J from '../job';
import { carve, scratchBytes } from './layout';
import { consensus } from './median';
import { activeStake, activityAndRecent, newPermits, oldPermits, stakeWeights } from './stake';
import { normalisedWeights, selectRows } from './weights';
import { writeBonds } from './writeback';

export function fixedScratchBytes(n: i32): usize {
  return scratchBytes(n);
}

export function runEpochFixed(job: usize, scratch: usize): void {
  J.readJob(job);
  if (J.n <= 0) return;
  carve(scratch, J.n);
  activityAndRecent();
  stakeWeights();
  oldPermits();
  newPermits();
  activeStake();
  const rows = selectRows();
  normalisedWeights(rows);
  consensus();
  clipRankIncentive(rows);
  bondsAndDividends(rows);
  emissionAndOutputs(job);
  writeBonds(job);
}
