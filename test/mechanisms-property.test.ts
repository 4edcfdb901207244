/**
 * Properties of epochs with mechanisms (`epoch_with_mechanisms`): the Wasm engine against the literal reference
 * (src/reference/mechanisms.ts), one mechanism against the plain epoch, identical mechanisms against one, the
 * aggregate against its parts recombined with the chain's U64F64 helpers, the split never paying more than the
 * subnet's emission, batches mixing mechanism counts against single calls, and bad input.
 */
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { createEngineSync } from '../src/engine.js';
import { combinedEmission } from '../src/epoch/combined-emission.js';
import type { BatchItem, ChainPath, EpochInput, EpochOutput, MechanismEpochInput, MechanismEpochOutput, NumericMode } from '../src/epoch/types.js';
import { mulHi64 } from '../src/epoch/mechanisms.js';
import { subWeight, weightedAccAlpha, weightedAccU16 } from '../src/reference/mechanisms.js';
import { floorShareTimes } from '../src/epoch/float-rules.js';
import { arbEmissionSplit, arbEpochInput, arbHyperparams, arbMechanismEpochInput, createReferenceEngine } from '../src/testing/index.js';
import { U64_MAX } from '../src/units.js';
import { errorCode } from './helpers/errors.js';
import { plain } from './helpers/json.js';

const engine = createEngineSync();
const threaded = createEngineSync({ threads: 2 });
afterAll(() => threaded.close());
const reference = createReferenceEngine();

const MODES: NumericMode[] = ['fixed', 'float'];
const PATHS: ChainPath[] = ['sparse', 'dense'];

/** JSON form of outputs (bigints as strings, typed arrays as arrays): deep equality down to the f64 bits' values. */

/** The EpochOutput fields of an output, without the mechanism extras. */
function epochFields(o: EpochOutput): unknown {
  const { mechanisms, mechanismEmission, emission, votingStake, ...rest } = o as MechanismEpochOutput;
  void mechanisms, mechanismEmission, emission, votingStake;
  return plain(rest);
}

/** The single-mechanism input of one mechanism of `input`, distributing `rao`. */
function mechanismAlone(input: MechanismEpochInput, m: number, rao: bigint): EpochInput {
  const { mechanisms, emissionSplit, ...shared } = input;
  void emissionSplit;
  return { ...shared, ...mechanisms[m], raoEmission: rao };
}

const sumOf = (v: bigint[]) => v.reduce((a, b) => a + b, 0n);

describe('epochs with mechanisms: Wasm engine against the literal epoch_with_mechanisms reference', () => {
  it('fixed mode: identical outputs (aggregate and every mechanism) on both paths, any hyper-parameters', () => {
    fc.assert(
      fc.property(arbMechanismEpochInput({ maxN: 10 }), arbHyperparams(), fc.constantFrom(...PATHS), (input, hyper, path) => {
        const opts = { mode: 'fixed' as const, path };
        expect(plain(engine.epoch(input, hyper, opts))).toEqual(plain(reference.epoch(input, hyper, opts)));
      }),
      { numRuns: 150 },
    );
  });

  it('float mode: identical outputs on both paths (no liquid alpha, where the two use the same exp)', () => {
    fc.assert(
      fc.property(arbMechanismEpochInput({ maxN: 10 }), arbHyperparams({ variant: 'yuma3' }).chain((h) => fc.constantFrom(h, { ...h, yuma3Enabled: false })), fc.constantFrom(...PATHS), (input, hyper, path) => {
        const opts = { mode: 'float' as const, path };
        expect(plain(engine.epoch(input, hyper, opts))).toEqual(plain(reference.epoch(input, hyper, opts)));
      }),
      { numRuns: 150 },
    );
  });

  it('dense path: mechanisms after the first read the permits the previous one wrote (sparse: the stored ones)', () => {
    // Permits change this epoch: UID 1 had none and gets one. On the sparse path mechanism 1 still reads the old
    // permits, so UID 1's weights are masked there too; on the dense path mechanism 1 reads mechanism 0's new ones.
    const rows = [[[2, 65535]], [[3, 65535]], [], []] as Array<Array<[number, number]>>;
    const mech = { weights: rows, bonds: [[], [], [], []] as Array<Array<[number, number]>>, lastUpdate: [10, 10, 10, 10] };
    const input: MechanismEpochInput = {
      n: 4, currentBlock: 10, tempo: 360, lastStepBlock: 0,
      stake: [1000n, 1000n, 0n, 0n], blockAtRegistration: [0, 0, 0, 0], validatorPermit: [true, false, false, false],
      raoEmission: 1_000_000n, mechanisms: [mech, mech],
    };
    for (const mode of MODES) {
      const sparse = engine.epoch(input, {}, { mode, path: 'sparse' });
      expect(sparse.mechanisms[1].incentive[3], `${mode} sparse: UID 1's weight is masked in mechanism 1`).toBe(0);
      const dense = engine.epoch(input, {}, { mode, path: 'dense' });
      expect(dense.mechanisms[0].incentive[3], `${mode} dense mechanism 0`).toBe(0);
      expect(dense.mechanisms[1].incentive[3], `${mode} dense: mechanism 1 counts UID 1's weight`).toBeGreaterThan(0);
      expect(plain(dense)).toEqual(plain(reference.epoch(input, {}, { mode, path: 'dense' })));
    }
  });
});

