import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { yumaCode } from './helpers/errors.js';
import { prepareEpoch } from '../src/epoch/prepare.js';
import type { EpochInput, EpochOutput, Hyperparams, SparseRow } from '../src/epoch/types.js';
import {
  arbEpochCase,
  arbEpochInput,
  arbHyperparams,
  arbMechanismEpochInput,
  assertEpochInvariants,
  checkEpochInvariants,
  createReferenceEngine,
  SUBNET_FLAVOURS,
  withLayout,
} from '../src/testing/index.js';

const engine = createReferenceEngine();

describe('yuma-wasm/testing arbitraries', () => {
  it('every flavour generates inputs the engine accepts, in both layouts, with the case it is named for', () => {
    // The README lists what the arbitraries mix in; each flavour must produce its case.
    const rowsOf = (input: EpochInput): SparseRow[] => {
      const m = input.weights;
      if (!(m instanceof Uint16Array)) return m;
      return Array.from({ length: input.n }, (_, i) => Array.from(m.subarray(i * input.n, (i + 1) * input.n)).flatMap((v, j): SparseRow => (v ? [[j, v]] : [])));
    };
    for (const flavour of SUBNET_FLAVOURS) {
      const layouts = new Set<string>();
      fc.assert(
        fc.property(arbEpochCase({ flavours: [flavour], maxN: 8 }), ({ input, hyper }) => {
          prepareEpoch(input, hyper);
          layouts.add(input.weights instanceof Uint16Array ? 'dense' : 'sparse');
          const n = input.n;
          const stake = Array.from(input.stake);
          const lu = Array.from(input.lastUpdate, BigInt);
          const reg = Array.from(input.blockAtRegistration, BigInt);
          const rows = rowsOf(input);
          switch (flavour) {
            case 'random':
              break;
            case 'single-uid':
              expect(n).toBe(1);
              break;
            case 'zero-stake':
              expect(stake.every((s) => s === 0n)).toBe(true);
              break;
            case 'all-zero-weights':
              expect(rows.every((row) => row.every(([, v]) => v === 0))).toBe(true);
              break;
            case 'one-validator': {
              const v = stake.findIndex((s) => s > 0n);
              expect(stake.filter((s) => s > 0n)).toHaveLength(1);
              expect(input.validatorPermit).toEqual(Array.from({ length: n }, (_, i) => i === v));
              break;
            }
            case 'ties':
              expect(new Set(stake).size).toBe(1);
              expect(rows.every((row) => JSON.stringify(row) === JSON.stringify(rows[0]))).toBe(true);
              break;
            case 'all-inactive': {
              const cb = BigInt(input.currentBlock);
              expect(lu.every((x) => x + 5000n < cb || cb <= 5000n)).toBe(true);
              break;
            }
            case 'outdated-weights':
              // every UID's weights were set at or before the registration of the next UID
              lu.forEach((x, i) => expect(x <= reg[(i + 1) % n]).toBe(true));
              break;
            case 'fresh-registrations': {
              const since = BigInt(input.lastStepBlock) + 1n;
              const cb = BigInt(input.currentBlock);
              reg.forEach((r, j) => j % 2 === 0 && expect(r >= (since < cb ? since : cb)).toBe(true));
              break;
            }
            case 'owner':
              expect(input.ownerUid).toBeDefined();
              expect(stake[input.ownerUid!]).toBeGreaterThan(0n);
              break;
            default:
              throw new Error(`no check for flavour ${flavour}`);
          }
        }),
        { numRuns: 20, seed: 11 },
      );
      expect([...layouts].sort(), flavour).toEqual(['dense', 'sparse']);
    }
  });

  it('draws both layouts and all three bond variants', () => {
    const inputs = fc.sample(arbEpochInput({ maxN: 6 }), { numRuns: 60, seed: 3 });
    expect(inputs.some((i) => i.weights instanceof Uint16Array)).toBe(true);
    expect(inputs.some((i) => !(i.weights instanceof Uint16Array))).toBe(true);
    const hypers = fc.sample(arbHyperparams(), { numRuns: 60, seed: 3 });
    expect(hypers.some((h) => !h.yuma3Enabled)).toBe(true);
    expect(hypers.some((h) => h.yuma3Enabled && !h.liquidAlphaEnabled)).toBe(true);
    expect(hypers.some((h) => h.liquidAlphaEnabled)).toBe(true);
    expect(hypers.every((h) => h.alphaLow <= h.alphaHigh)).toBe(true);
  });

  it('withLayout converts both ways without changing the epoch', () => {
    fc.assert(
      fc.property(arbEpochCase({ maxN: 6, layout: 'sparse' }), ({ input, hyper }) => {
        const dense = withLayout(input, 'dense');
        expect(dense.weights).toBeInstanceOf(Uint16Array);
        const back = withLayout(dense, 'sparse');
        const a = engine.epoch(dense, hyper);
        const b = engine.epoch(back, hyper);
        expect(Array.from(a.dividends)).toEqual(Array.from(b.dividends));
        expect(a.validatorEmission).toEqual(b.validatorEmission);
      }),
      { numRuns: 30, seed: 5 },
    );
  });
});

