import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createEngineSync } from '../src/engine.js';
import { arbEpochInput, arbHyperparams } from '../src/testing/index.js';

const engine = createEngineSync();
const U16_FIELDS = ['stakeWeight', 'consensus', 'incentive', 'dividends', 'validatorTrust'] as const;

// Float mode stays within 2 u16 steps of the chain-exact fixed mode on random subnets, every flavour included
// ('ties' builds exact stake ties at the median's majority boundary; float mode decides the median on the chain's
// integer stakes, so it lands on the chain's side), and takes the same discrete decisions. Alpha low stays within
// the chain's own limit (≥ 1638): below it liquid alpha's EMA can be a few ulps, where f64 `exp` and the chain's
// fixed-point `exp` may floor apart.
const chainHyper = arbHyperparams().map((h) => ({ ...h, alphaLow: Math.max(1638, h.alphaLow), alphaHigh: Math.max(1638, h.alphaHigh) }));
describe('float mode vs fixed mode', () => {
  it('u16 outputs within 2 steps, emissions within raoEmission / 20000 + 1 rao, identical activity and permits (random subnets of every flavour, median ties and tiny stakes included)', () => {
    fc.assert(
      fc.property(arbEpochInput({ maxN: 16 }), chainHyper, fc.constantFrom('sparse', 'dense'), (input, hyper, path) => {
        const fx = engine.epoch(input, hyper, { mode: 'fixed', path });
        const fl = engine.epoch(input, hyper, { mode: 'float', path });
        for (const f of U16_FIELDS) {
          for (let i = 0; i < input.n; i++) expect(Math.abs(fx[f][i] - fl[f][i]), `${f}[${i}]`).toBeLessThanOrEqual(2);
        }
        expect(fl.active).toEqual(fx.active);
        expect(fl.validatorPermit).toEqual(fx.validatorPermit);
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
