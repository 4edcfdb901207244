import { expect } from 'vitest';
import type { RawEpochResult } from '../../src/epoch/result.js';

type Typed = Uint8Array | Uint16Array | BigUint64Array | Float64Array;

const bytes = (a: Typed) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);

/**
 * Bit-for-bit equality of two raw epoch results (f64 views included, so −0 ≠ +0). Compares bytes first and only
 * builds a readable per-field diff for a field that differs: vitest's deep equality on n·n typed arrays is slow.
 */
export function expectSameResult(got: RawEpochResult, want: RawEpochResult, label = ''): void {
  for (const key of Object.keys(want) as Array<keyof RawEpochResult>) {
    const g = got[key] as Typed;
    const w = want[key] as Typed;
    const same = g.length === w.length && bytes(g).equals(bytes(w));
    if (!same) expect(Array.from(g as ArrayLike<number | bigint>), `${label} ${key}`).toEqual(Array.from(w as ArrayLike<number | bigint>));
    expect(same, `${label} ${key}: same values but different bits`).toBe(true);
  }
}
