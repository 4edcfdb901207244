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
import { HOSTILE_VALUES, runaway } from './helpers/hostile.js';

/** Exports that are not operations on data: the error classes the library throws (callers catch them, never build them). */
const SKIP = new Set(['YumaError', 'StakingRefused', 'ChainRefused']);

function isClass(f: Function): boolean {
  return /^class\b/.test(Function.prototype.toString.call(f));
}

/**
 * The parameters a function or class constructor declares, optional and defaulted ones included (`fn.length` stops
 * at the first default): top-level commas of its first parameter list, or of `constructor(…)` for a class.
 */
function declaredParams(f: Function): number {
  const src = Function.prototype.toString.call(f);
  let start: number;
  if (isClass(f)) {
    const m = /\bconstructor\s*\(/.exec(src);
    if (!m) return 0;
    start = m.index + m[0].length;
  } else {
    const open = src.indexOf('(');
    const arrow = src.indexOf('=>');
    if (open < 0 || (arrow >= 0 && arrow < open)) return f.length; // x => …
    start = open + 1;
  }
  let depth = 0;
  let commas = 0;
  let any = false;
  for (let i = start; i < src.length; i++) {
    const c = src[i];
    if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') {
      if (depth === 0) break;
      depth--;
    } else if (c === ',' && depth === 0) commas++;
    else if (!/\s/.test(c)) any = true;
  }
  return any ? commas + 1 : 0;
}

function callOutcome(f: () => unknown): string | null {
  runaway.seen = false;
  try {
    const r = f();
    if (r instanceof Promise) r.catch(() => {}); // async factories (createEngine): their rejections are checked elsewhere
    return runaway.seen ? 'walked a 2^32 − 1 length Proxy (100 000 entries read)' : null;
  } catch (e) {
    if (runaway.seen) return 'walked a 2^32 − 1 length Proxy (100 000 entries read)';
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
    it('reads the declared parameters of its exports (checked on ones with optional and defaulted parameters)', () => {
      if (where === 'yuma-wasm') expect([declaredParams(root.Pool), declaredParams(root.prepareEpoch), declaredParams(root.metagraphView)]).toEqual([5, 4, 3]);
      if (where === 'yuma-wasm/research') expect([declaredParams(research.yumaEpoch), declaredParams(research.YumaRun), declaredParams(research.runYumaSimCase)]).toEqual([4, 4, 3]);
      if (where === 'yuma-wasm/testing') expect(declaredParams(testing.assertEpochInvariants)).toBe(3);
    });

    for (const [name, value] of Object.entries(mod)) {
      if (typeof value !== 'function' || SKIP.has(name)) continue;
      const fn = value as (...a: unknown[]) => unknown;
      const cls = isClass(fn);
      it(`${name}`, () => {
        const failures: string[] = [];
        // every position the export declares, its optional ones included (it stopped at three and at fn.length)
        const arity = Math.max(1, fn.length, declaredParams(fn));
        for (let pos = 0; pos < arity; pos++) {
          for (const [label, make] of HOSTILE_VALUES) {
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

describe('the package root exports no unchecked internal class', () => {
  it('SubnetNeurons and MechanismNeurons (the shared neuron tables, whose methods trust their callers) are not runtime exports', () => {
    expect(Object.keys(root)).not.toContain('SubnetNeurons');
    expect(Object.keys(root)).not.toContain('MechanismNeurons');
    expect(typeof root.Subnet).toBe('function');
  });
});
