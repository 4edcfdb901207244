/**
 * Ports of `pallets/subtensor/src/tests/children.rs` (subtensor 14bc6f9f) that check what parent/child links do
 * to stake and dividends, with the tests' literal numbers and tolerances, run on `src/chain/`: inherited stake
 * (`get_inherited_for_hotkey_on_subnet`) and the dividend split (`get_parent_child_dividends_distribution`).
 * `mock_set_children_no_epochs` is `ChildKeys[parent][netuid]` + `ParentKeys[child][netuid]` (test/helpers/chain-mock.ts).
 */
import { describe, expect, it } from 'vitest';
import { distributeEmission, inheritedStake, parentChildDividends, runCoinbase } from '../src/chain/block.js';
import { hotkeyStake, stakeToColdkey, swapTaoForAlpha } from '../src/chain/swap.js';
import { MAX_PRICE_RAO, currentPrice } from '../src/dtao/balancer.js';
import { RAO, TOTAL_SUPPLY } from '../src/units.js';
import { poolValueOf } from '../src/chain/safe-float.js';
import { Chain, type ChainState, newChainState, newSubnet } from '../src/chain/index.js';
import { I96F32, U64F64, blockEmissionForIssuance, fromF64, fromInt, mulSat, toF64, toIntSat } from '../src/fixed/substrate-fixed.js';
import { addDynamicNetwork, addNetwork, engine, mockChain, mockExt, mockSetChildren, registerOkNeuron, setChildren, yumaStorage } from './helpers/chain-mock.js';
import { titlesUnder, unportedIn } from './helpers/chain-test-ports.js';

const U64_MAX = (1n << 64n) - 1n;

function mock(): ChainState {
  const s = newChainState({ block: 1n, taoWeight: 0n, subnetOwnerCut: 0, maxEpochsPerBlock: 32, swapMinimumReserve: 100n });
  for (const n of [1, 2]) s.subnets.set(n, newSubnet(n, { subnetTao: 1_000_000_000_000n, subnetAlphaIn: 1_000_000_000_000n }));
  return s;
}

/** The tests' `close(value, target, eps)`: |value − target| < eps. */
const close = (value: bigint, target: bigint, eps: bigint): void => {
  const d = value > target ? value - target : target - value;
  expect(d < eps, `${value} vs ${target} (< ${eps})`).toBe(true);
};
/** `assert_abs_diff_eq!(a, b, epsilon)`: |a − b| ≤ epsilon. */
const absDiff = (a: bigint, b: bigint, eps: bigint): void => {
  const d = a > b ? a - b : b - a;
  expect(d <= eps, `${a} vs ${b} (≤ ${eps})`).toBe(true);
};
const alpha = (s: ChainState, h: string, n = 1): bigint => inheritedStake(s, h, n, n);

