/**
 * Ports of the tests of `pallets/subtensor/src/tests/coinbase.rs` (subtensor 14bc6f9f) that build their subnets
 * with the mock's `add_network`, `add_dynamic_network` (`register_network`) and `register_ok_neuron` (burned
 * registration at burn 0) — test/helpers/chain-mock.ts — then run `run_coinbase` or drain pots through
 * `distribute_emission` (the epoch runs through the engine as on chain). Literal numbers and each
 * test's own tolerance (`close(value, target, eps)` is |value − target| < eps). Which coinbase tests are ported
 * and why the others are not: README, "The chain's block".
 */
import { describe, expect, it } from 'vitest';
import { distributeEmission, inheritedStake, runCoinbase, movingAlphaPrice, shouldRunEpoch, subnetShares, subnetTerms, subnetsToEmitTo, taoWeightOf } from '../src/chain/block.js';
import { hotkeyStake, stakeToColdkey } from '../src/chain/swap.js';
import { currentPrice } from '../src/dtao/balancer.js';
import type { Chain, ChainState, ChainSubnet, EpochEngineLike } from '../src/chain/index.js';
import { poolValueOf } from '../src/chain/safe-float.js';
import { I64F64, I96F32, U64F64, U96F32, blockEmissionForIssuance, convert, divChecked, fromF64, fromInt, mulSat, satAdd, satSub, stakeWeightI64F64, taoWeightU96F32, toF64, toIntSat } from '../src/fixed/substrate-fixed.js';
import { RAO, TOTAL_SUPPLY } from '../src/units.js';
import { U64_MAX, addDynamicNetwork, addNetwork, coinbase, engine, fullInjectionRootStake, mockChain, mockExt, registerOkNeuron, setChildren, yumaStorage } from './helpers/chain-mock.js';
import { titlesUnder, unportedIn } from './helpers/chain-test-ports.js';

const close = (value: bigint, target: bigint, eps: bigint): void => {
  const d = value > target ? value - target : target - value;
  expect(d < eps, `${value} vs ${target} (< ${eps})`).toBe(true);
};
/** `assert_abs_diff_eq!(a, b, epsilon)`: |a − b| ≤ epsilon. */
const absDiffEq = (a: bigint, b: bigint, eps: bigint): void => {
  const d = a > b ? a - b : b - a;
  expect(d <= eps, `${a} vs ${b} (≤ ${eps})`).toBe(true);
};
const stakeOf = (s: ChainState, hotkey: string, coldkey: string, netuid: number): bigint => {
  const p = s.stakePools.get(`${hotkey}/${netuid}`);
  return p && p.shares.has(coldkey) ? poolValueOf(p, coldkey) : 0n;
};
/** `distribute_emission(netuid, server, validator, root, owner_cut)`. */
const drain = (s: ChainState, sn: ChainSubnet, server: bigint, validator: bigint, root = 0n, ownerCut = 0n) =>
  distributeEmission(s, sn, engine, server, validator, root, ownerCut);
/** `I96F32::from_num(a) + I96F32::from_num(b) * I96F32::from_num(r)` then `to_num::<u64>()`. */
const plusShare = (a: bigint, b: bigint, r: number): bigint =>
  toIntSat(I96F32, satAdd(I96F32, fromInt(I96F32, a), mulSat(I96F32, fromInt(I96F32, b), fromF64(I96F32, r))), 0n, U64_MAX);

const STAKE = 1_000_000_000n;
const PENDING = 1_000_000_000n;

/** add_network(1, tempo 1) and register_ok_neuron for each hotkey (one coldkey). */
function subnetWith(hotkeys: string[], coldkey: string) {
  const s = mockExt();
  const chain = mockChain(s);
  const sn = addNetwork(s, 1, 1);
  for (const h of hotkeys) registerOkNeuron(chain, 1, h, coldkey);
  return { s, chain, sn };
}

