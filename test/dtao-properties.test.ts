import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Pool, type PoolPreset } from '../src/dtao/index.js';
import { YumaError } from '../src/errors.js';
import { RAO } from '../src/units.js';

const preset = fc.constantFrom<PoolPreset>('seed', 'launch', 'balancer');
const reserve = fc.bigInt({ min: 100_000_000n, max: 10_000_000n * RAO });
const weight = fc.constantFrom(0.5, 0.5, 0.3, 0.773);
const amount = fc.bigInt({ min: 1n, max: 100_000n * RAO });
const snapshot = (p: Pool) => JSON.stringify(p, (_, v) => (typeof v === 'bigint' ? v.toString() : v));

describe('pool properties (fast-check)', () => {
  it('TAO and alpha are conserved exactly across any swap sequence; refusals change nothing', () => {
    // counted so that a pool refusing every swap cannot pass this by conserving trivially
    let swaps = 0;
    fc.assert(
      fc.property(preset, reserve, reserve, weight, fc.array(fc.tuple(fc.boolean(), amount), { maxLength: 12 }), (pr, tao, alpha, w, ops) => {
        const p = Pool.genesis({ tao, alpha, preset: pr, weightQuote: w });
        let userTao = 0n;
        let userAlpha = 0n;
        let authorTao = 0n;
        let authorAlpha = 0n;
        for (const [buy, a] of ops) {
          const before = snapshot(p);
          try {
            if (buy) {
              const r = p.stake(a);
              swaps++;
              userTao -= r.taoIn;
              userAlpha += r.alphaOut;
              if (r.feeTo === 'author') authorTao += r.fee;
            } else {
              const r = p.unstake(a);
              swaps++;
              userAlpha -= r.alphaIn;
              userTao += r.taoOut;
              if (r.feeTo === 'author') authorAlpha += r.fee;
            }
          } catch (e) {
            expect(e).toBeInstanceOf(YumaError);
            expect(snapshot(p)).toBe(before);
          }
        }
        const r = p.reserves();
        expect(r.tao + userTao + authorTao).toBe(tao);
        expect(r.alpha + userAlpha + authorAlpha).toBe(alpha);
      }),
      { numRuns: 250 },
    );
    // about 950 of the ≈ 1600 drawn swaps execute (the rest are refused: too small, or more than the pool holds)
    expect(swaps).toBeGreaterThan(500);
  });

  it('dropFees: a swap of either direction, quoted or executed, equals the same swap in the pool without fee or minimum stake (fee 0), or both refuse with one code', () => {
    // the fee-less twin of each preset: no flat fee, no proportional fee, no minimum stake
    const feeless: Record<PoolPreset, object> = { seed: {}, launch: { flatFee: 0n, minStake: 0n }, balancer: { feeRateU16: 0, minStake: 0n } };
    const outcome = (f: () => object): Record<string, unknown> | string => {
      try {
        const r = f() as Record<string, unknown>;
        // the fee's unit and destination are the pool's settings, whether or not a fee was charged
        return { ...r, feeTo: undefined, feeUnit: undefined };
      } catch (e) {
        expect(e).toBeInstanceOf(YumaError);
        return (e as YumaError).code;
      }
    };
    let executed = 0;
    fc.assert(
      fc.property(preset, reserve, reserve, weight, amount, fc.boolean(), (pr, tao, alpha, w, a, buy) => {
        const p = Pool.genesis({ tao, alpha, preset: pr, weightQuote: w });
        const twin = Pool.genesis({ tao, alpha, preset: pr, weightQuote: w, ...feeless[pr] });
        const got = outcome(() => (buy ? p.quoteStake(a, { dropFees: true }) : p.quoteUnstake(a, { dropFees: true })));
        expect(got).toEqual(outcome(() => (buy ? twin.quoteStake(a) : twin.quoteUnstake(a))));
        expect(outcome(() => (buy ? p.stake(a, { dropFees: true }) : p.unstake(a, { dropFees: true })))).toEqual(got);
        expect(outcome(() => (buy ? twin.stake(a) : twin.unstake(a)))).toEqual(got);
        expect(p.reserves()).toEqual(twin.reserves());
        if (typeof got === 'object') {
          expect(got.fee).toBe(0n);
          executed++;
        }
      }),
      { numRuns: 300 },
    );
    // most drawn swaps execute; a pool refusing nearly all would compare little
    expect(executed).toBeGreaterThan(150);
  });

  it('quote == execute; a refused quote refuses the trade and leaves the pool as it was', () => {
    let executed = 0;
    fc.assert(
      fc.property(preset, reserve, reserve, weight, amount, fc.boolean(), (pr, tao, alpha, w, a, buy) => {
        const p = Pool.genesis({ tao, alpha, preset: pr, weightQuote: w });
        let q: unknown;
        try {
          q = buy ? p.quoteStake(a) : p.quoteUnstake(a);
        } catch (e) {
          const before = snapshot(p);
          expect(() => (buy ? p.stake(a) : p.unstake(a))).toThrow(YumaError);
          expect(snapshot(p)).toBe(before);
          return;
        }
        expect(buy ? p.stake(a) : p.unstake(a)).toEqual(q);
        executed++;
      }),
      { numRuns: 250 },
    );
    // about 185 of the 250 drawn trades execute; a pool refusing most of them would compare almost nothing
    expect(executed).toBeGreaterThan(100);
  });

  it('a larger stake gets more alpha at a worse (higher) average price', () => {
    fc.assert(
      fc.property(reserve, reserve, weight, fc.bigInt({ min: 1000n, max: 10_000n * RAO }), fc.bigInt({ min: 1n, max: 10_000n * RAO }), (tao, alpha, w, a, d) => {
        const p = Pool.genesis({ tao, alpha, weightQuote: w });
        // a stake too small to buy a single alpha-rao is refused (E_RANGE): count it as 0 alpha
        const out = (x: bigint) => {
          try {
            return p.quoteStake(x).alphaOut;
          } catch (e) {
            if ((e as YumaError).code === 'E_RANGE') return 0n;
            throw e;
          }
        };
        const small = out(a);
        const big = out(a + d);
        expect(big >= small).toBe(true);
        // exact outputs satisfy a/out(a) ≤ (a+d)/out(a+d); our outputs are those floored (< 1 unit lower),
        // so the integer form is a·big < (a+d)·(small + 1), and with a real margin it is the plain one
        expect(a * big < (a + d) * (small + 1n)).toBe(true);
        if (small > 1_000_000n) expect(Number(a) / Number(small)).toBeLessThanOrEqual((Number(a + d) / Number(big)) * (1 + 1e-6));
      }),
      { numRuns: 250 },
    );
  });

  it('pools round in their own favour: a swap on a fee-less 0.5/0.5 (constant-product) pool never lowers tao·alpha, and selling back what a stake bought never returns more TAO than was staked (every preset)', () => {
    let roundTrips = 0;
    fc.assert(
      fc.property(preset, reserve, reserve, weight, amount, (pr, tao, alpha, w, a) => {
        const p = Pool.genesis({ tao, alpha, preset: pr, weightQuote: w });
        const k = (q: Pool) => q.reserves().tao * q.reserves().alpha;
        let bought: bigint;
        const k0 = k(p);
        try {
          bought = p.stake(a).alphaOut;
        } catch (e) {
          expect(e).toBeInstanceOf(YumaError);
          return;
        }
        if (pr === 'seed' && w === 0.5) expect(k(p) >= k0, `${pr} w ${w}: k ${k0} → ${k(p)} staking ${a}`).toBe(true);
        const k1 = k(p);
        let back: bigint;
        try {
          back = p.unstake(bought).taoOut;
        } catch (e) {
          expect(e).toBeInstanceOf(YumaError);
          return;
        }
        expect(back <= a, `${pr}: staked ${a}, got back ${back}`).toBe(true);
        if (pr === 'seed' && w === 0.5) expect(k(p) >= k1, `${pr} w ${w}: k ${k1} → ${k(p)} unstaking ${bought}`).toBe(true);
        roundTrips++;
      }),
      { numRuns: 400 },
    );
    expect(roundTrips).toBeGreaterThan(200);
  });

  it('injection never lowers k (constant product); Balancer injection keeps the price', () => {
    fc.assert(
      fc.property(reserve, reserve, fc.bigInt({ min: 0n, max: 1000n * RAO }), fc.bigInt({ min: 0n, max: 1000n * RAO }), (tao, alpha, dt, da) => {
        const p = Pool.genesis({ tao, alpha });
        const k0 = tao * alpha;
        p.inject(dt, da);
        const r = p.reserves();
        expect(r.tao * r.alpha >= k0).toBe(true);
        const b = Pool.genesis({ tao, alpha, preset: 'balancer' });
        const price = b.price();
        try {
          b.inject(dt, da);
          expect(Math.abs(b.price() / price - 1)).toBeLessThan(1e-9);
        } catch (e) {
          expect((e as YumaError).code).toBe('E_RANGE'); // weight would leave [0.01, 0.99]
          expect(b.reserves()).toEqual({ tao, alpha });
        }
      }),
      { numRuns: 250 },
    );
  });
});
