import { describe, expect, it } from 'vitest';
import { errorCode } from './helpers/errors.js';
import { Pool, mulPerquintillRoundHalf, PERQUINTILL } from '../src/dtao/index.js';
import { powRatioScaled } from '../src/dtao/bigmath.js';
import { RAO } from '../src/units.js';
import { byPrefix, vector } from './helpers/vectors.js';

const code = errorCode;
const B = (v: unknown) => BigInt(v as string);
const balancer = (tao: bigint, alpha: bigint, extra = {}) => Pool.genesis({ tao, alpha, preset: 'balancer', minReserveBefore: 1n, minStake: 0n, ...extra }); // swap-pallet tests: mock MinimumReserve, no min stake

describe('worked example: 1000 TAO / 500 alpha constant-product pool', () => {
  it('fee-less 0.5/0.5: 1000 TAO / 500 alpha, staking 1000 TAO yields 250 alpha, pool 2000 / 250', () => {
    const p = Pool.genesis({ tao: 1000n * RAO, alpha: 500n * RAO });
    expect(p.price()).toBe(2);
    const q = p.quoteStake(1000n * RAO);
    const r = p.stake(1000n * RAO);
    expect(r).toEqual(q);
    expect(r.alphaOut).toBe(250n * RAO);
    expect(r.fee).toBe(0n);
    expect(p.reserves()).toEqual({ tao: 2000n * RAO, alpha: 250n * RAO });
    expect(p.price()).toBe(8);
  });

  it('HEAD Balancer preset: fee 503 547 722 rao to the author, 249.937040683 alpha', () => {
    const p = Pool.genesis({ tao: 1000n * RAO, alpha: 500n * RAO, preset: 'balancer' });
    const r = p.stake(1000n * RAO);
    expect(r.fee).toBe(503_547_722n);
    expect(r.feeTo).toBe('author');
    expect(r.alphaOut).toBe(249_937_040_683n);
    expect(p.reserves()).toEqual({ tao: 1_999_496_452_278n, alpha: 250_062_959_317n });
  });

  it('launch preset: flat 50 000-rao fee stays in the pool, 249.999993749 alpha', () => {
    const p = Pool.genesis({ tao: 1000n * RAO, alpha: 500n * RAO, preset: 'launch' });
    const r = p.stake(1000n * RAO);
    expect(r.alphaOut).toBe(249_999_993_749n);
    expect(r.feeTo).toBe('pool');
    expect(p.reserves()).toEqual({ tao: 2000n * RAO, alpha: 250_000_006_251n });
  });
});

