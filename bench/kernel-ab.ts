/**
 * The epoch kernel alone (one `epochBatch` job, no copy in or out), several builds of the Wasm module interleaved
 * in one process: CPU time a call, least and median over the rounds, after the builds' outputs were compared
 * (they must be identical, bit for bit). For kernel changes, where the resident rows' JS around the kernel would
 * only add noise. Build: `node bench/build.mjs`; run:
 *   node build/bench/kernel-ab.js <n> <float|fixed> old.wasm build/release.wasm …   (K=64 validators, ROUNDS=15,
 *   REPS=…, VARIANT=yuma3|yuma3-la)
 */
import os from 'node:os';
import { readFileSync } from 'node:fs';
import { prepareEpoch } from '../src/epoch/prepare.js';
import type { Hyperparams } from '../src/epoch/types.js';
import { MODE_FIXED, MODE_FLOAT } from '../src/wasm/abi.js';
import { Arena } from '../src/wasm/arena.js';
import { instantiate } from '../src/wasm/loader.js';
import { readJob } from '../src/wasm/marshal.js';
import { writeKernelJob } from './kernel-job.js';
import { syntheticSubnet } from './suite.js';

const [nArg = '256', mode = 'float', ...wasmPaths] = process.argv.slice(2);
const n = Number(nArg);
const k = Number(process.env.K ?? 64);
const variant = process.env.VARIANT;
const extra: Partial<Hyperparams> = variant === 'yuma3' ? { yuma3Enabled: true } : variant === 'yuma3-la' ? { yuma3Enabled: true, liquidAlphaEnabled: true } : {};
const { input, hyper } = syntheticSubnet({ n, validators: k, seed: n * 1000 + k });
const modeId = mode === 'fixed' ? MODE_FIXED : MODE_FLOAT;
const p = prepareEpoch(input, { ...hyper, ...extra }, { mode: mode as 'float' | 'fixed' }, true);

const runs = wasmPaths.map((file) => {
  const kx = instantiate(new WebAssembly.Module(readFileSync(file)));
  const arena = new Arena(kx.memory, kx.heapBase());
  const { jobsPtr, scratch, job } = writeKernelJob(kx, arena, p, n, modeId);
  const call = () => kx.epochBatch(jobsPtr, 1, modeId, scratch);
  const out = () => JSON.stringify(readJob(arena, job, p), (_, v) => (typeof v === 'bigint' ? `${v}` : ArrayBuffer.isView(v) ? Array.from(v as Uint8Array) : v));
  return { file, call, out };
});
const first = runs.map((r) => (r.call(), r.out()));
first.forEach((o, b) => {
  if (o !== first[0]) throw new Error(`${wasmPaths[b]} gives other outputs than ${wasmPaths[0]}`);
});

const cpuUs = () => {
  const u = process.cpuUsage();
  return u.user + u.system;
};
const rounds = Number(process.env.ROUNDS ?? 15);
const reps = Number(process.env.REPS ?? Math.max(20, Math.round(100_000 / n)));
const samples: number[][] = runs.map(() => []);
const load0 = os.loadavg()[0];
for (let r = 0; r < rounds + 2; r++) {
  runs.forEach((run, b) => {
    const t = cpuUs();
    for (let i = 0; i < reps; i++) run.call();
    if (r >= 2) samples[b].push((cpuUs() - t) / reps);
  });
}
runs.forEach((r, b) => {
  if (r.out() !== first[b]) throw new Error(`${r.file}: a repeated call changed the outputs`);
});
const median = (v: number[]) => v.slice().sort((x, y) => x - y)[v.length >> 1];
console.log(`${mode} kernel ${n} × ${k}${variant ? ` ${variant}` : ''}; ${rounds} rounds × ${reps}; load average ${load0.toFixed(1)} → ${os.loadavg()[0].toFixed(1)}; outputs identical`);
runs.forEach((r, b) => console.log(`${r.file}: CPU µs a call least ${Math.min(...samples[b]).toFixed(1)}, median ${median(samples[b]).toFixed(1)}`));
