// yuma-wasm benchmark suite (issue 6). `npm run bench` builds the package and runs this file; `--quick` runs the
// rows the targets speak about at their smallest shapes with short sampling (QUICK_CASES; seconds, not minutes).
// The full run writes bench/results.json, the committed baseline later changes are compared to (the Δ column); a
// quick run, or a partial one (`--only <regexp on case ids>`), writes build/bench/results-quick.json instead.
//
// The Wasm engine and dTAO come from the built package (dist/); the typed-array JS baseline, the references and
// the input generator are TypeScript sources bundled by bench/build.mjs.
import Benchmark from 'benchmark';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import v8 from 'node:v8';
import vm from 'node:vm';
import { buildSuite } from './build.mjs';

const BASELINE_PATH = fileURLToPath(new URL('./results.json', import.meta.url));
const TORCH_FIGURES = JSON.parse(readFileSync(new URL('./torch-figures.json', import.meta.url), 'utf8'));
const QUICK_PATH = fileURLToPath(new URL('../build/bench/results-quick.json', import.meta.url));
// YUMA_BENCH_PACKAGE=/path/to/index.js benchmarks another build of the package (e.g. an older dist/ copy).
const DIST_INDEX = process.env.YUMA_BENCH_PACKAGE
  ? pathToFileURL(path.resolve(process.env.YUMA_BENCH_PACKAGE))
  : new URL('../dist/index.js', import.meta.url);

/**
 * The cases a quick run times: one Wasm epoch per mode at 256×64 and 1024×64 with the typed-array baseline
 * beside it (the ×typed and ≤ 3× float targets), runPrepared and the f64 reference at 256×64, the network epoch
 * in float, dTAO, and one research version. A full run takes minutes; this one a few seconds of CPU.
 */
const QUICK_CASES = /^(native-rows-(256|1024)|typed-(256x64|1024x64)|ref-float-256x64|wasm-(float|fixed)-epoch-(256x64|1024x64)|wasm-float-prepared-256x64|network-float|pool-swaps|block-emission|research-yuma3-64x256)$/;
/** Memory check of a quick run: epochs per mode, and the first point measured. */
const QUICK_MEMORY = { total: 600, first: 200 };

/** Garbage collection on demand, so the memory figures measure retention, not GC timing. */
function gcFunction() {
  if (typeof globalThis.gc === 'function') return globalThis.gc;
  v8.setFlagsFromString('--expose-gc');
  return vm.runInNewContext('gc');
}

const fmtMs = (ms) => (ms >= 100 ? ms.toFixed(0) : ms >= 10 ? ms.toFixed(1) : ms >= 1 ? ms.toFixed(2) : ms >= 0.01 ? ms.toFixed(4) : ms.toExponential(2));
const fmtHz = (hz) => (hz >= 1e6 ? `${(hz / 1e6).toFixed(2)}M` : hz >= 1e4 ? `${(hz / 1e3).toFixed(1)}k` : hz >= 100 ? hz.toFixed(0) : hz.toFixed(2));
const fmtRatio = (r) => (r == null ? '' : r >= 100 ? `${r.toFixed(0)}×` : r >= 10 ? `${r.toFixed(1)}×` : `${r.toFixed(2)}×`);
const MB = 1024 * 1024;

function machineInfo() {
  const cpus = os.cpus();
  return {
    node: process.version,
    v8: process.versions.v8,
    platform: `${process.platform} ${os.release()}`,
    arch: process.arch,
    cpuModel: cpus[0]?.model ?? 'unknown',
    cores: cpus.length,
    totalMemoryMB: Math.round(os.totalmem() / MB),
    loadAverage: os.loadavg().map((x) => Number(x.toFixed(2))),
  };
}

/**
 * Least CPU time (user + system, this process) of `reps` calls, in ms: on a shared machine the wall clock also
 * counts the time other processes hold the cores; CPU time does not (cache and memory contention remain).
 */
function cpuBest(fn, reps) {
  let best = Infinity;
  for (let i = 0; i < reps; i++) {
    const start = process.cpuUsage();
    fn();
    const used = process.cpuUsage(start);
    best = Math.min(best, (used.user + used.system) / 1000);
  }
  return best;
}

/** Times `fn` with benchmark.js; returns the figures or the error it threw. */
function measure(name, fn, { quick, slow = false }) {
  const opts = quick
    ? { maxTime: 0.15, minTime: 0.02, minSamples: slow ? 2 : 4, initCount: 1 }
    : slow
      ? { maxTime: 2, minSamples: 2, initCount: 1 }
      : { maxTime: 3, minSamples: 10, initCount: 1 };
  const b = new Benchmark(name, fn, opts);
  b.run({ async: false });
  if (b.error) return { error: String(b.error?.stack ?? b.error).split('\n').slice(0, 3).join(' | ') };
  return {
    msPerOp: b.stats.mean * 1000,
    // Fastest sample (each sample is the mean of a timed cycle): on a shared machine, the least-disturbed figure.
    msBest: Math.min(...b.stats.sample) * 1000,
    opsPerSec: b.hz,
    rmePercent: b.stats.rme,
    samples: b.stats.sample.length,
  };
}

/**
 * Runs the whole suite and returns the results object (also written to disk unless `write: false`).
 * `log` receives progress and the table (defaults to console.log; pass `() => {}` to silence).
 */
