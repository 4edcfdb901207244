import { YumaError } from '../errors.js';
import { U64_MAX } from '../units.js';
import { MAX_UIDS } from './limits.js';
import {
  DEFAULT_HYPERPARAMS,
  type ChainPath,
  type EpochInput,
  type EpochOptions,
  type Hyperparams,
  type NumericMode,
  type U16Matrix,
} from './types.js';
import { describe, requireLength, toBool, toInt, toU64 } from './validate-values.js';

/**
 * The one canonical form every implementation (Wasm float, Wasm fixed, references) computes from.
 * Matrices are dense and row-major whatever layout the caller used; `weightsPresent` keeps the one piece of
 * information a dense matrix loses: which entries the chain stores (explicit zeros matter on the sparse path
 * for Yuma3 with liquid alpha, where a listed zero still decays a bond while an absent entry drops it).
 */
export interface PreparedEpoch {
  n: number;
  mode: NumericMode;
  path: ChainPath;
  /** Layout the caller used; outputs come back in it. */
  layout: 'dense' | 'sparse';
  currentBlock: bigint;
  tempo: number;
  lastStepBlock: bigint;
  raoEmission: bigint;
  stake: BigUint64Array;
  weights: Uint16Array;
  /** Entries the chain stores. For the dense layout this is "value != 0", derived on first read. */
  readonly weightsPresent: Uint8Array;
  /** True when `weightsPresent` is just `weights != 0` (dense layout), so Wasm can derive it itself. */
  presenceFromValues: boolean;
  bonds: Uint16Array;
  lastUpdate: BigUint64Array;
  blockAtRegistration: BigUint64Array;
  /** Previous permits, padded with 0 to n; entries at or past `permitLength` count as "no permit". */
  validatorPermit: Uint8Array;
  permitLength: number;
  /** -1 when the subnet has no owner UID. */
  ownerUid: number;
  /** Per UID earliest active commit block, `U64_MAX` for none; null when commit-reveal masking is off. */
  commitBlocks: BigUint64Array | null;
  hyper: Hyperparams;
}

const HYPER_KEYS = Object.keys(DEFAULT_HYPERPARAMS) as Array<keyof Hyperparams>;

export function resolveHyper(hyper: Partial<Hyperparams> | undefined, where = 'hyper'): Hyperparams {
  if (hyper != null && (typeof hyper !== 'object' || Array.isArray(hyper))) {
    throw new YumaError('E_ARG', `${where} must be an object (got ${describe(hyper)})`);
  }
  const h = { ...DEFAULT_HYPERPARAMS, ...(hyper ?? {}) } as Record<string, unknown>;
  for (const key of Object.keys(hyper ?? {})) {
    if (!(HYPER_KEYS as string[]).includes(key)) {
      throw new YumaError('E_ARG', `${where}.${key} is not a hyper-parameter (known: ${HYPER_KEYS.join(', ')})`);
    }
    if ((hyper as Record<string, unknown>)[key] === undefined) h[key] = (DEFAULT_HYPERPARAMS as Record<string, unknown>)[key];
  }
  const out: Hyperparams = {
    kappa: toInt(h.kappa, `${where}.kappa`, 0, 65535),
    bondsMovingAverage: toInt(h.bondsMovingAverage, `${where}.bondsMovingAverage`, 0, 1_000_000),
    bondsPenalty: toInt(h.bondsPenalty, `${where}.bondsPenalty`, 0, 65535),
    activityCutoff: toInt(h.activityCutoff, `${where}.activityCutoff`, 0, 0xffff_ffff),
    maxAllowedValidators: toInt(h.maxAllowedValidators, `${where}.maxAllowedValidators`, 0, 65535),
    liquidAlphaEnabled: toBool(h.liquidAlphaEnabled, `${where}.liquidAlphaEnabled`),
    alphaLow: toInt(h.alphaLow, `${where}.alphaLow`, 0, 65535),
    alphaHigh: toInt(h.alphaHigh, `${where}.alphaHigh`, 0, 65535),
    alphaSigmoidSteepness: toInt(h.alphaSigmoidSteepness, `${where}.alphaSigmoidSteepness`, -32768, 32767),
    yuma3Enabled: toBool(h.yuma3Enabled, `${where}.yuma3Enabled`),
    stakeThreshold: toU64(h.stakeThreshold, `${where}.stakeThreshold`),
  };
  if (out.alphaLow > out.alphaHigh) {
    throw new YumaError('E_RANGE', `${where}.alphaLow (${out.alphaLow}) is above alphaHigh (${out.alphaHigh})`);
  }
  return out;
}

const TWO32 = 2 ** 32;

/**
 * A u64 vector as BigUint64Array. Numbers are written as two u32 halves (no BigInt allocated per element, which
 * dominated small epochs); bigints are range-checked and stored as they are; anything else goes through `toU64`
 * for its message.
 */
