// Float32 sums along a row in the order of src/research/kernel.ts's sum32 / dot32: rows of LANE_MIN or more
// entries in four interleaved lanes (one f32x4 accumulator: lane i sums the indices ≡ i mod 4, every addition
// rounded to float32 as the TypeScript kernel's Math.fround does), then (s0 + s2) + (s1 + s3), then the last
// n mod 4 entries in order; shorter rows in plain order. Wasm's f32 operations round exactly as Math.fround of
// the double operation, so both give the same bits.
import { vectorEnd } from './lanes';

export const F32_MAX: f32 = 3.4028234663852886e38;

/** (s0 + s2) + (s1 + s3) of a lane accumulator. */
// @ts-ignore: decorator
@inline export function lanesTotal32(a: v128): f32 {
  return (f32x4.extract_lane(a, 0) + f32x4.extract_lane(a, 2)) + (f32x4.extract_lane(a, 1) + f32x4.extract_lane(a, 3));
}

/** Σ x[0 .. n) over f32 at p. */
export function laneSum32(p: usize, n: i32): f32 {
  const end = vectorEnd(n);
  let a = f32x4.splat(0);
  let m = 0;
  for (; m < end; m += 4) a = f32x4.add(a, v128.load(p + (<usize>m << 2)));
  let s: f32 = end > 0 ? lanesTotal32(a) : 0;
  for (; m < n; m++) s += load<f32>(p + (<usize>m << 2));
  return s;
}

/** Σ x[m]·y[m] over f32 at x and y, each product rounded, in the lane order. */
export function laneDot32(x: usize, y: usize, n: i32): f32 {
  const end = vectorEnd(n);
  let a = f32x4.splat(0);
  let m = 0;
  for (; m < end; m += 4) a = f32x4.add(a, f32x4.mul(v128.load(x + (<usize>m << 2)), v128.load(y + (<usize>m << 2))));
  let s: f32 = end > 0 ? lanesTotal32(a) : 0;
  for (; m < n; m++) s += load<f32>(x + (<usize>m << 2)) * load<f32>(y + (<usize>m << 2));
  return s;
}

/** Σ (x[m] / d[m])·y[m]: each quotient and product rounded (torch's B / den, then the dot with I). */
export function laneQuotientDot32(x: usize, d: usize, y: usize, n: i32): f32 {
  return quotientDotFrom(x, d, y, n, 0, f32x4.splat(0));
}

/**
 * laneQuotientDot32 from entry m on (m a multiple of 4), its lanes already holding a: the groups of four left in
 * the lanes, then their total, then the last n mod 4 entries in order.
 */
// @ts-ignore: decorator
@inline function quotientDotFrom(x: usize, d: usize, y: usize, n: i32, m: i32, a: v128): f32 {
  const end = vectorEnd(n);
  for (; m < end; m += 4) {
    const o = <usize>m << 2;
    a = f32x4.add(a, f32x4.mul(f32x4.div(v128.load(x + o), v128.load(d + o)), v128.load(y + o)));
  }
  let s: f32 = end > 0 ? lanesTotal32(a) : 0;
  for (; m < n; m++) {
    const o = <usize>m << 2;
    s += (load<f32>(x + o) / load<f32>(d + o)) * load<f32>(y + o);
  }
  return s;
}

/**
 * laneQuotientDot32 (the same lanes and order) with every fourth group of four quotients x/d taken as
 * RN32(x ×₆₄ r), r = RN64(1/d) in f64 at r: the loop is bound by the float32 divider, and the conversions and
 * double products of one group in four run beside its three divisions (all groups through the reciprocal are
 * slower than the divisions: four conversions per group; one in two or one in six pay less than one in four).
 * The same bits when quotientsByReciprocal(d) said so:
 *
 * Let x = A·2^α, d = B·2^β (A, B integers below 2²⁴, any float32 including subnormals), q = x/d exact and
 * p = RN64(x·r). r and p are normal doubles (|q|, |1/d| lie within [2⁻²⁷⁷, 2²⁷⁷]), so |p − q| ≤ (2⁻⁵² + 2⁻¹⁰⁶)|q|.
 * RN32 of two numbers agrees unless a float32 rounding boundary μ lies between them (or on one): μ = M·2^γ, M
 * odd, with M ∈ (2²⁴, 2²⁵) above 2⁻¹²⁶ (the midpoints of 24-bit significands, and the overflow threshold
 * (2²⁵ − 1)·2¹⁰³) and M < 2²⁴, γ = −150 below (the subnormal midpoints). If q ≠ μ, q − μ = (A·2^α −
 * M·B·2^(β+γ)) / (B·2^β) has a numerator that is a nonzero multiple of 2^min(α, β+γ), so relative to μ it is at
 * least 1/(M·B) > 2⁻⁴⁹ when β+γ ≤ α, and 2^(α−β−γ)/(M·B) ≥ 1/(2|A|) > 2⁻²⁵ otherwise (q within a factor 2
 * of μ means 2^(α−β−γ) ≥ M·B/(2|A|)): further than p can be. So only q = μ exactly can differ, a tie that p
 * may miss on either side. Above 2⁻¹²⁶ that is impossible (the odd part of A·2^α is at most |A| < 2²⁴ < M);
 * below, A·2^α = M·B·2^(β−150) needs B's odd part B′ ≥ 3 (else d is a power of two, r and p exact) and
 * d = B′·2^s with s ≥ 1 (A·2^α is a multiple of 2⁻¹⁴⁹): d an even integer that is not a power of two. Zeros and
 * non-finite values: ±0/d and ±0·r are the same signed zero; d = ±0 gives r = ±∞ and ±∞ for x ≠ 0 both ways
 * (0/0 and 0·∞ are NaN); d = ±∞ gives r = ±0, ±0 both ways for finite x; NaN stays NaN (Wasm fixes no NaN bits
 * either way). test/research-reciprocal.test.ts checks the bits against the division.
 */
