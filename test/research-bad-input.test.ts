/**
 * Hostile inputs to `yuma-wasm/research` that the broad fuzz (test/fuzz-exports, test/fuzz-public-api) does not
 * build: genuine typed arrays whose own properties or subclass lie about their buffer, offset, length or
 * methods, and version names that are not versions. Each call either computes on the array's real entries or
 * throws a YumaError, and leaves the run's state as it was.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { YUMA_VERSIONS, YumaRun, renderCasesHtml, resetsBonds, runYumaSimCase, simulateCase, summaryRows, yumaEpoch, yumaSimCaseFromJson, type YumaPrecision, type YumaSimCase } from '../src/research/index.js';
import { expectYumaError } from './helpers/errors.js';

const V = 2;
const M = 3;
const STAKES = [3, 1];
/** Raw weights of the two validators: [1, 1, 1] and [4, 0, 2]. */
const RAW = [1, 1, 1, 4, 0, 2];
const hostile = () => {
  throw new Error('hostile getter');
};

/** The runs twoEpochs made, newest last (a weights builder may need the run it is built for). */
const runs: YumaRun<YumaPrecision>[] = [];

/** Every output of one epoch, copied to plain arrays. */
function outputs(r: ReturnType<YumaRun<YumaPrecision>['epoch']>): Record<string, number[] | boolean> {
  const out: Record<string, number[] | boolean> = {};
  for (const [k, v] of Object.entries(r)) out[k] = typeof v === 'boolean' ? v : Array.from(v as ArrayLike<number>);
  return out;
}

/** Two epochs on a fresh run: the first with plain weights, the second with `second` (the bond state then matters). */
function twoEpochs(precision: YumaPrecision, second: (plain: Float64Array | Float32Array) => Float64Array | Float32Array) {
  const run = new YumaRun('yuma3', { validators: V, servers: M }, undefined, { precision });
  runs.push(run);
  run.epoch(Float64Array.from([2, 1, 0, 1, 1, 1]), STAKES);
  const input = run.weightsInput();
  input.fill(7); // the run's own input view holds other weights than the ones passed below
  const plain = precision === 'f32' ? Float32Array.from(RAW) : Float64Array.from(RAW);
  return { run, out: outputs(run.epoch(second(plain), STAKES)), input };
}

describe('YumaRun.epoch reads a typed array of weights through its internal slots only', () => {
  for (const precision of ['f64', 'f32'] as const) {
    const expected = twoEpochs(precision, (w) => w).out;

    it(`${precision}: own 'buffer' and 'byteOffset' getters that throw are not called; the outputs are those of the plain weights`, () => {
      const { out, run } = twoEpochs(precision, (w) => Object.defineProperties(w, { buffer: { get: hostile }, byteOffset: { get: hostile } }));
      expect(out).toEqual(expected);
      expect(run.epochCount).toBe(2);
    });

    it(`${precision}: own 'buffer' and 'byteOffset' values naming the run's input view do not make the epoch read that view`, () => {
      let view: Float64Array | Float32Array | null = null;
      const { out, run } = twoEpochs(precision, (w) => {
        // the run's input view, filled with 7s by twoEpochs before this is called
        view = runs[runs.length - 1].weightsInput();
        return Object.defineProperties(w, { buffer: { value: view.buffer }, byteOffset: { value: view.byteOffset } });
      });
      // computing on the view's 7s would give every validator the normalised row [1/3, 1/3, 1/3]
      expect(out).toEqual(expected);
      expect(Array.from(run.weightsInput())).toEqual([7, 7, 7, 7, 7, 7]);
      expect(view).not.toBeNull();
    });

    it(`${precision}: an own 'length' getter that throws, and a subclass whose 'subarray' and 'buffer' throw, are not called`, () => {
      const own = twoEpochs(precision, (w) => Object.defineProperty(w, 'length', { get: hostile }));
      expect(own.out).toEqual(expected);
      class Hostile64 extends Float64Array {
        override get buffer(): ArrayBuffer {
          return hostile();
        }
        override subarray(): Float64Array<ArrayBuffer> {
          return hostile();
        }
      }
      const sub = twoEpochs(precision, () => new Hostile64(RAW));
      // f64 weights in an f32 run are rounded to float32 as they are copied in: the same outputs as float32 weights
      expect(sub.out).toEqual(expected);
    });

    it(`${precision}: a refused epoch (a NaN weight) behind a throwing own 'length' getter is E_NAN and keeps the bond state`, () => {
      const run = new YumaRun('yuma3', { validators: V, servers: M }, undefined, { precision });
      const view = run.epoch(Float64Array.from(RAW), STAKES).validatorBonds;
      const bonds = Array.from(view);
      const w = Float64Array.from(RAW);
      w[4] = NaN;
      Object.defineProperty(w, 'length', { get: hostile });
      expect(expectYumaError(() => run.epoch(w, STAKES), 'E_NAN').message).toContain('weights[4] is NaN');
      expect(run.epochCount).toBe(1);
      // the run's bond state (its own output view) holds the first epoch's bonds, not a half-run refused epoch's
      expect(Array.from(view)).toEqual(bonds);
      // the next epoch reads the bond state the first one left: the same outputs as a run that never saw the refusal
      const clean = new YumaRun('yuma3', { validators: V, servers: M }, undefined, { precision });
      clean.epoch(Float64Array.from(RAW), STAKES);
      expect(outputs(run.epoch(Float64Array.from(RAW), STAKES))).toEqual(outputs(clean.epoch(Float64Array.from(RAW), STAKES)));
      expect(bonds.length).toBe(V * M);
      expect(bonds.some((b) => b > 0)).toBe(true);
    });
  }
});