describe('tests/coinbase.rs: distribute_emission on registered neurons', () => {
  it('test_drain_base and test_drain_base_with_subnet: empty drains on root and on a fresh subnet complete and move no stake', () => {
    const s = mockExt();
    const before = JSON.stringify(mockChain(s).toJSON());
    drain(s, s.subnets.get(0)!, 0n, 0n);
    const sn = addNetwork(s, 1, 1);
    drain(s, sn, 0n, 0n);
    expect(s.stakePools.size).toBe(JSON.parse(before).stakePools.length);
  });

  it('test_drain_base_with_subnet_with_single_staker_not_registered: the stake is unchanged (not registered)', () => {
    const s = mockExt();
    const sn = addNetwork(s, 1, 1);
    stakeToColdkey(s, '1', '2', 1, STAKE);
    drain(s, sn, PENDING / 2n, PENDING / 2n);
    expect(stakeOf(s, '1', '2', 1)).toBe(STAKE);
  });

  it('test_drain_base_with_subnet_with_single_staker_registered: it gets all of the 1e9 (< 10)', () => {
    const { s, sn } = subnetWith(['1'], '2');
    stakeToColdkey(s, '1', '2', 1, STAKE);
    drain(s, sn, PENDING / 2n, PENDING / 2n);
    close(STAKE + PENDING, stakeOf(s, '1', '2', 1), 10n);
  });

  it('test_drain_base_with_subnet_with_single_staker_registered_root_weight: all alpha emission (< 10), root stake unchanged (< 10)', () => {
    const { s, sn } = subnetWith(['1'], '2');
    s.hotkeys.get('1')!.delegateTake = 0;
    s.taoWeight = U64_MAX;
    stakeToColdkey(s, '1', '2', 0, STAKE);
    stakeToColdkey(s, '1', '2', 1, STAKE);
    expect(s.subnets.get(0)!.subnetTao).toBe(0n);
    drain(s, sn, PENDING / 2n, PENDING / 2n, 1_000_000_000n);
    close(STAKE + PENDING, stakeOf(s, '1', '2', 1), 10n);
    close(STAKE, stakeOf(s, '1', '2', 0), 10n);
  });

  it('test_drain_base_with_subnet_with_two_stakers_registered: each gets half (< 10)', () => {
    const { s, sn } = subnetWith(['1', '2'], '3');
    stakeToColdkey(s, '1', '3', 1, STAKE);
    stakeToColdkey(s, '2', '3', 1, STAKE);
    drain(s, sn, PENDING / 2n, PENDING / 2n);
    close(STAKE + PENDING / 2n, stakeOf(s, '1', '3', 1), 10n);
    close(STAKE + PENDING / 2n, stakeOf(s, '2', '3', 1), 10n);
  });

  it('test_drain_base_with_subnet_with_two_stakers_registered_and_root: equal root stakes, each gets half (< 10)', () => {
    const { s, sn } = subnetWith(['1', '2'], '3');
    for (const h of ['1', '2']) s.hotkeys.get(h)!.delegateTake = 0;
    s.taoWeight = U64_MAX;
    for (const h of ['1', '2']) {
      stakeToColdkey(s, h, '3', 1, STAKE);
      stakeToColdkey(s, h, '3', 0, STAKE);
    }
    expect(s.subnets.get(0)!.subnetTao).toBe(0n);
    drain(s, sn, PENDING / 2n, PENDING / 2n);
    close(STAKE + PENDING / 2n, stakeOf(s, '1', '3', 1), 10n);
    close(STAKE + PENDING / 2n, stakeOf(s, '2', '3', 1), 10n);
  });

  for (const [name, taoWeight] of [
    ['test_drain_base_with_subnet_with_two_stakers_registered_and_root_different_amounts', U64_MAX],
    ['test_drain_base_with_subnet_with_two_stakers_registered_and_root_different_amounts_half_tao_weight', U64_MAX / 2n],
  ] as const) {
    it(`${name}: hotkey 1 with twice the root stake still gets half of the alpha (±10)`, () => {
      const s = mockExt();
      const chain = mockChain(s);
      const sn = addNetwork(s, 1, 1);
      for (const h of ['1', '2']) {
        registerOkNeuron(chain, 1, h, '3');
        s.hotkeys.get(h)!.delegateTake = 0;
      }
      s.taoWeight = taoWeight;
      stakeToColdkey(s, '1', '3', 1, STAKE);
      stakeToColdkey(s, '1', '3', 0, STAKE * 2n);
      stakeToColdkey(s, '2', '3', 1, STAKE);
      stakeToColdkey(s, '2', '3', 0, STAKE);
      expect(s.subnets.get(0)!.subnetTao).toBe(0n);
      drain(s, sn, PENDING / 2n, PENDING / 2n);
      const expected = plusShare(STAKE, PENDING, 1 / 2);
      absDiffEq(expected, stakeOf(s, '1', '3', 1), 10n);
      absDiffEq(expected, stakeOf(s, '2', '3', 1), 10n);
    });
  }

  it('test_drain_alpha_childkey_parentkey: childkey take 10 % → parent 1e9 + 0.9·1e9, child 0.1·1e9 (< 10 000)', () => {
    const { s, sn } = subnetWith(['2'], '3');
    s.ckBurn = 0n;
    stakeToColdkey(s, '1', '3', 1, STAKE);
    setChildren(s, 1, '1', [[U64_MAX, '2']]);
    s.hotkeys.get('2')!.childkeyTake = new Map([[1, Math.floor(65535 / 10)]]);
    drain(s, sn, PENDING / 2n, PENDING / 2n);
    close(plusShare(STAKE, PENDING, 9 / 10), hotkeyStake(s, '1', 1), 10_000n);
    close(toIntSat(I96F32, fromInt(I96F32, PENDING) / 10n, 0n, U64_MAX), hotkeyStake(s, '2', 1), 10_000n);
  });

  it('test_drain_alpha_childkey_parentkey_with_burn: CKBurn at its default (0) → the same 90 / 10 split (< 3 000 000)', () => {
    const { s, sn } = subnetWith(['2'], '3');
    stakeToColdkey(s, '1', '3', 1, STAKE);
    setChildren(s, 1, '1', [[U64_MAX, '2']]);
    s.hotkeys.get('2')!.childkeyTake = new Map([[1, Math.floor(65535 / 10)]]);
    const burnRate = Number(s.ckBurn);
    drain(s, sn, PENDING / 2n, PENDING / 2n);
    const p = Number(PENDING);
    const ckBurn = p * (9 / 10) * burnRate;
    const total = p - ckBurn;
    const parentRatio = (p * (9 / 10) - ckBurn) / total;
    const childRatio = p / 10 / total;
    close(plusShare(STAKE, PENDING, parentRatio), hotkeyStake(s, '1', 1), 3_000_000n);
    close(BigInt(Math.trunc(p * childRatio)), hotkeyStake(s, '2', 1), 3_000_000n);
  });
});

/**
 * The root-children tests: add_network(ROOT, 1) and add_network(1, 1), TaoWeight 1, Alice and Bob registered on
 * subnet 1 with 1e9 root stake and 1e9 alpha stake each, Bob Alice's child on subnet 1. (`root_register` puts them
 * in root's neuron table, which nothing here reads; the block model keeps no root neurons.)
 */
function rootChildren(proportion: bigint, bobTake: number, opts: { ckBurnZero: boolean; coldkeys: [string, string] } = { ckBurnZero: true, coldkeys: ['0', '1'] }) {
  const s = mockExt();
  const chain = mockChain(s);
  addNetwork(s, 0, 1);
  const sn = addNetwork(s, 1, 1);
  if (opts.ckBurnZero) s.ckBurn = 0n;
  s.taoWeight = U64_MAX;
  const [coldAlice, coldBob] = opts.coldkeys;
  registerOkNeuron(chain, 1, 'alice', coldAlice);
  registerOkNeuron(chain, 1, 'bob', coldBob);
  stakeToColdkey(s, 'alice', coldAlice, 0, STAKE);
  stakeToColdkey(s, 'bob', coldBob, 0, STAKE);
  stakeToColdkey(s, 'alice', coldAlice, 1, STAKE);
  stakeToColdkey(s, 'bob', coldBob, 1, STAKE);
  s.hotkeys.get('bob')!.childkeyTake = new Map([[1, bobTake]]);
  setChildren(s, 1, 'alice', [[proportion, 'bob']]);
  s.hotkeys.get('alice')!.delegateTake = 0;
  s.hotkeys.get('bob')!.delegateTake = 0;
  return { s, sn };
}

