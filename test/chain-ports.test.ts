/**
 * Ports of the chain's own tests of the block (subtensor 14bc6f9f: `pallets/subtensor/src/tests/emission.rs`,
 * `subnet_emissions.rs`, `coinbase.rs`), with their literal numbers and their own tolerances, run on `src/chain/`.
 * The mock runtime of those tests is rebuilt here: block 1, `TaoWeight` 0, `SubnetOwnerCut` 0,
 * `MaxEpochsPerBlock` 32, swap `MinimumReserve` 100, default delegate take 11796; `add_network` is
 * `init_new_network` (stable mechanism, tempo, staggered `LastEpochBlock`, emission block 1, subtoken and
 * registration on). Which tests are ported and why the others are not: README, "The chain's block".
 */
import { describe, expect, it } from 'vitest';
import {
  blocksUntilNextAutoEpoch,
  calculateDividendDistribution,
  calculateDividendsAndIncentives,
  drainPending,
  injectAndMaybeSwap,
  epochsDeferredThisBlock,
  rootProportion,
  runCoinbase,
  shouldRunEpoch,
  subnetShares,
  subnetTerms,
  taoWeightOf,
  updateMovingPrice,
} from '../src/chain/block.js';
import { stakeToColdkey } from '../src/chain/swap.js';
import { type ChainState, type ChainSubnet, newChainState, newSubnet } from '../src/chain/index.js';
import { balancerPrice, currentPrice } from '../src/dtao/balancer.js';
import { inplacePowNormalize } from '../src/chain/flow-normalize.js';
import { U64_MAX, addNetwork, coinbase, engine, fullInjectionRootStake, mockExt as mock } from './helpers/chain-mock.js';
import { I96F32, U64F64, U96F32, fromF64, fromInt, mulSat, toF64 } from '../src/fixed/substrate-fixed.js';
import { titlesUnder, unportedIn } from './helpers/chain-test-ports.js';

const f96 = (b: bigint): number => toF64(U96F32, b);
const i96 = (x: number): bigint => fromF64(I96F32, x);

const near = (actual: bigint | number, target: bigint | number, eps: bigint | number): void => {
  const d = Number(actual) - Number(target);
  expect(Math.abs(d), `${actual} vs ${target} (ε ${eps})`).toBeLessThanOrEqual(Number(eps));
};

describe('tests/emission.rs (9 of 9): blocks_until_next_auto_epoch', () => {
  const sn = (last = 0n): ChainSubnet => newSubnet(1, { lastEpochBlock: last });
  it('test_zero_tempo: u64::MAX', () => expect(blocksUntilNextAutoEpoch(sn(), 0, 100n)).toBe(U64_MAX));
  it('test_regular_case: 5, 5, 5', () => {
    expect(blocksUntilNextAutoEpoch(sn(), 10, 5n)).toBe(5n);
    expect(blocksUntilNextAutoEpoch(sn(), 20, 15n)).toBe(5n);
    expect(blocksUntilNextAutoEpoch(sn(), 30, 25n)).toBe(5n);
  });
  it('test_boundary_conditions: 0 at block u64::MAX, 65535 at block 0', () => {
    expect(blocksUntilNextAutoEpoch(sn(), 65535, U64_MAX)).toBe(0n);
    expect(blocksUntilNextAutoEpoch(sn(), 65535, 0n)).toBe(65535n);
  });
  it('test_overflow_handling: 0 at block u64::MAX − 1', () => expect(blocksUntilNextAutoEpoch(sn(), 65535, U64_MAX - 1n)).toBe(0n));
  it('test_epoch_alignment: 1, then 0 past the slot', () => {
    expect(blocksUntilNextAutoEpoch(sn(), 10, 9n)).toBe(1n);
    expect(blocksUntilNextAutoEpoch(sn(), 20, 21n)).toBe(0n);
  });
  it('test_different_network_ids: the same 5 for netuids 1, 2, 3 (no netuid term at HEAD)', () => {
    for (const n of [1, 2, 3]) expect(blocksUntilNextAutoEpoch(newSubnet(n, { lastEpochBlock: 0n }), 10, 5n)).toBe(5n);
  });
  it('test_large_tempo_values: 65534 − 100', () => expect(blocksUntilNextAutoEpoch(sn(), 65534, 100n)).toBe(65534n - 100n));
  it('test_consecutive_blocks: counts down by one per block', () => {
    let last = blocksUntilNextAutoEpoch(sn(), 10, 0n);
    for (let i = 1n; i < 9n; i++) {
      const cur = blocksUntilNextAutoEpoch(sn(), 10, i);
      expect(cur).toBe(last - 1n);
      last = cur;
    }
  });
  it('test_wrap_around_behavior: 0 at u64::MAX and u64::MAX − 1', () => {
    expect(blocksUntilNextAutoEpoch(sn(), 10, U64_MAX)).toBe(0n);
    expect(blocksUntilNextAutoEpoch(sn(), 10, U64_MAX - 1n)).toBe(0n);
  });
});

