/**
 * The chain's fixed-point arithmetic in BigInt (`substrate-fixed` v0.6.0 as subtensor uses it).
 *
 * Written for obviousness, not speed: every value is a raw integer `bigint` (value = raw / 2^frac) and every
 * operation is the exact rational formula followed by the crate's rounding and overflow rule. The library runs it
 * where the chain's rules are not in the epoch kernel (the block model, pools, block emission, weight storage); it
 * is the oracle the Wasm kernels in `assembly/fixed/` are property-tested against, and the building block of the
 * BigInt reference epoch.
 *
 * API shape: a type descriptor (`I32F32`, `I64F64`, `I96F32`, `U64F64`, `U96F32`) is the first argument of the
 * generic operations, e.g. `mulSat(I32F32, a, b)`. Chain helpers that only exist for one type (`exp`, `sigmoidSafe`,
 * `fixedProportionToU16`, …) take and return I32F32 raw values.
 *
 * Rules (as substrate-fixed v0.6.0 implements them):
 * - mul: floor(a·b / 2^frac); overflow iff the floored result is outside the type.
 * - div: trunc(a·2^frac / b) toward zero; overflow iff outside the type; divisor 0 → no result.
 * - saturation picks MIN when the operand signs differ, MAX otherwise (the crate looks at operand signs).
 * - release-build `*`, `/`, `+` (no `checked_`/`saturating_`) wrap modulo 2^bits.
 * - from f32/f64: nearest representable, ties to even; `saturating_from_num` clamps. NaN is rejected.
 * - to integer: floor, then clamp (saturating_to_num).
 * - fixed → fixed: exact rescale with floor when fraction bits are dropped, then clamp (saturating_from_num).
 */
import { U64_MAX } from '../units.js';

export interface FixedType {
  readonly name: string;
  readonly frac: bigint;
  readonly bits: bigint;
  readonly signed: boolean;
  readonly min: bigint;
  readonly max: bigint;
}

function fixedType(name: string, intBits: number, fracBits: number, signed: boolean): FixedType {
  const bits = BigInt(intBits + fracBits);
  return {
    name,
    frac: BigInt(fracBits),
    bits,
    signed,
    min: signed ? -(1n << (bits - 1n)) : 0n,
    max: signed ? (1n << (bits - 1n)) - 1n : (1n << bits) - 1n,
  };
}

export const I32F32 = fixedType('I32F32', 32, 32, true);
export const I64F64 = fixedType('I64F64', 64, 64, true);
export const I96F32 = fixedType('I96F32', 96, 32, true);
export const U64F64 = fixedType('U64F64', 64, 64, false);
export const U96F32 = fixedType('U96F32', 96, 32, false);
/** I9F23: only the crate's transcendental constants live in it. */
export const I9F23 = fixedType('I9F23', 9, 23, true);

export const ONE = 1n << 32n; // I32F32 1.0
export const HALF = 1n << 31n; // I32F32 0.5
export const I64_MIN = -(1n << 63n);
export const I64_MAX = (1n << 63n) - 1n;
export const U16_MAX = 65535n;

// ----------------------------------------------------------------------------------------------------------------
// Integer helpers
// ----------------------------------------------------------------------------------------------------------------

/** floor(a / b) for b > 0 or b < 0 (BigInt `/` truncates). */
export function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return (a % b !== 0n && (a < 0n) !== (b < 0n)) ? q - 1n : q;
}

export function inRange(t: FixedType, raw: bigint): boolean {
  return raw >= t.min && raw <= t.max;
}

export function clamp(t: FixedType, raw: bigint): bigint {
  return raw < t.min ? t.min : raw > t.max ? t.max : raw;
}

/** Two's-complement wrap into the type (release-build overflow behaviour). */
export function wrap(t: FixedType, raw: bigint): bigint {
  return t.signed ? BigInt.asIntN(Number(t.bits), raw) : BigInt.asUintN(Number(t.bits), raw);
}

function saturateBySigns(t: FixedType, a: bigint, b: bigint): bigint {
  return (a < 0n) !== (b < 0n) ? t.min : t.max;
}