export async function runBench({ quick = false, only, write = true, log = console.log, outFile } = {}) {
  // A partial run (`only`: a regular expression on case ids) never replaces the committed baseline.
  const out = outFile ?? (quick || only ? QUICK_PATH : BASELINE_PATH);
  const selected = only ? new RegExp(only) : quick ? QUICK_CASES : null;
  if (!existsSync(fileURLToPath(DIST_INDEX))) throw new Error(`${fileURLToPath(DIST_INDEX)} is missing: run \`npm run build\` first (npm run bench does)`);
  const pkg = await import(DIST_INDEX.href);
  const suite = await import(pathToFileURL(await buildSuite()).href);
  const previous = existsSync(BASELINE_PATH) ? JSON.parse(readFileSync(BASELINE_PATH, 'utf8')) : null;
  const machine = machineInfo();
  const engine = pkg.createEngineSync();
  const gc = gcFunction();

  const shapes = [
    [256, 64],
    [256, 128],
    [1024, 64],
    [1024, 128],
  ];
  const key = (n, k) => `${n}x${k}`;
  const inputs = new Map(shapes.map(([n, k]) => [key(n, k), suite.syntheticSubnet({ n, validators: k, seed: n * 1000 + k })]));
  // The package's own prepareEpoch: runPrepared accepts only epochs it prepared itself (the suite bundle has
  // its own copy of the module); the references read any prepared epoch.
  const prepared = (n, k, mode) => {
    const { input, hyper } = inputs.get(key(n, k));
    return pkg.prepareEpoch(input, hyper, { mode });
  };

  // Timing a wrong answer proves nothing: first check the Wasm outputs on the bench inputs against the references.
  const agreement = [];
  if (!only || selected.test('agreement')) {
    log('  checking Wasm outputs against the references on the bench inputs …');
    for (const [n, k] of quick ? [[256, 64]] : shapes) agreement.push(compare(`float ${n}×${k}`, engine, prepared(n, k, 'float'), suite.referenceEpoch));
    for (const [n, k] of quick ? [[256, 64]] : [[256, 64], [1024, 64]]) agreement.push(compare(`fixed ${n}×${k}`, engine, prepared(n, k, 'fixed'), suite.referenceEpochFixed));
    if (typeof suite.syntheticMechanismSubnet === 'function') {
      const sub = suite.syntheticMechanismSubnet({ n: 256, validators: 64, seed: 256 * 1000 + 64, mechanisms: 2 });
      for (const mode of ['float', 'fixed']) agreement.push(compareOutputs(`${mode} 256×64, 2 mechanisms`, engine, suite.createReferenceEngine(), sub, mode));
    }
  }

  const cases = [];
  const run = (c, fn, opts = {}) => {
    if (selected && !selected.test(c.id)) return;
    log(`  running ${c.name} …`);
    gc();
    let figures;
    try {
      figures = measure(c.name, fn, { quick, ...opts });
    } catch (e) {
      figures = { error: String(e?.message ?? e) };
    }
    if (opts.cpu && figures.error == null) figures.cpuMsBest = cpuBest(fn, opts.slow ? 3 : 10);
    cases.push({ ...c, ...figures });
  };

  log(`yuma-wasm bench${quick ? ' (quick)' : ''} — node ${process.version}, ${os.cpus()[0]?.model ?? '?'} × ${os.cpus().length}`);

  // Baselines first: the typed-array JS version and the references.
  for (const [n, k] of shapes) {
    const p = prepared(n, k, 'float');
    run({ id: `typed-${key(n, k)}`, group: 'baseline', name: `typed-array JS epoch ${n}×${k}`, n, k, mode: 'float' }, () => suite.typedEpoch(p));
  }
  for (const [n, k] of shapes) {
    const p = prepared(n, k, 'float');
    run({ id: `ref-float-${key(n, k)}`, group: 'reference', name: `f64 reference epoch ${n}×${k}`, n, k, mode: 'float' }, () => suite.referenceEpoch(p), { slow: true });
  }
  for (const [n, k] of quick ? [[256, 64]] : [[256, 64], [1024, 64]]) {
    const p = prepared(n, k, 'fixed');
    run({ id: `ref-fixed-${key(n, k)}`, group: 'reference', name: `BigInt fixed reference ${n}×${k}`, n, k, mode: 'fixed' }, () => suite.referenceEpochFixed(p), { slow: true });
  }

  // The native anchor (bench/native): the rows-only C epoch, built and run in this same run.
  const nativeSizes = quick ? [256, 1024] : [256, 1024, 4096];
  if (!selected || nativeSizes.some((n) => selected.test(`native-rows-${n}`))) cases.push(...nativeAnchor(nativeSizes, selected, quick, log));

  // Wasm: end to end through the public API, and runPrepared (kernel plus copies in and out, no validation).
  const wasmShapes = quick ? shapes : [...shapes, [4096, 64]];
  const at4096 = ['wasm-float-epoch', 'wasm-fixed-epoch', 'subnet-resident-epoch-float', 'subnet-resident-epoch-fixed'].map((p) => `${p}-4096x64`);
  if (!quick && (!selected || at4096.some((id) => selected.test(id)))) {
    inputs.set(key(4096, 64), suite.syntheticSubnet({ n: 4096, validators: 64, seed: 4096 * 1000 + 64 }));
  }
  for (const mode of ['float', 'fixed']) {
    for (const [n, k] of wasmShapes) {
      if (!inputs.has(key(n, k))) continue;
      const { input, hyper } = inputs.get(key(n, k));
      run({ id: `wasm-${mode}-epoch-${key(n, k)}`, group: 'wasm', api: 'epoch', name: `wasm ${mode} engine.epoch ${n}×${k}`, n, k, mode }, () => engine.epoch(input, hyper, { mode }));
      const ps = [prepared(n, k, mode)];
      run({ id: `wasm-${mode}-prepared-${key(n, k)}`, group: 'wasm', api: 'runPrepared', name: `wasm ${mode} runPrepared ${n}×${k}`, n, k, mode }, () => engine.runPrepared(ps));
    }
  }
  // The resident path: a Subnet whose weights and bonds stay in Wasm memory between epochs (the bench input's
  // stake and weight rows set through the Subnet's own calls, two epochs run first so permits and bonds exist).
  // Each op is one epoch, returning per-UID vectors only (bonds: false), at the block the weights were set in
  // (EPOCH_STEP): stepping a tempo per op left every validator inactive after 14 ops (activity cutoff 5000 blocks),
  // so most ops timed epochs with no active stake, no consensus search and no clipping.
  // Beside it the same Subnet on the same engine seen through a plain { epoch } wrapper: the stateless path.
  for (const mode of ['float', 'fixed']) {
    for (const [n, k] of wasmShapes) {
      if (k !== 64 || !inputs.has(key(n, k))) continue;
      for (const resident of [true, false]) {
        const id = `subnet-${resident ? 'resident' : 'stateless'}-epoch-${mode}-${key(n, k)}`;
        if (selected && !selected.test(id)) continue;
        if (!resident && n === 4096) continue;
        const s = subnetFromInput(pkg, resident ? engine : { epoch: (...a) => engine.epoch(...a) }, inputs.get(key(n, k)), mode);
        const name = `wasm ${mode} Subnet.epoch ${n}×${k} (${resident ? 'resident state' : 'through engine.epoch'})`;
        run({ id, group: 'wasm', api: resident ? 'resident' : 'subnet', name, n, k, mode }, () => {
          s.nextBlock(EPOCH_STEP);
          s.epoch(1_000_000_000n, { bonds: false });
        });
      }
    }
  }
  // Yuma3 with liquid alpha (the per-entry sigmoid path; Yuma3 is the default for new subnets).
  {
    const y3 = { yuma3Enabled: true, liquidAlphaEnabled: true };
    const { input, hyper } = inputs.get(key(1024, 64));
    const h = { ...hyper, ...y3 };
    const p = suite.prepareEpoch(input, h, { mode: 'float' });
    const base = { n: 1024, k: 64, variant: 'yuma3-la' };
    run({ ...base, id: 'typed-1024x64-yuma3-la', group: 'baseline', name: 'typed-array JS epoch 1024×64 Yuma3+LA', mode: 'float' }, () => suite.typedEpoch(p));
    for (const mode of ['float', 'fixed']) {
      run({ ...base, id: `wasm-${mode}-epoch-1024x64-yuma3-la`, group: 'wasm', api: 'epoch', name: `wasm ${mode} engine.epoch 1024×64 Yuma3+LA`, mode }, () => engine.epoch(input, h, { mode }));
    }
  }
  // A subnet with two mechanisms (epoch_with_mechanisms): each mechanism is one epoch, plus the aggregation.
  if (typeof suite.syntheticMechanismSubnet === 'function') {
    const { input, hyper } = suite.syntheticMechanismSubnet({ n: 256, validators: 64, seed: 256 * 1000 + 64, mechanisms: 2 });
    const { mechanisms, emissionSplit: _, ...shared } = input;
    const alone = mechanisms.map((m) => ({ ...shared, ...m }));
    for (const mode of ['float', 'fixed']) {
      run({ id: `wasm-${mode}-epoch-256x64-2mech`, group: 'wasm', api: 'epoch', name: `wasm ${mode} engine.epoch 256×64, 2 mechanisms`, n: 256, k: 64, mode, mechanisms: 2 }, () => engine.epoch(input, hyper, { mode }));
      // the same two mechanisms as two plain epochs: what the aggregation adds on top of one epoch per mechanism
      run({ id: `wasm-${mode}-epoch-256x64-2plain`, group: 'wasm', api: 'epoch', name: `wasm ${mode} 2 × engine.epoch 256×64 (its 2 mechanisms alone)`, n: 256, k: 64, mode }, () => {
        engine.epoch(alone[0], hyper, { mode });
        engine.epoch(alone[1], hyper, { mode });
      });
    }
  }
  // Chain-style sparse rows in, to show what that input form costs over the dense Uint16Array form.
  {
    const { input, hyper } = suite.syntheticSubnet({ n: 1024, validators: 64, seed: 1024 * 1000 + 64, layout: 'sparse' });
    run({ id: 'wasm-float-epoch-sparse-rows-1024x64', group: 'wasm', api: 'epoch', name: 'wasm float engine.epoch 1024×64 (sparse rows)', n: 1024, k: 64, mode: 'float', layout: 'sparse' }, () => engine.epoch(input, hyper, { mode: 'float' }));
  }

  // The network epoch: 64 subnets of 256 UIDs (64 validators) and one of 1024 (128 validators), one call.
  const network = [];
  for (let s = 0; s < 64; s++) network.push(suite.syntheticSubnet({ n: 256, validators: 64, seed: 7_000 + s }));
  network.push(suite.syntheticSubnet({ n: 1024, validators: 128, seed: 9_999 }));
  for (const mode of ['float', 'fixed']) {
    run({ id: `network-${mode}`, group: 'network', api: 'epochs', name: `wasm ${mode} network epochs 64×256 + 1×1024`, mode }, () => engine.epochs(network, { mode }));
  }
  // The same 65 subnets as Subnets with resident state, each epoch one trip into Wasm (vectors out only).
  for (const mode of ['float', 'fixed']) {
    const id = `network-resident-${mode}`;
    if (selected && !selected.test(id)) continue;
    const subnets = network.map((x) => subnetFromInput(pkg, engine, x, mode));
    run({ id, group: 'network', api: 'resident', name: `wasm ${mode} network epochs 64×256 + 1×1024, resident Subnets`, mode }, () => {
      for (const s of subnets) {
        s.nextBlock(EPOCH_STEP);
        s.epoch(1_000_000_000n, { bonds: false });
      }
    });
  }
  // The same 65 resident Subnets in one Subnet.epochs call (one batch of resident jobs), on the default engine and
  // on an engine with a helper thread (the kernels shared between both threads).
  for (const threads of [1, 2]) {
    for (const mode of ['float', 'fixed']) {
      const id = `network-resident-batch-${mode}${threads === 2 ? '-threads2' : ''}`;
      if (selected && !selected.test(id)) continue;
      if (typeof pkg.Subnet.epochs !== 'function') continue;
      const e = threads === 2 ? helperThreadEngine(pkg) : engine;
      if (e === null) continue;
      const subnets = network.map((x) => subnetFromInput(pkg, e, x, mode));
      const name = `wasm ${mode} network epochs 64×256 + 1×1024, resident Subnets, one Subnet.epochs call${threads === 2 ? ', 2 threads' : ''}`;
      run({ id, group: 'network', api: 'resident', name, mode, ...(threads === 2 ? { threads } : {}) }, () => {
        for (const s of subnets) s.nextBlock(EPOCH_STEP);
        pkg.Subnet.epochs(subnets, 1_000_000_000n, { bonds: false });
      });
      if (threads === 2) e.close();
    }
  }
  // Memory over a million resident epochs (issue 15: flat over 10⁶): a 16-UID Subnet whose validators change a
  // weight row every epoch; Wasm memory, the JS heap and RSS (after GC) at 10³, 10⁵ and 10⁶ epochs.
  if (!quick && (!selected || selected.test('resident-memory-1e6'))) {
    log('  running 10⁶ resident epochs …');
    cases.push(residentMemory(pkg, gc));
  }
  // The same call on an engine with a helper thread (both cores of the machine; Node only).
  const threaded = ['float', 'fixed'].some((m) => !selected || selected.test(`network-${m}-threads2`)) ? helperThreadEngine(pkg) : null;
  if (threaded) {
    for (const mode of ['float', 'fixed']) {
      run({ id: `network-${mode}-threads2`, group: 'network', api: 'epochs', name: `wasm ${mode} network epochs, 2 threads`, mode, threads: 2 }, () => threaded.epochs(network, { mode }));
    }
    threaded.close();
  }

  // The first epoch of a fresh process (what a one-shot `yuma-wasm epoch` pays): median of 10 processes.
  for (const mode of ['float', 'fixed']) {
    const id = `first-epoch-${mode}-256x64`;
    if (selected ? selected.test(id) : true) {
      log(`  running first ${mode} epoch of 10 fresh processes …`);
      cases.push(firstEpoch(id, mode, log));
    }
  }
  // The default simulated day (`yuma-wasm simulate` with no arguments: what `npm start` runs), one process.
  if (!quick && (!selected || selected.test('simulate-default-day'))) {
    log('  running the default simulated day …');
    cases.push(simulatedDay());
  }

  // dTAO.
  if (typeof pkg.Pool?.genesis === 'function') {
    const RAO = 1_000_000_000n;
    const pool = pkg.Pool.genesis({ tao: 1_000_000n * RAO, alpha: 2_000_000n * RAO });
    let i = 0n;
    run({ id: 'pool-swaps', group: 'dtao', name: 'Pool stake + unstake (2 swaps/op)', swapsPerOp: 2 }, () => {
      const { alphaOut } = pool.stake(RAO + (i++ % 1000n) * 1_000_000n);
      pool.unstake(alphaOut);
    });
  } else if (!selected || selected.test('pool-swaps')) {
    cases.push({ id: 'pool-swaps', group: 'dtao', name: 'Pool stake + unstake (2 swaps/op)', error: 'Pool is not exported by dist/index.js yet' });
  }
  if (typeof pkg.blockEmission === 'function') {
    const issuances = Array.from({ length: 1024 }, (_, k) => (BigInt(k) * 20_500_000n * 1_000_000_000n) / 1024n);
    let i = 0;
    run({ id: 'block-emission', group: 'dtao', name: 'blockEmission(issuance)' }, () => pkg.blockEmission(issuances[i++ & 1023]));
  } else if (!selected || selected.test('block-emission')) {
    cases.push({ id: 'block-emission', group: 'dtao', name: 'blockEmission(issuance)', error: 'blockEmission is not exported by dist/index.js yet' });
  }

  // yuma-wasm/research: one epoch of each yuma-simulation version (the second of a case, so bonds, the previous
  // consensus and liquid alpha all run), beside the torch simulator's time for the same shape.
  const researchUrl = new URL('research.js', DIST_INDEX);
  if (existsSync(fileURLToPath(researchUrl))) {
    const research = await import(researchUrl.href);
    // A quick run keeps to the smallest shape and Yuma 3 (it has a budget of seconds).
    const shapes = quick ? [[64, 256]] : [[64, 256], [256, 256], [256, 1024], [1024, 1024]];
    for (const [V, M] of shapes) {
      const make = (seed) => suite.researchEpochInput(V, M, seed);
      const first = make(V * 7 + M);
      const second = make(V * 7 + M + 1);
      for (const version of quick ? ['yuma3'] : research.YUMA_VERSIONS) {
        const e0 = research.yumaEpoch(version, first);
        const input = { ...second, bondsOld: e0.validatorBonds, consensusOld: e0.serverConsensusWeight, ...(version === 'yuma2b' ? { weightsPrev: e0.weight } : {}) };
        const shape = `${V}x${M}`;
        const torchMs = TORCH_FIGURES.measured.ms[`${version} ${shape}`];
        const torchIssueMs = TORCH_FIGURES.issue.ms[shape];
        run({ id: `research-${version}-${shape}`, group: 'research', api: 'yumaEpoch', name: `research ${version} epoch ${V}×${M}`, V, M, version, torchMs, torchIssueMs }, () => research.yumaEpoch(version, input), { slow: V * M > 100_000, cpu: true });
      }
      if (quick) continue;
      const shape = `${V}x${M}`;
      // What the API's contract costs before any arithmetic: yumaEpoch reads and checks the caller's weight and
      // bond rows (2 × V×M f64) and hands back two fresh V×M matrices (weight, validatorBonds). This row does
      // exactly those memory moves and nothing else: a floor no kernel behind this API can go below.
      const floorRows = [second.weights, research.yumaEpoch('yuma3', first).validatorBonds];
      run({ id: `research-floor-${shape}`, group: 'research', api: 'floor', name: `research floor (read+check 2 V×M in, 2 fresh V×M out) ${V}×${M}`, V, M }, () => {
        const out = [];
        for (const rows of floorRows) {
          const dst = new Float64Array(V * M);
          for (let v = 0; v < V; v++) {
            const off = v * M;
            dst.set(rows[v], off);
            for (let i = off; i < off + M; i++) if (!(dst[i] >= 0 && dst[i] < Infinity)) throw new Error('bad entry');
          }
          out.push(dst);
        }
        return out;
      }, { slow: V * M > 100_000, cpu: true });
      // simulateCase keeps bonds and consensus in Wasm memory between epochs (no bonds copied in or checked):
      // four epochs of Yuma 3 per call; the name says so, ms is per call.
      const caseInput = { version: 'yuma3', weights: [first.weights, second.weights, first.weights, second.weights], stakes: [first.stakes, second.stakes, first.stakes, second.stakes] };
      // YumaRun: flat epochs copied into a Wasm instance of the run's own, checked by the kernel, outputs as views.
      if (typeof research.YumaRun === 'function') {
        const flat = [first, second].map((x) => {
          const f = new Float64Array(V * M);
          x.weights.forEach((r, v) => f.set(r, v * M));
          return { f, s: x.stakes };
        });
        for (const version of research.YUMA_VERSIONS) {
          const yr = new research.YumaRun(version, { validators: V, servers: M });
          yr.epoch(flat[0].f, flat[0].s);
          let i = 1;
          run({ id: `research-run-${version}-${shape}`, group: 'research', api: 'YumaRun', name: `research YumaRun ${version} epoch ${V}×${M}`, V, M, version, torchMs: TORCH_FIGURES.measured.ms[`${version} ${shape}`], torchIssueMs: TORCH_FIGURES.issue.ms[shape] }, () => yr.epoch(flat[i & 1].f, flat[i++ & 1].s), { slow: V * M > 100_000, cpu: true });
        }
        // precision 'f32': torch's own float32 arithmetic (the like-for-like comparison), matrices stored as
        // float32 in Wasm memory; the same Float64Array weights in (rounded by the copy).
        if (M >= 1024) {
          for (const version of research.YUMA_VERSIONS) {
            const yr = new research.YumaRun(version, { validators: V, servers: M }, undefined, { precision: 'f32' });
            yr.epoch(flat[0].f, flat[0].s);
            let i = 1;
            run({ id: `research-run-f32-${version}-${shape}`, group: 'research', api: 'YumaRun', precision: 'f32', name: `research YumaRun ${version} epoch ${V}×${M} f32`, V, M, version, torchMs: TORCH_FIGURES.measured.ms[`${version} ${shape}`], torchIssueMs: TORCH_FIGURES.issue.ms[shape] }, () => yr.epoch(flat[i & 1].f, flat[i++ & 1].s), { slow: V * M > 100_000, cpu: true });
          }
        }
        // weightsInput(): the caller writes each epoch's weights into the run's own Wasm buffer (here the whole
        // matrix, inside the timed call, from the same flat epochs held in the run's precision), so the epoch
        // makes no copy of its own.
        if (M >= 1024 && typeof research.YumaRun.prototype.weightsInput === 'function') {
          for (const precision of ['f64', 'f32']) {
            const yr = new research.YumaRun('yuma3', { validators: V, servers: M }, undefined, { precision });
            const view = yr.weightsInput();
            const src = flat.map((x) => (precision === 'f32' ? Float32Array.from(x.f) : x.f));
            view.set(src[0]);
            yr.epoch(view, flat[0].s);
            let i = 1;
            const tag = precision === 'f32' ? ' f32' : '';
            run({ id: `research-run-view${precision === 'f32' ? '-f32' : ''}-yuma3-${shape}`, group: 'research', api: 'YumaRun.weightsInput', precision, name: `research YumaRun yuma3 epoch ${V}×${M}${tag}, weights written into weightsInput()`, V, M, version: 'yuma3', torchMs: TORCH_FIGURES.measured.ms[`yuma3 ${shape}`], torchIssueMs: TORCH_FIGURES.issue.ms[shape] }, () => {
              view.set(src[i & 1]);
              return yr.epoch(view, flat[i++ & 1].s);
            }, { slow: V * M > 100_000, cpu: true });
          }
        }
      }
      run({ id: `research-case4-yuma3-${shape}`, group: 'research', api: 'simulateCase', name: `research simulateCase yuma3, 4 epochs ${V}×${M}`, V, M, version: 'yuma3', epochs: 4 }, () => research.simulateCase(caseInput), { slow: V * M > 100_000, cpu: true });
    }
  }

  // The chain's block (src/chain): 128 dynamic subnets, no epoch due (tempo 0), every subnet injecting and buying
  // its excess TAO through its Balancer pool (weights off 0.5, so every swap takes safe-bigmath's fallback).
  if (typeof pkg.Chain === 'function' && typeof pkg.newChainState === 'function' && (!selected || selected.test('chain-block-128'))) {
    const state = suite.chainBlock128State(pkg);
    const chain = new pkg.Chain(state, { engine });
    // the steady state a node runs in: the first ~1000 blocks also tier the coinbase kernels up and optimise the
    // JavaScript around them (≈ 1 s of CPU that Benchmark.js's 3 s of cycles would otherwise average in)
    if (!selected || selected.test('chain-block-128')) for (let i = 0; i < 2000; i++) chain.step();
    run({ id: 'chain-block-128', group: 'chain', name: 'Chain.step(): one block of 128 subnets, no epoch due', subnets: 128 }, () => chain.step());
  }

  // A simulated day (issue 12's target): 128 subnets × 256 UIDs, two mechanisms on a quarter of them, HEAD's block
  // and fixed-mode epochs — 7200 Chain blocks with the simulator's actors around them. One timed run: a day takes
  // seconds, so benchmark.js's repeated cycles would take minutes; building the network is timed apart.
  if (typeof pkg.Network === 'function' && (!selected || selected.test('sim-day-128'))) {
    const c = { id: 'sim-day-128', group: 'sim', name: 'simulate one day: 128 subnets × 256 UIDs, 2 mechanisms on 32 (HEAD, fixed)', subnets: 128, blocks: 7200 };
    log(`  running ${c.name} …`);
    gc();
    try {
      const t0 = performance.now();
      const net = new pkg.Network({ engine, subnets: 128, uidsPerSubnet: 256, subnet1Uids: 0, mode: 'fixed', mechanisms: 2, mechanismSubnets: Array.from({ length: 32 }, (_, i) => 4 * i + 1) });
      const t1 = performance.now();
      const report = net.run({ blocks: c.blocks });
      const ms = performance.now() - t1;
      cases.push({ ...c, epochs: report.epochs, setupMs: t1 - t0, msPerOp: ms, msBest: ms, opsPerSec: 1000 / ms, rmePercent: 0, samples: 1 });
    } catch (e) {
      cases.push({ ...c, error: String(e?.message ?? e) });
    }
  }

  const memory = only && !selected.test('memory') ? {} : memoryCheck(engine, inputs.get(key(256, 64)), gc, quick, log);
  annotate(cases, previous);
  const results = {
    suite: 'yuma-wasm bench (issue 6)',
    date: new Date().toISOString(),
    quick,
    machine: { ...machine, loadAverageAtEnd: os.loadavg().map((x) => Number(x.toFixed(2))) },
    inputs: 'bench/suite.ts syntheticSubnet: seeded, heavy-tailed validator stake, validators weight ~85% of miners, bonds on ~60%, everyone active; dense Uint16Array layout unless noted; hyper = defaults (original Yuma) with maxAllowedValidators = validators unless noted; sparse path',
    agreement,
    cases,
    memory,
    targets: summariseTargets(cases, memory),
  };
  log('');
  log(formatTable(results));
  if (write) {
    mkdirSync(path.dirname(out), { recursive: true });
    writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);
    log(`\nwrote ${path.relative(process.cwd(), out)}`);
  }
  return results;
}

