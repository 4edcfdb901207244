import { YumaError } from '../errors.js';
import { U64_MAX } from '../units.js';
import { MAX_UIDS } from './limits.js';
import { pathRulesOf } from './path-rules.js';
import { PackedRows } from './packed-rows.js';
import {
  DEFAULT_HYPERPARAMS,
  type ChainPath,
  type EpochInputLike,
  type EpochOptions,
  type Hyperparams,
  type NumericMode,
  type U16Matrix,
} from './types.js';
import { describe, typedArrayKind } from '../validation/describe.js';
import { asTyped, borrowable, guard, holeCheck, plainView, readItem, readLength, readOptions, typedLength } from '../validation/read.js';
import { oneOf, toBlock, toBool, toInt, toU64 } from '../validation/values.js';
import { HIGH, LOW, u64Words } from './u64-words.js';

/**
 * The one canonical form every implementation (Wasm float, Wasm fixed, references) computes from.
 * Matrices are dense and row-major whatever layout the caller used; `weightsPresent` keeps the one piece of
 * information a dense matrix loses: which entries the chain stores (explicit zeros matter on the sparse path
 * for Yuma3 with liquid alpha, where a listed zero still decays a bond while an absent entry drops it).
 */
export interface PreparedEpoch {
  /** Number of UIDs. */
  n: number;
  /** Arithmetic the epoch will run in. */
  mode: NumericMode;
  /** Chain code path the epoch will follow. */
  path: ChainPath;
  /**
   * Which of the two chain paths' differences follow the sparse path (bits of `PATH_RULES`): all of them for
   * `path: 'sparse'`, none for `'dense'`. Implementations read these bits, never `path`; only
   * `explainPathDivergence` mixes them (`withPathRules`).
   */
  readonly pathRules: number;
  /** Layout the caller used; outputs come back in it. */
  layout: 'dense' | 'sparse';
  /** The block the epoch runs in. */
  currentBlock: bigint;
  /** The subnet's tempo (blocks). */
  tempo: number;
  /** Block of the previous epoch (0: none). */
  lastStepBlock: bigint;
  /** Alpha (rao) this epoch distributes. */
  raoEmission: bigint;
  /** Stake per UID, rao. */
  stake: BigUint64Array;
  /** Weights, n·n row-major u16 (row = setter). */
  weights: Uint16Array;
  /** Entries the chain stores. For the dense layout this is "value != 0", derived on first read. */
  readonly weightsPresent: Uint8Array;
  /** True when `weightsPresent` is just `weights != 0` (dense layout), so Wasm can derive it itself. */
  presenceFromValues: boolean;
  /** Bonds before the epoch, n·n row-major u16. */
  bonds: Uint16Array;
  /** Block of each UID's last weight update. */
  lastUpdate: BigUint64Array;
  /** Block of each UID's registration. */
  blockAtRegistration: BigUint64Array;
  /** Previous permits, padded with 0 to n; entries at or past `permitLength` count as "no permit". */
  validatorPermit: Uint8Array;
  /** Length of the chain's stored permit vector (it may be shorter than n). */
  permitLength: number;
  /** -1 when the subnet has no owner UID. */
  ownerUid: number;
  /** Per UID earliest active commit block, `U64_MAX` for none; null when commit-reveal masking is off. */
  commitBlocks: BigUint64Array | null;
  /** Every hyper-parameter, defaults filled in. */
  hyper: Hyperparams;
}

/** The keys of `Hyperparams`. */
export const HYPER_KEYS = Object.keys(DEFAULT_HYPERPARAMS) as Array<keyof Hyperparams>;

/** The fields of one mechanism (`EpochInput` has them at the top level, `MechanismEpochInput` per mechanism). */
export const MECHANISM_INPUT_KEYS = ['weights', 'bonds', 'lastUpdate', 'commitBlocks'] as const;

/**
 * The fields an epoch input may have (anything else is refused, so a misspelt optional field is not ignored):
 * an `EpochInput`'s, plus `mechanisms` and `emissionSplit` of a `MechanismEpochInput`.
 */
export const EPOCH_INPUT_KEYS = [
  'n', 'currentBlock', 'tempo', 'lastStepBlock', 'stake', 'weights', 'bonds', 'lastUpdate', 'blockAtRegistration',
  'validatorPermit', 'ownerUid', 'commitBlocks', 'raoEmission', 'mechanisms', 'emissionSplit',
] as const;

