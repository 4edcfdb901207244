/**
 * Seeded properties of the research subpath under input the other fuzz files do not draw: summary parameters across
 * the whole float range (the case runner's dividends), −0 weights and stakes, refused YumaRun epochs of every kind
 * followed by epochs through the run's own input buffer, and configs of the wrong shape. Every outcome is a finite
 * result or a YumaError with a code, and a refused call leaves its subject giving what a fresh twin gives.
 */
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  YUMA_VERSIONS,
  YumaRun,
  dividendPer1000Tao,
  defaultConfig,
  runYumaSimCase,
  simulateCase,
  yumaEpoch,
  yumaSimCaseFromJson,
  type YumaVersion,
} from '../src/research/index.js';
import { FUZZ_SEED, FUZZ_TIMEOUT_MS, fuzzRuns } from './helpers/hostile.js';
import { yumaCode } from './helpers/errors.js';

const PRECISIONS = ['f64', 'f32'] as const;
const case01 = yumaSimCaseFromJson(JSON.parse(readFileSync(new URL('../scenarios/yuma-sim/case-01.json', import.meta.url), 'utf8')));

/** Every number in `v` (plain numbers, typed arrays, arrays and objects of them), with its path. */
function numbersOf(v: unknown, path = '', out: Array<[string, number]> = []): Array<[string, number]> {
  if (typeof v === 'number') out.push([path, v]);
  else if (ArrayBuffer.isView(v)) (Array.from(v as Float64Array) as number[]).forEach((x, i) => out.push([`${path}[${i}]`, x]));
  else if (Array.isArray(v)) v.forEach((x, i) => numbersOf(x, `${path}[${i}]`, out));
  else if (v !== null && typeof v === 'object') for (const k of Object.keys(v)) numbersOf((v as Record<string, unknown>)[k], `${path}.${k}`, out);
  return out;
}

const nonFinite = (v: unknown) => numbersOf(v).filter(([, x]) => !Number.isFinite(x));

/** A positive double spread over the whole range, subnormals to 1e308 (log-uniform), or 0. */
const wide = fc.oneof(
  fc.constant(0),
  fc.integer({ min: -323, max: 308 }).chain((e) => fc.double({ min: 1, max: 9.99, noNaN: true }).map((m) => Math.min(Number.MAX_VALUE, m * 10 ** e))),
);

describe('runYumaSimCase and dividendPer1000Tao: summary parameters anywhere in the float range', () => {
  it(
    'every dividend and total is finite, or the run is E_RANGE (in f32 a totalEpochEmission past float32 made the totals not finite, a totalSubnetStake past it made every dividend 0)',
    () => {
      let refused = 0;
      let accepted = 0;
      fc.assert(
        fc.property(fc.constantFrom(...PRECISIONS), fc.record({ totalEpochEmission: wide, totalSubnetStake: wide, validatorEmissionRatio: fc.double({ min: 0, max: 1, noNaN: true }) }), (precision, config) => {
          let run;
          try {
            run = runYumaSimCase(case01, 'yuma3', { config, precision });
          } catch (e) {
            expect(yumaCode(() => {
              throw e;
            })).toBe('E_RANGE');
            refused++;
            return;
          }
          accepted++;
          expect(nonFinite({ d: run.dividendsPer1000Tao, t: run.totalDividends })).toEqual([]);
          // f32 reads the parameters as float32: one beyond its range is refused, not read as Infinity
          if (precision === 'f32') expect(Number.isFinite(Math.fround(config.totalSubnetStake)) && Number.isFinite(Math.fround(config.totalEpochEmission))).toBe(true);
        }),
        { seed: FUZZ_SEED, numRuns: fuzzRuns(120) },
      );
      expect(accepted).toBeGreaterThan(0);
      expect(refused).toBeGreaterThan(0);
    },
    FUZZ_TIMEOUT_MS,
  );

  for (const [what, config, precision] of [
    ['totalEpochEmission 1e308 in f32 (its totals were not finite)', { totalEpochEmission: 1e308 }, 'f32'],
    ['totalEpochEmission 1e39 in f32 (its totals were not finite)', { totalEpochEmission: 1e39 }, 'f32'],
    ['totalSubnetStake 1e308 in f32 (every dividend was 0)', { totalSubnetStake: 1e308 }, 'f32'],
    ['totalEpochEmission 1e308 with totalSubnetStake 1.3e-3 in f64 (dividends of Infinity)', { totalEpochEmission: 1e308, totalSubnetStake: 1.3e-3 }, 'f64'],
  ] as const) {
    it(`${what}: E_RANGE`, () => {
      expect(yumaCode(() => runYumaSimCase(case01, 'yuma3', { config, precision }))).toBe('E_RANGE');
    });
  }

  it('dividendPer1000Tao refuses what would be Infinity or NaN (E_RANGE) and gives the simulator\'s value otherwise', () => {
    const cfg = defaultConfig('yuma3');
    expect(dividendPer1000Tao(0.8, 0.5, cfg)).toBe((0.41 * 0.5 * 100) / ((0.8 * 1_000_000) / 1000));
    expect(yumaCode(() => dividendPer1000Tao(0.8, 0, { ...cfg, totalEpochEmission: 1e39 }, true))).toBe('E_RANGE');
    expect(yumaCode(() => dividendPer1000Tao(1e-300, 1, { ...cfg, totalEpochEmission: 1e308, totalSubnetStake: 1.1e297 }))).toBe('E_RANGE');
    expect(dividendPer1000Tao(0.8, 0.5, { ...cfg, totalEpochEmission: 1e38 }, true)).toBeGreaterThan(0);
  });
});

