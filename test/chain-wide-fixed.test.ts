/**
 * Fixed mode over the whole hyper-parameter range: the 100 + 100 wide chain epochs (every hyper-parameter drawn
 * across its range and edges, owners and commit-reveal on the sparse path; test/fixtures/README.md) reproduced
 * field for field by the BigInt reference and by the Wasm fixed kernel.
 */
import { describe, expect, it } from 'vitest';
import { createEngineSync } from '../src/engine.js';
import { prepareEpoch } from '../src/epoch/prepare.js';
import { referenceEpochFixed } from '../src/reference/fixed/epoch.js';
import { expectSameResult } from './helpers/epoch-fixed-compare.js';
import { conformanceLines, expectChainExact, loadConformance } from './helpers/conformance.js';

describe.each(['sparse', 'dense'] as const)('wide chain epochs, fixed mode, %s path', (path) => {
  const cases = loadConformance(path, 'wide');
  const engine = createEngineSync();

  it('reads every epoch of the file', () => {
    expect(cases.length).toBe(conformanceLines(path, 'wide'));
    expect(cases.length).toBeGreaterThan(0);
  });

  it.each(cases.map((c) => [c.id, c] as const))('case %i: BigInt reference and Wasm kernel match the chain in every field', (_id, c) => {
    const p = prepareEpoch(c.input, c.hyper, { mode: 'fixed', path });
    const reference = referenceEpochFixed(p);
    expectChainExact(c, reference);
    const kernel = engine.runPrepared([p])[0];
    expectChainExact(c, kernel);
    // beyond the chain's stored fields: which bond entries exist, and the raw/2^32 f64 views
    expectSameResult(kernel, reference, `wide case ${c.id} (${path})`);
  });
});