/** An epoch input as read once by `readEpochInput`. */
export type EpochInputRecord = { [K in (typeof EPOCH_INPUT_KEYS)[number]]?: unknown };

/** The keys of `EpochOptions`. */
export const EPOCH_OPTION_KEYS = ['mode', 'path'] as const;

const MODES: readonly NumericMode[] = ['fixed', 'float'];
const PATHS: readonly ChainPath[] = ['sparse', 'dense'];

/**
 * Hyper-parameters with every field checked: `hyper` (a plain object, read once; unknown keys refused) over
 * `base` (the chain defaults unless given). The result is frozen.
 */
export function resolveHyper(hyper: Partial<Record<keyof Hyperparams, unknown>> | undefined | null, where = 'hyper', base: Hyperparams = DEFAULT_HYPERPARAMS): Hyperparams {
  // where and base are public parameters too: a Symbol label or a Proxy base must be a YumaError, not a TypeError
  if (typeof where !== 'string') throw new YumaError('E_ARG', `resolveHyper's label must be a string (got ${typeof where})`);
  const b = base === DEFAULT_HYPERPARAMS ? base : (readOptions(base, `${where} base`, HYPER_KEYS, true) as Record<string, unknown>);
  const given = readOptions(hyper, where, HYPER_KEYS) as Record<string, unknown>;
  const h = (key: keyof Hyperparams): unknown => (key in given ? given[key] : b[key]);
  const out: Hyperparams = {
    kappa: toInt(h('kappa'), `${where}.kappa`, 0, 65535),
    bondsMovingAverage: toInt(h('bondsMovingAverage'), `${where}.bondsMovingAverage`, 0, 1_000_000),
    bondsPenalty: toInt(h('bondsPenalty'), `${where}.bondsPenalty`, 0, 65535),
    activityCutoff: toInt(h('activityCutoff'), `${where}.activityCutoff`, 0, 0xffff_ffff),
    maxAllowedValidators: toInt(h('maxAllowedValidators'), `${where}.maxAllowedValidators`, 0, 65535),
    liquidAlphaEnabled: toBool(h('liquidAlphaEnabled'), `${where}.liquidAlphaEnabled`),
    alphaLow: toInt(h('alphaLow'), `${where}.alphaLow`, 0, 65535),
    alphaHigh: toInt(h('alphaHigh'), `${where}.alphaHigh`, 0, 65535),
    alphaSigmoidSteepness: toInt(h('alphaSigmoidSteepness'), `${where}.alphaSigmoidSteepness`, -32768, 32767),
    yuma3Enabled: toBool(h('yuma3Enabled'), `${where}.yuma3Enabled`),
    stakeThreshold: toU64(h('stakeThreshold'), `${where}.stakeThreshold`),
  };
  if (out.alphaLow > out.alphaHigh) {
    throw new YumaError('E_RANGE', `${where}.alphaLow (${out.alphaLow}) is above alphaHigh (${out.alphaHigh})`);
  }
  return Object.freeze(out);
}

/** `{ mode, path }` with defaults (`'fixed'`, `'sparse'`); unknown keys and values are refused. */
export function resolveEpochOptions(opts: EpochOptions | undefined | null, where = 'options'): { mode: NumericMode; path: ChainPath } {
  const o = readOptions(opts, where, EPOCH_OPTION_KEYS);
  return {
    mode: o.mode === undefined ? 'fixed' : oneOf(o.mode, `${where}.mode`, MODES),
    path: o.path === undefined ? 'sparse' : oneOf(o.path, `${where}.path`, PATHS),
  };
}

const TWO32 = 2 ** 32;

/**
 * A u64 vector as a BigUint64Array of our own. Numbers are written as two u32 halves (no BigInt allocated per
 * element, which dominated small epochs); bigints are range-checked and stored as they are; anything else goes
 * through `read` (`toU64`, or `toBlock` for blocks) for its message. Each element is read once.
 */
