/**
 * Float mode takes the chain's discrete decisions on generated hostile subnets: the stakes the chain's fixed point
 * decides differently from f64 — stakes below 2^-32 of the total (0 on chain: no permit, no vote), near-equal
 * stakes around 2^50 rao that tie in I32F32 (the lower uid loses), exact ties, stakes on the 2^-32 boundary — with
 * stake thresholds at and above the stakes, validator caps from 1 to n + 1, owners, both chain paths. Fixed mode
 * (Wasm kernel) is the chain's bit for bit, so it is the oracle here.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createEngineSync } from '../src/engine.js';
import { prepareEpoch } from '../src/epoch/prepare.js';
import type { EpochInput, Hyperparams } from '../src/epoch/types.js';
import { referenceEpoch } from '../src/reference/float/epoch.js';
import { arbEpochInput, arbHyperparams } from '../src/testing/index.js';

const engine = createEngineSync();
const TWO32 = 1n << 32n;
const AROUND = 1n << 50n;

/**
 * n stakes mixing zeros, tiny stakes (≤ 2^16 rao: below 2^-32 of any total ≥ 2^48), near-equal stakes around
 * 2^50 (apart by far less than total/2^32, so they tie on chain), plain random stakes up to 2^50, copies of other
 * stakes (exact ties), and one stake placed at the 2^-32 boundary of the others' total (±3 rao).
 */
function hostileStakes(n: number): fc.Arbitrary<bigint[]> {
  const one = fc.oneof(
    { weight: 2, arbitrary: fc.constant(0n) },
    { weight: 3, arbitrary: fc.bigInt({ min: 1n, max: 1n << 16n }) },
    { weight: 4, arbitrary: fc.bigInt({ min: -(1n << 20n), max: 1n << 20n }).map((d) => AROUND + d) },
    { weight: 2, arbitrary: fc.bigInt({ min: 1n, max: AROUND }) },
  );
  return fc
    .record({
      base: fc.array(one, { minLength: n, maxLength: n }),
      copies: fc.array(fc.tuple(fc.nat(n - 1), fc.nat(n - 1)), { maxLength: n }),
      boundary: fc.option(fc.tuple(fc.nat(n - 1), fc.integer({ min: -3, max: 3 })), { nil: undefined }),
    })
    .map(({ base, copies, boundary }) => {
      const s = base.slice();
      for (const [from, to] of copies) s[to] = s[from];
      if (boundary !== undefined && n > 1) {
        const [at, delta] = boundary;
        const rest = s.reduce((a, b, i) => (i === at ? a : a + b), 0n);
        // s·2^32 ≈ rest + s, i.e. s ≈ rest / (2^32 − 1): the stake whose I32F32 share is 0 or 1 ulp
        const edge = rest / (TWO32 - 1n) + BigInt(delta);
        s[at] = edge > 0n ? edge : 0n;
      }
      return s;
    });
}

/** Stake thresholds at the edges: none, equal to one of the stakes, just above one, above every stake. */
function thresholdFor(stakes: bigint[]): fc.Arbitrary<bigint> {
  const max = stakes.reduce((a, b) => (a > b ? a : b), 0n);
  return fc.oneof(
    fc.constant(0n),
    fc.constantFrom(...stakes),
    fc.constantFrom(...stakes).map((s) => s + 1n),
    fc.constant(max + 1n),
  );
}

const permitCase = fc.integer({ min: 1, max: 40 }).chain((n) =>
  hostileStakes(n).chain((stake) =>
    fc.record({
      stake: fc.constant(stake),
      threshold: thresholdFor(stake),
      cap: fc.oneof(fc.constantFrom(1, 2, n, n + 1), fc.integer({ min: 1, max: n + 1 })),
      owner: fc.option(fc.nat(n - 1), { nil: undefined }),
      path: fc.constantFrom('sparse' as const, 'dense' as const),
    }),
  ),
);

function epochInput(stake: bigint[], owner: number | undefined): EpochInput {
  const n = stake.length;
  return {
    n,
    currentBlock: 1000n,
    tempo: 100,
    lastStepBlock: 900n,
    stake,
    weights: new Uint16Array(n * n),
    bonds: new Uint16Array(n * n),
    lastUpdate: new Array(n).fill(999),
    blockAtRegistration: new Array(n).fill(0),
    validatorPermit: new Array(n).fill(true),
    raoEmission: 1_000_000_000n,
    ...(owner !== undefined ? { ownerUid: owner } : {}),
  };
}

describe('float mode decides permits on the chain\'s fixed-point stake', () => {
  it('hostile stakes (below 2^-32 of the total, near-equal around 2^50, ties, on the 2^-32 edge): float permits and stake weights equal fixed mode\'s, Wasm kernel and f64 reference', () => {
    fc.assert(
      fc.property(permitCase, ({ stake, threshold, cap, owner, path }) => {
        const input = epochInput(stake, owner);
        const hyper: Partial<Hyperparams> = { maxAllowedValidators: cap, stakeThreshold: threshold };
        const fixed = engine.epoch(input, hyper, { mode: 'fixed', path });
        const float = engine.epoch(input, hyper, { mode: 'float', path });
        const reference = referenceEpoch(prepareEpoch(input, hyper, { mode: 'float', path }));
        expect(float.validatorPermit).toEqual(fixed.validatorPermit);
        expect(Array.from(reference.validatorPermit, (x) => x !== 0)).toEqual(fixed.validatorPermit);
        expect(Array.from(float.stakeWeight)).toEqual(Array.from(fixed.stakeWeight));
        expect(Array.from(reference.stakeWeight)).toEqual(Array.from(fixed.stakeWeight));
      }),
      { numRuns: 400 },
    );
  });
});

