import { describe, expect, it } from 'vitest';
import { prepareEpoch } from '../src/epoch/prepare.js';
import { referenceEpoch } from '../src/reference/float/epoch.js';
import { loadConformance } from './helpers/conformance.js';

const U16_FIELDS = ['stakeWeight', 'consensus', 'incentive', 'dividends', 'validatorTrust'] as const;

function deviations(path: 'sparse' | 'dense') {
  const worst: Record<string, number> = { bonds: 0, emission: 0 };
  for (const f of U16_FIELDS) worst[f] = 0;
  const failures: string[] = [];
  let cases = 0;
  for (const c of loadConformance(path)) {
    cases++;
    const p = prepareEpoch(c.input, c.hyper, { mode: 'float', path });
    const r = referenceEpoch(p);
    const n = p.n;
    for (const f of U16_FIELDS) {
      for (let i = 0; i < n; i++) {
        const d = Math.abs(r[f][i] - c.expected[f][i]);
        worst[f] = Math.max(worst[f], d);
        if (d > 2) failures.push(`case ${c.id} ${f}[${i}]: ${r[f][i]} vs ${c.expected[f][i]}`);
      }
    }
    for (let i = 0; i < n; i++) {
      if (!!r.active[i] !== c.expected.active[i]) failures.push(`case ${c.id} active[${i}]`);
      if (!!r.validatorPermit[i] !== c.expected.validatorPermit[i]) failures.push(`case ${c.id} permit[${i}]`);
      for (let j = 0; j < n; j++) {
        const d = Math.abs(r.bonds[i * n + j] - c.expected.bonds[i][j]);
        worst.bonds = Math.max(worst.bonds, d);
        if (d > 2) failures.push(`case ${c.id} bonds[${i}][${j}]: ${r.bonds[i * n + j]} vs ${c.expected.bonds[i][j]}`);
      }
    }
    const tol = p.raoEmission / 20000n;
    for (const [got, want] of [[r.serverEmission, c.expected.serverEmission], [r.validatorEmission, c.expected.validatorEmission]] as const) {
      for (let i = 0; i < n; i++) {
        const d = got[i] > want[i] ? got[i] - want[i] : want[i] - got[i];
        worst.emission = Math.max(worst.emission, Number(d) / Math.max(1, Number(p.raoEmission)));
        if (d > tol) failures.push(`case ${c.id} emission[${i}]: ${got[i]} vs ${want[i]}`);
      }
    }
  }
  return { worst, failures, cases };
}

describe('float reference epoch vs chain-computed epochs', () => {
  for (const path of ['sparse', 'dense'] as const) {
    it(`${path}: 120 cases within float tolerance`, () => {
      const { worst, failures, cases } = deviations(path);
      expect(cases).toBe(120);
      console.log(`[reference ${path}] max deviation: ${JSON.stringify(worst)}`);
      expect(failures.slice(0, 20)).toEqual([]);
    });
  }
});