const U16_FIELDS = ['stakeWeight', 'consensus', 'incentive', 'dividends', 'validatorTrust', 'bonds'];
const F64_FIELDS = ['consensusF', 'incentiveF', 'dividendsF', 'rankF', 'trustF', 'validatorTrustF'];

/** Largest differences between the Wasm result and a reference's on one prepared epoch. */
function compare(label, engine, p, reference) {
  try {
    const [w] = engine.runPrepared([p]);
    const r = reference(p);
    let u16 = 0;
    for (const f of U16_FIELDS) for (let i = 0; i < r[f].length; i++) u16 = Math.max(u16, Math.abs(w[f][i] - r[f][i]));
    let f64 = 0;
    for (const f of F64_FIELDS) for (let i = 0; i < r[f].length; i++) f64 = Math.max(f64, Math.abs(w[f][i] - r[f][i]));
    let rao = 0n;
    for (const f of ['serverEmission', 'validatorEmission']) {
      for (let i = 0; i < r[f].length; i++) {
        const d = w[f][i] > r[f][i] ? w[f][i] - r[f][i] : r[f][i] - w[f][i];
        if (d > rao) rao = d;
      }
    }
    const flags = ['active', 'validatorPermit'].every((f) => r[f].every((x, i) => x === w[f][i]));
    return { case: label, maxU16Diff: u16, maxF64Diff: f64, maxRaoDiff: Number(rao), flagsEqual: flags, identical: u16 === 0 && f64 === 0 && rao === 0n && flags };
  } catch (e) {
    return { case: label, error: String(e?.message ?? e) };
  }
}

