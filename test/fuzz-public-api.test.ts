/**
 * The fuzzer as part of the suite: every public entry point (engine, Subnet, Pool, dTAO functions, trackers,
 * Network, CLI, the testing subpath) is called with valid arguments in which one node was replaced by a hostile
 * value (test/helpers/hostile.ts). For every call:
 *
 * - the outcome is a result or a YumaError with a known code, never another error type;
 * - the caller's arguments are not mutated;
 * - a refused call leaves the subject's state (Subnet, Pool, tracker, economy, Network) exactly as it was, and
 *   the subject keeps working (a valid operation afterwards succeeds);
 * - a transparent replacement (Proxy, getters, null-prototype or frozen copy) gives the unmutated outcome, and
 *   no property is read twice.
 *
 * Seeded; YUMA_FUZZ_SCALE=N runs N times as many cases, YUMA_FUZZ_SEED picks another seed (README, Testing).
 */
import fc from 'fast-check';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { isYumaError, type YumaErrorCode } from '../src/errors.js';
import { createEngineSync } from '../src/engine.js';
import { prepareEpoch } from '../src/epoch/prepare.js';
import { fromMetagraph } from '../src/metagraph/from-metagraph.js';
import { DEFAULT_HYPERPARAMS, type EpochInput } from '../src/epoch/types.js';
import {
  alphaBlockEmission,
  blockEmission,
  blocksUntilNextAutoEpoch,
  blocksUntilNextEpochLegacy,
  compareRecycling,
  distributePending,
  emissionShares,
  FlowTracker,
  halvingSchedule,
  MovingPriceTracker,
  mulPerquintillRoundHalf,
  nextHalvingIssuance,
  Pool,
  POOL_PRESETS,
  powNormalize,
  priceShares,
  projectHalvings,
  rootProportion,
  splitAlphaOut,
  splitBlockEmission,
  splitProRata,
  SubnetEconomy,
} from '../src/dtao/index.js';
import { Subnet, vecU16MaxUpscaleToU16 } from '../src/subnet/index.js';
import { simulateCase, YUMA_VERSIONS, YumaRun, yumaEpoch, type YumaVersion } from '../src/research/index.js';
import { Chain, chainStateToJSON, defaultRegistration, newChainState, newSubnet } from '../src/chain/index.js';
import { DEFAULT_OPTIONS, SHARE_MODES, STRATEGIES, resolveOptions } from '../src/sim/config.js';
import { Network } from '../src/sim/network.js';
import { scenarioFromJson } from '../src/sim/scenario.js';
import { type CliIo, runCli } from '../src/cli/run.js';
import {
  arbEpochInput,
  arbHyperparams,
  arbMechanismEpochInput,
  checkEpochInvariants,
  createReferenceEngine,
  SUBNET_FLAVOURS,
  withLayout,
} from '../src/testing/index.js';
import { RAO, U64_MAX } from '../src/units.js';
import { applyHostile, arbHostile, describeCase, FUZZ_SEED, FUZZ_TIMEOUT_MS, fuzzRuns, ReadLog, treeText, type HostileCase } from './helpers/hostile.js';
import { movingSubnet, poolState, snapshotText, subnetState } from './helpers/state.js';

vi.setConfig({ testTimeout: FUZZ_TIMEOUT_MS });

const CODES: readonly YumaErrorCode[] = ['E_SHAPE', 'E_RANGE', 'E_NAN', 'E_LIMIT', 'E_SLIPPAGE', 'E_RESERVE', 'E_STATE', 'E_ARG', 'E_CALLBACK'];

const engine = createEngineSync();
const reference = createReferenceEngine();
afterAll(() => engine.close());

type Outcome = { ok: true; text: string } | { ok: false; code: string };

/** A call's outcome; anything thrown that is not a YumaError with a known code fails the test here. */
function outcome(f: () => unknown, show: (r: unknown) => string): Outcome {
  let r: unknown;
  try {
    r = f();
  } catch (e) {
    if (!isYumaError(e)) throw new Error(`threw ${safeText(e)} instead of a YumaError`, { cause: e });
    if (!CODES.includes(e.code)) throw new Error(`YumaError with an unknown code ${safeText(e.code)}`);
    if (typeof e.message !== 'string' || !e.message.startsWith(`${e.code}: `)) throw new Error('YumaError message without its code');
    return { ok: false, code: e.code };
  }
  return { ok: true, text: show(r) };
}

function safeText(e: unknown): string {
  try {
    return e instanceof Error ? `${e.name}: ${e.message}\n${e.stack ?? ''}` : typeof e === 'symbol' ? e.toString() : String(e);
  } catch {
    return '<unprintable>';
  }
}

interface Scenario<E, S> {
  name: string;
  /** Arguments: the tree that gets one hostile node. */
  args: (env: E) => fc.Arbitrary<unknown[]>;
  /** Context that is not mutated (which subject, which method variant). */
  env?: fc.Arbitrary<E>;
  /** A fresh subject per call (deterministic from env). */
  setup?: (env: E) => S;
  call: (subject: S, args: unknown[], env: E) => unknown;
  /** Subject state, compared before and after a refused call. */
  state?: (subject: S) => string;
  /** A valid operation that must still succeed on the subject after any call. */
  healthy?: (subject: S) => void;
  /** After a refused call, before `healthy`: checks the subject against a twin that never saw the call. */
  afterRefusal?: (subject: S, env: E) => void;
  /** Comparable text of a result (default: the value tree). */
  result?: (r: unknown) => string;
  runs: number;
}

function check<E, S>(sc: Scenario<E, S>): void {
  const envArb = (sc.env ?? fc.constant(undefined)) as fc.Arbitrary<E>;
  const arb = envArb.chain((env) => sc.args(env).chain((args) => fc.tuple(fc.constant(env), fc.constant(args), arbHostile(args))));
  const show = sc.result ?? treeText;
  fc.assert(
    fc.property(arb, ([env, args, h]: [E, unknown[], HostileCase]) => {
      const where = `${sc.name}: ${describeCase(h)}`;
      const before = treeText(args);
      const baseSubject = sc.setup?.(env) as S;
      const base = outcome(() => sc.call(baseSubject, args, env), show);
      expect(treeText(args), `${sc.name}: the valid call mutated its arguments`).toBe(before);

      const log = new ReadLog();
      const mutated = applyHostile(args, h, log) as unknown[];
      const subject = sc.setup?.(env) as S;
      const stateBefore = sc.state?.(subject);
      let got: Outcome;
      try {
        got = outcome(() => sc.call(subject, mutated, env), show);
      } catch (e) {
        throw new Error(`${where}: ${safeText(e)}`);
      }
      expect(treeText(args), `${where}: arguments mutated`).toBe(before);
      if (!got.ok && sc.state) expect(sc.state(subject), `${where}: a refused call changed the state`).toBe(stateBefore);
      if (!got.ok && sc.afterRefusal) {
        try {
          sc.afterRefusal(subject, env);
        } catch (e) {
          throw new Error(`${where}: after the refusal the subject differs from a twin that never saw the call: ${safeText(e)}`);
        }
      }
      if (sc.healthy) {
        try {
          sc.healthy(subject);
        } catch (e) {
          throw new Error(`${where}: the subject no longer works after ${got.ok ? 'an accepted' : 'a refused'} call: ${safeText(e)}`);
        }
      }
      if (h.mutation.transparent) {
        expect(got, `${where}: a transparent wrapper changed the outcome`).toEqual(base);
        const worst = log.worst();
        expect(worst.count, `${where}: property ${worst.key} read ${worst.count} times`).toBeLessThanOrEqual(1);
      }
    }),
    { seed: FUZZ_SEED, numRuns: fuzzRuns(sc.runs) },
  );
}

