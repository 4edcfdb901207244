import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { runCliCaptured } from './helpers/cli.js';
import { createEngineSync } from '../src/engine.js';
import { YUMA_VERSIONS, simulateCase, yumaEpoch, type YumaVersion } from '../src/research/index.js';
import { runYumaSimCase, yumaSimCaseFromJson, type YumaSimCase } from '../src/research/cases.js';
import { camel, flat, tolerance } from './helpers/yuma-sim.js';

// The 22 cases of the simulator as shipped data (scenarios/yuma-sim), run under every version with the
// simulator's parameters (bond penalty 0.99, liquid-alpha mode MIXED), against the same cases run through the
// simulator's own functions under torch 1.13.1 (test/fixtures/yuma-sim-cases): every output of every epoch.

const ROOT = new URL('..', import.meta.url).pathname;
const CASES_DIR = join(ROOT, 'scenarios/yuma-sim');
const cases: YumaSimCase[] = readdirSync(CASES_DIR)
  .filter((f) => /^case-\d\d\.json$/.test(f))
  .sort()
  .map((f) => yumaSimCaseFromJson(JSON.parse(readFileSync(join(CASES_DIR, f), 'utf8'))));

interface TorchCase {
  name: string;
  versions: Record<YumaVersion, { epochs: Array<Record<string, unknown>>; dividends_per_1000tao: number[][]; total_dividends: number[] }>;
}
const torch = JSON.parse(gunzipSync(readFileSync(join(ROOT, 'test/fixtures/yuma-sim-cases/torch-bp0.99.json.gz'))).toString('utf8').replace(/-Infinity/g, '-1e999').replace(/Infinity/g, '1e999')) as {
  bond_penalty: number;
  cases: TorchCase[];
};

describe('scenarios/yuma-sim: the simulator’s 22 cases as data', () => {
  it('holds cases 1–22, 40 epochs each, 3 validators × 2 or 3 servers, in the simulator’s order', () => {
    expect(cases.map((c) => c.id)).toEqual(Array.from({ length: 22 }, (_, i) => `Case ${i + 1}`));
    for (const c of cases) {
      expect(c.weights.length).toBe(40);
      expect(c.validators.length).toBe(3);
      expect([2, 3]).toContain(c.servers.length);
    }
    expect(cases.map((c) => c.name)).toEqual(torch.cases.map((c) => c.name));
  });

  it('carries the simulator’s bond resets (cases 5–8, 12, 13) and winner-takes-all overrides (cases 20–22)', () => {
    const resets = cases.filter((c) => c.resetBonds).map((c) => [c.id, c.resetBonds!.epoch, c.resetBonds!.column]);
    expect(resets).toEqual([
      ['Case 5', 20, 1],
      ['Case 6', 21, 0],
      ['Case 7', 21, 0],
      ['Case 8', 20, 1],
      ['Case 12', 20, 1],
      ['Case 13', 20, 0],
    ]);
    expect(cases.filter((c) => c.config.winnerTakesAll).map((c) => c.id)).toEqual(['Case 20', 'Case 21', 'Case 22']);
  });

  it('case 1 is “kappa moves first”: all on server 1, then the big validator moves to server 2 first', () => {
    const c = cases[0];
    expect(c.weights[0]).toEqual([[1, 0], [1, 0], [1, 0]]);
    expect(c.weights[1]).toEqual([[0, 1], [1, 0], [1, 0]]);
    expect(c.weights[2]).toEqual([[0, 1], [0, 1], [1, 0]]);
    expect(c.weights[39]).toEqual([[0, 1], [0, 1], [0, 1]]);
    expect(c.stakes[0].map(Math.fround)).toEqual([0.8, 0.1, 0.1].map(Math.fround));
  });
});

