/**
 * The README's "Limits and bad input" table, checked against the constants the library enforces, and each limit
 * enforced at its stated value (one over it is E_LIMIT) where that is cheap to show.
 */
import { readFileSync } from 'node:fs';
import { createEngineSync } from '../src/engine.js';
import type { EpochInput, SparseRow } from '../src/epoch/types.js';
import { Subnet } from '../src/subnet/index.js';
import { conformanceFiles, loadConformance, type ConformanceCase } from './helpers/conformance.js';
import { describe, expect, it } from 'vitest';
import { MAX_RUN_BLOCKS } from '../src/chain/index.js';
import { MAX_INPUT_FILE_BYTES } from '../src/cli/files.js';
import { MAX_JSON_ITEMS, fromJSON, toJSON } from '../src/epoch/json.js';
import { SubnetEconomy, splitBlockEmission } from '../src/dtao/coinbase.js';
import { splitProRata } from '../src/dtao/payout.js';
import { emissionShares } from '../src/dtao/shares.js';
import { Pool } from '../src/dtao/pool.js';
import { RAO } from '../src/units.js';
import { MAX_BATCH, MAX_BATCH_CELLS, MAX_MECHANISMS, MAX_NOMINATORS, MAX_SUBNETS, MAX_UIDS } from '../src/epoch/limits.js';
import { MAX_NETWORK_BYTES, MAX_REPORT_POINTS, resolveOptions } from '../src/sim/config.js';
import { Network } from '../src/sim/network.js';
import { MAX_RESIDENT_BYTES, residentBytes, residentSlots } from '../src/wasm/resident.js';
import { yumaCode } from './helpers/errors.js';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const section = readme.slice(readme.indexOf('### Limits and bad input'), readme.indexOf('\n## ', readme.indexOf('### Limits and bad input')));
const row = (what: string): string => {
  const line = section.split('\n').find((l) => l.startsWith(`| ${what}`));
  if (!line) throw new Error(`no README limits row for ${what}`);
  return line;
};

describe('README limits', () => {
  it('each row states the value of the constant that enforces it', () => {
    expect([MAX_UIDS, MAX_BATCH, MAX_BATCH_CELLS, MAX_MECHANISMS, MAX_SUBNETS, MAX_NOMINATORS]).toEqual([4096, 4096, 2 ** 28, 16, 4096, 2 ** 20]);
    expect(row('UIDs per subnet')).toContain(`| ${MAX_UIDS} |`);
    expect(row('epochs in one')).toContain(`| ${MAX_BATCH}, and Σ n² ≤ 2^28 matrix cells`);
    expect(row('mechanisms per subnet')).toContain(`| ${MAX_MECHANISMS} |`);
    expect(row('subnets in a per-subnet list')).toContain(`| ${MAX_SUBNETS} |`);
    expect(row('nominator stakes')).toContain('| 2^20 |');
    expect(MAX_NETWORK_BYTES).toBe(2 * 2 ** 30);
    expect(row('`Network` |')).toContain('1024 subnets, and an estimated 2 GiB of memory');
    expect(MAX_REPORT_POINTS).toBe(2 ** 21);
    expect(row("a `Network` run's report")).toContain('2^21 points');
    expect(MAX_RESIDENT_BYTES).toBe(3 * 2 ** 30);
    expect(residentBytes(residentSlots(100, 4096))).toBe(6 * 128 * 128 + 64);
    expect(row('epoch state kept in Wasm memory')).toContain('6·c² bytes per mechanism, c = n rounded up to a power of two (at least 64)');
    expect(row('epoch state kept in Wasm memory')).toContain('more than 3 GiB is refused when it is built');
    expect(MAX_RUN_BLOCKS).toBe(216_000);
    expect(row('`Chain.run`')).toContain('216 000 blocks');
    expect(MAX_INPUT_FILE_BYTES).toBe(256 * 2 ** 20);
    expect(row('CLI input files')).toContain('256 MiB');
    expect(MAX_JSON_ITEMS).toBe(2 ** 24);
    expect(row('`toJSON` / `fromJSON` arrays')).toContain('2^24 entries');
  });

  it('the Network subnet count stops at 1024 and its UIDs per subnet at 4096 (new Network with subnets: 1025 or uidsPerSubnet: 4097 is E_RANGE), and sizes past the memory estimate are E_LIMIT', () => {
    expect(resolveOptions({ subnets: 1024, uidsPerSubnet: 2, validatorsPerSubnet: 1 }).subnets).toBe(1024);
    expect(yumaCode(() => resolveOptions({ subnets: 1025 }))).toBe('E_RANGE');
    expect(resolveOptions({ subnets: 1, uidsPerSubnet: 4096, validatorsPerSubnet: 1 }).uidsPerSubnet).toBe(4096);
    const engine = createEngineSync();
    expect(yumaCode(() => new Network({ engine, subnets: 1025 }))).toBe('E_RANGE');
    expect(yumaCode(() => new Network({ engine, subnets: 1, uidsPerSubnet: 4097 }))).toBe('E_RANGE');
    expect(yumaCode(() => resolveOptions({ subnets: 1024, uidsPerSubnet: 4096 }))).toBe('E_LIMIT');
    // resident state: 30 subnets of 4096 UIDs take 30 × 96 MiB of Wasm memory (fits), 33 take more than 3 GiB
    expect(resolveOptions({ subnets: 30, uidsPerSubnet: 4096, validatorsPerSubnet: 1 }).subnets).toBe(30);
    expect(yumaCode(() => resolveOptions({ subnets: 33, uidsPerSubnet: 4096, validatorsPerSubnet: 1 }))).toBe('E_LIMIT');
  });
});

