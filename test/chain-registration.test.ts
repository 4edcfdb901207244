/**
 * Neurons in the block model: burned registration, the burn price's decay and bump, the prune candidate, and
 * set_weights — ported from subtensor 14bc6f9f `tests/registration.rs` with their literal numbers, plus the
 * table's storage rules through `Chain` (the same `SubnetNeurons` table `Subnet` uses).
 */
import { describe, expect, it } from 'vitest';
import { Chain, ChainRefused, decayFactorQ32, defaultRegistration, newChainState, newSubnet } from '../src/chain/index.js';
import type { ChainState, SubnetRegistration } from '../src/chain/index.js';
import { createEngineSync } from '../src/engine.js';
import { U64F64, fromInt } from '../src/fixed/substrate-fixed.js';

const engine = createEngineSync();
const U64_MAX = (1n << 64n) - 1n;
const RESERVE = 1_000_000_000_000n;

/** `new_test_ext(1)` + `add_network(1, tempo)` + `setup_reserves(1, 1e12, 1e12)`, registration as given. */
function oneSubnet(reg: Partial<SubnetRegistration>, block = 1n): { chain: Chain; state: ChainState } {
  const state = newChainState({ block, totalIssuance: 1_000_000_000_000_000n, balancesTotalIssuance: 1_000_000_000_000_000n });
  state.subnets.set(1, newSubnet(1, { tempo: 13, subnetTao: RESERVE, subnetAlphaIn: RESERVE, registration: defaultRegistration(reg) }));
  return { chain: new Chain(state, { engine }), state };
}

const burnOf = (s: ChainState): bigint => s.subnets.get(1)!.registration!.burn;
const mult = (x: bigint): bigint => fromInt(U64F64, x);

describe('registration burn price (tests/registration.rs)', () => {
  it('decay_factor_q32 is the largest Q32 factor whose half-life-th power is at most ½ (1000 blocks: 1000 → 999)', () => {
    const f = decayFactorQ32(1000);
    expect(f).toBeLessThan(1n << 32n);
    expect((1000n * f) >> 32n).toBe(999n);
    expect(decayFactorQ32(0)).toBe(1n << 32n);
  });

  it('test_burn_decay: a registration doubles the burn at once (1000 → 2000), the next block decays it to 1998', () => {
    const { chain, state } = oneSubnet({ burnHalfLife: 1000, burnIncreaseMult: mult(2n), minBurn: 0n, maxBurn: U64_MAX, burn: 1000n });
    chain.registerNeuron({ coldkey: '100', hotkey: '200', netuid: 1 });
    expect(burnOf(state)).toBe(2000n);
    chain.step();
    expect(burnOf(state)).toBe(1998n);
  });

  it('test_burn_halves_every_half_life: 1024 → 511 → 255 over two half-lives of 2 blocks', () => {
    const { chain, state } = oneSubnet({ burnHalfLife: 2, burnIncreaseMult: mult(1n), minBurn: 0n, maxBurn: U64_MAX, burn: 1024n });
    chain.run(2);
    expect(burnOf(state)).toBe(511n);
    chain.run(2);
    expect(burnOf(state)).toBe(255n);
  });

  it('test_burn_min_and_max_clamps_prevent_zero_stuck_and_cap_bump: 1 → 100 000 (min), bump capped at 150 000 (max)', () => {
    const { chain, state } = oneSubnet({ burnHalfLife: 1, burnIncreaseMult: mult(2n), minBurn: 100_000n, maxBurn: 150_000n, burn: 1n });
    chain.step();
    expect(burnOf(state)).toBe(100_000n);
    chain.registerNeuron({ coldkey: '1', hotkey: '2', netuid: 1 });
    expect(burnOf(state)).toBe(150_000n);
    chain.step();
    expect(burnOf(state)).toBe(100_000n);
    chain.step();
    expect(burnOf(state)).toBe(100_000n);
  });

  it('test_registration_increases_recycled_rao_per_subnet: RAORecycledForRegistration adds each burn paid', () => {
    const { chain, state } = oneSubnet({ burnHalfLife: 1, burnIncreaseMult: mult(1n), minBurn: 0n, burn: 1000n });
    const burn1 = burnOf(state);
    chain.registerNeuron({ coldkey: '667', hotkey: '1', netuid: 1 });
    expect(state.subnets.get(1)!.registration!.raoRecycledForRegistration).toBe(burn1);
    chain.step();
    const burn2 = burnOf(state);
    expect(burn2).toBe(500n);
    chain.registerNeuron({ coldkey: '667', hotkey: '2', netuid: 1 });
    expect(state.subnets.get(1)!.registration!.raoRecycledForRegistration).toBe(burn1 + burn2);
  });

  it('test_update_registration_prices_for_networks_runs_on_next_block_step: 1000 → 999 in one block', () => {
    const { chain, state } = oneSubnet({ burnHalfLife: 1000, burnIncreaseMult: mult(2n), minBurn: 0n, maxBurn: U64_MAX, burn: 1000n });
    chain.step();
    expect(burnOf(state)).toBe(999n);
  });

  it('the burn buys alpha that is destroyed: alpha issuance falls by what was bought, the pool TAO rises by the burn net of the fee', () => {
    const { chain, state } = oneSubnet({ burn: 1_000_000_000n });
    const sn = state.subnets.get(1)!;
    const issuance = sn.subnetAlphaIn + sn.subnetAlphaOut;
    const tao = sn.subnetTao;
    const r = chain.registerNeuron({ coldkey: 'ck', hotkey: 'hk', netuid: 1 });
    expect(r).toMatchObject({ uid: 0, replaced: null, burn: 1_000_000_000n });
    expect(r.alphaBurned).toBeGreaterThan(0n);
    expect(sn.subnetAlphaIn + sn.subnetAlphaOut).toBe(issuance - r.alphaBurned);
    expect(sn.subnetTao).toBe(tao + r.taoToPool);
    expect(r.taoToPool + r.feeStranded).toBe(r.burn);
    expect(r.feeStranded).toBe((1_000_000_000n * 33n) / 65535n);
    expect(state.hotkeys.get('hk')).toEqual({ owner: 'ck' });
    expect(state.ownedHotkeys.get('ck')).toEqual(['hk']);
  });
});

