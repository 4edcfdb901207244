/**
 * Where one Wasm epoch's time goes, stage by stage (issue 6): validation and canonical form (`prepareEpoch`),
 * the copy into Wasm memory (`writeJob`), the kernel itself (`epochBatch`), the copy out (`readJob`) and the
 * public output shape (`toEpochOutput`). Run: `node bench/build.mjs && node build/bench/profile.js [n] [k] [mode] [yuma3|yuma3-la]`;
 * PROFILE_KERNEL_ONLY=1 loops the kernel alone (for `node --cpu-prof`). `profile.js network [mode]` splits the
 * network epoch (64 × 256 + 1 × 1024) into validation and Wasm, batched and one job per call.
 */
import { prepareEpoch } from '../src/epoch/prepare.js';
import { toEpochOutput } from '../src/epoch/result.js';
import type { Hyperparams } from '../src/epoch/types.js';
import { MODE_FIXED, MODE_FLOAT } from '../src/wasm/abi.js';
import { Arena } from '../src/wasm/arena.js';
import { readFileSync } from 'node:fs';
import { compileSync, instantiate } from '../src/wasm/loader.js';
import { readJob } from '../src/wasm/marshal.js';
import { writeKernelJob } from './kernel-job.js';
import { createEngineSync } from '../src/engine.js';
import type { PreparedEpoch } from '../src/epoch/prepare.js';
import { syntheticSubnet } from './suite.js';

if (process.argv[2] === 'network') {
  profileNetwork((process.argv[3] ?? 'float') as 'float' | 'fixed');
  process.exit(0);
}

const [n = 1024, k = 64] = process.argv.slice(2, 4).map(Number);
const mode = (process.argv[4] ?? 'float') as 'float' | 'fixed';
const variant = process.argv[5];
const extra: Partial<Hyperparams> = variant === 'yuma3' ? { yuma3Enabled: true } : variant === 'yuma3-la' ? { yuma3Enabled: true, liquidAlphaEnabled: true } : {};

// YUMA_WASM=path.wasm profiles another build of the kernels (e.g. one compiled with a name section for --cpu-prof).
const kx = instantiate(process.env.YUMA_WASM ? new WebAssembly.Module(readFileSync(process.env.YUMA_WASM)) : compileSync());
const arena = new Arena(kx.memory, kx.heapBase());
const { input, hyper } = syntheticSubnet({ n, validators: k, seed: n * 1000 + k });
const h = { ...hyper, ...extra };
const modeId = mode === 'fixed' ? MODE_FIXED : MODE_FLOAT;

function time(label: string, reps: number, fn: () => void): number {
  for (let r = 0; r < Math.min(reps, 20); r++) fn();
  const samples: number[] = [];
  for (let r = 0; r < reps; r++) {
    const t0 = performance.now();
    fn();
    samples.push(performance.now() - t0);
  }
  samples.sort((a, b) => a - b);
  const median = samples[samples.length >> 1];
  console.log(`${label.padEnd(34)} ${median.toFixed(4).padStart(9)} ms  (min ${samples[0].toFixed(4)})`);
  return median;
}

const reps = n >= 1024 ? 60 : 300;
let p = prepareEpoch(input, h, { mode }, true);
const setup = () => writeKernelJob(kx, arena, p, n, modeId);
let s = setup();
console.log(`n = ${n}, validators = ${k}, mode = ${mode}${variant ? `, ${variant}` : ''}; median of ${reps}`);
if (process.env.PROFILE_KERNEL_ONLY) {
  time('writeJob + kernel', reps * 10, () => { s = setup(); kx.epochBatch(s.jobsPtr, 1, modeId, s.scratch); });
  process.exit(0);
}
const tPrepare = time('prepareEpoch (validate, borrow)', reps, () => { p = prepareEpoch(input, h, { mode }, true); });
const tWrite = time('writeJob (copy in)', reps, () => { s = setup(); });
const tWriteKernel = time('writeJob + kernel', reps, () => { s = setup(); kx.epochBatch(s.jobsPtr, 1, modeId, s.scratch); });
let raw = readJob(arena, s.job, p);
const tRead = time('readJob (copy out)', reps, () => { raw = readJob(arena, s.job, p); });
const tOut = time('toEpochOutput', reps, () => { toEpochOutput(p, raw); });
console.log(`${'kernel (difference)'.padEnd(34)} ${(tWriteKernel - tWrite).toFixed(4).padStart(9)} ms`);
console.log(`${'sum of stages'.padEnd(34)} ${(tPrepare + tWriteKernel + tRead + tOut).toFixed(4).padStart(9)} ms`);

function profileNetwork(mode: 'float' | 'fixed'): void {
  const engine = createEngineSync();
  const network = Array.from({ length: 64 }, (_, s) => syntheticSubnet({ n: 256, validators: 64, seed: 7_000 + s }));
  network.push(syntheticSubnet({ n: 1024, validators: 128, seed: 9_999 }));
  let prepared: PreparedEpoch[] = [];
  console.log(`network epoch 64 × 256 + 1 × 1024, mode = ${mode}; median of 30`);
  time('prepareEpoch ×65', 30, () => { prepared = network.map((x) => prepareEpoch(x.input, x.hyper, { mode })); });
  time('runPrepared, all 65 in one call', 30, () => engine.runPrepared(prepared));
  time('runPrepared, one call per subnet', 30, () => prepared.forEach((q) => engine.runPrepared([q])));
  time('runPrepared, the 64 × 256 only', 30, () => engine.runPrepared(prepared.slice(0, 64)));
  time('runPrepared, the 1 × 1024 only', 30, () => engine.runPrepared(prepared.slice(64)));
  time('engine.epochs end to end', 30, () => engine.epochs(network, { mode }));
}