function u64Vector(value: unknown, n: number, field: string, read: (v: unknown, field: string) => bigint = toU64): BigUint64Array {
  return guard(field, () => {
    const typed = asTyped<BigUint64Array>(value, 'BigUint64Array');
    if (typed) {
      const len = typedLength(typed);
      if (len !== n) throw new YumaError('E_SHAPE', `${field} has length ${len}, expected n = ${n}`);
      return new BigUint64Array(typed);
    }
    if (!Array.isArray(value)) throw new YumaError('E_SHAPE', `${field} must be an array of length n = ${n}`);
    const len = readLength(value, field, Number.MAX_SAFE_INTEGER);
    if (len !== n) throw new YumaError('E_SHAPE', `${field} has length ${len}, expected n = ${n}`);
    const out = new BigUint64Array(n);
    const halves = u64Words(out);
    for (let i = 0; i < n; i++) {
      const v: unknown = value[i];
      if (typeof v === 'number' && v >= 0 && v <= Number.MAX_SAFE_INTEGER && Number.isInteger(v)) {
        // v / 2^32 is exact, so floor gives the high word; no `%` (fmod is slow)
        const hi = v < TWO32 ? 0 : Math.floor(v / TWO32);
        halves[2 * i + LOW] = v - hi * TWO32;
        halves[2 * i + HIGH] = hi;
      } else if (typeof v === 'bigint' && v >= 0n && v <= U64_MAX) {
        out[i] = v;
      } else {
        out[i] = read(holeCheck(value, i, v, field), `${field}[${i}]`);
      }
    }
    return out;
  });
}


/** Σ of a u64 vector compared with 2^63 without BigInt arithmetic: halves summed exactly in f64 (n ≤ 4096). */
function sumBelow2p63(v: BigUint64Array): boolean {
  const halves = u64Words(v);
  let lo = 0;
  let hi = 0;
  for (let i = 0; i < v.length; i++) {
    lo += halves[2 * i + LOW];
    hi += halves[2 * i + HIGH];
  }
  return hi + Math.floor(lo / TWO32) < 2 ** 31;
}

/** The total-stake bound every kernel relies on (I64F64 holds integers below 2^63). */
export function checkTotalStake(stake: BigUint64Array): void {
  if (sumBelow2p63(stake)) return;
  let total = 0n;
  for (let i = 0; i < stake.length; i++) total += stake[i];
  // the whole TAO supply is ~2^54 rao, so this only catches corrupt input
  throw new YumaError('E_RANGE', `total stake ${total} rao is outside I64F64 (must be below 2^63)`);
}

function presenceOf(values: Uint16Array): Uint8Array {
  const present = new Uint8Array(values.length);
  for (let k = 0; k < values.length; k++) present[k] = values[k] !== 0 ? 1 : 0;
  return present;
}

/**
 * One u16 matrix entry, `field[index]`; the checked converter and its label only exist when something is off (a
 * label string built per entry was most of a first 256-UID epoch's validation in V8's interpreter).
 */
function u16Entry(v: unknown, field: string, index: number): number {
  return typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 65535 ? v : toInt(v, `${field}[${index}]`, 0, 65535);
}

interface MatrixRead {
  values: Uint16Array;
  present: Uint8Array | null;
  layout: 'dense' | 'sparse';
}

/**
 * A u16 matrix in any of the accepted spellings (read once, each entry checked): a `Uint16Array` of n·n (row-major), a flat `number[]` of n·n,
 * n dense rows (`number[][]` or typed rows), or n sparse rows of `[uid, value]` pairs. Every dense spelling has
 * the dense layout (presence = value ≠ 0, bonds come back as a `Uint16Array`); sparse rows keep explicit zeros.
 */
