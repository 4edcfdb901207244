/**
 * The chain epoch fixtures run the way an outside harness runs them: every `chain-<path>-<set>.jsonl.gz` in
 * test/fixtures (found by listing the folder, so another file of the same format is run too), each line read with
 * plain `JSON.parse`, handed to the public `createEngineSync().epoch(input, hyper, { mode, path })` as the file
 * spells it (dense rows, decimal strings, block numbers as JSON numbers) and in the typed spellings of the API
 * contract (`bigint[]` stake, `Uint16Array` n·n matrices, bigint amounts), and compared with the chain's outputs by
 * the fixtures' own contract (test/fixtures/README.md): fixed mode every field exact; float mode `active` and
 * `validatorPermit` identical, u16 fields and stored bonds within 2 steps, emissions within `raoEmission / 20000`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { createEngineSync, RAO, type EpochOutput } from '../src/index.js';
import { toBlock } from '../src/validation/values.js';
import { U64_MAX } from '../src/units.js';
import { yumaCode } from './helpers/errors.js';

const FIXTURES = new URL('./fixtures/', import.meta.url);
const FILE = /^chain-(sparse|dense)-([\w-]+)\.jsonl\.gz$/;
const files = readdirSync(FIXTURES).filter((f) => FILE.test(f)).sort();

interface RawCase {
  case: number;
  hyper: Record<string, unknown> & { stakeThreshold: string };
  input: Record<string, unknown> & { n: number; stake: string[]; weights: number[][]; bonds: number[][]; raoEmission: string; lastUpdate: number[] };
  output: {
    stakeWeight: number[]; consensus: number[]; incentive: number[]; dividends: number[]; validatorTrust: number[];
    active: boolean[]; validatorPermit: boolean[]; bonds: number[][]; serverEmission: string[]; validatorEmission: string[];
  };
}

const parsed = new Map<string, RawCase[]>();
const read = (file: string): RawCase[] => {
  let cases = parsed.get(file);
  if (!cases) {
    cases = gunzipSync(readFileSync(new URL(file, FIXTURES))).toString('utf8').split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as RawCase);
    parsed.set(file, cases);
  }
  return cases;
};

const flat = (rows: number[][], n: number) => {
  const m = new Uint16Array(n * n);
  rows.forEach((r, i) => m.set(r, i * n));
  return m;
};

/** The same epoch in the API contract's typed spellings. */
const typed = (c: RawCase) => ({
  input: {
    ...c.input,
    stake: c.input.stake.map(BigInt),
    weights: flat(c.input.weights, c.input.n),
    bonds: flat(c.input.bonds, c.input.n),
    raoEmission: BigInt(c.input.raoEmission),
  },
  hyper: { ...c.hyper, stakeThreshold: BigInt(c.hyper.stakeThreshold) },
});

const U16 = ['stakeWeight', 'consensus', 'incentive', 'dividends', 'validatorTrust'] as const;

/** Every departure from the fixtures' contract, as readable strings; also the output types the contract names. */
function departures(c: RawCase, out: EpochOutput, mode: 'fixed' | 'float'): string[] {
  const bad: string[] = [];
  const n = c.input.n;
  const e = c.output;
  const steps = mode === 'fixed' ? 0 : 2;
  const rao = mode === 'fixed' ? 0n : BigInt(c.input.raoEmission) / 20000n;
  for (const f of U16) {
    if (!(out[f] instanceof Uint16Array)) bad.push(`${f} is not a Uint16Array`);
    for (let i = 0; i < n; i++) if (Math.abs(out[f][i] - e[f][i]) > steps) bad.push(`${f}[${i}] ${out[f][i]} vs chain ${e[f][i]}`);
  }
  for (const f of ['active', 'validatorPermit'] as const) {
    if (!Array.isArray(out[f]) || out[f].some((x) => typeof x !== 'boolean')) bad.push(`${f} is not a boolean[]`);
    for (let i = 0; i < n; i++) if (out[f][i] !== e[f][i]) bad.push(`${f}[${i}] ${out[f][i]} vs chain ${e[f][i]}`);
  }
  const bonds = out.bonds;
  if (!(bonds instanceof Uint16Array) || bonds.length !== n * n) bad.push('bonds are not the dense n·n layout they were given in');
  else for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) if (Math.abs(bonds[i * n + j] - e.bonds[i][j]) > steps) bad.push(`bonds[${i}][${j}] ${bonds[i * n + j]} vs chain ${e.bonds[i][j]}`);
  for (const f of ['serverEmission', 'validatorEmission'] as const) {
    for (let i = 0; i < n; i++) {
      if (typeof out[f][i] !== 'bigint') bad.push(`${f}[${i}] is not a bigint`);
      const d = out[f][i] - BigInt(e[f][i]);
      if ((d < 0n ? -d : d) > rao) bad.push(`${f}[${i}] ${out[f][i]} vs chain ${e[f][i]}`);
    }
  }
  for (const f of ['consensus', 'incentive', 'dividends', 'rank', 'trust', 'validatorTrust'] as const) if (!(out.float[f] instanceof Float64Array)) bad.push(`float.${f} is not a Float64Array`);
  return bad;
}

