import { describe, expect, it } from 'vitest';
import {
  compareRecycling,
  distributePending,
  emissionShares,
  FlowTracker,
  halvingSchedule,
  MovingPriceTracker,
  mulPerquintillRoundHalf,
  Pool,
  powNormalize,
  priceShares,
  projectHalvings,
  rootProportion,
  splitAlphaOut,
  splitBlockEmission,
  splitProRata,
  SubnetEconomy,
} from '../src/dtao/index.js';
import { powRatioScaled } from '../src/dtao/bigmath.js';
import { RAO, U64_MAX } from '../src/units.js';
import { expectYumaError, yumaCode } from './helpers/errors.js';
import { poolState, snapshotText } from './helpers/state.js';

const balancer = () => Pool.genesis({ tao: 1000n * RAO, alpha: 2000n * RAO, preset: 'balancer' });
/** The library's own Balancer math (not the chain's swap pallet): the path whose ln/exp power threw. */
const ownBalancer = () => Pool.genesis({ tao: 1000n * RAO, alpha: 2000n * RAO, preset: 'balancer', chainSwap: false });

describe('Balancer limit orders on a re-weighted pool', () => {
  it('an inject off the pool price re-weights it, and a partial limit stake then stops at the limit (it threw RangeError: powRatioScaled)', () => {
    for (const make of [ownBalancer, balancer]) {
      const pool = make();
      pool.inject(37n * RAO, 11n * RAO); // price kept, quote weight no longer a small fraction
      expect(pool.weights().quoteParts % 10n ** 12n).not.toBe(0n);
      const limit = pool.price() * 1.05;
      const r = pool.stake(500n * RAO, { limitPrice: limit, allowPartial: true });
      expect(r.refund).toBeGreaterThan(0n);
      expect(r.priceAfter).toBeLessThanOrEqual(limit);
      expect(r.priceAfter).toBeGreaterThan(limit * (1 - 1e-9));
      expect(pool.maxStake(limit * 1.05)).toBeGreaterThan(0n);
    }
  });

  it('a partial limit unstake on a re-weighted pool stops at the limit too', () => {
    for (const make of [ownBalancer, balancer]) {
      const pool = make();
      pool.inject(3n * RAO, 29n * RAO);
      const limit = pool.price() * 0.95;
      const r = pool.unstake(900n * RAO, { limitPrice: limit, allowPartial: true });
      expect(r.refund).toBeGreaterThan(0n);
      expect(r.priceAfter).toBeGreaterThanOrEqual(limit);
      expect(r.priceAfter).toBeLessThan(limit * (1 + 1e-9));
      expect(pool.maxUnstake(limit * 0.95)).toBeGreaterThan(0n);
    }
  });

  it('powRatioScaled brackets (num/den)^(a/b) for a ratio above 1 on the ln/exp path: floor^b·den^a ≤ num^a·scale^b ≤ ceil^b·den^a, within 2^-98', () => {
    const scale = 1n << 128n;
    for (const [num, den, a, b] of [
      [3n, 2n, 1025n, 2047n],
      [10n ** 30n + 7n, 10n ** 12n, 1031n, 1029n],
      [5n, 4n, 2039n, 1030n],
    ] as const) {
      const lo = powRatioScaled(num, den, a, b, scale, 'floor');
      const hi = powRatioScaled(num, den, a, b, scale, 'ceil');
      const target = num ** a * scale ** b;
      expect(lo ** b * den ** a <= target).toBe(true);
      expect(hi ** b * den ** a >= target).toBe(true);
      expect(hi - lo).toBeLessThanOrEqual((hi >> 98n) + 2n); // the 2^-100 relative margin
    }
  });
});

