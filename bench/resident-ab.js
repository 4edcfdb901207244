// Resident epochs of one or more builds of the package, interleaved in one process: the bench's resident rows
// (`subnet-resident-epoch-*`: a Subnet built from the bench input by benchmark.js's `subnetFromInput`, each op
// `nextBlock(EPOCH_STEP)` and `epoch(rao, { bonds: false })`) or, with `network`, the network rows (64 × 256 +
// 1 × 1024 resident Subnets, one `s.epoch` each, or one `Subnet.epochs` call with `batch`). Reports the least and median CPU time an op over
// the rounds; the builds' outputs are compared first (they must be identical). Interleaving and CPU time keep a
// comparison meaningful on a shared, loaded machine, where benchmark.js's mean is not.
// Usage: node bench/resident-ab.js <n|network|batch> <float|fixed> [path/to/index.js …]   (default dist/index.js)
//        ROUNDS=15 REPS=… K=64 (validators of the single-subnet input)
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const [shape = '256', mode = 'float', ...builds] = process.argv.slice(2);
if (builds.length === 0) builds.push(new URL('../dist/index.js', import.meta.url).pathname);
const pkgs = await Promise.all(builds.map((b) => import(pathToFileURL(path.resolve(b)).href)));
const suite = await import(pathToFileURL(await (await import('./build.mjs')).buildSuite()).href);
const { EPOCH_STEP, subnetFromInput } = await import('./benchmark.js');
const network = shape === 'network' || shape === 'batch';

const inputs = [];
if (network) {
  for (let s = 0; s < 64; s++) inputs.push(suite.syntheticSubnet({ n: 256, validators: 64, seed: 7_000 + s }));
  inputs.push(suite.syntheticSubnet({ n: 1024, validators: 128, seed: 9_999 }));
} else {
  const n = Number(shape);
  const k = Number(process.env.K ?? 64);
  inputs.push(suite.syntheticSubnet({ n, validators: k, seed: n * 1000 + k }));
}
const ops = pkgs.map((pkg) => {
  const engine = pkg.createEngineSync();
  const subnets = inputs.map((x) => subnetFromInput(pkg, engine, x, mode));
  if (shape === 'batch') {
    return () => {
      for (const s of subnets) s.nextBlock(EPOCH_STEP);
      return pkg.Subnet.epochs(subnets, 1_000_000_000n, { bonds: false });
    };
  }
  return () => subnets.map((s) => (s.nextBlock(EPOCH_STEP), s.epoch(1_000_000_000n, { bonds: false })));
});

const outs = ops.map((op) => JSON.stringify(op(), (_, v) => (typeof v === 'bigint' ? `${v}` : ArrayBuffer.isView(v) ? Array.from(v) : v)));
outs.forEach((o, b) => {
  if (o !== outs[0]) throw new Error(`${builds[b]} gives other outputs than ${builds[0]}`);
});

const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const rounds = Number(process.env.ROUNDS ?? 15);
const reps = Number(process.env.REPS ?? (network ? 10 : Math.max(10, Math.round(20_000 / Number(shape)))));
const samples = ops.map(() => []);
const load0 = os.loadavg()[0];
for (let r = 0; r < rounds + 2; r++) {
  ops.forEach((op, b) => {
    const t = cpuMs();
    for (let i = 0; i < reps; i++) op();
    if (r >= 2) samples[b].push((cpuMs() - t) / reps); // two rounds of warm-up
  });
}
// the epochs timed must be real ones: validators still active, incentive paid
for (const out of [ops[0]()].flat()) {
  if (!out.active.some(Boolean) || !out.incentive.some((x) => x > 0)) throw new Error('the timed epochs had no active validator or paid no incentive');
}
const median = (v) => v.slice().sort((x, y) => x - y)[v.length >> 1];
const what = network ? `network 64 × 256 + 1 × 1024, ${shape === 'batch' ? 'one Subnet.epochs call' : 'one s.epoch each'}` : `Subnet.epoch ${shape} × ${process.env.K ?? 64}`;
console.log(`resident ${mode} ${what}; ${rounds} rounds × ${reps}; load average ${load0.toFixed(1)} → ${os.loadavg()[0].toFixed(1)}; outputs identical`);
builds.forEach((b, i) => console.log(`${b}: CPU ms an op least ${Math.min(...samples[i]).toFixed(3)}, median ${median(samples[i]).toFixed(3)}`));