// ----------------------------------------------------------------------------------------------------------------
// Add / sub
// ----------------------------------------------------------------------------------------------------------------

export const satAdd = (t: FixedType, a: bigint, b: bigint): bigint => clamp(t, a + b);
export const satSub = (t: FixedType, a: bigint, b: bigint): bigint => clamp(t, a - b);
export const wrapAdd = (t: FixedType, a: bigint, b: bigint): bigint => wrap(t, a + b);
export const checkedAdd = (t: FixedType, a: bigint, b: bigint): bigint | null =>
  inRange(t, a + b) ? a + b : null;
export const checkedSub = (t: FixedType, a: bigint, b: bigint): bigint | null =>
  inRange(t, a - b) ? a - b : null;
/** Rust's `u64::saturating_add` on non-negative operands: the pallets' plain balance arithmetic beside the fixed types. */
export const u64SatAdd = (a: bigint, b: bigint): bigint => {
  const v = a + b;
  return v > U64_MAX ? U64_MAX : v;
};
/** Rust's `u64::saturating_sub`. */
export const u64SatSub = (a: bigint, b: bigint): bigint => (a > b ? a - b : 0n);
/** Rust's `i64::saturating_add`. */
export const i64SatAdd = (a: bigint, b: bigint): bigint => {
  const v = a + b;
  return v > I64_MAX ? I64_MAX : v < I64_MIN ? I64_MIN : v;
};

// ----------------------------------------------------------------------------------------------------------------
// Mul
// ----------------------------------------------------------------------------------------------------------------

/** The exact floored product, before any range check. */
export const mulExact = (t: FixedType, a: bigint, b: bigint): bigint => (a * b) >> t.frac;

export function mulChecked(t: FixedType, a: bigint, b: bigint): bigint | null {
  const r = mulExact(t, a, b);
  return inRange(t, r) ? r : null;
}

export function mulSat(t: FixedType, a: bigint, b: bigint): bigint {
  const r = mulExact(t, a, b);
  return inRange(t, r) ? r : saturateBySigns(t, a, b);
}

/** Release-build `*`: the floored product wrapped into the type. */
export const mulWrap = (t: FixedType, a: bigint, b: bigint): bigint => wrap(t, mulExact(t, a, b));

// ----------------------------------------------------------------------------------------------------------------
// Div
// ----------------------------------------------------------------------------------------------------------------

/** trunc(a·2^frac / b) before any range check; b must be non-zero. */
export const divExact = (t: FixedType, a: bigint, b: bigint): bigint => (a << t.frac) / b;

/** `checked_div`: null on divisor 0 or when the quotient does not fit. */
export function divChecked(t: FixedType, a: bigint, b: bigint): bigint | null {
  if (b === 0n) return null;
  const q = divExact(t, a, b);
  return inRange(t, q) ? q : null;
}

/** subtensor `safe_div`: `checked_div` or 0 (zero also on overflow, never saturation). */
export const safeDiv = (t: FixedType, a: bigint, b: bigint): bigint => divChecked(t, a, b) ?? 0n;

/** `saturating_div`. The crate panics on a zero divisor; so does this (RangeError). */
export function satDiv(t: FixedType, a: bigint, b: bigint): bigint {
  if (b === 0n) throw new RangeError('saturating_div: division by zero');
  const q = divExact(t, a, b);
  return inRange(t, q) ? q : saturateBySigns(t, a, b);
}

/** Release-build `/`: the truncated quotient wrapped into the type (b ≠ 0). */
export function divWrap(t: FixedType, a: bigint, b: bigint): bigint {
  if (b === 0n) throw new RangeError('division by zero');
  return wrap(t, divExact(t, a, b));
}

// ----------------------------------------------------------------------------------------------------------------
// Conversions
// ----------------------------------------------------------------------------------------------------------------

/** `saturating_from_num(n)` for an integer n. */
export const fromInt = (t: FixedType, n: bigint): bigint => clamp(t, n << t.frac);