// ------------------------------------------------------------------------------------------------ engine

const arbOpts = fc.record({ mode: fc.constantFrom('fixed', 'float'), path: fc.constantFrom('sparse', 'dense') });
const smallInput = arbEpochInput({ maxN: 5, flavours: SUBNET_FLAVOURS });

describe('fuzz: engine', () => {
  it('engine.epoch(input, hyper, opts)', () => {
    check({ name: 'engine.epoch', args: () => fc.tuple(smallInput, arbHyperparams({ maxValidators: 8 }), arbOpts), call: (_s, [i, h, o]) => engine.epoch(i as never, h as never, o as never), runs: 300 });
  });

  it('engine.epoch with mechanisms', () => {
    const input = arbMechanismEpochInput({ maxN: 4, maxMechanisms: 3 });
    check({ name: 'engine.epoch(mechanisms)', args: () => fc.tuple(input, arbHyperparams({ maxValidators: 8 }), arbOpts), call: (_s, [i, h, o]) => engine.epoch(i as never, h as never, o as never), runs: 120 });
  });

  it('engine.epochs(batch, opts)', () => {
    const batch = fc.tuple(fc.record({ input: smallInput, hyper: arbHyperparams({ maxValidators: 8 }) }), fc.record({ input: smallInput }));
    check({ name: 'engine.epochs', args: () => fc.tuple(batch, arbOpts), call: (_s, [b, o]) => engine.epochs(b as never, o as never), runs: 150 });
  });

  it('fromMetagraph(metagraph, options)', () => {
    const mg = fc.record({ block: fc.integer({ min: 100, max: 200 }), S: fc.tuple(fc.double({ min: 0, max: 1e6, noNaN: true }), fc.double({ min: 0, max: 1e6, noNaN: true }), fc.constant(0)), W: fc.constant([[0, 0, 1], [0, 0, 1], [0, 0, 0]]), last_update: fc.constant([99, 99, 0]), block_at_registration: fc.constant([0, 0, 0]), validator_permit: fc.constant([true, true, false]), kappa: fc.integer({ min: 0, max: 65535 }) });
    const opts = fc.record({ lastStepBlock: fc.integer({ min: 0, max: 99 }), raoEmission: fc.bigInt({ min: 0n, max: 10n ** 12n }) }, { requiredKeys: [] });
    check({ name: 'fromMetagraph', args: () => fc.tuple(mg, opts), call: (_s, [m, o]) => fromMetagraph(m as never, o as never), runs: 90 });
  });

  it('engine.runPrepared(prepared) and the reference engine', () => {
    const prepared = smallInput.map((i) => prepareEpoch(i));
    check({ name: 'engine.runPrepared', args: () => fc.tuple(fc.tuple(prepared, prepared)), call: (_s, [list]) => engine.runPrepared(list as never), runs: 80 });
    check({ name: 'reference.epoch', args: () => fc.tuple(arbEpochInput({ maxN: 3 }), arbOpts), call: (_s, [i, o]) => reference.epoch(i as never, null, o as never), runs: 60 });
  });
});

// ------------------------------------------------------------------------------------------------ Subnet

function subnet(): Subnet {
  const s = new Subnet({ engine, n: 6, tempo: 2, mechanisms: 2 });
  for (const h of ['a', 'b', 'c', 'd']) s.register(h);
  s.addStake(0, 5000n * RAO);
  s.addStake(1, 3000n * RAO);
  s.setWeights(0, [2, 3], [100, 50]);
  s.setWeights(1, [3, 2], [10, 10], { mechanism: 1 });
  s.nextBlock(3);
  s.epoch(RAO);
  return s;
}

const uid = fc.integer({ min: 0, max: 3 });
const subnetHealthy = (s: Subnet) => {
  s.weights();
  s.bonds();
  s.nextBlock();
  s.epoch(RAO);
};

const SUBNET_METHODS: Array<[string, fc.Arbitrary<unknown[]>, (s: Subnet, a: unknown[]) => unknown]> = [
  ['setWeights', fc.tuple(uid, fc.constant([1, 2, 3]), fc.tuple(fc.integer({ min: 0, max: 65535 }), fc.integer({ min: 1, max: 65535 }), fc.integer({ min: 0, max: 65535 }))), (s, a) => s.setWeights(...(a as [number, number[], number[]]))],
  ['setWeights(mechanism)', fc.tuple(uid, fc.constant([0, 2]), fc.constant([5, 9]), fc.constant({ mechanism: 1 })), (s, a) => s.setWeights(...(a as [number, number[], number[], { mechanism: number }]))],
  ['register', fc.tuple(fc.constantFrom('e', 'f'), fc.integer({ min: 0, max: 1000 })), (s, a) => s.register(...(a as [string, number]))],
  ['addStake', fc.tuple(uid, fc.bigInt({ min: 0n, max: 10n ** 15n })), (s, a) => s.addStake(...(a as [number, bigint]))],
  ['removeStake', fc.tuple(fc.constantFrom(0, 1), fc.bigInt({ min: 0n, max: 1000n * RAO })), (s, a) => s.removeStake(...(a as [number, bigint]))],
  ['nextBlock', fc.tuple(fc.integer({ min: 0, max: 100 })), (s, a) => s.nextBlock(...(a as [number]))],
  ['setTempo', fc.tuple(fc.integer({ min: 0, max: 400 })), (s, a) => s.setTempo(...(a as [number]))],
  ['setHyper', fc.tuple(fc.record({ kappa: fc.integer({ min: 0, max: 65535 }), yuma3Enabled: fc.boolean(), stakeThreshold: fc.bigInt({ min: 0n, max: 100n }) })), (s, a) => s.setHyper(...(a as [object]))],
  ['resetBonds', fc.tuple(uid), (s, a) => s.resetBonds(...(a as [number]))],
  ['setEmissionSplit', fc.tuple(fc.integer({ min: 0, max: 65535 }).map((x) => [x, 65535 - x])), (s, a) => s.setEmissionSplit(...(a as [number[]]))],
  ['setMechanismCount', fc.tuple(fc.integer({ min: 1, max: 3 })), (s, a) => s.setMechanismCount(...(a as [number]))],
  ['epoch', fc.tuple(fc.bigInt({ min: 0n, max: 10n ** 12n }), fc.record({ path: fc.constantFrom('sparse', 'dense') })), (s, a) => s.epoch(...(a as [bigint, { path: 'sparse' }]))],
  ['weights(opts)', fc.tuple(fc.constant({ mechanism: 1 })), (s, a) => s.weights(...(a as [{ mechanism: number }]))],
];

