// Resident state (src/wasm/resident.ts, SubnetNeurons.epochResident): a Subnet on a Wasm engine keeps its
// weights and bonds in Wasm memory between epochs; the same Subnet on a stateless engine (the same Wasm engine
// behind a wrapper, so every epoch goes through engine.epoch with the whole input) must give the same outputs
// and the same stored state, bit for bit, after any sequence of operations, refusals included.
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { createEngineSync, type Engine } from '../src/engine.js';
import type { EpochOutput, MechanismEpochOutput, SparseRow } from '../src/epoch/types.js';
import { combinedEmission, Subnet } from '../src/subnet/index.js';
import { resolveHyper } from '../src/epoch/prepare.js';
import { arbHyperparams } from '../src/testing/index.js';
import { SubnetNeurons, unpackRow } from '../src/subnet/neurons.js';
import { Arena } from '../src/wasm/arena.js';
import { ResidentMatrices, residentHostOf } from '../src/wasm/resident.js';
import { conformanceFiles, loadConformance, type ConformanceCase } from './helpers/conformance.js';
import { syntheticSubnet } from '../bench/suite.js';

const engine = createEngineSync();
/** The same engine without its resident side: Subnet falls back to engine.epoch on the whole input. */
const stateless = { epoch: (...a: Parameters<Engine['epoch']>) => engine.epoch(...a) } as unknown as Engine;

/** Typed arrays compared byte for byte (so −0, NaN payloads and every float bit count), the rest deeply. */
function bits(v: unknown): unknown {
  if (ArrayBuffer.isView(v)) return { [v.constructor.name]: Array.from(new Uint8Array(v.buffer, v.byteOffset, v.byteLength)) };
  if (Array.isArray(v)) return v.map(bits);
  if (typeof v === 'object' && v !== null) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, bits(x)]));
  return v;
}

function state(s: Subnet) {
  const mechanisms = Array.from({ length: s.mechanismCount }, (_, m) => ({
    weights: s.weightRows({ mechanism: m }),
    bonds: s.bondRows({ mechanism: m }),
    incentive: s.incentive({ mechanism: m }),
    lastUpdate: s.lastUpdate({ mechanism: m }),
  }));
  return bits({
    size: s.size, permits: s.validatorPermit(), active: s.active(), dividends: s.dividends(), consensus: s.consensus(),
    trust: s.validatorTrust(), stakeWeight: s.stakeWeight(), emission: s.emission(), stake: s.stake(), mechanisms,
  });
}

type Op =
  | { kind: 'register'; key: number }
  | { kind: 'stake'; uid: number; rao: bigint }
  | { kind: 'weights'; uid: number; targets: number[]; values: number[]; mechanism: number }
  | { kind: 'blocks'; count: number }
  | { kind: 'resetBonds'; uid: number; mechanism: number }
  | { kind: 'mechanisms'; count: number }
  | { kind: 'epoch'; rao: bigint; bonds: boolean };

const U = 9; // uids the operations aim at (some beyond the subnet: refused)

const arbOp: fc.Arbitrary<Op> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('register' as const), key: fc.integer({ min: 0, max: 14 }) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('stake' as const), uid: fc.integer({ min: 0, max: U }), rao: fc.bigInt({ min: 1n, max: 10n ** 13n }) }) },
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant('weights' as const),
      uid: fc.integer({ min: 0, max: U }),
      targets: fc.array(fc.integer({ min: 0, max: U }), { minLength: 0, maxLength: 6 }), // duplicates: refused
      values: fc.array(fc.integer({ min: 0, max: 65535 }), { minLength: 6, maxLength: 6 }),
      mechanism: fc.integer({ min: 0, max: 2 }),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('blocks' as const), count: fc.integer({ min: 0, max: 40 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('resetBonds' as const), uid: fc.integer({ min: 0, max: U }), mechanism: fc.integer({ min: 0, max: 2 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('mechanisms' as const), count: fc.integer({ min: 1, max: 3 }) }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('epoch' as const), rao: fc.bigInt({ min: 0n, max: 10n ** 12n }), bonds: fc.boolean() }) },
);

