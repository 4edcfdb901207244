import wasmBytes from '../../build/release.wasm';
import sharedWasmBytes from '../../build/release-shared.wasm';

/** The exports of build/release.wasm that the TypeScript side uses (checked against assembly/index.ts). */
export interface KernelExports {
  memory: WebAssembly.Memory;
  heapBase(): number;
  scratchBytesFloat(n: number): number;
  scratchBytesFixed(n: number): number;
  epochBatch(jobs: number, count: number, mode: number, scratch: number): void;
  /** One yuma-simulation epoch (src/research/wasm.ts writes the header at `job`). */
  researchEpoch(job: number): void;
  researchScratchBytes(V: number, M: number): number;
  /** e^x in place over `n` f64 at `p` (the liquid-alpha exponential; for its tests). */
  researchExpMap(p: number, n: number): void;
  /** f64 → float32 of `n` entries from `src` to `dst` (float32 research epochs fed f64 weights). */
  researchToF32(dst: number, src: number, n: number): void;
  /** The block's coinbase passes over the table at `table` (src/wasm/coinbase.ts). */
  coinbaseShares(table: number): void;
  coinbaseTerms(table: number): void;
  coinbaseInject(table: number): void;
  coinbaseAlphaOut(table: number): void;
  coinbaseMovingPrices(table: number): void;
}

let compiled: WebAssembly.Module | undefined;
let compiling: Promise<WebAssembly.Module> | undefined;

/** Compiles the module once per process; instances (one per engine) share it. */
export function compileSync(): WebAssembly.Module {
  compiled ??= new WebAssembly.Module(wasmBytes);
  return compiled;
}

export async function compileAsync(): Promise<WebAssembly.Module> {
  if (compiled) return compiled;
  compiling ??= WebAssembly.compile(wasmBytes).then((m) => (compiled = m));
  return compiling;
}

export function instantiate(module: WebAssembly.Module): KernelExports {
  // The module imports nothing: built with `use: ["abort="]` and the stub runtime.
  return new WebAssembly.Instance(module, {}).exports as unknown as KernelExports;
}

// The same kernels built against an imported shared memory (asconfig target `release-shared`): what the helper
// thread of a threaded engine instantiates over the main thread's memory.
let compiledShared: WebAssembly.Module | undefined;

export function compileSharedSync(): WebAssembly.Module {
  compiledShared ??= new WebAssembly.Module(sharedWasmBytes);
  return compiledShared;
}

/** Wasm32 page count the shared build declares as its maximum (asconfig `maximumMemory`). */
export const SHARED_MAX_PAGES = 65536;

export function createSharedMemory(): WebAssembly.Memory {
  return new WebAssembly.Memory({ initial: 32, maximum: SHARED_MAX_PAGES, shared: true });
}

export function instantiateShared(module: WebAssembly.Module, memory: WebAssembly.Memory): KernelExports {
  return new WebAssembly.Instance(module, { env: { memory } }).exports as unknown as KernelExports;
}
