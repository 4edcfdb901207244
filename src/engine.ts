import { checkPreparedList, prepareBatch } from './epoch/batch.js';
import { explainPathDivergence, type MechanismPathDivergence, type PathDivergence, type PathDivergenceOptions } from './epoch/divergence.js';
import { jobsOf, prepareItem, runItems, type PreparedItem } from './epoch/mechanisms.js';
import { checkPrepared, type PreparedEpoch } from './epoch/prepare.js';
import { allocRawResult, type RawEpochResult } from './epoch/result.js';
import { TIER_UP_ROUNDS, TIER_UP_WARM_UP, warmUpSubnet } from './epoch/warm-up.js';
import type { BatchItem, EpochInput, EpochInputLike, EpochOptions, EpochOutput, Hyperparams, MechanismEpochInput, MechanismEpochInputLike, MechanismEpochOutput } from './epoch/types.js';
import { MODE_FIXED, MODE_FLOAT } from './wasm/abi.js';
import { Arena, align } from './wasm/arena.js';
import { YumaError } from './errors.js';
import { show } from './validation/describe.js';
import { readOptions } from './validation/read.js';
import { HelperThread, workerThreads } from './wasm/helper-thread.js';
import { compileAsync, compileSharedSync, compileSync, createSharedMemory, instantiate, instantiateShared, type KernelExports } from './wasm/loader.js';
import { jobBytes, readJob, readResidentJob, residentJobBytes, writeJob, writeResidentJob } from './wasm/marshal.js';
import { registerResidentHost, residentReaper, ResidentMatrices, type ResidentEpoch, type ResidentHost } from './wasm/resident.js';
import { settleTierUp, settleTierUpSync } from './wasm/tier-up.js';

/** One instantiated Wasm module with its own memory (with `threads: 2`, shared with one helper thread only). */
export interface Engine {
  /**
   * One subnet's epoch. `mode` defaults to `'fixed'` (bit-exact with the chain), `path` to `'sparse'`. With
   * `input.mechanisms`, the chain's `epoch_with_mechanisms`: one epoch per mechanism (jobs of one batch) and the
   * aggregate the chain persists, with each mechanism's own output in `mechanisms`.
   */
  epoch(input: MechanismEpochInputLike, hyper?: Partial<Hyperparams> | null, opts?: EpochOptions | null): MechanismEpochOutput;
  epoch(input: EpochInput, hyper?: Partial<Hyperparams> | null, opts?: EpochOptions | null): EpochOutput;
  epoch(input: EpochInputLike, hyper?: Partial<Hyperparams> | null, opts?: EpochOptions | null): EpochOutput;
  epoch(input: EpochInput | MechanismEpochInput | EpochInputLike | MechanismEpochInputLike, hyper?: Partial<Hyperparams> | null, opts?: EpochOptions | null): EpochOutput | MechanismEpochOutput;
  /**
   * Many subnets in one call: one trip into Wasm, one arena, outputs in batch order. Items may have mechanisms
   * (their outputs are `MechanismEpochOutput`s); every mechanism of every subnet is one job of the batch.
   */
  epochs(batch: BatchItem[], opts?: EpochOptions | null): EpochOutput[];
  /** Runs already-prepared epochs and returns raw results (for tests, benchmarks and the simulator). */
  runPrepared(prepared: PreparedEpoch[]): RawEpochResult[];
  /**
   * Both chain paths on one epoch (`mode` as for `epoch`): whether their stored outputs differ, which ones, per UID,
   * and which path rules cause it (found by running the epoch with the rules switched; see `PATH_RULES`).
   */
  explainPathDivergence(input: MechanismEpochInput, hyper?: Partial<Hyperparams> | null, opts?: PathDivergenceOptions | null): MechanismPathDivergence;
  explainPathDivergence(input: EpochInput | EpochInputLike, hyper?: Partial<Hyperparams> | null, opts?: PathDivergenceOptions | null): PathDivergence;
  explainPathDivergence(input: EpochInput | MechanismEpochInput | EpochInputLike, hyper?: Partial<Hyperparams> | null, opts?: PathDivergenceOptions | null): PathDivergence | MechanismPathDivergence;
  /** Bytes of Wasm linear memory currently reserved. */
  readonly memoryBytes: number;
  /** Stops the helper thread of a threaded engine (a no-op otherwise); the engine is unusable afterwards. */
  close(): void;
}

