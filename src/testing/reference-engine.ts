import type { Engine } from '../engine.js';
import { checkPreparedList, prepareBatch } from '../epoch/batch.js';
import { explainPathDivergence, type MechanismPathDivergence, type PathDivergence, type PathDivergenceOptions } from '../epoch/divergence.js';
import { isPreparedMechanisms, prepareItem, type PreparedItem } from '../epoch/mechanisms.js';
import type { PreparedEpoch } from '../epoch/prepare.js';
import { allocRawResult, toEpochOutput, type RawEpochResult } from '../epoch/result.js';
import type { BatchItem, EpochInput, EpochInputLike, EpochOptions, EpochOutput, Hyperparams, MechanismEpochInput, MechanismEpochInputLike, MechanismEpochOutput } from '../epoch/types.js';
import { referenceEpoch } from '../reference/float/epoch.js';
import { referenceEpochFixed } from '../reference/fixed/epoch.js';
import { referenceEpochWithMechanisms } from '../reference/mechanisms.js';

/**
 * An `Engine` that runs the plain TypeScript references instead of Wasm: BigInt fixed-point for `'fixed'`,
 * f64 for `'float'`, and the literal `epoch_with_mechanisms` reference for inputs with mechanisms. Same inputs,
 * same validation, same outputs; orders of magnitude slower. Use it to cross-check the Wasm engine, or where
 * WebAssembly is unavailable.
 */
export function createReferenceEngine(): Engine {
  const run = (p: PreparedEpoch): RawEpochResult =>
    p.n === 0 ? allocRawResult(0) : p.mode === 'fixed' ? referenceEpochFixed(p) : referenceEpoch(p);
  const output = (item: PreparedItem): EpochOutput =>
    isPreparedMechanisms(item) ? referenceEpochWithMechanisms(item, run) : toEpochOutput(item, run(item));
  function epoch(input: MechanismEpochInputLike, hyper?: Partial<Hyperparams> | null, opts?: EpochOptions | null): MechanismEpochOutput;
  function epoch(input: EpochInput, hyper?: Partial<Hyperparams> | null, opts?: EpochOptions | null): EpochOutput;
  function epoch(input: EpochInputLike, hyper?: Partial<Hyperparams> | null, opts?: EpochOptions | null): EpochOutput;
  function epoch(input: EpochInput | MechanismEpochInput | EpochInputLike | MechanismEpochInputLike, hyper?: Partial<Hyperparams> | null, opts?: EpochOptions | null): EpochOutput | MechanismEpochOutput;
  function epoch(input: EpochInput | MechanismEpochInput | EpochInputLike | MechanismEpochInputLike, hyper?: Partial<Hyperparams> | null, opts?: EpochOptions | null): EpochOutput | MechanismEpochOutput {
    return output(prepareItem(input, hyper, opts));
  }
  type Opts = PathDivergenceOptions | null;
  function explain(input: MechanismEpochInput, hyper?: Partial<Hyperparams> | null, opts?: Opts): MechanismPathDivergence;
  function explain(input: EpochInput | EpochInputLike, hyper?: Partial<Hyperparams> | null, opts?: Opts): PathDivergence;
  function explain(input: EpochInput | MechanismEpochInput | EpochInputLike, hyper?: Partial<Hyperparams> | null, opts?: Opts): PathDivergence | MechanismPathDivergence;
  function explain(input: EpochInput | MechanismEpochInput | EpochInputLike, hyper?: Partial<Hyperparams> | null, opts?: Opts): PathDivergence | MechanismPathDivergence {
    // with mechanisms, the aggregate is the engine's (src/epoch/mechanisms.ts) over the references' epochs
    return explainPathDivergence((prepared) => prepared.map(run), input, hyper, opts);
  }
  return {
    epoch,
    epochs(batch: BatchItem[], opts?: EpochOptions | null): EpochOutput[] {
      return prepareBatch(batch, opts).map(output);
    },
    runPrepared(prepared: PreparedEpoch[]): RawEpochResult[] {
      return checkPreparedList(prepared).map(run);
    },
    explainPathDivergence: explain,
    memoryBytes: 0,
    close(): void {},
  };
}