describe('get_neuron_to_prune through the chain (tests/registration.rs)', () => {
  function full(reg: Partial<SubnetRegistration>, regs: Array<[string, string, bigint]>, block: bigint) {
    const { chain, state } = oneSubnet({ minNonImmuneUids: 0, immuneOwnerUidsLimit: 0, maxAllowedUids: regs.length, burn: 1000n, minBurn: 0n, ...reg }, 0n);
    const sn = state.subnets.get(1)!;
    sn.subnetOwner = '999999';
    regs.forEach(([hk, ck, at]) => {
      state.block = at;
      chain.registerNeuron({ coldkey: ck, hotkey: hk, netuid: 1 });
    });
    state.block = block;
    return { chain, state, sn };
  }

  it('test_registration_get_uid_to_prune_all_in_immunity_period: both immune, the lower emission (uid 0) goes', () => {
    const { chain, sn } = full({ immunityPeriod: 2 }, [['0', '0', 0n], ['1', '1', 1n]], 1n);
    sn.neurons.emission.set([100n, 110n]);
    const r = chain.registerNeuron({ coldkey: '7', hotkey: '7', netuid: 1 });
    expect(r).toMatchObject({ uid: 0, replaced: '0' });
  });

  it('test_registration_get_uid_to_prune_none_in_immunity_period: none immune at block 4, uid 0 goes', () => {
    const { chain, sn } = full({ immunityPeriod: 2 }, [['0', '0', 0n], ['1', '1', 1n]], 4n);
    sn.neurons.emission.set([100n, 110n]);
    expect(chain.registerNeuron({ coldkey: '7', hotkey: '7', netuid: 1 })).toMatchObject({ uid: 0, replaced: '0' });
  });

  for (const [limit, uid] of [[1, 1], [2, 2]] as const) {
    it(`test_registration_get_uid_to_prune_owner_immortality: ImmuneOwnerUidsLimit ${limit} prunes uid ${uid}`, () => {
      const { chain, state, sn } = full({ immunityPeriod: 1, immuneOwnerUidsLimit: limit }, [['1', '0', 1n], ['2', '0', 1n], ['3', '3', 2n]], 12n);
      sn.subnetOwner = '0';
      sn.subnetOwnerHotkey = '1';
      state.ownedHotkeys.set('0', ['1', '2']);
      sn.neurons.emission.set([0n, 0n, 1n]);
      expect(chain.registerNeuron({ coldkey: '9', hotkey: '9', netuid: 1 }).uid).toBe(uid);
    });
  }

  it('test_registration_get_uid_to_prune_owner_immortality_all_immune: limit 2, everyone immune, the non-owner uid 2 goes', () => {
    const { chain, state, sn } = full({ immunityPeriod: 100, immuneOwnerUidsLimit: 2 }, [['1', '0', 12n], ['2', '0', 11n], ['3', '3', 10n]], 21n);
    sn.subnetOwner = '0';
    sn.subnetOwnerHotkey = '1';
    state.ownedHotkeys.set('0', ['1', '2']);
    sn.neurons.emission.set([0n, 0n, 1n]);
    expect(chain.registerNeuron({ coldkey: '9', hotkey: '9', netuid: 1 }).uid).toBe(2);
  });

  it('a replaced UID starts clean (weights to it zeroed, its rows and outputs cleared) and its stake stays with the old hotkey', () => {
    const { chain, state, sn } = full({ immunityPeriod: 0 }, [['a', 'ca', 1n], ['b', 'cb', 1n], ['c', 'cc', 1n]], 5n);
    sn.neurons.validatorPermit[0] = 1;
    chain.setWeights({ hotkey: 'a', netuid: 1, uids: [1, 2], values: [10, 20] });
    chain.addStake({ coldkey: 'cb', hotkey: 'b', netuid: 1, tao: 1_000_000_000n });
    sn.neurons.emission.set([5n, 0n, 3n]);
    const r = chain.registerNeuron({ coldkey: 'cd', hotkey: 'd', netuid: 1 });
    expect(r).toMatchObject({ uid: 1, replaced: 'b' });
    expect(sn.neurons.weightRows(0)[0]).toEqual([[1, 0], [2, 65535]]);
    expect(sn.neurons.hotkey(1)).toBe('d');
    expect(sn.neurons.blockAtRegistration[1]).toBe(5n);
    expect(sn.neurons.mechanism(0).lastUpdate[1]).toBe(5n);
    expect(state.stakePools.get('b/1')!.value).toBeGreaterThan(0n);
  });
});

