import { afterAll, describe, expect, it } from 'vitest';
import { createEngineSync } from '../src/engine.js';
import { DEFAULT_OPTIONS, estimateNetworkBytes, MAX_NETWORK_BYTES, MAX_REPORT_POINTS, resolveOptions } from '../src/sim/config.js';
import { Network } from '../src/sim/network.js';
import { renderChartHtml } from '../src/sim/chart.js';
import { scenarioFromJson } from '../src/sim/scenario.js';
import { expectYumaError, yumaCode } from './helpers/errors.js';

const engine = createEngineSync();
afterAll(() => engine.close());

const small = { engine, subnets: 2, uidsPerSubnet: 8, subnet1Uids: 0, tempo: 9 };

describe('Network refuses bad configs with a YumaError (no RangeError or TypeError)', () => {
  it('all-zero stake shares in the roster are E_RANGE (they crashed with RangeError: NaN to BigInt)', () => {
    expect(yumaCode(() => new Network({ ...small, validators: [{ stakeShare: 0 }, { stakeShare: 0 }] }))).toBe('E_RANGE');
    // a zero given share is fine while another validator still gets stake
    expect(new Network({ ...small, validators: [{ stakeShare: 0 }, {}] }).run({ blocks: 30 }).epochs).toBeGreaterThan(0);
  });

  it('holey config arrays are E_SHAPE (validators, minerQualities, qualitySwaps and their subnets)', () => {
    /* eslint-disable no-sparse-arrays */
    expect(yumaCode(() => new Network({ ...small, validators: [, { stakeShare: 0.5 }] as never }))).toBe('E_SHAPE');
    expect(yumaCode(() => new Network({ ...small, minerQualities: [, 1] as number[] }))).toBe('E_SHAPE');
    expect(yumaCode(() => new Network({ ...small, qualitySwaps: [, { block: 1 }] as never }))).toBe('E_SHAPE');
    expect(yumaCode(() => new Network({ ...small, qualitySwaps: [{ block: 1, subnets: [, 1] as number[] }] }))).toBe('E_SHAPE');
    /* eslint-enable no-sparse-arrays */
  });

  it('unknown keys anywhere in the config, Symbols, and truthy non-booleans in hyper are refused', () => {
    expect(yumaCode(() => new Network({ ...small, subnet: 3 } as never))).toBe('E_ARG');
    expect(yumaCode(() => new Network({ ...small, validators: [{ strategy: 'honest', stake: 1 }] } as never))).toBe('E_ARG');
    expect(yumaCode(() => new Network({ ...small, strategies: { honest: 1, lazzy: 1 } } as never))).toBe('E_ARG');
    expect(yumaCode(() => new Network({ ...small, hyper: { yuma3Enabled: 1 } } as never))).toBe('E_ARG');
    expect(yumaCode(() => new Network({ ...small, mode: Symbol('float') } as never))).toBe('E_ARG');
    expect(yumaCode(() => new Network({ ...small, shareMode: Object.create(null) } as never))).toBe('E_ARG');
    expect(yumaCode(() => new Network({ ...small, engine: new Proxy({}, { get: () => { throw new Error('boom'); } }) as never }))).toBe('E_ARG');
  });

  it('a roster larger than a subnet is E_RANGE (validators beyond the UIDs were counted but never staked)', () => {
    const roster = Array.from({ length: 8 }, () => ({}));
    expect(yumaCode(() => new Network({ ...small, validators: roster }))).toBe('E_RANGE');
  });

  it('the config is read once and the Network keeps a frozen copy: later changes to the caller objects change nothing', () => {
    let reads = 0;
    const qualities = [1, 2, 3];
    const config = {
      ...small,
      minerQualities: qualities,
      get seed() {
        reads++;
        return 7;
      },
    };
    const net = new Network(config);
    expect(reads).toBe(1);
    qualities[0] = 1e6;
    expect(net.options.minerQualities).toEqual([1, 2, 3]);
    expect(Object.isFrozen(net.options)).toBe(true);
    expect(Object.isFrozen(net.options.hyper)).toBe(true);
    expect(Object.isFrozen(DEFAULT_OPTIONS.hyper)).toBe(true);
  });
});

