import { readdirSync, readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import type { RawEpochResult } from '../../src/epoch/result.js';
import type { EpochInput, Hyperparams } from '../../src/epoch/types.js';
import type { EpochVectorsJSON } from '../../src/epoch/json.js';
import { parseExactJson } from './json.js';

/**
 * `epochs`: the 120 epochs per path over the usual hyper-parameters; `wide`: 100 per path over their whole ranges;
 * any other `chain-<path>-<set>.jsonl.gz` put in test/fixtures is a set of the same format.
 */
export type ConformanceSet = 'epochs' | 'wide' | (string & {});

const FIXTURE = /^chain-(sparse|dense)-([\w-]+)\.jsonl\.gz$/;

/**
 * Every chain epoch fixture file in test/fixtures, found by listing the folder (so a file of the same format added
 * there is run by every suite that iterates these), in name order.
 */
export function conformanceFiles(): Array<{ path: 'sparse' | 'dense'; set: ConformanceSet }> {
  return readdirSync(fileURLToPath(new URL('../fixtures/', import.meta.url)))
    .sort()
    .flatMap((f) => {
      const m = FIXTURE.exec(f);
      return m ? [{ path: m[1] as 'sparse' | 'dense', set: m[2] }] : [];
    });
}

/** The number of JSON lines in a fixture file: what its loader must return. */
export function conformanceLines(path: 'sparse' | 'dense', set: ConformanceSet): number {
  const file = fileURLToPath(new URL(`../fixtures/chain-${path}-${set}.jsonl.gz`, import.meta.url));
  return gunzipSync(readFileSync(file)).toString('utf8').split('\n').filter((l) => l.trim() !== '').length;
}

/**
 * One chain-computed epoch from test/fixtures/chain-{sparse,dense}-{epochs,wide}.jsonl.gz (provenance and format:
 * test/fixtures/README.md).
 */
export interface ConformanceCase {
  id: number;
  path: 'sparse' | 'dense';
  set: ConformanceSet;
  hyper: Hyperparams;
  input: EpochInput;
  expected: EpochVectorsJSON & {
    bonds: number[][];
    serverEmission: bigint[];
    validatorEmission: bigint[];
  };
}

const cache = new Map<string, ConformanceCase[]>();

export function loadConformance(path: 'sparse' | 'dense', set: ConformanceSet = 'epochs'): ConformanceCase[] {
  const key = `${path}-${set}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const file = fileURLToPath(new URL(`../fixtures/chain-${key}.jsonl.gz`, import.meta.url));
  const lines = gunzipSync(readFileSync(file)).toString('utf8').split('\n').filter((l) => l.trim() !== '');
  const cases = lines.map((line) => {
    // Block numbers near u64::MAX (they exercise the saturating activity test) do not survive JSON.parse as
    // numbers: they arrive as strings, and block fields are read as bigint.
    const raw = parseExactJson(line);
    const u64 = (v: string | number) => BigInt(v);
    const n: number = raw.input.n;
    const dense = (rows: number[][]) => {
      const m = new Uint16Array(n * n);
      rows.forEach((row, i) => m.set(row, i * n));
      return m;
    };
    const input: EpochInput = {
      n,
      currentBlock: u64(raw.input.currentBlock),
      tempo: raw.input.tempo,
      lastStepBlock: u64(raw.input.lastStepBlock),
      stake: raw.input.stake.map((s: string) => BigInt(s)),
      weights: dense(raw.input.weights),
      bonds: dense(raw.input.bonds),
      lastUpdate: raw.input.lastUpdate.map(u64),
      blockAtRegistration: raw.input.blockAtRegistration.map(u64),
      validatorPermit: raw.input.validatorPermit,
      raoEmission: BigInt(raw.input.raoEmission),
      ...(raw.input.ownerUid !== undefined && raw.input.ownerUid !== null ? { ownerUid: raw.input.ownerUid } : {}),
      // present = commit-reveal on; per UID the earliest active commit block, null for none
      ...(Array.isArray(raw.input.commitBlocks)
        ? { commitBlocks: raw.input.commitBlocks.map((b: string | number | null) => (b === null ? null : u64(b))) }
        : {}),
    };
    const hyper: Hyperparams = { ...raw.hyper, stakeThreshold: BigInt(raw.hyper.stakeThreshold) };
    const o = raw.output;
    return {
      id: raw.case,
      path,
      set,
      hyper,
      input,
      expected: {
        ...o,
        serverEmission: o.serverEmission.map((s: string) => BigInt(s)),
        validatorEmission: o.validatorEmission.map((s: string) => BigInt(s)),
      },
    } satisfies ConformanceCase;
  });
  cache.set(key, cases);
  return cases;
}

/** The chain's stored outputs of a raw result, in the fixtures' `expected` shape (bonds as n rows of n). */
export function chainOutputs(r: RawEpochResult, n: number): ConformanceCase['expected'] {
  return {
    stakeWeight: Array.from(r.stakeWeight),
    consensus: Array.from(r.consensus),
    incentive: Array.from(r.incentive),
    dividends: Array.from(r.dividends),
    validatorTrust: Array.from(r.validatorTrust),
    active: Array.from(r.active, (x) => x !== 0),
    validatorPermit: Array.from(r.validatorPermit, (x) => x !== 0),
    bonds: Array.from({ length: n }, (_, i) => Array.from(r.bonds.subarray(i * n, (i + 1) * n))),
    serverEmission: Array.from(r.serverEmission),
    validatorEmission: Array.from(r.validatorEmission),
  };
}

/** Every field of a fixed-mode result against the chain's, as plain arrays so a diff shows the UID. */
export function expectChainExact(c: ConformanceCase, r: RawEpochResult): void {
  const got = chainOutputs(r, c.input.n);
  const e = c.expected;
  const want = {
    stakeWeight: e.stakeWeight,
    consensus: e.consensus,
    incentive: e.incentive,
    dividends: e.dividends,
    validatorTrust: e.validatorTrust,
    active: e.active,
    validatorPermit: e.validatorPermit,
    bonds: e.bonds,
    serverEmission: e.serverEmission,
    validatorEmission: e.validatorEmission,
  };
  // JSON of both is a cheap exact comparison; only a mismatch pays for vitest's readable deep diff
  const json = (x: unknown) => JSON.stringify(x, (_k, v) => (typeof v === 'bigint' ? v.toString() : v));
  const [g, w] = [json(got), json(want)];
  if (g !== w) expect(got, `${c.set} case ${c.id} (${c.path})`).toEqual(want);
  expect(g, `${c.set} case ${c.id} (${c.path})`).toBe(w);
}
