import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  Pool, splitAlphaOut, splitBlockEmission, rootProportion, SubnetEconomy, distributePending, splitProRata,
  blocksUntilNextEpochLegacy, blocksUntilNextAutoEpoch, priceShares,
} from '../src/dtao/index.js';
import { RAO, U64_MAX } from '../src/units.js';
import { byPrefix, vector } from './helpers/vectors.js';

const B = (v: unknown) => BigInt(v as string);
const sum = (a: bigint[]) => a.reduce((x, y) => x + y, 0n);

describe('alpha emission split (owner 18 %, 50/50 miners/validators)', () => {
  it('default 1 alpha: 179 995 422 owner, 410 002 289 miners, 410 002 289 validators', () => {
    const s = splitAlphaOut(RAO);
    expect(s.owner).toBe((RAO * 11796n) / 65535n);
    expect(s.server).toBe(410_002_289n);
    expect(s.owner + s.server + s.validator + s.root + s.recycled).toBe(RAO);
  });
  it('owner_cut_full', () => {
    const v = vector('owner_cut_full');
    expect(splitAlphaOut(RAO, { ownerCut: v.inputs.SubnetOwnerCut_u16 }).owner).toBe(B(v.expected.PendingOwnerCut_after_1_block));
  });
  it('pending_split_root_prop_quarter', () => {
    const v = vector('pending_split_root_prop_quarter');
    const s = splitAlphaOut(B(v.inputs.alpha_out), { ownerCut: v.inputs.owner_cut, rootProportion: v.inputs.root_proportion });
    expect(s.server).toBe(B(v.expected.PendingServerEmission));
    expect(s.validator).toBe(B(v.expected.PendingValidatorEmission));
    expect(s.root).toBe(B(v.expected.PendingRootAlphaDivs));
    expect(splitAlphaOut(RAO, { ownerCut: 0, rootProportion: 0.25, rootSell: false }).recycled).toBe(125_000_000n);
  });
  it('root_proportion_formula', () => {
    const v = vector('root_proportion_formula');
    const rp = rootProportion({ rootTao: B(v.inputs.root_SubnetTAO), taoWeight: B(v.inputs.TaoWeight_raw), alphaIssuance: B(v.inputs.SubnetAlphaIn) + B(v.inputs.SubnetAlphaOut) });
    expect(Math.abs(rp - v.expected.root_proportion)).toBeLessThan(v.tolerance.abs);
  });
});