describe('Balancer swaps ported from pallets/swap tests (test_swap_basic)', () => {
  for (const v of byPrefix('balancer_buy_').concat(byPrefix('balancer_sell_'))) {
    it(v.name, () => {
      const i = v.inputs;
      const p = balancer(B(i.tao_reserve), B(i.alpha_reserve), { feeRateU16: i.FeeRate_u16 });
      const before = p.reserves();
      const lim = i.limit_price as number;
      if (i.order === 'GetAlphaForTao') {
        const r = p.stake(B(i.amount), { limitPrice: lim });
        expect(r.fee).toBe(B(v.expected.fee));
        expect(r.taoToPool).toBe(B(v.expected.paid_in_reserve_delta));
        expect(Number(r.alphaOut - B(v.expected.amount_paid_out))).toBeLessThanOrEqual(v.tolerance.abs);
        expect(Number(B(v.expected.amount_paid_out) - r.alphaOut)).toBeLessThanOrEqual(v.tolerance.abs);
        expect(p.reserves()).toEqual({ tao: before.tao + r.taoToPool, alpha: before.alpha - r.alphaOut });
      } else {
        const r = p.unstake(B(i.amount), { limitPrice: lim });
        expect(r.fee).toBe(B(v.expected.fee));
        expect(r.alphaToPool).toBe(B(v.expected.paid_in_reserve_delta));
        expect(Math.abs(Number(r.taoOut - B(v.expected.amount_paid_out)))).toBeLessThanOrEqual(v.tolerance.abs);
      }
    });
  }

  it('balancer_stake_into_subnet_price_001', () => {
    const v = vector('balancer_stake_into_subnet_price_001');
    const p = balancer(B(v.inputs.SubnetTAO), B(v.inputs.SubnetAlphaIn));
    const price = p.price();
    const r = p.stake(B(v.inputs.tao_staked));
    // The chain test asserts amount·(1 − 33/65535) / current_price with current_price = 0.1 here, i.e.
    // 999 496 452; the vector's 9 994 964 522 divides by 0.01 instead (10× off), so we assert the test's formula.
    const exp = (Number(v.inputs.tao_staked) * (1 - 33 / 65535)) / price;
    expect(Number(v.expected.alpha_received) / exp).toBeCloseTo(10, 6);
    expect(Math.abs(Number(r.alphaOut) - exp) / exp).toBeLessThan(v.tolerance.rel);
  });

  it('balancer_add_stake_limit_price_24 (partial fill up to the limit)', () => {
    const v = vector('balancer_add_stake_limit_price_24');
    const i = v.inputs;
    const p = Pool.genesis({ tao: B(i.SubnetTAO), alpha: B(i.SubnetAlphaIn) }); // chain test: fee-less mock
    const r = p.stake(B(i.amount), { limitPrice: B(i.limit_price_rao), allowPartial: true });
    expect(Math.abs(Number(r.alphaOut) / Number(v.expected.alpha_staked) - 1)).toBeLessThan(v.tolerance.alpha_rel);
    expect(Math.abs(p.price() - v.expected.price_after)).toBeLessThan(v.tolerance.price_abs);
    expect(p.price()).toBeLessThanOrEqual(24);
    expect(r.refund).toBe(B(i.amount) - r.taoIn);
    expect(code(() => p.clone().stake(10n * RAO, { limitPrice: 24 }))).toBe('E_SLIPPAGE');
  });

  for (const v of byPrefix('balancer_max_amount_add_')) {
    it(v.name, () => {
      const i = v.inputs;
      const p = balancer(B(i.SubnetTAO), B(i.SubnetAlphaIn), { feeRateU16: i.FeeRate_u16 ?? 33 });
      if (v.expected.error) {
        expect(code(() => p.maxStake(B(i.limit_price_rao)))).toBe('E_SLIPPAGE');
        return;
      }
      const exp = B(v.expected.max_amount_add);
      const got = p.maxStake(B(i.limit_price_rao));
      const tol = exp / 10000n > 0n ? exp / 10000n : 0n; // the test's close(v, v/10000)
      expect(got >= exp - tol && got <= exp + tol).toBe(true);
    });
  }

  for (const v of byPrefix('balancer_max_amount_remove_')) {
    it(v.name, () => {
      const i = v.inputs;
      const p = balancer(B(i.SubnetTAO), B(i.SubnetAlphaIn), { feeRateU16: i.FeeRate_u16 });
      const exp = Number(v.expected.max_amount_remove);
      const got = Number(p.maxUnstake(B(i.limit_price_rao)));
      if (v.name.endsWith('_1999999999')) {
        // exact answer is 25 (1e11·(√(2/1.999999999) − 1) = 25.00000000009); the balancer preset swaps with the
        // chain's pallet, whose U64F64 price ratio truncates it to 24 — the value the chain test accepts (1 %).
        expect(got).toBe(24);
        expect(exp - got).toBe(0);
        expect(code(() => p.clone().unstake(26n, { limitPrice: B(i.limit_price_rao) }))).toBe('E_SLIPPAGE');
        return;
      }
      expect(Math.abs(got - exp)).toBeLessThanOrEqual(exp * v.tolerance.rel);
    });
  }

  it('balancer_input_cap_1000x', () => {
    const v = vector('balancer_input_cap_1000x');
    const p = balancer(B(v.inputs.tao_reserve), B(v.inputs.alpha_reserve), { feeRateU16: 0, minStake: 0n, minReserveAfter: 1n });
    expect(p.quoteStake(B(v.inputs.amount_ok)).alphaOut).toBeGreaterThan(0n);
    const before = p.reserves();
    expect(code(() => p.stake(B(v.inputs.amount_rejected)))).toBe('E_RANGE');
    expect(p.reserves()).toEqual(before);
  });

  it('balancer_init_price_025 and price-preserving weights (balancer_init_with_price_02, v3_to_balancer_migration_price)', () => {
    const a = vector('balancer_init_price_025');
    const p = balancer(B(a.inputs.tao_reserve), B(a.inputs.alpha_reserve));
    expect(p.price()).toBeCloseTo(a.expected.price, 9);
    expect(p.weights().quoteParts).toBe(B(a.expected.w_quote_perquintill));
    const b = vector('balancer_init_with_price_02');
    const q = balancer(B(b.inputs.tao_reserve), B(b.inputs.alpha_reserve), { price: b.inputs.price_hint });
    expect(Math.abs(q.price() - b.expected.price)).toBeLessThan(b.tolerance.price_abs);
    expect(q.weights().quote).toBeCloseTo(b.expected.w_quote_approx, 12);
    const m = vector('v3_to_balancer_migration_price');
    const r = balancer(B(m.inputs.tao_reserve), B(m.inputs.alpha_reserve), { price: m.inputs.AlphaSqrtPrice ** 2 });
    expect(Math.abs(r.price() - m.expected.price_after)).toBeLessThan(m.tolerance.abs);
  });

  it('limit solves with weight 0.25 (balancer_quote_delta_in, balancer_base_delta_in, balancer_base_needed_for_quote)', () => {
    const a = vector('balancer_quote_delta_in');
    // tao reserve 1e9, quote weight 0.25, price 0.1 ⇒ alpha = 3·1e9/0.1
    const p = Pool.genesis({ tao: B(a.inputs.tao_reserve), alpha: 30_000_000_000n, weightQuote: a.inputs.w_quote });
    expect(p.price()).toBeCloseTo(a.inputs.current_price, 12);
    const dy = p.maxStake(a.inputs.target_price);
    expect(dy).toBe(B(a.expected.dy));
    const b = vector('balancer_base_delta_in');
    // only the ratio p/p' = 2 matters: alpha reserve 1e9, tao 1e9, weight 0.25 ⇒ price 3; sell down to 1.5
    const q = Pool.genesis({ tao: 1_000_000_000n, alpha: B(b.inputs.alpha_reserve), weightQuote: b.inputs.w_quote });
    expect(b.inputs.current_price / b.inputs.target_price).toBe(q.price() / 1.5);
    expect(q.maxUnstake(1.5)).toBe(B(b.expected.dx));
    const c = vector('balancer_base_needed_for_quote');
    const r = Pool.genesis({ tao: B(c.inputs.tao_reserve), alpha: B(c.inputs.alpha_reserve), weightQuote: c.inputs.w_quote });
    // selling dx alpha yields at most the target TAO: the chain's answer dx gives ≥ tao_delta − 1 rao
    const dx = B(c.expected.dx);
    const out = r.quoteUnstake(dx).taoOut;
    expect(out <= B(c.inputs.tao_delta)).toBe(true);
    expect(r.quoteUnstake(dx + 2n).taoOut >= B(c.inputs.tao_delta)).toBe(true);
  });

  it('root path (balancer_perquintill_power) exact; exp_scaled values within each vector\'s tolerance, their floor and ceiling at most 1 apart', () => {
    const v = vector('balancer_perquintill_power');
    const x = B(v.inputs.x);
    const got = powRatioScaled(x, x + B(v.inputs.dx), B(v.inputs.w1), B(v.inputs.w2), B(v.inputs.scale), 'floor');
    expect(got).toBe(B(v.expected.pow_ratio_scaled));
    for (const e of byPrefix('balancer_exp_scaled_')) {
      const wq = fromFraction(e.inputs.quote_weight);
      const wb = PERQUINTILL - wq;
      const [a, b] = e.inputs.base_quote ? [wb, wq] : [wq, wb];
      const r = B(e.inputs.reserve);
      const s = 10n ** 18n;
      const lo = powRatioScaled(r, r + B(e.inputs.delta), a, b, s, 'floor');
      const hi = powRatioScaled(r, r + B(e.inputs.delta), a, b, s, 'ceil');
      expect(hi - lo <= 1n).toBe(true);
      expect(Math.abs(Number(lo) / 1e18 - e.expected.exp_scaled)).toBeLessThan(e.tolerance.abs);
    }
  });

  it('mul_perquintill_round_half (7 cases)', () => {
    for (const v of byPrefix('mul_perquintill_round_half_')) {
      expect(mulPerquintillRoundHalf(PERQUINTILL / 2n, B(v.inputs.value))).toBe(B(v.expected.result));
    }
  });

  it('full-range V3 = constant product + fee (v3_swap_basic_*, within the test tolerance)', () => {
    for (const v of byPrefix('v3_swap_basic_')) {
      const p = balancer(B(v.inputs.tao_reserve), B(v.inputs.alpha_reserve), { minStake: 0n });
      const out = v.inputs.order === 'GetAlphaForTao' ? p.quoteStake(B(v.inputs.amount)).alphaOut : p.quoteUnstake(B(v.inputs.amount)).taoOut;
      const exp = B(v.expected.amount_paid_out);
      expect(out >= exp - exp / 100n && out <= exp + exp / 100n).toBe(true);
    }
  });
});

