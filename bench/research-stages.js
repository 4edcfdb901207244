// Where a research epoch's time goes, stage by stage: normalisation, consensus, rank (with the bond step where
// the version fuses it), incentive + bonds + dividends, reward normalisation. Each checkout given (default: this
// one) has its kernels rebuilt from its own assembly/ with a call to an imported clock between the stages of
// runResearchEpoch (a copy under build/bench/stages/, the sources untouched), and its dist/research.js runs
// YumaRun on that module; the builds run interleaved, one epoch each in turn, weights through weightsInput()
// (filled outside the timed region). Wall µs least / median per stage: a stage is short enough that the least
// and the median are read as its cost on a quiet and on the loaded machine.
// `--block N` (default 1) runs N epochs of one build in a row per turn instead of one. With one epoch a turn each
// build's matrices (≈ 22 MB an epoch) are pushed out of the caches by the other builds' epoch before its next
// one, while the bench row's calls run back to back on the same run, so its passes start on data the previous
// epoch left in L2/L3. With N > 1 only the last N − 1 epochs of a block are timed: the first meets the other
// build's leftovers, which the bench never does, and timing it would mix the two regimes in one least / median.
// `--epochs` stays the number of timed epochs per build (rounded up to whole blocks).
// `--consensus` also splits the consensus (consensusOf in assembly/research/consensus.ts): the keys (stake units,
// scales and the key pass), the bucket sums with each column's walk, the gather, the select, each summed over
// the spans (and over the blocks, where the gather follows each block's walk). Those clock calls inside consensusOf change how V8 compiles it (its walk runs slower), so the parts
// add up to more than the consensus without them: compare parts between builds measured the same way.
// Usage: node bench/research-stages.js [--version yuma3] [--precision f32|f64] [--epochs 150] [--shape 1024x1024]
// [--block 1] [--consensus] [checkout …] (each checkout needs `npm run build` first: the JS of its dist/ and its assembly/)
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  if (i < 0) return fallback;
  const value = args[i + 1];
  args.splice(i, 2);
  return value;
};
const version = option('--version', 'yuma3');
const precision = option('--precision', 'f32');
const epochs = Number(option('--epochs', '150'));
const [V, M] = option('--shape', '1024x1024').split('x').map(Number);
const block = Number(option('--block', '1'));
if (!Number.isInteger(block) || block < 1) throw new Error(`--block takes a whole number of epochs ≥ 1, not ${block}`);
const splitConsensus = args.includes('--consensus');
if (splitConsensus) args.splice(args.indexOf('--consensus'), 1);
const here = fileURLToPath(new URL('..', import.meta.url));
const roots = (args.length > 0 ? args : [here]).map((r) => path.resolve(r));
const asc = path.join(here, 'node_modules/.bin/asc');

// The stamps: stamp(0) on entry, then one after each stage. Each edit must apply, or the epoch changed shape.
const EDITS = [
  [/export function runResearchEpoch\(job: usize\): void \{\n/, (m) => `// @ts-ignore: decorator\n@external("env", "stamp")\ndeclare function stamp(i: i32): void;\n\n${m}  stamp(0);\n`],
  [/\n(\s*)setSlot\(job, R_DEGENERATE, consensus\(\) \? 1 : 0\);\n/, (m, s) => `\n${s}stamp(1);${m}${s}stamp(2);\n`],
  [/\n(\s*)rankPass32\(liquidRuns[^)]*\);\n/, (m, s) => `${m}${s}stamp(3);\n`],
  [/\n(\s*)rankPass\(liquidRuns[^)]*\);\n/, (m, s) => `${m}${s}stamp(3);\n`],
  [/\n(\s*)normalizeRewards32\(\);\n/, (m, s) => `\n${s}stamp(4);${m}`],
  [/\n(\s*)normalizeRewards\(\);\n/, (m, s) => `\n${s}stamp(4);${m}`],
  [/\n(\s*)setSlot\(job, R_STATUS, STATUS_OK\);\n\}/, (m, s) => `\n${s}setSlot(job, R_STATUS, STATUS_OK);\n${s}stamp(5);\n}`],
];

