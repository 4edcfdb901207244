// e^x from basic IEEE operations only, the same steps as src/research/exp.ts (so the Wasm and TypeScript
// liquid alpha are the same bits; Math.exp differs between engines): x = k·ln 2 + r with k the nearest
// integer to x/ln 2 (Cody–Waite split of ln 2), e^r by its Taylor series to r¹³ (|r| ≤ ln 2 / 2: truncation
// below 2⁻⁵⁸), then two exact power-of-two scalings (each factor stays a normal double for x ∈ [−746, 710]).
const INV_LN2: f64 = 1.4426950408889634;
const LN2_HI: f64 = 6.9314718036912381649e-1;
const LN2_LO: f64 = 1.9082149292705877e-10;
/** 1.5·2⁵²: adding and subtracting it rounds |y| < 2⁵¹ to the nearest integer (ties to even). */
const ROUND: f64 = 6755399441055744.0;
/** 2⁵² + 1023: the bits of (n + this) − the bits of 2⁵² are n + 1023, an exponent field. */
const BIAS: f64 = 4503599627370496.0 + 1023.0;
const TWO52_BITS: i64 = 0x4330000000000000;
const X_MIN: f64 = -746.0;
const X_MAX: f64 = 710.0;

/** e^r's Taylor coefficients from r¹³ down to r⁰, in Horner's order (1/13!, 1/12!, …, 1/2, 1, 1). */
const TAYLOR: StaticArray<f64> = [
  1.0 / 6227020800.0, 1.0 / 479001600.0, 1.0 / 39916800.0, 1.0 / 3628800.0, 1.0 / 362880.0, 1.0 / 40320.0, 1.0 / 5040.0,
  1.0 / 720.0, 1.0 / 120.0, 1.0 / 24.0, 1.0 / 6.0, 1.0 / 2.0, 1.0, 1.0,
];
const TERMS = 14;

// @ts-ignore: decorator
@inline function pow2(k: f64): f64 {
  return reinterpret<f64>((reinterpret<i64>(k + BIAS) - TWO52_BITS) << 52);
}

export function expDet(x0: f64): f64 {
  const x = x0 < X_MIN ? X_MIN : x0 > X_MAX ? X_MAX : x0;
  const k = x * INV_LN2 + ROUND - ROUND;
  const r = x - k * LN2_HI - k * LN2_LO;
  let p = unchecked(TAYLOR[0]);
  for (let i = 1; i < TERMS; i++) p = p * r + unchecked(TAYLOR[i]);
  const k1 = Math.floor(k * 0.5);
  return p * pow2(k1) * pow2(k - k1);
}

// @ts-ignore: decorator
@inline function pow2x2(k: v128): v128 {
  return i64x2.shl(i64x2.sub(f64x2.add(k, f64x2.splat(BIAS)), i64x2.splat(TWO52_BITS)), 52);
}

/** expDet on both lanes. */
// @ts-ignore: decorator
@inline export function expDet2(x0: v128): v128 {
  const x = f64x2.pmin(f64x2.splat(X_MAX), f64x2.pmax(f64x2.splat(X_MIN), x0));
  const round = f64x2.splat(ROUND);
  const k = f64x2.sub(f64x2.add(f64x2.mul(x, f64x2.splat(INV_LN2)), round), round);
  const r = f64x2.sub(f64x2.sub(x, f64x2.mul(k, f64x2.splat(LN2_HI))), f64x2.mul(k, f64x2.splat(LN2_LO)));
  // Horner's steps written out with constant coefficients (a loop reloaded and splatted one per step).
  let p = f64x2.splat(1.0 / 6227020800.0);
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(1.0 / 479001600.0));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(1.0 / 39916800.0));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(1.0 / 3628800.0));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(1.0 / 362880.0));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(1.0 / 40320.0));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(1.0 / 5040.0));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(1.0 / 720.0));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(1.0 / 120.0));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(1.0 / 24.0));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(1.0 / 6.0));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(1.0 / 2.0));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(1.0));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(1.0));
  const k1 = f64x2.floor(f64x2.mul(k, f64x2.splat(0.5)));
  return f64x2.mul(f64x2.mul(p, pow2x2(k1)), pow2x2(f64x2.sub(k, k1)));
}
