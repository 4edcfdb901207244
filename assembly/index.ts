// The module's public surface: the epoch kernels and the few helpers the TypeScript loader needs.
// Memory above __heap_base belongs to the loader's arena; kernels only touch what a job header points to.
import { MODE_FIXED } from './abi';
import { presenceOfJob } from './presence';
import { runEpochFloat, floatScratchBytes } from './epoch-float/index';
import { runEpochFixed, fixedScratchBytes } from './epoch-fixed/index';

export function heapBase(): usize {
  return __heap_base;
}

export function scratchBytesFloat(n: i32): usize {
  return floatScratchBytes(n);
}

export function scratchBytesFixed(n: i32): usize {
  return fixedScratchBytes(n);
}

/** Runs `count` jobs whose header addresses are stored as u32 at `jobs`, sharing one scratch region. */
export function epochBatch(jobs: usize, count: i32, mode: i32, scratch: usize): void {
  for (let k = 0; k < count; k++) {
    const job = <usize>load<u32>(jobs + (<usize>k << 2));
    presenceOfJob(job);
    if (mode == MODE_FIXED) runEpochFixed(job, scratch);
    else runEpochFloat(job, scratch);
  }
}

// yuma-simulation's six versions (yuma-wasm/research), f64: one epoch per call over buffers the research
// loader keeps in this module's memory across epochs (src/research/wasm.ts).
export { runResearchEpoch as researchEpoch } from './research/epoch';
export { researchScratchBytes, researchExpMap, researchToF32 } from './research/exports';

// The block's coinbase over a table of the emitting subnets (layout: abi.ts CBH_* / CBS_*), in the chain's order:
// shares, then terms and injection, then (after the caller's excess-TAO buys) alpha out and the pending pots, then
// (after the epochs) moving prices and RootProp. src/wasm/coinbase.ts writes the table and reads it back.
export { coinbaseShares } from './coinbase/shares';
export { coinbaseTerms } from './coinbase/terms';
export { coinbaseInject } from './coinbase/inject';
export { coinbaseAlphaOut } from './coinbase/alpha-out';
export { coinbaseMovingPrices } from './coinbase/moving-price';