export function laneProductDot32(x: usize, d: usize, r: usize, y: usize, n: i32): f32 {
  const end = vectorEnd(n);
  let a = f32x4.splat(0);
  let m = 0;
  for (; m + 16 <= end; m += 16) {
    const o = <usize>m << 2;
    a = f32x4.add(a, f32x4.mul(f32x4.div(v128.load(x + o), v128.load(d + o)), v128.load(y + o)));
    a = f32x4.add(a, f32x4.mul(f32x4.div(v128.load(x + o, 16), v128.load(d + o, 16)), v128.load(y + o, 16)));
    a = f32x4.add(a, f32x4.mul(f32x4.div(v128.load(x + o, 32), v128.load(d + o, 32)), v128.load(y + o, 32)));
    a = f32x4.add(a, f32x4.mul(reciprocalQuotient4(v128.load(x + o, 48), r + (o << 1) + 96), v128.load(y + o, 48)));
  }
  return quotientDotFrom(x, d, y, n, m, a);
}

/** RN32(x ×₆₄ r) of four float32 x and the four f64 reciprocals at r (laneProductDot32's quotients). */
// @ts-ignore: decorator
@inline export function reciprocalQuotient4(x: v128, r: usize): v128 {
  const lo = f64x2.mul(f64x2.promote_low_f32x4(x), v128.load(r));
  const hi = f64x2.mul(f64x2.promote_low_f32x4(i8x16.shuffle(x, x, 8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7)), v128.load(r, 16));
  return i8x16.shuffle(f32x4.demote_f64x2_zero(lo), f32x4.demote_f64x2_zero(hi), 0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23);
}

/**
 * 1/d of n float32 divisors at d into f64 at r; false if one is an even integer other than a power of two,
 * where laneProductDot32's product may miss a subnormal tie of the quotient.
 */
export function quotientsByReciprocal(d: usize, r: usize, n: i32): bool {
  let ok = true;
  for (let m = 0; m < n; m++) {
    const x = load<f32>(d + (<usize>m << 2));
    const h = Math.abs(<f64>x) * 0.5;
    if (h == Math.floor(h) && (reinterpret<u32>(x) & 0x7fffff) != 0) ok = false;
    store<f64>(r + (<usize>m << 3), 1 / <f64>x);
  }
  return ok;
}

/** NaN → 0, ±∞ → ±F32_MAX (torch's nan_to_num on float32). */
// @ts-ignore: decorator
@inline export function nanToNum32(x: f32): f32 {
  if (x != x) return 0;
  if (x == Infinity) return F32_MAX;
  if (x == -Infinity) return -F32_MAX;
  return x;
}

/**
 * Lane-wise nanToNum32: NaN lanes zeroed (they compare unequal to themselves), then clamped to ±F32_MAX, which
 * moves only ±∞ (pmax / pmin return their first operand unless the second is strictly beyond it).
 */
// @ts-ignore: decorator
@inline export function nanToNum32x4(x: v128): v128 {
  const y = v128.and(x, f32x4.eq(x, x));
  return f32x4.pmin(f32x4.pmax(y, f32x4.splat(-F32_MAX)), f32x4.splat(F32_MAX));
}

/** f64 vector → f32 (each value already a float32, or rounded to one). */
export function toF32(dst: usize, src: usize, n: i32): void {
  for (let i = 0; i < n; i++) store<f32>(dst + (<usize>i << 2), <f32>load<f64>(src + (<usize>i << 3)));
}

/** f32 vector → f64 (exact). */
export function toF64(dst: usize, src: usize, n: i32): void {
  for (let i = 0; i < n; i++) store<f64>(dst + (<usize>i << 3), <f64>load<f32>(src + (<usize>i << 2)));
}
