import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { Progress } from '../src/cli/progress.js';
import type { NetworkReport } from '../src/sim/report.js';
import { createEngineSync } from '../src/engine.js';
import { toJSON } from '../src/epoch/json.js';
import { runCliCaptured } from './helpers/cli.js';

const engine = createEngineSync();

const dir = mkdtempSync(join(tmpdir(), 'yuma-cli-'));

const cli = (argv: string[], opts: { tty?: boolean } = {}) => runCliCaptured(argv, engine, opts);

const tiny = ['simulate', '--subnets', '3', '--uids', '32', '--subnet1-uids', '0', '--blocks', '120', '--tempo', '20'];

describe('CLI errors: exit code 2, one clear line, no stack trace', () => {
  const cases: Array<[string[], RegExp]> = [
    [['simulate', '--subnets', 'many'], /--subnets must be a number/],
    [['simulate', '--subnets', '0'], /--subnets must be at least 1/],
    [['simulate', '--days', '1', '--blocks', '5'], /either --blocks or --days/],
    [['simulate', '--share-mode', 'vibes'], /--share-mode must be one of moving-price, proportional, softmax/],
    [['simulate', '--frobnicate'], /unknown option '--frobnicate'/],
    [['simulate', '--seed'], /--seed needs a value/],
    [['simulate', '--scenario', join(dir, 'missing.json')], /cannot read scenario file .*no such file/],
    [['simulate', 'extra'], /takes no arguments/],
    [['epoch'], /needs an input file/],
    [['epoch', join(dir, 'nope.json')], /^yuma-wasm: cannot read epoch input '[^']*nope\.json': no such file\n/],
    [['diverge', join(dir, 'nope.json')], /^yuma-wasm: cannot read epoch input '[^']*nope\.json': no such file\n/],
    [['simulate', '--days', '-1'], /^yuma-wasm: --days must be at least 1\/7200 \(one block\) \(got -1\)\n/],
    [['simulate', '--days', '0.0001'], /^yuma-wasm: --days must be at least 1\/7200 \(one block\) \(got 0\.0001\)\n/],
    [['bench', '--fast'], /unknown option '--fast'/],
    [['launch'], /unknown command 'launch'/],
  ];
  for (const [argv, msg] of cases) {
    it(`${argv.join(' ')}: exit 2, stderr the one 'yuma-wasm: ' line and the --help pointer, nothing on stdout`, () => {
      const r = cli(argv);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(msg);
      const lines = r.stderr.trimEnd().split('\n');
      expect(lines, r.stderr).toHaveLength(2);
      expect(lines[0].startsWith('yuma-wasm: ')).toBe(true);
      expect(lines[1]).toMatch(/^Run 'yuma-wasm( \w+)? --help' for usage\.$/);
      expect(r.stdout).toBe('');
    });
  }

  it('bad files: invalid JSON, bad scenario fields, bad epoch input', () => {
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{ "network": ');
    expect(cli(['simulate', '--scenario', bad]).stderr).toMatch(/is not valid JSON/);
    writeFileSync(bad, JSON.stringify({ network: { subnets: 2, tempo: -1 } }));
    const r = cli(['simulate', '--scenario', bad]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/scenario file .*tempo must be in \[1, 65535\]/);
    writeFileSync(bad, JSON.stringify({ n: 2, stake: ['1', 'x'] }));
    expect(cli(['epoch', bad]).stderr).toMatch(/stake\[1\] must be a whole number of digits when given as a string \(got "x"\)/);
    writeFileSync(bad, JSON.stringify({ n: 2, currentBlock: 5, tempo: 1, lastStepBlock: 0, stake: ['1', '2'], weights: [[0, 1]], bonds: [[], []], lastUpdate: [0, 0], blockAtRegistration: [0, 0], validatorPermit: [], raoEmission: '1' }));
    const e = cli(['epoch', bad]);
    expect(e.code).toBe(2);
    expect(e.stderr).toMatch(/epoch input .*weights/);
    expect(e.stderr).not.toMatch(/\n\s+at /);
  });

  it('no command prints usage and exits 2', () => {
    const r = cli([]);
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/Usage:/);
  });
});