function apply(s: Subnet, op: Op, path: 'sparse' | 'dense'): unknown {
  try {
    if (op.kind === 'register') return s.register(`hk${op.key}`);
    if (op.kind === 'stake') return s.addStake(op.uid, op.rao);
    if (op.kind === 'weights') return s.setWeights(op.uid, op.targets, op.values.slice(0, op.targets.length), { mechanism: op.mechanism });
    if (op.kind === 'blocks') return s.nextBlock(op.count);
    if (op.kind === 'resetBonds') return s.resetBonds(op.uid, { mechanism: op.mechanism });
    if (op.kind === 'mechanisms') return s.setMechanismCount(op.count);
    return bits(s.epoch(op.rao, { path, bonds: op.bonds }));
  } catch (e) {
    if (!(e instanceof Error && e.name === 'YumaError')) throw e;
    return { refused: (e as { code?: string }).code };
  }
}

describe('resident state: Subnet on a Wasm engine against the same Subnet through engine.epoch', () => {
  for (const mode of ['fixed', 'float'] as const) {
    for (const path of ['sparse', 'dense'] as const) {
      it(`${mode} mode, ${path} path: every result (epoch outputs bit for bit, refusals by code) and the stored state after every operation are identical`, () => {
        let epochs = 0;
        let paid = 0;
        let refusals = 0;
        fc.assert(
          fc.property(
            arbHyperparams({ maxValidators: 6 }).map((h) => ({ ...h, activityCutoff: Math.max(h.activityCutoff, 100) })),
            fc.boolean(),
            fc.array(arbOp, { minLength: 10, maxLength: 70 }),
            (hyper, owner, ops) => {
              const opts = { n: 8, tempo: 10, hyper, mode, immunityPeriod: 40, minNonImmuneUids: 1, ...(owner ? { ownerHotkey: 'hk0' } : {}) };
              const r = new Subnet({ engine, ...opts });
              const s = new Subnet({ engine: stateless, ...opts });
              // a populated subnet to start from: six UIDs with stake, one block later
              const start: Op[] = [0, 1, 2, 3, 4, 5].flatMap((k): Op[] => [{ kind: 'register', key: k }, { kind: 'stake', uid: k, rao: BigInt(k + 1) * 10n ** 12n }]);
              start.push({ kind: 'blocks', count: 1 }, { kind: 'epoch', rao: 10n ** 9n, bonds: true }, { kind: 'blocks', count: 1 });
              for (const op of [...start, ...ops]) {
                const a = apply(r, op, path);
                const b = apply(s, op, path);
                expect(a).toEqual(b);
                if (typeof a === 'object' && a !== null && 'refused' in a) refusals++;
                if (op.kind === 'epoch' && !('refused' in (a as object))) {
                  epochs++;
                  if ((r.lastOutput as EpochOutput).validatorEmission.some((x) => x > 0n)) paid++;
                }
                expect(state(r)).toEqual(state(s));
              }
            },
          ),
          { numRuns: 40, seed: 15 },
        );
        // the sequences reach paying epochs and refusals, not only empty subnets
        expect(epochs).toBeGreaterThan(100);
        expect(paid).toBeGreaterThan(40);
        expect(refusals).toBeGreaterThan(20);
      });
    }
  }

  it('a subnet that grows past the first resident block (64 UIDs) one registration at a time keeps agreeing, with 2 mechanisms', () => {
    const opts = { n: 150, tempo: 5, mode: 'fixed' as const, mechanisms: 2, hyper: { maxAllowedValidators: 16 } };
    const r = new Subnet({ engine, ...opts });
    const s = new Subnet({ engine: stateless, ...opts });
    let rng = 7;
    const next = (k: number) => ((rng = (rng * 1103515245 + 12345) % 2 ** 31), rng % k);
    for (let step = 0; step < 140; step++) {
      for (const x of [r, s]) {
        x.register(`hk${step}`);
        x.addStake(step, BigInt(1 + ((step * 7919) % 1000)) * (step < 16 ? 10n ** 15n : 10n ** 9n));
        x.nextBlock(1);
      }
      // the 16 first UIDs hold the stake, so the permits; until step 100 only the even ones set weights, so rows
      // without weights lie between rows with them when the matrices move to a wider stride, then all of them
      const v = step < 100 ? 2 * next(Math.min(step + 2, 16) >> 1) : next(16);
      const targets = [...new Set(Array.from({ length: 1 + next(8) }, () => next(step + 1)))];
      const values = targets.map(() => next(65536));
      for (const x of [r, s]) x.setWeights(v, targets, values, { mechanism: step % 2 });
      if (step % 3 === 0) expect(bits(r.epoch(10n ** 9n))).toEqual(bits(s.epoch(10n ** 9n)));
    }
    expect(state(r)).toEqual(state(s));
    expect(r.size).toBe(140);
    expect(((r.lastOutput as MechanismEpochOutput).mechanisms[1].bonds as SparseRow[]).some((row) => row.length > 0)).toBe(true);
  });
});

