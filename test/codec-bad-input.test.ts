/**
 * The library's JSON codec (`toJSON` / `fromJSON`) on inputs the fuzz suite does not build: objects carrying an own
 * `__proto__` key (what `JSON.parse` makes of one), genuine typed arrays whose own properties or subclass lie
 * about their entries, built-ins JSON has no object for, and sparse bond rows no epoch makes. The JSON form is the value's own data, key for key and entry for entry, or a YumaError.
 */
import { runInNewContext } from 'node:vm';
import { afterAll, describe, expect, it } from 'vitest';
import { createEngineSync } from '../src/engine.js';
import { fromJSON, toJSON } from '../src/epoch/json.js';
import { RAO } from '../src/units.js';
import { projectHalvings } from '../src/dtao/index.js';
import { expectYumaError } from './helpers/errors.js';
import { boom } from './helpers/hostile.js';

describe("toJSON keeps an own '__proto__' key as data", () => {
  it("a parsed object's '__proto__' key stays an own key of the result; the result's prototype stays Object.prototype", () => {
    const parsed = JSON.parse('{"__proto__": {"polluted": 1}, "a": 2}') as Record<string, unknown>;
    const out = toJSON(parsed) as Record<string, unknown>;
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Object.keys(out)).toEqual(['__proto__', 'a']);
    expect(out.polluted).toBeUndefined();
    expect(JSON.stringify(out)).toBe('{"__proto__":{"polluted":1},"a":2}');
  });

  it("a '__proto__' key holding a bigint or a nested object is encoded like any other key", () => {
    const parsed = JSON.parse('{"x": {"__proto__": null, "b": [1]}}') as { x: Record<string, unknown> };
    Object.defineProperty(parsed.x, '__proto__', { value: 5n, enumerable: true, writable: true, configurable: true });
    expect(JSON.stringify(toJSON(parsed))).toBe('{"x":{"__proto__":"5","b":[1]}}');
  });
});

describe("toJSON reads a typed array's entries from its internal slots", () => {
  const lie = (t: Uint16Array) => {
    Object.defineProperty(t, Symbol.iterator, { value: function* () { yield 7; } });
    Object.defineProperty(t, 'length', { value: 9 });
    Object.defineProperty(t, 'subarray', { value: () => [9, 9, 9] });
    return t;
  };

  it('an own iterator, length and subarray do not change a vector: [1, 2, 3] encodes as [1, 2, 3]', () => {
    expect(toJSON({ incentive: lie(Uint16Array.from([1, 2, 3])) })).toEqual({ incentive: [1, 2, 3] });
  });

  it('nor a dense 2×2 bonds matrix: it encodes as its two rows', () => {
    expect(toJSON({ bonds: lie(Uint16Array.from([1, 2, 3, 4])) })).toEqual({ bonds: [[1, 2], [3, 4]] });
  });

  it('nor a BigUint64Array or a Float64Array (a subclass with a throwing iterator)', () => {
    class Hostile extends Float64Array {
      override [Symbol.iterator](): ArrayIterator<number> {
        throw new Error('hostile iterator');
      }
      override get length(): number {
        throw new Error('hostile length');
      }
    }
    const big = BigUint64Array.from([5n, 2n ** 64n - 1n]);
    Object.defineProperty(big, Symbol.iterator, { value: function* () { yield 0n; } });
    expect(toJSON({ stake: big, float: new Hostile([0.5, 1.25]) })).toEqual({ stake: ['5', '18446744073709551615'], float: [0.5, 1.25] });
  });
});

describe('toJSON of values JSON has no object for', () => {
  it("a Date (projectHalvings' dates) encodes as its ISO string, read from its internal slot", () => {
    const [first] = projectHalvings({ issuance: 0n, blocks: 100, startDate: new Date(Date.UTC(2026, 0, 2)) });
    expect(toJSON(first)).toEqual({ block: 0, emission: '1000000000', issuance: '0', halving: 0, date: '2026-01-02T00:00:00.000Z' });
    const lying = new Date(0);
    Object.defineProperty(lying, 'toISOString', { value: () => '<script>' });
    expect(toJSON({ at: lying })).toEqual({ at: '1970-01-01T00:00:00.000Z' });
  });

  it('an invalid Date, a Map and a Set are E_ARG (not {})', () => {
    expectYumaError(() => toJSON({ at: new Date(NaN) }), 'E_ARG');
    expectYumaError(() => toJSON({ subnets: new Map([[1, 2n]]) }), 'E_ARG');
    expectYumaError(() => toJSON([new Set([1])]), 'E_ARG');
  });
});