describe('tests/subnet_emissions.rs (6 of 6): inplace_pow_normalize and get_shares', () => {
  const u = (x: number): bigint => fromF64(U64F64, x);
  const f = (b: bigint): number => toF64(U64F64, b);
  it('inplace_pow_normalize_all_zero_inputs_no_panic_and_unchanged: three zeros stay 0 (±1e-18) with p = 1', () => {
    const out = inplacePowNormalize([u(0), u(0), u(0)], u(1));
    for (const v of out) near(f(v), 0, 1e-18);
  });
  it('inplace_pow_normalize_tiny_values_no_panic: 1e-9, 2e-9, 3e-9 with p = 2 → 1/14, 4/14, 9/14 (±1 %)', () => {
    const before = [1e-9, 2e-9, 3e-9];
    const out = inplacePowNormalize(before.map(u), u(2));
    before.forEach((b, i) => {
      const v = f(u(b));
      const expected = (v * 1e18 * v) / 14;
      near(f(out[i]), expected, expected / 100);
    });
  });
  it('inplace_pow_normalize_large_values_no_overflow_and_sum_to_one: 1e9, 5e9, 1e10 with p = 2 sum to 1 (±1e-9), each in [0, 1]', () => {
    const out = inplacePowNormalize([u(1e9), u(5e9), u(1e10)], u(2)).map(f);
    near(out.reduce((a, b) => a + b, 0), 1, 1e-9);
    for (const v of out) {
      expect(Number.isFinite(v)).toBe(true);
      expect(v >= 0 && v <= 1).toBe(true);
    }
  });
  it('inplace_pow_normalize_regular_case_relative_proportions_preserved: 2, 3, 5 with p = 1 → 0.2, 0.3, 0.5 (±0.001), sum 1 (±1e-12)', () => {
    const [a, b, c] = inplacePowNormalize([u(2), u(3), u(5)], u(1)).map(f);
    near(a, 0.2, 0.001);
    near(b, 0.3, 0.001);
    near(c, 0.5, 0.001);
    near(a + b + c, 1, 1e-12);
  });
  it('inplace_pow_normalize_fractional_exponent: 2, 3, 5 with p = 1.0 … 2.0 → x^p / Σ (±1 %), sum 1 (±1e-12)', () => {
    for (const p of [1.0, 1.1, 1.2, 1.3, 1.4, 1.5, 1.6, 1.7, 1.8, 1.9, 2.0]) {
      const [a, b, c] = inplacePowNormalize([u(2), u(3), u(5)], u(p)).map(f);
      const sum = 2 ** p + 3 ** p + 5 ** p;
      near(a, 2 ** p / sum, 2 ** p / sum / 100);
      near(b, 3 ** p / sum, 3 ** p / sum / 100);
      near(c, 5 ** p / sum, 5 ** p / sum / 100);
      near(a + b + c, 1, 1e-12);
    }
  });

  it('get_shares_ignores_root_prop_storage_when_prices_and_burns_match: 0.5 / 0.5 (±1e-9) with RootProp 1.0 and 0.1', () => {
    const s = mock();
    const a = addNetwork(s, 1, 360, { mechanism: 1, subnetMovingPrice: i96(1), rootProp: fromF64(U96F32, 1) });
    const b = addNetwork(s, 2, 360, { mechanism: 1, subnetMovingPrice: i96(1), rootProp: fromF64(U96F32, 0.1) });
    const shares = subnetShares(s, [a.netuid, b.netuid]);
    near(toF64(U64F64, shares.get(1)!), 0.5, 1e-9);
    near(toF64(U64F64, shares.get(2)!), 0.5, 1e-9);
    near(toF64(U64F64, shares.get(1)! + shares.get(2)!), 1, 1e-9);
  });
});

