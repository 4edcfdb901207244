/**
 * The README's path-divergence section: its worked example per cause, its survey table and its counts over the
 * chain-computed epochs are regenerated here and must appear in the README as written (PRINT_README=1 prints
 * them instead, to update the README after a deliberate change).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formatSurvey } from '../src/cli/diverge.js';
import { surveyPathDivergence } from '../src/epoch/divergence-survey.js';
import type { MechanismPathDivergence, PathDivergence, UidDivergence } from '../src/epoch/divergence.js';
import { PATH_RULES } from '../src/epoch/path-rules.js';
import { createEngineSync } from '../src/engine.js';
import { RAO } from '../src/units.js';
import { loadConformance } from './helpers/conformance.js';
import { CRAFTED, MECHANISM_PERMITS_CAUSE, twoMechanisms } from './helpers/path-divergence-crafted.js';

const engine = createEngineSync();
const README = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const flat = README.replace(/\s+/g, ' ');

/** "dividends UID 0 5756 → 0, …; incentive …; bonds 0→2 6068 → 0, …" (sparse → dense) of one report. */
function effectLine(uids: UidDivergence[], prefix = ''): string[] {
  const parts: string[] = [];
  const list = (key: 'dividends' | 'incentive') => {
    const xs = uids.filter((u) => u[key] !== undefined).map((u) => `UID ${u.uid} ${u[key]!.sparse} → ${u[key]!.dense}`);
    if (xs.length > 0) parts.push(`${prefix}${key} ${xs.join(', ')}`);
  };
  list('dividends');
  list('incentive');
  const bonds = uids.flatMap((u) => (u.bonds ?? []).map((b) => `${u.uid}→${b.uid} ${b.sparse} → ${b.dense}`));
  if (bonds.length > 0) parts.push(`${prefix}bonds ${bonds.join(', ')}`);
  return parts;
}

function workedExample(r: PathDivergence | MechanismPathDivergence): string {
  const parts = effectLine(r.uids);
  if ('mechanisms' in r) for (const m of r.mechanisms.slice(1)) parts.push(...effectLine(m.uids, `mechanism ${m.mechanism} `).filter((p) => p.includes('bonds')));
  return `chain → tests: ${parts.join('; ')}`;
}

const EXAMPLES = [...CRAFTED.map((c) => ({ cause: c.cause, input: c.input, hyper: c.hyper })), { cause: MECHANISM_PERMITS_CAUSE, input: twoMechanisms(), hyper: {} }];

