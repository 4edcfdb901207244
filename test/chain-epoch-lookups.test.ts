/**
 * The block model's epoch bookkeeping that exists for speed and must not change a number: the stake-pool and
 * root-claimable indexes (`HotkeyNetuidMap`, what the epoch's stake input and payouts look entries up through), the
 * payouts over rows in hotkey order (`calculateDividendsAndIncentives` and the epoch's report), a zero
 * `update_value_for_one` (credited to every UID that earned nothing), and `epochBonds: false` (the epoch's bonds
 * left in Wasm memory instead of copied into each report).
 */
import { describe, expect, it } from 'vitest';
import { Chain, chainStateFromJSON, newChainState, newSubnet } from '../src/chain/index.js';
import { calculateDividendsAndIncentives } from '../src/chain/block.js';
import { type SafeFloat, type SharePool, SF_ZERO, poolUpdateOne, sfAdd, sfFromU64, sfMulDiv, sfSub } from '../src/chain/safe-float.js';
import { HotkeyInfoMap, HotkeyNetuidMap, type StakePool, StakePoolMap, compareKeys, poolKey } from '../src/chain/state.js';
import { U96F32, fromInt } from '../src/fixed/substrate-fixed.js';
import { hotkeyStake, poolOf, stakeToColdkey } from '../src/chain/swap.js';
import { createEngineSync } from '../src/engine.js';
import { YumaError } from '../src/errors.js';
import { Network } from '../src/sim/network.js';

const pool = (hotkey: string, netuid: number, value: bigint): StakePool => ({ hotkey, netuid, value, denominator: SF_ZERO, shares: new Map() });

describe('StakePoolMap: pools indexed by netuid and hotkey', () => {
  it('poolOf finds exactly what get(poolKey(hotkey, netuid)) finds through set, replace, delete and clear', () => {
    const m = new StakePoolMap();
    const keys: Array<[string, number]> = [['a', 0], ['a', 1], ['b', 1], ['x/y', 12], ['7', 7]];
    const agree = () => {
      for (const [h, n] of [...keys, ['a', 2], ['b', 0], ['x', 12], ['z', 1]] as Array<[string, number]>) expect(m.poolOf(h, n)).toBe(m.get(poolKey(h, n)));
    };
    keys.forEach(([h, n], i) => m.set(poolKey(h, n), pool(h, n, BigInt(i + 1))));
    agree();
    expect(m.poolOf('x/y', 12)?.value).toBe(4n);
    m.set(poolKey('a', 1), pool('a', 1, 99n));
    agree();
    expect(m.poolOf('a', 1)?.value).toBe(99n);
    expect(m.delete(poolKey('b', 1))).toBe(true);
    expect(m.delete(poolKey('b', 1))).toBe(false);
    agree();
    expect(m.poolOf('b', 1)).toBeUndefined();
    m.clear();
    agree();
    expect(m.poolOf('a', 0)).toBeUndefined();
  });

  it('a key no poolKey call makes ("h/01", "h/-0", "noslash") is stored but never returned by poolOf', () => {
    const m = new StakePoolMap();
    for (const k of ['h/01', 'h/-0', 'noslash']) m.set(k, pool('h', 1, 5n));
    expect(m.size).toBe(3);
    expect(m.poolOf('h', 1)).toBeUndefined();
    expect(m.poolOf('h', 0)).toBeUndefined();
  });

  it('states from newChainState and chainStateFromJSON index every pool; a plain Map still works through poolOf and hotkeyStake', () => {
    const s = newChainState();
    s.subnets.set(3, newSubnet(3));
    stakeToColdkey(s, 'hk', 'ck', 0, 1_000n);
    stakeToColdkey(s, 'hk', 'ck', 3, 2_000n);
    expect(s.stakePools).toBeInstanceOf(StakePoolMap);
    const back = chainStateFromJSON(new Chain(s).toJSON());
    expect(back.stakePools).toBeInstanceOf(StakePoolMap);
    for (const p of back.stakePools.values()) expect(poolOf(back, p.hotkey, p.netuid)).toBe(p);
    expect(hotkeyStake(back, 'hk', 3)).toBe(2_000n);
    const plain = newChainState({ stakePools: new Map([[poolKey('hk', 3), pool('hk', 3, 7n)]]) });
    expect(hotkeyStake(plain, 'hk', 3)).toBe(7n);
    expect(hotkeyStake(plain, 'hk', 0)).toBe(0n);
  });
});