describe('exact integer helpers of the aggregation', () => {
  it('mulHi64(e, w) = floor(e·w / 2^64) for every e < 2^53 and w ≤ 2^64 (f64 limbs against BigInt)', () => {
    const e = fc.oneof(fc.bigInt({ min: 0n, max: 2n ** 53n - 1n }), fc.constantFrom(0n, 1n, 2n ** 53n - 1n, 2n ** 48n, 2n ** 32n - 1n));
    const w = fc.oneof(fc.bigInt({ min: 0n, max: 2n ** 64n }), fc.constantFrom(0n, 1n, 2n ** 63n, 2n ** 64n, 2n ** 64n - 1n));
    fc.assert(
      fc.property(e, w, (eb, wb) => {
        expect(mulHi64(Number(eb), Number(wb >> 32n), Number(wb & 0xffff_ffffn))).toBe(Number((eb * wb) >> 64n));
      }),
      { numRuns: 5000 },
    );
  });

  it('combinedEmission equals its BigInt definition at any emission, in both modes (f64 fast path and BigInt path)', () => {
    const raw = fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 2 ** 32 }), fc.constant(2 ** 32));
    fc.assert(
      fc.property(fc.array(fc.tuple(raw, raw), { minLength: 1, maxLength: 20 }), fc.oneof(fc.bigInt({ min: 0n, max: 2n ** 53n }), fc.bigInt({ min: 0n, max: U64_MAX })), (views, rao) => {
        const n = views.length;
        const out = {
          validatorEmission: new Array<bigint>(n).fill(7n),
          float: { incentive: Float64Array.from(views, ([a]) => a / 2 ** 32), dividends: Float64Array.from(views, ([, b]) => b / 2 ** 32) },
        } as unknown as EpochOutput;
        // fixed: floor(floor((I + D)·2^32 / Σ) · rao / 2^32), I32F32 and I96F32 truncation
        const comb = views.map(([a, b]) => BigInt(a + b));
        const total = comb.reduce((x, y) => x + y, 0n);
        const fixed = total === 0n ? out.validatorEmission : comb.map((c) => (((c << 32n) / total) * rao) >> 32n);
        expect(combinedEmission(out, rao, 'fixed')).toEqual(fixed);
        // float: floor(share · rao) exactly, share = (I + D) / Σ in f64, never more than rao in total
        const got = combinedEmission(out, rao, 'float');
        if (total === 0n) expect(got).toEqual(out.validatorEmission);
        else {
          let t = 0;
          views.forEach(([a, b]) => (t += a / 2 ** 32 + b / 2 ** 32));
          const exact = views.map(([a, b]) => floorShareTimes((a / 2 ** 32 + b / 2 ** 32) / t, rao));
          const paid = exact.reduce((x, y) => x + y, 0n);
          if (paid <= rao) expect(got).toEqual(exact);
          else expect(got.reduce((x, y) => x + y, 0n)).toBe(rao);
        }
      }),
      { numRuns: 3000 },
    );
  });
});