describe('fuzz: Subnet', () => {
  it('new Subnet(options)', () => {
    const opts = fc.record({ engine: fc.constant(engine), n: fc.integer({ min: 1, max: 8 }), tempo: fc.integer({ min: 0, max: 10 }), mode: fc.constantFrom('fixed', 'float'), hyper: fc.record({ kappa: fc.integer({ min: 0, max: 65535 }) }), mechanisms: fc.integer({ min: 1, max: 2 }), ownerHotkey: fc.constant('o') });
    check({
      name: 'new Subnet',
      args: () => fc.tuple(opts),
      call: (_s, [o]) => new Subnet(o as never),
      result: (s) => subnetState(s as Subnet),
      runs: 120,
    });
  });

  for (const [name, args, call] of SUBNET_METHODS) {
    it(`Subnet.${name}`, () => {
      check({ name: `Subnet.${name}`, args: () => args, setup: subnet, call: (s, a) => call(s as Subnet, a), state: subnetState, healthy: subnetHealthy, result: () => '', runs: 50 });
    });
  }

  it('Subnet.epochs(subnets, raoEmission, opts): a refused batch leaves every subnet as it was', () => {
    const pair = () => [subnet(), subnet()];
    check({
      name: 'Subnet.epochs',
      args: () => fc.tuple(fc.oneof(fc.bigInt({ min: 0n, max: 10n ** 12n }), fc.tuple(fc.bigInt({ min: 0n, max: RAO }), fc.bigInt({ min: 0n, max: RAO }))), fc.record({ path: fc.constantFrom('sparse', 'dense'), bonds: fc.boolean() })),
      setup: pair,
      call: (subnets, [rao, opts]) => Subnet.epochs(subnets as Subnet[], rao as bigint, opts as never),
      state: (subnets) => (subnets as Subnet[]).map(subnetState).join('\n'),
      healthy: (subnets) => (subnets as Subnet[]).forEach(subnetHealthy),
      result: (r) => snapshotText(r),
      runs: 50,
    });
  });
});

describe('fuzz: an engine object\'s output (SubnetNeurons.checkedOutput)', () => {
  const build = (on: unknown, mechanisms: number, mode: 'fixed' | 'float'): Subnet => movingSubnet(on as never, mechanisms, mode);
  /** The engine each subject runs on: the library engine's answer, or the one a call hands it. */
  const answers = new WeakMap<Subnet, { next: unknown }>();
  const subject = ([mechanisms, mode]: [number, 'fixed' | 'float']): Subnet => {
    const slot: { next: unknown } = { next: undefined };
    const relay = { epoch: (...a: Parameters<typeof engine.epoch>) => (slot.next === undefined ? engine.epoch(...a) : slot.next) };
    const s = build(relay, mechanisms, mode);
    answers.set(s, slot);
    return s;
  };
  /** The library engine's output for the subject's next epoch: the tree that gets one hostile node. */
  const validOutput = (env: [number, 'fixed' | 'float']): unknown => {
    let seen: unknown;
    const s = build({ epoch: (...a: Parameters<typeof engine.epoch>) => (seen = engine.epoch(...a)) }, ...env);
    s.epoch(1_000_000n);
    return seen;
  };
  const outputs = new Map<string, unknown>();
  it('Subnet.epoch on an engine object answering the library\'s output with one node replaced: the subnet\'s state after it (a transparent wrapper: as with the plain output, each property read once) or a YumaError leaving the subnet as it was, whose next epoch with the engine mended is a fresh twin\'s', () => {
    check<[number, 'fixed' | 'float'], Subnet>({
      name: 'engine output',
      env: fc.tuple(fc.constantFrom(1, 2), fc.constantFrom('fixed' as const, 'float' as const)),
      args: (env) => {
        const key = env.join();
        if (!outputs.has(key)) outputs.set(key, validOutput(env));
        return fc.constant([outputs.get(key)]);
      },
      setup: subject,
      call: (s, [out]) => {
        answers.get(s)!.next = out;
        try {
          s.epoch(1_000_000n);
        } finally {
          answers.get(s)!.next = undefined;
        }
        return subnetState(s);
      },
      state: subnetState,
      afterRefusal: (s, env) => {
        const twin = build(engine, ...env);
        s.epoch(1_000_000n);
        twin.epoch(1_000_000n);
        expect(subnetState(s)).toBe(subnetState(twin));
      },
      result: (r) => r as string,
      runs: 150,
    });
  });
});

// ------------------------------------------------------------------------------------------------ YumaRun

describe('fuzz: YumaRun', () => {
  const V = 3;
  const M = 4;
  /** A run one epoch in (bond state held), with the bond state as the view its epochs return. */
  const run = (precision: 'f64' | 'f32') => {
    const r = new YumaRun('yuma3-liquid', { validators: V, servers: M }, undefined, { precision });
    const bonds = r.epoch(Float64Array.from({ length: V * M }, (_, i) => (i * 7) % 5), [3, 2, 1]).validatorBonds;
    return { r, bonds };
  };
  type RunSubject = ReturnType<typeof run>;
  /** The epoch a refused run and its twin both take next: their outputs and bond state must agree bit for bit. */
  const nextWeights = Float64Array.from({ length: V * M }, (_, i) => ((i * 3) % 4) + 0.5);
  const weights = fc.array(fc.double({ min: 0, max: 1e6, noNaN: true }), { minLength: V * M, maxLength: V * M });
  it('YumaRun.epoch(weights, stakes) and resetBondColumn(column): a refused call leaves the bond state and epoch count as they were, and its next epoch equals a twin run\'s that never saw the call', () => {
    for (const precision of ['f64', 'f32'] as const) {
      check({
        name: `YumaRun.epoch (${precision})`,
        args: () => fc.tuple(fc.oneof(weights.map((w) => Float64Array.from(w)), weights.map((w) => Float32Array.from(w))), fc.array(fc.double({ min: 1, max: 1e9, noNaN: true }), { minLength: V, maxLength: V })),
        setup: () => run(precision),
        call: (subject, [w, stakes]) => (subject as RunSubject).r.epoch(w as Float64Array, stakes as number[]).serverIncentive.slice(),
        state: (subject) => snapshotText({ bonds: (subject as RunSubject).bonds, epochs: (subject as RunSubject).r.epochCount }),
        afterRefusal: (subject) => expect(snapshotText((subject as RunSubject).r.epoch(nextWeights, [2, 5, 1]))).toBe(snapshotText(run(precision).r.epoch(nextWeights, [2, 5, 1]))),
        healthy: (subject) => void (subject as RunSubject).r.epoch(new Float64Array(V * M).fill(1), [1, 1, 1]),
        result: (r) => snapshotText(r),
        runs: 40,
      });
      check({
        name: `YumaRun.resetBondColumn (${precision})`,
        args: () => fc.tuple(fc.integer({ min: 0, max: M - 1 })),
        setup: () => run(precision),
        call: (subject, [c]) => (subject as RunSubject).r.resetBondColumn(c as number),
        state: (subject) => snapshotText({ bonds: (subject as RunSubject).bonds, epochs: (subject as RunSubject).r.epochCount }),
        afterRefusal: (subject) => expect(snapshotText((subject as RunSubject).r.epoch(nextWeights, [2, 5, 1]))).toBe(snapshotText(run(precision).r.epoch(nextWeights, [2, 5, 1]))),
        healthy: (subject) => void (subject as RunSubject).r.epoch(new Float64Array(V * M).fill(1), [1, 1, 1]),
        runs: 30,
      });
    }
  });
});

