/**
 * The coinbase kernels' unsigned 128-bit fixed point (assembly/fixed/unsigned-fixed.ts) against the BigInt
 * substrate-fixed rules (src/fixed/substrate-fixed.ts) one operation at a time, over random words and their edges:
 * U64F64 / U96F32 saturating add, sub and mul, checked division (zero divisor, quotients at and past 2^128, divisors
 * below and above 2^64), the 192 ÷ 128 digit step, and the division by 10^18 through its precomputed reciprocal at
 * exact multiples of 10^18 and one either side.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { U64F64, U96F32, divChecked, mulSat, satAdd, satSub } from '../src/fixed/substrate-fixed.js';
import { type Fn, joinU, loadFixedWasm, u64, words } from './helpers/fixed-wasm.js';

let W: Record<string, Fn>;
beforeAll(async () => {
  W = await loadFixedWasm();
});
const hi = (): bigint => u64(W.hi!());
const U128 = (1n << 128n) - 1n;
const P = 10n ** 18n;

const word = fc.oneof(fc.constantFrom(0n, 1n, 2n, (1n << 32n) - 1n, 1n << 32n, (1n << 63n) - 1n, 1n << 63n, (1n << 64n) - 1n), fc.bigInt(0n, (1n << 64n) - 1n));
const raw = fc.oneof(
  fc.tuple(word, word).map(([lo, h]) => (h << 64n) | lo),
  fc.bigInt(0n, 1n << 40n),
  fc.bigInt(0n, 1n << 96n),
  fc.constantFrom(0n, 1n, 1n << 64n, (1n << 64n) - 1n, U128, U128 - 1n, 1n << 127n),
);

const call2 = (f: string, a: bigint, b: bigint, ...rest: number[]): bigint => {
  const [aLo, aHi] = words(a);
  const [bLo, bHi] = words(b);
  const lo = W[f]!(aLo, aHi, bLo, bHi, ...rest);
  return joinU(lo, hi());
};

describe('unsigned 128-bit fixed point of the coinbase (Wasm) = substrate-fixed (BigInt)', () => {
  it('saturating add and sub equal the crate on random and extreme raws', () => {
    fc.assert(
      fc.property(raw, raw, (a, b) => {
        expect(call2('uSatAdd', a, b)).toBe(satAdd(U64F64, a, b));
        expect(call2('uSatSub', a, b)).toBe(satSub(U64F64, a, b));
      }),
      { numRuns: 3000 },
    );
  });

  it('saturating mul equals the crate in U64F64 and U96F32 (floored product, 2^128 − 1 past the range)', () => {
    fc.assert(
      fc.property(raw, raw, (a, b) => {
        expect(call2('uMulSat', a, b, 64)).toBe(mulSat(U64F64, a, b));
        expect(call2('uMulSat', a, b, 32)).toBe(mulSat(U96F32, a, b));
      }),
      { numRuns: 3000 },
    );
  });

  it('checked division equals the crate in U64F64 and U96F32 (truncated; None for a zero divisor or a quotient past 2^128)', () => {
    fc.assert(
      fc.property(raw, raw, (a, b) => {
        for (const [t, frac] of [[U64F64, 64], [U96F32, 32]] as const) {
          const q = call2('udivChecked', a, b, frac);
          const want = divChecked(t, a, b);
          expect(Number(W.divNone!()) !== 0, `${a} / ${b} (frac ${frac})`).toBe(want === null);
          expect(q).toBe(want ?? 0n);
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('checked division at the 2^128 edge: quotients 2^128 − 1 and 2^128', () => {
    for (const frac of [32, 64]) {
      const t = frac === 64 ? U64F64 : U96F32;
      for (const b of [1n, 2n, 3n, (1n << 64n) - 1n, 1n << 64n, (1n << 64n) + 1n, U128]) {
        // the largest a whose quotient fits, and the next
        const top = ((U128 + 1n) * b - 1n) >> BigInt(frac);
        for (const a of [top - 1n, top, top + 1n]) {
          if (a < 0n || a > U128) continue;
          expect(call2('udivChecked', a, b, frac)).toBe(divChecked(t, a, b) ?? 0n);
          expect(Number(W.divNone!()) !== 0).toBe(divChecked(t, a, b) === null);
        }
      }
    }
  });

  it('the 192 ÷ 128 digit step equals the quotient whenever it fits 64 bits', () => {
    fc.assert(
      fc.property(raw, raw, word, (dRaw, nTop, n0) => {
        const d = dRaw === 0n ? 1n : dRaw;
        // n < d·2^64
        const n = ((nTop % d) << 64n) | n0;
        const [a0, a1] = words(n);
        const a2 = n >> 128n;
        const [dLo, dHi] = words(d);
        expect(u64(W.udiv192by128!(a0, a1, a2, dLo, dHi))).toBe(n / d);
      }),
      { numRuns: 3000 },
    );
  });

  it('division by 10^18 through its reciprocal equals ⌊y / 10^18⌋ at multiples of 10^18 ± 1 and on random 192-bit y; None past 2^128', () => {
    const check = (y: bigint): void => {
      const lo = W.udiv192ByPerquintill!(u64(y), u64(y >> 64n), u64(y >> 128n));
      const q = y / P;
      expect(Number(W.divNone!()) !== 0, String(y)).toBe(q > U128);
      expect(joinU(lo, hi()), String(y)).toBe(q > U128 ? 0n : q);
    };
    const limit = P << 128n;
    for (const k of [0n, 1n, 2n, 3n, (1n << 64n) - 1n, 1n << 64n, (1n << 64n) + 7n, (1n << 127n) - 1n, U128 - 1n, U128]) {
      for (const dy of [-1n, 0n, 1n]) {
        const y = k * P + dy;
        if (y >= 0n && y < 1n << 192n) check(y);
      }
    }
    for (const y of [limit - 1n, limit, limit + 1n, (1n << 192n) - 1n]) check(y);
    fc.assert(
      fc.property(fc.tuple(word, word, word), fc.nat(3), ([a, b, c], kind) => {
        const y = kind === 0 ? (c << 128n) | (b << 64n) | a : kind === 1 ? ((c % P) << 128n) | (b << 64n) | a : kind === 2 ? (b << 64n) | a : ((b << 64n) | a) * P + (c % P);
        if (y < 1n << 192n) check(y);
      }),
      { numRuns: 5000 },
    );
  });
});
