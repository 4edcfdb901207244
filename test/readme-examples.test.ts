import { readFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { afterAll, describe, expect, it, vi } from 'vitest';
import * as root from '../src/index.js';
import fc from 'fast-check';
import type { MechanismEpochOutput } from '../src/epoch/types.js';
import { Chain, createEngineSync, fromJSON, fromMetagraph, metagraphView, Network, newChainState, newSubnet, Pool, RAO, scenario, Subnet, blockEmission, emissionShares, halvingSchedule, splitAlphaOut, toJSON } from '../src/index.js';
import { arbEpochInput, arbHyperparams, assertEpochInvariants, createReferenceEngine } from '../src/testing/index.js';
import { simulateCase, yuma3Epoch, YumaRun } from '../src/research/index.js';
import { README_DENSE_INPUT } from './helpers/readme-epoch.js';
import { subnetState } from './helpers/state.js';

// The README's code samples, run as written, so the documentation cannot drift from the API.
describe('README examples', () => {
  it('threads: 2 (same results as one thread; the resident Subnets\' second epoch pays both miners and validators the printed rao, as their twins on one thread, outputs and state; then close)', () => {
    const subnets = [1n, 2n, 3n].map((k) => ({
      input: {
        n: 4, currentBlock: 1000, tempo: 360, lastStepBlock: 0,
        stake: [1000n * RAO, 500n * k * RAO, 0n, 0n],
        weights: [0, 0, 65535, 32768, 0, 0, 65535, 0, 0, 0, 0, 0, 0, 0, 0, 0],
        bonds: new Array<number>(16).fill(0),
        lastUpdate: [999, 999, 999, 999], blockAtRegistration: [1, 1, 1, 1],
        validatorPermit: [true, true, false, false], raoEmission: 1n * RAO,
      },
    }));
    const engine = createEngineSync({ threads: 2 });
    const outs = engine.epochs(subnets, { mode: 'float' });
    const build = (on: typeof engine) => [1n, 2n, 3n].map((k) => {
      const s = new Subnet({ engine: on, n: 4, tempo: 1, mode: 'float' });
      for (let i = 0; i < 4; i++) s.register(`hk${i}`);
      s.addStake(0, 1000n * k * RAO);
      s.addStake(1, 500n * RAO);
      s.nextBlock(2);
      s.setWeights(0, [2, 3], [65535, 1000]);
      s.setWeights(1, [2, 3], [1000, 65535]);
      s.nextBlock(2);
      return s;
    });
    const residentSubnets = build(engine);
    const twins = build(createEngineSync());
    const first = Subnet.epochs(residentSubnets, 1_000_000_000n);
    // the first epoch has no permit going in: nothing to miners, the whole emission to the two staked validators
    expect(first.map((o) => o.serverEmission)).toEqual([[0n, 0n, 0n, 0n], [0n, 0n, 0n, 0n], [0n, 0n, 0n, 0n]]);
    expect(first.map((o) => o.validatorEmission)).toEqual([[666666666n, 333333333n, 0n, 0n], [799999999n, 199999999n, 0n, 0n], [857142857n, 142857142n, 0n, 0n]]);
    expect(residentSubnets.map((s) => s.epochNotes()[0])).toEqual(new Array(3).fill(expect.stringMatching(/^no UID held a validator permit going into this epoch/)));
    for (const s of twins) s.epoch(1_000_000_000n);
    const subnetOuts = Subnet.epochs(residentSubnets, 1_000_000_000n, { bonds: false });
    const printed = subnetOuts.map((o) => [o.validatorEmission.slice(0, 2), o.serverEmission.slice(2)]);
    expect(printed).toEqual([
      [[492596432n, 7403567n], [488894647n, 11105352n]],
      [[496270605n, 3729394n], [490676512n, 9323487n]],
      [[497507540n, 2492459n], [491276389n, 8723610n]],
    ]);
    // validators earn no incentive and miners no dividends; each side is half the emission less its per-UID truncation
    const sum = (xs: bigint[]) => xs.reduce((a, b) => a + b, 0n);
    for (const o of subnetOuts) {
      expect([o.serverEmission.slice(0, 2), o.validatorEmission.slice(2)]).toEqual([[0n, 0n], [0n, 0n]]);
      expect([sum(o.serverEmission), sum(o.validatorEmission)]).toEqual([499_999_999n, 499_999_999n]);
    }
    expect(residentSubnets.map((s) => s.epochNotes())).toEqual([[], [], []]);
    expect(subnetOuts.map((o) => toJSON(o))).toEqual(twins.map((s) => toJSON(s.epoch(1_000_000_000n, { bonds: false }))));
    // and the subnets after it, every field (their state, not only the epoch's output), as their twins on one thread
    expect(residentSubnets.map(subnetState)).toEqual(twins.map(subnetState));
    engine.close();
    const one = createEngineSync().epochs(subnets, { mode: 'float' });
    expect(outs.map((o) => Array.from(o.incentive))).toEqual(one.map((o) => Array.from(o.incentive)));
    expect(outs.map((o) => o.serverEmission)).toEqual(one.map((o) => o.serverEmission));
    // every field of every output, not only the two the sample prints
    expect(outs.map((o) => toJSON(o))).toEqual(one.map((o) => toJSON(o)));
    expect(() => engine.epochs(subnets)).toThrow(/closed/);
  });

  it('research: simulateCase under three versions and yuma3Epoch with caller-kept state', () => {
    const weights = [
      [[1, 0], [1, 0], [1, 0]],
      [[0, 1], [1, 0], [1, 0]],
      [[0, 1], [0, 1], [1, 0]],
      [[0, 1], [0, 1], [0, 1]],
    ];
    const stakes = weights.map(() => [0.8, 0.1, 0.1]);
    const printed: Record<string, string[]> = {};
    for (const version of ['yuma2', 'yuma2c', 'yuma3'] as const) {
      const epochs = simulateCase({ version, weights, stakes });
      printed[version] = Array.from(epochs[3].validatorRewardNormalized, (d) => d.toFixed(3));
    }
    expect(printed).toEqual({ yuma2: ['0.810', '0.100', '0.090'], yuma2c: ['0.882', '0.077', '0.041'], yuma3: ['0.887', '0.075', '0.038'] });
    const e0 = yuma3Epoch({ weights: weights[0], stakes: stakes[0] });
    const e1 = yuma3Epoch({ weights: weights[1], stakes: stakes[1], bondsOld: e0.validatorBonds, consensusOld: e0.serverConsensusWeight });
    // Caller-kept state gives the same epoch as simulateCase's own chaining.
    const chained = simulateCase({ version: 'yuma3', weights: weights.slice(0, 2), stakes: stakes.slice(0, 2) })[1];
    expect(e1.validatorBonds.map((r) => Array.from(r))).toEqual(chained.validatorBonds.map((r) => Array.from(r)));
    expect(Array.from(e1.validatorRewardNormalized)).toEqual(Array.from(chained.validatorRewardNormalized));
  });

  it('research: YumaRun fed the same case one epoch at a time prints simulateCase\'s epoch 3 (Yuma 3)', () => {
    const weights = [
      [[1, 0], [1, 0], [1, 0]],
      [[0, 1], [1, 0], [1, 0]],
      [[0, 1], [0, 1], [1, 0]],
      [[0, 1], [0, 1], [0, 1]],
    ];
    const stakes = weights.map(() => [0.8, 0.1, 0.1]);
    const run = new YumaRun('yuma3', { validators: 3, servers: 2 });
    let printed: string[] = [];
    for (let e = 0; e < weights.length; e++) {
      const out = run.epoch(Float64Array.from(weights[e].flat()), stakes[e]);
      if (e === 3) printed = Array.from(out.validatorRewardNormalized, (d) => d.toFixed(3));
    }
    expect(printed).toEqual(['0.887', '0.075', '0.038']);
    const last = simulateCase({ version: 'yuma3', weights, stakes })[3];
    expect(printed).toEqual(Array.from(last.validatorRewardNormalized, (d) => d.toFixed(3)));
  });

  it('engine.epoch', () => {
    const engine = createEngineSync();
    const out = engine.epoch(
      {
        n: 4,
        currentBlock: 1000,
        tempo: 360,
        lastStepBlock: 0,
        stake: [1000n * RAO, 500n * RAO, 0n, 0n],
        weights: [[[2, 65535], [3, 32768]], [[2, 65535]], [], []],
        bonds: [[], [], [], []],
        lastUpdate: [999, 999, 999, 999],
        blockAtRegistration: [1, 1, 1, 1],
        validatorPermit: [true, true, false, false],
        raoEmission: 1n * RAO,
      },
      { kappa: 32767 },
      { mode: 'fixed', path: 'sparse' },
    );
    // Rows normalise to w0 = [0, 0, 2/3, 1/3] (stake 2/3) and w1 = [0, 0, 1, 0] (stake 1/3). The κ = ½ median
    // of column 2 is 2/3 (only 1/3 of the stake votes higher), of column 3 it is 1/3. Clipped ranks are
    // 2/3 and 2/9, so incentive is 3/4 and 1/4.
    const near = (got: number, want: number) => expect(Math.abs(got - want)).toBeLessThanOrEqual(1);
    near(out.consensus[2], (2 / 3) * 65535);
    near(out.consensus[3], (1 / 3) * 65535);
    near(out.incentive[2], 0.75 * 65535);
    near(out.incentive[3], 0.25 * 65535);
    const paid = [...out.serverEmission, ...out.validatorEmission].reduce((a, b) => a + b, 0n);
    expect(paid).toBeLessThanOrEqual(RAO);
    expect(paid).toBeGreaterThan(RAO - 10n);
    expect(out.float.consensus[2]).toBeCloseTo(65535 / 98303, 8); // 32768 is a hair over half of 65535
  });

  it('engine.epoch with two mechanisms: split, per-mechanism incentive, aggregate', () => {
    const engine = createEngineSync();
    const out = engine.epoch({
      n: 4,
      currentBlock: 1000,
      tempo: 360,
      lastStepBlock: 0,
      stake: [1000n * RAO, 500n * RAO, 0n, 0n],
      blockAtRegistration: [1, 1, 1, 1],
      validatorPermit: [true, true, false, false],
      raoEmission: 1n * RAO,
      emissionSplit: [16384, 49151],
      mechanisms: [
        { weights: [[[2, 65535]], [[2, 65535]], [], []], bonds: [[], [], [], []], lastUpdate: [999, 999, 999, 999] },
        { weights: [[[3, 65535]], [[2, 65535]], [], []], bonds: [[], [], [], []], lastUpdate: [999, 999, 999, 999] },
      ],
    });
    expect(out.mechanismEmission).toEqual([250_003_815n, 749_996_185n]);
    expect(Array.from(out.mechanisms[1].incentive)).toEqual([0, 0, 0, 65535]);
    expect(Array.from(out.incentive)).toEqual([0, 0, 65535, 0]);
    expect(out.serverEmission).toEqual([0n, 0n, 125_001_907n, 374_998_092n]);
    expect(Array.from(out.consensus)).toEqual([0, 0, 16384, 49150]);
  });

  it('Subnet with two mechanisms', () => {
    const m = new Subnet({ engine: createEngineSync(), n: 8, tempo: 1, mechanisms: 2 });
    for (let i = 0; i < 8; i++) m.register(`hotkey-${i}`);
    [1n, 2n, 3n, 4n].forEach((rao, uid) => m.addStake(uid, rao));
    m.epoch(0n);
    m.nextBlock();
    m.setEmissionSplit([16384, 49151]);
    for (let v = 0; v < 4; v++) {
      m.setWeights(v, [4, 5, 6, 7], [1, 2, 3, 4]);
      m.setWeights(v, [4, 5, 6, 7], [4, 3, 2, 1], { mechanism: 1 });
    }
    const out = m.epoch(1_000_000_000n);
    expect(m.bondRows({ mechanism: 1 })[0].length).toBeGreaterThan(0);
    expect(Array.from(m.incentive({ mechanism: 1 }))).toEqual(Array.from((out as MechanismEpochOutput).mechanisms[1].incentive));
    expect(m.incentive({ mechanism: 1 })[4]).toBeGreaterThan(m.incentive({ mechanism: 0 })[4]);
    expect(m.dividends()).toEqual(out.dividends);
    m.setMechanismCount(1);
    expect([m.mechanismCount, m.emissionSplit()]).toEqual([1, null]);
  });

  it('Subnet: the second epoch pays dividends by stake and incentive by weight; the first says why it paid none', () => {
    const s = new Subnet({ engine: createEngineSync(), n: 8, tempo: 1, mode: 'fixed' });
    for (let i = 0; i < 8; i++) s.register(`hotkey-${i}`);
    [1000n, 2000n, 3000n, 4000n].forEach((tao, uid) => s.addStake(uid, tao * RAO));
    s.nextBlock();
    for (let v = 0; v < 4; v++) s.setWeights(v, [4, 5, 6, 7], [1, 2, 3, 4]);
    s.nextBlock();
    const first = s.epoch(RAO);
    expect(Array.from(first.dividends)).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
    expect(Array.from(first.incentive)).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
    expect(s.epochNotes()).toEqual([expect.stringMatching(/^no UID held a validator permit going into this epoch.*the next epoch pays \(run one more\)\.$/)]);
    s.nextBlock();
    const out = s.epoch(RAO);
    expect(out.validatorEmission).toEqual([49999998n, 99999999n, 150000000n, 200000000n, 0n, 0n, 0n, 0n]);
    expect(Array.from(s.incentive())).toEqual([0, 0, 0, 0, 6553, 13107, 19660, 26213]);
    expect(s.epochNotes()).toEqual([]);
  });

  it('Subnet: weights set in the registration block are named as outdated', () => {
    const s = new Subnet({ engine: createEngineSync(), n: 4, tempo: 1 });
    for (let i = 0; i < 4; i++) s.register(`hk-${i}`);
    s.addStake(0, 1000n * RAO);
    s.epoch(RAO); // grants uid 0 its permit
    s.setWeights(0, [2, 3], [1, 1]); // same block as the registrations
    s.nextBlock();
    s.epoch(RAO);
    expect(s.epochNotes()).toEqual([expect.stringMatching(/^uid 0's weights \(set at block 0\) are not newer than the registration/)]);
  });

  it('dTAO', () => {
    const pool = Pool.genesis({ tao: 1000n * RAO, alpha: 500n * RAO });
    expect(pool.stake(1000n * RAO).alphaOut).toBe(250_000_000_000n);
    expect(pool.reserves()).toEqual({ tao: 2000n * RAO, alpha: 250n * RAO });
    const head = Pool.genesis({ tao: 1000n * RAO, alpha: 500n * RAO, preset: 'balancer' });
    const r = head.stake(10n * RAO, { limitPrice: 2.1 });
    expect(r.alphaOut).toBeGreaterThan(0n);
    expect(r.feeTo).toBe('author');
    expect(blockEmission(10_500_000n * RAO)).toBe(500_000_000n);
    expect(halvingSchedule({ issuance: 0n, recycledPerBlock: RAO / 10n }).length).toBeGreaterThan(1);
    const shares = emissionShares([1.2, 0.4, 0.9], { mode: 'softmax' });
    expect(shares.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    // owner ⌊1e9 · 11796 / 65535⌋ (18 %), the rest halved between miners and validators (41 % each)
    expect(splitAlphaOut(RAO)).toEqual({ owner: 179_995_422n, server: 410_002_289n, validator: 410_002_289n, root: 0n, recycled: 0n });
  });

  it("Chain: loads a state, steps a tempo, reads a hotkey's payout", () => {

    // Chain state: one subnet (netuid 1) with a 1000 TAO / 4000 alpha pool, tempo 10, two validators, two miners
    const state = newChainState({ block: 100n, totalIssuance: 10_000_000n * RAO, balancesTotalIssuance: 10_000_000n * RAO });
    const neuron = (uid: number, hotkey: string, weights: Array<[number, number]>) => ({
      uid, hotkey, blockAtRegistration: 1n, lastUpdate: 99n, validatorPermit: uid < 2, weights, bonds: [],
    });
    state.subnets.set(1, newSubnet(1, {
      subnetTao: 1000n * RAO, subnetAlphaIn: 4000n * RAO, tempo: 10, lastEpochBlock: 100n,
      subnetOwner: 'owner', subnetOwnerHotkey: 'owner-hk',
      neurons: [neuron(0, 'v1', [[2, 65535], [3, 21845]]), neuron(1, 'v2', [[2, 65535]]), neuron(2, 'm1', []), neuron(3, 'm2', [])],
    }));
    for (const [hotkey, owner] of [['v1', 'alice'], ['v2', 'bob'], ['m1', 'carol'], ['m2', 'dave'], ['owner-hk', 'owner']]) {
      state.hotkeys.set(hotkey, { owner });
    }

    // Round-trip through the JSON form (how a dump of real chain storage is loaded), then stake and run one tempo
    const chain = Chain.fromJSON(new Chain(state).toJSON());
    chain.addStake({ coldkey: 'alice', hotkey: 'v1', netuid: 1, tao: 300n * RAO });
    chain.addStake({ coldkey: 'bob', hotkey: 'v2', netuid: 1, tao: 100n * RAO });
    chain.addStake({ coldkey: 'erin', hotkey: 'v1', netuid: 1, tao: 50n * RAO });   // a nominator of v1
    const reports = chain.run(10);
    const epoch = reports.flatMap((r) => r.epochs).find((e) => e.netuid === 1)!;
    const v1 = epoch.stakeChanges.get('v1')!;
    // the epoch ran once, at block 110, and paid v1's pool; erin's nominator stake grew with it
    expect(chain.block).toBe(110n);
    expect(reports.flatMap((r) => r.epochs)).toHaveLength(1);
    expect(v1.after - v1.before).toBe(3_530_331_513n);
    expect(v1.coldkeyValuesAfter.get('erin')).toBe(98_781_172_863n);
    expect(epoch.incentivesPaid.get('m1')).toBe(3_217_440_001n);
    expect(v1.coldkeyValuesAfter.get('alice')! + v1.coldkeyValuesAfter.get('erin')!).toBeLessThanOrEqual(v1.after);
  });

  it('input spellings: dense rows and decimal strings give the sparse example\'s epoch; toJSON / fromJSON round-trip it', () => {
    const engine = createEngineSync();
    const out = engine.epoch(README_DENSE_INPUT);
    expect(Array.from(out.incentive)).toEqual([0, 0, 49151, 16383]);
    const sparse = engine.epoch({
      n: 4, currentBlock: 1000, tempo: 360, lastStepBlock: 0, stake: [1000n * RAO, 500n * RAO, 0n, 0n],
      weights: [[[2, 65535], [3, 32768]], [[2, 65535]], [], []], bonds: [[], [], [], []],
      lastUpdate: [999, 999, 999, 999], blockAtRegistration: [1, 1, 1, 1], validatorPermit: [true, true, false, false], raoEmission: 1n * RAO,
    });
    expect(out.serverEmission).toEqual(sparse.serverEmission);

    const text = JSON.stringify(toJSON(out));
    expect(text.startsWith('{"stakeWeight":[43689,21844,0,0],')).toBe(true);
    expect(text).toContain('"serverEmission":["0","0","374998569","125001430"]');
    const back = fromJSON(JSON.parse(text));
    expect(back.serverEmission).toEqual([0n, 0n, 374_998_569n, 125_001_430n]);
    expect(back).toEqual(out);
  });

  it('metagraph in: fromMetagraph converts the SDK fields, metagraphView names the output as the SDK does', () => {
    const mg = fromMetagraph({
      block: 1000, tempo: 360, last_step: 0, pending_alpha_emission: 1,
      S: [1000, 500, 0, 0],
      W: [[0, 0, 1, 0.5], [0, 0, 1, 0], [0, 0, 0, 0], [0, 0, 0, 0]],
      last_update: [999, 999, 999, 999], block_at_registration: [1, 1, 1, 1], validator_permit: [1, 1, 0, 0],
      hparams: { kappa: 32767, bonds_moving_avg: 900000 },
    });
    expect(Array.from(mg.input.weights as Uint16Array)).toEqual([0, 0, 65535, 32768, 0, 0, 65535, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    expect(mg.assumptions).toHaveLength(3);
    expect(mg.assumptions[0]).toMatch(/^W read as fractions; each row scaled to u16/);
    expect(mg.assumptions[1]).toMatch(/^no bonds \(B\) given: /);
    expect(mg.assumptions[2]).toMatch(/^hyper-parameters not in /);
    const view = metagraphView(mg.input, createEngineSync().epoch(mg.input, mg.hyper));
    expect(view.I).toEqual([0, 0, 49151 / 65535, 16383 / 65535]); // 0.74999…, 0.24998…
    expect(view.E).toEqual([0.375000477, 0.124999522, 0.374998569, 0.12500143]);
    expect(Array.from(view.rank)).toEqual([0, 0, 49151, 16383]);
  });

  it('who earns what: the yuma3-big-validator-moves-first scenario pays A above its stake share and B, C below', () => {
    const sc = scenario('yuma3-big-validator-moves-first');
    const report = new Network({ ...sc.network, engine: createEngineSync() }).run({ blocks: sc.blocks ?? 7200 });
    const d = report.detail[0];
    expect(d.netuid).toBe(1);
    expect(d.epochBlocks).toHaveLength(40);
    expect(d.validators.map((v) => `${v.name}: ${v.totals.vsStake.toFixed(3)}`)).toEqual([
      'A (80 %, moves at once): 1.022',
      'B (10 %, moves 1 epoch late): 0.940',
      'C (10 %, moves 2 epochs late): 0.882',
    ]);
    expect(d.miners.map((m) => m.uid)).toEqual([3, 4]);
  });

  it('yuma-wasm/testing', () => {
    const engine = createEngineSync();
    fc.assert(
      fc.property(arbEpochInput({ maxN: 16 }), arbHyperparams(), (input, hyper) => {
        assertEpochInvariants(input, engine.epoch(input, hyper), { hyper });
      }),
      { numRuns: 50 },
    );
    expect(typeof createReferenceEngine().epoch).toBe('function');
  });
});

// The samples above are copies with their printed values asserted; these run each ```ts block of the README itself,
// as written, bundled against the source, so that a sample edited in the README alone cannot drift into code that
// no longer runs. A block without imports (a fragment under a heading that names its entry) gets them from the root
// entry; a block that uses names defined only in the prose around it is listed and stays covered by its copy above.
describe('every ```ts block of the README runs as written', () => {
  const README = readFileSync(new URL('../README.md', import.meta.url), 'utf8').split('\n');
  const blocks: Array<{ line: number; code: string }> = [];
  for (let i = 0; i < README.length; i++) {
    if (README[i] !== '```ts') continue;
    const end = README.indexOf('```', i + 1);
    blocks.push({ line: i + 1, code: README.slice(i + 1, end).join('\n') });
    i = end;
  }
  // blocks using names defined only in the prose (none since the 'threads: 2' block builds its own subnets)
  const FRAGMENTS = new Set<string>();
  // a block whose comment says it goes on from an earlier one (its names come from there): that block's first line
  const CONTINUES = new Map([
    ['// `out`: the epoch of the API example at the top of this section', "import { createEngine, RAO } from 'yuma-wasm';"],
    ['// `weights`, `stakes`: the case of the first example in this section', "import { simulateCase, yuma3Epoch } from 'yuma-wasm/research';"],
  ]);
  const earlier = (code: string): string => {
    const mark = code.split('\n').find((l) => CONTINUES.has(l));
    if (mark === undefined) return '';
    const from = blocks.find((b) => b.code.startsWith(CONTINUES.get(mark)!));
    expect(from, mark).toBeDefined();
    return `${from!.code}\n`;
  };
  // what a block prints, asserted on the README's own code (a block not listed here has its values checked by its copy)
  const PRINTS = new Map<string, unknown[][]>([
    ["const engine = createEngineSync({ threads: 2 }); // or await createEngine({ threads: 2 })", [[[
      [[492596432n, 7403567n], [488894647n, 11105352n]],
      [[496270605n, 3729394n], [490676512n, 9323487n]],
      [[497507540n, 2492459n], [491276389n, 8723610n]],
    ]]]],
  ]);
  const printsOf = (code: string): unknown[][] | undefined => {
    const key = code.split('\n').find((l) => PRINTS.has(l));
    return key === undefined ? undefined : PRINTS.get(key);
  };
  const ROOT = fileURLToPath(new URL('..', import.meta.url));
  const dir = mkdtempSync(path.join(tmpdir(), 'readme-blocks-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('finds the README\'s 15 ts blocks: none a fragment (each runs), two going on from the blocks they name, one whose printed values are listed', () => {
    expect(blocks.length).toBe(15);
    expect(blocks.filter((b) => printsOf(b.code) !== undefined).length).toBe(PRINTS.size);
    expect(blocks.filter((b) => FRAGMENTS.has(b.code.split('\n')[0])).length).toBe(0);
    expect(blocks.filter((b) => earlier(b.code) !== '').length).toBe(2);
  });

  for (const { line, code } of blocks) {
    if (FRAGMENTS.has(code.split('\n')[0])) continue;
    it(`README line ${line}: the block bundles against src/ and runs to its end without throwing${printsOf(code) === undefined ? '' : ', printing the values listed for it'}`, async () => {
      const imports = /^import /m.test(code) ? '' : `import { ${Object.keys(root).filter((k) => new RegExp(`\\b${k}\\b`).test(code)).join(', ')} } from 'yuma-wasm';\n`;
      const marker = `__readme_block_${line}_done`;
      const built = await build({
        stdin: { contents: `${imports}${earlier(code)}${code}\n(globalThis as Record<string, unknown>)[${JSON.stringify(marker)}] = true;\n`, loader: 'ts', resolveDir: ROOT },
        bundle: true,
        format: 'esm',
        platform: 'node',
        target: 'node20',
        write: false,
        loader: { '.wasm': 'binary' },
        alias: { 'yuma-wasm/research': './src/research/index.ts', 'yuma-wasm/testing': './src/testing/index.ts', 'yuma-wasm': './src/index.ts' },
        logLevel: 'silent',
      });
      const file = path.join(dir, `block-${line}.mjs`);
      writeFileSync(file, built.outputFiles[0].text);
      // the blocks print what they show; the copies above check those values
      const log = vi.spyOn(console, 'log').mockImplementation(() => {});
      let calls: unknown[][];
      try {
        await import(/* @vite-ignore */ pathToFileURL(file).href);
      } finally {
        calls = log.mock.calls.slice();
        log.mockRestore();
      }
      expect((globalThis as Record<string, unknown>)[marker]).toBe(true);
      const prints = printsOf(code);
      if (prints !== undefined) expect(calls).toEqual(prints);
    });
  }
});