function u64Vector(value: unknown, n: number, field: string): BigUint64Array {
  if (value instanceof BigUint64Array) {
    requireLength(value, n, field);
    return new BigUint64Array(value);
  }
  if (!Array.isArray(value)) throw new YumaError('E_SHAPE', `${field} must be an array of length n = ${n}`);
  requireLength(value, n, field);
  const out = new BigUint64Array(n);
  const halves = new Uint32Array(out.buffer);
  for (let i = 0; i < n; i++) {
    const v = value[i];
    if (typeof v === 'number' && v >= 0 && v <= Number.MAX_SAFE_INTEGER && Number.isInteger(v)) {
      // v / 2^32 is exact, so floor gives the high word; no `%` (fmod is slow)
      const hi = v < TWO32 ? 0 : Math.floor(v / TWO32);
      halves[2 * i + LOW] = v - hi * TWO32;
      halves[2 * i + HIGH] = hi;
    } else if (typeof v === 'bigint' && v >= 0n && v <= U64_MAX) {
      out[i] = v;
    } else {
      out[i] = toU64(v, `${field}[${i}]`);
    }
  }
  return out;
}

// Word order of a u64 in a Uint32Array view (little-endian on every platform Wasm runs on, checked anyway).
const LITTLE = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;
const LOW = LITTLE ? 0 : 1;
const HIGH = LITTLE ? 1 : 0;

/** Σ of a u64 vector compared with 2^63 without BigInt arithmetic: halves summed exactly in f64 (n ≤ 4096). */
function sumBelow2p63(v: BigUint64Array): boolean {
  const halves = new Uint32Array(v.buffer, v.byteOffset, v.length * 2);
  let lo = 0;
  let hi = 0;
  for (let i = 0; i < v.length; i++) {
    lo += halves[2 * i + LOW];
    hi += halves[2 * i + HIGH];
  }
  return hi + Math.floor(lo / TWO32) < 2 ** 31;
}

function presenceOf(values: Uint16Array): Uint8Array {
  const present = new Uint8Array(values.length);
  for (let k = 0; k < values.length; k++) present[k] = values[k] !== 0 ? 1 : 0;
  return present;
}

function matrix(
  value: U16Matrix | undefined,
  n: number,
  field: string,
  borrow: boolean,
): { values: Uint16Array; present: Uint8Array | null; layout: 'dense' | 'sparse' } {
  if (value instanceof Uint16Array) {
    if (value.length !== n * n) {
      throw new YumaError('E_SHAPE', `${field} (dense) has length ${value.length}, expected n·n = ${n * n}`);
    }
    // A dense matrix cannot hold explicit zeros; its presence map is derived only if someone reads it.
    return { values: borrow ? value : value.slice(), present: null, layout: 'dense' };
  }
  const values = new Uint16Array(n * n);
  const present = new Uint8Array(n * n);
  if (!Array.isArray(value)) {
    throw new YumaError('E_SHAPE', `${field} must be a Uint16Array of n·n or an array of n sparse rows`);
  }
  requireLength(value, n, field);
  for (let i = 0; i < n; i++) {
    const row = value[i];
    if (!Array.isArray(row)) throw new YumaError('E_SHAPE', `${field}[${i}] must be an array of [uid, value] pairs`);
    for (let e = 0; e < row.length; e++) {
      const pair = row[e];
      if (!Array.isArray(pair) || pair.length !== 2) {
        throw new YumaError('E_SHAPE', `${field}[${i}][${e}] must be a [uid, value] pair`);
      }
      let j = pair[0];
      let v = pair[1];
      // Fast path for the common well-formed entry; the checked converters only run (and build their
      // messages) when something is off.
      if (!(typeof j === 'number' && Number.isInteger(j) && j >= 0 && j < n)) j = toInt(j, `${field}[${i}][${e}] uid`, 0, n - 1);
      if (!(typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 65535)) v = toInt(v, `${field}[${i}][${e}] value`, 0, 65535);
      const k = i * n + j;
      if (present[k]) throw new YumaError('E_SHAPE', `${field}[${i}] lists uid ${j} twice`);
      present[k] = 1;
      values[k] = v;
    }
  }
  return { values, present, layout: 'sparse' };
}

/**
 * Validates an epoch's input and brings it to the canonical form. Throws `YumaError` on the first problem and
 * never mutates (or keeps references to) the caller's arrays.
 *
 * `borrowDense` (internal, for the engine): share the caller's dense matrices instead of copying them. Only
 * safe when the prepared epoch is consumed before control returns to the caller, as `engine.epoch` does: the
 * matrices are copied once, straight into Wasm memory.
 */
