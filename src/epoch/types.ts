import { toInt } from '../validation/values.js';
/** Public epoch types, in chain storage units (u16 proportions, rao, block numbers). */

/** A sparse matrix row as the chain stores it: `[uid, u16 value]` pairs. */
export type SparseRow = Array<[uid: number, value: number]>;
/** Either a dense row-major `n·n` matrix (row = setter) or one sparse row per UID. */
export type U16Matrix = Uint16Array | SparseRow[];

/** A whole number: a safe-integer `number` or a `bigint` (blocks, u64 counts). */
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
  /** Number of UIDs of the subnet (`SubnetworkN`), 1 to `MAX_UIDS` (4096); every per-UID vector has this length. */
  n: number;
  /** The block this epoch runs in (`current_block`). */
  currentBlock: UintLike;
  /** Blocks between the subnet's epochs, minus one (`Tempo`, u16); used for the `lastStepBlock` forms. */
  tempo: number;
  /** Block of the previous successful epoch; 0 when there was none. */
  lastStepBlock: UintLike;
  /** Stake weight per UID, in rao. */
  stake: bigint[] | BigUint64Array;
  /** Block in which each UID's hotkey registered (`BlockAtRegistration`); weights not newer than it are masked. */
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
  /** Weights (row = the UID that set them), u16 per entry as `set_weights` stores them (max-upscaled rows). */
  weights: U16Matrix;
  /** Bonds as the chain stored them after the previous epoch, u16 per entry; the output's `bonds` replace them. */
  bonds: U16Matrix;
  /** Block of each UID's last weight update (`LastUpdate`); activity and outdated weights are judged on it. */
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
  /** 1 to 16 mechanisms (`MAX_MECHANISMS`), in mechanism order; mechanism 0 is the netuid's own storage. */
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

/**
 * A subnet's hyper-parameters in the chain's storage units. Every field is optional where one is taken
 * (`Partial<Hyperparams>`); a missing one takes its `DEFAULT_HYPERPARAMS` value; an unknown key is `E_ARG`.
 */
export interface Hyperparams {
  /** `Kappa`: the consensus quantile, u16 as a proportion of 65535 (0 … 65535). Default 32767 (≈ ½: the stake-weighted median). */
  kappa: number;
  /**
   * `BondsMovingAverage`, per 1 000 000 (0 … 1 000 000): the share of the old bonds kept by the bond EMA
   * (α = 1 − value/10⁶ goes to the new ones; also Yuma3's α without liquid alpha). Default 900 000 (α = 0.1).
   */
  bondsMovingAverage: number;
  /**
   * `BondsPenalty`, u16 as a proportion of 65535: how far weights for bonds are pulled from the weights towards
   * the clipped weights (`W + β·(clipped − W)`, β = value/65535). Default 65535 (β = 1: bonds on clipped weights).
   */
  bondsPenalty: number;
  /**
   * `ActivityCutoff`, in blocks (0 … 2³²−1): a UID whose last update is older than this is inactive (its stake
   * does not vote). Default 5000. See `activityCutoffFromFactor` for the chain's per-mille-of-tempo setting.
   */
  activityCutoff: number;
  /** `MaxAllowedValidators` (u16): how many UIDs, by stake, get a validator permit. Default 128. */
  maxAllowedValidators: number;
  /** `LiquidAlphaEnabled`: the bond EMA's α per entry from consensus (a sigmoid between alphaLow and alphaHigh). Default false. */
  liquidAlphaEnabled: boolean;
  /** Low end of liquid alpha's range (`AlphaValues.0`), u16 as a proportion of 65535; ≤ alphaHigh. Default 45875 (0.7). */
  alphaLow: number;
  /** High end of liquid alpha's range (`AlphaValues.1`), u16 as a proportion of 65535. Default 58982 (0.9). */
  alphaHigh: number;
  /** `AlphaSigmoidSteepness` (i16, −32768 … 32767): liquid alpha's sigmoid slope is value/100. Default 1000. */
  alphaSigmoidSteepness: number;
  /** `Yuma3On`: Yuma3 bonds (relative bonds from the EMA of weights, dividends from bonds × incentive). Default false. */
  yuma3Enabled: boolean;
  /** `StakeThreshold`, in rao: a UID with less stake weight gets no validator permit (the owner is exempt on the sparse path). Default 0. */
  stakeThreshold: bigint;
}