/** Raw bits of `from.saturating_from_num`-style conversion between fixed types (floor when bits are dropped). */
export function convert(from: FixedType, to: FixedType, raw: bigint): bigint {
  const shifted = to.frac >= from.frac ? raw << (to.frac - from.frac) : raw >> (from.frac - to.frac);
  return clamp(to, shifted);
}

/** `saturating_to_num::<intType>()`: floor toward −∞, clamp to [lo, hi]. */
export function toIntSat(t: FixedType, raw: bigint, lo: bigint, hi: bigint): bigint {
  const v = raw >> t.frac;
  return v < lo ? lo : v > hi ? hi : v;
}

export const toU64Sat = (t: FixedType, raw: bigint): bigint => toIntSat(t, raw, 0n, U64_MAX);
export const toU16Sat = (t: FixedType, raw: bigint): bigint => toIntSat(t, raw, 0n, U16_MAX);

/** Exact value of a finite double as numerator / 2^k (k ≥ 0). */
function f64Exact(x: number): { num: bigint; shift: bigint } {
  const buf = new DataView(new ArrayBuffer(8));
  buf.setFloat64(0, x);
  const bits = buf.getBigUint64(0);
  const sign = bits >> 63n ? -1n : 1n;
  const exp = Number((bits >> 52n) & 0x7ffn);
  const mant = bits & ((1n << 52n) - 1n);
  if (exp === 0) return { num: sign * mant, shift: 1074n }; // subnormal / zero
  const m = mant | (1n << 52n);
  const e = exp - 1075; // value = m · 2^e
  return e >= 0 ? { num: sign * (m << BigInt(e)), shift: 0n } : { num: sign * m, shift: BigInt(-e) };
}

/** Round num / 2^shift to the nearest integer, ties to even. */
function roundShiftTiesEven(num: bigint, shift: bigint): bigint {
  if (shift === 0n) return num;
  const q = num >> shift; // floor
  const rem = num - (q << shift); // in [0, 2^shift)
  const half = 1n << (shift - 1n);
  if (rem > half || (rem === half && (q & 1n) === 1n)) return q + 1n;
  return q;
}

/** `saturating_from_num(x: f64)` — nearest, ties to even, clamped. NaN is an error (the crate panics). */
export function fromF64(t: FixedType, x: number): bigint {
  if (Number.isNaN(x)) throw new RangeError('from_num(NaN)');
  if (x === Infinity) return t.max;
  if (x === -Infinity) return t.min;
  const { num, shift } = f64Exact(x);
  // value·2^frac = num · 2^(frac - shift)
  const raw = t.frac >= shift ? num << (t.frac - shift) : roundShiftTiesEven(num, shift - t.frac);
  return clamp(t, raw);
}

/** `saturating_from_num(x: f32)` — the chain's `fixed(x)` helper; `x` is rounded to f32 first. */
export const fromF32 = (t: FixedType, x: number): bigint => fromF64(t, Math.fround(x));

/** Nearest double to raw / 2^frac (ties to even, as JS Number conversion of an exact rational). */
export function toF64(t: FixedType, raw: bigint): number {
  // Number(bigint) rounds to nearest-even; dividing by a power of two is exact unless it goes subnormal.
  return Number(raw) / 2 ** Number(t.frac);
}

/** `round()`: nearest integer, ties away from zero; release build wraps on overflow. */
export function round(t: FixedType, raw: bigint): bigint {
  const one = 1n << t.frac;
  const fracMask = one - 1n;
  const intPart = raw & ~fracMask; // floor
  const frac = raw & fracMask;
  const half = one >> 1n;
  if (frac < half) return intPart;
  if (frac === half && raw < 0n) return intPart; // −k.5 → −k−1 = floor
  return wrap(t, intPart + one);
}

// ----------------------------------------------------------------------------------------------------------------
// subtensor helpers (I32F32 unless stated)
// ----------------------------------------------------------------------------------------------------------------

