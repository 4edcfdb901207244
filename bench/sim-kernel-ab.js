// The fixed epoch kernel alone on the 128-subnet day's own epochs (issue 12), several Wasm builds interleaved: the
// sim-day-128 network runs `blocks` blocks on this package's engine; from kernel call `skip` on, `count` one-job
// kernel calls are captured with the whole Wasm memory as they find it; each build then replays every captured call
// from that memory (restored before each call, outside the timing, with the build's own static data below its heap
// base), CPU time a call, least and median over the rounds. Before timing, every build must leave the same memory
// after every call outside the kernel's scratch (all outputs and written-back bonds). Unlike `kernel-ab`'s synthetic
// subnet, these epochs hold what the simulator's validators do (liquid alpha's argument mix, dropped bonds, copiers).
// Reads the engine's private `k` (its kernel exports). `npm run build` first; run:
//   node bench/sim-kernel-ab.js old.wasm build/release.wasm …   (BLOCKS=1400 SKIP=500 COUNT=16 ROUNDS=8 REPS=5;
//   YUMA_BENCH_PACKAGE=path/to/index.js runs the day on another build)
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const pkgUrl = process.env.YUMA_BENCH_PACKAGE ? pathToFileURL(path.resolve(process.env.YUMA_BENCH_PACKAGE)).href : new URL('../dist/index.js', import.meta.url).href;
const pkg = await import(pkgUrl);
const wasmPaths = process.argv.slice(2);
const env = (name, d) => Number(process.env[name] ?? d);
const blocks = env('BLOCKS', 1400), skip = env('SKIP', 500), count = env('COUNT', 16), rounds = env('ROUNDS', 8), reps = env('REPS', 5);

const engine = pkg.createEngineSync();
const k = engine.k;
const heapBase = Number(k.heapBase());
const captured = [];
let calls = 0;
const shim = Object.create(null);
for (const key of Object.keys(k)) shim[key] = k[key];
shim.epochBatch = (jobs, n, mode, scratch) => {
  if (calls++ >= skip && captured.length < count && n === 1) captured.push({ mem: new Uint8Array(k.memory.buffer.slice(0)), args: [jobs, n, mode, scratch] });
  return k.epochBatch(jobs, n, mode, scratch);
};
Object.defineProperty(engine, 'k', { value: shim });
const UIDS = 256;
const net = new pkg.Network({ engine, subnets: 128, uidsPerSubnet: UIDS, subnet1Uids: 0, mode: 'fixed', mechanisms: 2, mechanismSubnets: Array.from({ length: 32 }, (_, i) => 4 * i + 1) });
net.run({ blocks });
if (captured.length === 0) throw new Error(`no kernel call past ${skip} in ${blocks} blocks (${calls} calls)`);
console.log(`sim-day-128: ${captured.length} kernel calls captured from call ${skip} (of ${calls} in ${blocks} blocks), ${(captured[0].mem.length / 2 ** 20).toFixed(0)} MB of memory each`);

const runs = wasmPaths.map((file) => {
  const x = new WebAssembly.Instance(new WebAssembly.Module(fs.readFileSync(file)), {}).exports;
  const own = new Uint8Array(x.memory.buffer.slice(0, Number(x.heapBase())));
  if (own.length > heapBase) throw new Error(`${file}: heap base ${own.length} above the capturing build's ${heapBase}`);
  const grow = captured[0].mem.length - x.memory.buffer.byteLength;
  if (grow > 0) x.memory.grow(Math.ceil(grow / 65536));
  return { file, x, own };
});
const restore = (run, c) => {
  const m = new Uint8Array(run.x.memory.buffer);
  m.set(c.mem);
  m.set(run.own);
};
for (const c of captured) {
  let first;
  for (const run of runs) {
    restore(run, c);
    run.x.epochBatch(...c.args);
    const after = new Uint8Array(run.x.memory.buffer.slice(heapBase, c.mem.length));
    const s = c.args[3] - heapBase;
    after.fill(0, s, s + Number(run.x.scratchBytesFixed(UIDS)));
    if (!first) first = after;
    else if (Buffer.compare(first, after) !== 0) throw new Error(`${run.file} leaves other memory than ${runs[0].file} after a captured call`);
  }
}

const cpuUs = () => {
  const u = process.cpuUsage();
  return u.user + u.system;
};
const load0 = os.loadavg()[0];
const samples = runs.map(() => []);
for (let r = 0; r < rounds; r++) {
  runs.forEach((run, b) => {
    let us = 0;
    for (const c of captured) {
      for (let i = 0; i < reps; i++) {
        restore(run, c);
        const t = cpuUs();
        run.x.epochBatch(...c.args);
        us += cpuUs() - t;
      }
    }
    samples[b].push(us / (captured.length * reps));
  });
}
const median = (v) => v.slice().sort((a, b) => a - b)[v.length >> 1];
console.log(`${rounds} rounds × ${captured.length} calls × ${reps}; load average ${load0.toFixed(1)} → ${os.loadavg()[0].toFixed(1)}; memory after each call identical outside the scratch`);
runs.forEach((run, b) => console.log(`${run.file}: CPU µs a call least ${Math.min(...samples[b]).toFixed(1)}, median ${median(samples[b]).toFixed(1)}`));