describe('fromJSON of sparse bond rows', () => {
  const engine = createEngineSync();
  afterAll(() => engine.close());
  const output = engine.epoch({
    n: 3,
    currentBlock: 10,
    tempo: 1,
    lastStepBlock: 0,
    stake: [5000n * RAO, 3000n * RAO, 0n],
    weights: [[[2, 65535]], [[2, 65535]], []],
    bonds: [[[2, 100]], [], []],
    lastUpdate: [9, 9, 9],
    blockAtRegistration: [0, 0, 0],
    validatorPermit: [true, true, false],
    raoEmission: RAO,
  });
  const json = JSON.parse(JSON.stringify(toJSON(output))) as Record<string, unknown>;

  it("decode an output's rows as they were: [[2, 65535]], [[2, 2553]], []", () => {
    expect(fromJSON(json).bonds).toEqual([[[2, 65535]], [[2, 2553]], []]);
  });

  it('a row that lists a uid twice is E_SHAPE, as the same row is in an epoch input', () => {
    expectYumaError(() => fromJSON({ ...json, bonds: [[[2, 5], [2, 6]], [], []] }), 'E_SHAPE');
  });
});

describe('fromJSON of float views and of an epoch of zero UIDs, against what toJSON of an epoch gives', () => {
  const engine = createEngineSync();
  afterAll(() => engine.close());
  const input = (n: number) => ({
    n,
    currentBlock: 10,
    tempo: 1,
    lastStepBlock: 0,
    stake: [5000n * RAO, 3000n * RAO, 0n].slice(0, n),
    weights: [[[2, 65535]], [[2, 65535]], []].slice(0, n) as Array<Array<[number, number]>>,
    bonds: [[], [], []].slice(0, n) as Array<Array<[number, number]>>,
    lastUpdate: [9, 9, 9].slice(0, n),
    blockAtRegistration: [0, 0, 0].slice(0, n),
    validatorPermit: [true, true, false].slice(0, n),
    raoEmission: RAO,
  });

  it('a float view entry below 0 or above 1 (-0.5, 1.5, 1 + 2^-52) is E_RANGE (it decoded: no epoch, in either mode, gives one); 0 and 1 decode', () => {
    for (const mode of ['fixed', 'float'] as const) {
      const json = JSON.parse(JSON.stringify(toJSON(engine.epoch(input(3), {}, { mode })))) as { float: Record<string, number[]> };
      expect(toJSON(fromJSON(json))).toEqual(json);
      for (const k of ['consensus', 'incentive', 'dividends', 'rank', 'trust', 'validatorTrust']) {
        for (const bad of [-0.5, 1.5, 1 + 2 ** -52]) {
          const view = [...json.float[k]];
          view[1] = bad;
          expectYumaError(() => fromJSON({ ...json, float: { ...json.float, [k]: view } }), 'E_RANGE');
        }
        for (const edge of [0, 1]) {
          const view = [...json.float[k]];
          view[1] = edge;
          expect(fromJSON({ ...json, float: { ...json.float, [k]: view } }).float[k as 'rank'][1]).toBe(edge);
        }
      }
    }
  });

  it('an epoch of zero UIDs decodes: the engine returns one for n = 0, and its JSON form round-trips', () => {
    const out = engine.epoch(input(0));
    expect(out.incentive).toHaveLength(0);
    const json = JSON.parse(JSON.stringify(toJSON(out)));
    const back = fromJSON(json);
    expect(back.stakeWeight).toHaveLength(0);
    expect(toJSON(back)).toEqual(json);
  });
});