describe.each(['f64', 'f32'] as const)('the 22 cases under every version vs the simulator under torch (%s)', (precision) => {
  it.each(cases.map((c, i) => [c.id, i] as const))('%s: every output of every epoch within 2e-6 + 1e-5·|g|, totals within 1e-4 relative', (_id, i) => {
    const c = cases[i];
    for (const version of YUMA_VERSIONS) {
      const run = runYumaSimCase(c, version, { precision, config: { bondPenalty: torch.bond_penalty } });
      const golden = torch.cases[i].versions[version];
      const worst = { excess: 0, where: '' };
      for (let e = 0; e < c.weights.length; e++) {
        compareWithTorch(run.epochs[e] as unknown as Record<string, unknown>, golden.epochs[e], `${version} e${e}`, worst);
      }
      expect(worst.excess, worst.where).toBeLessThanOrEqual(0);
      for (let v = 0; v < 3; v++) {
        expect(Math.abs(run.totalDividends[v] - golden.total_dividends[v])).toBeLessThanOrEqual(1e-4 * Math.abs(golden.total_dividends[v]));
        for (let e = 0; e < 40; e++) expect(Math.abs(run.dividendsPer1000Tao[v][e] - golden.dividends_per_1000tao[v][e])).toBeLessThanOrEqual(1e-5 * Math.abs(golden.dividends_per_1000tao[v][e]) + 1e-9);
      }
    }
  });
});

/**
 * Every output of one epoch against torch's (float32) golden values: lengths equal, the simulator's NaN/∞
 * validator trust (no weights set) 0 here (the finite rule), and `worst` raised to the largest excess over
 * 2e-6 + 1e-5·|g| with where it sits (a NaN output counts as the worst, never as within the bound). Returns how
 * many finite golden values were compared.
 */
function compareWithTorch(ours: Record<string, unknown>, golden: Record<string, unknown>, label: string, worst: { excess: number; where: string }): number {
  let compared = 0;
  for (const [key, g] of Object.entries(golden)) {
    const gs = flat(g).map((x) => (x === null ? NaN : Math.fround(x)));
    const xs = flat(ours[camel(key)]);
    expect(xs.length, `${label} ${key}`).toBe(gs.length);
    for (let k = 0; k < gs.length; k++) {
      if (!Number.isFinite(gs[k])) {
        expect(xs[k], `${label} ${key}[${k}]`).toBe(0);
        continue;
      }
      compared++;
      const excess = Math.abs(xs[k] - gs[k]) - tolerance(gs[k]);
      if (!(excess <= worst.excess)) {
        worst.excess = Number.isNaN(excess) ? Infinity : excess;
        worst.where = `${label} ${key}[${k}]: ${xs[k]} vs ${gs[k]}`;
      }
    }
  }
  return compared;
}

/**
 * Epoch e of case i run alone, fed _call_yuma's state from torch's previous epoch: its bonds (Yuma 2C/3
 * validator_bonds, else validator_ema_bond, with the case's bond column zeroed at its reset epoch for Yuma 2C/3),
 * its consensus (not Yuma 2C) and, for Yuma 2B, its weights.
 */
function fedEpoch(i: number, version: YumaVersion, e: number, precision: 'f64' | 'f32'): Record<string, unknown> {
  const c = cases[i];
  const golden = torch.cases[i].versions[version].epochs;
  const bondsKey = version === 'yuma2c' || version.startsWith('yuma3') ? 'validator_bonds' : 'validator_ema_bond';
  const resets = c.resetBonds && (version === 'yuma2c' || version.startsWith('yuma3')) ? c.resetBonds : null;
  let bondsOld: number[][] | null = null;
  if (e > 0) {
    bondsOld = (golden[e - 1][bondsKey] as number[][]).map((row) => row.slice());
    if (resets && resets.epoch === e) for (const row of bondsOld) row[resets.column] = 0;
  }
  const input = {
    weights: c.weights[e],
    stakes: c.stakes[e],
    bondsOld,
    consensusOld: e === 0 || version === 'yuma2c' ? null : (golden[e - 1].server_consensus_weight as number[]),
    weightsPrev: e === 0 || version !== 'yuma2b' ? null : (golden[e - 1].weight as number[][]),
  };
  return yumaEpoch(version, input as never, { bondPenalty: torch.bond_penalty, ...c.config }, { precision }) as unknown as Record<string, unknown>;
}

