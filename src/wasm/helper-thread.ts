import { YumaError } from '../errors.js';

/**
 * A second Wasm instance on a Node worker thread, sharing the engine's memory. The main thread writes jobs into
 * the shared arena; both threads claim them one at a time from an atomic counter and run the same kernels; the
 * main thread copies results out as they complete. Only Atomics on a small control block cross threads: no
 * messages, no copies. Node only (browsers may not block their main thread in `Atomics.wait`).
 */

// Control block slots (Int32Array over a SharedArrayBuffer).
export const C = {
  READY: 0, // 1 once the helper has instantiated the module
  GEN: 1, // bumped by the main thread to start a run
  JOBS: 2, // address of the u32 job-pointer array
  COUNT: 3,
  MODE: 4,
  SCRATCH: 5, // the helper's scratch region
  DONE: 6, // address of the i32 per-job done flags
  NEXT: 7, // next job to claim (atomic add)
  WRITTEN: 8, // jobs written so far by the main thread
  FINISHED: 9, // generation the helper last finished
  ERROR: 10, // 1 if the helper's kernel call threw
  STOP: 11,
  ABORT: 12, // the main thread stopped publishing jobs: claim nothing more
} as const;
const SLOTS = 13;

// Evaluated as a CommonJS script in the worker (`eval: true`), so the bundle needs no separate worker file.
const HELPER_SOURCE = `
const { workerData } = require('node:worker_threads');
const { module, memory, control } = workerData;
const C = ${JSON.stringify(C)};
const ctrl = new Int32Array(control);
const kx = new WebAssembly.Instance(module, { env: { memory } }).exports;
Atomics.store(ctrl, C.READY, 1);
Atomics.notify(ctrl, C.READY);
let gen = 0;
for (;;) {
  Atomics.wait(ctrl, C.GEN, gen);
  gen = Atomics.load(ctrl, C.GEN);
  if (Atomics.load(ctrl, C.STOP)) break;
  const jobs = ctrl[C.JOBS] >>> 0, count = ctrl[C.COUNT], mode = ctrl[C.MODE];
  const scratch = ctrl[C.SCRATCH] >>> 0, done = (ctrl[C.DONE] >>> 0) / 4;
  const flags = new Int32Array(memory.buffer); // the memory may have grown since the last run
  try {
    for (;;) {
      const k = Atomics.add(ctrl, C.NEXT, 1);
      if (k >= count) break;
      let ready = true;
      for (;;) {
        const written = Atomics.load(ctrl, C.WRITTEN);
        if (written > k) break;
        if (Atomics.load(ctrl, C.ABORT)) { ready = false; break; }
        Atomics.wait(ctrl, C.WRITTEN, written);
      }
      if (!ready) break;
      kx.epochBatch(jobs + 4 * k, 1, mode, scratch);
      Atomics.store(flags, done + k, 1);
      Atomics.notify(flags, done + k);
    }
  } catch (e) {
    Atomics.store(ctrl, C.ERROR, 1);
  }
  Atomics.store(ctrl, C.FINISHED, gen);
  Atomics.notify(ctrl, C.FINISHED);
}
`;

interface NodeWorker {
  unref(): void;
  terminate(): Promise<number>;
  on(event: 'error', listener: (err: unknown) => void): void;
}
interface WorkerThreadsModule {
  Worker: new (source: string, opts: { eval: true; workerData: unknown }) => NodeWorker;
}

export function workerThreads(): WorkerThreadsModule {
  // getBuiltinModule works from ESM and CJS alike and keeps `node:worker_threads` out of browser bundles.
  const get = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process?.getBuiltinModule;
  const mod = get?.('node:worker_threads') as WorkerThreadsModule | undefined;
  if (!mod) throw new YumaError('E_ARG', 'threads > 1 needs Node.js worker threads (Node ≥ 20.16); use threads: 1 here');
  return mod;
}

export class HelperThread {
  readonly ctrl: Int32Array;
  private readonly worker: NodeWorker;
  private gen = 0;
  private failed: unknown = null;

  constructor(module: WebAssembly.Module, memory: WebAssembly.Memory) {
    const { Worker } = workerThreads();
    const control = new SharedArrayBuffer(SLOTS * 4);
    this.ctrl = new Int32Array(control);
    this.worker = new Worker(HELPER_SOURCE, { eval: true, workerData: { module, memory, control } });
    this.worker.on('error', (err) => (this.failed = err ?? 'helper thread failed'));
    // An idle helper must not keep the process alive.
    this.worker.unref();
  }

  /** Blocks until the helper has instantiated the module (once; a few tens of ms). */
  waitReady(timeoutMs = 30_000): void {
    const until = Date.now() + timeoutMs;
    while (Atomics.load(this.ctrl, C.READY) === 0) {
      this.check();
      if (Date.now() > until) throw new YumaError('E_STATE', 'the helper thread did not start');
      Atomics.wait(this.ctrl, C.READY, 0, 20);
    }
  }

  /** Starts a run: the helper claims jobs as the main thread publishes them (`published`). */
  start(jobs: number, count: number, mode: number, scratch: number, done: number): void {
    const c = this.ctrl;
    c[C.JOBS] = jobs;
    c[C.COUNT] = count;
    c[C.MODE] = mode;
    c[C.SCRATCH] = scratch;
    c[C.DONE] = done;
    c[C.ERROR] = 0;
    c[C.ABORT] = 0;
    Atomics.store(c, C.WRITTEN, 0);
    Atomics.store(c, C.NEXT, 0);
    this.gen = (this.gen + 1) | 0;
    Atomics.store(c, C.GEN, this.gen);
    Atomics.notify(c, C.GEN);
  }

  published(count: number): void {
    Atomics.store(this.ctrl, C.WRITTEN, count);
    Atomics.notify(this.ctrl, C.WRITTEN);
  }

  /** Tells the helper no further jobs will be published in this run. */
  abort(): void {
    Atomics.store(this.ctrl, C.ABORT, 1);
    Atomics.notify(this.ctrl, C.WRITTEN);
  }

  /** Claims the next job for the calling (main) thread, or -1 when none are left. */
  claim(count: number): number {
    const k = Atomics.add(this.ctrl, C.NEXT, 1);
    return k < count ? k : -1;
  }

  /** Waits until the helper has left the current run (so the arena may be reused). */
  finish(): void {
    while (Atomics.load(this.ctrl, C.FINISHED) !== this.gen) {
      this.check();
      Atomics.wait(this.ctrl, C.FINISHED, Atomics.load(this.ctrl, C.FINISHED), 20);
    }
    this.check();
  }

  /** Waits for job `k`'s done flag (an i32 in the shared memory). */
  waitDone(flags: Int32Array, index: number): void {
    while (Atomics.load(flags, index) === 0) {
      this.check();
      Atomics.wait(flags, index, 0, 20);
    }
  }

  close(): void {
    Atomics.store(this.ctrl, C.STOP, 1);
    Atomics.add(this.ctrl, C.GEN, 1);
    Atomics.notify(this.ctrl, C.GEN);
    void this.worker.terminate();
  }

  private check(): void {
    if (this.failed !== null || Atomics.load(this.ctrl, C.ERROR) !== 0) {
      throw new YumaError('E_STATE', `the helper thread failed: ${String(this.failed ?? 'a kernel call threw')}`);
    }
  }
}
