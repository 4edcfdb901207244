import { describe, expect, it } from 'vitest';
import type { Engine } from '../src/engine.js';
import { YumaError } from '../src/errors.js';
import { allocRawResult, toEpochOutput } from '../src/epoch/result.js';
import { prepareEpoch } from '../src/epoch/prepare.js';
import type { EpochInput, EpochOptions, EpochOutput, Hyperparams, MechanismEpochInput, MechanismEpochOutput, SparseRow } from '../src/epoch/types.js';
import { Subnet } from '../src/subnet/index.js';
import { vecU16MaxUpscaleToU16 } from '../src/subnet/max-upscale.js';
import { subtensorVectors } from './helpers/vectors.js';


/** Records what Subnet hands the engine and answers with scripted outputs (no kernels needed). */
class ScriptedEngine implements Engine {
  calls: Array<{ input: EpochInput; hyper?: Partial<Hyperparams>; opts?: EpochOptions }> = [];
  next: ((p: ReturnType<typeof prepareEpoch>) => Partial<EpochOutput>) | null = null;
  memoryBytes = 0;
  epoch(input: MechanismEpochInput, hyper?: Partial<Hyperparams>, opts?: EpochOptions): MechanismEpochOutput;
  epoch(input: EpochInput, hyper?: Partial<Hyperparams>, opts?: EpochOptions): EpochOutput;
  epoch(input: EpochInput | MechanismEpochInput, hyper?: Partial<Hyperparams>, opts?: EpochOptions): EpochOutput;
  epoch(input: EpochInput | MechanismEpochInput, hyper?: Partial<Hyperparams>, opts?: EpochOptions): EpochOutput {
    if (input.mechanisms !== undefined) throw new Error('the scripted engine runs single-mechanism epochs only');
    this.calls.push({ input: structuredClone(input), hyper, opts });
    const p = prepareEpoch(input, hyper, opts);
    const out = toEpochOutput(p, allocRawResult(p.n));
    return { ...out, ...(this.next ? this.next(p) : {}) };
  }
  epochs(): EpochOutput[] {
    throw new Error('not used');
  }
  runPrepared(): never {
    throw new Error('not used');
  }
  explainPathDivergence(): never {
    throw new Error('not used');
  }
  close(): void {}
}

const ERR = (code: string) => expect.objectContaining({ name: 'YumaError', code });

function snapshot(s: Subnet) {
  return JSON.stringify(
    {
      size: s.size,
      block: s.currentBlock,
      w: s.weightRows(),
      b: s.bondRows(),
      lu: s.lastUpdate(),
      reg: s.blockAtRegistration(),
      vp: s.validatorPermit(),
      st: s.stake(),
      d: Array.from(s.dividends()),
      e: s.emission(),
    },
    (_k, v) => (typeof v === 'bigint' ? v.toString() : v),
  );
}

describe('vecU16MaxUpscaleToU16 (set_weights storage)', () => {
  const cases = subtensorVectors;
  it('matches the chain test vectors', () => {
    const v = cases.find((c) => c.name === 'vec_u16_max_upscale_to_u16')!;
    expect(v).toBeDefined();
    // Chain test `test_math_vec_u16_max_upscale_to_u16` numbers, transcribed in the fixture.
    const ins = (v.inputs as { cases: number[][] }).cases;
    const exp = (v.expected as { cases: number[][] }).cases;
    expect(ins.length).toBe(10);
    ins.forEach((row, k) => expect(vecU16MaxUpscaleToU16(row), JSON.stringify(row)).toEqual(exp[k]));
  });
  it('rounds half away from zero through the large-max factor', () => {
    expect(vecU16MaxUpscaleToU16([43690, 21845])).toEqual([65535, 32768]);
    expect(vecU16MaxUpscaleToU16([16383, 32767, 49149, 65535])).toEqual([16383, 32767, 49149, 65535]);
    expect(vecU16MaxUpscaleToU16([32767, 32767])).toEqual([65535, 65535]);
    expect(vecU16MaxUpscaleToU16([0, 0])).toEqual([0, 0]);
    expect(vecU16MaxUpscaleToU16([1])).toEqual([65535]);
  });
});