// ------------------------------------------------------------------------------------------------ research functions

describe('fuzz: research epochs, cases and runs', () => {
  const V = 3;
  const M = 4;
  const unit = fc.double({ min: 0, max: 1, noNaN: true });
  const matrix = fc.array(fc.array(fc.double({ min: 0, max: 1e3, noNaN: true }), { minLength: M, maxLength: M }), { minLength: V, maxLength: V });
  const stakes = fc.array(fc.double({ min: 1, max: 1e6, noNaN: true }), { minLength: V, maxLength: V });
  const config = fc.record(
    {
      kappa: unit,
      bondPenalty: unit,
      bondMovingAvg: unit,
      alphaLow: fc.double({ min: 0, max: 0.5, noNaN: true }),
      alphaHigh: fc.double({ min: 0.5, max: 1, noNaN: true }),
      liquidAlpha: fc.boolean(),
      decayRate: unit,
    },
    { requiredKeys: [] },
  );
  const options = fc.record({ precision: fc.constantFrom('f64', 'f32'), nonFinite: fc.constantFrom('zero', 'torch'), legacyConsensus: fc.boolean() }, { requiredKeys: [] });
  const versions = fc.constantFrom(...YUMA_VERSIONS);

  it('yumaEpoch(version, input, config, options), 80 runs each drawing one of the six versions: a result or a YumaError with a code, the arguments untouched, a transparent copy read once to the same result', () => {
    check({
      name: 'yumaEpoch',
      env: versions,
      args: () => fc.tuple(fc.record({ weights: matrix, stakes, bondsOld: matrix, consensusOld: fc.array(unit, { minLength: M, maxLength: M }) }, { requiredKeys: ['weights', 'stakes'] }), config, options),
      call: (_s, [input, cfg, opts], version) => yumaEpoch(version as YumaVersion, input as never, cfg as never, opts as never),
      result: (r) => snapshotText(r),
      runs: 80,
    });
  });

  it('simulateCase(input) with a bond reset, 60 runs each drawing one of the six versions: a result or a YumaError with a code, the arguments untouched', () => {
    check({
      name: 'simulateCase',
      env: versions,
      args: (version) =>
        fc.tuple(
          fc.record(
            {
              version: fc.constant(version),
              weights: fc.tuple(matrix, matrix),
              stakes: fc.tuple(stakes, stakes),
              config,
              resetBonds: fc.record({ epoch: fc.integer({ min: 1, max: 1 }), column: fc.integer({ min: 0, max: M - 1 }) }),
              precision: fc.constantFrom('f64', 'f32'),
            },
            { requiredKeys: ['version', 'weights', 'stakes'] },
          ),
        ),
      call: (_s, [input]) => simulateCase(input as never),
      result: (r) => snapshotText(r),
      runs: 60,
    });
  });

  it('new YumaRun(version, shape, config, options) and its first epoch: a result or a YumaError with a code, the arguments untouched', () => {
    const w = Float64Array.from({ length: V * M }, (_, i) => (i * 5) % 7);
    check({
      name: 'new YumaRun',
      env: versions,
      args: () => fc.tuple(fc.record({ validators: fc.constant(V), servers: fc.constant(M) }), config, fc.record({ precision: fc.constantFrom('f64', 'f32') }, { requiredKeys: [] })),
      call: (_s, [shape, cfg, opts], version) => new YumaRun(version as YumaVersion, shape as never, cfg as never, opts as never).epoch(w, [3, 2, 1]).serverIncentive.slice(),
      result: (r) => snapshotText(r),
      runs: 60,
    });
  });
});

// ------------------------------------------------------------------------------------------------ Pool

const PRESETS = ['seed', 'launch', 'balancer'] as const;
function pool(preset: (typeof PRESETS)[number]): Pool {
  const p = Pool.genesis({ tao: 1000n * RAO, alpha: 3000n * RAO, preset });
  p.inject(17n * RAO, 5n * RAO); // re-weights the Balancer pool
  return p;
}
const poolHealthy = (p: Pool) => {
  const r = p.reserves();
  if (r.tao > U64_MAX || r.alpha > U64_MAX || r.tao <= 0n || r.alpha <= 0n) throw new Error(`reserves out of range ${r.tao} ${r.alpha}`);
  if (!Number.isFinite(p.price())) throw new Error('price not finite');
  p.quoteStake(10n * RAO);
};
const limit = fc.oneof(fc.double({ min: 0, max: 10, noNaN: true }), fc.bigInt({ min: 0n, max: 10n ** 10n }));
const swapOpts = fc.record({ limitPrice: limit, allowPartial: fc.boolean(), dropFees: fc.boolean() }, { requiredKeys: [] });
const POOL_METHODS: Array<[string, fc.Arbitrary<unknown[]>, (p: Pool, a: unknown[]) => unknown]> = [
  ['stake', fc.tuple(fc.bigInt({ min: 1n, max: 10n ** 13n }), swapOpts), (p, a) => p.stake(...(a as [bigint]))],
  ['unstake', fc.tuple(fc.bigInt({ min: 1n, max: 10n ** 13n }), swapOpts), (p, a) => p.unstake(...(a as [bigint]))],
  ['quoteStake', fc.tuple(fc.bigInt({ min: 1n, max: 10n ** 13n }), swapOpts), (p, a) => p.quoteStake(...(a as [bigint]))],
  ['quoteUnstake', fc.tuple(fc.bigInt({ min: 1n, max: 10n ** 13n }), swapOpts), (p, a) => p.quoteUnstake(...(a as [bigint]))],
  ['maxStake', fc.tuple(limit), (p, a) => p.maxStake(...(a as [number]))],
  ['maxUnstake', fc.tuple(limit), (p, a) => p.maxUnstake(...(a as [number]))],
  ['inject', fc.tuple(fc.bigInt({ min: 0n, max: 10n ** 13n }), fc.bigInt({ min: 0n, max: 10n ** 13n })), (p, a) => p.inject(...(a as [bigint, bigint]))],
];