export function readMatrix(value: unknown, n: number, field: string, borrow: boolean): MatrixRead {
  return guard(field, () => {
    if (value instanceof PackedRows) return packedRows(value, n, field);
    const dense = asTyped<Uint16Array>(value, 'Uint16Array');
    if (dense) {
      const len = typedLength(dense);
      if (len !== n * n) throw new YumaError('E_SHAPE', `${field} (dense) has length ${len}, expected n·n = ${n * n}`);
      // A dense matrix cannot hold explicit zeros; its presence map is derived only if someone reads it.
      // Borrowed as a fresh view of the same memory: later reads call its methods (subarray), and the caller's
      // own properties (a `subarray`, a `constructor`) must not answer them.
      const keep = borrow && borrowable(dense, Uint16Array.prototype);
      return { values: keep ? plainView(dense, Uint16Array) : new Uint16Array(dense), present: null, layout: 'dense' as const };
    }
    if (!Array.isArray(value)) {
      throw new YumaError('E_SHAPE', `${field} must be a Uint16Array of n·n, n rows of n u16 values or n sparse rows of [uid, value] pairs (got ${describe(value)})`);
    }
    const len = readLength(value, field, Number.MAX_SAFE_INTEGER);
    const rows = new Array<unknown>(Math.min(len, n + 1));
    for (let i = 0; i < rows.length; i++) rows[i] = readItem(value, i, field);
    // A flat row-major array of n·n numbers (the JSON spelling of a Uint16Array).
    if (len > 0 && typeof rows[0] === 'number') return flatRows(value, rows, len, n, field);
    if (len !== n) throw new YumaError('E_SHAPE', `${field} has length ${len}, expected n = ${n} rows`);
    // Each row's length and first entry, read once: they tell dense rows from sparse ones and are not read again.
    const lens = new Array<number>(n);
    const firsts = new Array<unknown>(n);
    let denseRowsGiven = false;
    for (let i = 0; i < n; i++) {
      const row = rows[i];
      if (typedArrayKind(row) !== undefined) {
        lens[i] = typedLength(row as ArrayBufferView);
        denseRowsGiven = true;
      } else if (Array.isArray(row)) {
        lens[i] = readLength(row, `${field}[${i}]`, Number.MAX_SAFE_INTEGER);
        firsts[i] = lens[i] > 0 ? readItem(row, 0, `${field}[${i}]`) : undefined;
        if (typeof firsts[i] === 'number') denseRowsGiven = true;
      } else {
        throw new YumaError('E_SHAPE', `${field}[${i}] must be a row of n = ${n} u16 values or of [uid, value] pairs`);
      }
    }
    const values = new Uint16Array(n * n);
    if (denseRowsGiven) return denseRows(rows, lens, firsts, n, field, values);
    const present = new Uint8Array(n * n);
    for (let i = 0; i < n; i++) {
      const row = rows[i] as unknown[];
      const entries = lens[i];
      // n + 1 entries must repeat or leave the subnet: refused before reading them
      const where = `${field}[${i}]`;
      if (entries > n) throw new YumaError('E_SHAPE', `${where} lists ${entries} entries, more than n = ${n}`);
      for (let e = 0; e < entries; e++) {
        // Labels are built only on the slow path: one template string per entry was most of a sparse epoch's cost.
        const pair = e === 0 ? firsts[i] : holeCheck(row, e, row[e], where);
        if (!Array.isArray(pair) || pair.length !== 2) {
          throw new YumaError('E_SHAPE', `${where}[${e}] must be a [uid, value] pair`);
        }
        let j: unknown = pair[0];
        let v: unknown = pair[1];
        if (!(typeof j === 'number' && Number.isInteger(j) && j >= 0 && j < n)) {
          j = toInt(holeCheck(pair, 0, j, `${where}[${e}]`), `${where}[${e}] uid`, 0, n - 1);
        }
        if (!(typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 65535)) {
          v = toInt(holeCheck(pair, 1, v, `${where}[${e}]`), `${where}[${e}] value`, 0, 65535);
        }
        const value16 = v as number;
        const k = i * n + (j as number);
        if (present[k]) throw new YumaError('E_SHAPE', `${where} lists uid ${j as number} twice`);
        present[k] = 1;
        values[k] = value16;
      }
    }
    return { values, present, layout: 'sparse' as const };
  });
}

/** Sparse rows packed as `(uid << 16) | value` per entry: the sparse layout, checked like pairs. */
function packedRows(value: PackedRows, n: number, field: string): MatrixRead {
  const rows = value.rows;
  if (!Array.isArray(rows) || rows.length !== n) throw new YumaError('E_SHAPE', `${field} has ${Array.isArray(rows) ? rows.length : 'no'} packed rows, expected n = ${n}`);
  const values = new Uint16Array(n * n);
  const present = new Uint8Array(n * n);
  for (let i = 0; i < n; i++) {
    const row = rows[i];
    if (!(row instanceof Uint32Array)) throw new YumaError('E_SHAPE', `${field}[${i}] must be a Uint32Array of packed (uid << 16) | value entries`);
    if (row.length > n) throw new YumaError('E_SHAPE', `${field}[${i}] lists ${row.length} entries, more than n = ${n}`);
    const base = i * n;
    for (let e = 0; e < row.length; e++) {
      const j = row[e] >>> 16;
      if (j >= n) throw new YumaError('E_RANGE', `${field}[${i}][${e}] uid ${j} is not below n = ${n}`);
      const k = base + j;
      if (present[k]) throw new YumaError('E_SHAPE', `${field}[${i}] lists uid ${j} twice`);
      present[k] = 1;
      values[k] = row[e] & 0xffff;
    }
  }
  return { values, present, layout: 'sparse' };
}