describe('chain epoch fixtures through the public API, read as an outside harness reads them', () => {
  const engine = createEngineSync();

  it('finds the narrow and wide sets of both paths by listing test/fixtures', () => {
    for (const f of ['chain-sparse-epochs.jsonl.gz', 'chain-dense-epochs.jsonl.gz', 'chain-sparse-wide.jsonl.gz', 'chain-dense-wide.jsonl.gz']) expect(files).toContain(f);
  });

  describe.each(files)('%s', (file) => {
    const path = FILE.exec(file)![1] as 'sparse' | 'dense';
    const cases = read(file);
    for (const mode of ['fixed', 'float'] as const) {
      it(`every epoch, ${mode} mode, as the file spells it and in the API's typed spellings: ${mode === 'fixed' ? 'every field exact' : 'discrete outputs identical, u16 within 2 steps, emissions within raoEmission / 20000'}`, () => {
        const bad: string[] = [];
        expect(cases.length, `${file} holds epochs`).toBeGreaterThan(0);
        for (const c of cases) {
          const t = typed(c);
          for (const [label, input, hyper] of [['as in the file', c.input, c.hyper], ['typed', t.input, t.hyper]] as const) {
            const out = engine.epoch(input as never, hyper as never, { mode, path });
            for (const d of departures(c, out, mode).slice(0, 3)) bad.push(`case ${c.case} (${label}): ${d}`);
          }
        }
        expect(bad.slice(0, 20)).toEqual([]);
      });
    }
  });
});

describe('block numbers that JSON.parse rounded', () => {
  it('the fixtures hold last-update blocks near u64::MAX that reach the engine as the number 2^64', () => {
    const rounded = files.flatMap(read).filter((c) => c.input.lastUpdate.some((b) => !Number.isSafeInteger(b)));
    expect(rounded.length).toBeGreaterThan(0);
    expect(rounded.every((c) => c.input.lastUpdate.every((b) => Number.isSafeInteger(b) || b === 2 ** 64))).toBe(true);
  });

  it('a block given as a number from 2^53 to 2^64 is read as its value, 2^64 as u64::MAX; beyond is E_RANGE; rao amounts stay strict', () => {
    expect(toBlock(2 ** 64, 'b')).toBe(U64_MAX);
    expect(toBlock(2 ** 60 + 2 ** 20, 'b')).toBe(2n ** 60n + 2n ** 20n);
    expect(toBlock(2 ** 53, 'b')).toBe(2n ** 53n);
    expect(toBlock('18446744073709551615', 'b')).toBe(U64_MAX);
    expect(yumaCode(() => toBlock(2 ** 64 + 4096, 'b'))).toBe('E_RANGE');
    expect(yumaCode(() => toBlock(1e300, 'b'))).toBe('E_RANGE');
    expect(yumaCode(() => toBlock(-1, 'b'))).toBe('E_RANGE');
    expect(yumaCode(() => toBlock(0.5, 'b'))).toBe('E_RANGE');
    const engine = createEngineSync();
    const input = {
      n: 2, currentBlock: 100, tempo: 360, lastStepBlock: 0, stake: [RAO, 0n], weights: [[[1, 65535]], []] as Array<Array<[number, number]>>, bonds: [[], []],
      lastUpdate: [2 ** 64, 99], blockAtRegistration: [1, 1], validatorPermit: [true, false], raoEmission: RAO,
    };
    // u64::MAX as a bigint and 2^64 as a number give the same epoch (UID 0 active, paid as the only validator)
    const exact = engine.epoch({ ...input, lastUpdate: [U64_MAX, 99n] });
    const rounded = engine.epoch(input);
    expect(rounded.active).toEqual([true, true]);
    expect(rounded.validatorEmission).toEqual(exact.validatorEmission);
    expect(Array.from(rounded.incentive)).toEqual([0, 65535]);
    expect(yumaCode(() => engine.epoch({ ...input, stake: [2 ** 53, 0] }))).toBe('E_RANGE');
    expect(yumaCode(() => engine.epoch({ ...input, raoEmission: 2 ** 64 as never }))).toBe('E_RANGE');
  });
});
