import { gunzipSync } from 'node:zlib';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createEngineSync, fromJSON, toJSON, YumaError, type EpochInputLike, type EpochOutput, type MechanismEpochInputLike, type MechanismEpochOutput } from '../src/index.js';
import { expectYumaError } from './helpers/errors.js';
import { plain } from './helpers/json.js';

/** Bonds as one n·n list, whether the epoch gave them as a dense Uint16Array or as sparse [uid, value] rows. */
function denseBonds(bonds: EpochOutput['bonds'], n: number): number[] {
  if (bonds instanceof Uint16Array) return Array.from(bonds);
  const out = new Array<number>(n * n).fill(0);
  (bonds as Array<Array<[number, number]>>).forEach((row, i) => row.forEach(([j, v]) => (out[i * n + j] = v)));
  return out;
}

const engine = createEngineSync();

// One 4-UID epoch, written five ways. The answer is the README's: incentive 3/4 and 1/4 on miners 2 and 3.
const base = {
  n: 4,
  currentBlock: 1000,
  tempo: 360,
  lastStepBlock: 0,
  lastUpdate: [999, 999, 999, 999],
  blockAtRegistration: [1, 1, 1, 1],
  validatorPermit: [true, true, false, false],
};
const sparse: EpochInputLike = {
  ...base,
  stake: [1000n * 10n ** 9n, 500n * 10n ** 9n, 0n, 0n],
  weights: [[[2, 65535], [3, 32768]], [[2, 65535]], [], []],
  bonds: [[], [], [], []],
  raoEmission: 10n ** 9n,
};
const denseRows: EpochInputLike = {
  ...base,
  stake: ['1000000000000', '500000000000', '0', '0'],
  weights: [[0, 0, 65535, 32768], [0, 0, 65535, 0], [0, 0, 0, 0], [0, 0, 0, 0]],
  bonds: [[0, 0, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0]],
  raoEmission: '1000000000',
};
const flat: EpochInputLike = {
  ...denseRows,
  weights: [0, 0, 65535, 32768, 0, 0, 65535, 0, 0, 0, 0, 0, 0, 0, 0, 0],
  bonds: new Array(16).fill(0),
};
const typed: EpochInputLike = {
  ...denseRows,
  stake: BigUint64Array.from([1000n * 10n ** 9n, 500n * 10n ** 9n, 0n, 0n]),
  weights: Uint16Array.from([0, 0, 65535, 32768, 0, 0, 65535, 0, 0, 0, 0, 0, 0, 0, 0, 0]),
  bonds: new Uint16Array(16),
  raoEmission: 10n ** 9n,
};
const typedRows: EpochInputLike = {
  ...denseRows,
  weights: [Uint16Array.of(0, 0, 65535, 32768), Uint16Array.of(0, 0, 65535, 0), new Uint16Array(4), new Uint16Array(4)],
  bonds: [new Uint16Array(4), new Uint16Array(4), new Uint16Array(4), new Uint16Array(4)],
  raoEmission: 1_000_000_000,
};

