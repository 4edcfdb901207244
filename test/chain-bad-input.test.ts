/**
 * The block model refuses bad input with a YumaError and leaves its state as it was (test/fuzz-public-api.test.ts
 * fuzzes the same calls; these are the cases it found, pinned).
 */
import { describe, expect, it, vi } from 'vitest';
import { Chain, chainStateFromJSON, chainStateToJSON, defaultRegistration, MAX_RUN_BLOCKS, newChainState, newSubnet } from '../src/chain/index.js';
import { createEngineSync } from '../src/engine.js';
import { RAO } from '../src/units.js';
import { expectYumaError, yumaCode } from './helpers/errors.js';
import { boom, firstReadThen, typedWithOwnProps } from './helpers/hostile.js';
import { chainText, expectStepsAsTwin, swap, twoNeuronChain } from './helpers/state.js';

const engine = createEngineSync();

const chain = (): Chain => twoNeuronChain(engine);
const text = chainText;

describe('Chain refuses bad input with a YumaError and changes nothing', () => {
  it('new Chain refuses what is not a chain state (it kept it, and the first step threw TypeError)', () => {
    expect(yumaCode(() => new Chain(undefined as never, { engine }))).toBe('E_ARG');
    expect(yumaCode(() => new Chain({} as never, { engine }))).toBe('E_ARG');
    expect(yumaCode(() => new Chain({ ...newChainState(), block: -1n }, { engine }))).toBe('E_RANGE');
    expect(yumaCode(() => new Chain({ ...newChainState(), hotkeys: {} } as never, { engine }))).toBe('E_ARG');
    expect(yumaCode(() => new Chain(newChainState(), { engine: {} } as never))).toBe('E_ARG');
    expect(yumaCode(() => new Chain(newChainState(), { epochMode: Object.create(null) } as never))).toBe('E_ARG');
  });

  it('the state object given to new Chain stays the chain\'s and is checked before every block: edited afterwards by its caller (a subnet amount set negative: E_RANGE; a stake pool\'s value set to a string, the issuance set to a string: E_ARG) the next step is refused before anything moves (it was stepped unchecked); repaired, the chain steps as a twin loaded from its JSON', () => {
    const staked = chain();
    staked.addStake({ coldkey: 'a', hotkey: 'v', netuid: 1, tao: 10n * RAO });
    const s = chainStateFromJSON(chainStateToJSON(staked.state));
    const c = new Chain(s, { engine });
    c.run(2);
    const before = JSON.stringify(chainStateToJSON(s));
    const block = s.block;
    const edits: Array<[() => () => void, string]> = [
      [() => { const sn = s.subnets.get(1)!; const old = sn.subnetTao; sn.subnetTao = -5n; return () => (sn.subnetTao = old); }, 'E_RANGE'],
      [() => { const p = s.stakePools.get('v/1') as unknown as Record<string, unknown>; const old = p.value; p.value = 'x'; return () => (p.value = old); }, 'E_ARG'],
      [() => { const o = s as unknown as Record<string, unknown>; const old = o.totalIssuance; o.totalIssuance = 'x'; return () => (o.totalIssuance = old); }, 'E_ARG'],
    ];
    for (const [edit, code] of edits) {
      const undo = edit();
      expect(yumaCode(() => c.step())).toBe(code);
      expect(s.block).toBe(block);
      undo();
    }
    expect(c.state).toBe(s);
    expect(JSON.stringify(chainStateToJSON(s))).toBe(before);
    const twin = Chain.fromJSON(JSON.parse(before), { engine });
    expect(c.run(6).map((r) => r.taoMinted)).toEqual(twin.run(6).map((r) => r.taoMinted));
    expect(text(c)).toBe(text(twin));
  });

  it('new Chain checks inside the maps and neuron tables of the state it is given (a stake pool\'s value negative: E_RANGE; a hotkey\'s owner a number: E_ARG; a table\'s stake vector a plain array: E_ARG), not only the top level', () => {
    const withPool = () => {
      const c = chain();
      c.addStake({ coldkey: 'a', hotkey: 'v', netuid: 1, tao: 10n * RAO });
      return chainStateFromJSON(chainStateToJSON(c.state));
    };
    const s1 = withPool();
    s1.stakePools.get('v/1')!.value = -5n;
    expect(yumaCode(() => new Chain(s1, { engine }))).toBe('E_RANGE');
    const s2 = withPool();
    (s2.hotkeys.get('v') as unknown as Record<string, unknown>).owner = 5;
    expect(yumaCode(() => new Chain(s2, { engine }))).toBe('E_ARG');
    const s3 = withPool();
    (s3.subnets.get(1)!.neurons as unknown as Record<string, unknown>).stake = [0n, 0n];
    expect(yumaCode(() => new Chain(s3, { engine }))).toBe('E_ARG');
  });

  it('SubnetVolume saturates at u128::MAX as the chain\'s saturating_add (it went past it, to a state new Chain and chainStateFromJSON refuse): a stake of 10 TAO and an unstake on a volume of u128::MAX − 1 leave u128::MAX, and the chain steps on', () => {
    const c = chain();
    const U128 = (1n << 128n) - 1n;
    c.state.subnets.get(1)!.subnetVolume = U128 - 1n;
    c.addStake({ coldkey: 'a', hotkey: 'v', netuid: 1, tao: 10n * RAO });
    expect(c.state.subnets.get(1)!.subnetVolume).toBe(U128);
    c.removeStake({ coldkey: 'a', hotkey: 'v', netuid: 1, alpha: RAO });
    expect(c.state.subnets.get(1)!.subnetVolume).toBe(U128);
    expect(c.run(3)).toHaveLength(3);
    expect(Chain.fromJSON(c.toJSON(), { engine }).state.subnets.get(1)!.subnetVolume).toBe(U128);
  });

  it('requests are read once: a throwing getter is E_ARG, a null-prototype or Symbol value is E_ARG with its message built safely', () => {
    const c = chain();
    const before = text(c);
    const getter = Object.defineProperty({ coldkey: 'a', hotkey: 'v', netuid: 1 }, 'tao', { get: boom, enumerable: true });
    expect(yumaCode(() => c.addStake(getter as never))).toBe('E_ARG');
    expect(yumaCode(() => c.addStake({ coldkey: 'a', hotkey: 'v', netuid: Object.create(null), tao: RAO } as never))).toBe('E_ARG');
    expect(yumaCode(() => c.setWeights({ hotkey: 'v', netuid: 1, uids: [1], values: [1], mechanism: Object.create(null) } as never))).toBe('E_ARG');
    expect(yumaCode(() => c.removeStake({ coldkey: 'a', hotkey: 'v', netuid: Symbol('1'), alpha: RAO } as never))).toBe('E_ARG');
    expect(text(c)).toBe(before);
    // a request whose field answers differently on a second read is read once: the stake is what the first read said
    let reads = 0;
    const fickle = Object.defineProperty({ coldkey: 'a', hotkey: 'v', netuid: 1 }, 'tao', { get: () => (reads++ === 0 ? RAO : 10n ** 30n), enumerable: true });
    expect(c.addStake(fickle as never).taoStaked).toBe(RAO);
    expect(reads).toBe(1);
  });

  it(`run takes a whole number of blocks up to MAX_RUN_BLOCKS (${MAX_RUN_BLOCKS}); more is E_LIMIT before a block runs (it ran until memory ran out)`, () => {
    const c = chain();
    const before = text(c);
    expect(yumaCode(() => c.run(MAX_RUN_BLOCKS + 1))).toBe('E_LIMIT');
    expect(yumaCode(() => c.run(2 ** 40))).toBe('E_LIMIT');
    expect(yumaCode(() => c.run(-1))).toBe('E_RANGE');
    expect(yumaCode(() => c.run(NaN))).toBe('E_NAN');
    expect(yumaCode(() => c.run(Object.create(null)))).toBe('E_ARG');
    expect(text(c)).toBe(before);
    expect(c.run(2)).toHaveLength(2);
    expect(c.block).toBe(102n);
  });

  it('step and run with a closed engine are E_STATE before the block starts: the state (block number, coinbase, pools) is as it was (the block number had advanced and the coinbase had run when the epoch threw)', () => {
    const own = createEngineSync();
    const s = chain().state;
    const c = new Chain(s, { engine: own });
    c.run(8); // epochs ran: the subnet's matrices live in the engine's memory
    own.close();
    const before = text(c);
    expect(yumaCode(() => c.step())).toBe('E_STATE');
    expect(yumaCode(() => c.run(5))).toBe('E_STATE');
    expect(text(c)).toBe(before);
    expect(c.block).toBe(108n);
    // the state itself is sound: a chain on an open engine over a copy of it steps on
    expect(Chain.fromJSON(JSON.parse(before), { engine }).run(4)).toHaveLength(4);
  });

  it('registerNeuron refuses a limitPrice outside u64 (2^64, 10^40: E_RANGE, as addStake and removeStake do; it took them as no limit) and changes nothing; u64::MAX still registers', () => {
    const c = chain();
    const s = c.state.subnets.get(1)!;
    s.registration = defaultRegistration({ maxAllowedUids: 6 });
    const before = text(c);
    for (const limitPrice of [2n ** 64n, 10n ** 40n]) expect(yumaCode(() => c.registerNeuron({ coldkey: 'a', hotkey: 'n', netuid: 1, limitPrice }))).toBe('E_RANGE');
    expect(text(c)).toBe(before);
    expect(c.registerNeuron({ coldkey: 'a', hotkey: 'n', netuid: 1, limitPrice: 2n ** 64n - 1n }).uid).toBe(2);
  });

  it('a stored weight or bond row listing a uid twice (or, through newSubnet, a uid not below n) is refused when the state is loaded (E_SHAPE / E_RANGE): it loaded, and the subnet\'s first epoch threw in the middle of a block', () => {
    const json = JSON.parse(JSON.stringify(chainStateToJSON(chain().state)));
    const loads = (mutate: (sn: any) => void) => {
      const j = JSON.parse(JSON.stringify(json));
      mutate(j.subnets['1']);
      return yumaCode(() => Chain.fromJSON(j, { engine }));
    };
    expect(loads(() => {})).toBeUndefined();
    expect(loads((sn) => (sn.neurons[0].weights = [[1, 5], [1, 6]]))).toBe('E_SHAPE');
    expect(loads((sn) => (sn.neurons[1].bonds = [[0, 5], [1, 9], [0, 6]]))).toBe('E_SHAPE');
    const neuron = (uid: number, hotkey: string, weights: Array<[number, number]>) => ({ uid, hotkey, blockAtRegistration: 1n, lastUpdate: 99n, validatorPermit: uid === 0, weights, bonds: [] as Array<[number, number]> });
    const subnet = (weights: Array<[number, number]>, mechanismRow: Array<[number, number]> = []) =>
      newSubnet(1, { subnetTao: 1000n * RAO, subnetAlphaIn: 4000n * RAO, tempo: 3, neurons: [neuron(0, 'v', weights), neuron(1, 'm', [])], mechanisms: [{ weights: [mechanismRow, []], bonds: [[], []], lastUpdate: [99n, 99n] }] });
    expect(yumaCode(() => subnet([[1, 5]]))).toBeUndefined();
    expect(yumaCode(() => subnet([[1, 5], [1, 5]]))).toBe('E_SHAPE');
    expect(yumaCode(() => subnet([[2, 5]]))).toBe('E_RANGE');
    expect(yumaCode(() => subnet([], [[0, 1], [0, 2]]))).toBe('E_SHAPE');
  });

  it('step at block u64::MAX is E_RANGE and changes nothing (it stepped to 2^64, a state chainStateFromJSON then refused); the block before it still steps to u64::MAX', () => {
    const c = chain();
    c.state.block = 2n ** 64n - 2n;
    c.step();
    expect(c.block).toBe(2n ** 64n - 1n);
    const before = text(c);
    expect(yumaCode(() => c.step())).toBe('E_RANGE');
    expect(yumaCode(() => c.run(3))).toBe('E_RANGE');
    expect(text(c)).toBe(before);
    expect(Chain.fromJSON(JSON.parse(before), { engine }).block).toBe(2n ** 64n - 1n);
  });

  it('an engine object whose epoch() returns null or throws a TypeError makes the epoch\'s block E_STATE / E_ARG, not the TypeError', () => {
    for (const [epoch, code] of [[() => null, 'E_STATE'], [() => { throw new TypeError('custom'); }, 'E_ARG']] as const) {
      const c = new Chain(chain().state, { engine: { epoch } as never });
      expect(yumaCode(() => c.run(8))).toBe(code);
    }
  });

  it('epoch parameters the epoch refuses (bondsMovingAverage above 10^6, alphaLow above alphaHigh) are refused when the state is loaded or a subnet is built (E_RANGE): they loaded, and the first epoch threw in the middle of a block', () => {
    const json = JSON.parse(JSON.stringify(chainStateToJSON(chain().state)));
    const loads = (mutate: (p: any) => void) => {
      const j = JSON.parse(JSON.stringify(json));
      mutate(j.subnets['1'].epochParams);
      return yumaCode(() => Chain.fromJSON(j, { engine }));
    };
    expect(loads(() => {})).toBeUndefined();
    expect(loads((p) => (p.bondsMovingAverage = '1000001'))).toBe('E_RANGE');
    expect(loads((p) => (p.bondsMovingAverage = '18446744073709551615'))).toBe('E_RANGE');
    expect(loads((p) => ((p.alphaLow = 60000), (p.alphaHigh = 100)))).toBe('E_RANGE');
    const params = chain().state.subnets.get(1)!.epochParams;
    expect(yumaCode(() => newSubnet(1, { subnetTao: RAO, subnetAlphaIn: RAO, epochParams: { ...params, bondsMovingAverage: 2_000_000n } }))).toBe('E_RANGE');
    // a state whose live subnet record was changed that way is refused by new Chain too
    const s = chain().state;
    s.subnets.get(1)!.epochParams = { ...params, alphaLow: 60000, alphaHigh: 100 };
    expect(yumaCode(() => new Chain(s, { engine }))).toBe('E_RANGE');
  });

  it('newSubnet refuses an integer field outside its chain type (u64 amounts, i64 flow, fixed-point raws, quote weight ≤ 1e18, u16 tempo) with E_RANGE and a number for a bigint with E_ARG; the edges are taken', () => {
    const U64 = (1n << 64n) - 1n;
    expect(yumaCode(() => newSubnet(1, { subnetTao: -1n }))).toBe('E_RANGE');
    expect(yumaCode(() => newSubnet(1, { pendingOwnerCut: U64 + 1n }))).toBe('E_RANGE');
    expect(yumaCode(() => newSubnet(1, { lastEpochBlock: -1n }))).toBe('E_RANGE');
    expect(yumaCode(() => newSubnet(1, { subnetProtocolFlow: 1n << 63n }))).toBe('E_RANGE');
    expect(yumaCode(() => newSubnet(1, { subnetMovingPrice: 1n << 127n }))).toBe('E_RANGE');
    expect(yumaCode(() => newSubnet(1, { minerBurned: -1n }))).toBe('E_RANGE');
    expect(yumaCode(() => newSubnet(1, { swapBalancerQuoteWeightParts: 10n ** 18n + 1n }))).toBe('E_RANGE');
    expect(yumaCode(() => newSubnet(1, { tempo: 65536 }))).toBe('E_RANGE');
    expect(yumaCode(() => newSubnet(1, { subnetTao: 5 as never }))).toBe('E_ARG');
    const edge = newSubnet(1, { subnetTao: U64, subnetProtocolFlow: -(1n << 63n), subnetVolume: (1n << 128n) - 1n, subnetMovingPrice: -(1n << 127n) });
    expect([edge.subnetTao, edge.subnetProtocolFlow, edge.subnetVolume, edge.subnetMovingPrice]).toEqual([U64, -(1n << 63n), (1n << 128n) - 1n, -(1n << 127n)]);
  });

  it('new Chain checks each subnet record placed in state.subnets (it checked the top level only, and the Wasm coinbase table wrapped a negative amount modulo 2^64): out of range is E_RANGE, a wrong kind E_ARG', () => {
    const cases: Array<[string, unknown, string]> = [
      ['subnetTao', -1n, 'E_RANGE'],
      ['subnetAlphaIn', 1n << 64n, 'E_RANGE'],
      ['rootProp', -1n, 'E_RANGE'],
      ['pendingServerEmission', 1, 'E_ARG'],
      ['firstEmissionBlockNumber', undefined, 'E_ARG'],
      ['ownerCutEnabled', 1, 'E_ARG'],
      ['mechanism', 2, 'E_RANGE'],
    ];
    for (const [field, value, code] of cases) {
      const s = chain().state;
      s.subnets.set(1, { ...s.subnets.get(1)!, [field]: value });
      expect([field, yumaCode(() => new Chain(s, { engine }))]).toEqual([field, code]);
    }
    const s = chain().state;
    s.subnets.set(1, { ...s.subnets.get(1)!, firstEmissionBlockNumber: null });
    expect(new Chain(s, { engine }).state.subnets.get(1)!.firstEmissionBlockNumber).toBe(null);
  });

  it('subnetMovingAlpha is I96F32 bits everywhere: newChainState, new Chain and chainStateFromJSON take 2^100 (new Chain refused any value above u64) and refuse a value beyond I96F32', () => {
    const big = 1n << 100n;
    const c = new Chain(newChainState({ subnetMovingAlpha: big }), { engine });
    expect(Chain.fromJSON(c.toJSON(), { engine }).state.subnetMovingAlpha).toBe(big);
    expect(yumaCode(() => newChainState({ subnetMovingAlpha: 1n << 127n }))).toBe('E_RANGE');
    expect(yumaCode(() => new Chain({ ...newChainState(), subnetMovingAlpha: -(1n << 127n) - 1n }, { engine }))).toBe('E_RANGE');
    expect(yumaCode(() => new Chain({ ...newChainState(), subnetMovingAlpha: 3 } as never, { engine }))).toBe('E_ARG');
  });

  it('chainStateFromJSON reads an absent or null alphaBurned / alphaRecycled counter as 0, as before the bounds table', () => {
    const json = chainStateToJSON(chain().state) as { subnets: Record<string, Record<string, unknown>> };
    const sn = json.subnets['1'];
    sn.alphaBurned = null;
    delete sn.alphaRecycled;
    const back = chainStateFromJSON(json).subnets.get(1)!;
    expect([back.alphaBurned, back.alphaRecycled]).toEqual([0n, 0n]);
  });
});

