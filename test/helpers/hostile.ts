/**
 * Hostile variants of valid arguments, for the fuzz suite. A valid argument tree (plain objects, arrays, typed
 * arrays, primitives; anything else is an opaque leaf such as an engine or a Pool) gets one node replaced:
 *
 * - by a transparent wrapper that must not change the outcome: a Proxy, an object of getters, a null-prototype
 *   or frozen copy. Reads through these are counted: the library must read each property at most once.
 * - by a hostile value: holes, a Proxy whose length changes between reads or is huge, throwing getters and
 *   traps, a revoked Proxy, NaN/±Infinity/−0, out-of-range numbers and bigints, wrong types, Symbols,
 *   null-prototype objects, unknown keys, dropped keys, typed arrays swapped for arrays and back.
 *
 * Replacement copies the path from the root to the node, so every untouched subtree is shared with the valid
 * tree: snapshotting the valid tree before and after a call shows whether the library mutated its input.
 */
import fc from 'fast-check';
import { typedLength } from '../../src/validation/read.js';
import { xorshift32 } from './xorshift.js';

export type Path = Array<string | number>;

/** Seed and size of the fuzz runs: fixed in CI, `YUMA_FUZZ_SEED` / `YUMA_FUZZ_SCALE` (a run multiplier) on demand. */
const seedGiven = Number(process.env.YUMA_FUZZ_SEED);
export const FUZZ_SEED = Number.isSafeInteger(seedGiven) && process.env.YUMA_FUZZ_SEED !== '' ? seedGiven : 20_261_201;
export const FUZZ_SCALE = Math.max(1, Number(process.env.YUMA_FUZZ_SCALE ?? 1) || 1);
/**
 * Cases of one property: a third of the count the test names in CI (the suite shares two cores with the rest of
 * `npm test`), the full count and more with YUMA_FUZZ_SCALE ≥ 3; never fewer than 5.
 */
export const fuzzRuns = (n: number): number => Math.max(5, Math.round((n * FUZZ_SCALE) / 3));
/**
 * Per-test timeout of the fuzz files: the suite's 120 s for each unit of YUMA_FUZZ_SCALE, since the work grows with
 * it (scale 4 passed 120 s on a loaded machine). A hang still fails; how long a case takes is never asserted.
 */
export const FUZZ_TIMEOUT_MS = 120_000 * FUZZ_SCALE;

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v) || ArrayBuffer.isView(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === null || proto === Object.prototype;
}

/** Every node under `root` (the root too), depth first, plain containers only descended. */
export function nodePaths(root: unknown, max = 400): Path[] {
  const out: Path[] = [[]];
  const walk = (v: unknown, path: Path) => {
    if (out.length >= max) return;
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length && out.length < max; i++) {
        if (!(i in v)) continue;
        out.push([...path, i]);
        walk(v[i], [...path, i]);
      }
    } else if (isPlainObject(v)) {
      for (const k of Object.keys(v)) {
        if (out.length >= max) return;
        out.push([...path, k]);
        walk(v[k], [...path, k]);
      }
    }
  };
  walk(root, []);
  return out;
}

export function getAt(root: unknown, path: Path): unknown {
  let v = root;
  for (const k of path) v = (v as Record<string | number, unknown>)[k];
  return v;
}

/** A copy of `root` with the node at `path` replaced by `f(node)`; copies only along the path. */
export function replaceAt(root: unknown, path: Path, f: (old: unknown) => unknown): unknown {
  if (path.length === 0) return f(root);
  const [k, ...rest] = path;
  const container = root as Record<string | number, unknown>;
  const copy: Record<string | number, unknown> = Array.isArray(root) ? (root as unknown[]).slice() as never : { ...container };
  if (!Array.isArray(root) && Object.getPrototypeOf(root) === null) Object.setPrototypeOf(copy, null);
  copy[k] = replaceAt(container[k], rest, f);
  return copy;
}

/** Reads counted per wrapped object and key; `worst()` is the largest count (1 = each property read once). */
export class ReadLog {
  private readonly counts = new Map<string, number>();
  private next = 0;
  add(owner: number, key: PropertyKey): void {
    if (typeof key === 'symbol') return; // Symbol.iterator, Symbol.toPrimitive: not data
    const id = `${owner}:${String(key)}`;
    this.counts.set(id, (this.counts.get(id) ?? 0) + 1);
  }
  newOwner(): number {
    return this.next++;
  }
  worst(): { key: string; count: number } {
    let best = { key: '', count: 0 };
    for (const [key, count] of this.counts) if (count > best.count) best = { key, count };
    return best;
  }
}

