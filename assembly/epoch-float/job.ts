// The current job's header, read once per epoch into globals so every stage sees the same values.
import {
  FLAG_COMMIT, FLAG_HAS_OWNER, FLAG_LIQUID_ALPHA, FLAG_YUMA3, J_ACTIVITY_CUTOFF, J_ALPHA_HIGH, J_ALPHA_LOW, J_BLOCK_AT_REG,
  J_BMA, J_BONDS, J_BONDS_PENALTY, J_COMMIT, J_CURRENT_BLOCK, J_FLAGS, J_KAPPA, J_LAST_STEP, J_LAST_UPDATE, J_MAX_VALIDATORS,
  J_N, J_OWNER, J_PATH, J_PERMIT, J_PERMIT_LEN, J_RAO, J_STAKE, J_STAKE_THRESHOLD, J_STEEPNESS, J_TEMPO, J_WEIGHTS,
  J_WEIGHTS_PRESENT, PATH_DENSE, ptr, slot,
} from '../abi';

export let N: i32 = 0;
export let DENSE: bool = false;
export let OWNER: i32 = -1; // −1: no owner
export let YUMA3: bool = false;
export let LIQUID: bool = false;
export let CURRENT_BLOCK: u64 = 0;
export let TEMPO: u64 = 0;
export let LAST_STEP: u64 = 0;
export let CUTOFF: u64 = 0;
export let KAPPA: i32 = 0;
export let BMA: i64 = 0;
export let BONDS_PENALTY: i32 = 0;
export let MAX_VALIDATORS: i32 = 0;
export let ALPHA_LOW: i32 = 0;
export let ALPHA_HIGH: i32 = 0;
export let STEEPNESS: i32 = 0;
export let THRESHOLD: u64 = 0;
export let RAO: u64 = 0;
export let PERMIT_LEN: i32 = 0;
export let IN_STAKE: usize = 0;
export let IN_W: usize = 0;
export let IN_WP: usize = 0;
export let IN_B: usize = 0;
export let IN_LU: usize = 0;
export let IN_REG: usize = 0;
export let IN_PERMIT: usize = 0;
export let IN_COMMIT: usize = 0; // 0 when commit-reveal masking is off (or on the dense path, which has none)

export function readJob(job: usize): void {
  N = <i32>slot(job, J_N);
  DENSE = slot(job, J_PATH) == PATH_DENSE;
  const flags = slot(job, J_FLAGS);
  // The owner only matters on the sparse path: the dense path has no owner handling at all.
  OWNER = (flags & FLAG_HAS_OWNER) != 0 && !DENSE ? <i32>slot(job, J_OWNER) : -1;
  YUMA3 = (flags & FLAG_YUMA3) != 0;
  LIQUID = (flags & FLAG_LIQUID_ALPHA) != 0;
  CURRENT_BLOCK = <u64>slot(job, J_CURRENT_BLOCK);
  TEMPO = <u64>slot(job, J_TEMPO);
  LAST_STEP = <u64>slot(job, J_LAST_STEP);
  CUTOFF = <u64>slot(job, J_ACTIVITY_CUTOFF);
  KAPPA = <i32>slot(job, J_KAPPA);
  BMA = slot(job, J_BMA);
  BONDS_PENALTY = <i32>slot(job, J_BONDS_PENALTY);
  MAX_VALIDATORS = <i32>slot(job, J_MAX_VALIDATORS);
  ALPHA_LOW = <i32>slot(job, J_ALPHA_LOW);
  ALPHA_HIGH = <i32>slot(job, J_ALPHA_HIGH);
  STEEPNESS = <i32>slot(job, J_STEEPNESS);
  THRESHOLD = <u64>slot(job, J_STAKE_THRESHOLD);
  RAO = <u64>slot(job, J_RAO);
  PERMIT_LEN = <i32>slot(job, J_PERMIT_LEN);
  IN_STAKE = ptr(job, J_STAKE);
  IN_W = ptr(job, J_WEIGHTS);
  IN_WP = ptr(job, J_WEIGHTS_PRESENT);
  IN_B = ptr(job, J_BONDS);
  IN_LU = ptr(job, J_LAST_UPDATE);
  IN_REG = ptr(job, J_BLOCK_AT_REG);
  IN_PERMIT = ptr(job, J_PERMIT);
  IN_COMMIT = (flags & FLAG_COMMIT) != 0 && !DENSE ? ptr(job, J_COMMIT) : 0;
}

// @ts-ignore: decorator
@inline export function lastUpdate(i: i32): u64 {
  return load<u64>(IN_LU + (<usize>i << 3));
}

// @ts-ignore: decorator
@inline export function registeredAt(j: i32): u64 {
  return load<u64>(IN_REG + (<usize>j << 3));
}

// @ts-ignore: decorator
@inline export function commitBlock(i: i32): u64 {
  return load<u64>(IN_COMMIT + (<usize>i << 3));
}
