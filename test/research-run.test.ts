import { describe, expect, it } from 'vitest';
import { YUMA_VERSIONS, YumaRun, resetsBonds, simulateCase, yumaEpoch, type YumaEpochResult, type YumaPrecision, type YumaRunEpoch, type YumaVersion } from '../src/research/index.js';
import { Rng } from '../src/rng.js';
import { expectYumaError } from './helpers/errors.js';

// YumaRun (flat epochs in, views out, state in a Wasm instance of its own) must give simulateCase's bits.

const V = 7;
const M = 11;
const E = 6;

function makeCase(seed: number): { weights: Float64Array[][]; flat: Float64Array[]; stakes: Float64Array[] } {
  const rng = new Rng(seed);
  const weights: Float64Array[][] = [];
  const flat: Float64Array[] = [];
  const stakes: Float64Array[] = [];
  for (let e = 0; e < E; e++) {
    const f = new Float64Array(V * M);
    for (let i = 0; i < f.length; i++) f[i] = rng.next() < 0.8 ? Math.round(rng.next() * 65535) : 0;
    flat.push(f);
    weights.push(Array.from({ length: V }, (_, v) => f.subarray(v * M, (v + 1) * M)));
    stakes.push(Float64Array.from({ length: V }, () => 1 + Math.round(rng.next() * 1e4)));
  }
  return { weights, flat, stakes };
}

const row = (a: Float64Array[]) => {
  const out = new Float64Array(a.length * M);
  a.forEach((r, v) => out.set(r, v * M));
  return out;
};

function expectSameBits(run: YumaRunEpoch<YumaPrecision>, ref: YumaEpochResult, where: string): void {
  expect(Array.from(run.weight), `${where} weight`).toEqual(Array.from(row(ref.weight)));
  expect(Array.from(run.validatorBonds), `${where} bonds`).toEqual(Array.from(row(ref.validatorBonds)));
  for (const k of ['stake', 'serverPrerank', 'serverConsensusWeight', 'serverRank', 'serverIncentive', 'serverTrust', 'validatorTrust', 'validatorReward', 'validatorRewardNormalized'] as const) {
    const a = run[k];
    const b = ref[k];
    expect(a === undefined, `${where} ${k} present`).toBe(b === undefined);
    if (a && b) expect(Array.from(a), `${where} ${k}`).toEqual(Array.from(b));
  }
  expect(run.degenerateConsensus).toBe(ref.degenerateConsensus);
}

