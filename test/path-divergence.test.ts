import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createEngineSync } from '../src/engine.js';
import { ALL_SPARSE_RULES, PATH_RULES } from '../src/epoch/path-rules.js';
import { prepareEpoch, withPathRules } from '../src/epoch/prepare.js';
import type { RawEpochResult } from '../src/epoch/result.js';
import { isPreparedMechanisms, prepareItem, runItems } from '../src/epoch/mechanisms.js';
import { toJSON } from '../src/epoch/json.js';
import type { EpochInput, EpochInputLike, EpochOutput, Hyperparams, MechanismEpochOutput } from '../src/epoch/types.js';
import { arbHyperparams, arbMechanismEpochInput } from '../src/testing/arbitraries.js';
import { createReferenceEngine } from '../src/testing/reference-engine.js';
import { subnetArb } from './helpers/epoch-float-arbitraries.js';
import { chainOutputs, conformanceFiles, loadConformance } from './helpers/conformance.js';
import { yumaCode } from './helpers/errors.js';
import { allocRawResult } from '../src/epoch/result.js';
import { explainPathDivergence } from '../src/epoch/divergence.js';
import { CRAFTED, MECHANISM_PERMITS_CAUSE, subnet, twoMechanisms } from './helpers/path-divergence-crafted.js';

const engine = createEngineSync();
const STORED = ['stakeWeight', 'consensus', 'incentive', 'dividends', 'validatorTrust', 'active', 'validatorPermit', 'bonds', 'serverEmission', 'validatorEmission'] as const;

/** An output's stored fields as plain values; bonds as n rows of n (a stored 0 and no entry are the same bond). */
function storedOf(o: EpochOutput, n: number): Record<string, unknown> {
  const bonds = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  if (o.bonds instanceof Uint16Array) o.bonds.forEach((v, k) => (bonds[Math.floor(k / n)][k % n] = v));
  else o.bonds.forEach((row, i) => row.forEach(([j, v]) => (bonds[i][j] = v)));
  const out: Record<string, unknown> = {};
  for (const f of STORED) out[f] = f === 'bonds' ? bonds : Array.from(o[f] as ArrayLike<unknown>, (x) => (typeof x === 'bigint' ? x.toString() : x));
  return out;
}

/** The stored fields on which two outputs differ. */
function fieldsDiffering(a: EpochOutput, b: EpochOutput, n: number): string[] {
  const x = storedOf(a, n);
  const y = storedOf(b, n);
  return STORED.filter((f) => JSON.stringify(x[f]) !== JSON.stringify(y[f]));
}

function sameStored(a: RawEpochResult, b: RawEpochResult): boolean {
  return STORED.every((f) => {
    const x = a[f];
    const y = b[f];
    return x.length === y.length && x.every((v, i) => v === y[i]);
  });
}

/** Random subnets over the whole input space; Yuma3 + liquid alpha forced on half of them. */
const cases = fc.tuple(subnetArb(7), fc.boolean(), fc.constantFrom('fixed' as const, 'float' as const)).map(([c, liquid, mode]) => ({
  input: c.input,
  hyper: liquid ? { ...c.hyper, yuma3Enabled: true, liquidAlphaEnabled: true } : c.hyper,
  mode,
}));


