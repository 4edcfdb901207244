import { afterAll, describe, expect, it } from 'vitest';
import { createEngineSync } from '../src/engine.js';
import { MAX_BATCH_CELLS } from '../src/epoch/limits.js';
import { prepareEpoch } from '../src/epoch/prepare.js';
import type { EpochInput, EpochOutput } from '../src/epoch/types.js';
import { createReferenceEngine } from '../src/testing/index.js';
import { syntheticSubnet } from '../bench/suite.js';
import { yumaCode } from './helpers/errors.js';
import { boom } from './helpers/hostile.js';
import { plain } from './helpers/json.js';

const engine = createEngineSync();

function input(n = 3): EpochInput {
  return {
    n,
    currentBlock: 100,
    tempo: 10,
    lastStepBlock: 0,
    stake: Array.from({ length: n }, (_, i) => BigInt(i + 1) * 1000n),
    weights: Array.from({ length: n }, () => Array.from({ length: n }, (_, j) => [j, 1000 * (j + 1)] as [number, number])),
    bonds: Array.from({ length: n }, () => []),
    lastUpdate: Array(n).fill(90),
    blockAtRegistration: Array(n).fill(1),
    validatorPermit: Array(n).fill(true),
    raoEmission: 1_000_000_000n,
  };
}

/** A Proxy of `target` that counts reads per property. */
function counted<T extends object>(target: T): { proxy: T; reads: Map<PropertyKey, number> } {
  const reads = new Map<PropertyKey, number>();
  const proxy = new Proxy(target, {
    get(t, k, r) {
      reads.set(k, (reads.get(k) ?? 0) + 1);
      return Reflect.get(t, k, r);
    },
  });
  return { proxy, reads };
}

describe('engine options are checked, not ignored', () => {
  it("refuses a string where the options object goes (engine.epoch(input, {}, 'float') used to run fixed)", () => {
    expect(yumaCode(() => engine.epoch(input(), {}, 'float' as never))).toBe('E_ARG');
    expect(yumaCode(() => engine.epochs([{ input: input() }], 'float' as never))).toBe('E_ARG');
  });

  it("refuses unknown option keys ({ mod: 'float' } used to be ignored) in options, hyper, input and batch items", () => {
    expect(yumaCode(() => engine.epoch(input(), {}, { mod: 'float' } as never))).toBe('E_ARG');
    expect(yumaCode(() => engine.epoch(input(), { kapa: 3 } as never))).toBe('E_ARG');
    expect(yumaCode(() => engine.epoch({ ...input(), ownerUID: 1 } as never))).toBe('E_ARG');
    expect(yumaCode(() => engine.epochs([{ input: input(), hyperparams: {} } as never]))).toBe('E_ARG');
  });

  it('refuses option values that are Symbols or null-prototype objects with a YumaError (the message is built safely)', () => {
    expect(yumaCode(() => engine.epoch(input(), {}, { mode: Symbol('float') } as never))).toBe('E_ARG');
    expect(yumaCode(() => engine.epoch(input(), {}, { path: Object.create(null) } as never))).toBe('E_ARG');
    expect(yumaCode(() => engine.epoch(input(), { kappa: Symbol('k') } as never))).toBe('E_ARG');
    expect(yumaCode(() => engine.epoch(input(), { kappa: Object.create(null) } as never))).toBe('E_ARG');
    expect(yumaCode(() => engine.epoch({ ...input(), n: Symbol('n') } as never))).toBe('E_ARG');
    expect(yumaCode(() => createEngineSync({ threads: Symbol('2') } as never))).toBe('E_ARG');
  });

  it('refuses options objects that are not plain objects (a Map, a class instance, an array)', () => {
    expect(yumaCode(() => engine.epoch(input(), new Map([['kappa', 1]]) as never))).toBe('E_ARG');
    expect(yumaCode(() => engine.epoch(input(), [] as never))).toBe('E_ARG');
    expect(yumaCode(() => engine.epoch(new (class { n = 0 })() as never))).toBe('E_ARG');
  });

  it('refuses a Symbol key or a non-enumerable unknown key in options, hyper, input and createEngineSync options (they were ignored, as Object.keys skips them)', () => {
    const hidden = (o: object, key: string) => Object.defineProperty({ ...o }, key, { value: 1, enumerable: false });
    expect(yumaCode(() => engine.epoch(input(), {}, { [Symbol('mode')]: 'float' } as never))).toBe('E_ARG');
    expect(yumaCode(() => engine.epoch(input(), { [Symbol('kappa')]: 3 } as never))).toBe('E_ARG');
    expect(yumaCode(() => engine.epoch({ ...input(), [Symbol('ownerUid')]: 1 } as never))).toBe('E_ARG');
    expect(yumaCode(() => engine.epoch(input(), hidden({}, 'kapa') as never))).toBe('E_ARG');
    expect(yumaCode(() => engine.epoch(input(), {}, hidden({}, 'mod') as never))).toBe('E_ARG');
    expect(yumaCode(() => createEngineSync({ [Symbol('threads')]: 2 } as never))).toBe('E_ARG');
    // a non-enumerable key the options know is read like any other
    expect(plain(engine.epoch(input(), Object.defineProperty({}, 'kappa', { value: 40000, enumerable: false }) as never))).toEqual(plain(engine.epoch(input(), { kappa: 40000 })));
  });

  it('reads null and undefined options as "none given"', () => {
    expect(plain(engine.epoch(input(), null, null))).toEqual(plain(engine.epoch(input())));
  });
});

