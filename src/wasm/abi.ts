/**
 * The job header the TypeScript side writes into Wasm memory for one epoch: 64-bit slots at `job`.
 * Mirror of assembly/abi.ts; a test checks the two agree. Scalars are stored as i64 (u64 bit patterns for
 * block numbers and rao); pointers are byte offsets into the Wasm memory (0 = absent).
 */
export const J = {
  N: 0,
  PATH_RULES: 1, // bits of src/epoch/path-rules.ts
  FLAGS: 2,
  OWNER: 3,
  CURRENT_BLOCK: 4,
  TEMPO: 5,
  LAST_STEP: 6,
  ACTIVITY_CUTOFF: 7,
  KAPPA: 8,
  BMA: 9,
  BONDS_PENALTY: 10,
  MAX_VALIDATORS: 11,
  ALPHA_LOW: 12,
  ALPHA_HIGH: 13,
  STEEPNESS: 14,
  STAKE_THRESHOLD: 15,
  RAO: 16,
  PERMIT_LEN: 17,
  // inputs
  STAKE: 18, // u64[n]
  WEIGHTS: 19, // u16[n·n]
  WEIGHTS_PRESENT: 20, // u8[n·n]
  BONDS: 21, // u16[n·n]
  LAST_UPDATE: 22, // u64[n]
  BLOCK_AT_REG: 23, // u64[n]
  PERMIT: 24, // u8[n]
  COMMIT: 25, // u64[n] or 0 when commit-reveal masking is off
  // outputs
  OUT_STAKE_WEIGHT: 26, // u16[n]
  OUT_CONSENSUS: 27, // u16[n]
  OUT_INCENTIVE: 28, // u16[n]
  OUT_DIVIDENDS: 29, // u16[n]
  OUT_VTRUST: 30, // u16[n]
  OUT_ACTIVE: 31, // u8[n]
  OUT_PERMIT: 32, // u8[n]
  OUT_BONDS: 33, // u16[n·n]
  OUT_BONDS_PRESENT: 34, // u8[n·n]
  OUT_SERVER: 35, // u64[n]
  OUT_VALIDATOR: 36, // u64[n]
  OUT_CONSENSUS_F: 37, // f64[n]
  OUT_INCENTIVE_F: 38, // f64[n]
  OUT_DIVIDENDS_F: 39, // f64[n]
  OUT_RANK_F: 40, // f64[n]
  OUT_TRUST_F: 41, // f64[n]
  OUT_VTRUST_F: 42, // f64[n]
  OUT_BOND_ROWS: 43, // u8[n]: what each row of the bond storage holds (ROW_*)
  // input, optional (0 = absent): u8[n], 0 where the loader knows bond row i is all zero (resident state), so the
  // kernels skip scanning it for stored bonds; non-zero means "may hold bonds" (the kernels scan it)
  BOND_ROWS_HINT: 44,
} as const;

export const JOB_SLOTS = 48;
export const JOB_BYTES = JOB_SLOTS * 8;

export const FLAG_YUMA3 = 1;
export const FLAG_LIQUID_ALPHA = 2;
export const FLAG_COMMIT = 4;
export const FLAG_HAS_OWNER = 8;
/** Set by the loader for dense-layout input: WEIGHTS_PRESENT is filled in Wasm as `weights != 0` before the kernel runs. */
export const FLAG_PRESENCE_FROM_VALUES = 16;

/**
 * Kinds of bond-storage rows after an epoch. Only `ROW_WRITTEN` rows are written to OUT_BONDS / OUT_BONDS_PRESENT;
 * the loader fills the others itself, so no n² region is cleared or copied that the epoch did not compute.
 */
export const ROW_EMPTY = 0; // all zero, nothing stored
export const ROW_WRITTEN = 1; // values and presence in the output region
export const ROW_INPUT = 2; // the input row, unchanged (presence: value != 0)
export const ROW_ZERO_STORED = 3; // all zero, every entry stored (the dense path's empty EMA row)

export const MODE_FLOAT = 0;
export const MODE_FIXED = 1;