describe('Pool refuses bad options with a YumaError and changes nothing', () => {
  it('Pool.genesis with a huge or non-finite weightQuote is E_RANGE / E_NAN (a huge one threw RangeError)', () => {
    const base = { tao: RAO, alpha: RAO };
    expect(yumaCode(() => Pool.genesis({ ...base, weightQuote: 1e300 }))).toBe('E_RANGE');
    expect(yumaCode(() => Pool.genesis({ ...base, weightQuote: -1e300 }))).toBe('E_RANGE');
    expect(yumaCode(() => Pool.genesis({ ...base, weightQuote: NaN }))).toBe('E_NAN');
    expect(yumaCode(() => Pool.genesis({ ...base, weightQuote: 10n ** 40n }))).toBe('E_RANGE');
  });

  it("refuses the presets 'constructor', '__proto__' and 'toString' (they were looked up on Object.prototype)", () => {
    for (const preset of ['constructor', '__proto__', 'toString', 'hasOwnProperty']) {
      expect(yumaCode(() => Pool.genesis({ tao: RAO, alpha: RAO, preset } as never))).toBe('E_ARG');
    }
  });

  it('refuses truthy non-booleans for dropFees, allowPartial and rebalanceOnInject', () => {
    const pool = balancer();
    const before = poolState(pool);
    expect(yumaCode(() => pool.stake(10n * RAO, { dropFees: 1 } as never))).toBe('E_ARG');
    expect(yumaCode(() => pool.unstake(10n * RAO, { limitPrice: 0.1, allowPartial: 'yes' } as never))).toBe('E_ARG');
    expect(yumaCode(() => Pool.genesis({ tao: RAO, alpha: RAO, rebalanceOnInject: 1 } as never))).toBe('E_ARG');
    expect(poolState(pool)).toBe(before);
  });

  it('refuses unknown option keys, Symbols and null-prototype objects as option values (the message is built safely)', () => {
    const pool = balancer();
    const before = poolState(pool);
    expect(yumaCode(() => pool.stake(10n * RAO, { limitprice: 2 } as never))).toBe('E_ARG');
    expect(yumaCode(() => pool.stake(10n * RAO, { limitPrice: Symbol('p') } as never))).toBe('E_ARG');
    expect(yumaCode(() => Pool.genesis({ tao: RAO, alpha: RAO, feeTo: Object.create(null) } as never))).toBe('E_ARG');
    expect(yumaCode(() => Pool.genesis({ tao: RAO, alpha: RAO, limitMode: Symbol('exact') } as never))).toBe('E_ARG');
    expect(yumaCode(() => Pool.genesis({ tao: RAO, alpha: RAO, preset: Symbol('seed') } as never))).toBe('E_ARG');
    expect(yumaCode(() => Pool.genesis({ tao: RAO, alpha: RAO, fee: 0.1 } as never))).toBe('E_ARG');
    expect(yumaCode(() => pool.stake(10n * RAO, { limitPrice: U64_MAX + 1n }))).toBe('E_RANGE');
    expect(poolState(pool)).toBe(before);
    expect(pool.stake(10n * RAO, null).alphaOut).toBe(balancer().stake(10n * RAO).alphaOut);
  });

  it('reserves never pass u64: inject, stake and unstake that would over-fill a reserve are E_RESERVE and leave the pool as it was', () => {
    const full = Pool.genesis({ tao: U64_MAX - 10n, alpha: 1n << 62n });
    const before = poolState(full);
    expect(yumaCode(() => full.inject(11n, 0n))).toBe('E_RESERVE');
    expect(yumaCode(() => full.stake(100n))).toBe('E_RESERVE');
    expect(poolState(full)).toBe(before);
    full.inject(10n, 0n);
    expect(full.reserves().tao).toBe(U64_MAX);
    const alphaFull = Pool.genesis({ tao: 1n << 62n, alpha: U64_MAX - 5n });
    const alphaBefore = poolState(alphaFull);
    expect(yumaCode(() => alphaFull.unstake(100n))).toBe('E_RESERVE');
    expect(yumaCode(() => alphaFull.quoteUnstake(100n))).toBe('E_RESERVE');
    expect(poolState(alphaFull)).toBe(alphaBefore);
  });

  it('mulPerquintillRoundHalf refuses numbers and out-of-range parts', () => {
    expect(yumaCode(() => mulPerquintillRoundHalf(1 as never, 2n))).toBe('E_ARG');
    expect(yumaCode(() => mulPerquintillRoundHalf(-1n, 2n))).toBe('E_RANGE');
    expect(mulPerquintillRoundHalf(5n * 10n ** 17n, 3n)).toBe(2n);
  });
});