export interface Mutation {
  name: string;
  /** The outcome must equal the unmutated call's. */
  transparent: boolean;
  apply(old: unknown, rng: () => number, log: ReadLog): unknown;
  /** Whether it makes sense for this node. */
  fits(old: unknown): boolean;
}

/** A getter or Proxy trap that throws. */
export const boom = (): never => {
  throw new Error('hostile getter');
};

/**
 * Reads of a huge-length Proxy's entries: code that walks all 2^32 − 1 of them (a loop, a join in a message)
 * would hang the suite, so each such Proxy throws at its RUNAWAY-th read and sets `runaway.seen` (a caller that
 * swallows the throw is still caught: test/fuzz-exports.test.ts clears and checks the flag around each call).
 */
export const RUNAWAY = 100_000;
export const runaway = { seen: false };
function hugeLengthProxy(): unknown {
  let reads = 0;
  return new Proxy([1], {
    get: (t, k, r) => {
      if (k === 'length') return 2 ** 32 - 1;
      if (++reads === RUNAWAY) {
        runaway.seen = true;
        throw new Error('runaway: read 100 000 entries of a 2^32 − 1 length Proxy');
      }
      return Reflect.get(t, k, r);
    },
  });
}

function countingProxy<T extends object>(target: T, log: ReadLog): T {
  const owner = log.newOwner();
  return new Proxy(target, {
    get(t, k, r) {
      log.add(owner, k);
      return Reflect.get(t, k, r);
    },
  });
}

const isObj = (v: unknown): v is object => typeof v === 'object' && v !== null;
const container = (v: unknown) => Array.isArray(v) || isPlainObject(v);

/**
 * One of each kind of hostile value, labelled, made fresh each time (some are stateful): the fuzz suite puts them
 * at random nodes of valid arguments, test/fuzz-exports.test.ts in every argument position of every export.
 */
export const HOSTILE_VALUES: ReadonlyArray<readonly [string, () => unknown]> = [
  ['undefined', () => undefined],
  ['null', () => null],
  ['NaN', () => NaN],
  ['Infinity', () => Infinity],
  ['-Infinity', () => -Infinity],
  ['-0', () => -0],
  ['-1', () => -1],
  ['0.5', () => 0.5],
  ['2^53', () => 2 ** 53],
  ['2^64', () => 2 ** 64],
  ['1e300', () => 1e300],
  ['-1n', () => -1n],
  ['2^64n', () => 2n ** 64n],
  ['2^70n', () => 2n ** 70n],
  ['2^200n', () => 2n ** 200n],
  ['empty string', () => ''],
  ['numeric string', () => '12'],
  ['string', () => 'x'],
  ['word', () => 'float'],
  ['Symbol', () => Symbol('hostile')],
  ['true', () => true],
  ['{}', () => ({})],
  ['[]', () => []],
  [
    'holey array',
    () => {
      const a = [1, 2, 3];
      delete a[1];
      return a;
    },
  ],
  ['null-prototype object', () => Object.create(null)],
  ['function', () => () => 1],
  ['Date', () => new Date(0)],
  ['Map', () => new Map([['n', 1]])],
  ['Uint16Array(3)', () => new Uint16Array(3)],
  ['Uint16Array(4)', () => new Uint16Array(4)],
  [
    'revoked Proxy',
    () => {
      const { proxy, revoke } = Proxy.revocable({}, {});
      revoke();
      return proxy;
    },
  ],
  ['throwing Proxy', () => new Proxy({}, { get: boom, ownKeys: boom, getPrototypeOf: boom, has: boom, getOwnPropertyDescriptor: boom })],
  ['throwing array Proxy', () => new Proxy([], { get: boom, ownKeys: boom, getPrototypeOf: boom, has: boom, getOwnPropertyDescriptor: boom })],
  ['throwing one-entry array Proxy', () => new Proxy([1], { get: boom, has: boom })],
  ['huge-length Proxy', hugeLengthProxy],
  ['object with a throwing getter', () => Object.defineProperty({}, 'n', { get: boom, enumerable: true })],
];

