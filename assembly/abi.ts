// Job header read by the epoch kernels: 64-bit slots at `job` (mirror of src/wasm/abi.ts).
export const J_N: i32 = 0;
export const J_PATH_RULES: i32 = 1;
export const J_FLAGS: i32 = 2;
export const J_OWNER: i32 = 3;
export const J_CURRENT_BLOCK: i32 = 4;
export const J_TEMPO: i32 = 5;
export const J_LAST_STEP: i32 = 6;
export const J_ACTIVITY_CUTOFF: i32 = 7;
export const J_KAPPA: i32 = 8;
export const J_BMA: i32 = 9;
export const J_BONDS_PENALTY: i32 = 10;
export const J_MAX_VALIDATORS: i32 = 11;
export const J_ALPHA_LOW: i32 = 12;
export const J_ALPHA_HIGH: i32 = 13;
export const J_STEEPNESS: i32 = 14;
export const J_STAKE_THRESHOLD: i32 = 15;
export const J_RAO: i32 = 16;
export const J_PERMIT_LEN: i32 = 17;
export const J_STAKE: i32 = 18;
export const J_WEIGHTS: i32 = 19;
export const J_WEIGHTS_PRESENT: i32 = 20;
export const J_BONDS: i32 = 21;
export const J_LAST_UPDATE: i32 = 22;
export const J_BLOCK_AT_REG: i32 = 23;
export const J_PERMIT: i32 = 24;
export const J_COMMIT: i32 = 25;
export const J_OUT_STAKE_WEIGHT: i32 = 26;
export const J_OUT_CONSENSUS: i32 = 27;
export const J_OUT_INCENTIVE: i32 = 28;
export const J_OUT_DIVIDENDS: i32 = 29;
export const J_OUT_VTRUST: i32 = 30;
export const J_OUT_ACTIVE: i32 = 31;
export const J_OUT_PERMIT: i32 = 32;
export const J_OUT_BONDS: i32 = 33;
export const J_OUT_BONDS_PRESENT: i32 = 34;
export const J_OUT_SERVER: i32 = 35;
export const J_OUT_VALIDATOR: i32 = 36;
export const J_OUT_CONSENSUS_F: i32 = 37;
export const J_OUT_INCENTIVE_F: i32 = 38;
export const J_OUT_DIVIDENDS_F: i32 = 39;
export const J_OUT_RANK_F: i32 = 40;
export const J_OUT_TRUST_F: i32 = 41;
export const J_OUT_VTRUST_F: i32 = 42;
export const J_OUT_BOND_ROWS: i32 = 43;
export const J_BOND_ROWS_HINT: i32 = 44;
export const JOB_SLOTS: i32 = 48;

export const FLAG_YUMA3: i64 = 1;
export const FLAG_LIQUID_ALPHA: i64 = 2;
export const FLAG_COMMIT: i64 = 4;
export const FLAG_HAS_OWNER: i64 = 8;
export const FLAG_PRESENCE_FROM_VALUES: i64 = 16;

// What each bond-storage row holds after the epoch (mirror of src/wasm/abi.ts ROW_*).
export const ROW_EMPTY: u8 = 0;
export const ROW_WRITTEN: u8 = 1;
export const ROW_INPUT: u8 = 2;
export const ROW_ZERO_STORED: u8 = 3;

// The chain paths' differences that follow the sparse path (J_PATH_RULES; mirror of src/epoch/path-rules.ts):
// all of them is `path: 'sparse'`, none `'dense'`.
export const RULE_OWNER_PERMIT: i64 = 1;
export const RULE_OWNER_SELF_WEIGHT: i64 = 2;
export const RULE_COMMIT_REVEAL: i64 = 4;
export const RULE_BOND_WRITEBACK: i64 = 8;
export const RULE_LIQUID_ALPHA_BOND_DROP: i64 = 16;
export const RULE_STORED_ZERO_WEIGHTS: i64 = 32;
export const RULE_ZERO_CONSENSUS_BOND_DROP: i64 = 64;
export const RULE_MECHANISM_PERMITS: i64 = 128; // read by the mechanism runner in TypeScript, not by the kernels