describe('toJSON of built-ins that keep their data in internal slots (an own-key walk saw none and wrote {})', () => {
  it('boxed primitives encode as their value, as JSON.stringify writes them: Object(5n) → "5", new Number(1.5) → 1.5, new String("a") → "a", new Boolean(false) → false (each was {})', () => {
    expect(toJSON({ stake: Object(5n), x: new Number(1.5), s: new String('a'), b: new Boolean(false) })).toEqual({ stake: '5', x: 1.5, s: 'a', b: false });
  });

  it('a boxed NaN or Infinity is E_ARG like the primitive', () => {
    expect(expectYumaError(() => toJSON({ x: new Number(NaN) }), 'E_ARG').message).toContain('value.x is NaN');
    expectYumaError(() => toJSON([new Number(-Infinity)]), 'E_ARG');
  });

  it('the value is read from the internal slot, not from an own valueOf', () => {
    const n = new Number(7);
    Object.defineProperty(n, 'valueOf', { value: () => { throw new Error('hostile valueOf'); } });
    expect(toJSON(n)).toBe(7);
  });

  it.each([
    ['an ArrayBuffer', () => new ArrayBuffer(8), 'ArrayBuffer'],
    ['a SharedArrayBuffer', () => new SharedArrayBuffer(8), 'SharedArrayBuffer'],
    ['a DataView', () => new DataView(new ArrayBuffer(8)), 'DataView'],
    ['a RegExp', () => /x/g, 'RegExp'],
    ['a WeakMap', () => new WeakMap(), 'WeakMap'],
    ['a WeakSet', () => new WeakSet(), 'WeakSet'],
    ['a WeakRef', () => new WeakRef({}), 'WeakRef'],
    ['a boxed Symbol', () => Object(Symbol('s')) as object, 'Symbol'],
  ])('%s is E_ARG naming its kind (its bytes or entries were dropped as {})', (_, make, kind) => {
    expect(expectYumaError(() => toJSON({ v: make() }), 'E_ARG').message).toContain(`value.v is a ${kind}, which has no JSON form`);
  });

  it('a DataView over a detached buffer is E_ARG too', () => {
    const buffer = new ArrayBuffer(8);
    const view = new DataView(buffer);
    structuredClone(buffer, { transfer: [buffer] });
    expectYumaError(() => toJSON(view), 'E_ARG');
  });

  it('a class instance is E_ARG naming its path and class (it was written as a plain object of its own keys: the prototype, methods and getters lost, and fromJSON cannot give it back)', () => {
    class Point {
      constructor(public x: bigint, public y: number) {}
      get norm(): number {
        return Math.hypot(Number(this.x), this.y);
      }
    }
    expect(expectYumaError(() => toJSON(new Point(1n, 2)), 'E_ARG').message).toBe('E_ARG: value is a Point instance, which toJSON does not encode (its class, methods and getters have no JSON form; pass a plain object of its data)');
    expect(expectYumaError(() => toJSON({ at: [1, { p: new Point(1n, 2) }] }), 'E_ARG').message).toContain('value.at[1].p is a Point instance');
    expect(expectYumaError(() => toJSON({ e: new Error('x') }), 'E_ARG').message).toContain('value.e is a Error instance');
    expect(expectYumaError(() => toJSON({ p: Promise.resolve(1) }), 'E_ARG').message).toContain('value.p is a Promise instance');
    // a prototype without a readable class name is still refused, its message built without running its code
    const odd = Object.create(Object.create({}, { constructor: { get: boom } })) as object;
    expect(expectYumaError(() => toJSON(odd), 'E_ARG').message).toContain('value is a class instance');
  });

  it('null-prototype objects and plain objects of another realm still encode by their own keys', () => {
    expect(toJSON(Object.assign(Object.create(null) as object, { a: 1n }))).toEqual({ a: '1' });
    expect(toJSON(runInNewContext('({ a: 1, b: [2] })'))).toEqual({ a: 1, b: [2] });
  });

  it('Symbol-keyed data is E_ARG naming the path and the Symbol (it was skipped silently), on an object or an array', () => {
    expect(expectYumaError(() => toJSON({ x: { a: 1, [Symbol('tag')]: 2 } }), 'E_ARG').message).toBe('E_ARG: value.x has a Symbol key (Symbol(tag)), which JSON cannot hold');
    const list = Object.assign([1, 2], { [Symbol.for('k')]: 3 });
    expect(expectYumaError(() => toJSON({ list }), 'E_ARG').message).toContain('value.list has a Symbol key (Symbol(k))');
  });

  it('non-enumerable own keys stay left out, as JSON.stringify leaves them (hidden by their author, not data)', () => {
    const o = Object.defineProperty({ a: 1 }, 'cache', { value: 5, enumerable: false });
    expect(toJSON(o)).toEqual({ a: 1 });
  });
});