describe('tests/coinbase.rs: root stake through a child (get_root_children*)', () => {
  it('test_get_root_children: stakes as set; inherited alpha 0 / 2e9 and root 1e9 / 1e9; TAO inherited 0 / 2e9; stake weights 0 and 4e9', () => {
    const { s } = rootChildren(U64_MAX, 0, { ckBurnZero: false, coldkeys: ['0', '0'] });
    expect(hotkeyStake(s, 'alice', 0)).toBe(STAKE);
    expect(hotkeyStake(s, 'bob', 0)).toBe(STAKE);
    expect(hotkeyStake(s, 'alice', 1)).toBe(STAKE);
    expect(hotkeyStake(s, 'bob', 1)).toBe(STAKE);
    expect(inheritedStake(s, 'alice', 0, 0)).toBe(STAKE);
    expect(inheritedStake(s, 'alice', 1, 1)).toBe(0n);
    expect(inheritedStake(s, 'bob', 0, 0)).toBe(STAKE);
    expect(inheritedStake(s, 'bob', 1, 1)).toBe(2n * STAKE);
    expect(inheritedStake(s, 'alice', 1, 0)).toBe(0n);
    expect(inheritedStake(s, 'bob', 1, 0)).toBe(2n * STAKE);
    const weight = (h: string): bigint => stakeWeightI64F64(inheritedStake(s, h, 1, 1), inheritedStake(s, h, 1, 0), taoWeightU96F32(s.taoWeight));
    expect(weight('alice')).toBe(0n);
    expect(weight('bob')).toBe(fromInt(I64F64, 4n * STAKE));
  });

  it('test_get_root_children_drain: both earn half of 1e9 exactly; root stakes unchanged; a greedy Bob (take 100 %) takes all dividends (±1), Alice none', () => {
    const { s, sn } = rootChildren(U64_MAX, 0);
    expect(stakeWeightI64F64(inheritedStake(s, 'alice', 1, 1), inheritedStake(s, 'alice', 1, 0), taoWeightU96F32(s.taoWeight))).toBe(0n);
    expect(stakeWeightI64F64(inheritedStake(s, 'bob', 1, 1), inheritedStake(s, 'bob', 1, 0), taoWeightU96F32(s.taoWeight))).toBe(fromInt(I64F64, 4n * STAKE));
    drain(s, sn, PENDING / 2n, PENDING / 2n);
    expect(hotkeyStake(s, 'alice', 1)).toBe(STAKE + PENDING / 2n);
    expect(hotkeyStake(s, 'bob', 1)).toBe(STAKE + PENDING / 2n);
    expect(s.subnets.get(0)!.subnetTao).toBe(0n);
    drain(s, sn, PENDING / 2n, PENDING / 2n);
    expect(hotkeyStake(s, 'alice', 0)).toBe(STAKE);
    expect(hotkeyStake(s, 'bob', 0)).toBe(STAKE);
    s.hotkeys.get('bob')!.childkeyTake = new Map([[1, 65535]]);
    const r = drain(s, sn, PENDING / 2n, PENDING / 2n)!;
    expect(r.alphaDividendsPerSubnet.get('alice') ?? 0n).toBe(0n);
    absDiffEq(r.alphaDividendsPerSubnet.get('bob') ?? 0n, PENDING, 1n);
  });

  it('test_get_root_children_drain_half_proportion: Bob a half child (u64::MAX / 2), no take → each earns half (< 10)', () => {
    const { s, sn } = rootChildren(U64_MAX / 2n, 0);
    const r = drain(s, sn, PENDING / 2n, PENDING / 2n)!;
    close(r.alphaDividendsPerSubnet.get('alice') ?? 0n, PENDING / 2n, 10n);
    close(r.alphaDividendsPerSubnet.get('bob') ?? 0n, PENDING / 2n, 10n);
  });

  it('test_get_root_children_drain_with_take: Bob a full child with take 100 % → Alice 0, Bob 1e9 (< 10)', () => {
    const { s, sn } = rootChildren(U64_MAX, 65535, { ckBurnZero: false, coldkeys: ['0', '1'] });
    const r = drain(s, sn, PENDING / 2n, PENDING / 2n)!;
    close(r.alphaDividendsPerSubnet.get('alice') ?? 0n, 0n, 10n);
    close(r.alphaDividendsPerSubnet.get('bob') ?? 0n, PENDING, 10n);
  });

  it('test_get_root_children_drain_with_half_take: Bob a full child with take 50 % → Alice 1e9/4, Bob 3e9/4 (< 10 000)', () => {
    const { s, sn } = rootChildren(U64_MAX, Math.floor(65535 / 2));
    const r = drain(s, sn, PENDING / 2n, PENDING / 2n)!;
    close(r.alphaDividendsPerSubnet.get('alice') ?? 0n, PENDING / 4n, 10_000n);
    close(r.alphaDividendsPerSubnet.get('bob') ?? 0n, 3n * (PENDING / 4n), 10_000n);
  });
});

describe('tests/coinbase.rs: run_coinbase on the mock networks', () => {
  it('test_coinbase_basecase: a zero emission block on an empty chain completes and moves nothing', () => {
    const s = mockExt();
    const before = JSON.stringify(mockChain(s).toJSON());
    coinbase(s, 0n);
    expect(JSON.stringify(mockChain(s).toJSON())).toBe(before);
  });

  it('test_coinbase_tao_issuance_base: 1 234 567 rao all injected into the one dynamic subnet; TotalIssuance and TotalStake grow by it', () => {
    const s = mockExt();
    const sn = addDynamicNetwork(s, '1002', '1001');
    sn.subnetEmissionEnabled = true;
    sn.subnetMovingPrice = fromInt(I96F32, 1n);
    fullInjectionRootStake(s);
    const issuance = s.totalIssuance;
    const taoIn = sn.subnetTao;
    const totalStake = s.totalStake;
    coinbase(s, 1_234_567n);
    expect(sn.subnetTao).toBe(taoIn + 1_234_567n);
    expect(s.totalIssuance).toBe(issuance + 1_234_567n);
    expect(s.totalStake).toBe(totalStake + 1_234_567n);
  });

  it('test_coinbase_tao_issuance_different_prices: moving prices 0.1 / 0.2 split 1e8 one third / two thirds (±10); issuance and TotalStake 1e8 (±10)', () => {
    const s = mockExt();
    const emission = 100_000_000n;
    s.totalIssuance += emission;
    s.balancesTotalIssuance += emission;
    const a = addNetwork(s, 1, 1, { mechanism: 1, subnetTao: 100_000n, subnetAlphaIn: 1_000_000n, subnetMovingPrice: fromF64(I96F32, 0.1) });
    const b = addNetwork(s, 2, 1, { mechanism: 1, subnetTao: 100_000n, subnetAlphaIn: 500_000n, subnetMovingPrice: fromF64(I96F32, 0.2) });
    fullInjectionRootStake(s);
    expect(a.subnetTao).toBe(100_000n);
    expect(b.subnetTao).toBe(100_000n);
    runCoinbase(s, emission, engine);
    absDiffEq(a.subnetTao, 100_000n + emission / 3n, 10n);
    absDiffEq(b.subnetTao, 100_000n + (2n * emission) / 3n, 10n);
    absDiffEq(s.totalIssuance, emission, 10n);
    absDiffEq(s.totalStake, emission, 10n);
  });

  it('test_coinbase_disabled_subnet_emission_redistributes_tao_to_enabled_subnets: subnet 2 off → 1 and 3 get half each (±2), 2 none but still alpha out; issuance and stake grow by the emission (±2)', () => {
    const s = mockExt();
    const emission = 3_333_333n;
    const sns = [1, 2, 3].map((n) => addNetwork(s, n, 1));
    sns[1].subnetEmissionEnabled = false;
    const shares = subnetShares(s, [1, 2, 3]);
    // get_subnet_block_emissions: U64F64(emission) × share, as U96F32
    const emissions = new Map([...shares].map(([n, sh]) => [n, convert(U64F64, U96F32, mulSat(U64F64, fromInt(U64F64, emission), sh))]));
    absDiffEq(BigInt(Math.round(toF64(U96F32, emissions.get(1)!))), emission / 2n, 2n);
    absDiffEq(BigInt(Math.round(toF64(U96F32, emissions.get(2)!))), 0n, 1n);
    absDiffEq(BigInt(Math.round(toF64(U96F32, emissions.get(3)!))), emission / 2n, 2n);
    const terms = subnetTerms(s, emissions);
    expect(terms.get(2)!.alphaIn).toBe(0n);
    expect(terms.get(2)!.excessTao).toBe(0n);
    expect(terms.get(2)!.alphaOut).toBeGreaterThan(0n);
    const issuance = s.totalIssuance;
    const stake = s.totalStake;
    coinbase(s, emission);
    absDiffEq(sns[0].subnetTao, emission / 2n, 2n);
    expect(sns[1].subnetTao).toBe(0n);
    absDiffEq(sns[2].subnetTao, emission / 2n, 2n);
    absDiffEq(s.totalIssuance, issuance + emission, 2n);
    absDiffEq(s.totalStake, stake + emission, 2n);
  });

  it('test_zero_shares_zero_emission: two subnets with moving price 0 get no alpha injected (reserves stay 1e6)', () => {
    const s = mockExt();
    const a = addDynamicNetwork(s, '1', '0');
    const b = addDynamicNetwork(s, '1', '0');
    s.totalIssuance += 1_000_000n;
    s.balancesTotalIssuance += 1_000_000n;
    for (const sn of [a, b]) {
      sn.subnetTao = 1_000_000n;
      sn.subnetAlphaIn = 1_000_000n;
      sn.subnetMovingPrice = 0n;
    }
    runCoinbase(s, 1_000_000n, engine);
    expect(a.subnetAlphaIn).toBe(1_000_000n);
    expect(b.subnetAlphaIn).toBe(1_000_000n);
  });

  it('test_distribute_emission_no_miners_all_drained: a lone registered neuron with stake 1 takes all of 1e6 (±1) at TaoWeight 0', () => {
    const s = mockExt();
    const chain = mockChain(s);
    const sn = addDynamicNetwork(s, '1', '2');
    sn.registration!.burn = 0n;
    registerOkNeuron(chain, sn.netuid, '3', '4');
    stakeToColdkey(s, '3', '4', sn.netuid, 1n);
    expect(totalStakeForHotkey(s, '3')).toBe(1n);
    s.taoWeight = 0n;
    drain(s, sn, 500_000n, 500_000n);
    absDiffEq(totalStakeForHotkey(s, '3'), 1_000_001n, 1n);
  });
});