/** n rows of n u16 values each (`number[][]`, as JSON and the Python SDK spell a matrix, or typed rows). */
function denseRows(rows: unknown[], lens: number[], firsts: unknown[], n: number, field: string, values: Uint16Array): MatrixRead {
  for (let i = 0; i < n; i++) {
    const row = rows[i];
    const where = `${field}[${i}]`;
    const typed = typedArrayKind(row) !== undefined;
    if (lens[i] !== n) {
      throw new YumaError('E_SHAPE', `${where} has ${lens[i]} values; dense rows need n = ${n} (or give every row as sparse [uid, value] pairs)`);
    }
    const r = row as ArrayLike<unknown>;
    const base = i * n;
    for (let j = 0; j < n; j++) {
      const v: unknown = typed ? r[j] : j === 0 ? firsts[i] : holeCheck(r, j, r[j], where);
      values[base + j] = u16Entry(v, where, j);
    }
  }
  return { values, present: null, layout: 'dense' };
}

/** A flat row-major array of n·n u16 numbers (`head`: its first entries, already read once). */
function flatRows(value: unknown[], head: unknown[], len: number, n: number, field: string): MatrixRead {
  if (len !== n * n) {
    throw new YumaError('E_SHAPE', `${field} is a flat array of ${len} numbers; a flat dense matrix needs n·n = ${n * n} (or give n rows)`);
  }
  const values = new Uint16Array(len);
  for (let k = 0; k < len; k++) values[k] = u16Entry(k < head.length ? head[k] : readItem(value, k, field), field, k);
  return { values, present: null, layout: 'dense' };
}

function permits(value: unknown, n: number): Uint8Array {
  return guard('validatorPermit', () => {
    if (!Array.isArray(value)) throw new YumaError('E_SHAPE', 'validatorPermit must be an array of booleans');
    const len = readLength(value, 'validatorPermit', Number.MAX_SAFE_INTEGER);
    if (len > n) throw new YumaError('E_SHAPE', `validatorPermit has length ${len}, more than n = ${n}`);
    const out = new Uint8Array(len);
    for (let i = 0; i < len; i++) {
      const v: unknown = value[i];
      // the checked reads (and their messages) only for a non-boolean
      out[i] = (typeof v === 'boolean' ? v : toBool(holeCheck(value, i, v, 'validatorPermit'), `validatorPermit[${i}]`)) ? 1 : 0;
    }
    return out;
  });
}

function commits(value: unknown, n: number, field: string): BigUint64Array | null {
  if (value === undefined || value === null) return null;
  return guard(field, () => {
    if (!Array.isArray(value)) throw new YumaError('E_SHAPE', `${field} must be an array`);
    const len = readLength(value, field, Number.MAX_SAFE_INTEGER);
    if (len !== n) throw new YumaError('E_SHAPE', `${field} has length ${len}, expected n = ${n}`);
    const out = new BigUint64Array(n);
    for (let i = 0; i < n; i++) {
      const c = readItem(value, i, field);
      out[i] = c === null || c === undefined ? U64_MAX : toBlock(c, `${field}[${i}]`);
    }
    return out;
  });
}

/**
 * Validates an epoch's input and brings it to the canonical form. Throws `YumaError` on the first problem and
 * never mutates (or keeps references to) the caller's arrays; every field and element is read once.
 *
 * `borrowDense` (internal, for the engine): share the caller's dense matrices instead of copying them. Only
 * safe when the prepared epoch is consumed before control returns to the caller, as `engine.epoch` does: the
 * matrices are copied once, straight into Wasm memory (`checkPrepared` re-checks them just before).
 */
export function prepareEpoch(
  input: EpochInputLike,
  hyper?: Partial<Hyperparams> | null,
  opts?: EpochOptions | null,
  borrowDense = false,
): PreparedEpoch {
  return prepareRecord(readEpochInput(input), resolveSettings(hyper, opts, borrowDense));
}

/** An epoch input (plain or with mechanisms) read once: a plain object with known keys, each read exactly once. */
export function readEpochInput(input: unknown): EpochInputRecord {
  return readOptions(input, 'input', EPOCH_INPUT_KEYS, true);
}

