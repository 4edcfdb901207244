// Where each working array lives inside the caller's scratch region (16-byte aligned, sized by
// `fixedScratchBytes`). The kernel never allocates: these globals are set once per job by `carve`.

// @ts-ignore: decorator
@inline function al(x: usize): usize {
  return (x + 15) & ~(<usize>15);
}

/** The one n·n-sized block: I32F32 rows of the UIDs that carry weights or bonds (weights, then Δ/EMA in place). */
export let M: usize = 0;
// I32F32 vectors of n
export let STAKE: usize = 0;
export let ACT: usize = 0;
export let CONS: usize = 0;
export let VTRUST: usize = 0;
export let RANK: usize = 0;
export let PRERANK: usize = 0;
export let INC: usize = 0;
export let DIV: usize = 0;
export let COL_A: usize = 0;
export let COL_B: usize = 0;
export let ZERO_ROW: usize = 0;
/** Weighted median: three ping-pong buffers of (score, stake) i64 pairs, plus the renormalised stake per voter. */
export let MED_A: usize = 0;
export let MED_B: usize = 0;
export let MED_C: usize = 0;
export let USE_STAKE: usize = 0;
/** f64 reciprocals of per-column divisors (see assembly/fixed/proportion.ts `fracDiv`). */
export let INV_A: usize = 0;
export let INV_B: usize = 0;
export let COL_C: usize = 0;
export let COL_D: usize = 0;
/** Voter row pointers (into M, or ZERO_ROW for a voter without a weight row). */
export let VOTER_ROW: usize = 0;
// sort keys for the permit top-k (two buffers for the merge sort)
export let KEYS_A: usize = 0;
export let KEYS_B: usize = 0;
// i32 vectors
/** Compact rows of M: ROWS[r] = uid; ROW_OF[uid] = r or -1. */
export let ROWS: usize = 0;
export let ROW_OF: usize = 0;
// u8 flags of n
export let INACTIVE: usize = 0;
export let OLD_PERMIT: usize = 0;
export let NEW_PERMIT: usize = 0;
export let RECENT: usize = 0;

const I64_VECTORS: usize = 24; // 12 vectors + ZERO_ROW + 3 median buffers (16-byte pairs) + USE_STAKE + VOTER_ROW + 2 f64
const U64_VECTORS: usize = 2;
const I32_VECTORS: usize = 2;
const U8_VECTORS: usize = 4;

export function scratchBytes(n: i32): usize {
  const un = <usize>n;
  return un * rowStride(<i32>un) + (I64_VECTORS + U64_VECTORS) * al(8 * un) + I32_VECTORS * al(4 * un) + U8_VECTORS * al(un) + 16;
}

export function carve(scratch: usize, n: i32): void {
  const un = <usize>n;
  let p = al(scratch);
  const v8 = al(8 * un);
  M = p; p += un * rowStride(<i32>un);
  STAKE = p; p += v8;
  ACT = p; p += v8;
  CONS = p; p += v8;
  VTRUST = p; p += v8;
  RANK = p; p += v8;
  PRERANK = p; p += v8;
  INC = p; p += v8;
  DIV = p; p += v8;
  COL_A = p; p += v8;
  COL_B = p; p += v8;
  ZERO_ROW = p; p += v8;
  MED_A = p; p += 2 * v8;
  MED_B = p; p += 2 * v8;
  MED_C = p; p += 2 * v8;
  USE_STAKE = p; p += v8;
  INV_A = p; p += v8;
  INV_B = p; p += v8;
  COL_C = p; p += v8;
  COL_D = p; p += v8;
  VOTER_ROW = p; p += v8;
  KEYS_A = p; p += v8;
  KEYS_B = p; p += v8;
  ROWS = p; p += al(4 * un);
  ROW_OF = p; p += al(4 * un);
  INACTIVE = p; p += al(un);
  OLD_PERMIT = p; p += al(un);
  NEW_PERMIT = p; p += al(un);
  RECENT = p; p += al(un);
}

// @ts-ignore: decorator
@inline export function ld(base: usize, i: i32): i64 {
  return load<i64>(base + (<usize>i << 3));
}

// @ts-ignore: decorator
@inline export function st(base: usize, i: i32, v: i64): void {
  store<i64>(base + (<usize>i << 3), v);
}

// @ts-ignore: decorator
@inline export function ldU8(base: usize, i: i32): bool {
  return load<u8>(base + <usize>i) != 0;
}

// @ts-ignore: decorator
@inline export function stU8(base: usize, i: i32, v: bool): void {
  store<u8>(base + <usize>i, v ? 1 : 0);
}

// @ts-ignore: decorator
@inline export function ldI32(base: usize, i: i32): i32 {
  return load<i32>(base + (<usize>i << 2));
}

// @ts-ignore: decorator
@inline export function stI32(base: usize, i: i32, v: i32): void {
  store<i32>(base + (<usize>i << 2), v);
}

/**
 * Bytes from one row of M to the next: a cache line more than the row, so that walking down a column (the
 * median's first round, four columns at a time) visits rows in different L1 sets (at n = 1024 unpadded rows,
 * 8 KB apart, all fall into one set and evict each other).
 */
// @ts-ignore: decorator
@inline export function rowStride(n: i32): usize {
  return al(<usize>n << 3) + 64;
}
