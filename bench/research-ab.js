// YumaRun.epoch for one or more builds of yuma-wasm/research, interleaved in one process: every round runs one
// epoch on each build in turn (the research rows' input, benchmark.js's data, alternating two epochs), and the
// report gives the least and median CPU and wall time per epoch. Interleaving keeps a comparison of two builds
// meaningful on a shared, loaded machine, where benchmark.js's mean is not. It also checks that the builds
// return the same incentive and dividends bits.
// `--input` picks what `epoch` is handed: a Float64Array (the default, as the bench rows), a Float32Array, or
// `view`: the run's own input buffer (`weightsInput()`, where a build has it), filled before each call outside
// the timed region (a caller writing its weights there copies nothing into Wasm memory).
// `--block N` (default 1) runs N calls of one build in a row per turn instead of one, and times only the last
// N − 1 of each block: with one call a turn every call starts on caches the other builds' epochs have filled
// (≈ 22 MB an f32 1024×1024 epoch), which the bench row's back-to-back calls on one run never meet, so the first
// call of a block is left out rather than mixed into the same least / median. `--calls` stays the number of timed
// calls per build (rounded up to whole blocks).
// Usage: node bench/research-ab.js [--shape 1024x1024] [--versions yuma3,yuma2c] [--precision f64|f32] [--calls 30]
// [--input f64|f32|view] [--block 1] [path/to/research.js …]
// (default dist/research.js; `npm run build` first)
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  if (i < 0) return fallback;
  const value = args[i + 1];
  args.splice(i, 2);
  return value;
};
const [V, M] = option('--shape', '1024x1024').split('x').map(Number);
const calls = Number(option('--calls', '30'));
const precision = option('--precision', 'f64');
const versionList = option('--versions', null);
const input = option('--input', 'f64');
const block = Number(option('--block', '1'));
if (!Number.isInteger(block) || block < 1) throw new Error(`--block takes a whole number of calls ≥ 1, not ${block}`);
const timedPerBlock = block === 1 ? 1 : block - 1;
const builds = args.length > 0 ? args : [new URL('../dist/research.js', import.meta.url).pathname];
const pkgs = await Promise.all(builds.map((b) => import(pathToFileURL(path.resolve(b)).href)));
const versions = versionList ? versionList.split(',') : pkgs[0].YUMA_VERSIONS;
const suite = await import(pathToFileURL(await (await import('./build.mjs')).buildSuite()).href);

const flat = [V * 7 + M, V * 7 + M + 1].map((seed) => {
  const { weights, stakes } = suite.researchEpochInput(V, M, seed);
  const f = new Float64Array(V * M);
  weights.forEach((r, v) => f.set(r, v * M));
  return { f, f32: Float32Array.from(f), s: stakes };
});
// The weights one build's run is handed for data d (filling its input view first when asked).
const weightsFor = (run, d) => {
  if (input === 'f32') return d.f32;
  if (input === 'view' && typeof run.weightsInput === 'function') {
    const view = run.weightsInput();
    view.set(view instanceof Float32Array ? d.f32 : d.f);
    return view;
  }
  return d.f;
};
const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const stats = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return `${s[0].toFixed(2)} / ${s[s.length >> 1].toFixed(2)}`;
};
const load0 = os.loadavg()[0];
const how = block === 1 ? 'one call a turn' : `blocks of ${block} calls a turn, the last ${block - 1} of each timed`;
const rounds = Math.ceil(calls / timedPerBlock);
console.log(`YumaRun.epoch ${V}×${M} ${precision}, weights as ${input}, ${rounds * timedPerBlock} interleaved calls per build (${how}); ms least / median`);
for (const version of versions) {
  const runs = pkgs.map((p) => new p.YumaRun(version, { validators: V, servers: M }, undefined, precision === 'f64' ? undefined : { precision }));
  for (const r of runs) for (let i = 0; i < 3; i++) r.epoch(weightsFor(r, flat[i & 1]), flat[i & 1].s);
  const cpu = runs.map(() => []);
  const wall = runs.map(() => []);
  for (let i = 0; i < rounds; i++) {
    runs.forEach((r, k) => {
      for (let b = 0; b < block; b++) {
        // Each build alternates the two epochs call by call, as the bench's calls do.
        const d = flat[(i * block + b + 1) & 1];
        const weights = weightsFor(r, d);
        const c = cpuMs();
        const w = performance.now();
        r.epoch(weights, d.s);
        const tw = performance.now() - w;
        const tc = cpuMs() - c;
        if (block > 1 && b === 0) continue;
        wall[k].push(tw);
        cpu[k].push(tc);
      }
    });
  }
  // Every build has now run the same epochs: one more, compared bit for bit.
  const outs = runs.map((r) => r.epoch(weightsFor(r, flat[0]), flat[0].s)).map((o) => [o.serverIncentive.slice(), o.validatorRewardNormalized.slice()]);
  const same = outs.every(([i, d]) => i.every((x, k) => Object.is(x, outs[0][0][k])) && d.every((x, k) => Object.is(x, outs[0][1][k])));
  const cells = builds.map((b, k) => `${path.relative(process.cwd(), b) || b}: CPU ${stats(cpu[k])}, wall ${stats(wall[k])}`);
  console.log(`  ${version}: ${cells.join(' | ')}${builds.length > 1 ? `; same incentive and dividends bits: ${same}` : ''}`);
}
console.log(`load average ${load0.toFixed(1)} → ${os.loadavg()[0].toFixed(1)}`);
