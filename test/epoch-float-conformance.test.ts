import { describe, expect, it } from 'vitest';
import { prepareEpoch } from '../src/epoch/prepare.js';
import { referenceEpoch } from '../src/reference/float/epoch.js';
import { kernelVsReference } from './helpers/epoch-float-compare.js';
import { FloatKernel } from './helpers/epoch-float-harness.js';
import { loadConformance } from './helpers/conformance.js';

const U16_FIELDS = ['stakeWeight', 'consensus', 'incentive', 'dividends', 'validatorTrust'] as const;

const kernel = new FloatKernel();

describe('Wasm float kernel on chain-computed epochs', () => {
  for (const path of ['sparse', 'dense'] as const) {
    it(`${path}: all 120 narrow-set epochs within float tolerance of the chain and equal to the reference`, () => {
      const worst: Record<string, number> = { bonds: 0, emission: 0 };
      const failures: string[] = [];
      const cases = loadConformance(path);
      // an empty or truncated fixture must fail here, not pass with nothing compared
      expect(cases.length).toBe(120);
      for (const c of cases) {
        const p = prepareEpoch(c.input, c.hyper, { mode: 'float', path });
        const k = kernel.run(p);
        const diffs = kernelVsReference(p, k, referenceEpoch(p));
        if (diffs.length) failures.push(`case ${c.id} vs reference: ${diffs.slice(0, 5).join('; ')}`);
        const n = p.n;
        for (const f of U16_FIELDS) {
          for (let i = 0; i < n; i++) {
            const d = Math.abs(k[f][i] - c.expected[f][i]);
            worst[f] = Math.max(worst[f] ?? 0, d);
            if (d > 2) failures.push(`case ${c.id} ${f}[${i}] ${k[f][i]} vs chain ${c.expected[f][i]}`);
          }
        }
        for (let i = 0; i < n; i++) {
          if (!!k.active[i] !== c.expected.active[i] || !!k.validatorPermit[i] !== c.expected.validatorPermit[i]) {
            failures.push(`case ${c.id} active/permit[${i}]`);
          }
          for (let j = 0; j < n; j++) {
            const d = Math.abs(k.bonds[i * n + j] - c.expected.bonds[i][j]);
            worst.bonds = Math.max(worst.bonds, d);
            if (d > 2) failures.push(`case ${c.id} bonds[${i}][${j}]`);
          }
        }
        const tol = p.raoEmission / 20000n;
        for (const [got, want] of [[k.serverEmission, c.expected.serverEmission], [k.validatorEmission, c.expected.validatorEmission]] as const) {
          for (let i = 0; i < n; i++) {
            const d = got[i] > want[i] ? got[i] - want[i] : want[i] - got[i];
            worst.emission = Math.max(worst.emission, Number(d) / Math.max(1, Number(p.raoEmission)));
            if (d > tol) failures.push(`case ${c.id} emission[${i}] ${got[i]} vs chain ${want[i]}`);
          }
        }
      }
      console.log(`[kernel ${path}] max deviation from chain: ${JSON.stringify(worst)}`);
      expect(failures.slice(0, 20)).toEqual([]);
    });
  }
});
