/**
 * A chain whose state its caller holds checks that state before every block, and the block reads it again. Getters
 * and Proxies placed in the state could answer the check one thing and the block another (a valid amount, then a
 * string, a throw, a bigint where a number belongs): these are refused before the block, and values the check never
 * looked at (an own `get` on a map inside an entry) are never read by the block.
 */
import { describe, expect, it } from 'vitest';
import { Chain, chainStateFromJSON, chainStateToJSON } from '../src/chain/index.js';
import { createEngineSync } from '../src/engine.js';
import { RAO } from '../src/units.js';
import { yumaCode } from './helpers/errors.js';
import { chainText, expectStepsAsTwin, swap, twoNeuronChain } from './helpers/state.js';

const engine = createEngineSync();
const text = chainText;

/** A chain stepped past its first epochs with stake on it, its state held by the test (checked before every block). */
function running(): Chain {
  const c0 = twoNeuronChain(engine);
  const c = new Chain(chainStateFromJSON(chainStateToJSON(c0.state)), { engine });
  c.addStake({ coldkey: 'a', hotkey: 'v', netuid: 1, tao: 10n * RAO });
  c.run(5);
  return c;
}

/** A getter answering `first` to its first read and `later` (or throwing, for 'throw') to every read after it. */
const fickle = (first: unknown, later: unknown): PropertyDescriptor => {
  let reads = 0;
  return {
    get: () => {
      if (reads++ === 0) return first;
      if (later === 'throw') throw new TypeError('fickle getter');
      return later;
    },
    enumerable: true,
    configurable: true,
  };
};

/** A copy of `o` (own enumerable fields, same prototype) with `key` answered by a fickle getter. */
const fickleCopy = <T extends object>(o: T, key: string, later: unknown): T => {
  const copy = Object.assign(Object.create(Object.getPrototypeOf(o) as object) as T, o);
  Object.defineProperty(copy, key, fickle((o as Record<string, unknown>)[key], later));
  return copy;
};

/** A Proxy of a copy of `o` whose `key` reads as the copy's once, then `later`. */
const ficklyProxied = <T extends object>(o: T, key: string, later: unknown): T => {
  let reads = 0;
  return new Proxy({ ...o }, {
    get: (t, k, r) => (k === key && reads++ > 0 ? later : Reflect.get(t, k, r)),
  });
};

/** Sets `map.get(key)` to `value`, returns what puts the old entry back. */
const swapEntry = <K, V>(map: Map<K, V>, key: K, value: unknown) => {
  const old = map.get(key)!;
  map.set(key, value as V);
  return () => void map.set(key, old);
};

const sub = (c: Chain) => c.state.subnets.get(1)!;
const pool = (c: Chain) => c.state.stakePools.get('v/1')!;

