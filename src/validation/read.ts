/**
 * Reading caller values once. Every public entry point first copies what it was given into plain values of its
 * own — options objects, arrays, typed arrays — and only then validates and computes on the copy:
 *
 * - each property and each array element is read exactly once (a getter or Proxy that answers differently on a
 *   second read cannot slip past a check), `length` included;
 * - unknown option keys are refused (a typo is never silently ignored);
 * - holes are refused (a sparse array is not an array of values);
 * - sizes are checked against a documented maximum before anything is allocated for them;
 * - whatever a getter or Proxy throws becomes `YumaError('E_ARG')`, so no other error type escapes.
 */
import { YumaError } from '../errors.js';
import { describe, show, thrownText, typedArrayKind, TypedArrayPrototype } from './describe.js';

const lengthGetter = Object.getOwnPropertyDescriptor(TypedArrayPrototype, 'length')!.get!;
const bufferGetter = Object.getOwnPropertyDescriptor(TypedArrayPrototype, 'buffer')!.get!;
const byteOffsetGetter = Object.getOwnPropertyDescriptor(TypedArrayPrototype, 'byteOffset')!.get!;
const resizableGetter = Object.getOwnPropertyDescriptor(ArrayBuffer.prototype, 'resizable')?.get;

/** The element count of a genuine typed array, read from its internal slot (no getter of a subclass). */
export function typedLength(value: ArrayBufferView): number {
  return lengthGetter.call(value) as number;
}

/**
 * A fresh view of the same kind over the same memory as a genuine typed array, made from its internal slots: its
 * `buffer`, `byteOffset`, `length` and methods are the built-ins', whatever the caller's array defines as own
 * properties or in a subclass (those are user code, and may throw or lie about where the entries are). For
 * arrays kept by reference (borrowed, or read in place by a kernel); no entry is copied.
 */
export function plainView<T extends ArrayBufferView>(value: T, Ctor: new (buffer: ArrayBufferLike, byteOffset: number, length: number) => T): T {
  return new Ctor(bufferGetter.call(value) as ArrayBuffer, byteOffsetGetter.call(value) as number, typedLength(value));
}

/** A genuine typed array of this kind (`'Uint16Array'`, …), or undefined for anything else (Proxies included). */
export function asTyped<T extends ArrayBufferView>(value: unknown, kind: string): T | undefined {
  return typedArrayKind(value) === kind ? (value as T) : undefined;
}

/**
 * True when `value` may be kept by reference for the length of one call: a plain `Uint16Array`-like of the
 * exact built-in class (no subclass methods), over a buffer that cannot shrink.
 */
export function borrowable(value: ArrayBufferView, proto: object): boolean {
  if (Object.getPrototypeOf(value) !== proto) return false;
  const buffer = bufferGetter.call(value) as ArrayBuffer;
  return !(resizableGetter && buffer instanceof ArrayBuffer && resizableGetter.call(buffer));
}

/** What a caller's getter or Proxy threw, as a YumaError (YumaErrors pass through), the original as `cause` as `stoppedOn` keeps it. */
export function foreign(e: unknown, where: string): YumaError {
  if (YumaError.isGenuine(e)) return e;
  return new YumaError('E_ARG', `${where}: reading it threw (${thrownText(e)})`, { cause: e });
}

/** Runs `read`, which touches caller values; anything it throws that is not a YumaError becomes E_ARG. */
export function guard<T>(where: string, read: () => T): T {
  try {
    return read();
  } catch (e) {
    throw foreign(e, where);
  }
}

/** A key as it can be printed (keys come from the caller: long or odd ones are quoted and cut). */
export function keyText(key: string): string {
  return /^[A-Za-z_$][\w$]{0,39}$/.test(key) ? key : show(key);
}

function isPlainObject(value: object): boolean {
  // Object.prototype of this realm or another one (its own prototype is null), or no prototype at all.
  const proto = Object.getPrototypeOf(value) as object | null;
  return proto === null || Object.getPrototypeOf(proto) === null;
}

/**
 * An options object copied once: a plain object (or null/undefined when not `required`, read as "none given")
 * whose own keys all belong to `keys`. Returns a null-prototype record of the keys whose value is not
 * undefined; each known key is read exactly once.
 */
export function readOptions<K extends string>(
  value: unknown,
  where: string,
  keys: readonly K[],
  required = false,
): { [P in K]?: unknown } {
  const out = Object.create(null) as { [P in K]?: unknown };
  if (value === undefined || value === null) {
    if (required) throw new YumaError('E_ARG', `${where} must be an object (got ${show(value)})`);
    return out;
  }
  if (typeof value !== 'object') throw new YumaError('E_ARG', `${where} must be an object (got ${describe(value)})`);
  return guard(where, () => {
    if (!isPlainObject(value) || Array.isArray(value)) {
      throw new YumaError('E_ARG', `${where} must be a plain object (got ${describe(value)})`);
    }
    // every own key, not only the enumerable string ones: a Symbol or non-enumerable key is a setting no one reads
    for (const key of Reflect.ownKeys(value)) {
      if (typeof key === 'symbol') throw new YumaError('E_ARG', `${where} has a Symbol key (${String(key)}); options are named by strings (known: ${keys.join(', ')})`);
      if (!(keys as readonly string[]).includes(key)) {
        throw new YumaError('E_ARG', `${where}.${keyText(key)} is not known (known: ${keys.join(', ')})`);
      }
    }
    for (const key of keys) {
      const v = (value as Record<string, unknown>)[key];
      if (v !== undefined) out[key] = v;
    }
    return out;
  });
}

