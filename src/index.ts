export { YumaError, isYumaError, type YumaErrorCode } from './errors.js';
export { RAO, TOTAL_SUPPLY, U16_MAX, U64_MAX } from './units.js';
export * from './epoch/types.js';
export { MAX_UIDS, MAX_BATCH, MAX_BATCH_CELLS, MAX_MECHANISMS, MAX_SUBNETS, MAX_NOMINATORS } from './epoch/limits.js';
export {
  splitEmission,
  mechanismWeight,
  mechanismStorageIndex,
  netuidAndMechanism,
  GLOBAL_MAX_SUBNET_COUNT,
  prepareMechanismEpoch,
  type PreparedMechanismEpoch,
} from './epoch/mechanisms.js';
export { prepareEpoch, resolveHyper, type PreparedEpoch } from './epoch/prepare.js';
export { toJSON, fromJSON, type JsonValue, type EpochOutputJSON } from './epoch/json.js';
export { fromMetagraph, taoToRao, type MetagraphLike, type FromMetagraphOptions, type MetagraphEpoch } from './metagraph/from-metagraph.js';
export { metagraphView, type MetagraphView } from './metagraph/view.js';
export type { RawEpochResult } from './epoch/result.js';
export { PATH_RULES, type PathRule, type PathRuleCode } from './epoch/path-rules.js';
export {
  DIVERGENCE_FIELDS,
  type CauseEffect,
  type DivergenceField,
  type MechanismDivergence,
  type MechanismPathDivergence,
  type PathDivergence,
  type PathDivergenceOptions,
  type UidDivergence,
} from './epoch/divergence.js';
export { createEngine, createEngineSync, type Engine, type EngineOptions } from './engine.js';
export { Subnet, type SubnetOptions, type SubnetEpochOptions, type MechanismOption, vecU16MaxUpscaleToU16, combinedEmission } from './subnet/index.js';
// The neuron tables are the state Subnet, Chain and the simulator share; their methods trust those callers, so
// the package exports their types only, never a way to build or call one outside the checked API.
export { packRow, unpackRow, type SubnetNeurons, type MechanismNeurons, type PackedRow, type PruneRules, type WeightsRow, type WeightsProblem } from './subnet/neurons.js';
export * from './dtao/index.js';
export * from './sim/index.js';
export { Chain, MAX_RUN_BLOCKS, type ChainOptions, chainStateFromJSON, chainStateToJSON, newChainState, newSubnet, defaultRegistration, ChainRefused, StakingRefused } from './chain/index.js';
export type { ChainState, ChainSubnet, BlockReport, EpochReport, SubnetRegistration, SubnetFields, ChainErrorName, RegisterRequest, RegisterResult, SetWeightsRequest, RootClaimType, ClaimRootRequest, RootClaimPayout } from './chain/index.js';
export { blockReportToJSON } from './chain/report-json.js';
export { inplacePowNormalize, MAX_POW_NORMALIZE_VALUES } from './chain/flow-normalize.js';
