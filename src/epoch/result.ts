import type { PreparedEpoch } from './prepare.js';
import type { EpochOutput, SparseRow } from './types.js';

/**
 * What every implementation (Wasm kernels and references) returns for one epoch, in flat typed arrays.
 * `bonds`/`bondsPresent` are the whole n·n bond storage after the epoch's write-back: rows the chain leaves
 * untouched (dense path) are copied from the input, and `bondsPresent` marks the entries the chain stores
 * (the sparse path stores EMA entries whose u16 value rounds to 0).
 */
export interface RawEpochResult {
  /** As `EpochOutput.stakeWeight` (u16 per UID). */
  stakeWeight: Uint16Array;
  /** As `EpochOutput.consensus` (u16 per UID). */
  consensus: Uint16Array;
  /** As `EpochOutput.incentive` (u16 per UID). */
  incentive: Uint16Array;
  /** As `EpochOutput.dividends` (u16 per UID). */
  dividends: Uint16Array;
  /** As `EpochOutput.validatorTrust` (u16 per UID). */
  validatorTrust: Uint16Array;
  /** 1 where the UID is active. */
  active: Uint8Array;
  /** 1 where the UID holds a permit after this epoch. */
  validatorPermit: Uint8Array;
  /** The n·n bond storage after the epoch, row-major u16. */
  bonds: Uint16Array;
  /** 1 where the chain stores a bond entry (see above). */
  bondsPresent: Uint8Array;
  /** Optional (Wasm path): which bond rows store nothing at all, so the sparse output need not scan them. */
  bondRowEmpty?: Uint8Array;
  /**
   * Optional (Wasm path, sparse layout): the output's bond rows, read straight from Wasm memory; `bonds` and
   * `bondsPresent` are then empty.
   */
  bondRows?: SparseRow[];
  /** Miner emission per UID, rao. */
  serverEmission: BigUint64Array;
  /** Validator emission per UID, rao. */
  validatorEmission: BigUint64Array;
  /** Unrounded consensus (`EpochFloatViews.consensus`). */
  consensusF: Float64Array;
  /** Unrounded incentive. */
  incentiveF: Float64Array;
  /** Unrounded dividends. */
  dividendsF: Float64Array;
  /** Unrounded rank. */
  rankF: Float64Array;
  /** Unrounded trust. */
  trustF: Float64Array;
  /** Unrounded validator trust. */
  validatorTrustF: Float64Array;
}

export function allocRawResult(n: number): RawEpochResult {
  return {
    stakeWeight: new Uint16Array(n),
    consensus: new Uint16Array(n),
    incentive: new Uint16Array(n),
    dividends: new Uint16Array(n),
    validatorTrust: new Uint16Array(n),
    active: new Uint8Array(n),
    validatorPermit: new Uint8Array(n),
    bonds: new Uint16Array(n * n),
    bondsPresent: new Uint8Array(n * n),
    serverEmission: new BigUint64Array(n),
    validatorEmission: new BigUint64Array(n),
    consensusF: new Float64Array(n),
    incentiveF: new Float64Array(n),
    dividendsF: new Float64Array(n),
    rankF: new Float64Array(n),
    trustF: new Float64Array(n),
    validatorTrustF: new Float64Array(n),
  };
}

// Plain loops: Array.from with a map function or an iterator is several times slower on these short vectors.
function toBooleans(v: Uint8Array): boolean[] {
  const out: boolean[] = new Array(v.length);
  for (let i = 0; i < v.length; i++) out[i] = v[i] !== 0;
  return out;
}

function toBigints(v: BigUint64Array): bigint[] {
  const out: bigint[] = new Array(v.length);
  for (let i = 0; i < v.length; i++) out[i] = v[i];
  return out;
}

/** Turns a raw result into the public shape, bonds in the caller's layout. */
export function toEpochOutput(p: Pick<PreparedEpoch, 'n' | 'layout'>, r: RawEpochResult): EpochOutput {
  const n = p.n;
  let bonds: EpochOutput['bonds'];
  if (p.layout === 'dense') {
    bonds = r.bonds;
  } else if (r.bondRows !== undefined) {
    bonds = r.bondRows;
  } else {
    const rows: SparseRow[] = new Array(n);
    const empty = r.bondRowEmpty;
    for (let i = 0; i < n; i++) {
      const row: SparseRow = [];
      rows[i] = row;
      if (empty && empty[i]) continue;
      const base = i * n;
      for (let j = 0; j < n; j++) if (r.bondsPresent[base + j]) row.push([j, r.bonds[base + j]]);
    }
    bonds = rows;
  }
  return {
    stakeWeight: r.stakeWeight,
    consensus: r.consensus,
    incentive: r.incentive,
    dividends: r.dividends,
    validatorTrust: r.validatorTrust,
    active: toBooleans(r.active),
    validatorPermit: toBooleans(r.validatorPermit),
    bonds,
    serverEmission: toBigints(r.serverEmission),
    validatorEmission: toBigints(r.validatorEmission),
    float: {
      consensus: r.consensusF,
      incentive: r.incentiveF,
      dividends: r.dividendsF,
      rank: r.rankF,
      trust: r.trustF,
      validatorTrust: r.validatorTrustF,
    },
  };
}