describe('epochs with mechanisms: properties', () => {
  it('one mechanism equals the plain epoch (and its own mechanisms[0]), emission = combined emission, voting stake = stake', () => {
    fc.assert(
      fc.property(arbEpochInput({ maxN: 12 }), arbHyperparams(), fc.constantFrom(...MODES), fc.constantFrom(...PATHS), (base, hyper, mode, path) => {
        const { weights, bonds, lastUpdate, commitBlocks, ...shared } = base;
        const one = engine.epoch({ ...shared, mechanisms: [{ weights, bonds, lastUpdate, commitBlocks }] }, hyper, { mode, path });
        const want = engine.epoch(base, hyper, { mode, path });
        expect(epochFields(one)).toEqual(plain(want));
        expect(plain(one.mechanisms)).toEqual(plain([want]));
        expect(one.mechanismEmission).toEqual([base.raoEmission]);
        expect(one.emission).toEqual(combinedEmission(want, base.raoEmission, mode));
        expect(one.votingStake).toEqual(Array.from(base.stake, BigInt));
      }),
      { numRuns: 200 },
    );
  });

  it('k identical mechanisms (sparse path): each mechanism\'s bonds and consensus are one mechanism\'s; the aggregate consensus, dividends, validator trust and stake weight at most k steps below; emissions at most k − 1 rao below in fixed mode, within k rao either way in float', () => {
    // The dense test twin would let mechanisms 2…k read the permits mechanism 1 wrote, so they are not identical
    // epochs there; the chain's path is sparse.
    fc.assert(
      fc.property(
        arbEpochInput({ maxN: 12 }),
        arbHyperparams(),
        fc.constantFrom(...MODES),
        fc.integer({ min: 2, max: 6 }).chain((k) => fc.tuple(fc.constant(k), fc.option(arbEmissionSplit(k), { nil: undefined }))),
        (base, hyper, mode, [k, split]) => {
          const { weights, bonds, lastUpdate, commitBlocks, ...shared } = base;
          const mech = { weights, bonds, lastUpdate, commitBlocks };
          const out = engine.epoch({ ...shared, mechanisms: new Array(k).fill(mech), ...(split ? { emissionSplit: split } : {}) }, hyper, { mode });
          const one = engine.epoch(base, hyper, { mode });
          const slack = BigInt(mode === 'fixed' ? k - 1 : k);
          for (const f of ['serverEmission', 'validatorEmission'] as const) {
            out[f].forEach((got, i) => {
              const want = one[f][i];
              const ok = mode === 'fixed' ? got <= want && got + slack >= want : (got > want ? got - want : want - got) <= slack;
              expect(ok, `${f}[${i}]: ${got} vs ${want} (k = ${k})`).toBe(true);
            });
          }
          for (const m of out.mechanisms) {
            expect(plain(m.bonds)).toEqual(plain(one.bonds));
            expect(Array.from(m.consensus)).toEqual(Array.from(one.consensus));
          }
          for (const f of ['consensus', 'dividends', 'validatorTrust', 'stakeWeight'] as const) {
            out[f].forEach((got, i) => expect(got <= one[f][i] && got + k >= one[f][i], `${f}[${i}] ${got} vs ${one[f][i]}`).toBe(true));
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('the aggregate is its mechanisms recombined with the chain’s weighted_acc_u16 / weighted_acc_alpha, sums and ORs', () => {
    fc.assert(
      fc.property(arbMechanismEpochInput({ maxN: 12, maxMechanisms: 5 }), arbHyperparams(), fc.constantFrom(...MODES), fc.constantFrom(...PATHS), (input, hyper, mode, path) => {
        const out = engine.epoch(input, hyper, { mode, path });
        const n = input.n;
        const total = BigInt(input.raoEmission);
        const w = out.mechanismEmission.map((e, m) => subWeight(e, total, m));
        expect(sumOf(out.mechanismEmission)).toBe(total);
        for (let i = 0; i < n; i++) {
          let sw = 0;
          let cons = 0;
          let div = 0;
          let vt = 0;
          let em = 0n;
          let se = 0n;
          let ve = 0n;
          out.mechanisms.forEach((o, m) => {
            sw = weightedAccU16(sw, o.stakeWeight[i], w[m]);
            cons = weightedAccU16(cons, o.consensus[i], w[m]);
            div = weightedAccU16(div, o.dividends[i], w[m]);
            vt = weightedAccU16(vt, o.validatorTrust[i], w[m]);
            em = weightedAccAlpha(em, combinedEmission(o, out.mechanismEmission[m], mode)[i], w[m]);
            se += o.serverEmission[i];
            ve += o.validatorEmission[i];
          });
          expect([out.stakeWeight[i], out.consensus[i], out.dividends[i], out.validatorTrust[i]]).toEqual([sw, cons, div, vt]);
          expect([out.emission[i], out.serverEmission[i], out.validatorEmission[i]]).toEqual([em, se, ve]);
          expect(out.active[i]).toBe(out.mechanisms.some((o) => o.active[i]));
          expect(out.validatorPermit[i]).toBe(out.mechanisms.some((o) => o.validatorPermit[i]));
          expect(out.votingStake[i]).toBe(BigInt(input.stake[i]) * BigInt(out.mechanisms.length));
        }
        expect(Array.from(out.incentive)).toEqual(Array.from(out.mechanisms[0].incentive));
        expect(plain(out.bonds)).toEqual(plain(out.mechanisms[0].bonds));
      }),
      { numRuns: 200 },
    );
  });

  it('no split ever pays more than the subnet’s emission, nor a mechanism more than its part (emissions up to u64::MAX)', () => {
    fc.assert(
      fc.property(
        arbMechanismEpochInput({ maxN: 12, maxMechanisms: 16, maxEmission: U64_MAX }),
        arbHyperparams(),
        fc.constantFrom(...MODES),
        fc.constantFrom(...PATHS),
        (input, hyper, mode, path) => {
          const out = engine.epoch(input, hyper, { mode, path });
          const total = BigInt(input.raoEmission);
          expect(sumOf(out.mechanismEmission)).toBe(total);
          out.mechanisms.forEach((o, m) => {
            expect(sumOf(o.serverEmission) + sumOf(o.validatorEmission) <= out.mechanismEmission[m]).toBe(true);
          });
          expect(sumOf(out.serverEmission) + sumOf(out.validatorEmission) <= total).toBe(true);
          expect(sumOf(out.emission) <= total).toBe(true);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('batches mixing plain epochs and 1–16 mechanisms equal one call per item (one thread and two)', () => {
    const item = fc.oneof(
      fc.record({ input: arbEpochInput({ maxN: 10 }), hyper: arbHyperparams() }),
      fc.record({ input: arbMechanismEpochInput({ maxN: 10, maxMechanisms: 16 }), hyper: arbHyperparams() }),
    ) as fc.Arbitrary<BatchItem>;
    fc.assert(
      fc.property(fc.array(item, { maxLength: 6 }), fc.constantFrom(...MODES), fc.constantFrom(...PATHS), (batch, mode, path) => {
        const singles = plain(batch.map((b) => engine.epoch(b.input, b.hyper, { mode, path })));
        expect(plain(engine.epochs(batch, { mode, path }))).toEqual(singles);
        expect(plain(threaded.epochs(batch, { mode, path }))).toEqual(singles);
      }),
      { numRuns: 100 },
    );
  });
});

describe('epochs with mechanisms: bad input', () => {
  const mech = () => ({ weights: [[[1, 65535]], []] as Array<Array<[number, number]>>, bonds: [[], []] as Array<Array<[number, number]>>, lastUpdate: [5, 5] });
  const good = (): MechanismEpochInput => ({
    n: 2, currentBlock: 10, tempo: 360, lastStepBlock: 0, stake: [1000n, 10n], blockAtRegistration: [0, 0],
    validatorPermit: [true, false], raoEmission: 1000n, mechanisms: [mech(), mech()],
  });
  const cases: Array<[string, string, (i: MechanismEpochInput) => unknown]> = [
    ['weights next to mechanisms', 'E_ARG', (i) => ({ ...i, weights: [[], []] })],
    ['bonds next to mechanisms', 'E_ARG', (i) => ({ ...i, bonds: [[], []] })],
    ['lastUpdate next to mechanisms', 'E_ARG', (i) => ({ ...i, lastUpdate: [0, 0] })],
    ['commitBlocks next to mechanisms', 'E_ARG', (i) => ({ ...i, commitBlocks: [null, null] })],
    ['no mechanisms', 'E_SHAPE', (i) => ({ ...i, mechanisms: [] })],
    ['17 mechanisms', 'E_LIMIT', (i) => ({ ...i, mechanisms: Array.from({ length: 17 }, mech) })],
    ['mechanisms not an array', 'E_SHAPE', (i) => ({ ...i, mechanisms: { 0: mech() } })],
    // eslint-disable-next-line no-sparse-arrays
    ['a hole for a mechanism', 'E_SHAPE', (i) => ({ ...i, mechanisms: [mech(), , mech()] })],
    ['undefined for a mechanism', 'E_ARG', (i) => ({ ...i, mechanisms: [mech(), undefined] })],
    ['a mechanism field the chain does not have', 'E_ARG', (i) => ({ ...i, mechanisms: [mech(), { ...mech(), incentive: [0, 0] }] })],
    ['a mechanism without bonds', 'E_SHAPE', (i) => ({ ...i, mechanisms: [mech(), { weights: [[], []], lastUpdate: [0, 0] }] })],
    ['a mechanism lastUpdate of the wrong length', 'E_SHAPE', (i) => ({ ...i, mechanisms: [mech(), { ...mech(), lastUpdate: [1, 2, 3] }] })],
    ['a mechanism dense weights of the wrong length', 'E_SHAPE', (i) => ({ ...i, mechanisms: [mech(), { ...mech(), weights: new Uint16Array(3), bonds: new Uint16Array(4) }] })],
    ['a mechanism commitBlocks of the wrong length', 'E_SHAPE', (i) => ({ ...i, mechanisms: [mech(), { ...mech(), commitBlocks: [1] }] })],
    ['mechanisms in different layouts', 'E_SHAPE', (i) => ({ ...i, mechanisms: [mech(), { weights: new Uint16Array(4), bonds: new Uint16Array(4), lastUpdate: [0, 0] }] })],
    ['a split with one part for two mechanisms', 'E_SHAPE', (i) => ({ ...i, emissionSplit: [65535] })],
    ['a split with three parts for two mechanisms', 'E_SHAPE', (i) => ({ ...i, emissionSplit: [65533, 1, 1] })],
    ['a split summing to 65534', 'E_RANGE', (i) => ({ ...i, emissionSplit: [30000, 35534] })],
    ['a split summing to 65536', 'E_RANGE', (i) => ({ ...i, emissionSplit: [30000, 35536] })],
    ['a split part above u16', 'E_RANGE', (i) => ({ ...i, emissionSplit: [65536, -1] })],
    ['a NaN split part', 'E_NAN', (i) => ({ ...i, emissionSplit: [NaN, 65535] })],
    ['a split that is not an array', 'E_SHAPE', (i) => ({ ...i, emissionSplit: '32767,32768' })],
    ['an emission split without mechanisms', 'E_ARG', (i) => ({ ...mechanismAlone(i, 0, 1000n), emissionSplit: [65535] })],
    ['a negative emission', 'E_RANGE', (i) => ({ ...i, raoEmission: -1n })],
  ];

  it.each(cases)('%s → YumaError %s, the input untouched, the engine still right', (_name, code, make) => {
    const input = make(good()) as MechanismEpochInput;
    const before = plain(input);
    const want = plain(engine.epoch(good()));
    for (const e of [engine, threaded, reference]) {
      expect(errorCode(() => e.epoch(input))).toBe(code);
      expect(errorCode(() => e.epochs([{ input: good() }, { input }]))).toBe(code);
    }
    expect(plain(input)).toEqual(before);
    expect(plain(engine.epoch(good()))).toEqual(want);
  });

  it('a mechanism whose getter throws → YumaError E_ARG naming it, on every engine', () => {
    const input = { ...good(), mechanisms: [mech(), { ...mech(), get bonds(): never { throw new Error('boom'); } }] };
    for (const e of [engine, threaded, reference]) {
      expect(errorCode(() => e.epoch(input))).toBe('E_ARG');
      expect(() => e.epoch(input)).toThrow(/mechanisms\[1\]/);
    }
  });

  it('names the mechanism whose vector is wrong', () => {
    const input = { ...good(), mechanisms: [mech(), { ...mech(), lastUpdate: [1, 2, 3] }] };
    expect(() => engine.epoch(input)).toThrow(/mechanisms\[1\]\.lastUpdate has length 3, expected n = 2/);
    expect(() => engine.epochs([{ input: good() }, { input }])).toThrow(/batch\[1\]: mechanisms\[1\]\.lastUpdate/);
  });
});
