import { YumaError } from '../errors.js';
import { U64_MAX } from '../units.js';

/** A u64 amount in rao / alpha-rao; `allowZero` for injections and pots, never for swaps. */
export function checkAmount(name: string, v: unknown, allowZero = false): bigint {
  if (typeof v !== 'bigint') throw new YumaError('E_ARG', `${name} must be a bigint (rao), got ${typeof v}`);
  if (v < 0n) throw new YumaError('E_RANGE', `${name} must not be negative, got ${v}`);
  if (v === 0n && !allowZero) throw new YumaError('E_RANGE', `${name} must be positive`);
  if (v > U64_MAX) throw new YumaError('E_RANGE', `${name} exceeds u64, got ${v}`);
  return v;
}

export function checkFinite(name: string, v: unknown): number {
  if (typeof v !== 'number') throw new YumaError('E_ARG', `${name} must be a number, got ${typeof v}`);
  if (!Number.isFinite(v)) throw new YumaError('E_NAN', `${name} must be finite, got ${v}`);
  return v;
}

/** A finite number inside [lo, hi]. */
export function checkNumberIn(name: string, v: unknown, lo: number, hi: number): number {
  const x = checkFinite(name, v);
  if (x < lo || x > hi) throw new YumaError('E_RANGE', `${name} must be in [${lo}, ${hi}], got ${x}`);
  return x;
}

export function checkU16(name: string, v: unknown): number {
  const x = checkFinite(name, v);
  if (!Number.isInteger(x) || x < 0 || x > 65535) throw new YumaError('E_RANGE', `${name} must be a u16, got ${x}`);
  return x;
}

export function checkArray(name: string, v: unknown): unknown[] {
  if (!Array.isArray(v) && !ArrayBuffer.isView(v)) throw new YumaError('E_SHAPE', `${name} must be an array`);
  return Array.from(v as ArrayLike<unknown>);
}