describe('explainPathDivergence', () => {
  it('the base subnet: both paths store the same outputs, no cause', () => {
    for (const mode of ['fixed', 'float'] as const) {
      const r = engine.explainPathDivergence(subnet(), {}, { mode });
      expect(r.differs).toBe(false);
      expect(r.fields).toEqual([]);
      expect(r.causes).toEqual([]);
      expect(r.uids).toEqual([]);
    }
  });

  describe.each(CRAFTED)('crafted subnet for $cause', ({ cause, input, hyper }) => {
    it.each(['fixed', 'float'] as const)('%s mode: exactly that cause is reported', (mode) => {
      const r = engine.explainPathDivergence(input, hyper, { mode });
      expect(r.differs).toBe(true);
      expect(r.causes).toEqual([cause]);
      expect(r.effects.map((e) => e.code)).toEqual([cause]);
    });
  });

  it('reads the JSON spelling of an input (rao and blocks as decimal strings) like the input itself', () => {
    for (const c of CRAFTED) {
      const json = JSON.parse(JSON.stringify(toJSON(c.input))) as EpochInputLike;
      expect(typeof json.raoEmission).toBe('string');
      expect(engine.explainPathDivergence(json, c.hyper)).toEqual(engine.explainPathDivergence(c.input, c.hyper));
    }
  });

  it('every crafted subnet covers a different rule, and together they cover all of them', () => {
    expect([...CRAFTED.map((c) => c.cause), MECHANISM_PERMITS_CAUSE]).toEqual(PATH_RULES.map((r) => r.code));
  });

  it('property: differs, fields and the two outputs are exactly what engine.epoch gives on each path', () => {
    fc.assert(
      fc.property(cases, ({ input, hyper, mode }) => {
        const r = engine.explainPathDivergence(input, hyper, { mode });
        const sparse = engine.epoch(input, hyper, { mode, path: 'sparse' });
        const dense = engine.epoch(input, hyper, { mode, path: 'dense' });
        expect(r.sparse).toEqual(sparse);
        expect(r.dense).toEqual(dense);
        const fields = fieldsDiffering(sparse, dense, input.n);
        expect(r.fields).toEqual(fields);
        expect(r.differs).toBe(fields.length > 0);
        expect(r.causes.length > 0).toBe(r.differs);
        expect(r.uids.length > 0).toBe(['dividends', 'incentive', 'serverEmission', 'validatorEmission', 'bonds'].some((f) => fields.includes(f)));
      }),
      { numRuns: 300 },
    );
  });

  it('property: the causes are exactly the rules some minimal fix needs over all 2^8 mixes of rules, and switching them all makes the paths agree (most subnets drawn have a cause)', () => {
    // The definition, by brute force: every one of the 2^8 mixes of rules is run; a fix is a set of rules whose
    // switch to the dense behaviour makes the sparse path store what the dense path stores.
    const masks = Array.from({ length: ALL_SPARSE_RULES + 1 }, (_, m) => m);
    expect(masks).toHaveLength(2 ** PATH_RULES.length);
    let withCauses = 0;
    let severalCauses = 0;
    fc.assert(
      fc.property(cases, ({ input, hyper, mode }) => {
        const r = engine.explainPathDivergence(input, hyper, { mode });
        const p = prepareEpoch(input, hyper, { mode });
        const runs = engine.runPrepared(masks.map((m) => withPathRules(p, m)));
        const fixes = (c: number) => sameStored(runs[ALL_SPARSE_RULES & ~c], runs[0]);
        let union = 0;
        for (const c of masks) {
          if (!fixes(c)) continue;
          let minimal = true;
          for (let sub = (c - 1) & c; minimal && sub !== c; sub = (sub - 1) & c) {
            if (fixes(sub)) minimal = false;
            if (sub === 0) break;
          }
          if (minimal) union |= c;
        }
        const causes = PATH_RULES.filter((rule) => r.causes.includes(rule.code)).reduce((m, rule) => m | rule.bit, 0);
        expect(fixes(causes)).toBe(true);
        if (r.causes.length > 0) withCauses++;
        if (r.causes.length > 1) severalCauses++;
        if (fixes(union)) {
          expect(causes).toBe(union);
        } else {
          // rules hiding each other: the causes are the smallest fix containing the minimal fixes' rules
          expect(causes & union).toBe(union);
          const size = (m: number) => PATH_RULES.filter((rule) => (m & rule.bit) !== 0).length;
          for (const c of masks) if ((c & union) === union && fixes(c)) expect(size(causes)).toBeLessThanOrEqual(size(c));
        }
      }),
      { numRuns: 300 },
    );
    // not vacuous: most drawn subnets have a cause (about 250 of 300) and many several (about 110)
    expect(withCauses).toBeGreaterThan(150);
    expect(severalCauses).toBeGreaterThan(30);
  });
});