describe('one input format for the library and the CLI', () => {
  const want = engine.epoch(sparse);

  it('sparse rows, dense number[][] with decimal-string rao, a flat number[], a Uint16Array and typed rows give the same epoch: every output field, the float views and the bonds entry for entry', () => {
    expect(Array.from(want.incentive)).toEqual([0, 0, 49151, 16383]);
    const wantBonds = denseBonds(want.bonds, 4);
    // the epoch bonds the two validators to the miners: a comparison of all-zero bonds would show nothing
    expect(wantBonds.filter((b) => b > 0).length).toBeGreaterThan(0);
    for (const input of [denseRows, flat, typed, typedRows]) {
      const out = engine.epoch(input);
      // every dense spelling is the dense layout: bonds come back as a Uint16Array of n·n
      expect(out.bonds).toBeInstanceOf(Uint16Array);
      expect((out.bonds as Uint16Array).length).toBe(16);
      expect(Object.keys(out).sort()).toEqual(Object.keys(want).sort());
      expect(plain({ ...out, bonds: denseBonds(out.bonds, 4) })).toEqual(plain({ ...want, bonds: wantBonds }));
    }
  });

  it('a conformance line (dense rows, rao as strings) runs through engine.epoch as parsed from JSON', () => {
    const line = JSON.parse(gunzipSync(readFileSync(new URL('fixtures/chain-sparse-epochs.jsonl.gz', import.meta.url))).toString('utf8').split('\n')[3]);
    const out = engine.epoch(line.input, line.hyper);
    const json = toJSON(out);
    for (const k of ['stakeWeight', 'consensus', 'incentive', 'dividends', 'validatorTrust', 'bonds', 'serverEmission', 'validatorEmission'] as const) {
      expect(json[k], k).toEqual(line.output[k]);
    }
  });

  it('dense rows of the wrong length are E_SHAPE naming the row, not "must be a [uid, value] pair"', () => {
    const bad = { ...denseRows, weights: [[0, 0, 65535], [0, 0, 65535, 0], [0, 0, 0, 0], [0, 0, 0, 0]] };
    const e = expectYumaError(() => engine.epoch(bad), 'E_SHAPE');
    expect(e.message).toMatch(/weights\[0\] has 3 values; dense rows need n = 4/);
    expect(e.message).not.toMatch(/must be a \[uid, value\] pair/);
    expectYumaError(() => engine.epoch({ ...flat, weights: new Array(15).fill(0) }), 'E_SHAPE');
  });

  it('values outside u16 or u64 are refused with YumaError, never wrapped', () => {
    expectYumaError(() => engine.epoch({ ...denseRows, weights: [[0, 0, 65536, 0], [0, 0, 1, 0], [0, 0, 0, 0], [0, 0, 0, 0]] }), 'E_RANGE');
    expectYumaError(() => engine.epoch({ ...flat, weights: [0, 0, -1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0] }), 'E_RANGE');
    expectYumaError(() => engine.epoch({ ...denseRows, weights: [[0, 0, 1.5, 0], [0, 0, 1, 0], [0, 0, 0, 0], [0, 0, 0, 0]] }), 'E_RANGE');
    expectYumaError(() => engine.epoch({ ...denseRows, stake: ['18446744073709551616', '0', '0', '0'] }), 'E_RANGE');
    expectYumaError(() => engine.epoch({ ...denseRows, stake: ['12.5', '0', '0', '0'] }), 'E_ARG');
    expectYumaError(() => engine.epoch({ ...denseRows, raoEmission: '-5' }), 'E_ARG');
    expectYumaError(() => engine.epoch({ ...denseRows, weights: [[0, 0, 1, 0], [[2, 1]], [], []] as never }), 'E_SHAPE');
  });
});

describe('mechanism inputs take the same spellings, in their types too', () => {
  // Typed as MechanismEpochInputLike with no cast: dense number[][] and decimal-string blocks and rao per mechanism.
  const twoMechanisms: MechanismEpochInputLike = {
    ...base,
    lastUpdate: undefined,
    stake: ['1000000000000', '500000000000', '0', '0'],
    raoEmission: '2000000000',
    mechanisms: [
      { weights: denseRows.weights, bonds: denseRows.bonds, lastUpdate: ['999', '999', '999', '999'] },
      { weights: [0, 0, 65535, 32768, 0, 0, 65535, 0, 0, 0, 0, 0, 0, 0, 0, 0], bonds: new Array(16).fill(0), lastUpdate: [999, 999, 999, 999] },
    ],
    emissionSplit: [32768, 32767],
  };

  it('a two-mechanism epoch written with dense rows and strings equals the same epoch in sparse rows and bigints', () => {
    const got = engine.epoch(twoMechanisms);
    const sparseMech = { weights: sparse.weights, bonds: sparse.bonds, lastUpdate: [999, 999, 999, 999] };
    const canonical = engine.epoch({ ...base, lastUpdate: undefined, stake: sparse.stake, raoEmission: 2n * 10n ** 9n, mechanisms: [sparseMech, sparseMech], emissionSplit: [32768, 32767] });
    expect(got.mechanismEmission).toEqual(canonical.mechanismEmission);
    // mechanism 1: floor(2e9 · 32767 / 65535) = floor(999 984 740.98); mechanism 0 the rest
    expect(got.mechanismEmission).toEqual([1000015260n, 999984740n]);
    expect(Array.from(got.mechanisms[0].incentive)).toEqual([0, 0, 49151, 16383]);
    expect(Array.from(got.mechanisms[1].incentive)).toEqual([0, 0, 49151, 16383]);
    // every field of the aggregate and of each mechanism, the dense bonds read entry for entry against the sparse
    const dense = (o: EpochOutput) => ({ ...o, bonds: denseBonds(o.bonds, 4) });
    const whole = (o: MechanismEpochOutput) => plain({ ...dense(o), mechanisms: o.mechanisms.map(dense) });
    expect(got.mechanisms).toHaveLength(2);
    expect(Object.keys(got).sort()).toEqual(Object.keys(canonical).sort());
    expect(whole(got)).toEqual(whole(canonical));
  });
});