describe('Subnet.epochs: many resident subnets in one batch, on one thread and on two', () => {
  const threaded = createEngineSync({ threads: 2 });
  afterAll(() => threaded.close());
  const subnetShape = fc.record({
    hyper: arbHyperparams({ maxValidators: 6 }).map((h) => ({ ...h, activityCutoff: Math.max(h.activityCutoff, 100) })),
    owner: fc.boolean(),
    ops: fc.array(arbOp.filter((op) => op.kind !== 'epoch'), { minLength: 6, maxLength: 30 }),
  });

  for (const mode of ['fixed', 'float'] as const) {
    for (const path of ['sparse', 'dense'] as const) {
      it(`${mode} mode, ${path} path: every subnet's output (bit for bit) and stored state after each batch are those of its own epoch on a twin, on the default engine and on a two-thread engine`, () => {
        let batches = 0;
        let paid = 0;
        fc.assert(
          fc.property(fc.array(subnetShape, { minLength: 2, maxLength: 5 }), fc.integer({ min: 2, max: 4 }), (shapes, rounds) => {
            const make = (e: Engine) =>
              shapes.map(({ hyper, owner }) => {
                const s = new Subnet({ engine: e, n: 8, tempo: 10, hyper, mode, immunityPeriod: 40, minNonImmuneUids: 1, ...(owner ? { ownerHotkey: 'hk0' } : {}) });
                for (const k of [0, 1, 2, 3, 4, 5]) apply(s, { kind: 'register', key: k }, path), apply(s, { kind: 'stake', uid: k, rao: BigInt(k + 1) * 10n ** 12n }, path);
                s.nextBlock(1);
                return s;
              });
            const one = make(engine);
            const two = make(threaded);
            const twins = make(stateless);
            for (let round = 0; round < rounds; round++) {
              shapes.forEach(({ ops }, i) => {
                for (const op of ops.slice((round * ops.length) / rounds, ((round + 1) * ops.length) / rounds)) {
                  const want = apply(twins[i], op, path);
                  expect(apply(one[i], op, path)).toEqual(want);
                  expect(apply(two[i], op, path)).toEqual(want);
                }
              });
              const raos = shapes.map((_, i) => BigInt(i + 1) * 10n ** 9n);
              const want = twins.map((s, i) => bits(s.epoch(raos[i], { path })));
              expect(bits(Subnet.epochs(one, raos, { path }))).toEqual(want);
              expect(bits(Subnet.epochs(two, raos, { path }))).toEqual(want);
              twins.forEach((s, i) => {
                expect(state(one[i])).toEqual(state(s));
                expect(state(two[i])).toEqual(state(s));
              });
              batches++;
              paid += twins.filter((s) => (s.lastOutput as EpochOutput).validatorEmission.some((x) => x > 0n)).length;
            }
          }),
          { numRuns: 25, seed: 16 },
        );
        expect(batches).toBeGreaterThan(50);
        expect(paid).toBeGreaterThan(40);
      });
    }
  }

  it('a batch like the bench network (six subnets of 256 UIDs and one of 1024, float and fixed) on two threads equals each Subnet.epoch on one, two epochs running', () => {
    for (const mode of ['float', 'fixed'] as const) {
      const build = (e: Engine) =>
        [...Array.from({ length: 6 }, (_, i) => syntheticSubnet({ n: 256, validators: 64, seed: 7_000 + i })), syntheticSubnet({ n: 1024, validators: 128, seed: 9_999 })].map(({ input, hyper }) => {
          const s = new Subnet({ engine: e, n: input.n, tempo: input.tempo, mode, hyper });
          for (let i = 0; i < input.n; i++) s.register(`hk${i}`);
          for (let i = 0; i < input.n; i++) if (BigInt(input.stake[i]) > 0n) s.addStake(i, BigInt(input.stake[i]));
          s.nextBlock(10);
          s.epoch(0n);
          const w = input.weights as Uint16Array;
          for (let i = 0; i < input.n; i++) {
            const targets: number[] = [];
            const values: number[] = [];
            for (let j = 0; j < input.n; j++) if (w[i * input.n + j] !== 0 && j !== i) (targets.push(j), values.push(w[i * input.n + j]));
            if (targets.length > 0) s.setWeights(i, targets, values);
          }
          return s;
        });
      const single = build(engine);
      const batch = build(threaded);
      for (let epoch = 0; epoch < 2; epoch++) {
        for (const s of [...single, ...batch]) s.nextBlock(361);
        const want = single.map((s) => bits(s.epoch(10n ** 9n)));
        expect(bits(Subnet.epochs(batch, 10n ** 9n))).toEqual(want);
      }
      batch.forEach((s, i) => expect(state(s)).toEqual(state(single[i])));
    }
  });

  it('refuses bad arguments (not a Subnet, a subnet twice, amounts of the wrong count or type) and a subnet whose state the epoch refuses, before any epoch runs: no subnet changes', () => {
    const a = new Subnet({ engine: threaded, n: 4, tempo: 1, mode: 'fixed' });
    const b = new Subnet({ engine: threaded, n: 4, tempo: 1, mode: 'fixed' });
    for (const s of [a, b]) for (let i = 0; i < 3; i++) s.register(`hk${i}`), s.addStake(i, 10n ** 12n);
    const before = [state(a), state(b)];
    const refused = (f: () => unknown, code: string, message?: RegExp) => {
      expect(f).toThrow(expect.objectContaining({ name: 'YumaError', code }));
      if (message) expect(f).toThrow(message);
      expect([state(a), state(b)]).toEqual(before);
    };
    refused(() => Subnet.epochs([a, {} as Subnet], 1n), 'E_ARG', /subnets\[1\] must be a Subnet/);
    refused(() => Subnet.epochs([a, b, a], 1n), 'E_ARG', /twice/);
    refused(() => Subnet.epochs([a, b], [1n]), 'E_SHAPE', /raoEmission has length 1, subnets 2/);
    refused(() => Subnet.epochs([a, b], [1n, 2 as unknown as bigint]), 'E_ARG', /raoEmission\[1\] must be a bigint/);
    refused(() => Subnet.epochs('x' as unknown as Subnet[], 1n), 'E_SHAPE');
    refused(() => Subnet.epochs([a, b], 1n, { path: 'x' as never }), 'E_ARG');
    refused(() => Subnet.epochs([a, b], 2n ** 64n), 'E_RANGE');
    (b as unknown as { table: SubnetNeurons }).table.stake[0] = 2n ** 63n;
    expect(() => Subnet.epochs([a, b], 1n)).toThrow(expect.objectContaining({ code: 'E_RANGE' }));
    (b as unknown as { table: SubnetNeurons }).table.stake[0] = 10n ** 12n;
    expect([state(a), state(b)]).toEqual(before);
    expect(Subnet.epochs([], 1n)).toEqual([]);
    expect(Subnet.epochs([a, b], 1n)).toHaveLength(2);
  });
});

