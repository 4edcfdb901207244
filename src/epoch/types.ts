/** Public epoch types, in chain storage units (u16 proportions, rao, block numbers). */

/** A sparse matrix row as the chain stores it: `[uid, u16 value]` pairs. */
export type SparseRow = Array<[uid: number, value: number]>;
/** Either a dense row-major `n·n` matrix (row = setter) or one sparse row per UID. */
export type U16Matrix = Uint16Array | SparseRow[];

export type UintLike = number | bigint;

/** A whole number as input: a safe-integer `number`, a `bigint`, or a decimal string such as `"1000000000"` (JSON). */
export type UintInput = number | bigint | string;

/**
 * A u16 matrix as input (row = the UID that set it), in any of these spellings, all validated alike:
 * - `Uint16Array` of n·n, row-major (the fastest: copied straight into Wasm), or a flat `number[]` of n·n;
 * - n dense rows: `number[][]` (as JSON and the Python SDK write a matrix) or typed rows;
 * - n sparse rows of `[uid, value]` pairs, as the chain stores them (explicit zeros kept).
 * Every dense spelling is the *dense layout* (a stored entry is a value ≠ 0; bonds come back as a `Uint16Array`);
 * sparse rows are the *sparse layout* (bonds come back as sparse rows).
 */
export type U16MatrixInput = U16Matrix | ReadonlyArray<ArrayLike<number>> | readonly number[];

/** The per-subnet fields of an epoch input: what every mechanism of a subnet shares. */
export interface SubnetEpochFields {
  n: number;
  currentBlock: UintLike;
  tempo: number;
  /** Block of the previous successful epoch; 0 when there was none. */
  lastStepBlock: UintLike;
  /** Stake weight per UID, in rao. */
  stake: bigint[] | BigUint64Array;
  blockAtRegistration: UintLike[] | BigUint64Array;
  /** Permits from the previous epoch. The chain's vector may be shorter than n (or empty on legacy subnets). */
  validatorPermit: boolean[];
  /** Subnet owner's UID (sparse path: exempt from the threshold, always permitted, keeps its self-weight). */
  ownerUid?: number;
  /** Alpha (rao) distributed by this epoch (with mechanisms: by all of them together). */
  raoEmission: bigint;
}

/**
 * What the chain keeps per mechanism (under the storage index `mechanism·4096 + netuid`): weights, bonds,
 * last-update blocks and weight commits. A subnet without mechanisms has exactly one, mechanism 0.
 */
export interface MechanismInput {
  weights: U16Matrix;
  bonds: U16Matrix;
  lastUpdate: UintLike[] | BigUint64Array;
  /**
   * Commit-reveal (sparse path only): per UID, the block of its earliest still-active weight commit, or
   * null/undefined for none. When given, weights set from a commit made before a column's registration are masked.
   */
  commitBlocks?: Array<UintLike | null | undefined>;
}

/** One subnet's epoch with a single mechanism (the classic shape). */
export interface EpochInput extends SubnetEpochFields, MechanismInput {
  mechanisms?: undefined;
  emissionSplit?: undefined;
}

/**
 * One subnet's epoch as the chain runs it at HEAD (`epoch_with_mechanisms`): 1 to 16 mechanisms, each with its
 * own weights, bonds, last-update and commits, sharing the subnet's stake, registrations and permits.
 * `weights`, `bonds`, `lastUpdate` and `commitBlocks` live in `mechanisms` and must be absent here (`E_ARG`).
 */
export interface MechanismEpochInput extends SubnetEpochFields {
  mechanisms: MechanismInput[];
  /**
   * `MechanismEmissionSplit`: one u16 part per mechanism, summing to 65535. Absent: an even split
   * (`floor(raoEmission / count)` each). Either way the rounding remainder goes to mechanism 0.
   */
  emissionSplit?: number[];
  weights?: undefined;
  bonds?: undefined;
  lastUpdate?: undefined;
  commitBlocks?: undefined;
}

export interface Hyperparams {
  kappa: number;
  bondsMovingAverage: number;
  bondsPenalty: number;
  /** Activity cutoff in blocks (see `activityCutoffFromFactor` for the chain's per-mille-of-tempo setting). */
  activityCutoff: number;
  maxAllowedValidators: number;
  liquidAlphaEnabled: boolean;
  alphaLow: number;
  alphaHigh: number;
  alphaSigmoidSteepness: number;
  yuma3Enabled: boolean;
  stakeThreshold: bigint;
}

export const DEFAULT_HYPERPARAMS: Readonly<Hyperparams> = Object.freeze({
  kappa: 32767,
  bondsMovingAverage: 900_000,
  bondsPenalty: 65535,
  activityCutoff: 5000,
  maxAllowedValidators: 128,
  liquidAlphaEnabled: false,
  alphaLow: 45875,
  alphaHigh: 58982,
  alphaSigmoidSteepness: 1000,
  yuma3Enabled: false,
  stakeThreshold: 0n,
});

/** Chain default of `ActivityCutoffFactorMilli` (‰ of tempo). */
export const DEFAULT_ACTIVITY_CUTOFF_FACTOR_MILLI = 13_889;

/** The chain's activity cutoff in blocks: `max(1, floor(factorMilli · tempo / 1000))`. */
export function activityCutoffFromFactor(tempo: number, factorMilli = DEFAULT_ACTIVITY_CUTOFF_FACTOR_MILLI): number {
  return Math.max(1, Math.floor((factorMilli * tempo) / 1000));
}