// --consensus: tick(i) adds the time since the previous tick to part i (tick(0) only starts the clock).
const CONSENSUS_EDITS = [
  [/function consensusOf<T>\(\): void \{\n/, (m) => `// @ts-ignore: decorator\n@external("env", "tick")\ndeclare function tick(i: i32): void;\n\n${m}  tick(0);\n`],
  [/\n  const (rowBytes = <usize>M|blockBytes = keyBlockBytes\(V\));/, (m) => `\n  tick(1);${m}`],
  [/\n {4,6}\/\/ The weights of each column's crossing bucket/, (m) => `\n    tick(2);${m}`],
  [/\n    for \(let j = 0; j < sw; j\+\+\) \{\n      const list = cand \+ \(\(<usize>j \* stride\) << 4\);\n      setF64/, (m) => `\n    tick(3);${m}`],
  [/(selectColumn\([^\n]*\n    \}\n)/, (m) => `${m}    tick(4);\n`],
];
// Where the gather runs block by block (after each block's walk), its end too; not an error where it is absent.
const GATHER_END = [/(\n      if \(keep != 0\) gatherBlock<T>\([^\n]*\n)/, (m) => `${m}      tick(3);\n`];

function stampedModule(root, k) {
  const dir = path.join(here, `build/bench/stages/${k}`);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.cpSync(path.join(root, 'assembly'), path.join(dir, 'assembly'), { recursive: true });
  const file = path.join(dir, 'assembly/research/epoch.ts');
  let src = fs.readFileSync(file, 'utf8');
  for (const [re, to] of EDITS) {
    if (!re.test(src)) throw new Error(`${root}: assembly/research/epoch.ts no longer matches ${re}`);
    src = src.replace(re, to);
  }
  fs.writeFileSync(file, src);
  if (splitConsensus) {
    const cfile = path.join(dir, 'assembly/research/consensus.ts');
    let c = fs.readFileSync(cfile, 'utf8');
    for (const [re, to] of CONSENSUS_EDITS) {
      if (!re.test(c)) throw new Error(`${root}: assembly/research/consensus.ts no longer matches ${re}`);
      c = c.replace(re, to);
    }
    c = c.replace(GATHER_END[0], GATHER_END[1]);
    fs.writeFileSync(cfile, c);
  }
  const out = path.join(dir, 'stages.wasm');
  // The options of asconfig.json's release target.
  execFileSync(asc, [path.join(dir, 'assembly/index.ts'), '-O3', '--converge', '--noAssert', '--runtime', 'stub', '--enable', 'simd', '--initialMemory', '16', '--use', 'abort=', '-o', out], { stdio: 'inherit' });
  return new WebAssembly.Module(fs.readFileSync(out));
}

const marks = new Float64Array(6);
const stamp = (i) => {
  marks[i] = performance.now();
};
const parts = new Float64Array(5);
let lastTick = 0;
const tick = (i) => {
  const t = performance.now();
  if (i > 0) parts[i] += t - lastTick;
  lastTick = t;
};
// Each build's loader compiles its embedded kernels with `new WebAssembly.Module` and instantiates them with no
// imports; while its run is made, it gets the stamped module and the clock instead.
const RealModule = WebAssembly.Module;
const RealInstance = WebAssembly.Instance;
let stamped = null;
WebAssembly.Module = function (bytes) {
  return stamped ?? new RealModule(bytes);
};
WebAssembly.Instance = function (module, imports) {
  return new RealInstance(module, { ...imports, env: { stamp, tick } });
};

const suite = await import(pathToFileURL(await (await import('./build.mjs')).buildSuite()).href);
const data = [V * 7 + M, V * 7 + M + 1].map((seed) => {
  const { weights, stakes } = suite.researchEpochInput(V, M, seed);
  const f = new Float64Array(V * M);
  weights.forEach((r, v) => f.set(r, v * M));
  return { f, f32: Float32Array.from(f), s: stakes };
});
const runs = [];
for (const [k, root] of roots.entries()) {
  stamped = stampedModule(root, k);
  const pkg = await import(pathToFileURL(path.join(root, 'dist/research.js')).href);
  runs.push(new pkg.YumaRun(version, { validators: V, servers: M }, undefined, precision === 'f64' ? undefined : { precision }));
  stamped = null;
}
WebAssembly.Module = RealModule;

const names = ['normalisation', 'consensus', 'rank (+ bond step)', 'incentive, bonds, dividends', 'reward normalisation', 'epoch'];
const samples = runs.map(() => names.map(() => []));
const partNames = ['  keys', '  bucket sums and walk', '  gather', '  select'];
const partSamples = runs.map(() => partNames.map(() => []));
const load0 = os.loadavg()[0];
// The first rounds (at least 5 epochs per build) warm the builds up untimed.
const timedPerBlock = block === 1 ? 1 : block - 1;
const warmRounds = Math.ceil(5 / block);
const rounds = warmRounds + Math.ceil(epochs / timedPerBlock);
const counts = runs.map(() => 0);
for (let i = 0; i < rounds; i++) {
  runs.forEach((run, k) => {
    for (let b = 0; b < block; b++) {
      // Each build alternates the two data sets epoch by epoch, as the bench's calls do.
      const d = data[counts[k]++ & 1];
      const view = run.weightsInput();
      view.set(view instanceof Float32Array ? d.f32 : d.f);
      marks.fill(0);
      parts.fill(0);
      run.epoch(view, d.s);
      if (i < warmRounds || (block > 1 && b === 0)) continue;
      for (let j = 1; j < 5; j++) partSamples[k][j - 1].push(parts[j] * 1000);
      for (let j = 0; j < 5; j++) samples[k][j].push((marks[j + 1] - marks[j]) * 1000);
      samples[k][5].push((marks[5] - marks[0]) * 1000);
    }
  });
}
const cell = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return `${s[0].toFixed(0).padStart(6)} / ${s[s.length >> 1].toFixed(0).padStart(6)}`;
};
const how = block === 1 ? 'one epoch a turn' : `blocks of ${block} epochs a turn, the last ${block - 1} of each timed`;
console.log(`${version} ${precision} ${V}×${M}, ${samples[0][5].length} timed epochs per build interleaved (${how}); wall µs least / median per stage`);
console.log(`  ${''.padEnd(28)} ${roots.map((r) => path.relative(process.cwd(), r) || '.').map((r) => r.padStart(15)).join('   ')}`);
names.forEach((name, j) => console.log(`  ${name.padEnd(28)} ${samples.map((s) => cell(s[j])).join('   ')}`));
if (splitConsensus) partNames.forEach((name, j) => console.log(`  ${name.padEnd(28)} ${partSamples.map((s) => cell(s[j])).join('   ')}`));
console.log(`load average ${load0.toFixed(1)} → ${os.loadavg()[0].toFixed(1)}`);
