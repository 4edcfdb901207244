import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { loadConformance, type ConformanceCase } from './helpers/conformance.js';

/**
 * `loadConformance` parses block numbers with JSON.parse, which rounds values above 2^53 (the fixtures hold
 * `lastUpdate` near u64::MAX to exercise the saturating activity test). This re-reads those fields exactly.
 */
export function loadConformanceExact(path: 'sparse' | 'dense'): ConformanceCase[] {
  const file = fileURLToPath(new URL(`./fixtures/chain-${path}-epochs.jsonl.gz`, import.meta.url));
  const lines = gunzipSync(readFileSync(file)).toString('utf8').split('\n').filter((l) => l.trim() !== '');
  const exact = lines.map((line) => JSON.parse(line.replace(/([:,[])(\d{16,})(?=[,\]}])/g, '$1"$2"')));
  return loadConformance(path).map((c, k) => {
    const raw = exact[k].input;
    if (exact[k].case !== c.id) throw new Error('conformance files out of step');
    const big = (v: string | number) => BigInt(v);
    return {
      ...c,
      input: {
        ...c.input,
        currentBlock: big(raw.currentBlock),
        lastStepBlock: big(raw.lastStepBlock),
        lastUpdate: raw.lastUpdate.map(big),
        blockAtRegistration: raw.blockAtRegistration.map(big),
      },
    };
  });
}