describe('resetsBonds(version)', () => {
  it('answers for the six versions and refuses anything else with E_ARG', () => {
    expect(['yuma1', 'yuma2', 'yuma2b', 'yuma2c', 'yuma3', 'yuma3-liquid'].map((v) => resetsBonds(v as never))).toEqual([false, false, false, true, true, true]);
    for (const bad of ['toString', 'Yuma3', '', null, undefined, 3, Symbol('yuma3'), new String('yuma3')]) {
      expectYumaError(() => resetsBonds(bad as never), 'E_ARG');
    }
  });
});

describe('runYumaSimCase(case, version, options) checks the case and the options it is given', () => {
  const file = () => JSON.parse(readFileSync(new URL('../scenarios/yuma-sim/case-01.json', import.meta.url), 'utf8')) as Record<string, unknown>;
  const c = yumaSimCaseFromJson(file());
  const run = runYumaSimCase(c, 'yuma3');

  it('the case as read from its file, a null-prototype copy and a copy of getters give the same run: version, config, every epoch, dividends per 1000 TAO and totals', () => {
    expect(run.totalDividends.length).toBe(3);
    expect(run.epochs.length).toBe(c.weights.length);
    expect(run.dividendsPer1000Tao.map((d) => d.length)).toEqual([c.weights.length, c.weights.length, c.weights.length]);
    expect(runYumaSimCase(Object.assign(Object.create(null), c), 'yuma3')).toEqual(run);
    const getters = Object.defineProperties({}, Object.fromEntries(Object.entries(c).map(([k, v]) => [k, { get: () => v, enumerable: true }])));
    expect(runYumaSimCase(getters as YumaSimCase, 'yuma3')).toEqual(run);
  });

  it('validator or server names of another count than the weights have are E_SHAPE (not totals cut or padded with zeros)', () => {
    expectYumaError(() => runYumaSimCase({ ...c, validators: ['A'] }, 'yuma3'), 'E_SHAPE');
    expectYumaError(() => runYumaSimCase({ ...c, validators: [...c.validators, 'X', 'Y'] }, 'yuma3'), 'E_SHAPE');
    expectYumaError(() => runYumaSimCase({ ...c, servers: [...c.servers, 'S'] }, 'yuma3'), 'E_SHAPE');
  });

  it('a case that is not one is refused: names not a list (E_SHAPE), a throwing getter or Proxy and an unknown key (E_ARG)', () => {
    expectYumaError(() => runYumaSimCase({ ...c, validators: 5 as never }, 'yuma3'), 'E_SHAPE');
    expectYumaError(() => runYumaSimCase({ ...c, servers: 'AB' as never }, 'yuma3'), 'E_SHAPE');
    expectYumaError(() => runYumaSimCase(Object.defineProperty({ ...c }, 'weights', { get: hostile, enumerable: true }), 'yuma3'), 'E_ARG');
    expectYumaError(() => runYumaSimCase(new Proxy(c, { get: hostile }), 'yuma3'), 'E_ARG');
    expectYumaError(() => runYumaSimCase({ ...c, extra: 1 } as never, 'yuma3'), 'E_ARG');
    expectYumaError(() => runYumaSimCase(null as never, 'yuma3'), 'E_ARG');
  });

  it('options: null is none (the same run: version, config, every epoch, dividends and totals); a throwing getter and an unknown key are E_ARG', () => {
    expect(runYumaSimCase(c, 'yuma3', null as never)).toEqual(run);
    expectYumaError(() => runYumaSimCase(c, 'yuma3', Object.defineProperty({}, 'config', { get: hostile, enumerable: true })), 'E_ARG');
    expectYumaError(() => runYumaSimCase(c, 'yuma3', { bogus: 1 } as never), 'E_ARG');
  });
});

