import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { YumaError } from '../src/errors.js';
import { Network } from '../src/sim/network.js';
import type { NetworkReport } from '../src/sim/report.js';
import { scenarioFromJson } from '../src/sim/scenario.js';
import { createEngineSync } from '../src/engine.js';
import { clientWeights, noisyQualityRow } from '../src/sim/weights.js';
import { Rng } from '../src/rng.js';

const engine = createEngineSync();

const small = { engine, subnets: 6, uidsPerSubnet: 48, subnet1Uids: 96, validatorsPerSubnet: 8, tempo: 24 } as const;

function big(r: Record<string, string>): Record<string, bigint> {
  return Object.fromEntries(Object.entries(r).map(([k, v]) => [k, BigInt(v)]));
}

function scenario(name: string) {
  return scenarioFromJson(JSON.parse(readFileSync(new URL(`../scenarios/${name}.json`, import.meta.url), 'utf8')));
}

/** The report's TAO identities (report.ts), each exactly. */
function checkTaoBooks(r: NetworkReport): Record<string, bigint> {
  const t = big(r.totals as unknown as Record<string, string>);
  expect(t.taoEmitted).toBeGreaterThan(0n);
  expect(t.issuanceEnd - t.issuanceStart).toBe(t.taoEmitted - t.recycled);
  expect(t.taoInjected + t.taoChainBuys + t.recycled).toBe(t.taoEmitted);
  expect(t.taoInPoolsEnd - t.taoInPoolsStart).toBe(
    t.taoInjected +
      (t.taoChainBuys - t.taoStranded) +
      (t.taoStaked - t.taoStakeFees) -
      (t.taoUnstaked + t.taoMinerSales + t.taoUnstakeFees) +
      (t.taoRegistrationBurns - t.taoRegistrationFees),
  );
  return t;
}

/** The report's alpha identities (report.ts), each exactly. */
function checkAlphaBooks(r: NetworkReport): Record<string, bigint> {
  const a = big(r.alpha as unknown as Record<string, string>);
  expect(a.issuanceEnd - a.issuanceStart).toBe(a.injected + a.emitted - a.recycled - a.registrationBurned);
  expect(a.issuanceEnd).toBe(a.inPools + a.staked + a.pending + a.protocol + a.rootClaimable + a.burned + a.undistributed);
  for (const v of Object.values(a)) expect(v).toBeGreaterThanOrEqual(0n);
  return a;
}