export const MUTATIONS: Mutation[] = [
  // transparent
  { name: 'proxy', transparent: true, fits: container, apply: (old, _r, log) => countingProxy(Array.isArray(old) ? old.slice() : { ...(old as object) }, log) },
  {
    name: 'getters',
    transparent: true,
    fits: isPlainObject,
    apply: (old, _r, log) => {
      const owner = log.newOwner();
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(old as object)) {
        Object.defineProperty(out, k, { enumerable: true, configurable: true, get: () => (log.add(owner, k), v) });
      }
      return out;
    },
  },
  { name: 'null-prototype', transparent: true, fits: isPlainObject, apply: (old) => Object.assign(Object.create(null), old) },
  { name: 'frozen', transparent: true, fits: container, apply: (old) => Object.freeze(Array.isArray(old) ? old.slice() : { ...(old as object) }) },
  // hostile
  { name: 'value', transparent: false, fits: () => true, apply: (_old, r) => HOSTILE_VALUES[Math.floor(r() * HOSTILE_VALUES.length)][1]() },
  {
    name: 'hole',
    transparent: false,
    fits: (v) => Array.isArray(v) && v.length > 0,
    apply: (old, r) => {
      const a = (old as unknown[]).slice();
      delete a[Math.floor(r() * a.length)];
      return a;
    },
  },
  {
    name: 'length-changes',
    transparent: false,
    fits: Array.isArray,
    apply: (old, r) => {
      const lies = [-5, 2 ** 32 - 1, (old as unknown[]).length + 1000, 0.5, NaN];
      const lie = lies[Math.floor(r() * lies.length)];
      let reads = 0;
      return new Proxy((old as unknown[]).slice(), { get: (t, k, rc) => (k === 'length' ? (reads++ === 0 ? t.length : lie) : Reflect.get(t, k, rc)) });
    },
  },
  {
    name: 'huge-length',
    transparent: false,
    fits: Array.isArray,
    apply: (old) => {
      const a = (old as unknown[]).slice();
      return new Proxy(a, { get: (t, k, rc) => (k === 'length' ? 2 ** 32 - 1 : typeof k === 'string' && /^\d+$/.test(k) ? t[Number(k) % Math.max(1, t.length)] : Reflect.get(t, k, rc)) });
    },
  },
  {
    name: 'throwing-getter',
    transparent: false,
    fits: (v) => container(v) && Object.keys(v as object).length > 0,
    apply: (old, r) => {
      const copy: Record<string, unknown> = Array.isArray(old) ? ((old as unknown[]).slice() as never) : { ...(old as object) };
      const keys = Object.keys(copy);
      Object.defineProperty(copy, keys[Math.floor(r() * keys.length)], { get: boom, enumerable: true, configurable: true });
      return copy;
    },
  },
  {
    name: 'unknown-key',
    transparent: false,
    fits: isPlainObject,
    apply: (old, r) => ({ ...(old as object), [['zz', 'constructor', '__proto__', 'toString', 'Mode'][Math.floor(r() * 5)]]: 1 }),
  },
  {
    name: 'drop-key',
    transparent: false,
    fits: (v) => isPlainObject(v) && Object.keys(v).length > 0,
    apply: (old, r) => {
      const copy = { ...(old as Record<string, unknown>) };
      const keys = Object.keys(copy);
      delete copy[keys[Math.floor(r() * keys.length)]];
      return copy;
    },
  },
  {
    name: 'numeric-edge',
    transparent: false,
    fits: (v) => typeof v === 'number' || typeof v === 'bigint',
    apply: (old, r) => {
      const x = old as number | bigint;
      const opts =
        typeof x === 'bigint'
          ? [-x - 1n, x + 2n ** 64n, Number(x), 0n, x * 2n ** 40n]
          : [-x - 1, x + 0.5, x * 2 ** 40, BigInt(Number.isFinite(x) && Number.isInteger(x) ? x : 0), 65536, 2 ** 31, -(2 ** 31)];
      return opts[Math.floor(r() * opts.length)];
    },
  },
  {
    name: 'typed-swap',
    transparent: false,
    fits: (v) => ArrayBuffer.isView(v) || (Array.isArray(v) && v.every((x) => typeof x === 'number' || typeof x === 'bigint')),
    apply: (old) => {
      if (ArrayBuffer.isView(old)) return Array.from(old as unknown as ArrayLike<unknown>);
      const a = old as Array<number | bigint>;
      return a.every((x) => typeof x === 'bigint') ? BigUint64Array.from(a as bigint[], (x) => (x < 0n ? 0n : x)) : Float64Array.from(a as number[]);
    },
  },
  { name: 'typed-proxy', transparent: false, fits: ArrayBuffer.isView, apply: (old) => new Proxy(old as object, {}) },
  // transparent: a genuine typed array of the same entries whose own properties are user code that throws; the
  // library must read it through its internal slots (length, buffer, entries by index) and never call these
  { name: 'typed-own-props', transparent: true, fits: (v) => ArrayBuffer.isView(v) && !(v instanceof DataView), apply: (old) => typedWithOwnProps(old as Uint8Array) },
];