describe('explainPathDivergence with mechanisms', () => {
  it.each(['fixed', 'float'] as const)('%s mode: crafted subnet where exactly mechanism-permits is the cause', (mode) => {
    const r = engine.explainPathDivergence(twoMechanisms(), {}, { mode });
    expect(r.differs).toBe(true);
    expect(r.causes).toEqual([MECHANISM_PERMITS_CAUSE]);
    expect(r.mechanisms.map((m) => m.fields.length > 0)).toEqual([false, true]);
    expect(r.uids.find((u) => u.uid === 2)?.dividends?.sparse).toBe(0);
    expect(r.sparse).toEqual(engine.epoch(twoMechanisms(), {}, { mode, path: 'sparse' }));
    expect(r.dense).toEqual(engine.epoch(twoMechanisms(), {}, { mode, path: 'dense' }));
  });

  it("a cause acting only in mechanism 1's bonds: reported through mechanisms[1].bonds", () => {
    const input = twoMechanisms();
    input.validatorPermit = [true, true, true, false];
    input.mechanisms[1].bonds = [[], [], [], [[2, 1000]]]; // a bond row of miner 3, which has no permit
    const r = engine.explainPathDivergence(input);
    expect(r.causes).toEqual(['bond-writeback']);
    expect(r.fields).toEqual(['mechanisms[1].bonds']);
    expect(r.uids).toEqual([]);
    expect(r.mechanisms[1].uids).toEqual([{ uid: 3, bonds: [{ uid: 2, sparse: 0, dense: 1000 }] }]);
  });

  const mechanismCases = fc
    .tuple(arbMechanismEpochInput({ maxN: 6, maxMechanisms: 3 }), arbHyperparams({ maxValidators: 6 }), fc.constantFrom('fixed' as const, 'float' as const))
    .map(([input, hyper, mode]) => ({ input, hyper, mode }));

  it('property: differs and the outputs are what engine.epoch gives on each path (aggregate and every mechanism)', () => {
    fc.assert(
      fc.property(mechanismCases, ({ input, hyper, mode }) => {
        const r = engine.explainPathDivergence(input, hyper, { mode });
        const sparse = engine.epoch(input, hyper, { mode, path: 'sparse' });
        const dense = engine.epoch(input, hyper, { mode, path: 'dense' });
        expect(r.sparse).toEqual(sparse);
        expect(r.dense).toEqual(dense);
        const n = input.n;
        const fields = [
          ...fieldsDiffering(sparse, dense, n),
          ...sparse.mechanisms.flatMap((m, k) =>
            k === 0 ? [] : fieldsDiffering(m, dense.mechanisms[k], n).filter((f) => f === 'incentive' || f === 'bonds').map((f) => `mechanisms[${k}].${f}`),
          ),
        ];
        expect(r.fields).toEqual(fields);
        expect(r.differs).toBe(fields.length > 0);
        expect(r.causes.length > 0).toBe(r.differs);
        r.mechanisms.forEach((m, k) => expect(m.fields).toEqual(fieldsDiffering(sparse.mechanisms[k], dense.mechanisms[k], n)));
      }),
      { numRuns: 150 },
    );
  });

  it('property: switching every cause (in every mechanism) to the dense behaviour makes the paths agree', () => {
    const ref = createReferenceEngine();
    fc.assert(
      fc.property(mechanismCases, ({ input, hyper, mode }) => {
        const r = engine.explainPathDivergence(input, hyper, { mode });
        const causes = PATH_RULES.filter((rule) => r.causes.includes(rule.code)).reduce((m, rule) => m | rule.bit, 0);
        const item = prepareItem(input, hyper, { mode });
        if (!isPreparedMechanisms(item)) throw new Error('expected mechanisms');
        const run = (rules: number) =>
          runItems([{ ...item, mechanisms: item.mechanisms.map((p) => withPathRules(p, rules)) }], (ps) => engine.runPrepared(ps))[0] as MechanismEpochOutput;
        const fixed = run(ALL_SPARSE_RULES & ~causes);
        const dense = run(0);
        expect(fieldsDiffering(fixed, dense, input.n)).toEqual([]);
        fixed.mechanisms.forEach((m, k) => expect(fieldsDiffering(m, dense.mechanisms[k], input.n).filter((f) => f === 'incentive' || f === 'bonds')).toEqual([]));
        if (mode === 'fixed' && input.n <= 4) expect(ref.explainPathDivergence(input, hyper, { mode })).toEqual(r);
      }),
      { numRuns: 150 },
    );
  });
});

