/**
 * Checked converters of single values. Each names the offending field so the message says what to fix, and
 * prints values with `show` (safe for any value).
 */
import { YumaError } from '../errors.js';
import { U64_MAX } from '../units.js';
import { describe, show } from './describe.js';

const DECIMAL = /^[0-9]{1,20}$/;

/**
 * A u64 given as a bigint, a safe integer number, or a decimal string (how JSON carries rao amounts and
 * blocks: `"1547863845838995"`; digits only, at most 20 of them).
 */
export function toU64(value: unknown, field: string): bigint {
  if (typeof value === 'string') {
    if (!DECIMAL.test(value)) {
      if (/^[0-9]+$/.test(value)) throw new YumaError('E_RANGE', `${field} exceeds u64 (${show(value)})`);
      throw new YumaError('E_ARG', `${field} must be a whole number of digits when given as a string (got ${show(value)})`);
    }
    value = BigInt(value);
  }
  if (typeof value === 'bigint') {
    if (value < 0n) throw new YumaError('E_RANGE', `${field} is negative (${show(value)})`);
    if (value > U64_MAX) throw new YumaError('E_RANGE', `${field} exceeds u64 (${show(value)})`);
    return value;
  }
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new YumaError('E_NAN', `${field} is ${show(value)}`);
    if (!Number.isInteger(value)) throw new YumaError('E_RANGE', `${field} must be an integer (got ${show(value)})`);
    if (value < 0) throw new YumaError('E_RANGE', `${field} is negative (${show(value)})`);
    if (!Number.isSafeInteger(value)) throw new YumaError('E_RANGE', `${field} is above 2^53; pass it as a bigint`);
    return BigInt(value);
  }
  throw new YumaError('E_ARG', `${field} must be a bigint, an integer number or a decimal string (got ${describe(value)})`);
}

/**
 * A block number: what `toU64` takes, and also an integer number from 2^53 up to 2^64. JSON.parse turns a u64
 * block literal near u64::MAX (the chain's epoch fixtures hold such last-update blocks, to reach its saturating
 * activity test) into such a number, so a caller reading JSON the plain way could otherwise not pass it. It is
 * read as the number's exact value, 2^64 itself as u64::MAX (the nearest u64): the rounding moves it by at most
 * 1024, and the epoch only compares such a block with real ones and adds to it saturating, which answer alike.
 * Rao amounts stay `toU64`'s: an amount is never rounded.
 */
export function toBlock(value: unknown, field: string): bigint {
  if (typeof value === 'number' && Number.isInteger(value) && value > Number.MAX_SAFE_INTEGER && value <= 2 ** 64) {
    return value === 2 ** 64 ? U64_MAX : BigInt(value);
  }
  return toU64(value, field);
}

/**
 * An amount of rao (or alpha rao): a bigint in [0, u64], and above 0 unless `allowZero`. `what` names another u64
 * read by the same rule (a block number, a proportion) in the message.
 */
export function toAmount(value: unknown, field: string, allowZero = false, what = 'amount of rao'): bigint {
  if (typeof value !== 'bigint') throw new YumaError('E_ARG', `${field} must be a bigint ${what} (got ${describe(value)})`);
  if (value < 0n) throw new YumaError('E_RANGE', `${field} must not be negative (got ${show(value)})`);
  if (value === 0n && !allowZero) throw new YumaError('E_RANGE', `${field} must be positive`);
  if (value > U64_MAX) throw new YumaError('E_RANGE', `${field} exceeds u64 (got ${show(value)})`);
  return value;
}

/** A whole number in [min, max], given as a number or a bigint. */
export function toInt(value: unknown, field: string, min: number, max: number): number {
  if (typeof value === 'bigint') {
    if (value < BigInt(min) || value > BigInt(max)) {
      throw new YumaError('E_RANGE', `${field} must be in [${min}, ${max}] (got ${show(value)})`);
    }
    return Number(value);
  }
  if (typeof value !== 'number') throw new YumaError('E_ARG', `${field} must be a number (got ${describe(value)})`);
  if (!Number.isFinite(value)) throw new YumaError('E_NAN', `${field} is ${show(value)}`);
  if (!Number.isInteger(value)) throw new YumaError('E_RANGE', `${field} must be an integer (got ${show(value)})`);
  if (value < min || value > max) throw new YumaError('E_RANGE', `${field} must be in [${min}, ${max}] (got ${show(value)})`);
  return value === 0 ? 0 : value; // −0 is 0
}

/** A u16 (0 … 65535). */
export function toU16(value: unknown, field: string): number {
  return toInt(value, field, 0, 65535);
}

/**
 * A list of u16s, read once (`toU16` on each entry); the entry's label (`name[k]`) is built only for an entry it
 * refuses — rows of weights are read every epoch for every validator.
 */
export function toU16List(list: readonly unknown[], name: string): number[] {
  const out = new Array<number>(list.length);
  for (let k = 0; k < list.length; k++) {
    const v = list[k];
    out[k] = typeof v === 'number' && v >= 0 && v <= 65535 && Number.isInteger(v) ? v + 0 : toU16(v, `${name}[${k}]`);
  }
  return out;
}

/** A finite number (any sign). −0 reads as 0. */
export function toFinite(value: unknown, field: string): number {
  if (typeof value !== 'number') throw new YumaError('E_ARG', `${field} must be a number (got ${describe(value)})`);
  if (!Number.isFinite(value)) throw new YumaError('E_NAN', `${field} must be finite (got ${show(value)})`);
  return value === 0 ? 0 : value;
}

/** A finite number in [lo, hi]. */
export function toNumberIn(value: unknown, field: string, lo: number, hi: number): number {
  const x = toFinite(value, field);
  if (x < lo || x > hi) throw new YumaError('E_RANGE', `${field} must be in [${lo}, ${hi}] (got ${show(x)})`);
  return x;
}

/** A boolean, strictly: truthy or falsy values of other types are refused. */
export function toBool(value: unknown, field: string): boolean {
  if (typeof value !== 'boolean') throw new YumaError('E_ARG', `${field} must be true or false (got ${show(value)})`);
  return value;
}

/** A non-empty string. */
export function toName(value: unknown, field: string): string {
  if (typeof value !== 'string' || value === '') throw new YumaError('E_ARG', `${field} must be a non-empty string (got ${show(value)})`);
  return value;
}

/** One of a fixed set of strings (compared as strings: no lookup in an object, so no 'constructor' or '__proto__'). */
export function oneOf<T extends string>(value: unknown, field: string, allowed: readonly T[]): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw new YumaError('E_ARG', `${field} must be one of ${allowed.join(', ')} (got ${show(value)})`);
  }
  return value as T;
}
