import { describe, expect, it } from 'vitest';
import { YumaError } from '../src/errors.js';
import { prepareEpoch, resolveHyper } from '../src/epoch/prepare.js';
import { DEFAULT_HYPERPARAMS, type EpochInput } from '../src/epoch/types.js';
import { PackedRows } from '../src/epoch/packed-rows.js';
import { packRow } from '../src/subnet/neurons.js';
import { createEngineSync } from '../src/engine.js';
import { toJSON } from '../src/epoch/json.js';

function base(n = 3): EpochInput {
  return {
    n,
    currentBlock: 100,
    tempo: 10,
    lastStepBlock: 0,
    stake: Array.from({ length: n }, (_, i) => BigInt(i + 1) * 1000n),
    weights: new Uint16Array(n * n),
    bonds: new Uint16Array(n * n),
    lastUpdate: Array(n).fill(90),
    blockAtRegistration: Array(n).fill(1),
    validatorPermit: Array(n).fill(true),
    raoEmission: 1_000_000_000n,
  };
}

function code(f: () => unknown): string | undefined {
  try {
    f();
  } catch (e) {
    if (e instanceof YumaError) return e.code;
    throw e;
  }
  return undefined;
}

describe('prepareEpoch', () => {
  it('canonicalises a dense input and marks non-zero entries as present', () => {
    const input = base(2);
    input.weights = Uint16Array.from([0, 7, 3, 0]);
    const p = prepareEpoch(input);
    expect(p.mode).toBe('fixed');
    expect(p.path).toBe('sparse');
    expect(p.layout).toBe('dense');
    expect(Array.from(p.weightsPresent)).toEqual([0, 1, 1, 0]);
    expect(Array.from(p.stake)).toEqual([1000n, 2000n]);
    expect(p.ownerUid).toBe(-1);
    expect(p.commitBlocks).toBeNull();
    expect(p.hyper).toEqual(DEFAULT_HYPERPARAMS);
  });

  it('keeps explicit zeros of sparse rows, whatever their order', () => {
    const input = base(3);
    input.weights = [[[2, 5], [1, 0]], [], [[0, 65535]]];
    input.bonds = [[], [], []];
    const p = prepareEpoch(input);
    expect(p.layout).toBe('sparse');
    expect(Array.from(p.weights)).toEqual([0, 0, 5, 0, 0, 0, 65535, 0, 0]);
    expect(Array.from(p.weightsPresent)).toEqual([0, 1, 1, 0, 0, 0, 1, 0, 0]);
  });

  it('does not keep references to, or change, the caller arrays', () => {
    const input = base(2);
    const w = Uint16Array.from([0, 9, 9, 0]);
    input.weights = w;
    const p = prepareEpoch(input);
    p.weights[1] = 1;
    expect(Array.from(w)).toEqual([0, 9, 9, 0]);
  });

  it('pads a short permit vector and records its length', () => {
    const input = base(3);
    input.validatorPermit = [true];
    const p = prepareEpoch(input);
    expect(Array.from(p.validatorPermit)).toEqual([1, 0, 0]);
    expect(p.permitLength).toBe(1);
  });

  it('rejects bad input with typed errors', () => {
    expect(code(() => prepareEpoch({ ...base(), stake: [1n, 2n] }))).toBe('E_SHAPE');
    expect(code(() => prepareEpoch({ ...base(), stake: [1n, -2n, 3n] }))).toBe('E_RANGE');
    expect(code(() => prepareEpoch({ ...base(), stake: [1n, 1n << 64n, 3n] }))).toBe('E_RANGE');
    expect(code(() => prepareEpoch({ ...base(), stake: [1n, 1n << 62n, 1n << 62n] }))).toBe('E_RANGE');
    expect(code(() => prepareEpoch({ ...base(), lastUpdate: [1, NaN, 3] }))).toBe('E_NAN');
    expect(code(() => prepareEpoch({ ...base(), currentBlock: -1 }))).toBe('E_RANGE');
    expect(code(() => prepareEpoch({ ...base(), weights: new Uint16Array(8) }))).toBe('E_SHAPE');
    expect(code(() => prepareEpoch({ ...base(), weights: [[[0, 70000]], [], []], bonds: [[], [], []] }))).toBe('E_RANGE');
    expect(code(() => prepareEpoch({ ...base(), weights: [[[3, 1]], [], []], bonds: [[], [], []] }))).toBe('E_RANGE');
    expect(code(() => prepareEpoch({ ...base(), weights: [[[1, 1], [1, 2]], [], []], bonds: [[], [], []] }))).toBe('E_SHAPE');
    expect(code(() => prepareEpoch({ ...base(), weights: [[], [], []] }))).toBe('E_SHAPE'); // layouts differ
    expect(code(() => prepareEpoch({ ...base(), validatorPermit: [true, true, true, true] }))).toBe('E_SHAPE');
    expect(code(() => prepareEpoch({ ...base(), ownerUid: 3 }))).toBe('E_RANGE');
    expect(code(() => prepareEpoch({ ...base(), raoEmission: 1n << 64n }))).toBe('E_RANGE');
    expect(code(() => prepareEpoch({ ...base(), n: 5000 }))).toBe('E_LIMIT');
    expect(code(() => prepareEpoch(base(), undefined, { mode: 'double' as never }))).toBe('E_ARG');
    expect(code(() => prepareEpoch(base(), undefined, { path: 'both' as never }))).toBe('E_ARG');
  });

  it('accepts n = 0', () => {
    const p = prepareEpoch({ ...base(0), weights: new Uint16Array(0), bonds: new Uint16Array(0) });
    expect(p.n).toBe(0);
  });
});

