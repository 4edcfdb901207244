import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formatSummary } from '../src/cli/summary.js';
import { createEngineSync } from '../src/engine.js';
import { Network } from '../src/sim/network.js';
import { scenarioFromJson } from '../src/sim/scenario.js';

const engine = createEngineSync();

function run(name: string) {
  const sc = scenarioFromJson(JSON.parse(readFileSync(new URL(`../scenarios/${name}.json`, import.meta.url), 'utf8')));
  return new Network({ ...sc.network, engine }).run({ blocks: sc.blocks! });
}

describe('who earns what: per-validator and per-UID detail', () => {
  const reports = Object.fromEntries(['first', 'second', 'last'].map((k) => [k, run(`yuma3-big-validator-moves-${k}`)]));
  const share = (k: string, uid: number) => reports[k].detail[0].validators[uid].totals.dividendShare;

  it('the three yuma3-big-validator-moves scenarios differ as written: whoever moves first to the new best miner earns more than its stake share', () => {
    // A = uid 0 (80 %), B = uid 1, C = uid 2 (10 % each)
    expect(reports.first.detail[0].validators.map((v) => v.totals.vsStake)).toEqual([expect.closeTo(1.022, 3), expect.closeTo(0.940, 3), expect.closeTo(0.882, 3)]); // 40 epochs (one a block), the move in the first six
    expect(share('first', 0)).toBeGreaterThan(0.8);
    expect(share('second', 1)).toBeGreaterThan(0.1); // B moved at once
    expect(share('second', 0)).toBeLessThan(0.8); // A one epoch late
    expect(share('last', 0)).toBeLessThan(share('second', 0)); // A two epochs late loses more
    expect(share('last', 2)).toBeGreaterThan(share('first', 2)); // C moves before A in 'last'
    const texts = Object.values(reports).map((r) => formatSummary(r, 0));
    expect(new Set(texts).size).toBe(3);
    expect(texts[0]).toMatch(/A \(80 %, moves at once\)\s+honest\s+80\.00%/);
  });

  it('per-validator dividends add up to what the subnet paid its validators, and bonds follow the move to miner 4', () => {
    for (const r of Object.values(reports)) {
      const d = r.detail[0];
      const paid = d.validators.reduce((a, v) => a + BigInt(v.totals.dividends), 0n);
      expect(paid).toBe(BigInt(r.subnets[0].final.validatorsAlpha));
      expect(d.miners.map((m) => m.uid)).toEqual([3, 4]);
      expect(d.epochBlocks).toHaveLength(r.subnets[0].epochs);
      for (const v of d.validators) {
        const last = v.series.bonds[v.series.bonds.length - 1];
        expect(last[1]).toBeGreaterThan(last[0]); // bond to miner 4 above the bond to miner 3 by the end
        expect(v.series.dividends).toHaveLength(d.epochBlocks.length);
      }
    }
  });

  it('the CLI summary lists the miners that earned most largest first (it listed them by uid under that title): rows in descending incentive α, ties by uid', () => {
    const r = new Network({ engine, subnets: 2, uidsPerSubnet: 32, subnet1Uids: 0, validatorsPerSubnet: 4, tempo: 9 }).run({ blocks: 60 });
    const d = r.detail[0];
    expect(d.miners.length).toBeGreaterThan(2);
    const text = formatSummary(r, 0);
    const section = text.slice(text.indexOf(`Subnet ${d.netuid}: the ${d.miners.length} miners that earned most, largest first`));
    const rows = section.split('\n').slice(3, 3 + d.miners.length).map((l) => Number(l.trim().split(/\s+/)[0]));
    const want = [...d.miners].sort((a, b) => Number(BigInt(b.totals.emission) - BigInt(a.totals.emission)) || a.uid - b.uid).map((m) => m.uid);
    expect(rows).toEqual(want);
    expect(want).not.toEqual([...want].sort((a, b) => a - b));
  });

  it('the default network details subnet 1 only, and detailSubnets picks others', () => {
    const r = new Network({ engine, subnets: 3, uidsPerSubnet: 16, subnet1Uids: 0, validatorsPerSubnet: 4, tempo: 9, detailSubnets: [2, 3] }).run({ blocks: 40 });
    expect(r.detail.map((d) => d.netuid)).toEqual([2, 3]);
    expect(r.detail[0].validators).toHaveLength(4);
    expect(new Network({ engine, subnets: 2, uidsPerSubnet: 16, subnet1Uids: 0, tempo: 9 }).run({ blocks: 20 }).detail.map((d) => d.netuid)).toEqual([1]);
    expect(() => new Network({ engine, subnets: 2, detailSubnets: [5] })).toThrow(/detailSubnets\[0\]/);
  });
});

describe('built-in scenarios by name', () => {
  it('SCENARIOS holds every file of scenarios/, scenario(name) checks it, and the CLI takes --scenario cabal', async () => {
    const { SCENARIOS, scenario } = await import('../src/index.js');
    const { readdirSync } = await import('node:fs');
    const files = readdirSync(new URL('../scenarios/', import.meta.url)).filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -5)).sort();
    expect(Object.keys(SCENARIOS).sort()).toEqual(files);
    expect(scenario('cabal').network.cabalMiners).toBe(3);
    expect(() => scenario('nope')).toThrow(/no built-in scenario 'nope'/);
    const { runCli } = await import('../src/cli/run.js');
    let out = '';
    let err = '';
    const io = { stdout: { write: (s: string) => (out += s) }, stderr: { write: (s: string) => (err += s), isTTY: false, columns: 80 }, readFile: () => { throw Object.assign(new Error('no'), { code: 'ENOENT' }); }, writeFile: () => {}, createEngine: () => engine, now: () => 0 };
    expect(runCli(['simulate', '--scenario', 'yuma3-big-validator-moves-first', '--quiet'], io)).toBe(0);
    expect(out).toMatch(/A \(80 %, moves at once\)/);
    expect(runCli(['simulate', '--scenario', 'nope', '--quiet'], io)).toBe(2);
    expect(err).toMatch(/no built-in scenario 'nope' \(built in: cabal, weight-copying/);
  });
});