describe('Subnet registration', () => {
  it('appends like append_neuron: blockAtRegistration and lastUpdate at the block, permit false', () => {
    const s = new Subnet({ engine: new ScriptedEngine(), n: 3, tempo: 1, block: 7 });
    expect(s.register('a')).toBe(0);
    expect(s.register('b', 3)).toBe(1);
    expect(s.size).toBe(2);
    expect(s.blockAtRegistration()).toEqual([7, 3]);
    expect(s.lastUpdate()).toEqual([7, 3]);
    expect(s.validatorPermit()).toEqual([false, false]);
    expect(s.uidOf('b')).toBe(1);
    expect(s.hotkey(0)).toBe('a');
  });

  it('replaces the lowest-emission UID when full, clearing its rows and zeroing weights on it', () => {
    const eng = new ScriptedEngine();
    const s = new Subnet({ engine: eng, n: 3, tempo: 1, block: 1 });
    ['v', 'm1', 'm2'].forEach((h) => s.register(h));
    s.addStake(0, 100n);
    s.setWeights(0, [1, 2], [40000, 20000]);
    s.setWeights(2, [2], [65535]);
    // Script an epoch that pays m2 the least and gives v bonds on both miners.
    eng.next = (p) => ({
      validatorPermit: [true, false, false],
      bonds: [[[1, 65535], [2, 65535]], [], []] as SparseRow[],
      validatorEmission: [500n, 0n, 0n],
      serverEmission: [0n, 300n, 200n],
      float: { ...toEpochOutput(p, allocRawResult(p.n)).float, incentive: Float64Array.from([0, 0.6, 0.4]), dividends: Float64Array.from([1, 0, 0]) },
    });
    s.epoch(1000n);
    // Emission = floor(norm(I + D)·rao) in I32F32: 0.4 is 1717986918 raw, so m2 gets 199 rao, not 200.
    expect(s.emission()).toEqual([500n, 300n, 199n]);
    s.nextBlock();
    const uid = s.register('fresh');
    expect(uid).toBe(2);
    expect(s.hotkey(2)).toBe('fresh');
    expect(s.uidOf('m2')).toBeUndefined();
    expect(s.blockAtRegistration()[2]).toBe(2);
    expect(s.lastUpdate()[2]).toBe(2); // replace_neuron restarts its weight timing
    expect(s.weightRows()[0]).toEqual([[1, 65535], [2, 0]]); // weights TO it zeroed, entry kept
    expect(s.weightRows()[2]).toEqual([]); // weights BY it removed
    expect(s.bondRows()[0]).toEqual([[1, 65535], [2, 65535]]); // column left to the recent-registration mask
    expect(s.emission()[2]).toBe(0n);
    expect(s.validatorPermit()[2]).toBe(false);
    expect(s.stake(2)).toBe(0n); // stake stays with the old hotkey
  });

  it('prefers non-immune UIDs, keeps minNonImmuneUids, and never prunes the owner', () => {
    const eng = new ScriptedEngine();
    const s = new Subnet({ engine: eng, n: 3, block: 0, immunityPeriod: 10, minNonImmuneUids: 0, ownerHotkey: 'own' });
    s.register('own'); // uid 0, emission 0: lowest but immortal
    s.register('old'); // uid 1
    s.nextBlock(20);
    s.register('young'); // uid 2, immune until block 30
    eng.next = () => ({ validatorEmission: [0n, 900n, 100n], serverEmission: [0n, 0n, 0n] });
    s.epoch(1000n);
    // young has the lower emission but is immune; old is the only non-immune candidate.
    expect(s.emission()).toEqual([0n, 900n, 100n]);
    expect(s.register('new')).toBe(1);
    // minNonImmuneUids 1: pruning old would leave no non-immune UID, so the immune young goes instead
    const keepOne = new ScriptedEngine();
    const k = new Subnet({ engine: keepOne, n: 3, block: 0, immunityPeriod: 10, minNonImmuneUids: 1, ownerHotkey: 'own' });
    k.register('own');
    k.register('old');
    k.nextBlock(20);
    k.register('young');
    keepOne.next = () => ({ validatorEmission: [0n, 900n, 100n], serverEmission: [0n, 0n, 0n] });
    k.epoch(1000n);
    expect(k.register('new')).toBe(2);
    expect([k.hotkey(0), k.hotkey(1), k.hotkey(2)]).toEqual(['own', 'old', 'new']);
    const t = new Subnet({ engine: new ScriptedEngine(), n: 1, ownerHotkey: 'own' });
    t.register('own');
    expect(() => t.register('x')).toThrow(ERR('E_STATE'));
  });

  it('refuses bad registrations without changing state', () => {
    const s = new Subnet({ engine: new ScriptedEngine(), n: 2 });
    s.register('a');
    const before = snapshot(s);
    expect(() => s.register('a')).toThrow(ERR('E_STATE'));
    expect(() => s.register('')).toThrow(ERR('E_ARG'));
    expect(() => s.register(5 as unknown as string)).toThrow(ERR('E_ARG'));
    expect(() => s.register('b', -1)).toThrow(ERR('E_RANGE'));
    expect(() => s.register('b', Number.NaN)).toThrow(ERR('E_NAN'));
    expect(snapshot(s)).toBe(before);
  });
});

