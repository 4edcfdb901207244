/**
 * Mechanisms in the simulator and the CLI: `Network({ mechanisms, emissionSplit })`, the scenario field, the
 * `--mechanisms` flag, and `yuma-wasm epoch` on an input with mechanisms.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createEngineSync, type Engine } from '../src/engine.js';
import type { EpochOptions, EpochOutput } from '../src/epoch/types.js';
import type { PackedRows } from '../src/epoch/packed-rows.js';
import { Network } from '../src/sim/network.js';
import type { NetworkReport } from '../src/sim/report.js';
import { scenario } from '../src/sim/scenarios.js';
import { errorCode } from './helpers/errors.js';
import { runCliCaptured } from './helpers/cli.js';

const engine = createEngineSync();
const small = { subnets: 4, uidsPerSubnet: 32, subnet1Uids: 0, validatorsPerSubnet: 6, tempo: 20 } as const;
const dir = mkdtempSync(join(tmpdir(), 'yuma-mech-'));

/** An engine that records every epoch input the block model hands it. */
function recording(): { engine: Engine; inputs: Array<{ input: unknown; opts: EpochOptions | null | undefined }> } {
  const inputs: Array<{ input: unknown; opts: EpochOptions | null | undefined }> = [];
  return {
    inputs,
    engine: {
      ...engine,
      epoch(input: never, hyper?: never, opts?: EpochOptions | null): EpochOutput {
        inputs.push({ input, opts });
        return engine.epoch(input, hyper, opts as never);
      },
    } as Engine,
  };
}

const cli = (argv: string[]) => runCliCaptured(argv, engine);

const sumOf = (v: string[]) => v.reduce((a, b) => a + BigInt(b), 0n);

describe('Network with mechanisms', () => {
  it('runs every subnet as epoch_with_mechanisms with its split, validators weighting every mechanism, and still balances TAO and alpha exactly', () => {
    const rec = recording();
    const report = new Network({ ...small, engine: rec.engine, seed: 3, mechanisms: 3, emissionSplit: [10000, 20000, 35535] }).run({ blocks: 200 });
    expect(report.config.mechanisms).toBe(3);
    expect(rec.inputs.length).toBe(report.epochs);
    for (const { input, opts } of rec.inputs) {
      const m = input as { mechanisms: Array<{ weights: PackedRows }>; emissionSplit: number[] };
      expect(m.mechanisms).toHaveLength(3);
      expect(m.emissionSplit).toEqual([10000, 20000, 35535]);
      // every validator (uids 0–5) has weights on every mechanism
      for (const mech of m.mechanisms) for (let v = 0; v < 6; v++) expect(mech.weights.rows[v].length).toBeGreaterThan(0);
      expect(opts).toEqual({ mode: 'fixed', path: 'sparse' });
    }
    const t = report.totals as unknown as Record<string, string>;
    expect(BigInt(t.issuanceEnd) - BigInt(t.issuanceStart)).toBe(BigInt(t.taoEmitted) - BigInt(t.recycled));
    const a = report.alpha as unknown as Record<string, string>;
    expect(sumOf([a.inPools, a.staked, a.pending, a.protocol, a.rootClaimable, a.burned, a.undistributed])).toBe(BigInt(a.issuanceEnd));
    expect(report.subnets.every((s) => s.epochs > 0 && BigInt(s.final.validatorsAlpha) > 0n)).toBe(true);
  });

  it('mechanismSubnets gives only the listed subnets mechanisms; the others run a plain epoch', () => {
    const rec = recording();
    const report = new Network({ ...small, engine: rec.engine, seed: 3, mechanisms: 2, mechanismSubnets: [2, 4] }).run({ blocks: 100 });
    expect(report.config.mechanismSubnets).toEqual([2, 4]);
    const withMechs = rec.inputs.filter(({ input }) => 'mechanisms' in (input as object)).length;
    expect(withMechs).toBeGreaterThan(0);
    expect(withMechs).toBeLessThan(rec.inputs.length);
    expect(errorCode(() => new Network({ ...small, engine, mechanismSubnets: [5] }))).toBe('E_RANGE');
    expect(errorCode(() => new Network({ ...small, engine, mechanismSubnets: 2 as never }))).toBe('E_ARG');
  });

  it('is deterministic, and one mechanism is exactly the run without the option', () => {
    const a = new Network({ ...small, engine, seed: 5, mechanisms: 2 }).run({ blocks: 150 });
    const b = new Network({ ...small, engine, seed: 5, mechanisms: 2 }).run({ blocks: 150 });
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    const plain = new Network({ ...small, engine, seed: 5 }).run({ blocks: 150 }) as NetworkReport;
    const one = new Network({ ...small, engine, seed: 5, mechanisms: 1 }).run({ blocks: 150 });
    expect(JSON.stringify(one)).toBe(JSON.stringify(plain));
  });

  it('refuses bad mechanism options with a YumaError', () => {
    expect(errorCode(() => new Network({ ...small, engine, mechanisms: 0 }))).toBe('E_RANGE');
    expect(errorCode(() => new Network({ ...small, engine, mechanisms: 17 }))).toBe('E_RANGE');
    expect(errorCode(() => new Network({ ...small, engine, mechanisms: 2, emissionSplit: [65535] }))).toBe('E_SHAPE');
    expect(errorCode(() => new Network({ ...small, engine, mechanisms: 2, emissionSplit: [1, 2] }))).toBe('E_RANGE');
  });

  it('scenarios/two-mechanisms.json sets two mechanisms with a 30/70 split', () => {
    const sc = scenario('two-mechanisms');
    expect(sc.network.mechanisms).toBe(2);
    expect(sc.network.emissionSplit).toEqual([19660, 45875]);
    const r = new Network({ ...sc.network, subnets: 2, uidsPerSubnet: 32, subnet1Uids: 0, engine }).run({ blocks: 100 });
    expect(r.config.emissionSplit).toEqual([19660, 45875]);
  });
});

