/**
 * The block's excess-TAO buy in Wasm (assembly/coinbase/buy.ts, its power in assembly/fixed/pow-ratio.ts) against
 * the swap pallet's rule in BigInt (src/dtao/balancer.ts's doSwap, safe-bigmath's pow_ratio_scaled in
 * src/dtao/bigmath.ts), which the block model runs whenever the kernel declines: on random and extreme pools —
 * reserves from 0 to u64::MAX, weights at and past their bounds, uninitialised pools, fee rates (dropped by the buy),
 * minimum reserves, prices at the pallet's 10^6 TAO/alpha limit, inputs up to and past 1000× the reserve — the
 * kernel either declines or returns exactly the pallet's alpha out and weight, with all of the TAO paid in. The
 * power's domain, its exact cases and how rarely typical buys are declined are checked too.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { type SwapPoolState, MAX_PRICE_RAO, PERQUINTILL, doSwap, limitPriceFromRao } from '../src/dtao/balancer.js';
import { safePowRatioScaled, safeSeriesPow } from '../src/dtao/bigmath.js';
import { type Fn, loadFixedWasm, u64 } from './helpers/fixed-wasm.js';

let W: Record<string, Fn>;
beforeAll(async () => {
  W = await loadFixedWasm();
});
const U64 = (1n << 64n) - 1n;
const DECLINED = U64;
const pow = (num: bigint, den: bigint, a: bigint, b: bigint): bigint => u64(W.powRatioPerquintill!(num, den, a, b));

const gcd = (a: bigint, b: bigint): bigint => {
  while (b) [a, b] = [b, a % b];
  return a;
};

/** The kernel's buy, or null when it declines. */
function wasmBuy(tao: bigint, alpha: bigint, weight: bigint, init: boolean, amount: bigint, minReserve: bigint): { out: bigint; weight: bigint } | null {
  if (!W.buyAlphaWithExcess!(tao, alpha, weight, init ? 1 : 0, amount, minReserve)) return null;
  return { out: u64(W.boughtAlpha!()), weight: u64(W.boughtWeight!()) };
}

/** The pallet's buy as the block runs it (fee dropped, limit at the maximum price), in BigInt. */
function palletBuy(tao: bigint, alpha: bigint, weight: bigint, init: boolean, amount: bigint, minReserve: bigint, feeRate: number) {
  const p: SwapPoolState = { mechanism: 1, subnetTao: tao, subnetAlphaIn: alpha, swapBalancerQuoteWeightParts: weight, palSwapInitialized: init, feeRate };
  const r = doSwap(p, true, amount, limitPriceFromRao(MAX_PRICE_RAO), true, minReserve);
  return { r, weight: p.swapBalancerQuoteWeightParts };
}

const edges = [0n, 1n, 2n, 1000n, 999_999n, 1_000_000n, 1_000_001n, 1n << 32n, (1n << 53n) + 1n, (1n << 63n) - 1n, 1n << 63n, U64 - 1n, U64];
const reserve = fc.oneof(
  { weight: 4, arbitrary: fc.bigInt(1_000_000_000n, 10n ** 16n) },
  { weight: 2, arbitrary: fc.bigInt(0n, U64) },
  { weight: 1, arbitrary: fc.constantFrom(...edges) },
  { weight: 1, arbitrary: fc.bigInt(0n, 10_000_000n) },
);
const weight = fc.oneof(
  { weight: 4, arbitrary: fc.bigInt(10n ** 16n, 99n * 10n ** 16n) },
  { weight: 2, arbitrary: fc.bigInt(PERQUINTILL / 2n - 10n ** 8n, PERQUINTILL / 2n + 10n ** 8n) },
  { weight: 1, arbitrary: fc.constantFrom(0n, 1n, 10n ** 16n - 1n, 25n * 10n ** 16n, PERQUINTILL / 2n, 75n * 10n ** 16n, 99n * 10n ** 16n + 1n, PERQUINTILL - 1n, PERQUINTILL) },
  { weight: 1, arbitrary: fc.bigInt(0n, PERQUINTILL) },
);

