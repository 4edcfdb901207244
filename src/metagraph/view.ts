import { prepareEpoch } from '../epoch/prepare.js';
import type { EpochInputLike, EpochOutput, NumericMode } from '../epoch/types.js';
import { proportionToU16 } from '../epoch/float-rules.js';
import { combinedEmissionOf } from '../epoch/combined-emission.js';

/**
 * An epoch's result with the names and units of the Python SDK's metagraph, so code written against
 * `bittensor.Metagraph` reads it as it is: vectors per UID, proportions as floats in [0, 1] (u16 / 65535), TAO
 * as floats; plus the chain's own storage (u16, rao) of the fields the epoch output has no slot for.
 */
export interface MetagraphView {
  /** Number of UIDs. */
  n: number;
  /** The block the epoch ran in. */
  block: number;
  /** 0 … n − 1. */
  uids: number[];
  /** Stake weight the epoch used, TAO. */
  S: number[];
  /** Rank (the normalised clipped rank, which the chain stored as `Rank` until 2025-10), u16 / 65535. */
  R: number[];
  /** Trust (rank after clipping / before), u16 / 65535. */
  T: number[];
  /** Consensus, u16 / 65535. */
  C: number[];
  /** Incentive, u16 / 65535. */
  I: number[];
  /** Dividends, u16 / 65535. */
  D: number[];
  /** Validator trust, u16 / 65535. */
  Tv: number[];
  /** Emission per UID this epoch (server + validator, as the chain's `Emission`), TAO. */
  E: number[];
  /** Bonds after the epoch, n rows of u16 values (as the SDK's `B`). */
  B: number[][];
  /** Active after the epoch. */
  active: boolean[];
  /** Permits granted by the epoch. */
  validator_permit: boolean[];
  /** Block of each UID's last weight update (from the input). */
  last_update: number[];
  /** Block of each UID's registration (from the input). */
  block_at_registration: number[];
  /** The chain's `Emission` storage: floor(normalised (I + D) · raoEmission), rao. Not the sum of the split emissions. */
  emission: bigint[];
  /** u16 rank as the chain stored it (`Rank`, until 2025-10). */
  rank: Uint16Array;
  /** u16 trust as the chain stored it (`Trust`, until 2025-10). */
  trust: Uint16Array;
}

const U16 = 65535;
const frac = (v: Uint16Array): number[] => Array.from(v, (x) => x / U16);

/**
 * The metagraph view of `output` for the epoch `input` it came from (`mode` must be the one it ran in: the
 * combined emission is computed in that mode's arithmetic, bit-exact with the chain in `'fixed'`).
 */
export function metagraphView(input: EpochInputLike, output: EpochOutput, opts: { mode?: NumericMode } = {}): MetagraphView {
  const p = prepareEpoch(input, undefined, { mode: opts.mode ?? 'fixed' });
  const n = p.n;
  // The chain's rank was the normalised rank, i.e. the incentive; trust was stored through fixed_proportion_to_u16.
  const rank = Uint16Array.from(output.incentive);
  const trust = Uint16Array.from(output.float.trust, proportionToU16);
  const emission = combinedEmissionOf(output, p.raoEmission, p.mode);
  const bondsDense = new Array<number[]>(n);
  for (let i = 0; i < n; i++) bondsDense[i] = new Array<number>(n).fill(0);
  if (output.bonds instanceof Uint16Array) {
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) bondsDense[i][j] = output.bonds[i * n + j];
  } else {
    output.bonds.forEach((row, i) => row.forEach(([j, v]) => (bondsDense[i][j] = v)));
  }
  return {
    n,
    block: Number(p.currentBlock),
    uids: Array.from({ length: n }, (_, i) => i),
    S: Array.from(p.stake, (s) => Number(s) / 1e9),
    R: frac(rank),
    T: frac(trust),
    C: frac(output.consensus),
    I: frac(output.incentive),
    D: frac(output.dividends),
    Tv: frac(output.validatorTrust),
    E: emission.map((e) => Number(e) / 1e9),
    B: bondsDense,
    active: output.active.slice(),
    validator_permit: output.validatorPermit.slice(),
    last_update: Array.from(p.lastUpdate, Number),
    block_at_registration: Array.from(p.blockAtRegistration, Number),
    emission,
    rank,
    trust,
  };
}