describe('Network', () => {
  const report = new Network({ ...small, seed: 7 }).run({ blocks: 400 });

  it('is deterministic for a seed and differs between seeds', () => {
    const again = new Network({ ...small, seed: 7 }).run({ blocks: 400 });
    expect(JSON.stringify(again)).toBe(JSON.stringify(report));
    const other = new Network({ ...small, seed: 8 }).run({ blocks: 400 });
    expect(other.subnets[0].series.price).not.toEqual(report.subnets[0].series.price);
  });

  it('produces a JSON-serialisable report that round-trips', () => {
    const back = JSON.parse(JSON.stringify(report)) as NetworkReport;
    expect(back).toEqual(report);
    expect(report.subnets).toHaveLength(6);
    expect(report.subnets[0].uids).toBe(96);
    expect(report.subnets[1].uids).toBe(48);
    expect(report.sampleBlocks.length).toBeGreaterThan(100);
    for (const s of report.subnets) expect(s.series.price).toHaveLength(report.sampleBlocks.length);
  });

  it('balances TAO exactly: issuance, emission and every rao into and out of the pools (with fees and registrations)', () => {
    const t = checkTaoBooks(report);
    // Block emission at 10.8 M TAO issuance is 0.5 TAO (one halving), every block.
    expect(t.taoEmitted).toBe(400n * 500_000_000n);
    const perSubnet = report.subnets.reduce((a, s) => a + BigInt(s.final.taoInjected), 0n);
    expect(perSubnet).toBe(t.taoInjected);
    // HEAD caps the alpha injection at the root proportion: the excess TAO buys alpha, and every swap pays the author's fee
    expect(t.taoChainBuys).toBeGreaterThan(0n);
    expect(t.taoStakeFees).toBeGreaterThan(0n);
    expect(t.taoUnstakeFees).toBeGreaterThan(0n);
    expect(t.taoOnRoot).toBeGreaterThan(0n);
  });

  it('balances alpha exactly: every minted rao is in a pool, staked, pending, protocol-owned, claimable, destroyed or paid to nobody', () => {
    const a = checkAlphaBooks(report);
    expect(a.emitted).toBe(400n * 6n * 1_000_000_000n);
    const paid = report.subnets.reduce((acc, s) => acc + BigInt(s.final.minersAlpha) + BigInt(s.final.validatorsAlpha), 0n);
    expect(paid).toBeGreaterThan(0n);
    // HEAD recycles root alpha while the EMA prices sum below 1, and registration burns destroy the alpha they buy
    expect(a.recycled).toBeGreaterThan(0n);
    expect(a.registrationBurned).toBeGreaterThan(0n);
  });

  it("runs every subnet's epoch every tempo blocks (HEAD's LastEpochBlock + tempo schedule), staggered by netuid", () => {
    const seen = new Map<number, number[]>();
    const r = new Network({ ...small, seed: 7 }).run({ blocks: 400, onEpoch: (n, b) => seen.set(n, [...(seen.get(n) ?? []), b]) });
    for (const [, blocks] of seen) for (let k = 1; k < blocks.length; k++) expect(blocks[k] - blocks[k - 1]).toBe(24);
    expect(new Set([...seen.values()].map((b) => b[0] % 24)).size).toBe(6);
    for (const s of r.subnets) expect(s.epochs).toBe(seen.get(s.netuid)!.length);
    expect(r.epochs).toBe([...seen.values()].reduce((x, b) => x + b.length, 0));
  });

  it('the launch and seed models run the pre-2026-06 schedule: an epoch every tempo + 1 blocks', () => {
    for (const model of ['launch', 'seed'] as const) {
      const r = new Network({ ...small, seed: 7, model }).run({ blocks: 400 });
      // tempo 24: an epoch when (block + netuid + 1) mod 25 = 0, so 400 blocks hold exactly 16 per subnet.
      for (const s of r.subnets) expect(s.epochs).toBe(16);
    }
  });

  it('the launch model balances its books: every minted TAO injected (no cap, no chain buys), its flat fee kept in the pool', () => {
    const r = new Network({ ...small, seed: 7, model: 'launch' }).run({ blocks: 400 });
    const t = checkTaoBooks(r);
    checkAlphaBooks(r);
    expect(t.taoChainBuys).toBe(0n);
    expect(t.taoStakeFees + t.taoUnstakeFees).toBe(0n);
    expect(t.taoInjected + t.recycled).toBe(t.taoEmitted);
  });

  it('the seed model balances its books: no root, no recycling, only flooring dust paid to nobody', () => {
    const r = new Network({ ...small, seed: 7, model: 'seed' }).run({ blocks: 400 });
    expect(r.config.shareMode).toBe('softmax');
    const t = checkTaoBooks(r);
    const a = checkAlphaBooks(r);
    expect(t.taoOnRoot).toBe(0n);
    expect(t.taoChainBuys).toBe(0n);
    expect(a.recycled).toBe(0n);
    expect(a.rootClaimable).toBe(0n);
    // each of 3 pots floored per block and each payout floored per epoch: well under a rao per UID per epoch
    expect(a.undistributed).toBeLessThan(BigInt(r.epochs) * 100n + 400n * 6n * 3n);
  });

  it('balances with every share mode', () => {
    for (const shareMode of ['proportional', 'softmax'] as const) {
      const r = new Network({ ...small, shareMode, subnets: 3 }).run({ blocks: 60 });
      checkTaoBooks(r);
      checkAlphaBooks(r);
      const shares = r.subnets.map((s) => s.final.emissionShare);
      expect(shares.reduce((x, y) => x + y, 0)).toBeCloseTo(1, 12);
    }
  });

  it('reports progress and refuses a second run', () => {
    const net = new Network({ ...small, subnets: 2 });
    const seen: number[] = [];
    net.run({ blocks: 200, onProgress: (d) => seen.push(d) });
    expect(seen.at(-1)).toBe(200);
    expect(seen.length).toBeGreaterThanOrEqual(100);
    expect(() => net.run({ blocks: 10 })).toThrow(YumaError);
  });

  it('rejects bad options with YumaError naming the field', () => {
    expect(() => new Network({ ...small, subnets: 0 })).toThrow(/subnets/);
    expect(() => new Network({ ...small, shareMode: 'median' as never })).toThrow(/shareMode/);
    expect(() => new Network({ ...small, strategies: { sneaky: 1 } as never })).toThrow(/strategies/);
    expect(() => new Network({ ...small, hyper: { kappa: 70000 } })).toThrow(/kappa/);
    expect(() => new Network({ ...small, colour: 'red' } as never)).toThrow(/colour/);
    expect(() => new Network({ subnets: 2 } as never)).toThrow(/engine/);
    expect(() => new Network({ ...small }).run({ blocks: 0 })).toThrow(YumaError);
  });
});

