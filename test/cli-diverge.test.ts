import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { randomSubnet, surveyPathDivergence, YUMA_VARIANTS } from '../src/epoch/divergence-survey.js';
import { toJSON } from '../src/epoch/json.js';
import { PATH_RULES } from '../src/epoch/path-rules.js';
import { createEngineSync } from '../src/engine.js';
import { Rng } from '../src/rng.js';
import { CRAFTED, MECHANISM_PERMITS_CAUSE, subnet, twoMechanisms } from './helpers/path-divergence-crafted.js';
import { expectYumaError, yumaCode } from './helpers/errors.js';
import { runCliCaptured } from './helpers/cli.js';

const engine = createEngineSync();
const dir = mkdtempSync(join(tmpdir(), 'yuma-diverge-'));

const cli = (argv: string[]) => runCliCaptured(argv, engine);

function file(name: string, value: unknown): string {
  const p = join(dir, name);
  writeFileSync(p, JSON.stringify(toJSON(value)));
  return p;
}

/** The report as the CLI's JSON carries it. */
const asJson = (v: unknown): unknown => JSON.parse(JSON.stringify(toJSON(v)));
const codes = PATH_RULES.map((r) => r.code);

describe('yuma-wasm diverge <input.json>', () => {
  describe.each(CRAFTED)('crafted subnet for $cause', ({ cause, input, hyper }) => {
    const f = file(`${cause}.json`, { input, hyper });
    it('the table names exactly that cause, with its two behaviours', () => {
      const r = cli(['diverge', f]);
      expect(r.code).toBe(0);
      expect(r.stderr).toBe('');
      expect(r.stdout).toMatch(/^The paths differ in: /);
      for (const c of codes) expect(r.stdout.includes(`\n${c} `), c).toBe(c === cause);
      const rule = PATH_RULES.find((p) => p.code === cause)!;
      expect(r.stdout).toContain(`  sparse (chain): ${rule.sparse}\n  dense (tests):  ${rule.dense}`);
    });
    it('--json prints the library report exactly (both outputs included)', () => {
      const r = cli(['diverge', f, '--json']);
      expect(r.code).toBe(0);
      const printed = JSON.parse(r.stdout);
      expect(printed.causes).toEqual([cause]);
      expect(printed).toEqual(asJson(engine.explainPathDivergence(input, hyper)));
    });
  });

  it('an epoch both paths pay alike: "no divergence", and differs: false in the JSON', () => {
    const f = file('same.json', subnet());
    expect(cli(['diverge', f]).stdout).toBe('The two paths store the same outputs: no divergence.\n');
    const j = JSON.parse(cli(['diverge', f, '--json']).stdout);
    expect([j.differs, j.fields, j.causes, j.uids]).toEqual([false, [], [], []]);
  });

  it("the per-UID table shows each differing dividend and emission as sparse → dense", () => {
    const c = CRAFTED.find((x) => x.cause === 'liquid-alpha-bond-drop')!;
    const r = engine.explainPathDivergence(c.input, c.hyper);
    const out = cli(['diverge', file('uids.json', { input: c.input, hyper: c.hyper })]).stdout;
    expect(r.uids.length).toBeGreaterThan(0);
    for (const u of r.uids) {
      const line = out.split('\n').find((l) => l.startsWith(`${u.uid} `))!;
      expect(line, `uid ${u.uid}`).toBeDefined();
      if (u.dividends) expect(line).toContain(`${u.dividends.sparse} → ${u.dividends.dense}`);
      if (u.validatorEmission) expect(line).toContain(`${u.validatorEmission.sparse} → ${u.validatorEmission.dense}`);
    }
  });

  it("a wrapper { input, hyper, mode, path }: the file's mode is used, its path ignored (both are run), --mode overrides", () => {
    const c = CRAFTED.find((x) => x.cause === 'commit-reveal')!;
    const f = file('wrapped.json', { input: c.input, hyper: c.hyper, mode: 'float', path: 'dense' });
    const float = asJson(engine.explainPathDivergence(c.input, c.hyper, { mode: 'float' }));
    expect(JSON.parse(cli(['diverge', f, '--json']).stdout)).toEqual(float);
    expect(JSON.parse(cli(['diverge', f, '--json', '--mode', 'fixed']).stdout)).toEqual(asJson(engine.explainPathDivergence(c.input, c.hyper)));
  });

  it('--out writes the JSON report beside the table', () => {
    const c = CRAFTED[0];
    const out = join(dir, 'report.json');
    const r = cli(['diverge', file('out.json', { input: c.input, hyper: c.hyper }), '--out', out]);
    expect(r.stdout).toMatch(/^The paths differ in: /);
    expect(JSON.parse(readFileSync(out, 'utf8'))).toEqual(asJson(engine.explainPathDivergence(c.input, c.hyper)));
  });

  it('a subnet with mechanisms: mechanism-permits, and the mechanism whose outputs differ', () => {
    const r = cli(['diverge', file('mech.json', twoMechanisms())]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`\\n${MECHANISM_PERMITS_CAUSE} `));
    expect(r.stdout).toContain('mechanism 1: ');
    expect(r.stdout).not.toContain('mechanism 0: ');
  });
});

