/**
 * What float mode promises against the chain, on every chain-computed epoch in test/fixtures (each
 * chain-<path>-<set>.jsonl.gz found by listing the folder: the 120 + 120 around the defaults, the 100 + 100 over the
 * whole hyper-parameter range; test/fixtures/README.md), for the shipped Wasm float kernel
 * (build/release.wasm through the engine) and the f64 reference:
 * - every discrete output is the chain's: `active`, `validatorPermit`;
 * - the outputs float mode derives from the chain's own fixed-point values are the chain's exactly: `stakeWeight`,
 *   `consensus`, `validatorTrust`;
 * - `incentive`, `dividends` and the stored bonds within 2 u16 steps; emissions within `raoEmission / 20000`;
 * - and the kernel agrees with the reference (bit for bit, except where liquid alpha's `exp` may differ by an ulp).
 */
import { describe, expect, it } from 'vitest';
import { createEngineSync } from '../src/engine.js';
import { prepareEpoch } from '../src/epoch/prepare.js';
import type { RawEpochResult } from '../src/epoch/result.js';
import { referenceEpoch } from '../src/reference/float/epoch.js';
import { kernelVsReference } from './helpers/epoch-float-compare.js';
import { conformanceFiles, conformanceLines, loadConformance, type ConformanceCase } from './helpers/conformance.js';

const EXACT_U16 = ['stakeWeight', 'consensus', 'validatorTrust'] as const;
const NEAR_U16 = ['incentive', 'dividends'] as const;
const U16_STEPS = 2;

/** Every departure from the float-mode contract, as readable strings (empty when the result keeps it). */
function departures(c: ConformanceCase, r: RawEpochResult): string[] {
  const out: string[] = [];
  const n = c.input.n;
  const e = c.expected;
  for (let i = 0; i < n; i++) {
    if ((r.active[i] !== 0) !== e.active[i]) out.push(`active[${i}]`);
    if ((r.validatorPermit[i] !== 0) !== e.validatorPermit[i]) out.push(`validatorPermit[${i}]`);
    for (const f of EXACT_U16) if (r[f][i] !== e[f][i]) out.push(`${f}[${i}] ${r[f][i]} vs chain ${e[f][i]}`);
    for (const f of NEAR_U16) if (Math.abs(r[f][i] - e[f][i]) > U16_STEPS) out.push(`${f}[${i}] ${r[f][i]} vs chain ${e[f][i]}`);
    for (let j = 0; j < n; j++) {
      if (Math.abs(r.bonds[i * n + j] - e.bonds[i][j]) > U16_STEPS) out.push(`bonds[${i}][${j}] ${r.bonds[i * n + j]} vs chain ${e.bonds[i][j]}`);
    }
  }
  const tol = c.input.raoEmission / 20000n;
  for (const f of ['serverEmission', 'validatorEmission'] as const) {
    for (let i = 0; i < n; i++) {
      const d = r[f][i] > e[f][i] ? r[f][i] - e[f][i] : e[f][i] - r[f][i];
      if (d > tol) out.push(`${f}[${i}] ${r[f][i]} vs chain ${e[f][i]}`);
    }
  }
  return out;
}

describe('float mode on the chain epochs: coverage', () => {
  it("runs the four chain fixture files the README counts (120 + 120 around the defaults, 100 + 100 wide: 440 epochs), and any other file of their format", () => {
    const files = conformanceFiles();
    const named = ['sparse epochs', 'dense epochs', 'sparse wide', 'dense wide'];
    expect(files.map((f) => `${f.path} ${f.set}`)).toEqual(expect.arrayContaining(named));
    const counts = named.map((k) => {
      const [path, set] = k.split(' ') as ['sparse' | 'dense', string];
      return loadConformance(path, set).length;
    });
    expect(counts).toEqual([120, 120, 100, 100]);
  });
});

describe.each(conformanceFiles().map(({ path, set }) => [set, path] as const))('float mode on the %s chain epochs, %s path', (set, path) => {
  const cases = loadConformance(path, set);
  const engine = createEngineSync();

  it('reads every epoch of the file', () => {
    expect(cases.length).toBe(conformanceLines(path, set));
    expect(cases.length).toBeGreaterThan(0);
  });

  it.each(cases.map((c) => [c.id, c] as const))(
    'case %i: kernel and reference take the chain\'s discrete decisions, match stake weight, consensus and validator trust exactly, the rest within 2 steps and rao/20000',
    (_id, c) => {
      const p = prepareEpoch(c.input, c.hyper, { mode: 'float', path });
      const kernel = engine.runPrepared([p])[0];
      const reference = referenceEpoch(p);
      expect(departures(c, kernel), 'Wasm float kernel').toEqual([]);
      expect(departures(c, reference), 'f64 reference').toEqual([]);
      expect(kernelVsReference(p, kernel, reference).slice(0, 10), 'kernel vs reference').toEqual([]);
    },
  );
});