export const u16ToFixed = (x: bigint): bigint => x << 32n;
/** floor(x·2^32 / 65535). */
export const u16ProportionToFixed = (x: bigint): bigint => safeDiv(I32F32, x << 32n, U16_MAX << 32n);
/** clamp(floor(x·65535 / 2^32), 0, 65535). */
export const fixedProportionToU16 = (x: bigint): bigint => toU16Sat(I32F32, mulSat(I32F32, x, U16_MAX << 32n));

/** `vec_max_upscale_to_u16` on I32F32 raw values (empty input → empty output). */
export function vecMaxUpscaleToU16(v: readonly bigint[]): bigint[] {
  if (v.length === 0) return [];
  const u16max = U16_MAX << 32n;
  const threshold = 32768n << 32n;
  let max = v[0]!;
  for (const x of v) if (x > max) max = x;
  if (max === 0n) return v.map((x) => toU16Sat(I32F32, mulSat(I32F32, x, u16max)));
  if (max > threshold) {
    const ratio = safeDiv(I32F32, u16max, max);
    return v.map((x) => toU16Sat(I32F32, round(I32F32, mulSat(I32F32, x, ratio))));
  }
  return v.map((x) => toU16Sat(I32F32, round(I32F32, safeDiv(I32F32, mulSat(I32F32, x, u16max), max))));
}

/** `vec_u16_max_upscale_to_u16`: what `set_weights` stores for a row of u16 weights. */
export const vecU16MaxUpscaleToU16 = (v: readonly bigint[]): bigint[] => vecMaxUpscaleToU16(v.map(u16ToFixed));

/** `check_vec_max_limited`: max(normalize(vec)) ≤ maxLimit/65535 (empty → true). */
export function checkVecMaxLimited(v: readonly bigint[], maxLimit: bigint): boolean {
  if (v.length === 0) return true;
  const limit = safeDiv(I32F32, maxLimit << 32n, U16_MAX << 32n);
  const fixed = v.map(u16ToFixed);
  const sum = fixed.reduce((a, b) => wrapAdd(I32F32, a, b), 0n);
  const norm = sum === 0n ? fixed : fixed.map((x) => safeDiv(I32F32, x, sum));
  return norm.reduce((a, b) => (b > a ? b : a)) <= limit;
}

// ----------------------------------------------------------------------------------------------------------------
// Wide-type helpers the epoch needs
// ----------------------------------------------------------------------------------------------------------------

/** I64F64::saturating_from_num(u64). Stakes ≥ 2^63 saturate to I64F64::MAX (raw 2^127 − 1). */
export const u64ToI64F64 = (x: bigint): bigint => fromInt(I64F64, x);

/** `get_tao_weight()` = U96F32(TaoWeight) safe_div U96F32(u64::MAX); raw U96F32 bits (≤ 2^32). */
export const taoWeightU96F32 = (taoWeight: bigint): bigint =>
  safeDiv(U96F32, fromInt(U96F32, taoWeight), fromInt(U96F32, U64_MAX));

/** Stake weight of one hotkey as I64F64 raw: alpha ⊕ (tao ⊗₆₄ tw), tw = I64F64(U96F32 tao weight). */
export function stakeWeightI64F64(alpha: bigint, tao: bigint, taoWeightRawU96F32: bigint): bigint {
  const tw = convert(U96F32, I64F64, taoWeightRawU96F32);
  return satAdd(I64F64, u64ToI64F64(alpha), mulSat(I64F64, u64ToI64F64(tao), tw));
}

/**
 * One entry of `inplace_normalize_64` followed by `fixed64_to_fixed32`: I32F32(filtered ÷₆₄ sum).
 * `filtered` and `sum` are I64F64 raw values (sum = wrapping Σ filtered). sum == 0 leaves the value unnormalised,
 * as the chain does (the whole vector is then returned as is).
 */
export function stakeProportion(filtered: bigint, sum: bigint): bigint {
  const q = sum === 0n ? filtered : safeDiv(I64F64, filtered, sum);
  return convert(I64F64, I32F32, q);
}