/** Whole outputs (aggregate and every mechanism) of the Wasm engine and the reference engine, field for field. */
function compareOutputs(label, engine, reference, { input, hyper }, mode) {
  try {
    const json = (o) => JSON.stringify(o, (_k, v) => (typeof v === 'bigint' ? v.toString() : ArrayBuffer.isView(v) ? Array.from(v) : v));
    const identical = json(engine.epoch(input, hyper, { mode })) === json(reference.epoch(input, hyper, { mode }));
    return identical ? { case: label, identical } : { case: label, identical, maxU16Diff: NaN, maxF64Diff: NaN, maxRaoDiff: NaN, flagsEqual: false };
  } catch (e) {
    return { case: label, error: String(e?.message ?? e) };
  }
}

/** 10 000 epochs (quick: QUICK_MEMORY) through engine.epoch; Wasm memory and RSS must not grow. */
function memoryCheck(engine, subnet, gc, quick, log) {
  const { total, first } = quick ? QUICK_MEMORY : { total: 10_000, first: 1_000 };
  const out = {};
  for (const mode of ['float', 'fixed']) {
    log(`  memory: ${total} ${mode} epochs at 256×64 …`);
    const points = [];
    const t0 = performance.now();
    try {
      for (let e = 1; e <= total; e++) {
        engine.epoch(subnet.input, subnet.hyper, { mode });
        if (e === first || e === total) {
          gc();
          const m = process.memoryUsage();
          points.push({ epochs: e, wasmBytes: engine.memoryBytes, rssMB: m.rss / MB, heapUsedMB: m.heapUsed / MB });
        }
      }
    } catch (err) {
      out[mode] = { error: String(err?.message ?? err) };
      continue;
    }
    const [a, b] = points;
    const rssGrowthMB = b.rssMB - a.rssMB;
    out[mode] = {
      epochs: total,
      seconds: (performance.now() - t0) / 1000,
      points: points.map((p) => ({ ...p, rssMB: Number(p.rssMB.toFixed(1)), heapUsedMB: Number(p.heapUsedMB.toFixed(1)) })),
      wasmGrowthBytes: b.wasmBytes - a.wasmBytes,
      rssGrowthMB: Number(rssGrowthMB.toFixed(1)),
      // Flat: Wasm memory unchanged, RSS within allocator noise (8 MB or 5 %, whichever is larger).
      flat: b.wasmBytes === a.wasmBytes && rssGrowthMB <= Math.max(8, 0.05 * a.rssMB),
    };
  }
  return out;
}

