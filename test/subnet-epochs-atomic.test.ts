// Subnet.epochs refuses a batch as a whole: whatever stops it (a closed engine among several, an epoch a stateless
// engine refuses, a Proxy or look-alike in the list) stops it before any subnet's write-back, and every subnet's
// next epoch is then the one a twin that never saw the refused call runs.
import { describe, expect, it } from 'vitest';
import { createEngineSync, type Engine } from '../src/engine.js';
import { Subnet } from '../src/subnet/index.js';
import { createReferenceEngine } from '../src/testing/index.js';

/** Typed arrays byte for byte, bigints as text: a snapshot two subnets can be compared by. */
function bits(v: unknown): unknown {
  if (ArrayBuffer.isView(v)) return { [v.constructor.name]: Array.from(new Uint8Array(v.buffer, v.byteOffset, v.byteLength)) };
  if (Array.isArray(v)) return v.map(bits);
  if (typeof v === 'bigint') return `${v}n`;
  if (typeof v === 'object' && v !== null) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, bits(x)]));
  return v;
}

/** Everything a subnet stores and reports, the last output included. */
function state(s: Subnet): unknown {
  return bits({
    size: s.size, block: s.currentBlock, lastStep: s.lastStepBlock, permits: s.validatorPermit(), active: s.active(),
    dividends: s.dividends(), incentive: s.incentive(), consensus: s.consensus(), trust: s.validatorTrust(),
    stakeWeight: s.stakeWeight(), emission: s.emission(), stake: s.stake(), bonds: s.bondRows(), weights: s.weightRows(),
    lastUpdate: s.lastUpdate(), lastOutput: s.lastOutput,
  });
}

/** Three staked validators weighting each other, one epoch run (bonds and permits stored), two blocks on. */
function subnet(engine: Engine): Subnet {
  const s = new Subnet({ engine, n: 4, tempo: 1 });
  [10n ** 12n, 2n * 10n ** 12n, 3n * 10n ** 12n].forEach((rao, i) => (s.register(`hk${i}`), s.addStake(i, rao)));
  s.nextBlock(2);
  for (let i = 0; i < 3; i++) s.setWeights(i, [0, 1, 2], [1 + i, 2, 3]);
  s.nextBlock(2);
  s.epoch(10n ** 9n);
  s.nextBlock(2);
  return s;
}

const code = (f: () => unknown): string | undefined => {
  try {
    f();
  } catch (e) {
    return e instanceof Error && e.name === 'YumaError' ? (e as unknown as { code: string }).code : `not a YumaError: ${String(e)}`;
  }
  return undefined;
};

describe('Subnet.epochs refuses the whole batch before any write-back', () => {
  it('a closed engine behind the second subnet: E_STATE, the first subnet (on an open engine) unchanged and its next epoch that of a twin', () => {
    const open = createEngineSync();
    const closing = createEngineSync();
    const a = subnet(open);
    const twin = subnet(open);
    const b = subnet(closing);
    closing.close();
    const before = state(a);
    expect(code(() => Subnet.epochs([a, b], 10n ** 9n))).toBe('E_STATE');
    expect(state(a)).toEqual(before);
    expect(bits(Subnet.epochs([a], 10n ** 9n))).toEqual(bits([twin.epoch(10n ** 9n)]));
    expect(state(a)).toEqual(state(twin));
  });

  it('a stateless (reference) engine refusing the second subnet (total stake 2^64 + 3·10^12 rao, outside I64F64): E_RANGE, the first subnet unchanged', () => {
    const ref = createReferenceEngine();
    const a = subnet(ref);
    const twin = subnet(ref);
    const b = subnet(ref);
    b.addStake(0, 2n ** 63n - 10n ** 12n);
    b.addStake(1, 2n ** 63n - 2n * 10n ** 12n);
    const before = [state(a), state(b)];
    expect(code(() => Subnet.epochs([a, b], 10n ** 9n))).toBe('E_RANGE');
    expect([state(a), state(b)]).toEqual(before);
    expect(bits(Subnet.epochs([a], 10n ** 9n))).toEqual(bits([twin.epoch(10n ** 9n)]));
  });

  it('a Wasm subnet batched with a reference-engine subnet the engine refuses: E_RANGE, the Wasm subnet (whose resident batch would run first) unchanged', () => {
    const engine = createEngineSync();
    const a = subnet(engine);
    const b = subnet(createReferenceEngine());
    b.addStake(0, 2n ** 63n);
    const before = state(a);
    expect(code(() => Subnet.epochs([a, b], 10n ** 9n))).toBe('E_RANGE');
    expect(state(a)).toEqual(before);
  });

  it('a Proxy of a listed subnet is not a second subnet (E_ARG, no epoch runs), and one whose traps throw is E_ARG too, not the trap\'s Error', () => {
    const engine = createEngineSync();
    const a = subnet(engine);
    const b = subnet(engine);
    const before = [state(a), state(b)];
    expect(code(() => Subnet.epochs([a, new Proxy(a, {})], 10n ** 9n))).toBe('E_ARG');
    const throwing = new Proxy(b, {
      get() {
        throw new Error('trap');
      },
      getPrototypeOf() {
        throw new Error('trap');
      },
    });
    expect(code(() => Subnet.epochs([a, throwing], 10n ** 9n))).toBe('E_ARG');
    expect(code(() => Subnet.epochs([Object.create(Subnet.prototype) as Subnet], 10n ** 9n))).toBe('E_ARG');
    expect([state(a), state(b)]).toEqual(before);
  });
});

describe('Subnet.epochs reads its arguments once for the whole batch', () => {
  it('an options getter is read once (not once per subnet): a path getter answering sparse, then dense, runs all three subnets on the sparse path', () => {
    const engine = createEngineSync();
    const batch = [subnet(engine), subnet(engine), subnet(engine)];
    const twins = [subnet(engine), subnet(engine), subnet(engine)];
    let reads = 0;
    const opts = Object.defineProperty({}, 'path', { get: () => (reads++ === 0 ? 'sparse' : 'dense'), enumerable: true });
    const got = Subnet.epochs(batch, 10n ** 9n, opts as never);
    expect(reads).toBe(1);
    expect(bits(got)).toEqual(bits(twins.map((t) => t.epoch(10n ** 9n, { path: 'sparse' }))));
  });
});
