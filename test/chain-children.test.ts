/**
 * Ports of `pallets/subtensor/src/tests/children.rs` (subtensor 14bc6f9f) that check what parent/child links do
 * to stake and dividends, with the tests' literal numbers and tolerances, run on `src/chain/`: inherited stake
 * (`get_inherited_for_hotkey_on_subnet`) and the dividend split (`get_parent_child_dividends_distribution`).
 * `mock_set_children_no_epochs` is `ChildKeys[parent][netuid]` + `ParentKeys[child][netuid]` (test/helpers/chain-mock.ts).
 */
import { describe, expect, it } from 'vitest';
import { inheritedStake, parentChildDividends, stakeToColdkey } from '../src/chain/block.js';
import { type ChainState, newChainState, newSubnet } from '../src/chain/index.js';
import { setChildren } from './helpers/chain-mock.js';

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

  it('same-coldkey parents pay no childkey take (test_dividend_distribution_with_children_same_coldkey_owner rule): B keeps only its own share', () => {
    const s = mock();
    stakeToColdkey(s, '1', '100', 1, 300_000n);
    stakeToColdkey(s, '2', '100', 1, 100_000n);
    for (const h of ['1', '2']) s.hotkeys.set(h, { owner: '100', childkeyTake: new Map([[1, 7281]]) });
    setChildren(s, 1, '1', [[U64_MAX / 2n, '2']]);
    const b = parentChildDividends(s, s.subnets.get(1)!, '2', 1_000_000n);
    // contributions: B 100 000, A 150 000 → A gets 0.6, B 0.4, no take between one owner's keys
    expect(Number(b[0][1])).toBeCloseTo(600_000, -1);
    expect(Number(b[1][1])).toBeCloseTo(400_000, -1);
  });
});
