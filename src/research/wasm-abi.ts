/**
 * The header of one research epoch in Wasm memory: f64 slots at the job offset. Mirror of
 * assembly/research/abi.ts (test/research-wasm.test.ts checks the two agree). Buffer slots hold byte offsets
 * into the module's memory, 0 = absent.
 */
export const R = {
  VERSION: 0,
  FLAGS: 1,
  V: 2,
  M: 3,
  BLOCK_ROWS: 4,
  BLOCK_COL0: 5,
  KAPPA: 6,
  BOND_PENALTY: 7,
  BOND_MOVING_AVG: 8,
  ALPHA_LOW: 9,
  ALPHA_HIGH: 10,
  STEEPNESS: 11,
  DECAY_RATE: 12,
  CAPACITY_ALPHA: 13,
  CONSENSUS_PRECISION: 14,
  LA_MODE: 15,
  W: 16,
  S: 17,
  B_OLD: 18,
  B_NEW: 19,
  C_OLD: 20,
  W_PREV: 21,
  OUT_P: 22,
  OUT_C: 23,
  OUT_R: 24,
  OUT_I: 25,
  OUT_T: 26,
  OUT_TV: 27,
  OUT_D: 28,
  OUT_DN: 29,
  OUT_BSUM: 30,
  OUT_LIQUID: 31,
  SCRATCH: 32,
  STATUS: 33,
  DEGENERATE: 34,
  LIQUID_RAN: 35,
  W_IN: 36,
} as const;
export const R_SLOTS = 40;

export const VERSION_CODE = { yuma1: 0, yuma2: 1, yuma2b: 2, yuma2c: 3, yuma3: 4, 'yuma3-liquid': 4 } as const;

/** Flag bits. */
export const RF = {
  F32: 1,
  DEGENERATE_ARM: 2,
  NONFINITE_TORCH: 4,
  LEGACY_CONSENSUS: 8,
  LIQUID_ALPHA: 16,
  WINNER_TAKES_ALL: 32,
} as const;

export const LA_MODE_CODE = { CURRENT: 0, PREVIOUS: 1, MIXED: 2 } as const;

export const STATUS_OK = 0;
export const STATUS_BAD_WEIGHT = 1;
