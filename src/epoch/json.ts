import { YumaError } from '../errors.js';
import { U64_MAX } from '../units.js';
import { MAX_MECHANISMS, MAX_UIDS } from './limits.js';
import { describe, show, typedArrayKind } from '../validation/describe.js';
import { guard, readList, typedLength } from '../validation/read.js';
import type { EpochFloatViews, EpochOutput, SparseRow } from './types.js';

/** A JSON value: what `JSON.stringify` writes and `JSON.parse` reads back unchanged. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** The u16 and boolean vectors of an epoch output as JSON arrays (the shape every epoch output's JSON shares). */
export interface EpochVectorsJSON {
  /** `EpochOutput.stakeWeight`, u16 per UID. */
  stakeWeight: number[];
  /** `EpochOutput.consensus`, u16 per UID. */
  consensus: number[];
  /** `EpochOutput.incentive`, u16 per UID. */
  incentive: number[];
  /** `EpochOutput.dividends`, u16 per UID. */
  dividends: number[];
  /** `EpochOutput.validatorTrust`, u16 per UID. */
  validatorTrust: number[];
  /** `EpochOutput.active`. */
  active: boolean[];
  /** `EpochOutput.validatorPermit`. */
  validatorPermit: boolean[];
}

/** The JSON form of an `EpochOutput`: u16 vectors as number arrays, rao as decimal strings, bonds as rows. */
export interface EpochOutputJSON extends EpochVectorsJSON {
  /** n rows of n u16 values (dense layout) or n rows of `[uid, value]` pairs (sparse layout). */
  bonds: number[][] | Array<Array<[number, number]>>;
  /** Miner emission per UID: rao, decimal strings. */
  serverEmission: string[];
  /** Validator emission per UID: rao, decimal strings. */
  validatorEmission: string[];
  /** `EpochOutput.float`, each view as a number array. */
  float: { [K in keyof EpochFloatViews]: number[] };
  /** Fields of wider outputs (`MechanismEpochOutput`'s, a metagraph view), in the same JSON form. */
  [more: string]: JsonValue | undefined;
}

/**
 * The JSON form of a library value, safe for `JSON.stringify` and lossless through `fromJSON`:
 * - `bigint` → decimal string (rao amounts never pass through a float);
 * - `BigUint64Array`/`BigInt64Array` → arrays of decimal strings; other typed arrays → number arrays;
 * - a dense `Uint16Array` matrix under `weights`/`bonds` (n·n) → n rows of n values;
 * - arrays and plain objects recursively; `undefined` properties dropped.
 *
 * Works on `EpochOutput` (also with extra fields such as mechanism outputs), `EpochInput`, `MetagraphView`,
 * `NetworkReport` and anything else built from those pieces; a `Date` becomes its ISO string (`new Date(iso)` gives
 * it back to the millisecond), a boxed primitive its value. Functions, symbols, non-finite numbers, invalid Dates,
 * Maps, Sets, ArrayBuffers, DataViews, RegExps, weak collections, class instances (their methods and prototype
 * would be lost) and Symbol-keyed data have no JSON form and are refused with `YumaError('E_ARG')` naming the path;
 * non-enumerable keys are left out, as `JSON.stringify` leaves them,
 * as are cycles, holes (`E_SHAPE`) and arrays of more than MAX_JSON_ITEMS entries (`E_LIMIT`). Each property is read once; what a getter or Proxy throws is `E_ARG`.
 */
export function toJSON(value: EpochOutput): EpochOutputJSON;
export function toJSON(value: unknown): JsonValue;
export function toJSON(value: unknown): JsonValue | EpochOutputJSON {
  return guard('value', () => encode(value, '', 'value', new Set()));
}

/** Most entries one array may hold in `toJSON` / `fromJSON` (a dense 4096-UID matrix has 2^24 cells). */
export const MAX_JSON_ITEMS = 2 ** 24;

/**
 * Deepest nesting `toJSON` encodes (library values nest a few levels): past it `E_LIMIT`, where the call stack would
 * otherwise end the walk somewhere near 2000 levels, at a depth that depends on the caller's own stack.
 */
export const MAX_JSON_DEPTH = 512;

