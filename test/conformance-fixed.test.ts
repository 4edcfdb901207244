import { describe, expect, it } from 'vitest';
import { createEngineSync } from '../src/engine.js';
import { prepareEpoch } from '../src/epoch/prepare.js';
import type { RawEpochResult } from '../src/epoch/result.js';
import { referenceEpochFixed } from '../src/reference/fixed/epoch.js';
import { expectSameResult } from './helpers/epoch-fixed-compare.js';
import { conformanceFiles, conformanceLines, expectChainExact, loadConformance, type ConformanceCase } from './helpers/conformance.js';

/** The reference is slow (BigInt); each case's result is computed once and shared by both describe blocks. */
const referenceRuns = new Map<string, RawEpochResult>();
function reference(c: ConformanceCase): RawEpochResult {
  const key = `${c.path}:${c.set}:${c.id}`;
  let r = referenceRuns.get(key);
  if (!r) {
    r = referenceEpochFixed(prepareEpoch(c.input, c.hyper, { mode: 'fixed', path: c.path }));
    referenceRuns.set(key, r);
  }
  return r;
}

/** Every chain epoch file in test/fixtures but the wide sets (test/chain-wide-fixed.test.ts runs those). */
const FILES = conformanceFiles().filter((f) => f.set !== 'wide').map(({ path, set }) => [path, set] as const);

describe.each(FILES)('BigInt fixed reference vs chain, %s path, %s set', (path, set) => {
  const cases = loadConformance(path, set);

  it('reads every epoch of the file', () => {
    expect(cases.length).toBe(conformanceLines(path, set));
    expect(cases.length).toBeGreaterThan(0);
  });

  it.each(cases.map((c) => [c.id, c] as const))('case %i: every field exact', (_id, c) => {
    expectChainExact(c, reference(c));
  });
});

describe.each(FILES)('Wasm fixed kernel vs chain, %s path, %s set', (path, set) => {
  const cases = loadConformance(path, set);
  const engine = createEngineSync();

  it.each(cases.map((c) => [c.id, c] as const))('case %i: every field exact, and equal to the reference', (_id, c) => {
    const p = prepareEpoch(c.input, c.hyper, { mode: 'fixed', path });
    const got = engine.runPrepared([p])[0];
    expectChainExact(c, got);
    // beyond the chain's stored fields: which bond entries exist, and the raw/2^32 f64 views
    expectSameResult(got, reference(c), `case ${c.id} (${path})`);
  });
});
