/**
 * The broad net one level down: test/fuzz-exports.test.ts calls every exported function and constructor with
 * hostile values; this calls every public method of an instance of each exported class (and the engine's) with
 * them, one argument position at a time. Each call returns or throws a YumaError with a code, and a call that
 * throws leaves the instance as it was (its serialised state compared before and after).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { type Chain, chainStateToJSON } from '../src/chain/index.js';
import { createEngineSync } from '../src/engine.js';
import { Pool } from '../src/dtao/pool.js';
import { FlowTracker, MovingPriceTracker } from '../src/dtao/shares.js';
import { SubnetEconomy } from '../src/dtao/coinbase.js';
import { Network } from '../src/sim/network.js';
import { RAO } from '../src/units.js';
import { isYumaError } from '../src/errors.js';
import { HOSTILE_VALUES, runaway } from './helpers/hostile.js';
import { poolState, smallSubnet, subnetState, twoNeuronChain } from './helpers/state.js';

const engine = createEngineSync();
afterAll(() => engine.close());

/** A state as text: bigints as strings, typed arrays and Maps as arrays, each object once (a cycle is marked). */
function snapshot(x: unknown): string {
  const seen = new WeakSet<object>();
  return JSON.stringify(x, (_k, v: unknown) => {
    if (typeof v === 'bigint') return `${v}n`;
    if (typeof v === 'function' || typeof v === 'symbol') return undefined;
    if (typeof v !== 'object' || v === null) return v;
    if (seen.has(v)) return '[seen]';
    seen.add(v);
    if (ArrayBuffer.isView(v)) return Array.from(v as unknown as ArrayLike<unknown>, (e) => (typeof e === 'bigint' ? `${e}n` : e));
    if (v instanceof ArrayBuffer || (typeof WebAssembly !== 'undefined' && v instanceof WebAssembly.Memory)) return '[buffer]';
    if (v instanceof Map) return [...v.entries()];
    if (v instanceof Set) return [...v.values()];
    return v;
  });
}

function smallChain(): Chain {
  const c = twoNeuronChain(engine);
  c.addStake({ coldkey: 'a', hotkey: 'v', netuid: 1, tao: 10n * RAO });
  c.run(2);
  return c;
}

const smallPool = () => Pool.genesis({ tao: 1000n * RAO, alpha: 2000n * RAO, preset: 'balancer' });

/**
 * Calls `act` on a fresh instance from `make`; records in `failures` an error that is no YumaError, a walk of the
 * huge-length Proxy, a refusal that changed the instance's `state`, or (`mustRefuse`) a call that was taken.
 */
function tryCall<T>(failures: string[], label: string, make: () => T, state: (o: T) => string, act: (o: T) => unknown, mustRefuse = false): void {
  const o = make();
  const before = state(o);
  runaway.seen = false;
  try {
    const r = act(o);
    if (r instanceof Promise) r.catch(() => {});
    if (runaway.seen) failures.push(`${label}: walked a 2^32 − 1 length Proxy`);
    else if (mustRefuse) failures.push(`${label}: taken`);
  } catch (e) {
    if (runaway.seen) failures.push(`${label}: walked a 2^32 − 1 length Proxy`);
    else if (!isYumaError(e)) failures.push(`${label}: ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`);
    else if (state(o) !== before) failures.push(`${label}: ${(e as Error).message}, and the state changed`);
  }
}

/** Each argument of a valid call replaced by each hostile value, and each field of an options object; an unknown option key must be refused. */
function fuzzArguments<T>(failures: string[], make: () => T, state: (o: T) => string, method: string, call: () => unknown[], elements: boolean): void {
  const act = (args: unknown[]) => (o: T) => (o as Record<string, (...a: unknown[]) => unknown>)[method](...args);
  call().forEach((arg, pos) => {
    const replaced = (f: (a: unknown) => unknown) => call().map((a, k) => (k === pos ? f(a) : a));
    for (const [label, value] of HOSTILE_VALUES) {
      tryCall(failures, `argument ${pos} = ${label}`, make, state, act(replaced(() => value())));
      if (elements && Array.isArray(arg)) arg.forEach((_, i) => tryCall(failures, `argument ${pos}[${i}] = ${label}`, make, state, act(replaced((a) => (a as unknown[]).map((e, j) => (j === i ? value() : e))))));
      else if (typeof arg === 'object' && arg !== null && !Array.isArray(arg)) {
        for (const key of Object.keys(arg)) tryCall(failures, `argument ${pos}.${key} = ${label}`, make, state, act(replaced((a) => ({ ...(a as object), [key]: value() }))));
      }
    }
    if (typeof arg === 'object' && arg !== null && !Array.isArray(arg)) tryCall(failures, `argument ${pos} with an unknown key`, make, state, act(replaced((a) => ({ ...(a as object), extra: 1 }))), true);
  });
}

