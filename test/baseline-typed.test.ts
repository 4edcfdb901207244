import { describe, expect, it } from 'vitest';
import { typedEpoch } from '../bench/typed-epoch.js';
import { prepareEpoch } from '../src/epoch/prepare.js';
import { referenceEpoch } from '../src/reference/float/epoch.js';
import { syntheticSubnet } from '../bench/suite.js';
import { loadConformance, type ConformanceCase } from './helpers/conformance.js';

// The benchmark's typed-array baseline must compute the same epoch as the chain, within the float-mode tolerance
// of float mode (test/fixtures/README.md): u16 fields within 2 steps, emissions within raoEmission / 20000, booleans exact.
const cases = loadConformance('sparse');

function worstU16(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  expect(actual.length).toBe(expected.length);
  let worst = 0;
  for (let i = 0; i < expected.length; i++) worst = Math.max(worst, Math.abs(actual[i] - expected[i]));
  return worst;
}

function check(c: ConformanceCase): void {
  const p = prepareEpoch(c.input, c.hyper, { mode: 'float', path: 'sparse' });
  const r = typedEpoch(p);
  const e = c.expected;
  const n = c.input.n;
  const label = `case ${c.id} (n=${n}, yuma3=${c.hyper.yuma3Enabled}, liquidAlpha=${c.hyper.liquidAlphaEnabled})`;
  for (const field of ['stakeWeight', 'consensus', 'incentive', 'dividends', 'validatorTrust'] as const) {
    expect(worstU16(r[field], e[field]), `${label} ${field}`).toBeLessThanOrEqual(2);
  }
  expect(Array.from(r.active, (x) => x === 1), `${label} active`).toEqual(e.active);
  expect(Array.from(r.validatorPermit, (x) => x === 1), `${label} validatorPermit`).toEqual(e.validatorPermit);
  let bondWorst = 0;
  for (let i = 0; i < n; i++) bondWorst = Math.max(bondWorst, worstU16(r.bonds.subarray(i * n, (i + 1) * n), e.bonds[i]));
  expect(bondWorst, `${label} bonds`).toBeLessThanOrEqual(2);
  const tol = c.input.raoEmission / 20000n;
  for (let i = 0; i < n; i++) {
    const ds = r.serverEmission[i] - e.serverEmission[i];
    const dv = r.validatorEmission[i] - e.validatorEmission[i];
    expect(ds <= tol && -ds <= tol, `${label} serverEmission[${i}] ${r.serverEmission[i]} vs ${e.serverEmission[i]}`).toBe(true);
    expect(dv <= tol && -dv <= tol, `${label} validatorEmission[${i}] ${r.validatorEmission[i]} vs ${e.validatorEmission[i]}`).toBe(true);
  }
}

describe('typed-array baseline vs the chain (sparse path conformance cases)', () => {
  it('covers original Yuma, Yuma3 and Yuma3 with liquid alpha', () => {
    expect(cases.some((c) => !c.hyper.yuma3Enabled)).toBe(true);
    expect(cases.some((c) => c.hyper.yuma3Enabled && !c.hyper.liquidAlphaEnabled)).toBe(true);
    expect(cases.some((c) => c.hyper.yuma3Enabled && c.hyper.liquidAlphaEnabled)).toBe(true);
  });

  it.each(cases.map((c) => [c.id, c] as const))('case %i matches the chain within the float tolerance', (_id, c) => {
    check(c);
  });

  it("over all 120 cases the worst u16 departure from the chain (stake weight, consensus, incentive, dividends, validator trust, bonds) is 1 step, as bench/README states", () => {
    expect(cases).toHaveLength(120);
    let worst = 0;
    for (const c of cases) {
      const r = typedEpoch(prepareEpoch(c.input, c.hyper, { mode: 'float', path: 'sparse' }));
      const n = c.input.n;
      for (const field of ['stakeWeight', 'consensus', 'incentive', 'dividends', 'validatorTrust'] as const) worst = Math.max(worst, worstU16(r[field], c.expected[field]));
      for (let i = 0; i < n; i++) worst = Math.max(worst, worstU16(r.bonds.subarray(i * n, (i + 1) * n), c.expected.bonds[i]));
    }
    expect(worst).toBe(1);
  });

  it('is deterministic and does not leak state between calls of different sizes', () => {
    const a = cases.find((c) => c.input.n > 16)!;
    const b = cases.find((c) => c.input.n !== a.input.n && c.input.n > 1)!;
    const pa = prepareEpoch(a.input, a.hyper, { mode: 'float' });
    const first = typedEpoch(pa);
    typedEpoch(prepareEpoch(b.input, b.hyper, { mode: 'float' }));
    const again = typedEpoch(pa);
    expect(again.dividendsF).toEqual(first.dividendsF);
    expect(again.bonds).toEqual(first.bonds);
  });

  it('refuses the dense path instead of silently computing the sparse one', () => {
    const c = cases[0];
    expect(() => typedEpoch(prepareEpoch(c.input, c.hyper, { mode: 'float', path: 'dense' }))).toThrow(/sparse path only/);
  });
});

describe('typed-array baseline on the benchmark inputs', () => {
  // The benchmark compares Wasm against this baseline on bench/suite.ts's synthetic subnets, so it must compute
  // the same epoch there too: checked against the f64 reference (itself tested against the chain).
  it.each([
    ['original Yuma', {}],
    ['Yuma3', { yuma3Enabled: true }],
    ['Yuma3 + liquid alpha', { yuma3Enabled: true, liquidAlphaEnabled: true }],
  ] as const)('%s, 256 UIDs × 64 validators', (_label, extra) => {
    const { input, hyper } = syntheticSubnet({ n: 256, validators: 64, seed: 42 });
    const p = prepareEpoch(input, { ...hyper, ...extra }, { mode: 'float' });
    const mine = typedEpoch(p);
    const ref = referenceEpoch(p);
    for (const field of ['stakeWeight', 'consensus', 'incentive', 'dividends', 'validatorTrust', 'bonds'] as const) {
      expect(worstU16(mine[field], ref[field]), field).toBeLessThanOrEqual(2);
    }
    expect(mine.validatorPermit).toEqual(ref.validatorPermit);
    expect(mine.active).toEqual(ref.active);
    // The inputs are what the bench claims: 64 permits, everyone active, incentive spread over the miners.
    expect(mine.validatorPermit.reduce((a, b) => a + b, 0)).toBe(64);
    expect(mine.active.every((a) => a === 1)).toBe(true);
    expect(mine.incentive.filter((x) => x > 0).length).toBeGreaterThan(100);
  });
});