describe('−0 weights and stakes read as 0', () => {
  const V = 3;
  const M = 4;
  const arbCase = fc.record({
    weights: fc.array(fc.array(fc.oneof(fc.constant(0), fc.constant(-0), fc.double({ min: 0, max: 10, noNaN: true })), { minLength: V * M, maxLength: V * M }), { minLength: 1, maxLength: 4 }),
    stakes: fc.array(fc.oneof(fc.constant(-0), fc.double({ min: 0.5, max: 10, noNaN: true })), { minLength: V, maxLength: V }),
  });
  /** `w` with every zero made +0 (the run the −0 one must equal in value). */
  const plus = (xs: number[]) => xs.map((x) => x + 0);
  const rows = (flat: number[]) => Array.from({ length: V }, (_, v) => flat.slice(v * M, (v + 1) * M));
  /** Every number of `a` equals `b`'s at the same path (=== : −0 and +0 alike), and the paths are the same. */
  const sameValues = (a: unknown, b: unknown) => {
    const x = numbersOf(a);
    const y = numbersOf(b);
    expect(x.map(([p]) => p)).toEqual(y.map(([p]) => p));
    const differ = x.filter(([, u], i) => !(u === y[i][1] || (Number.isNaN(u) && Number.isNaN(y[i][1]))));
    expect(differ).toEqual([]);
  };

  for (const version of YUMA_VERSIONS as readonly YumaVersion[]) {
    it(`${version}: simulateCase, yumaEpoch and YumaRun (a copy and weightsInput()) give every output equal in value to the same input with +0 (only the sign of zero outputs may differ)`, () => {
      fc.assert(
        fc.property(arbCase, fc.constantFrom(...PRECISIONS), (c, precision) => {
          if (c.stakes.every((s) => s === 0)) (c.stakes as number[])[0] = 1;
          const neg = { weights: c.weights.map(rows), stakes: c.weights.map(() => c.stakes) };
          const pos = { weights: c.weights.map((w) => rows(plus(w))), stakes: c.weights.map(() => plus(c.stakes)) };
          sameValues(simulateCase({ version, ...neg, precision }), simulateCase({ version, ...pos, precision }));
          sameValues(yumaEpoch(version, { weights: neg.weights[0], stakes: c.stakes }, undefined, { precision }), yumaEpoch(version, { weights: pos.weights[0], stakes: plus(c.stakes) }, undefined, { precision }));
          const a = new YumaRun(version, { validators: V, servers: M }, undefined, { precision });
          const b = new YumaRun(version, { validators: V, servers: M }, undefined, { precision });
          for (const w of c.weights) {
            a.weightsInput().set(w);
            const x = JSON.parse(JSON.stringify(numbersOf(a.epoch(a.weightsInput(), c.stakes)))) as unknown;
            const y = JSON.parse(JSON.stringify(numbersOf(b.epoch(Float64Array.from(plus(w)), plus(c.stakes))))) as unknown;
            expect(x).toEqual(y);
          }
        }),
        { seed: FUZZ_SEED, numRuns: fuzzRuns(30) },
      );
    });
  }
});