function economy(): SubnetEconomy {
  const e = new SubnetEconomy({ issuance: 1000n * RAO });
  e.addSubnet({ pool: smallPool() });
  return e;
}

function flows(): FlowTracker {
  const f = new FlowTracker(2);
  f.recordFlow(0, 5);
  f.endBlock();
  return f;
}

function prices(): MovingPriceTracker {
  const m = new MovingPriceTracker();
  m.add(1);
  m.update(2, [1.5]);
  return m;
}

/**
 * Each class's public methods (its declaration's, not the TypeScript-private helpers a prototype also carries), a
 * fresh instance for each call, and what serialises its state.
 */
const CLASSES: Array<[string, () => object, readonly string[], (o: never) => string]> = [
  ['Chain', smallChain, ['toJSON', 'step', 'addStake', 'removeStake', 'registerNeuron', 'setWeights', 'claimRoot', 'setRootClaimType', 'setRootClaimThreshold', 'run'], (c: Chain) => snapshot(chainStateToJSON(c.state))],
  ['Subnet', () => smallSubnet(engine), ['emissionSplit', 'hotkey', 'uidOf', 'stake', 'bonds', 'bondRows', 'weights', 'weightRows', 'dividends', 'incentive', 'consensus', 'validatorTrust', 'stakeWeight', 'validatorPermit', 'active', 'emission', 'lastUpdate', 'blockAtRegistration', 'register', 'addStake', 'removeStake', 'setWeights', 'setMechanismCount', 'setEmissionSplit', 'nextBlock', 'setTempo', 'setHyper', 'resetBonds', 'epoch', 'epochNotes', 'epochInput', 'mechanismEpochInput'], subnetState],
  ['Pool', smallPool, ['clone', 'reserves', 'weights', 'price', 'priceRatio', 'config', 'quoteStake', 'quoteUnstake', 'stake', 'unstake', 'maxStake', 'maxUnstake', 'inject'], poolState],
  ['FlowTracker', flows, ['recordFlow', 'recordProtocolFlow', 'endBlock', 'protocolNorm', 'netFlows', 'shares'], snapshot],
  ['MovingPriceTracker', prices, ['add', 'update', 'prices', 'shares'], snapshot],
  ['SubnetEconomy', economy, ['addSubnet', 'alphaIssuance', 'step'], snapshot],
  ['Network', () => new Network({ engine, subnets: 2, uidsPerSubnet: 8, subnet1Uids: 0, tempo: 9 }), ['run'], (n: Network) => snapshot(n.chain.toJSON())],
  ['Engine', () => engine, ['epoch', 'epochs', 'runPrepared', 'explainPathDivergence'], () => ''],
];

describe('every public method of the exported classes refuses hostile arguments with a YumaError and changes nothing', () => {
  for (const [cls, make, methods, state] of CLASSES) {
    for (const method of methods) {
      it(`${cls}.${method}`, () => {
        const fn = (make() as Record<string, unknown>)[method] as (...a: unknown[]) => unknown;
        expect(typeof fn).toBe('function');
        const arity = Math.max(1, Math.min(3, fn.length));
        const failures: string[] = [];
        for (let pos = 0; pos < arity; pos++) {
          for (const [label, value] of HOSTILE_VALUES) {
            const args = Array.from({ length: arity }, (_, k) => (k === pos ? value() : undefined));
            tryCall(failures, `argument ${pos} = ${label}`, make, state as (o: object) => string, (o) => (o as Record<string, (...a: unknown[]) => unknown>)[method](...args));
          }
        }
        expect(failures).toEqual([]);
      });
    }
  }
});

/** Valid requests of the chain's request methods on `smallChain()` (each may still be refused by the pallet). */
const REQUESTS: Array<[string, () => Record<string, unknown>]> = [
  ['addStake', () => ({ coldkey: 'a', hotkey: 'v', netuid: 1, tao: RAO, limitPrice: 10n * RAO, allowPartial: false, blockAuthor: false })],
  ['removeStake', () => ({ coldkey: 'a', hotkey: 'v', netuid: 1, alpha: 1000n, limitPrice: 1n, allowPartial: false, blockAuthor: false })],
  ['registerNeuron', () => ({ coldkey: 'a', hotkey: 'z', netuid: 1, limitPrice: RAO })],
  ['setWeights', () => ({ hotkey: 'v', netuid: 1, uids: [0, 1], values: [1, 2], mechanism: 0 })],
  ['claimRoot', () => ({ coldkey: 'a', subnets: [1] })],
  ['setRootClaimType', () => ({ coldkey: 'a', type: { keepSubnets: [1] } })],
  ['setRootClaimThreshold', () => ({ netuid: 1, threshold: 100n })],
];

