import type { EpochOutput, NumericMode } from './types.js';
import { YumaError } from '../errors.js';
import { MAX_UIDS } from './limits.js';
import { readFields, readList } from '../validation/read.js';
import { oneOf, toNumberIn, toU64 } from '../validation/values.js';
import { emissions, floorShareTimes } from './float-rules.js';
import { U64_MAX } from '../units.js';

const ONE = 2 ** 32;
const ONE_N = 1n << 32n;
const TWO16 = 65536;
/** Below this, rao amounts (so every emission of an epoch) and every product below are exact in f64. */
export const SAFE_RAO = 2n ** 53n;
/** A quotient this close to an integer may floor the wrong way in f64: decided in BigInt instead. */
const NEAR = 2 ** -19;

/**
 * The chain's stored `Emission` (server + validator share of one epoch as one figure), which the epoch output
 * does not carry: `floor(norm(I + D)ᵢ · rao)` in I32F32/I96F32. It is not the sum of the two split emissions
 * (each is floored on its own), and registration pruning compares exactly this value.
 *
 * In fixed mode the float views hold the exact I32F32 values (raw / 2³²), so this is bit-exact. When
 * `Σ(I + D) = 0` the chain pays the combined share like the validator share, so that vector is copied.
 * Float mode floors `share · rao` exactly too and never pays more than `rao` in total (the float epoch's rule).
 * Both run in f64 integer arithmetic where that is exact (`rao < 2^53`, a quotient not within 2^-19 of an
 * integer) and in BigInt otherwise.
 */
export function combinedEmission(out: EpochOutput, raoEmission: bigint, mode: NumericMode): bigint[] {
  const m = oneOf(mode, 'mode', ['fixed', 'float'] as const);
  const rao = toU64(raoEmission, 'raoEmission');
  return combinedEmissionOf(readEmissionFields(out), rao, m);
}

/** `combinedEmission` of an output the library made itself (not checked again). */
export function combinedEmissionOf(out: EpochOutput, raoEmission: bigint, mode: NumericMode): bigint[] {
  const v = mode === 'float' ? combinedFloat(out, raoEmission) : combinedFixed(out, raoEmission);
  return v instanceof Float64Array ? Array.from(v, BigInt) : v;
}

/** The fields `combinedEmission` reads from a caller's epoch output, copied once and checked (E_SHAPE, E_RANGE). */
function readEmissionFields(value: unknown): EpochOutput {
  const o = readFields(value, 'out', ['validatorEmission', 'float']);
  const f = readFields(o.float, 'out.float', ['incentive', 'dividends']);
  const validatorEmission = readList(o.validatorEmission, 'out.validatorEmission', MAX_UIDS, true).map((x, i) => toU64(x, `out.validatorEmission[${i}]`));
  const n = validatorEmission.length;
  const unit = (k: 'incentive' | 'dividends') => {
    const list = readList(f[k], `out.float.${k}`, MAX_UIDS, true);
    if (list.length !== n) throw new YumaError('E_SHAPE', `out.float.${k} has ${list.length} entries, validatorEmission ${n}`);
    return Float64Array.from(list, (x, i) => toNumberIn(x, `out.float.${k}[${i}]`, 0, 1));
  };
  return { validatorEmission, float: { incentive: unit('incentive'), dividends: unit('dividends') } } as unknown as EpochOutput;
}

/** `combinedEmission` as exact f64 integers, for `raoEmission` below 2^53 (where every amount is one). */
export function combinedEmissionNumbers(out: EpochOutput, raoEmission: bigint, mode: NumericMode): Float64Array {
  if (raoEmission >= SAFE_RAO) throw new RangeError('combinedEmissionNumbers needs raoEmission < 2^53');
  const v = mode === 'float' ? combinedFloat(out, raoEmission) : combinedFixed(out, raoEmission);
  if (v instanceof Float64Array) return v;
  // a plain loop: Float64Array.from with a map function takes the generic iterator path (≈ 80 ns an entry)
  const r = new Float64Array(v.length);
  for (let i = 0; i < v.length; i++) r[i] = Number(v[i]);
  return r;
}

function combinedFixed(out: EpochOutput, raoEmission: bigint): bigint[] | Float64Array {
  const n = out.validatorEmission.length;
  const inc = out.float.incentive;
  const div = out.float.dividends;
  // I ⊕ D as raw I32F32 integers (each ≤ 2^32, so neither the sum nor Σ over ≤ 4096 UIDs saturates or rounds)
  const comb = new Float64Array(n);
  let total = 0;
  for (let i = 0; i < n; i++) {
    comb[i] = Math.round(inc[i] * ONE) + Math.round(div[i] * ONE);
    total += comb[i];
  }
  if (total === 0) return out.validatorEmission.slice();
  if (raoEmission >= SAFE_RAO) {
    const result: bigint[] = new Array(n);
    const t = BigInt(total);
    for (let i = 0; i < n; i++) {
      const e = (((BigInt(comb[i]) * ONE_N) / t) * raoEmission) / ONE_N; // I32F32 safe_div truncates; I96F32 product floors
      result[i] = e > U64_MAX ? U64_MAX : e;
    }
    return result;
  }
  const rao = Number(raoEmission);
  const raoHi = Math.floor(rao / ONE);
  const raoLo = rao - raoHi * ONE;
  const loHi = Math.floor(raoLo / TWO16);
  const loLo = raoLo - loHi * TWO16;
  const result = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    // share = floor(c·2^32 / T) ≤ 2^32: the f64 quotient is within 2^-21 of the true one
    const q = (comb[i] * ONE) / total;
    let s = Math.floor(q);
    if (q - s < NEAR || s + 1 - q < NEAR) s = Number((BigInt(comb[i]) * ONE_N) / BigInt(total));
    // floor(s·rao / 2^32) with rao = raoHi·2^32 + loHi·2^16 + loLo: every partial product is below 2^53
    const a = s * loHi;
    const b = s * loLo;
    result[i] = s * raoHi + Math.floor((a + Math.floor(b / TWO16)) / TWO16);
  }
  return result;
}

function combinedFloat(out: EpochOutput, raoEmission: bigint): bigint[] | Float64Array {
  const n = out.validatorEmission.length;
  const inc = out.float.incentive;
  const div = out.float.dividends;
  let total = 0;
  for (let i = 0; i < n; i++) total += inc[i] + div[i];
  if (total === 0) return out.validatorEmission.slice();
  const shares = new Float64Array(n);
  for (let i = 0; i < n; i++) shares[i] = (inc[i] + div[i]) / total;
  if (raoEmission < SAFE_RAO) {
    const rao = Number(raoEmission);
    const result = new Float64Array(n);
    let paid = 0;
    for (let i = 0; i < n; i++) {
      // the f64 product is within p·2^-53 of share·rao; near an integer the exact floor decides
      const p = shares[i] * rao;
      const f = Math.floor(p);
      result[i] = p - f < p * 2 ** -50 || f + 1 - p < p * 2 ** -50 ? Number(floorShareTimes(shares[i], raoEmission)) : f;
      paid += result[i];
    }
    if (paid <= rao) return result;
  }
  // exact floor(share · rao) at any rao, and Σ ≤ rao (excess taken back): the float epoch's own emission rule
  return Array.from(emissions({ server: shares, validator: new Float64Array(n) }, raoEmission).server);
}