describe('dTAO functions: null options, holes, negative weights, overflowing sums', () => {
  it('splitProRata(10n, [-1n, 2n]) is E_RANGE (it returned [-10n, 20n]); holes, numbers and a negative total are refused', () => {
    expect(yumaCode(() => splitProRata(10n, [-1n, 2n]))).toBe('E_RANGE');
    expect(yumaCode(() => splitProRata(-10n, [1n, 2n]))).toBe('E_RANGE');
    // eslint-disable-next-line no-sparse-arrays
    expect(yumaCode(() => splitProRata(10n, [, 2n] as bigint[]))).toBe('E_SHAPE');
    expect(yumaCode(() => splitProRata(10n, [1, 2] as never))).toBe('E_ARG');
    expect(splitProRata(10n, [1n, 2n])).toEqual([3n, 7n]);
  });

  it('proportional shares of huge finite prices sum to 1 (they summed to 0), and a tiny softmax temperature stays finite', () => {
    expect(emissionShares([1e308, 1e308], { mode: 'proportional' })).toEqual([0.5, 0.5]);
    expect(priceShares([1e308, 1e308, 0])).toEqual([0.5, 0.5, 0]);
    expect(powNormalize([1e308, 1e308])).toEqual([0.5, 0.5]);
    const soft = emissionShares([1, 2, 3], { temperature: 1e-320 });
    expect(soft).toEqual([0, 0, 1]);
  });

  it('null options mean "none given" where options are optional, and E_ARG where they are required (no TypeError)', () => {
    expect(emissionShares([1, 2], null)).toEqual(emissionShares([1, 2]));
    expect(priceShares([1, 2], null)).toEqual(priceShares([1, 2]));
    expect(splitAlphaOut(1000n, null)).toEqual(splitAlphaOut(1000n));
    expect(new MovingPriceTracker(null).prices()).toEqual([]);
    expect(new FlowTracker(2, null).shares()).toEqual([0, 0]);
    expect(new SubnetEconomy(null).issuance).toBe(0n);
    for (const f of [
      () => halvingSchedule(null as never),
      () => projectHalvings(null as never),
      () => compareRecycling(null as never),
      () => rootProportion(null as never),
      () => distributePending(null as never),
      () => new SubnetEconomy().addSubnet(null as never),
      () => Pool.genesis(null as never),
    ]) {
      expect(yumaCode(f)).toBe('E_ARG');
    }
  });

  it('unknown option keys and truthy non-booleans are refused across dTAO functions', () => {
    expect(yumaCode(() => emissionShares([1, 2], { mod: 'proportional' } as never))).toBe('E_ARG');
    expect(yumaCode(() => splitAlphaOut(10n, { rootSell: 0 } as never))).toBe('E_ARG');
    expect(yumaCode(() => priceShares([1, 2], { enabled: [1, 0] } as never))).toBe('E_ARG');
    expect(yumaCode(() => new FlowTracker(2, { netFlow: 'no' } as never))).toBe('E_ARG');
    expect(yumaCode(() => halvingSchedule({ issuance: 0n, blocs: 5 } as never))).toBe('E_ARG');
    expect(yumaCode(() => projectHalvings({ issuance: 0n, startDate: { getTime: () => 0 } } as never))).toBe('E_ARG');
    expect(projectHalvings({ issuance: 0n, blocks: 10, startDate: new Date(0) })[0].date.getTime()).toBe(0);
  });

  it('FlowTracker refuses NaN and out-of-range flows and a non-positive exponent up front, its EMAs untouched: every field as before the refused calls, and after the block the net flows and shares of a twin given only the good flow', () => {
    const t = new FlowTracker(2);
    const twin = new FlowTracker(2);
    t.recordFlow(0, 5n * RAO);
    twin.recordFlow(0, 5n * RAO);
    // the EMAs and the block's flows are its own fields: the snapshot shows every one (it checked only that the net
    // flows were finite)
    const before = snapshotText(t);
    expect(before).toContain('userEma');
    expect(yumaCode(() => t.recordFlow(1, NaN))).toBe('E_NAN');
    expect(yumaCode(() => t.recordFlow(1, 10n ** 30n))).toBe('E_RANGE');
    expect(yumaCode(() => t.recordFlow(2, 1))).toBe('E_RANGE');
    expect(yumaCode(() => t.recordFlow(Symbol('i') as never, 1))).toBe('E_ARG');
    expect(snapshotText(t)).toBe(before);
    t.endBlock();
    twin.endBlock();
    expect(t.netFlows()).toEqual(twin.netFlows());
    expect(t.netFlows()[0]).toBeGreaterThan(0);
    expect(t.shares()).toEqual(twin.shares());
    expect(snapshotText(t)).toBe(snapshotText(twin));
    expect(yumaCode(() => new FlowTracker(2, { exponent: -1 }))).toBe('E_RANGE');
  });

  it('coinbase functions refuse look-alike pools and holey lists; a refused step leaves the economy as it was', () => {
    const fake = { priceRatio: () => ({ num: 1n, den: 1n }), reserves: () => ({ tao: 1n, alpha: 1n }) };
    expect(yumaCode(() => splitBlockEmission(RAO, [1], [{ pool: fake as never, alphaIssuance: 0n }]))).toBe('E_ARG');
    const eco = new SubnetEconomy({ issuance: 1000n * RAO });
    eco.addSubnet({ pool: balancer() });
    eco.addSubnet({ pool: balancer() });
    expect(yumaCode(() => eco.addSubnet({ pool: fake as never }))).toBe('E_ARG');
    expect(yumaCode(() => eco.addSubnet({ pool: balancer(), netuid: 'x' } as never))).toBe('E_ARG');
    const before = snapshotText({ eco, pools: eco.subnets.map((s) => poolState(s.pool)) });
    // eslint-disable-next-line no-sparse-arrays
    expect(yumaCode(() => eco.step([, 0.5] as number[]))).toBe('E_SHAPE');
    expect(yumaCode(() => eco.step([0.7, 0.7]))).toBe('E_RANGE');
    expect(yumaCode(() => eco.alphaIssuance(5))).toBe('E_RANGE');
    expect(snapshotText({ eco, pools: eco.subnets.map((s) => poolState(s.pool)) })).toBe(before);
    expect(eco.step([0.5, 0.5]).block).toBe(0);
  });

  it('SubnetEconomy refuses one Pool for two subnets (one swap moved both subnets\' reserves): addSubnet is E_ARG, the same pool placed through the live subnets list refuses the next step with E_STATE, and a damaged record there (alphaOut a string, a pot negative) or a damaged block number or issuance refuses it with a YumaError; nothing moves', () => {
    const eco = new SubnetEconomy({ issuance: 1000n * RAO });
    const shared = balancer();
    eco.addSubnet({ pool: shared });
    expect(yumaCode(() => eco.addSubnet({ pool: shared }))).toBe('E_ARG');
    expect(eco.subnets).toHaveLength(1);
    eco.addSubnet({ pool: shared.clone() });
    const state = () => snapshotText({ eco, pools: eco.subnets.map((s) => poolState(s.pool)) });
    const before = state();
    const own = eco.subnets[1].pool;
    eco.subnets[1].pool = shared;
    expect(yumaCode(() => eco.step([0.5, 0.5]))).toBe('E_STATE');
    eco.subnets[1].pool = own;
    expect(state()).toBe(before);
    (eco.subnets[1] as { alphaOut: unknown }).alphaOut = '5';
    expect(yumaCode(() => eco.step([0.5, 0.5]))).toBe('E_ARG');
    eco.subnets[1].alphaOut = 0n;
    eco.subnets[0].pending.root = -1n;
    expect(yumaCode(() => eco.step([0.5, 0.5]))).toBe('E_RANGE');
    eco.subnets[0].pending.root = 0n;
    (eco as { block: unknown }).block = '7';
    expect(yumaCode(() => eco.step([0.5, 0.5]))).toBe('E_ARG');
    eco.block = 0;
    (eco as { issuance: unknown }).issuance = -1n;
    expect(yumaCode(() => eco.step([0.5, 0.5]))).toBe('E_RANGE');
    eco.issuance = 1000n * RAO;
    expect(state()).toBe(before);
    const r = eco.step([0.5, 0.5]);
    expect(r.split.map((x) => x.taoIn > 0n)).toEqual([true, true]);
    // each pool took its own injection once: the two equal pools are still equal, each above genesis
    expect(shared.reserves()).toEqual(own.reserves());
    expect(shared.reserves().tao).toBeGreaterThan(1000n * RAO);
  });

  it('distributePending refuses holey stakes and null-prototype values without a TypeError', () => {
    const base = { server: 100n, validator: 100n, incentive: [1, 0], dividends: [0, 1] };
    // eslint-disable-next-line no-sparse-arrays
    expect(yumaCode(() => distributePending({ ...base, stakes: [, { nominators: [1n] }] }))).toBe('E_SHAPE');
    expect(yumaCode(() => distributePending({ ...base, stakes: [{ nominators: [1n], take: Object.create(null) }] }))).toBe('E_ARG');
    expect(yumaCode(() => distributePending({ ...base, incentive: [Symbol('x')] as never }))).toBe('E_ARG');
    expect(distributePending({ ...base, stakes: [undefined, { nominators: [1n, 3n], take: 0 }] }).nominators[1]).toEqual([25n, 75n]);
  });
});

