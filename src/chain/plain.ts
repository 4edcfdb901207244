/**
 * A state the caller holds is checked before every block, and the block then reads it again: a getter or Proxy trap
 * could answer the block differently from the check (a valid amount to the check, a string or a throw in the middle of
 * the block, after part of its writes). So every object such a state is made of must be plain data, which reads the
 * same each time until something writes it. An object is looked at once (its prototype, every own property a data
 * property, no Proxy) and pinned: sealed, so that no property can later turn into a getter, be added or removed, and no
 * prototype be put under it; the values stay writable. It is marked (`Pin`), so that later checks cost one lookup.
 */
import { YumaError } from '../errors.js';

/** A base class whose constructor returns the object it is given: `new Pin(o)` gives `o` Pin's private field. */
class Stamped {
  constructor(o: object) {
    return o as Stamped;
  }
}

/**
 * The mark of a pinned object: a private field, which no Proxy can fake, no caller can read or remove, and whose test
 * is a property lookup (a WeakSet of the sixty thousand objects of a 64-subnet state made the check twice as slow).
 */
class Pin extends Stamped {
  #pinned = true;

  // One test per kind of object, each its own function: a single one met every kind of the state's objects and its
  // lookup went generic (the 64-subnet check took twice as long); a read of the field instead of `in` throws on every
  // object not yet pinned, which made a first check 90 times as slow.
  static any(o: object): boolean {
    return #pinned in o;
  }

  static pool(o: object): boolean {
    return #pinned in o;
  }

  static safeFloat(o: object): boolean {
    return #pinned in o;
  }

  static hotkey(o: object): boolean {
    return #pinned in o;
  }
}

/** Pinned objects that take no private field (engines that refuse one on a frozen object). */
const pinnedElsewhere = new WeakSet<object>();

function markPinned(o: object): void {
  try {
    new Pin(o);
  } catch {
    pinnedElsewhere.add(o);
  }
}

/**
 * Whether `o` was pinned: the check's fast path, asked before `pinPlain` / `pinTyped` so that the path closure their
 * callers pass is only made for an object not seen before.
 */
export const isPinned = (o: unknown): boolean => typeof o === 'object' && o !== null && (Pin.any(o) || pinnedElsewhere.has(o));
/** `isPinned` of a stake pool. */
export const isPinnedPool = (o: object): boolean => Pin.pool(o) || pinnedElsewhere.has(o);
/** `isPinned` of a SafeFloat (a share, a denominator). */
export const isPinnedSafeFloat = (o: object): boolean => Pin.safeFloat(o) || pinnedElsewhere.has(o);
/** `isPinned` of a hotkey's record. */
export const isPinnedHotkey = (o: object): boolean => Pin.hotkey(o) || pinnedElsewhere.has(o);

/**
 * Node's `util.types.isProxy`: plain JavaScript cannot tell a Proxy of a plain object from the object. Elsewhere (a
 * browser) a Proxy whose traps lie is not refused here; the block then still ends in a YumaError (see `Chain.step`).
 */
const isProxy: (v: object) => boolean = (() => {
  const get = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process?.getBuiltinModule;
  const util = typeof get === 'function' ? (get('node:util') as { types?: { isProxy?: (v: unknown) => boolean } } | undefined) : undefined;
  const f = util?.types?.isProxy;
  return typeof f === 'function' ? (v) => f(v) : () => false;
})();

const refuse = (path: () => string, what: string): never => {
  throw new YumaError('E_ARG', `${path()} ${what}: a chain state is plain data (a getter or Proxy could answer the block differently from the check before it)`);
};

/**
 * `o` (an object of a held state whose prototype must be `proto`, or null where `proto` is Object.prototype) as plain
 * data, pinned. `optional` keys the block reads but the object may lack are given as own `undefined` data properties,
 * so that no getter can be added under them later (an absent key is read through the prototype chain).
 */
export function pinPlain(o: object, proto: object, path: () => string, optional?: readonly string[]): void {
  if (isPinned(o)) return;
  if (isProxy(o)) refuse(path, 'is a Proxy');
  const p = Object.getPrototypeOf(o) as object | null;
  if (p !== proto && !(p === null && proto === Object.prototype)) refuse(path, 'has a prototype of its own');
  const keys = Reflect.ownKeys(o);
  for (let i = 0; i < keys.length; i++) {
    const d = Object.getOwnPropertyDescriptor(o, keys[i])!;
    if (!('value' in d)) refuse(path, `has a getter or setter (${String(keys[i])})`);
  }
  if (optional !== undefined && Object.isExtensible(o)) {
    for (const k of optional) if (!Object.prototype.hasOwnProperty.call(o, k)) Object.defineProperty(o, k, { value: undefined, writable: true, enumerable: true, configurable: true });
  }
  markPinned(o);
  // one transition for the whole object (a defineProperty per field cost 2.7 µs an object)
  Object.seal(o);
}

/**
 * A typed array of a held state (a neuron table's vector) as one of `Kind`'s own, pinned: no Proxy (whose `instanceof`
 * passes), no own property but its elements (an own `length` could answer the block differently), and no property can
 * be added later. Its elements stay writable.
 */
export function pinTyped(v: ArrayBufferView, proto: object, path: () => string): void {
  if (isPinned(v)) return;
  if (isProxy(v) || !ArrayBuffer.isView(v)) refuse(path, 'is not a typed array');
  if (Object.getPrototypeOf(v) !== proto) refuse(path, 'has a prototype of its own');
  if (Reflect.ownKeys(v).length !== (v as unknown as { length: number }).length) refuse(path, 'has properties of its own');
  markPinned(v);
  Object.preventExtensions(v);
}

/**
 * An array of a held state that the block reads (child links, an owner's hotkeys), checked each time since the chain
 * and its caller push and splice such arrays: no Proxy, Array.prototype, no own property but its elements and length,
 * every element a data property.
 */
export function plainArray(a: unknown[], path: () => string): void {
  if (isProxy(a)) refuse(path, 'is a Proxy');
  if (Object.getPrototypeOf(a) !== Array.prototype) refuse(path, 'has a prototype of its own');
  const keys = Reflect.ownKeys(a);
  if (keys.length !== a.length + 1) refuse(path, 'has properties of its own or holes');
  for (let i = 0; i < a.length; i++) {
    const d = Object.getOwnPropertyDescriptor(a, i);
    if (d === undefined || !('value' in d)) refuse(path, `has a getter or setter (${i})`);
  }
}

/** Whether `v` is a Proxy (always false where the runtime cannot tell). */
export const proxied = (v: object): boolean => isProxy(v);
