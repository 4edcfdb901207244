/**
 * The chain's test vectors in test/fixtures (provenance: test/fixtures/README.md), read once with integers beyond
 * 2^53 kept exact (as decimal strings: read them with BigInt()).
 */
import { readFileSync } from 'node:fs';
import { parseExactJson } from './json.js';

const read = (name: string): any => parseExactJson(readFileSync(new URL(`../fixtures/${name}`, import.meta.url), 'utf8'));

// biome-ignore lint: test data is loosely typed JSON
export type Vector = { name: string; inputs: any; expected: any; tolerance: any; notes: string };

/** subtensor-test-vectors.json: `kind` "epoch" (tests/epoch.rs) or "math-fn" (tests/math.rs and epoch helpers). */
// biome-ignore lint: test data is loosely typed JSON
export interface SubtensorVector { name: string; kind: string; test_fn: string; inputs: any; expected: any; tolerance: string }
export const subtensorVectors: SubtensorVector[] = read('subtensor-test-vectors.json').vectors;

/** dtao-chain-test-vectors.json: the dTAO and coinbase cases. */
export const dtaoVectors: Vector[] = read('dtao-chain-test-vectors.json').cases;
export function vector(name: string): Vector {
  const v = dtaoVectors.find((c) => c.name === name);
  if (!v) throw new Error(`no vector ${name}`);
  return v;
}
export const byPrefix = (p: string): Vector[] => dtaoVectors.filter((c) => c.name.startsWith(p));
