import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createEngineSync } from '../src/engine.js';
import { RAO } from '../src/units.js';
import { YUMA_VERSIONS, simulateCase, type YumaVersion } from '../src/research/index.js';

// Properties of the six versions on random cases: finite outputs, incentive and normalised rewards that sum
// to 1 (or 0), non-negative bonds; and Yuma 1 / Yuma 3 on the chain's default hyper-parameters pointing the
// same way as the chain's own epoch (engine.epoch, float mode) on the same subnet.

/** A case: V validators × M servers over E epochs, sparse weights with dead rows and zero stakes mixed in. */
const arbCase = fc
  .record({
    V: fc.integer({ min: 1, max: 7 }),
    M: fc.integer({ min: 1, max: 7 }),
    E: fc.integer({ min: 1, max: 4 }),
    seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
  })
  .chain(({ V, M, E }) =>
    fc.record({
      weights: fc.array(fc.array(fc.array(fc.oneof(fc.constant(0), fc.constant(0), fc.integer({ min: 1, max: 65535 }), fc.double({ min: 0, max: 1, noNaN: true })), { minLength: M, maxLength: M }), { minLength: V, maxLength: V }), {
        minLength: E,
        maxLength: E,
      }),
      stakes: fc.array(
        fc
          .array(fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 1_000_000 }), fc.double({ min: 1e-3, max: 1, noNaN: true })), { minLength: V, maxLength: V })
          .filter((s) => s.some((x) => x > 0)),
        { minLength: E, maxLength: E },
      ),
      version: fc.constantFrom(...YUMA_VERSIONS),
      precision: fc.constantFrom('f64' as const, 'f32' as const),
      winnerTakesAll: fc.boolean(),
      kappa: fc.constantFrom(0.5, 0.3, 0.9),
    }),
  );

function allNumbers(x: unknown, out: number[] = []): number[] {
  if (typeof x === 'number') out.push(x);
  else if (ArrayBuffer.isView(x)) out.push(...Array.from(x as Float64Array));
  else if (Array.isArray(x)) for (const r of x) allNumbers(r, out);
  return out;
}

const sum = (a: ArrayLike<number>) => Array.from(a).reduce((s, x) => s + x, 0);

describe('research properties (fast-check)', () => {
  it('every output of every version is finite; incentive sums to 1 or 0; normalised rewards sum to ΣD/(ΣD + 1e-6); bonds are ≥ 0', () => {
    fc.assert(
      fc.property(arbCase, ({ weights, stakes, version, precision, winnerTakesAll, kappa }) => {
        const out = simulateCase({ version, weights, stakes, precision, config: { winnerTakesAll, kappa } });
        for (const r of out) {
          for (const [k, v] of Object.entries(r)) for (const x of allNumbers(v)) if (!Number.isFinite(x)) throw new Error(`${version} ${k} has ${x}`);
          const si = sum(r.serverIncentive);
          expect(si === 0 || Math.abs(si - 1) < 1e-6, `${version} Σ incentive = ${si}`).toBe(true);
          const sd = sum(r.validatorReward);
          const sdn = sum(r.validatorRewardNormalized);
          expect(Math.abs(sdn - sd / (sd + 1e-6)), `${version} Σ D_norm = ${sdn}, ΣD = ${sd}`).toBeLessThan(1e-5);
          expect(sdn).toBeLessThanOrEqual(1 + 1e-6);
          if (sd >= 1e-2) expect(Math.abs(sdn - 1)).toBeLessThan(1e-3);
          for (const row of r.validatorBonds) for (const b of row) expect(b, `${version} bond`).toBeGreaterThanOrEqual(0);
          for (const row of r.validatorBond ?? []) for (const b of row) expect(b).toBeGreaterThanOrEqual(0);
        }
      }),
      { numRuns: 400, seed: 16 },
    );
  });
});

/**
 * A subnet as both models see it: validators 0..V-1 (stake, weights on the servers as u16 the way the chain
 * stores them), servers V..V+M-1 (no stake, no weights). Weights come from a shared server quality plus each
 * validator's noise, so a consensus exists.
 */