describe('ResidentMatrices: rows and columns changed in place, the stride widened as the subnet grows', () => {
  type MatOp = { kind: 'w' | 'b'; row: number; cols: number[]; values: number[] } | { kind: 'clear'; col: number } | { kind: 'grow'; by: number };
  const arbMatOp: fc.Arbitrary<MatOp> = fc.oneof(
    fc.record({
      kind: fc.constantFrom('w' as const, 'b' as const),
      row: fc.nat(40),
      cols: fc.uniqueArray(fc.nat(40), { maxLength: 8 }),
      values: fc.array(fc.integer({ min: 0, max: 65535 }), { minLength: 8, maxLength: 8 }),
    }),
    fc.record({ kind: fc.constant('clear' as const), col: fc.nat(40) }),
    fc.record({ kind: fc.constant('grow' as const), by: fc.integer({ min: 1, max: 9 }) }),
  );

  it('every byte of the four matrices (n·n at the current stride) and every bond row read back equal a plain model', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 8 }), fc.array(arbMatOp, { maxLength: 60 }), (n0, ops) => {
        const arena = new Arena(new WebAssembly.Memory({ initial: 1 }), 64);
        const m = new ResidentMatrices(arena, 48);
        let n = n0;
        m.resize(n);
        // the model: per matrix a map (row, col) → value / stored
        const model = { w: new Map<string, number>(), b: new Map<string, number>() };
        for (const op of ops) {
          if (op.kind === 'grow') {
            n = Math.min(48, n + op.by);
            m.resize(n);
          } else if (op.kind === 'clear') {
            if (op.col >= n) continue;
            m.clearBondColumn(op.col);
            for (const k of [...model.b.keys()]) if (Number(k.split(',')[1]) === op.col) model.b.delete(k);
          } else {
            if (op.row >= n) continue;
            const cols = op.cols.filter((j) => j < n);
            const packed = Uint32Array.from(cols, (j, e) => ((j << 16) | op.values[e]) >>> 0);
            const map = model[op.kind];
            for (const k of [...map.keys()]) if (Number(k.split(',')[0]) === op.row) map.delete(k);
            cols.forEach((j, e) => map.set(`${op.row},${j}`, op.values[e]));
            if (op.kind === 'w') m.setWeightRow(op.row, packed);
            else m.setBondRow(op.row, packed);
          }
          expect(m.stride).toBe(n);
          for (const [kind, values, present] of [['w', m.weights, m.weightsPresent], ['b', m.bonds, m.bondsPresent]] as const) {
            const v = Array.from(arena.u16.subarray(values / 2, values / 2 + n * n));
            const p = Array.from(arena.u8.subarray(present, present + n * n));
            const wantV = new Array<number>(n * n).fill(0);
            const wantP = new Array<number>(n * n).fill(0);
            for (const [k, x] of model[kind]) {
              const [i, j] = k.split(',').map(Number);
              wantV[i * n + j] = x;
              wantP[i * n + j] = 1;
            }
            expect(v).toEqual(wantV);
            expect(p).toEqual(wantP);
          }
          for (let i = 0; i < n; i++) {
            const want = [...model.b].filter(([k]) => Number(k.split(',')[0]) === i).map(([k, x]) => [Number(k.split(',')[1]), x]).sort((x, y) => x[0] - y[0]);
            expect(Array.from(m.bondRow(i), (e) => [e >>> 16, e & 0xffff])).toEqual(want);
          }
        }
      }),
      { numRuns: 150, seed: 3 },
    );
  });

  it('freed blocks are reused (holes first-fit and merged, the top given back): resident bytes stay put over 1000 subnets made and dropped', () => {
    const arena = new Arena(new WebAssembly.Memory({ initial: 1 }), 64);
    const hole = new ResidentMatrices(arena, 100);
    const above = new ResidentMatrices(arena, 10); // keeps the hole below it a hole
    const bytes = arena.residentBytes;
    const memory = arena.memoryBytes;
    hole.free();
    for (let k = 0; k < 1000; k++) new ResidentMatrices(arena, 100 - (k % 3)).free();
    expect(arena.residentBytes).toBe(bytes);
    const again = new ResidentMatrices(arena, 100);
    expect(again.weights).toBe(hole.weights); // the hole, not new memory
    expect(arena.residentBytes).toBe(bytes);
    expect(arena.memoryBytes).toBe(memory);
    above.free();
    again.free();
    expect(arena.residentBytes).toBe(0);
  });
});

