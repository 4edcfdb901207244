/**
 * Bench-only code that lives in TypeScript sources the package bundle does not export: the typed-array JS
 * baseline, the two references, and the synthetic subnet generator. `bench/build.mjs` bundles this file to
 * build/bench/suite.js; bench/benchmark.js imports that bundle next to the built package (dist/).
 */
import { typedEpoch } from './typed-epoch.js';
import { prepareEpoch, type PreparedEpoch } from '../src/epoch/prepare.js';
import type { EpochInput, EpochOptions, Hyperparams, MechanismEpochInput } from '../src/epoch/types.js';
import type { ChainState, newChainState, newSubnet } from '../src/chain/index.js';
import { referenceEpoch } from '../src/reference/float/epoch.js';
import { referenceEpochFixed } from '../src/reference/fixed/epoch.js';

export { typedEpoch, referenceEpoch, referenceEpochFixed, prepareEpoch };
export { createReferenceEngine } from '../src/testing/reference-engine.js';
export type { PreparedEpoch };

/** mulberry32: small, fast, seeded; the bench needs reproducible inputs, not cryptographic ones. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface SubnetShape {
  /** UIDs. */
  n: number;
  /** Validators (UIDs holding a permit, setting weights and holding bonds). */
  validators: number;
  seed: number;
  /** `'dense'` = one n·n Uint16Array per matrix (the fast input form), `'sparse'` = chain-style rows. */
  layout?: 'dense' | 'sparse';
}

/**
 * One epoch of the research rows' input (V validators × M servers): every validator weights ~85 % of the servers
 * from a shared quality signal (u16-sized raw weights), Pareto stake. `benchmark.js` and `research-ab.js` time
 * the same data.
 */
export function researchEpochInput(V: number, M: number, seed: number): { weights: Float64Array[]; stakes: Float64Array } {
  const rnd = prng(seed);
  const quality = Array.from({ length: M }, () => rnd() ** 3);
  const weights = Array.from({ length: V }, () => Float64Array.from(quality, (q) => (rnd() < 0.85 ? Math.round(q * (0.6 + 0.8 * rnd()) * 65535) : 0)));
  const stakes = Float64Array.from({ length: V }, () => Math.round(1000 / Math.pow(1 - rnd(), 1 / 1.2)));
  return { weights, stakes };
}

/**
 * A subnet with `mechanisms` mechanisms (see `syntheticSubnet`): mechanism 0 is `syntheticSubnet`'s subnet; the
 * others have the same validators weighting the same miners with their own draws (quality, noise, bonds), the
 * same last-update blocks, and an even emission split.
 */
export function syntheticMechanismSubnet(shape: SubnetShape & { mechanisms: number }): { input: MechanismEpochInput; hyper: Partial<Hyperparams> } {
  const { input, hyper } = syntheticSubnet(shape);
  const { weights, bonds, lastUpdate, commitBlocks, ...shared } = input;
  void commitBlocks;
  const isValidator = Uint8Array.from(input.validatorPermit, (p) => (p ? 1 : 0));
  const mechanisms = [{ weights, bonds, lastUpdate }];
  for (let m = 1; m < shape.mechanisms; m++) {
    const w = weightsAndBonds(prng(shape.seed * 7919 + m), shape.n, isValidator);
    const layout = shape.layout ?? 'dense';
    mechanisms.push({
      weights: layout === 'dense' ? w.weights : toRows(w.weights, shape.n),
      bonds: layout === 'dense' ? w.bonds : toRows(w.bonds, shape.n),
      lastUpdate,
    });
  }
  return { input: { ...shared, mechanisms }, hyper };
}

/** Validators' weight rows (max-upscaled, ~85 % of the miners) and column-max-upscaled bonds (~60 % of entries). */
function weightsAndBonds(rnd: () => number, n: number, isValidator: Uint8Array): { weights: Uint16Array; bonds: Uint16Array } {
  const quality = Float64Array.from({ length: n }, () => Math.pow(rnd(), 3));
  const weights = new Uint16Array(n * n);
  const bonds = new Uint16Array(n * n);
  for (let i = 0; i < n; i++) {
    if (!isValidator[i]) continue;
    const row = i * n;
    let max = 0;
    const raw = new Float64Array(n);
    for (let j = 0; j < n; j++) {
      if (j === i || isValidator[j] || rnd() > 0.85) continue;
      raw[j] = quality[j] * (0.6 + 0.8 * rnd());
      if (raw[j] > max) max = raw[j];
    }
    for (let j = 0; j < n; j++) if (raw[j] > 0 && max > 0) weights[row + j] = Math.max(1, Math.round((raw[j] / max) * 65535));
    for (let j = 0; j < n; j++) if (!isValidator[j] && rnd() < 0.6) bonds[row + j] = Math.floor(rnd() * 65536);
  }
  // Column max-upscale (original Yuma storage form): the largest bond of every column is 65535.
  for (let j = 0; j < n; j++) {
    let max = 0;
    for (let i = 0; i < n; i++) max = Math.max(max, bonds[i * n + j]);
    if (max > 0) for (let i = 0; i < n; i++) bonds[i * n + j] = Math.round((bonds[i * n + j] / max) * 65535);
  }
  return { weights, bonds };
}