function encode(v: unknown, key: string, where: string, seen: Set<object>): JsonValue {
  switch (typeof v) {
    case 'bigint':
      return v.toString();
    case 'string':
    case 'boolean':
      return v;
    case 'number':
      if (!Number.isFinite(v)) throw new YumaError('E_ARG', `${where} is ${show(v)}, which JSON cannot hold`);
      return v;
    case 'undefined':
      return null;
    case 'object':
      break;
    default:
      throw new YumaError('E_ARG', `${where} is ${describe(v)}, which has no JSON form`);
  }
  if (v === null) return null;
  const kind = typedArrayKind(v);
  if (kind !== undefined) {
    // Entries by index and the length from the internal slot: a typed array's own or inherited `length`,
    // iterator and `subarray` are user code that can throw or describe other entries than it holds.
    const t = v as unknown as ArrayLike<number | bigint>;
    const len = typedLength(v as ArrayBufferView);
    if (len > MAX_JSON_ITEMS) throw new YumaError('E_LIMIT', `${where} has more than ${MAX_JSON_ITEMS} entries`);
    if (kind === 'BigUint64Array' || kind === 'BigInt64Array') return Array.from({ length: len }, (_, i) => String(t[i]));
    if (kind === 'Uint16Array' && (key === 'bonds' || key === 'weights')) {
      const n = Math.round(Math.sqrt(len));
      if (n * n === len) return Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => t[i * n + j] as number));
    }
    const out = new Array<number>(len);
    for (let i = 0; i < len; i++) {
      const x = t[i] as number;
      if (!Number.isFinite(x)) throw new YumaError('E_ARG', `${where}[${i}] is ${show(x)}, which JSON cannot hold`);
      out[i] = x;
    }
    return out;
  }
  if (!Array.isArray(v)) {
    const proto = Object.getPrototypeOf(v) as object | null;
    if (proto !== Object.prototype && proto !== null) {
      const kind = builtInKind(v);
      if (kind === 'Date') {
        const time = dateTime.call(v) as number;
        if (!Number.isFinite(time)) throw new YumaError('E_ARG', `${where} is an invalid Date, which JSON cannot hold`);
        return dateIso.call(v) as string;
      }
      // a boxed primitive is its value (as JSON.stringify writes it); its own keys are none of its data
      const boxed = BOXED.get(kind as string);
      if (boxed !== undefined) return encode(boxed.call(v), key, where, seen);
      if (kind === 'Map' || kind === 'Set') throw new YumaError('E_ARG', `${where} is a ${kind}, which has no JSON form (chain states and block reports: chainStateToJSON, blockReportToJSON)`);
      if (kind !== undefined) throw new YumaError('E_ARG', `${where} is a ${kind}, which has no JSON form`);
      // a plain object of another realm has that realm's Object.prototype, whose own prototype is null
      if (Object.getPrototypeOf(proto) !== null) {
        throw new YumaError('E_ARG', `${where} is ${className(proto)}, which toJSON does not encode (its class, methods and getters have no JSON form; pass a plain object of its data)`);
      }
    }
  }
  // JSON.stringify would skip a Symbol key and its data without a word
  for (const k of Object.getOwnPropertySymbols(v)) throw new YumaError('E_ARG', `${where} has a Symbol key (${show(k)}), which JSON cannot hold`);
  if (seen.has(v)) throw new YumaError('E_ARG', `${where} refers to itself`);
  // `seen` holds exactly the objects on the path from the top: its size is this object's depth
  if (seen.size >= MAX_JSON_DEPTH) throw new YumaError('E_LIMIT', `${where} is nested more than ${MAX_JSON_DEPTH} deep`);
  seen.add(v);
  try {
    if (Array.isArray(v)) return readList(v, where, MAX_JSON_ITEMS).map((x, i) => encode(x, key, `${where}[${i}]`, seen));
    const out: { [k: string]: JsonValue } = {};
    for (const [k, x] of Object.entries(v)) {
      if (x === undefined) continue;
      const json = encode(x, k, `${where}.${k}`, seen);
      // An own '__proto__' key (JSON.parse makes one) is data: assigning it would set the result's prototype.
      if (k === '__proto__') Object.defineProperty(out, k, { value: json, enumerable: true, writable: true, configurable: true });
      else out[k] = json;
    }
    return out;
  } finally {
    seen.delete(v);
  }
}

// Built-ins by their internal slots (a method of the built-in that throws on anything else), never by a property
// of the value: a Date's own toISOString, a Map's own toStringTag are user code.
const dateTime = Date.prototype.getTime;
const dateIso = Date.prototype.toISOString;
const mapSize = Object.getOwnPropertyDescriptor(Map.prototype, 'size')!.get!;
const setSize = Object.getOwnPropertyDescriptor(Set.prototype, 'size')!.get!;

const getter = (proto: object, name: string) => Object.getOwnPropertyDescriptor(proto, name)!.get!;

/** Boxed primitives by their `valueOf`, which reads the internal slot (and throws on anything else). */
const BOXED = new Map<string, (this: unknown) => unknown>([
  ['Number', Number.prototype.valueOf],
  ['String', String.prototype.valueOf],
  ['Boolean', Boolean.prototype.valueOf],
  ['BigInt', BigInt.prototype.valueOf],
]);

