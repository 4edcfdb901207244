import type { EpochInput, EpochOutput, Hyperparams, U16Matrix } from '../epoch/types.js';
import { UsageError } from './args.js';

/**
 * The JSON spelling of an epoch (the format of the chain conformance fixtures, test/fixtures/README.md): rao amounts as
 * decimal strings (or safe integers), matrices as n rows of n u16 values, or as sparse rows of [uid, value] pairs.
 * A file holds either a bare input or `{ input, hyper?, mode?, path? }` (a conformance line works as is).
 */
export interface EpochFile {
  input: EpochInput;
  hyper?: Partial<Hyperparams>;
  mode?: 'fixed' | 'float';
  path?: 'sparse' | 'dense';
}

const BIG = /^[0-9]+$/;

function big(v: unknown, field: string): unknown {
  if (typeof v === 'string') {
    if (!BIG.test(v)) throw new UsageError(`${field}: '${v}' is not a whole number of rao`);
    return BigInt(v);
  }
  return v; // numbers and wrong types go on to the engine's own validation, which names the field
}

function matrix(v: unknown, n: unknown, field: string): U16Matrix {
  if (!Array.isArray(v)) throw new UsageError(`${field} must be an array (n rows of n u16, or sparse rows of [uid, value])`);
  const rows = v as unknown[];
  const isFlat = rows.every((x) => typeof x === 'number');
  if (isFlat && rows.length > 0) return Uint16Array.from(rows as number[]);
  const isDenseRows = rows.length > 0 && rows.every((r) => Array.isArray(r) && (r as unknown[]).every((x) => typeof x === 'number'));
  if (isDenseRows && typeof n === 'number' && rows.every((r) => (r as unknown[]).length === n)) {
    const m = new Uint16Array(n * n);
    rows.forEach((r, i) => {
      (r as number[]).forEach((x, j) => {
        if (!Number.isInteger(x) || x < 0 || x > 65535) throw new UsageError(`${field}[${i}][${j}] must be a u16 (got ${x})`);
        m[i * n + j] = x;
      });
    });
    return m;
  }
  return rows as U16Matrix;
}

export function decodeEpochFile(json: unknown): EpochFile {
  if (json == null || typeof json !== 'object' || Array.isArray(json)) throw new UsageError('the epoch file must hold a JSON object');
  const obj = json as Record<string, unknown>;
  const wrapped = obj.input !== undefined && typeof obj.input === 'object';
  const raw = (wrapped ? obj.input : obj) as Record<string, unknown>;
  if (raw == null || typeof raw !== 'object') throw new UsageError('input must be an object');
  const where = wrapped ? 'input.' : '';
  const input = {
    ...raw,
    stake: Array.isArray(raw.stake) ? raw.stake.map((s, i) => big(s, `${where}stake[${i}]`)) : raw.stake,
    raoEmission: big(raw.raoEmission, `${where}raoEmission`),
    currentBlock: big(raw.currentBlock, `${where}currentBlock`),
    lastStepBlock: big(raw.lastStepBlock, `${where}lastStepBlock`),
    weights: matrix(raw.weights, raw.n, `${where}weights`),
    bonds: matrix(raw.bonds, raw.n, `${where}bonds`),
  } as unknown as EpochInput;
  const out: EpochFile = { input };
  if (wrapped) {
    if (obj.hyper !== undefined) {
      if (obj.hyper === null || typeof obj.hyper !== 'object') throw new UsageError('hyper must be an object');
      const h = { ...(obj.hyper as Record<string, unknown>) };
      if (h.stakeThreshold !== undefined) h.stakeThreshold = big(h.stakeThreshold, 'hyper.stakeThreshold');
      out.hyper = h as Partial<Hyperparams>;
    }
    if (obj.mode !== undefined) out.mode = obj.mode as EpochFile['mode'];
    if (obj.path !== undefined) out.path = obj.path as EpochFile['path'];
  }
  return out;
}

/** EpochOutput as JSON: u16 vectors as arrays, bonds as n rows (dense) or sparse rows, rao as decimal strings. */
export function encodeEpochOutput(out: EpochOutput, n: number): Record<string, unknown> {
  const bonds =
    out.bonds instanceof Uint16Array
      ? Array.from({ length: n }, (_, i) => Array.from((out.bonds as Uint16Array).subarray(i * n, (i + 1) * n)))
      : out.bonds;
  const f = out.float;
  return {
    stakeWeight: Array.from(out.stakeWeight),
    consensus: Array.from(out.consensus),
    incentive: Array.from(out.incentive),
    dividends: Array.from(out.dividends),
    validatorTrust: Array.from(out.validatorTrust),
    active: out.active,
    validatorPermit: out.validatorPermit,
    bonds,
    serverEmission: out.serverEmission.map(String),
    validatorEmission: out.validatorEmission.map(String),
    float: {
      consensus: Array.from(f.consensus),
      incentive: Array.from(f.incentive),
      dividends: Array.from(f.dividends),
      rank: Array.from(f.rank),
      trust: Array.from(f.trust),
      validatorTrust: Array.from(f.validatorTrust),
    },
  };
}