describe('YumaRun after a refused epoch of any kind', () => {
  const V = 3;
  const M = 4;
  const good = Float64Array.from({ length: V * M }, (_, i) => (i * 5) % 7);
  const next = Float64Array.from({ length: V * M }, (_, i) => ((i * 3) % 4) + 0.5);
  const holey = [1, 2, 3];
  delete (holey as unknown as Record<number, unknown>)[1];
  const throwing = new Proxy([1, 2, 3], {
    get: (t, k, r) => {
      if (k === '1') throw new Error('trap');
      return Reflect.get(t, k, r) as unknown;
    },
  });
  const BAD: Array<[string, () => [unknown, unknown]]> = [
    ['stakes one short', () => [good, [1, 2]]],
    ['stakes one long', () => [good, [1, 2, 3, 4]]],
    ['stakes with a hole', () => [good, holey]],
    ['a negative stake', () => [good, [1, -2, 3]]],
    ['a stake of −Infinity', () => [good, [1, -Infinity, 3]]],
    ['a NaN stake', () => [good, [1, NaN, 3]]],
    ['stakes all −0', () => [good, [-0, -0, -0]]],
    ['a string stake', () => [good, [1, '2', 3]]],
    ['a bigint stake', () => [good, [1, 2n, 3]]],
    ['stakes whose entry 1 throws (a Proxy trap)', () => [good, throwing]],
    ['stakes a Proxy claiming 2^32 − 1 entries', () => [good, new Proxy([1, 2, 3], { get: (t, k, r) => (k === 'length' ? 2 ** 32 - 1 : (Reflect.get(t, k, r) as unknown)) })]],
    ['stakes null', () => [good, null]],
    ['weights a plain array', () => [Array.from(good), [1, 2, 3]]],
    ['weights a Uint8Array', () => [Uint8Array.from(good), [1, 2, 3]]],
    ['weights one entry short', () => [good.subarray(1), [1, 2, 3]]],
    ['weights with a NaN', () => [Float64Array.from(good, (x, i) => (i === 5 ? NaN : x)), [1, 2, 3]]],
    ['weights with −1e-300', () => [Float64Array.from(good, (x, i) => (i === 7 ? -1e-300 : x)), [1, 2, 3]]],
    ['weights past float32 (f32 only refuses)', () => [Float64Array.from(good, (x, i) => (i === 2 ? 1e39 : x)), [1, 2, 3]]],
    ['the run\'s own input view with an Infinity written into it', () => [null, [1, 2, 3]]],
  ];

  for (const precision of PRECISIONS) {
    for (const [what, args] of BAD) {
      it(`${precision}, ${what}: a result equal bit for bit to a twin's given the same epoch, or a YumaError after which weightsInput() views the same memory and the epoch count is unchanged; either way the next two epochs through it equal the twin's bit for bit`, () => {
        const fresh = () => {
          const r = new YumaRun('yuma3-liquid', { validators: V, servers: M }, undefined, { precision });
          r.epoch(good, [3, 2, 1]);
          return r;
        };
        const run = fresh();
        const view = run.weightsInput();
        let [w, s] = args();
        if (w === null) {
          view.set(good);
          view[3] = Infinity;
          w = view;
        }
        let code: string | undefined;
        let out: unknown;
        try {
          out = run.epoch(w as Float64Array, s as number[]);
        } catch (e) {
          code = yumaCode(() => {
            throw e;
          });
          expect(code, String(e)).toMatch(/^E_[A-Z]+$/);
        }
        const twin = fresh();
        if (code === undefined) {
          // accepted (f64 holds 1e39; −1e-300 is a zero in f32): the twin takes the same epoch from fresh arguments
          const [tw, ts] = args();
          expect(JSON.stringify(numbersOf(out!))).toBe(JSON.stringify(numbersOf(twin.epoch(tw as Float64Array, ts as number[]))));
          expect(run.epochCount).toBe(2);
        } else {
          const again = run.weightsInput();
          expect([again.buffer === view.buffer, again.byteOffset, again.length]).toEqual([true, view.byteOffset, view.length]);
          expect(run.epochCount).toBe(1);
        }
        for (const ws of [next, good]) {
          view.set(ws);
          const tv = twin.weightsInput();
          tv.set(ws);
          expect(JSON.stringify(numbersOf(run.epoch(view, [2, 5, 1])))).toBe(JSON.stringify(numbersOf(twin.epoch(tv, [2, 5, 1]))));
        }
        expect(run.epochCount).toBe(code === undefined ? 4 : 3);
      });
    }
  }

  it('a stakes array with a getter entry is read once and gives the plain array\'s result', () => {
    let reads = 0;
    const s = Object.defineProperty([3, 0, 1], 1, { get: () => (reads++, 2), enumerable: true });
    const a = new YumaRun('yuma3', { validators: V, servers: M });
    const b = new YumaRun('yuma3', { validators: V, servers: M });
    expect(JSON.stringify(numbersOf(a.epoch(good, s)))).toBe(JSON.stringify(numbersOf(b.epoch(good, [3, 2, 1]))));
    expect(reads).toBe(1);
  });
});