/** `get_total_stake_for_hotkey`: Σ over subnets of its alpha × the subnet's price, U64F64, floored. */
function totalStakeForHotkey(s: ChainState, hotkey: string): bigint {
  let sum = 0n;
  for (const sn of s.subnets.values()) if (sn.added) sum += mulSat(U64F64, fromInt(U64F64, hotkeyStake(s, hotkey, sn.netuid)), currentPrice(sn));
  return toIntSat(U64F64, sum, 0n, U64_MAX);
}

describe('tests/coinbase.rs: issuance, owner cut and pending pots on the mock networks', () => {
  it('test_coinbase_alpha_issuance_with_cap_trigger_and_block_emission: alpha out at 21M, price 1e-6 → excess TAO buys alpha (protocol alpha > 0, alpha in falls, alpha out = 21e15 + protocol alpha, prices rise)', () => {
    const s = mockExt();
    const emission = 1_000_000n;
    s.totalIssuance += emission;
    s.balancesTotalIssuance += emission;
    const sns = [1, 2].map((n, i) =>
      addNetwork(s, n, 1, { mechanism: 1, subnetTao: 10_000n, subnetAlphaIn: 1_000_000_000n, firstEmissionBlockNumber: 0n, subnetMovingPrice: fromInt(I96F32, BigInt(i + 1)) }),
    );
    const before = sns.map((sn) => currentPrice(sn));
    for (const sn of sns) sn.subnetAlphaOut = 21_000_000_000_000_000n;
    runCoinbase(s, emission, engine);
    expect(sns[0].subnetProtocolAlpha > 0n || sns[1].subnetProtocolAlpha > 0n).toBe(true);
    expect(sns[0].subnetAlphaIn).toBeLessThan(1_000_000_000n);
    expect(sns[1].subnetAlphaOut).toBe(21_000_000_000_000_000n + sns[1].subnetProtocolAlpha);
    expect(sns[1].subnetAlphaIn).toBeLessThan(1_000_000_000n);
    expect(currentPrice(sns[0])).toBeGreaterThan(before[0]);
    expect(currentPrice(sns[1])).toBeGreaterThan(before[1]);
  });

  it('test_owner_cut_base: owner cut 0 → PendingOwnerCut 0; owner cut 100 % → 1e9 (one block of alpha)', () => {
    const s = mockExt();
    const sn = addNetwork(s, 1, 1, { subnetTao: 1_000_000_000_000n, subnetAlphaIn: 1_000_000_000_000n });
    sn.tempo = 10000;
    s.subnetOwnerCut = 0;
    coinbase(s, 0n);
    expect(sn.pendingOwnerCut).toBe(0n);
    s.subnetOwnerCut = 65535;
    coinbase(s, 0n);
    expect(sn.pendingOwnerCut).toBe(1_000_000_000n);
  });

  it('test_pending_emission: root sell on (moving price 2): server pot 5e8, validator 5e8 − 1.25e8, root 1.25e8 (±1)', () => {
    const s = mockExt();
    const sn = addDynamicNetwork(s, '1', '2');
    sn.tempo = 1;
    sn.firstEmissionBlockNumber = 0n;
    sn.subnetTao = 1_000_000n;
    sn.subnetAlphaIn = 1n;
    sn.lastEpochBlock = 0n;
    s.block = 10n;
    coinbase(s, 0n);
    s.subnets.get(0)!.subnetTao = 1_000_000_000n;
    s.block = 12n;
    coinbase(s, 0n);
    sn.tempo = 10000;
    s.taoWeight = U64_MAX;
    sn.subnetMovingPrice = fromInt(I96F32, 2n);
    const r = runCoinbase(s, 0n, engine);
    expect(r.rootSellFlag).toBe(true);
    absDiffEq(sn.pendingServerEmission, 500_000_000n, 1n);
    absDiffEq(sn.pendingValidatorEmission, 500_000_000n - 125_000_000n, 1n);
    absDiffEq(sn.pendingRootAlphaDivs, 125_000_000n, 1n);
  });

  it('test_coinbase_subnets_with_no_reg_get_no_emission: both subnets emit while registration is allowed; closing it on the first leaves only the second', () => {
    const s = mockExt();
    const a = addDynamicNetwork(s, '1', '2');
    const b = addDynamicNetwork(s, '3', '4');
    for (const sn of [a, b]) {
      sn.subtokenEnabled = true;
      sn.firstEmissionBlockNumber = 0n;
      sn.networkRegistrationAllowed = true;
    }
    expect(subnetsToEmitTo(s, [a.netuid, b.netuid])).toEqual([a.netuid, b.netuid]);
    a.networkRegistrationAllowed = false;
    expect(subnetsToEmitTo(s, [a.netuid, b.netuid])).toEqual([b.netuid]);
  });
});

