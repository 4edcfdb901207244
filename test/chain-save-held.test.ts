/**
 * Saving a chain refuses what loading would refuse: `chain.toJSON()` on a state its caller holds runs the check
 * `step` runs first, so a value the caller damaged is refused at save time with the error the next block would give,
 * not written into a file `Chain.fromJSON` then refuses. A sound state saves byte for byte as before the check; a
 * state only the chain holds (`fromJSON`'s, never read through `chain.state`) is not checked again.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import { Chain, chainStateFromJSON, chainStateToJSON, newChainState } from '../src/chain/index.js';
import * as stateModule from '../src/chain/state.js';
import { createEngineSync } from '../src/engine.js';
import { RAO } from '../src/units.js';
import { expectYumaError } from './helpers/errors.js';
import { boom } from './helpers/hostile.js';
import { chainText, expectStepsAsTwin, swap, twoNeuronChain } from './helpers/state.js';

// a pass-through spy: the chain's own check, counted
vi.mock('../src/chain/state.js', async (importOriginal) => {
  const orig = await importOriginal<typeof import('../src/chain/state.js')>();
  return { ...orig, checkHeldChainState: vi.fn(orig.checkHeldChainState) };
});
const checks = vi.mocked(stateModule.checkHeldChainState);

const engine = createEngineSync();

/** A chain past its first epochs with stake added on subnet 1, its state held by the test. */
function staked(): Chain {
  const c = twoNeuronChain(engine);
  c.addStake({ coldkey: 'a', hotkey: 'v', netuid: 1, tao: 10n * RAO });
  c.run(5);
  return c;
}

/** Length and SHA-256 of the saved JSON text. */
function saved(c: Chain): string {
  const t = JSON.stringify(c.toJSON());
  return `${t.length} ${createHash('sha256').update(t).digest('hex')}`;
}

const throwing = <T extends object>(target: T): T => new Proxy(target, { get: boom });

describe('Chain.toJSON on a sound state writes the bytes it wrote before saving checked a held state', () => {
  it('a fresh chain, one 3 blocks on with a subnet, one with stake added and 5 blocks on, one loaded and 2 blocks on', () => {
    const blocks = twoNeuronChain(engine);
    blocks.run(3);
    const loaded = Chain.fromJSON(staked().toJSON(), { engine });
    loaded.run(2);
    // length and SHA-256 of each saved text as the code before this check wrote it
    expect(saved(new Chain(newChainState(), { engine }))).toBe('1739 75b281513f0c51af292096a65596802de54a36edf8aa195619f57c77c5e927f0');
    expect(saved(blocks)).toBe('3905 1bc5b80d0acef88590385b8364be9e4d4d14894dcd53333271035e0c61b02e41');
    expect(saved(staked())).toBe('4056 3ad692705bc8e64b6b2ccfe29c2d9cd469c4315f5e6aa82b9e643b152e2a96fc');
    expect(saved(loaded)).toBe('4034 22f0d0e21f43aec04916482fbc0a230dd5fc7f9a823d9ea55dc511433cefa0df');
    expect(blocks.toJSON().block).toBe('103');
  });
});

type Damage = (c: Chain) => () => void;
const top = (key: string, value: unknown): Damage => (c) => swap(c.state, key, value);
const subnet1 = (key: string, value: unknown): Damage => (c) => swap(c.state.subnets.get(1)!, key, value);