describe('TAO and alpha injection (coinbase.rs)', () => {
  const stable = () => Pool.genesis({ tao: RAO, alpha: RAO });
  it('coinbase_equal_split_3_subnets', () => {
    const v = vector('coinbase_equal_split_3_subnets');
    const pools = [stable(), stable(), stable()];
    const r = splitBlockEmission(B(v.inputs.block_emission_rao), [1 / 3, 1 / 3, 1 / 3], pools.map((pool) => ({ pool, alphaIssuance: 0n })));
    r.subnets.forEach((s) => expect(s.taoIn).toBe(B(v.expected.SubnetTAO_each)));
    expect(sum(r.subnets.map((s) => s.taoIn)) + r.recycled).toBe(B(v.expected.TotalIssuance));
  });
  it('disabled_subnet_share_redistributed', () => {
    const v = vector('disabled_subnet_share_redistributed');
    const shares = priceShares(v.inputs.moving_price, { enabled: v.inputs.emission_enabled });
    const r = splitBlockEmission(B(v.inputs.block_emission_rao), shares, [stable(), stable(), stable()].map((pool) => ({ pool, alphaIssuance: 0n })));
    const got = r.subnets.map((s) => s.taoIn);
    (v.expected.subnet_emission_rao as number[]).forEach((e, i) => expect(Math.abs(Number(got[i]!) - e)).toBeLessThanOrEqual(v.tolerance.abs));
    expect(r.subnets[1]!.alphaOut).toBe(RAO); // disabled subnet still emits alpha to participants
  });
  it('coinbase_price_weighted_tao', () => {
    const v = vector('coinbase_price_weighted_tao');
    const i = v.inputs;
    const pools = [0, 1].map((k) => Pool.genesis({ tao: B(i.SubnetTAO_before[k]), alpha: B(i.SubnetAlphaIn_before[k]), preset: 'balancer' }));
    const shares = priceShares(i.moving_prices);
    const r = splitBlockEmission(B(i.block_emission_rao), shares, pools.map((pool, k) => ({ pool, alphaIssuance: B(i.SubnetAlphaIn_before[k]), rootProportion: 1 })));
    r.subnets.forEach((s, k) => {
      pools[k]!.inject(s.taoIn, s.alphaIn);
      expect(Math.abs(Number(pools[k]!.reserves().tao) - i.SubnetTAO_before[k] - (v.expected.SubnetTAO_after[k] - i.SubnetTAO_before[k]))).toBeLessThanOrEqual(v.tolerance.abs);
    });
  });
  it('alpha_in_equal_prices and alpha_in_prices_1_and_2', () => {
    const a = vector('alpha_in_equal_prices');
    const pools = [0, 1].map(() => Pool.genesis({ tao: 1_000_000n, alpha: 1_000_000n }));
    const r = splitBlockEmission(B(a.inputs.block_emission_rao), [0.5, 0.5], pools.map((pool) => ({ pool, alphaIssuance: 2_000_000n })));
    r.subnets.forEach((s, k) => {
      pools[k]!.inject(s.taoIn, s.alphaIn);
      expect(pools[k]!.reserves().alpha).toBe(B(a.expected.SubnetAlphaIn_after_each));
    });
    const b = vector('alpha_in_prices_1_and_2');
    const q = [0, 1].map((k) => Pool.genesis({ tao: B(b.inputs.SubnetTAO[k]), alpha: B(b.inputs.SubnetAlphaIn[k]) }));
    const r2 = splitBlockEmission(B(b.inputs.block_emission_rao), priceShares(b.inputs.moving_prices), q.map((pool) => ({ pool, alphaIssuance: 2_000_000n })));
    r2.subnets.forEach((s, k) => {
      q[k]!.inject(s.taoIn, s.alphaIn);
      expect(q[k]!.reserves().alpha).toBe(B(b.expected.SubnetAlphaIn_after[k]));
    });
  });
  it('alpha_out_unaffected_by_cap (cap moves TAO to chain buys, alpha out stays 1 alpha)', () => {
    const v = vector('alpha_out_unaffected_by_cap');
    const pool = Pool.genesis({ tao: B(v.inputs.SubnetTAO), alpha: B(v.inputs.SubnetAlphaIn), preset: 'balancer' });
    const r = splitBlockEmission(B(v.inputs.block_emission_rao), [1], [{ pool, alphaIssuance: B(v.inputs.SubnetAlphaIn), rootProportion: 0.001 }]);
    expect(r.subnets[0]!.alphaOut).toBe(B(v.expected.SubnetAlphaOutEmission));
    expect(r.subnets[0]!.alphaIn).toBe(1_000_000n); // cap = 0.001 · 1e9
    expect(r.subnets[0]!.excessTao + r.subnets[0]!.taoIn).toBe(B(v.inputs.block_emission_rao));
  });
});

describe('SubnetEconomy: per-block run with pending alpha and epochs', () => {
  it('issuance grows by what is injected; pending pays at tempo + 1; alpha is conserved', () => {
    const eco = new SubnetEconomy({ issuance: 0n });
    for (let k = 0; k < 3; k++) eco.addSubnet({ pool: Pool.genesis({ tao: 1000n * RAO, alpha: (500n + BigInt(k) * 100n) * RAO }), tempo: 9, netuid: k + 1 });
    let paid = 0n;
    let epochs = 0;
    for (let b = 0; b < 50; b++) {
      const prices = eco.subnets.map((s) => s.pool.price());
      const rep = eco.step(priceShares(prices));
      expect(rep.emission).toBe(RAO);
      for (const e of rep.epochs) {
        epochs++;
        paid += e.pending.server + e.pending.validator + e.pending.owner + e.pending.root;
      }
    }
    expect(epochs).toBe(15); // every 10 blocks, three subnets
    expect(eco.block).toBe(50);
    const injected = eco.subnets.reduce((a, s) => a + s.pool.reserves().tao - 1000n * RAO, 0n);
    expect(eco.issuance).toBe(injected);
    expect(50n * RAO - eco.issuance).toBeLessThan(50n * 3n); // ≤ 2 rao of flooring dust per subnet per block
    const pending = eco.subnets.reduce((a, s) => a + s.pending.server + s.pending.validator + s.pending.owner + s.pending.root, 0n);
    const alphaOut = eco.subnets.reduce((a, s) => a + s.alphaOut, 0n);
    expect(paid + pending).toBe(alphaOut); // all emitted alpha is either pending or was drained
    expect(alphaOut).toBe(3n * 50n * RAO);
  });
});

