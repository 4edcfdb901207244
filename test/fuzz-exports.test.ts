/**
 * The broad net: every function and class the package exports (root, `yuma-wasm/testing`, `yuma-wasm/research`)
 * is called with hostile values in each argument position. Whatever it does, it returns or throws a YumaError
 * with a known code: no export may let another error type escape, whatever it is handed. (The scenario fuzzing
 * of valid-but-mutated arguments is test/fuzz-public-api.test.ts.)
 */
import { describe, expect, it } from 'vitest';
import * as root from '../src/index.js';
import * as testing from '../src/testing/index.js';
import * as research from '../src/research/index.js';
import { isYumaError } from '../src/errors.js';

const boom = (): never => {
  throw new Error('hostile');
};
const revoked = () => {
  const { proxy, revoke } = Proxy.revocable({}, {});
  revoke();
  return proxy;
};
const holey = () => {
  const a = [1, 2, 3];
  delete a[1];
  return a;
};

/**
 * Reads of a huge-length Proxy's entries: an export that walks all 2^32 − 1 of them (a loop, a join in a message)
 * would hang the suite, so the walk is cut short and reported as a failure.
 */
let entryReads = 0;
const RUNAWAY = 100_000;
function countRead(): void {
  if (++entryReads === RUNAWAY) throw new Error('runaway: read 100 000 entries of a 2^32 − 1 length Proxy');
}

/** One of each kind of hostile value (fresh each time: some are stateful). */
const HOSTILE: Array<[string, () => unknown]> = [
  ['undefined', () => undefined],
  ['null', () => null],
  ['NaN', () => NaN],
  ['-Infinity', () => -Infinity],
  ['-0', () => -0],
  ['-1', () => -1],
  ['2^64', () => 2 ** 64],
  ['-1n', () => -1n],
  ['2^70n', () => 2n ** 70n],
  ['string', () => 'x'],
  ['Symbol', () => Symbol('s')],
  ['true', () => true],
  ['{}', () => ({})],
  ['[]', () => []],
  ['holey array', holey],
  ['null-prototype object', () => Object.create(null)],
  ['function', () => () => 1],
  ['Map', () => new Map()],
  ['Uint16Array', () => new Uint16Array(4)],
  ['revoked Proxy', revoked],
  ['throwing Proxy', () => new Proxy({}, { get: boom, ownKeys: boom, getPrototypeOf: boom, has: boom, getOwnPropertyDescriptor: boom })],
  ['throwing array Proxy', () => new Proxy([1], { get: boom, has: boom })],
  ['huge-length Proxy', () => new Proxy([1], { get: (t, k, r) => (k === 'length' ? 2 ** 32 - 1 : (countRead(), Reflect.get(t, k, r))) })],
  ['object with a throwing getter', () => Object.defineProperty({}, 'n', { get: boom, enumerable: true })],
];

/** Exports that are not operations on data: the error classes the library throws (callers catch them, never build them). */
const SKIP = new Set(['YumaError', 'StakingRefused', 'ChainRefused']);

function isClass(f: Function): boolean {
  return /^class\b/.test(Function.prototype.toString.call(f));
}

function callOutcome(f: () => unknown): string | null {
  entryReads = 0;
  try {
    const r = f();
    if (r instanceof Promise) r.catch(() => {}); // async factories (createEngine): their rejections are checked elsewhere
    return entryReads >= RUNAWAY ? 'walked a 2^32 − 1 length Proxy (100 000 entries read)' : null;
  } catch (e) {
    if (entryReads >= RUNAWAY) return 'walked a 2^32 − 1 length Proxy (100 000 entries read)';
    if (isYumaError(e)) return null;
    return e instanceof Error ? `${e.name}: ${e.message}` : String(typeof e === 'symbol' ? e.toString() : e);
  }
}

for (const [where, mod] of [
  ['yuma-wasm', root],
  ['yuma-wasm/testing', testing],
  ['yuma-wasm/research', research],
] as const) {
  describe(`every export of ${where} refuses hostile arguments with a YumaError`, () => {
    for (const [name, value] of Object.entries(mod)) {
      if (typeof value !== 'function' || SKIP.has(name)) continue;
      const fn = value as (...a: unknown[]) => unknown;
      const cls = isClass(fn);
      it(`${name}`, () => {
        const failures: string[] = [];
        const arity = Math.max(1, Math.min(3, fn.length));
        for (let pos = 0; pos < arity; pos++) {
          for (const [label, make] of HOSTILE) {
            const args = Array.from({ length: arity }, (_, k) => (k === pos ? make() : undefined));
            const bad = callOutcome(() => (cls ? new (fn as unknown as new (...a: unknown[]) => unknown)(...args) : fn(...args)));
            if (bad) failures.push(`argument ${pos} = ${label}: ${bad}`);
          }
        }
        expect(failures).toEqual([]);
      });
    }
  });
}
