/**
 * Ports of `pallets/subtensor/src/tests/claim_root.rs` (subtensor 14bc6f9f) on `src/chain/`: root-alpha dividends
 * accrue as `RootClaimable`, `claim_root` pays them by claim type (Keep / Swap / KeepSubnets), root stake added or
 * removed moves the `RootClaimed` watermarks. Each test keeps its literal numbers and tolerance. Which tests are
 * ported and why the others are not: README, "The chain's block".
 *
 * The mock runtime and `add_dynamic_network` are test/helpers/chain-mock.ts;
 * `mock_increase_stake_for_hotkey_and_coldkey_on_subnet` is a bare stake credit (no RootClaimed adjustment), as in
 * the mock.
 */
import { describe, expect, it } from 'vitest';
import { distributeEmission, movingAlphaPrice, runCoinbase } from '../src/chain/block.js';
import { stakeToColdkey } from '../src/chain/swap.js';
import { Chain, type ChainState, type ChainSubnet, ChainRefused } from '../src/chain/index.js';
import { currentPrice } from '../src/dtao/balancer.js';
import { DEFAULT_ROOT_CLAIM_THRESHOLD, blockHashToIndices, rootOwed } from '../src/chain/root-claims.js';
import { poolValueOf } from '../src/chain/safe-float.js';
import { I96F32, U64F64, fromInt, mulSat, toF64, toIntSat } from '../src/fixed/substrate-fixed.js';
import { YumaError } from '../src/errors.js';
import { keccak256 } from './helpers/keccak.js';
import { U64_MAX, addDynamicNetwork, engine, mockChain, mockExt } from './helpers/chain-mock.js';
import { titlesUnder, unportedIn } from './helpers/chain-test-ports.js';

const TAKE = 0.18;

const stakeOf = (s: ChainState, hotkey: string, coldkey: string, netuid: number): bigint => {
  const p = s.stakePools.get(`${hotkey}/${netuid}`);
  return p && p.shares.has(coldkey) ? poolValueOf(p, coldkey) : 0n;
};
const claimableBits = (s: ChainState, hotkey: string, netuid: number): bigint => {
  const v = s.rootClaimable.get(`${hotkey}/${netuid}`);
  if (v === undefined) throw new Error('claimable must exist at this point');
  return v;
};
const claimed = (s: ChainState, hotkey: string, coldkey: string, netuid: number): bigint => s.rootClaimed.get(`${hotkey}/${netuid}`)?.get(coldkey) ?? 0n;
/** `(I96F32::from(stake) * claimable).saturating_to_num::<u64>()`. */
const rateTimes = (stake: bigint, rate: bigint): bigint => toIntSat(I96F32, mulSat(I96F32, fromInt(I96F32, stake), rate), 0n, U64_MAX);
const near = (actual: bigint | number, target: bigint | number, eps: number): void => {
  const d = Number(actual) - Number(target);
  expect(Math.abs(d), `${actual} vs ${target} (ε ${eps})`).toBeLessThanOrEqual(eps);
};
const drainRoot = (s: ChainState, sn: ChainSubnet, pendingRoot: bigint) => distributeEmission(s, sn, engine, 0n, 0n, pendingRoot, 0n);

/** One root staker: 1003 stakes 2e6 on root through the validator 1002, whose owner 1001 holds 1e7 alpha on the subnet. */
function oneRootStaker(): { s: ChainState; c: Chain; sn: ChainSubnet } {
  const s = mockExt();
  const c = new Chain(s);
  const sn = addDynamicNetwork(s, '1002', '1001');
  s.taoWeight = U64_MAX;
  stakeToColdkey(s, '1002', '1003', 0, 2_000_000n);
  stakeToColdkey(s, '1002', '1001', sn.netuid, 10_000_000n);
  expect(stakeOf(s, '1002', '1001', sn.netuid)).toBe(10_000_000n);
  return { s, c, sn };
}

