export { YumaError, isYumaError, type YumaErrorCode } from './errors.js';
export { RAO, TOTAL_SUPPLY, U16_MAX, U64_MAX } from './units.js';
export * from './epoch/types.js';
export { MAX_UIDS, MAX_BATCH } from './epoch/limits.js';
export { prepareEpoch, resolveHyper, type PreparedEpoch } from './epoch/prepare.js';
export type { RawEpochResult } from './epoch/result.js';
export { createEngine, createEngineSync, type Engine } from './engine.js';
export { Subnet, type SubnetOptions, type SubnetEpochOptions, vecU16MaxUpscaleToU16, combinedEmission } from './subnet/index.js';
export * from './dtao/index.js';
