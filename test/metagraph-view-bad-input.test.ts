/**
 * `metagraphView(input, output, opts)` with a valid input and a hostile output or options: the fuzz over every
 * export puts a hostile value in one argument position with the others undefined, so the input's own check always
 * refused first and the output was never read. Each case is a YumaError with the stated code; a valid output read
 * through a Proxy, getters or its JSON round trip gives the same view.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { createEngineSync } from '../src/engine.js';
import { fromJSON, toJSON } from '../src/epoch/json.js';
import type { EpochInput, EpochOutput } from '../src/epoch/types.js';
import { metagraphView } from '../src/metagraph/view.js';
import { RAO } from '../src/units.js';
import { expectYumaError } from './helpers/errors.js';

const engine = createEngineSync();
afterAll(() => engine.close());

const input: EpochInput = {
  n: 3,
  currentBlock: 10,
  tempo: 1,
  lastStepBlock: 0,
  stake: [5000n * RAO, 3000n * RAO, 0n],
  weights: [[[2, 65535]], [[2, 65535]], []],
  bonds: [[[2, 30000]], [], []],
  lastUpdate: [9, 9, 9],
  blockAtRegistration: [0, 0, 0],
  validatorPermit: [true, true, false],
  raoEmission: RAO,
};
const output = engine.epoch(input);
const view = JSON.stringify(toJSON(metagraphView(input, output)));
const hostile = () => {
  throw new Error('hostile getter');
};

/** The output with one field replaced (float fields as `float.<key>`). */
function withField(key: string, value: unknown): EpochOutput {
  if (key.startsWith('float.')) return { ...output, float: { ...output.float, [key.slice(6)]: value } } as EpochOutput;
  return { ...output, [key]: value } as EpochOutput;
}

describe('metagraphView reads the output it is given once, checked', () => {
  it('the valid output, its JSON round trip, a Proxy of it and an object of getters give the same view', () => {
    expect(JSON.parse(view).I).toEqual([0, 0, 1]);
    expect(JSON.stringify(toJSON(metagraphView(input, fromJSON(JSON.parse(JSON.stringify(toJSON(output)))))))).toBe(view);
    expect(JSON.stringify(toJSON(metagraphView(input, new Proxy(output, {}))))).toBe(view);
    const getters = Object.defineProperties({}, Object.fromEntries(Object.entries(output).map(([k, v]) => [k, { get: () => v, enumerable: true }])));
    expect(JSON.stringify(toJSON(metagraphView(input, getters as EpochOutput)))).toBe(view);
  });

  it('an output that is not an object, or whose getter or Proxy trap throws, is E_ARG', () => {
    for (const bad of [null, undefined, 5, 'output', Symbol('o')]) expectYumaError(() => metagraphView(input, bad as never), 'E_ARG');
    expectYumaError(() => metagraphView(input, Object.defineProperty({ ...output }, 'incentive', { get: hostile, enumerable: true })), 'E_ARG');
    expectYumaError(() => metagraphView(input, new Proxy(output, { get: hostile })), 'E_ARG');
  });

  it("a missing field, or a vector of another UID count than the input's n, is E_SHAPE", () => {
    expectYumaError(() => metagraphView(input, {} as EpochOutput), 'E_SHAPE');
    const two = engine.epoch({ ...input, n: 2, stake: [RAO, RAO], weights: [[], []], bonds: [[], []], lastUpdate: [1, 1], blockAtRegistration: [0, 0], validatorPermit: [true, true] });
    expectYumaError(() => metagraphView(input, two), 'E_SHAPE');
    for (const key of ['consensus', 'incentive', 'dividends', 'validatorTrust', 'active', 'validatorPermit', 'validatorEmission', 'float.trust', 'float.incentive']) {
      expectYumaError(() => metagraphView(input, withField(key, [])), 'E_SHAPE');
    }
    expectYumaError(() => metagraphView(input, withField('bonds', new Uint16Array(2))), 'E_SHAPE');
    expectYumaError(() => metagraphView(input, withField('bonds', [[], []])), 'E_SHAPE');
  });

  it('entries of the wrong type or out of range are refused: strings and 70000 as u16, NaN and 2 as proportions, 1 as a flag', () => {
    expectYumaError(() => metagraphView(input, withField('incentive', ['a', 'b', 'c'])), 'E_ARG');
    expectYumaError(() => metagraphView(input, withField('consensus', [0, 70000, 0])), 'E_RANGE');
    expectYumaError(() => metagraphView(input, withField('float.trust', [NaN, 0, 0])), 'E_NAN');
    expectYumaError(() => metagraphView(input, withField('float.trust', [2, 0, 0])), 'E_RANGE');
    expectYumaError(() => metagraphView(input, withField('active', [1, 0, 1])), 'E_ARG');
  });

  it("sparse bond rows hold [uid in [0, n), u16] pairs: uid 99 is E_RANGE, uid '__proto__' E_ARG, value 70000 E_RANGE", () => {
    expectYumaError(() => metagraphView(input, withField('bonds', [[[99, 5]], [], []])), 'E_RANGE');
    expectYumaError(() => metagraphView(input, withField('bonds', [[['__proto__', 5]], [], []])), 'E_ARG');
    expectYumaError(() => metagraphView(input, withField('bonds', [[[1, 70000]], [], []])), 'E_RANGE');
  });

  it('options: an unknown key is E_ARG, a mode other than fixed or float is E_ARG', () => {
    expectYumaError(() => metagraphView(input, output, { bogus: 1 } as never), 'E_ARG');
    expectYumaError(() => metagraphView(input, output, { mode: 'exact' } as never), 'E_ARG');
    expect(JSON.stringify(toJSON(metagraphView(input, output, { mode: 'fixed' })))).toBe(view);
  });
});