/** Recounts a survey from the random subnets themselves (the survey's own draw order: one fork per subnet). */
function recount(count: number, seed: number, maxUids: number) {
  const rng = new Rng(seed);
  const groups: Record<string, { subnets: number; differ: number; dividendsDiffer: number; payoutsDiffer: number }> = {};
  const fires: Record<string, number> = {};
  const seen = { n: new Set<number>(), variants: new Set<string>(), owner: 0, commit: 0 };
  for (let k = 0; k < count; k++) {
    const s = randomSubnet(rng.fork(k), { maxUids, mechanisms: 1 });
    seen.n.add(s.input.n);
    seen.variants.add(s.variant);
    if (s.input.ownerUid !== undefined) seen.owner++;
    if (s.input.commitBlocks !== undefined) seen.commit++;
    const r = engine.explainPathDivergence(s.input, s.hyper);
    const tags = ['all', s.variant, ...(s.owner ? ['owner'] : []), ...(s.commitReveal ? ['commit-reveal'] : []), ...(s.owner && s.commitReveal ? ['owner+commit-reveal'] : [])];
    for (const g of tags) {
      const e = (groups[g] ??= { subnets: 0, differ: 0, dividendsDiffer: 0, payoutsDiffer: 0 });
      e.subnets++;
      e.differ += r.differs ? 1 : 0;
      e.dividendsDiffer += r.sparse.dividends.some((d, i) => d !== r.dense.dividends[i]) ? 1 : 0;
      e.payoutsDiffer +=
        r.sparse.serverEmission.some((x, i) => x !== r.dense.serverEmission[i]) || r.sparse.validatorEmission.some((x, i) => x !== r.dense.validatorEmission[i]) ? 1 : 0;
    }
    for (const c of r.causes) fires[c] = (fires[c] ?? 0) + 1;
  }
  return { groups, fires, seen };
}