describe('resident state on the chain-computed epochs (test/fixtures): the same outputs as engine.epoch, two epochs running', () => {
  /** A neuron table holding a fixture's input (sparse rows: a dense fixture stores its non-zero entries). */
  function tableOf(c: ConformanceCase): SubnetNeurons {
    const { input } = c;
    const n = input.n;
    const t = new SubnetNeurons(n);
    const regs = input.blockAtRegistration as bigint[];
    for (let i = 0; i < n; i++) t.append(`hk${i}`, regs[i]);
    const rows = (m: Uint16Array, i: number) => Array.from(m.subarray(i * n, (i + 1) * n)).flatMap((v, j): Array<[number, number]> => (v !== 0 ? [[j, v]] : []));
    for (let i = 0; i < n; i++) {
      t.loadRows(0, i, rows(input.weights as Uint16Array, i), rows(input.bonds as Uint16Array, i));
      t.stake[i] = (input.stake as bigint[])[i];
      t.validatorPermit[i] = input.validatorPermit[i] ? 1 : 0;
      t.mechanism(0).lastUpdate[i] = (input.lastUpdate as bigint[])[i];
    }
    return t;
  }

  const host = residentHostOf(engine)!;
  for (const mode of ['fixed', 'float'] as const) {
    it(`${mode} mode: every fixture epoch whose permit vector covers all UIDs and that has no commits (a neuron table holds no other), every chain fixture file (both paths, both sets); fixed mode also equal to the chain's outputs`, () => {
      let ran = 0;
      for (const { path, set } of conformanceFiles()) {
        for (const c of loadConformance(path, set)) {
          const { input } = c;
          if (input.validatorPermit.length !== input.n || input.commitBlocks !== undefined || input.n === 0) continue;
          const resident = tableOf(c);
          const plain = tableOf(c);
          let block = BigInt(input.currentBlock);
          let last = BigInt(input.lastStepBlock);
          for (let epoch = 0; epoch < 2; epoch++) {
            const params = { currentBlock: block, tempo: input.tempo, lastStepBlock: last, raoEmission: input.raoEmission, ownerUid: input.ownerUid ?? -1, hyper: c.hyper, mode, path, bonds: true };
            const f = plain.epochFields();
            const want = engine.epoch(
              { n: f.n, currentBlock: block, tempo: input.tempo, lastStepBlock: last, stake: f.stake, blockAtRegistration: f.blockAtRegistration, validatorPermit: f.validatorPermit, raoEmission: input.raoEmission, weights: f.mechanisms[0].weights.rows.map(unpackRow), bonds: f.mechanisms[0].bonds.rows.map(unpackRow), lastUpdate: f.mechanisms[0].lastUpdate, ...(input.ownerUid !== undefined ? { ownerUid: input.ownerUid } : {}) },
              c.hyper,
              { mode, path },
            );
            plain.writeBack(want, input.raoEmission, mode);
            const got = resident.epochResident(host, params);
            expect(bits(got), `${set} ${path} case ${c.id} epoch ${epoch}`).toEqual(bits(want));
            if (mode === 'fixed' && epoch === 0) {
              const dense = (got.bonds as SparseRow[]).map((row) => {
                const d = new Array<number>(input.n).fill(0);
                for (const [j, v] of row) d[j] = v;
                return d;
              });
              expect(dense, `${set} ${path} case ${c.id}: the chain's bonds`).toEqual(c.expected.bonds);
              const e = c.expected;
              const u16 = ['stakeWeight', 'consensus', 'incentive', 'dividends', 'validatorTrust'] as const;
              expect(
                [...u16.map((f) => Array.from(got[f])), Array.from(got.active), Array.from(got.validatorPermit), got.serverEmission, got.validatorEmission],
                `${set} ${path} case ${c.id}: the chain's outputs`,
              ).toEqual([...u16.map((f) => e[f]), e.active, e.validatorPermit, e.serverEmission, e.validatorEmission]);
            }
            last = block;
            block += BigInt(input.tempo) + 1n;
          }
          ran++;
        }
      }
      expect(ran).toBeGreaterThan(300);
    });
  }
});

