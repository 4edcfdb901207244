import { readFileSync, writeFileSync } from 'node:fs';
import { type CliIo, runCli } from '../../src/cli/run.js';
import type { Engine } from '../../src/engine.js';

/** Runs the CLI in-process on `engine`, capturing stdout and stderr; real files, no terminal unless `tty`; `casesDir` for `cases`. */
export function runCliCaptured(argv: string[], engine: Engine, opts: { tty?: boolean; casesDir?: string } = {}) {
  let stdout = '';
  let stderr = '';
  let t = 0;
  const io: CliIo = {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s), isTTY: opts.tty ?? false, columns: 100 },
    readFile: (p) => readFileSync(p, 'utf8'),
    writeFile: (p, d) => writeFileSync(p, d),
    createEngine: () => engine,
    // A fake clock that advances 50 ms per reading, so progress output is exercised deterministically.
    now: () => (t += 50),
    ...(opts.casesDir === undefined ? {} : { casesDir: opts.casesDir }),
  };
  const code = runCli(argv, io);
  return { code, stdout, stderr };
}
