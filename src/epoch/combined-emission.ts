import type { EpochOutput, NumericMode } from './types.js';
import { emissions } from '../reference/stages/emission.js';
import { U64_MAX } from '../units.js';

const ONE = 2 ** 32;
const ONE_N = 1n << 32n;

/**
 * The chain's stored `Emission` (server + validator share of one epoch as one figure), which the epoch output
 * does not carry: `floor(norm(I + D)ᵢ · rao)` in I32F32/I96F32. It is not the sum of the two split emissions
 * (each is floored on its own), and registration pruning compares exactly this value.
 *
 * In fixed mode the float views hold the exact I32F32 values (raw / 2³²), so this is bit-exact. When
 * `Σ(I + D) = 0` the chain pays the combined share like the validator share, so that vector is copied.
 */
export function combinedEmission(out: EpochOutput, raoEmission: bigint, mode: NumericMode): bigint[] {
  const n = out.validatorEmission.length;
  const inc = out.float.incentive;
  const div = out.float.dividends;
  if (mode === 'float') {
    let total = 0;
    for (let i = 0; i < n; i++) total += inc[i] + div[i];
    if (total === 0) return out.validatorEmission.slice();
    const shares = new Float64Array(n);
    for (let i = 0; i < n; i++) shares[i] = (inc[i] + div[i]) / total;
    // exact floor(share · rao) at any rao, never more than rao in total: the float epoch's own emission rule
    return Array.from(emissions({ server: shares, validator: new Float64Array(n) }, raoEmission).server);
  }
  const comb: bigint[] = new Array(n);
  let total = 0n;
  for (let i = 0; i < n; i++) {
    // I ⊕ D saturates at I32F32::MAX; both are ≤ 1 so it never does.
    comb[i] = BigInt(Math.round(inc[i] * ONE)) + BigInt(Math.round(div[i] * ONE));
    total += comb[i];
  }
  if (total === 0n) return out.validatorEmission.slice();
  return comb.map((c) => {
    const share = (c * ONE_N) / total; // I32F32 safe_div: truncate
    const e = (share * raoEmission) / ONE_N; // I96F32 product, truncated to u64
    return e > U64_MAX ? U64_MAX : e;
  });
}
