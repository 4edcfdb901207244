/**
 * The broad net one level down: test/fuzz-exports.test.ts calls every exported function and constructor with
 * hostile values; this calls every public method of an instance of each exported class (and the engine's) with
 * them, one argument position at a time. Each call returns or throws a YumaError with a code, and a call that
 * throws leaves the instance as it was (its serialised state compared before and after).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { Chain, chainStateToJSON, newChainState, newSubnet } from '../src/chain/index.js';
import { createEngineSync } from '../src/engine.js';
import { Pool } from '../src/dtao/pool.js';
import { FlowTracker, MovingPriceTracker } from '../src/dtao/shares.js';
import { SubnetEconomy } from '../src/dtao/coinbase.js';
import { Network } from '../src/sim/network.js';
import { Subnet } from '../src/subnet/index.js';
import { RAO } from '../src/units.js';
import { isYumaError } from '../src/errors.js';
import { HOSTILE_VALUES, runaway } from './helpers/hostile.js';

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
  const s = newChainState({ block: 100n, totalIssuance: 10_000_000n * RAO, balancesTotalIssuance: 10_000_000n * RAO });
  const neuron = (uid: number, hotkey: string) => ({ uid, hotkey, blockAtRegistration: 1n, lastUpdate: 99n, validatorPermit: uid === 0, weights: [] as Array<[number, number]>, bonds: [] as Array<[number, number]> });
  s.subnets.set(1, newSubnet(1, { subnetTao: 1000n * RAO, subnetAlphaIn: 4000n * RAO, tempo: 3, neurons: [neuron(0, 'v'), neuron(1, 'm')] }));
  s.hotkeys.set('v', { owner: 'a' });
  s.hotkeys.set('m', { owner: 'b' });
  const c = new Chain(s, { engine });
  c.addStake({ coldkey: 'a', hotkey: 'v', netuid: 1, tao: 10n * RAO });
  c.run(2);
  return c;
}

function smallSubnet(): Subnet {
  const s = new Subnet({ engine, n: 4, tempo: 1 });
  for (const h of ['a', 'b', 'c']) s.register(h);
  s.addStake(0, 1000n);
  s.addStake(1, 500n);
  s.setWeights(0, [1, 2], [3, 4]);
  s.nextBlock();
  s.epoch(1_000_000n);
  return s;
}

function economy(): SubnetEconomy {
  const e = new SubnetEconomy({ issuance: 1000n * RAO });
  e.addSubnet({ pool: Pool.genesis({ tao: 1000n * RAO, alpha: 2000n * RAO, preset: 'balancer' }) });
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
const CLASSES: Array<[string, () => object, readonly string[], (o: never) => unknown]> = [
  ['Chain', smallChain, ['toJSON', 'step', 'addStake', 'removeStake', 'registerNeuron', 'setWeights', 'claimRoot', 'setRootClaimType', 'setRootClaimThreshold', 'run'], (c: Chain) => chainStateToJSON(c.state)],
  ['Subnet', smallSubnet, ['emissionSplit', 'hotkey', 'uidOf', 'stake', 'bonds', 'bondRows', 'weights', 'weightRows', 'dividends', 'incentive', 'consensus', 'validatorTrust', 'stakeWeight', 'validatorPermit', 'active', 'emission', 'lastUpdate', 'blockAtRegistration', 'register', 'addStake', 'removeStake', 'setWeights', 'setMechanismCount', 'setEmissionSplit', 'nextBlock', 'setTempo', 'setHyper', 'resetBonds', 'epoch', 'epochNotes', 'epochInput', 'mechanismEpochInput'], (s: Subnet) => [s.stake(), s.bondRows(), s.weightRows(), s.emission(), s.lastUpdate(), s.dividends()]],
  ['Pool', () => Pool.genesis({ tao: 1000n * RAO, alpha: 2000n * RAO, preset: 'balancer' }), ['clone', 'reserves', 'weights', 'price', 'priceRatio', 'config', 'quoteStake', 'quoteUnstake', 'stake', 'unstake', 'maxStake', 'maxUnstake', 'inject'], (p: Pool) => p],
  ['FlowTracker', flows, ['recordFlow', 'recordProtocolFlow', 'endBlock', 'protocolNorm', 'netFlows', 'shares'], (f: FlowTracker) => f],
  ['MovingPriceTracker', prices, ['add', 'update', 'prices', 'shares'], (m: MovingPriceTracker) => m],
  ['SubnetEconomy', economy, ['addSubnet', 'alphaIssuance', 'step'], (e: SubnetEconomy) => e],
  ['Network', () => new Network({ engine, subnets: 2, uidsPerSubnet: 8, subnet1Uids: 0, tempo: 9 }), ['run'], (n: Network) => n.chain.toJSON()],
  ['Engine', () => engine, ['epoch', 'epochs', 'runPrepared', 'explainPathDivergence'], () => null],
];

describe('every public method of the exported classes refuses hostile arguments with a YumaError and changes nothing', () => {
  for (const [cls, make, methods, state] of CLASSES) {
    for (const method of methods) {
      it(`${cls}.${method}`, () => {
        const probe = make() as Record<string, unknown>;
        const fn = probe[method] as (...a: unknown[]) => unknown;
        expect(typeof fn).toBe('function');
        const arity = Math.max(1, Math.min(3, fn.length));
        const failures: string[] = [];
        for (let pos = 0; pos < arity; pos++) {
          for (const [label, value] of HOSTILE_VALUES) {
            const o = make() as Record<string, unknown>;
            const before = snapshot(state(o as never));
            const args = Array.from({ length: arity }, (_, k) => (k === pos ? value() : undefined));
            runaway.seen = false;
            try {
              const r = (o[method] as (...a: unknown[]) => unknown)(...args);
              if (r instanceof Promise) r.catch(() => {});
              if (runaway.seen) failures.push(`argument ${pos} = ${label}: walked a 2^32 − 1 length Proxy`);
            } catch (e) {
              if (runaway.seen) failures.push(`argument ${pos} = ${label}: walked a 2^32 − 1 length Proxy`);
              else if (!isYumaError(e)) failures.push(`argument ${pos} = ${label}: ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`);
              else if (snapshot(state(o as never)) !== before) failures.push(`argument ${pos} = ${label}: ${(e as Error).message}, and the state changed`);
            }
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
  for (const [method, request] of REQUESTS) {
    it(`Chain.${method}: each field replaced by each hostile value, and the request itself reshaped`, () => {
      const failures: string[] = [];
      const attempt = (label: string, arg: unknown, mustRefuse = false) => {
        const c = smallChain();
        const before = snapshot(chainStateToJSON(c.state));
        runaway.seen = false;
        try {
          (c as unknown as Record<string, (a: unknown) => unknown>)[method](arg);
          if (runaway.seen) failures.push(`${label}: walked a 2^32 − 1 length Proxy`);
          if (mustRefuse) failures.push(`${label}: taken`);
        } catch (e) {
          if (runaway.seen) failures.push(`${label}: walked a 2^32 − 1 length Proxy`);
          else if (!isYumaError(e)) failures.push(`${label}: ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`);
          else if (snapshot(chainStateToJSON(c.state)) !== before) failures.push(`${label}: ${(e as Error).message}, and the state changed`);
        }
      };
      for (const key of Object.keys(request())) {
        for (const [label, value] of HOSTILE_VALUES) attempt(`${key} = ${label}`, { ...request(), [key]: value() });
      }
      for (const [label, reshape] of REQUEST_SHAPES) attempt(label, reshape(request()), label.startsWith('an unknown key'));
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
  const state = (s: Subnet) => snapshot([s.stake(), s.bondRows(), s.weightRows(), s.emission(), s.lastUpdate(), s.dividends()]);
  for (const [method, call] of SUBNET_CALLS) {
    it(`Subnet.${method}`, () => {
      const failures: string[] = [];
      const attempt = (label: string, args: unknown[], mustRefuse = false) => {
        const s = smallSubnet();
        const before = state(s);
        runaway.seen = false;
        try {
          (s as unknown as Record<string, (...a: unknown[]) => unknown>)[method](...args);
          if (runaway.seen) failures.push(`${label}: walked a 2^32 − 1 length Proxy`);
          if (mustRefuse) failures.push(`${label}: taken`);
        } catch (e) {
          if (runaway.seen) failures.push(`${label}: walked a 2^32 − 1 length Proxy`);
          else if (!isYumaError(e)) failures.push(`${label}: ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`);
          else if (state(s) !== before) failures.push(`${label}: ${(e as Error).message}, and the state changed`);
        }
      };
      const valid = call();
      valid.forEach((arg, pos) => {
        for (const [label, value] of HOSTILE_VALUES) {
          attempt(`argument ${pos} = ${label}`, valid.map((a, k) => (k === pos ? value() : a)));
          if (Array.isArray(arg)) arg.forEach((_, i) => attempt(`argument ${pos}[${i}] = ${label}`, call().map((a, k) => (k === pos ? (a as unknown[]).map((e, j) => (j === i ? value() : e)) : a))));
          else if (typeof arg === 'object' && arg !== null) {
            for (const key of Object.keys(arg)) attempt(`argument ${pos}.${key} = ${label}`, call().map((a, k) => (k === pos ? { ...(a as object), [key]: value() } : a)));
          }
        }
        if (typeof arg === 'object' && arg !== null && !Array.isArray(arg)) attempt(`argument ${pos} with an unknown key`, call().map((a, k) => (k === pos ? { ...(a as object), extra: 1 } : a)), true);
      });
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
  const pool = () => Pool.genesis({ tao: 1000n * RAO, alpha: 2000n * RAO, preset: 'balancer' });
  for (const [method, call] of POOL_CALLS) {
    it(`Pool.${method}`, () => {
      const failures: string[] = [];
      const attempt = (label: string, args: unknown[], mustRefuse = false) => {
        const p = pool();
        const before = snapshot(p);
        runaway.seen = false;
        try {
          (p as unknown as Record<string, (...a: unknown[]) => unknown>)[method](...args);
          if (runaway.seen) failures.push(`${label}: walked a 2^32 − 1 length Proxy`);
          if (mustRefuse) failures.push(`${label}: taken`);
        } catch (e) {
          if (runaway.seen) failures.push(`${label}: walked a 2^32 − 1 length Proxy`);
          else if (!isYumaError(e)) failures.push(`${label}: ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`);
          else if (snapshot(p) !== before) failures.push(`${label}: ${(e as Error).message}, and the state changed`);
        }
      };
      const valid = call();
      valid.forEach((arg, pos) => {
        for (const [label, value] of HOSTILE_VALUES) {
          attempt(`argument ${pos} = ${label}`, call().map((a, k) => (k === pos ? value() : a)));
          if (typeof arg === 'object' && arg !== null) {
            for (const key of Object.keys(arg)) attempt(`argument ${pos}.${key} = ${label}`, call().map((a, k) => (k === pos ? { ...(a as object), [key]: value() } : a)));
          }
        }
        if (typeof arg === 'object' && arg !== null) attempt(`argument ${pos} with an unknown key`, call().map((a, k) => (k === pos ? { ...(a as object), extra: 1 } : a)), true);
      });
      expect(failures).toEqual([]);
    });
  }
});
