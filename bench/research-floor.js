// The floor under a research epoch at 1024×1024: what one pass over a 4 MB float32 matrix (2^20 entries, the
// size of the f32 weight and bond matrices) costs on this machine in Wasm SIMD, with five such matrices in turn
// so each pass meets data that the others have pushed out of the nearer caches, as an epoch's passes do. Also
// the two JavaScript copies an epoch's input can take. CPU ms, least / median. The kernels are compiled from
// the AssemblyScript below with the project's own asc into build/bench/.
// Then the floor of a whole Yuma 3 float32 1024×1024 epoch through weightsInput() (the bench row
// research-run-view-f32-yuma3-1024x1024): the least memory traffic its passes must move, as plain Wasm passes in
// the epoch's order, timed as one sequence (see EPOCH_PASSES below).
// Usage: node bench/research-floor.js [--rounds 40] [--epochs 200]
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';

const SOURCE = `
export function readPass(p: usize, bytes: usize): f32 {
  let a = f32x4.splat(0);
  let b = f32x4.splat(0);
  for (let o: usize = 0; o < bytes; o += 32) {
    a = f32x4.add(a, v128.load(p + o));
    b = f32x4.add(b, v128.load(p + o, 16));
  }
  const c = f32x4.add(a, b);
  return f32x4.extract_lane(c, 0) + f32x4.extract_lane(c, 1) + f32x4.extract_lane(c, 2) + f32x4.extract_lane(c, 3);
}
export function scalePass(p: usize, bytes: usize): void {
  const k = f32x4.splat(0.5);
  for (let o: usize = 0; o < bytes; o += 32) {
    v128.store(p + o, f32x4.mul(v128.load(p + o), k));
    v128.store(p + o, f32x4.mul(v128.load(p + o, 16), k), 16);
  }
}
export function copyPass(d: usize, s: usize, bytes: usize): void {
  for (let o: usize = 0; o < bytes; o += 32) {
    v128.store(d + o, v128.load(s + o));
    v128.store(d + o, v128.load(s + o, 16), 16);
  }
}
export function bondPass(w: usize, b: usize, bytes: usize): void {
  for (let o: usize = 0; o < bytes; o += 32) {
    v128.store(b + o, f32x4.add(v128.load(b + o), v128.load(w + o)));
    v128.store(b + o, f32x4.add(v128.load(b + o, 16), v128.load(w + o, 16)), 16);
  }
}
export function dividePass(p: usize, bytes: usize): void {
  const k = f32x4.splat(1.7);
  for (let o: usize = 0; o < bytes; o += 32) {
    v128.store(p + o, f32x4.div(v128.load(p + o), k));
    v128.store(p + o, f32x4.div(v128.load(p + o, 16), k), 16);
  }
}
`;

const args = process.argv.slice(2);
const ri = args.indexOf('--rounds');
const rounds = ri >= 0 ? Number(args[ri + 1]) : 40;
const ei = args.indexOf('--epochs');
const epochs = ei >= 0 ? Number(args[ei + 1]) : 200;
const dir = fileURLToPath(new URL('../build/bench/', import.meta.url));
fs.mkdirSync(dir, { recursive: true });
fs.writeFileSync(`${dir}research-floor.ts`, SOURCE);
const asc = fileURLToPath(new URL('../node_modules/.bin/asc', import.meta.url));
execFileSync(asc, [`${dir}research-floor.ts`, '-O3', '--noAssert', '--initialMemory', '1700', '-o', `${dir}research-floor.wasm`], { stdio: 'inherit' });
const { instance } = await WebAssembly.instantiate(fs.readFileSync(`${dir}research-floor.wasm`));
const k = instance.exports;
const MB = 1 << 20;
const N = 1 << 20;
const bufs = [0, 1, 2, 3, 4].map((i) => MB + i * 5 * MB);
new Float32Array(k.memory.buffer).fill(1, MB / 4, (MB + 25 * MB) / 4);
const f64 = new Float64Array(N).fill(0.25);
const f32 = new Float32Array(N).fill(0.25);
const view = new Float32Array(k.memory.buffer, bufs[2], N);
const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const cases = [
  ['read 4 MB (f32x4 sum)', (b) => k.readPass(b, 4 * MB)],
  ['read-modify-write 4 MB (f32x4 ×0.5 in place)', (b) => k.scalePass(b, 4 * MB)],
  ['copy 4 MB to another matrix', (b) => k.copyPass(b === bufs[0] ? bufs[1] : bufs[0], b, 4 * MB)],
  ['divide 2^20 float32 in place (f32x4.div)', (b) => k.dividePass(b, 4 * MB)],
  ['read 8 MB (an f64 matrix)', (b) => k.readPass(b, 8 * MB)],
  ['JS Float32Array.set(Float64Array), 2^20 entries into Wasm memory', () => view.set(f64)],
  ['JS Float32Array.set(Float32Array), 2^20 entries into Wasm memory', () => view.set(f32)],
];
console.log(`one pass over a 2^20-entry matrix, CPU ms least / median of ${rounds} (load average ${os.loadavg()[0].toFixed(1)})`);
for (const [name, run] of cases) {
  const xs = [];
  for (let i = 0; i < rounds + 5; i++) {
    const b = bufs[i % 5];
    // The other matrices first, as an epoch's other passes would.
    for (let j = 1; j <= 3; j++) k.readPass(bufs[(i + j) % 5], 4 * MB);
    const c = cpuMs();
    run(b);
    if (i >= 5) xs.push(cpuMs() - c);
  }
  xs.sort((a, b) => a - b);
  console.log(`  ${name}: ${xs[0].toFixed(3)} / ${xs[xs.length >> 1].toFixed(3)}`);
}

