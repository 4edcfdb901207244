import type { PreparedEpoch } from '../../src/epoch/prepare.js';
import { allocRawResult, type RawEpochResult } from '../../src/epoch/result.js';
import { MODE_FLOAT } from '../../src/wasm/abi.js';
import { Arena, align } from '../../src/wasm/arena.js';
import { type KernelExports, compileSync, instantiate } from '../../src/wasm/loader.js';
import { jobBytes, readJob, writeJob } from '../../src/wasm/marshal.js';

/**
 * The float kernel of the shipped module (build/release.wasm, the bytes the loader inlines into the bundle), run
 * one job at a time through its `epochBatch` export with the engine's own job writer/reader, on an instance of
 * its own whose scratch and job memory is deliberately dirty: the kernel must not rely on zeroed memory (nor read
 * weight rows the loader skips).
 */
export class FloatKernel {
  private readonly k: KernelExports;
  private readonly arena: Arena;
  constructor() {
    this.k = instantiate(compileSync());
    this.arena = new Arena(this.k.memory, this.k.heapBase());
  }
  /** `fullRaw` false: the result as `engine.epoch` reads it (sparse layouts: bond rows only, see `readJob`). */
  run(p: PreparedEpoch, fullRaw = true): RawEpochResult {
    if (p.n === 0) return allocRawResult(0);
    const a = this.arena;
    const scratchBytes = this.k.scratchBytesFloat(p.n);
    a.reset();
    a.reserve(align(4) + align(scratchBytes) + jobBytes(p.n) + 64);
    const jobs = a.alloc(4);
    const scratch = a.alloc(scratchBytes);
    a.u8.fill(0xa5, scratch, scratch + align(scratchBytes) + jobBytes(p.n) + 64);
    const job = writeJob(a, p);
    new DataView(this.k.memory.buffer).setUint32(jobs, job, true);
    this.k.epochBatch(jobs, 1, MODE_FLOAT, scratch);
    return readJob(a, job, p, fullRaw);
  }
}
