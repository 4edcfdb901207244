#!/usr/bin/env node
// Applies each mutation of ./boundaries.mjs on its own, rebuilds build/release.wasm when an assembly/ file
// changed (unoptimised, -O0: same semantics, a fraction of the build time), runs the boundary tests and records
// whether they fail (mutant killed) and which tests caught it. Every file is restored afterwards (also on Ctrl-C)
// and the release build is rebuilt from the clean sources with the project's own options.
//
//   node test/mutants/run.mjs                  # all mutants
//   node test/mutants/run.mjs median topk      # only ids containing one of the words
//   TESTS="test/a.test.ts test/b.test.ts" node test/mutants/run.mjs   # other test files
import { spawn } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MUTANTS } from './boundaries.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
process.chdir(root);
const tests = (process.env.TESTS ?? 'test/epoch-boundaries.test.ts').split(/\s+/).filter(Boolean);
const filters = process.argv.slice(2);
const chosen = MUTANTS.filter((m) => filters.length === 0 || filters.some((f) => m.id.includes(f)));

/** Runs a command; resolves to its exit status (non-zero when killed by a signal). */
function run(cmd, args) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: 'ignore' });
    child.on('close', (code) => resolve(code ?? 1));
  });
}

const originals = new Map();
let interrupted = false;
process.on('SIGINT', () => {
  interrupted = true;
});

function apply(file, find, replace, text) {
  const at = text.indexOf(find);
  if (at < 0 || text.indexOf(find, at + 1) >= 0) throw new Error(`${file}: the text to mutate must occur exactly once: ${JSON.stringify(find)}`);
  return text.slice(0, at) + replace + text.slice(at + find.length);
}

// Every mutation must still apply before anything is touched.
for (const m of chosen) {
  const text = readFileSync(m.file, 'utf8');
  let t = apply(m.file, m.find, m.replace, text);
  if (m.also) t = apply(m.file, m.also.find, m.also.replace, t);
}

// TypeScript mutants first: they run against the clean build; assembly mutants rebuild each time.
chosen.sort((a, b) => Number(a.file.startsWith('assembly/')) - Number(b.file.startsWith('assembly/')));
const report = join(tmpdir(), `yuma-mutant-${process.pid}.json`);
const results = [];
let dirtyBuild = false;
try {
  for (const m of chosen) {
    if (interrupted) break;
    const text = originals.get(m.file) ?? readFileSync(m.file, 'utf8');
    originals.set(m.file, text);
    let mutated = apply(m.file, m.find, m.replace, text);
    if (m.also) mutated = apply(m.file, m.also.find, m.also.replace, mutated);
    writeFileSync(m.file, mutated);
    let killed;
    let by = [];
    try {
      let built = 0;
      if (m.file.startsWith('assembly/')) {
        dirtyBuild = true;
        built = await run('npx', ['asc', 'assembly/index.ts', '--target', 'release', '-O0']);
      }
      if (built !== 0) {
        killed = true;
        by = ['(does not compile)'];
      } else {
        rmSync(report, { force: true });
        killed = (await run('npx', ['vitest', 'run', ...tests, '--reporter=json', `--outputFile=${report}`])) !== 0;
        try {
          const r = JSON.parse(readFileSync(report, 'utf8'));
          by = r.testResults.flatMap((f) => f.assertionResults.filter((a) => a.status === 'failed').map((a) => a.title));
        } catch {
          by = [];
        }
      }
    } finally {
      writeFileSync(m.file, text);
    }
    if (interrupted) break;
    const expected = m.status ?? 'kill';
    const verdict = killed ? 'killed' : 'survived';
    results.push({ id: m.id, verdict, expected, by });
    console.log(`${verdict.padEnd(8)} ${m.id}${expected !== 'kill' ? ` (${expected}: ${m.why})` : ''}${by.length ? `\n         by: ${by.join(' | ')}` : ''}`);
  }
} finally {
  for (const [file, text] of originals) writeFileSync(file, text);
  if (dirtyBuild) await run('npx', ['asc', 'assembly/index.ts', '--target', 'release']);
}

if (interrupted) {
  console.log('interrupted: sources restored');
  process.exit(130);
}
const bad = results.filter((r) => r.expected === 'kill' && r.verdict === 'survived');
const killed = results.filter((r) => r.verdict === 'killed').length;
console.log(`\n${killed} of ${results.length} mutants killed; ${bad.length} expected to be killed survived${bad.length ? `: ${bad.map((r) => r.id).join(', ')}` : ''}`);
process.exit(bad.length ? 1 : 0);
