import { Subnet, type SubnetOptions } from '../../src/subnet/index.js';
import type { Pool } from '../../src/dtao/index.js';
import { expect } from 'vitest';
import { Chain, chainStateToJSON, newChainState, newSubnet, type ChainOptions } from '../../src/chain/index.js';
import { RAO } from '../../src/units.js';

/** The bad-input tests' subnet: 4 slots, hotkeys a, b, c, two stakes, one weight row, one epoch run. */
export function smallSubnet(engine: SubnetOptions['engine']): Subnet {
  const s = new Subnet({ engine, n: 4, tempo: 1 });
  for (const h of ['a', 'b', 'c']) s.register(h);
  s.addStake(0, 1000n);
  s.addStake(1, 500n);
  s.setWeights(0, [1, 2], [3, 4]);
  s.nextBlock();
  s.epoch(1_000_000n);
  return s;
}

/**
 * Three neurons on `mechanisms` mechanisms, one epoch run, then uid 0's weights changed and two blocks on: the next
 * epoch moves the bonds (an engine output's write-back is seen in them).
 */
export function movingSubnet(engine: SubnetOptions['engine'], mechanisms: number, mode: 'fixed' | 'float' = 'fixed'): Subnet {
  const s = new Subnet({ engine, n: 4, tempo: 1, mode, ...(mechanisms > 1 ? { mechanisms } : {}) });
  for (const h of ['a', 'b', 'c']) s.register(h);
  s.addStake(0, 1000n);
  s.addStake(1, 500n);
  for (let m = 0; m < mechanisms; m++) s.setWeights(0, [1, 2], [3 + m, 4], { mechanism: m });
  s.nextBlock();
  s.epoch(1_000_000n);
  for (let m = 0; m < mechanisms; m++) s.setWeights(0, [1, 2], [9, 1 + m], { mechanism: m });
  s.nextBlock(2);
  return s;
}

/** The bad-input tests' chain at block 100: subnet 1 (tempo 3) with validator 'v' (owner 'a') and miner 'm' (owner 'b'). */
export function twoNeuronChain(engine: ChainOptions['engine']): Chain {
  const s = newChainState({ block: 100n, totalIssuance: 10_000_000n * RAO, balancesTotalIssuance: 10_000_000n * RAO });
  const neuron = (uid: number, hotkey: string) => ({ uid, hotkey, blockAtRegistration: 1n, lastUpdate: 99n, validatorPermit: uid === 0, weights: [] as Array<[number, number]>, bonds: [] as Array<[number, number]> });
  s.subnets.set(1, newSubnet(1, { subnetTao: 1000n * RAO, subnetAlphaIn: 4000n * RAO, tempo: 3, neurons: [neuron(0, 'v'), neuron(1, 'm')] }));
  s.hotkeys.set('v', { owner: 'a' });
  s.hotkeys.set('m', { owner: 'b' });
  return new Chain(s, { engine });
}

/** JSON text of anything, bigints and typed arrays included (for before/after comparisons of state). */
export function snapshotText(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) =>
    typeof v === 'bigint' ? `${v}n` : ArrayBuffer.isView(v) ? Array.from(v as unknown as ArrayLike<number | bigint>, (x) => (typeof x === 'bigint' ? `${x}n` : x)) : v,
  );
}

/** Everything a Subnet shows about itself, to compare before and after a refused call. */
export function subnetState(s: Subnet): string {
  const hotkeys = Array.from({ length: s.size }, (_, i) => s.hotkey(i));
  return snapshotText({
    block: s.currentBlock, size: s.size, tempo: s.tempo, lastStepBlock: s.lastStepBlock, hyper: s.hyper, ownerUid: s.ownerUid, hotkeys,
    stake: s.stake(), blockAtRegistration: s.blockAtRegistration(), permits: s.validatorPermit(), active: s.active(), emission: s.emission(),
    dividends: s.dividends(), consensus: s.consensus(), validatorTrust: s.validatorTrust(), stakeWeight: s.stakeWeight(), lastOutput: s.lastOutput,
    emissionSplit: s.emissionSplit(),
    // every mechanism's rows, last-update and incentive (mechanism 0 alone missed a refused call damaging another)
    mechanisms: Array.from({ length: s.mechanismCount }, (_, mechanism) => ({
      weights: s.weightRows({ mechanism }), bonds: s.bondRows({ mechanism }), lastUpdate: s.lastUpdate({ mechanism }), incentive: s.incentive({ mechanism }),
    })),
  });
}

/** Everything a Pool shows about itself. */
export function poolState(p: Pool): string {
  return snapshotText({ reserves: p.reserves(), weights: p.weights(), config: p.config(), price: p.price() });
}

/** A chain's state as JSON text: what the chain tests compare before and after. */
export const chainText = (c: Chain): string => JSON.stringify(chainStateToJSON(c.state));

/** `c` steps on exactly as a twin loaded from `before` (a state's text) does: four blocks' minted TAO, then the states. */
export function expectStepsAsTwin(c: Chain, before: string, engine: ChainOptions['engine']): void {
  const twin = Chain.fromJSON(JSON.parse(before), { engine });
  expect(c.run(4).map((r) => r.taoMinted)).toEqual(twin.run(4).map((r) => r.taoMinted));
  expect(chainText(c)).toBe(chainText(twin));
}

/** Sets `obj[key]` to `value`; returns what puts the old value back. */
export function swap(obj: object, key: string, value: unknown): () => void {
  const o = obj as Record<string, unknown>;
  const old = o[key];
  o[key] = value;
  return () => {
    o[key] = old;
  };
}
