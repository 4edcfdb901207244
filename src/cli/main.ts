import { existsSync, writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { createEngineSync, createOneShotEngineSync } from '../engine.js';
import { readTextFile } from './files.js';
import { runCli } from './run.js';

// dist/cli.js → ../bench/benchmark.js exists in a checkout of the repository (not in the npm package).
const suite = new URL('../bench/benchmark.js', import.meta.url);
const hasSuite = suite.protocol === 'file:' && existsSync(fileURLToPath(suite));

// `yuma-wasm … | head` closes stdout early: stop quietly, as other command-line tools do, not with an EPIPE trace.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code !== 'EPIPE') throw e;
  process.exit(0);
});

const code = runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  readFile: (p) => readTextFile(p),
  writeFile: (p, d) => writeFileSync(p, d),
  // `epoch` runs one epoch and exits: an engine without the tier-up warm-up and its wait (see createOneShotEngineSync)
  createEngine: () => (process.argv[2] === 'epoch' ? createOneShotEngineSync() : createEngineSync()),
  // dist/cli.js → ../scenarios/yuma-sim, shipped with the package.
  casesDir: fileURLToPath(new URL('../scenarios/yuma-sim/', import.meta.url)),
  now: () => performance.now(),
  benchSuite: hasSuite
    ? async ({ quick }) => {
        const m = (await import(suite.href)) as { runBench(o: { quick: boolean }): Promise<unknown> };
        await m.runBench({ quick });
      }
    : undefined,
});
if (typeof code === 'number') process.exitCode = code;
else
  code.then(
    (c) => (process.exitCode = c),
    (e: unknown) => {
      process.stderr.write(`yuma-wasm: bench failed: ${e instanceof Error ? e.message : String(e)}\n`);
      process.exitCode = 1;
    },
  );