/**
 * An option's value, or `fallback` when it was not given. Only `undefined` (an absent key) is "not given": `null`
 * is a value, which the field's reader refuses (E_ARG) as it refuses any other wrong type — `x ?? fallback` would
 * read it as "not given" (and over a preset's value, as the hard default).
 */
export function orDefault(value: unknown, fallback: unknown): unknown {
  return value === undefined ? fallback : value;
}

/**
 * The listed fields of an object, each read once, other keys ignored: for values the library made itself and
 * gets back (an epoch output handed to a checker may carry more fields than the checker reads).
 */
export function readFields<K extends string>(value: unknown, where: string, keys: readonly K[]): { [P in K]?: unknown } {
  const out = Object.create(null) as { [P in K]?: unknown };
  if (typeof value !== 'object' || value === null) throw new YumaError('E_ARG', `${where} must be an object (got ${describe(value)})`);
  // a getter or trap that throws is named by the field it was reading
  let at = '';
  try {
    for (const key of keys) {
      at = key;
      const v = (value as Record<string, unknown>)[key];
      if (v !== undefined) out[key] = v;
    }
  } catch (e) {
    throw foreign(e, `${where}.${keyText(at)}`);
  }
  return out;
}

/** `length` of a caller's array, read once: a whole number in [0, max] (above max: E_LIMIT). */
export function readLength(list: { length: unknown }, where: string, max: number): number {
  const len = list.length;
  if (typeof len !== 'number' || !Number.isInteger(len) || len < 0) {
    throw new YumaError('E_SHAPE', `${where} reports an impossible length (${show(len)})`);
  }
  if (len > max) throw new YumaError('E_LIMIT', `${where} has ${len} entries, more than the ${max} supported`);
  return len;
}

/** Element `i` of a caller's array, read once; a hole is E_SHAPE (only `undefined` costs the extra check). */
export function readItem(list: ArrayLike<unknown>, i: number, where: string): unknown {
  return holeCheck(list, i, list[i], where);
}

/** `v`, already read as `list[i]`, unless it is a hole (E_SHAPE). For loops that read elements themselves. */
export function holeCheck(list: ArrayLike<unknown>, i: number, v: unknown, where: string): unknown {
  if (v === undefined && !(i in list)) throw new YumaError('E_SHAPE', `${where} has a hole at index ${i}`);
  return v;
}

/**
 * `readList` for a list meant to hold u16s, read the same way (each entry once, the same errors in the same order),
 * that also says whether every entry already is one: then `list` holds them as numbers (−0 read as 0), ready to
 * use, and a caller skips `toU16List`'s second pass and copy; else `list` is what `readList` returns. One loop with
 * its own element reads: `readList`'s, shared by every caller, sees every kind of array and reads slowly.
 */
export function readListOfU16(value: unknown, where: string, max: number): { list: unknown[]; u16: boolean } {
  return guard(where, () => {
    if (!Array.isArray(value)) throw new YumaError('E_SHAPE', `${where} must be an array (got ${describe(value)})`);
    const len = readLength(value, where, max);
    const out = new Array<unknown>(len);
    let u16 = true;
    for (let i = 0; i < len; i++) {
      const v: unknown = value[i];
      if (u16 && typeof v === 'number' && v >= 0 && v <= 65535 && Number.isInteger(v)) out[i] = v + 0;
      else {
        u16 = false;
        out[i] = holeCheck(value, i, v, where);
      }
    }
    return { list: out, u16 };
  });
}

/**
 * An array copied once: a real array (or, with `typed`, a genuine typed array) of at most `max` entries and no
 * holes. The copy is a plain array the caller can no longer change.
 */
export function readList(value: unknown, where: string, max: number, typed = false): unknown[] {
  if (typed && typedArrayKind(value) !== undefined) {
    const t = value as ArrayLike<unknown> & ArrayBufferView;
    const len = typedLength(t);
    if (len > max) throw new YumaError('E_LIMIT', `${where} has ${len} entries, more than the ${max} supported`);
    const out = new Array<unknown>(len);
    for (let i = 0; i < len; i++) out[i] = t[i];
    return out;
  }
  return guard(where, () => {
    if (!Array.isArray(value)) throw new YumaError('E_SHAPE', `${where} must be an array (got ${describe(value)})`);
    const len = readLength(value, where, max);
    const out = new Array<unknown>(len);
    for (let i = 0; i < len; i++) out[i] = readItem(value, i, where);
    return out;
  });
}