describe('HotkeyNetuidMap: rootClaimable indexed by netuid and hotkey', () => {
  it('at and onNetuid find exactly what get(poolKey(hotkey, netuid)) finds through set, replace, delete and clear; onNetuid is live', () => {
    const m = new HotkeyNetuidMap<bigint>();
    const view = m.onNetuid(1);
    const keys: Array<[string, number]> = [['a', 0], ['a', 1], ['b', 1], ['x/y', 12]];
    const agree = () => {
      for (const [h, n] of [...keys, ['b', 0], ['z', 1]] as Array<[string, number]>) {
        expect(m.at(h, n)).toBe(m.get(poolKey(h, n)));
        expect(m.onNetuid(n).get(h)).toBe(m.get(poolKey(h, n)));
      }
    };
    keys.forEach(([h, n], i) => m.set(poolKey(h, n), BigInt(i + 1)));
    agree();
    expect([...view]).toEqual([['a', 2n], ['b', 3n]]);
    m.set(poolKey('a', 1), 99n);
    expect(view.get('a')).toBe(99n);
    m.delete(poolKey('b', 1));
    agree();
    expect(view.has('b')).toBe(false);
    m.put('z', 4, 9n);
    expect(m.get(poolKey('z', 4))).toBe(9n);
    expect(m.at('z', 4)).toBe(9n);
    m.clear();
    agree();
    expect(m.onNetuid(1).size).toBe(0);
  });

  it("entriesOn(netuid).changes counts entries added and removed and objects replaced, not a number's new value", () => {
    const m = new HotkeyNetuidMap<bigint>();
    const on1 = m.entriesOn(1);
    m.set(poolKey('a', 1), 1n);
    m.put('b', 1, 2n);
    m.set(poolKey('c', 2), 3n);
    expect(on1.changes).toBe(2);
    m.set(poolKey('a', 1), 5n);
    m.put('b', 1, 6n);
    expect(on1.changes).toBe(2);
    m.delete(poolKey('a', 1));
    m.delete(poolKey('a', 1));
    expect(on1.changes).toBe(3);
    expect(m.entriesOn(2).changes).toBe(1);
    const pools = new StakePoolMap();
    const p = pool('h', 3, 1n);
    pools.set(poolKey('h', 3), p);
    pools.set(poolKey('h', 3), p);
    expect(pools.entriesOn(3).changes).toBe(1);
    pools.set(poolKey('h', 3), { ...p });
    expect(pools.entriesOn(3).changes).toBe(2);
    m.clear();
    expect(m.entriesOn(1)).not.toBe(on1);
    expect(m.entriesOn(1).changes).toBe(0);
  });

  it('states from newChainState and chainStateFromJSON index rootClaimable; plain-Map pools and claimables pay out the same, block for block', () => {
    expect(newChainState().rootClaimable).toBeInstanceOf(HotkeyNetuidMap);
    const engine = createEngineSync();
    const net = new Network({ engine, subnets: 3, uidsPerSubnet: 24, subnet1Uids: 0, validatorsPerSubnet: 5, tempo: 8, rootStakeTao: 5000 });
    net.run({ blocks: 20 });
    const json = net.chain.toJSON();
    const a = Chain.fromJSON(json, { engine });
    const b = Chain.fromJSON(json, { engine });
    expect(a.state.rootClaimable).toBeInstanceOf(HotkeyNetuidMap);
    expect(a.state.rootClaimable.size).toBeGreaterThan(0);
    b.state.stakePools = new Map(b.state.stakePools);
    b.state.rootClaimable = new Map(b.state.rootClaimable);
    const strip = (o: unknown) => JSON.stringify(o, (_k, v) => (typeof v === 'bigint' ? v.toString() : v instanceof Map ? [...v] : v));
    let epochs = 0;
    for (let k = 0; k < 30; k++) {
      if (k % 7 === 3) {
        // registrations replace UIDs, so the hotkey order changes between epochs
        const req = { coldkey: `new${k}`, hotkey: `0new${k}`, netuid: 1 + (k % 3) };
        expect(b.registerNeuron(req)).toEqual(a.registerNeuron(req));
      }
      const ra = a.step();
      const rb = b.step();
      expect(strip(rb)).toBe(strip(ra));
      for (const e of ra.epochs) {
        epochs++;
        const table = a.state.subnets.get(e.netuid)!.neurons;
        const sorted = table.hotkeys().sort(compareKeys);
        expect(e.hotkeyEmission.map(([hk]) => hk)).toEqual(sorted);
        expect([...e.alphaDividends.keys()]).toEqual(sorted);
        const changed = [...e.stakeChanges.keys()];
        expect(changed).toEqual([...changed].sort(compareKeys));
        expect(changed.length).toBeGreaterThan(0);
      }
    }
    expect(epochs).toBeGreaterThanOrEqual(9);
    expect(strip(b.toJSON())).toBe(strip(a.toJSON()));
  });
  it('lookups kept between epochs (UID pools, hotkey entries, root-claimable entries) see every change a plain-Map state sees: pools replaced, takes replaced, entries deleted, registrations', () => {
    const engine = createEngineSync();
    const net = new Network({ engine, subnets: 2, uidsPerSubnet: 20, subnet1Uids: 0, validatorsPerSubnet: 4, tempo: 6, rootStakeTao: 5000 });
    net.run({ blocks: 14 });
    const json = net.chain.toJSON();
    const a = Chain.fromJSON(json, { engine });
    const b = Chain.fromJSON(json, { engine });
    expect(a.state.hotkeys).toBeInstanceOf(HotkeyInfoMap);
    b.state.stakePools = new Map(b.state.stakePools);
    b.state.rootClaimable = new Map(b.state.rootClaimable);
    b.state.hotkeys = new Map(b.state.hotkeys);
    const strip = (o: unknown) => JSON.stringify(o, (_k, v) => (typeof v === 'bigint' ? v.toString() : v instanceof Map ? [...v] : v));
    const both = (f: (c: Chain) => void) => {
      f(a);
      f(b);
    };
    const validator = (c: Chain, netuid: number) => c.state.subnets.get(netuid)!.neurons.hotkey(0);
    let epochs = 0;
    for (let k = 0; k < 40; k++) {
      const netuid = 1 + (k % 2);
      if (k % 5 === 1) {
        // a pool replaced by a copy (what a refused stake operation's restore does)
        both((c) => {
          const key = poolKey(validator(c, netuid), netuid);
          const p = c.state.stakePools.get(key)!;
          c.state.stakePools.set(key, { ...p, shares: new Map(p.shares) });
        });
      }
      if (k % 5 === 2) {
        // a hotkey entry replaced: a new delegate take the next payout must use
        both((c) => {
          const hk = validator(c, netuid);
          c.state.hotkeys.set(hk, { ...c.state.hotkeys.get(hk)!, delegateTake: 1000 + 500 * k });
        });
      }
      if (k % 5 === 3) {
        // a root-claimable entry removed: the next epoch creates it again
        both((c) => c.state.rootClaimable.delete(poolKey(c.state.subnets.get(netuid)!.neurons.hotkey(7), netuid)));
      }
      if (k % 5 === 4) both((c) => c.registerNeuron({ coldkey: `late${k}`, hotkey: `late${k}`, netuid }));
      const ra = a.step();
      const rb = b.step();
      expect(strip(rb)).toBe(strip(ra));
      epochs += ra.epochs.length;
    }
    expect(epochs).toBeGreaterThanOrEqual(12);
    expect(strip(b.toJSON())).toBe(strip(a.toJSON()));
    // the replaced takes were paid: the last one stands in the state, and dividends moved stake
    expect(a.state.hotkeys.get(validator(a, 1))?.delegateTake).toBeGreaterThan(1000);
  });
});