describe('registration and set_weights refusals change nothing', () => {
  it('each refusal names the pallet error and leaves the state as it was', () => {
    // both UIDs belong to the owner coldkey and ImmuneOwnerUidsLimit is 2: nothing can be pruned
    const { chain, state } = oneSubnet({ maxAllowedUids: 2, immuneOwnerUidsLimit: 2 });
    state.subnets.get(1)!.subnetOwner = 'c1';
    chain.registerNeuron({ coldkey: 'c1', hotkey: 'h1', netuid: 1 });
    chain.registerNeuron({ coldkey: 'c1', hotkey: 'h2', netuid: 1 });
    const before = JSON.stringify(chain.toJSON());
    const refused = (f: () => unknown, name: string) => {
      expect(f).toThrow(ChainRefused);
      try {
        f();
      } catch (e) {
        expect((e as ChainRefused).chainError).toBe(name);
      }
      expect(JSON.stringify(chain.toJSON())).toBe(before);
    };
    refused(() => chain.registerNeuron({ coldkey: 'c3', hotkey: 'h3', netuid: 1 }), 'NoNeuronIdAvailable');
    refused(() => chain.registerNeuron({ coldkey: 'c1', hotkey: 'h1', netuid: 1 }), 'HotKeyAlreadyRegisteredInSubNet');
    refused(() => chain.registerNeuron({ coldkey: 'x', hotkey: 'h3', netuid: 0 }), 'RegistrationNotPermittedOnRootSubnet');
    refused(() => chain.registerNeuron({ coldkey: 'x', hotkey: 'h3', netuid: 1, limitPrice: 1n }), 'RegistrationPriceLimitExceeded');
    state.hotkeys.set('h9', { owner: 'someone' });
    const withH9 = JSON.stringify(chain.toJSON());
    expect(() => chain.registerNeuron({ coldkey: 'x', hotkey: 'h9', netuid: 1 })).toThrow(/NonAssociatedColdKey/);
    expect(JSON.stringify(chain.toJSON())).toBe(withH9);
    state.hotkeys.delete('h9');
    refused(() => chain.setWeights({ hotkey: 'h1', netuid: 1, uids: [1], values: [5] }), 'NeuronNoValidatorPermit');
    refused(() => chain.setWeights({ hotkey: 'h3', netuid: 1, uids: [0], values: [5] }), 'HotKeyNotRegisteredInSubNet');
    refused(() => chain.setWeights({ hotkey: 'h1', netuid: 1, uids: [0, 1], values: [5] }), 'WeightVecNotEqualSize');
    refused(() => chain.setWeights({ hotkey: 'h1', netuid: 1, uids: [0], values: [5], mechanism: 1 }), 'MechanismDoesNotExist');
    refused(() => chain.setWeights({ hotkey: 'h1', netuid: 0, uids: [0], values: [5] }), 'CanNotSetRootNetworkWeights');
    state.subnets.get(1)!.neurons.validatorPermit[0] = 1;
    const permitted = JSON.stringify(chain.toJSON());
    expect(() => chain.setWeights({ hotkey: 'h1', netuid: 1, uids: [1, 1], values: [5, 6] })).toThrow(/DuplicateUids/);
    expect(() => chain.setWeights({ hotkey: 'h1', netuid: 1, uids: [0, 2], values: [5, 6] })).toThrow(/UidVecContainInvalidOne/);
    expect(JSON.stringify(chain.toJSON())).toBe(permitted);
  });

  it('a self-weight needs no permit; a permitted row is max-upscaled in caller order with LastUpdate at the block', () => {
    const { chain, state } = oneSubnet({});
    chain.registerNeuron({ coldkey: 'c1', hotkey: 'h1', netuid: 1 });
    chain.registerNeuron({ coldkey: 'c2', hotkey: 'h2', netuid: 1 });
    state.block = 7n;
    chain.setWeights({ hotkey: 'h2', netuid: 1, uids: [1], values: [3] });
    const t = state.subnets.get(1)!.neurons;
    expect(t.weightRows(0)[1]).toEqual([[1, 65535]]);
    t.validatorPermit[0] = 1;
    chain.setWeights({ hotkey: 'h1', netuid: 1, uids: [1, 0], values: [21845, 43690] });
    expect(t.weightRows(0)[0]).toEqual([[1, 32768], [0, 65535]]);
    expect(Array.from(t.mechanism(0).lastUpdate.subarray(0, 2))).toEqual([7n, 7n]);
  });

  it('a subnet with registration round-trips through JSON (burn, counters, emission) and continues identically', () => {
    const { chain } = oneSubnet({ burnHalfLife: 50, burn: 5_000_000n });
    const first = chain.registerNeuron({ coldkey: 'c1', hotkey: 'h1', netuid: 1 }).burn;
    chain.run(3);
    const copy = Chain.fromJSON(JSON.parse(JSON.stringify(chain.toJSON())), { engine });
    const burns = [chain, copy].map((c) => {
      const b = c.registerNeuron({ coldkey: 'c2', hotkey: 'h2', netuid: 1 }).burn;
      c.run(5);
      return b;
    });
    expect(burns[1]).toBe(burns[0]);
    expect(JSON.stringify(copy.toJSON())).toBe(JSON.stringify(chain.toJSON()));
    const sub = (copy.toJSON().subnets as Record<string, { registration: Record<string, unknown> }>)['1'];
    expect(sub.registration).toMatchObject({ maxAllowedUids: 256, raoRecycledForRegistration: String(first + burns[0]) });
  });
});
