import { prepareEpoch } from '../src/epoch/prepare.js';
import { toEpochOutput } from '../src/epoch/result.js';
import type { BatchItem, EpochOptions, EpochOutput } from '../src/epoch/types.js';
import { referenceEpoch } from '../src/reference/epoch.js';
import type { EpochEngine } from '../src/sim/config.js';

/**
 * Test-only engine: the plain-TypeScript float reference epoch behind the `epochs` interface. It runs real
 * Yuma (float), so simulator tests do not depend on the Wasm build; tests that need the Wasm engine say so.
 */
export const referenceEngine: EpochEngine = {
  epochs(batch: BatchItem[], opts?: EpochOptions): EpochOutput[] {
    return batch.map((b) => {
      const p = prepareEpoch(b.input, b.hyper, { ...opts, mode: 'float' });
      return toEpochOutput(p, referenceEpoch(p));
    });
  },
};