/** What a call prepares its epochs with, resolved once before any input is read. */
export interface PrepareSettings {
  h: Hyperparams;
  mode: NumericMode;
  path: ChainPath;
  /** Share the caller's dense matrices instead of copying them (see `prepareEpoch`). */
  borrowDense: boolean;
  /** Told `n` before anything of that size is allocated (a batch checks its total size there). */
  admit?: (n: number) => void;
}

/** A call's options, then its hyper-parameters, resolved (in that order: the first problem found is the one reported). */
export function resolveSettings(hyper: Partial<Hyperparams> | null | undefined, opts: EpochOptions | null | undefined, borrowDense: boolean): PrepareSettings {
  const { mode, path } = resolveEpochOptions(opts);
  return { h: resolveHyper(hyper), mode, path, borrowDense };
}

/** `prepareEpoch` on an input already read by `readEpochInput` (an input without mechanisms). */
export function prepareRecord(r: EpochInputRecord, settings: PrepareSettings): PreparedEpoch {
  if (r.mechanisms !== undefined) throw new YumaError('E_ARG', 'an input with mechanisms is prepared by prepareMechanismEpoch (engine.epoch takes both)');
  if (r.emissionSplit !== undefined) {
    throw new YumaError('E_ARG', 'emissionSplit needs mechanisms (an epoch without them has one mechanism and no split)');
  }
  const s = readSubnetFields(r, settings.admit);
  return prepareMechanism(s, r, toU64(r.raoEmission, 'raoEmission'), settings, '');
}

/** The per-subnet part of an epoch input, checked once and shared by every mechanism of the subnet. */
export interface SubnetFields {
  n: number;
  stake: BigUint64Array;
  blockAtRegistration: BigUint64Array;
  validatorPermit: Uint8Array;
  permitLength: number;
  ownerUid: number;
  currentBlock: bigint;
  tempo: number;
  lastStepBlock: bigint;
}

/** Reads and checks the per-subnet fields; `admit` is told `n` before anything of that size is allocated. */
export function readSubnetFields(r: EpochInputRecord, admit?: (n: number) => void): SubnetFields {
  if (typeof r.n === 'number' && r.n > MAX_UIDS && Number.isInteger(r.n)) {
    throw new YumaError('E_LIMIT', `n = ${r.n} UIDs exceeds the limit of ${MAX_UIDS}`);
  }
  const n = toInt(r.n, 'n', 0, MAX_UIDS);
  admit?.(n);

  const stake = u64Vector(r.stake, n, 'stake');
  checkTotalStake(stake);
  const blockAtRegistration = u64Vector(r.blockAtRegistration, n, 'blockAtRegistration', toBlock);
  const vp = permits(r.validatorPermit, n);
  const validatorPermit = new Uint8Array(n);
  validatorPermit.set(vp);

  let ownerUid = -1;
  if (r.ownerUid !== null && r.ownerUid !== undefined) ownerUid = toInt(r.ownerUid, 'ownerUid', 0, Math.max(0, n - 1));
  if (ownerUid >= n) throw new YumaError('E_RANGE', `ownerUid ${ownerUid} is not a UID of a subnet with n = ${n}`);
  return {
    n,
    stake,
    blockAtRegistration,
    validatorPermit,
    permitLength: vp.length,
    ownerUid,
    currentBlock: toBlock(r.currentBlock, 'currentBlock'),
    tempo: toInt(r.tempo, 'tempo', 0, 65535),
    lastStepBlock: toBlock(r.lastStepBlock, 'lastStepBlock'),
  };
}

/**
 * One mechanism's epoch: its fields (`weights`, `bonds`, `lastUpdate`, `commitBlocks`, named with `prefix` in
 * errors, e.g. `mechanisms[1].`) over the subnet's shared ones, distributing `raoEmission`.
 */
export function prepareMechanism(
  s: SubnetFields,
  r: { [K in (typeof MECHANISM_INPUT_KEYS)[number]]?: unknown },
  raoEmission: bigint,
  { h, mode, path, borrowDense }: PrepareSettings,
  prefix: string,
): PreparedEpoch {
  const n = s.n;
  const lastUpdate = u64Vector(r.lastUpdate, n, `${prefix}lastUpdate`, toBlock);
  const commitBlocks = commits(r.commitBlocks, n, `${prefix}commitBlocks`);
  // Matrices last: a borrowed dense matrix must see no caller code run after it was checked.
  const w = readMatrix(r.weights, n, `${prefix}weights`, borrowDense);
  const b = readMatrix(r.bonds, n, `${prefix}bonds`, borrowDense);
  if (w.layout !== b.layout) {
    throw new YumaError('E_SHAPE', `${prefix}weights are ${w.layout} but ${prefix}bonds are ${b.layout}; use one layout for both`);
  }
  return new Prepared(
    n, mode, path, w.layout, s.currentBlock, s.tempo, s.lastStepBlock, raoEmission, s.stake, w.values, w.present, b.values,
    lastUpdate, s.blockAtRegistration, s.validatorPermit, s.permitLength, s.ownerUid, commitBlocks, h,
  );
}

