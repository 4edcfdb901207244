/**
 * Getters with side effects on the subject itself: a `Subnet` argument whose getter changes the subnet while the
 * library reads it. What the call checks must hold for the subnet as it is after the read, so a refused call
 * leaves it consistent (its mechanism count and its emission split agree).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { createEngineSync } from '../src/engine.js';
import { Subnet } from '../src/subnet/index.js';
import { RAO } from '../src/units.js';
import { expectYumaError } from './helpers/errors.js';

const engine = createEngineSync();
afterAll(() => engine.close());

function subnet(): Subnet {
  const s = new Subnet({ engine, n: 6, tempo: 2, mechanisms: 2 });
  for (const h of ['a', 'b', 'c', 'd']) s.register(h);
  s.addStake(0, 5000n * RAO);
  s.setWeights(0, [2, 3], [100, 50]);
  s.setEmissionSplit([20000, 45535]);
  return s;
}

describe('Subnet.setEmissionSplit checks the parts against the mechanism count the subnet has after reading them', () => {
  it('a part whose getter lowers the count to 1 makes a two-part split E_SHAPE; the subnet keeps one mechanism and the even split that change set', () => {
    const s = subnet();
    const split = [1, 65534];
    Object.defineProperty(split, 1, { get: () => (s.setMechanismCount(1), 65534), enumerable: true });
    expectYumaError(() => s.setEmissionSplit(split), 'E_SHAPE');
    expect(s.mechanismCount).toBe(1);
    expect(s.emissionSplit()).toBeNull();
  });

  it('a part whose getter raises the count to 3 still takes a two-part split (1 to 3 parts)', () => {
    const s = subnet();
    const split = [1, 65534];
    Object.defineProperty(split, 1, { get: () => (s.setMechanismCount(3), 65534), enumerable: true });
    s.setEmissionSplit(split);
    expect(s.mechanismCount).toBe(3);
    expect(s.emissionSplit()).toEqual([1, 65534]);
  });
});
