import { YumaError } from '../errors.js';
import { describe } from '../epoch/validate-values.js';

/** A matrix as arrays of rows: `number[][]`, `Float64Array[]`, or any array of array-likes of numbers. */
export type Matrix = ReadonlyArray<ArrayLike<number>>;
export type Vector = ArrayLike<number>;

/** Largest matrix one epoch accepts (validators × servers), and the most cells a whole case may hold. */
export const MAX_CELLS = 1 << 24;
export const MAX_CASE_CELLS = 1 << 25;
export const MAX_EPOCHS = 100_000;

/**
 * Runs a snapshot of caller data, turning anything a getter or Proxy trap throws into a YumaError so that
 * no other error type escapes.
 */
export function guarded<T>(what: string, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof YumaError) throw e;
    throw new YumaError('E_ARG', `${what} could not be read: ${e instanceof Error ? e.message : String(e)}`);
  }
}

function isArrayLike(x: unknown): x is ArrayLike<unknown> {
  return Array.isArray(x) || (ArrayBuffer.isView(x) && !(x instanceof DataView));
}

function lengthOf(x: unknown, field: string): number {
  if (!isArrayLike(x)) throw new YumaError('E_SHAPE', `${field} must be an array (got ${describe(x)})`);
  const n = x.length;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0) throw new YumaError('E_SHAPE', `${field} has no valid length`);
  return n;
}

function checkValue(x: unknown, field: string, i: number, nonNegative: boolean): number {
  if (typeof x !== 'number') {
    throw new YumaError(x === undefined ? 'E_SHAPE' : 'E_ARG', `${field}[${i}] must be a number (got ${x === undefined ? 'a hole or undefined' : describe(x)})`);
  }
  if (!Number.isFinite(x)) throw new YumaError('E_NAN', `${field}[${i}] is ${x}`);
  if (nonNegative && x < 0) throw new YumaError('E_RANGE', `${field}[${i}] is negative (${x})`);
  return x;
}

/** A V×M matrix, flattened row-major, every entry finite (and ≥ 0 when asked). Rows must all have `cols` entries (or set it). */
export function readMatrix(x: unknown, field: string, rows: number | null, cols: number | null, nonNegative: boolean): { data: Float64Array; rows: number; cols: number } {
  const V = lengthOf(x, field);
  if (rows !== null && V !== rows) throw new YumaError('E_SHAPE', `${field} has ${V} rows, expected ${rows}`);
  if (V === 0) throw new YumaError('E_SHAPE', `${field} has no rows`);
  const rowsArr = x as ArrayLike<unknown>;
  const first = rowsArr[0];
  const M = cols ?? lengthOf(first, `${field}[0]`);
  if (M === 0) throw new YumaError('E_SHAPE', `${field} has no columns`);
  if (V * M > MAX_CELLS) throw new YumaError('E_LIMIT', `${field} is ${V}×${M}; at most ${MAX_CELLS} entries per epoch are supported`);
  const data = new Float64Array(V * M);
  for (let v = 0; v < V; v++) {
    const row = rowsArr[v];
    const f = `${field}[${v}]`;
    const n = lengthOf(row, f);
    if (n !== M) throw new YumaError('E_SHAPE', `${f} has ${n} entries, expected ${M} (ragged matrix)`);
    const o = v * M;
    if (row instanceof Float64Array || row instanceof Float32Array) {
      data.set(row, o);
      for (let m = 0; m < M; m++) checkValue(data[o + m], f, m, nonNegative);
    } else {
      const r = row as ArrayLike<unknown>;
      for (let m = 0; m < M; m++) data[o + m] = checkValue(r[m], f, m, nonNegative);
    }
  }
  return { data, rows: V, cols: M };
}

export function readVector(x: unknown, field: string, n: number | null, nonNegative: boolean): Float64Array {
  const len = lengthOf(x, field);
  if (n !== null && len !== n) throw new YumaError('E_SHAPE', `${field} has length ${len}, expected ${n}`);
  const out = new Float64Array(len);
  const arr = x as ArrayLike<unknown>;
  for (let i = 0; i < len; i++) out[i] = checkValue(arr[i], field, i, nonNegative);
  return out;
}

/** Arrays of rows over one flat buffer (views, no copies). */
export function toRows(data: Float64Array, V: number, M: number): Float64Array[] {
  const rows = new Array<Float64Array>(V);
  for (let v = 0; v < V; v++) rows[v] = data.subarray(v * M, (v + 1) * M);
  return rows;
}