describe('epoch payout', () => {
  it('dividends_single_validator_gets_all and dividends_two_validators_split', () => {
    const a = vector('dividends_single_validator_gets_all');
    const r = distributePending({ server: B(a.inputs.pending_server), validator: B(a.inputs.pending_validator), incentive: [0], dividends: [65535], stakes: [{ nominators: [B(a.inputs.stake_before)], take: 0 }] });
    expect(B(a.inputs.stake_before) + r.nominators[0]![0]! + r.take[0]!).toBe(B(a.expected.stake_after));
    const b = vector('dividends_two_validators_split');
    const s = distributePending({ server: B(b.inputs.pending_server), validator: B(b.inputs.pending_validator), incentive: [0, 0], dividends: [32768, 32768] });
    s.take.forEach((t) => expect(B(b.inputs.stakes[0]) + t).toBe(B(b.expected.stake_after_each)));
  });

  it('dividends_incentives_sum', () => {
    const v = vector('dividends_incentives_sum');
    const server = B(v.inputs.pending_alpha) - B(v.inputs.pending_validator_alpha);
    const r = distributePending({ server, validator: B(v.inputs.pending_validator_alpha), incentive: [65535], dividends: [65535] });
    expect(sum(r.incentive) + sum(r.dividends)).toBe(B(v.expected.incentives_plus_dividends));
  });

  it('miners by incentive, validators by dividends, nominators pro rata after an 18 % take', () => {
    const r = distributePending({
      server: 1000n, validator: 1000n, owner: 7n,
      incentive: [65535, 0, 32767], dividends: [0, 65535, 0],
      stakes: [undefined, { nominators: [300n, 100n] }],
    });
    expect(r.incentive).toEqual([667n, 0n, 333n]);
    expect(r.dividends).toEqual([0n, 1000n, 0n]);
    expect(r.take[1]).toBe((1000n * 11796n) / 65535n); // 179
    expect(r.nominators[1]).toEqual([616n, 205n]); // 821 split 3:1, dust to the larger remainder
    expect(r.owner).toBe(7n);
  });

  it('conserves every alpha-rao (property)', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: U64_MAX / 4n }), fc.bigInt({ min: 0n, max: U64_MAX / 4n }),
        fc.array(fc.tuple(fc.integer({ min: 0, max: 65535 }), fc.integer({ min: 0, max: 65535 }), fc.array(fc.bigInt({ min: 0n, max: 10n ** 15n }), { maxLength: 4 }), fc.integer({ min: 0, max: 65535 })), { minLength: 1, maxLength: 8 }),
        (server, validator, uids) => {
          const r = distributePending({ server, validator, incentive: uids.map((u) => u[0]), dividends: uids.map((u) => u[1]), stakes: uids.map((u) => ({ nominators: u[2], take: u[3] })) });
          const out = sum(r.incentive) + sum(r.take) + r.nominators.reduce((a, n) => a + sum(n), 0n) + r.unpaid;
          expect(out).toBe(server + validator);
          expect(sum(r.dividends) + sum(r.incentive) + r.unpaid).toBe(server + validator);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('splitProRata is exact', () => {
    expect(splitProRata(10n, [1n, 1n, 1n])).toEqual([4n, 3n, 3n]);
    expect(splitProRata(10n, [0n, 0n])).toEqual([0n, 0n]);
  });
});

describe('epoch scheduling (emission.rs)', () => {
  for (const v of byPrefix('old_blocks_until_next_epoch_')) {
    it(v.name, () => {
      expect(blocksUntilNextEpochLegacy(v.inputs.netuid, v.inputs.tempo, v.inputs.block)).toBe(v.expected.blocks_until_next_epoch);
    });
  }
  it('new_blocks_until_next_auto_epoch', () => {
    const v = vector('new_blocks_until_next_auto_epoch');
    const got = (v.inputs.cases as number[][]).map(([, tempo, block]) => blocksUntilNextAutoEpoch(v.inputs.LastEpochBlock, tempo!, block!));
    expect(got).toEqual(v.expected.blocks_until_next_auto_epoch);
  });
});
