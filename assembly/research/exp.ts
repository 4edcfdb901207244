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

/**
 * expDet of the n values at src into dst (f64; n even; the two may be one buffer), twelve a step as six f64x2
 * chains written step by step side by side. One chain's fourteen Horner steps are a dependency chain of ≈ 90
 * cycles; a loop of one or two chains (the rank pass's, with the liquid alpha around it) left the FP units idle,
 * its next iteration waiting behind the chain. Six chains are the most that stay in registers (eight spilled:
 * no faster). Each lane takes exactly expDet2's operations, so the bits are those of expDet.
 */
export function expRow(dst: usize, src: usize, n: i32): void {
  const round = f64x2.splat(ROUND);
  const lo = f64x2.splat(X_MIN);
  const hi = f64x2.splat(X_MAX);
  const inv = f64x2.splat(INV_LN2);
  const ln2hi = f64x2.splat(LN2_HI);
  const ln2lo = f64x2.splat(LN2_LO);
  const half = f64x2.splat(0.5);
  let m = 0;
  for (; m + 12 <= n; m += 12) {
    const o = <usize>m << 3;
    const xa = f64x2.pmin(hi, f64x2.pmax(lo, v128.load(src + o, 0)));
    const xb = f64x2.pmin(hi, f64x2.pmax(lo, v128.load(src + o, 16)));
    const xc = f64x2.pmin(hi, f64x2.pmax(lo, v128.load(src + o, 32)));
    const xd = f64x2.pmin(hi, f64x2.pmax(lo, v128.load(src + o, 48)));
    const xe = f64x2.pmin(hi, f64x2.pmax(lo, v128.load(src + o, 64)));
    const xf = f64x2.pmin(hi, f64x2.pmax(lo, v128.load(src + o, 80)));
    const ka = f64x2.sub(f64x2.add(f64x2.mul(xa, inv), round), round);
    const kb = f64x2.sub(f64x2.add(f64x2.mul(xb, inv), round), round);
    const kc = f64x2.sub(f64x2.add(f64x2.mul(xc, inv), round), round);
    const kd = f64x2.sub(f64x2.add(f64x2.mul(xd, inv), round), round);
    const ke = f64x2.sub(f64x2.add(f64x2.mul(xe, inv), round), round);
    const kf = f64x2.sub(f64x2.add(f64x2.mul(xf, inv), round), round);
    const ra = f64x2.sub(f64x2.sub(xa, f64x2.mul(ka, ln2hi)), f64x2.mul(ka, ln2lo));
    const rb = f64x2.sub(f64x2.sub(xb, f64x2.mul(kb, ln2hi)), f64x2.mul(kb, ln2lo));
    const rc = f64x2.sub(f64x2.sub(xc, f64x2.mul(kc, ln2hi)), f64x2.mul(kc, ln2lo));
    const rd = f64x2.sub(f64x2.sub(xd, f64x2.mul(kd, ln2hi)), f64x2.mul(kd, ln2lo));
    const re = f64x2.sub(f64x2.sub(xe, f64x2.mul(ke, ln2hi)), f64x2.mul(ke, ln2lo));
    const rf = f64x2.sub(f64x2.sub(xf, f64x2.mul(kf, ln2hi)), f64x2.mul(kf, ln2lo));
    let t = f64x2.splat(1.0 / 6227020800.0);
    let pa = t;
    let pb = t;
    let pc = t;
    let pd = t;
    let pe = t;
    let pf = t;
    t = f64x2.splat(1.0 / 479001600.0);
    pa = f64x2.add(f64x2.mul(pa, ra), t);
    pb = f64x2.add(f64x2.mul(pb, rb), t);
    pc = f64x2.add(f64x2.mul(pc, rc), t);
    pd = f64x2.add(f64x2.mul(pd, rd), t);
    pe = f64x2.add(f64x2.mul(pe, re), t);
    pf = f64x2.add(f64x2.mul(pf, rf), t);
    t = f64x2.splat(1.0 / 39916800.0);
    pa = f64x2.add(f64x2.mul(pa, ra), t);
    pb = f64x2.add(f64x2.mul(pb, rb), t);
    pc = f64x2.add(f64x2.mul(pc, rc), t);
    pd = f64x2.add(f64x2.mul(pd, rd), t);
    pe = f64x2.add(f64x2.mul(pe, re), t);
    pf = f64x2.add(f64x2.mul(pf, rf), t);
    t = f64x2.splat(1.0 / 3628800.0);
    pa = f64x2.add(f64x2.mul(pa, ra), t);
    pb = f64x2.add(f64x2.mul(pb, rb), t);
    pc = f64x2.add(f64x2.mul(pc, rc), t);
    pd = f64x2.add(f64x2.mul(pd, rd), t);
    pe = f64x2.add(f64x2.mul(pe, re), t);
    pf = f64x2.add(f64x2.mul(pf, rf), t);
    t = f64x2.splat(1.0 / 362880.0);
    pa = f64x2.add(f64x2.mul(pa, ra), t);
    pb = f64x2.add(f64x2.mul(pb, rb), t);
    pc = f64x2.add(f64x2.mul(pc, rc), t);
    pd = f64x2.add(f64x2.mul(pd, rd), t);
    pe = f64x2.add(f64x2.mul(pe, re), t);
    pf = f64x2.add(f64x2.mul(pf, rf), t);
    t = f64x2.splat(1.0 / 40320.0);
    pa = f64x2.add(f64x2.mul(pa, ra), t);
    pb = f64x2.add(f64x2.mul(pb, rb), t);
    pc = f64x2.add(f64x2.mul(pc, rc), t);
    pd = f64x2.add(f64x2.mul(pd, rd), t);
    pe = f64x2.add(f64x2.mul(pe, re), t);
    pf = f64x2.add(f64x2.mul(pf, rf), t);
    t = f64x2.splat(1.0 / 5040.0);
    pa = f64x2.add(f64x2.mul(pa, ra), t);
    pb = f64x2.add(f64x2.mul(pb, rb), t);
    pc = f64x2.add(f64x2.mul(pc, rc), t);
    pd = f64x2.add(f64x2.mul(pd, rd), t);
    pe = f64x2.add(f64x2.mul(pe, re), t);
    pf = f64x2.add(f64x2.mul(pf, rf), t);
    t = f64x2.splat(1.0 / 720.0);
    pa = f64x2.add(f64x2.mul(pa, ra), t);
    pb = f64x2.add(f64x2.mul(pb, rb), t);
    pc = f64x2.add(f64x2.mul(pc, rc), t);
    pd = f64x2.add(f64x2.mul(pd, rd), t);
    pe = f64x2.add(f64x2.mul(pe, re), t);
    pf = f64x2.add(f64x2.mul(pf, rf), t);
    t = f64x2.splat(1.0 / 120.0);
    pa = f64x2.add(f64x2.mul(pa, ra), t);
    pb = f64x2.add(f64x2.mul(pb, rb), t);
    pc = f64x2.add(f64x2.mul(pc, rc), t);
    pd = f64x2.add(f64x2.mul(pd, rd), t);
    pe = f64x2.add(f64x2.mul(pe, re), t);
    pf = f64x2.add(f64x2.mul(pf, rf), t);
    t = f64x2.splat(1.0 / 24.0);
    pa = f64x2.add(f64x2.mul(pa, ra), t);
    pb = f64x2.add(f64x2.mul(pb, rb), t);
    pc = f64x2.add(f64x2.mul(pc, rc), t);
    pd = f64x2.add(f64x2.mul(pd, rd), t);
    pe = f64x2.add(f64x2.mul(pe, re), t);
    pf = f64x2.add(f64x2.mul(pf, rf), t);
    t = f64x2.splat(1.0 / 6.0);
    pa = f64x2.add(f64x2.mul(pa, ra), t);
    pb = f64x2.add(f64x2.mul(pb, rb), t);
    pc = f64x2.add(f64x2.mul(pc, rc), t);
    pd = f64x2.add(f64x2.mul(pd, rd), t);
    pe = f64x2.add(f64x2.mul(pe, re), t);
    pf = f64x2.add(f64x2.mul(pf, rf), t);
    t = f64x2.splat(1.0 / 2.0);
    pa = f64x2.add(f64x2.mul(pa, ra), t);
    pb = f64x2.add(f64x2.mul(pb, rb), t);
    pc = f64x2.add(f64x2.mul(pc, rc), t);
    pd = f64x2.add(f64x2.mul(pd, rd), t);
    pe = f64x2.add(f64x2.mul(pe, re), t);
    pf = f64x2.add(f64x2.mul(pf, rf), t);
    t = f64x2.splat(1.0);
    pa = f64x2.add(f64x2.mul(pa, ra), t);
    pb = f64x2.add(f64x2.mul(pb, rb), t);
    pc = f64x2.add(f64x2.mul(pc, rc), t);
    pd = f64x2.add(f64x2.mul(pd, rd), t);
    pe = f64x2.add(f64x2.mul(pe, re), t);
    pf = f64x2.add(f64x2.mul(pf, rf), t);
    pa = f64x2.add(f64x2.mul(pa, ra), t);
    pb = f64x2.add(f64x2.mul(pb, rb), t);
    pc = f64x2.add(f64x2.mul(pc, rc), t);
    pd = f64x2.add(f64x2.mul(pd, rd), t);
    pe = f64x2.add(f64x2.mul(pe, re), t);
    pf = f64x2.add(f64x2.mul(pf, rf), t);
    const ja = f64x2.floor(f64x2.mul(ka, half));
    const jb = f64x2.floor(f64x2.mul(kb, half));
    const jc = f64x2.floor(f64x2.mul(kc, half));
    const jd = f64x2.floor(f64x2.mul(kd, half));
    const je = f64x2.floor(f64x2.mul(ke, half));
    const jf = f64x2.floor(f64x2.mul(kf, half));
    v128.store(dst + o, f64x2.mul(f64x2.mul(pa, pow2x2(ja)), pow2x2(f64x2.sub(ka, ja))), 0);
    v128.store(dst + o, f64x2.mul(f64x2.mul(pb, pow2x2(jb)), pow2x2(f64x2.sub(kb, jb))), 16);
    v128.store(dst + o, f64x2.mul(f64x2.mul(pc, pow2x2(jc)), pow2x2(f64x2.sub(kc, jc))), 32);
    v128.store(dst + o, f64x2.mul(f64x2.mul(pd, pow2x2(jd)), pow2x2(f64x2.sub(kd, jd))), 48);
    v128.store(dst + o, f64x2.mul(f64x2.mul(pe, pow2x2(je)), pow2x2(f64x2.sub(ke, je))), 64);
    v128.store(dst + o, f64x2.mul(f64x2.mul(pf, pow2x2(jf)), pow2x2(f64x2.sub(kf, jf))), 80);
  }
  for (; m < n; m += 2) {
    const o = <usize>m << 3;
    v128.store(dst + o, expDet2(v128.load(src + o)));
  }
}