export function prepareEpoch(
  input: EpochInput,
  hyper?: Partial<Hyperparams>,
  opts?: EpochOptions,
  borrowDense = false,
): PreparedEpoch {
  if (input == null || typeof input !== 'object') throw new YumaError('E_ARG', 'epoch input must be an object');
  const mode = opts?.mode ?? 'fixed';
  if (mode !== 'fixed' && mode !== 'float') throw new YumaError('E_ARG', `mode must be 'fixed' or 'float' (got ${String(mode)})`);
  const path = opts?.path ?? 'sparse';
  if (path !== 'sparse' && path !== 'dense') throw new YumaError('E_ARG', `path must be 'sparse' or 'dense' (got ${String(path)})`);

  if (typeof input.n === 'number' && input.n > MAX_UIDS && Number.isInteger(input.n)) {
    throw new YumaError('E_LIMIT', `n = ${input.n} UIDs exceeds the limit of ${MAX_UIDS}`);
  }
  const n = toInt(input.n, 'n', 0, MAX_UIDS);
  const h = resolveHyper(hyper);

  const stake = u64Vector(input.stake, n, 'stake');
  if (!sumBelow2p63(stake)) {
    let total = 0n;
    for (let i = 0; i < n; i++) total += stake[i];
    // I64F64 holds integers below 2^63; the whole TAO supply is ~2^54 rao, so this only catches corrupt input.
    throw new YumaError('E_RANGE', `total stake ${total} rao is outside I64F64 (must be below 2^63)`);
  }

  const w = matrix(input.weights, n, 'weights', borrowDense);
  const b = matrix(input.bonds, n, 'bonds', borrowDense);
  if (w.layout !== b.layout) {
    throw new YumaError('E_SHAPE', `weights are ${w.layout} but bonds are ${b.layout}; use one layout for both`);
  }

  const vp = input.validatorPermit;
  if (!Array.isArray(vp)) throw new YumaError('E_SHAPE', 'validatorPermit must be an array of booleans');
  if (vp.length > n) throw new YumaError('E_SHAPE', `validatorPermit has length ${vp.length}, more than n = ${n}`);
  const validatorPermit = new Uint8Array(n);
  for (let i = 0; i < vp.length; i++) {
    const v = vp[i];
    // the checked converter (and its message) only for a non-boolean
    validatorPermit[i] = (typeof v === 'boolean' ? v : toBool(v, `validatorPermit[${i}]`)) ? 1 : 0;
  }

  let ownerUid = -1;
  if (input.ownerUid !== undefined && input.ownerUid !== null) ownerUid = toInt(input.ownerUid, 'ownerUid', 0, Math.max(0, n - 1));
  if (ownerUid >= n) throw new YumaError('E_RANGE', `ownerUid ${ownerUid} is not a UID of a subnet with n = ${n}`);

  let commitBlocks: BigUint64Array | null = null;
  if (input.commitBlocks !== undefined && input.commitBlocks !== null) {
    if (!Array.isArray(input.commitBlocks)) throw new YumaError('E_SHAPE', 'commitBlocks must be an array');
    requireLength(input.commitBlocks, n, 'commitBlocks');
    commitBlocks = new BigUint64Array(n);
    for (let i = 0; i < n; i++) {
      const c = input.commitBlocks[i];
      commitBlocks[i] = c === null || c === undefined ? U64_MAX : toU64(c, `commitBlocks[${i}]`);
    }
  }

  return new Prepared(
    n,
    mode,
    path,
    w.layout,
    toU64(input.currentBlock, 'currentBlock'),
    toInt(input.tempo, 'tempo', 0, 65535),
    toU64(input.lastStepBlock, 'lastStepBlock'),
    toU64(input.raoEmission, 'raoEmission'),
    stake,
    w.values,
    w.present,
    b.values,
    u64Vector(input.lastUpdate, n, 'lastUpdate'),
    u64Vector(input.blockAtRegistration, n, 'blockAtRegistration'),
    validatorPermit,
    vp.length,
    ownerUid,
    commitBlocks,
    h,
  );
}

/**
 * A class rather than an object literal with a defined getter: every prepared epoch has one hidden class and
 * the lazy `weightsPresent` lives on the prototype (a per-object accessor made property reads slow).
 */
class Prepared implements PreparedEpoch {
  readonly presenceFromValues: boolean;
  constructor(
    readonly n: number,
    readonly mode: NumericMode,
    readonly path: ChainPath,
    readonly layout: 'dense' | 'sparse',
    readonly currentBlock: bigint,
    readonly tempo: number,
    readonly lastStepBlock: bigint,
    readonly raoEmission: bigint,
    readonly stake: BigUint64Array,
    readonly weights: Uint16Array,
    private present: Uint8Array | null,
    readonly bonds: Uint16Array,
    readonly lastUpdate: BigUint64Array,
    readonly blockAtRegistration: BigUint64Array,
    readonly validatorPermit: Uint8Array,
    readonly permitLength: number,
    readonly ownerUid: number,
    readonly commitBlocks: BigUint64Array | null,
    readonly hyper: Hyperparams,
  ) {
    this.presenceFromValues = present === null;
  }

  get weightsPresent(): Uint8Array {
    return (this.present ??= presenceOf(this.weights));
  }
}