describe('Subnet.setWeights', () => {
  const make = () => {
    const s = new Subnet({ engine: new ScriptedEngine(), n: 4, block: 5 });
    ['a', 'b', 'c', 'd'].forEach((h) => s.register(h));
    s.nextBlock(2);
    return s;
  };

  it('stores max-upscaled (uid, value) pairs in caller order, zeros included, and sets lastUpdate', () => {
    const s = make();
    s.setWeights(1, [3, 2, 0], [21845, 0, 43690]);
    expect(s.weightRows()[1]).toEqual([[3, 32768], [2, 0], [0, 65535]]);
    expect(s.lastUpdate()).toEqual([5, 7, 5, 5]);
    expect(s.weights()[1]).toEqual([65535, 0, 0, 32768]);
    s.setWeights(1, [], []);
    expect(s.weightRows()[1]).toEqual([]);
  });

  it('refuses bad rows without changing state', () => {
    const s = make();
    s.setWeights(0, [1], [100]);
    const before = snapshot(s);
    expect(() => s.setWeights(4, [1], [1])).toThrow(ERR('E_RANGE')); // setter not registered
    expect(() => s.setWeights(0, [4], [1])).toThrow(ERR('E_RANGE')); // target ≥ n
    expect(() => s.setWeights(0, [1, 1], [1, 2])).toThrow(ERR('E_SHAPE')); // duplicate
    expect(() => s.setWeights(0, [1, 2], [1])).toThrow(ERR('E_SHAPE')); // lengths
    expect(() => s.setWeights(0, [0, 1, 2, 3, 0], [1, 1, 1, 1, 1])).toThrow(ERR('E_SHAPE')); // longer than n
    expect(() => s.setWeights(0, [1], [Number.NaN])).toThrow(ERR('E_NAN'));
    expect(() => s.setWeights(0, [1], [65536])).toThrow(ERR('E_RANGE'));
    expect(() => s.setWeights(0, [1], [-1])).toThrow(ERR('E_RANGE'));
    expect(() => s.setWeights(0, [1], [0.5])).toThrow(ERR('E_RANGE'));
    expect(() => s.setWeights(0, [1.5], [1])).toThrow(ERR('E_RANGE'));
    expect(() => s.setWeights(0, 'x' as unknown as number[], [1])).toThrow(ERR('E_SHAPE'));
    expect(snapshot(s)).toBe(before);
  });

  it('optionally enforces validator permits like the extrinsic (self-weight always allowed)', () => {
    const eng = new ScriptedEngine();
    const s = new Subnet({ engine: eng, n: 2, requireValidatorPermit: true });
    s.register('a');
    s.register('b');
    expect(() => s.setWeights(0, [1], [1])).toThrow(ERR('E_STATE'));
    s.setWeights(0, [0], [1]);
    eng.next = () => ({ validatorPermit: [true, false] });
    s.epoch(0n);
    s.setWeights(0, [1], [1]);
    expect(s.weightRows()[0]).toEqual([[1, 65535]]);
  });
});

