// The header the TypeScript side writes for one research epoch: f64 slots at `job` (mirror of
// src/research/wasm-abi.ts; test/research-wasm.test.ts checks the two agree). Buffer slots hold byte
// offsets into this module's memory (0 = absent); f64 holds every offset below 4 GiB exactly.
export const R_VERSION: i32 = 0;
export const R_FLAGS: i32 = 1;
export const R_V: i32 = 2;
export const R_M: i32 = 3;
export const R_BLOCK_ROWS: i32 = 4;
export const R_BLOCK_COL0: i32 = 5;
export const R_KAPPA: i32 = 6;
export const R_BOND_PENALTY: i32 = 7;
export const R_BOND_MOVING_AVG: i32 = 8;
export const R_ALPHA_LOW: i32 = 9;
export const R_ALPHA_HIGH: i32 = 10;
export const R_STEEPNESS: i32 = 11;
export const R_DECAY_RATE: i32 = 12;
export const R_CAPACITY_ALPHA: i32 = 13;
export const R_CONSENSUS_PRECISION: i32 = 14;
export const R_LA_MODE: i32 = 15;
// inputs (W is normalised in place. B_NEW may be B_OLD: the bonds are updated entry by entry, each read before it
// is written, and only after every weight has passed its check, so a refused epoch still leaves the state as it was)
export const R_W: i32 = 16;
export const R_S: i32 = 17;
export const R_B_OLD: i32 = 18;
export const R_B_NEW: i32 = 19;
export const R_C_OLD: i32 = 20;
export const R_W_PREV: i32 = 21;
// output vectors
export const R_OUT_P: i32 = 22;
export const R_OUT_C: i32 = 23;
export const R_OUT_R: i32 = 24;
export const R_OUT_I: i32 = 25;
export const R_OUT_T: i32 = 26;
export const R_OUT_TV: i32 = 27;
export const R_OUT_D: i32 = 28;
export const R_OUT_DN: i32 = 29;
/** Column sums of the bonds bought (Yuma 1/2/2B), M. */
export const R_OUT_BSUM: i32 = 30;
/** The liquid-alpha matrix (V×M) when the caller wants it, else 0. */
export const R_OUT_LIQUID: i32 = 31;
export const R_SCRATCH: i32 = 32;
// results written by the kernel
export const R_STATUS: i32 = 33;
export const R_DEGENERATE: i32 = 34;
export const R_LIQUID_RAN: i32 = 35;
/**
 * The raw weights in a buffer of their own, in the matrices' type (0: already in W): the normalisation pass
 * copies each row into W as it reads it, so the caller's input buffer is read in place and never normalised.
 */
export const R_W_IN: i32 = 36;
export const R_SLOTS: i32 = 40;

export const VERSION_YUMA1: i32 = 0;
export const VERSION_YUMA2: i32 = 1;
export const VERSION_YUMA2B: i32 = 2;
export const VERSION_YUMA2C: i32 = 3;
export const VERSION_YUMA3: i32 = 4;

/** torch's float32: matrices stored as f32, every operation rounded to float32 (the *32 kernels). */
export const RF_F32: i32 = 1;
export const RF_DEGENERATE_ARM: i32 = 2;
export const RF_NONFINITE_TORCH: i32 = 4;
export const RF_LEGACY_CONSENSUS: i32 = 8;
export const RF_LIQUID_ALPHA: i32 = 16;
export const RF_WINNER_TAKES_ALL: i32 = 32;

export const LA_CURRENT: i32 = 0;
export const LA_PREVIOUS: i32 = 1;
export const LA_MIXED: i32 = 2;

export const STATUS_OK: i32 = 0;
/** A weight that is negative, NaN or infinite: the caller names it and nothing is kept. */
export const STATUS_BAD_WEIGHT: i32 = 1;

/** Rows at least this long are summed in four interleaved lanes (indices ≡ 0, 1, 2, 3 mod 4), shorter ones in order. */
export const LANE_MIN: i32 = 16;

// @ts-ignore: decorator
@inline export function slotF(job: usize, k: i32): f64 {
  return load<f64>(job + (<usize>k << 3));
}

// @ts-ignore: decorator
@inline export function slotI(job: usize, k: i32): i32 {
  return <i32>load<f64>(job + (<usize>k << 3));
}

// @ts-ignore: decorator
@inline export function slotP(job: usize, k: i32): usize {
  return <usize>load<f64>(job + (<usize>k << 3));
}

// @ts-ignore: decorator
@inline export function setSlot(job: usize, k: i32, x: f64): void {
  store<f64>(job + (<usize>k << 3), x);
}
