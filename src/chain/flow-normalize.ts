/**
 * The chain's `inplace_pow_normalize` (coinbase/subnet_emissions.rs at 14bc6f9f), bit for bit in U64F64: the
 * normaliser of the TAO-flow emission shares, s_i = z_i^p / Σ z_j^p. At 14bc6f9f only `get_shares_flow` calls it
 * and that is dead code (the block shares by EMA price), but the function and its five tests are in the pallet,
 * so it is here for anyone modelling the flow-share rule exactly (`FlowTracker` is the f64 model).
 *
 * The chain pre-scales so the largest value is 1, scales again by √(i32::MAX / (n · max²)) (a bisection square
 * root to 1/1000) so the powers use as much of I32F32 as they can, raises each value to p as exp(p · ln z) in
 * I32F32 (substrate-fixed's series), and divides by the sum. All values below the precision floor are left as
 * the pre-scale made them.
 */
import { YumaError } from '../errors.js';
import { I32F32, U64F64, convert, exp, fromInt, ln, mulSat, safeDiv } from '../fixed/substrate-fixed.js';
import { readList } from '../validation/read.js';
import { U64_MAX } from '../units.js';

const U128_LIMIT = 1n << 128n;
const I32_MAX = 2_147_483_647n;
/** At most one value per netuid. */
export const MAX_POW_NORMALIZE_VALUES = 65_536;

/** safe_math's `checked_sqrt(epsilon)` on U64F64 bits: bisection until |x / m − m| ≤ ε, at most 129 halvings. */
export function checkedSqrtU64F64(x: bigint, epsilon: bigint): bigint {
  const one = fromInt(U64F64, 1n);
  const two = fromInt(U64F64, 2n);
  let high = x > one ? x : one;
  let low = x > one ? 0n : x;
  let middle = safeDiv(U64F64, high + low > U64F64.max ? U64F64.max : high + low, two);
  let check = safeDiv(U64F64, x, middle);
  for (let i = 0; (check > middle ? check - middle : middle - check) > epsilon; ) {
    if (check < middle) high = middle;
    else low = middle;
    middle = safeDiv(U64F64, high + low > U64F64.max ? U64F64.max : high + low, two);
    check = safeDiv(U64F64, x, middle);
    i += 1;
    if (i > 128) break;
  }
  return middle;
}

/** `safe_pow(val, p)`: exp(p · ln val) in I32F32; 0 when ln fails, i32::MAX when exp overflows. */
function safePow(val: bigint, p: bigint): bigint {
  const l = ln(I32F32, convert(U64F64, I32F32, val));
  if (l === null) return 0n;
  const e = exp(mulSat(I32F32, convert(U64F64, I32F32, p), l)) ?? I32_MAX << 32n;
  return convert(I32F32, U64F64, e);
}

function inplacePowNormalizeRaw(flows: bigint[], p: bigint): void {
  // inplace_scale: the largest value becomes 1
  let max = 0n;
  for (const f of flows) if (f > max) max = f;
  const scale = safeDiv(U64F64, fromInt(U64F64, 1n), max);
  for (let i = 0; i < flows.length; i++) flows[i] = mulSat(U64F64, scale, flows[i]);

  max = 0n;
  for (const f of flows) if (f > max) max = f;
  const maxTimesCount = mulSat(U64F64, fromInt(U64F64, BigInt(flows.length)), mulSat(U64F64, max, max));
  const i32Max = fromInt(U64F64, I32_MAX);
  const precisionMin = safeDiv(U64F64, i32Max, fromInt(U64F64, U64_MAX));
  if (maxTimesCount < precisionMin) return;
  const epsilon = safeDiv(U64F64, fromInt(U64F64, 1n), fromInt(U64F64, 1000n));
  const factor = checkedSqrtU64F64(safeDiv(U64F64, i32Max, maxTimesCount), epsilon);
  const powered = flows.map((f) => safePow(mulSat(U64F64, factor, f), p));
  // `Sum` of U64F64 is a plain add; each term is at most i32::MAX, so it cannot overflow
  const sum = powered.reduce((a, b) => a + b, 0n);
  for (let i = 0; i < flows.length; i++) flows[i] = safeDiv(U64F64, powered[i], sum);
}

function u64f64Bits(v: unknown, what: string): bigint {
  if (typeof v !== 'bigint') throw new YumaError('E_ARG', `${what} must be U64F64 bits as a bigint, got ${typeof v}`);
  if (v < 0n || v >= U128_LIMIT) throw new YumaError('E_RANGE', `${what} must be in [0, 2^128) (U64F64 bits), got ${v}`);
  return v;
}

/**
 * `inplace_pow_normalize(flows, p)`: `values` and `p` are U64F64 bits (value × 2⁶⁴); returns the normalised
 * values as U64F64 bits, in the same order (the chain keys them by netuid; the order does not change the result).
 */
export function inplacePowNormalize(values: readonly bigint[], p: bigint): bigint[] {
  const flows = readList(values, 'values', MAX_POW_NORMALIZE_VALUES).map((v, i) => u64f64Bits(v, `values[${i}]`));
  const exponent = u64f64Bits(p, 'p');
  inplacePowNormalizeRaw(flows, exponent);
  return flows;
}

