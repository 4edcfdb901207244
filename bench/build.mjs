// Bundles the bench's TypeScript entry points with esbuild (which tsup already brings in) into build/bench/:
// suite.ts (typed-array baseline, references, input generator: sources the package bundle does not export)
// and profile.ts (per-stage timing of one Wasm epoch, using engine internals).
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';

const OUT_DIR = fileURLToPath(new URL('../build/bench/', import.meta.url));
export const SUITE_OUT = `${OUT_DIR}suite.js`;
export const PROFILE_OUT = `${OUT_DIR}profile.js`;

export async function buildSuite() {
  await build({
    entryPoints: ['suite.ts', 'profile.ts', 'kernel-ab.ts', 'kernel-network-ab.ts'].map((f) => fileURLToPath(new URL(`./${f}`, import.meta.url))),
    outdir: OUT_DIR,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    loader: { '.wasm': 'binary' },
    logLevel: 'warning',
  });
  return SUITE_OUT;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await buildSuite();
  console.log(OUT_DIR);
}