describe('a dTAO option given as null is E_ARG naming it, as everywhere else ("mode": null is), not read as "not given"', () => {
  const TAO = 1_000_000_000n;
  const pool = () => Pool.genesis({ tao: 1000n * TAO, alpha: 1000n * TAO });
  const cases: Array<[string, string, () => unknown]> = [
    ['halvingSchedule', 'recycledPerBlock', () => halvingSchedule({ issuance: 0n, recycledPerBlock: null as never, blocks: 10 })],
    ['halvingSchedule', 'startBlock', () => halvingSchedule({ issuance: 0n, startBlock: null as never, blocks: 10 })],
    ['compareRecycling', 'recycledPerBlock', () => compareRecycling({ issuance: 0n, recycledPerBlock: null as never, blocks: 10 })],
    ['projectHalvings', 'startDate', () => projectHalvings({ issuance: 0n, blocks: 10, startDate: null as never })],
    ['projectHalvings', 'blockSeconds', () => projectHalvings({ issuance: 0n, blocks: 10, startDate: new Date(0), blockSeconds: null as never })],
    ['splitAlphaOut', 'ownerCut', () => splitAlphaOut(1000n, { ownerCut: null as never })],
    ['splitAlphaOut', 'rootProportion', () => splitAlphaOut(1000n, { rootProportion: null as never })],
    ['splitAlphaOut', 'rootSell', () => splitAlphaOut(1000n, { rootSell: null as never })],
    ['SubnetEconomy', 'issuance', () => new SubnetEconomy({ issuance: null as never })],
    ['SubnetEconomy', 'block', () => new SubnetEconomy({ block: null as never })],
    ['distributePending', 'owner', () => distributePending({ server: 10n, validator: 10n, owner: null as never, incentive: [1], dividends: [1] })],
    ['distributePending', 'take', () => distributePending({ server: 10n, validator: 10n, incentive: [1], dividends: [1], stakes: [{ nominators: [5n], take: null as never }] })],
    ['emissionShares', 'mode', () => emissionShares([1, 2], { mode: null as never })],
    ['emissionShares', 'temperature', () => emissionShares([1, 2], { temperature: null as never })],
    ['MovingPriceTracker', 'alpha', () => new MovingPriceTracker({ alpha: null as never })],
    ['MovingPriceTracker', 'halvingBlocks', () => new MovingPriceTracker({ halvingBlocks: null as never })],
    ['FlowTracker', 'smoothing', () => new FlowTracker(2, { smoothing: null as never })],
    ['FlowTracker', 'exponent', () => new FlowTracker(2, { exponent: null as never })],
    ['FlowTracker', 'cutoff', () => new FlowTracker(2, { cutoff: null as never })],
    ['FlowTracker', 'netFlow', () => new FlowTracker(2, { netFlow: null as never })],
    ...(['preset', 'flatFee', 'feeTo', 'minReserveBefore', 'minReserveAfter', 'maxInputMultiple', 'minStake', 'rebalanceOnInject', 'limitMode', 'chainSwap', 'weightQuote'] as const).map(
      (k): [string, string, () => unknown] => ['Pool.genesis', k, () => Pool.genesis({ tao: 1000n * TAO, alpha: 1000n * TAO, [k]: null } as never)],
    ),
  ];
  for (const [fn, field, call] of cases) {
    it(`${fn}: ${field}: null is E_ARG naming ${field}`, () => {
      expect(expectYumaError(call, 'E_ARG').message).toContain(field);
    });
  }

  it('distributePending: stakes: null is E_SHAPE "stakes must be an array (got null)", as any list given as a non-array', () => {
    const call = () => distributePending({ server: 10n, validator: 10n, incentive: [1], dividends: [1], stakes: null as never });
    expect(expectYumaError(call, 'E_SHAPE').message).toBe('E_SHAPE: stakes must be an array (got null)');
  });

  for (const field of ['alphaOut', 'tempo', 'netuid', 'ownerCut', 'rootProportion'] as const) {
    it(`SubnetEconomy.addSubnet: ${field}: null is E_ARG naming it, and no subnet is added`, () => {
      const economy = new SubnetEconomy();
      economy.addSubnet({ pool: pool() });
      expect(expectYumaError(() => economy.addSubnet({ pool: pool(), [field]: null } as never), 'E_ARG').message).toContain(field);
      expect(economy.subnets.length).toBe(1);
    });
  }

  it('halvingSchedule without recycledPerBlock and with 0n agree (absent is still the default)', () => {
    expect(halvingSchedule({ issuance: 0n, blocks: 20_000_000 })).toEqual(halvingSchedule({ issuance: 0n, recycledPerBlock: 0n, blocks: 20_000_000 }));
  });
});
