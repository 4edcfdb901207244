import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createEngine, createEngineSync } from '../src/engine.js';
import { YumaError } from '../src/errors.js';
import type { BatchItem, EpochInput, EpochOutput } from '../src/epoch/types.js';
import { arbEpochInput, createReferenceEngine } from '../src/testing/index.js';
import { syntheticSubnet } from '../bench/suite.js';
import { plain } from './helpers/json.js';

const engine = createEngineSync();

describe('engine.epochs', () => {
  it('equals one epoch() call per subnet, across groups, modes, sizes and n = 0', () => {
    // Five 256-UID subnets need more than one arena group, so this crosses group boundaries.
    const batch: BatchItem[] = [
      ...[0, 1, 2, 3, 4].map((s) => syntheticSubnet({ n: 256, validators: 32, seed: s })),
      syntheticSubnet({ n: 17, validators: 5, seed: 9 }),
      { input: { ...syntheticSubnet({ n: 1, validators: 1, seed: 3 }).input, n: 0, stake: [], weights: new Uint16Array(0), bonds: new Uint16Array(0), lastUpdate: [], blockAtRegistration: [], validatorPermit: [] } as EpochInput },
      syntheticSubnet({ n: 300, validators: 64, seed: 11, layout: 'sparse' }),
    ];
    for (const mode of ['float', 'fixed'] as const) {
      for (const path of ['sparse', 'dense'] as const) {
        const many = engine.epochs(batch, { mode, path });
        expect(many).toHaveLength(batch.length);
        batch.forEach((b, i) => expect(plain(many[i])).toEqual(plain(engine.epoch(b.input, b.hyper, { mode, path }))));
        expect(many[6].incentive).toHaveLength(0);
      }
    }
  });

  it('is deterministic and independent of what ran before (dirty arena and scratch)', () => {
    fc.assert(
      fc.property(fc.array(arbEpochInput({ maxN: 12 }), { minLength: 1, maxLength: 6 }), fc.constantFrom('float', 'fixed'), (inputs, mode) => {
        const batch = inputs.map((input) => ({ input }));
        const first = engine.epochs(batch, { mode }).map(plain);
        engine.epoch(syntheticSubnet({ n: 64, validators: 8, seed: 1 }).input, undefined, { mode });
        const again = engine.epochs([...batch].reverse(), { mode }).map(plain).reverse();
        expect(again).toEqual(first);
      }),
      { numRuns: 60 },
    );
  });

  it('ignores weight rows without a stored permit (the loader does not copy them)', () => {
    // mask_rows empties those rows on both paths, so garbage in them must not change a single output bit.
    fc.assert(
      fc.property(arbEpochInput({ maxN: 12 }), fc.constantFrom('float', 'fixed'), fc.constantFrom('sparse', 'dense'), fc.integer({ min: 1, max: 65535 }), (input, mode, path, junk) => {
        const n = input.n;
        const dense = new Uint16Array(n * n);
        if (input.weights instanceof Uint16Array) dense.set(input.weights);
        else input.weights.forEach((row, i) => row.forEach(([j, v]) => (dense[i * n + j] = v)));
        const bonds = new Uint16Array(n * n);
        if (input.bonds instanceof Uint16Array) bonds.set(input.bonds);
        else input.bonds.forEach((row, i) => row.forEach(([j, v]) => (bonds[i * n + j] = v)));
        const noisy = dense.slice();
        for (let i = 0; i < n; i++) {
          const kept = i < input.validatorPermit.length && (input.validatorPermit[i] || i === input.ownerUid);
          if (!kept) for (let j = 0; j < n; j++) noisy[i * n + j] = (junk * (i + 1) + j * 7919) & 0xffff;
        }
        const clean = engine.epoch({ ...input, weights: dense, bonds }, undefined, { mode, path });
        const dirty = engine.epoch({ ...input, weights: noisy, bonds }, undefined, { mode, path });
        expect(plain(dirty)).toEqual(plain(clean));
      }),
      { numRuns: 150 },
    );
  });

  it('keeps the top-k permits by (stake, uid) with many equal stakes, in both modes, as the references do', () => {
    const ref = createReferenceEngine();
    for (const [n, k, distinct] of [[300, 37, 5], [257, 256, 2], [512, 64, 40], [64, 1, 3]] as const) {
      const { input, hyper } = syntheticSubnet({ n, validators: Math.min(k, n), seed: n + k });
      // only a few distinct stake values: ties decided by uid
      const stake = input.stake.map((_, i) => BigInt(1 + ((i * 7919) % distinct)) * 1_000_000_000n);
      const sub = { ...input, stake };
      for (const mode of ['float', 'fixed'] as const) {
        const got = engine.epoch(sub, { ...hyper, maxAllowedValidators: k }, { mode });
        const want = ref.epoch(sub, { ...hyper, maxAllowedValidators: k }, { mode });
        expect(got.validatorPermit).toEqual(want.validatorPermit);
        expect(got.validatorPermit.filter(Boolean)).toHaveLength(Math.min(k, n));
      }
    }
  });

  it('refuses a bad item with its index, before running anything', () => {
    const good = syntheticSubnet({ n: 8, validators: 2, seed: 1 });
    const bad = { input: { ...good.input, stake: good.input.stake.slice(1) } };
    let err: unknown;
    try {
      engine.epochs([good, good, bad]);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(YumaError);
    expect((err as YumaError).code).toBe('E_SHAPE');
    expect((err as YumaError).message).toMatch(/batch\[2\]: stake has length 7/);
    expect(() => engine.epochs('x' as never)).toThrow(YumaError);
    expect(() => engine.epochs([null as never])).toThrow(/batch\[0\]/);
  });

  it('leaves the caller input untouched: epoch and epochs, both modes and paths', () => {
    const { input, hyper } = syntheticSubnet({ n: 32, validators: 6, seed: 4 });
    const before = plain(input as never);
    for (const mode of ['fixed', 'float'] as const) {
      for (const path of ['sparse', 'dense'] as const) {
        engine.epoch(input, hyper, { mode, path });
        engine.epochs([{ input, hyper }], { mode, path });
        expect(plain(input as never), `${mode} ${path}`).toEqual(before);
      }
    }
  });

  it('async and sync engines give the same results: every output field, both modes and paths, epoch and epochs', async () => {
    const other = await createEngine();
    const { input, hyper } = syntheticSubnet({ n: 40, validators: 8, seed: 5 });
    for (const mode of ['fixed', 'float'] as const) {
      for (const path of ['sparse', 'dense'] as const) {
        const want = plain(engine.epoch(input, hyper, { mode, path }));
        expect(plain(other.epoch(input, hyper, { mode, path })), `${mode} ${path}`).toEqual(want);
        expect(plain(other.epochs([{ input, hyper }], { mode, path })), `${mode} ${path} epochs`).toEqual([want]);
      }
    }
  });

  it('refuses more than 4096 UIDs with E_LIMIT', () => {
    const { input } = syntheticSubnet({ n: 2, validators: 1, seed: 1 });
    expect(() => engine.epoch({ ...input, n: 4097 })).toThrow(expect.objectContaining({ code: 'E_LIMIT' }));
  });
});