describe('tests/coinbase.rs: SubnetEmissionEnabled toggles', () => {
  it('test_sudo_set_subnet_emission_enabled_multiple_subnets_multiple_toggles: 1e6 each; 2 off → 1.5e6 / 0 / 1.5e6 (stale values cleared); 1 off, 2 on → 0 / 1.5e6 / 1.5e6; all on → 1e6 each (±2); alpha in zero exactly where TAO in is, alpha out always > 0', () => {
    const s = mockExt();
    const emission = 3_000_000n;
    const sns = [1, 2, 3].map((n) => addNetwork(s, n, 1));
    fullInjectionRootStake(s);
    const expectEmission = (e: [bigint, bigint, bigint]): void => {
      sns.forEach((sn, i) => {
        absDiffEq(sn.subnetTaoInEmission, e[i], 2n);
        expect(sn.subnetAlphaInEmission === 0n).toBe(e[i] === 0n);
        expect(sn.subnetAlphaOutEmission).toBeGreaterThan(0n);
      });
    };
    coinbase(s, emission);
    expectEmission([1_000_000n, 1_000_000n, 1_000_000n]);
    sns[1].subnetTaoInEmission = 123n;
    sns[1].subnetAlphaInEmission = 123n;
    sns[1].subnetExcessTao = 123n;
    sns[1].subnetEmissionEnabled = false;
    coinbase(s, emission);
    expectEmission([1_500_000n, 0n, 1_500_000n]);
    expect(sns[1].subnetExcessTao).toBe(0n);
    sns[0].subnetTaoInEmission = 456n;
    sns[0].subnetAlphaInEmission = 456n;
    sns[0].subnetExcessTao = 456n;
    sns[0].subnetEmissionEnabled = false;
    sns[1].subnetEmissionEnabled = true;
    coinbase(s, emission);
    expectEmission([0n, 1_500_000n, 1_500_000n]);
    expect(sns[0].subnetExcessTao).toBe(0n);
    for (const sn of sns) sn.subnetEmissionEnabled = true;
    coinbase(s, emission);
    expectEmission([1_000_000n, 1_000_000n, 1_000_000n]);
  });
});

describe('tests/coinbase.rs: emit_to_subnets (through run_coinbase: the one subnet takes all 12 345 678 rao; moving price 0.5 or 2 sets the root-sell flag the test passes)', () => {
  for (const rootSell of [false, true]) {
    it(`test_coinbase_emit_to_subnets_with${rootSell ? '' : '_no'}_root_sell: owner cut ≈ 10 % of the alpha emission, server (alpha − cut)/2, validator that minus root alpha${rootSell ? '' : ' (root pot 0)'} (±200)`, () => {
      const s = mockExt();
      const sn = addDynamicNetwork(s, '1', '2');
      s.subnetOwnerCut = Math.floor(65535 / 10);
      sn.subnetTao = 1_000_000_000_000_000n;
      sn.subnetAlphaIn = 1_000_000_000_000_000n;
      sn.subnetEmissionEnabled = true;
      sn.subnetMovingPrice = fromF64(I96F32, rootSell ? 2 : 0.5);
      const taoEmission = fromInt(U96F32, 12_345_678n);
      const alphaEmission = fromInt(U96F32, blockEmissionForIssuance(sn.subnetAlphaIn + sn.subnetAlphaOut, TOTAL_SUPPLY, RAO) ?? 0n);
      const price = convert(U64F64, U96F32, currentPrice(sn));
      expect(divChecked(U96F32, taoEmission, price)! <= alphaEmission).toBe(true);
      s.totalIssuance += 12_345_678n;
      s.balancesTotalIssuance += 12_345_678n;
      const r = runCoinbase(s, 12_345_678n, engine);
      expect(r.rootSellFlag).toBe(rootSell);
      expect(r.subnets.get(sn.netuid)!.terms!.taoEmission).toBe(taoEmission);
      const ownerCut = mulSat(U96F32, divChecked(U96F32, fromInt(U96F32, BigInt(s.subnetOwnerCut)), fromInt(U96F32, 65535n))!, alphaEmission);
      const alphaIssuance = fromInt(U96F32, sn.subnetAlphaIn + sn.subnetAlphaOut);
      const taoWeight = mulSat(U96F32, fromInt(U96F32, s.subnets.get(0)!.subnetTao), taoWeightOf(s));
      const rootProp = divChecked(U96F32, taoWeight, satAdd(U96F32, taoWeight, alphaIssuance)) ?? 0n;
      const rootDivs = toIntSat(U96F32, mulSat(U96F32, rootProp, alphaEmission), 0n, U64_MAX);
      const half = divChecked(U96F32, satSub(U96F32, alphaEmission, ownerCut), fromInt(U96F32, 2n))!;
      absDiffEq(sn.pendingOwnerCut, toIntSat(U96F32, ownerCut, 0n, U64_MAX), 200n);
      if (rootSell) absDiffEq(sn.pendingRootAlphaDivs, rootDivs, 200n);
      else expect(sn.pendingRootAlphaDivs).toBe(0n);
      absDiffEq(sn.pendingServerEmission, toIntSat(U96F32, half, 0n, U64_MAX), 200n);
      absDiffEq(sn.pendingValidatorEmission, toIntSat(U96F32, satSub(U96F32, half, fromInt(U96F32, rootDivs)), 0n, U64_MAX), 200n);
    });
  }
});