// Each probe throws unless its receiver has the kind's internal slots: data an own-key walk would never see.
// (A DataView by its buffer: its byteLength throws once the buffer is detached.)
const PROBES: ReadonlyArray<readonly [string, (this: unknown, ...args: never[]) => unknown]> = [
  ['Date', dateTime],
  ['Map', mapSize],
  ['Set', setSize],
  ...BOXED,
  ['Symbol', Symbol.prototype.valueOf],
  ['ArrayBuffer', getter(ArrayBuffer.prototype, 'byteLength')],
  // a browser page that is not cross-origin isolated has no SharedArrayBuffer (and no value can be one there)
  ...(typeof SharedArrayBuffer === 'function' ? [['SharedArrayBuffer', getter(SharedArrayBuffer.prototype, 'byteLength')] as const] : []),
  ['DataView', getter(DataView.prototype, 'buffer')],
  ['RegExp', getter(RegExp.prototype, 'global')],
  ['WeakMap', WeakMap.prototype.has],
  ['WeakSet', WeakSet.prototype.has],
  ...(typeof WeakRef === 'function' ? [['WeakRef', WeakRef.prototype.deref] as const] : []),
];

/** 'a Point instance' from the prototype's own `constructor` and its own `name`, data properties only (no getter runs). */
function className(proto: object): string {
  const ctor = Object.getOwnPropertyDescriptor(proto, 'constructor');
  const fn: unknown = ctor && 'value' in ctor ? ctor.value : undefined;
  const name = typeof fn === 'function' ? Object.getOwnPropertyDescriptor(fn, 'name') : undefined;
  const text: unknown = name && 'value' in name ? name.value : undefined;
  return typeof text === 'string' && /^[A-Za-z_$][\w$]{0,39}$/.test(text) ? `a ${text} instance` : 'a class instance';
}

function builtInKind(v: object): string | undefined {
  for (const [kind, probe] of PROBES) {
    try {
      probe.call(v);
      return kind;
    } catch {
      // not this kind
    }
  }
  return undefined;
}

const U16_KEYS = ['stakeWeight', 'consensus', 'incentive', 'dividends', 'validatorTrust'] as const;
const BOOL_KEYS = ['active', 'validatorPermit'] as const;
const RAO_KEYS = ['serverEmission', 'validatorEmission'] as const;
const FLOAT_KEYS = ['consensus', 'incentive', 'dividends', 'rank', 'trust', 'validatorTrust'] as const;

/**
 * An `EpochOutput` back from its JSON form (`toJSON`'s output, or `yuma-wasm epoch`'s stdout after
 * `JSON.parse`): u16 vectors as `Uint16Array`, rao as `bigint`, float views as `Float64Array`, bonds as a
 * `Uint16Array` (from dense rows) or sparse rows. Nested `mechanisms` outputs are decoded the same way, and an
 * aggregate's `mechanismEmission`, `emission` and `votingStake` as `bigint`s; other extra fields are kept as
 * they are. Every value is checked: a bad one is `YumaError` (`E_SHAPE`, `E_RANGE`, …).
 */
export function fromJSON(json: unknown): EpochOutput {
  return guard('output', () => decodeOutput(json, 'output'));
}