describe('arbitraries refuse a largest size given below the smallest', () => {
  it('arbEpochInput({ minN: 5, maxN: 2 }) is E_RANGE (it drew n = 5, above the maxN asked for); minN alone lifts the default maxN', () => {
    expect(yumaCode(() => arbEpochInput({ minN: 5, maxN: 2 }))).toBe('E_RANGE');
    expect(yumaCode(() => arbEpochCase({ minN: 3, maxN: 1 }))).toBe('E_RANGE');
    const ns = fc.sample(arbEpochInput({ minN: 20 }), { numRuns: 20, seed: 7 }).map((i) => i.n);
    expect(Math.max(...ns)).toBeGreaterThan(16);
  });

  it("minN above 1 is honoured by every draw: the 'single-uid' flavour (n = 1) is left out (it drew n = 1 under minN: 20), and asked for alone it is E_RANGE", () => {
    const ns = fc.sample(arbEpochInput({ minN: 20, maxN: 24 }), { numRuns: 200, seed: 7 }).map((i) => i.n);
    expect(Math.min(...ns)).toBeGreaterThanOrEqual(20);
    expect(Math.max(...ns)).toBeLessThanOrEqual(24);
    expect(yumaCode(() => arbEpochInput({ minN: 2, flavours: ['single-uid'] }))).toBe('E_RANGE');
    expect(fc.sample(arbEpochInput({ flavours: ['single-uid'] }), { numRuns: 5, seed: 7 }).every((i) => i.n === 1)).toBe(true);
    expect(fc.sample(arbEpochInput({ minN: 4, maxN: 4 }), { numRuns: 10, seed: 7 }).every((i) => i.n === 4)).toBe(true);
  });

  it('arbMechanismEpochInput({ minMechanisms: 3, maxMechanisms: 2 }) is E_RANGE (it drew 3); equal bounds draw exactly that count', () => {
    expect(yumaCode(() => arbMechanismEpochInput({ minMechanisms: 3, maxMechanisms: 2 }))).toBe('E_RANGE');
    expect(fc.sample(arbMechanismEpochInput({ minMechanisms: 2, maxMechanisms: 2, maxN: 4 }), { numRuns: 10, seed: 7 }).every((i) => i.mechanisms.length === 2)).toBe(true);
  });
});

describe('checkEpochInvariants holds on engine outputs', () => {
  for (const mode of ['fixed', 'float'] as const) {
    for (const path of ['sparse', 'dense'] as const) {
      it(`${mode} mode, ${path} path`, () => {
        fc.assert(
          fc.property(arbEpochCase({ maxN: 10 }), ({ input, hyper }) => {
            const out = engine.epoch(input, hyper, { mode, path });
            const v = checkEpochInvariants(input, out, { hyper, path, mode });
            expect(v, JSON.stringify(v)).toEqual([]);
          }),
          { numRuns: 150, seed: mode === 'fixed' ? 1 : 2 },
        );
      });
    }
  }
});

describe('checkEpochInvariants catches broken outputs', () => {
  // A subnet where every field matters: 2 validators, 2 miners, bonds, permits, emission.
  const hyper: Partial<Hyperparams> = { maxAllowedValidators: 2 };
  const input: EpochInput = {
    n: 4,
    currentBlock: 100,
    tempo: 10,
    lastStepBlock: 90,
    stake: [600n, 400n, 0n, 0n],
    weights: [[[2, 65535], [3, 32768]], [[2, 65535]], [], []],
    bonds: [[[2, 65535]], [[2, 30000]], [], []],
    lastUpdate: [99, 99, 50, 50],
    blockAtRegistration: [1, 1, 1, 1],
    validatorPermit: [true, true, false, false],
    raoEmission: 1_000_000_000n,
  };
  const good = () => engine.epoch(input, hyper);
  const rules = (out: EpochOutput) => checkEpochInvariants(input, out, { hyper }).map((v) => v.rule);

  it('the untouched output is clean (and has something to break)', () => {
    const out = good();
    expect(rules(out)).toEqual([]);
    expect(out.incentive[2]).toBeGreaterThan(0);
    expect(out.dividends[0]).toBeGreaterThan(0);
    expect(() => assertEpochInvariants(input, out, { hyper })).not.toThrow();
  });

  const breaks: Array<[string, string, (o: EpochOutput) => void]> = [
    ['incentive no longer sums to 65535', 'normalised-sum', (o) => (o.incentive[2] += 500)],
    ['dividends sum too low', 'normalised-sum', (o) => (o.dividends[0] = 0)],
    ['consensus above every weight', 'consensus', (o) => (o.float.consensus[3] = 0.9)],
    ['validator trust not Σ min(w, c)', 'validator-trust', (o) => (o.float.validatorTrust[1] = 0.2)],
    ['u16 field disagrees with its float view', 'rounding', (o) => (o.consensus[2] = Math.max(0, o.consensus[2] - 5))],
    ['active flag flipped', 'active', (o) => (o.active[2] = !o.active[2])],
    ['permit for a zero-stake UID', 'permit', (o) => (o.validatorPermit[3] = true)],
    ['permit taken from the larger stake', 'permit', (o) => ((o.validatorPermit[0] = false), (o.validatorPermit[2] = false))],
    ['bond row kept without a permit', 'bonds', (o) => ((o.bonds as SparseRow[])[3] = [[2, 100]])],
    ['bond value outside u16', 'bonds', (o) => ((o.bonds as SparseRow[])[0] = [[2, 70000]])],
    ['more rao paid than emitted', 'emission', (o) => (o.validatorEmission[0] += 1_000_000_000n)],
    ['server emission without incentive', 'emission', (o) => (o.serverEmission[0] = 5n)],
    ['wrong length', 'shape', (o) => (o.dividends = o.dividends.slice(0, 3))],
  ];
  for (const [what, rule, mutate] of breaks) {
    it(`flags: ${what}`, () => {
      const out = good();
      mutate(out);
      expect(rules(out)).toContain(rule);
      expect(() => assertEpochInvariants(input, out, { hyper })).toThrow(new RegExp(`\\[${rule}\\]`));
    });
  }
});
