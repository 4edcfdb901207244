/**
 * A subnet with two mechanisms in the block model: the epoch goes through the engine's `epoch_with_mechanisms`
 * (emission split by `MechanismEmissionSplit`, aggregate paid), every mechanism's bonds are persisted, and the
 * state with its mechanisms survives the JSON round trip.
 */
import { describe, expect, it } from 'vitest';
import { Chain, newChainState, newSubnet } from '../src/chain/index.js';
import { createEngineSync } from '../src/engine.js';
import { RAO } from '../src/units.js';

const engine = createEngineSync();

function twoMechanisms(split: number[] | null): Chain {
  const s = newChainState({ block: 100n, totalIssuance: 10_000_000n * RAO, balancesTotalIssuance: 10_000_000n * RAO });
  const neuron = (uid: number, hotkey: string, weights: Array<[number, number]>) => ({
    uid, hotkey, blockAtRegistration: 1n, lastUpdate: 99n, validatorPermit: uid < 2, weights, bonds: [] as Array<[number, number]>,
  });
  const sn = newSubnet(1, {
    subnetTao: 1000n * RAO,
    subnetAlphaIn: 4000n * RAO,
    tempo: 10,
    lastEpochBlock: 100n,
    neurons: [neuron(0, 'v1', [[2, 65535], [3, 21845]]), neuron(1, 'v2', [[2, 65535]]), neuron(2, 'm1', []), neuron(3, 'm2', [])],
    // mechanism 1: the validators prefer miner m2
    mechanisms: [{ weights: [[[3, 65535]], [[2, 10000], [3, 65535]], [], []], bonds: [[], [], [], []], lastUpdate: [99n, 99n, 99n, 99n] }],
    mechanismEmissionSplit: split,
  });
  s.subnets.set(1, sn);
  for (const [h, o] of [['v1', 'a'], ['v2', 'b'], ['m1', 'c'], ['m2', 'd']]) s.hotkeys.set(h, { owner: o });
  const c = new Chain(s, { engine });
  c.addStake({ coldkey: 'a', hotkey: 'v1', netuid: 1, tao: 300n * RAO });
  c.addStake({ coldkey: 'b', hotkey: 'v2', netuid: 1, tao: 100n * RAO });
  return c;
}

describe('Chain with mechanisms', () => {
  it('an epoch of a 2-mechanism subnet (split 3:1) pays m2 more than with mechanism 0 alone, and both mechanisms keep bonds', () => {
    const c = twoMechanisms([49151, 16384]);
    const epoch = c.run(10).flatMap((r) => r.epochs).find((e) => e.netuid === 1)!;
    const inc = Object.fromEntries(epoch.hotkeyEmission.map(([h, i]) => [h, i]));
    expect(inc.m1).toBeGreaterThan(0n);
    expect(inc.m2).toBeGreaterThan(0n);
    const sn = c.state.subnets.get(1)!;
    expect(sn.neurons.bondRows(0)[0].length).toBeGreaterThan(0);
    expect(sn.neurons.bondRows(1)[0].length).toBeGreaterThan(0);
    // the same subnet with mechanism 0 only: m2 earns less (mechanism 1 votes for it)
    const single = twoMechanisms(null);
    const sn1 = single.state.subnets.get(1)!;
    sn1.neurons.setMechanismCount(1);
    const e1 = single.run(10).flatMap((r) => r.epochs).find((e) => e.netuid === 1)!;
    const inc1 = Object.fromEntries(e1.hotkeyEmission.map(([h, i]) => [h, i]));
    expect(inc.m2).toBeGreaterThan(inc1.m2);
    // incentives and dividends together never exceed the drained pots
    const paid = epoch.hotkeyEmission.reduce((a, [, i, d]) => a + i + d, 0n);
    expect(paid).toBeLessThanOrEqual(epoch.pendingServer + epoch.pendingValidator + epoch.pendingRoot);
  });

  it('a state with mechanisms and a split survives toJSON/fromJSON and continues identically', () => {
    const a = twoMechanisms([40000, 25535]);
    a.run(3);
    const b = Chain.fromJSON(JSON.parse(JSON.stringify(a.toJSON())), { engine });
    a.run(9);
    b.run(9);
    expect(JSON.stringify(b.toJSON())).toBe(JSON.stringify(a.toJSON()));
    expect((a.toJSON().subnets as Record<string, { mechanisms: unknown[] }>)['1'].mechanisms).toHaveLength(1);
  });

  it('a mechanism count that does not match the mechanisms listed is refused on load', () => {
    const json = twoMechanisms(null).toJSON() as { subnets: Record<string, { epochParams: { mechanismCount: number } }> };
    json.subnets['1'].epochParams.mechanismCount = 3;
    expect(() => Chain.fromJSON(json, { engine })).toThrow(/mechanismCount/);
  });
});
