// The float kernel's names for the shared job header (assembly/job.ts reads it once per epoch for both kernels).
export {
  n as N, yuma3 as YUMA3, liquidAlpha as LIQUID, currentBlock as CURRENT_BLOCK, tempo as TEMPO,
  lastStep as LAST_STEP, cutoff as CUTOFF, kappa as KAPPA, bma as BMA, bondsPenalty as BONDS_PENALTY,
  maxValidators as MAX_VALIDATORS, alphaLow as ALPHA_LOW, alphaHigh as ALPHA_HIGH, steepness as STEEPNESS,
  stakeThreshold as THRESHOLD, rao as RAO, permitLen as PERMIT_LEN, stakeIn as IN_STAKE, weightsIn as IN_W,
  presentIn as IN_WP, bondsIn as IN_B, lastUpdateIn as IN_LU, regIn as IN_REG, permitIn as IN_PERMIT,
  commitIn as IN_COMMIT, lastUpdate, reg as registeredAt, commitOf as commitBlock, readJob,
  // the chain paths' differences (path rules)
  ownerPermit as OWNER_PERMIT, ownerSelf as OWNER_SELF,
  sparseWriteback as SPARSE_WRITEBACK, dropUnlisted as DROP_UNLISTED, dropStoredZero as DROP_STORED_ZERO,
  dropVanished as DROP_VANISHED,
} from '../job';
