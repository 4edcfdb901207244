import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createEngineSync } from '../src/engine.js';
import { prepareEpoch, type PreparedEpoch } from '../src/epoch/prepare.js';
import type { EpochInput, Hyperparams, SparseRow } from '../src/epoch/types.js';
import { referenceEpochFixed } from '../src/reference/fixed/epoch.js';
import { expectSameResult } from './helpers/epoch-fixed-compare.js';
import { largeSubnetArb } from './helpers/large-subnet.js';

const U64_MAX = (1n << 64n) - 1n;
const engine = createEngineSync();

/** u16 values that make ties, full weights and tiny weights common. */
const u16 = fc.oneof(fc.constantFrom(0, 1, 2, 3, 32767, 32768, 65535), fc.integer({ min: 0, max: 65535 }));
/** An entry the chain may or may not store; explicit zeros are included (sparse layout keeps them). */
const entry = fc.oneof({ weight: 2, arbitrary: fc.constant(null) }, { weight: 3, arbitrary: u16 });

const subnet = fc
  .record({
    n: fc.integer({ min: 1, max: 7 }),
    sparseLayout: fc.boolean(),
    path: fc.constantFrom('sparse' as const, 'dense' as const),
    seedBlock: fc.integer({ min: 0, max: 12_000 }),
  })
  .chain(({ n, sparseLayout, path, seedBlock }) =>
    fc.record({
      n: fc.constant(n),
      sparseLayout: fc.constant(sparseLayout),
      path: fc.constant(path),
      currentBlock: fc.constant(BigInt(seedBlock)),
      tempo: fc.constantFrom(0, 1, 10, 360),
      lastStepBlock: fc.oneof(fc.constant(0n), fc.bigInt({ min: 0n, max: BigInt(seedBlock) })),
      stake: fc.array(
        fc.oneof(fc.constant(0n), fc.constant(1_000n), fc.bigInt({ min: 0n, max: 1n << 58n }), fc.bigInt({ min: 0n, max: 10n ** 12n })),
        { minLength: n, maxLength: n },
      ),
      weights: fc.array(fc.array(entry, { minLength: n, maxLength: n }), { minLength: n, maxLength: n }),
      bonds: fc.array(fc.array(fc.oneof(fc.constant(null), u16), { minLength: n, maxLength: n }), { minLength: n, maxLength: n }),
      // outdated weights, fresh registrations, inactivity and the saturating `last_update + cutoff` edge
      lastUpdate: fc.array(
        fc.oneof(
          { weight: 4, arbitrary: fc.bigInt({ min: BigInt(Math.max(0, seedBlock - 100)), max: BigInt(seedBlock) }) },
          { weight: 1, arbitrary: fc.bigInt({ min: 0n, max: BigInt(seedBlock + 10) }) },
          { weight: 1, arbitrary: fc.bigInt({ min: U64_MAX - 6000n, max: U64_MAX }) },
        ),
        { minLength: n, maxLength: n },
      ),
      blockAtRegistration: fc.array(
        fc.oneof(
          { weight: 3, arbitrary: fc.bigInt({ min: 0n, max: BigInt(seedBlock >> 1) }) },
          { weight: 1, arbitrary: fc.bigInt({ min: 0n, max: BigInt(seedBlock + 10) }) },
        ),
        { minLength: n, maxLength: n },
      ),
      validatorPermit: fc.oneof(
        { weight: 3, arbitrary: fc.array(fc.boolean(), { minLength: n, maxLength: n }) },
        { weight: 1, arbitrary: fc.array(fc.boolean(), { minLength: 0, maxLength: n }) },
      ),
      ownerUid: fc.option(fc.integer({ min: 0, max: n - 1 }), { nil: undefined, freq: 2 }),
      commitBlocks: fc.option(
        fc.array(fc.option(fc.bigInt({ min: 0n, max: BigInt(seedBlock + 10) }), { nil: null }), { minLength: n, maxLength: n }),
        { nil: undefined, freq: 2 },
      ),
      raoEmission: fc.oneof(fc.constant(0n), fc.bigInt({ min: 0n, max: U64_MAX })),
      hyper: fc.record({
        kappa: fc.oneof(fc.constantFrom(0, 32767, 45000, 65535), fc.integer({ min: 0, max: 65535 })),
        bondsMovingAverage: fc.oneof(fc.constantFrom(0, 900_000, 975_000, 1_000_000), fc.integer({ min: 0, max: 1_000_000 })),
        bondsPenalty: fc.oneof(fc.constantFrom(0, 65535), fc.integer({ min: 0, max: 65535 })),
        activityCutoff: fc.oneof(fc.constantFrom(0, 1, 5000), fc.integer({ min: 0, max: 13_000 }), fc.integer({ min: 100, max: 13_000 })),
        maxAllowedValidators: fc.integer({ min: 0, max: n + 1 }),
        liquidAlphaEnabled: fc.boolean(),
        alphaLow: fc.integer({ min: 0, max: 40_000 }),
        alphaHigh: fc.integer({ min: 40_000, max: 65535 }),
        alphaSigmoidSteepness: fc.oneof(fc.constantFrom(1000, 0, -1000, 32767, -32768), fc.integer({ min: -32768, max: 32767 })),
        yuma3Enabled: fc.boolean(),
        stakeThreshold: fc.oneof(fc.constant(0n), fc.bigInt({ min: 0n, max: 1n << 40n })),
      }),
    }),
  )
  .map((s): { input: EpochInput; hyper: Hyperparams; path: 'sparse' | 'dense' } => {
    const matrix = (rows: Array<Array<number | null>>) => {
      if (s.sparseLayout) return rows.map((r): SparseRow => r.flatMap((v, j): SparseRow => (v === null ? [] : [[j, v]])));
      return Uint16Array.from(rows.flat(), (v) => v ?? 0);
    };
    return {
      path: s.path,
      hyper: s.hyper,
      input: {
        n: s.n,
        currentBlock: s.currentBlock,
        tempo: s.tempo,
        lastStepBlock: s.lastStepBlock,
        stake: s.stake,
        weights: matrix(s.weights),
        bonds: matrix(s.bonds),
        lastUpdate: s.lastUpdate,
        blockAtRegistration: s.blockAtRegistration,
        validatorPermit: s.validatorPermit,
        ...(s.ownerUid !== undefined ? { ownerUid: s.ownerUid } : {}),
        ...(s.commitBlocks !== undefined ? { commitBlocks: s.commitBlocks } : {}),
        raoEmission: s.raoEmission,
      },
    };
  });