describe('calculateDividendsAndIncentives over rows', () => {
  it('a hand-made list out of hotkey order, with a hotkey listed twice, sums per hotkey and returns hotkey order', () => {
    const s = newChainState();
    const sn = newSubnet(1);
    s.subnets.set(1, sn);
    const r = calculateDividendsAndIncentives(s, sn, [
      ['b', 5n, 7n],
      ['10', 0n, 0n],
      ['a', 1n, 2n],
      ['9', 4n, 0n],
      ['b', 3n, 4n],
    ]);
    // decimal ids order by length first (BTreeMap order of the chain's account ids), then the rest by code unit
    expect([...r.incentives]).toEqual([['9', 4n], ['10', 0n], ['a', 1n], ['b', 8n]]);
    expect([...r.dividends]).toEqual([['9', 0n], ['10', 0n], ['a', fromInt(U96F32, 2n)], ['b', fromInt(U96F32, 11n)]]);
  });
});

describe('update_value_for_one with 0', () => {
  it('leaves a pool with a denominator as it was (value, denominator, every share), whoever asks', () => {
    const p = pool('h', 1, 0n);
    poolUpdateOne(p, 'a', 1_000_000n);
    poolUpdateOne(p, 'b', 333n);
    const before = JSON.stringify({ v: p.value, d: p.denominator, s: [...p.shares] }, (_k, v) => (typeof v === 'bigint' ? v.toString() : v));
    const denominator = p.denominator;
    poolUpdateOne(p, 'a', 0n);
    poolUpdateOne(p, 'c', 0n);
    expect(JSON.stringify({ v: p.value, d: p.denominator, s: [...p.shares] }, (_k, v) => (typeof v === 'bigint' ? v.toString() : v))).toBe(before);
    expect(p.denominator).toBe(denominator);
    expect(p.shares.has('c')).toBe(false);
  });

  it("a sole share holder's shares move to the denominator's number (computed once): the same as the crate's two additions, over 600 random updates", () => {
    // the crate's update_value_for_one step by step, both sums computed
    const oracle = (p: SharePool, ck: string, u: bigint) => {
      const current = p.shares.get(ck) ?? SF_ZERO;
      const k = sfMulDiv(sfFromU64(u < 0n ? -u : u), p.denominator, sfFromU64(p.value)) ?? SF_ZERO;
      const step = u > 0n ? sfAdd : sfSub;
      p.denominator = step(p.denominator, k) ?? p.denominator;
      const share = step(current, k) ?? current;
      if (share.mantissa === 0n) p.shares.delete(ck);
      else p.shares.set(ck, share);
      const v = p.value + u;
      p.value = v < 0n ? 0n : v;
    };
    const bits = (p: SharePool) => JSON.stringify({ v: p.value, d: p.denominator, s: [...p.shares] }, (_k, v) => (typeof v === 'bigint' ? v.toString() : v));
    let seed = 7;
    const rand = () => (seed = (seed * 1103515245 + 12345) % 2147483648);
    let updates = 0;
    for (const holders of [['w'], ['w', 'x']]) {
      const fast = pool('h', 1, 0n);
      poolUpdateOne(fast, 'w', 5_000_000_000_000n);
      if (holders.length > 1) poolUpdateOne(fast, 'x', 70_000_000n);
      const slow: SharePool = { value: fast.value, denominator: fast.denominator, shares: new Map(fast.shares) };
      for (let i = 0; i < 300; i++) {
        const ck = holders[i % holders.length];
        const size = BigInt(rand()) * BigInt(1 + (rand() % 100_000));
        const u = i % 7 === 3 ? -(size % (fast.value / 4n + 1n)) : size;
        if (u === 0n) continue;
        // now and then the share as a separate object of the same value (a state read back from JSON)
        if (i % 5 === 0) fast.shares.set('w', { ...(fast.shares.get('w') as SafeFloat) });
        poolUpdateOne(fast, ck, u);
        oracle(slow, ck, u);
        expect(bits(fast)).toBe(bits(slow));
        updates++;
      }
      if (holders.length === 1) expect(fast.shares.get('w')).toEqual(fast.denominator);
    }
    expect(updates).toBe(600);
  });

  it('drops a stored zero share, and any share of a pool without a denominator (the crate\'s arithmetic does)', () => {
    const p = pool('h', 1, 10n);
    p.denominator = sfFromU64(10n);
    p.shares.set('zero', SF_ZERO);
    poolUpdateOne(p, 'zero', 0n);
    expect(p.shares.has('zero')).toBe(false);
    const q = pool('h', 2, 0n);
    q.shares.set('a', sfFromU64(5n));
    poolUpdateOne(q, 'a', 0n);
    expect(q.shares.has('a')).toBe(false);
    expect(q.value).toBe(0n);
  });
});