/**
 * The same epoch reading other previous permits (a full-length vector): how a later mechanism sees the permits
 * an earlier one wrote, on the dense path. Shares the other arrays with `p`.
 */
export function withPreviousPermits(p: PreparedEpoch, permits: Uint8Array): PreparedEpoch {
  const present = p.presenceFromValues ? null : p.weightsPresent;
  return new Prepared(
    p.n, p.mode, p.path, p.layout, p.currentBlock, p.tempo, p.lastStepBlock, p.raoEmission, p.stake, p.weights, present,
    p.bonds, p.lastUpdate, p.blockAtRegistration, Uint8Array.from(permits), p.n, p.ownerUid, p.commitBlocks, p.hyper,
    p.pathRules,
  );
}

/** Prepared epochs made here; `checkPrepared` accepts nothing else (a look-alike object could crash a kernel). */
const GENUINE = new WeakSet<object>();
/** Presence maps derived on first read (prepared epochs are frozen, so the cache lives beside them). */
const PRESENCE = new WeakMap<object, Uint8Array>();

/**
 * Checks what `engine.runPrepared` (public) is handed: a prepared epoch made by `prepareEpoch`, whose arrays still
 * have their lengths (a borrowed buffer may have been detached since) and whose stake total is still in range
 * (typed arrays stay writable). Cheap: O(n).
 */
export function checkPrepared(p: unknown, where: string): PreparedEpoch {
  if (typeof p !== 'object' || p === null || !GENUINE.has(p)) {
    throw new YumaError('E_ARG', `${where} is not a prepared epoch (make one with prepareEpoch)`);
  }
  const q = p as Prepared;
  const n = q.n;
  const nn = n * n;
  if (
    typedLength(q.weights) !== nn || typedLength(q.bonds) !== nn || typedLength(q.stake) !== n || typedLength(q.lastUpdate) !== n ||
    typedLength(q.blockAtRegistration) !== n || typedLength(q.validatorPermit) !== n || (q.commitBlocks !== null && typedLength(q.commitBlocks) !== n)
  ) {
    throw new YumaError('E_STATE', `${where}: an array of this prepared epoch was detached or resized since it was prepared`);
  }
  checkTotalStake(q.stake);
  return q;
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
    present: Uint8Array | null,
    readonly bonds: Uint16Array,
    readonly lastUpdate: BigUint64Array,
    readonly blockAtRegistration: BigUint64Array,
    readonly validatorPermit: Uint8Array,
    readonly permitLength: number,
    readonly ownerUid: number,
    readonly commitBlocks: BigUint64Array | null,
    readonly hyper: Hyperparams,
    readonly pathRules: number = pathRulesOf(path),
  ) {
    this.presenceFromValues = present === null;
    if (present !== null) PRESENCE.set(this, present);
    GENUINE.add(this);
    Object.freeze(this);
  }

  get weightsPresent(): Uint8Array {
    let present = PRESENCE.get(this);
    if (present === undefined) PRESENCE.set(this, (present = presenceOf(this.weights)));
    return present;
  }
}

/**
 * The same prepared epoch (its arrays shared, not copied) with another mix of path rules: what
 * `explainPathDivergence` runs to switch the chain paths' differences one at a time.
 */
export function withPathRules(p: PreparedEpoch, rules: number): PreparedEpoch {
  const q = checkPrepared(p, 'withPathRules');
  return new Prepared(
    q.n,
    q.mode,
    q.path,
    q.layout,
    q.currentBlock,
    q.tempo,
    q.lastStepBlock,
    q.raoEmission,
    q.stake,
    q.weights,
    q.presenceFromValues ? null : q.weightsPresent,
    q.bonds,
    q.lastUpdate,
    q.blockAtRegistration,
    q.validatorPermit,
    q.permitLength,
    q.ownerUid,
    q.commitBlocks,
    q.hyper,
    rules,
  );
}