describe('tests/children.rs: inherited stake', () => {
  it('test_get_stake_for_hotkey_on_subnet_basic: 1000', () => {
    const s = mock();
    stakeToColdkey(s, '1', '2', 1, 1000n);
    expect(alpha(s, '1')).toBe(1000n);
  });

  it('test_get_stake_for_hotkey_on_subnet_multiple_coldkeys: 1000 + 2000 = 3000', () => {
    const s = mock();
    stakeToColdkey(s, '1', '2', 1, 1000n);
    stakeToColdkey(s, '1', '3', 1, 2000n);
    expect(alpha(s, '1')).toBe(3000n);
  });

  it('test_get_stake_for_hotkey_on_subnet_single_parent_child: all of 1e9 to the child, 0 left to the parent', () => {
    const s = mock();
    stakeToColdkey(s, '1', '3', 1, 1_000_000_000n);
    setChildren(s, 1, '1', [[U64_MAX, '2']]);
    expect(alpha(s, '1')).toBe(0n);
    expect(alpha(s, '2')).toBe(1_000_000_000n);
  });

  it('test_get_stake_for_hotkey_on_subnet_multiple_parents_single_child: 500, 1000 and 1499 (< 10)', () => {
    const s = mock();
    stakeToColdkey(s, '1', '4', 1, 1000n);
    stakeToColdkey(s, '2', '4', 1, 2000n);
    setChildren(s, 1, '1', [[U64_MAX / 2n, '3']]);
    setChildren(s, 1, '2', [[U64_MAX / 2n, '3']]);
    close(alpha(s, '1'), 500n, 10n);
    close(alpha(s, '2'), 1000n, 10n);
    close(alpha(s, '3'), 1499n, 10n);
  });

  it('test_get_stake_for_hotkey_on_subnet_single_parent_multiple_children: thirds of 3000, total kept (< 10)', () => {
    const s = mock();
    stakeToColdkey(s, '1', '4', 1, 3000n);
    setChildren(s, 1, '1', [[U64_MAX / 3n, '2'], [U64_MAX / 3n, '3']]);
    const [p, c1, c2] = [alpha(s, '1'), alpha(s, '2'), alpha(s, '3')];
    close(p + c1 + c2, 3000n, 10n);
    close(p, 1000n, 10n);
    close(c1, 1000n, 10n);
    close(c2, 1000n, 10n);
  });

  it('test_get_stake_for_hotkey_on_subnet_edge_cases: proportions 0 and u64::MAX move all 6e14 to the second child', () => {
    const s = mock();
    const max = 600_000_000_000_000n;
    stakeToColdkey(s, '1', '4', 1, max);
    setChildren(s, 1, '1', [[0n, '2'], [U64_MAX, '3']]);
    expect(alpha(s, '1')).toBe(0n);
    expect(alpha(s, '2')).toBe(0n);
    expect(alpha(s, '3')).toBe(max);
  });

  it('test_get_stake_for_hotkey_on_subnet_multiple_networks: 1000 on netuid 1, 0 on netuid 2', () => {
    const s = mock();
    stakeToColdkey(s, '1', '2', 1, 1000n);
    close(alpha(s, '1', 1), 1000n, 10n);
    close(alpha(s, '1', 2), 0n, 10n);
  });
});

describe('tests/children.rs: dividends through parents', () => {
  it('test_dividend_distribution_with_children (get_parent_child_dividends_distribution part): A keeps 1e6; B and C split with a 1/9 childkey take (±1000)', () => {
    const s = mock();
    // stakes in the test's ratio 300 000 : 100 000 : 50 000 (bought from a 1e15/1e15 pool, so 1:1 to 1e-9)
    stakeToColdkey(s, '1', '100', 1, 300_000n);
    stakeToColdkey(s, '2', '101', 1, 100_000n);
    stakeToColdkey(s, '3', '102', 1, 50_000n);
    for (const [h, c] of [['1', '100'], ['2', '101'], ['3', '102']]) s.hotkeys.set(h, { owner: c });
    setChildren(s, 1, '1', [[U64_MAX / 2n, '2']]);
    setChildren(s, 1, '2', [[U64_MAX / 2n, '3']]);
    const take = Math.floor((1 / 9) * 65535);
    for (const h of ['2', '3']) s.hotkeys.get(h)!.childkeyTake = new Map([[1, take]]);
    const sn = s.subnets.get(1)!;
    const E = 1_000_000;
    const eps = E / 1000;
    const a = parentChildDividends(s, sn, '1', BigInt(E));
    expect(a).toEqual([['1', BigInt(E)]]);
    const [ra, rb, rc] = [300_000 / 450_000, 100_000 / 450_000, 50_000 / 450_000];
    const chk = 1 / 9;
    const b = parentChildDividends(s, sn, '2', BigInt(E));
    expect(b.map(([h]) => h)).toEqual(['1', '2']);
    const totalB = rb / 2 + ra / 2;
    const expectedBB = Math.floor(((rb / 2) / totalB) * E + ((ra / 2) / totalB) * E * chk);
    expect(Math.abs(Number(b[1][1]) - expectedBB)).toBeLessThanOrEqual(eps);
    expect(Math.abs(Number(b[0][1]) - (E - expectedBB))).toBeLessThanOrEqual(eps);
    expect(Math.abs(Number(b[0][1] + b[1][1]) - E)).toBeLessThanOrEqual(eps);
    const c = parentChildDividends(s, sn, '3', BigInt(E));
    expect(c.map(([h]) => h)).toEqual(['2', '3']);
    const totalC = rc + rb / 2;
    const expectedCC = Math.floor((rc / totalC) * E + ((rb / 2) / totalC) * E * chk);
    expect(Math.abs(Number(c[1][1]) - expectedCC)).toBeLessThanOrEqual(eps);
    expect(Math.abs(Number(c[0][1]) - (E - expectedCC))).toBeLessThanOrEqual(eps);
    expect(Math.abs(Number(c[0][1] + c[1][1]) - E)).toBeLessThanOrEqual(eps);
  });
});