/**
 * The block's coinbase table (mirror of assembly/abi.ts's CBH_* / CBS_*): a header of CB_HEADER_SLOTS u64 slots,
 * then one record of CB_SUBNET_SLOTS per emitting subnet in emission order; a 128-bit raw takes two slots (low word
 * first). Reserves, weight, flow, pots and the moving price are updated in place.
 */
export const CBH = {
  COUNT: 0,
  FLAGS: 1,
  CREDIT: 2, // in: the block's TAO credit; out: what is left to recycle
  ROOT_TW: 3, // U96F32 tw·root TAO (2 slots)
  OWNER_CUT: 5, // u16 SubnetOwnerCut
  MOVING_ALPHA: 6, // I96F32 SubnetMovingAlpha (2 slots)
  BLOCK: 8,
  ROOT_SELL: 9, // out: 1 when Σ moving prices > 1
  INJECTED_TAO: 10, // out: Σ TAO injected into pools (2 slots)
  ROOT_PROP_TW: 12, // the tw·root TAO the alpha-out pass's root proportions used (2 slots)
  ROOT_PROP_VALID: 14, // 1 once the alpha-out pass has written them (the header's open clears it)
  MIN_RESERVE: 15, // the swap pallet's MinimumReserve (u64)
} as const;
export const CB_HEADER_SLOTS = 16;

export const CBS = {
  FLAGS: 0,
  MOVING: 1, // I96F32 SubnetMovingPrice (2 slots; updated by the moving-price pass)
  BURNED: 3, // U96F32 MinerBurned (2 slots)
  TAO: 5,
  ALPHA_IN: 6,
  ALPHA_OUT: 7,
  WEIGHT: 8, // Perquintill quote weight
  ALPHA_EMISSION: 9, // u64 block emission for the subnet's alpha issuance
  FLOW: 10, // i64 SubnetProtocolFlow
  SHARE: 11, // U64F64 share (2 slots; in when the shares are given)
  POT_SERVER: 13,
  POT_VALIDATOR: 14,
  POT_ROOT: 15,
  POT_OWNER: 16,
  FIRST_EMISSION: 17,
  HALVING: 18,
  TAO_EMISSION: 19, // U96F32 terms (2 slots each)
  TAO_IN: 21,
  ALPHA_IN_TERM: 23,
  EXCESS: 25,
  INJ_TAO: 27, // u64 TAO injected
  INJ_ALPHA: 28, // u64 alpha injected
  SPENT: 29, // u64 excess TAO taken from the credit for a buy (the caller swaps it)
  OWNER_CUT: 31, // U96F32 (2 slots)
  ROOT_ALPHA: 33, // U96F32 (2 slots)
  CREATED: 35, // u64 alpha out minted
  ROOT64: 36, // u64 root alpha (pending or recycled)
  UNASSIGNED: 37, // u64 alpha minted into no pot
  ROOT_PROP: 38, // U96F32 root proportion (2 slots)
  ALPHA_OUT_TERM: 40, // U96F32 alpha out of the terms (2 slots)
  ROOT_PROP_ISSUANCE: 42, // the alpha issuance CBS.ROOT_PROP was computed for
  BOUGHT: 43, // u64 alpha the excess-TAO buy took from the pool (with CB_BOUGHT)
} as const;
export const CB_SUBNET_SLOTS = 44;

export const CB_ERA_HEAD = 1;
export const CB_ERA_LAUNCH = 2;
export const CB_SHARES_GIVEN = 4;
/** The TAO emission slots hold the caller's TAO emissions (the terms of `subnetTerms`): no credit × share. */
export const CB_EMISSIONS_GIVEN = 8;
export const CB_DYNAMIC = 1;
export const CB_EMISSION_ENABLED = 2;
export const CB_OWNER_CUT_ENABLED = 4;
export const CB_PRICE_ONE = 8;
export const CB_REFUSED = 16;
/** The pool's weights are initialised (PalSwapInitialized). */
export const CB_SWAP_INIT = 32;
/** The inject pass made the subnet's excess-TAO buy (CBS.BOUGHT); otherwise the caller swaps CBS.SPENT. */
export const CB_BOUGHT = 64;