const NATIVE_SOURCE = fileURLToPath(new URL('./native/native_epoch_rows.c', import.meta.url));
const NATIVE_BIN = fileURLToPath(new URL('../build/bench/native_epoch_rows', import.meta.url));
/** Timed repetitions of the native anchor per size (it reports their mean and the fastest). */
const NATIVE_REPS = { 256: 400, 1024: 100, 4096: 25 };

/**
 * The native anchor's rows (bench/native/README.md): built with `cc -O3` now, so it runs on this machine in this
 * run; skipped (one row saying why) where there is no C compiler.
 */
function nativeAnchor(sizes, selected, quick, log) {
  const rows = [];
  const base = (n) => ({ id: `native-rows-${n}`, group: 'native', name: `native C -O3 rows-only epoch ${n} UIDs (64 validators)`, n, k: 64, mode: 'float' });
  mkdirSync(path.dirname(NATIVE_BIN), { recursive: true });
  let built = null;
  for (const flags of [['-O3', '-march=native'], ['-O3']]) {
    try {
      execFileSync('cc', [...flags, '-o', NATIVE_BIN, NATIVE_SOURCE, '-lm'], { stdio: 'ignore' });
      built = `cc ${flags.join(' ')}`;
      break;
    } catch {
      // no cc, or it refuses -march=native: try the plain flags, then give up
    }
  }
  for (const n of sizes) {
    if (selected && !selected.test(`native-rows-${n}`)) continue;
    if (!built) {
      rows.push({ ...base(n), skipped: 'no C compiler (cc) on this machine' });
      continue;
    }
    log(`  running native anchor at ${n} UIDs …`);
    const reps = quick ? Math.max(5, NATIVE_REPS[n] >> 3) : NATIVE_REPS[n];
    const text = execFileSync(NATIVE_BIN, [String(n), String(reps)], { encoding: 'utf8' });
    const best = Number(/best_ms=([\d.]+)/.exec(text)?.[1]);
    const mean = Number(/mean_ms=([\d.]+)/.exec(text)?.[1]);
    rows.push({ ...base(n), compiler: built, msPerOp: mean, msBest: best, opsPerSec: 1000 / mean, rmePercent: 0, samples: reps });
  }
  return rows;
}

