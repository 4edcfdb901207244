/**
 * Genuine typed arrays with hostile own properties, handed to the engine and to `unpackRow`: the fuzz suite swaps
 * typed arrays for Proxies (refused as not typed arrays) but never gives a real Uint16Array whose own `subarray`,
 * `constructor` or `length` is user code. The library reads such arrays through their internal slots only, so the
 * outputs are those of the plain array and nothing the caller defined runs.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { createEngineSync } from '../src/engine.js';
import { toJSON } from '../src/epoch/json.js';
import type { EpochInput } from '../src/epoch/types.js';
import { packRow, unpackRow } from '../src/subnet/neurons.js';
import { RAO } from '../src/units.js';

const engine = createEngineSync();
afterAll(() => engine.close());

const hostile = () => {
  throw new Error('hostile property');
};

/** Two validators (uids 0, 1) weighting miner 2, with bonds on it, dense Uint16Array layout. */
function input(): EpochInput {
  return {
    n: 3,
    currentBlock: 10,
    tempo: 1,
    lastStepBlock: 0,
    stake: [5000n * RAO, 3000n * RAO, 0n],
    weights: Uint16Array.from([0, 0, 65535, 0, 0, 65535, 0, 0, 0]),
    bonds: Uint16Array.from([0, 0, 30000, 0, 0, 9000, 0, 0, 0]),
    lastUpdate: [9, 9, 9],
    blockAtRegistration: [0, 0, 0],
    validatorPermit: [true, true, false],
    raoEmission: RAO,
  };
}

const OWN_PROPERTIES: Array<[string, PropertyDescriptor]> = [
  ['subarray (throws)', { value: hostile }],
  ['subarray (answers other entries)', { value: () => new Uint16Array(9).fill(65535) }],
  ['constructor (throws)', { get: hostile }],
  ['length (throws)', { get: hostile }],
  ['buffer and byteOffset (throw)', { get: hostile }],
];

describe('engine.epoch and engine.epochs with dense matrices that carry hostile own properties', () => {
  for (const mode of ['fixed', 'float'] as const) {
    for (const path of ['sparse', 'dense'] as const) {
      const expected = JSON.stringify(toJSON(engine.epoch(input(), {}, { mode, path })));
      for (const [label, descriptor] of OWN_PROPERTIES) {
        for (const field of ['weights', 'bonds'] as const) {
          it(`${mode} ${path}: ${field} with an own ${label} gives the plain matrix's output, in one epoch and in a batch`, () => {
            const i = input();
            const m = i[field] as Uint16Array;
            if (label.startsWith('buffer')) Object.defineProperties(m, { buffer: descriptor, byteOffset: descriptor });
            else Object.defineProperty(m, label.split(' ')[0], descriptor);
            expect(JSON.stringify(toJSON(engine.epoch(i, {}, { mode, path })))).toBe(expected);
            expect(JSON.stringify(toJSON(engine.epochs([{ input: i }, { input: input() }], { mode, path })[0]))).toBe(expected);
            // the caller's matrix is not written (copied through its internal slots)
            expect(Array.from(new Uint16Array(m))).toEqual(Array.from(input()[field] as Uint16Array));
          });
        }
      }
    }
  }
});

describe('unpackRow', () => {
  it("reads a packed row's length from its internal slot: an own length getter that throws or says 3 changes nothing", () => {
    const throwing = packRow([[1, 2], [4, 65535]]);
    Object.defineProperty(throwing, 'length', { get: hostile });
    expect(unpackRow(throwing)).toEqual([[1, 2], [4, 65535]]);
    const longer = packRow([[7, 9]]);
    Object.defineProperty(longer, 'length', { value: 3 });
    expect(unpackRow(longer)).toEqual([[7, 9]]);
  });
});
