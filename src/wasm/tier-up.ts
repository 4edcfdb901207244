/**
 * Waiting for V8's optimising compiles of the kernels after a tier-up warm-up (`TIER_UP_WARM_UP`), so the first
 * real epoch neither runs beside them nor triggers them. The compiles run on V8's background threads; while they
 * run, those threads take the CPU from the caller's thread (a first 256-UID epoch measured 5–20 ms beside them on
 * two vCPUs, 2.0–2.5 ms after them). Nothing in JavaScript reports a finished compile, but their CPU time shows:
 * the calling thread sleeps in slices of SLICE_MS and the wait ends once the process used under IDLE_SHARE of a CPU
 * during IDLE_SLICES slices in a row, i.e. nothing else in it is running, or after MAX_WAIT_MS whatever else runs
 * in the process (a host's own busy worker threads cost it that once). Only where the host offers a process CPU
 * clock (Node's `process.cpuUsage`); elsewhere the engine does not wait.
 */
const SLICE_MS = 2;
const IDLE_SLICES = 2;
const IDLE_SHARE = 0.1;
const MAX_WAIT_MS = 250;

type CpuClock = () => number;

/** The process's CPU time in ms (all its threads), or null where the host has no such clock. */
function processCpuClock(): CpuClock | null {
  const proc = (globalThis as { process?: { cpuUsage?: () => { user: number; system: number } } }).process;
  const usage = proc?.cpuUsage;
  if (typeof usage !== 'function') return null;
  return () => {
    const u = usage.call(proc);
    return (u.user + u.system) / 1000;
  };
}

/** Sleeps in slices (`sleep`) until the process's other threads are idle; see the module comment. */
function* settleSteps(cpu: CpuClock): Generator<number, void, void> {
  const start = performance.now();
  let idle = 0;
  let t = start;
  let c = cpu();
  while (idle < IDLE_SLICES && t - start < MAX_WAIT_MS) {
    yield SLICE_MS;
    const t2 = performance.now();
    const c2 = cpu();
    idle = c2 - c < IDLE_SHARE * (t2 - t) ? idle + 1 : 0;
    t = t2;
    c = c2;
  }
}

/** Blocks the calling thread until the kernels' background compiles are done (at most MAX_WAIT_MS). */
export function settleTierUpSync(): void {
  const cpu = processCpuClock();
  if (cpu === null || typeof SharedArrayBuffer !== 'function') return;
  const cell = new Int32Array(new SharedArrayBuffer(4));
  for (const ms of settleSteps(cpu)) {
    try {
      Atomics.wait(cell, 0, 0, ms);
    } catch {
      return; // a thread that may not block (a browser-like main thread that still has `process`): no wait
    }
  }
}

/** The same without blocking: yields to the event loop between slices. */
export async function settleTierUp(): Promise<void> {
  const cpu = processCpuClock();
  if (cpu === null) return;
  for (const ms of settleSteps(cpu)) await new Promise((resolve) => setTimeout(resolve, ms));
}