/** Median of a list of numbers. */
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

/**
 * The first `engine.epoch` of a fresh Node process at 256×64 (the input is built before the clock starts; the
 * engine's creation is timed separately), ten processes, medians; the hundredth epoch of each process beside it.
 */
function firstEpoch(id, mode, log) {
  const script = `
    const S = await import(${JSON.stringify(new URL('../build/bench/suite.js', import.meta.url).href)});
    const { input, hyper } = S.syntheticSubnet({ n: 256, validators: 64, seed: 256 * 1000 + 64 });
    const pkg = await import(${JSON.stringify(DIST_INDEX.href)});
    const t0 = performance.now();
    const engine = pkg.createEngineSync();
    const t1 = performance.now();
    engine.epoch(input, hyper, { mode: '${mode}' });
    const t2 = performance.now();
    let last = 0;
    for (let i = 2; i <= 100; i++) { const a = performance.now(); engine.epoch(input, hyper, { mode: '${mode}' }); last = performance.now() - a; }
    console.log(JSON.stringify({ create: t1 - t0, first: t2 - t1, hundredth: last }));`;
  const runs = [];
  for (let r = 0; r < 10; r++) {
    const res = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
    if (res.status !== 0) return { id, group: 'startup', name: `first ${mode} engine.epoch 256×64 of a fresh process`, mode, error: (res.stderr || 'failed').split('\n')[0] };
    runs.push(JSON.parse(res.stdout.trim().split('\n').pop()));
  }
  const first = median(runs.map((r) => r.first));
  return {
    id,
    group: 'startup',
    name: `first ${mode} engine.epoch 256×64 of a fresh process (median of 10)`,
    n: 256,
    k: 64,
    mode,
    msPerOp: first,
    msBest: Math.min(...runs.map((r) => r.first)),
    opsPerSec: 1000 / first,
    rmePercent: 0,
    samples: runs.length,
    createMs: median(runs.map((r) => r.create)),
    hundredthMs: median(runs.map((r) => r.hundredth)),
    runs: runs.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, Number(v.toFixed(3))]))),
  };
}

/** CPU seconds of this process's waited-for children (Linux /proc; null elsewhere). */
function childrenCpuSeconds() {
  try {
    const fields = readFileSync('/proc/self/stat', 'utf8').split(') ').pop().split(' ');
    return (Number(fields[13]) + Number(fields[14])) / 100; // cutime + cstime, in clock ticks of 1/100 s
  } catch {
    return null;
  }
}