describe('tests/children.rs: inherited stake on the mock networks', () => {
  it('test_get_stake_for_hotkey_on_subnet: a full child after mock_set_children inherits all 4000 (parent 0)', () => {
    const s = mockExt();
    const chain = mockChain(s);
    addNetwork(s, 1, 1);
    registerOkNeuron(chain, 1, '1', '3');
    registerOkNeuron(chain, 1, '2', '4');
    mockSetChildren(chain, 1, '1', [[U64_MAX, '2']]);
    for (const [h, c] of [['1', '3'], ['1', '4'], ['2', '3'], ['2', '4']]) stakeToColdkey(s, h, c, 1, 1000n);
    expect(alpha(s, '1')).toBe(0n);
    expect(alpha(s, '2')).toBe(4000n);
    expect(alpha(s, '1') + alpha(s, '2')).toBe(4000n);
  });

  it('test_children_stake_values: three quarter-children of 1e14 → 25 000 000 069 849 kept, 24 999 999 976 716 each, 99 999 999 999 997 in all', () => {
    const s = mockExt();
    const chain = mockChain(s);
    const sn = addDynamicNetwork(s, '1002', '1001');
    for (const h of ['2', '3', '4', '5']) registerOkNeuron(chain, sn.netuid, h, '1');
    stakeToColdkey(s, '2', '1', sn.netuid, 100_000_000_000_000n);
    setChildren(s, sn.netuid, '2', [[U64_MAX / 4n, '3'], [U64_MAX / 4n, '4'], [U64_MAX / 4n, '5']]);
    const inh = (h: string): bigint => inheritedStake(s, h, sn.netuid, sn.netuid);
    expect(inh('2')).toBe(25_000_000_069_849n);
    for (const h of ['3', '4', '5']) expect(inh(h)).toBe(24_999_999_976_716n);
    expect(inh('5') + inh('4') + inh('3') + inh('2')).toBe(99_999_999_999_997n);
  });

  it('test_get_stake_for_hotkey_on_subnet_complex_hierarchy: two half-children of 1000 hold 499 each (< 10), the parent 0; a grandchild of child 1 gets 0 (< 10); links as set', () => {
    const s = mockExt();
    const chain = mockChain(s);
    const sn = addDynamicNetwork(s, '1002', '1001');
    const n = sn.netuid;
    for (const [h, c] of [['1', '5'], ['2', '6'], ['3', '7'], ['4', '8']]) registerOkNeuron(chain, n, h, c);
    stakeToColdkey(s, '1', '5', n, 1000n);
    const inh = (h: string): bigint => inheritedStake(s, h, n, n);
    setChildren(s, n, '1', [[U64_MAX / 2n, '2'], [U64_MAX / 2n, '3']]);
    expect(inh('1')).toBe(0n);
    close(inh('2'), 499n, 10n);
    close(inh('3'), 499n, 10n);
    setChildren(s, n, '2', [[U64_MAX, '4']]);
    close(inh('1'), 0n, 10n);
    close(inh('2'), 499n, 10n);
    close(inh('3'), 499n, 10n);
    close(inh('4'), 0n, 10n);
    close(inh('1') + inh('2') + inh('3') + inh('4'), 1000n, 10n);
    const links = (m: Map<string, Array<{ proportion: bigint; key: string }>>, h: string) => (m.get(`${h}/${n}`) ?? []).map((l) => [l.proportion, l.key]);
    expect(links(s.childKeys, '1')).toEqual([[U64_MAX / 2n, '2'], [U64_MAX / 2n, '3']]);
    expect(links(s.parentKeys, '2')).toEqual([[U64_MAX / 2n, '1']]);
    expect(links(s.parentKeys, '3')).toEqual([[U64_MAX / 2n, '1']]);
    expect(links(s.childKeys, '2')).toEqual([[U64_MAX, '4']]);
    expect(links(s.parentKeys, '4')).toEqual([[U64_MAX, '2']]);
  });
});

