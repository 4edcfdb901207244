import { YumaError } from '../errors.js';
import { prepareEpoch } from '../epoch/prepare.js';
import type { EpochInputLike, EpochOutput, NumericMode } from '../epoch/types.js';
import { proportionToU16 } from '../epoch/float-rules.js';
import { combinedEmissionOf } from '../epoch/combined-emission.js';
import { MAX_UIDS } from '../epoch/limits.js';
import { guard, readFields, readList, readOptions, typedLength } from '../validation/read.js';
import { describe, typedArrayKind } from '../validation/describe.js';
import { toBool, toInt, toNumberIn, toU16, toU64 } from '../validation/values.js';

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
 * combined emission is computed in that mode's arithmetic, bit-exact with the chain in `'fixed'`). The output is
 * read once and checked against the input's n (E_SHAPE, E_RANGE, …), as any caller value.
 */
export function metagraphView(input: EpochInputLike, output: EpochOutput, opts: { mode?: NumericMode } = {}): MetagraphView {
  const o = readOptions(opts, 'options', ['mode'] as const);
  const p = prepareEpoch(input, undefined, { mode: (o.mode as NumericMode | undefined) ?? 'fixed' });
  const n = p.n;
  const out = readOutput(output, n);
  // The chain's rank was the normalised rank, i.e. the incentive; trust was stored through fixed_proportion_to_u16.
  const rank = Uint16Array.from(out.incentive);
  const trust = Uint16Array.from(out.float.trust, proportionToU16);
  const emission = combinedEmissionOf(out, p.raoEmission, p.mode);
  const bondsDense = new Array<number[]>(n);
  for (let i = 0; i < n; i++) bondsDense[i] = new Array<number>(n).fill(0);
  if (out.bonds instanceof Uint16Array) {
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) bondsDense[i][j] = out.bonds[i * n + j];
  } else {
    out.bonds.forEach((row, i) => row.forEach(([j, v]) => (bondsDense[i][j] = v)));
  }
  return {
    n,
    block: Number(p.currentBlock),
    uids: Array.from({ length: n }, (_, i) => i),
    S: Array.from(p.stake, (s) => Number(s) / 1e9),
    R: frac(rank),
    T: frac(trust),
    C: frac(out.consensus),
    I: frac(out.incentive),
    D: frac(out.dividends),
    Tv: frac(out.validatorTrust),
    E: emission.map((e) => Number(e) / 1e9),
    B: bondsDense,
    active: out.active,
    validator_permit: out.validatorPermit,
    last_update: Array.from(p.lastUpdate, Number),
    block_at_registration: Array.from(p.blockAtRegistration, Number),
    emission,
    rank,
    trust,
  };
}

const OUTPUT_KEYS = ['consensus', 'incentive', 'dividends', 'validatorTrust', 'active', 'validatorPermit', 'bonds', 'validatorEmission', 'float'] as const;

/** The fields of an epoch output the view reads, each read once into a checked copy of n entries. */
function readOutput(value: unknown, n: number): EpochOutput {
  return guard('output', () => {
    if (typeof value !== 'object' || value === null) throw new YumaError('E_ARG', `output must be an epoch output (got ${describe(value)})`);
    const o = readFields(value, 'output', OUTPUT_KEYS);
    const list = (v: unknown, field: string): unknown[] => {
      if (v === undefined) throw new YumaError('E_SHAPE', `${field} is missing`);
      const a = readList(v, field, MAX_UIDS, true);
      if (a.length !== n) throw new YumaError('E_SHAPE', `${field} has ${a.length} entries; the input has n = ${n}`);
      return a;
    };
    const u16 = (k: 'consensus' | 'incentive' | 'dividends' | 'validatorTrust') => Uint16Array.from(list(o[k], `output.${k}`), (x, i) => toU16(x, `output.${k}[${i}]`));
    const flags = (k: 'active' | 'validatorPermit') => list(o[k], `output.${k}`).map((x, i) => toBool(x, `output.${k}[${i}]`));
    if (o.float === undefined) throw new YumaError('E_SHAPE', 'output.float is missing');
    const f = readFields(o.float, 'output.float', ['trust', 'incentive', 'dividends']);
    const unit = (k: 'trust' | 'incentive' | 'dividends') => Float64Array.from(list(f[k], `output.float.${k}`), (x, i) => toNumberIn(x, `output.float.${k}[${i}]`, 0, 1));
    return {
      consensus: u16('consensus'),
      incentive: u16('incentive'),
      dividends: u16('dividends'),
      validatorTrust: u16('validatorTrust'),
      active: flags('active'),
      validatorPermit: flags('validatorPermit'),
      validatorEmission: list(o.validatorEmission, 'output.validatorEmission').map((x, i) => toU64(x, `output.validatorEmission[${i}]`)),
      float: { trust: unit('trust'), incentive: unit('incentive'), dividends: unit('dividends') },
      bonds: readBonds(o.bonds, n),
    } as unknown as EpochOutput;
  });
}

/** Bonds as the epoch returns them: a dense n·n Uint16Array, or n sparse rows of [uid in [0, n), u16] pairs. */
function readBonds(value: unknown, n: number): Uint16Array | Array<Array<[number, number]>> {
  if (value === undefined) throw new YumaError('E_SHAPE', 'output.bonds is missing');
  if (typedArrayKind(value) === 'Uint16Array') {
    const len = typedLength(value as Uint16Array);
    if (len !== n * n) throw new YumaError('E_SHAPE', `output.bonds (dense) has ${len} entries, expected n·n = ${n * n}`);
    return new Uint16Array(value as Uint16Array);
  }
  const rows = readList(value, 'output.bonds', MAX_UIDS);
  if (rows.length !== n) throw new YumaError('E_SHAPE', `output.bonds has ${rows.length} rows; the input has n = ${n}`);
  return rows.map((row, i) =>
    readList(row, `output.bonds[${i}]`, n).map((pair, e): [number, number] => {
      const where = `output.bonds[${i}][${e}]`;
      const pr = readList(pair, where, 2);
      if (pr.length !== 2) throw new YumaError('E_SHAPE', `${where} must be a [uid, value] pair`);
      return [toInt(pr[0], `${where} uid`, 0, n - 1), toU16(pr[1], `${where} value`)];
    }),
  );
}