describe('tests/coinbase.rs: emission to subnets', () => {
  it('test_coinbase_tao_issuance_base_low: 1 rao into a fresh stable subnet lands in its TAO, issuance and total stake', () => {
    const s = mock();
    addNetwork(s, 1, 1);
    coinbase(s, 1n);
    expect(s.subnets.get(1)!.subnetTao).toBe(1n);
    expect(s.totalIssuance).toBe(1n);
    expect(s.totalStake).toBe(1n);
  });

  it('test_coinbase_tao_issuance_multiple: 3 333 333 rao split evenly over 3 subnets (±1 each, ±3 in total)', () => {
    const s = mock();
    for (const n of [1, 2, 3]) addNetwork(s, n, 1);
    coinbase(s, 3_333_333n);
    for (const n of [1, 2, 3]) near(s.subnets.get(n)!.subnetTao, 3_333_333n / 3n, 1);
    near(s.totalIssuance, 3_333_333n, 3);
    near(s.totalStake, 3_333_333n, 3);
  });

  it('test_coinbase_alpha_issuance_base: prices 1 and 1 inject 500 000 alpha each', () => {
    const s = mock();
    for (const n of [1, 2]) addNetwork(s, n, 1, { subnetTao: 1_000_000n, subnetAlphaIn: 1_000_000n });
    fullInjectionRootStake(s);
    coinbase(s, 1_000_000n);
    expect(s.subnets.get(1)!.subnetAlphaIn).toBe(1_500_000n);
    expect(s.subnets.get(2)!.subnetAlphaIn).toBe(1_500_000n);
  });

  it('test_coinbase_alpha_issuance_different: EMA prices 1 and 2 inject 333 333 alpha into each', () => {
    const s = mock();
    addNetwork(s, 1, 1, { mechanism: 1, subnetTao: 1_000_000n, subnetAlphaIn: 1_000_000n, subnetMovingPrice: i96(1) });
    addNetwork(s, 2, 1, { mechanism: 1, subnetTao: 2_000_000n, subnetAlphaIn: 1_000_000n, subnetMovingPrice: i96(2) });
    fullInjectionRootStake(s);
    coinbase(s, 1_000_000n);
    expect(s.subnets.get(1)!.subnetAlphaIn).toBe(1_000_000n + 1_000_000n / 3n);
    expect(s.subnets.get(2)!.subnetAlphaIn).toBe(1_000_000n + (1_000_000n * 2n) / 3n / 2n);
  });

  it('test_coinbase_alpha_issuance_with_cap_trigger: alpha in stays below a full block emission; alpha out is the full 1e9', () => {
    const s = mock();
    for (const [n, p] of [[1, 1], [2, 2]] as const) {
      addNetwork(s, n, 1, { mechanism: 1, subnetTao: 1_000n, subnetAlphaIn: 1_000_000_000n, subnetMovingPrice: i96(p) });
    }
    fullInjectionRootStake(s);
    coinbase(s, 1_000_000n);
    for (const n of [1, 2]) {
      expect(s.subnets.get(n)!.subnetAlphaIn).toBeLessThan(1_000_000_000n + 1_000_000_000n);
      expect(s.subnets.get(n)!.subnetAlphaOutEmission).toBe(1_000_000_000n);
    }
  });

  it('test_root_proportion: tw·rootTao / (tw·rootTao + alpha issuance) in U96F32, bit for bit', () => {
    const s = mock();
    const sn = addNetwork(s, 1, 360, { mechanism: 1, subnetAlphaIn: 100_000_000_000n });
    s.subnets.get(0)!.subnetTao = 1_000_000_000_000n;
    s.taoWeight = 3_320_413_933_267_719_290n;
    const tw = taoWeightOf(s);
    const rootTao = fromInt(U96F32, 1_000_000_000_000n);
    const num = mulSat(U96F32, tw, rootTao);
    const expected = (num << 32n) / (num + fromInt(U96F32, 100_000_000_000n));
    expect(rootProportion(s, sn)).toBe(expected);
  });

  it('test_get_subnet_terms_alpha_emissions_cap: 1e8 alpha in below the cap stays; 1e10 is capped at root proportion × alpha emission', () => {
    const s = mock();
    const sn = addNetwork(s, 1, 360, { mechanism: 1, subnetTao: 1_000_000_000_000n, subnetAlphaIn: 1_000_000_000_000n });
    fullInjectionRootStake(s);
    const alphaEmission = fromInt(U96F32, 1_000_000_000n);
    const cap = mulSat(U96F32, rootProportion(s, sn), alphaEmission);
    const e1 = fromInt(U96F32, 100_000_000n);
    expect(e1 < cap).toBe(true);
    expect(subnetTerms(s, new Map([[1, e1]])).get(1)!.alphaIn).toBe(e1);
    const e2 = fromInt(U96F32, 10_000_000_000n);
    expect(e2 > cap).toBe(true);
    expect(subnetTerms(s, new Map([[1, e2]])).get(1)!.alphaIn).toBe(cap);
  });

  it('test_coinbase_subnet_terms_with_alpha_in_gt_alpha_emission: price 0.01, capped alpha in, TAO in = alpha in × price, excess = rest (±0.01)', () => {
    const s = mock();
    const tao = 1_000_000_000n;
    const price = fromF64(U64F64, 0.01);
    const alpha = ((tao << 64n) << 64n) / price >> 64n; // U64F64(tao) / price, to u64
    const sn = addNetwork(s, 1, 360, { mechanism: 1, subnetTao: tao, subnetAlphaIn: alpha, palSwapInitialized: true });
    near(toF64(U64F64, currentPrice(sn)), 0.01, 0.001);
    fullInjectionRootStake(s);
    const alphaEmission = fromInt(U96F32, 1_000_000_000n);
    const priceU96 = price >> 32n;
    const taoEmission = mulSat(U96F32, alphaEmission, priceU96) + fromF64(U96F32, 0.01);
    const cap = mulSat(U96F32, rootProportion(s, sn), alphaEmission);
    const t = subnetTerms(s, new Map([[1, taoEmission]])).get(1)!;
    near(f96(t.alphaOut), f96(alphaEmission), 0.01);
    near(f96(t.alphaIn), f96(cap), f96(cap) / 1000);
    near(f96(t.taoIn), f96(mulSat(U96F32, t.alphaIn, priceU96)), 0.01);
    near(f96(t.excessTao), f96(taoEmission) - f96(t.taoIn), 0.01);
  });

  it('test_coinbase_subnet_terms_with_alpha_in_lte_alpha_emission: alpha in = emission / price, TAO in = emission, no excess (±0.01)', () => {
    const s = mock();
    const sn = addNetwork(s, 1, 360, { mechanism: 1, subnetTao: 1_000_000_000_000_000n, subnetAlphaIn: 1_000_000_000_000_000n, palSwapInitialized: true });
    fullInjectionRootStake(s);
    const taoEmission = fromInt(U96F32, 34_566_756n);
    const price = toF64(U64F64, currentPrice(sn));
    const t = subnetTerms(s, new Map([[1, taoEmission]])).get(1)!;
    near(f96(t.alphaOut), 1e9, 0.1);
    near(f96(t.alphaIn), 34_566_756 / price, 0.01);
    near(f96(t.taoIn), 34_566_756, 0.01);
    near(f96(t.excessTao), 0, 0.01);
  });
});

