// Scratch layout of one float epoch. Every region is 16-byte aligned (v128 loads); sizes depend only on n,
// so the loader can reserve `floatScratchBytes(maxN)` once per batch and the kernel never allocates.

// @ts-ignore: decorator
@inline function al(x: usize): usize {
  return (x + 15) & ~(<usize>15);
}

// f64[n] vectors
export let STAKE: usize = 0; // normalised stake
export let ASTAKE: usize = 0; // normalised active stake
export let CONS: usize = 0; // consensus
export let RANK: usize = 0; // Σ a·clipped (unnormalised)
export let PRERANK: usize = 0; // Σ a·weights
export let INC: usize = 0; // incentive
export let VT: usize = 0; // validator trust
export let DIV: usize = 0; // dividends
export let COL_A: usize = 0; // column sums / maxima, per stage
export let COL_B: usize = 0;
export let COL_C: usize = 0;
export let COL_D: usize = 0;
export let SSHARE: usize = 0; // server emission share
export let VSHARE: usize = 0; // validator emission share
export let ZERO_ROW: usize = 0; // n zeros: the weight row of a voter outside the working rows
export let VOTE_STAKE: usize = 0; // renormalised stake of the voters
// i32[n]
export let ROWS: usize = 0; // working rows (uid order): permitted validators and rows holding bonds
export let ROW_OF: usize = 0; // uid → working-row slot, −1 if none
export let VOTERS: usize = 0; // uids with positive active stake
export let SORT_A: usize = 0;
export let SORT_B: usize = 0;
export let VOTER_ROW: usize = 0; // usize[n]: address of each voter's weight row
// u8[n]
export let RECENT: usize = 0;
export let FORBID: usize = 0;
export let PREV: usize = 0;
// median partitions: three buffers of (score, stake) f64 pairs, n + 1 each
export let MED_A: usize = 0;
export let MED_B: usize = 0;
export let MED_C: usize = 0;
// f64[rows × n] working matrix: weights, then (in place) the bond EMA
export let MAT: usize = 0;
// bytes from one working row to the next: a cache line more than the row, so that walking down a column block
// (bonds.ts) visits rows in different L1 sets (at n = 256 or 1024 unpadded rows fall into two sets and evict each other)
export let ROW_STRIDE: usize = 0;

export function scratchBytes(n: i32): usize {
  const un = <usize>n;
  const v8 = al(un << 3);
  const v4 = al(un << 2);
  const v1 = al(un);
  const pairs = al((un + 1) << 4); // a pair more than a partition holds: median.ts pads odd ones
  return 16 * v8 + 6 * v4 + 3 * v1 + 3 * pairs + un * rowStride(un) + 16;
}

export function layout(scratch: usize, n: i32): void {
  const un = <usize>n;
  const v8 = al(un << 3);
  const v4 = al(un << 2);
  const v1 = al(un);
  const pairs = al((un + 1) << 4); // a pair more than a partition holds: median.ts pads odd ones
  let p = al(scratch);
  STAKE = p; p += v8;
  ASTAKE = p; p += v8;
  CONS = p; p += v8;
  RANK = p; p += v8;
  PRERANK = p; p += v8;
  INC = p; p += v8;
  VT = p; p += v8;
  DIV = p; p += v8;
  COL_A = p; p += v8;
  COL_B = p; p += v8;
  COL_C = p; p += v8;
  COL_D = p; p += v8;
  SSHARE = p; p += v8;
  VSHARE = p; p += v8;
  ZERO_ROW = p; p += v8;
  VOTE_STAKE = p; p += v8;
  ROWS = p; p += v4;
  ROW_OF = p; p += v4;
  VOTERS = p; p += v4;
  SORT_A = p; p += v4;
  SORT_B = p; p += v4;
  VOTER_ROW = p; p += v4;
  RECENT = p; p += v1;
  FORBID = p; p += v1;
  PREV = p; p += v1;
  MED_A = p; p += pairs;
  MED_B = p; p += pairs;
  MED_C = p; p += pairs;
  MAT = p;
  ROW_STRIDE = rowStride(un);
}

// @ts-ignore: decorator
@inline function rowStride(un: usize): usize {
  return al(un << 3) + 64;
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
@inline export function i32At(base: usize, i: i32): i32 {
  return load<i32>(base + (<usize>i << 2));
}

// @ts-ignore: decorator
@inline export function setI32(base: usize, i: i32, x: i32): void {
  store<i32>(base + (<usize>i << 2), x);
}

/** Address of working row `slot` of the matrix. */
// @ts-ignore: decorator
@inline export function matRow(slot: i32, n: i32): usize {
  return MAT + <usize>slot * ROW_STRIDE;
}

/** `x / Σx` in place (uid order) when the sum is non-zero. */
export function normalizeVec(v: usize, n: i32): void {
  let s = 0.0;
  for (let i = 0; i < n; i++) s += f64At(v, i);
  if (s != 0) for (let i = 0; i < n; i++) setF64(v, i, f64At(v, i) / s);
}