describe('resident state: refusals and memory', () => {
  function populated(e: Engine, n = 12): Subnet {
    const s = new Subnet({ engine: e, n, tempo: 10, mode: 'fixed', hyper: { maxAllowedValidators: 4 } });
    for (let i = 0; i < n; i++) s.register(`hk${i}`);
    for (let i = 0; i < n; i++) s.addStake(i, BigInt(n - i) * 10n ** 12n);
    s.nextBlock(2);
    s.epoch(10n ** 9n);
    for (let v = 0; v < 4; v++) s.setWeights(v, [4, 5, 6, 7, 8], [1, 2, 3, 4, 5 + v]);
    s.nextBlock(2);
    s.epoch(10n ** 9n);
    return s;
  }
  /** The table inside a Subnet (the one SubnetNeurons, Chain and the simulator share). */
  const tableOf = (s: Subnet) => (s as unknown as { table: SubnetNeurons }).table;

  it('a stored row the engine would refuse (uid not below n, uid twice) refuses the epoch with its code and changes nothing: the next epoch after the row is put back is the one a twin that never saw it runs', () => {
    const r = populated(engine);
    const twin = populated(stateless);
    const m = tableOf(r).mechanism(0);
    const good = m.weights[1];
    const before = state(r);
    for (const [bad, code] of [
      [Uint32Array.of((12 << 16) | 5), 'E_RANGE'],
      [Uint32Array.of((4 << 16) | 5, (4 << 16) | 6), 'E_SHAPE'],
    ] as const) {
      m.weights[1] = bad;
      expect(() => r.epoch(10n ** 9n), `a row ${Array.from(bad)}`).toThrow(expect.objectContaining({ name: 'YumaError', code }));
      m.weights[1] = good;
      expect(state(r)).toEqual(before);
      // the same row given to the stateless path is refused with the same code
      tableOf(twin).mechanism(0).weights[1] = bad;
      expect(() => twin.epoch(10n ** 9n)).toThrow(expect.objectContaining({ code }));
      tableOf(twin).mechanism(0).weights[1] = good;
    }
    m.weights[1] = good;
    expect(bits(r.epoch(10n ** 9n))).toEqual(bits(twin.epoch(10n ** 9n)));
    expect(state(r)).toEqual(state(twin));
  });

  it('a total stake outside I64F64 refuses the epoch (E_RANGE) and leaves the state as it was', () => {
    const r = populated(engine);
    const before = state(r);
    tableOf(r).stake[0] = 2n ** 63n;
    expect(() => r.epoch(10n ** 9n)).toThrow(expect.objectContaining({ code: 'E_RANGE' }));
    tableOf(r).stake[0] = 12n * 10n ** 12n;
    expect(state(r)).toEqual(before);
  });

  it('a table whose epochs move from one engine to another (a state handed to another Chain) reads its bonds back from the first and agrees with engine.epoch', () => {
    const other = createEngineSync();
    const a = tableOf(populated(engine));
    const plain = tableOf(populated(stateless));
    const params = (block: bigint) => ({ currentBlock: block, tempo: 10, lastStepBlock: block - 11n, raoEmission: 10n ** 9n, ownerUid: -1, hyper: resolveHyper({ maxAllowedValidators: 4, activityCutoff: 5000 }), mode: 'fixed' as const, path: 'sparse' as const, bonds: true });
    for (const [k, e] of [engine, other, engine].entries()) {
      const block = 100n + 11n * BigInt(k);
      const got = a.epochResident(residentHostOf(e)!, params(block));
      const f = plain.epochFields();
      const want = engine.epoch(
        { n: f.n, currentBlock: block, tempo: 10, lastStepBlock: block - 11n, stake: f.stake, blockAtRegistration: f.blockAtRegistration, validatorPermit: f.validatorPermit, raoEmission: 10n ** 9n, weights: f.mechanisms[0].weights.rows.map(unpackRow), bonds: f.mechanisms[0].bonds.rows.map(unpackRow), lastUpdate: f.mechanisms[0].lastUpdate },
        params(block).hyper,
        { mode: 'fixed', path: 'sparse' },
      );
      plain.writeBack(want, 10n ** 9n, 'fixed');
      expect(bits(got), `epoch ${k}`).toEqual(bits(want));
      expect((got.bonds as SparseRow[]).some((row) => row.length > 0)).toBe(true);
    }
  });

  it('10 000 resident epochs (float, 32 UIDs, weights changing every epoch) leave Wasm memory and the resident bytes where the 100th left them', () => {
    const e = createEngineSync();
    const s = populated(e, 32);
    const arena = (e as unknown as { arena: Arena }).arena;
    let memory = 0;
    let resident = 0;
    for (let k = 0; k < 10_000; k++) {
      s.setWeights(k % 4, [8 + (k % 20), 30, 31], [k % 65536, 3, 7]);
      s.nextBlock(11);
      s.epoch(10n ** 9n, { bonds: false });
      if (k === 99) {
        memory = e.memoryBytes;
        resident = arena.residentBytes;
      }
    }
    expect(resident).toBeGreaterThan(0);
    expect(e.memoryBytes).toBe(memory);
    expect(arena.residentBytes).toBe(resident);
    expect(s.bondRows().filter((row) => row.length > 0).length).toBeGreaterThan(0);
  });
});

