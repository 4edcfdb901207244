/**
 * Counts and coverage the README states, checked against what the repository holds, so a claim cannot drift from
 * the tests behind it. (Each count's substance is asserted where it lives: chain-epoch.test.ts checks every port
 * ran on both paths, modes and engines; conformance-fixed.test.ts every chain epoch; the dTAO tests each vector.)
 */
import { readFileSync, readdirSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { createEngineSync, type Engine } from '../src/engine.js';
import type { EpochInput, NumericMode, SparseRow } from '../src/epoch/types.js';
import { createReferenceEngine } from '../src/testing/reference-engine.js';
import { PORTED } from './helpers/chain-ports.js';
import { CHAIN_TEST_PORTS } from './helpers/chain-test-ports.js';
import { dtaoVectors, subtensorVectors } from './helpers/vectors.js';

const read = (path: string) => readFileSync(new URL(`../${path}`, import.meta.url), 'utf8');
const README = read('README.md').replace(/\s+/g, ' ');

describe('README claims', () => {
  it('the number of ported chain epoch tests, split by source file, is the ported list', () => {
    const logs = PORTED.filter((t) => /^(test_simple|test_bad_permit_vector|test_inactive_mask|yuma_emergency|test_validator_permit_masks|epoch_uses|epoch_topk|test_validators_weight|test_validator_splits|epoch_mechanism_)/.test(t));
    expect(README).toContain(`${PORTED.length} of the chain's epoch tests are ported`);
    expect(README).toContain(`${PORTED.length - logs.length} of \`tests/epoch.rs\``);
    expect(README).toContain(`the ${logs.length} of \`tests/epoch_logs.rs\``);
    for (const name of ['test_bonds', 'test_active_stake', 'test_outdated_weights', 'test_zero_weights', 'test_validator_permits', 'test_deregistered_miner_bonds', 'test_1_graph', 'test_10_graph', 'test_512_graph', 'test_512_graph_random_weights']) {
      expect(PORTED, `README names ${name}`).toContain(name);
    }
    expect(PORTED.filter((t) => t.startsWith('test_yuma_3_'))).toHaveLength(7);
  });

  it('the vector counts of subtensor-test-vectors.json (29 epoch, 37 math)', () => {
    const vectors = subtensorVectors;
    const epoch = vectors.filter((v) => v.kind === 'epoch').length;
    const math = vectors.filter((v) => v.kind === 'math-fn').length;
    expect([epoch, math]).toEqual([29, 37]);
    expect(README).toContain(`all ${epoch} epoch vectors`);
    expect(README).toContain(`its ${math} math-helper vectors`);
  });

  it('the chain epoch fixtures: 440 epochs, per path 120 narrow and 100 wide', () => {
    const lines = (path: string) => gunzipSync(readFileSync(new URL(`../test/fixtures/${path}`, import.meta.url))).toString('utf8').split('\n').filter((l) => l.trim()).length;
    const narrow = [lines('chain-sparse-epochs.jsonl.gz'), lines('chain-dense-epochs.jsonl.gz')];
    const wide = [lines('chain-sparse-wide.jsonl.gz'), lines('chain-dense-wide.jsonl.gz')];
    expect([narrow, wide]).toEqual([[120, 120], [100, 100]]);
    const total = narrow[0] + narrow[1] + wide[0] + wide[1];
    expect(README).toContain(`all ${total} random epochs in \`test/fixtures/\` (per chain path ${narrow[0]} around the default hyper-parameters and ${wide[0]} with every hyper-parameter drawn over its whole range and edges`);
    expect(README).toContain(`On all ${total} epochs, for the Wasm kernel and the f64 reference`);
  });

  it('the chain block tests ported per tests/<file>.rs ("N of M") are the ported lists, each checked by the test file that runs it', () => {
    for (const [rs, { live, ported }] of Object.entries(CHAIN_TEST_PORTS)) {
      const names = Object.values(ported).flat();
      expect(new Set(names).size, rs).toBe(names.length);
      expect(names.length, rs).toBeLessThanOrEqual(live);
      expect(README).toContain(`\`tests/${rs}\` ${names.length} of ${live}`);
      for (const file of Object.keys(ported)) expect(read(`test/${file}`), file).toContain(`unportedIn(titlesUnder(task.file), '${file}')`);
    }
    expect(Object.keys(CHAIN_TEST_PORTS)).toEqual(['emission.rs', 'subnet_emissions.rs', 'coinbase.rs', 'children.rs', 'claim_root.rs']);
  });

  it('the number of dTAO chain-test numbers the dTAO tests read, out of the fixture', () => {
    // A vector counts as ported when a test reads it by name (`vector('…')`, `name === '…'`) or by prefix.
    const names = dtaoVectors.map((c) => c.name);
    const used = new Set<string>();
    for (const f of readdirSync(new URL('.', import.meta.url)).filter((x) => x.endsWith('.test.ts'))) {
      const text = read(`test/${f}`);
      for (const m of text.matchAll(/vector\('([^']+)'\)|name === '([^']+)'/g)) used.add(m[1] ?? m[2]);
      for (const m of text.matchAll(/byPrefix\('([^']+)'\)/g)) for (const n of names) if (n.startsWith(m[1])) used.add(n);
    }
    const ported = names.filter((n) => used.has(n)).length;
    expect(README).toContain(`${ported} of the ${names.length} dTAO numbers from the chain's tests are ported`);
  });
});

describe('README: chain behaviours reproduced on purpose (Wasm and reference engines, both modes)', () => {
  const engines = [
    { label: 'wasm', engine: createEngineSync() },
    { label: 'reference', engine: createReferenceEngine() },
  ];
  const each = (fn: (e: Engine, mode: NumericMode, tag: string) => void) => {
    for (const { label, engine } of engines) for (const mode of ['fixed', 'float'] as const) fn(engine, mode, `${label} ${mode}`);
  };
  const base = (o: Partial<EpochInput>): EpochInput => ({
    n: 4,
    currentBlock: 1000n,
    tempo: 360,
    lastStepBlock: 0n,
    stake: [1_000_000_000n, 2_000_000_000n, 3_000_000_000n, 0n],
    weights: [[[3, 65535]], [[3, 65535]], [[3, 65535]], []],
    bonds: [[], [], [], []],
    lastUpdate: [900n, 900n, 900n, 900n],
    blockAtRegistration: [10n, 10n, 10n, 10n],
    validatorPermit: [true, true, true, false],
    raoEmission: 1_000_000_000n,
    ...o,
  });

  it('an empty validatorPermit masks no stake (validators paid 1 : 2 : 3 by stake) but empties every weight row (no consensus)', () => {
    each((e, mode, tag) => {
      for (const path of ['sparse', 'dense'] as const) {
        const out = e.epoch(base({ validatorPermit: [] }), {}, { mode, path });
        expect(Array.from(out.consensus), `${tag} ${path}`).toEqual([0, 0, 0, 0]);
        out.validatorEmission.slice(0, 3).forEach((x, i) => expect(Math.abs(Number(x) - ((i + 1) / 6) * 1e9), `${tag} ${path} [${i}]`).toBeLessThanOrEqual(2));
      }
    });
  });

  it('the dense path always removes the owner\'s self-weight (the sparse path keeps it)', () => {
    const input = base({ weights: [[[0, 65535]], [], [], []], stake: [1_000_000_000n, 0n, 0n, 0n], validatorPermit: [true, false, false, false], ownerUid: 0 });
    each((e, mode, tag) => {
      expect(e.epoch(input, {}, { mode, path: 'sparse' }).incentive[0], tag).toBe(65535);
      expect(e.epoch(input, {}, { mode, path: 'dense' }).incentive[0], tag).toBe(0);
    });
  });

  it('the dense bond write-back leaves rows past the stored permit vector untouched', () => {
    // permit vector of length 2: row 3 (past it) holds a bond the dense path neither rewrites nor clears
    const input = base({ validatorPermit: [true, true], bonds: [[], [], [], [[3, 12345]]] });
    each((e, mode, tag) => {
      const out = e.epoch(input, {}, { mode, path: 'dense' });
      expect((out.bonds as SparseRow[])[3].filter(([, v]) => v !== 0), tag).toEqual([[3, 12345]]);
    });
  });

  it('with Yuma3 + liquid alpha the sparse path drops an old bond to a miner the validator stopped listing, the dense path decays it', () => {
    const input = base({
      weights: [[[2, 65535]], [[2, 65535]], [], []],
      stake: [9_000_000_000n, 1_000_000_000n, 0n, 0n],
      bonds: [[], [[3, 30000]], [], []],
      validatorPermit: [true, true, false, false],
    });
    const hyper = { yuma3Enabled: true, liquidAlphaEnabled: true };
    each((e, mode, tag) => {
      const bond = (path: 'sparse' | 'dense') => (e.epoch(input, hyper, { mode, path }).bonds as SparseRow[])[1].find(([j]) => j === 3)?.[1] ?? 0;
      expect(bond('sparse'), tag).toBe(0);
      expect(bond('dense'), tag).toBeGreaterThan(0);
      expect(bond('dense'), tag).toBeLessThan(30000);
    });
  });

  it('a consensus can be positive yet store as u16 0', () => {
    // one validator puts 1 of 65536 on miner 2: consensus 1/65536 < one u16 step
    const input = base({ weights: [[[2, 1], [3, 65535]], [], [], []], stake: [1_000_000_000n, 0n, 0n, 0n], validatorPermit: [true, false, false, false] });
    each((e, mode, tag) => {
      const out = e.epoch(input, {}, { mode, path: 'sparse' });
      expect(out.float.consensus[2], tag).toBeGreaterThan(0);
      expect(out.consensus[2], tag).toBe(0);
    });
  });
});