describe('resolveHyper', () => {
  it('fills defaults and keeps given values', () => {
    expect(resolveHyper({ kappa: 40000, yuma3Enabled: true })).toEqual({ ...DEFAULT_HYPERPARAMS, kappa: 40000, yuma3Enabled: true });
  });

  it('rejects unknown keys, out-of-range and inconsistent values', () => {
    expect(code(() => resolveHyper({ kapa: 1 } as never))).toBe('E_ARG');
    expect(code(() => resolveHyper({ kappa: 65536 }))).toBe('E_RANGE');
    expect(code(() => resolveHyper({ kappa: NaN }))).toBe('E_NAN');
    expect(code(() => resolveHyper({ bondsMovingAverage: 1_000_001 }))).toBe('E_RANGE');
    expect(code(() => resolveHyper({ alphaSigmoidSteepness: 40000 }))).toBe('E_RANGE');
    expect(code(() => resolveHyper({ alphaLow: 60000, alphaHigh: 50000 }))).toBe('E_RANGE');
    expect(code(() => resolveHyper({ liquidAlphaEnabled: 1 as never }))).toBe('E_ARG');
    expect(code(() => resolveHyper({ stakeThreshold: -1n }))).toBe('E_RANGE');
  });

  it('takes the fields hyper leaves out from a given base; a label that is no string, and a base that is null, a throwing Proxy or out of range, are YumaErrors (a TypeError or the Proxy\'s own Error escaped)', () => {
    const base = resolveHyper({ kappa: 40000 });
    expect(resolveHyper({ yuma3Enabled: true }, 'hyper', base)).toEqual({ ...DEFAULT_HYPERPARAMS, kappa: 40000, yuma3Enabled: true });
    expect(code(() => resolveHyper({}, Symbol('x') as never))).toBe('E_ARG');
    expect(code(() => resolveHyper({}, 'hyper', null as never))).toBe('E_ARG');
    const throwing = new Proxy({}, { get() { throw new Error('hostile getter'); }, ownKeys() { throw new Error('hostile keys'); } });
    expect(code(() => resolveHyper({}, 'hyper', throwing as never))).toBe('E_ARG');
    expect(code(() => resolveHyper({}, 'hyper', { ...base, kappa: 70000 }))).toBe('E_RANGE');
  });
});