describe('tests/coinbase.rs: whole blocks on the mock networks (step_block / run_to_block are Chain.step)', () => {
  it('test_root_prop_filled_on_block_step: RootProp of two dynamic subnets is unset before the block and > 0 after it', () => {
    const s = mockExt();
    const chain = mockChain(s);
    const a = addDynamicNetwork(s, '10', '11');
    const b = addDynamicNetwork(s, '10', '11');
    s.subnets.get(0)!.subnetTao = 1_000_000_000_000n;
    s.taoWeight = U64_MAX;
    for (const sn of [a, b]) {
      sn.subnetTao = 50_000_000_000n;
      sn.subnetAlphaIn = 100_000_000_000n;
      expect(sn.rootProp).toBe(0n);
    }
    chain.run(1);
    expect(a.rootProp).toBeGreaterThan(0n);
    expect(b.rootProp).toBeGreaterThan(0n);
  });

  it('test_pending_emission_start_call_not_done: without FirstEmissionBlockNumber the pots stay 0 through 18 blocks, root sell on', () => {
    const s = mockExt();
    const chain = mockChain(s);
    const root = s.subnets.get(0)!;
    root.added = true;
    root.subtokenEnabled = true;
    const sn = addDynamicNetwork(s, '10', '11');
    sn.firstEmissionBlockNumber = null;
    sn.tempo = 10;
    registerOkNeuron(chain, sn.netuid, '2', '1');
    chain.run(10);
    s.subnetOwnerCut = Math.floor(65535 / 10);
    sn.registration!.maxAllowedUids = 3;
    sn.epochParams.maxAllowedValidators = 2;
    chain.addStake({ coldkey: '1', hotkey: '2', netuid: 0, tao: 200_000_000_000n });
    s.taoWeight = U64_MAX / 10n;
    sn.subnetTao = 10_000_000_000n;
    sn.subnetAlphaIn = 1_000_000_000n;
    sn.subnetMovingPrice = fromInt(I96F32, 2n);
    expect(movingAlphaPrice(sn)).toBeGreaterThan(fromInt(U64F64, 1n)); // get_network_root_sell_flag
    expect(sn.firstEmissionBlockNumber).toBeNull();
    chain.run(8);
    expect(sn.pendingServerEmission).toBe(0n);
    expect(sn.pendingValidatorEmission).toBe(0n);
    expect(sn.pendingRootAlphaDivs).toBe(0n);
  });

  it('test_disabling_owner_cut_sends_subnet_emission_to_miners_and_validators: with the owner cut off, a tempo pays the validator and the miner, not the owner, and PendingOwnerCut stays 0', () => {
    const s = mockExt();
    const chain = mockChain(s);
    const sn = addDynamicNetwork(s, '1002', '1001');
    sn.lastEpochBlock = s.block;
    sn.tempo = 10;
    const stake = 100_000_000_000n;
    sn.subnetTao = stake * 10_000n;
    sn.subnetAlphaIn = stake * 10_000n;
    registerOkNeuron(chain, sn.netuid, '2', '1');
    registerOkNeuron(chain, sn.netuid, '6', '5');
    chain.addStake({ coldkey: '1', hotkey: '2', netuid: sn.netuid, tao: stake });
    sn.epochParams.maxAllowedValidators = 1;
    chain.run(10);
    s.subnetOwnerCut = Math.floor(65535 / 10);
    sn.ownerCutEnabled = false;
    const [owner, validator, miner] = ['1002', '2', '6'].map((h) => sn.neurons.uidOf(h)!);
    const permits = Array.from({ length: Math.max(owner, validator, miner) + 1 }, (_, uid) => uid === validator);
    yumaStorage(sn, [[validator, [[miner, 0xffff]]]], permits);
    const before = [stakeOf(s, '1002', '1001', sn.netuid), stakeOf(s, '2', '1', sn.netuid), stakeOf(s, '6', '5', sn.netuid)];
    chain.run(10);
    expect(stakeOf(s, '1002', '1001', sn.netuid)).toBe(before[0]);
    expect(stakeOf(s, '2', '1', sn.netuid)).toBeGreaterThan(before[1]);
    expect(stakeOf(s, '6', '5', sn.netuid)).toBeGreaterThan(before[2]);
    expect(sn.pendingOwnerCut).toBe(0n);
  });
});

/** mock `run_to_block_no_epoch(netuid, n)`: tempo u16::MAX − 1 while stepping to block n, then restored. */
function runToBlockNoEpoch(chain: Chain, sn: ChainSubnet, n: bigint): void {
  const tempo = sn.tempo;
  sn.tempo = 65534;
  while (chain.state.block < n) chain.step();
  sn.tempo = tempo;
}
const sum16 = (a: Uint16Array): number => a.reduce((x, y) => x + y, 0);

describe('tests/coinbase.rs: epochs run by hand, then a drain or a coinbase', () => {
  it('test_distribute_emission_zero_emission: after weights and an epoch, a zero drain leaves the validator stake as it was and the epoch still sets incentive and dividends', () => {
    const s = mockExt();
    const chain = mockChain(s);
    const sn = addDynamicNetwork(s, '1', '2');
    sn.epochParams.commitRevealWeightsEnabled = false;
    sn.tempo = 2;
    registerOkNeuron(chain, sn.netuid, '3', '4');
    registerOkNeuron(chain, sn.netuid, '5', '6');
    stakeToColdkey(s, '3', '4', sn.netuid, 100_000_000_000_000n);
    expect(totalStakeForHotkey(s, '3')).toBe(100_000_000_000_000n);
    s.taoWeight = 0n;
    runToBlockNoEpoch(chain, sn, 50n);
    drain(s, sn, 0n, 0n); // SubtensorModule::epoch(netuid, 0)
    chain.setWeights({ hotkey: '3', netuid: sn.netuid, uids: [0, 1, 2], values: [0, 0, 1] });
    runToBlockNoEpoch(chain, sn, 50n);
    sn.neurons.mechanism(0).incentive.fill(0);
    sn.neurons.dividends.fill(0);
    const before = totalStakeForHotkey(s, '3');
    drain(s, sn, 0n, 0n);
    expect(totalStakeForHotkey(s, '3')).toBe(before);
    expect(sum16(sn.neurons.mechanism(0).incentive)).toBeGreaterThan(0);
    expect(sum16(sn.neurons.dividends)).toBeGreaterThan(0);
  });
});

