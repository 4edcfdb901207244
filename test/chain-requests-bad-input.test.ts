/**
 * `Chain.setRootClaimType`, which the fuzz suite does not call, with a claim type that is a Proxy or an object of
 * getters: whatever reading it throws is E_ARG, and the state, as
 * `chainStateToJSON` writes it, is unchanged.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { Chain, chainStateToJSON, defaultRegistration, newChainState, newSubnet } from '../src/chain/index.js';
import { createEngineSync } from '../src/engine.js';
import { RAO } from '../src/units.js';
import { expectYumaError } from './helpers/errors.js';

const engine = createEngineSync();
afterAll(() => engine.close());

const hostile = () => {
  throw new Error('hostile getter');
};

function chain(): Chain {
  const c = new Chain(newChainState({ block: 100n, totalIssuance: 10_000_000n * RAO, balancesTotalIssuance: 10_000_000n * RAO }), { engine });
  c.setRootClaimType({ coldkey: 'a', type: { keepSubnets: [3, 1] } });
  return c;
}

describe('Chain.setRootClaimType reads a claim type object once, its errors as E_ARG', () => {
  it("{ keepSubnets } through a Proxy or a getter is the same claim type as the plain object", () => {
    const c = chain();
    c.setRootClaimType({ coldkey: 'b', type: new Proxy({ keepSubnets: [2, 2, 1] }, {}) });
    c.setRootClaimType({ coldkey: 'd', type: Object.defineProperty({}, 'keepSubnets', { get: () => [1, 2], enumerable: true }) as never });
    c.setRootClaimType({ coldkey: 'e', type: { keepSubnets: [2, 2, 1] } });
    expect(c.state.rootClaimType.get('e')).toEqual({ keepSubnets: [1, 2] });
    expect(c.state.rootClaimType.get('b')).toEqual(c.state.rootClaimType.get('e'));
    expect(c.state.rootClaimType.get('d')).toEqual(c.state.rootClaimType.get('e'));
  });

  it('a claim type whose getter, Proxy traps or keepSubnets list throws is E_ARG and leaves every claim type as it was', () => {
    const bad: unknown[] = [
      Object.defineProperty({}, 'keepSubnets', { get: hostile, enumerable: true }),
      new Proxy({}, { get: hostile, ownKeys: hostile, getOwnPropertyDescriptor: hostile, getPrototypeOf: hostile, has: hostile }),
      { keepSubnets: new Proxy([1], { get: hostile }) },
    ];
    for (const type of bad) {
      const c = chain();
      const before = JSON.stringify(chainStateToJSON(c.state));
      expectYumaError(() => c.setRootClaimType({ coldkey: 'a', type: type as never }), 'E_ARG');
      expect(JSON.stringify(chainStateToJSON(c.state))).toBe(before);
      expect(c.state.rootClaimType.get('a')).toEqual({ keepSubnets: [1, 3] });
    }
  });
});

describe('Chain.setRootClaimType refuses a claim type with a key it does not read', () => {
  it("{ keepSubnets: [2], [Symbol('keep')]: [9] } is E_SHAPE naming the Symbol, as an unknown string field is, every claim type as it was (the Symbol key was ignored and [2] stored)", () => {
    const c = chain();
    const before = JSON.stringify(chainStateToJSON(c.state));
    const e = expectYumaError(() => c.setRootClaimType({ coldkey: 'a', type: { keepSubnets: [2], [Symbol('keep')]: [9] } as never }), 'E_SHAPE');
    expect(e.message).toContain('Symbol(keep)');
    expect(JSON.stringify(chainStateToJSON(c.state))).toBe(before);
    expect(c.state.rootClaimType.get('a')).toEqual({ keepSubnets: [1, 3] });
    c.setRootClaimType({ coldkey: 'a', type: { keepSubnets: [2] } });
    expect(c.state.rootClaimType.get('a')).toEqual({ keepSubnets: [2] });
  });
});

describe('Chain.fromJSON reads each field once', () => {
  /** A chain with one dynamic subnet of two neurons and two mechanisms, as JSON. */
  function stateJson(): Record<string, unknown> {
    const s = newChainState({ block: 100n, totalIssuance: 10_000_000n * RAO, balancesTotalIssuance: 10_000_000n * RAO });
    const neuron = (uid: number, hotkey: string) => ({ uid, hotkey, blockAtRegistration: 1n, lastUpdate: 99n, validatorPermit: uid === 0, weights: uid === 0 ? ([[1, 65535]] as Array<[number, number]>) : [], bonds: [] as Array<[number, number]> });
    s.subnets.set(1, newSubnet(1, { subnetTao: 1000n * RAO, subnetAlphaIn: 4000n * RAO, tempo: 3, neurons: [neuron(0, 'v'), neuron(1, 'm')], mechanisms: [{ weights: [[[1, 65535]], []], bonds: [[], []], lastUpdate: [99n, 99n] }], mechanismEmissionSplit: [30000, 35535], registration: defaultRegistration() }));
    for (const [h, o] of [['v', 'a'], ['m', 'b']]) s.hotkeys.set(h, { owner: o });
    return JSON.parse(JSON.stringify(new Chain(s, { engine }).toJSON())) as Record<string, unknown>;
  }

  it("a subnet's epochParams and a neuron behind counting Proxies: every property read at most once, the same state", () => {
    const json = stateJson();
    const plain = JSON.stringify(Chain.fromJSON(stateJson(), { engine }).toJSON());
    const reads = new Map<string, number>();
    const counting = (o: object, name: string) => new Proxy(o, { get: (t, k, r) => (typeof k === 'string' && reads.set(`${name}.${k}`, (reads.get(`${name}.${k}`) ?? 0) + 1), Reflect.get(t, k, r)) });
    const subnet = (json.subnets as Record<string, Record<string, unknown>>)['1'];
    subnet.epochParams = counting(subnet.epochParams as object, 'epochParams');
    (subnet.neurons as object[])[0] = counting((subnet.neurons as object[])[0], 'neurons[0]');
    expect(JSON.stringify(Chain.fromJSON(json, { engine }).toJSON())).toBe(plain);
    expect(reads.get('epochParams.mechanismCount')).toBe(1);
    expect(reads.get('neurons[0].emission')).toBe(1);
    expect([...reads].filter(([, n]) => n > 1)).toEqual([]);
  });
});