describe('the 22 cases, f64: the worst relative error the README states', () => {
  // Below float32's normal range (2^-126) torch's values are subnormals with fewer significant bits (a golden
  // 1.0000086e-40 is 1e-40 here): the relative figure is over normal values.
  it('worst |x − g| / |g| over every output with |g| ≥ 2^-126, chaining its own state and fed torch\'s, is ≤ 1.2e-6, on Yuma 3 bonds at epoch 39', () => {
    const NORMAL = 2 ** -126;
    let worst = { rel: 0, key: '', epoch: -1, version: '', where: '' };
    let compared = 0;
    cases.forEach((c, i) => {
      for (const version of YUMA_VERSIONS) {
        const run = runYumaSimCase(c, version, { config: { bondPenalty: torch.bond_penalty } });
        torch.cases[i].versions[version].epochs.forEach((golden, e) => {
          const fed = fedEpoch(i, version, e, 'f64');
          for (const [key, g] of Object.entries(golden)) {
            const gs = flat(g).map((x) => (x === null ? NaN : Math.fround(x)));
            for (const [how, ours] of [['chained', run.epochs[e] as unknown as Record<string, unknown>], ['fed', fed]] as const) {
              const xs = flat(ours[camel(key)]);
              expect(xs.length, `${c.id} ${version} e${e} ${key}`).toBe(gs.length);
              for (let k = 0; k < gs.length; k++) {
                if (!(Math.abs(gs[k]) >= NORMAL)) continue;
                compared++;
                const rel = Math.abs(xs[k] - gs[k]) / Math.abs(gs[k]);
                // written so a NaN output counts as the worst
                if (!(rel <= worst.rel)) worst = { rel: Number.isNaN(rel) ? Infinity : rel, key, epoch: e, version, where: `${c.id} ${version} ${how} e${e} ${key}[${k}]: ${xs[k]} vs ${gs[k]}` };
              }
            }
          }
        });
      }
    });
    expect(compared).toBeGreaterThan(100_000);
    expect(worst.rel, worst.where).toBeLessThanOrEqual(1.2e-6);
    expect([worst.version, worst.key, worst.epoch], worst.where).toEqual(['yuma3', 'validator_bonds', 39]);
  });
});

describe.each(['f64', 'f32'] as const)('the 22 cases under every version, each epoch fed the simulator\'s state, vs torch (%s)', (precision) => {
  // _call_yuma's state: the previous epoch's bonds (Yuma 2C/3 validator_bonds, else validator_ema_bond, with the
  // case's bond column zeroed at its reset epoch for Yuma 2C/3), consensus (not Yuma 2C) and, for Yuma 2B, weights.
  it.each(cases.map((c, i) => [c.id, i] as const))('%s: every output of every epoch within 2e-6 + 1e-5·|g|', (_id, i) => {
    const c = cases[i];
    let compared = 0;
    for (const version of YUMA_VERSIONS) {
      const golden = torch.cases[i].versions[version].epochs;
      const worst = { excess: 0, where: '' };
      for (let e = 0; e < c.weights.length; e++) {
        compared += compareWithTorch(fedEpoch(i, version, e, precision), golden[e], `${version} e${e}`, worst);
      }
      expect(worst.excess, worst.where).toBeLessThanOrEqual(0);
    }
    expect(compared).toBeGreaterThan(6 * 40 * 20);
  });
});

describe('case 21: the epochs whose consensus is all zero', () => {
  it('are flagged (epochs 5, 21, 22, 25, 30 under every version) and follow torch on x86 by default, finite everywhere', () => {
    const c = cases[20];
    for (const version of YUMA_VERSIONS) {
      const run = runYumaSimCase(c, version);
      expect(run.epochs.flatMap((r, e) => (r.degenerateConsensus ? [e] : []))).toEqual([5, 21, 22, 25, 30]);
      const r = run.epochs[5];
      // INT_MIN / 65535 (−32768.5 in float32).
      expect(Array.from(r.serverConsensusWeight)).toEqual(new Array(3).fill(-2147483648 / 65535));
      expect(Array.from(r.serverIncentive).map((x) => x.toFixed(6))).toEqual(['0.333333', '0.333333', '0.333333']);
      for (const e of run.epochs) for (const [k, v] of Object.entries(e)) if (typeof v === 'object') for (const x of flat(v)) expect(Number.isFinite(x), k).toBe(true);
    }
  });

  it("degenerateConsensus: 'arm' gives the ARM result instead: consensus 0, clipped weights 0, no incentive", () => {
    const c = cases[20];
    const run = runYumaSimCase(c, 'yuma3', { degenerateConsensus: 'arm' });
    const r = run.epochs[5];
    expect(Array.from(r.serverConsensusWeight)).toEqual([0, 0, 0]);
    expect(r.consensusClippedWeight.flatMap((row) => Array.from(row))).toEqual(new Array(9).fill(0));
    // Winner takes all (case 21): every server ties at rank 0, so each gets a third.
    expect(Array.from(r.serverIncentive).map((x) => x.toFixed(6))).toEqual(['0.333333', '0.333333', '0.333333']);
    const plain = simulateCase({ version: 'yuma3', weights: c.weights, stakes: c.stakes, degenerateConsensus: 'arm' })[5];
    expect(Array.from(plain.serverIncentive)).toEqual([0, 0, 0]);
    expect(Array.from(plain.validatorRewardNormalized)).toEqual([0, 0, 0]);
  });
});

