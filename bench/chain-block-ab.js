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
const { prng } = await import(pathToFileURL(await (await import('./build.mjs')).buildSuite()).href);

/** The state benchmark.js times (same seed and fields). */
function chainBlock128(pkg) {
  const RAO = 1_000_000_000n;
  const rnd = prng(128);
  const state = pkg.newChainState({ block: 5_000_000n, totalIssuance: 11_000_000n * RAO, balancesTotalIssuance: 11_000_000n * RAO, taoWeight: 3_320_413_933_267_719_290n });
  state.subnets.get(0).subnetTao = 5_000_000n * RAO;
  for (let n = 1; n <= 128; n++) {
    state.subnets.set(n, pkg.newSubnet(n, {
      subnetTao: BigInt(Math.floor(1e12 + rnd() * 1e14)),
      subnetAlphaIn: BigInt(Math.floor(1e13 + rnd() * 1e15)),
      subnetAlphaOut: BigInt(Math.floor(rnd() * 3e15)),
      palSwapInitialized: true,
      swapBalancerQuoteWeightParts: 500_000_000_000_000_000n + BigInt(Math.floor((rnd() - 0.5) * 1e17)),
      subnetMovingPrice: BigInt(Math.floor(rnd() * 0.1 * 2 ** 32)),
      tempo: 0,
    }));
  }
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