/** A copy of a typed array whose `length`, `buffer`, `byteOffset`, iterator, methods and `constructor` throw. */
export function typedWithOwnProps<T extends ArrayBufferView>(old: T): T {
  const Ctor = Object.getPrototypeOf(old).constructor as new (a: T) => T;
  const copy = new Ctor(old);
  for (const key of ['length', 'buffer', 'byteOffset', 'byteLength', 'constructor', 'subarray', 'slice', 'map', 'forEach', 'set', 'fill', 'values', 'entries', 'keys', 'at', 'indexOf', 'includes', 'every', 'some', 'reduce', 'join', 'toString', Symbol.iterator]) {
    Object.defineProperty(copy, key, { get: boom, enumerable: false, configurable: true });
  }
  return copy;
}

/**
 * A Proxy of `list` whose entries answer their own value on their first read and `bad` on every read after: a caller's
 * list the library must read once an entry (a second read would see garbage the checks never saw).
 */
export function firstReadThen<T>(list: T[], bad: unknown): T[] {
  const seen = new Set<string>();
  return new Proxy(list, {
    get: (t, k, r) => {
      if (typeof k !== 'string' || !/^\d+$/.test(k) || !seen.has(k)) {
        if (typeof k === 'string') seen.add(k);
        return Reflect.get(t, k, r);
      }
      return bad;
    },
  });
}

/** One mutation of a value tree: where, what, and a seed for its random choices. */
export interface HostileCase {
  path: Path;
  mutation: Mutation;
  seed: number;
}

/**
 * Chooses a node of `root` and a mutation that fits it. The root itself is the test's list of arguments (never
 * passed to the library as one value), so only nodes below it are mutated.
 */
export function arbHostile(root: unknown): fc.Arbitrary<HostileCase> {
  const paths = nodePaths(root).filter((p) => p.length > 0);
  return fc
    .tuple(fc.nat({ max: paths.length - 1 }), fc.nat({ max: MUTATIONS.length - 1 }), fc.integer())
    .map(([p, m, seed]) => {
      const path = paths[p];
      const node = getAt(root, path);
      // the first mutation from m on that fits (value always fits)
      for (let k = 0; k < MUTATIONS.length; k++) {
        const mutation = MUTATIONS[(m + k) % MUTATIONS.length];
        if (mutation.fits(node)) return { path, mutation, seed };
      }
      return { path, mutation: MUTATIONS.find((x) => x.name === 'value')!, seed };
    });
}

/** xorshift32 in [0, 1): the stream the seeds have always drawn (the same bits as the int32 steps it replaced). */
function rng(seed: number): () => number {
  const next = xorshift32(seed);
  return () => next() / 2 ** 32;
}

/** Applies a hostile case to `root`; `log` counts reads through transparent wrappers. */
export function applyHostile(root: unknown, h: HostileCase, log: ReadLog): unknown {
  return replaceAt(root, h.path, (old) => h.mutation.apply(old, rng(h.seed), log));
}

export function describeCase(h: HostileCase): string {
  return `${h.mutation.name} at ${h.path.length ? h.path.join('.') : '(root)'}`;
}

/** Text of a value tree for before/after comparison (bigints, typed arrays, holes, -0, NaN kept apart). */
export function treeText(value: unknown): string {
  const seen = new Set<unknown>();
  const walk = (v: unknown): unknown => {
    if (typeof v === 'bigint') return `${v}n`;
    if (typeof v === 'number') return Object.is(v, -0) ? '-0' : Number.isFinite(v) ? v : String(v);
    if (typeof v === 'symbol') return String(v);
    if (typeof v === 'function') return '<function>';
    if (!isObj(v)) return v;
    if (seen.has(v)) return '<cycle>';
    if (ArrayBuffer.isView(v)) {
      // entries by index up to the internal length: the array's own properties may be hostile (typed-own-props)
      const t = v as unknown as ArrayLike<unknown>;
      return { typed: Object.prototype.toString.call(v), values: Array.from({ length: v instanceof DataView ? 0 : typedLength(v) }, (_, i) => walk(t[i])) };
    }
    if (!container(v)) return `<${Object.prototype.toString.call(v)}>`;
    seen.add(v);
    const out = Array.isArray(v) ? Array.from({ length: v.length }, (_, i) => (i in v ? walk(v[i]) : '<hole>')) : Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    seen.delete(v);
    return out;
  };
  return JSON.stringify(walk(value));
}