/** Options of `createEngine` / `createEngineSync`. */
export interface EngineOptions {
  /**
   * 1 (default): everything on the calling thread. 2: a helper worker thread shares the Wasm memory and runs
   * half of the kernels of an `epochs` batch (Node.js only; results are identical, only faster for batches).
   */
  threads?: 1 | 2;
}

/** Target size of one group of jobs in Wasm memory (about what stays in L2/L3 between write and read). */
const CHUNK_BYTES = 1 << 20;

/** What a resident run on one thread reserves: its scratch, one job of up to `maxN` UIDs, its job pointer. */
const aloneRunBytes = (scratchBytes: number, maxN: number): number => align(scratchBytes) + residentJobBytes(maxN) + 32;

/** What `shareJobs` reserves for `count` jobs over two threads: a scratch each, the job and done lists, the jobs. */
const sharedRunBytes = (scratchBytes: number, count: number, jobsBytes: number): number => 2 * align(scratchBytes) + 2 * align(4 * count) + 64 + jobsBytes;

class WasmEngine implements Engine {
  private readonly k: KernelExports;
  private readonly arena: Arena;
  private readonly helper: HelperThread | null;
  private closed = false;

  /** `tierUp`: also run the tier-up warm-up (`TIER_UP_WARM_UP`), for the first engine of a compiled module. */
  constructor(k: KernelExports, helper: HelperThread | null = null, tierUp = false) {
    this.k = k;
    this.arena = new Arena(k.memory, k.heapBase());
    this.helper = helper;
    const host: ResidentHost = {
      matrices: (capacity, owner) => {
        if (this.closed) throw new YumaError('E_STATE', 'this engine was closed');
        const m = new ResidentMatrices(this.arena, capacity);
        m.host = host;
        residentReaper.register(owner, m);
        return m;
      },
      run: (jobs, onResult) => this.runResident(jobs, onResult),
      checkOpen: () => {
        if (this.closed) throw new YumaError('E_STATE', 'this engine was closed');
      },
      reserveRun: (n, jobs, mode) => {
        if (this.closed) throw new YumaError('E_STATE', 'this engine was closed');
        const scratch = mode === 'fixed' ? this.k.scratchBytesFixed(n) : this.k.scratchBytesFloat(n);
        // the larger of what runResident reserves on this thread and what shareJobs reserves for both
        const alone = aloneRunBytes(scratch, n);
        const shared = this.helper && jobs > 1 ? sharedRunBytes(scratch, jobs, jobs * residentJobBytes(n)) : 0;
        this.arena.reset();
        this.arena.reserve(Math.max(alone, shared));
      },
    };
    registerResidentHost(this, host);
    // One small epoch per mode through the whole path, so a process's first real epoch does not pay for
    // baseline code; the first engine of a module also uses up V8's tier-up budgets (see warm-up.ts).
    const small = warmUpSubnet();
    for (const mode of ['float', 'fixed'] as const) this.epoch(small.input, small.hyper, { mode });
    if (!tierUp) return;
    const full = warmUpSubnet(TIER_UP_WARM_UP);
    for (let r = 0; r < TIER_UP_ROUNDS; r++) {
      for (const mode of ['float', 'fixed'] as const) this.epoch(full.input, full.hyper, { mode });
    }
  }

  close(): void {
    this.closed = true;
    this.helper?.close();
  }