describe('fuzz: Pool', () => {
  it('Pool.genesis(options)', () => {
    const opts = fc.record(
      {
        tao: fc.bigInt({ min: 1n, max: 10n ** 15n }),
        alpha: fc.bigInt({ min: 1n, max: 10n ** 15n }),
        preset: fc.constantFrom(...PRESETS),
        weightQuote: fc.double({ min: 0.02, max: 0.98, noNaN: true }),
        feeRate: fc.double({ min: 0, max: 0.5, noNaN: true }),
        minStake: fc.bigInt({ min: 0n, max: 1000n }),
        rebalanceOnInject: fc.boolean(),
      },
      { requiredKeys: ['tao', 'alpha'] },
    );
    check({ name: 'Pool.genesis', args: () => fc.tuple(opts), call: (_s, [o]) => Pool.genesis(o as never), result: (p) => poolState(p as Pool), runs: 150 });
  });

  for (const [name, args, call] of POOL_METHODS) {
    it(`Pool.${name}`, () => {
      check({ name: `Pool.${name}`, env: fc.constantFrom(...PRESETS), args: () => args, setup: pool, call: (p, a) => call(p as Pool, a), state: poolState, healthy: poolHealthy, runs: 60 });
    });
  }
});

// ------------------------------------------------------------------------------------------------ dTAO