describe('Network sizes are bounded before memory runs out', () => {
  it(`1024 subnets × 4096 UIDs is E_LIMIT when built (estimated past ${MAX_NETWORK_BYTES / 2 ** 20} MiB; it ran out of heap after two minutes)`, () => {
    expect(yumaCode(() => new Network({ engine, subnets: 1024, uidsPerSubnet: 4096 }))).toBe('E_LIMIT');
    expect(yumaCode(() => resolveOptions({ subnets: 1024, uidsPerSubnet: 4096, validatorsPerSubnet: 1, tempo: 1 }))).toBe('E_LIMIT');
    // the estimate itself answers for any valid config, over the limit too (it is how a caller sizes one down)
    expect(estimateNetworkBytes({ subnets: 1024, uidsPerSubnet: 4096 })).toBeGreaterThan(MAX_NETWORK_BYTES);
    expect(yumaCode(() => estimateNetworkBytes({ subnets: 1024, uidsPerSubnet: 4096, mode: 'floaty' } as never))).toBe('E_ARG');
  });

  it('the default network is well inside the limit', () => {
    const bytes = estimateNetworkBytes(resolveOptions({}));
    expect(bytes).toBeGreaterThan(10 * 2 ** 20);
    expect(bytes).toBeLessThan(MAX_NETWORK_BYTES / 4);
  });

  it('a run whose per-UID detail would pass the memory limit is E_LIMIT before it starts', () => {
    const net = new Network({ ...small, tempo: 1, sampleEvery: 100, detailSubnets: [1, 2] });
    expect(yumaCode(() => net.run({ blocks: 10_000_000 }))).toBe('E_LIMIT');
    expect(net.run({ blocks: 6 }).detail.length).toBe(2);
  });

  it(`a run whose report would pass ${MAX_REPORT_POINTS} points is E_LIMIT and the Network can still run`, () => {
    const net = new Network({ ...small, sampleEvery: 1 });
    expect(yumaCode(() => net.run({ blocks: 10_000_000 }))).toBe('E_LIMIT');
    expect(yumaCode(() => net.run({ blocks: 5, extra: 1 } as never))).toBe('E_ARG');
    expect(net.run({ blocks: 20 }).blocks.count).toBe(20);
  });
});

describe('Network reports are JSON-safe', () => {
  it('a report with stakeThreshold set survives JSON.stringify (it threw: bigint in JSON); the threshold is a decimal string', () => {
    const report = new Network({ ...small, hyper: { stakeThreshold: 5n, yuma3Enabled: true } }).run({ blocks: 25 });
    const back = JSON.parse(JSON.stringify(report));
    expect(back.config.hyper).toEqual({ stakeThreshold: '5', yuma3Enabled: true });
    expect(back.config.issuanceStart).toBe(DEFAULT_OPTIONS.issuanceStart.toString());
  });

  it('scenarios and charts refuse what they cannot read with a YumaError', () => {
    expect(yumaCode(() => scenarioFromJson({ days: 1n }))).toBe('E_ARG');
    expect(yumaCode(() => scenarioFromJson({ network: { engine: {} } }))).toBe('E_ARG');
    expect(yumaCode(() => scenarioFromJson({ network: { hyper: { stakeThreshold: '-5' } } }))).toBe('E_ARG');
    expect(yumaCode(() => renderChartHtml({} as never))).toBe('E_ARG');
    expect(yumaCode(() => renderChartHtml(null as never))).toBe('E_ARG');
  });
});

describe('Network.run with a callback that throws', () => {
  const fresh = () => new Network({ ...small, tempo: 3, detailSubnets: [1] });
  const reportOf = (n: Network) => JSON.stringify(n.run({ blocks: 20 }));
  const expected = reportOf(fresh());

  it.each(['onEpoch', 'onProgress'] as const)('a throwing %s ends the run with E_CALLBACK whose cause is the callback\'s error; the network is as built (same state, runs again to the report of a new network); it escaped as-is and the network refused to run again', (name) => {
    const n = fresh();
    const stateBefore = JSON.stringify(n.chain.toJSON());
    const chain = n.chain;
    const state = n.chain.state;
    const mine = new RangeError('mine');
    let calls = 0;
    const throwing = () => {
      if (++calls === 3) throw mine;
    };
    const caught = expectYumaError(() => n.run({ blocks: 20, [name]: throwing }), 'E_CALLBACK');
    expect(caught.cause).toBe(mine);
    expect(calls).toBe(3);
    // the same objects, holding the state as built
    expect(n.chain).toBe(chain);
    expect(n.chain.state).toBe(state);
    expect(n.chain.block).toBe(state.block);
    expect(JSON.stringify(n.chain.toJSON())).toBe(stateBefore);
    expect(reportOf(n)).toBe(expected);
  });

  it('a callback that throws a YumaError of its own (running the network again from inside) is E_CALLBACK with that error as cause', () => {
    const n = fresh();
    let inner: unknown;
    let caught: unknown;
    try {
      n.run({
        blocks: 20,
        onEpoch: () => {
          try {
            n.run({ blocks: 1 });
          } catch (e) {
            inner = e;
            throw e;
          }
        },
      });
    } catch (e) {
      caught = e;
    }
    expect(yumaCode(() => {
      throw inner;
    })).toBe('E_STATE');
    expect((caught as { code?: string }).code).toBe('E_CALLBACK');
    expect((caught as Error).cause).toBe(inner);
    expect(reportOf(n)).toBe(expected);
  });
});

