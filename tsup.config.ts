import { defineConfig } from 'tsup';

// The .wasm is inlined as bytes so that the same bundle works in Node ESM, Node CJS and browser
// bundlers without resolving a file path at run time.
export default defineConfig([
  {
    entry: { index: 'src/index.ts', testing: 'src/testing/index.ts', research: 'src/research/index.ts' },
    format: ['esm', 'cjs'],
    dts: true,
    clean: true,
    sourcemap: true,
    platform: 'neutral',
    target: 'es2022',
    loader: { '.wasm': 'binary' },
    external: ['fast-check'],
  },
  {
    entry: { cli: 'src/cli/main.ts' },
    format: ['esm'],
    platform: 'node',
    target: 'node20',
    loader: { '.wasm': 'binary' },
    banner: { js: '#!/usr/bin/env node' },
    external: ['fast-check', 'playwright-core'],
  },
]);
