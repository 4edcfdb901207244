/**
 * A block report's per-subnet map, an epoch report's per-hotkey maps and a stake change's per-coldkey values are made
 * when first read (src/chain/lazy.ts): they must still look like plain own properties to every reader, and the
 * shortcuts the simulator reads instead (`blockTerms`, `rootAlphaPaidTotal`) must give exactly what the maps hold.
 */
import { describe, expect, it } from 'vitest';
import { type BlockReport, blockTerms, rootAlphaPaidTotal } from '../src/chain/block.js';
import { createEngineSync } from '../src/engine.js';
import { Network } from '../src/sim/network.js';

const BLOCK_KEYS = ['block', 'blockEmission', 'taoMinted', 'taoRecycledCredit', 'taoIssued', 'totalIssuanceAfter', 'totalStakeAfter', 'rootSellFlag', 'subnetsToEmitTo', 'subnets', 'epochs', 'taoStranded'];
const EPOCH_KEYS = [
  'netuid', 'pendingServer', 'pendingValidator', 'pendingRoot', 'pendingOwnerCut', 'incentiveSum', 'hotkeyEmission', 'incentivesPaid', 'incentiveWithheld', 'minerBurned',
  'alphaDividends', 'rootAlphaDividends', 'alphaDividendsPerSubnet', 'rootAlphaDividendsPerSubnet', 'stakeChanges', 'alphaBurned', 'alphaRecycled', 'alphaBurnedTotal',
  'alphaRecycledTotal', 'alphaCredited', 'rootAlphaClaimable', 'alphaUndistributed', 'output',
];
const jsonOf = (x: unknown) => JSON.stringify(x, (_, v) => (typeof v === 'bigint' ? v.toString() : v instanceof Map ? [...v] : v));

/** Blocks of a small simulated network's chain until one ran an epoch with root dividends (the sim's actors not run). */
function reportsUntilEpoch(): BlockReport[] {
  const net = new Network({ engine: createEngineSync(), subnets: 64, uidsPerSubnet: 8, subnet1Uids: 0, tempo: 4 });
  const out: BlockReport[] = [];
  for (let i = 0; i < 40; i++) {
    const r = net.chain.step();
    out.push(r);
    if (r.epochs.some((e) => rootAlphaPaidTotal(e) > 0n)) return out;
  }
  throw new Error('no epoch with root dividends in 40 blocks');
}

describe('reports whose maps are made when first read', () => {
  it('a block report has its twelve fields in order as own enumerable properties; subnets is made once, equal in a spread copy, replaced by assignment', () => {
    const reports = reportsUntilEpoch();
    const r = reports[reports.length - 1];
    expect(Object.keys(r)).toEqual(BLOCK_KEYS);
    const m = r.subnets;
    expect(m).toBeInstanceOf(Map);
    expect(r.subnets).toBe(m);
    expect([...m.keys()]).toEqual(Array.from({ length: 64 }, (_, i) => i + 1));
    const copy = { ...r };
    expect(copy.subnets).toBe(m);
    expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
    expect(jsonOf(copy)).toBe(jsonOf(r));
    expect(r.epochs.every((e) => m.get(e.netuid)!.epochRan)).toBe(true);
    const other = new Map();
    r.subnets = other;
    expect(r.subnets).toBe(other);
  });

  it("blockTerms gives the very term objects of the subnets map, in subnetsToEmitTo order, for the newest and for older reports", () => {
    const reports = reportsUntilEpoch();
    for (const r of [reports[0], reports[reports.length - 1]]) {
      const terms = blockTerms(r);
      expect(r.subnetsToEmitTo.length).toBeGreaterThan(0);
      expect(terms).toHaveLength(r.subnetsToEmitTo.length);
      r.subnetsToEmitTo.forEach((n, i) => {
        expect(r.subnets.get(n)!.inEmitSet).toBe(true);
        expect(terms[i]).toBe(r.subnets.get(n)!.terms);
      });
    }
    // a report this library did not make is read through its map
    const r = reports[reports.length - 1];
    const plain = { ...r, subnets: new Map(r.subnets) };
    expect(blockTerms(plain)).toEqual(blockTerms(r));
  });

  it('an epoch report has its fields in order; its per-hotkey maps are made once, keyed by the hotkeys in hotkey order, and rootAlphaPaidTotal is Σ rootAlphaDividendsPerSubnet', () => {
    const reports = reportsUntilEpoch();
    const e = reports[reports.length - 1].epochs.find((x) => rootAlphaPaidTotal(x) > 0n)!;
    expect(Object.keys(e)).toEqual(EPOCH_KEYS);
    const hotkeys = e.hotkeyEmission.map(([h]) => h);
    for (const key of ['alphaDividends', 'rootAlphaDividends', 'alphaDividendsPerSubnet', 'rootAlphaDividendsPerSubnet'] as const) {
      const m = e[key];
      expect(e[key]).toBe(m);
      expect([...m.keys()]).toEqual(hotkeys);
    }
    // incentives paid: each hotkey's incentive from hotkeyEmission, in hotkey order (owner hotkeys withheld)
    const incentive = new Map(e.hotkeyEmission.map(([h, inc]) => [h, inc]));
    const paid = [...e.incentivesPaid];
    expect(paid.length).toBeGreaterThan(0);
    expect(paid.map(([h]) => h)).toEqual(hotkeys.filter((h) => e.incentivesPaid.has(h)));
    for (const [h, v] of paid) expect(v).toBe(incentive.get(h));
    let sum = 0n;
    for (const v of e.rootAlphaDividendsPerSubnet.values()) sum += v;
    expect(rootAlphaPaidTotal(e)).toBe(sum);
    expect(rootAlphaPaidTotal({ ...e })).toBe(sum);
    const replaced = new Map([['x', 1n]]);
    e.alphaDividends = replaced;
    expect(e.alphaDividends).toBe(replaced);
    expect({ ...e }.alphaDividends).toBe(replaced);
  });

  it("a stake change's coldkeyValuesAfter is an own enumerable property made once; the coldkeys' values after add up to the pool's value within one rao per coldkey", () => {
    const reports = reportsUntilEpoch();
    const e = reports[reports.length - 1].epochs.find((x) => x.stakeChanges.size > 0)!;
    for (const c of e.stakeChanges.values()) {
      expect(Object.keys(c)).toEqual(['before', 'after', 'coldkeyValuesAfter']);
      const v = c.coldkeyValuesAfter;
      expect(c.coldkeyValuesAfter).toBe(v);
      let total = 0n;
      for (const x of v.values()) total += x;
      expect(total).toBeLessThanOrEqual(c.after);
      expect(c.after - total).toBeLessThanOrEqual(BigInt(v.size));
    }
  });
});
