// What a second mechanism costs: the 2-mechanism 256×64 epoch against its two mechanisms run as plain epochs
// and against one plain epoch, timed interleaved (each round runs every variant) and reported as the fastest
// round of each. Interleaving and the minimum keep the ratios meaningful on a shared, loaded machine, where
// benchmark.js's means are not. `npm run build` first (uses dist/ and bundles bench/suite.ts).
import { pathToFileURL } from 'node:url';
import { buildSuite } from './build.mjs';

const pkg = await import(new URL('../dist/index.js', import.meta.url).href);
const suite = await import(pathToFileURL(await buildSuite()).href);
const rounds = Number(process.argv[2] ?? 200);
const engine = pkg.createEngineSync();
const { input, hyper } = suite.syntheticMechanismSubnet({ n: 256, validators: 64, seed: 256 * 1000 + 64, mechanisms: 2 });
const { mechanisms, emissionSplit: _, ...shared } = input;
const alone = mechanisms.map((m) => ({ ...shared, ...m }));

for (const mode of ['float', 'fixed']) {
  const variants = {
    'one epoch (mechanism 0 alone)': () => engine.epoch(alone[0], hyper, { mode }),
    'two epochs (each mechanism alone)': () => {
      engine.epoch(alone[0], hyper, { mode });
      engine.epoch(alone[1], hyper, { mode });
    },
    'one epoch with 2 mechanisms': () => engine.epoch(input, hyper, { mode }),
  };
  const best = Object.fromEntries(Object.keys(variants).map((k) => [k, Infinity]));
  for (let w = 0; w < 200; w++) for (const f of Object.values(variants)) f();
  for (let r = 0; r < rounds; r++) {
    for (const [k, f] of Object.entries(variants)) {
      const t = performance.now();
      for (let i = 0; i < 5; i++) f();
      best[k] = Math.min(best[k], (performance.now() - t) / 5);
    }
  }
  const [one, two, mech] = Object.values(best);
  console.log(`${mode} 256×64: ${Object.entries(best).map(([k, v]) => `${k} ${v.toFixed(3)} ms`).join(', ')}`);
  console.log(`  2 mechanisms = ${(mech / one).toFixed(2)}× one epoch, ${(mech / two).toFixed(2)}× the two epochs run alone`);
}