describe('yumaSimCaseFromJson reads the file format it declares', () => {
  const file = () => JSON.parse(readFileSync(new URL('../scenarios/yuma-sim/case-01.json', import.meta.url), 'utf8')) as Record<string, unknown>;

  it.each([['a later format', 'yuma-wasm/yuma-sim-case/2'], ['another file kind', 'yuma-wasm/scenario/1'], ['a number', 1], ['NaN', NaN], ['an object', {}]])(
    'format as %s is E_ARG naming the format it reads (it was ignored and the case read as format 1)',
    (_, format) => {
      expect(expectYumaError(() => yumaSimCaseFromJson({ ...file(), format }), 'E_ARG').message).toContain("case.format must be 'yuma-wasm/yuma-sim-case/1'");
    },
  );

  it('source, the provenance note, must be an object when given (a string or number was ignored)', () => {
    expectYumaError(() => yumaSimCaseFromJson({ ...file(), source: 'x' }), 'E_ARG');
    expectYumaError(() => yumaSimCaseFromJson({ ...file(), source: 5 }), 'E_ARG');
  });

  it('without format and source, and with format 1, the case reads as the shipped file', () => {
    const { format: _f, source: _s, ...bare } = file();
    expect(yumaSimCaseFromJson(bare)).toEqual(yumaSimCaseFromJson(file()));
  });
});

