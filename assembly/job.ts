// The job's scalars and input pointers, read once per epoch from the header (assembly/abi.ts) into globals that
// both kernels read as `J.n`, `J.kappa`, ….
import {
  FLAG_COMMIT, FLAG_HAS_OWNER, FLAG_LIQUID_ALPHA, FLAG_YUMA3, J_ALPHA_HIGH, J_ALPHA_LOW, J_ACTIVITY_CUTOFF, J_BLOCK_AT_REG,
  J_BMA, J_BONDS, J_BONDS_PENALTY, J_COMMIT, J_CURRENT_BLOCK, J_FLAGS, J_KAPPA, J_LAST_STEP, J_LAST_UPDATE,
  J_MAX_VALIDATORS, J_N, J_OWNER, J_PATH_RULES, J_PERMIT, J_PERMIT_LEN, J_RAO, J_STAKE, J_STAKE_THRESHOLD, J_STEEPNESS,
  J_TEMPO, J_WEIGHTS, J_WEIGHTS_PRESENT, J_BOND_ROWS_HINT, RULE_BOND_WRITEBACK, RULE_COMMIT_REVEAL, RULE_LIQUID_ALPHA_BOND_DROP,
  RULE_OWNER_PERMIT, RULE_OWNER_SELF_WEIGHT, RULE_STORED_ZERO_WEIGHTS, RULE_ZERO_CONSENSUS_BOND_DROP, ptr, slot,
} from './abi';

export let n: i32 = 0;
// The chain paths' differences (src/epoch/path-rules.ts), each as the sparse path (the chain) or the dense twin.
/** Owner UID for each owner rule: -1 without an owner or where the rule follows the dense path (no owner handling). */
export let ownerPermit: i32 = -1; // owner-permit: threshold exemption, previous and new permit forced
export let ownerSelf: i32 = -1; // owner-self-weight
/** commit-reveal: the commit mask applies (sparse rule and commit blocks given). */
export let commitMask: bool = false;
/** bond-writeback: every row rewritten, EMA entries ≤ 0 not stored (sparse) vs rows inside the permit vector, all n stored. */
export let sparseWriteback: bool = true;
/** Yuma3 + liquid alpha: which entries missing from the weights for bonds drop their bond (else it decays, as dense). */
export let dropUnlisted: bool = true; // liquid-alpha-bond-drop: no weight entry after masking
export let dropStoredZero: bool = true; // stored-zero-weights: a stored zero removed by an in-between bonds penalty
export let dropVanished: bool = true; // zero-consensus-bond-drop: a positive weight whose weight for bonds is 0
export let yuma3: bool = false;
export let liquidAlpha: bool = false;
export let currentBlock: u64 = 0;
export let tempo: u64 = 0;
export let lastStep: u64 = 0;
export let cutoff: u64 = 0;
export let kappa: u32 = 0;
export let bma: u64 = 0;
export let bondsPenalty: u32 = 0;
export let maxValidators: i32 = 0;
export let alphaLow: u32 = 0;
export let alphaHigh: u32 = 0;
export let steepness: i64 = 0;
export let stakeThreshold: u64 = 0;
export let rao: u64 = 0;
export let permitLen: i32 = 0;

export let stakeIn: usize = 0;
export let weightsIn: usize = 0;
export let presentIn: usize = 0;
export let bondsIn: usize = 0;
export let lastUpdateIn: usize = 0;
export let regIn: usize = 0;
export let permitIn: usize = 0;
export let commitIn: usize = 0;
/** 0, or u8[n] with 0 where bond row i is known to be all zero (src/wasm/abi.ts BOND_ROWS_HINT). */
export let bondHintIn: usize = 0;

