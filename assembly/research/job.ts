// One research epoch's scalars and buffers, read once from the header (abi.ts) into globals the steps share,
// and the layout of the scratch region (sized by researchScratchBytes).
import {
  LA_CURRENT, R_ALPHA_HIGH, R_ALPHA_LOW, R_BLOCK_COL0, R_BLOCK_ROWS, R_BOND_MOVING_AVG, R_BOND_PENALTY, R_B_NEW, R_B_OLD,
  R_CAPACITY_ALPHA, R_CONSENSUS_PRECISION, R_C_OLD, R_DECAY_RATE, R_FLAGS, R_KAPPA, R_LA_MODE, R_M, R_OUT_BSUM, R_OUT_C,
  R_OUT_D, R_OUT_DN, R_OUT_I, R_OUT_LIQUID, R_OUT_P, R_OUT_R, R_OUT_T, R_OUT_TV, R_S, R_SCRATCH, R_STEEPNESS, R_V, R_VERSION,
  R_W, R_W_IN, R_W_PREV, RF_DEGENERATE_ARM, RF_F32, RF_LEGACY_CONSENSUS, RF_LIQUID_ALPHA, RF_NONFINITE_TORCH, RF_WINNER_TAKES_ALL,
  slotF, slotI, slotP,
} from './abi';

export let version: i32 = 0;
/** Float32 epoch: W, B_OLD, B_NEW, W_PREV and LIQUID hold f32; vectors stay f64 (holding float32 values). */
export let f32mode: bool = false;
export let degenerateArm: bool = false;
export let nonFiniteTorch: bool = false;
export let legacyConsensus: bool = false;
export let liquidAlphaOn: bool = false;
export let winnerTakesAll: bool = false;
export let V: i32 = 0;
export let M: i32 = 0;
export let blockRows: i32 = 0;
export let blockCol0: i32 = 0;
export let kappa: f64 = 0;
export let bondPenalty: f64 = 0;
export let bondMovingAvg: f64 = 0;
export let alphaLow: f64 = 0;
export let alphaHigh: f64 = 0;
export let steepness: f64 = 0;
export let decayRate: f64 = 0;
export let capacityAlpha: f64 = 0;
export let consensusPrecision: f64 = 0;
export let laMode: i32 = LA_CURRENT;

export let W: usize = 0;
export let S: usize = 0;
export let B_OLD: usize = 0;
export let B_NEW: usize = 0;
export let C_OLD: usize = 0;
export let W_PREV: usize = 0;
/** The raw weights' own buffer (R_W_IN), or 0. */
export let W_IN: usize = 0;
export let P: usize = 0;
export let C: usize = 0;
export let R: usize = 0;
export let I: usize = 0;
export let T: usize = 0;
export let TV: usize = 0;
export let D: usize = 0;
export let DN: usize = 0;
export let BSUM: usize = 0;
export let LIQUID: usize = 0;

// scratch
export let ROW_SUM_W: usize = 0; // V
export let ROW_SUM_WC: usize = 0; // V
export let C_RAW: usize = 0; // M
export let COL_SUM: usize = 0; // M
export let FACTOR: usize = 0; // M
export let C_LIQUID: usize = 0; // M
export let CONSENSUS_WORK: usize = 0; // consensusWorkBytes(V, M); the keys first
export let KEYS: usize = 0; // keysBytes(V, M): the keys by block of BLOCK columns
// f32 epochs: per-column vectors as f32 for the f32x4 loops (M each)
export let P32: usize = 0;
export let R32: usize = 0;
export let C32: usize = 0;
export let CL32: usize = 0;
export let I32: usize = 0;
export let COL32: usize = 0;
export let DEN32: usize = 0;
export let BSUM32: usize = 0;
const F32_VECTORS = 8;

/**
 * Columns of one block of keys (a row's keys of a block are one 16-byte store) and of one bucket table: BLOCK ×
 * TABLE_COLUMN bytes, 33 KB, of which the sums touch each column's filled buckets only.
 */
