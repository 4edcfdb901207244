import asc from 'assemblyscript/asc';
import { fileURLToPath } from 'node:url';
import type { PreparedEpoch } from '../src/epoch/prepare.js';
import { allocRawResult, type RawEpochResult } from '../src/epoch/result.js';
import { Arena, align } from '../src/wasm/arena.js';
import { jobBytes, readJob, writeJob } from '../src/wasm/marshal.js';

/**
 * The float kernel compiled on its own (assembly/epoch-float/test-entry.ts, release options), marshalled with
 * the engine's own job writer/reader. Lets the kernel be tested independently of the combined module.
 */
interface FloatExports {
  memory: WebAssembly.Memory;
  heapBase(): number;
  scratchBytesFloat(n: number): number;
  epochFloat(job: number, scratch: number): void;
}

let compiled: Promise<WebAssembly.Module> | undefined;

export function compileFloatKernel(): Promise<WebAssembly.Module> {
  compiled ??= (async () => {
    const entry = fileURLToPath(new URL('../assembly/epoch-float/test-entry.ts', import.meta.url));
    let binary: Uint8Array | undefined;
    const { error, stderr } = await asc.main(
      [entry, '--runtime', 'stub', '--enable', 'simd', '-O3', '--noAssert', '--use', 'abort=', '--initialMemory', '16', '--outFile', 'float.wasm'],
      {
        writeFile(name: string, contents: Uint8Array | string) {
          if (name.endsWith('.wasm')) binary = contents as Uint8Array;
        },
      } as never,
    );
    if (error || !binary) throw new Error(`asc failed: ${error?.message}\n${stderr.toString()}`);
    return new WebAssembly.Module(binary as Uint8Array<ArrayBuffer>);
  })();
  return compiled;
}

export class FloatKernel {
  private readonly k: FloatExports;
  private readonly arena: Arena;
  constructor(module: WebAssembly.Module) {
    this.k = new WebAssembly.Instance(module, {}).exports as unknown as FloatExports;
    this.arena = new Arena(this.k.memory, this.k.heapBase());
  }
  run(p: PreparedEpoch): RawEpochResult {
    if (p.n === 0) return allocRawResult(0);
    const a = this.arena;
    const scratchBytes = this.k.scratchBytesFloat(p.n);
    a.reset();
    a.reserve(align(scratchBytes) + jobBytes(p.n) + 64);
    // Dirty scratch and job region: the kernel must not rely on zeroed memory (nor read weight rows the
    // loader skips).
    const scratch = a.alloc(scratchBytes);
    a.u8.fill(0xa5, scratch, scratch + align(scratchBytes) + jobBytes(p.n) + 64);
    const job = writeJob(a, p);
    this.k.epochFloat(job, scratch);
    return readJob(a, job, p);
  }
  /** Runs the same job in batches of `times` and returns the median milliseconds per epoch (timing scripts only). */
  time(p: PreparedEpoch, times: number): number {
    const a = this.arena;
    const scratchBytes = this.k.scratchBytesFloat(p.n);
    a.reset();
    a.reserve(align(scratchBytes) + jobBytes(p.n) + 64);
    const scratch = a.alloc(scratchBytes);
    const job = writeJob(a, p);
    for (let r = 0; r < 3; r++) this.k.epochFloat(job, scratch);
    // Median of single-epoch times: the machine is shared, so means are dominated by preemption.
    const t: number[] = [];
    for (let r = 0; r < times; r++) {
      const t0 = performance.now();
      this.k.epochFloat(job, scratch);
      t.push(performance.now() - t0);
    }
    t.sort((x, y) => x - y);
    return t[t.length >> 1];
  }
}