describe('explainPathDivergence on the chain-computed epochs', () => {
  const sets = conformanceFiles().map(({ path, set }) => [path, set] as const);
  describe.each(sets)('test/fixtures/chain-%s-%s', (path, set) => {
    const cases = loadConformance(path, set);
    it("the chain's output is the report's own output for that path; differs: false exactly where both paths agree; where they differ, switching the causes makes them agree", () => {
      let agree = 0;
      for (const c of cases) {
        const r = engine.explainPathDivergence(c.input, c.hyper);
        const p = prepareEpoch(c.input, c.hyper, { path });
        expect(chainOutputs(engine.runPrepared([p])[0], c.input.n), `case ${c.id}`).toEqual(c.expected);
        expect(storedOf(r[path], c.input.n), `case ${c.id}`).toEqual(storedOf(engine.epoch(c.input, c.hyper, { path }), c.input.n));
        const same = fieldsDiffering(r.sparse, r.dense, c.input.n).length === 0;
        expect(r.differs, `case ${c.id}`).toBe(!same);
        if (same) {
          agree++;
          expect(r.causes, `case ${c.id}`).toEqual([]);
          expect(r.fields).toEqual([]);
        } else {
          expect(r.causes.length, `case ${c.id}`).toBeGreaterThan(0);
          const causes = PATH_RULES.filter((rule) => r.causes.includes(rule.code)).reduce((m, rule) => m | rule.bit, 0);
          const sparse = prepareEpoch(c.input, c.hyper, { path: 'sparse' });
          const [fixed, dense] = engine.runPrepared([withPathRules(sparse, ALL_SPARSE_RULES & ~causes), withPathRules(sparse, 0)]);
          expect(sameStored(fixed, dense), `case ${c.id}`).toBe(true);
        }
      }
      // both kinds occur in every file (owner, write-back and Yuma3 bonds make the rest differ)
      expect(agree).toBeGreaterThan(0);
      expect(agree).toBeLessThan(cases.length);
    });
  });
});

describe('explainPathDivergence: rules that hide each other', () => {
  it("a commit mask empties the owner's row but for its self-weight: owner-permit and owner-self-weight are both causes", () => {
    // (a random subnet the brute-force property found) the owner (UID 0) has no stored permit; its weights go to
    // itself and to UID 1, whose registration is newer than the owner's commit. Sparse: permitted, the commit
    // masks (0, 1), the self-weight stays, so the owner's bond row holds a bond to itself. Switching owner-permit
    // alone or owner-self-weight alone to the dense behaviour removes that bond.
    const input: EpochInput = {
      n: 4,
      currentBlock: 1000n,
      tempo: 100,
      lastStepBlock: 0n,
      stake: [1000000000000000n, 23755537553467n, 0n, 0n],
      weights: Uint16Array.from([1, 1, 0, 0, 1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1]),
      bonds: Uint16Array.from([0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0]),
      lastUpdate: [832n, 29n, 0n, 0n],
      blockAtRegistration: [0n, 754n, 18446744073709546615n, 0n],
      validatorPermit: [false],
      raoEmission: 0n,
      ownerUid: 0,
      commitBlocks: [0n, null, null, null],
    };
    const hyper: Partial<Hyperparams> = { kappa: 0, bondsMovingAverage: 0, bondsPenalty: 0, activityCutoff: 0, maxAllowedValidators: 1, yuma3Enabled: true, liquidAlphaEnabled: true, alphaLow: 0, alphaHigh: 0 };
    const r = engine.explainPathDivergence(input, hyper);
    expect(r.fields).toEqual(['bonds']);
    expect(r.causes).toEqual(['owner-permit', 'owner-self-weight', 'bond-writeback']);
  });

  it('when the minimal fixes do not add up to a fix, the causes are the smallest fix containing them', () => {
    // A scripted engine. Acting rules: owner-permit (1), owner-self-weight (2), commit-reveal (4),
    // bond-writeback (8). Switching {1} or {2} to the dense behaviour fixes the difference, {1, 2} does not,
    // {1, 2, 4} does (and all of them, as always). The minimal fixes' rules {1, 2} are no fix; the smallest fix
    // containing them is {1, 2, 4}. Outputs differ only in dividends[0].
    const input = subnet({ ownerUid: 0, weights: [[[0, 1], [2, 1]], [[2, 1]], [], []], commitBlocks: [0, null, null, null] });
    const fixes = new Set([1, 2, 7, 15]);
    const runPrepared = (ps: ReturnType<typeof prepareEpoch>[]) =>
      ps.map((q) => {
        const r = allocRawResult(q.n);
        if (!fixes.has(15 & ~q.pathRules)) r.dividends[0] = 1;
        return r;
      });
    const r = explainPathDivergence(runPrepared, input, {});
    expect(r.causes).toEqual(['owner-permit', 'owner-self-weight', 'commit-reveal']);
    expect(r.fields).toEqual(['dividends']);
  });
});