  get memoryBytes(): number {
    return this.arena.memoryBytes;
  }

  epoch(input: MechanismEpochInputLike, hyper?: Partial<Hyperparams> | null, opts?: EpochOptions | null): MechanismEpochOutput;
  epoch(input: EpochInput, hyper?: Partial<Hyperparams> | null, opts?: EpochOptions | null): EpochOutput;
  epoch(input: EpochInputLike, hyper?: Partial<Hyperparams> | null, opts?: EpochOptions | null): EpochOutput;
  epoch(input: EpochInput | MechanismEpochInput | EpochInputLike | MechanismEpochInputLike, hyper?: Partial<Hyperparams> | null, opts?: EpochOptions | null): EpochOutput | MechanismEpochOutput;
  epoch(input: EpochInput | MechanismEpochInput | EpochInputLike | MechanismEpochInputLike, hyper?: Partial<Hyperparams> | null, opts?: EpochOptions | null): EpochOutput | MechanismEpochOutput {
    const item = prepareItem(input, hyper, opts, true);
    // A later mechanism's getters may have detached an earlier mechanism's borrowed matrix: checked before use.
    if (jobsOf(item).length > 1) checkItems([item], 'input');
    return runItems([item], (jobs) => this.run(jobs, false))[0];
  }

  epochs(batch: BatchItem[], opts?: EpochOptions | null): EpochOutput[] {
    const items = prepareBatch(batch, opts, true);
    // A getter of a later item may have detached an earlier item's borrowed matrix: checked before use.
    checkItems(items, 'batch');
    return runItems(items, (jobs) => this.run(jobs, false));
  }

  runPrepared(prepared: PreparedEpoch[]): RawEpochResult[] {
    return this.run(checkPreparedList(prepared), true);
  }

  explainPathDivergence(input: MechanismEpochInput, hyper?: Partial<Hyperparams> | null, opts?: PathDivergenceOptions | null): MechanismPathDivergence;
  explainPathDivergence(input: EpochInput | EpochInputLike, hyper?: Partial<Hyperparams> | null, opts?: PathDivergenceOptions | null): PathDivergence;
  explainPathDivergence(input: EpochInput | MechanismEpochInput | EpochInputLike, hyper?: Partial<Hyperparams> | null, opts?: PathDivergenceOptions | null): PathDivergence | MechanismPathDivergence;
  explainPathDivergence(input: EpochInput | MechanismEpochInput | EpochInputLike, hyper?: Partial<Hyperparams> | null, opts?: PathDivergenceOptions | null): PathDivergence | MechanismPathDivergence {
    return explainPathDivergence((prepared) => this.run(prepared, true), input, hyper, opts);
  }

  private run(prepared: PreparedEpoch[], fullRaw: boolean): RawEpochResult[] {
    if (this.closed) throw new YumaError('E_STATE', 'this engine was closed');
    const results: RawEpochResult[] = new Array(prepared.length);
    for (const [mode, idx] of groupByMode(prepared, results)) {
      if (this.helper && idx.length > 1) this.runShared(this.helper, prepared, idx, mode, fullRaw, results);
      else this.runChunked(prepared, idx, mode, fullRaw, results);
    }
    return results;
  }