const prepare = (c: { input: EpochInput; hyper: Hyperparams; path: 'sparse' | 'dense' }): PreparedEpoch =>
  prepareEpoch(c.input, c.hyper, { mode: 'fixed', path: c.path });

describe('Wasm fixed kernel == BigInt reference (random subnets)', () => {
  it('single epochs: every output, bond presence and f64 view identical', () => {
    fc.assert(
      fc.property(subnet, (c) => {
        const p = prepare(c);
        expectSameResult(engine.runPrepared([p])[0], referenceEpochFixed(p));
      }),
      { numRuns: 400 },
    );
  });

  it('batches of different sizes sharing one scratch region', () => {
    fc.assert(
      fc.property(fc.array(subnet, { minLength: 2, maxLength: 5 }), (batch) => {
        const prepared = batch.map(prepare);
        const got = engine.runPrepared(prepared);
        prepared.forEach((p, k) => expectSameResult(got[k], referenceEpochFixed(p), `batch[${k}]`));
      }),
      { numRuns: 200 },
    );
  });
});

describe('Wasm fixed kernel == BigInt reference (larger subnets)', () => {
  // n from 17 to 300: full 16-column median tiles and a remainder, the kernel's two-lane row passes, permit sorts
  // with caps below and above the validator count. Few runs: the BigInt reference takes a while at this size.
  it('17 to 300 UIDs: every output, bond presence and f64 view identical', () => {
    fc.assert(
      fc.property(largeSubnetArb(), (c) => {
        const p = prepareEpoch(c.input, c.hyper, { mode: 'fixed', path: c.path });
        expectSameResult(engine.runPrepared([p])[0], referenceEpochFixed(p), `n = ${p.n}`);
      }),
      { numRuns: 8 },
    );
  });
});

describe('Wasm fixed kernel == BigInt reference (liquid alpha always active)', () => {
  // two dominant validators that both weight miner 2 keep consensus non-zero, so every entry goes through
  // alpha_sigmoid / exp with arguments spread over the clamp range (steepness up to ±32767)
  const liquid = fc.record({
    w: fc.array(fc.array(u16, { minLength: 3, maxLength: 3 }), { minLength: 2, maxLength: 2 }),
    bonds: fc.array(fc.array(u16, { minLength: 5, maxLength: 5 }), { minLength: 5, maxLength: 5 }),
    steepness: fc.oneof(fc.constantFrom(1000, -1000, 32767, -32768, 0, 1), fc.integer({ min: -32768, max: 32767 })),
    alphaLow: fc.integer({ min: 0, max: 40_000 }),
    alphaHigh: fc.integer({ min: 40_000, max: 65535 }),
    bondsPenalty: fc.oneof(fc.constantFrom(0, 65535), fc.integer({ min: 0, max: 65535 })),
    path: fc.constantFrom('sparse' as const, 'dense' as const),
  });
  it('random bonds, steepness and alpha bounds', () => {
    fc.assert(
      fc.property(liquid, (c) => {
        const weights = new Uint16Array(25);
        c.w.forEach((row, i) => {
          weights[i * 5 + 2] = Math.max(1, row[0]);
          weights[i * 5 + 3] = row[1];
          weights[i * 5 + 4] = row[2];
        });
        const p = literal(
          { n: 5, weights, bonds: Uint16Array.from(c.bonds.flat()), stake: [10_000n, 9_000n, 1n, 1n, 1n] },
          { yuma3Enabled: true, liquidAlphaEnabled: true, alphaSigmoidSteepness: c.steepness, alphaLow: c.alphaLow, alphaHigh: c.alphaHigh, bondsPenalty: c.bondsPenalty },
          c.path,
        );
        const want = referenceEpochFixed(p);
        expect(want.consensusF[2]).toBeGreaterThan(0);
        expectSameResult(engine.runPrepared([p])[0], want);
      }),
      { numRuns: 250 },
    );
  });
});