describe('the excess-TAO buy in Wasm = the swap pallet in BigInt', () => {
  it('on random and extreme pools, fees, minimum reserves, limit-price edges and inputs past 1000× the reserve: the kernel declines or returns the pallet\'s alpha out and weight, paying in all the TAO', () => {
    let answered = 0;
    fc.assert(
      fc.property(
        reserve,
        reserve,
        weight,
        fc.boolean(),
        fc.oneof(fc.bigInt(1n, 10n ** 9n), fc.bigInt(1n, U64), fc.constantFrom(1n, U64)),
        fc.oneof(fc.constantFrom(0n, 1n, 1_000_000n, U64), fc.bigInt(0n, 10n ** 7n)),
        fc.integer({ min: 0, max: 65535 }),
        (tao, alpha, w, init, amount, minReserve, feeRate) => {
          const got = wasmBuy(tao, alpha, w, init, amount, minReserve);
          if (got === null) return;
          answered++;
          const { r, weight: after } = palletBuy(tao, alpha, w, init, amount, minReserve, feeRate);
          expect(typeof r, `pallet error where the kernel bought: ${String(r)}`).toBe('object');
          if (typeof r === 'string') return;
          expect(r.amountPaidIn).toBe(amount);
          expect(r.amountPaidOut).toBe(got.out);
          expect(r.feePaid).toBe(0n);
          expect(after).toBe(got.weight);
        },
      ),
      { numRuns: 3000, seed: 1201 },
    );
    expect(answered).toBeGreaterThan(500);
  });

  it('prices at the 10^6 TAO/alpha limit: a pool at or past it, or a buy whose step would cross it, is left to the pallet\'s rule (which refuses or solves for the limit)', () => {
    // quote weight 0.5: price = tao / alpha; 10^6 TAO/alpha is tao = 10^6 · alpha
    const alpha = 1_000_000_000n;
    expect(wasmBuy(10n ** 15n, alpha, PERQUINTILL / 2n, true, 1000n, 0n)).toBeNull(); // at the limit
    expect(palletBuy(10n ** 15n, alpha, PERQUINTILL / 2n, true, 1000n, 0n, 0).r).toBe('PriceLimitExceeded');
    // at half the limit, a buy that would push the price past it: the pallet fills only up to the limit
    const tao = 5n * 10n ** 14n;
    expect(wasmBuy(tao, alpha, PERQUINTILL / 2n, true, 10n ** 15n, 0n)).toBeNull();
    const partial = palletBuy(tao, alpha, PERQUINTILL / 2n, true, 10n ** 15n, 0n, 0).r;
    expect(typeof partial === 'object' && partial.amountPaidIn > 0n && partial.amountPaidIn < 10n ** 15n).toBe(true);
    // a small buy below the limit stays under it: bought here, equal to the pallet
    const small = wasmBuy(tao, alpha, PERQUINTILL / 2n, true, 10n ** 9n, 0n);
    const ref = palletBuy(tao, alpha, PERQUINTILL / 2n, true, 10n ** 9n, 0n, 0).r;
    expect(small).not.toBeNull();
    expect(typeof ref === 'object' && ref.amountPaidOut).toBe(small!.out);
  });

  it('pallet errors are never answered by the kernel: SwapInputTooLarge (past 1000× the TAO reserve), ReservesTooLow (alpha below the minimum, nothing bought)', () => {
    const cases: [bigint, bigint, bigint, bigint, string][] = [
      [1_000_000n, 10n ** 12n, 1_000_000_001n, 0n, 'SwapInputTooLarge'],
      [10n ** 12n, 999_999n, 1000n, 1_000_000n, 'ReservesTooLow'],
      [10n ** 12n, 10n ** 7n, 1000n, 0n, 'ReservesTooLow'],
    ];
    for (const [tao, alpha, amount, minReserve, err] of cases) {
      expect(palletBuy(tao, alpha, PERQUINTILL / 2n, true, amount, minReserve, 33).r).toBe(err);
      expect(wasmBuy(tao, alpha, PERQUINTILL / 2n, true, amount, minReserve)).toBeNull();
    }
    // exactly 1000× the reserve is allowed
    expect(wasmBuy(1_000_000n, 10n ** 12n, PERQUINTILL / 2n, true, 1_000_000_000n, 0n)).not.toBeNull();
  });

  it('an uninitialised pool is bought at weights 0.5/0.5 (the pallet\'s lazy initialisation), whatever weight it stored', () => {
    const got = wasmBuy(10n ** 12n, 10n ** 13n, 3n * 10n ** 17n, false, 10n ** 9n, 1_000_000n);
    const ref = palletBuy(10n ** 12n, 10n ** 13n, 3n * 10n ** 17n, false, 10n ** 9n, 1_000_000n, 33);
    expect(got).toEqual({ out: typeof ref.r === 'object' ? ref.r.amountPaidOut : -1n, weight: PERQUINTILL / 2n });
    expect(ref.weight).toBe(PERQUINTILL / 2n);
  });
});