describe('fromJSON sizes: the UID limit, and no matrix allocated for rows that do not fit it', () => {
  /** The JSON form of an output of n UIDs, all zero, with `bonds` as given. */
  const zeros = (n: number, bonds: unknown) => {
    const z = new Array<number>(n).fill(0);
    return {
      stakeWeight: z, consensus: z, incentive: z, dividends: z, validatorTrust: z,
      active: new Array<boolean>(n).fill(false), validatorPermit: new Array<boolean>(n).fill(false),
      serverEmission: new Array<string>(n).fill('0'), validatorEmission: new Array<string>(n).fill('0'),
      float: { consensus: z, incentive: z, dividends: z, rank: z, trust: z, validatorTrust: z },
      bonds,
    };
  };

  it('an output of 4097 UIDs is E_LIMIT naming the 4096-UID limit (it decoded: no epoch has more)', () => {
    expect(expectYumaError(() => fromJSON(zeros(4097, new Array(4097).fill([]))), 'E_LIMIT').message).toContain('output.stakeWeight has 4097 UIDs, more than the 4096 an epoch has');
  });

  it('4096 UIDs decode (sparse empty rows)', () => {
    expect(fromJSON(zeros(4096, new Array(4096).fill([]))).stakeWeight).toHaveLength(4096);
  });

  it('70 000 UIDs with dense bond rows of [0] are E_LIMIT (they were E_ARG "reading it threw (RangeError: Invalid typed array length)"), and a short dense row is E_SHAPE naming it', () => {
    expectYumaError(() => fromJSON(zeros(70_000, new Array(70_000).fill([0]))), 'E_LIMIT');
    expect(expectYumaError(() => fromJSON(zeros(3, [[0, 0, 0], [0], [0, 0, 0]])), 'E_SHAPE').message).toContain('output.bonds[1] has length 1, expected 3');
  });

  it("a mechanism's output holding mechanisms of its own is E_SHAPE (it decoded recursively: no epoch nests them)", () => {
    const inner = zeros(1, [[]]);
    const json = { ...zeros(1, [[]]), mechanisms: [{ ...inner, mechanisms: [inner] }], mechanismEmission: ['0'] };
    expect(expectYumaError(() => fromJSON(json), 'E_SHAPE').message).toContain('output.mechanisms[0].mechanisms: a mechanism\'s output has no mechanisms');
  });

  it('more than 16 mechanisms is E_LIMIT', () => {
    const json = { ...zeros(1, [[]]), mechanisms: new Array(17).fill(zeros(1, [[]])), mechanismEmission: new Array(17).fill('0') };
    expect(expectYumaError(() => fromJSON(json), 'E_LIMIT').message).toContain('output.mechanisms has 17 entries, more than the 16 supported');
  });
});

describe('toJSON nesting depth', () => {
  const nest = (depth: number, wrap: (inner: unknown) => unknown) => {
    let v: unknown = 1n;
    for (let i = 0; i < depth; i++) v = wrap(v);
    return v;
  };

  it('values nested 512 deep encode (arrays and objects)', () => {
    expect(JSON.stringify(toJSON(nest(512, (x) => [x])))).toBe(`${'['.repeat(512)}"1"${']'.repeat(512)}`);
    expect(JSON.stringify(toJSON(nest(512, (x) => ({ k: x }))))).toBe(`${'{"k":'.repeat(512)}"1"${'}'.repeat(512)}`);
  });

  it.each([513, 100_000])('nested %i deep is E_LIMIT naming the 512 limit (deep ones were E_ARG "reading it threw (RangeError: Maximum call stack size exceeded)")', (depth) => {
    for (const wrap of [(x: unknown) => [x], (x: unknown) => ({ k: x })]) {
      expect(expectYumaError(() => toJSON(nest(depth, wrap)), 'E_LIMIT').message).toContain('nested more than 512 deep');
    }
  });
});
