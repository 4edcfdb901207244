import { YumaError } from '../errors.js';
import { describe, show, typedArrayKind } from '../validation/describe.js';
import { guard, holeCheck, readLength, typedLength } from '../validation/read.js';

/** A matrix as arrays of rows: `number[][]`, `Float64Array[]`, or any array of array-likes of numbers. */
export type Matrix = ReadonlyArray<ArrayLike<number>>;
/** A vector: `number[]`, `Float64Array`, or any array-like of numbers. */
export type Vector = ArrayLike<number>;

/** Largest matrix one epoch accepts (validators × servers): 2²⁴ cells (`E_LIMIT` beyond). */
export const MAX_CELLS = 1 << 24;
/** Most cells a whole case (`simulateCase`) may hold over all its epochs: 2²⁵ (`E_LIMIT` beyond). */
export const MAX_CASE_CELLS = 1 << 25;
/** Most epochs one case may have: 100 000 (`E_LIMIT` beyond). */
export const MAX_EPOCHS = 100_000;

/** Largest number of validators or servers (rows or columns) one matrix may have. */
const MAX_SIDE = MAX_CELLS;

/**
 * The entries of a caller's vector, read once each into `out` at `offset`: a genuine Float64Array /
 * Float32Array is copied directly, an array element by element (holes E_SHAPE, non-numbers E_ARG, NaN/∞
 * E_NAN, negative E_RANGE when `nonNegative`).
 */
function readNumbers(x: unknown, field: string, expected: number | null, out: Float64Array | null, offset: number, nonNegative: boolean, lengthRead = false): Float64Array {
  const kind = typedArrayKind(x);
  let n: number;
  if (kind === 'Float64Array' || kind === 'Float32Array') {
    n = typedLength(x as Float64Array);
  } else {
    if (!Array.isArray(x)) throw new YumaError('E_SHAPE', `${field} must be an array of numbers (got ${describe(x)})`);
    // a length the caller already read is `expected`: a second read could answer differently (a Proxy or getter)
    n = lengthRead && expected !== null ? expected : readLength(x, field, MAX_SIDE);
  }
  if (expected !== null && n !== expected) throw new YumaError('E_SHAPE', `${field} has ${n} entries, expected ${expected}`);
  const dst = out ?? new Float64Array(n);
  if (kind === 'Float64Array' || kind === 'Float32Array') {
    dst.set(x as Float64Array, offset);
    // One comparison per entry on the fast path; the slow path only names the bad entry.
    const lo = nonNegative ? 0 : -Infinity;
    for (let i = offset, end = offset + n; i < end; i++) {
      const v = dst[i];
      if (!(v >= lo && v < Infinity)) checkNumber(v, field, i - offset, nonNegative);
    }
    return dst;
  }
  const arr = x as ArrayLike<unknown>;
  for (let i = 0; i < n; i++) {
    let v = arr[i];
    if (typeof v !== 'number' || !(v >= 0 && v < Infinity)) {
      if (v === undefined) v = holeCheck(arr, i, v, field);
      checkNumber(v, field, i, nonNegative);
    }
    dst[offset + i] = v as number;
  }
  return dst;
}

function checkNumber(v: unknown, field: string, i: number, nonNegative: boolean): void {
  if (typeof v !== 'number') throw new YumaError('E_ARG', `${field}[${i}] must be a number (got ${show(v)})`);
  if (!Number.isFinite(v)) throw new YumaError('E_NAN', `${field}[${i}] is ${v}`);
  if (nonNegative && v < 0) throw new YumaError('E_RANGE', `${field}[${i}] is negative (${v})`);
}

/**
 * A V×M matrix, flattened row-major, every entry finite (and ≥ 0 when asked). Rows must all have `cols` entries
 * (or set it). `checkShape` sees V and M before any entry is read or any memory is taken (a caller's limit).
 */
export function readMatrix(
  x: unknown,
  field: string,
  rows: number | null,
  cols: number | null,
  nonNegative: boolean,
  checkShape?: (rows: number, cols: number) => void,
): { data: Float64Array; rows: number; cols: number } {
  return guard(field, () => {
    if (!Array.isArray(x)) throw new YumaError('E_SHAPE', `${field} must be an array of rows (got ${describe(x)})`);
    const V = readLength(x, field, MAX_SIDE);
    if (rows !== null && V !== rows) throw new YumaError('E_SHAPE', `${field} has ${V} rows, expected ${rows}`);
    if (V === 0) throw new YumaError('E_SHAPE', `${field} has no rows`);
    const first = holeCheck(x, 0, x[0], field);
    let M = cols;
    let firstLengthRead = false;
    if (M === null) {
      const kind = typedArrayKind(first);
      if (kind !== undefined) M = typedLength(first as Float64Array);
      else if (Array.isArray(first)) {
        M = readLength(first, `${field}[0]`, MAX_SIDE);
        firstLengthRead = true;
      } else throw new YumaError('E_SHAPE', `${field}[0] must be an array of numbers (got ${describe(first)})`);
    }
    if (M === 0) throw new YumaError('E_SHAPE', `${field} has no columns`);
    if (V * M > MAX_CELLS) throw new YumaError('E_LIMIT', `${field} is ${V}×${M}; at most ${MAX_CELLS} entries per epoch are supported`);
    checkShape?.(V, M);
    const data = new Float64Array(V * M);
    for (let v = 0; v < V; v++) {
      const row = v === 0 ? first : holeCheck(x, v, x[v], field);
      readNumbers(row, `${field}[${v}]`, M, data, v * M, nonNegative, v === 0 && firstLengthRead);
    }
    return { data, rows: V, cols: M };
  });
}

/** `out`: an array of exactly n entries to read into instead of a new one (n given). */
export function readVector(x: unknown, field: string, n: number | null, nonNegative: boolean, out: Float64Array | null = null): Float64Array {
  return guard(field, () => readNumbers(x, field, n, out, 0, nonNegative));
}

/** Arrays of rows over one flat buffer (views, no copies). */
export function toRows(data: Float64Array, V: number, M: number): Float64Array[] {
  const rows = new Array<Float64Array>(V);
  for (let v = 0; v < V; v++) rows[v] = data.subarray(v * M, (v + 1) * M);
  return rows;
}