function fromFraction(w: number): bigint {
  return BigInt(Math.round(w * 1e6)) * 10n ** 12n;
}

describe('launch-era constant product (staking tests of 2025)', () => {
  for (const v of byPrefix('cp_max_amount_add_')) {
    it(v.name, () => {
      const p = Pool.genesis({ tao: B(v.inputs.SubnetTAO), alpha: B(v.inputs.SubnetAlphaIn), preset: 'launch', minReserveAfter: 1n });
      expect(p.maxStake(B(v.inputs.limit_price_rao))).toBe(B(v.expected.max_amount_add));
    });
  }

  it('cp_add_stake_limit_150_100: partial stake of 450 TAO, price ends at 24 (above the limit, as on chain)', () => {
    const v = vector('cp_add_stake_limit_150_100');
    const p = Pool.genesis({ tao: B(v.inputs.SubnetTAO), alpha: B(v.inputs.SubnetAlphaIn), preset: 'launch' });
    const r = p.stake(B(v.inputs.amount), { limitPrice: B(v.inputs.limit_price_rao), allowPartial: true });
    expect(r.taoIn).toBe(B(v.expected.executed_tao));
    expect(B(v.inputs.amount) - r.taoIn).toBe(B(v.expected.coldkey_free_balance));
    expect(Math.abs(Number(r.alphaOut - B(v.expected.alpha_staked)))).toBeLessThanOrEqual(v.tolerance.alpha_abs);
    expect(Math.abs(p.price() - v.expected.price_after)).toBeLessThan(v.tolerance.price_abs);
  });
});

