/**
 * The library's JSON codec (`toJSON` / `fromJSON`) on inputs the fuzz suite does not build: genuine typed arrays
 * whose own properties or subclass lie about their entries. The JSON form is the value's own data, key for key and entry for entry, or a YumaError.
 */
import { describe, expect, it } from 'vitest';
import { toJSON } from '../src/epoch/json.js';

describe("toJSON reads a typed array's entries from its internal slots", () => {
  const lie = (t: Uint16Array) => {
    Object.defineProperty(t, Symbol.iterator, { value: function* () { yield 7; } });
    Object.defineProperty(t, 'length', { value: 9 });
    Object.defineProperty(t, 'subarray', { value: () => [9, 9, 9] });
    return t;
  };

  it('an own iterator, length and subarray do not change a vector: [1, 2, 3] encodes as [1, 2, 3]', () => {
    expect(toJSON({ incentive: lie(Uint16Array.from([1, 2, 3])) })).toEqual({ incentive: [1, 2, 3] });
  });

  it('nor a dense 2×2 bonds matrix: it encodes as its two rows', () => {
    expect(toJSON({ bonds: lie(Uint16Array.from([1, 2, 3, 4])) })).toEqual({ bonds: [[1, 2], [3, 4]] });
  });

  it('nor a BigUint64Array or a Float64Array (a subclass with a throwing iterator)', () => {
    class Hostile extends Float64Array {
      override [Symbol.iterator](): ArrayIterator<number> {
        throw new Error('hostile iterator');
      }
      override get length(): number {
        throw new Error('hostile length');
      }
    }
    const big = BigUint64Array.from([5n, 2n ** 64n - 1n]);
    Object.defineProperty(big, Symbol.iterator, { value: function* () { yield 0n; } });
    expect(toJSON({ stake: big, float: new Hostile([0.5, 1.25]) })).toEqual({ stake: ['5', '18446744073709551615'], float: [0.5, 1.25] });
  });
});
