import type { PreparedEpoch } from './prepare.js';
import type { EpochOutput, SparseRow } from './types.js';

/**
 * What every implementation (Wasm kernels and references) returns for one epoch, in flat typed arrays.
 * `bonds`/`bondsPresent` are the whole n·n bond storage after the epoch's write-back: rows the chain leaves
 * untouched (dense path) are copied from the input, and `bondsPresent` marks the entries the chain stores
 * (the sparse path stores EMA entries whose u16 value rounds to 0).
 */
export interface RawEpochResult {
  stakeWeight: Uint16Array;
  consensus: Uint16Array;
  incentive: Uint16Array;
  dividends: Uint16Array;
  validatorTrust: Uint16Array;
  active: Uint8Array;
  validatorPermit: Uint8Array;
  bonds: Uint16Array;
  bondsPresent: Uint8Array;
  /** Optional (Wasm path): which bond rows store nothing at all, so the sparse output need not scan them. */
  bondRowEmpty?: Uint8Array;
  serverEmission: BigUint64Array;
  validatorEmission: BigUint64Array;
  consensusF: Float64Array;
  incentiveF: Float64Array;
  dividendsF: Float64Array;
  rankF: Float64Array;
  trustF: Float64Array;
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
export function toEpochOutput(p: PreparedEpoch, r: RawEpochResult): EpochOutput {
  const n = p.n;
  let bonds: EpochOutput['bonds'];
  if (p.layout === 'dense') {
    bonds = r.bonds;
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
