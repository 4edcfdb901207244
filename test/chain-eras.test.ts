/**
 * The block model's eras (src/chain/eras.ts): HEAD's block by default, and for simulations the dTAO launch era's and
 * the seed document's rules, each implemented once inside the same `Chain` — schedule, injection, alpha-out split,
 * pools and minimum stake — with the rules carried in the state's JSON.
 */
import { describe, expect, it } from 'vitest';
import { Chain, ChainRefused, newChainState, newSubnet } from '../src/chain/index.js';
import { type Era, eraRules, legacyEpochDue } from '../src/chain/eras.js';
import type { ChainState } from '../src/chain/state.js';
import { LAUNCH_POOL, Pool, SEED_POOL } from '../src/dtao/pool.js';
import { splitAlphaOut } from '../src/dtao/coinbase.js';
import { YumaError } from '../src/errors.js';
import { createEngineSync } from '../src/engine.js';
import { I96F32, fromF64 } from '../src/fixed/substrate-fixed.js';

const engine = createEngineSync();
const RAO = 1_000_000_000n;

/** Three subnets (tempo 4) with 1000 TAO / 40 000 alpha pools, no neurons; issuance past the first halving. */
function chainOf(era: Era | null): Chain {
  const s: ChainState = newChainState({ block: 1000n, totalIssuance: 10_800_000n * RAO, balancesTotalIssuance: 10_800_000n * RAO });
  if (era !== null) s.rules = eraRules(era);
  for (const n of [1, 2, 3]) {
    s.subnets.set(
      n,
      newSubnet(n, {
        subnetTao: 1000n * RAO,
        subnetAlphaIn: 40_000n * RAO,
        subnetMovingPrice: fromF64(I96F32, 0.025),
        palSwapInitialized: true,
        tempo: 4,
        lastEpochBlock: 1000n - BigInt(n),
        firstEmissionBlockNumber: 10n,
        subnetOwner: `oc${n}`,
        subnetOwnerHotkey: `o${n}`,
      }),
    );
    s.hotkeys.set(`o${n}`, { owner: `oc${n}` });
  }
  s.hotkeys.set('v', { owner: 'vc' });
  return new Chain(s, { engine });
}

