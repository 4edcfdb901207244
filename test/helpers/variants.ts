import { createEngineSync, type Engine } from '../../src/engine.js';
import type { NumericMode } from '../../src/epoch/types.js';
import { createReferenceEngine } from '../../src/testing/reference-engine.js';

/** One way the suite runs an epoch: the Wasm engine or the references, in fixed or float mode. */
export interface Variant {
  label: string;
  engine: Engine;
  mode: NumericMode;
}

// No fallback: if build/release.wasm is missing or does not instantiate, this throws and the importing file fails.
export const wasmEngine = createEngineSync();
const reference = createReferenceEngine();

/** Every variant: Wasm fixed, Wasm float, reference fixed, reference float. */
export const VARIANTS: readonly Variant[] = [
  { label: 'wasm fixed', engine: wasmEngine, mode: 'fixed' },
  { label: 'wasm float', engine: wasmEngine, mode: 'float' },
  { label: 'reference fixed', engine: reference, mode: 'fixed' },
  { label: 'reference float', engine: reference, mode: 'float' },
];
export const FIXED_VARIANTS = VARIANTS.filter((v) => v.mode === 'fixed');
export const FLOAT_VARIANTS = VARIANTS.filter((v) => v.mode === 'float');