describe('YumaRun (flat epochs, state in its own Wasm instance)', () => {
  for (const version of YUMA_VERSIONS as readonly YumaVersion[]) for (const precision of ['f64', 'f32'] as const) {
    it(`${version}, ${precision}: every output of 6 chained epochs (bond reset before epoch 3) is bit-identical to simulateCase`, () => {
      const c = makeCase(16 + version.length);
      const resetBonds = { epoch: 3, column: 4 };
      const ref = simulateCase({ version, weights: c.weights, stakes: c.stakes, resetBonds, precision });
      const run = new YumaRun(version, { validators: V, servers: M }, undefined, { precision });
      for (let e = 0; e < E; e++) {
        if (e === resetBonds.epoch && resetsBonds(version)) run.resetBondColumn(resetBonds.column);
        expectSameBits(run.epoch(c.flat[e], c.stakes[e]), ref[e], `${version} epoch ${e}`);
      }
      expect(run.epochCount).toBe(E);
    });
  }

  it('Float32Array weights give the bits of the same values as Float64Array: every output of 6 chained epochs', () => {
    const c = makeCase(3);
    const a = new YumaRun('yuma3', { validators: V, servers: M });
    const b = new YumaRun('yuma3', { validators: V, servers: M });
    for (let e = 0; e < E; e++) {
      const x = a.epoch(c.flat[e], c.stakes[e]);
      const y = b.epoch(Float32Array.from(c.flat[e]), c.stakes[e]);
      expect(Object.keys(y).sort()).toEqual(Object.keys(x).sort());
      for (const k of Object.keys(x) as Array<keyof typeof x>) {
        const [xv, yv] = [x[k], y[k]];
        if (ArrayBuffer.isView(xv)) expect(Array.from(yv as Float64Array), `epoch ${e} ${k}`).toEqual(Array.from(xv as Float64Array));
        else expect(yv, `epoch ${e} ${k}`).toBe(xv);
      }
    }
  });

  for (const version of ['yuma2b', 'yuma3'] as const) for (const precision of ['f64', 'f32'] as const) {
    it(`${version}, ${precision}: weights written into weightsInput() give simulateCase's bits for 6 chained epochs, and the view still holds them after each`, () => {
      const c = makeCase(40 + version.length);
      const ref = simulateCase({ version, weights: c.weights, stakes: c.stakes, precision });
      const run = new YumaRun(version, { validators: V, servers: M }, undefined, { precision });
      const input = run.weightsInput();
      expect(input).toBeInstanceOf(precision === 'f32' ? Float32Array : Float64Array);
      expect(input.length).toBe(V * M);
      for (let e = 0; e < E; e++) {
        const again = run.weightsInput();
        expect(again.buffer, 'the same memory every epoch').toBe(input.buffer);
        expect(again.byteOffset, 'the same buffer every epoch').toBe(input.byteOffset);
        input.set(c.flat[e]);
        expectSameBits(run.epoch(input, c.stakes[e]), ref[e], `${version} epoch ${e}`);
        expect(Array.from(input), `epoch ${e}: the input is not normalised in place`).toEqual(Array.from(precision === 'f32' ? Float32Array.from(c.flat[e]) : c.flat[e]));
      }
    });
  }

  it('weightsInput(): a NaN or negative weight written there is refused (named by index) and the state is kept', () => {
    const c = makeCase(44);
    const ref = simulateCase({ version: 'yuma3', weights: c.weights, stakes: c.stakes });
    const run = new YumaRun('yuma3', { validators: V, servers: M });
    const input = run.weightsInput();
    input.set(c.flat[0]);
    run.epoch(input, c.stakes[0]);
    input.set(c.flat[1]);
    input[V * M - 2] = NaN;
    expect(expectYumaError(() => run.epoch(input, c.stakes[1]), 'E_NAN').message).toContain(`weights[${V * M - 2}]`);
    input.set(c.flat[1]);
    input[3] = -2;
    expect(expectYumaError(() => run.epoch(input, c.stakes[1]), 'E_RANGE').message).toContain('weights[3]');
    expect(run.epochCount).toBe(1);
    for (let e = 1; e < E; e++) {
      input.set(c.flat[e]);
      expectSameBits(run.epoch(input, c.stakes[e]), ref[e], `epoch ${e} after refusals`);
    }
  });

  it("precision 'f32': f64 weights that float32 must round (several staging chunks, an odd tail) give the bits of Float32Array.from of them", () => {
    // 131 × 263 = 34 453 entries: two full 16 384-entry chunks and a tail that is not a multiple of 4.
    const shape = { validators: 131, servers: 263 };
    const rng = new Rng(77);
    const a = new YumaRun('yuma2c', shape, undefined, { precision: 'f32' });
    const b = new YumaRun('yuma2c', shape, undefined, { precision: 'f32' });
    for (let e = 0; e < 3; e++) {
      const w = Float64Array.from({ length: shape.validators * shape.servers }, () => (rng.next() < 0.9 ? rng.next() * 1e3 + 1e-9 : 0));
      const s = Float64Array.from({ length: shape.validators }, () => 1 + rng.next() * 100);
      const x = a.epoch(w, s);
      const y = b.epoch(Float32Array.from(w), s);
      expect(Array.from(x.weight), `epoch ${e} weight`).toEqual(Array.from(y.weight));
      expect(Array.from(x.validatorBonds), `epoch ${e} bonds`).toEqual(Array.from(y.validatorBonds));
      expect(Array.from(x.validatorRewardNormalized), `epoch ${e} dividends`).toEqual(Array.from(y.validatorRewardNormalized));
    }
  });

  it('keeps its state while other research calls (yumaEpoch, simulateCase) run between its epochs', () => {
    const c = makeCase(5);
    const ref = simulateCase({ version: 'yuma2c', weights: c.weights, stakes: c.stakes });
    const run = new YumaRun('yuma2c', { validators: V, servers: M });
    for (let e = 0; e < E; e++) {
      const out = run.epoch(c.flat[e], c.stakes[e]);
      const bonds = out.validatorBonds.slice();
      yumaEpoch('yuma3', { weights: c.weights[0], stakes: c.stakes[0] });
      simulateCase({ version: 'yuma1', weights: c.weights.slice(0, 2), stakes: c.stakes.slice(0, 2) });
      expect(Array.from(bonds), `epoch ${e}`).toEqual(Array.from(row(ref[e].validatorBonds)));
    }
  });

  it('refuses a NaN or ±∞ (E_NAN, named by index), a negative weight (E_RANGE), a wrong length (E_SHAPE), a non-typed array (E_ARG) and zero stake (E_RANGE), and the next epoch still gives simulateCase bits', () => {
    const c = makeCase(9);
    const ref = simulateCase({ version: 'yuma3-liquid', weights: c.weights, stakes: c.stakes });
    const run = new YumaRun('yuma3-liquid', { validators: V, servers: M });
    run.epoch(c.flat[0], c.stakes[0]);
    const nan = c.flat[1].slice();
    nan[V * M - 3] = NaN;
    expect(expectYumaError(() => run.epoch(nan, c.stakes[1]), 'E_NAN').message).toContain(`weights[${V * M - 3}]`);
    for (const inf of [Infinity, -Infinity]) {
      const w = c.flat[1].slice();
      w[M + 1] = inf;
      expect(expectYumaError(() => run.epoch(w, c.stakes[1]), 'E_NAN').message).toContain(`weights[${M + 1}]`);
    }
    const neg = c.flat[1].slice();
    neg[M + 2] = -1;
    expect(expectYumaError(() => run.epoch(neg, c.stakes[1]), 'E_RANGE').message).toContain(`weights[${M + 2}]`);
    expectYumaError(() => run.epoch(c.flat[1].subarray(1), c.stakes[1]), 'E_SHAPE');
    expectYumaError(() => run.epoch(Array.from(c.flat[1]) as unknown as Float64Array, c.stakes[1]), 'E_ARG');
    expectYumaError(() => run.epoch(c.flat[1], new Float64Array(V)), 'E_RANGE');
    expectYumaError(() => run.epoch(c.flat[1], c.stakes[1].subarray(1)), 'E_SHAPE');
    expect(run.epochCount).toBe(1);
    for (let e = 1; e < E; e++) expectSameBits(run.epoch(c.flat[e], c.stakes[e]), ref[e], `epoch ${e} after refusals`);
  });

  it('a stakes getter that detaches the weights\' buffer (structuredClone transfer) is E_SHAPE, not a TypeError, and the next epoch still gives simulateCase bits', () => {
    const c = makeCase(21);
    for (const precision of ['f64', 'f32'] as const) {
      const ref = simulateCase({ version: 'yuma3', weights: c.weights, stakes: c.stakes, precision });
      const run = new YumaRun('yuma3', { validators: V, servers: M }, undefined, { precision });
      run.epoch(c.flat[0], c.stakes[0]);
      for (const w of [c.flat[1].slice(), Float32Array.from(c.flat[1])]) {
        const stakes = Array.from(c.stakes[1]);
        Object.defineProperty(stakes, 1, { get: () => (structuredClone(w.buffer, { transfer: [w.buffer] }), c.stakes[1][1]) });
        expect(expectYumaError(() => run.epoch(w, stakes), 'E_SHAPE').message).toContain('weights has 0 entries');
      }
      expect(run.epochCount).toBe(1);
      for (let e = 1; e < E; e++) expectSameBits(run.epoch(c.flat[e], c.stakes[e]), ref[e], `${precision} epoch ${e} after the refusals`);
    }
  });

  it('stakes summing to 0 whose getter disposes the run are named E_RANGE before the disposal (E_STATE), in both precisions', () => {
    const c = makeCase(35);
    for (const precision of ['f64', 'f32'] as const) {
      const run = new YumaRun('yuma3', { validators: V, servers: M }, undefined, { precision });
      const stakes = new Array<number>(V).fill(0);
      Object.defineProperty(stakes, 1, { get: () => (run.dispose(), 0) });
      expect(expectYumaError(() => run.epoch(c.flat[0], stakes), 'E_RANGE').message).toContain('sum to 0');
      expect(run.disposed).toBe(true);
    }
  });

  it('a stakes getter that runs an epoch of the same run re-entrantly: both epochs read their own stakes and give simulateCase bits for the three epochs in the order they ran', () => {
    const c = makeCase(33);
    for (const precision of ['f64', 'f32'] as const) {
      const ref = simulateCase({ version: 'yuma3', weights: c.weights.slice(0, 3), stakes: c.stakes.slice(0, 3), precision });
      const run = new YumaRun('yuma3', { validators: V, servers: M }, undefined, { precision });
      run.epoch(c.flat[0], c.stakes[0]);
      const stakes = Array.from(c.stakes[2]);
      let inner: { incentive: number[]; dividends: number[] } | null = null;
      Object.defineProperty(stakes, 3, {
        get: () => {
          if (inner === null) {
            const r = run.epoch(c.flat[1], c.stakes[1]);
            inner = { incentive: Array.from(r.serverIncentive), dividends: Array.from(r.validatorRewardNormalized) };
          }
          return c.stakes[2][3];
        },
      });
      const outer = run.epoch(c.flat[2], stakes);
      expect(inner, `${precision} inner epoch`).toEqual({ incentive: Array.from(ref[1].serverIncentive), dividends: Array.from(ref[1].validatorRewardNormalized) });
      expectSameBits(outer, ref[2], `${precision} outer epoch`);
      expect(run.epochCount).toBe(3);
      expectSameBits(run.epoch(c.flat[3], c.stakes[3]), simulateCase({ version: 'yuma3', weights: c.weights.slice(0, 4), stakes: c.stakes.slice(0, 4), precision })[3], `${precision} the next epoch`);
    }
  });

  it("precision 'f32': the matrices are Float32Array views; a weight or stake beyond float32's range is E_RANGE (named by index) and the next epoch still gives simulateCase bits", () => {
    const c = makeCase(12);
    const ref = simulateCase({ version: 'yuma3', weights: c.weights, stakes: c.stakes, precision: 'f32' });
    const run = new YumaRun('yuma3', { validators: V, servers: M }, undefined, { precision: 'f32' });
    const first = run.epoch(c.flat[0], c.stakes[0]);
    expect(first.weight).toBeInstanceOf(Float32Array);
    expect(first.validatorBonds).toBeInstanceOf(Float32Array);
    expect(first.serverIncentive).toBeInstanceOf(Float64Array);
    const huge = c.flat[1].slice();
    huge[5] = 1e39;
    expect(expectYumaError(() => run.epoch(huge, c.stakes[1]), 'E_RANGE').message).toContain('weights[5]');
    const stakes = c.stakes[1].slice();
    stakes[2] = 1e39;
    expect(expectYumaError(() => run.epoch(c.flat[1], stakes), 'E_RANGE').message).toContain('stakes[2]');
    expectYumaError(() => simulateCase({ version: 'yuma3', weights: [c.weights[0].map((r, v) => (v === 1 ? r.map(() => 1e39) : r))], stakes: [c.stakes[0]], precision: 'f32' }), 'E_RANGE');
    expect(run.epochCount).toBe(1);
    for (let e = 1; e < E; e++) expectSameBits(run.epoch(c.flat[e], c.stakes[e]), ref[e], `epoch ${e} after refusals`);
  });

  it("stakes summing to 0, or (f32) one beyond float32's range, are named before a bad weight, through weightsInput() and a copy; the previous epoch's own stake view passed as stakes gives simulateCase's bits", () => {
    const c = makeCase(27);
    for (const precision of ['f64', 'f32'] as const) {
      const run = new YumaRun('yuma3', { validators: V, servers: M }, undefined, { precision });
      run.epoch(c.flat[0], c.stakes[0]);
      const bad = c.flat[1].slice();
      bad[M + 4] = NaN;
      const input = run.weightsInput();
      for (const w of [bad, (input.set(bad), input)]) {
        expect(expectYumaError(() => run.epoch(w, new Float64Array(V)), 'E_RANGE').message).toContain('sum to 0');
        if (precision === 'f32') {
          const huge = c.stakes[1].slice();
          huge[3] = 1e39;
          expect(expectYumaError(() => run.epoch(w, huge), 'E_RANGE').message).toContain('stakes[3]');
        }
        expect(expectYumaError(() => run.epoch(w, c.stakes[1]), 'E_NAN').message).toContain(`weights[${M + 4}]`);
      }
      expect(run.epochCount).toBe(1);
      // The stake output region is where the stakes are copied to: this epoch's stakes are read before it is written.
      const again = new YumaRun('yuma3', { validators: V, servers: M }, undefined, { precision });
      const shares = again.epoch(c.flat[0], c.stakes[0]).stake;
      const sharesCopy = shares.slice();
      const ref = simulateCase({ version: 'yuma3', weights: c.weights.slice(0, 2), stakes: [c.stakes[0], sharesCopy], precision });
      expectSameBits(again.epoch(c.flat[1], shares), ref[1], `${precision} stakes from the stake view`);
      expectSameBits(run.epoch(c.flat[1], c.stakes[1]), simulateCase({ version: 'yuma3', weights: c.weights.slice(0, 2), stakes: c.stakes.slice(0, 2), precision })[1], `${precision} epoch 1 after the refusals`);
    }
  });

  it('rows of 16 or more (normalisation reads the next row while it divides this one): a NaN, ±∞ or negative weight in the first, a middle or the last row, in each group of four of its 16-entry step, its 4-entry step or its single entries, is refused (named by index) through weightsInput() and a copied array, and the next epoch still gives simulateCase bits', () => {
    // 22 servers: one 16-entry step, one group of four, two single entries.
    const V2 = 5;
    const M2 = 22;
    const rng = new Rng(31);
    const flat = Array.from({ length: 3 }, () => Float64Array.from({ length: V2 * M2 }, () => (rng.next() < 0.8 ? Math.round(rng.next() * 65535) : 0)));
    const stakes = Array.from({ length: 3 }, () => Float64Array.from({ length: V2 }, () => 1 + Math.round(rng.next() * 1e4)));
    const rows = (f: Float64Array) => Array.from({ length: V2 }, (_, v) => f.subarray(v * M2, (v + 1) * M2));
    for (const precision of ['f32', 'f64'] as const) {
      const ref = simulateCase({ version: 'yuma3', weights: flat.map(rows), stakes, precision });
      const run = new YumaRun('yuma3', { validators: V2, servers: M2 }, undefined, { precision });
      const input = run.weightsInput();
      input.set(flat[0]);
      run.epoch(input, stakes[0]);
      let refused = 0;
      for (const v of [0, 2, V2 - 1]) {
        for (const m of [1, 6, 11, 14, 17, 21]) {
          for (const [bad, code] of [[NaN, 'E_NAN'], [Infinity, 'E_NAN'], [-Infinity, 'E_NAN'], [-1, 'E_RANGE']] as const) {
            const i = v * M2 + m;
            const copy = flat[1].slice();
            copy[i] = bad;
            expect(expectYumaError(() => run.epoch(copy, stakes[1]), code).message, `${precision} copy ${bad} at ${i}`).toContain(`weights[${i}]`);
            input.set(flat[1]);
            input[i] = bad;
            expect(expectYumaError(() => run.epoch(input, stakes[1]), code).message, `${precision} view ${bad} at ${i}`).toContain(`weights[${i}]`);
            refused += 2;
          }
        }
      }
      expect(refused).toBe(144);
      expect(run.epochCount).toBe(1);
      for (let e = 1; e < 3; e++) {
        input.set(flat[e]);
        const out = run.epoch(input, stakes[e]);
        const want = ref[e];
        const flatRef = (a: Float64Array[]) => {
          const o = new Float64Array(V2 * M2);
          a.forEach((r, v) => o.set(r, v * M2));
          return Array.from(o);
        };
        expect(Array.from(out.weight), `${precision} epoch ${e} weight`).toEqual(flatRef(want.weight));
        expect(Array.from(out.validatorBonds), `${precision} epoch ${e} bonds`).toEqual(flatRef(want.validatorBonds));
        expect(Array.from(out.serverPrerank), `${precision} epoch ${e} prerank`).toEqual(Array.from(want.serverPrerank));
        expect(Array.from(out.validatorRewardNormalized), `${precision} epoch ${e} dividends`).toEqual(Array.from(want.validatorRewardNormalized));
      }
    }
  });

  it('refuses bad construction: unknown version or option (E_ARG), a zero or fractional side (E_RANGE), too many cells (E_LIMIT), a bad reset column (E_RANGE)', () => {
    expectYumaError(() => new YumaRun('yuma9' as YumaVersion, { validators: 2, servers: 2 }), 'E_ARG');
    expectYumaError(() => new YumaRun('yuma3', { validators: 2, servers: 2 }, undefined, { speed: 1 } as never), 'E_ARG');
    expectYumaError(() => new YumaRun('yuma3', { validators: 2, servers: 2 }, undefined, { precision: 'f16' as never }), 'E_ARG');
    expectYumaError(() => new YumaRun('yuma3', { validators: 0, servers: 2 }), 'E_RANGE');
    expectYumaError(() => new YumaRun('yuma3', { validators: 1.5, servers: 2 }), 'E_RANGE');
    expectYumaError(() => new YumaRun('yuma3', { validators: 1 << 13, servers: 1 << 12 }), 'E_LIMIT');
    expectYumaError(() => new YumaRun('yuma3', { validators: 2, servers: 2 }, { kappa: 0.5, speed: 1 } as never), 'E_ARG');
    expectYumaError(() => new YumaRun('yuma3', { validators: 2, servers: 2 }).resetBondColumn(2), 'E_RANGE');
  });
});
