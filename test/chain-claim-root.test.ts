/**
 * The emission side of `pallets/subtensor/src/tests/claim_root.rs` (subtensor 14bc6f9f), on `src/chain/`:
 * root-alpha dividends pay the validator's take as subnet alpha and accrue the rest as `RootClaimable` (alpha per
 * unit of root stake). Claiming itself (`claim_root`, auto-claims) is not modelled, so the claim halves of the
 * tests are not ported (README, "The chain's block").
 */
import { describe, expect, it } from 'vitest';
import { distributeEmission, stakeToColdkey } from '../src/chain/block.js';
import { newChainState, newSubnet } from '../src/chain/index.js';
import { poolValueOf } from '../src/chain/safe-float.js';
import { I96F32, toF64 } from '../src/fixed/substrate-fixed.js';
import { createEngineSync } from '../src/engine.js';

const engine = createEngineSync();
const U64_MAX = (1n << 64n) - 1n;

describe('tests/claim_root.rs: root dividends become root claimable', () => {
  it('test_claim_root_with_drain_emissions (emission part): owner stake 1e7 + 18 % of 1e6 (±100); claimable rate 1e6·0.82/2e6 (±0.001), twice after a second drain', () => {
    // add_dynamic_network(hotkey 1002, owner coldkey 1001) with the owner hotkey as uid 0 and its registration stake removed
    const s = newChainState({ block: 1n, taoWeight: U64_MAX, subnetOwnerCut: 0, maxEpochsPerBlock: 32, swapMinimumReserve: 100n });
    const sn = newSubnet(1, {
      subnetTao: 1_000_000_000_000n,
      subnetAlphaIn: 1_000_000_000_000n,
      subnetOwner: '1001',
      subnetOwnerHotkey: '1002',
      tempo: 360,
      neurons: [{ uid: 0, hotkey: '1002', blockAtRegistration: 1n, lastUpdate: 1n, validatorPermit: false, weights: [], bonds: [] }],
    });
    s.subnets.set(1, sn);
    s.hotkeys.set('1002', { owner: '1001' });
    s.ownedHotkeys.set('1001', ['1002']);
    const rootStake = 2_000_000n;
    stakeToColdkey(s, '1002', '1003', 0, rootStake);
    stakeToColdkey(s, '1002', '1001', 1, 10_000_000n);
    const pool = s.stakePools.get('1002/1')!;
    expect(poolValueOf(pool, '1001')).toBe(10_000_000n);

    const pendingRoot = 1_000_000n;
    distributeEmission(s, sn, engine, 0n, 0n, pendingRoot, 0n);
    const take = 0.18;
    expect(Math.abs(Number(poolValueOf(pool, '1001')) - (Number(pendingRoot) * take + 10_000_000))).toBeLessThanOrEqual(100);
    const rate = toF64(I96F32, s.rootClaimable.get('1002/1')!);
    expect(Math.abs(rate - (Number(pendingRoot) * (1 - take)) / Number(rootStake))).toBeLessThanOrEqual(0.001);

    distributeEmission(s, sn, engine, 0n, 0n, pendingRoot, 0n);
    const rate2 = toF64(I96F32, s.rootClaimable.get('1002/1')!);
    expect(Math.abs(rate2 - ((Number(pendingRoot) * (1 - take)) / Number(rootStake) + rate))).toBeLessThanOrEqual(0.001);
  });
});