  /**
   * Resident epochs, one trip into Wasm each: the header and per-UID vectors written into the bump region, the
   * kernels reading the resident matrices in place, the bonds written back into them. With a helper thread and
   * more than one job of a mode, the jobs are shared between both threads (`runResidentShared`).
   */
  private runResident(jobs: ResidentEpoch[], onResult?: (index: number, raw: RawEpochResult) => void): RawEpochResult[] {
    if (this.closed) throw new YumaError('E_STATE', 'this engine was closed');
    const results: RawEpochResult[] = new Array(jobs.length);
    let failure: { error: unknown } | null = null;
    const done = (i: number, raw: RawEpochResult) => {
      results[i] = raw;
      if (onResult === undefined || failure !== null) return;
      try {
        onResult(i, raw);
      } catch (error) {
        failure = { error };
      }
    };
    // an epoch of n = 0 needs no kernel: groupByMode gives its empty result
    const groups = groupByMode(jobs, results);
    for (let i = 0; i < jobs.length; i++) if (results[i] !== undefined) done(i, results[i]);
    for (const [mode, idx] of groups) {
      if (this.helper && idx.length > 1) {
        this.runResidentShared(this.helper, jobs, idx, mode, done);
        continue;
      }
      const scratchBytes = this.scratchBytes(jobs, idx, mode);
      const a = this.arena;
      a.reset();
      a.reserve(aloneRunBytes(scratchBytes, Math.max(...idx.map((i) => jobs[i].n))));
      const scratch = a.alloc(scratchBytes);
      const jobsPtr = a.alloc(4);
      const base = a.mark();
      for (const i of idx) {
        a.rewind(base);
        const job = writeResidentJob(a, jobs[i], jobs[i].matrices);
        a.u32[jobsPtr / 4] = job;
        this.k.epochBatch(jobsPtr, 1, mode, scratch);
        done(i, readResidentJob(a, job, jobs[i].matrices));
      }
    }
    if (failure !== null) throw (failure as { error: unknown }).error;
    return results;
  }

  /**
   * Resident jobs of one mode over two threads, as `runShared` runs stateless ones: the matrices already lie in
   * the memory both instances share, so only each job's header and per-UID vectors are written (each in its own
   * region, published to the helper as they are written); both threads claim kernels, and the main thread commits
   * each job's bonds into its matrices and copies its vectors out as soon as it is done. Every job has matrices
   * of its own (one per mechanism of a subnet), so the two threads never touch the same ones.
   */
  private runResidentShared(helper: HelperThread, jobs: ResidentEpoch[], order: number[], mode: number, done: (index: number, raw: RawEpochResult) => void): void {
    const seen = new Set<ResidentMatrices>();
    for (const i of order) {
      if (seen.has(jobs[i].matrices)) throw new YumaError('E_STATE', 'two jobs of one resident run share their matrices');
      seen.add(jobs[i].matrices);
    }
    const idx = [...order].sort((x, y) => jobs[y].n - jobs[x].n || x - y);
    let jobsBytes = 0;
    for (const i of idx) jobsBytes += residentJobBytes(jobs[i].n);
    const a = this.arena;
    this.shareJobs(helper, idx, mode, this.scratchBytes(jobs, idx, mode), jobsBytes,
      (i) => writeResidentJob(a, jobs[i], jobs[i].matrices),
      (i, header) => done(i, readResidentJob(a, header, jobs[i].matrices)));
  }

  /**
   * Jobs of one mode over two threads (`runShared`, `runResidentShared`): every job gets its own region of one
   * reserved arena block; the main thread writes them in `idx` order, publishing each to the helper (which starts
   * at once), then claims kernels itself and reads out every job, in order, as soon as it is done, whichever
   * thread ran it.
   */
  private shareJobs(helper: HelperThread, idx: number[], mode: number, scratchBytes: number, jobsBytes: number, write: (i: number) => number, read: (i: number, header: number) => void): void {
    const count = idx.length;
    const a = this.arena;
    a.reset();
    a.reserve(sharedRunBytes(scratchBytes, count, jobsBytes));
    const mine = a.alloc(scratchBytes);
    const theirs = a.alloc(scratchBytes);
    const jobsPtr = a.alloc(4 * count);
    const donePtr = a.alloc(4 * count);
    const headers = new Array<number>(count);
    a.i32.fill(0, donePtr / 4, donePtr / 4 + count);
    helper.start(jobsPtr, count, mode, theirs, donePtr);
    let published = 0;
    try {
      for (let k = 0; k < count; k++) {
        headers[k] = write(idx[k]); // within the reserved block: never grows memory
        a.u32[jobsPtr / 4 + k] = headers[k];
        helper.published(++published);
      }
      const flags = a.i32;
      let next = 0; // next job to read out
      for (;;) {
        while (next < count && Atomics.load(flags, donePtr / 4 + next) !== 0) {
          read(idx[next], headers[next]);
          next++;
        }
        if (next === count) break;
        const k = helper.claim(count);
        if (k >= 0) {
          this.k.epochBatch(jobsPtr + 4 * k, 1, mode, mine);
          Atomics.store(flags, donePtr / 4 + k, 1);
        } else {
          helper.waitDone(flags, donePtr / 4 + next);
        }
      }
    } finally {
      if (published < count) helper.abort(); // never leave the helper waiting on a job that will not come
      helper.finish();
    }
  }

