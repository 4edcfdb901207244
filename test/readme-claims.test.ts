/**
 * Counts and coverage the README states, checked against what the repository holds, so a claim cannot drift from
 * the tests behind it. (Each count's substance is asserted where it lives: chain-epoch.test.ts checks every port
 * ran on both paths, modes and engines; conformance-fixed.test.ts every chain epoch; the dTAO tests each vector.)
 */
import { readFileSync, readdirSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { PORTED } from './helpers/chain-ports.js';

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
    const vectors = JSON.parse(read('test/fixtures/subtensor-test-vectors.json')).vectors as Array<{ kind: string }>;
    const epoch = vectors.filter((v) => v.kind === 'epoch').length;
    const math = vectors.filter((v) => v.kind === 'math-fn').length;
    expect(README).toContain(`all ${epoch} epoch vectors`);
    expect(README).toContain(`its ${math} math-helper vectors`);
  });

  it('the chain epoch fixtures: 240 epochs, 120 per path', () => {
    const lines = (path: string) => gunzipSync(readFileSync(new URL(`../test/fixtures/${path}`, import.meta.url))).toString('utf8').split('\n').filter((l) => l.trim()).length;
    const sparse = lines('chain-sparse-epochs.jsonl.gz');
    const dense = lines('chain-dense-epochs.jsonl.gz');
    expect([sparse, dense]).toEqual([120, 120]);
    expect(README).toContain(`all ${sparse + dense} random epochs in \`test/fixtures/\` (${sparse} per chain path`);
  });

  it('the number of dTAO chain-test numbers the dTAO tests read, out of the fixture', () => {
    // A vector counts as ported when a test reads it by name (`vector('…')`, `name === '…'`) or by prefix.
    const names = (JSON.parse(read('test/fixtures/dtao-chain-test-vectors.json')).cases as Array<{ name: string }>).map((c) => c.name);
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
