// Standalone module for the float kernel's own tests (the integrator's assembly/index.ts also pulls in the
// fixed kernel): the same exports the TS loader uses, float mode only.
import { FLAG_PRESENCE_FROM_VALUES, J_FLAGS, J_N, J_WEIGHTS, J_WEIGHTS_PRESENT, ptr, slot } from '../abi';
import { presenceFromValues } from '../presence';
import { floatScratchBytes, runEpochFloat } from './index';

export function heapBase(): usize {
  return __heap_base;
}

export function scratchBytesFloat(n: i32): usize {
  return floatScratchBytes(n);
}

export function epochFloat(job: usize, scratch: usize): void {
  if (slot(job, J_FLAGS) & FLAG_PRESENCE_FROM_VALUES) {
    const n = <i32>slot(job, J_N);
    presenceFromValues(ptr(job, J_WEIGHTS), ptr(job, J_WEIGHTS_PRESENT), n * n);
  }
  runEpochFloat(job, scratch);
}