const prices = fc.array(fc.double({ min: 0, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 6 });
const amount = fc.bigInt({ min: 0n, max: 10n ** 16n });
const PURE: Array<[string, fc.Arbitrary<unknown[]>, (a: unknown[]) => unknown, number?]> = [
  ['emissionShares', fc.tuple(prices, fc.record({ mode: fc.constantFrom('softmax', 'proportional'), temperature: fc.double({ min: 0.01, max: 10, noNaN: true }) })), (a) => emissionShares(...(a as [number[]]))],
  ['priceShares', fc.tuple(fc.constant([0.1, 0.2, 0.3]), fc.record({ minerBurned: fc.constant([0, 0.5, 1]), enabled: fc.constant([true, false, true]), rootProportion: fc.constant([1, 1, 0.5]) })), (a) => priceShares(...(a as [number[]]))],
  ['powNormalize', fc.tuple(prices, fc.double({ min: 0.1, max: 3, noNaN: true })), (a) => powNormalize(...(a as [number[], number]))],
  ['splitAlphaOut', fc.tuple(amount, fc.record({ ownerCut: fc.integer({ min: 0, max: 65535 }), rootProportion: fc.double({ min: 0, max: 1, noNaN: true }), rootSell: fc.boolean() })), (a) => splitAlphaOut(...(a as [bigint]))],
  ['splitProRata', fc.tuple(amount, fc.array(fc.bigInt({ min: 0n, max: 10n ** 12n }), { maxLength: 5 })), (a) => splitProRata(...(a as [bigint, bigint[]]))],
  ['rootProportion', fc.tuple(fc.record({ rootTao: amount, taoWeight: fc.double({ min: 0, max: 1, noNaN: true }), alphaIssuance: amount })), (a) => rootProportion(...(a as [never]))],
  ['distributePending', fc.tuple(fc.record({ server: amount, validator: amount, owner: amount, incentive: fc.constant([100, 0, 65535]), dividends: fc.constant([0, 500, 9]), stakes: fc.constant([undefined, { nominators: [5n, 7n], take: 100 }]) })), (a) => distributePending(...(a as [never]))],
  ['halvingSchedule', fc.tuple(fc.record({ issuance: fc.bigInt({ min: 0n, max: 21_000_000n * RAO }), recycledPerBlock: fc.bigInt({ min: 0n, max: RAO }), blocks: fc.integer({ min: 0, max: 10_000_000 }) })), (a) => halvingSchedule(...(a as [never]))],
  ['projectHalvings', fc.tuple(fc.record({ issuance: fc.bigInt({ min: 0n, max: 21_000_000n * RAO }), blocks: fc.integer({ min: 0, max: 10_000_000 }), startDate: fc.constant(new Date(0)), blockSeconds: fc.constant(12) })), (a) => projectHalvings(...(a as [never]))],
  ['compareRecycling', fc.tuple(fc.record({ issuance: fc.bigInt({ min: 0n, max: 21_000_000n * RAO }), recycledPerBlock: fc.bigInt({ min: 0n, max: RAO }), blocks: fc.integer({ min: 0, max: 10_000_000 }) })), (a) => compareRecycling(...(a as [never]))],
  ['blockEmission', fc.tuple(amount), (a) => [blockEmission(a[0] as bigint), alphaBlockEmission(a[0] as bigint), nextHalvingIssuance(a[0] as bigint)]],
  ['blocksUntilNextEpoch', fc.tuple(fc.nat(4096), fc.nat(400), fc.nat(10_000_000)), (a) => [blocksUntilNextEpochLegacy(...(a as [number, number, number])), blocksUntilNextAutoEpoch(...(a as [number, number, number]))]],
  ['mulPerquintillRoundHalf', fc.tuple(fc.bigInt({ min: 0n, max: 10n ** 18n }), amount), (a) => mulPerquintillRoundHalf(...(a as [bigint, bigint]))],
  ['splitBlockEmission', fc.tuple(amount, fc.constant([0.25, 0.5]), fc.constant([{ pool: pool('balancer'), alphaIssuance: 10n ** 12n, rootProportion: 0.3 }, { pool: pool('seed'), alphaIssuance: 0n }])), (a) => splitBlockEmission(...(a as [bigint, number[], never]))],
  ['vecU16MaxUpscaleToU16', fc.tuple(fc.array(fc.integer({ min: 0, max: 65535 }), { maxLength: 6 })), (a) => vecU16MaxUpscaleToU16(...(a as [number[]]))],
];

describe('fuzz: dTAO functions', () => {
  for (const [name, args, call, runs] of PURE) {
    it(name, () => check({ name, args: () => args, call: (_s, a) => call(a), runs: runs ?? 80 }));
  }

  it('MovingPriceTracker, FlowTracker and SubnetEconomy keep their state on refused calls', () => {
    const mp = () => {
      const t = new MovingPriceTracker({ alpha: 0.01 });
      t.add(10, 0.5);
      t.add(20, 0.1);
      return t;
    };
    const mpState = (t: MovingPriceTracker) => snapshotText(t);
    check({ name: 'new MovingPriceTracker', args: () => fc.tuple(fc.record({ alpha: fc.double({ min: 0, max: 1, noNaN: true }), halvingBlocks: fc.nat(1000) })), call: (_s, [o]) => new MovingPriceTracker(o as never), result: snapshotText, runs: 40 });
    check({ name: 'MovingPriceTracker.update', args: () => fc.tuple(fc.nat(1000), fc.tuple(fc.double({ min: 0, max: 2, noNaN: true }), fc.double({ min: 0, max: 2, noNaN: true }))), setup: mp, call: (t, a) => (t as MovingPriceTracker).update(...(a as [number, number[]])), state: mpState, healthy: (t) => (t as MovingPriceTracker).shares(), runs: 50 });
    check({ name: 'MovingPriceTracker.add', args: () => fc.tuple(fc.integer({ min: 1, max: 1000 }), fc.double({ min: 0, max: 2, noNaN: true })), setup: mp, call: (t, a) => (t as MovingPriceTracker).add(...(a as [number, number])), state: mpState, runs: 40 });
    const ft = () => new FlowTracker(3, { exponent: 2 });
    check({ name: 'FlowTracker.recordFlow', args: () => fc.tuple(fc.nat(2), fc.oneof(fc.bigInt({ min: -(10n ** 15n), max: 10n ** 15n }), fc.integer())), setup: ft, call: (t, a) => (t as FlowTracker).recordFlow(...(a as [number, bigint])), state: snapshotText, healthy: (t) => { (t as FlowTracker).endBlock(); (t as FlowTracker).shares(); }, runs: 50 });
    check({ name: 'new FlowTracker', args: () => fc.tuple(fc.nat(5), fc.record({ smoothing: fc.double({ min: 0, max: 1, noNaN: true }), exponent: fc.double({ min: 0.1, max: 3, noNaN: true }), cutoff: fc.double({ min: -10, max: 10, noNaN: true }), netFlow: fc.boolean() })), call: (_s, a) => new FlowTracker(...(a as [number])), result: snapshotText, runs: 40 });
    const economy = () => {
      const e = new SubnetEconomy({ issuance: 1000n * RAO });
      e.addSubnet({ pool: pool('balancer'), rootProportion: 0.2 });
      e.addSubnet({ pool: pool('seed'), tempo: 3 });
      return e;
    };
    const ecoState = (e: SubnetEconomy) => snapshotText({ e, pools: e.subnets.map((s) => poolState(s.pool)) });
    check({ name: 'SubnetEconomy.step', args: () => fc.tuple(fc.tuple(fc.double({ min: 0, max: 0.5, noNaN: true }), fc.double({ min: 0, max: 0.5, noNaN: true }))), setup: economy, call: (e, a) => (e as SubnetEconomy).step(...(a as [number[]])), state: ecoState, healthy: (e) => (e as SubnetEconomy).step([0.5, 0.5]), result: snapshotText, runs: 60 });
    check({ name: 'SubnetEconomy.addSubnet', args: () => fc.tuple(fc.record({ pool: fc.constant(pool('seed')), alphaOut: amount, tempo: fc.nat(400), netuid: fc.nat(100), ownerCut: fc.nat(65535), rootProportion: fc.double({ min: 0, max: 1, noNaN: true }) })), setup: economy, call: (e, [o]) => (e as SubnetEconomy).addSubnet(o as never), state: ecoState, runs: 40 });
  });
});

// ------------------------------------------------------------------------------------------------ Chain

/** A block model with a dynamic subnet of two mechanisms, two staked validators, two miners and registration on. */
function chain(): Chain {
  const s = newChainState({ block: 100n, totalIssuance: 10_000_000n * RAO, balancesTotalIssuance: 10_000_000n * RAO });
  const neuron = (uid: number, hotkey: string, weights: Array<[number, number]>) => ({
    uid, hotkey, blockAtRegistration: 1n, lastUpdate: 99n, validatorPermit: uid < 2, weights, bonds: [] as Array<[number, number]>,
  });
  s.subnets.set(
    1,
    newSubnet(1, {
      subnetTao: 1000n * RAO,
      subnetAlphaIn: 4000n * RAO,
      tempo: 3,
      lastEpochBlock: 100n,
      neurons: [neuron(0, 'v1', [[2, 65535], [3, 21845]]), neuron(1, 'v2', [[2, 65535]]), neuron(2, 'm1', []), neuron(3, 'm2', [])],
      mechanisms: [{ weights: [[[3, 65535]], [[2, 10000], [3, 65535]], [], []], bonds: [[], [], [], []], lastUpdate: [99n, 99n, 99n, 99n] }],
      mechanismEmissionSplit: [40000, 25535],
      registration: defaultRegistration({ maxAllowedUids: 6 }),
    }),
  );
  for (const [h, o] of [['v1', 'a'], ['v2', 'b'], ['m1', 'c'], ['m2', 'd']]) s.hotkeys.set(h, { owner: o });
  const c = new Chain(s, { engine });
  c.addStake({ coldkey: 'a', hotkey: 'v1', netuid: 1, tao: 300n * RAO });
  c.addStake({ coldkey: 'b', hotkey: 'v2', netuid: 1, tao: 100n * RAO });
  return c;
}
const chainState = (c: Chain) => JSON.stringify(chainStateToJSON(c.state));
const chainHealthy = (c: Chain) => {
  c.run(4);
  c.addStake({ coldkey: 'a', hotkey: 'v1', netuid: 1, tao: RAO });
};
const rao = fc.bigInt({ min: 0n, max: 50n * RAO });
const CHAIN_METHODS: Array<[string, fc.Arbitrary<unknown[]>, (c: Chain, a: unknown[]) => unknown]> = [
  ['addStake', fc.tuple(fc.record({ coldkey: fc.constantFrom('a', 'z'), hotkey: fc.constantFrom('v1', 'm1'), netuid: fc.constantFrom(0, 1), tao: rao, limitPrice: fc.bigInt({ min: 0n, max: RAO }), allowPartial: fc.boolean() }, { requiredKeys: ['coldkey', 'hotkey', 'netuid', 'tao'] })), (c, [r]) => c.addStake(r as never)],
  ['removeStake', fc.tuple(fc.record({ coldkey: fc.constantFrom('a', 'b'), hotkey: fc.constantFrom('v1', 'v2'), netuid: fc.constant(1), alpha: rao, limitPrice: fc.bigInt({ min: 0n, max: RAO }), allowPartial: fc.boolean() }, { requiredKeys: ['coldkey', 'hotkey', 'netuid', 'alpha'] })), (c, [r]) => c.removeStake(r as never)],
  ['registerNeuron', fc.tuple(fc.record({ coldkey: fc.constantFrom('a', 'e'), hotkey: fc.constantFrom('n1', 'm1'), netuid: fc.constant(1), limitPrice: fc.bigInt({ min: 0n, max: 10n * RAO }) }, { requiredKeys: ['coldkey', 'hotkey', 'netuid'] })), (c, [r]) => c.registerNeuron(r as never)],
  ['setWeights', fc.tuple(fc.record({ hotkey: fc.constantFrom('v1', 'v2'), netuid: fc.constant(1), uids: fc.constant([2, 3]), values: fc.tuple(fc.nat(65535), fc.nat(65535)), mechanism: fc.constantFrom(0, 1) }, { requiredKeys: ['hotkey', 'netuid', 'uids', 'values'] })), (c, [r]) => c.setWeights(r as never)],
];

describe('fuzz: Chain', () => {
  for (const [name, args, call] of CHAIN_METHODS) {
    it(`Chain.${name}`, () => {
      check({ name: `Chain.${name}`, args: () => args, setup: chain, call: (c, a) => call(c as Chain, a), state: chainState, healthy: chainHealthy, result: () => '', runs: 40 });
    });
  }
  it('new Chain(state, options) and Chain.fromJSON', () => {
    const json = chainStateToJSON(chain().state);
    // the engine is one of the options the library reads (a spread here would run a hostile getter in the test)
    check({ name: 'Chain.fromJSON', args: () => fc.tuple(fc.constant(JSON.parse(JSON.stringify(json))), fc.record({ epochMode: fc.constantFrom('fixed', 'float'), engine: fc.constant(engine) })), call: (_s, [j, o]) => chainStateToJSON(Chain.fromJSON(j, o as never).state), result: (r) => JSON.stringify(r), runs: 60 });
    check({ name: 'new Chain', args: () => fc.tuple(fc.record({ epochMode: fc.constantFrom('fixed', 'float'), engine: fc.constant(engine) })), call: (_s, [o]) => new Chain(chain().state, o as never).epochMode, runs: 40 });
  });
});

// ------------------------------------------------------------------------------------------------ Network

const tinyNetwork = fc.record({
  engine: fc.constant(engine),
  subnets: fc.integer({ min: 1, max: 2 }),
  uidsPerSubnet: fc.integer({ min: 6, max: 10 }),
  subnet1Uids: fc.constant(0),
  tempo: fc.integer({ min: 3, max: 6 }),
  mode: fc.constantFrom('float', 'fixed'),
  validators: fc.constant([{ strategy: 'honest', stakeShare: 0.5 }, { strategy: 'copier' }]),
  minerQualities: fc.constant([1, 2, 0.5]),
  qualitySwaps: fc.constant([{ block: 2, subnets: [1] }]),
  hyper: fc.record({ kappa: fc.integer({ min: 0, max: 65535 }), stakeThreshold: fc.bigInt({ min: 0n, max: 10n }) }),
  strategies: fc.constant({ honest: 1, lazy: 1 }),
});

describe('fuzz: Network', () => {
  it('new Network(config) and run(options)', () => {
    check({ name: 'new Network', args: () => fc.tuple(tinyNetwork), call: (_s, [c]) => new Network(c as never).options, runs: 80 });
    check({
      name: 'Network.run',
      args: () => fc.tuple(fc.record({ blocks: fc.integer({ min: 1, max: 12 }), onProgress: fc.constant(() => {}) })),
      setup: () => new Network({ engine, subnets: 2, uidsPerSubnet: 6, subnet1Uids: 0, tempo: 3 }),
      call: (n, [o]) => JSON.stringify((n as Network).run(o as never)),
      healthy: (n) => {
        // refused: the network still runs; accepted: it has run once and says so
        try {
          (n as Network).run({ blocks: 2 });
        } catch (e) {
          if (!(isYumaError(e) && e.code === 'E_STATE')) throw e;
        }
      },
      runs: 30,
    });
    check({ name: 'scenarioFromJson', args: () => fc.tuple(fc.record({ name: fc.constant('x'), days: fc.constant(1), network: fc.record({ subnets: fc.constant(2), hyper: fc.constant({ stakeThreshold: '5' }), issuanceStart: fc.constant('1000') }) })), call: (_s, [j]) => scenarioFromJson(j), runs: 60 });
  });
});

// ------------------------------------------------------------------------------------------------ CLI

function cli(argv: string[], files: Record<string, string>): { code: number; stdout: string; stderr: string } {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s), isTTY: false, columns: 100 },
    readFile: (p) => {
      if (!(p in files)) throw Object.assign(new Error('no such file'), { code: 'ENOENT' });
      return files[p];
    },
    writeFile: () => {},
    createEngine: () => engine,
    now: () => 0,
  };
  const code = runCli(argv, io);
  if (typeof code !== 'number') throw new Error('the CLI returned a promise');
  return { code, stdout, stderr };
}

