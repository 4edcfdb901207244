// Sums along a row in the order src/research/kernel.ts (sum64, dot64) defines, so the Wasm and TypeScript
// results are the same bits: rows of LANE_MIN or more entries in four interleaved lanes — indices ≡ 0, 1, 2, 3
// (mod 4) summed separately, then (s0 + s2) + (s1 + s3), then the last n mod 4 entries in order — and shorter
// rows in plain order. Four lanes are two f64x2 accumulators, which keeps the adds off the critical path.
import { LANE_MIN } from './abi';

export const F32_MAX: f64 = 3.4028234663852886e38;

/** Entries [0, vectorEnd(n)) go through the lanes, the rest in order. */
// @ts-ignore: decorator
@inline export function vectorEnd(n: i32): i32 {
  return n >= LANE_MIN ? n & ~3 : 0;
}

/** (s0 + s2) + (s1 + s3) of the lane accumulators a = (s0, s1), b = (s2, s3). */
// @ts-ignore: decorator
@inline export function lanesTotal(a: v128, b: v128): f64 {
  const t = f64x2.add(a, b);
  return f64x2.extract_lane(t, 0) + f64x2.extract_lane(t, 1);
}

export function laneSum(p: usize, n: i32): f64 {
  const end = vectorEnd(n);
  let a = f64x2.splat(0);
  let b = f64x2.splat(0);
  let m = 0;
  for (; m < end; m += 4) {
    const at = p + (<usize>m << 3);
    a = f64x2.add(a, v128.load(at));
    b = f64x2.add(b, v128.load(at, 16));
  }
  let s = lanesTotal(a, b);
  for (; m < n; m++) s += load<f64>(p + (<usize>m << 3));
  return s;
}

/** Σ x[m]·y[m] in the lane order. */
export function laneDot(x: usize, y: usize, n: i32): f64 {
  const end = vectorEnd(n);
  let a = f64x2.splat(0);
  let b = f64x2.splat(0);
  let m = 0;
  for (; m < end; m += 4) {
    const o = <usize>m << 3;
    a = f64x2.add(a, f64x2.mul(v128.load(x + o), v128.load(y + o)));
    b = f64x2.add(b, f64x2.mul(v128.load(x + o, 16), v128.load(y + o, 16)));
  }
  let s = lanesTotal(a, b);
  for (; m < n; m++) s += load<f64>(x + (<usize>m << 3)) * load<f64>(y + (<usize>m << 3));
  return s;
}

/** NaN → 0, ±∞ → ±F32_MAX (torch's nan_to_num on float32). */
// @ts-ignore: decorator
@inline export function nanToNum(x: f64): f64 {
  if (x != x) return 0;
  if (x == Infinity) return F32_MAX;
  if (x == -Infinity) return -F32_MAX;
  return x;
}

/** Lane-wise nanToNum. */
// @ts-ignore: decorator
@inline export function nanToNum2(x: v128): v128 {
  const inf = f64x2.splat(Infinity);
  // NaN lanes compare unequal to themselves: and-ing with the mask zeroes them.
  let y = v128.and(x, f64x2.eq(x, x));
  y = v128.bitselect(f64x2.splat(F32_MAX), y, f64x2.eq(y, inf));
  return v128.bitselect(f64x2.splat(-F32_MAX), y, f64x2.eq(y, f64x2.neg(inf)));
}

/** Slots for loop constants passed through memory (held). */
const HELD = memory.data(16 * 8, 16);

/**
 * x passed through memory (slot k of 8): V8 rematerialises a v128 constant or splat at each use inside a loop
 * (four instructions for a constant 1.0, a shuffle per f64 splat), while a value loaded before the loop stays in
 * a register. For values set up before a loop; a slot is reused by the next pass that sets it.
 */
// @ts-ignore: decorator
@inline export function held(k: i32, x: v128): v128 {
  v128.store(HELD + (<usize>k << 4), x);
  return v128.load(HELD + (<usize>k << 4));
}