describe('Chain refusals carry the library\'s codes for argument errors', () => {
  it('setWeights with a mechanism that is no u8 index (\'1\', 1.5, -1, 256, NaN) is E_ARG, as a netuid that is no u16 (it was E_STATE, the code of a chain refusal); a u8 mechanism the subnet lacks stays MechanismDoesNotExist (E_STATE); nothing changes', () => {
    const c = chain();
    const before = text(c);
    for (const mechanism of ['1', 1.5, -1, 256, NaN, 1n]) {
      expect(yumaCode(() => c.setWeights({ hotkey: 'v', netuid: 1, uids: [1], values: [5], mechanism: mechanism as never }))).toBe('E_ARG');
    }
    expect(yumaCode(() => c.setWeights({ hotkey: 'v', netuid: 1, uids: [1], values: [5], mechanism: 1 }))).toBe('E_STATE');
    expect(text(c)).toBe(before);
  });

  it('setRootClaimThreshold above MAX_ROOT_CLAIM_THRESHOLD is E_RANGE (a fixed interval, it was E_STATE) and still names the pallet error InvalidRootClaimThreshold; nothing changes', () => {
    const c = chain();
    const before = text(c);
    const err = expectYumaError(() => c.setRootClaimThreshold({ netuid: 1, threshold: 10_000_001n }), 'E_RANGE');
    expect((err as { chainError?: string }).chainError).toBe('InvalidRootClaimThreshold');
    expect(text(c)).toBe(before);
    c.setRootClaimThreshold({ netuid: 1, threshold: 10_000_000n });
  });
});