describe('explainPathDivergence: the reference engine gives the same report', () => {
  it('on the crafted subnets and 40 random ones (fixed mode)', () => {
    const ref = createReferenceEngine();
    for (const c of CRAFTED) expect(ref.explainPathDivergence(c.input, c.hyper)).toEqual(engine.explainPathDivergence(c.input, c.hyper));
    fc.assert(
      fc.property(cases, ({ input, hyper }) => {
        expect(ref.explainPathDivergence(input, hyper)).toEqual(engine.explainPathDivergence(input, hyper));
      }),
      { numRuns: 40 },
    );
  });
});

describe('explainPathDivergence on a threaded engine', () => {
  it('gives the same reports (the mixes run as one batch over two threads)', () => {
    const threaded = createEngineSync({ threads: 2 });
    try {
      for (const c of CRAFTED) expect(threaded.explainPathDivergence(c.input, c.hyper)).toEqual(engine.explainPathDivergence(c.input, c.hyper));
    } finally {
      threaded.close();
    }
  });
});

describe('explainPathDivergence: bad input', () => {
  const good = subnet();
  it('YumaError with a code, input untouched', () => {
    const before = JSON.stringify(good, (_k, v) => (typeof v === 'bigint' ? v.toString() : v));
    expect(yumaCode(() => engine.explainPathDivergence(good, {}, { path: 'dense' } as never))).toBe('E_ARG');
    expect(yumaCode(() => engine.explainPathDivergence(good, {}, { mode: 'double' } as never))).toBe('E_ARG');
    expect(yumaCode(() => engine.explainPathDivergence(good, {}, { colour: 1 } as never))).toBe('E_ARG');
    expect(yumaCode(() => engine.explainPathDivergence(good, {}, 7 as never))).toBe('E_ARG');
    expect(yumaCode(() => engine.explainPathDivergence(good, { kappa: 70000 }))).toBe('E_RANGE');
    expect(yumaCode(() => engine.explainPathDivergence(good, { kapa: 1 } as never))).toBe('E_ARG');
    expect(yumaCode(() => engine.explainPathDivergence({ ...good, stake: [1n, 2n] }))).toBe('E_SHAPE');
    expect(yumaCode(() => engine.explainPathDivergence({ ...good, tempo: Number.NaN }))).toBe('E_NAN');
    expect(yumaCode(() => engine.explainPathDivergence({ ...good, n: 5000 }))).toBe('E_LIMIT');
    expect(yumaCode(() => engine.explainPathDivergence(null as never))).toBe('E_ARG');
    expect(yumaCode(() => createReferenceEngine().explainPathDivergence(good, {}, { path: 'sparse' } as never))).toBe('E_ARG');
    expect(JSON.stringify(good, (_k, v) => (typeof v === 'bigint' ? v.toString() : v))).toBe(before);
  });
});

