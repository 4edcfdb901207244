/**
 * Seeded sequences of a Subnet's operations with mechanisms (registrations, stake, per-mechanism weights, emission
 * splits, mechanism counts, tempo, hyper-parameters, bond resets, epochs), good and bad arguments mixed: every call
 * is a result or a YumaError with a code, a refused call leaves everything the subnet shows as it was, and at the end
 * the subnet equals a twin that was given only the accepted calls, field for field (its epochs' outputs too).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createEngineSync } from '../src/engine.js';
import { Subnet } from '../src/subnet/index.js';
import { FUZZ_SEED, FUZZ_TIMEOUT_MS, fuzzRuns } from './helpers/hostile.js';
import { snapshotText, subnetState } from './helpers/state.js';
import { yumaCode } from './helpers/errors.js';

type Op = { name: string; apply: (s: Subnet) => unknown };

const N = 8;
const u16 = fc.oneof(fc.integer({ min: 0, max: 65535 }), fc.constantFrom(65536, -1, 1.5, NaN, -0));
const uid = fc.oneof(fc.integer({ min: 0, max: N - 1 }), fc.constantFrom(N, -1, 2 ** 32, 0.5, NaN));
const mech = fc.oneof(fc.integer({ min: 0, max: 3 }), fc.constantFrom(16, 255, -1, 1.5));
const amount = fc.oneof(fc.bigInt({ min: 0n, max: 10n ** 15n }), fc.constantFrom(-1n, 2n ** 64n, 2n ** 64n - 1n, 2n ** 128n));

const arbOp: fc.Arbitrary<Op> = fc.oneof(
  fc.string({ minLength: 0, maxLength: 3 }).map((h) => ({ name: `register(${JSON.stringify(h)})`, apply: (s: Subnet) => s.register(`hk-${h}`) })),
  fc.tuple(uid, amount).map(([u, a]) => ({ name: `addStake(${u}, ${a})`, apply: (s: Subnet) => s.addStake(u, a) })),
  fc.tuple(uid, amount).map(([u, a]) => ({ name: `removeStake(${u}, ${a})`, apply: (s: Subnet) => s.removeStake(u, a) })),
  fc.tuple(uid, fc.array(uid, { maxLength: 4 }), fc.array(u16, { maxLength: 4 }), mech).map(([u, us, vs, m]) => ({
    name: `setWeights(${u}, [${us}], [${vs}], { mechanism: ${m} })`,
    apply: (s: Subnet) => s.setWeights(u, us, vs, { mechanism: m }),
  })),
  fc.oneof(fc.integer({ min: 1, max: 4 }), fc.constantFrom(0, 17, 2.5, -1)).map((c) => ({ name: `setMechanismCount(${c})`, apply: (s: Subnet) => s.setMechanismCount(c) })),
  fc.oneof(
    fc.constant(null),
    fc.integer({ min: 1, max: 4 }).chain((k) => fc.array(fc.integer({ min: 0, max: 65535 }), { minLength: k, maxLength: k })),
    fc.integer({ min: 1, max: 4 }).chain((k) => fc.array(fc.integer({ min: 0, max: 65535 }), { minLength: k, maxLength: k }).map((xs) => {
      // a split summing to 65535: what the chain takes
      const sum = xs.reduce((a, b) => a + b, 0) || 1;
      const parts = xs.map((x) => Math.floor((x * 65535) / sum));
      parts[0] += 65535 - parts.reduce((a, b) => a + b, 0);
      return parts;
    })),
  ).map((split) => ({ name: `setEmissionSplit(${JSON.stringify(split)})`, apply: (s: Subnet) => s.setEmissionSplit(split) })),
  fc.integer({ min: 1, max: 3 }).map((k) => ({ name: `nextBlock(${k})`, apply: (s: Subnet) => s.nextBlock(k) })),
  fc.oneof(fc.integer({ min: 1, max: 5 }), fc.constantFrom(0, 65536, -1)).map((t) => ({ name: `setTempo(${t})`, apply: (s: Subnet) => s.setTempo(t) })),
  fc.record({ kappa: u16, bondsMovingAverage: fc.oneof(fc.integer({ min: 0, max: 999_999 }), fc.constantFrom(1_000_001, -1)) }, { requiredKeys: [] }).map((h) => ({
    name: `setHyper(${JSON.stringify(h)})`,
    apply: (s: Subnet) => s.setHyper(h),
  })),
  fc.tuple(uid, mech).map(([u, m]) => ({ name: `resetBonds(${u}, { mechanism: ${m} })`, apply: (s: Subnet) => s.resetBonds(u, { mechanism: m }) })),
  fc.oneof(fc.bigInt({ min: 0n, max: 10n ** 12n }), fc.constantFrom(-1n, 2n ** 64n)).map((rao) => ({ name: `epoch(${rao})`, apply: (s: Subnet) => snapshotText(s.epoch(rao)) })),
);

describe('Subnet with mechanisms: any sequence of good and bad calls', () => {
  for (const mode of ['fixed', 'float'] as const) {
    it(
      `${mode}: a refused call changes nothing the subnet shows, and the subnet ends as a twin given only the accepted calls (their results too)`,
      () => {
        const engine = createEngineSync();
        let refused = 0;
        let accepted = 0;
        fc.assert(
          fc.property(fc.array(arbOp, { minLength: 1, maxLength: 30 }), (ops) => {
            const make = () => {
              const s = new Subnet({ engine, n: N, tempo: 1, mode, mechanisms: 2 });
              for (let i = 0; i < 4; i++) s.register(`v${i}`);
              [5n, 3n, 2n, 1n].forEach((x, i) => s.addStake(i, x * 10n ** 9n));
              return s;
            };
            const s = make();
            const twin = make();
            for (const op of ops) {
              const before = subnetState(s);
              let out: unknown;
              const code = yumaCode(() => {
                out = op.apply(s);
              });
              if (code !== undefined) {
                refused++;
                expect(code, op.name).toMatch(/^E_[A-Z]+$/);
                expect(subnetState(s), `${op.name} refused (${code}) but changed the subnet`).toBe(before);
                continue;
              }
              accepted++;
              let twinOut: unknown;
              expect(yumaCode(() => {
                twinOut = op.apply(twin);
              }), `the twin refused ${op.name}`).toBeUndefined();
              expect(snapshotText(twinOut), op.name).toBe(snapshotText(out));
            }
            expect(subnetState(s)).toBe(subnetState(twin));
          }),
          { seed: FUZZ_SEED, numRuns: fuzzRuns(60) },
        );
        expect(refused).toBeGreaterThan(0);
        expect(accepted).toBeGreaterThan(0);
      },
      FUZZ_TIMEOUT_MS,
    );
  }
});