describe('the certified power in Wasm = safe-bigmath pow_ratio_scaled', () => {
  it('⌊(num/den)^(a/b)·10^18⌋ equals the crate\'s (BigInt) whenever the kernel answers, over reserves to u64::MAX, deltas to 1000× and weights 0.0039–0.996 and exact', () => {
    let answered = 0;
    fc.assert(
      fc.property(
        fc.oneof(fc.bigInt(1n, U64), fc.bigInt(1n, 10n ** 16n), fc.constantFrom(1n, 2n, U64 - 1n, U64)),
        fc.oneof(fc.double({ min: 0, max: 1000, noNaN: true }), fc.double({ min: 0, max: 1e-6, noNaN: true })),
        weight,
        (num, f, w) => {
          let den = num + BigInt(Math.floor(Number(num) * f));
          if (den > U64) den = U64;
          const a = w;
          const b = PERQUINTILL - w;
          const got = pow(num, den, a, b);
          if (got === DECLINED) return;
          answered++;
          expect(got).toBe(safePowRatioScaled(num, den, a, b, 256, PERQUINTILL));
        },
      ),
      { numRuns: 2000, seed: 1202 },
    );
    expect(answered).toBeGreaterThan(1200);
  });

  it('equals the crate\'s ln/exp series itself (not its certified shortcut) on 200 series-path exponents', () => {
    fc.assert(
      fc.property(fc.bigInt(1000n, 10n ** 16n), fc.double({ min: 0, max: 10, noNaN: true }), fc.bigInt(10n ** 16n, 99n * 10n ** 16n), (x, f, w) => {
        const dx = BigInt(Math.floor((Number(x) * f * f * f) / 100)) + 1n;
        const g = gcd(w, PERQUINTILL - w);
        if (w / g <= 1024n && (PERQUINTILL - w) / g <= 1024n) return;
        const got = pow(x, x + dx, w, PERQUINTILL - w);
        if (got === DECLINED) return;
        expect(got).toBe(safeSeriesPow(x, x + dx, w / g, (PERQUINTILL - w) / g, 256n, PERQUINTILL));
      }),
      { numRuns: 200, seed: 1203 },
    );
  });

  it('declines powers whose scaled value is an integer (the enclosure holds it) and answers the exact cases it handles itself', () => {
    // (1/8)^(1/3) = 1/2 (quote weight 0.25), (1/2)^3 = 1/8 (0.75): exactly 5·10^17 and 1.25·10^17
    expect(pow(1n, 8n, 25n * 10n ** 16n, 75n * 10n ** 16n)).toBe(DECLINED);
    expect(safePowRatioScaled(1n, 8n, 25n * 10n ** 16n, 75n * 10n ** 16n, 256, PERQUINTILL)).toBe(5n * 10n ** 17n);
    expect(pow(1n, 2n, 75n * 10n ** 16n, 25n * 10n ** 16n)).toBe(DECLINED);
    // a = b: the plain quotient ⌊num·10^18 / den⌋, exact ones included
    for (const [num, den] of [[1n, 2n], [1n, 3n], [U64 - 1n, U64], [1n, U64], [10n ** 12n, 10n ** 12n + 7n]] as const) {
      expect(pow(num, den, PERQUINTILL / 2n, PERQUINTILL / 2n)).toBe((num * PERQUINTILL) / den);
    }
    // num = den: exactly 10^18
    expect(pow(U64, U64, 3n, 7n)).toBe(PERQUINTILL);
    // outside the domain: num = 0, num > den, a zero exponent part, a/b ≥ 256, powers below e^-32
    expect(pow(0n, 5n, 1n, 3n)).toBe(DECLINED);
    expect(pow(6n, 5n, 1n, 3n)).toBe(DECLINED);
    expect(pow(1n, 5n, 0n, 3n)).toBe(DECLINED);
    expect(pow(1n, 5n, 3n, 0n)).toBe(DECLINED);
    expect(pow(10n ** 9n, 10n ** 9n + 1n, 256n, 1n)).toBe(DECLINED);
    expect(pow(10n ** 9n, 10n ** 9n + 1n, 255n, 1n)).toBe(safePowRatioScaled(10n ** 9n, 10n ** 9n + 1n, 255n, 1n, 256, PERQUINTILL));
    expect(pow(1n, 1n << 50n, 99n, 1n)).toBe(DECLINED);
  });

  it('declines almost no typical block buy: at most 1 in 1000 of 3000 random pools (reserves 10^9–10^16 rao, weights 0.01–0.99, buys up to 1 % of the reserve)', () => {
    let declined = 0;
    const runs = 3000;
    fc.assert(
      fc.property(fc.bigInt(10n ** 9n, 10n ** 16n), fc.double({ min: 1e-12, max: 0.01, noNaN: true }), fc.bigInt(10n ** 16n, 99n * 10n ** 16n), (x, f, w) => {
        const dx = BigInt(Math.floor(Number(x) * f)) + 1n;
        if (pow(x, x + dx, w, PERQUINTILL - w) === DECLINED) declined++;
      }),
      { numRuns: runs, seed: 1204 },
    );
    expect(declined).toBeLessThanOrEqual(runs / 1000);
  });
});
