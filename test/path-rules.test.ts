import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createEngineSync } from '../src/engine.js';
import { ALL_SPARSE_RULES, PATH_RULES, pathRulesOf, ruleCodes } from '../src/epoch/path-rules.js';
import { prepareEpoch, withPathRules } from '../src/epoch/prepare.js';
import { referenceEpoch } from '../src/reference/float/epoch.js';
import { referenceEpochFixed } from '../src/reference/fixed/epoch.js';
import { subnetArb } from './helpers/epoch-float-arbitraries.js';
import { expectSameResult } from './helpers/epoch-fixed-compare.js';
import { kernelVsReference } from './helpers/epoch-float-compare.js';
import { chainOutputs, loadConformance, type ConformanceCase } from './helpers/conformance.js';

const engine = createEngineSync();
const anyRules = fc.integer({ min: 0, max: ALL_SPARSE_RULES });

describe('path rules', () => {
  it('eight rules with distinct bits and codes; sparse = all of them, dense = none', () => {
    expect(PATH_RULES.map((r) => r.code)).toEqual([
      'owner-permit',
      'owner-self-weight',
      'commit-reveal',
      'bond-writeback',
      'liquid-alpha-bond-drop',
      'stored-zero-weights',
      'zero-consensus-bond-drop',
      'mechanism-permits',
    ]);
    expect(PATH_RULES.map((r) => r.bit)).toEqual([1, 2, 4, 8, 16, 32, 64, 128]);
    expect(ALL_SPARSE_RULES).toBe(255);
    expect(pathRulesOf('sparse')).toBe(255);
    expect(pathRulesOf('dense')).toBe(0);
    expect(ruleCodes(1 | 8)).toEqual(['owner-permit', 'bond-writeback']);
    expect(prepareEpoch(loadConformance('sparse')[0].input, {}, { path: 'dense' }).pathRules).toBe(0);
  });

  // The rules carry the whole difference between the paths: the other path's prepared epoch with its rules
  // switched reproduces each chain-computed epoch exactly.
  describe.each([
    ['sparse', 'dense', ALL_SPARSE_RULES],
    ['dense', 'sparse', 0],
  ] as const)('chain %s-path epochs from a %s-path prepared epoch with the rules switched', (path, other, rules) => {
    const cases: ConformanceCase[] = loadConformance(path);
    it(`all 120 equal the chain's outputs exactly (Wasm fixed)`, () => {
      expect(cases).toHaveLength(120);
      const prepared = cases.map((c) => withPathRules(prepareEpoch(c.input, c.hyper, { mode: 'fixed', path: other }), rules));
      const got = engine.runPrepared(prepared);
      cases.forEach((c, k) => expect(chainOutputs(got[k], c.input.n), `case ${c.id}`).toEqual(c.expected));
    });
  });

  it('Wasm fixed kernel == BigInt reference under random mixes of rules (random subnets, Yuma3 + liquid alpha half the time)', () => {
    fc.assert(
      fc.property(subnetArb(8), anyRules, fc.boolean(), ({ input, hyper }, rules, liquid) => {
        const h = liquid ? { ...hyper, yuma3Enabled: true, liquidAlphaEnabled: true } : hyper;
        const p = withPathRules(prepareEpoch(input, h, { mode: 'fixed' }), rules);
        expectSameResult(engine.runPrepared([p])[0], referenceEpochFixed(p), `rules ${rules}`);
      }),
      { numRuns: 600 },
    );
  });

  it('Wasm float kernel == f64 reference under random mixes of rules (same subnets)', () => {
    fc.assert(
      fc.property(subnetArb(8), anyRules, fc.boolean(), ({ input, hyper }, rules, liquid) => {
        const h = liquid ? { ...hyper, yuma3Enabled: true, liquidAlphaEnabled: true } : hyper;
        const p = withPathRules(prepareEpoch(input, h, { mode: 'float' }), rules);
        expect(kernelVsReference(p, engine.runPrepared([p])[0], referenceEpoch(p)), `rules ${rules}`).toEqual([]);
      }),
      { numRuns: 600 },
    );
  });

  it('withPathRules shares the arrays and changes nothing else', () => {
    const p = prepareEpoch(loadConformance('sparse')[3].input, {}, { mode: 'fixed' });
    const q = withPathRules(p, 5);
    expect(q.pathRules).toBe(5);
    expect(p.pathRules).toBe(255);
    expect(Object.keys(q).sort()).toEqual(Object.keys(p).sort());
    for (const k of Object.keys(p) as Array<keyof typeof p>) if (k !== 'pathRules') expect(q[k], k).toBe(p[k]);
    expect(Object.keys(p).length).toBeGreaterThan(5);
  });
});