describe('a held chain state with getters or Proxies is refused before the block, as it was', () => {
  const placements: Array<[string, (c: Chain) => () => void]> = [
    ['the issuance a getter answering a u64 to the check and \'x\' after', (c) => {
      const s = c.state;
      const old = s.totalIssuance;
      Object.defineProperty(s, 'totalIssuance', fickle(old, 'x'));
      return () => Object.defineProperty(s, 'totalIssuance', { value: old, writable: true, enumerable: true, configurable: true });
    }],
    ['the issuance a getter answering a u64 to the check and throwing after', (c) => {
      const s = c.state;
      const old = s.totalIssuance;
      Object.defineProperty(s, 'totalIssuance', fickle(old, 'throw'));
      return () => Object.defineProperty(s, 'totalIssuance', { value: old, writable: true, enumerable: true, configurable: true });
    }],
    ['the epochs a block may run a getter answering 2 to the check and 2n after', (c) => {
      const s = c.state;
      Object.defineProperty(s, 'maxEpochsPerBlock', fickle(2, 2n));
      return () => Object.defineProperty(s, 'maxEpochsPerBlock', { value: 2, writable: true, enumerable: true, configurable: true });
    }],
    ['the state given a prototype whose rules getter throws', (c) => {
      const s = c.state;
      const proto = Object.getPrototypeOf(s) as object;
      Object.setPrototypeOf(s, Object.create(Object.prototype, { rules: { get: () => { throw new TypeError('rules'); } } }));
      return () => Object.setPrototypeOf(s, proto);
    }],
    ['a subnet record replaced by a copy whose subnetTao is a getter answering \'x\' after the check', (c) => swapEntry(c.state.subnets, 1, fickleCopy(sub(c), 'subnetTao', 'x'))],
    ['a subnet record replaced by a copy whose subnetAlphaIn getter throws after the check', (c) => swapEntry(c.state.subnets, 1, fickleCopy(sub(c), 'subnetAlphaIn', 'throw'))],
    ['a subnet record replaced by a Proxy whose subnetTao reads \'x\' after the check', (c) => swapEntry(c.state.subnets, 1, ficklyProxied(sub(c), 'subnetTao', 'x'))],
    ['a subnet\'s tempo a getter answering 3 to the check and 3n after', (c) => swapEntry(c.state.subnets, 1, fickleCopy(sub(c), 'tempo', 3n))],
    ['a subnet\'s epoch parameters replaced by a copy whose kappa getter answers a bigint after the check', (c) => swap(sub(c), 'epochParams', fickleCopy(sub(c).epochParams, 'kappa', 5n))],
    ['a subnet\'s neuron stake vector replaced by a Proxy of a copy (instanceof passes) whose length reads 0 after the check', (c) => {
      const t = sub(c).neurons as unknown as Record<string, unknown>;
      const old = t.stake as BigUint64Array;
      let reads = 0;
      const proxy = new Proxy(old.slice(), { get: (target, k) => (k === 'length' && reads++ > 0 ? 0 : (Reflect.get(target, k) as unknown)) });
      Object.defineProperty(t, 'stake', { value: proxy });
      return () => Object.defineProperty(t, 'stake', { value: old });
    }],
    ['a stake pool replaced by a copy whose value getter answers \'x\' after the check', (c) => swapEntry(c.state.stakePools, 'v/1', fickleCopy(pool(c), 'value', 'x'))],
    ['a stake pool replaced by a Proxy whose value reads -1n after the check', (c) => swapEntry(c.state.stakePools, 'v/1', ficklyProxied(pool(c), 'value', -1n))],
    ['a stake pool\'s denominator replaced by one whose mantissa getter throws after the check', (c) => swap(pool(c), 'denominator', fickleCopy(pool(c).denominator, 'mantissa', 'throw'))],
    ['a coldkey\'s share replaced by one whose mantissa getter answers \'x\' after the check', (c) => swapEntry(pool(c).shares, 'a', fickleCopy(pool(c).shares.get('a')!, 'mantissa', 'x'))],
    ['a hotkey entry replaced by one whose delegateTake getter answers 70000 after the check', (c) => swapEntry(c.state.hotkeys, 'v', Object.defineProperty({ owner: 'a' }, 'delegateTake', fickle(100, 70_000)))],
    ['a child link whose proportion getter answers a string after the check', (c) => {
      const link = Object.defineProperty({ key: 'm' }, 'proportion', fickle(1n, 'x'));
      c.state.childKeys.set('v/1', [link as never]);
      c.state.parentKeys.set('m/1', [{ proportion: 1n, key: 'v' }]);
      return () => {
        c.state.childKeys.delete('v/1');
        c.state.parentKeys.delete('m/1');
      };
    }],
    ['a child links array with an element that is a getter', (c) => {
      const links = [{ proportion: 1n, key: 'm' }];
      Object.defineProperty(links, 0, fickle(links[0], null));
      c.state.childKeys.set('v/1', links);
      return () => c.state.childKeys.delete('v/1');
    }],
    ['an owner\'s hotkey list that is a Proxy', (c) => {
      c.state.ownedHotkeys.set('a', new Proxy(['v'], {}));
      return () => c.state.ownedHotkeys.delete('a');
    }],
  ];
  for (const [what, place] of placements) {
    it(`${what}: step is E_ARG before the block, the state JSON and block number as before; removed, the chain steps on as a twin`, () => {
      const c = running();
      const before = text(c);
      const block = c.block;
      const undo = place(c);
      expect(yumaCode(() => c.step())).toBe('E_ARG');
      expect(yumaCode(() => c.run(2))).toBe('E_ARG');
      undo();
      expect(c.block).toBe(block);
      expect(text(c)).toBe(before);
      expectStepsAsTwin(c, before, engine);
    });
  }

  it('a new Chain refuses a state whose subnet record has a getter (E_ARG), and one whose stake pool is a Proxy (E_ARG)', () => {
    const s1 = chainStateFromJSON(chainStateToJSON(running().state));
    const sn = s1.subnets.get(1)!;
    s1.subnets.set(1, fickleCopy(sn, 'subnetTao', 'x'));
    expect(yumaCode(() => new Chain(s1, { engine }))).toBe('E_ARG');
    const s2 = chainStateFromJSON(chainStateToJSON(running().state));
    s2.stakePools.set('v/1', new Proxy(s2.stakePools.get('v/1')!, {}));
    expect(yumaCode(() => new Chain(s2, { engine }))).toBe('E_ARG');
  });

  it('fields of objects a held state was checked with cannot become getters afterwards (defineProperty throws a TypeError in the caller\'s code): a subnet amount, a pool value, a hotkey\'s absent delegate take, a neuron vector\'s length; the values stay writable and the chain steps on as a twin', () => {
    const c = running();
    const before = text(c);
    const getter = { get: () => 'x', configurable: true };
    expect(() => Object.defineProperty(sub(c), 'subnetTao', getter)).toThrow(TypeError);
    expect(() => Object.defineProperty(pool(c), 'value', getter)).toThrow(TypeError);
    expect(() => Object.defineProperty(c.state.hotkeys.get('m')!, 'delegateTake', getter)).toThrow(TypeError);
    expect(() => Object.defineProperty(sub(c).neurons.stake, 'length', getter)).toThrow(TypeError);
    expect(() => delete (sub(c) as unknown as Record<string, unknown>).subnetTao).toThrow(TypeError);
    expect(text(c)).toBe(before);
    // still writable: a value written is read by the next block's check
    const tao = sub(c).subnetTao;
    sub(c).subnetTao = -1n;
    expect(yumaCode(() => c.step())).toBe('E_RANGE');
    sub(c).subnetTao = tao;
    c.state.hotkeys.get('m')!.delegateTake = 70_000;
    expect(yumaCode(() => c.step())).toBe('E_RANGE');
    c.state.hotkeys.get('m')!.delegateTake = undefined;
    expect(text(c)).toBe(before);
    expectStepsAsTwin(c, before, engine);
  });
});