const RAO = 1_000_000_000;

/**
 * A subnet as the chain would hold it at an epoch: validators spread over the UIDs with heavy-tailed (Pareto)
 * stake and the permits, miners with small stakes; validators weight ~85 % of the miners from a shared quality
 * signal plus individual noise (so the median is meaningful), rows max-upscaled to 65535 as `set_weights`
 * stores them; bonds on ~60 % of entries, column max-upscaled as original Yuma stores them; everyone active
 * and no weight outdated, a few miners registered since the last epoch.
 */
export function syntheticSubnet({ n, validators, seed, layout = 'dense' }: SubnetShape): { input: EpochInput; hyper: Partial<Hyperparams> } {
  const rnd = prng(seed);
  const currentBlock = 5_000_000;
  const tempo = 360;
  const lastStepBlock = currentBlock - tempo - 1;

  const uids = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [uids[i], uids[j]] = [uids[j], uids[i]];
  }
  const isValidator = new Uint8Array(n);
  for (let v = 0; v < Math.min(validators, n); v++) isValidator[uids[v]] = 1;

  const stake: bigint[] = new Array(n);
  for (let i = 0; i < n; i++) {
    if (isValidator[i]) stake[i] = BigInt(Math.floor((1000 / Math.pow(1 - rnd(), 1 / 1.2)) * RAO)); // Pareto α = 1.2, ≥ 1000 TAO
    else stake[i] = rnd() < 0.7 ? BigInt(Math.floor(rnd() * 50 * RAO)) : 0n;
  }

  const { weights, bonds } = weightsAndBonds(rnd, n, isValidator);

  const lastUpdate = Array.from({ length: n }, () => currentBlock - Math.floor(rnd() * 1000));
  const blockAtRegistration = Array.from({ length: n }, (_, j) =>
    !isValidator[j] && rnd() < 0.02 ? lastStepBlock + 1 + Math.floor(rnd() * tempo) : Math.floor(rnd() * 4_000_000));
  // Validators updated their weights after those registrations, so nothing is masked as outdated.
  for (let j = 0; j < n; j++) {
    if (blockAtRegistration[j] > lastStepBlock) {
      for (let i = 0; i < n; i++) if (isValidator[i] && lastUpdate[i] <= blockAtRegistration[j]) lastUpdate[i] = blockAtRegistration[j] + 1;
    }
  }

  const input: EpochInput = {
    n,
    currentBlock,
    tempo,
    lastStepBlock,
    stake,
    weights: layout === 'dense' ? weights : toRows(weights, n),
    bonds: layout === 'dense' ? bonds : toRows(bonds, n),
    lastUpdate,
    blockAtRegistration,
    validatorPermit: Array.from(isValidator, (v) => v === 1),
    raoEmission: 148_000_000_000n,
  };
  return { input, hyper: { maxAllowedValidators: validators } };
}

function toRows(m: Uint16Array, n: number): Array<Array<[number, number]>> {
  return Array.from({ length: n }, (_, i) => {
    const row: Array<[number, number]> = [];
    for (let j = 0; j < n; j++) if (m[i * n + j] !== 0) row.push([j, m[i * n + j]]);
    return row;
  });
}

export function prepared(shape: SubnetShape, opts: EpochOptions): PreparedEpoch {
  const { input, hyper } = syntheticSubnet(shape);
  return prepareEpoch(input, hyper, opts);
}

/**
 * The `chain-block-128` state: 128 dynamic subnets with seeded reserves and no epoch due (tempo 0), every one
 * injecting and buying its excess TAO through a Balancer pool whose weights are off 0.5 (so every swap takes
 * safe-bigmath's fallback). Built from the package under test (`pkg`), so a comparison of builds steps each
 * build's own state.
 */
export function chainBlock128State(pkg: { newChainState: typeof newChainState; newSubnet: typeof newSubnet }): ChainState {
  const RAO = 1_000_000_000n;
  const rnd = prng(128);
  const state = pkg.newChainState({ block: 5_000_000n, totalIssuance: 11_000_000n * RAO, balancesTotalIssuance: 11_000_000n * RAO, taoWeight: 3_320_413_933_267_719_290n });
  state.subnets.get(0)!.subnetTao = 5_000_000n * RAO;
  for (let n = 1; n <= 128; n++) {
    state.subnets.set(
      n,
      pkg.newSubnet(n, {
        subnetTao: BigInt(Math.floor(1e12 + rnd() * 1e14)),
        subnetAlphaIn: BigInt(Math.floor(1e13 + rnd() * 1e15)),
        subnetAlphaOut: BigInt(Math.floor(rnd() * 3e15)),
        palSwapInitialized: true,
        swapBalancerQuoteWeightParts: 500_000_000_000_000_000n + BigInt(Math.floor((rnd() - 0.5) * 1e17)),
        subnetMovingPrice: BigInt(Math.floor(rnd() * 0.1 * 2 ** 32)),
        tempo: 0,
      }),
    );
  }
  return state;
}