describe('Subnet.epoch', () => {
  it('hands the engine the stored state in the sparse layout with the path and mode', () => {
    const eng = new ScriptedEngine();
    const s = new Subnet({ engine: eng, n: 4, tempo: 10, mode: 'float', block: 1, hyper: { kappa: 40000 } });
    ['a', 'b', 'c'].forEach((h) => s.register(h));
    s.addStake(0, 5n);
    s.addStake(0, 7n);
    s.nextBlock();
    s.setWeights(0, [2, 1], [10, 20]);
    s.epoch(123n, { path: 'dense' });
    const call = eng.calls[0];
    expect(call.opts).toEqual({ mode: 'float', path: 'dense' });
    expect(call.hyper).toMatchObject({ kappa: 40000, activityCutoff: 138 }); // 13 889 ‰ of tempo 10
    expect(call.input).toMatchObject({
      n: 3,
      currentBlock: 2,
      tempo: 10,
      lastStepBlock: 0,
      stake: [12n, 0n, 0n],
      weights: [[[2, 32768], [1, 65535]], [], []],
      bonds: [[], [], []],
      lastUpdate: [2, 1, 1],
      blockAtRegistration: [1, 1, 1],
      validatorPermit: [false, false, false],
      raoEmission: 123n,
    });
    expect(s.lastStepBlock).toBe(2);
    s.setTempo(360);
    s.epoch(1n);
    expect(eng.calls[1].hyper).toMatchObject({ activityCutoff: 5000 });
    expect(eng.calls[1].input.lastStepBlock).toBe(2);
  });

  it('keeps lastStepBlock at 0 with recordStepBlock: false (the chain tests call the epoch directly)', () => {
    const s = new Subnet({ engine: new ScriptedEngine(), n: 2, recordStepBlock: false, block: 9 });
    s.register('a');
    s.epoch(1n);
    expect(s.lastStepBlock).toBe(0);
  });

  it('writes back bonds, permits and the per-UID outputs', () => {
    const eng = new ScriptedEngine();
    const s = new Subnet({ engine: eng, n: 2 });
    s.register('a');
    s.register('b');
    eng.next = () => ({
      bonds: [[[1, 0]], []] as SparseRow[],
      validatorPermit: [true, false],
      dividends: Uint16Array.from([65535, 0]),
      incentive: Uint16Array.from([0, 65535]),
      consensus: Uint16Array.from([0, 65535]),
      validatorTrust: Uint16Array.from([65535, 0]),
    });
    const out = s.epoch(10n);
    expect(out.validatorPermit).toEqual([true, false]);
    expect(s.bondRows()).toEqual([[[1, 0]], []]);
    expect(s.bonds()).toEqual([[0, 0], [0, 0]]);
    expect(Array.from(s.dividends())).toEqual([65535, 0]);
    expect(Array.from(s.incentive())).toEqual([0, 65535]);
    expect(Array.from(s.consensus())).toEqual([0, 65535]);
    expect(s.validatorPermit()).toEqual([true, false]);
    // Read-outs are copies.
    s.validatorPermit()[0] = false;
    s.dividends()[0] = 1;
    expect(s.validatorPermit()[0]).toBe(true);
    expect(s.dividends()[0]).toBe(65535);
  });

  it('changes nothing when the engine or the arguments refuse', () => {
    const eng = new ScriptedEngine();
    const s = new Subnet({ engine: eng, n: 2, block: 4 });
    s.register('a');
    s.addStake(0, 1n);
    const before = snapshot(s);
    expect(() => s.epoch(-1n)).toThrow(ERR('E_RANGE'));
    expect(() => s.epoch(1 as unknown as bigint)).toThrow(ERR('E_ARG'));
    expect(() => s.epoch(1n, { path: 'x' as 'dense' })).toThrow(ERR('E_ARG'));
    eng.next = () => {
      throw new YumaError('E_LIMIT', 'boom');
    };
    expect(() => s.epoch(1n)).toThrow(ERR('E_LIMIT'));
    expect(snapshot(s)).toBe(before);
    expect(s.lastStepBlock).toBe(0);
  });
});

