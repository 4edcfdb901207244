import { describe, expect, it } from 'vitest';
import {
  blockReportToJSON,
  chainStateToJSON,
  compareRecycling,
  createEngineSync,
  fromJSON,
  fromMetagraph,
  halvingSchedule,
  metagraphView,
  Network,
  Pool,
  projectHalvings,
  RAO,
  SubnetEconomy,
  toJSON,
  type EpochOutput,
} from '../src/index.js';
import { runYumaSimCase, simulateCase, YumaRun, yumaEpoch, yumaSimCaseFromJson } from '../src/research/index.js';
import { smallSubnet, twoNeuronChain } from './helpers/state.js';
import { readFileSync } from 'node:fs';

// Every kind of result the library returns goes through its own codec: toJSON gives a value JSON.stringify
// writes and JSON.parse reads back unchanged, and an epoch output comes back bit for bit through fromJSON.

const engine = createEngineSync();

const mg = {
  block: 1000, tempo: 360, last_step: 0, pending_alpha_emission: 1,
  S: [1000, 500, 0, 0],
  W: [[0, 0, 1, 0.5], [0, 0, 1, 0], [0, 0, 0, 0], [0, 0, 0, 0]],
  last_update: [999, 999, 999, 999], block_at_registration: [1, 1, 1, 1], validator_permit: [1, 1, 0, 0],
  hparams: { kappa: 32767, bonds_moving_avg: 900000 },
};

/** Each kind of library result, by name; epoch outputs flagged for the fromJSON round trip. */
function results(): Array<{ name: string; value: unknown; epoch?: boolean }> {
  const s = smallSubnet(engine);
  const out = s.epoch(1_000_000n);
  const m = fromMetagraph(mg);
  const mgOut = engine.epoch(m.input, m.hyper);
  const mech = s.mechanismEpochInput(1_000_000n);
  const chain = twoNeuronChain(engine);
  const reports = Array.from({ length: 4 }, () => blockReportToJSON(chain.step(), chain.state));
  const pool = Pool.genesis({ tao: 1000n * RAO, alpha: 4000n * RAO });
  const economy = new SubnetEconomy({ issuance: 1_000_000n * RAO });
  economy.addSubnet({ pool, alphaOut: 10n * RAO });
  const caseFile = yumaSimCaseFromJson(JSON.parse(readFileSync(new URL('../scenarios/yuma-sim/case-01.json', import.meta.url), 'utf8')));
  const run = new YumaRun('yuma3', { validators: 3, servers: 2 });
  const runOut = run.epoch(Float64Array.from([1, 0, 0, 1, 1, 1]), [1, 2, 3]);
  return [
    { name: 'engine.epoch (fixed)', value: engine.epoch(s.epochInput(1_000_000n), s.hyper), epoch: true },
    { name: 'engine.epoch (float, dense path)', value: engine.epoch(s.epochInput(1_000_000n), s.hyper, { mode: 'float', path: 'dense' }), epoch: true },
    { name: 'engine.epoch with mechanisms', value: engine.epoch(mech, s.hyper), epoch: true },
    { name: 'engine.epochs', value: engine.epochs([{ input: s.epochInput(5n), hyper: s.hyper }]) },
    { name: 'engine.explainPathDivergence', value: engine.explainPathDivergence(s.epochInput(1_000_000n), s.hyper) },
    { name: 'Subnet.epoch', value: out, epoch: true },
    { name: 'Subnet.lastOutput', value: s.lastOutput, epoch: true },
    { name: 'Subnet.epochInput', value: s.epochInput(1_000_000n) },
    { name: 'Subnet reads', value: { stake: s.stake(), bonds: s.bonds(), weightRows: s.weightRows(), emission: s.emission(), hyper: s.hyper, notes: s.epochNotes() } },
    { name: 'fromMetagraph', value: m },
    { name: 'metagraphView', value: metagraphView(m.input, mgOut) },
    { name: 'Chain.run reports (blockReportToJSON)', value: reports },
    { name: 'Chain state (chainStateToJSON)', value: chainStateToJSON(chain.state) },
    { name: 'Network.run', value: new Network({ engine, subnets: 2, uidsPerSubnet: 8, validatorsPerSubnet: 2, tempo: 4, seed: 3 }).run({ blocks: 12 }) },
    { name: 'Pool quotes', value: { stake: pool.quoteStake(10n * RAO), unstake: pool.quoteUnstake(10n * RAO), reserves: pool.reserves() } },
    { name: 'SubnetEconomy.step', value: economy.step([1]) },
    { name: 'halvingSchedule / compareRecycling', value: { h: halvingSchedule({ issuance: 0n, blocks: 20_000_000 }), c: compareRecycling({ issuance: 0n, recycledPerBlock: RAO / 10n, blocks: 20_000_000 }) } },
    { name: 'projectHalvings (Dates)', value: projectHalvings({ issuance: 0n, blocks: 20_000_000, startDate: new Date(Date.UTC(2026, 0, 2)) }) },
    { name: 'simulateCase', value: simulateCase({ version: 'yuma2b', weights: caseFile.weights.slice(0, 3), stakes: caseFile.stakes.slice(0, 3) }) },
    { name: 'yumaEpoch', value: yumaEpoch('yuma1', { weights: caseFile.weights[0], stakes: caseFile.stakes[0] }) },
    { name: 'runYumaSimCase', value: runYumaSimCase(caseFile, 'yuma3-liquid') },
    { name: 'yumaSimCaseFromJson', value: caseFile },
    { name: 'YumaRun.epoch views', value: runOut },
  ];
}

describe('every kind of library result round-trips through toJSON', () => {
  for (const { name, value, epoch } of results()) {
    it(`${name}: toJSON's form survives JSON text unchanged${epoch ? ', and fromJSON gives the output back bit for bit' : ''}`, () => {
      const json = toJSON(value);
      expect(JSON.parse(JSON.stringify(json))).toEqual(json);
      if (epoch) expect(toJSON(fromJSON(JSON.parse(JSON.stringify(json))) as EpochOutput)).toEqual(json);
    });
  }
});
