import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { createEngine, createEngineSync } from '../src/engine.js';
import type { BatchItem, EpochInput, EpochOutput } from '../src/epoch/types.js';
import { arbEpochInput, arbHyperparams } from '../src/testing/index.js';
import { syntheticSubnet } from '../bench/suite.js';
import { plain } from './helpers/json.js';

const single = createEngineSync();
const threaded = createEngineSync({ threads: 2 });
afterAll(() => threaded.close());

describe('engine with a helper thread (threads: 2)', () => {
  it('gives the single-threaded results for a mixed batch, in both modes and on both paths', () => {
    const empty = { ...syntheticSubnet({ n: 1, validators: 1, seed: 3 }).input, n: 0, stake: [], weights: new Uint16Array(0), bonds: new Uint16Array(0), lastUpdate: [], blockAtRegistration: [], validatorPermit: [] } as EpochInput;
    const batch: BatchItem[] = [
      ...Array.from({ length: 12 }, (_, s) => syntheticSubnet({ n: 64 + 16 * s, validators: 8 + s, seed: 100 + s })),
      { input: empty },
      syntheticSubnet({ n: 300, validators: 64, seed: 11, layout: 'sparse' }),
      { ...syntheticSubnet({ n: 128, validators: 32, seed: 12 }), hyper: { yuma3Enabled: true, liquidAlphaEnabled: true } },
      syntheticSubnet({ n: 1024, validators: 64, seed: 13 }),
    ];
    for (const mode of ['float', 'fixed'] as const) {
      for (const path of ['sparse', 'dense'] as const) {
        expect(plain(threaded.epochs(batch, { mode, path }))).toEqual(plain(single.epochs(batch, { mode, path })));
      }
    }
  });

  it('matches on random batches, call after call (the helper and the shared arena are reused)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ input: arbEpochInput({ maxN: 24 }), hyper: arbHyperparams() }), { minLength: 0, maxLength: 12 }),
        fc.constantFrom('float', 'fixed'),
        (batch, mode) => {
          expect(plain(threaded.epochs(batch, { mode }))).toEqual(plain(single.epochs(batch, { mode })));
        },
      ),
      { numRuns: 120 },
    );
  });

  it('a single epoch on the two-thread engine equals the one-thread engine\'s (fixed mode)', () => {
    const { input, hyper } = syntheticSubnet({ n: 200, validators: 40, seed: 5 });
    expect(plain([threaded.epoch(input, hyper, { mode: 'fixed' })])).toEqual(plain([single.epoch(input, hyper, { mode: 'fixed' })]));
  });

  it('refuses a bad item with its index and keeps working afterwards', () => {
    const good = syntheticSubnet({ n: 32, validators: 4, seed: 1 });
    const bad = { input: { ...good.input, stake: good.input.stake.slice(1) } };
    expect(() => threaded.epochs([good, good, good, bad])).toThrow(/batch\[3\]: stake has length 31/);
    expect(plain(threaded.epochs([good, good]))).toEqual(plain(single.epochs([good, good])));
  });

  it('validates its options, starts asynchronously, and refuses work once closed', async () => {
    expect(() => createEngineSync({ threads: 3 as never })).toThrow(expect.objectContaining({ code: 'E_ARG' }));
    expect(() => createEngineSync('x' as never)).toThrow(expect.objectContaining({ code: 'E_ARG' }));
    expect(() => createEngineSync({ thread: 2 } as never)).toThrow(/engine options.thread is not known/);
    const other = await createEngine({ threads: 2 });
    const batch = [syntheticSubnet({ n: 48, validators: 6, seed: 2 }), syntheticSubnet({ n: 40, validators: 5, seed: 3 })];
    expect(plain(other.epochs(batch))).toEqual(plain(single.epochs(batch)));
    other.close();
    expect(() => other.epochs(batch)).toThrow(expect.objectContaining({ code: 'E_STATE' }));
  });
});