describe('README limits: a subnet of 4096 UIDs', () => {
  /** The case's subnet with UIDs up to 4096 added that hold no stake, weights, bonds or permit. */
  function padded(c: ConformanceCase, size: number): EpochInput {
    const { n } = c.input;
    const w = c.input.weights as Uint16Array;
    const b = c.input.bonds as Uint16Array;
    const rows = (m: Uint16Array): SparseRow[] =>
      Array.from({ length: size }, (_, i) => (i < n ? Array.from(m.subarray(i * n, (i + 1) * n)).flatMap((v, j) => (v === 0 ? [] : [[j, v] as [number, number]])) : []));
    const pad = <T>(v: readonly T[], fill: T): T[] => [...v, ...new Array<T>(size - n).fill(fill)];
    return {
      ...c.input,
      n: size,
      stake: pad(c.input.stake as bigint[], 0n),
      weights: rows(w),
      bonds: rows(b),
      lastUpdate: pad(c.input.lastUpdate as bigint[], 0n),
      blockAtRegistration: pad(c.input.blockAtRegistration as bigint[], 0n),
      validatorPermit: pad(c.input.validatorPermit, false),
      ...(c.input.commitBlocks ? { commitBlocks: pad(c.input.commitBlocks, null) } : {}),
    };
  }

  // Per chain path, the largest fixture epoch that pays incentive and dividends and has at least as many staked
  // UIDs as validator permits (so no unstaked UID added here can take one).
  const cases = (['sparse', 'dense'] as const).map((path) => {
    const pick = conformanceFiles()
      .filter((f) => f.path === path)
      .flatMap(({ set }) => loadConformance(path, set))
      .filter((c) => (c.input.stake as bigint[]).filter((x) => x > 0n).length >= c.hyper.maxAllowedValidators)
      .filter((c) => c.expected.incentive.some((x) => x > 0) && c.expected.dividends.some((x) => x > 0))
      .sort((a, b) => b.input.n - a.input.n)[0];
    return [`${path} ${pick.set} case ${pick.id} (n = ${pick.input.n})`, pick] as const;
  });
  const engine = createEngineSync();

  it.each(cases)("%s padded to 4096 UIDs: fixed mode gives the chain's outputs on its own UIDs and nothing to the rest; float keeps the fixtures' contract; 4097 is E_LIMIT", (_label, c) => {
    const { n } = c.input;
    const input = padded(c, 4096);
    const bad: string[] = [];
    for (const mode of ['fixed', 'float'] as const) {
      const out = engine.epoch(input, c.hyper, { mode, path: c.path });
      const steps = mode === 'fixed' ? 0 : 2;
      const rao = mode === 'fixed' ? 0n : c.input.raoEmission / 20000n;
      for (const f of ['stakeWeight', 'consensus', 'incentive', 'dividends', 'validatorTrust'] as const) {
        out[f].forEach((v, i) => {
          if (i < n ? Math.abs(v - c.expected[f][i]) > steps : v !== 0) bad.push(`${mode} ${f}[${i}] ${v}`);
        });
      }
      for (const f of ['validatorPermit', 'active'] as const) out[f].slice(0, n).forEach((v, i) => v !== c.expected[f][i] && bad.push(`${mode} ${f}[${i}]`));
      if (out.validatorPermit.slice(n).some(Boolean)) bad.push(`${mode} a permit for an added UID`);
      (out.bonds as SparseRow[]).forEach((row, i) => {
        const want = i < n ? c.expected.bonds[i] : [];
        const got = new Map(row.filter(([, v]) => v !== 0));
        for (const [j, v] of got) if (j >= n || i >= n) bad.push(`${mode} bond ${i}→${j} ${v}`);
        want.forEach((v, j) => Math.abs((got.get(j) ?? 0) - v) > steps && bad.push(`${mode} bonds[${i}][${j}] ${got.get(j) ?? 0} vs ${v}`));
      });
      for (const f of ['serverEmission', 'validatorEmission'] as const) {
        out[f].forEach((v, i) => {
          const d = i < n ? v - c.expected[f][i] : v;
          if ((d < 0n ? -d : d) > (i < n ? rao : 0n)) bad.push(`${mode} ${f}[${i}] ${v}`);
        });
      }
    }
    expect(bad.slice(0, 10)).toEqual([]);
    expect(yumaCode(() => engine.epoch(padded(c, 4097), c.hyper, { path: c.path }))).toBe('E_LIMIT');
  });

  it('a Subnet holds 4096 UIDs; 4097 is refused (E_RANGE, as an option out of its range)', () => {
    const s = new Subnet({ engine, n: 4096, tempo: 1 });
    for (let i = 0; i < 4096; i++) s.register(`hk${i}`);
    expect(s.incentive()).toHaveLength(4096);
    expect(yumaCode(() => new Subnet({ engine, n: 4097, tempo: 1 }))).toBe('E_RANGE');
  });
});