describe('Chain.step is all or nothing', () => {
  /** A chain that has run a few blocks with stake on it (its first epochs paid). */
  const running = (opts: { engine?: unknown } = {}) => {
    const c = chain();
    const c2 = new Chain(chainStateFromJSON(JSON.parse(text(c))), { engine: (opts.engine ?? engine) as never });
    c2.addStake({ coldkey: 'a', hotkey: 'v', netuid: 1, tao: 10n * RAO });
    c2.run(5);
    return c2;
  };
  /** Steps `c` and `twin` together until `c` refuses a block (at most 8), and returns what `c` threw. */
  const stepBesideTwinUntilRefused = (c: Chain, twin: Chain): unknown => {
    for (let i = 0; i < 8; i++) {
      try {
        c.step();
      } catch (e) {
        return e;
      }
      twin.step();
    }
    return undefined;
  };
  const damages: Array<[string, (c: Chain) => void, string]> = [
    ['a subnet amount set to a string', (c) => ((c.state.subnets.get(1) as unknown as Record<string, unknown>).subnetTao = 'x'), 'E_ARG'],
    ['a subnet amount set to a number', (c) => ((c.state.subnets.get(1) as unknown as Record<string, unknown>).pendingServerEmission = 5), 'E_ARG'],
    ['a subnet amount set negative (it wrapped modulo 2^64 in the coinbase table)', (c) => (c.state.subnets.get(1)!.subnetTao = -5n), 'E_RANGE'],
    ['the issuance set to a string', (c) => ((c.state as unknown as Record<string, unknown>).totalIssuance = 'x'), 'E_ARG'],
    ['the total stake set negative', (c) => (c.state.totalStake = -1n), 'E_RANGE'],
    ['epoch parameters set to null', (c) => ((c.state.subnets.get(1) as unknown as Record<string, unknown>).epochParams = null), 'E_ARG'],
    ['the neuron table set to null', (c) => ((c.state.subnets.get(1) as unknown as Record<string, unknown>).neurons = null), 'E_ARG'],
    ['the stake pools map set to null', (c) => ((c.state as unknown as Record<string, unknown>).stakePools = null), 'E_ARG'],
    ['a record that is no subnet placed in the subnets map', (c) => (c.state.subnets as Map<number, unknown>).set(3, { netuid: 3 }), 'E_ARG'],
  ];
  for (const [what, damage, code] of damages) {
    it(`garbage written through chain.state (${what}) refuses the next step with ${code} before the block: block, issuance and pools as they were (it threw a TypeError or wrapped after the coinbase had run)`, () => {
      const c = running();
      const before = text(c);
      const issuance = c.state.totalIssuance;
      const block = c.block;
      const s = c.state;
      const saved = new Map(Object.entries(s).map(([k, v]) => [k, v]));
      const sn = s.subnets.get(1)!;
      const savedSubnet = { ...sn };
      damage(c);
      expect(yumaCode(() => c.step())).toBe(code);
      expect(yumaCode(() => c.run(3))).toBe(code);
      expect(c.block).toBe(block);
      if (typeof c.state.totalIssuance === 'bigint') expect(c.state.totalIssuance).toBe(issuance);
      // repaired, the chain steps on from exactly where it was
      for (const [k, v] of saved) (s as unknown as Record<string, unknown>)[k] = v;
      s.subnets.delete(3);
      Object.assign(s.subnets.get(1)!, savedSubnet);
      expect(text(c)).toBe(before);
      expectStepsAsTwin(c, before, engine);
    });
  }

  const pool = (c: Chain) => c.state.stakePools.get('v/1')!;
  /** A Map whose own forEach and iterators skip every entry: what the check must not rely on. */
  class Hiding<K, V> extends Map<K, V> {
    override forEach(): void {}
    override *[Symbol.iterator](): MapIterator<[K, V]> {}
    override *entries(): MapIterator<[K, V]> {}
    override *keys(): MapIterator<K> {}
    override *values(): MapIterator<V> {}
  }
  /** Replaces `state[key]` by a Hiding map holding `entry`, and returns what puts the old map back. */
  const hide = (c: Chain, key: 'childKeys' | 'rootClaimType' | 'hotkeys', entry: [unknown, unknown]) => {
    const st = c.state as unknown as Record<string, Map<unknown, unknown>>;
    const old = st[key];
    st[key] = new Hiding([...old, entry]);
    return () => {
      st[key] = old;
    };
  };
  const entryDamages: Array<[string, (c: Chain) => () => void, string]> = [
    ['a stake pool\'s value set negative', (c) => swap(pool(c), 'value', -5n), 'E_RANGE'],
    ['a stake pool\'s value set to a number', (c) => swap(pool(c), 'value', 5), 'E_ARG'],
    ['a stake pool\'s value set to a string', (c) => swap(pool(c), 'value', '5'), 'E_ARG'],
    ['a coldkey\'s share set to NaN', (c) => { const m = pool(c).shares; const old = m.get('a')!; m.set('a', NaN as never); return () => m.set('a', old); }, 'E_ARG'],
    ['a coldkey\'s share given a negative mantissa', (c) => { const m = pool(c).shares; const old = m.get('a')!; m.set('a', { mantissa: -1n, exponent: 0 }); return () => m.set('a', old); }, 'E_RANGE'],
    ['a stake pool\'s share denominator given a fractional exponent', (c) => swap(pool(c), 'denominator', { mantissa: 10n ** 20n, exponent: 0.5 }), 'E_RANGE'],
    ['a hotkey\'s delegate take set to NaN', (c) => swap(c.state.hotkeys.get('v')!, 'delegateTake', NaN), 'E_NAN'],
    ['a hotkey\'s delegate take set to -1', (c) => swap(c.state.hotkeys.get('v')!, 'delegateTake', -1), 'E_RANGE'],
    ['a hotkey\'s owner set to a number', (c) => swap(c.state.hotkeys.get('v')!, 'owner', 5), 'E_ARG'],
    ['a hotkey entry set to null', (c) => { const m = c.state.hotkeys; const old = m.get('v')!; m.set('v', null as never); return () => m.set('v', old); }, 'E_ARG'],
    ['a root-claimable entry set to a string', (c) => { const m = c.state.rootClaimable; const old = m.get('v/1'); m.set('v/1', '7' as never); return () => (old === undefined ? m.delete('v/1') : m.set('v/1', old)); }, 'E_ARG'],
    ['a child link with a negative proportion', (c) => { c.state.childKeys.set('v/1', [{ proportion: -1n, key: 'm' }]); return () => c.state.childKeys.delete('v/1'); }, 'E_RANGE'],
    ['a neuron table\'s stake vector replaced by a plain array', (c) => swap(c.state.subnets.get(1)!.neurons, 'stake', [0n, 0n]), 'E_ARG'],
    ['the subnet owner set to a number', (c) => swap(c.state.subnets.get(1)!, 'subnetOwner', 7), 'E_ARG'],
    // a bigint where the state holds a number: toInt takes one in range, so the re-check passed it and the block threw
    // a TypeError mixing it with numbers after the coinbase (tempo, the owner cut) or carried a bigint on (the others)
    ['a subnet\'s tempo set to a bigint', (c) => swap(c.state.subnets.get(1)!, 'tempo', 3n), 'E_ARG'],
    ['a subnet\'s fee rate set to a bigint', (c) => swap(c.state.subnets.get(1)!, 'feeRate', 33n), 'E_ARG'],
    ['the subnet owner cut set to a bigint', (c) => swap(c.state, 'subnetOwnerCut', 11796n), 'E_ARG'],
    ['the epochs a block may run set to a bigint', (c) => swap(c.state, 'maxEpochsPerBlock', 2n), 'E_ARG'],
    ['the default delegate take set to a bigint', (c) => swap(c.state, 'defaultDelegateTake', 11796n), 'E_ARG'],
    ['a hotkey\'s delegate take set to a bigint', (c) => swap(c.state.hotkeys.get('v')!, 'delegateTake', 100n), 'E_ARG'],
    ['a stake pool\'s netuid set to a bigint', (c) => swap(pool(c), 'netuid', 1n), 'E_ARG'],
    // the pools' check skips the share map of a pool that had none: a share added to one is still read
    ['a share with a negative mantissa added to a pool that had no shares', (c) => { const m = c.state.stakePools.get('m/1')!.shares; expect(m.size).toBe(0); m.set('a', { mantissa: -1n, exponent: 0 }); return () => m.delete('a'); }, 'E_RANGE'],
    ['a share keyed by a number added to a pool that had no shares', (c) => { const m = c.state.stakePools.get('m/1')!.shares as Map<unknown, unknown>; m.set(7, { mantissa: 1n, exponent: 0 }); return () => m.delete(7); }, 'E_ARG'],
    ['a stake pool keyed by a number', (c) => { const m = c.state.stakePools as Map<unknown, unknown>; m.set(7, { ...pool(c), shares: new Map() }); return () => m.delete(7); }, 'E_ARG'],
    ['a stake pool on a netuid with no subnet', (c) => swap(pool(c), 'netuid', 2), 'E_STATE'],
    ['a root-claimable entry set beyond I96F32', (c) => { const m = c.state.rootClaimable; const old = m.get('v/1'); m.set('v/1', 1n << 127n); return () => (old === undefined ? m.delete('v/1') : m.set('v/1', old)); }, 'E_RANGE'],
    ['a registration record with a negative burn placed on the subnet', (c) => swap(c.state.subnets.get(1)!, 'registration', { ...defaultRegistration(), burn: -1n }), 'E_RANGE'],
    ['a registration record with minBurn above maxBurn placed on the subnet', (c) => swap(c.state.subnets.get(1)!, 'registration', { ...defaultRegistration(), minBurn: 10n, maxBurn: 9n }), 'E_STATE'],
    ['a registration record whose UID slots are a bigint placed on the subnet', (c) => swap(c.state.subnets.get(1)!, 'registration', { ...defaultRegistration(), maxAllowedUids: 256n }), 'E_ARG'],
    // the state's own maps must be plain (or the library's): a subclass or an own method could answer the block
    // differently from what the check read
    ['the stake pools map replaced by a Map subclass whose forEach and iterators skip every entry, one pool\'s value set negative behind it', (c) => {
      const old = c.state.stakePools;
      const p = pool(c);
      const value = p.value;
      c.state.stakePools = new Hiding(old) as never;
      p.value = -5n;
      return () => {
        p.value = value;
        c.state.stakePools = old;
      };
    }, 'E_ARG'],
    ['the child links map replaced by a Map subclass whose forEach and iterators skip a link with a negative proportion', (c) => hide(c, 'childKeys', ['v/1', [{ proportion: -1n, key: 'm' }]]), 'E_ARG'],
    ['the root claim types map replaced by a Map subclass whose forEach and iterators skip a claim type that is a number', (c) => hide(c, 'rootClaimType', ['a', 7]), 'E_ARG'],
    ['the hotkeys map replaced by a Map subclass whose forEach and iterators skip a hotkey whose owner is a number', (c) => hide(c, 'hotkeys', ['z', { owner: 5 }]), 'E_ARG'],
    ['a get of its own set on the subnets map, answering a record with a string amount (the block threw a TypeError after the coinbase)', (c) => {
      const m = c.state.subnets as unknown as Record<string, unknown>;
      m.get = (k: number) => ({ ...c.state.subnets.get(k)!, subnetTao: 'x' });
      return () => delete m.get;
    }, 'E_ARG'],
    ['a forEach of its own set on the stake pools map, skipping every pool, and one pool\'s value set negative', (c) => {
      const m = c.state.stakePools as unknown as Record<string, unknown>;
      const p = pool(c);
      const value = p.value;
      m.forEach = () => {};
      p.value = -5n;
      return () => {
        delete m.forEach;
        p.value = value;
      };
    }, 'E_ARG'],
    // maps inside entries may be any Map: read through this realm's forEach, a subclass cannot hide their entries
    ['a pool\'s share map replaced by a Map subclass whose forEach and iterators skip a share with a negative mantissa', (c) => swap(pool(c), 'shares', new Hiding([['a', { mantissa: -1n, exponent: 0 }]])), 'E_RANGE'],
    ['a hotkey\'s childkey take map holding a bigint take behind a Map subclass whose forEach and iterators skip it', (c) => swap(c.state.hotkeys.get('v')!, 'childkeyTake', new Hiding([[1, 5n]])), 'E_ARG'],
    ['a neuron table\'s mechanism incentive vector cut short', (c) => swap(c.state.subnets.get(1)!.neurons.mechanism(0), 'incentive', new Uint16Array(1)), 'E_ARG'],
  ];
  for (const [what, damage, code] of entryDamages) {
    it(`garbage written inside a map entry or neuron table through chain.state (${what}) refuses the next step with ${code} before the block (the re-check did not look inside, and the block ran on it); repaired, the chain steps on as a twin`, () => {
      const c = running();
      const before = text(c);
      const block = c.block;
      const undo = damage(c);
      expect(yumaCode(() => c.step())).toBe(code);
      expect(yumaCode(() => c.run(3))).toBe(code);
      expect(c.block).toBe(block);
      undo();
      expect(text(c)).toBe(before);
      expectStepsAsTwin(c, before, engine);
    });
  }

  it('a stake pool whose subnet is removed from state.subnets after blocks that checked it there is E_STATE on the next step (the pools\' table of live netuids is rebuilt for each check, not kept), and the block number stays', () => {
    const c = running();
    c.state.subnets.set(2, newSubnet(2, { subnetTao: RAO, subnetAlphaIn: RAO }));
    c.state.stakePools.set('v/2', { hotkey: 'v', netuid: 2, value: 0n, denominator: { mantissa: 0n, exponent: 0 }, shares: new Map() });
    c.run(2);
    c.state.subnets.delete(2);
    const block = c.block;
    expect(yumaCode(() => c.step())).toBe('E_STATE');
    expect(c.block).toBe(block);
    c.state.stakePools.delete('v/2');
    c.step();
    expect(c.block).toBe(block + 1n);
  });

  it('an engine of the caller\'s that throws in the middle of a block (after the coinbase, in an epoch) leaves the state as before the block: the error is a YumaError (E_ARG, its error as cause), the block number and every pool as they were, and the chain steps on with a sound engine to the same state as a twin', () => {
    let calls = 0;
    let broken = true;
    const flaky = {
      epoch: (...a: Parameters<typeof engine.epoch>) => {
        calls++;
        if (broken) throw new TypeError('engine bug');
        return engine.epoch(...a);
      },
    };
    broken = false;
    const c = running({ engine: flaky });
    const twin = Chain.fromJSON(c.toJSON(), { engine });
    const before = text(c);
    broken = true;
    const at = calls;
    const err = stepBesideTwinUntilRefused(c, twin);
    expect(calls).toBeGreaterThan(at); // the epoch ran, after the coinbase of its block
    expectYumaError(() => {
      throw err;
    }, 'E_ARG');
    expect(text(c)).toBe(text(twin));
    expect(text(c)).not.toBe(before); // the blocks before the epoch's block stood
    broken = false;
    c.run(6);
    twin.run(6);
    expect(text(c)).toBe(text(twin));
  });

  it('a library engine whose memory the host refuses to grow in the middle of a block (the first epoch of a 1200-UID subnet) is E_LIMIT before the block starts (its coinbase had run and stood): the state equals a twin\'s that did not step it, and the chain steps on once memory is granted', () => {
    const s = newChainState({ block: 100n, totalIssuance: 10_000_000n * RAO, balancesTotalIssuance: 10_000_000n * RAO });
    const n = 1200;
    const neurons = Array.from({ length: n }, (_, uid) => ({
      uid, hotkey: `h${uid}`, blockAtRegistration: 1n, lastUpdate: 99n, validatorPermit: uid < 8,
      weights: uid < 8 ? ([[(uid * 37) % n, 100], [(uid * 91 + 5) % n, 50]] as Array<[number, number]>) : [], bonds: [] as Array<[number, number]>,
    }));
    s.subnets.set(1, newSubnet(1, { subnetTao: 1000n * RAO, subnetAlphaIn: 4000n * RAO, tempo: 3, neurons, registration: defaultRegistration({ maxAllowedUids: n }) }));
    for (let uid = 0; uid < 8; uid++) s.hotkeys.set(`h${uid}`, { owner: `c${uid}` });
    const own = createEngineSync();
    const c = new Chain(s, { engine: own });
    for (let uid = 0; uid < 8; uid++) c.addStake({ coldkey: `c${uid}`, hotkey: `h${uid}`, netuid: 1, tao: 10n * RAO });
    const twin = Chain.fromJSON(c.toJSON(), { engine });
    const grow = vi.spyOn(WebAssembly.Memory.prototype, 'grow').mockImplementation(() => {
      throw new RangeError('WebAssembly.Memory.grow(): Maximum memory size exceeded');
    });
    let err: unknown;
    let refusedGrowths = 0;
    try {
      err = stepBesideTwinUntilRefused(c, twin);
      refusedGrowths = grow.mock.calls.length;
    } finally {
      grow.mockRestore();
    }
    expect(refusedGrowths).toBeGreaterThan(0);
    expectYumaError(() => {
      throw err;
    }, 'E_LIMIT');
    expect(text(c)).toBe(text(twin));
    expect(c.block).toBe(twin.block);
    expect(c.run(6).map((r) => r.epochs.length)).toEqual(twin.run(6).map((r) => r.epochs.length));
    expect(text(c)).toBe(text(twin));
  });

  it('a weight row written into the neuron table through chain.state that lists a uid twice is E_SHAPE before the block that would run its epoch on a library engine (the epoch threw it after the coinbase): the state equals a twin\'s that did not step it', () => {
    const c = running();
    const twin = Chain.fromJSON(c.toJSON(), { engine });
    const m = c.state.subnets.get(1)!.neurons.mechanism(0);
    const good = m.weights[0];
    m.weights[0] = new Uint32Array([(1 << 16) | 5, (1 << 16) | 6]);
    const err = stepBesideTwinUntilRefused(c, twin);
    expectYumaError(() => {
      throw err;
    }, 'E_SHAPE');
    expect(c.block).toBe(twin.block);
    // the damaged row is the only difference (the JSON form writes it as it is)
    m.weights[0] = good;
    expect(text(c)).toBe(text(twin));
    expect(c.run(6).map((r) => r.taoMinted)).toEqual(twin.run(6).map((r) => r.taoMinted));
    expect(text(c)).toBe(text(twin));
  });

  it('an engine of the caller\'s whose epoch returns garbage ({}) is a YumaError and the block is undone', () => {
    let broken = false;
    const bad = { epoch: (...a: Parameters<typeof engine.epoch>) => (broken ? ({} as never) : engine.epoch(...a)) };
    const c = running({ engine: bad });
    broken = true;
    const twin = Chain.fromJSON(c.toJSON(), { engine });
    const err = stepBesideTwinUntilRefused(c, twin);
    expect(yumaCode(() => {
      throw err;
    })).toMatch(/^E_/);
    expect(text(c)).toBe(text(twin));
  });

  // what a caller's engine returns is input too: each field the block reads is checked before anything is written
  const outputDamages: Array<[string, string, (o: Record<string, any>) => void]> = [
    ['server emissions as numbers (a TypeError mixing them with bigints midway through the block)', 'output.serverEmission[0]', (o) => (o.serverEmission = o.serverEmission.map(Number))],
    ['validator emissions as strings', 'output.validatorEmission[0]', (o) => (o.validatorEmission = o.validatorEmission.map(String))],
    ['a negative validator emission (the block ran on it)', 'output.validatorEmission[1]', (o) => (o.validatorEmission = o.validatorEmission.map((x: bigint, i: number) => (i === 1 ? -5n : x)))],
    ['a server emission past u64 (the block ran on it)', 'output.serverEmission[0]', (o) => (o.serverEmission = o.serverEmission.map(() => 2n ** 70n))],
    ['a bond row of null (a TypeError midway through the block)', 'output.bonds[0]', (o) => (o.bonds = o.bonds.map(() => null))],
    ['a bond pair naming a uid past the subnet', 'output.bonds[0][0]', (o) => (o.bonds = o.bonds.map(() => [[9, 1]]))],
    ['a bond value past u16', 'output.bonds[0][0]', (o) => (o.bonds = o.bonds.map(() => [[0, 70000]]))],
    ['a float incentive of 5', 'output.float.incentive[0]', (o) => (o.float = { ...o.float, incentive: o.float.incentive.map(() => 5) })],
    ['an active flag of 1 instead of true', 'output.active[0]', (o) => (o.active = o.active.map(() => 1))],
    ['consensus as a plain array', 'output.consensus', (o) => (o.consensus = Array.from(o.consensus))],
    ['a hole in the bond list', 'output.bonds has a hole at index 0', (o) => (o.bonds = o.bonds.slice(), delete o.bonds[0])],
    ['a bond pair of bigints', 'output.bonds[0][0]', (o) => (o.bonds = o.bonds.map(() => [[0n, 1n]]))],
    ['a revoked Proxy for the server emissions', 'output.serverEmission: reading it threw', (o) => { const r = Proxy.revocable(o.serverEmission, {}); r.revoke(); o.serverEmission = r.proxy; }],
    ['a NaN float dividend', 'output.float.dividends[0]', (o) => (o.float = { ...o.float, dividends: o.float.dividends.map(() => NaN) })],
    ['an incentive getter that throws', 'output.incentive: reading it threw', (o) => Object.defineProperty(o, 'incentive', { get: boom, enumerable: true })],
  ];
  for (const [what, field, damage] of outputDamages) {
    it(`an engine of the caller's whose output holds ${what} is E_STATE naming ${field} before the block writes anything: the state equals a twin's that did not step, and with the engine mended the chain steps on as the twin`, () => {
      let broken = false;
      const bad = {
        epoch: (...a: Parameters<typeof engine.epoch>) => {
          const o = engine.epoch(...a) as unknown as Record<string, any>;
          if (broken) damage(o);
          return o;
        },
      };
      const c = running({ engine: bad });
      broken = true;
      const twin = Chain.fromJSON(c.toJSON(), { engine });
      const err = expectYumaError(() => {
        throw stepBesideTwinUntilRefused(c, twin);
      }, 'E_STATE');
      expect(err.message).toContain(`engine returned an output of the wrong shape: ${field}`);
      expect(c.block).toBe(twin.block);
      expect(text(c)).toBe(text(twin));
      broken = false;
      expect(c.run(6).map((r) => r.taoMinted)).toEqual(twin.run(6).map((r) => r.taoMinted));
      expect(text(c)).toBe(text(twin));
    });
  }

  it('an engine output whose fields are getters is read once a field, and the blocks equal a twin\'s given the plain outputs (a getter answering garbage on its second read stopped the block midway)', () => {
    const reads: number[] = [];
    let fickle = false;
    const getters = {
      epoch: (...a: Parameters<typeof engine.epoch>) => {
        const o = engine.epoch(...a) as unknown as Record<string, unknown>;
        if (!fickle) return o;
        const wrapped: Record<string, unknown> = {};
        for (const k of Object.keys(o)) {
          const at = reads.push(0) - 1;
          Object.defineProperty(wrapped, k, { enumerable: true, get: () => (++reads[at] === 1 ? o[k] : 'garbage') });
        }
        return wrapped;
      },
    };
    const c = running({ engine: getters });
    const twin = Chain.fromJSON(c.toJSON(), { engine });
    fickle = true;
    const json = (r: ReturnType<Chain['run']>) => r.map((b) => b.epochs.map((e) => JSON.stringify(e.output, (_k, v) => (typeof v === 'bigint' ? String(v) : v))));
    const mine = c.run(8);
    const theirs = twin.run(8);
    expect(mine.reduce((k, r) => k + r.epochs.length, 0)).toBeGreaterThan(1);
    expect(reads.length).toBeGreaterThan(0);
    expect(reads.every((n) => n === 1)).toBe(true);
    expect(json(mine)).toEqual(json(theirs));
    expect(text(c)).toBe(text(twin));
  });

  it('an engine output whose typed arrays have own subarray, length and the rest that throw, and whose emission lists answer each entry\'s own value on its first read and garbage (-5n, 2^70) after, is read by its entries once each: the blocks equal a twin\'s given the plain outputs (the first was a refused block, the second paid from the second reads)', () => {
    let hostile = false;
    const wrapped = {
      epoch: (...a: Parameters<typeof engine.epoch>) => {
        const o = engine.epoch(...a) as unknown as Record<string, any>;
        if (!hostile) return o;
        for (const k of ['stakeWeight', 'consensus', 'incentive', 'dividends', 'validatorTrust']) o[k] = typedWithOwnProps(o[k]);
        o.float = { ...o.float, incentive: typedWithOwnProps(o.float.incentive), dividends: typedWithOwnProps(o.float.dividends) };
        o.serverEmission = firstReadThen(o.serverEmission, 2n ** 70n);
        o.validatorEmission = firstReadThen(o.validatorEmission, -5n);
        return o;
      },
    };
    const c = running({ engine: wrapped });
    const twin = Chain.fromJSON(c.toJSON(), { engine });
    hostile = true;
    const mine = c.run(8);
    const theirs = twin.run(8);
    expect(mine.reduce((k, r) => k + r.epochs.length, 0)).toBeGreaterThan(1);
    expect(mine.map((r) => r.epochs.map((e) => e.hotkeyEmission))).toEqual(theirs.map((r) => r.epochs.map((e) => e.hotkeyEmission)));
    expect(text(c)).toBe(text(twin));
  });

  it('an engine of the caller\'s that writes garbage into the chain\'s state from inside its epoch (a subnet amount set to a string) stops the block with E_STATE "the block stopped on SyntaxError: Cannot convert x to a BigInt and was undone", that error as cause: the state, garbage included, is as before the block', () => {
    let sabotage = false;
    let c: Chain | undefined;
    const writer = {
      epoch: (...a: Parameters<typeof engine.epoch>) => {
        if (sabotage) (c!.state.subnets.get(1) as unknown as Record<string, unknown>).subnetTao = 'x';
        return engine.epoch(...a);
      },
    };
    c = running({ engine: writer });
    const twin = Chain.fromJSON(c.toJSON(), { engine });
    sabotage = true;
    const err = expectYumaError(() => {
      throw stepBesideTwinUntilRefused(c!, twin);
    }, 'E_STATE');
    expect(err.message).toBe('E_STATE: the block stopped on SyntaxError: Cannot convert x to a BigInt and was undone');
    expect(err.cause).toBeInstanceOf(SyntaxError);
    expect(typeof c.state.subnets.get(1)!.subnetTao).toBe('bigint');
    expect(c.block).toBe(twin.block);
    expect(text(c)).toBe(text(twin));
  });
});