describe('tests/coinbase.rs: run_coinbase before start_call', () => {
  /**
   * add_network_without_emission_block(1, tempo 2) (no FirstEmissionBlockNumber, subtoken off), owner 8 / 7,
   * validator 3 (1e14 stake) weighting miner 5, the owner registered too; an epoch by hand, weights, incentive and
   * dividends cleared, three blocks without epochs, then a coinbase of 1e8 whose epoch is due.
   */
  function notStarted() {
    const s = mockExt();
    const chain = mockChain(s);
    const sn = addNetwork(s, 1, 2, { firstEmissionBlockNumber: null, subtokenEnabled: false });
    sn.epochParams.commitRevealWeightsEnabled = false;
    expect(sn.firstEmissionBlockNumber).toBeNull();
    sn.subnetOwner = '8';
    sn.subnetOwnerHotkey = '7';
    const initStake = 100_000_000_000_000n;
    sn.subnetTao = initStake * 1000n;
    sn.subnetAlphaIn = initStake * 1000n;
    registerOkNeuron(chain, 1, '3', '4');
    registerOkNeuron(chain, 1, '5', '6');
    registerOkNeuron(chain, 1, '7', '8');
    stakeToColdkey(s, '3', '4', 1, initStake);
    expect(totalStakeForHotkey(s, '3')).toBe(initStake);
    s.taoWeight = 0n;
    runToBlockNoEpoch(chain, sn, 30n);
    drain(s, sn, 0n, 0n); // SubtensorModule::epoch(netuid, 0)
    chain.setWeights({ hotkey: '3', netuid: 1, uids: [0, 1, 2], values: [0, 0, 1] });
    sn.neurons.mechanism(0).incentive.fill(0);
    sn.neurons.dividends.fill(0);
    for (let i = 0; i < 3; i++) runToBlockNoEpoch(chain, sn, s.block + 1n);
    expect(shouldRunEpoch(sn, s.block)).toBe(true);
    coinbase(s, 100_000_000n);
    expect(sn.blocksSinceLastStep).toBe(0n);
    return { s, sn, initStake };
  }

  it('test_run_coinbase_not_started: the due epoch runs (BlocksSinceLastStep 0) but pays nothing (stake still 1e14); incentive and dividends are set', () => {
    const { s, sn, initStake } = notStarted();
    expect(totalStakeForHotkey(s, '3')).toBe(initStake);
    expect(sum16(sn.neurons.mechanism(0).incentive)).toBeGreaterThan(0);
    expect(sum16(sn.neurons.dividends)).toBeGreaterThan(0);
  });
});

/**
 * `distribute_dividends_and_incentives(netuid, owner_cut 0, incentives, {}, {})`: the model runs it inside
 * `distribute_emission`, so these ports drain a server pot of Σ incentives through an engine whose epoch pays the
 * hand-made incentives as server emission (validators none) — the same maps reach the same payout code.
 */
function distributeIncentives(s: ChainState, sn: ChainSubnet, incentives: Map<string, bigint>) {
  const handMade: EpochEngineLike = {
    epoch: ((input: never, hyper: never, opts: never) => {
      const out = engine.epoch(input, hyper, opts);
      const server = sn.neurons.hotkeys().map((h) => incentives.get(h) ?? 0n);
      return { ...out, serverEmission: server, validatorEmission: server.map(() => 0n) };
    }) as EpochEngineLike['epoch'],
  };
  const total = [...incentives.values()].reduce((a, b) => a + b, 0n);
  return distributeEmission(s, sn, handMade, total, 0n, 0n, 0n);
}

describe('tests/coinbase.rs: incentives of owner hotkeys and auto-stake destinations (distribute_dividends_and_incentives)', () => {
  it('test_incentive_to_subnet_owner_is_burned: the 1e7 of the owner hotkey is burned (stake 0), that of the other hotkey is staked (> 0)', () => {
    const s = mockExt();
    s.hotkeys.set('3', { owner: '2' });
    const sn = addDynamicNetwork(s, '1', '0');
    sn.neurons.append('3', s.block);
    expect(hotkeyStake(s, '1', sn.netuid)).toBe(0n);
    expect(hotkeyStake(s, '3', sn.netuid)).toBe(0n);
    distributeIncentives(s, sn, new Map([['3', 10_000_000n], ['1', 10_000_000n]]));
    expect(hotkeyStake(s, '1', sn.netuid)).toBe(0n);
    expect(hotkeyStake(s, '3', sn.netuid)).toBeGreaterThan(0n);
  });

  it('test_incentive_to_subnet_owners_hotkey_is_burned: another hotkey of the owner coldkey (ImmuneOwnerUidsLimit 2) is burned too: both stay 0', () => {
    const s = mockExt();
    s.hotkeys.set('3', { owner: '0' });
    s.ownedHotkeys.set('0', ['1', '3']);
    const sn = addDynamicNetwork(s, '1', '0');
    sn.neurons.append('3', s.block);
    sn.registration!.immuneOwnerUidsLimit = 2;
    distributeIncentives(s, sn, new Map([['3', 10_000_000n], ['1', 10_000_000n]]));
    expect(hotkeyStake(s, '1', sn.netuid)).toBe(0n);
    expect(hotkeyStake(s, '3', sn.netuid)).toBe(0n);
  });

  it('test_burn_key_sorting: the owner hotkey and its three other hotkeys (registered at blocks 2, 1, 1 as UIDs 1, 3, 2) are all burned: every stake 0', () => {
    const s = mockExt();
    for (const h of ['3', '4', '5']) s.hotkeys.set(h, { owner: '0' });
    s.ownedHotkeys.set('0', ['1', '3', '4', '5']);
    const sn = addDynamicNetwork(s, '1', '0');
    // UIDs 1 (hk 3, block 2), 2 (hk 5, block 1), 3 (hk 4, block 1)
    sn.neurons.append('3', 2n);
    sn.neurons.append('5', 1n);
    sn.neurons.append('4', 1n);
    distributeIncentives(s, sn, new Map([['3', 10_000_000n], ['4', 10_000_000n], ['5', 10_000_000n], ['1', 10_000_000n]]));
    for (const h of ['1', '3', '4', '5']) expect(hotkeyStake(s, h, sn.netuid)).toBe(0n);
  });

  it('test_incentive_is_autostaked_to_owner_destination: the 1e7 of the miner lands on the auto-stake hotkey of its coldkey (miner 0, destination 1e7)', () => {
    const s = mockExt();
    s.hotkeys.set('11', { owner: '10' });
    s.hotkeys.set('12', { owner: '10' });
    s.ownedHotkeys.set('10', ['11', '12']);
    const sn = addDynamicNetwork(s, '1', '0');
    sn.neurons.append('11', s.block);
    sn.neurons.append('12', s.block);
    s.autoStakeDestination.set(`10/${sn.netuid}`, '12'); // set_coldkey_auto_stake_hotkey(10, netuid, 12)
    expect(hotkeyStake(s, '11', sn.netuid)).toBe(0n);
    expect(hotkeyStake(s, '12', sn.netuid)).toBe(0n);
    distributeIncentives(s, sn, new Map([['11', 10_000_000n]]));
    expect(hotkeyStake(s, '11', sn.netuid)).toBe(0n);
    expect(hotkeyStake(s, '12', sn.netuid)).toBe(10_000_000n);
  });

  it('test_incentive_goes_to_hotkey_when_no_autostake_destination: without a destination the miner hotkey gets its 5e6', () => {
    const s = mockExt();
    s.hotkeys.set('21', { owner: '20' });
    s.ownedHotkeys.set('20', ['21']);
    const sn = addDynamicNetwork(s, '1', '0');
    sn.neurons.append('21', s.block);
    expect(hotkeyStake(s, '21', sn.netuid)).toBe(0n);
    distributeIncentives(s, sn, new Map([['21', 5_000_000n]]));
    expect(hotkeyStake(s, '21', sn.netuid)).toBe(5_000_000n);
  });
});

