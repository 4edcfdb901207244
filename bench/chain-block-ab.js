// Chain.step() on the chain-block-128 state (128 dynamic subnets, no epoch due: benchmark.js's row) for one or
// more builds of the package, interleaved in one process — each round steps every build 200 blocks — and reported
// as the fastest round's CPU and wall time per block. Interleaving and the minimum keep a comparison of two builds
// meaningful on a shared, loaded machine, where benchmark.js's mean is not.
// Usage: node bench/chain-block-ab.js [path/to/index.js …] (default dist/index.js; `npm run build` first)
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const builds = process.argv.slice(2);
if (builds.length === 0) builds.push(new URL('../dist/index.js', import.meta.url).pathname);
const pkgs = await Promise.all(builds.map((b) => import(pathToFileURL(path.resolve(b)).href)));
const { chainBlock128State } = await import(pathToFileURL(await (await import('./build.mjs')).buildSuite()).href);

/** The state benchmark.js times (suite.chainBlock128State). */
function chainBlock128(pkg) {
  const state = chainBlock128State(pkg);
  return new pkg.Chain(state, { engine: pkg.createEngineSync() });
}

const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const chains = pkgs.map(chainBlock128);
for (const c of chains) for (let i = 0; i < 300; i++) c.step();
const best = chains.map(() => ({ cpu: Infinity, wall: Infinity }));
const rounds = 12;
const per = 200;
const load0 = os.loadavg()[0];
for (let r = 0; r < rounds; r++) {
  chains.forEach((c, i) => {
    const t = cpuMs();
    const w = performance.now();
    for (let k = 0; k < per; k++) c.step();
    best[i].cpu = Math.min(best[i].cpu, (cpuMs() - t) / per);
    best[i].wall = Math.min(best[i].wall, (performance.now() - w) / per);
  });
}
console.log(`Chain.step() on 128 subnets, no epoch due; fastest of ${rounds} rounds × ${per} blocks; load average ${load0.toFixed(1)} → ${os.loadavg()[0].toFixed(1)}`);
builds.forEach((b, i) => console.log(`  ${b}: ${best[i].cpu.toFixed(3)} ms CPU, ${best[i].wall.toFixed(3)} ms wall a block`));
