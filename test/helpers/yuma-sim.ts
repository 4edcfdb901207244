import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { PYTHON_KEYS, type YumaConfig, type YumaVersion } from '../../src/research/index.js';

/** Reads the golden yuma-simulation runs in test/fixtures/yuma-sim (format: its README). */
export const FIXTURES = new URL('../fixtures/yuma-sim/', import.meta.url).pathname;

export const DIR_VERSION: Record<string, YumaVersion> = {
  YUMA1: 'yuma1',
  YUMA2: 'yuma2',
  YUMA2B: 'yuma2b',
  YUMA2C: 'yuma2c',
  YUMA3: 'yuma3',
  YUMA3_LIQUID: 'yuma3-liquid',
};

type Json = null | number | Json[];

export interface GoldenRun {
  run_id: string;
  use_full_matrices: boolean;
  num_validators: number;
  num_servers: number;
  config: Record<string, unknown>;
  extra_args: Record<string, unknown>;
  num_epochs: number;
  inputs: Record<string, Json[]>;
  outputs: Record<string, Json[]>;
  captured?: { liquid_alpha?: Json[] };
  bonds_reset: null | { epoch: number; column: number };
  degenerate_consensus_epochs: number[];
  simulator?: { dividends_per_1000tao: number[][] };
}

export interface GoldenFile {
  file: string;
  version: YumaVersion;
  case_id: string;
  case: { name: string; validators: string[] | number; servers: string[] | number; reset_bonds: boolean };
  runs: GoldenRun[];
}

export function goldenFiles(): GoldenFile[] {
  const out: GoldenFile[] = [];
  for (const sub of ['', 'random/']) {
    for (const dir of Object.keys(DIR_VERSION)) {
      const path = join(FIXTURES, sub, dir);
      for (const f of readdirSync(path).filter((n) => n.endsWith('.json')).sort()) {
        const d = JSON.parse(readFileSync(join(path, f), 'utf8'));
        out.push({ file: `${sub}${dir}/${f}`, version: DIR_VERSION[dir], case_id: d.case_id, case: d.case, runs: d.runs });
      }
    }
  }
  return out;
}

const CAMEL: Record<string, keyof YumaConfig> = Object.fromEntries(Object.entries(PYTHON_KEYS).map(([c, p]) => [p, c as keyof YumaConfig]));

export function configOf(run: GoldenRun): Partial<YumaConfig> {
  const cfg: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(run.config)) cfg[CAMEL[k]] = v;
  return cfg as Partial<YumaConfig>;
}

export function camel(key: string): string {
  return key.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
}

/** Golden value: null = NaN in the file; a shortest decimal that Math.fround turns back into torch's float32. */
export function num(x: Json): number {
  return x === null ? NaN : Math.fround(x as number);
}

export const tolerance = (g: number) => 2e-6 + 1e-5 * Math.abs(g);

/** Flattens a golden value (scalar, vector or matrix) and ours to plain number arrays. */
export function flat(x: unknown): number[] {
  if (typeof x === 'number' || x === null) return [num(x as Json)];
  if (ArrayBuffer.isView(x)) return Array.from(x as Float64Array);
  if (Array.isArray(x)) return x.flatMap((r) => flat(r));
  throw new Error(`cannot flatten ${typeof x}`);
}
