/**
 * Text of caller values for error messages. Building a message must never be what fails: no template literal
 * on a value (a Symbol or a null-prototype object throws there), no `toString`, no getter, no Proxy trap.
 */

// The intrinsic getters of %TypedArray%.prototype: they read internal slots only, never user code, and give
// undefined / throw for values that are not genuine typed arrays (a Proxy of one included).
export const TypedArrayPrototype = Object.getPrototypeOf(Uint8Array.prototype) as object;
const tagGetter = Object.getOwnPropertyDescriptor(TypedArrayPrototype, Symbol.toStringTag)!.get!;

/** 'Uint16Array', 'BigUint64Array', … for a genuine typed array, else undefined. Runs no user code. */
export function typedArrayKind(value: unknown): string | undefined {
  return tagGetter.call(value) as string | undefined;
}

/** The kind of a value: 'null', 'a number', 'an array', 'a Uint16Array', 'a function', 'an object', … */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'undefined':
      return 'undefined';
    case 'object': {
      const kind = typedArrayKind(value);
      if (kind !== undefined) return `a ${kind}`;
      try {
        return Array.isArray(value) ? 'an array' : 'an object';
      } catch {
        return 'a revoked Proxy'; // Array.isArray throws on those
      }
    }
    case 'bigint':
      return 'a bigint';
    case 'number':
      return 'a number';
    case 'string':
      return 'a string';
    case 'boolean':
      return 'a boolean';
    case 'symbol':
      return 'a symbol';
    default:
      return 'a function';
  }
}

const BIG_DIGITS = 10n ** 30n;

/** A value as it would be written in code (short), or its kind for objects. */
export function show(value: unknown): string {
  switch (typeof value) {
    case 'number':
      return Object.is(value, -0) ? '-0' : String(value);
    case 'bigint':
      return value < BIG_DIGITS && value > -BIG_DIGITS ? `${String(value)}n` : `a ${value.toString(2).length}-bit bigint`;
    case 'string':
      return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
    case 'symbol':
      return String(value); // String() of a symbol is defined (a template literal throws)
    case 'boolean':
    case 'undefined':
      return String(value);
    default:
      return describe(value);
  }
}

/** `name: message` of something a caller's getter or Proxy threw, read defensively (it may be anything). */
export function thrownText(e: unknown): string {
  try {
    if (typeof e === 'object' && e !== null) {
      const name: unknown = (e as { name?: unknown }).name;
      const message: unknown = (e as { message?: unknown }).message;
      if (typeof message === 'string') return `${typeof name === 'string' ? name : 'Error'}: ${message.slice(0, 200)}`;
    }
  } catch {
    // a getter of the thrown value threw as well
  }
  return show(e);
}
