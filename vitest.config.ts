import { readFileSync } from 'node:fs';
import { defineConfig, type Plugin } from 'vitest/config';

// Tests run from source: turn `import bytes from '../build/release.wasm'` into a Uint8Array,
// which is what tsup's binary loader does for the bundle.
function wasmBytes(): Plugin {
  return {
    name: 'wasm-bytes',
    enforce: 'pre',
    load(id) {
      if (!id.endsWith('.wasm')) return null;
      const b64 = readFileSync(id).toString('base64');
      return `export default Uint8Array.from(atob(${JSON.stringify(b64)}), (c) => c.charCodeAt(0));`;
    },
  };
}

export default defineConfig({
  plugins: [wasmBytes()],
  test: {
    include: ['test/**/*.test.ts'],
    // rebuilds build/*.wasm when assembly/ is newer (a targeted run after an edit would test stale kernels)
    globalSetup: ['test/helpers/global-setup.ts'],
    setupFiles: ['test/helpers/assertions-setup.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