describe('tests/coinbase.rs: moving prices', () => {
  it('test_coinbase_moving_prices: 1 stays 1; α = 1 jumps to within 0.05 of the price; α = 0.1 for 14 blocks at day 28 gives 0.512325 (±0.001)', () => {
    const s = mock();
    const sn = addNetwork(s, 1, 1, { mechanism: 1, subnetTao: 1_000_000n, subnetAlphaIn: 1_000_000n, subnetMovingPrice: i96(1), firstEmissionBlockNumber: 1n });
    s.block = 7_200_000n;
    updateMovingPrice(s, sn);
    expect(sn.subnetMovingPrice).toBe(i96(1));
    sn.subnetMovingPrice = 0n;
    s.subnetMovingAlpha = i96(1);
    updateMovingPrice(s, sn);
    expect(1 - toF64(I96F32, sn.subnetMovingPrice)).toBeLessThan(0.05);
    sn.subnetMovingPrice = 0n;
    s.subnetMovingAlpha = i96(0.1);
    s.block = 7_200n * 28n;
    for (let i = 0; i < 14; i++) updateMovingPrice(s, sn);
    near(toF64(I96F32, sn.subnetMovingPrice), 0.512325, 0.001);
  });

  it('test_update_moving_price_initial: ten blocks after start_call the EMA moves by < 0.001', () => {
    const s = mock(510n);
    const sn = addNetwork(s, 1, 1, { mechanism: 1, subnetTao: 1_000_000n, subnetAlphaIn: 1_000_000n, firstEmissionBlockNumber: 500n });
    s.subnetMovingAlpha = i96(0.5);
    updateMovingPrice(s, sn);
    expect(toF64(I96F32, sn.subnetMovingPrice)).toBeLessThan(0.001);
  });

  it('test_update_moving_price_after_time: long after start_call one update with α = 0.5 lands on 0.5 (±0.001)', () => {
    const s = mock(144_000_500n);
    const sn = addNetwork(s, 1, 1, { mechanism: 1, subnetTao: 1_000_000n, subnetAlphaIn: 1_000_000n, firstEmissionBlockNumber: 500n });
    s.subnetMovingAlpha = i96(0.5);
    updateMovingPrice(s, sn);
    near(toF64(I96F32, sn.subnetMovingPrice), 0.5, 0.001);
  });
});

