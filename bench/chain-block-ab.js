// Chain.step() for one or more builds of the package, interleaved in one process — each round steps every build
// 200 blocks — and reported as the fastest round's CPU and wall time per block. Interleaving and the minimum keep a
// comparison of two builds meaningful on a shared, loaded machine, where benchmark.js's mean is not.
// The state: benchmark.js's chain-block-128 row (128 dynamic subnets, no epoch due), or with --sim the sim-day-128
// network's chain after 400 simulated blocks (128 subnets × 256 UIDs, pools, stakes and registration burns as the
// simulator leaves them, each subnet buying alpha with excess TAO every block) with every tempo set to 0 so that no
// epoch runs: the blocks `bench/sim-day-split.js` charges to "blocks", without its actors; --sim=N builds N subnets
// instead of 128 (a mechanism pair on every fourth subnet as before). --read steps each build's chain with its
// `chain.state` read, so that its every block checks the whole state first (what a chain whose state its caller
// holds pays), beside an unchecked twin from its JSON: the two lines' difference is the check.
// Usage: node bench/chain-block-ab.js [--sim[=N]] [--read] [path/to/index.js …] (default dist/index.js; `npm run build` first)
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const args = process.argv.slice(2);
const simArg = args.find((a) => a === '--sim' || a.startsWith('--sim='));
const sim = simArg !== undefined;
const simSubnets = simArg?.startsWith('--sim=') ? Number(simArg.slice(6)) : 128;
const read = args.includes('--read');
const builds = args.filter((a) => a !== simArg && a !== '--read');
if (builds.length === 0) builds.push(new URL('../dist/index.js', import.meta.url).pathname);
const pkgs = await Promise.all(builds.map((b) => import(pathToFileURL(path.resolve(b)).href)));
const { chainBlock128State } = await import(pathToFileURL(await (await import('./build.mjs')).buildSuite()).href);

/** The sim-day-128 chain (or --sim=N's) after 400 blocks, as JSON with every tempo 0 (built once, by the first build). */
function simDayJson(pkg) {
  const engine = pkg.createEngineSync();
  const net = new pkg.Network({ engine, subnets: simSubnets, uidsPerSubnet: 256, subnet1Uids: 0, mode: 'fixed', mechanisms: 2, mechanismSubnets: Array.from({ length: Math.floor(simSubnets / 4) }, (_, i) => 4 * i + 1) });
  net.run({ blocks: 400 });
  const json = net.chain.toJSON();
  for (const sn of Object.values(json.subnets)) sn.tempo = 0;
  return json;
}

const json = sim ? simDayJson(pkgs[0]) : null;
const chainOf = (pkg) => (sim ? pkg.Chain.fromJSON(json, { engine: pkg.createEngineSync() }) : new pkg.Chain(chainBlock128State(pkg), { engine: pkg.createEngineSync() }));
const chains = pkgs.flatMap((pkg) => {
  if (!read) return [chainOf(pkg)];
  const held = chainOf(pkg);
  void held.state;
  // fromJSON's chain is the only holder of its state: never checked
  return [pkg.Chain.fromJSON(held.toJSON(), { engine: pkg.createEngineSync() }), held];
});
const labels = builds.flatMap((b) => (read ? [`${b} (state not read)`, `${b} (state read)`] : [b]));

const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
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
// the builds must agree on the state they reach
const states = chains.map((c) => JSON.stringify(c.toJSON()));
if (states.some((x) => x !== states[0])) throw new Error('the builds reached different states');
console.log(`Chain.step() on ${sim ? `the sim-day chain of ${simSubnets} subnets after 400 blocks` : '128 subnets'}, no epoch due; fastest of ${rounds} rounds × ${per} blocks; load average ${load0.toFixed(1)} → ${os.loadavg()[0].toFixed(1)}`);
labels.forEach((b, i) => console.log(`  ${b}: ${best[i].cpu.toFixed(3)} ms CPU, ${best[i].wall.toFixed(3)} ms wall a block`));