/** `I96F32(share) ⊗ I96F32(rao)` then `saturating_to_num::<u64>()`. */
export function emissionShare(shareRaw: bigint, rao: bigint): bigint {
  const prod = mulSat(I96F32, convert(I32F32, I96F32, shareRaw), fromInt(I96F32, rao));
  return toU64Sat(I96F32, prod);
}

/** α = ONE ⊖ I32F32(I64F64(bma) safe_div I64F64(1_000_000)) (compute_ema_bonds_normal[_sparse]). */
export function alphaFromBondsMovingAverage(bma: bigint): bigint {
  const ratio = safeDiv(I64F64, fromInt(I64F64, bma), fromInt(I64F64, 1_000_000n));
  return satSub(I32F32, ONE, convert(I64F64, I32F32, ratio));
}

// ----------------------------------------------------------------------------------------------------------------
// Transcendental (substrate_fixed::transcendental, S = D)
// ----------------------------------------------------------------------------------------------------------------

/** Crate constants: I9F23 bits of e and log2(e), truncated from the 128-bit constants. */
export const E_I9F23 = 0xadf85458a2bb4a9aafdc5620273d3cf1n >> 103n; // 22 802 600
export const LOG2_E_I9F23 = 0xb8aa3b295c17f0bbbe87fed0691d3e88n >> 104n; // 12 102 203

/** `exp::<I32F32, I32F32>`; null where the crate returns Err. */
export function exp(x: bigint): bigint | null {
  const t = I32F32;
  if (x === 0n) return ONE;
  if (x === ONE) return E_I9F23 << 9n;
  const neg = x < 0n;
  if (neg) {
    if (-x > t.max) return null; // checked_neg
    x = -x;
  }
  let result = checkedAdd(t, x, ONE);
  if (result === null) return null;
  let term = x;
  for (let i = 2n; i < 32n; i++) {
    const m = mulChecked(t, term, x);
    if (m === null) return null;
    const d = divChecked(t, m, i << 32n);
    if (d === null) return null;
    term = d;
    result = checkedAdd(t, result, term);
    if (result === null) return null;
  }
  if (neg) return divChecked(t, ONE, result);
  return result;
}

/** `exp_safe`: clamp to [−20, 20], exp, 0 / MAX on Err. */
export function expSafe(x: bigint): bigint {
  const lo = -20n << 32n;
  const hi = 20n << 32n;
  const s = x < lo ? lo : x > hi ? hi : x;
  const r = exp(s);
  if (r !== null) return r;
  return s <= 0n ? 0n : I32F32.max;
}

/** log2_inner's first loop for x ≥ 1: halvings (rounding half up) until x < 2; [count, what is left of x]. */
function halveBelowTwo(t: FixedType, x: bigint): [bigint, bigint] {
  const two = 2n << t.frac;
  let halvings = 0n;
  while (x >= two) {
    halvings += 1n;
    x = (x >> 1n) + (x & 1n); // rs: halve, rounding half up
  }
  return [halvings, x];
}

/** `log2_inner` (operand ≥ 1) in type t. */
function log2Inner(t: FixedType, operand: bigint): bigint {
  const one = 1n << t.frac;
  const two = 2n << t.frac;
  let [result, x] = halveBelowTwo(t, operand);
  if (x === one) return wrap(t, result << t.frac);
  for (let i = 0n; i < t.frac; i++) {
    x = mulWrap(t, x, x);
    result = wrap(t, result << 1n);
    if (x >= two) {
      result |= 1n;
      x = (x >> 1n) + (x & 1n);
    }
  }
  return result;
}

/** ⌊log2_inner(x)⌋ for x ≥ 1, as an integer: the halvings of log2_inner's first loop. */
export function log2FloorAtLeastOne(t: FixedType, x: bigint): bigint {
  return halveBelowTwo(t, x)[0];
}

/** `log2::<T, T>`; null where the crate returns Err (x ≤ 0, or 1/x overflows). */
export function log2(t: FixedType, x: bigint): bigint | null {
  if (x <= 0n) return null;
  const one = 1n << t.frac;
  if (x < one) {
    const inv = divChecked(t, one, x);
    if (inv === null) return null;
    return wrap(t, -log2Inner(t, inv));
  }
  return log2Inner(t, x);
}