describe('engine input is read once, holes and throwing getters refused', () => {
  it('refuses a holey batch instead of returning a holey output', () => {
    // eslint-disable-next-line no-sparse-arrays
    expect(yumaCode(() => engine.epochs([, { input: input() }] as never))).toBe('E_SHAPE');
    expect(yumaCode(() => engine.epochs([{ input: input() }, undefined] as never))).toBe('E_ARG');
  });

  it('refuses holes in vectors, sparse rows and pairs', () => {
    const stake = [1n, 2n, 3n];
    delete (stake as unknown as Record<number, unknown>)[1];
    expect(yumaCode(() => engine.epoch({ ...input(), stake }))).toBe('E_SHAPE');
    const rows = input().weights as Array<Array<[number, number]>>;
    delete (rows as unknown as Record<number, unknown>)[2];
    expect(yumaCode(() => engine.epoch({ ...input(), weights: rows }))).toBe('E_SHAPE');
    // eslint-disable-next-line no-sparse-arrays
    expect(yumaCode(() => engine.epoch({ ...input(), weights: [[[0, 1]], [[, 5] as never], []] }))).toBe('E_SHAPE');
    expect(yumaCode(() => engine.epoch({ ...input(), validatorPermit: new Array(3) }))).toBe('E_SHAPE');
    expect(yumaCode(() => engine.epoch({ ...input(), commitBlocks: new Array(3) }))).toBe('E_SHAPE');
  });

  it('a Proxy whose length changes between reads gives the plain result (length read once), never a negative length', () => {
    let reads = 0;
    const stake = new Proxy([1000n, 2000n, 3000n], {
      get: (t, k, r) => (k === 'length' ? (reads++ === 0 ? 3 : -5) : Reflect.get(t, k, r)),
    });
    expect(plain(engine.epoch({ ...input(), stake }))).toEqual(plain(engine.epoch(input())));
    expect(reads).toBe(1);
    const negative = new Proxy([1000n, 2000n, 3000n], { get: (t, k, r) => (k === 'length' ? -5 : Reflect.get(t, k, r)) });
    expect(yumaCode(() => engine.epoch({ ...input(), stake: negative }))).toBe('E_SHAPE');
  });

  it('reads every input field, vector element and row exactly once', () => {
    const base = input();
    const stake = counted(base.stake as bigint[]);
    const rows = counted(base.weights as Array<Array<[number, number]>>);
    const fields = counted({ ...base, stake: stake.proxy, weights: rows.proxy });
    const out = engine.epoch(fields.proxy);
    expect(plain(out)).toEqual(plain(engine.epoch(input())));
    expect(fields.reads.get('stake')).toBe(1);
    expect(fields.reads.get('ownerUid')).toBe(1); // absent optional fields are looked up once too
    for (const [k, count] of [...fields.reads, ...stake.reads, ...rows.reads]) expect([String(k), count]).toEqual([String(k), 1]);
    expect(stake.reads.get('0')).toBe(1);
    expect(rows.reads.get('2')).toBe(1);
  });

  it('turns a throwing getter or Proxy trap anywhere in the input into E_ARG', () => {
    expect(yumaCode(() => engine.epoch(Object.defineProperty(input(), 'stake', { get: boom, enumerable: true })))).toBe('E_ARG');
    expect(yumaCode(() => engine.epoch({ ...input(), stake: new Proxy([1n, 2n, 3n], { get: boom }) }))).toBe('E_ARG');
    expect(yumaCode(() => engine.epoch(new Proxy(input(), { ownKeys: boom })))).toBe('E_ARG');
    expect(yumaCode(() => engine.epoch(input(), Object.defineProperty({}, 'kappa', { get: boom, enumerable: true })))).toBe('E_ARG');
    const { proxy, revoke } = Proxy.revocable(input(), {});
    revoke();
    expect(yumaCode(() => engine.epoch(proxy))).toBe('E_ARG');
    // a thrown Symbol (no message to read) and a thrown Proxy whose traps throw
    expect(yumaCode(() => engine.epoch({ ...input(), stake: new Proxy([], { get: () => { throw Symbol('s'); } }) }))).toBe('E_ARG');
    const nasty = new Proxy({}, { get: boom, getPrototypeOf: boom });
    expect(yumaCode(() => engine.epoch({ ...input(), stake: new Proxy([], { get: () => { throw nasty; } }) }))).toBe('E_ARG');
  });

  it('refuses a Proxy of a Uint16Array (not a typed array: its methods cannot run) with E_SHAPE', () => {
    const n = 3;
    const dense = { ...input(), weights: new Proxy(new Uint16Array(n * n), {}), bonds: new Uint16Array(n * n) };
    expect(yumaCode(() => engine.epoch(dense))).toBe('E_SHAPE');
  });
});