/** Builds one prepared epoch from small literal tables (n ≤ 6). */
function literal(over: Partial<EpochInput>, hyper: Partial<Hyperparams> = {}, path: 'sparse' | 'dense' = 'sparse'): PreparedEpoch {
  const n = over.n ?? 4;
  const input: EpochInput = {
    n,
    currentBlock: 1000n,
    tempo: 360,
    lastStepBlock: 0n,
    stake: Array.from({ length: n }, (_, i) => BigInt((i + 1) * 1_000_000)),
    weights: new Uint16Array(n * n),
    bonds: new Uint16Array(n * n),
    lastUpdate: Array.from({ length: n }, () => 900n),
    blockAtRegistration: Array.from({ length: n }, () => 10n),
    validatorPermit: Array.from({ length: n }, () => true),
    raoEmission: 1_000_000_000n,
    ...over,
  };
  return prepareEpoch(input, hyper, { mode: 'fixed', path });
}

describe('Wasm fixed kernel == BigInt reference (hand-picked edges)', () => {
  const both = (p: PreparedEpoch) => expectSameResult(engine.runPrepared([p])[0], referenceEpochFixed(p));

  it('n = 1, zero stake, all-zero weights, nobody active', () => {
    both(literal({ n: 1, stake: [0n], validatorPermit: [true] }));
    both(literal({ n: 3, stake: [0n, 0n, 0n] }));
    both(literal({ n: 3, currentBlock: 100_000n }, {}, 'dense'));
  });

  it('one validator, an empty permit vector (masks no stake but every weight row)', () => {
    const w = Uint16Array.from([0, 65535, 0, 0, 0, 0, 0, 0, 0]);
    const one = literal({ n: 3, weights: w, validatorPermit: [true, false, false] });
    both(one);
    // the one permitted validator's weight on uid 1 is the consensus and the whole incentive
    expect(Array.from(engine.runPrepared([one])[0].incentive)).toEqual([0, 65535, 0]);
    for (const path of ['sparse', 'dense'] as const) {
      const empty = literal({ n: 3, weights: w, validatorPermit: [] }, {}, path);
      both(empty);
      // no weight row survives, so no incentive; no stake is masked, so validators are paid by stake (1 : 2 : 3)
      const got = engine.runPrepared([empty])[0];
      expect(Array.from(got.consensus)).toEqual([0, 0, 0]);
      expect(Array.from(got.serverEmission)).toEqual([0n, 0n, 0n]);
      got.validatorEmission.forEach((e, i) => expect(Math.abs(Number(e) - ((i + 1) / 6) * 1e9), path).toBeLessThanOrEqual(1));
    }
  });

  it('Yuma3 + liquid alpha on the sparse path: a listed zero decays a bond, an unlisted one is dropped', () => {
    // validators 0 and 1 hold most stake and agree on miner 2, so consensus is non-zero and liquid alpha applies
    const weights: SparseRow[] = [[[2, 65535], [3, 0]], [[2, 65535], [3, 65535]], [], []];
    const bonds: SparseRow[] = [[[1, 30000], [2, 30000], [3, 30000]], [[3, 1000]], [], []];
    const stake = [10_000n, 10_000n, 1n, 1n];
    const hyper = { yuma3Enabled: true, liquidAlphaEnabled: true, bondsPenalty: 0 };
    const p = literal({ weights, bonds, stake }, hyper);
    const got = engine.runPrepared([p])[0];
    expectSameResult(got, referenceEpochFixed(p));
    expect(got.consensus[2]).toBeGreaterThan(0);
    // row 0 keeps column 2 (weighted) and 3 (listed zero: decayed) and loses column 1 (not listed: dropped)
    expect(Array.from(got.bondsPresent.subarray(0, 4))).toEqual([0, 0, 1, 1]);
    expect(got.bonds[3]).toBeGreaterThan(0);
    expect(got.bonds[3]).toBeLessThan(30000);
    // the dense path decays the unlisted bond instead
    const dense = engine.runPrepared([literal({ weights, bonds, stake }, hyper, 'dense')])[0];
    expect(dense.bonds[1]).toBeGreaterThan(0);
    expect(dense.bonds[1]).toBeLessThan(30000);
  });

  it('median ties (equal stakes and weights) with an owner self-weight, on both paths', () => {
    const w = Uint16Array.from([0, 100, 100, 100, 100, 0, 100, 100, 100, 100, 7, 100, 100, 100, 100, 0]);
    both(literal({ weights: w, stake: [5n, 5n, 5n, 5n], ownerUid: 2 }, { kappa: 32768 }));
    both(literal({ weights: w, stake: [5n, 5n, 5n, 5n], ownerUid: 2 }, { kappa: 32768 }, 'dense'));
  });
});
