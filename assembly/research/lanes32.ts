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
  const end = vectorEnd(n);
  let a = f32x4.splat(0);
  let m = 0;
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
