/**
 * The float epoch's own rules where they run in TypeScript, outside the kernel: the library applies them to
 * epoch outputs (`combinedEmission`, `metagraphView`) and the f64 reference builds on them (its `emission.ts`
 * and `u16.ts` import these), so the rule has one implementation. The kernel's versions are
 * assembly/epoch-float/emission.ts and u16.ts, tested bit for bit against the reference.
 */
import { U64_MAX } from '../units.js';

const f64 = new Float64Array(1);
const bits = new BigUint64Array(f64.buffer);

/** `fixed_proportion_to_u16` in f64: floor(x·65535), clamped to [0, 65535]. */
export function proportionToU16(x: number): number {
  const y = Math.floor(x * 65535);
  return y < 0 ? 0 : y > 65535 ? 65535 : y;
}

/**
 * `floor(share · rao)` computed exactly: an f64 is the dyadic rational m·2^−s, so the floor is `(m·rao) >> s`
 * in integers, saturating at u64::MAX like the chain's `saturating_to_num`. No rounding of the product can
 * push the result above what the share itself allows; the only error is the share's own (a few ulp, i.e.
 * ≤ rao·n·2⁻⁵² over a whole epoch).
 */
export function floorShareTimes(share: number, rao: bigint): bigint {
  if (!(share > 0) || rao === 0n) return 0n;
  f64[0] = share;
  const b = bits[0];
  const e = Number((b >> 52n) & 0x7ffn);
  const frac = b & ((1n << 52n) - 1n);
  const m = e === 0 ? frac : frac | (1n << 52n);
  const s = e === 0 ? 1074 : 1075 - e;
  if (e === 0x7ff) return U64_MAX;
  const r = s >= 0 ? (m * rao) >> BigInt(s) : (m * rao) << BigInt(-s);
  return r > U64_MAX ? U64_MAX : r;
}

/** Server share Iᵢ/E and validator share Dᵢ/E of one epoch's emission. */
export interface EmissionShares {
  server: Float64Array;
  validator: Float64Array;
}

/**
 * Rao emissions from the shares. Float shares can sum to a hair over 1, which would mint a few rao the chain
 * (whose truncating fixed point always sums to ≤ 1) never mints; any excess over `rao` is taken back from the
 * largest payment (first largest: servers before validators, lower uid first), so `Σ ≤ rao` always holds.
 */
export function emissions(shares: EmissionShares, rao: bigint): { server: BigUint64Array; validator: BigUint64Array } {
  const n = shares.server.length;
  const server = new BigUint64Array(n);
  const validator = new BigUint64Array(n);
  let total = 0n;
  for (let i = 0; i < n; i++) {
    server[i] = floorShareTimes(shares.server[i], rao);
    validator[i] = floorShareTimes(shares.validator[i], rao);
    total += server[i] + validator[i];
  }
  let excess = total - rao;
  while (excess > 0n) {
    let best = server;
    let at = 0;
    for (const v of [server, validator]) for (let i = 0; i < n; i++) if (v[i] > best[at]) { best = v; at = i; }
    const take = best[at] < excess ? best[at] : excess;
    best[at] -= take;
    excess -= take;
  }
  return { server, validator };
}