describe("Network.run with a callback that changes the network's chain", () => {
  const fresh = () => new Network({ ...small, tempo: 3, detailSubnets: [1] });
  const reportOf = (n: Network) => JSON.stringify(n.run({ blocks: 20 }));
  const expected = reportOf(fresh());

  it.each([
    ['onEpoch', 'steps it (chain.step())', (n: Network): void => void n.chain.step()],
    ['onProgress', 'steps it (chain.step())', (n: Network): void => void n.chain.step()],
    ['onEpoch', 'runs it (chain.run(2))', (n: Network): void => void n.chain.run(2)],
    ['onEpoch', 'stakes on it (chain.addStake)', (n: Network): void => {
      const hotkey = n.chain.state.subnets.get(1)!.neurons.hotkey(0);
      n.chain.addStake({ coldkey: 'outsider', hotkey, netuid: 1, tao: 10n ** 9n });
    }],
    ['onProgress', 'moves its block (state.block += 5n)', (n: Network): void => void (n.chain.state.block += 5n)],
    // requests that move no money and no block: the O(1) check of the totals did not see them
    ['onEpoch', 'sets weights on it (chain.setWeights from a validator with a permit)', (n: Network): void => {
      const t = n.chain.state.subnets.get(1)!.neurons;
      const v = [...t.validatorPermit.subarray(0, t.size)].indexOf(1);
      // the first epoch grants the permits: weights from the epochs after it
      if (v < 0) return;
      n.chain.setWeights({ hotkey: t.hotkey(v), netuid: 1, uids: [t.size - 1], values: [65535] });
    }],
    ['onProgress', "sets a coldkey's root claim type (chain.setRootClaimType)", (n: Network): void => n.chain.setRootClaimType({ coldkey: 'outsider', type: 'Keep' })],
    ['onEpoch', "sets a subnet's root claim threshold (chain.setRootClaimThreshold)", (n: Network): void => n.chain.setRootClaimThreshold({ netuid: 1, threshold: 5n })],
  ] as const)("a %s that %s ends the run with E_CALLBACK and the network is as built (the run went on and its report no longer matched its chain)", (name, _, change) => {
    const n = fresh();
    const stateBefore = JSON.stringify(n.chain.toJSON());
    const err = expectYumaError(() => n.run({ blocks: 20, [name]: () => change(n) }), 'E_CALLBACK');
    expect(err.message).toContain(`the run's ${name} callback changed the network's chain`);
    expect(JSON.stringify(n.chain.toJSON())).toBe(stateBefore);
    expect(reportOf(n)).toBe(expected);
  });

  it('callbacks that only read the chain and the output leave the report as a run without them', () => {
    const n = fresh();
    let reads = 0;
    const report = JSON.stringify(n.run({ blocks: 20, onEpoch: (_u, _b, out) => void (reads += out.incentive.length + Number(n.chain.block > 0n)), onProgress: () => void n.chain.toJSON() }));
    expect(reads).toBeGreaterThan(0);
    expect(report).toBe(expected);
  });
});

describe('Network.run over a chain state written into from outside', () => {
  it('garbage put into net.chain.state (a subnet amount set to a string) is a YumaError (E_STATE, the TypeError as cause; it escaped as a TypeError half way through a block) and the network is as built: it runs again to a new network\'s report', () => {
    const make = () => new Network({ ...small, tempo: 3 });
    const expected = JSON.stringify(make().run({ blocks: 12 }));
    const n = make();
    (n.chain.state.subnets.get(2) as unknown as Record<string, unknown>).subnetTao = 'x';
    const caught = expectYumaError(() => n.run({ blocks: 12 }), 'E_STATE');
    expect(caught.cause).toBeInstanceOf(Error);
    // the error named by its own name and message (it said 'stopped on an object' for any error)
    const cause = caught.cause as Error;
    expect(caught.message).toBe(`E_STATE: the run stopped on ${cause.name}: ${cause.message} and was undone`);
    expect(typeof n.chain.state.subnets.get(2)!.subnetTao).toBe('bigint');
    expect(JSON.stringify(n.run({ blocks: 12 }))).toBe(expected);
  });
});
