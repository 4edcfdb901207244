import { describe, expect, it } from 'vitest';
import { createEngineSync } from '../src/engine.js';
import { prepareEpoch } from '../src/epoch/prepare.js';
import type { RawEpochResult } from '../src/epoch/result.js';
import { referenceEpochFixed } from '../src/reference/epoch-fixed.js';
import { expectSameResult } from './epoch-fixed-compare.js';
import { chainOutputs, loadConformance, type ConformanceCase } from './helpers/conformance.js';

/** Every field of a fixed-mode result against the chain's, as plain arrays so a diff shows the UID. */
function expectChainExact(c: ConformanceCase, r: RawEpochResult): void {
  const n = c.input.n;
  const e = c.expected;
  const got = chainOutputs(r, n);
  const want = {
    stakeWeight: e.stakeWeight,
    consensus: e.consensus,
    incentive: e.incentive,
    dividends: e.dividends,
    validatorTrust: e.validatorTrust,
    active: e.active,
    validatorPermit: e.validatorPermit,
    bonds: e.bonds,
    serverEmission: e.serverEmission,
    validatorEmission: e.validatorEmission,
  };
  // JSON of both is a cheap exact comparison; only a mismatch pays for vitest's readable deep diff
  const json = (x: unknown) => JSON.stringify(x, (_k, v) => (typeof v === 'bigint' ? v.toString() : v));
  if (json(got) !== json(want)) expect(got, `case ${c.id} (${c.path})`).toEqual(want);
}

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