describe('README limits: each list limit is enforced at its stated value', () => {
  const engine = createEngineSync();
  const one: EpochInput = {
    n: 1, currentBlock: 100, tempo: 10, lastStepBlock: 0, stake: [1000n], weights: [[[0, 65535]]], bonds: [[]],
    lastUpdate: [90], blockAtRegistration: [1], validatorPermit: [true], raoEmission: 1_000_000_000n,
  };

  it('epochs in one engine.epochs call: 4096 run, 4097 are E_LIMIT', () => {
    expect(engine.epochs(new Array(MAX_BATCH).fill({ input: one }))).toHaveLength(4096);
    expect(yumaCode(() => engine.epochs(new Array(MAX_BATCH + 1).fill({ input: one })))).toBe('E_LIMIT');
  });

  it('subnets in a per-subnet dTAO list: 4096 prices or shares are taken, 4097 are E_LIMIT (emissionShares, splitBlockEmission); a SubnetEconomy holds 4096 subnets and refuses the 4097th (E_LIMIT, still 4096)', () => {
    expect(emissionShares(new Array(MAX_SUBNETS).fill(1), { mode: 'proportional' })).toHaveLength(4096);
    expect(yumaCode(() => emissionShares(new Array(MAX_SUBNETS + 1).fill(1), { mode: 'proportional' }))).toBe('E_LIMIT');
    const subnet = { pool: Pool.genesis({ tao: 1000n * RAO, alpha: 1000n * RAO }), alphaIssuance: 0n };
    const split = (k: number) => splitBlockEmission(RAO, new Array(k).fill(1 / k), new Array(k).fill(subnet));
    expect(split(MAX_SUBNETS).subnets).toHaveLength(4096);
    expect(yumaCode(() => split(MAX_SUBNETS + 1))).toBe('E_LIMIT');
    const eco = new SubnetEconomy();
    for (let i = 0; i < MAX_SUBNETS; i++) eco.addSubnet({ pool: subnet.pool.clone() });
    expect(yumaCode(() => eco.addSubnet({ pool: subnet.pool.clone() }))).toBe('E_LIMIT');
    expect(eco.subnets).toHaveLength(4096);
  });

  it('nominator stakes in one payout split: 2^20 are split, 2^20 + 1 are E_LIMIT (splitProRata)', () => {
    const parts = splitProRata(2n ** 21n, new Array(MAX_NOMINATORS).fill(1n));
    expect([parts.length, parts[0], parts[MAX_NOMINATORS - 1]]).toEqual([2 ** 20, 2n, 2n]);
    expect(yumaCode(() => splitProRata(1n, new Array(MAX_NOMINATORS + 1).fill(1n)))).toBe('E_LIMIT');
  });

  it('toJSON / fromJSON arrays: 2^24 entries are written, 2^24 + 1 are E_LIMIT', () => {
    expect(toJSON(new Uint8Array(MAX_JSON_ITEMS))).toHaveLength(2 ** 24);
    expect(yumaCode(() => toJSON(new Uint8Array(MAX_JSON_ITEMS + 1)))).toBe('E_LIMIT');
    const out = toJSON(engine.epoch(one));
    expect(yumaCode(() => fromJSON({ ...out, incentive: new Array(MAX_JSON_ITEMS + 1).fill(0) }))).toBe('E_LIMIT');
  });
});
