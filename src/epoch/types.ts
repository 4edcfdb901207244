/** Public epoch types, in chain storage units (u16 proportions, rao, block numbers). */

/** A sparse matrix row as the chain stores it: `[uid, u16 value]` pairs. */
export type SparseRow = Array<[uid: number, value: number]>;
/** Either a dense row-major `n·n` matrix (row = setter) or one sparse row per UID. */
export type U16Matrix = Uint16Array | SparseRow[];

export type UintLike = number | bigint;

export interface EpochInput {
  n: number;
  currentBlock: UintLike;
  tempo: number;
  /** Block of the previous successful epoch; 0 when there was none. */
  lastStepBlock: UintLike;
  /** Stake weight per UID, in rao. */
  stake: bigint[] | BigUint64Array;
  weights: U16Matrix;
  bonds: U16Matrix;
  lastUpdate: UintLike[] | BigUint64Array;
  blockAtRegistration: UintLike[] | BigUint64Array;
  /** Permits from the previous epoch. The chain's vector may be shorter than n (or empty on legacy subnets). */
  validatorPermit: boolean[];
  /** Subnet owner's UID (sparse path: exempt from the threshold, always permitted, keeps its self-weight). */
  ownerUid?: number;
  /**
   * Commit-reveal (sparse path only): per UID, the block of its earliest still-active weight commit, or
   * null/undefined for none. When given, weights set from a commit made before a column's registration are masked.
   */
  commitBlocks?: Array<UintLike | null | undefined>;
  /** Alpha (rao) distributed by this epoch. */
  raoEmission: bigint;
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

export interface BatchItem {
  input: EpochInput;
  hyper?: Partial<Hyperparams>;
}