describe('Subnet argument validation', () => {
  it('validates options, stake and blocks', () => {
    const eng = new ScriptedEngine();
    expect(() => new Subnet({ engine: eng, n: 0 })).toThrow(ERR('E_RANGE'));
    expect(() => new Subnet({ engine: eng, n: 1.5 })).toThrow(ERR('E_RANGE'));
    expect(() => new Subnet({ engine: {} as Engine, n: 2 })).toThrow(ERR('E_ARG'));
    expect(() => new Subnet({ engine: eng, n: 2, mode: 'x' as 'fixed' })).toThrow(ERR('E_ARG'));
    expect(() => new Subnet({ engine: eng, n: 2, hyper: { kappa: 70000 } })).toThrow(ERR('E_RANGE'));
    expect(() => new Subnet({ engine: eng, n: 2, hyper: { nope: 1 } as never })).toThrow(ERR('E_ARG'));
    expect(() => new Subnet({ engine: eng, n: 2, tempo: -1 })).toThrow(ERR('E_RANGE'));
    const s = new Subnet({ engine: eng, n: 2 });
    s.register('a');
    const before = snapshot(s);
    expect(() => s.addStake(0, 1 as unknown as bigint)).toThrow(ERR('E_ARG'));
    expect(() => s.addStake(0, -1n)).toThrow(ERR('E_RANGE'));
    expect(() => s.addStake(1, 1n)).toThrow(ERR('E_RANGE'));
    expect(() => s.addStake(0, 1n << 64n)).toThrow(ERR('E_RANGE'));
    expect(() => s.removeStake(0, 1n)).toThrow(ERR('E_RANGE'));
    expect(() => s.nextBlock(-1)).toThrow(ERR('E_RANGE'));
    expect(() => s.nextBlock(Number.NaN)).toThrow(ERR('E_NAN'));
    expect(() => s.setHyper({ alphaLow: 60000 })).toThrow(ERR('E_RANGE'));
    expect(() => s.resetBonds(3)).toThrow(ERR('E_RANGE'));
    expect(snapshot(s)).toBe(before);
    s.nextBlock();
    s.nextBlock(0);
    s.nextBlock(3);
    expect(s.currentBlock).toBe(4);
    s.addStake(0, 10n);
    s.removeStake(0, 4n);
    expect(s.stake(0)).toBe(6n);
  });
});

describe('vecU16MaxUpscaleToU16', () => {
  it("leaves a row whose largest entry is already 65535 unchanged, exactly as the chain's I32F32 rule does (2000 random rows)", async () => {
    const { vecU16MaxUpscaleToU16: chainRule } = await import('../src/fixed/substrate-fixed.js');
    let seed = 12345;
    const next = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0);
    for (let r = 0; r < 2000; r++) {
      const len = 1 + (next() % 40);
      const row = Array.from({ length: len }, () => next() % 65536);
      row[next() % len] = 65535;
      const want = chainRule(row.map(BigInt)).map(Number);
      expect(want).toEqual(row);
      expect(vecU16MaxUpscaleToU16(row)).toEqual(want);
    }
    // and a row below 65535 still goes through the rule: [43690, 21845] → [65535, 32768]
    expect(vecU16MaxUpscaleToU16([43690, 21845])).toEqual([65535, 32768]);
  });
});