describe('Chain option epochBonds', () => {
  const engine = createEngineSync();
  // a small simulated network's state: three subnets with weights and stake, epochs due within a tempo
  const json = new Network({ engine, subnets: 3, uidsPerSubnet: 32, subnet1Uids: 0, validatorsPerSubnet: 6, tempo: 12, mechanisms: 2, mechanismSubnets: [2] }).chain.toJSON();

  it('false leaves output.bonds [] and changes nothing else: the same reports and state as with bonds, which the table holds until the next epoch', () => {
    const a = Chain.fromJSON(json, { engine });
    const b = Chain.fromJSON(json, { engine, epochBonds: false });
    expect(b.epochSettings).toEqual({ mode: 'fixed', path: 'sparse', bonds: false });
    let epochs = 0;
    let mechanismOutputs = 0;
    for (let k = 0; k < 30; k++) {
      const ra = a.step();
      const rb = b.step();
      expect(rb.epochs.length).toBe(ra.epochs.length);
      ra.epochs.forEach((ea, i) => {
        const eb = rb.epochs[i];
        const oa = ea.output!;
        const ob = eb.output!;
        const table = b.state.subnets.get(eb.netuid)!.neurons;
        expect(ob.bonds).toEqual([]);
        expect(table.bondRows(0)).toEqual(oa.bonds);
        const ma = 'mechanisms' in oa ? (oa as { mechanisms: Array<{ bonds: unknown }> }).mechanisms : [];
        const mb = 'mechanisms' in ob ? (ob as { mechanisms: Array<{ bonds: unknown }> }).mechanisms : [];
        const strip = (o: object) => JSON.stringify({ ...o, bonds: null, mechanisms: null }, (_k, v) => (typeof v === 'bigint' ? v.toString() : v));
        expect(mb.length).toBe(ma.length);
        ma.forEach((m, k) => {
          expect(table.bondRows(k)).toEqual(m.bonds);
          // each mechanism's output too, but for its bonds (the aggregate's comparison below leaves them out)
          expect(mb[k].bonds).toEqual([]);
          expect(strip(mb[k])).toBe(strip(m));
          mechanismOutputs++;
        });
        expect(strip(ob)).toBe(strip(oa));
        expect(strip({ ...eb, output: null })).toBe(strip({ ...ea, output: null }));
        epochs++;
      });
      expect(JSON.stringify(b.toJSON())).toBe(JSON.stringify(a.toJSON()));
    }
    expect(epochs).toBeGreaterThanOrEqual(3);
    expect(mechanismOutputs).toBeGreaterThanOrEqual(2);
  });

  it('anything but a boolean is refused with E_ARG', () => {
    for (const bad of [0, 'false', null, {}]) {
      expect(() => Chain.fromJSON(json, { engine, epochBonds: bad as unknown as boolean })).toThrowError(YumaError);
      try {
        Chain.fromJSON(json, { engine, epochBonds: bad as unknown as boolean });
      } catch (e) {
        expect((e as YumaError).code).toBe('E_ARG');
      }
    }
  });
});