/** The defaults of every hyper-parameter (frozen), as listed on `Hyperparams`' fields. */
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
  const t = toInt(tempo, 'tempo', 0, 65535); // u16 on chain
  const f = toInt(factorMilli, 'factorMilli', 0, 4_294_967_295); // u32 on chain
  return Math.max(1, Math.floor((f * t) / 1000));
}

/** Arithmetic of an epoch: `fixed` reproduces the chain's fixed-point numbers bit for bit, `float` runs in f64. */
export type NumericMode = 'fixed' | 'float';
/** Which chain code path to reproduce: `sparse` = `epoch_mechanism` (what runs), `dense` = its test twin. */
export type ChainPath = 'sparse' | 'dense';

/** How an epoch runs. */
export interface EpochOptions {
  /** Arithmetic. Default `'fixed'` (bit-exact with the chain). */
  mode?: NumericMode;
  /** Chain code path. Default `'sparse'` (`epoch_mechanism`, what the chain runs). */
  path?: ChainPath;
}

/** The epoch's vectors before the chain rounds them to u16, as proportions (fixed mode: the fixed-point values as f64). */
export interface EpochFloatViews {
  /** Consensus per UID (the stake-weighted κ-quantile of its column), 0 … 1. */
  consensus: Float64Array;
  /** Incentive per UID (normalised rank), summing to 1 or 0. */
  incentive: Float64Array;
  /** Dividends per UID (normalised), summing to 1 or 0. */
  dividends: Float64Array;
  /** Σᵢ activeStakeᵢ · clippedᵢⱼ before normalisation. */
  rank: Float64Array;
  /** rank / prerank (0 where prerank is 0); the chain stopped storing it in 2025-10. */
  trust: Float64Array;
  /** Validator trust per UID: the share of its weight that survived clipping, 0 … 1. */
  validatorTrust: Float64Array;
}

/** One subnet's epoch result, in the chain's storage units: what it writes to storage and pays out. */
export interface EpochOutput {
  /** Stake weight per UID (`StakeWeight`), u16 as a proportion of 65535: its share of the total stake above the threshold. */
  stakeWeight: Uint16Array;
  /** Consensus per UID (`Consensus`), u16 as a proportion of 65535. */
  consensus: Uint16Array;
  /** Incentive per UID (`Incentive`), u16 as a proportion of 65535 (sums to about 65535 when any is paid). */
  incentive: Uint16Array;
  /** Dividends per UID (`Dividends`), u16 as a proportion of 65535. */
  dividends: Uint16Array;
  /** Validator trust per UID (`ValidatorTrust`), u16 as a proportion of 65535. */
  validatorTrust: Uint16Array;
  /** Whether each UID updated within the activity cutoff (`Active`). */
  active: boolean[];
  /** The permits this epoch grants (`ValidatorPermit`); the next epoch reads them as its input. */
  validatorPermit: boolean[];
  /** Bonds as the chain stores them after this epoch, in the layout the input used. */
  bonds: U16Matrix;
  /** Miner emission per UID in rao (the incentive share of the epoch's emission). */
  serverEmission: bigint[];
  /** Validator emission per UID in rao (the dividend share of the epoch's emission). */
  validatorEmission: bigint[];
  /** The same vectors unrounded (plus rank and trust). */
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

/** One subnet of an `engine.epochs` batch. */
export interface BatchItem {
  /** The subnet's epoch input, with or without mechanisms, in any accepted spelling. */
  input: EpochInput | MechanismEpochInput | EpochInputLike | MechanismEpochInputLike;
  /** Its hyper-parameters; missing fields take `DEFAULT_HYPERPARAMS`. */
  hyper?: Partial<Hyperparams>;
}
