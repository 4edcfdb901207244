// Bundles bench/suite.ts (typed-array baseline, references, input generator: TypeScript sources the package
// bundle does not export) to build/bench/suite.js with esbuild, which tsup already brings in.
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';

export const SUITE_OUT = fileURLToPath(new URL('../build/bench/suite.js', import.meta.url));

export async function buildSuite() {
  await build({
    entryPoints: [fileURLToPath(new URL('./suite.ts', import.meta.url))],
    outfile: SUITE_OUT,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    logLevel: 'warning',
  });
  return SUITE_OUT;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  console.log(await buildSuite());
}