describe('float mode stake weights at the top of the stake range', () => {
  it('totals from 2^62 to just below 2^63 (the kernel\'s 128-bit division path): permits and stake weights equal fixed mode\'s', () => {
    const top = (1n << 63n) - 1n;
    const cases: bigint[][] = [
      [1n << 62n, 0n, 1n, 1n << 40n],
      [top - (1n << 40n) - 3n, 1n << 40n, 1n, 2n],
      [(1n << 61n) + 1n, 1n << 61n, (1n << 61n) - 1n, (1n << 61n) - 5n],
      [top, 0n, 0n, 0n],
    ];
    for (const stake of cases) {
      for (const path of ['sparse', 'dense'] as const) {
        for (const cap of [1, 2, 4]) {
          const input = epochInput(stake, undefined);
          const hyper: Partial<Hyperparams> = { maxAllowedValidators: cap };
          const fixed = engine.epoch(input, hyper, { mode: 'fixed', path });
          const float = engine.epoch(input, hyper, { mode: 'float', path });
          const reference = referenceEpoch(prepareEpoch(input, hyper, { mode: 'float', path }));
          expect(float.validatorPermit, `${stake} ${path} k=${cap}`).toEqual(fixed.validatorPermit);
          expect(Array.from(reference.validatorPermit, (x) => x !== 0)).toEqual(fixed.validatorPermit);
          expect(Array.from(float.stakeWeight)).toEqual(Array.from(fixed.stakeWeight));
          expect(Array.from(reference.stakeWeight)).toEqual(Array.from(fixed.stakeWeight));
        }
      }
    }
  });
});

/** Hostile stakes laid over a generated subnet (which brings weights, bonds, activity, permits and owners). */
const hostileSubnet = arbEpochInput({ maxN: 24 }).chain((input) =>
  fc.record({ input: fc.constant(input), stake: hostileStakes(input.n), useHostile: fc.boolean() }).map(({ input, stake, useHostile }) => (useHostile ? { ...input, stake } : input)),
);
// The chain refuses alpha low below 65535/40 (`do_set_alpha_values`); below it liquid alpha's EMA can be a few
// ulps, where f64 `exp` and the chain's fixed-point `exp` may floor apart.
const chainHyper = arbHyperparams().map((h) => ({ ...h, alphaLow: Math.max(1638, h.alphaLow), alphaHigh: Math.max(1638, h.alphaHigh) }));

describe('float mode against fixed mode on hostile whole epochs', () => {
  it('active, permits, stake weight, consensus and validator trust identical; incentive, dividends and bonds within 2 steps; emissions within rao/20000 + 1 rao (each emission is floored to whole rao)', () => {
    fc.assert(
      fc.property(hostileSubnet, chainHyper, fc.constantFrom('sparse' as const, 'dense' as const), (input, hyper, path) => {
        const p = (mode: 'fixed' | 'float') => prepareEpoch(input, hyper, { mode, path });
        const [fixed] = engine.runPrepared([p('fixed')]);
        const [float] = engine.runPrepared([p('float')]);
        const n = input.n;
        expect(Array.from(float.active)).toEqual(Array.from(fixed.active));
        expect(Array.from(float.validatorPermit)).toEqual(Array.from(fixed.validatorPermit));
        for (const f of ['stakeWeight', 'consensus', 'validatorTrust'] as const) expect(Array.from(float[f]), f).toEqual(Array.from(fixed[f]));
        for (const f of ['incentive', 'dividends'] as const) {
          for (let i = 0; i < n; i++) expect(Math.abs(float[f][i] - fixed[f][i]), `${f}[${i}]`).toBeLessThanOrEqual(2);
        }
        for (let k = 0; k < n * n; k++) expect(Math.abs(float.bonds[k] - fixed.bonds[k]), `bonds[${k}]`).toBeLessThanOrEqual(2);
        // Each emission is a floor of share × rao: shares that agree within the bound can still floor 1 rao apart
        // (at 2 rao, a share of 0.5 in I32F32 and 0.4999… in f64 pay 1 and 0), so the bound is relative plus one rao.
        const tol = input.raoEmission / 20000n + 1n;
        for (const f of ['serverEmission', 'validatorEmission'] as const) {
          for (let i = 0; i < n; i++) {
            const d = float[f][i] > fixed[f][i] ? float[f][i] - fixed[f][i] : fixed[f][i] - float[f][i];
            expect(d <= tol, `${f}[${i}] ${float[f][i]} vs ${fixed[f][i]}`).toBe(true);
          }
        }
      }),
      { numRuns: 400 },
    );
  });
});