describe('engine.runPrepared (public) refuses what prepareEpoch did not make', () => {
  it('refuses null, a look-alike object, a spread copy and a holey list with YumaErrors', () => {
    const p = prepareEpoch(input());
    for (const e of [engine, createReferenceEngine()]) {
      expect(yumaCode(() => e.runPrepared(null as never))).toBe('E_SHAPE');
      expect(yumaCode(() => e.runPrepared([{ n: 3 }] as never))).toBe('E_ARG');
      expect(yumaCode(() => e.runPrepared([{ ...p }] as never))).toBe('E_ARG');
      // eslint-disable-next-line no-sparse-arrays
      expect(yumaCode(() => e.runPrepared([, p] as never))).toBe('E_SHAPE');
    }
  });

  it('prepared epochs are frozen, and a stake total pushed past 2^63 after preparing is refused', () => {
    const p = prepareEpoch(input());
    expect(Object.isFrozen(p)).toBe(true);
    expect(Object.isFrozen(p.hyper)).toBe(true);
    p.stake[0] = 1n << 63n;
    expect(yumaCode(() => engine.runPrepared([p]))).toBe('E_RANGE');
  });

  it('a borrowed dense matrix detached by a later batch item getter is refused, not read', () => {
    const n = 4;
    const first = { ...input(n), weights: new Uint16Array(n * n).fill(7), bonds: new Uint16Array(n * n) };
    const second = {
      get input() {
        structuredClone(first.weights.buffer, { transfer: [first.weights.buffer] }); // detaches it
        return { ...input(n), weights: new Uint16Array(n * n), bonds: new Uint16Array(n * n) };
      },
    };
    expect(yumaCode(() => engine.epochs([{ input: first }, second]))).toBe('E_STATE');
  });
});

describe('engine sizes are bounded before memory is spent', () => {
  it(`refuses a batch whose Σ n² passes MAX_BATCH_CELLS (${MAX_BATCH_CELLS}) with E_LIMIT before running it`, () => {
    const n = 4096;
    const shared = new Uint16Array(n * n); // one matrix shared by every item: the batch itself costs little
    const item = { input: { ...input(1), n, stake: new BigUint64Array(n), weights: shared, bonds: shared, lastUpdate: new BigUint64Array(n), blockAtRegistration: new BigUint64Array(n), validatorPermit: [] } };
    const count = MAX_BATCH_CELLS / (n * n) + 1;
    expect(yumaCode(() => engine.epochs(Array(count).fill(item)))).toBe('E_LIMIT');
  });
});

afterAll(() => engine.close());