/** `yuma-wasm simulate` with no arguments (the default day), one process: wall time and its CPU time. */
function simulatedDay() {
  const cli = fileURLToPath(new URL('cli.js', DIST_INDEX));
  const base = { id: 'simulate-default-day', group: 'sim', name: 'yuma-wasm simulate (default day, whole process)' };
  const cpu0 = childrenCpuSeconds();
  const t0 = performance.now();
  const res = spawnSync(process.execPath, [cli, 'simulate'], { encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'] });
  const ms = performance.now() - t0;
  const cpu1 = childrenCpuSeconds();
  if (res.status !== 0) return { ...base, error: (res.stderr || 'failed').split('\n')[0] };
  return { ...base, msPerOp: ms, msBest: ms, opsPerSec: 1000 / ms, rmePercent: 0, samples: 1, cpuSeconds: cpu0 == null ? null : Number((cpu1 - cpu0).toFixed(2)) };
}

const find = (cases, id) => cases.find((c) => c.id === id && c.msPerOp != null);

/** Ratios against the baselines, targets per case, and the change against the committed baseline. */
function annotate(cases, previous) {
  for (const c of cases) {
    if (c.msPerOp == null) continue;
    if (c.swapsPerOp) c.swapsPerSec = c.opsPerSec * c.swapsPerOp;
    if (c.n != null && c.group !== 'baseline') {
      const suffix = c.variant ? `-${c.variant}` : '';
      const typed = find(cases, `typed-${c.n}x${c.k}${suffix}`);
      if (typed) c.vsTyped = typed.msPerOp / c.msPerOp;
      const ref = find(cases, `ref-${c.mode}-${c.n}x${c.k}${suffix}`);
      if (ref && c.group !== 'reference') c.vsReference = ref.msPerOp / c.msPerOp;
    }
    if (c.group === 'network') {
      const t256 = find(cases, 'typed-256x64');
      const t1024 = find(cases, 'typed-1024x128');
      if (t256 && t1024) c.vsTyped = (64 * t256.msPerOp + t1024.msPerOp) / c.msPerOp;
      const r256 = find(cases, `ref-${c.mode}-256x64`);
      const r1024 = find(cases, `ref-${c.mode}-1024x128`);
      if (r256 && r1024) c.vsReference = (64 * r256.msPerOp + r1024.msPerOp) / c.msPerOp;
    }
    if (c.group === 'research') {
      if (c.torchMs != null) c.vsTorch = c.torchMs / c.msPerOp;
      if (c.torchIssueMs != null) c.vsTorchIssue = c.torchIssueMs / c.msPerOp;
    }
    c.target = targetFor(c, cases) ?? c.target;
    const before = previous?.cases?.find((p) => p.id === c.id && p.msPerOp != null);
    if (before) c.changeVsBaseline = c.msPerOp / before.msPerOp - 1;
  }
}

/** 10⁶ epochs of one resident Subnet (16 UIDs, 4 validators re-weighting every epoch, float): memory at checkpoints. */
function residentMemory(pkg, gc) {
  const engine = pkg.createEngineSync();
  const n = 16;
  const s = new pkg.Subnet({ engine, n, tempo: 10, mode: 'float', hyper: { maxAllowedValidators: 4 } });
  for (let i = 0; i < n; i++) s.register(`hk${i}`);
  for (let i = 0; i < n; i++) s.addStake(i, BigInt(n - i) * 1_000_000_000_000n);
  s.nextBlock(2);
  s.epoch(0n);
  const points = [];
  const total = 1_000_000;
  const marks = new Set([1_000, 100_000, total]);
  const start = performance.now();
  const cpu0 = process.cpuUsage();
  for (let k = 1; k <= total; k++) {
    s.setWeights(k % 4, [4 + (k % 11), 15], [k % 65536, 7]);
    s.nextBlock(11);
    s.epoch(1_000_000_000n, { bonds: false });
    if (marks.has(k)) {
      gc();
      const m = process.memoryUsage();
      points.push({ epochs: k, wasmBytes: engine.memoryBytes, heapMB: Number((m.heapUsed / 2 ** 20).toFixed(2)), rssMB: Math.round(m.rss / 2 ** 20) });
    }
  }
  const ms = performance.now() - start;
  const used = process.cpuUsage(cpu0);
  // flat: the same Wasm memory and the JS heap (after GC) within 1 MB; RSS is shown but the allocator keeps pages
  const flat = points.every((p) => p.wasmBytes === points[0].wasmBytes) && Math.abs(points[2].heapMB - points[1].heapMB) < 1;
  return {
    id: 'resident-memory-1e6', group: 'memory', name: 'memory over 10⁶ resident epochs (16 UIDs, float)', mode: 'float', points, flat,
    msPerOp: ms / total, msBest: ms / total, opsPerSec: (1000 * total) / ms, rmePercent: 0, samples: 1, cpuMsBest: (used.user + used.system) / 1000 / total,
    target: [{ what: 'memory flat over 10⁶ epochs', met: flat, figure: points.map((p) => `${p.epochs}: wasm ${(p.wasmBytes / 2 ** 20).toFixed(2)} MB, heap ${p.heapMB} MB, rss ${p.rssMB} MB`).join(' → ') }],
  };
}

/**
 * A `Subnet` holding a bench input: one UID per input UID (registered at block 0), its stake, and each row's
 * non-zero weights set by `setWeights` (max-upscaled, as the chain stores them); two epochs run, so permits and
 * bonds exist.
 */
export function subnetFromInput(pkg, engine, { input, hyper }, mode) {
  const n = input.n;
  const s = new pkg.Subnet({ engine, n, tempo: input.tempo, mode, hyper });
  for (let i = 0; i < n; i++) s.register(`hk${i}`);
  for (let i = 0; i < n; i++) if (BigInt(input.stake[i]) > 0n) s.addStake(i, BigInt(input.stake[i]));
  s.nextBlock(10);
  s.epoch(0n);
  const w = input.weights;
  for (let i = 0; i < n; i++) {
    const targets = [];
    const values = [];
    for (let j = 0; j < n; j++) if (w[i * n + j] !== 0 && j !== i) (targets.push(j), values.push(w[i * n + j]));
    if (targets.length > 0) s.setWeights(i, targets, values);
  }
  s.nextBlock(input.tempo + 1);
  s.epoch(1_000_000_000n);
  return s;
}

/**
 * Blocks a resident row's op steps before its epoch: none, so the validators' weights stay within the activity
 * cutoff however many ops benchmark.js runs (the bonds still move with every epoch's EMA).
 */
export const EPOCH_STEP = 0;

/** `createEngineSync({ threads: 2 })` where the package (and platform) has it, else null. */
function helperThreadEngine(pkg) {
  try {
    const e = pkg.createEngineSync({ threads: 2 });
    if (typeof e.close === 'function') return e;
  } catch {
    // an older build without the option, or no worker threads here
  }
  return null;
}

/** The issue's targets, applied to the rows they speak about. */
function targetFor(c, cases) {
  const checks = [];
  const plain = c.group === 'wasm' && (c.api === 'epoch' || c.api === 'resident') && c.layout == null && c.variant == null && c.mechanisms == null;
  // Issue 15: engine.epoch against the native rows-only C epoch of the same run (time ÷ native time, means).
  const native = plain && c.k === 64 ? find(cases, `native-rows-${c.n}`) : null;
  if (native) {
    c.vsNative = c.msPerOp / native.msPerOp;
    c.vsNativeBest = c.msBest / native.msBest;
    const bound = c.mode === 'float' ? { 1024: 0.5, 4096: 1.0 }[c.n] : { 1024: 1.0 }[c.n];
    if (bound != null) checks.push({ what: `≤ ${bound.toFixed(1)}× native C`, met: c.vsNative <= bound, figure: `${c.vsNative.toFixed(2)}× (${fmtMs(c.msPerOp)} vs ${fmtMs(native.msPerOp)} ms)` });
  }
  if (plain && c.mode === 'float') {
    if (c.n === 256 && c.k === 64) checks.push({ what: '≤ 0.08 ms', met: c.msPerOp <= 0.08, figure: `${fmtMs(c.msPerOp)} ms (${(c.msPerOp / 0.08).toFixed(2)}× the bound)` });
    if (c.n === 1024 && c.vsTyped != null) checks.push({ what: '≥ 5× typed JS', met: c.vsTyped >= 5, figure: fmtRatio(c.vsTyped) });
  }
  if (c.group === 'startup' && c.mode === 'float') checks.push({ what: '≤ 5 ms', met: c.msPerOp <= 5, figure: `${fmtMs(c.msPerOp)} ms (the 100th: ${fmtMs(c.hundredthMs)} ms)` });
  if (c.id === 'simulate-default-day') checks.push({ what: '≤ 3 s', met: c.msPerOp <= 3000, figure: `${(c.msPerOp / 1000).toFixed(2)} s wall${c.cpuSeconds != null ? `, ${c.cpuSeconds} s CPU` : ''}` });
  if (c.group === 'research' && c.V === 1024 && c.M === 1024 && c.vsTorchIssue != null) {
    checks.push({ what: '≥ 100× torch (168 ms)', met: c.vsTorchIssue >= 100, figure: fmtRatio(c.vsTorchIssue) });
  }
  if (c.id === 'chain-block-128') checks.push({ what: '≤ 0.2 ms', met: c.msPerOp <= 0.2, figure: `${fmtMs(c.msPerOp)} ms` });
  if (c.id === 'sim-day-128') checks.push({ what: '≤ 10 s', met: c.msPerOp <= 10_000, figure: `${(c.msPerOp / 1000).toFixed(1)} s` });
  if (c.group === 'network' && c.mode === 'float') {
    const bound = c.threads === 2 ? 5 : 8;
    checks.push({ what: `≤ ${bound} ms`, met: c.msPerOp <= bound, figure: `${fmtMs(c.msPerOp)} ms (${(c.msPerOp / bound).toFixed(2)}× the bound)` });
  }
  if (c.mode === 'fixed' && (c.group === 'wasm' || c.group === 'network')) {
    const floatId = c.id.replace('-fixed', '-float');
    const f = find(cases, floatId);
    if (f) {
      const ratio = c.msPerOp / f.msPerOp;
      checks.push({ what: '≤ 3× float', met: ratio <= 3, figure: `${ratio.toFixed(2)}× float` });
    }
  }
  return checks.length ? checks : undefined;
}

function summariseTargets(cases, memory) {
  const rows = [];
  for (const c of cases) for (const t of c.target ?? []) rows.push({ case: c.name, target: t.what, met: t.met, figure: t.figure });
  for (const [mode, m] of Object.entries(memory)) {
    rows.push({ case: `memory ${mode} 256×64`, target: `flat over ${m.epochs ?? 10_000} epochs`, met: m.flat === true, figure: m.error ?? `wasm +${m.wasmGrowthBytes} B, rss ${m.rssGrowthMB >= 0 ? '+' : ''}${m.rssGrowthMB} MB` });
  }
  return { met: rows.filter((r) => r.met).length, missed: rows.filter((r) => !r.met).length, rows };
}

function formatTable(results) {
  const head = ['case', 'ms/op', 'best', 'cpu', 'ops/s', '±rme', '×typed', '×ref', '÷native', '×torch', 'Δ base', 'target'];
  const rows = results.cases.map((c) => {
    if (c.error) return [c.name, '—', '', '', '—', '', '', '', '', '', '', `error: ${c.error.slice(0, 60)}`];
    if (c.skipped) return [c.name, '—', '', '', '—', '', '', '', '', '', '', `skipped: ${c.skipped}`];
    const target = (c.target ?? []).map((t) => `${t.met ? 'met' : 'MISSED'} ${t.what} (${t.figure})`).join('; ');
    const hz = c.swapsPerSec ? `${fmtHz(c.opsPerSec)} (${fmtHz(c.swapsPerSec)} swaps)` : fmtHz(c.opsPerSec);
    const delta = c.changeVsBaseline == null ? '' : `${c.changeVsBaseline >= 0 ? '+' : ''}${(100 * c.changeVsBaseline).toFixed(0)}%`;
    const torch = c.vsTorchIssue != null ? `${fmtRatio(c.vsTorchIssue)} (${c.torchIssueMs} ms)` : c.vsTorch != null ? `${fmtRatio(c.vsTorch)} (${fmtMs(c.torchMs)} ms*)` : '';
    return [c.name, fmtMs(c.msPerOp), fmtMs(c.msBest), c.cpuMsBest == null ? '' : fmtMs(c.cpuMsBest), hz, `${c.rmePercent.toFixed(1)}%`, fmtRatio(c.vsTyped), fmtRatio(c.vsReference), c.vsNative == null ? '' : `${c.vsNative.toFixed(2)}×`, torch, delta, target];
  });
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (r) => r.map((cell, i) => (i === 0 || i === r.length - 1 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  ').trimEnd();
  const out = [line(head), widths.map((w) => '─'.repeat(w)).join('  '), ...rows.map(line)];
  out.push('', 'cpu: least CPU time of a few calls (research rows), ms: what a call costs without the time other processes hold the cores.');
  out.push('', '×torch: the yuma-simulation torch function (float32, one thread) for the same shape: the issue\'s figure where it gives one (256×256, 1024×1024), else (*) bench/torch-figures.json, measured under load.');
  out.push('÷native: this row\'s mean time ÷ the native C rows-only epoch\'s mean time at the same UID count, in this run (below 1: faster than native).');
  out.push('', 'Wasm vs reference on the bench inputs (runPrepared):');
  for (const a of results.agreement) {
    out.push(a.error ? `  ${a.case}: error: ${a.error}` : `  ${a.case}: ${a.identical ? 'identical' : `max Δ u16 ${a.maxU16Diff}, f64 ${a.maxF64Diff.toExponential(1)}, rao ${a.maxRaoDiff}, flags ${a.flagsEqual ? 'equal' : 'DIFFER'}`}`);
  }
  out.push('', 'memory (engine.epoch at 256×64; after GC):');
  for (const [mode, m] of Object.entries(results.memory)) {
    if (m.error) { out.push(`  ${mode}: error: ${m.error}`); continue; }
    const pts = m.points.map((p) => `${p.epochs} epochs: wasm ${(p.wasmBytes / MB).toFixed(2)} MB, rss ${p.rssMB} MB`).join(' → ');
    out.push(`  ${mode}: ${pts}  ${m.flat ? 'flat' : 'GROWING'} (${m.seconds.toFixed(1)} s)`);
  }
  const t = results.targets;
  out.push('', `ms/op = mean over all samples (targets are judged on it); best = fastest sample; load average ${results.machine.loadAverage[0]} at start, ${results.machine.loadAverageAtEnd[0]} at end`);
  out.push(`targets: ${t.met} met, ${t.missed} missed${t.missed ? ': ' + t.rows.filter((r) => !r.met).map((r) => `${r.case} ${r.target} (${r.figure})`).join('; ') : ''}`);
  return out.join('\n');
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const quick = args.includes('--quick');
  const onlyAt = args.indexOf('--only');
  const only = onlyAt >= 0 ? args[onlyAt + 1] : undefined;
  runBench({ quick, only }).catch((e) => {
    console.error(e?.stack ?? e);
    process.exitCode = 1;
  });
}
