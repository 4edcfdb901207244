import { prepareBatch } from './epoch/batch.js';
import { prepareEpoch, type PreparedEpoch } from './epoch/prepare.js';
import { allocRawResult, toEpochOutput, type RawEpochResult } from './epoch/result.js';
import type { BatchItem, EpochInput, EpochOptions, EpochOutput, Hyperparams } from './epoch/types.js';
import { MODE_FIXED, MODE_FLOAT } from './wasm/abi.js';
import { Arena, align } from './wasm/arena.js';
import { compileAsync, compileSync, instantiate, type KernelExports } from './wasm/loader.js';
import { jobBytes, readJob, writeJob } from './wasm/marshal.js';

/** One instantiated Wasm module with its own memory; not shared between threads. */
export interface Engine {
  /** One subnet's epoch. `mode` defaults to `'fixed'` (bit-exact with the chain), `path` to `'sparse'`. */
  epoch(input: EpochInput, hyper?: Partial<Hyperparams>, opts?: EpochOptions): EpochOutput;
  /** Many subnets in one call: one trip into Wasm, one arena, outputs in batch order. */
  epochs(batch: BatchItem[], opts?: EpochOptions): EpochOutput[];
  /** Runs already-prepared epochs and returns raw results (for tests, benchmarks and the simulator). */
  runPrepared(prepared: PreparedEpoch[]): RawEpochResult[];
  /** Bytes of Wasm linear memory currently reserved. */
  readonly memoryBytes: number;
}

/** Target size of one group of jobs in Wasm memory (about what stays in L2/L3 between write and read). */
const CHUNK_BYTES = 1 << 20;

class WasmEngine implements Engine {
  private readonly k: KernelExports;
  private readonly arena: Arena;

  constructor(k: KernelExports) {
    this.k = k;
    this.arena = new Arena(k.memory, k.heapBase());
  }

  get memoryBytes(): number {
    return this.arena.memoryBytes;
  }

  epoch(input: EpochInput, hyper?: Partial<Hyperparams>, opts?: EpochOptions): EpochOutput {
    const p = prepareEpoch(input, hyper, opts, true);
    return toEpochOutput(p, this.run([p], false)[0]);
  }

  epochs(batch: BatchItem[], opts?: EpochOptions): EpochOutput[] {
    const prepared = prepareBatch(batch, opts, true);
    const raws = this.run(prepared, false);
    return prepared.map((p, i) => toEpochOutput(p, raws[i]));
  }

  runPrepared(prepared: PreparedEpoch[]): RawEpochResult[] {
    return this.run(prepared, true);
  }

  private run(prepared: PreparedEpoch[], fullRaw: boolean): RawEpochResult[] {
    const results: RawEpochResult[] = new Array(prepared.length);
    // Jobs run grouped by mode; the kernels never allocate, everything lives in one reserved arena block.
    for (const mode of [MODE_FLOAT, MODE_FIXED]) {
      const idx: number[] = [];
      prepared.forEach((p, i) => {
        if ((p.mode === 'fixed' ? MODE_FIXED : MODE_FLOAT) !== mode) return;
        if (p.n === 0) results[i] = allocRawResult(0);
        else idx.push(i);
      });
      if (idx.length === 0) continue;
      const maxN = Math.max(...idx.map((i) => prepared[i].n));
      const scratchBytes = mode === MODE_FIXED ? this.k.scratchBytesFixed(maxN) : this.k.scratchBytesFloat(maxN);
      // Jobs go in groups of about CHUNK_BYTES that reuse one region, so a big batch runs cache-warm instead
      // of laying every subnet side by side; each group is one trip into Wasm.
      const chunks: number[][] = [];
      let chunk: number[] = [];
      let chunkBytes = 0;
      let maxChunkBytes = 0;
      for (const i of idx) {
        const bytes = jobBytes(prepared[i].n);
        if (chunk.length > 0 && chunkBytes + bytes > CHUNK_BYTES) {
          chunks.push(chunk);
          chunk = [];
          chunkBytes = 0;
        }
        chunk.push(i);
        chunkBytes += bytes;
        maxChunkBytes = Math.max(maxChunkBytes, chunkBytes + align(4 * chunk.length));
      }
      chunks.push(chunk);
      const a = this.arena;
      a.reset();
      a.reserve(align(scratchBytes) + maxChunkBytes + 32);
      const scratch = a.alloc(scratchBytes);
      const base = a.mark();
      for (const group of chunks) {
        a.rewind(base);
        const jobsPtr = a.alloc(4 * group.length);
        const jobs = group.map((i) => writeJob(a, prepared[i]));
        a.u32.set(jobs, jobsPtr / 4);
        this.k.epochBatch(jobsPtr, jobs.length, mode, scratch);
        group.forEach((i, k) => (results[i] = readJob(a, jobs[k], prepared[i], fullRaw || prepared[i].layout === 'sparse')));
      }
    }
    return results;
  }
}

/** Instantiates the kernels (compiling the module once per process). Works in Node and browsers. */
export async function createEngine(): Promise<Engine> {
  return new WasmEngine(instantiate(await compileAsync()));
}

/** Synchronous variant; browsers refuse sync compilation only for modules over 8 MB, ours is far smaller. */
export function createEngineSync(): Engine {
  return new WasmEngine(instantiate(compileSync()));
}