/**
 * `SubtensorModule::epoch(netuid, emission)` alone (no payout): the epoch of `distribute_emission` run on a copy
 * of the chain, its (hotkey, incentive, dividend) list in hotkey order.
 */
function epochOnly(chain: Chain, netuid: number, emission: bigint): Array<[string, bigint, bigint]> {
  const copy = Chain.fromJSON(chain.toJSON(), { engine });
  return distributeEmission(copy.state, copy.state.subnets.get(netuid)!, engine, 0n, emission, 0n, 0n).hotkeyEmission;
}

describe('tests/children.rs: epochs with parents and children (mock_set_children steps its cooldown: 7200 blocks and an epoch)', () => {
  /** add_network(1, 1), CKBurn 0, owner cut 0, reserves 1e12 / 1e12, and stakes bought 1:1 in the given TAO ratio. */
  function staked(keys: Array<[string, string, number]>) {
    const s = mockExt();
    const chain = mockChain(s);
    const sn = addNetwork(s, 1, 1);
    s.ckBurn = 0n;
    s.subnetOwnerCut = 0;
    for (const [h, c] of keys) registerOkNeuron(chain, 1, h, c);
    sn.subnetTao = 1_000_000_000_000n;
    sn.subnetAlphaIn = 1_000_000_000_000n;
    const totalTao = keys.reduce((a, [, , t]) => a + t, 0);
    const totalAlpha = totalTao; // swap_tao_to_alpha on the stable mechanism: 1:1, no fee
    for (const [h, c, t] of keys) stakeToColdkey(s, h, c, 1, toIntSat(I96F32, (fromInt(I96F32, BigInt(totalAlpha)) * fromInt(I96F32, BigInt(t))) / fromInt(I96F32, BigInt(totalTao)), 0n, U64_MAX));
    const rel = keys.map(([h]) => Number(hotkeyStake(s, h, 1)) / totalAlpha);
    keys.forEach(([, , t], i) => expect(Math.abs(rel[i] - t / totalTao)).toBeLessThanOrEqual(0.00001));
    return { s, chain, rel };
  }
  const take19 = Math.floor((1 / 9) * 65535);

  it('test_parent_child_chain_epoch: A → B → C half-children, take 1/9: validator emission shares 1/3, 4/9 and 2/9 (±1e-4)', () => {
    const { s, chain } = staked([['1', '100', 300_000], ['2', '101', 100_000], ['3', '102', 50_000]]);
    mockSetChildren(chain, 1, '1', [[U64_MAX / 2n, '2']]);
    mockSetChildren(chain, 1, '2', [[U64_MAX / 2n, '3']]);
    for (const h of ['2', '3']) s.hotkeys.get(h)!.childkeyTake = new Map([[1, take19]]);
    s.taoWeight = 0n;
    const em = epochOnly(chain, 1, 1_000_000n);
    const total = em.reduce((a, [, , d]) => a + Number(d), 0);
    expect(Math.abs(Number(em[0][2]) / total - (2 / 3) * (1 / 2))).toBeLessThanOrEqual(1e-4);
    expect(Math.abs(Number(em[1][2]) / total - ((2 / 9) * (1 / 2) + (2 / 3) * (1 / 2)))).toBeLessThanOrEqual(1e-4);
    expect(Math.abs(Number(em[2][2]) / total - (1 / 9 + (1 / 2) * (2 / 9)))).toBeLessThanOrEqual(1e-4);
  });

  it('test_dividend_distribution_with_children_same_coldkey_owner: one coldkey, A half-parent of B: shares 3/8 and 5/8 (±1e-4); A keeps its 1e6; B splits by contribution with no take between one owner (±1000)', () => {
    const { s, chain, rel } = staked([['1', '100', 300_000], ['2', '100', 100_000]]);
    mockSetChildren(chain, 1, '1', [[U64_MAX / 2n, '2']]);
    s.hotkeys.get('2')!.childkeyTake = new Map([[1, take19]]);
    s.taoWeight = 0n;
    const E = 1_000_000n;
    const em = epochOnly(chain, 1, E);
    const total = em.reduce((a, [, , d]) => a + Number(d), 0);
    expect(Math.abs(Number(em[0][2]) / total - (3 / 4) * (1 / 2))).toBeLessThanOrEqual(1e-4);
    expect(Math.abs(Number(em[1][2]) / total - (1 / 4 + (3 / 4) * (1 / 2)))).toBeLessThanOrEqual(1e-4);
    const sn = s.subnets.get(1)!;
    const a = parentChildDividends(s, sn, '1', E);
    expect(a).toEqual([['1', E]]);
    const eps = 1000;
    const b = parentChildDividends(s, sn, '2', E);
    expect(b.map(([h]) => h)).toEqual(['1', '2']);
    const [ra, rb] = rel;
    const totalB = rb + ra / 2;
    expect(Math.abs(Number(b[1][1]) - Math.trunc((rb / totalB) * Number(E)))).toBeLessThanOrEqual(eps);
    expect(Math.abs(Number(b[0][1]) - Math.trunc((ra / 2 / totalB) * Number(E)))).toBeLessThanOrEqual(eps);
    expect(Math.abs(Number(b[0][1] + b[1][1]) - Number(E))).toBeLessThanOrEqual(eps);
  });
});