/** Copies of a valid request that a careless or hostile caller could pass instead. */
const REQUEST_SHAPES: Array<[string, (r: Record<string, unknown>) => unknown]> = [
  ['an unknown key beside the fields', (r) => ({ ...r, extra: 1 })],
  ['the request frozen', (r) => Object.freeze({ ...r })],
  ['the request behind a Proxy whose every trap throws', (r) => new Proxy(r, { get: () => { throw new Error('boom'); }, ownKeys: () => { throw new Error('boom'); }, getOwnPropertyDescriptor: () => { throw new Error('boom'); }, has: () => { throw new Error('boom'); } })],
  ['the request a revoked Proxy', () => { const { proxy, revoke } = Proxy.revocable({}, {}); revoke(); return proxy; }],
  ['each field a getter answering a valid value first and a hostile one after', (r) => {
    const o = {};
    for (const [k, v] of Object.entries(r)) {
      let reads = 0;
      Object.defineProperty(o, k, { enumerable: true, get: () => (reads++ === 0 ? v : -1) });
    }
    return o;
  }],
];

describe('the chain\'s request methods refuse a hostile value in any field of a valid request, and an unknown key, with a YumaError and change nothing', () => {
  const state = (c: Chain) => snapshot(chainStateToJSON(c.state));
  for (const [method, request] of REQUESTS) {
    it(`Chain.${method}: each field replaced by each hostile value, and the request itself reshaped`, () => {
      const failures: string[] = [];
      const act = (arg: unknown) => (c: Chain) => (c as unknown as Record<string, (a: unknown) => unknown>)[method](arg);
      for (const key of Object.keys(request())) {
        for (const [label, value] of HOSTILE_VALUES) tryCall(failures, `${key} = ${label}`, smallChain, state, act({ ...request(), [key]: value() }));
      }
      for (const [label, reshape] of REQUEST_SHAPES) tryCall(failures, label, smallChain, state, act(reshape(request())), label.startsWith('an unknown key'));
      expect(failures).toEqual([]);
    });
  }
});

/** Valid calls of the subnet's mutators on `smallSubnet()`. */
const SUBNET_CALLS: Array<[string, () => unknown[]]> = [
  ['register', () => ['d', 2]],
  ['addStake', () => [2, 10n]],
  ['removeStake', () => [0, 1n]],
  ['setWeights', () => [1, [0, 2], [3, 4]]],
  ['setMechanismCount', () => [2]],
  ['setEmissionSplit', () => [[65535]]],
  ['nextBlock', () => [2]],
  ['setTempo', () => [2]],
  ['setHyper', () => [{ kappa: 100, bondsMovingAverage: 900_000 }]],
  ['resetBonds', () => [1, { mechanism: 0 }]],
  ['epoch', () => [1_000_000n, { mechanism: 0 }]],
];

describe('the subnet\'s mutators refuse a hostile value in any argument, array element or option of a valid call, and an unknown option key, with a YumaError and change nothing', () => {
  for (const [method, call] of SUBNET_CALLS) {
    it(`Subnet.${method}`, () => {
      const failures: string[] = [];
      fuzzArguments(failures, () => smallSubnet(engine), subnetState, method, call, true);
      expect(failures).toEqual([]);
    });
  }
});

/** Valid calls of a pool's trades and quotes on a fresh balancer pool. */
const POOL_CALLS: Array<[string, () => unknown[]]> = [
  ['quoteStake', () => [RAO, { limitPrice: 10n * RAO, allowPartial: true, dropFees: false }]],
  ['quoteUnstake', () => [RAO, { limitPrice: 1n, allowPartial: true, dropFees: false }]],
  ['stake', () => [RAO, { limitPrice: 10n * RAO, allowPartial: true, dropFees: false }]],
  ['unstake', () => [RAO, { limitPrice: 1n, allowPartial: true, dropFees: false }]],
  ['maxStake', () => [10n * RAO]],
  ['maxUnstake', () => [1n]],
  ['inject', () => [RAO, 2n * RAO]],
];

describe('a pool\'s trades and quotes refuse a hostile value in any argument or option of a valid call, and an unknown option key, with a YumaError and change nothing', () => {
  for (const [method, call] of POOL_CALLS) {
    it(`Pool.${method}`, () => {
      const failures: string[] = [];
      fuzzArguments(failures, smallPool, poolState, method, call, false);
      expect(failures).toEqual([]);
    });
  }
});