describe('stored Emission: the table writes each UID\'s combined emission as u64 words below 2^53 rao', () => {
  // writeBack takes combinedEmissionNumbers' f64 integers into the BigUint64Array as two u32 words; the public
  // combinedEmission (BigInt) on the same output is the value the chain stores
  it('equals combinedEmission of the epoch output, both modes, random and edge emissions (1 rao to 2^53 − 1, and 2^53, 2^64 − 1 through BigInt)', () => {
    const edges = [0n, 1n, 2n, 255n, 2n ** 32n - 1n, 2n ** 32n, 2n ** 32n + 1n, 10n ** 9n, 2n ** 52n, 2n ** 53n - 1n, 2n ** 53n, 2n ** 64n - 1n];
    const raos = fc.sample(fc.bigInt({ min: 0n, max: 2n ** 53n - 1n }), { numRuns: 40, seed: 15 }).concat(edges);
    for (const mode of ['fixed', 'float'] as const) {
      const s = new Subnet({ engine, n: 24, tempo: 10, mode, hyper: { maxAllowedValidators: 6 } });
      for (let i = 0; i < 24; i++) s.register(`hk${i}`);
      for (let i = 0; i < 24; i++) s.addStake(i, BigInt(7 + ((i * 7919) % 97)) * 10n ** 11n);
      s.nextBlock(2);
      s.epoch(10n ** 9n);
      for (let v = 0; v < 6; v++) s.setWeights(v, [8, 9, 10, 11, 12, 13 + v], [3, 1 + v, 9, 4, 65535 - v, 7]);
      for (const rao of raos) {
        s.nextBlock(11);
        const out = s.epoch(rao);
        const want = combinedEmission(out, rao, mode);
        expect(s.emission(), `${mode}, ${rao} rao`).toEqual(want);
        if (rao === 10n ** 9n) expect(want.filter((e) => e > 0n).length, `${mode}: several UIDs paid`).toBeGreaterThan(5);
      }
    }
  });
});
