/**
 * The block model refuses bad input with a YumaError and leaves its state as it was (test/fuzz-public-api.test.ts
 * fuzzes the same calls; these are the cases it found, pinned).
 */
import { describe, expect, it } from 'vitest';
import { Chain, chainStateToJSON, MAX_RUN_BLOCKS, newChainState, newSubnet } from '../src/chain/index.js';
import { createEngineSync } from '../src/engine.js';
import { RAO } from '../src/units.js';
import { yumaCode } from './helpers/errors.js';
import { boom } from './helpers/hostile.js';

const engine = createEngineSync();

function chain(): Chain {
  const s = newChainState({ block: 100n, totalIssuance: 10_000_000n * RAO, balancesTotalIssuance: 10_000_000n * RAO });
  const neuron = (uid: number, hotkey: string) => ({ uid, hotkey, blockAtRegistration: 1n, lastUpdate: 99n, validatorPermit: uid === 0, weights: [] as Array<[number, number]>, bonds: [] as Array<[number, number]> });
  s.subnets.set(1, newSubnet(1, { subnetTao: 1000n * RAO, subnetAlphaIn: 4000n * RAO, tempo: 3, neurons: [neuron(0, 'v'), neuron(1, 'm')] }));
  s.hotkeys.set('v', { owner: 'a' });
  s.hotkeys.set('m', { owner: 'b' });
  return new Chain(s, { engine });
}
const text = (c: Chain) => JSON.stringify(chainStateToJSON(c.state));

describe('Chain refuses bad input with a YumaError and changes nothing', () => {
  it('new Chain refuses what is not a chain state (it kept it, and the first step threw TypeError)', () => {
    expect(yumaCode(() => new Chain(undefined as never, { engine }))).toBe('E_ARG');
    expect(yumaCode(() => new Chain({} as never, { engine }))).toBe('E_ARG');
    expect(yumaCode(() => new Chain({ ...newChainState(), block: -1n }, { engine }))).toBe('E_RANGE');
    expect(yumaCode(() => new Chain({ ...newChainState(), hotkeys: {} } as never, { engine }))).toBe('E_ARG');
    expect(yumaCode(() => new Chain(newChainState(), { engine: {} } as never))).toBe('E_ARG');
    expect(yumaCode(() => new Chain(newChainState(), { epochMode: Object.create(null) } as never))).toBe('E_ARG');
  });

  it('requests are read once: a throwing getter is E_ARG, a null-prototype or Symbol value is E_ARG with its message built safely', () => {
    const c = chain();
    const before = text(c);
    const getter = Object.defineProperty({ coldkey: 'a', hotkey: 'v', netuid: 1 }, 'tao', { get: boom, enumerable: true });
    expect(yumaCode(() => c.addStake(getter as never))).toBe('E_ARG');
    expect(yumaCode(() => c.addStake({ coldkey: 'a', hotkey: 'v', netuid: Object.create(null), tao: RAO } as never))).toBe('E_ARG');
    expect(yumaCode(() => c.setWeights({ hotkey: 'v', netuid: 1, uids: [1], values: [1], mechanism: Object.create(null) } as never))).toBe('E_STATE');
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
});