/** JSON-only hostile values: what a file can hold. */
const JSON_HOSTILE = [null, -1, 70000, 1e300, -1e300, 0.5, '', '-5', '1e3', 'x', true, [], {}, [[[]]], { __proto__: 1 }, 2 ** 64, '18446744073709551616'];

describe('fuzz: CLI', () => {
  it('yuma-wasm epoch <file> exits 0 with JSON or 2 with a message, never 1 (internal error)', () => {
    const file = smallInput.map((input) => JSON.parse(JSON.stringify({ input, hyper: DEFAULT_HYPERPARAMS, mode: 'fixed' }, (_k, v) => (typeof v === 'bigint' ? v.toString() : ArrayBuffer.isView(v) ? Array.from(v as Uint16Array) : v))));
    fc.assert(
      fc.property(file.chain((f) => fc.tuple(fc.constant(f), arbHostile(f), fc.constantFrom(...JSON_HOSTILE))), ([f, h, value]) => {
        const text = JSON.stringify(applyHostile(f, { ...h, mutation: { ...h.mutation, apply: () => value } }, new ReadLog()));
        const r = cli(['epoch', 'in.json', '--compact'], { 'in.json': text ?? 'null' });
        expect([0, 2], r.stderr).toContain(r.code);
        expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
        if (r.code === 0) expect(JSON.parse(r.stdout).incentive).toBeInstanceOf(Array);
        else expect(r.stderr.trim(), 'exit 2 without a message').not.toBe('');
      }),
      { seed: FUZZ_SEED, numRuns: fuzzRuns(200) },
    );
  });

  it('yuma-wasm diverge <file> and epoch --metagraph <file> exit 0 or 2, never 1 (internal error)', () => {
    const epochFile = smallInput.map((input) => JSON.parse(JSON.stringify({ input, hyper: DEFAULT_HYPERPARAMS }, (_k, v) => (typeof v === 'bigint' ? v.toString() : ArrayBuffer.isView(v) ? Array.from(v as Uint16Array) : v))));
    const metagraph = fc.constant({ block: 100, S: [10, 5, 0.5], W: [[0, 0, 1], [0, 0, 1], [0, 0, 0]], B: [[0, 0, 0.5], [0, 0, 0.2], [0, 0, 0]], last_update: [99, 99, 0], block_at_registration: [0, 0, 0], validator_permit: [true, true, false], tempo: 10, kappa: 32767 });
    for (const [argv, file] of [
      [['diverge', 'in.json'], epochFile],
      [['epoch', '--metagraph', 'in.json', '--compact'], metagraph],
    ] as const) {
      const codes = new Set<number>();
      fc.assert(
        fc.property((file as fc.Arbitrary<unknown>).chain((f) => fc.tuple(fc.constant(f), arbHostile(f), fc.constantFrom(...JSON_HOSTILE))), ([f, h, value]) => {
          const text = JSON.stringify(applyHostile(f, { ...h, mutation: { ...h.mutation, apply: () => value } }, new ReadLog()));
          const r = cli([...argv], { 'in.json': text ?? 'null' });
          codes.add(r.code);
          expect([0, 2], `${argv.join(' ')}: ${r.stderr}`).toContain(r.code);
          expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
        }),
        { seed: FUZZ_SEED, numRuns: fuzzRuns(120) },
      );
      // the valid file runs, so a mutation that leaves it valid exits 0: both outcomes occur
      expect(cli([...argv], { 'in.json': JSON.stringify(fc.sample(file as fc.Arbitrary<unknown>, { seed: FUZZ_SEED, numRuns: 1 })[0]) }).code, argv.join(' ')).toBe(0);
      expect([...codes].sort(), argv.join(' ')).toEqual([0, 2]);
    }
  });

  it("the simulate cases run simulate with the fuzzer's flags after the command, and stay tiny: a size flag given too big is skipped and the base's tiny value kept (YUMA_FUZZ_SEED=23 YUMA_FUZZ_SCALE=4 dropped both, and one case simulated a default day of 1024 UIDs for 97 s)", () => {
    const base = ['simulate', '--subnets', '2', '--uids', '8', '--subnet1-uids', '0', '--blocks', '6', '--tempo', '2', '--quiet'];
    expect(mergeFlags(base, ['--blocks', '1e9', '--subnet1-uids', '1024'])).toEqual(base);
    expect(mergeFlags(base, ['--uids', '4096', '--subnets', '1024', '--days', '0.5'])).toEqual(base);
    // the fuzzer's flags follow the command (before it, every case with one was an unknown command)
    expect(mergeFlags(base, ['--blocks', '2', '--mode', 'float'])).toEqual(['simulate', '--subnets', '2', '--uids', '8', '--subnet1-uids', '0', '--tempo', '2', '--quiet', '--blocks', '2', '--mode', 'float']);
  });

  it('yuma-wasm simulate with hostile flags and scenario files exits 0 or 2, never 1', () => {
    const flag = fc.constantFrom('--subnets', '--uids', '--subnet1-uids', '--blocks', '--days', '--seed', '--share-mode', '--mode', '--tempo', '--top', '--constructor', '--__proto__', '--quiet', '--scenario');
    const value = fc.constantFrom('0', '1', '2', '-1', '1e9', 'NaN', 'Infinity', '0x10', '', ' ', 'float', 'softmax', 's.json', '4096', '1024', '0.5');
    const scenario = fc.record({ blocks: fc.constantFrom(1, 5, -1, 1e12, '5'), network: fc.record({ subnets: fc.constantFrom(1, 2, 5000, '2', null), hyper: fc.constantFrom({}, { stakeThreshold: '5' }, { stakeThreshold: -1 }, { kappa: 1e9 }, null, []) }, { requiredKeys: [] }) }, { requiredKeys: [] });
    fc.assert(
      fc.property(fc.array(fc.tuple(flag, value), { maxLength: 3 }), scenario, (pairs, sc) => {
        const argv = ['simulate', '--subnets', '2', '--uids', '8', '--subnet1-uids', '0', '--blocks', '6', '--tempo', '2', '--quiet'];
        const extra = pairs.flat().filter((x) => !['--subnets', '--uids', '--subnet1-uids', '--blocks', '--tempo', '--days'].includes(x) || true);
        // keep runs tiny: size flags given by the fuzzer replace the tiny defaults only when they stay small
        const merged = mergeFlags(argv, extra);
        const r = cli(merged, { 's.json': JSON.stringify(sc) });
        expect([0, 2], `${merged.join(' ')}\n${r.stderr}`).toContain(r.code);
        expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
      }),
      { seed: FUZZ_SEED, numRuns: fuzzRuns(60) },
    );
  });
});

