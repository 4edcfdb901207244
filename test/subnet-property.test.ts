import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Subnet } from '../src/subnet/index.js';
import { arbHyperparams, checkEpochInvariants, createReferenceEngine } from '../src/testing/index.js';

const engine = createReferenceEngine();

type Op =
  | { kind: 'register'; key: number }
  | { kind: 'stake'; uid: number; rao: bigint }
  | { kind: 'weights'; uid: number; targets: number[]; values: number[] }
  | { kind: 'blocks'; count: number }
  | { kind: 'epoch'; path: 'sparse' | 'dense'; rao: bigint };

const arbOp: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('register' as const), key: fc.integer({ min: 0, max: 12 }) }),
  fc.record({ kind: fc.constant('stake' as const), uid: fc.integer({ min: 0, max: 5 }), rao: fc.bigInt({ min: 1n, max: 10n ** 12n }) }),
  fc.record({
    kind: fc.constant('weights' as const),
    uid: fc.integer({ min: 0, max: 5 }),
    targets: fc.uniqueArray(fc.integer({ min: 0, max: 5 }), { minLength: 1, maxLength: 4 }),
    values: fc.array(fc.integer({ min: 0, max: 65535 }), { minLength: 6, maxLength: 6 }),
  }),
  fc.record({ kind: fc.constant('blocks' as const), count: fc.integer({ min: 0, max: 30 }) }),
  fc.record({ kind: fc.constant('epoch' as const), path: fc.constantFrom('sparse' as const, 'dense' as const), rao: fc.bigInt({ min: 0n, max: 10n ** 10n }) }),
);

describe('Subnet under random operation sequences', () => {
  it('every epoch output satisfies the invariants, and the stored state stays consistent', () => {
    let paidEpochs = 0;
    let replacements = 0;
    fc.assert(
      fc.property(arbHyperparams({ maxValidators: 6 }).map((h) => ({ ...h, activityCutoff: Math.max(h.activityCutoff, 100) })), fc.constantFrom('fixed' as const, 'float' as const), fc.array(arbOp, { minLength: 10, maxLength: 60 }), (hyper, mode, ops) => {
        const s = new Subnet({ engine, n: 5, tempo: 10, hyper, mode, immunityPeriod: 50, minNonImmuneUids: 1 });
        for (const op of ops) {
          const valid = op.kind === 'register' ? s.uidOf(`hk${op.key}`) === undefined : op.kind === 'blocks' || op.kind === 'epoch' || op.uid < s.size;
          try {
            if (op.kind === 'register') {
              const before = s.size;
              s.register(`hk${op.key}`);
              if (s.size === before) replacements++;
            }
            else if (op.kind === 'stake') s.addStake(op.uid, op.rao);
            else if (op.kind === 'weights') s.setWeights(op.uid, op.targets, op.values.slice(0, op.targets.length));
            else if (op.kind === 'blocks') s.nextBlock(op.count);
            else {
              const input = s.epochInput(op.rao);
              const out = s.epoch(op.rao, { path: op.path });
              const v = checkEpochInvariants(input, out, { hyper: s.hyper, path: op.path, mode });
              expect(v, JSON.stringify(v)).toEqual([]);
              expect(s.validatorPermit()).toEqual(out.validatorPermit);
              expect(s.lastStepBlock).toBe(s.currentBlock);
              if (out.validatorEmission.some((x) => x > 0n)) paidEpochs++;
            }
          } catch (e) {
            // Only refusals of invalid operations are allowed (weights on unregistered targets, full subnet).
            if (!(e instanceof Error && e.name === 'YumaError')) throw e;
            expect(valid && op.kind !== 'weights' && op.kind !== 'register').toBe(false);
          }
          expect(s.size).toBeLessThanOrEqual(5);
          expect(s.weightRows().length).toBe(s.size);
          expect(s.bondRows().length).toBe(s.size);
          expect(s.lastUpdate().length).toBe(s.size);
          expect(s.validatorPermit().length).toBe(s.size);
          for (const row of s.weightRows()) for (const [j] of row) expect(j).toBeLessThan(s.size);
        }
      }),
      { numRuns: 60, seed: 17 },
    );
    // The sequences must reach the interesting states, not just empty subnets.
    expect(paidEpochs).toBeGreaterThan(10);
    expect(replacements).toBeGreaterThan(3);
  });
});
