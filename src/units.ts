/** 1 TAO (and 1 alpha) in its smallest unit. */
export const RAO = 1_000_000_000n;
/** The 21M TAO cap, in rao. */
export const TOTAL_SUPPLY = 21_000_000n * RAO;
/** Largest u16: the chain's unit for proportions (65535 = 1) and weights. */
export const U16_MAX = 65535;
/** Largest u64 (2⁶⁴ − 1): the ceiling of rao amounts, stakes and blocks. */
export const U64_MAX = (1n << 64n) - 1n;
/** Largest u128: the ceiling of the chain's u128 amounts (subnet volume, registration totals, root claims). */
export const U128_MAX = (1n << 128n) - 1n;
/** Amounts of TAO or alpha in rao as decimal strings, so a report survives `JSON.stringify`. */
export type RaoString = string;
