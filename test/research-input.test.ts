import { describe, expect, it } from 'vitest';
import { YUMA_VERSIONS, YumaError, defaultConfig, simulateCase, yuma2bEpoch, yuma3Epoch, yumaEpoch, MAX_CELLS } from '../src/research/index.js';
import { errorCode } from './helpers/errors.js';

const W = [
  [1, 0],
  [0, 1],
];
const ok = { version: 'yuma3' as const, weights: [W, W], stakes: [[3, 1], [3, 1]] };
const run = (patch: Record<string, unknown>) => () => simulateCase({ ...ok, ...patch } as never);
/** Every output of an epoch as its float bits (NaN and -0 kept apart), enumerable matrices included. */
const bits = (r: object): string => JSON.stringify(r, (_k, v) => (typeof v === 'number' ? (Object.is(v, -0) ? '-0' : String(v)) : ArrayBuffer.isView(v) ? Array.from(v as Float64Array, (x) => (Object.is(x, -0) ? '-0' : String(x))) : v));

describe('research input checks: bad input throws YumaError with a code', () => {
  it('the valid base input runs', () => {
    expect(simulateCase(ok)).toHaveLength(2);
  });

  it('unknown version → E_ARG', () => {
    expect(errorCode(run({ version: 'yuma4' }))).toBe('E_ARG');
    expect(errorCode(run({ version: undefined }))).toBe('E_ARG');
    expect(errorCode(() => yumaEpoch('nope' as never, { weights: W, stakes: [1, 1] }))).toBe('E_ARG');
  });

  it('unknown config key → E_ARG (as the simulator’s with_overrides raises); bad types and ranges have their codes', () => {
    expect(errorCode(run({ config: { kapa: 0.5 } }))).toBe('E_ARG');
    expect(errorCode(run({ config: { bond_penalty: 0.5 } }))).toBe('E_ARG');
    expect(errorCode(run({ config: { kappa: '0.5' } }))).toBe('E_ARG');
    expect(errorCode(run({ config: { kappa: NaN } }))).toBe('E_NAN');
    expect(errorCode(run({ config: { kappa: 1.5 } }))).toBe('E_RANGE');
    expect(errorCode(run({ config: { alphaLow: 0.5, alphaHigh: 0.2 } }))).toBe('E_RANGE');
    expect(errorCode(run({ config: { liquidAlphaConsensusMode: 'LATEST' } }))).toBe('E_ARG');
    expect(errorCode(run({ config: { liquidAlpha: 1 } }))).toBe('E_ARG');
    expect(errorCode(run({ config: [0.5] }))).toBe('E_ARG');
  });

  it('unknown top-level key or option → E_ARG; bad option values → E_ARG / E_RANGE', () => {
    expect(errorCode(run({ epochs: 3 }))).toBe('E_ARG');
    expect(errorCode(run({ precision: 'f16' }))).toBe('E_ARG');
    expect(errorCode(run({ nonFinite: 'yes' }))).toBe('E_ARG');
    expect(errorCode(run({ degenerateConsensus: 'riscv' }))).toBe('E_ARG');
    expect(errorCode(run({ legacyConsensus: 1 }))).toBe('E_ARG');
    expect(errorCode(run({ fullMatrices: { validators: 0, servers: 1 } }))).toBe('E_RANGE');
    expect(errorCode(run({ fullMatrices: { validators: 3, servers: 1 } }))).toBe('E_SHAPE');
    expect(errorCode(() => yuma3Epoch({ weights: W, stakes: [1, 1] }, {}, { speed: 'fast' } as never))).toBe('E_ARG');
    expect(errorCode(() => yuma3Epoch({ weights: W, stakes: [1, 1], bonds: W } as never))).toBe('E_ARG');
  });

  it('ragged matrices → E_SHAPE (a short row, an epoch of another shape, a non-array)', () => {
    expect(errorCode(run({ weights: [[[1, 0], [1]], W] }))).toBe('E_SHAPE');
    expect(errorCode(run({ weights: [W, [[1, 0, 0], [0, 1, 0]]] }))).toBe('E_SHAPE');
    expect(errorCode(run({ weights: [W, [[1, 0]]] }))).toBe('E_SHAPE');
    expect(errorCode(run({ weights: 'W' }))).toBe('E_SHAPE');
    expect(errorCode(run({ weights: [] }))).toBe('E_SHAPE');
    expect(errorCode(run({ weights: [[[]]], stakes: [[1]] }))).toBe('E_SHAPE');
  });

  it('stakes of the wrong length or epoch count → E_SHAPE; all-zero stake → E_RANGE', () => {
    expect(errorCode(run({ stakes: [[3, 1, 1], [3, 1]] }))).toBe('E_SHAPE');
    expect(errorCode(run({ stakes: [[3, 1]] }))).toBe('E_SHAPE');
    expect(errorCode(run({ stakes: [[0, 0], [3, 1]] }))).toBe('E_RANGE');
    expect(errorCode(() => yuma3Epoch({ weights: W, stakes: [1] }))).toBe('E_SHAPE');
  });

  it('NaN, ∞, holes, non-numbers and negative weights or stakes → E_NAN / E_SHAPE / E_ARG / E_RANGE', () => {
    expect(errorCode(run({ weights: [[[NaN, 0], [0, 1]], W] }))).toBe('E_NAN');
    expect(errorCode(run({ stakes: [[Infinity, 1], [3, 1]] }))).toBe('E_NAN');
    // eslint-disable-next-line no-sparse-arrays
    expect(errorCode(run({ weights: [[[, 0], [0, 1]], W] }))).toBe('E_SHAPE');
    expect(errorCode(run({ weights: [[['1', 0], [0, 1]], W] }))).toBe('E_ARG');
    expect(errorCode(run({ weights: [[[-1, 0], [0, 1]], W] }))).toBe('E_RANGE');
    expect(errorCode(run({ stakes: [[-3, 1], [3, 1]] }))).toBe('E_RANGE');
    expect(errorCode(() => yuma3Epoch({ weights: W, stakes: [1, 1], bondsOld: [[NaN, 0], [0, 0]] }))).toBe('E_NAN');
    expect(errorCode(() => yuma3Epoch({ weights: W, stakes: [1, 1], consensusOld: [0] }))).toBe('E_SHAPE');
    expect(errorCode(() => yuma3Epoch({ weights: W, stakes: [1, 1], weightsPrev: W }))).toBe('E_ARG');
    expect(errorCode(() => yuma2bEpoch({ weights: W, stakes: [1, 1], weightsPrev: [[1, 0]] }))).toBe('E_SHAPE');
  });

  it('resetBonds outside the case → E_RANGE; unknown key → E_ARG', () => {
    expect(errorCode(run({ resetBonds: { epoch: 2, column: 0 } }))).toBe('E_RANGE');
    expect(errorCode(run({ resetBonds: { epoch: 1, column: 2 } }))).toBe('E_RANGE');
    expect(errorCode(run({ resetBonds: { epoch: 1, column: 0, row: 1 } }))).toBe('E_ARG');
    expect(errorCode(run({ resetBonds: { epoch: 1.5, column: 0 } }))).toBe('E_RANGE');
  });

  it('throwing getters and Proxies surface as YumaError, never another error type', () => {
    const trap = new Proxy([W, W], {
      get(t, k) {
        if (k === '1') throw new Error('boom');
        return Reflect.get(t, k);
      },
    });
    const caught = (() => {
      try {
        simulateCase({ ...ok, weights: trap });
      } catch (e) {
        return e;
      }
    })();
    expect(caught).toBeInstanceOf(YumaError);
    expect((caught as YumaError).code).toBe('E_ARG');
    const getter = { version: 'yuma3', weights: [W], stakes: [[1, 1]], get config(): never { throw new Error('no'); } };
    expect(errorCode(() => simulateCase(getter as never))).toBe('E_ARG');
  });

  it('a matrix above the documented MAX_CELLS entries → E_LIMIT before anything is allocated for it', () => {
    const rows = 8193;
    const cols = Math.floor(MAX_CELLS / 8192) + 1; // holey rows: nothing to read before the size check
    const weights = new Array(rows).fill(new Array(cols));
    expect(rows * cols).toBeGreaterThan(MAX_CELLS);
    expect(errorCode(() => yuma3Epoch({ weights, stakes: new Array(rows).fill(1) }))).toBe('E_LIMIT');
    expect(errorCode(() => simulateCase({ version: 'yuma1', weights: [weights], stakes: [new Array(rows).fill(1)] }))).toBe('E_LIMIT');
  });

  it('the input arrays are not modified (the state is copied before a bond reset)', () => {
    const weights = [W.map((r) => [...r]), W.map((r) => [...r])];
    const snapshot = JSON.stringify(weights);
    const out = simulateCase({ version: 'yuma3', weights, stakes: [[3, 1], [3, 1]], resetBonds: { epoch: 1, column: 0 } });
    expect(JSON.stringify(weights)).toBe(snapshot);
    // The first epoch's returned bonds keep their column 0 although the state was zeroed before epoch 1.
    expect(out[0].validatorBonds[0][0]).toBeGreaterThan(0.02);
  });

  it('overrideConsensusHigh / Low and alphaTaoRatio are accepted and read by no version: every output equals the run without them (all six versions, with and without liquid alpha)', () => {
    const weights = [[[0.7, 0.3], [0.2, 0.8], [1, 0]], [[0, 1], [0.5, 0.5], [0.9, 0.1]], [[0.3, 0.7], [1, 0], [0, 1]]];
    const stakes = weights.map(() => [0.5, 0.3, 0.2]);
    const unread = { overrideConsensusHigh: 0.9, overrideConsensusLow: 0.1, alphaTaoRatio: 0.25 };
    let compared = 0;
    for (const version of YUMA_VERSIONS) for (const liquidAlpha of [false, true]) {
      const plain = simulateCase({ version, weights, stakes, config: { liquidAlpha } });
      const withUnread = simulateCase({ version, weights, stakes, config: { liquidAlpha, ...unread } });
      expect(withUnread.map(bits), `${version} liquidAlpha ${liquidAlpha}`).toEqual(plain.map(bits));
      compared++;
    }
    expect(compared).toBe(12);
  });

  it('resetBonds zeroes the column before its epoch for Yuma 2C, 3 and 3 liquid (that epoch equals one fed the zeroed bonds) and changes nothing for Yuma 1, 2 and 2B', () => {
    const weights = [[[0.7, 0.3], [0.2, 0.8], [1, 0]], [[0, 1], [0.5, 0.5], [0.9, 0.1]], [[0.3, 0.7], [1, 0], [0, 1]]];
    const stakes = weights.map(() => [0.5, 0.3, 0.2]);
    const resetBonds = { epoch: 2, column: 1 };
    for (const version of YUMA_VERSIONS) {
      const plain = simulateCase({ version, weights, stakes });
      const reset = simulateCase({ version, weights, stakes, resetBonds });
      if (version === 'yuma1' || version === 'yuma2' || version === 'yuma2b') {
        expect(reset.map(bits), version).toEqual(plain.map(bits));
        continue;
      }
      expect(reset.slice(0, 2).map(bits), version).toEqual(plain.slice(0, 2).map(bits));
      const zeroed = plain[1].validatorBonds.map((row) => Float64Array.from(row, (x, j) => (j === 1 ? 0 : x)));
      expect(zeroed.some((row, i) => row[1] !== plain[1].validatorBonds[i][1]), `${version}: the reset column held bonds`).toBe(true);
      const fed = yumaEpoch(version, { weights: weights[2], stakes: stakes[2], bondsOld: zeroed, consensusOld: version === 'yuma2c' ? null : plain[1].serverConsensusWeight } as never);
      expect(bits(reset[2]), version).toEqual(bits(fed));
      expect(bits(reset[2]), version).not.toEqual(bits(plain[2]));
    }
  });

  it('defaults per version are the simulator’s chart-generator parameter sets', () => {
    expect(defaultConfig('yuma1').bondMovingAvg).toBe(0);
    expect(defaultConfig('yuma2').bondMovingAvg).toBe(0.1);
    expect(defaultConfig('yuma3')).toMatchObject({ bondMovingAvg: 0.975, alphaLow: 0.1, alphaHigh: 0.3, liquidAlpha: false });
    expect(defaultConfig('yuma3-liquid')).toMatchObject({ bondMovingAvg: 0.975, liquidAlpha: true, alphaSigmoidSteepness: 10, liquidAlphaConsensusMode: 'MIXED' });
    expect(defaultConfig('yuma2c')).toMatchObject({ capacityAlpha: 0.1, decayRate: 0.1, kappa: 0.5, bondPenalty: 0.99 });
  });
});

describe('research results are plain data', () => {
  it('matrices built on first access (clipped weights, W_b, bonds bought) are enumerable: spread and JSON see them, assignment replaces them', () => {
    const [r] = simulateCase({ version: 'yuma2', weights: [[[1, 3], [2, 2]]], stakes: [[1, 1]] });
    expect(Object.keys(r)).toEqual(expect.arrayContaining(['consensusClippedWeight', 'weightForBond', 'validatorBond', 'validatorEmaBond', 'validatorBonds']));
    const json = JSON.parse(JSON.stringify(r, (_k, v) => (v instanceof Float64Array ? Array.from(v) : v)));
    expect(json.consensusClippedWeight).toEqual(r.consensusClippedWeight.map((row) => Array.from(row)));
    expect(json.validatorBond).toEqual(r.validatorBond!.map((row) => Array.from(row)));
    const copy = { ...r };
    expect(copy.weightForBond).toBe(r.weightForBond);
    r.consensusClippedWeight = [];
    expect(r.consensusClippedWeight).toEqual([]);
  });
});