describe('Chain.toJSON on a held state the caller damaged refuses with the error step gives, and the repaired chain saves and steps as an undamaged twin', () => {
  const cases: Array<[string, Damage, string, string]> = [
    ['block a string', top('block', 'x'), 'E_ARG', 'state.block must be a bigint block number (got a string)'],
    ['block a decimal string where a bigint belongs', top('block', '108'), 'E_ARG', 'state.block must be a bigint block number (got a string)'],
    ['block negative', top('block', -1n), 'E_RANGE', 'state.block must not be negative (got -1n)'],
    ['totalStake a number where a bigint belongs', top('totalStake', 5), 'E_ARG', 'state.totalStake must be a bigint amount of rao (got a number)'],
    ['maxEpochsPerBlock NaN', top('maxEpochsPerBlock', NaN), 'E_NAN', 'state.maxEpochsPerBlock is NaN'],
    ['subnetOwnerCut negative', top('subnetOwnerCut', -1), 'E_RANGE', 'state.subnetOwnerCut must be in [0, 65535] (got -1)'],
    ['maxEpochsPerBlock fractional', top('maxEpochsPerBlock', 1.5), 'E_RANGE', 'state.maxEpochsPerBlock must be an integer (got 1.5)'],
    ['defaultDelegateTake a bigint where a number belongs', top('defaultDelegateTake', 11_796n), 'E_ARG', 'state.defaultDelegateTake must be a number (got a bigint)'],
    ['subnet 1 tempo fractional', subnet1('tempo', 2.5), 'E_RANGE', 'state.subnets[1].tempo must be an integer (got 2.5)'],
    ['subnet 1 subnetTao a number where a bigint belongs', subnet1('subnetTao', 1000), 'E_ARG', 'state.subnets[1].subnetTao must be a bigint (got a number)'],
    [
      'balancesTotalIssuance removed',
      (c) => {
        const s = c.state as unknown as Record<string, unknown>;
        const old = s.balancesTotalIssuance;
        delete s.balancesTotalIssuance;
        return () => {
          s.balancesTotalIssuance = old;
        };
      },
      'E_ARG',
      'state.balancesTotalIssuance must be a bigint amount of rao (got undefined)',
    ],
    ['hotkeys a Proxy that throws on read', (c) => swap(c.state, 'hotkeys', throwing(c.state.hotkeys)), 'E_ARG', 'state.hotkeys must be a Map'],
    [
      'subnet 1 epochParams a Proxy that throws on read',
      (c) => swap(c.state.subnets.get(1)!, 'epochParams', throwing(c.state.subnets.get(1)!.epochParams)),
      'E_ARG',
      'state.subnets[1].epochParams is a Proxy: a chain state is plain data (a getter or Proxy could answer the block differently from the check before it)',
    ],
  ];
  it.each(cases)('%s: toJSON and step both refuse with %s, and after repair it saves as before and steps and saves as its twin', (_name, damage, code, message) => {
    const c = staked();
    const before = chainText(c);
    const savedBefore = JSON.stringify(c.toJSON());
    const repair = damage(c);
    expect(expectYumaError(() => c.toJSON(), code).message).toBe(`${code}: ${message}`);
    expect(expectYumaError(() => c.step(), code).message).toBe(`${code}: ${message}`);
    repair();
    expect(c.block).toBe(105n);
    expect(JSON.stringify(c.toJSON())).toBe(savedBefore);
    expectStepsAsTwin(c, before, engine);
    const twin = Chain.fromJSON(JSON.parse(before), { engine });
    twin.run(4);
    expect(JSON.stringify(c.toJSON())).toBe(JSON.stringify(twin.toJSON()));
  });

  it('a fresh chain whose block was set to a string refuses to save: E_ARG "state.block must be a bigint block number (got a string)"', () => {
    const c = new Chain(newChainState(), { engine });
    (c.state as unknown as Record<string, unknown>).block = 'x';
    expect(expectYumaError(() => c.toJSON(), 'E_ARG').message).toBe('E_ARG: state.block must be a bigint block number (got a string)');
  });
});

describe('Chain.toJSON checks a state only when its caller may hold it, as step does', () => {
  it('a chain from fromJSON never read through chain.state saves without the check; one read through it, and one from new Chain, check once per save', () => {
    const json = staked().toJSON();
    const loaded = Chain.fromJSON(json, { engine });
    const held = new Chain(chainStateFromJSON(json), { engine });
    checks.mockClear();
    expect(JSON.stringify(loaded.toJSON())).toBe(JSON.stringify(json));
    expect(checks).toHaveBeenCalledTimes(0);
    expect(JSON.stringify(held.toJSON())).toBe(JSON.stringify(json));
    expect(checks).toHaveBeenCalledTimes(1);
    expect(loaded.state.block).toBe(105n);
    checks.mockClear();
    loaded.toJSON();
    expect(checks).toHaveBeenCalledTimes(1);
  });

  it('chainStateToJSON on its own stays the unchecked writer (it writes a damaged block as given)', () => {
    const s = newChainState();
    (s as unknown as Record<string, unknown>).block = 'x';
    expect((chainStateToJSON(s) as Record<string, unknown>).block).toBe('x');
  });
});