describe('tests/coinbase.rs: miner emission over whole tempos (step_block is Chain.step)', () => {
  /** The shared start: validators 2 (ck 1) and 4 (ck 3) with 1e11 staked each, miner 6 (ck 5); weights 0 → 1 → 2. */
  function miningSetup(rootSell: boolean) {
    const s = mockExt();
    const chain = mockChain(s);
    const tempo = 10;
    const stake = 100_000_000_000n;
    s.taoWeight = 0n;
    const root = s.subnets.get(0)!;
    root.subtokenEnabled = true;
    root.added = true;
    let sn: ChainSubnet;
    if (rootSell) {
      sn = addDynamicNetwork(s, '10', '11');
      sn.tempo = 2;
      sn.firstEmissionBlockNumber = 0n;
    } else {
      sn = addNetwork(s, 1, tempo);
      sn.mechanism = 1;
    }
    sn.subnetTao = 1_000_000_000_000_000n;
    sn.subnetAlphaIn = 1_000_000_000_000_000n;
    registerOkNeuron(chain, sn.netuid, '2', '1');
    registerOkNeuron(chain, sn.netuid, '4', '3');
    registerOkNeuron(chain, sn.netuid, '6', '5');
    chain.run(tempo);
    s.subnetOwnerCut = Math.floor(65535 / 10);
    sn.registration!.maxAllowedUids = 3;
    sn.epochParams.maxAllowedValidators = 2;
    chain.addStake({ coldkey: '1', hotkey: '2', netuid: sn.netuid, tao: stake });
    chain.addStake({ coldkey: '3', hotkey: '4', netuid: sn.netuid, tao: stake });
    // storage written by UID, as the test does: on the dynamic subnet UID 0 is the owner hotkey, so the rows then
    // belong to the owner (0 → 1) and the validator (1 → 2) and nobody weights the miner (UID 3)
    yumaStorage(sn, [[0, [[1, 0xffff]]], [1, [[2, 0xffff]]]], [true, true, false]);
    chain.run(tempo);
    chain.addStake({ coldkey: '1', hotkey: '2', netuid: 0, tao: 200_000_000_000n });
    s.taoWeight = U64_MAX / 10n;
    return { s, chain, sn, tempo, minerUid: sn.neurons.uidOf('6')! };
  }
  const minerStake = (s: ChainState, sn: ChainSubnet): bigint => stakeOf(s, '6', '5', sn.netuid);
  /** U96F32(incentive) / 65535 × per-block emission × blocks × share, floored. */
  const expectedMinerEmission = (incentive: number, perBlock: bigint, blocks: bigint, share: number): bigint => {
    const ratio = divChecked(U96F32, fromInt(U96F32, BigInt(incentive)), fromInt(U96F32, 65535n))!;
    return toIntSat(U96F32, mulSat(U96F32, mulSat(U96F32, mulSat(U96F32, ratio, fromInt(U96F32, perBlock)), fromInt(U96F32, blocks)), fromF64(U96F32, share)), 0n, U64_MAX);
  };
  const blockEmissionOf = (sn: ChainSubnet): bigint => blockEmissionForIssuance(sn.subnetAlphaIn + sn.subnetAlphaOut, TOTAL_SUPPLY, RAO) ?? 0n;

  it('test_mining_emission_distribution_with_no_root_sell: no root alpha (0, unchanged); server pot after 9 blocks = emission·9·0.5·0.9 (±1e5); Σ incentive 65535 (±10); the miner earns incentive/65535·emission·10·0.45 (±1e6)', () => {
    const { s, chain, sn, tempo, minerUid } = miningSetup(false);
    sn.subnetAlphaIn = 1_000_000_000_000_000_000n;
    expect(movingAlphaPrice(sn) > fromInt(U64F64, 1n)).toBe(false);
    chain.run(tempo);
    const oldRoot = sn.pendingRootAlphaDivs;
    const perBlock = blockEmissionOf(sn);
    chain.run(1);
    expect(sn.pendingRootAlphaDivs).toBe(oldRoot);
    expect(sn.pendingRootAlphaDivs).toBe(0n);
    chain.run(1);
    const target = sn.subnetEpochIndex + 1n; // step_epochs(1)
    while (sn.subnetEpochIndex < target) chain.step();
    const before = minerStake(s, sn);
    chain.run(tempo - 1);
    const server = toIntSat(U96F32, mulSat(U96F32, mulSat(U96F32, mulSat(U96F32, fromInt(U96F32, perBlock), fromInt(U96F32, BigInt(tempo - 1))), fromF64(U96F32, 0.5)), fromF64(U96F32, 0.9)), 0n, U64_MAX);
    absDiffEq(sn.pendingServerEmission, server, 100_000n);
    chain.run(1);
    expect(sn.blocksSinceLastStep).toBe(0n);
    const incentive = sn.neurons.mechanism(0).incentive[minerUid];
    absDiffEq(BigInt(sum16(sn.neurons.mechanism(0).incentive)), 65535n, 10n);
    absDiffEq(minerStake(s, sn) - before, expectedMinerEmission(incentive, perBlock, BigInt(tempo), 0.45), 1_000_000n);
  });

  it('test_mining_emission_distribution_with_root_sell: root alpha accrues (> 0, changing) with moving price 2; over the next tempo the miner earns incentive/65535·emission·10·0.45 (±1e6)', () => {
    const { s, chain, sn, tempo, minerUid } = miningSetup(true);
    sn.subnetAlphaIn = 100_000_000_000_000n;
    sn.subnetMovingPrice = fromInt(I96F32, 2n);
    expect(movingAlphaPrice(sn) > fromInt(U64F64, 1n)).toBe(true);
    chain.run(tempo);
    sn.lastEpochBlock = s.block;
    const oldRoot = sn.pendingRootAlphaDivs;
    const before = minerStake(s, sn);
    chain.run(1);
    expect(sn.pendingRootAlphaDivs).not.toBe(oldRoot);
    expect(sn.pendingRootAlphaDivs).toBeGreaterThan(0n);
    chain.run(tempo - 1);
    const incentive = sn.neurons.mechanism(0).incentive[minerUid];
    const perBlock = blockEmissionOf(sn);
    absDiffEq(minerStake(s, sn) - before, expectedMinerEmission(incentive, perBlock, BigInt(tempo), 0.45), 1_000_000n);
  });
});

it('every chain test test/helpers/chain-test-ports.ts lists for this file titles one of its tests, under its tests/<file>.rs describe', ({ task }) => {
  expect(unportedIn(titlesUnder(task.file), 'chain-coinbase-networks.test.ts')).toEqual([]);
});
