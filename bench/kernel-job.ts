import type { PreparedEpoch } from '../src/epoch/prepare.js';
import { MODE_FIXED } from '../src/wasm/abi.js';
import { Arena, align } from '../src/wasm/arena.js';
import type { KernelExports } from '../src/wasm/loader.js';
import { jobBytes, writeJob } from '../src/wasm/marshal.js';

/**
 * One prepared epoch written into a fresh arena as a one-job batch, with its scratch, ready for
 * `kx.epochBatch(jobsPtr, 1, modeId, scratch)`: what the bench scripts that time the kernel alone call it on.
 */
export function writeKernelJob(kx: KernelExports, arena: Arena, p: PreparedEpoch, n: number, modeId: number): { jobsPtr: number; scratch: number; job: number } {
  const scratchBytes = modeId === MODE_FIXED ? kx.scratchBytesFixed(n) : kx.scratchBytesFloat(n);
  arena.reset();
  arena.reserve(align(4) + align(scratchBytes) + 16 + jobBytes(n));
  const jobsPtr = arena.alloc(4);
  const scratch = arena.alloc(scratchBytes);
  const job = writeJob(arena, p);
  arena.u32[jobsPtr / 4] = job;
  return { jobsPtr, scratch, job };
}