describe('tests/children.rs: a coinbase block through a parent/child chain', () => {
  it('test_parent_child_chain_emission: A → B → C half-children, take 1/9, one block of emission: A, B, C gain 2/3·(1 − ½·1/9), 2/9·(1 − ½·1/9) + 2/3·½·1/9 and 1/9 + 2/9·½·1/9 of it (±1e-4), in all the block emission (±0.1 %)', () => {
    const s = mockExt();
    const chain = mockChain(s);
    const sn = addDynamicNetwork(s, '1002', '1001');
    s.ckBurn = 0n;
    sn.tempo = 1;
    sn.subnetTao = 1_000_000_000_000_000n;
    sn.subnetAlphaIn = 1_000_000_000_000_000n;
    s.subnetOwnerCut = 0;
    const keys: Array<[string, string, bigint]> = [['1', '100', 300_000_000_000n], ['2', '101', 100_000_000_000n], ['3', '102', 50_000_000_000n]];
    for (const [h, c] of keys) registerOkNeuron(chain, sn.netuid, h, c);
    const totalTao = keys.reduce((a, [, , t]) => a + t, 0n);
    const bought = swapTaoForAlpha(s, sn, totalTao, MAX_PRICE_RAO, false);
    if (typeof bought === 'string') throw new Error(bought);
    const totalAlpha = fromInt(I96F32, bought.amountPaidOut);
    for (const [h, c, t] of keys) stakeToColdkey(s, h, c, sn.netuid, toIntSat(I96F32, (totalAlpha * fromInt(I96F32, t)) / fromInt(I96F32, totalTao), 0n, U64_MAX));
    setChildren(s, sn.netuid, '1', [[U64_MAX / 2n, '2']]);
    setChildren(s, sn.netuid, '2', [[U64_MAX / 2n, '3']]);
    const worth = (h: string): bigint => toIntSat(U64F64, mulSat(U64F64, fromInt(U64F64, hotkeyStake(s, h, sn.netuid)), currentPrice(sn)), 0n, U64_MAX);
    const old = keys.map(([h]) => worth(h));
    const chk = toF64(I96F32, fromF64(I96F32, 1 / 9));
    const take = Number(toIntSat(I96F32, mulSat(I96F32, fromF64(I96F32, 1 / 9), fromInt(I96F32, 65535n)), 0n, 65535n));
    for (const h of ['2', '3']) s.hotkeys.get(h)!.childkeyTake = new Map([[sn.netuid, take]]);
    s.taoWeight = 0n;
    const emission = blockEmissionForIssuance(s.totalIssuance, TOTAL_SUPPLY, RAO) ?? 0n; // get_block_emission
    sn.pendingValidatorEmission = 0n;
    sn.pendingServerEmission = 0n;
    s.block = 2n;
    s.totalIssuance += emission;
    s.balancesTotalIssuance += emission;
    runCoinbase(s, emission, engine);
    const inc = keys.map(([h], i) => Number(worth(h) - old[i]));
    const total = inc.reduce((a, b) => a + b, 0);
    const expected = [(2 / 3) * (1 - 0.5 * chk), (2 / 9) * (1 - 0.5 * chk) + (2 / 3) * (0.5 * chk), 1 / 9 + (2 / 9) * 0.5 * chk];
    expected.forEach((e, i) => expect(Math.abs(inc[i] / total - e)).toBeLessThanOrEqual(1e-4));
    expect(Math.abs(total - Number(emission))).toBeLessThanOrEqual(Number(emission) / 1000);
  });
});

