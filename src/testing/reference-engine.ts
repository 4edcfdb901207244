import type { Engine } from '../engine.js';
import { checkPreparedList, prepareBatch } from '../epoch/batch.js';
import { prepareEpoch, type PreparedEpoch } from '../epoch/prepare.js';
import { allocRawResult, toEpochOutput, type RawEpochResult } from '../epoch/result.js';
import type { BatchItem, EpochInput, EpochOptions, EpochOutput, Hyperparams } from '../epoch/types.js';
import { referenceEpoch } from '../reference/epoch.js';
import { referenceEpochFixed } from '../reference/epoch-fixed.js';

/**
 * An `Engine` that runs the plain TypeScript references instead of Wasm: BigInt fixed-point for `'fixed'`,
 * f64 for `'float'`. Same inputs, same validation, same outputs; orders of magnitude slower. Use it to
 * cross-check the Wasm engine, or where WebAssembly is unavailable.
 */
export function createReferenceEngine(): Engine {
  const run = (p: PreparedEpoch): RawEpochResult =>
    p.n === 0 ? allocRawResult(0) : p.mode === 'fixed' ? referenceEpochFixed(p) : referenceEpoch(p);
  return {
    epoch(input: EpochInput, hyper?: Partial<Hyperparams> | null, opts?: EpochOptions | null): EpochOutput {
      const p = prepareEpoch(input, hyper, opts);
      return toEpochOutput(p, run(p));
    },
    epochs(batch: BatchItem[], opts?: EpochOptions | null): EpochOutput[] {
      const prepared = prepareBatch(batch, opts);
      return prepared.map((p) => toEpochOutput(p, run(p)));
    },
    runPrepared(prepared: PreparedEpoch[]): RawEpochResult[] {
      return checkPreparedList(prepared).map(run);
    },
    memoryBytes: 0,
    close(): void {},
  };
}