describe('renderCasesHtml and summaryRows show each case and run as they were when the run was made', () => {
  const load = () => yumaSimCaseFromJson(JSON.parse(readFileSync(new URL('../scenarios/yuma-sim/case-05.json', import.meta.url), 'utf8')));

  it('a case changed after its run (names, a reset column of markup, its weights) changes neither the page nor the rows', () => {
    const c = load();
    const run = runYumaSimCase(c, 'yuma2c');
    const page = renderCasesHtml([{ c, runs: [run] }], 0.99);
    const rows = summaryRows([{ c, runs: [run] }]);
    expect(page).toContain('bonds of server 2 reset before epoch 20');
    expect(rows[0].caseName).toBe(c.name);
    Object.assign(c, { name: 'renamed', validators: 5, resetBonds: { epoch: 0, column: '<img src=x onerror=alert(1)>' }, weights: [] });
    expect(renderCasesHtml([{ c, runs: [run] }], 0.99)).toBe(page);
    expect(summaryRows([{ c, runs: [run] }])).toEqual(rows);
  });

  it("a run changed after it was made (its version, totals and epoch list) changes neither; a throwing getter in an epoch's outputs is E_ARG", () => {
    const c = load();
    const run = runYumaSimCase(c, 'yuma3');
    const page = renderCasesHtml([{ c, runs: [run] }], 0.99);
    const rows = summaryRows([{ c, runs: [run] }]);
    Object.assign(run, { version: '__proto__', totalDividends: 'none', dividendsPer1000Tao: null, epochs: 5 });
    expect(renderCasesHtml([{ c, runs: [run] }], 0.99)).toBe(page);
    expect(summaryRows([{ c, runs: [run] }])).toEqual(rows);
    const other = runYumaSimCase(c, 'yuma3');
    Object.defineProperty(other.epochs[3], 'serverIncentive', { get: hostile });
    expectYumaError(() => renderCasesHtml([{ c, runs: [other] }], 0.99), 'E_ARG');
  });

  it("a case whose reset names an epoch or column it does not have is E_RANGE at the run, whichever the version; a column that is no number is E_ARG", () => {
    const c = load();
    expect([c.weights.length, c.servers.length]).toEqual([40, 2]);
    for (const version of YUMA_VERSIONS) {
      expectYumaError(() => runYumaSimCase({ ...c, resetBonds: { epoch: 40, column: 1 } }, version), 'E_RANGE');
      expectYumaError(() => runYumaSimCase({ ...c, resetBonds: { epoch: 2, column: 2 } }, version), 'E_RANGE');
    }
    expectYumaError(() => runYumaSimCase({ ...c, resetBonds: { epoch: 2, column: '1' as never } }, 'yuma1'), 'E_ARG');
  });
});

describe("precision 'f32': stakes are checked as float32 holds them", () => {
  const W = [[1, 2], [3, 4]];
  const tiny = [1e-300, 1e-46];

  it('stakes that all round to float32 0 are E_RANGE in yumaEpoch, simulateCase and YumaRun.epoch (the simulator gives NaN everywhere)', () => {
    expectYumaError(() => yumaEpoch('yuma3', { weights: W, stakes: tiny }, undefined, { precision: 'f32' }), 'E_RANGE');
    expectYumaError(() => simulateCase({ version: 'yuma2', weights: [W, W], stakes: [[1, 1], tiny], precision: 'f32' }), 'E_RANGE');
    const run = new YumaRun('yuma3', { validators: 2, servers: 2 }, undefined, { precision: 'f32' });
    run.epoch(Float64Array.from([1, 2, 3, 4]), [1, 1]);
    const bonds = Array.from(run.epoch(Float64Array.from([1, 2, 3, 4]), [1, 1]).validatorBonds);
    expectYumaError(() => run.epoch(Float64Array.from([1, 2, 3, 4]), tiny), 'E_RANGE');
    expect(run.epochCount).toBe(2);
    const next = new YumaRun('yuma3', { validators: 2, servers: 2 }, undefined, { precision: 'f32' });
    next.epoch(Float64Array.from([1, 2, 3, 4]), [1, 1]);
    next.epoch(Float64Array.from([1, 2, 3, 4]), [1, 1]);
    expect(Array.from(run.epoch(Float64Array.from([1, 2, 3, 4]), [1, 1]).validatorBonds)).toEqual(Array.from(next.epoch(Float64Array.from([1, 2, 3, 4]), [1, 1]).validatorBonds));
    expect(bonds.every(Number.isFinite)).toBe(true);
  });

  it('in f64 the same stakes are positive: the outputs are finite, stake shares [1e-254, 1]', () => {
    const r = yumaEpoch('yuma3', { weights: W, stakes: tiny });
    expect(Array.from(r.stake)).toEqual([1e-300 / (1e-300 + 1e-46), 1e-46 / (1e-300 + 1e-46)]);
    expect(Array.from(r.serverIncentive).every(Number.isFinite)).toBe(true);
  });
});