describe('tests/coinbase.rs: epoch scheduling', () => {
  it('test_coinbase_drain_pending_increments_blockssincelaststep: +1', () => {
    const s = mock();
    const sn = addNetwork(s, 1, 360, { mechanism: 1 });
    const before = sn.blocksSinceLastStep;
    drainPending(s, [1], 1n);
    expect(sn.blocksSinceLastStep).toBe(before + 1n);
  });

  it('test_coinbase_drain_pending_resets_blockssincelaststep: a due epoch resets it to 0 and leaves LastMechansimStepBlock alone', () => {
    const s = mock();
    const sn = addNetwork(s, 1, 100, { mechanism: 1, lastEpochBlock: 0n, blocksSinceLastStep: 12_345_678n, lastMechansimStepBlock: 12_345n });
    expect(shouldRunEpoch(sn, 102n)).toBe(true);
    drainPending(s, [1], 102n);
    expect(sn.blocksSinceLastStep).toBe(0n);
    expect(sn.lastMechansimStepBlock).toBe(12_345n);
  });

  it('test_coinbase_drain_pending_gets_counters_and_resets_them: returns (123434534, 111111, 12222222, 12345678) and zeroes the pots', () => {
    const s = mock();
    const sn = addNetwork(s, 1, 100, {
      mechanism: 1,
      lastEpochBlock: 0n,
      pendingServerEmission: 123_434_534n,
      pendingValidatorEmission: 111_111n,
      pendingRootAlphaDivs: 12_222_222n,
      pendingOwnerCut: 12_345_678n,
    });
    const drained = drainPending(s, [1], 102n);
    expect(drained.size).toBe(1);
    expect(drained.get(1)).toEqual([123_434_534n, 111_111n, 12_222_222n, 12_345_678n]);
    expect([sn.pendingServerEmission, sn.pendingValidatorEmission, sn.pendingRootAlphaDivs, sn.pendingOwnerCut]).toEqual([0n, 0n, 0n, 0n]);
  });

  it('test_epochs_deferred_this_block_respects_cap: 34 due subnets, cap 32 → exactly 2 deferred, both due', () => {
    const s = mock();
    const n = s.maxEpochsPerBlock + 2;
    for (let i = 1; i <= n; i++) addNetwork(s, i, 100, { pendingEpochAt: 1n });
    const subnets = [...s.subnets.keys()].filter((x) => x !== 0).sort((a, b) => a - b);
    const deferred = epochsDeferredThisBlock(s, subnets, s.block);
    expect(deferred.size).toBe(n - s.maxEpochsPerBlock);
    for (const d of deferred) expect(shouldRunEpoch(s.subnets.get(d)!, s.block)).toBe(true);
  });
});