// The epoch's floor. Each pass below is one that the kernels (assembly/research/epoch.ts's order for Yuma 3
// without liquid alpha, float32) cannot do without, reduced to its memory traffic; the consensus's keys, bucket
// tables and gather and every vector (≈ 1 MB more) are left out, so the real epoch moves more than this.
// - view.set: the timed call writes the epoch's 2^20 float32 weights from a JavaScript array (two alternating,
//   as the bench's two epochs) into the run's input buffer in Wasm memory.
// - normalisation: reads the raw row (every weight is a term of its row's sum, and is checked) and writes W,
//   a buffer of its own: weightsInput()'s contract is that the view keeps what the caller wrote, so W cannot be
//   divided in place; each quotient must be stored, as every later pass reads the normalised weights and
//   recomputing them means a division per weight per pass.
// - consensus: at least one read of W after normalisation, since a column's key scale (its prerank) is known
//   only after the last row has been divided.
// - rank with the bond step: the rank min(W, C) needs every column's consensus, so W is read again; the bond
//   matrix is read and rewritten in place (Yuma 3's step needs no consensus, but riding on normalisation or the
//   consensus's read moves the read-modify-write without removing it).
// - dividends: B / (column sum + ε) · I per row needs every column's bond sum and incentive (the rank of all rows),
//   so the new bonds are read once more after the rank pass.
const EPOCH_PASSES = ['view.set 4 MB', 'normalisation: copy 4 MB', 'consensus: read W', 'rank + bonds: read W, read-modify-write B', 'dividends: read B'];
const SEQ = 26 * MB;
const wIn = SEQ;
const wAt = SEQ + 4 * MB + 64;
const bAt = SEQ + 8 * MB + 128;
const input = new Float32Array(k.memory.buffer, wIn, N);
const sources = [0.25, 0.5].map((x) => new Float32Array(N).fill(x));
const wallMs = () => Number(process.hrtime.bigint()) / 1e6;
const seq = [];
const parts = EPOCH_PASSES.map(() => []);
for (let i = 0; i < epochs + 10; i++) {
  const c = cpuMs();
  const t0 = wallMs();
  input.set(sources[i & 1]);
  const t1 = wallMs();
  k.copyPass(wAt, wIn, 4 * MB);
  const t2 = wallMs();
  k.readPass(wAt, 4 * MB);
  const t3 = wallMs();
  k.bondPass(wAt, bAt, 4 * MB);
  const t4 = wallMs();
  k.readPass(bAt, 4 * MB);
  const t5 = wallMs();
  const cpu = cpuMs() - c;
  if (i < 10) continue;
  seq.push(cpu);
  [t1 - t0, t2 - t1, t3 - t2, t4 - t3, t5 - t4].forEach((x, j) => parts[j].push(x));
}
const lm = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return `${s[0].toFixed(3)} / ${s[s.length >> 1].toFixed(3)}`;
};
console.log(`Yuma 3 f32 1024×1024 epoch through weightsInput(), its passes' least traffic in order, ${epochs} sequences back to back:`);
console.log(`  the sequence, CPU ms least / median: ${lm(seq)}`);
EPOCH_PASSES.forEach((name, j) => console.log(`    ${name}, wall ms least / median: ${lm(parts[j])}`));
console.log(`load average ${os.loadavg()[0].toFixed(1)}`);
