/**
 * `SafeFloat` normalisation (share pools, `primitives/share-pool` at subtensor 14bc6f9f) takes the crate's
 * one-at-a-time ×10 / ÷10 steps as one power of ten: the same mantissa and exponent as the steps, checked against
 * the crate's loop written out here, on mantissas across every size the pool arithmetic makes.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type SafeFloat, sfAdd, sfMulDiv, sfNew, sfSub } from '../src/chain/safe-float.js';

const MAX = 10n ** 21n;
const MIN = MAX / 10n;

/** The crate's normalisation: floor-divide by 10 while above 1e21, multiply by 10 while at or below 1e20. */
function stepwise(m: bigint, e: number): SafeFloat {
  if (m === 0n) return { mantissa: 0n, exponent: 0 };
  while (m > MAX) {
    m /= 10n;
    e += 1;
  }
  while (m <= MIN) {
    m *= 10n;
    e -= 1;
  }
  return { mantissa: m, exponent: e };
}

/** A mantissa of 1 to 45 digits, often near a power of ten (the boundaries where a step count changes). */
const mantissa = fc.oneof(
  fc.bigInt({ min: 1n, max: 10n ** 45n }),
  fc.tuple(fc.integer({ min: 0, max: 45 }), fc.integer({ min: -3, max: 3 })).map(([d, off]) => {
    const v = 10n ** BigInt(d) + BigInt(off);
    return v > 0n ? v : 1n;
  }),
  fc.tuple(fc.integer({ min: 1, max: 45 }), fc.integer({ min: -3, max: 3 })).map(([d, off]) => {
    const v = (10n ** BigInt(d)) * 2n - 1n + BigInt(off);
    return v > 0n ? v : 1n;
  }),
);
const exponent = fc.integer({ min: -60, max: 60 });

describe('SafeFloat normalisation', () => {
  it('sfNew gives the stepwise mantissa and exponent for every mantissa up to 1e21 (and 1 is 1e21 · 10^-21)', () => {
    expect(sfNew(1n, 0)).toEqual({ mantissa: MAX, exponent: -21 });
    fc.assert(
      fc.property(mantissa.filter((m) => m <= MAX), exponent, (m, e) => {
        expect(sfNew(m, e)).toEqual(stepwise(m, e));
      }),
      { numRuns: 2000 },
    );
  });

  it('sfMulDiv, sfAdd and sfSub normalise their exact results as the stepwise loop does (results up to 45 digits)', () => {
    const sf = fc.tuple(mantissa.filter((m) => m <= MAX), exponent).map(([m, e]) => sfNew(m, e)!);
    fc.assert(
      fc.property(sf, sf, sf, (a, b, c) => {
        expect(sfMulDiv(a, b, c)).toEqual(stepwise((a.mantissa * b.mantissa) / c.mantissa, a.exponent + b.exponent - c.exponent));
        const [hi, lo] = a.exponent >= b.exponent ? [a, b] : [b, a];
        const d = hi.exponent - lo.exponent;
        const scaled = lo.mantissa / (d > 22 ? MAX * 10n : 10n ** BigInt(d));
        expect(sfAdd(a, b)).toEqual(stepwise(hi.mantissa + scaled, hi.exponent));
        if (a.exponent >= b.exponent) {
          const diff = a.mantissa - scaled;
          expect(sfSub(a, b)).toEqual(stepwise(diff > 0n ? diff : 0n, a.exponent));
        }
      }),
      { numRuns: 2000 },
    );
  });
});