describe('tests/children.rs: childkey take over a tempo', () => {
  for (const parentTake of [0, Math.floor(65535 / 5)]) {
    it(`test_childkey_take_drain (parent take ${parentTake}): a half-child with take 20 % earns nothing of its own; the parent coldkey 9/20 and the child's nominator 11/20 of the tempo's emission (±10)`, () => {
      const s = mockExt();
      const chain = mockChain(s);
      const sn = addNetwork(s, 1, 10);
      s.ckBurn = 0n;
      const stake = 100_000_000_000n;
      sn.subnetTao = stake * 10_000n;
      sn.subnetAlphaIn = stake * 10_000n;
      registerOkNeuron(chain, 1, '4', '2'); // child, UID 0
      registerOkNeuron(chain, 1, '3', '1'); // parent, UID 1
      registerOkNeuron(chain, 1, '6', '5'); // miner, UID 2
      sn.epochParams.maxAllowedValidators = 2;
      chain.run(10);
      s.subnetOwnerCut = 0;
      setChildren(s, 1, '3', [[U64_MAX / 2n, '4']]);
      s.hotkeys.get('4')!.childkeyTake = new Map([[1, Math.floor(0xffff / 5)]]); // set_childkey_take at the max
      s.hotkeys.get('3')!.delegateTake = parentTake;
      s.hotkeys.get('4')!.delegateTake = 0;
      chain.addStake({ coldkey: '1', hotkey: '3', netuid: 1, tao: stake });
      chain.addStake({ coldkey: '7', hotkey: '4', netuid: 1, tao: stake });
      yumaStorage(sn, [[0, [[2, 0xffff]]], [1, [[2, 0xffff]]]], [true, true, false]);
      const coldkeyStake = (ck: string): bigint => [...s.stakePools.values()].reduce((a, p) => a + (p.shares.has(ck) ? poolValueOf(p, ck) : 0n), 0n);
      const before = ['2', '1', '7'].map(coldkeyStake);
      chain.run(10);
      const [child, parent, nominator] = ['2', '1', '7'].map((ck, i) => coldkeyStake(ck) - before[i]);
      const total = child + parent + nominator;
      expect(total).toBeGreaterThan(0n); // the tempo did pay out
      absDiff(child, 0n, 10n);
      absDiff(parent, (total * 9n) / 20n, 10n);
      absDiff(nominator, (total * 11n) / 20n, 10n);
    });
  }
});

it('every chain test test/helpers/chain-test-ports.ts lists for this file titles one of its tests, under its tests/<file>.rs describe', ({ task }) => {
  expect(unportedIn(titlesUnder(task.file), 'chain-children.test.ts')).toEqual([]);
});
