/** Largest subnet the engine accepts (the chain's pre-2025-11 cap; HEAD caps at 256). */
export const MAX_UIDS = 4096;
/** Largest batch `engine.epochs` accepts in one call. */
export const MAX_BATCH = 4096;
/**
 * Largest Σ n² of one `engine.epochs` / `runPrepared` call (2^28 matrix cells: 16 subnets of 4096 UIDs, 4096 of
 * 256). Each cell costs about 8 bytes on the way in and out (weights, bonds, presence, output bonds), so a call
 * stays near 2 GiB of buffers; the threaded engine lays all of a call's jobs side by side in its 4 GiB memory.
 */
export const MAX_BATCH_CELLS = 2 ** 28;
/** Most mechanisms a subnet can have (the chain's `MAX_MECHANISM_COUNT_PER_SUBNET`; its runtime cap defaults to 2). */
export const MAX_MECHANISMS = 16;
/** Most subnets a list of per-subnet values may hold (the chain's storage index space, `GLOBAL_MAX_SUBNET_COUNT`). */
export const MAX_SUBNETS = 4096;
/** Most nominator stakes one validator's payout may split over. */
export const MAX_NOMINATORS = 2 ** 20;