  /** The kernel's scratch for the largest of the jobs `idx`. */
  private scratchBytes(prepared: ReadonlyArray<Pick<PreparedEpoch, 'n'>>, idx: number[], mode: number): number {
    const maxN = Math.max(...idx.map((i) => prepared[i].n));
    return mode === MODE_FIXED ? this.k.scratchBytesFixed(maxN) : this.k.scratchBytesFloat(maxN);
  }

  /**
   * One mode's jobs on this thread, chunk by chunk (`chunkJobs`): the kernels never allocate, everything lives in
   * one reserved arena block, a scratch region and one job region every chunk reuses; each chunk is one trip into
   * Wasm.
   */
  private runChunked(prepared: PreparedEpoch[], idx: number[], mode: number, fullRaw: boolean, results: RawEpochResult[]): void {
    const scratchBytes = this.scratchBytes(prepared, idx, mode);
    const { chunks, maxChunkBytes } = chunkJobs(prepared, idx);
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
      group.forEach((i, k) => (results[i] = readJob(a, jobs[k], prepared[i], fullRaw)));
    }
  }

  /**
   * Stateless jobs of one mode over two threads (`shareJobs`), their whole input and output in their regions.
   */
  private runShared(helper: HelperThread, prepared: PreparedEpoch[], order: number[], mode: number, fullRaw: boolean, results: RawEpochResult[]): void {
    // Largest subnets first: a big job claimed last would leave one thread idle while the other finishes it.
    const idx = [...order].sort((x, y) => prepared[y].n - prepared[x].n || x - y);
    let jobsBytes = 0;
    for (const i of idx) jobsBytes += jobBytes(prepared[i].n);
    const a = this.arena;
    this.shareJobs(helper, idx, mode, this.scratchBytes(prepared, idx, mode), jobsBytes,
      (i) => writeJob(a, prepared[i]),
      (i, header) => (results[i] = readJob(a, header, prepared[i], fullRaw)));
  }
}

/**
 * The jobs of each kernel mode (float, then fixed), as indices into `prepared`; an epoch of n = 0 needs no kernel
 * and gets its empty result here.
 */
function groupByMode(prepared: ReadonlyArray<Pick<PreparedEpoch, 'mode' | 'n'>>, results: RawEpochResult[]): [mode: number, idx: number[]][] {
  const groups: [number, number[]][] = [];
  for (const mode of [MODE_FLOAT, MODE_FIXED]) {
    const idx: number[] = [];
    prepared.forEach((p, i) => {
      if ((p.mode === 'fixed' ? MODE_FIXED : MODE_FLOAT) !== mode) return;
      if (p.n === 0) results[i] = allocRawResult(0);
      else idx.push(i);
    });
    if (idx.length > 0) groups.push([mode, idx]);
  }
  return groups;
}

/**
 * Jobs in groups of about CHUNK_BYTES that reuse one region, so a big batch runs cache-warm instead of laying
 * every subnet side by side; `maxChunkBytes` is the largest group's jobs plus its job-pointer list.
 */
