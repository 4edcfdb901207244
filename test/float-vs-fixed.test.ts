import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createEngineSync } from '../src/engine.js';
import type { EpochInput, Hyperparams } from '../src/epoch/types.js';
import { SUBNET_FLAVOURS, arbEpochInput, arbHyperparams } from '../src/testing/index.js';

const engine = createEngineSync();
const U16_FIELDS = ['stakeWeight', 'consensus', 'incentive', 'dividends', 'validatorTrust'] as const;

// Issue 3: float mode stays within 2 u16 steps of the chain-exact fixed mode on random subnets.
// 'ties' is left out on purpose: it builds exact stake ties at the median's majority boundary, where the
// chain's own rounding (kappa = 32767/65535 in I32F32) decides which side wins and any other arithmetic can
// land on the other side (a jump, not an error that shrinks); the chain-exact mode covers that flavour.
const flavours = SUBNET_FLAVOURS.filter((f) => f !== 'ties');

// The chain's I32F32 stake weight floors any stake below 2^-32 of the total to exactly 0 (no permit, no vote),
// which f64 cannot mimic without being fixed point; such subnets (stakes apart by a factor ≥ 2^32) are outside
// float mode's promise, so they are skipped here. Kept a factor 2^12 away from that edge.
function resolvable(stake: readonly bigint[] | BigUint64Array): boolean {
  let total = 0n;
  for (const s of stake) total += s;
  for (const s of stake) if (s > 0n && s << 20n < total) return false;
  return true;
}

/**
 * Whether every non-zero stake has its own I32F32 stake weight, floor(s·2^32 / Σ) after the threshold (the sparse
 * path exempts the owner). Where two share one, the chain's permits break the tie by uid while f64 still orders
 * them: float mode does not reproduce that yet (issue 11 §1), so permits are compared only where weights differ.
 */
function distinctFixedStakeWeights(input: EpochInput, hyper: Partial<Hyperparams>, path: 'sparse' | 'dense'): boolean {
  const threshold = hyper.stakeThreshold ?? 0n;
  const owner = path === 'sparse' ? input.ownerUid : undefined;
  const filtered = Array.from(input.stake, (s, i) => (i === owner || s >= threshold ? s : 0n));
  const total = filtered.reduce((a, b) => a + b, 0n);
  if (total === 0n) return true;
  const weights = filtered.map((s) => (s << 32n) / total).filter((w) => w > 0n);
  return new Set(weights).size === weights.length;
}

describe('float mode vs fixed mode', () => {
  it('u16 outputs within 2 steps, emissions within raoEmission / 20000 + 1 rao, identical activity, identical permits where no two stakes share an I32F32 weight (random subnets, stakes ≥ 2^-20 of the total, no median-tie flavour)', () => {
    fc.assert(
      fc.property(arbEpochInput({ maxN: 16, flavours }), arbHyperparams(), fc.constantFrom('sparse', 'dense'), (input, hyper, path) => {
        fc.pre(resolvable(input.stake));
        const fx = engine.epoch(input, hyper, { mode: 'fixed', path });
        const fl = engine.epoch(input, hyper, { mode: 'float', path });
        for (const f of U16_FIELDS) {
          for (let i = 0; i < input.n; i++) expect(Math.abs(fx[f][i] - fl[f][i]), `${f}[${i}]`).toBeLessThanOrEqual(2);
        }
        expect(fl.active).toEqual(fx.active);
        if (distinctFixedStakeWeights(input, hyper, path)) expect(fl.validatorPermit).toEqual(fx.validatorPermit);
        const rao = Number(input.raoEmission);
        for (let i = 0; i < input.n; i++) {
          expect(Math.abs(Number(fx.serverEmission[i] - fl.serverEmission[i]))).toBeLessThanOrEqual(rao / 20000 + 1);
          expect(Math.abs(Number(fx.validatorEmission[i] - fl.validatorEmission[i]))).toBeLessThanOrEqual(rao / 20000 + 1);
        }
      }),
      { numRuns: 300 },
    );
  });
});