/**
 * argv with the fuzzer's flags after the command's (it put them before the command, so every case with one was an
 * unknown command); size flags keep the run tiny (at most 8 subnets, 64 UIDs, 50 blocks): a value above that is
 * skipped and the base's tiny one kept.
 */
function mergeFlags(base: string[], extra: string[]): string[] {
  const kept: string[] = [];
  const given = new Set<string>();
  for (let i = 0; i < extra.length; i += 2) {
    const [f, v] = [extra[i], extra[i + 1]];
    if (given.has(f)) continue;
    const n = Number(v);
    const tooBig = (f === '--subnets' && n > 8) || ((f === '--uids' || f === '--subnet1-uids') && n > 64) || (f === '--blocks' && n > 50) || (f === '--days' && n * 7200 > 50);
    // a skipped value keeps the base's tiny one (it dropped both, and the case ran a default day of 1024 UIDs)
    if (tooBig) continue;
    given.add(f);
    kept.push(f, v);
  }
  const out: string[] = [];
  for (let i = 0; i < base.length; i++) {
    if (base[i].startsWith('--') && given.has(base[i])) {
      if (base[i] !== '--quiet') i++;
      continue;
    }
    out.push(base[i]);
  }
  out.push(...kept);
  if (given.has('--days')) return out.filter((x, i, a) => !(x === '--blocks' || a[i - 1] === '--blocks'));
  return out;
}

// ------------------------------------------------------------------------------------------------ testing subpath

describe('fuzz: yuma-wasm/testing', () => {
  it('checkEpochInvariants, withLayout and arbEpochInput refuse hostile arguments with YumaErrors', () => {
    const withOutput = smallInput.map((input) => ({ input, output: engine.epoch(input) }));
    check({ name: 'checkEpochInvariants', args: () => withOutput.chain(({ input, output }) => fc.tuple(fc.constant(input), fc.constant(output), fc.constant({ mode: 'fixed', path: 'sparse' }))), call: (_s, [i, o, opts]) => checkEpochInvariants(i as never, o as never, opts as never), runs: 80 });
    // withLayout converts the matrices and passes the other fields through as given: only the matrices are its result
    const matrices = (r: unknown) => treeText({ weights: (r as EpochInput).weights, bonds: (r as EpochInput).bonds });
    check({ name: 'withLayout', args: () => fc.tuple(smallInput, fc.constantFrom('sparse', 'dense')), call: (_s, [i, l]) => withLayout(i as never, l as never), result: matrices, runs: 60 });
    check({ name: 'arbEpochInput', args: () => fc.tuple(fc.record({ minN: fc.integer({ min: 1, max: 3 }), maxN: fc.integer({ min: 3, max: 5 }), layout: fc.constantFrom('sparse', 'dense', 'either'), maxStake: fc.constant(10n ** 12n), flavours: fc.constant(['random', 'ties']) })), call: (_s, [o]) => fc.sample(arbEpochInput(o as never), { seed: 1, numRuns: 2 }), runs: 60 });
  });
});

// ------------------------------------------------------------------------------------------------ constants

describe('fuzz: exported constants', () => {
  const constants = () => ({ DEFAULT_HYPERPARAMS, POOL_PRESETS, DEFAULT_OPTIONS, STRATEGIES, SHARE_MODES, SUBNET_FLAVOURS });
  // read when the file loads, before any fuzz case ran
  const asLoaded = snapshotText(constants());
  const resolvedAsLoaded = snapshotText(resolveOptions({}));

  it('are deeply frozen and unchanged after the fuzzing: every value of each, and the options resolveOptions({}) gives, as when the file loaded', () => {
    const deepFrozen = (v: unknown): boolean => typeof v !== 'object' || v === null || (Object.isFrozen(v) && Object.values(v).every(deepFrozen));
    for (const c of Object.values(constants())) expect(deepFrozen(c)).toBe(true);
    expect(snapshotText(constants())).toBe(asLoaded);
    expect(snapshotText(resolveOptions({}))).toBe(resolvedAsLoaded);
    expect(resolveOptions({}).subnets).toBe(64);
    expect(DEFAULT_HYPERPARAMS.kappa).toBe(32767);
  });
});