describe('--help', () => {
  for (const cmd of [['--help'], ['simulate', '--help'], ['epoch', '--help'], ['bench', '--help']]) {
    it(cmd.join(' '), () => {
      const r = cli(cmd);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/Usage:\s+yuma-wasm/);
    });
  }
  it("'help <command>' prints exactly what '<command> --help' prints, exit 0, for each of the five commands (it printed the main help); 'help nope' still prints the main help", () => {
    for (const c of ['simulate', 'epoch', 'bench', 'cases', 'diverge']) {
      const viaHelp = cli(['help', c]);
      expect(viaHelp.code).toBe(0);
      expect(viaHelp.stdout).toBe(cli([c, '--help']).stdout);
      expect(viaHelp.stdout.startsWith(`Usage: yuma-wasm ${c} `)).toBe(true);
    }
    expect(cli(['help', 'nope']).stdout).toBe(cli(['--help']).stdout);
  });

  it("simulate --scenario cabal.json, no such file: the message names the built-in scenario 'cabal' and how to run it; other missing files keep the plain message", () => {
    const r = cli(['simulate', '--scenario', 'cabal.json', '--quiet']);
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n')[0]).toBe("yuma-wasm: cannot read scenario file 'cabal.json': no such file; the built-in scenario of that name runs with --scenario cabal");
    expect(cli(['simulate', '--scenario', './nope.json', '--quiet']).stderr.split('\n')[0]).toBe("yuma-wasm: cannot read scenario file './nope.json': no such file");
  });

  it('simulate --help lists every flag of the issue', () => {
    const { stdout } = cli(['simulate', '--help']);
    for (const f of ['--subnets', '--uids', '--blocks', '--days', '--seed', '--share-mode', '--scenario', '--out', '--chart', '--mode']) expect(stdout).toContain(f);
  });
});