describe('maps inside a held state\'s entries are read as the check reads them, never through their own methods', () => {
  it('a get, has and size of its own set on a pool\'s share map (answering a share whose mantissa is \'x\', nothing, 0): the blocks and the state JSON are a twin\'s without them (the epochs\' preparation read the own get and refused a state the check had passed, E_ARG)', () => {
    const c = running();
    const before = text(c);
    const twin = Chain.fromJSON(JSON.parse(before), { engine });
    const m = pool(c).shares as unknown as Record<string, unknown>;
    m.get = () => ({ mantissa: 'x', exponent: 0 });
    m.has = () => false;
    Object.defineProperty(m, 'size', { value: 0 });
    expect(c.run(6).map((r) => r.taoMinted)).toEqual(twin.run(6).map((r) => r.taoMinted));
    expect(text(c)).toBe(text(twin));
  });

  it('a get and iterator of its own set on a hotkey\'s childkey take map (answering \'x\', no entries) while the hotkey has a parent: the blocks and the state JSON are a twin\'s without them (the block read the own get and threw a SyntaxError)', () => {
    const c = running();
    c.state.childKeys.set('v/1', [{ proportion: 1n << 62n, key: 'm' }]);
    c.state.parentKeys.set('m/1', [{ proportion: 1n << 62n, key: 'v' }]);
    c.state.hotkeys.set('m', { owner: 'b', childkeyTake: new Map([[1, 6553]]) });
    const before = text(c);
    const twin = Chain.fromJSON(JSON.parse(before), { engine });
    const m = c.state.hotkeys.get('m')!.childkeyTake as unknown as Record<string | symbol, unknown>;
    m.get = () => 'x';
    m[Symbol.iterator] = function* () {};
    expect(c.run(6).map((r) => r.taoMinted)).toEqual(twin.run(6).map((r) => r.taoMinted));
    expect(text(c)).toBe(text(twin));
  });
});

describe('entries written into the state\'s indexed maps past their own set and delete', () => {
  const mapSet = Map.prototype.set;
  const mapDelete = Map.prototype.delete;

  it('a stake pool replaced by an equal copy through Map.prototype.set (its index kept the old pool, then given the value \'x\'): step is E_STATE before the block, block and state JSON as before (the block read the old pool and threw a TypeError after the coinbase); put back, the chain steps on as a twin', () => {
    const c = running();
    const before = text(c);
    const block = c.block;
    const old = pool(c);
    mapSet.call(c.state.stakePools, 'v/1', { ...old, shares: new Map(old.shares) });
    const value = old.value;
    (old as unknown as Record<string, unknown>).value = 'x';
    expect(yumaCode(() => c.step())).toBe('E_STATE');
    expect(c.block).toBe(block);
    expect(text(c)).toBe(before);
    old.value = value;
    mapSet.call(c.state.stakePools, 'v/1', old);
    expectStepsAsTwin(c, before, engine);
  });

  it('a stake pool deleted through Map.prototype.delete (its index kept it, then given the value \'x\'): step is E_STATE before the block, the block number as before; put back, the chain steps on as a twin', () => {
    const c = running();
    const before = text(c);
    const block = c.block;
    const old = pool(c);
    mapDelete.call(c.state.stakePools, 'v/1');
    const value = old.value;
    (old as unknown as Record<string, unknown>).value = 'x';
    expect(yumaCode(() => c.step())).toBe('E_STATE');
    expect(c.block).toBe(block);
    old.value = value;
    mapSet.call(c.state.stakePools, 'v/1', old);
    expect(text(c)).toBe(before);
    expectStepsAsTwin(c, before, engine);
  });

  it('a hotkey record replaced by an equal one through Map.prototype.set (the epochs\' kept lookups held the old one, then given the delegate take \'x\'): the blocks read the new record and step as a twin\'s (they read the old one and threw a SyntaxError)', () => {
    const c = running();
    const before = text(c);
    const twin = Chain.fromJSON(JSON.parse(before), { engine });
    const old = c.state.hotkeys.get('v')!;
    mapSet.call(c.state.hotkeys, 'v', { owner: old.owner });
    (old as unknown as Record<string, unknown>).delegateTake = 'x';
    expect(c.run(6).map((r) => r.taoMinted)).toEqual(twin.run(6).map((r) => r.taoMinted));
    expect(text(c)).toBe(text(twin));
  });
});