describe('toJSON / fromJSON', () => {
  const outs: Array<[string, EpochOutput]> = [
    ['sparse layout', engine.epoch(sparse)],
    ['dense layout', engine.epoch(typed)],
  ];
  for (const [name, out] of outs) {
    it(`round-trips an EpochOutput through JSON.stringify (${name}): bigints as decimal strings, typed arrays back`, () => {
      const text = JSON.stringify(toJSON(out));
      const json = JSON.parse(text);
      expect(json.serverEmission.every((x: unknown) => typeof x === 'string')).toBe(true);
      expect(json.bonds).toHaveLength(4);
      const back = fromJSON(json);
      expect(back.incentive).toBeInstanceOf(Uint16Array);
      expect(back.float.consensus).toBeInstanceOf(Float64Array);
      expect(back.serverEmission).toEqual(out.serverEmission);
      expect(back).toEqual(out);
    });
  }

  it('round-trips an epoch with two mechanisms: each mechanism, mechanismEmission, emission and votingStake back as they were, bigints and typed arrays', () => {
    const { weights: _w, bonds: _b, lastUpdate: _l, ...shared } = sparse;
    const out = engine.epoch({
      ...shared,
      emissionSplit: [16384, 49151],
      mechanisms: [
        { weights: [[[2, 65535]], [[2, 65535]], [], []], bonds: [[], [], [], []], lastUpdate: [999, 999, 999, 999] },
        { weights: [[[3, 65535]], [[2, 65535]], [], []], bonds: [[], [], [], []], lastUpdate: [999, 999, 999, 999] },
      ],
    } as never) as EpochOutput & { mechanismEmission: bigint[]; emission: bigint[]; votingStake: bigint[] };
    expect(out.mechanismEmission).toEqual([250_003_815n, 749_996_185n]);
    const back = fromJSON(JSON.parse(JSON.stringify(toJSON(out)))) as typeof out;
    expect(back.mechanismEmission).toEqual([250_003_815n, 749_996_185n]);
    expect(back.emission.every((x) => typeof x === 'bigint')).toBe(true);
    expect(back).toEqual(out);
    expect(() => fromJSON({ ...JSON.parse(JSON.stringify(toJSON(out))), mechanismEmission: ['1'] })).toThrow(YumaError);
  });

  it('refuses what JSON cannot hold (NaN, a function, a cycle: E_ARG), and bad JSON outputs with YumaError (a u16 above 65535 or a rao amount outside u64 is E_RANGE)', () => {
    expectYumaError(() => toJSON({ x: Number.NaN }), 'E_ARG');
    expectYumaError(() => toJSON({ f: () => 1 }), 'E_ARG');
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expectYumaError(() => toJSON(cyclic), 'E_ARG');
    const good = JSON.parse(JSON.stringify(toJSON(engine.epoch(sparse))));
    expectYumaError(() => fromJSON({ ...good, incentive: [0, 0, 70000, 0] }), 'E_RANGE');
    expectYumaError(() => fromJSON({ ...good, serverEmission: ['1', '2', '3'] }), 'E_SHAPE');
    expectYumaError(() => fromJSON({ ...good, validatorEmission: ['1', '2', 'x', '4'] }), 'E_RANGE');
    // a rao amount outside u64, as the README's fromJSON paragraph states: E_RANGE (u64::MAX itself decodes)
    expectYumaError(() => fromJSON({ ...good, serverEmission: ['0', '0', '18446744073709551616', '0'] }), 'E_RANGE');
    expectYumaError(() => fromJSON({ ...good, validatorEmission: ['-1', '0', '0', '0'] }), 'E_RANGE');
    expect(fromJSON({ ...good, serverEmission: ['0', '0', '18446744073709551615', '0'] }).serverEmission[2]).toBe(2n ** 64n - 1n);
    expect(() => fromJSON(null)).toThrow(YumaError);
  });
});

describe('error messages state the code once', () => {
  it('a YumaError built from another one\'s message, and a batch error, carry the code exactly once', () => {
    const inner = new YumaError('E_RANGE', 'stake[0] exceeds u64');
    const wrapped = new YumaError('E_RANGE', inner.message);
    expect(wrapped.message).toBe('E_RANGE: stake[0] exceeds u64');
    expect(wrapped.detail).toBe('stake[0] exceeds u64');
    const e = expectYumaError(() => engine.epochs([{ input: sparse }, { input: { ...denseRows, stake: ['x', '0', '0', '0'] } }]), 'E_ARG');
    expect(e.message.match(/E_[A-Z]+/g)).toEqual(['E_ARG']);
    expect(e.message).toMatch(/^E_ARG: batch\[1\]: stake\[0\]/);
  });
});
