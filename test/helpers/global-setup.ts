import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

// The tests load build/*.wasm, which only `npm test` rebuilds: a targeted `npx vitest run …` after an edit or a
// rebase in assembly/ would otherwise test the kernels as they were. Rebuild once, before any worker starts.
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BUILT = ['build/release.wasm', 'build/release-shared.wasm'].map((f) => path.join(ROOT, f));

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(p) : statSync(p).mtimeMs);
  }
  return newest;
}

export default function setup(): void {
  const sources = Math.max(newestSource(path.join(ROOT, 'assembly')), statSync(path.join(ROOT, 'asconfig.json')).mtimeMs);
  const stale = BUILT.some((f) => !existsSync(f) || statSync(f).mtimeMs < sources);
  if (stale) execFileSync('npm', ['run', 'asbuild:release'], { cwd: ROOT, stdio: 'inherit' });
}
