import { YumaError } from '../errors.js';
import { U64_MAX } from '../units.js';

/** Small checked converters; each names the offending field so the message says what to fix. */

export function toU64(value: unknown, field: string): bigint {
  if (typeof value === 'bigint') {
    if (value < 0n) throw new YumaError('E_RANGE', `${field} is negative (${value})`);
    if (value > U64_MAX) throw new YumaError('E_RANGE', `${field} exceeds u64 (${value})`);
    return value;
  }
  if (typeof value === 'number') {
    if (Number.isNaN(value) || !Number.isFinite(value)) throw new YumaError('E_NAN', `${field} is ${value}`);
    if (!Number.isInteger(value)) throw new YumaError('E_RANGE', `${field} must be an integer (got ${value})`);
    if (value < 0) throw new YumaError('E_RANGE', `${field} is negative (${value})`);
    if (!Number.isSafeInteger(value)) throw new YumaError('E_RANGE', `${field} is above 2^53; pass it as a bigint`);
    return BigInt(value);
  }
  throw new YumaError('E_ARG', `${field} must be a bigint or an integer number (got ${describe(value)})`);
}

export function toInt(value: unknown, field: string, min: number, max: number): number {
  if (typeof value === 'bigint') {
    if (value < BigInt(min) || value > BigInt(max)) {
      throw new YumaError('E_RANGE', `${field} must be in [${min}, ${max}] (got ${value})`);
    }
    return Number(value);
  }
  if (typeof value !== 'number') throw new YumaError('E_ARG', `${field} must be a number (got ${describe(value)})`);
  if (Number.isNaN(value) || !Number.isFinite(value)) throw new YumaError('E_NAN', `${field} is ${value}`);
  if (!Number.isInteger(value)) throw new YumaError('E_RANGE', `${field} must be an integer (got ${value})`);
  if (value < min || value > max) throw new YumaError('E_RANGE', `${field} must be in [${min}, ${max}] (got ${value})`);
  return value;
}

export function toBool(value: unknown, field: string): boolean {
  if (typeof value !== 'boolean') throw new YumaError('E_ARG', `${field} must be a boolean (got ${describe(value)})`);
  return value;
}

export function requireLength(value: { length: number } | undefined | null, n: number, field: string): void {
  if (value == null || typeof value.length !== 'number') throw new YumaError('E_SHAPE', `${field} is missing`);
  if (value.length !== n) throw new YumaError('E_SHAPE', `${field} has length ${value.length}, expected n = ${n}`);
}

export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value;
}