describe('Network epochs without bonds in the reports', () => {
  it("the onEpoch hook still gets each epoch's bonds, per mechanism (n rows each, bonds forming after the first epochs)", () => {
    const engine = createEngineSync();
    const seen: Array<{ n: number; rows: number[]; entries: number }> = [];
    const net = new Network({ engine, subnets: 2, uidsPerSubnet: 24, subnet1Uids: 0, validatorsPerSubnet: 4, tempo: 10, mechanisms: 2, mechanismSubnets: [2] });
    net.run({
      blocks: 60,
      onEpoch: (netuid, _block, out) => {
        const n = net.chain.state.subnets.get(netuid)!.neurons.size;
        const perMechanism = 'mechanisms' in out ? (out as { mechanisms: Array<{ bonds: unknown[] }> }).mechanisms.map((m) => m.bonds) : [out.bonds];
        expect(out.bonds).toBe(perMechanism[0]);
        seen.push({ n, rows: perMechanism.map((b) => b.length), entries: perMechanism.reduce((a, b) => a + (b as Array<unknown[]>).reduce((x, r) => x + r.length, 0), 0) });
      },
    });
    expect(seen.length).toBeGreaterThanOrEqual(8);
    for (const e of seen) for (const r of e.rows) expect(r).toBe(e.n);
    expect(seen.some((e) => e.rows.length === 2)).toBe(true);
    expect(seen.slice(-2).every((e) => e.entries > 0)).toBe(true);
  });
});
