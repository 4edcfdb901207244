/**
 * The library does not depend on its references: the references (src/reference/) exist to test the kernels and
 * the library, so a rule both need lives in the library and the reference imports it. Only the testing entry
 * (src/testing/, which ships the references as an Engine) and the references themselves may import them.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = join(__dirname, '..', 'src');

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? tsFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
}

describe('layers', () => {
  it('no module of src/ outside src/reference/ and src/testing/ imports from src/reference/', () => {
    const offenders: string[] = [];
    for (const file of tsFiles(SRC)) {
      const rel = relative(SRC, file).split('\\').join('/');
      if (rel.startsWith('reference/') || rel.startsWith('testing/')) continue;
      for (const m of readFileSync(file, 'utf8').matchAll(/\bfrom\s+'([^']+)'|\bimport\(\s*'([^']+)'\s*\)/g)) {
        const spec = m[1] ?? m[2];
        if (/(^|\/)reference\//.test(spec)) offenders.push(`${rel} imports ${spec}`);
      }
    }
    expect(tsFiles(SRC).length).toBeGreaterThan(50);
    expect(offenders).toEqual([]);
  });
});