describe('dropFees: a chain-internal swap takes no fee, a sell as a buy', () => {
  // Each pool beside the same pool without a fee (nor minimum stake): a swap with dropFees must equal the fee-less
  // pool's, fee 0. The sells charged the launch flat fee or the proportional fee all the same, and a launch sell
  // returning at most 50 000 rao was refused.
  const pools: Array<[string, (fee: boolean) => Pool]> = [
    ['launch (flat 50 000 rao)', (fee) => Pool.genesis({ tao: 1000n * RAO, alpha: 500n * RAO, preset: 'launch', ...(fee ? {} : { flatFee: 0n, minStake: 0n }) })],
    ['seed with a 1 % proportional fee to the author', (fee) => Pool.genesis({ tao: 1000n * RAO, alpha: 500n * RAO, feeTo: 'author', feeRate: fee ? 0.01 : 0 })],
  ];
  for (const [name, make] of pools) {
    it(`${name}: quoteUnstake, unstake, quoteStake and stake with dropFees equal the fee-less pool's, fee 0, and leave both pools equal`, () => {
      for (const amount of [RAO, 40_000n, 7n * RAO]) {
        const [a, b] = [make(true), make(false)];
        const sell = a.quoteUnstake(amount, { dropFees: true });
        // the fee's unit and destination are the pool's settings, whether or not a fee was charged
        const settings = { feeUnit: sell.feeUnit, feeTo: sell.feeTo };
        expect(sell, `${amount}`).toEqual({ ...b.quoteUnstake(amount), ...settings });
        expect(sell.fee).toBe(0n);
        expect(a.unstake(amount, { dropFees: true })).toEqual({ ...b.unstake(amount), ...settings });
        expect(a.reserves()).toEqual(b.reserves());
        const buy = a.quoteStake(amount, { dropFees: true });
        expect(buy).toEqual({ ...b.quoteStake(amount), feeTo: buy.feeTo });
        expect(buy.fee).toBe(0n);
        expect(a.stake(amount, { dropFees: true })).toEqual({ ...b.stake(amount), feeTo: buy.feeTo });
        expect(a.reserves()).toEqual(b.reserves());
      }
    });
  }
});

