// Writes the research bench rows' input (bench/suite.ts researchEpochInput: the same two epochs benchmark.js and
// research-ab.js time) as raw little-endian float32 files, so that another implementation — the yuma-simulation
// torch functions, through bench/torch-time.py — can be timed on exactly the same data.
// Usage: node bench/research-input.js [--shape 1024x1024] [--out build/bench/research-input]
// Writes <out>/<V>x<M>-{first,second}-{w,s}.f32: weights row-major (V·M raw u16-sized values), stakes (V).
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildSuite } from './build.mjs';

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  return i < 0 ? fallback : args[i + 1];
};
const shape = option('--shape', '1024x1024');
const [V, M] = shape.split('x').map(Number);
if (!(Number.isInteger(V) && Number.isInteger(M) && V > 0 && M > 0)) throw new Error(`--shape ${shape}: expected VxM`);
const out = path.resolve(option('--out', 'build/bench/research-input'));
const suite = await import(pathToFileURL(await buildSuite()).href);
mkdirSync(out, { recursive: true });
// The seeds benchmark.js uses for its first (state-building) and second (timed) epoch of this shape.
for (const [name, seed] of [['first', V * 7 + M], ['second', V * 7 + M + 1]]) {
  const { weights, stakes } = suite.researchEpochInput(V, M, seed);
  const w = new Float32Array(V * M);
  weights.forEach((row, i) => w.set(row, i * M));
  writeFileSync(path.join(out, `${V}x${M}-${name}-w.f32`), new Uint8Array(w.buffer));
  writeFileSync(path.join(out, `${V}x${M}-${name}-s.f32`), new Uint8Array(Float32Array.from(stakes).buffer));
}
console.log(`wrote ${out}/${V}x${M}-{first,second}-{w,s}.f32`);