/** `ln::<T, T>` = log2(x) / LOG2_E (release-build `/`). */
export function ln(t: FixedType, x: bigint): bigint | null {
  const l = log2(t, x);
  if (l === null) return null;
  return divWrap(t, l, convert(I9F23, t, LOG2_E_I9F23));
}

/** subtensor `sigmoid_safe(x, rho, kappa)` = ONE safe_div (exp_safe((rho ⊗ −ONE) ⊗ (x ⊖ kappa)) ⊕ ONE). */
export function sigmoidSafe(x: bigint, rho: bigint, kappa: bigint): bigint {
  const t = I32F32;
  const offset = satSub(t, x, kappa);
  const negRho = mulSat(t, rho, -ONE);
  const e = expSafe(mulSat(t, negRho, offset));
  return safeDiv(t, ONE, satAdd(t, e, ONE));
}

/** `clamp_value(v, lo, hi)` = min(hi) then max(lo). */
export const clampValue = (v: bigint, lo: bigint, hi: bigint): bigint => {
  const m = v < hi ? v : hi;
  return m > lo ? m : lo;
};

/** Yuma3 liquid alpha (`alpha_sigmoid`), all I32F32 raw; steepness is I32F32(i16). */
export function alphaSigmoid(
  consensus: bigint,
  weight: bigint,
  bond: bigint,
  alphaLow: bigint,
  alphaHigh: bigint,
  steepness: bigint,
): bigint {
  const t = I32F32;
  const diffBuy = clampValue(satSub(t, weight, consensus), 0n, ONE);
  const diffSell = clampValue(satSub(t, bond, weight), 0n, ONE);
  const d = weight >= bond ? diffBuy : diffSell;
  const slope = satDiv(t, steepness, -100n << 32n);
  const e = expSafe(mulSat(t, slope, satSub(t, d, HALF)));
  const sigmoid = satDiv(t, ONE, satAdd(t, ONE, e));
  const alpha = satAdd(t, alphaLow, mulSat(t, sigmoid, satSub(t, alphaHigh, alphaLow)));
  return clampValue(alpha, alphaLow, alphaHigh);
}

/**
 * `get_block_emission_for_issuance` (coinbase/block_emission.rs) in I96F32; `totalSupply` and `defaultEmission`
 * are the runtime constants (21e15 and 1e9 rao). Returns null where the chain returns Err.
 */
/** 2 · 10.5e15 per fixed type (a constant of the rule; converting the two doubles every block dominated its cost). */
const supplyBits = new Map<FixedType, bigint>();

export function blockEmissionForIssuance(issuance: bigint, totalSupply: bigint, defaultEmission: bigint): bigint | null {
  const t = I96F32;
  const one = fromInt(t, 1n);
  const total = fromInt(t, issuance);
  if (total >= fromInt(t, totalSupply)) return 0n;
  let half = supplyBits.get(t);
  if (half === undefined) supplyBits.set(t, (half = mulSat(t, fromF64(t, 2.0), fromF64(t, 10_500_000_000_000_000.0))));
  const ratio = divChecked(t, total, half);
  if (ratio === null) return null;
  const diff = checkedSub(t, one, ratio);
  if (diff === null) return null;
  const inv = divChecked(t, one, diff);
  if (inv === null) return null;
  // ⌊log2(inv)⌋ (inv ≥ 1): log2_inner's fraction loop only appends bits below the binary point, so the floor of
  // its result is the number of halvings of the integer loop; the 32 squarings are skipped (same bits, ~30× faster)
  const n = log2FloorAtLeastOne(t, inv);
  let multiplier = one;
  for (let i = 0n; i < n; i++) multiplier = mulSat(t, multiplier, fromInt(t, 2n));
  const pct = safeDiv(t, one, multiplier);
  return toU64Sat(t, mulSat(t, pct, fromInt(t, defaultEmission)));
}