describe('yuma-wasm cases (CLI)', () => {
  const engine = createEngineSync();
  const dir = mkdtempSync(join(tmpdir(), 'yuma-cases-'));
  const cli = (argv: string[]) => runCliCaptured(argv, engine, { casesDir: CASES_DIR });

  it('prints the summary a row per case and validator (its letter and name), a column per version: 66 rows of 6 totals, equal to torch’s to 4 decimals, every line at most 100 columns (the one-row-per-case table was 214)', () => {
    const r = cli(['cases']);
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    for (const l of lines) expect(l.length, l).toBeLessThanOrEqual(100);
    const header = lines.find((l) => l.startsWith('Case '))!;
    expect(header.split(/\s{2,}/)).toEqual(['Case', 'Validator', 'Yuma 1', 'Yuma 2', 'Yuma 2B', 'Yuma 2C', 'Yuma 3', 'Yuma 3 liquid']);
    const rows = lines.slice(lines.indexOf(header) + 2);
    expect(rows).toHaveLength(66);
    for (let i = 0; i < 22; i++) {
      const names = cases[i].validators;
      for (let j = 0; j < 3; j++) {
        const cells = rows[3 * i + j].trim().split(/\s{2,}/);
        const want = [`${'ABC'[j]} ${names[j]}`, ...YUMA_VERSIONS.map((v) => torch.cases[i].versions[v].total_dividends[j].toFixed(4))];
        // the case is named on its first validator's row only
        expect(cells).toEqual(j === 0 ? [`Case ${i + 1}`, ...want] : want);
      }
    }
    expect(rows[3]).toMatch(/^Case 2 +A Big vali\. \(0\.8\) +1\.6491 +1\.6446 +1\.5995 +1\.6435 +1\.6426 +1\.6249$/);
    expect(rows[4]).toMatch(/^ +B Small eager vali\. \(0\.1\) +1\.6036 +1\.6449 +2\.0508 +1\.7284 +1\.7741 +1\.8892$/);
  });

  it("the README's excerpt of the terminal table is the first five lines of `yuma-wasm cases` as it prints them", () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8').split('\n');
    const at = readme.findIndex((l, k) => l === '```text' && readme[k + 1].startsWith('Case     Validator'));
    expect(at).toBeGreaterThan(0);
    const excerpt = readme.slice(at + 1, readme.indexOf('```', at + 1));
    expect(excerpt).toHaveLength(5);
    const printed = cli(['cases']).stdout.split('\n');
    const head = printed.findIndex((l) => l.startsWith('Case '));
    expect(excerpt).toEqual(printed.slice(head, head + 5));
  });

  it('--wide prints the simulator’s own table: 22 cases × (6 versions × 3 validators) totals, equal to torch’s to 4 decimals', () => {
    const r = cli(['cases', '--wide']);
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    const header = lines.find((l) => l.startsWith('Case '))!;
    expect(header).toContain('A Yuma 1');
    expect(header).toContain('C Yuma 3 liquid');
    const rows = lines.filter((l) => /^Case \d+ /.test(l));
    expect(rows.length).toBe(22);
    for (let i = 0; i < 22; i++) {
      const cells = rows[i].trim().split(/\s{2,}/);
      expect(cells[0]).toBe(`Case ${i + 1}`);
      const want = YUMA_VERSIONS.flatMap((v) => torch.cases[i].versions[v].total_dividends.map((t) => t.toFixed(4)));
      expect(cells.slice(1)).toEqual(want);
    }
  });

  it('--wide with --markdown exits 2 naming both, before any case runs', () => {
    const r = cli(['cases', '--wide', '--markdown']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.split('\n')[0]).toBe('yuma-wasm: give either --markdown or --wide, not both (--markdown prints the wide table)');
  });

  it("the README's table is `yuma-wasm cases --markdown` as it prints, row for row", () => {
    const r = cli(['cases', '--markdown']);
    expect(r.code).toBe(0);
    const printed = r.stdout.split('\n').filter((l) => l.startsWith('|'));
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8').split('\n').filter((l) => l.startsWith('| Case ') || l.startsWith('| --- |'));
    expect(printed).toHaveLength(24);
    expect(readme).toEqual(printed);
  });

  it('--version, --case, --markdown, --json and --chart select and write what was asked', () => {
    const json = join(dir, 'out.json');
    const chart = join(dir, 'out.html');
    const r = cli(['cases', '--version', 'yuma2c,yuma3', '--case', '5-6,20', '--markdown', '--json', json, '--chart', chart]);
    expect(r.code).toBe(0);
    const md = r.stdout.split('\n').filter((l) => l.startsWith('|'));
    expect(md[0]).toBe('| Case | A Yuma 2C | B Yuma 2C | C Yuma 2C | A Yuma 3 | B Yuma 3 | C Yuma 3 |');
    expect(md.slice(2).map((l) => l.split(' | ')[0])).toEqual(['| Case 5 - kappa moves second, then third', '| Case 6 - kappa moves second, then all validators switch', '| Case 20 - Server-side WTA']);
    const out = JSON.parse(readFileSync(json, 'utf8'));
    expect(out.cases.map((c: { id: string }) => c.id)).toEqual(['Case 5', 'Case 6', 'Case 20']);
    expect(out.cases[0].runs.map((x: { version: string }) => x.version)).toEqual(['yuma2c', 'yuma3']);
    expect(out.cases[0].runs[1].epochs).toHaveLength(40);
    expect(out.cases[0].runs[1].totalDividends[0]).toBeCloseTo(torch.cases[4].versions.yuma3.total_dividends[0], 4);
    const html = readFileSync(chart, 'utf8');
    // Per case and version: one dividends chart, one bonds chart per server, one incentive chart.
    expect((html.match(/<svg /g) ?? []).length).toBe(2 * (1 + 2 + 1) + 2 * (1 + 2 + 1) + 2 * (1 + 2 + 1));
    expect(html).toContain('Yuma 3 (Rhef+relative bonds): bonds on Server 2');
    expect(html).toContain('bonds of server 2 reset before epoch 20');
    expect(html).not.toMatch(/NaN|Infinity/);
  });

  it('a chart for every case under Yuma 2 with β = 0.99, as the simulator’s own chart-table test', () => {
    const chart = join(dir, 'yuma2.html');
    const r = cli(['cases', '--version', 'yuma2', '--bond-penalty', '0.99', '--chart', chart]);
    expect(r.code).toBe(0);
    const html = readFileSync(chart, 'utf8');
    expect((html.match(/<section class="case"/g) ?? []).length).toBe(22);
    expect((html.match(/class="dividends"/g) ?? []).length).toBe(22);
    expect((html.match(/<path class="series"/g) ?? []).length).toBeGreaterThan(22 * 3);
  });

  it('bad flags exit 2 with one clear line and the help hint on stderr', () => {
    const bad: Array<[string[], RegExp]> = [
      [['cases', '--version', 'yuma4'], /unknown version 'yuma4'/],
      [['cases', '--case', '23'], /not a case number 1–22/],
      [['cases', '--dir', dir], /cannot read case file/],
      [['cases', '--bond-penalty', '2'], /./],
      [['cases', 'extra'], /./],
    ];
    for (const [argv, message] of bad) {
      const r = cli(argv);
      expect(r.code, argv.join(' ')).toBe(2);
      expect(r.stderr, argv.join(' ')).toMatch(message);
      const lines = r.stderr.trim().split('\n');
      expect(lines, `${argv.join(' ')}: ${r.stderr}`).toHaveLength(2);
      expect(lines[0], argv.join(' ')).toMatch(/^yuma-wasm: /);
      expect(lines[1], argv.join(' ')).toBe("Run 'yuma-wasm cases --help' for usage.");
    }
  });
});