export const BLOCK: i32 = 16;
/** At most this many buckets per column (about one per validator, at least 16). */
export const MAX_BUCKETS: i32 = 256;
/**
 * Bytes from one column's buckets to the next's in the consensus's bucket table (MAX_BUCKETS i64, and a cache line
 * so that columns two apart do not start at one address modulo 4 KiB).
 */
export const TABLE_COLUMN: usize = (<usize>MAX_BUCKETS << 3) + 64;

/** The select's split copy of up to 16 candidates: 17 weights and, 16-aligned after them, 17 units (one pad each). */
export const SPLIT_BYTES: usize = 288;

export function bucketsFor(v: i32): i32 {
  let k = 16;
  while (k < MAX_BUCKETS && k < v) k <<= 1;
  return k;
}

/**
 * Columns whose candidates are gathered in one row-major pass: a multiple of 16 (one vector of keys), 64 while
 * their candidate room (V × 64 × 16 bytes) is at most 4 MiB, else 16.
 */
export function gatherSpan(v: i32): i32 {
  return v <= 4096 ? 64 : 16;
}

/** Columns of one gather: the span, or all of them when there are fewer. */
export function spanWidth(v: i32, m: i32): i32 {
  return min(gatherSpan(v), m);
}

/**
 * Bytes from one block's keys to the next's (block b of BLOCK columns holds each row's BLOCK keys in row order):
 * one cache line more than the block's rows, so that a row's blocks do not all fall in one L1 set.
 */
// @ts-ignore: decorator
@inline export function keyBlockBytes(v: i32): usize {
  return ((<usize>v * BLOCK + 63) & ~(<usize>63)) + 64;
}

// @ts-ignore: decorator
@inline export function keysBytes(v: i32, m: i32): usize {
  return keyBlockBytes(v) * <usize>((m + BLOCK - 1) / BLOCK) + 16;
}

/**
 * Candidate slots (16 bytes: weight, stake units) per column of a span: room for every row, and a multiple of
 * 256 slots plus 4, so the columns' lists start one cache line apart modulo 4 KiB instead of all in one L1 set.
 */
export function candStride(v: i32): usize {
  return ((<usize>v + 255) & ~(<usize>255)) + 4;
}

/**
 * The bucket key of every weight (one byte each, by block of BLOCK columns: keysBytes), one bucket table, each validator's stake in units,
 * each column's key scale and highest key, per-column state of one span (crossing bucket, stake above it, candidates found),
 * the select's 256 sub-buckets and split copy, and room for the span's candidates.
 */
export function consensusWorkBytes(v: i32, m: i32): usize {
  const span = <usize>gatherSpan(v);
  return (
    keysBytes(v, m) + <usize>BLOCK * TABLE_COLUMN + align16(<usize>v << 3) + align16(<usize>m << 3) + align16(<usize>m) + span * 16 + 256 * 8 + SPLIT_BYTES + candStride(v) * <usize>spanWidth(v, m) * 16
  );
}

// @ts-ignore: decorator
@inline function align16(x: usize): usize {
  return (x + 15) & ~(<usize>15);
}

export function scratchBytes(v: i32, m: i32): usize {
  return align16(<usize>v << 3) * 2 + align16(<usize>m << 3) * 4 + align16(<usize>m << 2) * F32_VECTORS + align16(consensusWorkBytes(v, m));
}