describe('a chain state\'s u64 that is not rao is named for what it is (the messages called every one an amount of rao)', () => {
  it('newChainState({ block: 5 }) and a held state\'s block set to \'x\' say "must be a bigint block number"; taoWeight and ckBurn "a bigint u64 (parts of 2^64 - 1)"; totalStake still "a bigint amount of rao"; nothing changes', () => {
    expect(expectYumaError(() => newChainState({ block: 5 } as never), 'E_ARG').message).toBe('E_ARG: block must be a bigint block number (got a number)');
    expect(expectYumaError(() => newChainState({ taoWeight: 1 } as never), 'E_ARG').message).toBe('E_ARG: taoWeight must be a bigint u64 (parts of 2^64 - 1) (got a number)');
    const c = chain();
    const before = text(c);
    const s = c.state as unknown as Record<string, unknown>;
    for (const [k, what] of [['block', 'block number'], ['ckBurn', 'u64 (parts of 2^64 - 1)'], ['totalStake', 'amount of rao']] as const) {
      const old = s[k];
      s[k] = 'x';
      expect(expectYumaError(() => c.step(), 'E_ARG').message).toBe(`E_ARG: state.${k} must be a bigint ${what} (got a string)`);
      s[k] = old;
    }
    expect(text(c)).toBe(before);
  });
});

