// The floor under a research epoch at 1024×1024: what one pass over a 4 MB float32 matrix (2^20 entries, the
// size of the f32 weight and bond matrices) costs on this machine in Wasm SIMD, with five such matrices in turn
// so each pass meets data that the others have pushed out of the nearer caches, as an epoch's passes do. Also
// the two JavaScript copies an epoch's input can take. CPU ms, least / median. The kernels are compiled from
// the AssemblyScript below with the project's own asc into build/bench/.
// Usage: node bench/research-floor.js [--rounds 40]
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
console.log(`load average ${os.loadavg()[0].toFixed(1)}`);
