/** Largest subnet the engine accepts (the chain's pre-2025-11 cap; HEAD caps at 256). */
export const MAX_UIDS = 4096;
/** Largest batch `engine.epochs` accepts in one call. */
export const MAX_BATCH = 4096;