describe('README: when the chain and its tests disagree', () => {
  it('the explainPathDivergence sample, as written, gives the values its comments show', () => {
    const r = engine.explainPathDivergence(
      {
        n: 4, currentBlock: 1000, tempo: 360, lastStepBlock: 0,
        stake: [400n * RAO, 600n * RAO, 0n, 0n],
        weights: [[[2, 65535]], [[2, 65535], [3, 65535]], [], []], // validator 0 no longer weights miner 3,
        bonds: [[[3, 30000]], [], [], []], //                          but still holds a bond to it
        lastUpdate: [999, 999, 999, 999], blockAtRegistration: [1, 1, 1, 1],
        validatorPermit: [true, true, false, false], raoEmission: 1_000_000_000n,
      },
      { yuma3Enabled: true, liquidAlphaEnabled: true },
      { mode: 'fixed' }, // as for epoch
    );
    expect(r.differs).toBe(true);
    expect(r.fields).toEqual(['dividends', 'bonds', 'validatorEmission']);
    expect(r.causes).toEqual(['liquid-alpha-bond-drop']);
    expect(r.effects).toHaveLength(1);
    expect(r.effects[0].code).toBe('liquid-alpha-bond-drop');
    expect(r.effects[0].dividendsMoved.toFixed(4)).toBe('0.0719');
    expect(r.uids[0].uid).toBe(0);
    expect(r.uids[0].dividends).toEqual({ sparse: 15240, dense: 19955 });
    expect(r.uids[0].validatorEmission?.sparse).toBe(116279069n);
    expect(r.uids[0].bonds).toEqual([{ uid: 3, sparse: 0, dense: 6623 }]);
    // the sample is the worked example of liquid-alpha-bond-drop below
    const c = CRAFTED.find((x) => x.cause === 'liquid-alpha-bond-drop')!;
    expect(r).toEqual(engine.explainPathDivergence(c.input, c.hyper));
    expect(README).toContain("weights: [[[2, 65535]], [[2, 65535], [3, 65535]], [], []], // validator 0 no longer weights miner 3,");
  });

  it('one worked example per cause: exactly that cause, and the sparse → dense figures the README quotes', () => {
    expect(EXAMPLES.map((e) => e.cause)).toEqual(PATH_RULES.map((r) => r.code));
    for (const e of EXAMPLES) {
      const r = engine.explainPathDivergence(e.input as never, e.hyper);
      expect(r.causes, e.cause).toEqual([e.cause]);
      if (process.env.PRINT_README) console.log(`${e.cause}: ${workedExample(r)}`);
      if (process.env.PRINT_README) continue;
      expect(flat, e.cause).toContain(`\`${e.cause}\``);
      expect(flat, e.cause).toContain(workedExample(r));
    }
  });

  it('the counts over the 440 chain-computed epochs in test/fixtures', () => {
    const files = [loadConformance('sparse'), loadConformance('dense'), loadConformance('sparse', 'wide'), loadConformance('dense', 'wide')];
    const all = files.flat();
    const reports = all.map((c) => ({ c, r: engine.explainPathDivergence(c.input, c.hyper) }));
    const count = (f: (x: (typeof reports)[number]) => boolean) => reports.filter(f).length;
    const liquid = reports.filter(({ c }) => c.hyper.yuma3Enabled && c.hyper.liquidAlphaEnabled);
    const owner = reports.filter(({ c }) => c.input.ownerUid !== undefined || c.input.commitBlocks !== undefined);
    const divs = (x: (typeof reports)[number]) => x.r.fields.includes('dividends');
    const pays = (x: (typeof reports)[number]) => x.r.fields.includes('serverEmission') || x.r.fields.includes('validatorEmission');
    const pct = (a: number, b: number) => `${Math.round((100 * a) / b)} %`;
    // Yuma3 + liquid alpha, file by file
    const perFile = files.map((cs) => {
      const l = cs.filter((c) => c.hyper.yuma3Enabled && c.hyper.liquidAlphaEnabled);
      return Math.round((100 * l.filter((c) => engine.explainPathDivergence(c.input, c.hyper).fields.includes('dividends')).length) / l.length);
    });
    const sentence =
      `Over the ${all.length} chain-computed epochs in \`test/fixtures/\` the two paths store different outputs on ` +
      `${count((x) => x.r.differs)} and pay different dividends on ${count(divs)}; of the ${liquid.length} with Yuma3 + liquid alpha, ` +
      `${liquid.filter(divs).length} pay different dividends (${pct(liquid.filter(divs).length, liquid.length)}; ${Math.min(...perFile)}–${Math.max(...perFile)} % file by file), and of the ${owner.length} with a subnet owner or commit-reveal, ` +
      `${owner.filter(pays).length} pay differently (${pct(owner.filter(pays).length, owner.length)}).`;
    if (process.env.PRINT_README) console.log(sentence);
    else expect(flat).toContain(sentence);
  });

  it('the survey tables: yuma-wasm diverge --random 2000 --seed 1, and --random 500 --seed 1 --mechanisms 2', () => {
    const s = surveyPathDivergence(engine, { count: 2000, seed: 1 });
    const table = formatSurvey(s).trimEnd();
    const s2 = surveyPathDivergence(engine, { count: 500, seed: 1, mechanisms: 2 });
    const two = formatSurvey(s2).split('\n');
    const lines = [two.find((l) => l.startsWith('all '))!, two.find((l) => l.startsWith('mechanism-permits '))!];
    if (process.env.PRINT_README) console.log(table + '\n' + lines.join('\n'));
    else {
      expect(README).toContain(table);
      for (const l of lines) expect(README).toContain(l);
      // the prose quotes the table
      const g = (name: string) => s.groups.find((x) => x.group === name)!;
      const pct = (a: number, b: number) => `${((100 * a) / b).toFixed(1)} %`;
      const liquid = g('yuma3-liquid');
      const drop = s.causes.find((c) => c.code === 'liquid-alpha-bond-drop')!;
      expect(flat).toContain(`Yuma3 + liquid alpha the two paths pay different dividends on ${pct(liquid.dividendsDiffer, liquid.subnets)} of the subnets`);
      expect(flat).toContain(`alone moves ${(100 * drop.meanDividendsMoved).toFixed(2)} % of a subnet's dividends on average`);
      const pays = (name: string) => pct(g(name).payoutsDiffer, g(name).subnets);
      expect(flat).toContain(`with a subnet owner the payouts differ on ${pays('owner')}, with commit-reveal on ${pays('commit-reveal')}, with both on ${pays('owner+commit-reveal')}.`);
      for (const quiet of ['bond-writeback', 'zero-consensus-bond-drop']) expect(s.causes.find((c) => c.code === quiet)!.maxDividendsMoved).toBe(0);
      const top = s2.causes.reduce((a, b) => (b.fires > a.fires ? b : a));
      expect(top.code).toBe('mechanism-permits'); // "the most frequent cause" with two mechanisms
    }
  });
});