describe('block model eras', () => {
  it("a state without rules runs HEAD's block and writes none; launch and seed rules round-trip through JSON", () => {
    const head = chainOf(null);
    expect('rules' in head.toJSON()).toBe(false);
    for (const era of ['launch', 'seed'] as const) {
      const c = chainOf(era);
      const back = Chain.fromJSON(JSON.parse(JSON.stringify(c.toJSON())), { engine });
      expect(back.state.rules).toEqual(c.state.rules);
      for (let k = 0; k < 12; k++) expect(JSON.stringify(back.step(), (_, v) => (typeof v === 'bigint' ? v.toString() : v))).toBe(JSON.stringify(c.step(), (_, v) => (typeof v === 'bigint' ? v.toString() : v)));
    }
    expect(eraRules('seed').shares).toBe('softmax');
    expect(eraRules('launch').shares).toBe('moving-price');
  });

  it('refuses an unknown era, share rule, rule field or a non-positive temperature with a YumaError', () => {
    expect(() => eraRules('genesis' as never)).toThrow(YumaError);
    expect(() => eraRules('head', { shares: 'median' as never })).toThrow(YumaError);
    expect(() => eraRules('head', { temperature: 0 })).toThrow(YumaError);
    expect(() => eraRules('head', { temperature: Number.NaN })).toThrow(YumaError);
    const json = chainOf('launch').toJSON() as Record<string, unknown>;
    expect(() => Chain.fromJSON({ ...json, rules: { era: 'launch', colour: 1 } }, { engine })).toThrow(YumaError);
    expect(() => Chain.fromJSON({ ...json, rules: { era: 'later' } }, { engine })).toThrow(YumaError);
  });

  it('launch and seed run the pre-2026-06 schedule: an epoch exactly when (block + netuid + 1) mod (tempo + 1) = 0, none deferred', () => {
    for (const era of ['launch', 'seed'] as const) {
      const c = chainOf(era);
      for (let k = 0; k < 30; k++) {
        const r = c.step();
        const ran = r.epochs.map((e) => e.netuid).sort();
        expect(ran).toEqual([1, 2, 3].filter((n) => legacyEpochDue(n, 4, r.block)));
        expect(ran).toEqual([1, 2, 3].filter((n) => (r.block + BigInt(n) + 1n) % 5n === 0n));
      }
    }
  });

  it("HEAD runs each subnet's epoch every tempo blocks after its LastEpochBlock", () => {
    const c = chainOf(null);
    const seen = new Map<number, bigint[]>();
    for (let k = 0; k < 30; k++) for (const e of c.step().epochs) seen.set(e.netuid, [...(seen.get(e.netuid) ?? []), c.state.block]);
    for (const [n, blocks] of seen) {
      expect(blocks[0]).toBe(1000n - BigInt(n) + 4n);
      for (let k = 1; k < blocks.length; k++) expect(blocks[k] - blocks[k - 1]).toBe(4n);
    }
  });

  it('seed splits each block’s alpha out 18 / 41 / 41 (owner, miners, validators) with no root alpha, and injects TAO / price uncapped', () => {
    const c = chainOf('seed');
    const before = c.state.subnets.get(1)!.subnetAlphaIn;
    const r = c.step();
    const sn = c.state.subnets.get(1)!;
    const want = splitAlphaOut(sn.subnetAlphaOutEmission, { ownerCut: c.state.subnetOwnerCut });
    expect(sn.subnetAlphaOutEmission).toBe(RAO);
    expect([sn.pendingOwnerCut, sn.pendingServerEmission, sn.pendingValidatorEmission, sn.pendingRootAlphaDivs]).toEqual([want.owner, want.server, want.validator, 0n]);
    expect(r.subnets.get(1)!.terms!.alphaUnassigned).toBe(RAO - want.owner - want.server - want.validator);
    // a third of the 0.5 TAO block emission at price 1/40: 6.67 alpha in, above the 1-alpha emission (no cap)
    expect(sn.subnetAlphaIn - before).toBeGreaterThan(6n * RAO);
    expect(r.subnets.get(1)!.terms!.excessTaoSpent).toBe(0n);
  });

  it('launch caps the alpha injection at the alpha emission and still injects all the TAO (no excess buy)', () => {
    const c = chainOf('launch');
    const before = c.state.subnets.get(1)!;
    const [tao0, alpha0] = [before.subnetTao, before.subnetAlphaIn];
    const r = c.step();
    const sn = c.state.subnets.get(1)!;
    const t = r.subnets.get(1)!.terms!;
    expect(sn.subnetAlphaIn - alpha0).toBe(RAO);
    // terms are U96F32 bits: all of the subnet's TAO emission (floored to rao) entered the pool
    expect(t.taoIn).toBe(t.taoEmission);
    expect(sn.subnetTao - tao0).toBe(t.taoEmission >> 32n);
    expect(sn.subnetTaoInEmission).toBe(t.taoEmission >> 32n);
    expect(t.excessTaoSpent).toBe(0n);
  });

  it('constant-product eras stake through the Pool presets: launch keeps its flat fee in the pool, seed charges none; each era has its minimum', () => {
    for (const [era, preset] of [['launch', LAUNCH_POOL], ['seed', SEED_POOL]] as const) {
      const c = chainOf(era);
      const sn = c.state.subnets.get(1)!;
      const quote = Pool.genesis({ ...preset, tao: sn.subnetTao, alpha: sn.subnetAlphaIn }).quoteStake(5n * RAO);
      const tao0 = sn.subnetTao;
      const r = c.addStake({ coldkey: 'vc', hotkey: 'v', netuid: 1, tao: 5n * RAO });
      expect(r.alpha).toBe(quote.alphaOut);
      expect(r.fee).toBe(0n);
      expect(sn.subnetTao - tao0).toBe(quote.taoToPool);
      expect(sn.subnetTao - tao0).toBe(5n * RAO);
    }
    expect(() => chainOf('launch').addStake({ coldkey: 'vc', hotkey: 'v', netuid: 1, tao: 499_999n })).toThrow(ChainRefused);
    expect(chainOf('seed').addStake({ coldkey: 'vc', hotkey: 'v', netuid: 1, tao: 1000n }).alpha).toBeGreaterThan(0n);
    expect(() => chainOf(null).addStake({ coldkey: 'vc', hotkey: 'v', netuid: 1, tao: 1_999_999n })).toThrow(ChainRefused);
  });
});

describe('Chain options', () => {
  it("epochPath and epochMode choose how the engine runs the epochs (an engine's epoch() is all it needs); unknown options and an engine without epoch() are refused", () => {
    const spy = { epoch: engine.epoch.bind(engine) };
    const c = new Chain(chainOf(null).state, { engine: spy, epochPath: 'dense', epochMode: 'float' });
    expect(c.epochSettings).toEqual({ mode: 'float', path: 'dense' });
    expect(() => new Chain(c.state, { epochPath: 'diagonal' as never })).toThrow(YumaError);
    expect(() => new Chain(c.state, { colour: 1 } as never)).toThrow(YumaError);
    expect(() => new Chain(c.state, { engine: {} as never })).toThrow(YumaError);
  });
});