export type NumericMode = 'fixed' | 'float';
/** Which chain code path to reproduce: `sparse` = `epoch_mechanism` (what runs), `dense` = its test twin. */
export type ChainPath = 'sparse' | 'dense';

export interface EpochOptions {
  mode?: NumericMode;
  path?: ChainPath;
}

export interface EpochFloatViews {
  consensus: Float64Array;
  incentive: Float64Array;
  dividends: Float64Array;
  /** Σᵢ activeStakeᵢ · clippedᵢⱼ before normalisation. */
  rank: Float64Array;
  /** rank / prerank (0 where prerank is 0); the chain stopped storing it in 2025-10. */
  trust: Float64Array;
  validatorTrust: Float64Array;
}

export interface EpochOutput {
  stakeWeight: Uint16Array;
  consensus: Uint16Array;
  incentive: Uint16Array;
  dividends: Uint16Array;
  validatorTrust: Uint16Array;
  active: boolean[];
  validatorPermit: boolean[];
  /** Bonds as the chain stores them after this epoch, in the layout the input used. */
  bonds: U16Matrix;
  serverEmission: bigint[];
  validatorEmission: bigint[];
  float: EpochFloatViews;
}

/**
 * An epoch with mechanisms: the aggregate the chain persists per netuid, plus each mechanism's own epoch.
 * Aggregated as `epoch_with_mechanisms` does, with mechanism weights `wₘ = U64F64(eₘ) / U64F64(raoEmission)`
 * (mechanism 0 gets 1, the others 0, when `raoEmission` is 0):
 * - `stakeWeight`, `consensus`, `dividends`, `validatorTrust`: `floor(acc + vₘ·wₘ)` over the mechanisms in U64F64;
 * - `serverEmission`, `validatorEmission`: summed (what the coinbase pays);
 * - `active`, `validatorPermit`: OR-ed;
 * - `incentive` and `bonds`: mechanism 0's, which is what the chain stores under the netuid's own key (every
 *   mechanism stores its own; the chain's aggregate carries a weighted first-mechanism incentive it never stores);
 * - `float` views weighted the same way in f64 (`incentive`: mechanism 0's).
 */
export interface MechanismEpochOutput extends EpochOutput {
  /** Each mechanism's own epoch, in order; its `incentive` and `bonds` are what the chain stores under its index. */
  mechanisms: EpochOutput[];
  /** `split_emissions`: the alpha (rao) each mechanism distributed; sums to `raoEmission`. */
  mechanismEmission: bigint[];
  /** The chain's `Emission` (rao) per UID: each mechanism's combined emission, weighted like the u16 terms. */
  emission: bigint[];
  /**
   * The stake `epoch_with_mechanisms` hands to the voting-power EMA: each mechanism's stake summed (saturating
   * u64), so k mechanisms count a hotkey's stake k times. Not stored per netuid.
   */
  votingStake: bigint[];
}

/** The per-subnet fields as input: amounts and blocks also as decimal strings (the JSON form). */
export type SubnetEpochFieldsLike = Omit<SubnetEpochFields, 'currentBlock' | 'lastStepBlock' | 'stake' | 'blockAtRegistration' | 'raoEmission'> & {
  /** The block this epoch runs in. */
  currentBlock: UintInput;
  /** Block of the previous successful epoch; 0 when there was none. */
  lastStepBlock: UintInput;
  /** Stake weight per UID, in rao. */
  stake: readonly UintInput[] | BigUint64Array;
  /** Block in which each UID's hotkey registered. */
  blockAtRegistration: readonly UintInput[] | BigUint64Array;
  /** Alpha (rao) distributed by this epoch (with mechanisms: by all of them together). */
  raoEmission: UintInput;
};

/** One mechanism's fields as input: matrices in any `U16MatrixInput` spelling, blocks also as decimal strings. */
export interface MechanismInputLike {
  /** Weights (row = the UID that set them), u16 per entry as stored by `set_weights`. */
  weights: U16MatrixInput;
  /** Bonds as the chain stored them after the previous epoch, u16 per entry. */
  bonds: U16MatrixInput;
  /** Block of each UID's last weight update. */
  lastUpdate: readonly UintInput[] | BigUint64Array;
  /** Commit-reveal (sparse path only): per UID, the block of its earliest still-active commit, or null/undefined. */
  commitBlocks?: ReadonlyArray<UintInput | null | undefined>;
}

/**
 * What `engine.epoch`, `engine.epochs` and `prepareEpoch` accept besides `EpochInput`: the same fields with amounts
 * and blocks also as decimal strings and matrices in any `U16MatrixInput` spelling — the JSON form of an epoch
 * (what `yuma-wasm epoch` reads) works as it is.
 */
export type EpochInputLike = SubnetEpochFieldsLike &
  MechanismInputLike & {
    mechanisms?: undefined;
    emissionSplit?: undefined;
  };

/** `MechanismEpochInput` in the same spellings as `EpochInputLike`, per mechanism too. */
export type MechanismEpochInputLike = SubnetEpochFieldsLike & {
  /** 1 to 16 mechanisms, each with its own weights, bonds, last-update and commits. */
  mechanisms: readonly MechanismInputLike[];
  /** One u16 part per mechanism, summing to 65535; absent: an even split. */
  emissionSplit?: readonly number[];
  weights?: undefined;
  bonds?: undefined;
  lastUpdate?: undefined;
  commitBlocks?: undefined;
};

export interface BatchItem {
  input: EpochInput | MechanismEpochInput | EpochInputLike | MechanismEpochInputLike;
  hyper?: Partial<Hyperparams>;
}
