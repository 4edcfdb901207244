/** 1 TAO (and 1 alpha) in its smallest unit. */
export const RAO = 1_000_000_000n;
/** The 21M TAO cap, in rao. */
export const TOTAL_SUPPLY = 21_000_000n * RAO;
export const U16_MAX = 65535;
export const U64_MAX = (1n << 64n) - 1n;