const arbSubnet = fc
  .record({
    V: fc.integer({ min: 3, max: 12 }),
    M: fc.integer({ min: 3, max: 12 }),
    quality: fc.array(fc.double({ min: 0.05, max: 1, noNaN: true }), { minLength: 12, maxLength: 12 }),
    noise: fc.array(fc.double({ min: 0.7, max: 1.3, noNaN: true }), { minLength: 144, maxLength: 144 }),
    stake: fc.array(fc.integer({ min: 1_000, max: 1_000_000 }), { minLength: 12, maxLength: 12 }),
  })
  .map(({ V, M, quality, noise, stake }) => {
    const rows = Array.from({ length: V }, (_, v) => {
      const raw = Array.from({ length: M }, (_, m) => quality[m] * noise[v * 12 + m]);
      const max = Math.max(...raw);
      return raw.map((x) => Math.max(1, Math.round((x / max) * 65535)));
    });
    return { V, M, rows, stake: stake.slice(0, V) };
  });

function chainEpoch(engine: ReturnType<typeof createEngineSync>, s: { V: number; M: number; rows: number[][]; stake: number[] }, yuma3: boolean) {
  const n = s.V + s.M;
  const out = engine.epoch(
    {
      n,
      currentBlock: 1000,
      tempo: 360,
      lastStepBlock: 0,
      stake: Array.from({ length: n }, (_, i) => (i < s.V ? BigInt(s.stake[i]) * RAO : 0n)),
      weights: Array.from({ length: n }, (_, i) => (i < s.V ? s.rows[i].map((w, m) => [s.V + m, w] as [number, number]) : [])),
      bonds: Array.from({ length: n }, () => []),
      lastUpdate: new Array(n).fill(999),
      blockAtRegistration: new Array(n).fill(1),
      validatorPermit: Array.from({ length: n }, (_, i) => i < s.V),
      raoEmission: RAO,
    },
    { yuma3Enabled: yuma3 },
    { mode: 'float' },
  );
  return { incentive: Array.from(out.float.incentive).slice(s.V), dividends: Array.from(out.float.dividends).slice(0, s.V) };
}

function correlation(a: number[], b: number[]): number {
  const ma = sum(a) / a.length;
  const mb = sum(b) / b.length;
  let num = 0;
  let da = 0;
  let db = 0;
  for (let i = 0; i < a.length; i++) {
    num += (a[i] - ma) * (b[i] - mb);
    da += (a[i] - ma) ** 2;
    db += (b[i] - mb) ** 2;
  }
  return da === 0 || db === 0 ? 1 : num / Math.sqrt(da * db);
}

describe('yuma1 and yuma3 on the chain defaults vs engine.epoch float mode (same subnet, first epoch)', () => {
  const engine = createEngineSync();
  // The chain's defaults in the simulator's units: κ = 32767/65535, bonds penalty 65535 (β = 1), bonds moving
  // average 900000 (alpha 0.1 → bondMovingAvg 0.9).
  const CHAIN = { kappa: 32767 / 65535, bondPenalty: 1, bondMovingAvg: 0.9 };

  it.each(['yuma1', 'yuma3'] as YumaVersion[])('%s: the same server earns the most incentive (where its lead over the second exceeds 0.02), incentive and dividends correlate ≥ 0.95', (version) => {
    fc.assert(
      fc.property(arbSubnet, (s) => {
        const [r] = simulateCase({ version, weights: [s.rows], stakes: [s.stake], config: CHAIN });
        const chain = chainEpoch(engine, s, version === 'yuma3');
        const ours = Array.from(r.serverIncentive);
        const sorted = [...ours].sort((a, b) => b - a);
        // Only where the winner is clear: a tie within the models' differences (u16 steps, epsilons) may flip.
        if (sorted[0] - sorted[1] > 0.02) expect(chain.incentive.indexOf(Math.max(...chain.incentive))).toBe(ours.indexOf(sorted[0]));
        expect(correlation(ours, chain.incentive)).toBeGreaterThanOrEqual(0.95);
        expect(correlation(Array.from(r.validatorRewardNormalized), chain.dividends)).toBeGreaterThanOrEqual(0.95);
      }),
      { numRuns: 200, seed: 16 },
    );
  });
});
