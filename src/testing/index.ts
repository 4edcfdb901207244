/**
 * `yuma-wasm/testing`: the property-testing tools yuma-wasm's own suite uses, for users who want to
 * property-test their incentive designs the same way. Needs `fast-check` installed (a peer of this entry).
 */
export {
  arbEpochInput,
  arbHyperparams,
  arbEpochCase,
  arbMechanismEpochInput,
  arbEmissionSplit,
  withLayout,
  SUBNET_FLAVOURS,
  type SubnetFlavour,
  type ArbEpochInputOptions,
  type ArbHyperparamsOptions,
  type ArbMechanismEpochInputOptions,
} from './arbitraries.js';
export { checkEpochInvariants, assertEpochInvariants, type InvariantOptions, type InvariantViolation } from './invariants.js';
export { createReferenceEngine } from './reference-engine.js';
/** The plain TypeScript references the Wasm kernels are tested against (take `prepareEpoch(...)`'s output). */
export { referenceEpoch, referenceEpochFixed, referenceEpochWithMechanisms, toEpochOutput } from './references.js';
export type { RawEpochResult } from '../epoch/result.js';
