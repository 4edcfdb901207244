// Where a simulated day goes (issue 12): the sim-day-128 network (128 subnets × 256 UIDs, two mechanisms on 32,
// HEAD's block, fixed-mode epochs) run for `blocks` blocks with process CPU time charged to
//   - blocks without an epoch (Chain.step), and the same per-block cost counted for the blocks that run epochs;
//   - the epochs' JS around the engine (stake inputs, write-back, distribute_emission's payouts): the rest of
//     the steps that ran epochs;
//   - the engine itself (engine.epoch, or the resident run the block model's epochs take);
//   - the simulator's actors (weights before epochs, stakers' trades, the books and miners' sales after each
//     block, registrations, samples) — Network methods wrapped by name, so this follows src/sim/network.ts;
//   - and apart, the CPU an epoch of the blocks whose epochs are all their subnets' first, and of the later ones.
// CPU time, not wall: on the shared machine other jobs stretch the wall clock. `npm run build` first;
// YUMA_BENCH_PACKAGE=path/to/index.js measures another build. Usage: node bench/sim-day-split.js [blocks=7200]
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const pkgUrl = process.env.YUMA_BENCH_PACKAGE ? pathToFileURL(path.resolve(process.env.YUMA_BENCH_PACKAGE)).href : new URL('../dist/index.js', import.meta.url).href;
const pkg = await import(pkgUrl);
const blocks = Number(process.argv[2] ?? 7200);
const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

const engine = pkg.createEngineSync();
let engineMs = 0;
// The block model's epochs take the engine's resident path (its private runResident, looked up on the engine at
// each call); engine.epoch serves any other caller. Both are charged to the engine.
for (const name of ['epoch', 'runResident']) {
  const inner = engine[name].bind(engine);
  engine[name] = (...args) => {
    const t = cpuMs();
    try {
      return inner(...args);
    } finally {
      engineMs += cpuMs() - t;
    }
  };
}

const steps = { quietMs: 0, quiet: 0, epochBlocksMs: 0, epochBlocks: 0 };
// blocks with epochs, by whether every epoch in them is its subnet's first (resident blocks zero-filled, a pool
// and a root-claimable entry made per UID, lookups built; and V8 still compiling the epoch's code), and the
// block's CPU (engine included) per epoch
const epochsSeen = new Set();
const firstEpochs = { ms: 0, epochs: 0 };
const laterEpochs = { ms: 0, epochs: 0 };
const step = pkg.Chain.prototype.step;
pkg.Chain.prototype.step = function () {
  const e0 = engineMs;
  const t = cpuMs();
  const report = step.call(this);
  const ms = cpuMs() - t;
  if (report.epochs.length === 0) {
    steps.quietMs += ms;
    steps.quiet++;
  } else {
    steps.epochBlocksMs += ms - (engineMs - e0);
    steps.epochBlocks++;
    const first = report.epochs.every((e) => !epochsSeen.has(e.netuid));
    if (first || report.epochs.every((e) => epochsSeen.has(e.netuid))) {
      const b = first ? firstEpochs : laterEpochs;
      b.ms += ms;
      b.epochs += report.epochs.length;
    }
    for (const e of report.epochs) epochsSeen.add(e.netuid);
  }
  return report;
};

const actors = {};
for (const name of ['setWeightsBeforeEpochs', 'trade', 'account', 'registrations', 'sample']) {
  const f = pkg.Network.prototype[name];
  if (typeof f !== 'function') throw new Error(`Network.prototype.${name} is gone: update bench/sim-day-split.js`);
  pkg.Network.prototype[name] = function (...args) {
    const t = cpuMs();
    try {
      return f.apply(this, args);
    } finally {
      actors[name] = (actors[name] ?? 0) + cpuMs() - t;
    }
  };
}

const load0 = os.loadavg()[0];
const c0 = cpuMs();
const net = new pkg.Network({ engine, subnets: 128, uidsPerSubnet: 256, subnet1Uids: 0, mode: 'fixed', mechanisms: 2, mechanismSubnets: Array.from({ length: 32 }, (_, i) => 4 * i + 1) });
const c1 = cpuMs();
const w1 = performance.now();
const report = net.run({ blocks });
const runMs = cpuMs() - c1;
const wallMs = performance.now() - w1;

// `account` runs the miners' sales inside its epochs' handling: a Chain call, but the actors' doing
const perQuiet = steps.quiet > 0 ? steps.quietMs / steps.quiet : 0;
const blockMs = steps.quietMs + perQuiet * steps.epochBlocks;
const epochJsMs = steps.epochBlocksMs - perQuiet * steps.epochBlocks;
const actorMs = Object.values(actors).reduce((a, b) => a + b, 0);
const s = (ms) => `${(ms / 1000).toFixed(2)} s`;
const pc = (ms) => `${((100 * ms) / runMs).toFixed(0)} %`;
console.log(`sim-day-128 for ${blocks} blocks (${report.epochs} epochs), load average ${load0.toFixed(1)} → ${os.loadavg()[0].toFixed(1)}`);
console.log(`  setup ${s(c1 - c0)} CPU; run ${s(runMs)} CPU, ${s(wallMs)} wall`);
console.log(`  blocks (coinbase, swaps, pots, scheduling, moving prices): ${s(blockMs)} (${pc(blockMs)}), ${perQuiet.toFixed(3)} ms a block`);
console.log(`  epochs, JS around the engine (stake inputs, write-back, payouts): ${s(epochJsMs)} (${pc(epochJsMs)}), ${(epochJsMs / Math.max(1, report.epochs)).toFixed(2)} ms an epoch`);
console.log(`  epochs, the engine (kernels and their marshalling): ${s(engineMs)} (${pc(engineMs)}), ${(engineMs / Math.max(1, report.epochs)).toFixed(2)} ms an epoch`);
const perEpoch = (b) => (b.epochs > 0 ? (b.ms / b.epochs).toFixed(2) : '—');
console.log(`  blocks with epochs, CPU an epoch (engine included): a subnet's first epoch ${perEpoch(firstEpochs)} ms (${firstEpochs.epochs}), later ones ${perEpoch(laterEpochs)} ms (${laterEpochs.epochs})`);
console.log(`  actors: ${s(actorMs)} (${pc(actorMs)}) — ${Object.entries(actors).map(([k, v]) => `${k} ${s(v)}`).join(', ')}`);
console.log(`  the rest (loop, GC not charged above): ${s(runMs - blockMs - epochJsMs - engineMs - actorMs)}`);