describe('refusals leave the pool bit-for-bit unchanged', () => {
  const cases: Array<[string, (p: Pool) => unknown, string]> = [
    ['zero stake', (p) => p.stake(0n), 'E_RANGE'],
    ['negative stake', (p) => p.stake(-5n), 'E_RANGE'],
    ['number instead of bigint', (p) => p.stake(5 as unknown as bigint), 'E_ARG'],
    ['above u64', (p) => p.unstake(1n << 64n), 'E_RANGE'],
    ['limit already crossed', (p) => p.stake(RAO, { limitPrice: 1 }), 'E_SLIPPAGE'],
    ['limit would be crossed', (p) => p.stake(1000n * RAO, { limitPrice: 2.5 }), 'E_SLIPPAGE'],
    ['unstake limit', (p) => p.unstake(1000n * RAO, { limitPrice: 1.5 }), 'E_SLIPPAGE'],
    ['NaN limit', (p) => p.stake(RAO, { limitPrice: NaN }), 'E_NAN'],
    ['below min stake', (p) => p.stake(1_000_000n), 'E_RANGE'],
    ['oversized input', (p) => p.stake(1001n * 1000n * RAO), 'E_RANGE'],
    ['weight out of range on inject', (p) => p.inject(0n, 1_000_000n * RAO), 'E_RANGE'],
  ];
  for (const [name, f, c] of cases) {
    it(name, () => {
      const p = Pool.genesis({ tao: 1000n * RAO, alpha: 500n * RAO, preset: 'balancer' });
      const before = JSON.stringify(p, (_, v) => (typeof v === 'bigint' ? v.toString() : v));
      expect(code(() => f(p))).toBe(c);
      expect(JSON.stringify(p, (_, v) => (typeof v === 'bigint' ? v.toString() : v))).toBe(before);
    });
  }

  it('a launch pool refuses to go below its 1e7-rao liquidity floor', () => {
    const p = Pool.genesis({ tao: RAO / 10n, alpha: 20_000_000n, preset: 'launch' });
    expect(code(() => p.stake(1000n * RAO))).toBe('E_RESERVE');
    expect(p.reserves()).toEqual({ tao: RAO / 10n, alpha: 20_000_000n });
  });

  it('a HEAD pool refuses when the output reserve is under MinimumReserve', () => {
    const p = Pool.genesis({ tao: 10n * RAO, alpha: 999_999n, preset: 'balancer' });
    expect(code(() => p.stake(RAO))).toBe('E_RESERVE');
  });
});

describe('injection', () => {
  it('Balancer injection at the pool price keeps weights and price', () => {
    const p = Pool.genesis({ tao: 1000n * RAO, alpha: 500n * RAO, preset: 'balancer' });
    p.inject(2n * RAO, RAO);
    expect(p.weights().quoteParts).toBe(PERQUINTILL / 2n);
    expect(p.price()).toBe(2);
  });

  it('Balancer injection off the price re-weights so the price is kept', () => {
    const p = Pool.genesis({ tao: 1000n * RAO, alpha: 500n * RAO, preset: 'balancer' });
    p.inject(10n * RAO, RAO);
    expect(p.weights().quote).not.toBe(0.5);
    expect(p.price()).toBeCloseTo(2, 12);
  });

  it('seed injection just adds reserves', () => {
    const p = Pool.genesis({ tao: 1000n * RAO, alpha: 500n * RAO });
    p.inject(10n * RAO, RAO);
    expect(p.reserves()).toEqual({ tao: 1010n * RAO, alpha: 501n * RAO });
    expect(code(() => p.inject(-1n, 0n))).toBe('E_RANGE');
  });
});
