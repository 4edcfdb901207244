/**
 * `Chain.setRootClaimType`, which the fuzz suite does not call, with a claim type that is a Proxy or an object of
 * getters: whatever reading it throws is E_ARG, and the state, as
 * `chainStateToJSON` writes it, is unchanged.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { Chain, chainStateToJSON, newChainState } from '../src/chain/index.js';
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
    expect(c.state.rootClaimType.get('b')).toEqual({ keepSubnets: [1, 2] });
    expect(c.state.rootClaimType.get('d')).toEqual({ keepSubnets: [1, 2] });
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
