import { describe, expect, it } from 'vitest';
import { createEngineSync } from '../src/engine.js';
import { prepareEpoch } from '../src/epoch/prepare.js';
import type { RawEpochResult } from '../src/epoch/result.js';
import { referenceEpochFixed } from '../src/reference/fixed/epoch.js';
import { expectSameResult } from './helpers/epoch-fixed-compare.js';
import { expectChainExact, loadConformance, type ConformanceCase } from './helpers/conformance.js';

/** The reference is slow (BigInt); each case's result is computed once and shared by both describe blocks. */
const referenceRuns = new Map<string, RawEpochResult>();
function reference(c: ConformanceCase): RawEpochResult {
  const key = `${c.path}:${c.id}`;
  let r = referenceRuns.get(key);
  if (!r) {
    r = referenceEpochFixed(prepareEpoch(c.input, c.hyper, { mode: 'fixed', path: c.path }));
    referenceRuns.set(key, r);
  }
  return r;
}

describe.each(['sparse', 'dense'] as const)('BigInt fixed reference vs chain, %s path', (path) => {
  const cases = loadConformance(path);

  it('has the 120 chain-computed epochs', () => {
    expect(cases).toHaveLength(120);
  });

  it.each(cases.map((c) => [c.id, c] as const))('case %i: every field exact', (_id, c) => {
    expectChainExact(c, reference(c));
  });
});

describe.each(['sparse', 'dense'] as const)('Wasm fixed kernel vs chain, %s path', (path) => {
  const cases = loadConformance(path);
  const engine = createEngineSync();

  it.each(cases.map((c) => [c.id, c] as const))('case %i: every field exact, and equal to the reference', (_id, c) => {
    const p = prepareEpoch(c.input, c.hyper, { mode: 'fixed', path });
    const got = engine.runPrepared([p])[0];
    expectChainExact(c, got);
    // beyond the chain's stored fields: which bond entries exist, and the raw/2^32 f64 views
    expectSameResult(got, reference(c), `case ${c.id} (${path})`);
  });
});
