/**
 * The float kernel alone as a network runs it: 64 different 256 × 64 subnets (the network rows' inputs, seeds
 * 7000…7063) written once each into their own memory and run one after another, against each job repeated
 * eight times in a row (the branch predictor and caches then hold that job, as in the single-subnet rows), for
 * several builds of the Wasm module interleaved in one process, after comparing their outputs. CPU time a call,
 * least and median over the rounds. SAME=1 makes the 64 jobs copies of one subnet (same data, cold memory);
 * MODE=fixed runs the fixed kernel instead.
 * Build: `node bench/build.mjs`; run:
 *   node build/bench/kernel-network-ab.js old.wasm build/release.wasm …   (ROUNDS=20, JOBS=64, N=256, K=64)
 */
import os from 'node:os';
import { readFileSync } from 'node:fs';
import { prepareEpoch } from '../src/epoch/prepare.js';
import { MODE_FIXED, MODE_FLOAT } from '../src/wasm/abi.js';
import { Arena, align } from '../src/wasm/arena.js';
import { instantiate } from '../src/wasm/loader.js';
import { jobBytes, readJob, writeJob } from '../src/wasm/marshal.js';
import { syntheticSubnet } from './suite.js';

const wasmPaths = process.argv.slice(2);
const n = Number(process.env.N ?? 256);
const k = Number(process.env.K ?? 64);
const count = Number(process.env.JOBS ?? 64);
const fixed = process.env.MODE === 'fixed';
const prepared = Array.from({ length: count }, (_, s) => {
  const { input, hyper } = syntheticSubnet({ n, validators: k, seed: 7000 + (process.env.SAME ? 0 : s) });
  return prepareEpoch(input, hyper, { mode: fixed ? 'fixed' : 'float' }, true);
});

const runs = wasmPaths.map((file) => {
  const kx = instantiate(new WebAssembly.Module(readFileSync(file)));
  const arena = new Arena(kx.memory, kx.heapBase());
  const scratchBytes = fixed ? kx.scratchBytesFixed(n) : kx.scratchBytesFloat(n);
  arena.reset();
  arena.reserve(align(scratchBytes) + 4 * count + 64 + count * (jobBytes(n) + 64));
  const scratch = arena.alloc(scratchBytes);
  const jobsPtr = arena.alloc(4 * count);
  const jobs = prepared.map((p) => writeJob(arena, p));
  jobs.forEach((job, i) => (arena.u32[jobsPtr / 4 + i] = job));
  const call = (i: number) => kx.epochBatch(jobsPtr + 4 * i, 1, fixed ? MODE_FIXED : MODE_FLOAT, scratch);
  const out = () => JSON.stringify(jobs.map((job, i) => readJob(arena, job, prepared[i])), (_, v) => (typeof v === 'bigint' ? `${v}` : ArrayBuffer.isView(v) ? Array.from(v as Uint8Array) : v));
  return { file, call, out };
});
for (const r of runs) for (let i = 0; i < count; i++) r.call(i);
const first = runs[0].out();
runs.forEach((r) => {
  if (r.out() !== first) throw new Error(`${r.file} gives other outputs than ${runs[0].file}`);
});

const cpuUs = () => {
  const u = process.cpuUsage();
  return u.user + u.system;
};
const rounds = Number(process.env.ROUNDS ?? 20);
const across: number[][] = runs.map(() => []);
const repeated: number[][] = runs.map(() => []);
const load0 = os.loadavg()[0];
for (let r = 0; r < rounds + 2; r++) {
  runs.forEach((run, b) => {
    let t = cpuUs();
    for (let i = 0; i < count; i++) run.call(i);
    const a = (cpuUs() - t) / count;
    t = cpuUs();
    for (let i = 0; i < count; i += 8) for (let q = 0; q < 8; q++) run.call(i);
    const h = (cpuUs() - t) / count;
    if (r >= 2) {
      across[b].push(a);
      repeated[b].push(h);
    }
  });
}
const median = (v: number[]) => v.slice().sort((x, y) => x - y)[v.length >> 1];
console.log(`${fixed ? 'fixed' : 'float'} kernel, ${count} ${process.env.SAME ? 'copies of one' : 'different'} ${n} × ${k} jobs; ${rounds} rounds; load average ${load0.toFixed(1)} → ${os.loadavg()[0].toFixed(1)}; outputs identical`);
runs.forEach((r, b) => console.log(`${r.file}: CPU µs a call, one job after another least ${Math.min(...across[b]).toFixed(1)}, median ${median(across[b]).toFixed(1)}; each job 8 times in a row least ${Math.min(...repeated[b]).toFixed(1)}, median ${median(repeated[b]).toFixed(1)}`));