export const MODE_FLOAT: i32 = 0;
export const MODE_FIXED: i32 = 1;

// @ts-ignore: decorator
@inline export function slot(job: usize, k: i32): i64 {
  return load<i64>(job + (<usize>k << 3));
}

// @ts-ignore: decorator
@inline export function ptr(job: usize, k: i32): usize {
  return <usize>load<i64>(job + (<usize>k << 3));
}

// The block's coinbase table (mirror of src/wasm/abi.ts's CBH / CBS): a header of CB_HEADER_SLOTS u64 slots, then
// one record of CB_SUBNET_SLOTS u64 slots per emitting subnet in emission order. 128-bit raws take two slots
// (low word first). Fields the kernels update in place (reserves, weight, flow, pots, moving price) are read and
// written back through the same slot.
export const CBH_COUNT: i32 = 0;
export const CBH_FLAGS: i32 = 1;
export const CBH_CREDIT: i32 = 2;
export const CBH_ROOT_TW: i32 = 3;
export const CBH_OWNER_CUT: i32 = 5;
export const CBH_MOVING_ALPHA: i32 = 6;
export const CBH_BLOCK: i32 = 8;
export const CBH_ROOT_SELL: i32 = 9;
export const CBH_INJECTED_TAO: i32 = 10;
export const CBH_ROOT_PROP_TW: i32 = 12;
export const CBH_ROOT_PROP_VALID: i32 = 14;
export const CBH_MIN_RESERVE: i32 = 15;
export const CB_HEADER_SLOTS: i32 = 16;

export const CBS_FLAGS: i32 = 0;
export const CBS_MOVING: i32 = 1;
export const CBS_BURNED: i32 = 3;
export const CBS_TAO: i32 = 5;
export const CBS_ALPHA_IN: i32 = 6;
export const CBS_ALPHA_OUT: i32 = 7;
export const CBS_WEIGHT: i32 = 8;
export const CBS_ALPHA_EMISSION: i32 = 9;
export const CBS_FLOW: i32 = 10;
export const CBS_SHARE: i32 = 11;
export const CBS_POT_SERVER: i32 = 13;
export const CBS_POT_VALIDATOR: i32 = 14;
export const CBS_POT_ROOT: i32 = 15;
export const CBS_POT_OWNER: i32 = 16;
export const CBS_FIRST_EMISSION: i32 = 17;
export const CBS_HALVING: i32 = 18;
export const CBS_TAO_EMISSION: i32 = 19;
export const CBS_TAO_IN: i32 = 21;
export const CBS_ALPHA_IN_TERM: i32 = 23;
export const CBS_EXCESS: i32 = 25;
export const CBS_INJ_TAO: i32 = 27;
export const CBS_INJ_ALPHA: i32 = 28;
export const CBS_SPENT: i32 = 29;
export const CBS_OWNER_CUT: i32 = 31;
export const CBS_ROOT_ALPHA: i32 = 33;
export const CBS_CREATED: i32 = 35;
export const CBS_ROOT64: i32 = 36;
export const CBS_UNASSIGNED: i32 = 37;
export const CBS_ROOT_PROP: i32 = 38;
export const CBS_ALPHA_OUT_TERM: i32 = 40;
export const CBS_ROOT_PROP_ISSUANCE: i32 = 42;
export const CBS_BOUGHT: i32 = 43;
export const CB_SUBNET_SLOTS: i32 = 44;

// CBH_FLAGS bits: the era's rules
export const CB_ERA_HEAD: i64 = 1;
export const CB_ERA_LAUNCH: i64 = 2;
export const CB_SHARES_GIVEN: i64 = 4;
export const CB_EMISSIONS_GIVEN: i64 = 8;
// CBS_FLAGS bits: inputs, then what the kernels found
export const CB_DYNAMIC: i64 = 1;
export const CB_EMISSION_ENABLED: i64 = 2;
export const CB_OWNER_CUT_ENABLED: i64 = 4;
export const CB_PRICE_ONE: i64 = 8;
export const CB_REFUSED: i64 = 16;
export const CB_SWAP_INIT: i64 = 32;
export const CB_BOUGHT: i64 = 64;