describe('CLI with mechanisms', () => {
  it('simulate --mechanisms 2 runs two mechanisms per subnet and says so', () => {
    const out = join(dir, 'r.json');
    const r = cli(['simulate', '--subnets', '2', '--uids', '24', '--subnet1-uids', '0', '--blocks', '80', '--tempo', '20', '--mechanisms', '2', '--quiet', '--out', out]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/2 mechanisms each/);
    expect((JSON.parse(readFileSync(out, 'utf8')) as NetworkReport).config.mechanisms).toBe(2);
    const bad = cli(['simulate', '--mechanisms', '17']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--mechanisms/);
  });

  it('--mechanisms over a scenario with another count resets its split (as a count change does on chain)', () => {
    const file = join(dir, 'sc.json');
    writeFileSync(file, JSON.stringify({ name: 't', blocks: 60, network: { subnets: 2, uidsPerSubnet: 24, subnet1Uids: 0, tempo: 20, mechanisms: 2, emissionSplit: [1, 65534] } }));
    const out = join(dir, 'sc-out.json');
    expect(cli(['simulate', '--scenario', file, '--mechanisms', '3', '--quiet', '--out', out]).code).toBe(0);
    const cfg = (JSON.parse(readFileSync(out, 'utf8')) as NetworkReport).config;
    expect([cfg.mechanisms, cfg.emissionSplit]).toEqual([3, null]);
  });

  it('epoch reads an input with mechanisms and prints the aggregate and each mechanism', () => {
    const shared = {
      n: 3, currentBlock: 10, tempo: 360, lastStepBlock: 0, blockAtRegistration: [0, 0, 0], validatorPermit: [true, true, false],
      emissionSplit: [16383, 49152],
    };
    // mechanism 0 in dense rows (n rows of n u16), mechanism 1 in dense rows too (one layout per input)
    const mechs = [
      { weights: [[0, 0, 65535], [0, 0, 65535], [0, 0, 0]], bonds: [[0, 0, 0], [0, 0, 0], [0, 0, 0]], lastUpdate: [9, 9, 9] },
      { weights: [[0, 0, 65535], [0, 0, 30000], [0, 0, 0]], bonds: [[0, 0, 0], [0, 0, 0], [0, 0, 0]], lastUpdate: [9, 9, 9] },
    ];
    const file = join(dir, 'mech.json');
    writeFileSync(file, JSON.stringify({ input: { ...shared, stake: ['3000000000', '1000000000', '0'], raoEmission: '1000000000', mechanisms: mechs }, mode: 'fixed' }));
    const r = cli(['epoch', file]);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    const dense = (rows: number[][]) => Uint16Array.from(rows.flat());
    const want = engine.epoch({
      ...shared, stake: [3_000_000_000n, 1_000_000_000n, 0n], raoEmission: 1_000_000_000n,
      mechanisms: mechs.map((m) => ({ weights: dense(m.weights), bonds: dense(m.bonds), lastUpdate: m.lastUpdate })),
    });
    expect(out.mechanisms).toHaveLength(2);
    expect(out.mechanismEmission).toEqual(['249988556', '750011444']);
    expect(out.emission).toEqual(want.emission.map(String));
    expect(out.votingStake).toEqual(['6000000000', '2000000000', '0']);
    expect(out.dividends).toEqual(Array.from(want.dividends));
    expect(out.serverEmission).toEqual(want.serverEmission.map(String));
    const rows = (b: unknown) => [0, 1, 2].map((i) => Array.from((b as Uint16Array).subarray(3 * i, 3 * i + 3)));
    expect(out.mechanisms[0].bonds).toEqual(rows(want.mechanisms[0].bonds));
    expect(out.mechanisms[0].bonds).toEqual([[0, 0, 65535], [0, 0, 21844], [0, 0, 0]]); // 3:1 stake, column max-upscaled
    expect(out.bonds).toEqual(out.mechanisms[0].bonds);
    expect(out.mechanisms[1].incentive).toEqual(Array.from(want.mechanisms[1].incentive));
    expect(out.mechanisms[1].serverEmission).toEqual(want.mechanisms[1].serverEmission.map(String));

    writeFileSync(join(dir, 'both.json'), JSON.stringify({ ...shared, stake: [1, 1, 0], raoEmission: 1, mechanisms: mechs, weights: [[], [], []] }));
    const both = cli(['epoch', join(dir, 'both.json')]);
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/either weights or mechanisms/);
  });
});