describe('a neuron table\'s own bookkeeping, reachable from JavaScript, written through chain.state', () => {
  type Own = { _size: unknown; keys: unknown[]; uids: unknown; mechs: unknown; split: unknown };
  const own = (c: Chain) => sub(c).neurons as unknown as Own;
  const writes: Array<[string, (c: Chain) => () => void]> = [
    ['a UID\'s hotkey set to a number (the block made a pool keyed by it)', (c) => { const k = own(c).keys; const old = k[0]; k[0] = 5; return () => (k[0] = old); }],
    ['the hotkeys set to null (a TypeError in the middle of the block)', (c) => swap(own(c), 'keys', null)],
    ['the UIDs by hotkey set to null (a TypeError in the middle of the block)', (c) => swap(own(c), 'uids', null)],
    ['the UIDs by hotkey set to a Proxy of them', (c) => swap(own(c), 'uids', new Proxy(own(c).uids as object, {}))],
    ['the mechanisms set to an empty array', (c) => swap(own(c), 'mechs', [])],
    ['the emission split set to a string', (c) => swap(own(c), 'split', 'x')],
    ['the UID count set beyond the capacity', (c) => swap(own(c), '_size', 1e9)],
  ];
  for (const [what, write] of writes) {
    it(`${what}: a step is E_ARG before its block (by the block that may run the subnet's epoch at the latest), the state JSON a twin's that stepped as far; put back, the chain steps on as the twin`, () => {
      const c = running();
      const twin = Chain.fromJSON(JSON.parse(text(c)), { engine });
      const undo = write(c);
      let code: string | undefined;
      for (let i = 0; i < 8 && code === undefined; i++) {
        code = yumaCode(() => c.step());
        if (code === undefined) twin.step();
      }
      expect(code).toBe('E_ARG');
      undo();
      expect(c.block).toBe(twin.block);
      expect(text(c)).toBe(text(twin));
      expect(c.run(4).map((r) => r.taoMinted)).toEqual(twin.run(4).map((r) => r.taoMinted));
      expect(text(c)).toBe(text(twin));
    });
  }
});

describe('requests on a held state are checked first', () => {
  const damages: Array<[string, (c: Chain) => () => void]> = [
    ['totalStake set to a string', (c) => {
      const s = c.state as unknown as Record<string, unknown>;
      const v = s.totalStake;
      s.totalStake = 'x';
      return () => { s.totalStake = v; };
    }],
    ['a subnet\'s subnetAlphaOut set to a string', (c) => {
      const s = c.state.subnets.get(1) as unknown as Record<string, unknown>;
      const v = s.subnetAlphaOut;
      s.subnetAlphaOut = 'x';
      return () => { s.subnetAlphaOut = v; };
    }],
    ['the staked pool\'s value set to a string', (c) => {
      const p = c.state.stakePools.get('v/1') as unknown as Record<string, unknown>;
      const v = p.value;
      p.value = 'x';
      return () => { p.value = v; };
    }],
  ];
  for (const [what, damage] of damages) {
    it(`${what}: addStake and setRootClaimThreshold are E_ARG before they write (addStake had gone through or stopped midway as E_STATE), and once the value is put back the state is as before and stakes as a twin's`, () => {
      const c = running();
      const before = text(c);
      const undo = damage(c);
      expect(yumaCode(() => c.addStake({ coldkey: 'b', hotkey: 'v', netuid: 1, tao: 3n * RAO }))).toBe('E_ARG');
      expect(yumaCode(() => c.setRootClaimThreshold({ netuid: 1, threshold: 5n }))).toBe('E_ARG');
      undo();
      expect(text(c)).toBe(before);
      const twin = Chain.fromJSON(JSON.parse(before), { engine });
      const req = { coldkey: 'b', hotkey: 'v', netuid: 1, tao: 3n * RAO };
      expect(c.addStake(req)).toEqual(twin.addStake(req));
      expect(text(c)).toBe(text(twin));
    });
  }
});
