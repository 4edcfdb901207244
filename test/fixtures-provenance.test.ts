/**
 * The repository explains itself: every fixture is described in test/fixtures/README.md with the counts it
 * states, and no file points the reader (or a machine) at paths outside the repository.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { dtaoVectors, subtensorVectors } from './helpers/vectors.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const FIXTURES = join(ROOT, 'test/fixtures');
const README = readFileSync(join(FIXTURES, 'README.md'), 'utf8');

const jsonLines = (file: string): number =>
  gunzipSync(readFileSync(join(FIXTURES, file))).toString('utf8').split('\n').filter((l) => l.trim() !== '').length;

describe('test/fixtures/README.md', () => {
  it('names every file in test/fixtures', () => {
    const undocumented = readdirSync(FIXTURES).filter((f) => f !== 'README.md' && !README.includes(f));
    expect(undocumented).toEqual([]);
  });

  it('states the counts the files hold: 120 + 120 chain epochs, 66 test vectors (37 math, 29 epoch), 106 dTAO cases', () => {
    expect(README).toContain('120 random subnet epochs each');
    expect(jsonLines('chain-sparse-epochs.jsonl.gz')).toBe(120);
    expect(jsonLines('chain-dense-epochs.jsonl.gz')).toBe(120);
    expect(README).toContain('66 cases — 37 math helpers');
    const vectors = subtensorVectors;
    expect(vectors.length).toBe(66);
    expect(vectors.filter((v) => v.kind === 'math-fn').length).toBe(37);
    expect(vectors.filter((v) => v.kind === 'epoch').length).toBe(29);
    expect(README).toContain('106 cases');
    expect(dtaoVectors.length).toBe(106);
  });
});

describe('no outside references', () => {
  // Paths of the environment the project was built in, and documents that are not part of the repository.
  const OUTSIDE = [/\bshared\/(spec|conformance|anchors)\b/, /\.\.\/shared\//, /\/work\//, /yuma-chain-reference\.md/, /toolchain-and-style\.md/, /\b(api|dtao|yuma)\.md\b/];
  const SKIP = new Set(['node_modules', '.git', 'build', 'dist', 'coverage']);
  const TEXT = /\.(ts|js|mjs|cjs|json|md|html|css|yml|yaml|txt)$|^run$/;

  function* files(dir: string): Generator<string> {
    for (const name of readdirSync(dir)) {
      if (SKIP.has(name)) continue;
      const p = join(dir, name);
      if (statSync(p).isDirectory()) yield* files(p);
      else if (TEXT.test(name) && name !== 'package-lock.json') yield p;
    }
  }

  it('no file in the repository points at paths or documents outside it', () => {
    const hits: string[] = [];
    for (const f of files(ROOT)) {
      const text = readFileSync(f, 'utf8');
      for (const re of OUTSIDE) {
        const m = re.exec(text);
        if (m) hits.push(`${relative(ROOT, f)}: ${m[0]}`);
      }
    }
    expect(hits).toEqual([]);
  });
});