describe('Subnet.epochNotes describes the last epoch as it ran', () => {
  it("an epoch that paid no miner although permitted validators weighted miners says why: 16.7 % of the stake under kappa 50 %, or 3 validators' stake split between 3 miners (no note before; the README's threads example paid no miner this way)", async () => {
    const { createEngineSync } = await import('../src/engine.js');
    const engine = createEngineSync();
    const under = new Subnet({ engine, n: 4, tempo: 1, mode: 'float' });
    for (let i = 0; i < 3; i++) under.register(`hk${i}`), under.addStake(i, BigInt(i + 1) * 10n ** 12n);
    under.nextBlock(2);
    under.setWeights(0, [1, 2], [65535, 1000]);
    under.nextBlock(2);
    under.epoch(10n ** 9n); // grants the permits
    const out = under.epoch(10n ** 9n);
    expect(Array.from(out.incentive)).toEqual([0, 0, 0]);
    expect(out.validatorEmission).toEqual([166666666n, 333333333n, 500000000n]);
    expect(under.epochNotes()).toEqual([
      "no miner was paid: the validators whose weights counted (uid 0) hold 16.7 % of the permitted validators' stake, less than the kappa (50.0 %) a miner's consensus needs, so every incentive was 0 and the emission went to the validators by stake; weights from validators holding more of the stake pay the miners.",
    ]);

    const split = new Subnet({ engine, n: 6, tempo: 1, mode: 'float' });
    for (let i = 0; i < 6; i++) split.register(`hk${i}`);
    for (let v = 0; v < 3; v++) split.addStake(v, 10n ** 12n);
    split.nextBlock(2);
    for (let v = 0; v < 3; v++) split.setWeights(v, [3 + v], [65535]);
    split.nextBlock(2);
    split.epoch(10n ** 9n);
    expect(Array.from(split.epoch(10n ** 9n).incentive)).toEqual([0, 0, 0, 0, 0, 0]);
    expect(split.epochNotes()).toEqual([
      "no miner was paid: no miner was weighted by validators holding kappa (50.0 %) of the permitted validators' stake (those whose weights counted, uids 0, 1, 2, hold 100.0 % together, split between miners), so every incentive was 0 and the emission went to the validators by stake.",
    ]);
    // one validator moving to another's miner makes a majority: miners paid, no note
    split.setWeights(2, [3], [65535]);
    split.nextBlock();
    expect(Array.from(split.epoch(10n ** 9n).incentive).some((v) => v > 0)).toBe(true);
    expect(split.epochNotes()).toEqual([]);
  });

  it('the outdated-weights note read after later set_weights, registrations and blocks names the rows and blocks of that epoch, and a later epoch replaces it', async () => {
    const { createEngineSync } = await import('../src/engine.js');
    const s = new Subnet({ engine: createEngineSync(), n: 6, tempo: 1 });
    for (let i = 0; i < 4; i++) s.register(`hk-${i}`);
    s.addStake(0, 10n ** 12n);
    s.addStake(1, 10n ** 12n);
    s.epoch(10n ** 9n); // grants both their permits
    s.setWeights(0, [2, 3], [1, 1]); // same block as the registrations: outdated
    s.setWeights(1, [2, 3], [1, 1]);
    s.nextBlock();
    s.epoch(10n ** 9n);
    const note = (uid: number, block: number) => expect.stringMatching(new RegExp(`^uid ${uid}'s weights \\(set at block ${block}\\) are not newer than the registration`));
    expect(s.epochNotes()).toEqual([note(0, 0), note(1, 0)]);
    // after the epoch: uid 0 sets newer weights, a new uid registers, blocks pass; the notes still say what that epoch saw
    s.setWeights(0, [2, 3], [5, 1]);
    s.register('hk-4');
    s.nextBlock(3);
    expect(s.epochNotes()).toEqual([note(0, 0), note(1, 0)]);
    s.epoch(10n ** 9n);
    expect(s.epochNotes()).toEqual([note(1, 0)]);
  });
});