describe('yuma-wasm diverge --random N', () => {
  it('the table and JSON count exactly what explainPathDivergence reports on the same random subnets', () => {
    const r = cli(['diverge', '--random', '60', '--seed', '3', '--max-uids', '12', '--json', '--quiet']);
    expect(r.code).toBe(0);
    const s = JSON.parse(r.stdout);
    const want = recount(60, 3, 12);
    // the draws cover the space: all three Yuma variants, owners and commit-reveal on about half, n in 2..12
    expect([...want.seen.variants].sort()).toEqual([...YUMA_VARIANTS].sort());
    expect(want.seen.owner).toBeGreaterThan(15);
    expect(want.seen.commit).toBeGreaterThan(15);
    expect(Math.min(...want.seen.n)).toBeGreaterThanOrEqual(2);
    expect(Math.max(...want.seen.n)).toBeLessThanOrEqual(12);
    for (const g of s.groups) {
      expect({ group: g.group, subnets: g.subnets, differ: g.differ, dividendsDiffer: g.dividendsDiffer, payoutsDiffer: g.payoutsDiffer }).toEqual({
        group: g.group,
        ...(want.groups[g.group] ?? { subnets: 0, differ: 0, dividendsDiffer: 0, payoutsDiffer: 0 }),
      });
    }
    expect(Object.fromEntries(s.causes.filter((c: { fires: number }) => c.fires > 0).map((c: { code: string; fires: number }) => [c.code, c.fires]))).toEqual(want.fires);
    // the table prints the same counts
    const table = cli(['diverge', '--random', '60', '--seed', '3', '--max-uids', '12', '--quiet']).stdout;
    for (const c of s.causes) expect(table).toMatch(new RegExp(`\\n${c.code} +${c.fires} `));
    for (const g of s.groups) expect(table).toMatch(new RegExp(`\\n${g.group.replace('+', '\\+')} +${g.subnets} `));
  });

  it('one seed draws the same subnets every time; another seed draws others', () => {
    const a = cli(['diverge', '--random', '20', '--seed', '9', '--json', '--quiet']).stdout;
    expect(cli(['diverge', '--random', '20', '--seed', '9', '--json', '--quiet']).stdout).toBe(a);
    expect(cli(['diverge', '--random', '20', '--seed', '10', '--json', '--quiet']).stdout).not.toBe(a);
  });

  it('--examples writes, for every cause that fired, an epoch file on which diverge reports that cause', () => {
    const prefix = join(dir, 'ex-');
    const s = JSON.parse(cli(['diverge', '--random', '80', '--seed', '5', '--max-uids', '10', '--json', '--quiet', '--examples', prefix]).stdout);
    const fired = s.causes.filter((c: { fires: number }) => c.fires > 0).map((c: { code: string }) => c.code);
    expect(fired.length).toBeGreaterThanOrEqual(5);
    expect(Object.keys(s.examples).sort()).toEqual([...fired].sort());
    for (const code of fired) {
      const j = JSON.parse(cli(['diverge', `${prefix}${code}.json`, '--json']).stdout);
      expect(j.causes, code).toContain(code);
    }
  });

  it('--mechanisms 2: mechanism-permits is among the causes counted', () => {
    const s = JSON.parse(cli(['diverge', '--random', '20', '--mechanisms', '2', '--max-uids', '8', '--json', '--quiet']).stdout);
    expect(s.mechanisms).toBe(2);
    expect(s.causes.find((c: { code: string }) => c.code === MECHANISM_PERMITS_CAUSE).fires).toBeGreaterThan(0);
  });

  it('progress goes to stderr (not with --quiet), the table to stdout', () => {
    const r = cli(['diverge', '--random', '30', '--max-uids', '6']);
    expect(r.stderr).toMatch(/diverge: 100% \(30\/30/);
    expect(r.stdout).toMatch(/^30 random subnets \(seed 1, 2–6 UIDs, fixed mode\)/);
    expect(cli(['diverge', '--random', '30', '--max-uids', '6', '--quiet']).stderr).toBe('');
  });
});

describe('yuma-wasm diverge: bad usage and bad input exit 2 with one line', () => {
  const bad = file('bad.json', { ...toJSON(subnet()) as object, stake: ['1', '2'] });
  const cases: Array<[string[], RegExp]> = [
    [['diverge'], /diverge needs an input file or --random N/],
    [['diverge', 'a.json', 'b.json'], /exactly one input file/],
    [['diverge', bad, '--random', '5'], /--random takes no input file/],
    [['diverge', bad, '--seed', '5'], /--seed goes with --random/],
    [['diverge', '--random', '0'], /--random must be at least 1/],
    [['diverge', '--random', '5', '--mode', 'double'], /--mode must be one of fixed, float/],
    [['diverge', '--random', '5', '--max-uids', '1'], /--max-uids must be at least 2/],
    [['diverge', '--path', 'dense', bad], /unknown option '--path'/],
    [['diverge', join(dir, 'missing.json')], /cannot read epoch input .*no such file/],
    [['diverge', bad], /epoch input '.*': stake/],
  ];
  for (const [argv, msg] of cases) {
    it(argv.map((a) => a.replace(dir, '…')).join(' '), () => {
      const r = cli(argv);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(msg);
      expect(r.stderr).not.toMatch(/\n\s+at /);
      expect(r.stdout).toBe('');
    });
  }
  it('--help lists the flags and every cause code', () => {
    const r = cli(['diverge', '--help']);
    expect(r.code).toBe(0);
    for (const f of ['--random', '--seed', '--max-uids', '--mechanisms', '--examples', '--json', '--out']) expect(r.stdout).toContain(f);
    for (const c of codes) expect(r.stdout).toContain(`  ${c}\n`);
  });
});

describe('surveyPathDivergence: bad options are a YumaError with a code', () => {
  it('count, seed, maxUids, mechanisms and mode out of range or of the wrong type', () => {
    expect(yumaCode(() => surveyPathDivergence(engine, { count: 0 }))).toBe('E_RANGE');
    expect(yumaCode(() => surveyPathDivergence(engine, { count: 1.5 }))).toBe('E_ARG');
    expect(yumaCode(() => surveyPathDivergence(engine, { count: 1, seed: -1 }))).toBe('E_RANGE');
    expect(yumaCode(() => surveyPathDivergence(engine, { count: 1, maxUids: 300 }))).toBe('E_RANGE');
    expect(yumaCode(() => surveyPathDivergence(engine, { count: 1, mechanisms: 17 }))).toBe('E_RANGE');
    expect(yumaCode(() => surveyPathDivergence(engine, { count: 1, mode: 'double' as never }))).toBe('E_ARG');
    expect(yumaCode(() => surveyPathDivergence(engine, { count: '5' as never }))).toBe('E_ARG');
  });

  it('options that are no plain object of known keys (null, unknown key, a throwing getter, a Proxy, onProgress no function) are E_ARG, not a TypeError or the getter\'s error', () => {
    expect(yumaCode(() => surveyPathDivergence(engine, null as never))).toBe('E_ARG');
    expect(yumaCode(() => surveyPathDivergence(engine, { count: 1, cout: 2 } as never))).toBe('E_ARG');
    const getter = Object.defineProperty({ count: 1 }, 'seed', { get: () => { throw new RangeError('getter'); }, enumerable: true });
    expect(yumaCode(() => surveyPathDivergence(engine, getter))).toBe('E_ARG');
    const proxy = new Proxy({ count: 1 }, { ownKeys: () => { throw new TypeError('trap'); } });
    expect(yumaCode(() => surveyPathDivergence(engine, proxy))).toBe('E_ARG');
    expect(yumaCode(() => surveyPathDivergence(engine, { count: 1, onProgress: 'yes' as never }))).toBe('E_ARG');
  });

  it('an engine that is no DivergenceExplainer ({}, or one whose explainPathDivergence throws a TypeError) is E_ARG', () => {
    expect(yumaCode(() => surveyPathDivergence({} as never, { count: 1 }))).toBe('E_ARG');
    const broken = { explainPathDivergence: () => { throw new TypeError('engine bug'); } };
    expect(yumaCode(() => surveyPathDivergence(broken as never, { count: 1 }))).toBe('E_ARG');
  });

  it('an onProgress that throws ends the survey with E_CALLBACK, the callback\'s own error as cause (it escaped as-is), after the first subnet', () => {
    const mine = new RangeError('stop here');
    let calls = 0;
    const err = expectYumaError(() => surveyPathDivergence(engine, { count: 3, onProgress: () => { calls++; throw mine; } }), 'E_CALLBACK');
    expect(err.cause).toBe(mine);
    expect(calls).toBe(1);
  });
});

describe('epoch and diverge report a refused input alike', () => {
  it("both give the file and the refusal's detail without its code, as every CLI message (diverge put the YumaError code in, epoch and the others not)", () => {
    const bad = file('bad-both.json', { ...(toJSON(subnet()) as object), stake: ['1', '2'] });
    const lines = ['epoch', 'diverge'].map((cmd) => {
      const r = cli([cmd, bad]);
      expect(r.code).toBe(2);
      return r.stderr.split('\n')[0].replace(/^yuma-wasm: /, '');
    });
    expect(lines[0]).toMatch(/^epoch input '.*bad-both\.json': stake has length 2/);
    expect(lines[0]).not.toMatch(/E_[A-Z]+/);
    expect(lines[1]).toBe(lines[0]);
  });
});