describe('a matrix is read once', () => {
  it("the first row's length (which sets the column count) is read once by yumaEpoch and simulateCase, as every other property (it was read twice: for the shape, then to copy the row); the outputs are the plain rows'", () => {
    let reads = 0;
    const counted = () =>
      new Proxy([1, 0.5], {
        get(t, k, r) {
          if (k === 'length') reads++;
          return Reflect.get(t, k, r) as unknown;
        },
      });
    const plain = yumaEpoch('yuma3', { weights: [[1, 0.5], [0.2, 0.8]], stakes: [1, 2] });
    expect(yumaEpoch('yuma3', { weights: [counted(), [0.2, 0.8]], stakes: [1, 2] }).serverIncentive).toEqual(plain.serverIncentive);
    expect(reads).toBe(1);
    reads = 0;
    const run = simulateCase({ version: 'yuma3', weights: [[counted(), [0.2, 0.8]]], stakes: [[1, 2]] });
    expect(run[0].serverIncentive).toEqual(plain.serverIncentive);
    expect(reads).toBe(1);
  });
});

describe('simulateCase checks the whole case against its cell limit before reading any entry', () => {
  /** A row of `n` ones whose entry reads are counted (its length is not an entry). */
  const countingRow = (n: number, count: { entries: number }) =>
    new Proxy(new Array<number>(n).fill(1), {
      get(t, k, r) {
        if (typeof k === 'string' && /^\d+$/.test(k)) count.entries++;
        return Reflect.get(t, k, r) as unknown;
      },
    });

  it('3 epochs of 4096×4096 (3·2²⁴ cells, past the 2²⁵ a case holds) are E_LIMIT with no entry of the first matrix read (all 2²⁴ were read and copied into 128 MiB first)', () => {
    const count = { entries: 0 };
    const row = countingRow(4096, count);
    const matrix = new Array(4096).fill(row);
    const e = expectYumaError(() => simulateCase({ version: 'yuma3', weights: [matrix, matrix, matrix], stakes: [[1], [1], [1]] }), 'E_LIMIT');
    expect(e.message).toContain('3 epochs of 4096×4096');
    expect(count.entries).toBe(0);
  });

  it('100 000 epochs of 32×32 (past 2²⁵ cells) are E_LIMIT with no entry read, the stakes not read either', () => {
    const count = { entries: 0 };
    const matrix = new Array(32).fill(countingRow(32, count));
    const stakes = new Array(100_000).fill(countingRow(32, count));
    expectYumaError(() => simulateCase({ version: 'yuma2', weights: new Array(100_000).fill(matrix), stakes }), 'E_LIMIT');
    expect(count.entries).toBe(0);
  });

  it('a case within the limit (2 epochs of 4×8 through counting rows) reads each entry once and gives the plain rows\' outputs', () => {
    const count = { entries: 0 };
    const rows = Array.from({ length: 4 }, () => countingRow(8, count));
    const plain = simulateCase({ version: 'yuma3', weights: [Array.from({ length: 4 }, () => new Array(8).fill(1)), Array.from({ length: 4 }, () => new Array(8).fill(1))], stakes: [[1, 2, 3, 4], [1, 2, 3, 4]] });
    const got = simulateCase({ version: 'yuma3', weights: [rows, rows], stakes: [[1, 2, 3, 4], [1, 2, 3, 4]] });
    expect(count.entries).toBe(2 * 4 * 8);
    expect(Array.from(got[1].serverIncentive)).toEqual(Array.from(plain[1].serverIncentive));
  });
});

describe('runYumaSimCase bounds the stakes it reads by the cells a case may hold', () => {
  it('100 epochs of 2¹⁹ stakes each (past the 2²⁵ cells a case holds, whatever its servers) are E_LIMIT at the epoch that crosses it, case.stakes[64] (all 100, 400 MiB of copies, were read, then refused as E_SHAPE against the weights)', () => {
    const c = yumaSimCaseFromJson(JSON.parse(readFileSync(new URL('../scenarios/yuma-sim/case-01.json', import.meta.url), 'utf8')));
    const stakes = new Array(100).fill(new Float64Array(2 ** 19).fill(1));
    const e = expectYumaError(() => runYumaSimCase({ ...c, stakes } as YumaSimCase, 'yuma3'), 'E_LIMIT');
    expect(e.message).toBe(`E_LIMIT: case.stakes[64] brings the stakes to ${65 * 2 ** 19} entries, more than the ${2 ** 25} cells a case may hold`);
  });
});