export function readResearchJob(job: usize): void {
  version = slotI(job, R_VERSION);
  const flags = slotI(job, R_FLAGS);
  f32mode = (flags & RF_F32) != 0;
  degenerateArm = (flags & RF_DEGENERATE_ARM) != 0;
  nonFiniteTorch = (flags & RF_NONFINITE_TORCH) != 0;
  legacyConsensus = (flags & RF_LEGACY_CONSENSUS) != 0;
  liquidAlphaOn = (flags & RF_LIQUID_ALPHA) != 0;
  winnerTakesAll = (flags & RF_WINNER_TAKES_ALL) != 0;
  V = slotI(job, R_V);
  M = slotI(job, R_M);
  blockRows = slotI(job, R_BLOCK_ROWS);
  blockCol0 = slotI(job, R_BLOCK_COL0);
  kappa = slotF(job, R_KAPPA);
  bondPenalty = slotF(job, R_BOND_PENALTY);
  bondMovingAvg = slotF(job, R_BOND_MOVING_AVG);
  alphaLow = slotF(job, R_ALPHA_LOW);
  alphaHigh = slotF(job, R_ALPHA_HIGH);
  steepness = slotF(job, R_STEEPNESS);
  decayRate = slotF(job, R_DECAY_RATE);
  capacityAlpha = slotF(job, R_CAPACITY_ALPHA);
  consensusPrecision = slotF(job, R_CONSENSUS_PRECISION);
  laMode = slotI(job, R_LA_MODE);
  W = slotP(job, R_W);
  S = slotP(job, R_S);
  B_OLD = slotP(job, R_B_OLD);
  B_NEW = slotP(job, R_B_NEW);
  C_OLD = slotP(job, R_C_OLD);
  W_PREV = slotP(job, R_W_PREV);
  W_IN = slotP(job, R_W_IN);
  P = slotP(job, R_OUT_P);
  C = slotP(job, R_OUT_C);
  R = slotP(job, R_OUT_R);
  I = slotP(job, R_OUT_I);
  T = slotP(job, R_OUT_T);
  TV = slotP(job, R_OUT_TV);
  D = slotP(job, R_OUT_D);
  DN = slotP(job, R_OUT_DN);
  BSUM = slotP(job, R_OUT_BSUM);
  LIQUID = slotP(job, R_OUT_LIQUID);
  let at = slotP(job, R_SCRATCH);
  ROW_SUM_W = at;
  at += align16(<usize>V << 3);
  ROW_SUM_WC = at;
  at += align16(<usize>V << 3);
  C_RAW = at;
  at += align16(<usize>M << 3);
  COL_SUM = at;
  at += align16(<usize>M << 3);
  FACTOR = at;
  at += align16(<usize>M << 3);
  C_LIQUID = at;
  at += align16(<usize>M << 3);
  const v32 = align16(<usize>M << 2);
  P32 = at;
  R32 = P32 + v32;
  C32 = R32 + v32;
  CL32 = C32 + v32;
  I32 = CL32 + v32;
  COL32 = I32 + v32;
  DEN32 = COL32 + v32;
  BSUM32 = DEN32 + v32;
  at += v32 * F32_VECTORS;
  CONSENSUS_WORK = at;
  KEYS = at;
}

// @ts-ignore: decorator
@inline export function f64At(base: usize, i: i32): f64 {
  return load<f64>(base + (<usize>i << 3));
}

// @ts-ignore: decorator
@inline export function setF64(base: usize, i: i32, x: f64): void {
  store<f64>(base + (<usize>i << 3), x);
}

// @ts-ignore: decorator
@inline export function f32At(base: usize, i: i32): f32 {
  return load<f32>(base + (<usize>i << 2));
}

// @ts-ignore: decorator
@inline export function setF32(base: usize, i: i32, x: f32): void {
  store<f32>(base + (<usize>i << 2), x);
}

/** x rounded to float32 (what torch keeps of one double-computed operation on float32 operands). */
// @ts-ignore: decorator
@inline export function fr(x: f64): f64 {
  return <f64><f32>x;
}

/** Byte offset of row v of a V×M f32 matrix. */
// @ts-ignore: decorator
@inline export function row32(base: usize, v: i32): usize {
  return base + ((<usize>v * <usize>M) << 2);
}

/** Byte offset of row v of a V×M f64 matrix. */
// @ts-ignore: decorator
@inline export function rowAt(base: usize, v: i32): usize {
  return base + ((<usize>v * <usize>M) << 3);
}