/** The swap tests' pool: 5e10 TAO / 1e11 alpha on a dynamic subnet, price 0.5. */
function swapSetup(): { s: ChainState; c: Chain; sn: ChainSubnet; price: number } {
  const s = mockExt();
  const c = new Chain(s);
  const sn = addDynamicNetwork(s, '1002', '1001');
  s.taoWeight = U64_MAX;
  sn.mechanism = 1;
  sn.subnetTao = 50_000_000_000n;
  sn.subnetAlphaIn = 100_000_000_000n;
  const price = toF64(U64F64, currentPrice(sn));
  expect(price).toBe(0.5);
  stakeToColdkey(s, '1002', '1003', 0, 2_000_000n);
  stakeToColdkey(s, '1002', '10010', 0, 9n * 2_000_000n);
  stakeToColdkey(s, '1002', '1001', sn.netuid, 10_000_000n);
  return { s, c, sn, price };
}

describe('tests/claim_root.rs: root dividends, claims and the claimed watermark', () => {
  it('test_claim_root_set_claim_type: Keep is stored for the coldkey', () => {
    const c = new Chain(mockExt());
    c.setRootClaimType({ coldkey: '1', type: 'Keep' });
    expect(c.state.rootClaimType.get('1')).toBe('Keep');
  });

  it('test_claim_root_default_mode_keep: a coldkey that never chose claims by Swap (the enum default)', () => {
    const c = new Chain(mockExt());
    expect(c.state.rootClaimType.get('1003') ?? 'Swap').toBe('Swap');
    // what claimRoot reads for a coldkey without a type: after a drain, a claim swaps (root stake grows)
    expect(c.state.rootClaimType.has('1003')).toBe(false);
  });

  it('test_claim_root_with_drain_emissions: owner stake 1e7 + 18 % of 1e6 (±100); rate 1e6·0.82/2e6 (±0.001); Keep claims rate·2e6 (±10) = RootClaimed; twice', () => {
    const { s, c, sn } = oneRootStaker();
    const rootStake = 2_000_000n;

    const pending = 1_000_000n;
    drainRoot(s, sn, pending);
    near(stakeOf(s, '1002', '1001', sn.netuid), Math.trunc(Number(pending) * TAKE + 10_000_000), 100);
    const claimable = claimableBits(s, '1002', sn.netuid);
    const rate = (Number(pending) * (1 - TAKE)) / Number(rootStake);
    near(toF64(I96F32, claimable), rate, 0.001);

    c.setRootClaimType({ coldkey: '1003', type: 'Keep' });
    expect(s.rootClaimType.get('1003')).toBe('Keep');
    c.claimRoot({ coldkey: '1003', subnets: [sn.netuid] });
    const newStake = stakeOf(s, '1002', '1003', sn.netuid);
    near(newStake, rateTimes(rootStake, claimable), 10);
    expect(claimed(s, '1002', '1003', sn.netuid)).toBe(newStake);

    drainRoot(s, sn, pending);
    const claimable2 = claimableBits(s, '1002', sn.netuid);
    near(toF64(I96F32, claimable2), rate + toF64(I96F32, claimable), 0.001);
    c.claimRoot({ coldkey: '1003', subnets: [sn.netuid] });
    const newStake2 = stakeOf(s, '1002', '1003', sn.netuid);
    near(newStake2, rateTimes(rootStake, claimable2), 10);
    expect(claimed(s, '1002', '1003', sn.netuid)).toBe(newStake2);
  });

  /**
   * Both tests' storage: alice (1003) and bob (1004) stake root on the validator 1002 beside a third coldkey, choose
   * Keep, root dividends of 1e7 drain and both claim; their new alpha stakes.
   */
  function twoKeepStakers(aliceRoot: bigint, bobRoot: bigint, otherRoot: bigint): { alice: bigint; bob: bigint } {
    const s = mockExt();
    const c = new Chain(s);
    const sn = addDynamicNetwork(s, '1002', '1001');
    s.taoWeight = U64_MAX;
    stakeToColdkey(s, '1002', '1003', 0, aliceRoot);
    stakeToColdkey(s, '1002', '1004', 0, bobRoot);
    stakeToColdkey(s, '1002', '10010', 0, otherRoot);
    stakeToColdkey(s, '1002', '1001', sn.netuid, 10_000_000n);
    c.setRootClaimType({ coldkey: '1003', type: 'Keep' });
    c.setRootClaimType({ coldkey: '1004', type: 'Keep' });
    drainRoot(s, sn, 10_000_000n);
    c.claimRoot({ coldkey: '1003', subnets: [sn.netuid] });
    c.claimRoot({ coldkey: '1004', subnets: [sn.netuid] });
    return { alice: stakeOf(s, '1002', '1003', sn.netuid), bob: stakeOf(s, '1002', '1004', sn.netuid) };
  }

  it('test_claim_root_adding_stake_proportionally_for_two_stakers: alice = bob = 1e7·0.82·0.1 (±100)', () => {
    const { alice, bob } = twoKeepStakers(1_000_000n, 1_000_000n, 8_000_000n);
    expect(alice).toBe(bob);
    near(alice, Math.trunc(10_000_000 * (1 - TAKE) * 0.1), 100);
  });

  it('test_claim_root_adding_stake_disproportionally_for_two_stakers: 2·alice = bob, alice = 1e7·0.82·0.1 (±100)', () => {
    const { alice, bob } = twoKeepStakers(1_000_000n, 2_000_000n, 7_000_000n);
    expect(2n * alice).toBe(bob);
    near(alice, Math.trunc(10_000_000 * (1 - TAKE) * 0.1), 100);
  });

  it('test_claim_root_with_changed_stake: equal halves (±100), then bob unstakes half of his root (alice gains 2× bob, bob 1/3 ±100), then restakes it (equal again, 1/2 ±100)', () => {
    const s = mockExt();
    const c = new Chain(s);
    const sn = addDynamicNetwork(s, '1002', '1001');
    s.taoWeight = U64_MAX;
    const root = s.subnets.get(0)!;
    root.subtokenEnabled = true;
    root.added = true;
    const rootStake = 8_000_000n;
    stakeToColdkey(s, '1002', '1003', 0, rootStake);
    stakeToColdkey(s, '1002', '1004', 0, rootStake);
    stakeToColdkey(s, '1002', '1001', sn.netuid, 10_000_000n);
    c.setRootClaimType({ coldkey: '1003', type: 'Keep' });
    c.setRootClaimType({ coldkey: '1004', type: 'Keep' });
    const pending = 10_000_000n;
    const round = (): [bigint, bigint] => {
      drainRoot(s, sn, pending);
      c.claimRoot({ coldkey: '1003', subnets: [sn.netuid] });
      c.claimRoot({ coldkey: '1004', subnets: [sn.netuid] });
      return [stakeOf(s, '1002', '1003', sn.netuid), stakeOf(s, '1002', '1004', sn.netuid)];
    };
    const [alice, bob] = round();
    expect(alice).toBe(bob);
    near(alice, Math.trunc((Number(pending) * (1 - TAKE)) / 2), 100);

    c.removeStake({ coldkey: '1004', hotkey: '1002', netuid: 0, alpha: rootStake / 2n });
    const [alice2, bob2] = round();
    near(alice2 - alice, 2n * (bob2 - bob), 100);
    near(bob2 - bob, Math.trunc((Number(pending) * (1 - TAKE)) / 3), 100);

    c.addStake({ coldkey: '1004', hotkey: '1002', netuid: 0, tao: rootStake / 2n });
    const [alice3, bob3] = round();
    near(alice3 - alice2, bob3 - bob2, 100);
    near(bob3 - bob2, Math.trunc((Number(pending) * (1 - TAKE)) / 2), 100);
  });

  it('test_claim_root_with_drain_emissions_and_swap_claim_type: root stake grows by 1e7·0.82·0.5·(its share of root) each of three rounds (±10000)', () => {
    const { s, c, sn, price } = swapSetup();
    const rootStake = 2_000_000;
    const pending = 10_000_000;
    drainRoot(s, sn, BigInt(pending));
    c.setRootClaimType({ coldkey: '1003', type: 'Swap' });
    expect(s.rootClaimType.get('1003')).toBe('Swap');
    c.claimRoot({ coldkey: '1003', subnets: [sn.netuid] });
    const newStake = stakeOf(s, '1002', '1003', 0);
    const inc1 = pending * (1 - TAKE) * price * 0.1;
    near(newStake, rootStake + Math.trunc(inc1), 10000);

    drainRoot(s, sn, BigInt(pending));
    c.claimRoot({ coldkey: '1003', subnets: [sn.netuid] });
    const newStake2 = stakeOf(s, '1002', '1003', 0);
    const rate2 = (rootStake + inc1) / (rootStake / 0.1 + inc1);
    const inc2 = pending * (1 - TAKE) * price * rate2;
    near(newStake2, Number(newStake) + Math.trunc(inc2), 10000);

    drainRoot(s, sn, BigInt(pending));
    c.claimRoot({ coldkey: '1003', subnets: [sn.netuid] });
    const newStake3 = stakeOf(s, '1002', '1003', 0);
    const rate3 = (rootStake + inc1 + inc2) / (rootStake / 0.1 + inc1 + inc2);
    const inc3 = pending * (1 - TAKE) * price * rate3;
    near(newStake3, Number(newStake2) + Math.trunc(inc3), 10000);
  });

  it('test_claim_root_keep_subnets_swap_claim_type: keeping only subnet 100 swaps the claim on this one: root stake 2e6 + 1e7·0.82·0.5·0.1 (±10000)', () => {
    const { s, c, sn, price } = swapSetup();
    drainRoot(s, sn, 10_000_000n);
    c.setRootClaimType({ coldkey: '1003', type: { keepSubnets: [100] } });
    expect(s.rootClaimType.get('1003')).toEqual({ keepSubnets: [100] });
    c.claimRoot({ coldkey: '1003', subnets: [sn.netuid] });
    near(stakeOf(s, '1002', '1003', 0), 2_000_000 + Math.trunc(10_000_000 * (1 - TAKE) * price * 0.1), 10000);
  });

  it('test_claim_root_with_keep_subnets: an empty keepSubnets is InvalidSubnetNumber; keeping this subnet stakes rate·2e6 alpha (±10)', () => {
    const { s, c, sn } = oneRootStaker();
    drainRoot(s, sn, 1_000_000n);
    const claimable = claimableBits(s, '1002', sn.netuid);
    let err: unknown;
    try {
      c.setRootClaimType({ coldkey: '1003', type: { keepSubnets: [] } });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ChainRefused);
    expect((err as ChainRefused).chainError).toBe('InvalidSubnetNumber');
    c.setRootClaimType({ coldkey: '1003', type: { keepSubnets: [sn.netuid] } });
    expect(s.rootClaimType.get('1003')).toEqual({ keepSubnets: [sn.netuid] });
    c.claimRoot({ coldkey: '1003', subnets: [sn.netuid] });
    near(stakeOf(s, '1002', '1003', sn.netuid), rateTimes(2_000_000n, claimable), 10);
  });

  it('test_claim_root_with_unrelated_subnets: a claim on subnet 100 pays nothing; on the subnet it pays > 0 and RootClaimed equals the new stake', () => {
    const { s, c, sn } = oneRootStaker();
    drainRoot(s, sn, 1_000_000n);
    c.setRootClaimType({ coldkey: '1003', type: 'Keep' });
    c.claimRoot({ coldkey: '1003', subnets: [100] });
    expect(stakeOf(s, '1002', '1003', 100)).toBe(0n);
    expect(stakeOf(s, '1002', '1003', sn.netuid)).toBe(0n);
    c.claimRoot({ coldkey: '1003', subnets: [sn.netuid] });
    const newStake = stakeOf(s, '1002', '1003', sn.netuid);
    expect(newStake).toBeGreaterThan(0n);
    expect(claimed(s, '1002', '1003', sn.netuid)).toBe(newStake);
  });

  it('test_claim_root_subnet_limits: no subnets, or 11 of them, is InvalidSubnetNumber', () => {
    const c = new Chain(mockExt());
    for (const subnets of [[], Array.from({ length: 11 }, (_, i) => i)]) {
      let err: unknown;
      try {
        c.claimRoot({ coldkey: '1003', subnets });
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(ChainRefused);
      expect((err as ChainRefused).chainError).toBe('InvalidSubnetNumber');
    }
  });

  it('test_claim_root_threshold: the default is 500 000; 1000 and 2000 are stored as I96F32; MAX_ROOT_CLAIM_THRESHOLD + 1 is InvalidRootClaimThreshold', () => {
    const s = mockExt();
    const c = new Chain(s);
    const sn = addDynamicNetwork(s, '1002', '1001');
    expect(s.rootClaimableThreshold.get(sn.netuid) ?? DEFAULT_ROOT_CLAIM_THRESHOLD).toBe(fromInt(I96F32, 500_000n));
    c.setRootClaimThreshold({ netuid: sn.netuid, threshold: 1000n });
    expect(s.rootClaimableThreshold.get(sn.netuid)).toBe(fromInt(I96F32, 1000n));
    c.setRootClaimThreshold({ netuid: sn.netuid, threshold: 2000n });
    expect(s.rootClaimableThreshold.get(sn.netuid)).toBe(fromInt(I96F32, 2000n));
    let err: unknown;
    try {
      c.setRootClaimThreshold({ netuid: sn.netuid, threshold: 10_000_001n });
    } catch (e) {
      err = e;
    }
    expect((err as ChainRefused).chainError).toBe('InvalidRootClaimThreshold');
    expect(s.rootClaimableThreshold.get(sn.netuid)).toBe(fromInt(I96F32, 2000n));
  });

  it('test_claim_root_fill_root_alpha_dividends_per_subnet: RootAlphaDividendsPerSubnet is 1e7·0.82 (±100) after a drain and the same after the next (overwritten each epoch)', () => {
    const { s, sn } = swapSetup();
    const first = drainRoot(s, sn, 10_000_000n)!;
    const d1 = first.rootAlphaDividendsPerSubnet.get('1002')!;
    near(d1, Math.trunc(10_000_000 * (1 - TAKE)), 100);
    const second = drainRoot(s, sn, 10_000_000n)!;
    expect(second.rootAlphaDividendsPerSubnet.get('1002')).toBe(d1);
  });

  it('test_claim_root_with_run_coinbase: one coinbase block (tempo 1, moving price 2, price 10, threshold 0) makes root alpha claimable; a Keep claim then stakes > 0', () => {
    const s = mockExt();
    const c = new Chain(s);
    const sn = addDynamicNetwork(s, '1002', '1001');
    sn.tempo = 1;
    s.taoWeight = U64_MAX;
    const rootStake = 200_000_000n;
    s.subnets.get(0)!.subnetTao = rootStake;
    stakeToColdkey(s, '1002', '1003', 0, rootStake);
    stakeToColdkey(s, '1002', '1001', sn.netuid, 10_000_000n);
    sn.subnetMovingPrice = fromInt(I96F32, 2n);
    sn.subnetTao = 10_000_000_000_000n;
    sn.subnetAlphaIn = 1_000_000_000_000n;
    expect(toF64(U64F64, currentPrice(sn))).toBe(10);
    c.setRootClaimThreshold({ netuid: sn.netuid, threshold: 0n });
    expect(stakeOf(s, '1002', '1003', sn.netuid)).toBe(0n);
    s.block = 2n;
    s.totalIssuance += 1_000_000n;
    s.balancesTotalIssuance += 1_000_000n;
    runCoinbase(s, 1_000_000n, engine);
    expect(stakeOf(s, '1002', '1003', sn.netuid)).toBe(0n);
    c.setRootClaimType({ coldkey: '1003', type: 'Keep' });
    expect(rootOwed(s, '1002', '1003', sn.netuid)).toBeGreaterThan(0n);
    c.claimRoot({ coldkey: '1003', subnets: [sn.netuid] });
    expect(stakeOf(s, '1002', '1003', sn.netuid)).toBeGreaterThan(0n);
  });

  it('test_claim_root_coinbase_distribution: one block grows the alpha issuance by 1e9 to 2e9 and pends 1e9·rootProp·0.5 root alpha (±100); the epoch next block drains it into a rate of that ×2·0.82/2e8 (±0.001)', () => {
    const s = mockExt();
    const c = mockChain(s);
    const sn = addDynamicNetwork(s, '1002', '1001');
    sn.tempo = 2;
    sn.lastEpochBlock = s.block;
    s.taoWeight = U64_MAX;
    const rootStake = 200_000_000n;
    s.subnets.get(0)!.subnetTao = 200_000_000n;
    stakeToColdkey(s, '1002', '1003', 0, rootStake);
    stakeToColdkey(s, '1002', '1001', sn.netuid, 10_000_000n);
    sn.subnetMovingPrice = fromInt(I96F32, 2n);
    sn.subnetTao = 100_000_000_000n;
    sn.subnetAlphaIn = 100_000_000_000n;
    c.setRootClaimThreshold({ netuid: sn.netuid, threshold: 0n });
    const issuance0 = sn.subnetAlphaIn + sn.subnetAlphaOut;
    const alphaEmission = 1_000_000_000n;
    expect(movingAlphaPrice(sn)).toBeGreaterThan(fromInt(U64F64, 1n)); // get_network_root_sell_flag
    // (SubnetTaoFlow 2222 feeds only the flow-share rule, which the block does not use)
    c.run(1);
    const issuance = sn.subnetAlphaIn + sn.subnetAlphaOut;
    expect(issuance - issuance0).toBeGreaterThanOrEqual(alphaEmission);
    expect(issuance - issuance0).toBeLessThan(2n * alphaEmission);
    const rootProp = 200_000_000 / (Number(issuance) + 200_000_000);
    const expectedRoot = Number(alphaEmission) * rootProp * 0.5;
    near(sn.pendingRootAlphaDivs, expectedRoot, 100);
    c.run(1);
    expect(sn.pendingRootAlphaDivs).toBe(0n);
    near(toF64(I96F32, claimableBits(s, '1002', sn.netuid)), (expectedRoot * 2 * (1 - TAKE)) / Number(rootStake), 0.001);
  });

  it('test_claim_root_block_hash_indices: k = 0 gives none; keccak_256("some") and ("some2") give the precomputed 15 indices in [0, 15000)', () => {
    const hash = (text: string): Uint8Array => keccak256(new TextEncoder().encode(text));
    expect(blockHashToIndices(hash('zero'), 0n, 15000n)).toEqual([]);
    expect(blockHashToIndices(hash('some'), 15n, 15000n)).toEqual([265n, 630n, 1286n, 1558n, 4496n, 4861n, 5517n, 5789n, 6803n, 8096n, 9092n, 11034n, 11399n, 12055n, 12327n]);
    expect(blockHashToIndices(hash('some2'), 15n, 15000n)).toEqual([61n, 246n, 1440n, 2855n, 3521n, 5236n, 6130n, 6615n, 8511n, 9405n, 9890n, 11786n, 11971n, 13165n, 14580n]);
  });
});

describe('root claims refuse bad input and change nothing', () => {
  it('a claim whose swap the pool refuses is refused whole: the Keep claim before it on another subnet is undone, stakes, RootClaimed, pools and totals unchanged', () => {
    const { s, c, sn } = swapSetup();
    const other = addDynamicNetwork(s, '1002', '1001');
    stakeToColdkey(s, '1002', '1001', other.netuid, 10_000_000n);
    drainRoot(s, sn, 10_000_000n);
    drainRoot(s, other, 10_000_000n);
    c.setRootClaimType({ coldkey: '1003', type: { keepSubnets: [sn.netuid] } });
    other.subnetTao = 0n; // no TAO to pay for the alpha claimed on the second subnet
    const before = JSON.stringify(c.toJSON());
    expect(rootOwed(s, '1002', '1003', sn.netuid)).toBeGreaterThan(0n);
    expect(rootOwed(s, '1002', '1003', other.netuid)).toBeGreaterThan(0n);
    expect(() => c.claimRoot({ coldkey: '1003', subnets: [sn.netuid, other.netuid] })).toThrow(YumaError);
    expect(JSON.stringify(c.toJSON())).toBe(before);
    // the kept subnet alone still claims
    c.claimRoot({ coldkey: '1003', subnets: [sn.netuid] });
    expect(stakeOf(s, '1002', '1003', sn.netuid)).toBeGreaterThan(0n);
  });

  it('an amount owed below the subnet\'s claim threshold waits: the claim pays nothing and keeps it owed; under a lower threshold the same claim pays it all', () => {
    const { s, c, sn } = oneRootStaker();
    drainRoot(s, sn, 1_000_000n);
    c.setRootClaimType({ coldkey: '1003', type: 'Keep' });
    const owed = rootOwed(s, '1002', '1003', sn.netuid);
    expect(owed).toBeGreaterThan(DEFAULT_ROOT_CLAIM_THRESHOLD >> 32n); // ≈ 820 000: the default threshold (500 000, I96F32) would let it pay
    c.setRootClaimThreshold({ netuid: sn.netuid, threshold: owed + 1n });
    c.claimRoot({ coldkey: '1003', subnets: [sn.netuid] });
    expect([stakeOf(s, '1002', '1003', sn.netuid), claimed(s, '1002', '1003', sn.netuid), rootOwed(s, '1002', '1003', sn.netuid)]).toEqual([0n, 0n, owed]);
    c.setRootClaimThreshold({ netuid: sn.netuid, threshold: owed });
    c.claimRoot({ coldkey: '1003', subnets: [sn.netuid] });
    expect([stakeOf(s, '1002', '1003', sn.netuid), claimed(s, '1002', '1003', sn.netuid), rootOwed(s, '1002', '1003', sn.netuid)]).toEqual([owed, owed, 0n]);
  });

  it('claim_root takes up to 5 subnets (MAX_SUBNET_CLAIMS): five are claimed, six are InvalidSubnetNumber and change nothing', () => {
    const { s, c, sn } = oneRootStaker();
    drainRoot(s, sn, 1_000_000n);
    c.setRootClaimType({ coldkey: '1003', type: 'Keep' });
    const before = JSON.stringify(c.toJSON());
    let err: unknown;
    try {
      c.claimRoot({ coldkey: '1003', subnets: [sn.netuid, 100, 101, 102, 103, 104] });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ChainRefused);
    expect((err as ChainRefused).chainError).toBe('InvalidSubnetNumber');
    expect(JSON.stringify(c.toJSON())).toBe(before);
    c.claimRoot({ coldkey: '1003', subnets: [sn.netuid, 100, 101, 102, 103] });
    expect(stakeOf(s, '1002', '1003', sn.netuid)).toBeGreaterThan(0n);
  });

  it('claim state round-trips through JSON (RootClaimed, claim types, thresholds) and a bad one is refused on load: unknown subnet, negative amount, empty keepSubnets, unknown type', () => {
    const { s, c, sn } = swapSetup();
    drainRoot(s, sn, 10_000_000n);
    c.setRootClaimType({ coldkey: '1003', type: 'Keep' });
    c.setRootClaimType({ coldkey: '10010', type: { keepSubnets: [sn.netuid, 7] } });
    c.setRootClaimThreshold({ netuid: sn.netuid, threshold: 1234n });
    c.claimRoot({ coldkey: '1003', subnets: [sn.netuid] });
    const json = c.toJSON();
    const back = Chain.fromJSON(JSON.parse(JSON.stringify(json)));
    expect(back.toJSON()).toEqual(json);
    expect(back.state.rootClaimed.get(`1002/${sn.netuid}`)!.get('1003')).toBe(s.rootClaimed.get(`1002/${sn.netuid}`)!.get('1003'));
    expect(back.state.rootClaimType.get('10010')).toEqual({ keepSubnets: [sn.netuid, 7] });
    const bad: Array<(j: any) => void> = [
      (j) => (j.rootClaimed[0].netuid = 99),
      (j) => (j.rootClaimed[0].rootClaimed = '-1'),
      (j) => (j.rootClaimType[0].type = { keepSubnets: [] }),
      (j) => (j.rootClaimType[0].type = 'Burn'),
      (j) => (j.rootClaimableThreshold[0].threshold = 5),
    ];
    for (const mutate of bad) {
      const j = JSON.parse(JSON.stringify(json));
      mutate(j);
      expect(() => Chain.fromJSON(j)).toThrow(YumaError);
    }
  });

  it('unknown claim types, non-u16 subnets, a missing coldkey and a negative threshold are YumaErrors', () => {
    const c = new Chain(mockExt());
    const bad: Array<() => unknown> = [
      () => c.setRootClaimType({ coldkey: '1', type: 'Burn' as never }),
      () => c.setRootClaimType({ coldkey: '1', type: { keepSubnets: [70000] } }),
      () => c.setRootClaimType({ coldkey: '', type: 'Keep' }),
      () => c.claimRoot({ coldkey: '1', subnets: [1.5] }),
      () => c.claimRoot({ coldkey: '1', subnets: 'all' as never }),
      () => c.setRootClaimThreshold({ netuid: 0, threshold: -1n }),
    ];
    const before = JSON.stringify(c.toJSON());
    for (const f of bad) expect(f).toThrow(YumaError);
    expect(JSON.stringify(c.toJSON())).toBe(before);
  });
});


it('every chain test test/helpers/chain-test-ports.ts lists for this file titles one of its tests, under its tests/<file>.rs describe', ({ task }) => {
  expect(unportedIn(titlesUnder(task.file), 'chain-claim-root.test.ts')).toEqual([]);
});