function decodeOutput(json: unknown, where: string, nested = false): EpochOutput {
  if (json === null || typeof json !== 'object' || Array.isArray(json)) {
    throw new YumaError('E_SHAPE', `${where} must be an object (got ${describe(json)})`);
  }
  const o: Record<string, unknown> = { ...json }; // each field read once
  const n = arrayOf(o.stakeWeight, `${where}.stakeWeight`).length;
  // no epoch has more UIDs; checked before the n·n bond matrix is allocated
  if (n > MAX_UIDS) throw new YumaError('E_LIMIT', `${where}.stakeWeight has ${n} UIDs, more than the ${MAX_UIDS} an epoch has`);
  const u16 = (k: string) => {
    const a = arrayOf(o[k], `${where}.${k}`, n);
    return Uint16Array.from(a, (x, i) => u16Of(x, `${where}.${k}[${i}]`));
  };
  const out: Record<string, unknown> = { ...o };
  for (const k of U16_KEYS) out[k] = u16(k);
  for (const k of BOOL_KEYS) {
    out[k] = arrayOf(o[k], `${where}.${k}`, n).map((x, i) => {
      if (typeof x !== 'boolean') throw new YumaError('E_SHAPE', `${where}.${k}[${i}] must be true or false (got ${show(x)})`);
      return x;
    });
  }
  for (const k of RAO_KEYS) out[k] = arrayOf(o[k], `${where}.${k}`, n).map((x, i) => raoOf(x, `${where}.${k}[${i}]`));
  const given = o.float;
  if (given === null || typeof given !== 'object' || Array.isArray(given)) throw new YumaError('E_SHAPE', `${where}.float must be an object`);
  const f: Record<string, unknown> = { ...given };
  const float: Record<string, Float64Array> = {};
  for (const k of FLOAT_KEYS) {
    float[k] = Float64Array.from(arrayOf(f[k], `${where}.float.${k}`, n), (x, i) => {
      if (typeof x !== 'number' || !Number.isFinite(x)) throw new YumaError('E_SHAPE', `${where}.float.${k}[${i}] must be a finite number (got ${show(x)})`);
      // every float view is a share of a normalised whole: no epoch (either mode, path or mechanism) gives one outside [0, 1]
      if (x < 0 || x > 1) throw new YumaError('E_RANGE', `${where}.float.${k}[${i}] must be in [0, 1] (got ${show(x)})`);
      return x;
    });
  }
  out.float = float;
  out.bonds = bondsOf(o.bonds, n, `${where}.bonds`);
  if (o.mechanisms !== undefined) {
    if (nested) throw new YumaError('E_SHAPE', `${where}.mechanisms: a mechanism's output has no mechanisms of its own`);
    const mechanisms = readList(o.mechanisms, `${where}.mechanisms`, MAX_MECHANISMS).map((m, i) => decodeOutput(m, `${where}.mechanisms[${i}]`, true));
    out.mechanisms = mechanisms;
    // an aggregate's own rao vectors (MechanismEpochOutput): per mechanism, and per UID
    const rao = (k: string, len: number) => {
      if (o[k] !== undefined) out[k] = arrayOf(o[k], `${where}.${k}`, len).map((x, i) => raoOf(x, `${where}.${k}[${i}]`));
    };
    rao('mechanismEmission', mechanisms.length);
    rao('emission', n);
    rao('votingStake', n);
  }
  return out as unknown as EpochOutput;
}

/** An array copied once (no holes, at most MAX_JSON_ITEMS entries), of length n when n is given. */
function arrayOf(v: unknown, where: string, n?: number): unknown[] {
  const a = readList(v, where, MAX_JSON_ITEMS);
  if (n !== undefined && a.length !== n) throw new YumaError('E_SHAPE', `${where} has length ${a.length}, expected ${n}`);
  return a;
}

function u16Of(x: unknown, where: string): number {
  if (typeof x !== 'number' || !Number.isInteger(x) || x < 0 || x > 65535) throw new YumaError('E_RANGE', `${where} must be a u16 (got ${show(x)})`);
  return x;
}

function raoOf(x: unknown, where: string): bigint {
  if (typeof x === 'string' && /^[0-9]{1,20}$/.test(x)) {
    const v = BigInt(x);
    if (v <= U64_MAX) return v;
  }
  if (typeof x === 'number' && Number.isSafeInteger(x) && x >= 0) return BigInt(x);
  throw new YumaError('E_RANGE', `${where} must be a decimal string of rao in u64 (got ${show(x)})`);
}

function bondsOf(v: unknown, n: number, where: string): Uint16Array | SparseRow[] {
  const rows = arrayOf(v, where, n).map((r, i) => arrayOf(r, `${where}[${i}]`));
  const dense = rows.some((r) => r.length > 0 && typeof r[0] === 'number');
  if (dense) {
    rows.forEach((row, i) => {
      if (row.length !== n) throw new YumaError('E_SHAPE', `${where}[${i}] has length ${row.length}, expected ${n}`);
    });
    const out = new Uint16Array(n * n);
    rows.forEach((row, i) => {
      for (let j = 0; j < n; j++) out[i * n + j] = u16Of(row[j], `${where}[${i}][${j}]`);
    });
    return out;
  }
  return rows.map((r, i) => {
    const seen = new Set<number>();
    return r.map((pair, e): [number, number] => {
      const p = arrayOf(pair, `${where}[${i}][${e}]`, 2);
      const j = p[0];
      if (typeof j !== 'number' || !Number.isInteger(j) || j < 0 || j >= n) throw new YumaError('E_RANGE', `${where}[${i}][${e}] uid must be in [0, ${n - 1}] (got ${show(j)})`);
      // an epoch stores one bond per uid (an input row listing one twice is refused the same way)
      if (seen.has(j)) throw new YumaError('E_SHAPE', `${where}[${i}] lists uid ${j} twice`);
      seen.add(j);
      return [j, u16Of(p[1], `${where}[${i}][${e}] value`)];
    });
  });
}
