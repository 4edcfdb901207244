/**
 * The README's "Limits and bad input" table, checked against the constants the library enforces, and each limit
 * enforced at its stated value (one over it is E_LIMIT) where that is cheap to show.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MAX_RUN_BLOCKS } from '../src/chain/index.js';
import { MAX_INPUT_FILE_BYTES } from '../src/cli/files.js';
import { MAX_JSON_ITEMS } from '../src/epoch/json.js';
import { MAX_BATCH, MAX_BATCH_CELLS, MAX_MECHANISMS, MAX_NOMINATORS, MAX_SUBNETS, MAX_UIDS } from '../src/epoch/limits.js';
import { MAX_NETWORK_BYTES, MAX_REPORT_POINTS, resolveOptions } from '../src/sim/config.js';
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

  it('the Network subnet count stops at 1024 (1025 is refused) and sizes past the memory estimate are E_LIMIT', () => {
    expect(resolveOptions({ subnets: 1024, uidsPerSubnet: 2, validatorsPerSubnet: 1 }).subnets).toBe(1024);
    expect(yumaCode(() => resolveOptions({ subnets: 1025 }))).toBe('E_RANGE');
    expect(yumaCode(() => resolveOptions({ subnets: 1024, uidsPerSubnet: 4096 }))).toBe('E_LIMIT');
    // resident state: 30 subnets of 4096 UIDs take 30 × 96 MiB of Wasm memory (fits), 33 take more than 3 GiB
    expect(resolveOptions({ subnets: 30, uidsPerSubnet: 4096, validatorsPerSubnet: 1 }).subnets).toBe(30);
    expect(yumaCode(() => resolveOptions({ subnets: 33, uidsPerSubnet: 4096, validatorsPerSubnet: 1 }))).toBe('E_LIMIT');
  });
});