describe('YumaRun and yumaEpoch configs and options of the wrong shape', () => {
  const good = Float64Array.from({ length: 12 }, (_, i) => (i * 5) % 7);
  const BAD: Array<[string, unknown, unknown]> = [
    ['an unknown config key', { kapa: 0.5 }, undefined],
    ['kappa NaN', { kappa: NaN }, undefined],
    ['kappa 1.5', { kappa: 1.5 }, undefined],
    ['alphaSigmoidSteepness Infinity', { alphaSigmoidSteepness: Infinity }, undefined],
    ['alphaSigmoidSteepness −1', { alphaSigmoidSteepness: -1 }, undefined],
    ['alphaLow above alphaHigh', { alphaLow: 0.6, alphaHigh: 0.4 }, undefined],
    ['bondMovingAvg a string', { bondMovingAvg: '0.9' }, undefined],
    ['liquidAlpha 1 (truthy, not a boolean)', { liquidAlpha: 1 }, undefined],
    ['a config Proxy whose get throws', new Proxy({ kappa: 0.5 }, { get: () => { throw new Error('trap'); } }), undefined],
    ['a config getter that throws', Object.defineProperty({}, 'kappa', { get: () => { throw new Error('getter'); }, enumerable: true }), undefined],
    ['a config with a Symbol key (it was ignored)', { [Symbol('x')]: 1 }, undefined],
    ['a config with a non-enumerable unknown key (it was ignored)', Object.defineProperty({}, 'kapa', { value: 0.5 }), undefined],
    ['options with a Symbol key (it was ignored)', undefined, { [Symbol('precision')]: 'f32' }],
    ['a config that is an array', [0.5], undefined],
    ['precision f16', undefined, { precision: 'f16' }],
    ['precision null', undefined, { precision: null }],
    ['an unknown option', undefined, { precison: 'f32' }],
    ['options a Proxy whose ownKeys throws', undefined, new Proxy({}, { ownKeys: () => { throw new Error('trap'); } })],
  ];
  for (const [what, config, opts] of BAD) {
    it(`${what}: new YumaRun and yumaEpoch are a YumaError with a code, the argument untouched`, () => {
      const before = (() => {
        try {
          return JSON.stringify(config ?? opts);
        } catch {
          return 'unreadable';
        }
      })();
      expect(yumaCode(() => new YumaRun('yuma3', { validators: 3, servers: 4 }, config as never, opts as never))).toMatch(/^E_[A-Z]+$/);
      expect(yumaCode(() => yumaEpoch('yuma3', { weights: [[1, 0, 0, 1], [1, 1, 0, 0], [0, 0, 1, 1]], stakes: [1, 2, 3] }, config as never, opts as never))).toMatch(/^E_[A-Z]+$/);
      const after = (() => {
        try {
          return JSON.stringify(config ?? opts);
        } catch {
          return 'unreadable';
        }
      })();
      expect(after).toBe(before);
    });
  }

  it('shapes past the documented 2^24 cells are E_LIMIT before any memory is taken; a non-integer or zero side is E_RANGE or E_ARG', () => {
    expect(yumaCode(() => new YumaRun('yuma3', { validators: 4097, servers: 4096 }))).toBe('E_LIMIT');
    expect(yumaCode(() => new YumaRun('yuma3', { validators: 2 ** 24 + 1, servers: 1 }))).toMatch(/^E_(LIMIT|RANGE)$/);
    expect(yumaCode(() => new YumaRun('yuma3', { validators: 0, servers: 4 }))).toMatch(/^E_(RANGE|ARG)$/);
    expect(yumaCode(() => new YumaRun('yuma3', { validators: 2.5, servers: 4 }))).toMatch(/^E_(RANGE|ARG)$/);
    expect(yumaCode(() => new YumaRun('yuma3', { validators: 3, servers: 4, extra: 1 } as never))).toBe('E_ARG');
    const r = new YumaRun('yuma3', { validators: 3, servers: 4 });
    expect(r.epoch(good, [1, 2, 3]).serverIncentive.length).toBe(4);
  });
});

describe('yumaEpoch checks the weights\' row count against the stakes before copying a row', () => {
  it('weights claiming 2^24 rows against 1 stake: E_SHAPE with no row read (it copied 2^24 rows, 128 MiB and seconds, first)', () => {
    let rowReads = 0;
    const weights = new Proxy([[1]], {
      get: (t, k, r) => {
        if (k === 'length') return 2 ** 24;
        if (typeof k === 'string' && /^\d+$/.test(k)) {
          rowReads++;
          return t[0];
        }
        return Reflect.get(t, k, r) as unknown;
      },
    });
    expect(yumaCode(() => yumaEpoch('yuma3', { weights, stakes: [1] }))).toBe('E_SHAPE');
    expect(rowReads).toBe(0);
  });

  it('weights and stakes that agree: yumaEpoch gives simulateCase\'s one-epoch result bit for bit, every version (3×4)', () => {
    const weights = [[1, 0, 0, 1], [1, 1, 0, 0], [0, 0, 1, 1]];
    for (const version of YUMA_VERSIONS) {
      const a = yumaEpoch(version, { weights, stakes: [1, 2, 3] });
      const b = simulateCase({ version, weights: [weights], stakes: [[1, 2, 3]] })[0];
      expect(JSON.stringify(numbersOf(a))).toBe(JSON.stringify(numbersOf(b)));
    }
  });
});
