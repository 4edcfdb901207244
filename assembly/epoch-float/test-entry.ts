// Standalone module for the float kernel's own tests (the integrator's assembly/index.ts also pulls in the
// fixed kernel): the same exports the TS loader uses, float mode only.
import { presenceOfJob } from '../presence';
import { floatScratchBytes, runEpochFloat } from './index';

export function heapBase(): usize {
  return __heap_base;
}

export function scratchBytesFloat(n: i32): usize {
  return floatScratchBytes(n);
}

export function epochFloat(job: usize, scratch: usize): void {
  presenceOfJob(job);
  runEpochFloat(job, scratch);
}