describe('tests/coinbase.rs: dividend and incentive distribution', () => {
  const tw018 = fromF64(U96F32, 0.18);
  const stakeMap = new Map<string, [bigint, bigint]>([
    ['0', [4_859_302n, 2_342_352n]],
    ['1', [23_423n, 859_273n]],
  ]);
  const dividends = new Map([
    ['0', fromInt(U96F32, 77_783_738n)],
    ['1', fromInt(U96F32, 19_283_940n)],
  ]);
  const total = (m: Map<string, bigint>): bigint => [...m.values()].reduce((a, b) => a + b, 0n) >> 32n;
  for (const [name, pv, pr, tw] of [
    ['test_calculate_dividend_distribution_totals', 183_123_567_452n, 837_120_949_872n, tw018],
    ['test_calculate_dividend_distribution_total_only_tao', 0n, 837_120_949_872n, tw018],
    ['test_calculate_dividend_distribution_total_no_tao_weight', 183_123_567_452n, 0n, 0n],
    ['test_calculate_dividend_distribution_total_only_alpha', 183_123_567_452n, 0n, tw018],
  ] as const) {
    it(`${name}: alpha dividends total ${pv}, root dividends total ${pr} (±1000)`, () => {
      const r = calculateDividendDistribution(pv, pr, tw, stakeMap, dividends);
      near(total(r.alphaDividends), pv, 1000);
      near(total(r.rootAlphaDividends), pr, 1000);
    });
  }

  /** `add_dynamic_network` + `register_ok_neuron(hotkey 1, coldkey 2)` + 1 rao of stake, as those tests set up. */
  function oneNeuron(): { s: ChainState; sn: ChainSubnet } {
    const s = mock();
    const sn = addNetwork(s, 1, 360, { mechanism: 1, subnetTao: 1_000_000_000_000n, subnetAlphaIn: 1_000_000_000_000n, subnetOwner: '1', subnetOwnerHotkey: '0' });
    sn.neurons.append('1', 1n);
    s.hotkeys.set('1', { owner: '2' });
    stakeToColdkey(s, '1', '2', 1, 1n);
    return { s, sn };
  }

  it('test_calculate_dividend_and_incentive_distribution: incentives + dividends = 123 456 789 (±2)', () => {
    const { s, sn } = oneNeuron();
    const pending = 123_456_789n;
    const { incentives, dividends: divs } = calculateDividendsAndIncentives(s, sn, [['1', pending / 2n, pending / 2n]]);
    const stakes = new Map<string, [bigint, bigint]>([...divs.keys()].map((h) => [h, [1n, 0n]]));
    const r = calculateDividendDistribution(pending / 2n, 0n, 0n, stakes, divs);
    near([...incentives.values()].reduce((a, b) => a + b, 0n) + total(r.alphaDividends), pending, 2);
  });

  it('test_calculate_dividend_and_incentive_distribution_all_to_validators: dividends = 123 456 789 exactly', () => {
    const { s, sn } = oneNeuron();
    const pending = 123_456_789n;
    const { incentives, dividends: divs } = calculateDividendsAndIncentives(s, sn, [['1', 0n, pending]]);
    const stakes = new Map<string, [bigint, bigint]>([...divs.keys()].map((h) => [h, [1n, 0n]]));
    const r = calculateDividendDistribution(pending, 0n, 0n, stakes, divs);
    expect([...incentives.values()].reduce((a, b) => a + b, 0n) + total(r.alphaDividends)).toBe(pending);
  });

  for (const [name, div, inc] of [
    ['test_calculate_dividends_and_incentives', 123_456_789n, 683_051_923n],
    ['test_calculate_dividends_and_incentives_only_validators', 123_456_789n, 0n],
    ['test_calculate_dividends_and_incentives_only_miners', 0n, 123_456_789n],
  ] as const) {
    it(`${name}: incentives ${inc} and dividends ${div} come back whole`, () => {
      const { s, sn } = oneNeuron();
      const { incentives, dividends: divs } = calculateDividendsAndIncentives(s, sn, [['1', inc, div]]);
      expect([...incentives.values()].reduce((a, b) => a + b, 0n)).toBe(inc);
      expect(total(divs)).toBe(div);
    });
  }
});

describe('tests/coinbase.rs: injection keeps the pool price', () => {
  it('test_coinbase_inject_and_maybe_swap_does_not_skew_reserves: after injecting and buying, alpha/TAO stays within 1.0 of the price', () => {
    const s = mock();
    const sn = addNetwork(s, 1, 360, { mechanism: 1, subnetTao: 1_000_000_000_000_000n, subnetAlphaIn: 1_000_000_000_000_000n, palSwapInitialized: true });
    fullInjectionRootStake(s);
    // terms as the test sets them: TAO in 123, alpha in 456, excess 789 100, one credit of 789 223
    const terms = subnetTerms(s, new Map([[1, fromInt(U96F32, 123n + 789_100n)]]));
    const t = terms.get(1)!;
    t.taoIn = fromInt(U96F32, 123n);
    t.alphaIn = fromInt(U96F32, 456n);
    t.excessTao = fromInt(U96F32, 789_100n);
    s.totalIssuance += 789_223n;
    injectAndMaybeSwap(s, [1], terms, 789_223n);
    const ratio = Number(sn.subnetAlphaIn) / Number(sn.subnetTao);
    const price = toF64(U64F64, balancerPrice(sn.swapBalancerQuoteWeightParts, sn.subnetAlphaIn, sn.subnetTao));
    near(ratio, price, 1.0);
  });
});


it('every chain test test/helpers/chain-test-ports.ts lists for this file titles one of its tests, under its tests/<file>.rs describe', ({ task }) => {
  expect(unportedIn(titlesUnder(task.file), 'chain-ports.test.ts')).toEqual([]);
});