describe('u64 vectors and the total-stake limit', () => {
  it('keeps every u64 exactly, from numbers (split into halves) and bigints', () => {
    const input = base(4);
    input.stake = [0, 2 ** 32 + 7, Number.MAX_SAFE_INTEGER, 123_456_789_012_345n] as never; // numbers are accepted too
    input.lastUpdate = [0, 2 ** 32 - 1, 2 ** 32, 0xffff_ffff_ffff_ffffn];
    const p = prepareEpoch(input);
    expect(Array.from(p.stake)).toEqual([0n, 2n ** 32n + 7n, 2n ** 53n - 1n, 123_456_789_012_345n]);
    expect(Array.from(p.lastUpdate)).toEqual([0n, 2n ** 32n - 1n, 2n ** 32n, 2n ** 64n - 1n]);
  });

  it('refuses bad elements with their index, and a total stake of 2^63 or more', () => {
    const input = base(3);
    input.stake = [1, -1, 2] as never;
    expect(() => prepareEpoch(input)).toThrow(/stake\[1\] is negative/);
    input.stake = [1, 2 ** 53, 2] as never;
    expect(() => prepareEpoch(input)).toThrow(/stake\[1\] is above 2\^53/);
    input.stake = [1n, 2n ** 64n, 2n];
    expect(code(() => prepareEpoch(input))).toBe('E_RANGE');
    input.stake = [1n, 0.5 as never, 2n];
    expect(code(() => prepareEpoch(input))).toBe('E_RANGE');
    input.stake = [2n ** 62n, 2n ** 62n - 1n, 0n];
    expect(prepareEpoch(input).stake[1]).toBe(2n ** 62n - 1n);
    input.stake = [2n ** 62n, 2n ** 62n, 0n];
    expect(() => prepareEpoch(input)).toThrow(/total stake 9223372036854775808 rao is outside I64F64/);
    input.stake = [2n ** 62n, 2n ** 61n, 2 ** 52] as never;
    expect(code(() => prepareEpoch(input))).toBeUndefined();
    input.stake = [2n ** 62n, 2n ** 61n + 2n ** 60n + 2n ** 59n + 2n ** 58n, 2n ** 58n];
    expect(code(() => prepareEpoch(input))).toBe('E_RANGE');
  });
});

describe('packed rows (the neuron table hands the engine its rows as (uid << 16) | value)', () => {
  const pairs = [[[2, 5], [1, 0]], [], [[0, 65535], [2, 7]]] as Array<Array<[number, number]>>;
  const packed = (rows: Array<Array<[number, number]>>) => new PackedRows(rows.map((r) => packRow(r)));

  it('read as the sparse layout: the same values, presence and explicit zeros as [uid, value] pairs', () => {
    const a = base(3);
    a.weights = pairs;
    a.bonds = [[], [[0, 9]], []];
    const b = { ...base(3), weights: packed(pairs), bonds: packed([[], [[0, 9]], []]) } as unknown as EpochInput;
    const pa = prepareEpoch(a);
    const pb = prepareEpoch(b);
    expect(pb.layout).toBe('sparse');
    expect(Array.from(pb.weights)).toEqual(Array.from(pa.weights));
    expect(Array.from(pb.weightsPresent)).toEqual(Array.from(pa.weightsPresent));
    expect(Array.from(pb.bonds)).toEqual(Array.from(pa.bonds));
    expect(Array.from(pb.weightsPresent)).toEqual([0, 1, 1, 0, 0, 0, 1, 0, 1]);
  });

  it('engine.epoch on packed rows equals the same epoch on pairs, bit for bit', () => {
    const engine = createEngineSync();
    const a = { ...base(3), weights: pairs, bonds: [[], [], []] } as EpochInput;
    const b = { ...base(3), weights: packed(pairs), bonds: packed([[], [], []]) } as unknown as EpochInput;
    expect(toJSON(engine.epoch(b))).toEqual(toJSON(engine.epoch(a)));
  });

  it('refuses a wrong row count, a non-Uint32Array row, a uid out of range and a uid listed twice', () => {
    const with_ = (w: unknown) => ({ ...base(3), weights: w, bonds: [[], [], []] }) as unknown as EpochInput;
    expect(code(() => prepareEpoch(with_(new PackedRows([new Uint32Array(0)]))))).toBe('E_SHAPE');
    expect(code(() => prepareEpoch(with_(new PackedRows([new Uint32Array(0), [] as never, new Uint32Array(0)]))))).toBe('E_SHAPE');
    expect(code(() => prepareEpoch(with_(new PackedRows([Uint32Array.of((3 << 16) | 1), new Uint32Array(0), new Uint32Array(0)]))))).toBe('E_RANGE');
    expect(code(() => prepareEpoch(with_(new PackedRows([Uint32Array.of(1 << 16, (1 << 16) | 2), new Uint32Array(0), new Uint32Array(0)]))))).toBe('E_SHAPE');
  });
});
