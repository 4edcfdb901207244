import type { EpochInput, Hyperparams } from './types.js';

/** The size of a warm-up subnet: UIDs, and validators among them (the first UIDs, with permits). */
export interface WarmUpShape {
  n: number;
  validators: number;
}

/**
 * What every new engine runs once per mode before it is handed out: big enough that every kernel loop and copy
 * runs its SIMD body, so the first real epoch of an engine does not touch fresh memory or baseline JS.
 */
export const SMALL_WARM_UP: WarmUpShape = { n: 64, validators: 16 };

/**
 * What the first engine of a process (per compiled module) runs besides, TIER_UP_ROUNDS times per mode: V8 runs
 * a Wasm function as baseline (Liftoff) code until it has used up a budget of baseline execution, then compiles it
 * with its optimising tier on background threads. At 64 UIDs the budgets outlast the warm-up, so the first real
 * 256-UID epoch used them up and ran beside those compiles (8.6 ms against 0.35 ms for the hundredth). One
 * 256 × 64 round per mode tiers up the big kernel functions, the second the epoch's driver
 * (`runEpochFloat` / `runEpochFixed`, the longest compiles), the third the small per-call ones.
 */
export const TIER_UP_WARM_UP: WarmUpShape = { n: 256, validators: 64 };
export const TIER_UP_ROUNDS = 3;

/**
 * A warm-up subnet: validators weighting every miner, bonds on about 60 % of their entries, stake heavier on
 * validators, and the last UID registered after the validators last set weights (so the outdated-weight mask
 * runs). One row of weights and one of bonds are drawn (a fixed xorshift, so every process does the same work)
 * and each validator gets them rotated by its own offsets: drawing all 256 × 64 entries one by one took
 * 10–20 ms in V8's interpreter, as long as the warm-up epochs themselves.
 */
export function warmUpSubnet(shape: WarmUpShape = SMALL_WARM_UP): { input: EpochInput; hyper: Partial<Hyperparams> } {
  const { n, validators } = shape;
  const miners = n - validators;
  let s = 0x9e3779b9;
  const next = (): number => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 2 ** 32;
  };
  const stake: bigint[] = [];
  for (let i = 0; i < n; i++) stake.push(BigInt(Math.floor((i < validators ? 1000 + 9000 * next() : 50 * next()) * 1e9)));
  const weightRow = new Uint16Array(2 * miners);
  const bondRow = new Uint16Array(2 * miners);
  for (let j = 0; j < miners; j++) {
    weightRow[j] = weightRow[miners + j] = Math.floor(65535 * next());
    if (next() < 0.6) bondRow[j] = bondRow[miners + j] = Math.floor(65535 * next());
  }
  const weights = new Uint16Array(n * n);
  const bonds = new Uint16Array(n * n);
  for (let i = 0; i < validators; i++) {
    // rows doubled, so a rotation is one contiguous slice; different offsets for weights and bonds
    const w = (7 * i) % miners;
    const b = (11 * i + 3) % miners;
    weights.set(weightRow.subarray(w, w + miners), i * n + validators);
    bonds.set(bondRow.subarray(b, b + miners), i * n + validators);
  }
  const currentBlock = 1_000_000;
  const tempo = 360;
  const input: EpochInput = {
    n,
    currentBlock,
    tempo,
    lastStepBlock: currentBlock - tempo - 1,
    stake,
    weights,
    bonds,
    // the last UID registered after the validators last set weights: their weights to it are masked as outdated
    lastUpdate: Array.from({ length: n }, () => currentBlock - 30),
    blockAtRegistration: Array.from({ length: n }, (_, j) => (j === n - 1 ? currentBlock - 20 : 1000 + j)),
    validatorPermit: Array.from({ length: n }, (_, i) => i < validators),
    raoEmission: 148_000_000_000n,
  };
  return { input, hyper: { maxAllowedValidators: validators } };
}