describe('strategies', () => {
  // Dividend share of validator A, B, C per epoch in the chain's test_yuma_3_kappa_moves_* (epoch.rs).
  const chain: Record<string, number[][]> = {
    first: [[0.8, 0.1, 0.1], [1, 0, 0], [0.9382, 0.0618, 0], [0.8819, 0.0773, 0.0407], [0.8564, 0.0844, 0.0592], [0.8418, 0.0884, 0.0697]],
    second: [[0.8, 0.1, 0.1], [0.8446, 0.0498, 0.1056], [0.6868, 0.3132, 0], [0.7421, 0.209, 0.0489], [0.7625, 0.1706, 0.0669], [0.773, 0.1508, 0.0762]],
    last: [[0.8, 0.1, 0.1], [0.8446, 0.0498, 0.1056], [0.8966, 0.0333, 0.0701], [0.4663, 0.321, 0.2127], [0.5976, 0.234, 0.1683], [0.6592, 0.1932, 0.1475]],
  };
  for (const order of ['first', 'second', 'last'] as const) for (const mode of ['fixed', 'float'] as const) {
    it(`the big validator moving ${order} reproduces the chain's Yuma3 dividends (${mode})`, () => {
      const sc = scenario(`yuma3-big-validator-moves-${order}`);
      const dividends: number[][] = [];
      new Network({ ...sc.network, engine, mode }).run({
        blocks: sc.blocks ?? 40,
        onEpoch: (_n, _b, out) => dividends.push(Array.from(out.dividends.slice(0, 3), (d) => d / 65535)),
      });
      // Simulator epoch 0 sets the permits (the chain test's setup epoch); epochs 1–6 are the test's e0–e5.
      chain[order].forEach((row, e) => row.forEach((v, i) => expect(Math.abs(dividends[e + 1][i] - v)).toBeLessThanOrEqual(1e-3)));
    });
  }

  it('a cabal below half the stake and self-dealers earn less than honest validators', () => {
    const sc = scenario('cabal');
    const r = new Network({ ...sc.network, engine, subnets: 4, uidsPerSubnet: 64 }).run({ blocks: 1500 });
    const y = r.strategies;
    expect(y.cabal!.yieldPerDay).toBeLessThan(y.honest!.yieldPerDay);
    expect(y['self-dealing']!.yieldPerDay).toBeLessThan(y.honest!.yieldPerDay);
    // Independent of which subnets they sit on: well under a fair share (1) in every seed tried (0.44–0.78).
    expect(y.cabal!.relativeYield).toBeLessThan(0.9);
    expect(y.honest!.relativeYield).toBeGreaterThan(1);
  });

  it('weight copiers run and are reported beside honest validators', () => {
    const sc = scenario('weight-copying');
    const r = new Network({ ...sc.network, engine, subnets: 2, uidsPerSubnet: 48 }).run({ blocks: 1500 });
    expect(r.strategies.copier!.validators).toBe(16);
    expect(BigInt(r.strategies.copier!.dividendsAlpha)).toBeGreaterThan(0n);
    // Relative yields are weighted averages around 1 (a fair share): one strategy above means the other below.
    const { honest, copier } = r.strategies;
    expect((honest!.relativeYield - 1) * (copier!.relativeYield - 1)).toBeLessThanOrEqual(0);
  });
});

describe("honest validators' weight rows", () => {
  it('noisyQualityRow is each miner quality × exp(noise · N(0,1)) in uid order, drawn in that order, scaled as the client scales (max → 65535, rounded)', () => {
    const quality = Float64Array.from({ length: 40 }, (_, j) => (j < 6 ? 0 : 0.5 + ((j * 37) % 11) / 7));
    for (const noise of [0, 0.25, 1.5]) {
      const row = noisyQualityRow(quality, 6, noise, new Rng(11));
      const rng = new Rng(11);
      const drawn = Array.from({ length: 34 }, (_, k) => (noise > 0 ? quality[6 + k] * Math.exp(noise * rng.normal()) : quality[6 + k]));
      const max = Math.max(...drawn);
      expect(row.uids).toEqual(Array.from({ length: 34 }, (_, k) => 6 + k));
      expect(row.values).toEqual(drawn.map((v) => Math.round((v / max) * 65535)));
      expect(Math.max(...row.values)).toBe(65535);
      expect(row).toEqual(clientWeights(row.uids, drawn));
    }
    expect(noisyQualityRow(new Float64Array(8), 2, 0.25, new Rng(1))).toEqual({ uids: [], values: [] });
  });
});