function chunkJobs(prepared: PreparedEpoch[], idx: number[]): { chunks: number[][]; maxChunkBytes: number } {
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
  return { chunks, maxChunkBytes };
}

function checkItems(items: PreparedItem[], where: string): void {
  items.forEach((it, i) => jobsOf(it).forEach((p) => checkPrepared(p, where === 'batch' ? `batch[${i}]` : where)));
}

/**
 * Instantiates the kernels (compiling the module once per process). Works in Node and browsers; `threads: 2`
 * (Node only) adds a helper thread for batches.
 */
export async function createEngine(opts?: EngineOptions): Promise<Engine> {
  if (threadsOf(opts) === 2) {
    const { engine, tierUp } = createThreaded();
    if (tierUp) await settleTierUp();
    return engine;
  }
  const module = await compileAsync();
  const tierUp = firstOf(module);
  const engine = warmed(module, tierUp, () => new WasmEngine(instantiate(module), null, tierUp));
  if (tierUp) await settleTierUp();
  return engine;
}

/**
 * Synchronous variant; browsers refuse sync compilation only for modules over 8 MB, ours is far smaller. The
 * first engine of a process blocks until V8 has optimised the kernels it warmed up (see `settleTierUpSync`).
 */
export function createEngineSync(opts?: EngineOptions): Engine {
  if (threadsOf(opts) === 2) {
    const { engine, tierUp } = createThreaded();
    if (tierUp) settleTierUpSync();
    return engine;
  }
  const module = compileSync();
  const tierUp = firstOf(module);
  const engine = warmed(module, tierUp, () => new WasmEngine(instantiate(module), null, tierUp));
  if (tierUp) settleTierUpSync();
  return engine;
}

/**
 * An engine for a process that runs a single epoch and exits (the CLI's `epoch`): the small warm-up only, no
 * tier-up warm-up and no wait for V8's optimising compiles, which would cost more than the one epoch saves. Not
 * exported from the package; a later `createEngine` in the process still tiers the module up.
 */
export function createOneShotEngineSync(): Engine {
  return new WasmEngine(instantiate(compileSync()));
}

/**
 * Compiled modules whose first engine ran the tier-up warm-up: V8 keeps optimised code per module, shared by all
 * its instances, so later engines need only the small warm-up.
 */
const tieredUp = new WeakSet<WebAssembly.Module>();

function firstOf(module: WebAssembly.Module): boolean {
  if (tieredUp.has(module)) return false;
  tieredUp.add(module);
  return true;
}

/**
 * The engine `make` builds (its warm-up runs in the constructor). When it throws, the module is not counted as
 * tiered up, so the next engine runs the tier-up warm-up again instead of never.
 */
function warmed<T>(module: WebAssembly.Module, tierUp: boolean, make: () => T): T {
  try {
    return make();
  } catch (e) {
    if (tierUp) tieredUp.delete(module);
    throw e;
  }
}

function threadsOf(opts: EngineOptions | undefined): 1 | 2 {
  const t = readOptions(opts, 'engine options', ['threads']).threads ?? 1;
  if (t !== 1 && t !== 2) throw new YumaError('E_ARG', `threads must be 1 or 2 (got ${show(t)})`);
  return t;
}

function createThreaded(): { engine: Engine; tierUp: boolean } {
  workerThreads(); // E_ARG before touching shared memory where there are no worker threads (browsers)
  const module = compileSharedSync();
  const memory = createSharedMemory();
  const helper = new HelperThread(module, memory);
  try {
    helper.waitReady();
  } catch (e) {
    helper.close();
    throw e;
  }
  const tierUp = firstOf(module);
  try {
    return { engine: warmed(module, tierUp, () => new WasmEngine(instantiateShared(module, memory), helper, tierUp)), tierUp };
  } catch (e) {
    helper.close(); // an engine that was never handed out: nobody else can stop its thread
    throw e;
  }
}