export function readJob(job: usize): void {
  n = <i32>slot(job, J_N);
  const rules = slot(job, J_PATH_RULES);
  const flags = slot(job, J_FLAGS);
  const owner = (flags & FLAG_HAS_OWNER) != 0 ? <i32>slot(job, J_OWNER) : -1;
  ownerPermit = (rules & RULE_OWNER_PERMIT) != 0 ? owner : -1;
  ownerSelf = (rules & RULE_OWNER_SELF_WEIGHT) != 0 ? owner : -1;
  commitMask = (rules & RULE_COMMIT_REVEAL) != 0 && (flags & FLAG_COMMIT) != 0;
  sparseWriteback = (rules & RULE_BOND_WRITEBACK) != 0;
  dropUnlisted = (rules & RULE_LIQUID_ALPHA_BOND_DROP) != 0;
  dropStoredZero = (rules & RULE_STORED_ZERO_WEIGHTS) != 0;
  dropVanished = (rules & RULE_ZERO_CONSENSUS_BOND_DROP) != 0;
  yuma3 = (flags & FLAG_YUMA3) != 0;
  liquidAlpha = (flags & FLAG_LIQUID_ALPHA) != 0;
  currentBlock = <u64>slot(job, J_CURRENT_BLOCK);
  tempo = <u64>slot(job, J_TEMPO);
  lastStep = <u64>slot(job, J_LAST_STEP);
  cutoff = <u64>slot(job, J_ACTIVITY_CUTOFF);
  kappa = <u32>slot(job, J_KAPPA);
  bma = <u64>slot(job, J_BMA);
  bondsPenalty = <u32>slot(job, J_BONDS_PENALTY);
  maxValidators = <i32>slot(job, J_MAX_VALIDATORS);
  alphaLow = <u32>slot(job, J_ALPHA_LOW);
  alphaHigh = <u32>slot(job, J_ALPHA_HIGH);
  steepness = slot(job, J_STEEPNESS);
  stakeThreshold = <u64>slot(job, J_STAKE_THRESHOLD);
  rao = <u64>slot(job, J_RAO);
  permitLen = <i32>slot(job, J_PERMIT_LEN);
  if (permitLen > n) permitLen = n;
  stakeIn = ptr(job, J_STAKE);
  weightsIn = ptr(job, J_WEIGHTS);
  presentIn = ptr(job, J_WEIGHTS_PRESENT);
  bondsIn = ptr(job, J_BONDS);
  lastUpdateIn = ptr(job, J_LAST_UPDATE);
  regIn = ptr(job, J_BLOCK_AT_REG);
  permitIn = ptr(job, J_PERMIT);
  commitIn = commitMask ? ptr(job, J_COMMIT) : 0;
  bondHintIn = ptr(job, J_BOND_ROWS_HINT);
}

// @ts-ignore: decorator
@inline export function lastUpdate(i: i32): u64 {
  return load<u64>(lastUpdateIn + (<usize>i << 3));
}

// @ts-ignore: decorator
@inline export function reg(j: i32): u64 {
  return load<u64>(regIn + (<usize>j << 3));
}

/**
 * Whether the chain removes weight (i, j) before normalising: the diagonal (except the owner under owner-self-weight),
 * weights set at or before j's registration, and (sparse, commit-reveal) weights from a commit older than j.
 */
// @ts-ignore: decorator
@inline export function weightMasked(i: i32, j: i32, luI: u64, commitI: u64): bool {
  if (i == j && i != ownerSelf) return true;
  const r = reg(j);
  return luI <= r || commitI < r;
}

/** False where the loader knows bond row i is all zero; true where it may hold bonds (then the kernel looks). */
// @ts-ignore: decorator
@inline export function bondRowMayHold(i: i32): bool {
  return bondHintIn == 0 || load<u8>(bondHintIn + <usize>i) != 0;
}

/** Commit block of row i (u64::MAX when there is no commit mask). */
// @ts-ignore: decorator
@inline export function commitOf(i: i32): u64 {
  return commitMask ? load<u64>(commitIn + (<usize>i << 3)) : u64.MAX_VALUE;
}