describe('a Chain option given as null is E_ARG naming it (it was read as "not given")', () => {
  for (const field of ['epochMode', 'epochPath'] as const) {
    it(`new Chain(state, { engine, ${field}: null }) is E_ARG naming ${field}`, () => {
      expect(expectYumaError(() => new Chain(newChainState(), { engine, [field]: null } as never), 'E_ARG').message).toContain(field);
    });
  }
});

describe('chainStateToJSON of a state it cannot read: E_ARG carrying what was thrown as cause', () => {
  it("a state whose subnets getter throws an Error of the caller's is E_ARG 'state (…): reading it threw (Error: mine)', that very error as cause (it had no cause)", () => {
    const mine = new Error('mine');
    const state = { ...chain().state, get subnets(): never { throw mine; } };
    const err = expectYumaError(() => chainStateToJSON(state), 'E_ARG');
    expect(err.message).toBe('E_ARG: state (a ChainState from newChainState or chainStateFromJSON): reading it threw (Error: mine)');
    expect(err.cause).toBe(mine);
  });

  it('an object that is no chain state ({}) is E_ARG whose cause is the TypeError reading it raised', () => {
    const err = expectYumaError(() => chainStateToJSON({} as never), 'E_ARG');
    expect(err.cause).toBeInstanceOf(TypeError);
    expect(err.message).toContain(`reading it threw (TypeError: ${(err.cause as TypeError).message})`);
  });
});