describe('simulate', () => {
  it('prints a summary, writes the report and the chart, shows progress lines when stderr is not a TTY', () => {
    const out = join(dir, 'r.json');
    const chart = join(dir, 'r.html');
    const r = cli([...tiny, '--out', out, '--chart', chart]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Simulated 120 blocks .* on 3 subnets/);
    expect(r.stdout).toMatch(/Top 3 subnets by emission share/);
    expect(r.stdout).toMatch(/Validator yield by strategy/);
    expect(r.stderr).toMatch(/simulate: 100% \(120\/120/);
    expect(r.stderr).not.toMatch(/\r/);
    const report = JSON.parse(readFileSync(out, 'utf8')) as NetworkReport;
    expect(report.blocks.count).toBe(120);
    expect(report.config.subnets).toBe(3);
    const t = report.totals;
    expect(BigInt(t.issuanceEnd) - BigInt(t.issuanceStart)).toBe(BigInt(t.taoEmitted) - BigInt(t.recycled));
    expect(readFileSync(chart, 'utf8')).toMatch(/<svg id="chart-prices"/);
  });

  it('without a TTY, progress is one line per 10 % (10 %, 20 %, … 100 %) once the run has taken a second; a run under a second prints none', () => {
    const lines: string[] = [];
    let now = 0;
    const p = new Progress({ write: (x) => lines.push(x) }, 'simulate', () => now);
    for (let done = 1; done <= 1000; done++) {
      now = 1500 + done; // past the first second
      p.update(done, 1000);
    }
    p.finish();
    expect(lines.map((l) => l.split(' ')[1])).toEqual(Array.from({ length: 10 }, (_, i) => `${10 * (i + 1)}%`));
    expect(lines.every((l) => l.endsWith(' s)\n'))).toBe(true);
    const quick: string[] = [];
    const q = new Progress({ write: (x) => quick.push(x) }, 'simulate', () => 0);
    for (let done = 1; done <= 100; done++) q.update(done, 100);
    expect(quick).toEqual([]);
  });

  it('draws a redrawn bar on a TTY', () => {
    const r = cli([...tiny, '--seed', '3'], { tty: true });
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/\rsimulate \[#+\] 100% 120\/120/);
  });

  it('--quiet prints no progress in either run; the same seed gives the same summary and the same report file', () => {
    const a = join(dir, 'a.json');
    const b = join(dir, 'b.json');
    const r = cli([...tiny, '--quiet', '--out', a]);
    const again = cli([...tiny, '--quiet', '--out', b]);
    for (const run of [r, again]) {
      expect(run.code, run.stderr).toBe(0);
      expect(run.stderr).toBe('');
    }
    // the summary names its own report file; all else is the same
    expect(again.stdout).toContain(`Report written to ${b}`);
    expect(again.stdout.replace(b, a)).toBe(r.stdout);
    expect(readFileSync(a, 'utf8')).toBe(readFileSync(b, 'utf8'));
  });

  it("--model picks the block: seed runs the seed document's model (softmax shares) and says so; an unknown model exits 2", () => {
    const out = join(dir, 'seed.json');
    const r = cli(['simulate', '--model', 'seed', '--subnets', '2', '--uids', '16', '--subnet1-uids', '0', '--blocks', '30', '--tempo', '9', '--out', out, '--quiet']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/with the seed document's model/);
    const report = JSON.parse(readFileSync(out, 'utf8')) as NetworkReport;
    expect([report.config.model, report.config.shareMode, report.totals.taoOnRoot]).toEqual(['seed', 'softmax', '0']);
    const bad = cli(['simulate', '--model', 'later']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--model/);
  });

  it('runs a scenario file, flags overriding it', () => {
    const out = join(dir, 's.json');
    const r = cli(['simulate', '--scenario', 'scenarios/yuma3-big-validator-moves-first.json', '--blocks', '20', '--out', out, '--quiet']);
    expect(r.code).toBe(0);
    const report = JSON.parse(readFileSync(out, 'utf8')) as NetworkReport;
    expect(report.blocks.count).toBe(20);
    expect(report.config.tempo).toBe(1);
    expect(report.subnets[0].epochs).toBe(20); // tempo 1 on HEAD's schedule: an epoch every block
  });
});

describe('epoch', () => {
  it("prints toJSON(output) for chain conformance cases as the file holds them (one with a last-update block near u64::MAX, which JSON.parse makes 2^64): fixed mode every field the chain's, float within the fixtures' contract", () => {
    const lines = gunzipSync(readFileSync('test/fixtures/chain-sparse-epochs.jsonl.gz')).toString('utf8').split('\n').filter(Boolean);
    const raws = [JSON.parse(lines[3]), JSON.parse(lines.find((l) => /"lastUpdate":\[[^\]]*\d{17}/.test(l))!)];
    expect(raws[1].input.lastUpdate.some((b: number) => !Number.isSafeInteger(b))).toBe(true);
    for (const raw of raws) {
      const file = join(dir, 'case.json');
      writeFileSync(file, JSON.stringify({ input: raw.input, hyper: raw.hyper, path: 'sparse' }));
      for (const mode of ['fixed', 'float'] as const) {
        const r = cli(['epoch', file, '--mode', mode]);
        expect(r.code, r.stderr).toBe(0);
        const out = JSON.parse(r.stdout);
        expect(out).toEqual(JSON.parse(JSON.stringify(toJSON(engine.epoch(raw.input, raw.hyper, { mode, path: 'sparse' })))));
        const n = raw.input.n;
        const steps = mode === 'fixed' ? 0 : 2;
        for (const k of ['consensus', 'incentive', 'dividends', 'stakeWeight', 'validatorTrust']) {
          expect(out[k]).toHaveLength(n);
          out[k].forEach((v: number, i: number) => expect(Math.abs(v - raw.output[k][i]), `case ${raw.case} ${mode} ${k}[${i}]`).toBeLessThanOrEqual(steps));
        }
        expect(out.active).toEqual(raw.output.active);
        expect(out.validatorPermit).toEqual(raw.output.validatorPermit);
        out.bonds.forEach((row: number[], i: number) => row.forEach((v, j) => expect(Math.abs(v - raw.output.bonds[i][j]), `case ${raw.case} ${mode} bonds[${i}][${j}]`).toBeLessThanOrEqual(steps)));
        const tol = mode === 'fixed' ? 0n : BigInt(raw.input.raoEmission) / 20000n;
        for (const k of ['serverEmission', 'validatorEmission']) {
          out[k].forEach((v: string, i: number) => {
            const d = BigInt(v) - BigInt(raw.output[k][i]);
            expect(d < 0n ? -d : d, `case ${raw.case} ${mode} ${k}[${i}]`).toBeLessThanOrEqual(tol);
          });
        }
      }
    }
  });
});

/**
 * The README's heredoc that writes `name` (`cat > name <<'EOF'` … `EOF`): the README's lines, the opener's and
 * the closing EOF's indexes, and where `write` puts the heredoc's body in the temp dir, so a test can run the
 * command lines that follow it on the file the reader would have.
 */
function readmeHeredoc(name: string) {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8').split('\n');
  const at = readme.indexOf(`cat > ${name} <<'EOF'`);
  const end = readme.indexOf('EOF', at + 1);
  const file = join(dir, name);
  return { readme, at, end, file, write: () => writeFileSync(file, readme.slice(at + 1, end).join('\n')) };
}

describe("the README's metagraph command-line block runs as written", () => {
  const { readme, at, end, file, write } = readmeHeredoc('metagraph.json');

  it("its heredoc writes a 4-UID dump, and each 'npx yuma-wasm' line exits 0: E is the ts example's view.E, as the comment says, then twice that with --emission 2000000000", () => {
    expect(at).toBeGreaterThan(0);
    write();
    const commands = readme.slice(end + 1, readme.indexOf('```', end)).filter((l) => l.startsWith('npx yuma-wasm '));
    expect(commands).toHaveLength(2);
    const E = commands.map((line) => {
      const argv = line.replace(/#.*$/, '').trim().split(/\s+/).slice(2).map((a) => (a === 'metagraph.json' ? file : a));
      const r = cli(argv);
      expect(r.code, r.stderr).toBe(0);
      return (JSON.parse(r.stdout) as { metagraph: { E: number[] } }).metagraph.E;
    });
    expect(E[0]).toEqual([0.375000477, 0.124999522, 0.374998569, 0.12500143]);
    expect(commands[0]).toContain(`# its E: [${E[0].slice(0, 2).join(', ')}, …]`);
    expect(E[1]).toEqual([0.750000954, 0.249999045, 0.749997138, 0.250002861]);
  });
});

describe("the README's command-line overview: the input.json it writes runs through its epoch and diverge lines", () => {
  const { readme, at, end, file, write } = readmeHeredoc('input.json');

  it("epoch prints incentive [0, 0, 49151, 16383] as its comment says; diverge says the two paths store the same outputs", () => {
    expect(at).toBeGreaterThan(0);
    write();
    const line = (cmd: string) => readme.slice(end + 1).find((l) => l.startsWith(`npx yuma-wasm ${cmd} input.json `))!;
    expect(line('epoch')).toContain('("incentive": [0, 0, 49151, 16383])');
    const epoch = cli(['epoch', file]);
    expect(epoch.code, epoch.stderr).toBe(0);
    expect((JSON.parse(epoch.stdout) as { incentive: number[] }).incentive).toEqual([0, 0, 49151, 16383]);
    expect(line('diverge')).toBeDefined();
    const diverge = cli(['diverge', file]);
    expect(diverge.code, diverge.stderr).toBe(0);
    expect(diverge.stdout).toBe('The two paths store the same outputs: no divergence.\n');
  });
});
