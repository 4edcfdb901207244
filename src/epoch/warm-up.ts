import type { EpochInput, Hyperparams } from './types.js';

/** UIDs and validators of the warm-up subnet: big enough that every kernel loop and copy runs its SIMD body. */
const WARM_N = 64;
const WARM_VALIDATORS = 16;

/**
 * The subnet a new engine runs once per mode before it is handed out. A fresh process otherwise runs its first
 * epoch on V8's baseline code (Liftoff for the kernels, the interpreter for the marshalling), 20–45 ms at 256 UIDs
 * on the development machine against ≈ 0.5 ms once warm; running every stage once on a small job first moves the
 * compilation and the first-touch of memory to instantiation, where it costs less than it does at full size.
 * Deterministic (a fixed xorshift), so the warm-up does the same work in every process.
 */
export function warmUpSubnet(): { input: EpochInput; hyper: Partial<Hyperparams> } {
  const n = WARM_N;
  let s = 0x9e3779b9;
  const next = (): number => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 2 ** 32;
  };
  const stake: bigint[] = [];
  const weights = new Uint16Array(n * n);
  const bonds = new Uint16Array(n * n);
  for (let i = 0; i < n; i++) {
    const validator = i < WARM_VALIDATORS;
    stake.push(BigInt(Math.floor((validator ? 1000 + 9000 * next() : 50 * next()) * 1e9)));
    if (!validator) continue;
    for (let j = WARM_VALIDATORS; j < n; j++) {
      weights[i * n + j] = Math.floor(65535 * next());
      if (next() < 0.6) bonds[i * n + j] = Math.floor(65535 * next());
    }
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
    validatorPermit: Array.from({ length: n }, (_, i) => i < WARM_VALIDATORS),
    raoEmission: 148_000_000_000n,
  };
  return { input, hyper: { maxAllowedValidators: WARM_VALIDATORS } };
}
