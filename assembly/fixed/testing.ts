// Test-only entry: thin exports of every fixed-point op so the property tests can call them one by one.
// Not part of the production module (assembly/index.ts). Build (see test/helpers/fixed-wasm.ts):
//   npx asc assembly/fixed/testing.ts -o build/fixed-testing.wasm -O3 --runtime stub --enable simd --use abort= --noAssert
// i64/u64 cross the boundary as BigInt (read u64 results with BigInt.asUintN(64, x)); 128-bit results return the low
// word and `hi()` returns the high word of the last call.

import * as W from './wide';
import * as F from './i32f32';
import * as X from './wide-fixed';
import * as T from './transcendental';
import * as U from './unsigned-fixed';
import * as P from './proportion';
import * as PX from './proportion-x2';
import * as PR from './pow-ratio';
import * as B from '../coinbase/buy';

export function hi(): u64 { return W.wideHi; }
export function remLo(): u64 { return W.wideRemLo; }
export function remHi(): u64 { return W.wideRemHi; }
export function wideOverflow(): bool { return W.wideOverflow; }
export function overflow(): bool { return F.overflow; }
export function wideFixedErr(): bool { return X.wideFixedErr; }
export function mathErr(): bool { return T.mathErr; }
export function expA(): i64 { return T.expA; }
export function expB(): i64 { return T.expB; }

// wide.ts
export function umul128(a: u64, b: u64): u64 { return W.umul128(a, b); }
export function smul128(a: i64, b: i64): u64 { return W.smul128(a, b); }
export function sumul128(a: i64, b: u64): u64 { return W.sumul128(a, b); }
export function add128(aLo: u64, aHi: u64, bLo: u64, bHi: u64): u64 { return W.add128(aLo, aHi, bLo, bHi); }
export function sub128(aLo: u64, aHi: u64, bLo: u64, bHi: u64): u64 { return W.sub128(aLo, aHi, bLo, bHi); }
export function neg128(lo: u64, hi: u64): u64 { return W.neg128(lo, hi); }
export function shl128(lo: u64, hi: u64, s: u32): u64 { return W.shl128(lo, hi, s); }
export function shr128u(lo: u64, hi: u64, s: u32): u64 { return W.shr128u(lo, hi, s); }
export function shr128s(lo: u64, hi: u64, s: u32): u64 { return W.shr128s(lo, hi, s); }
export function cmp128u(aLo: u64, aHi: u64, bLo: u64, bHi: u64): i32 { return W.cmp128u(aLo, aHi, bLo, bHi); }
export function cmp128s(aLo: u64, aHi: u64, bLo: u64, bHi: u64): i32 { return W.cmp128s(aLo, aHi, bLo, bHi); }
export function udiv128by64(lo: u64, hi: u64, d: u64): u64 { return W.udiv128by64(lo, hi, d); }
export function udivmod128(nLo: u64, nHi: u64, dLo: u64, dHi: u64): u64 { return W.udivmod128(nLo, nHi, dLo, dHi); }
export function udivFixed128(aLo: u64, aHi: u64, bLo: u64, bHi: u64, frac: u32): u64 {
  return W.udivFixed128(aLo, aHi, bLo, bHi, frac);
}
export function sdivFixed128(aLo: u64, aHi: u64, bLo: u64, bHi: u64, frac: u32): u64 {
  return W.sdivFixed128(aLo, aHi, bLo, bHi, frac);
}

// i32f32.ts
export function satAdd(a: i64, b: i64): i64 { return F.satAdd(a, b); }
export function satSub(a: i64, b: i64): i64 { return F.satSub(a, b); }
export function addChecked(a: i64, b: i64): i64 { return F.addChecked(a, b); }
export function mulSat(a: i64, b: i64): i64 { return F.mulSat(a, b); }
export function mulWrap(a: i64, b: i64): i64 { return F.mulWrap(a, b); }
export function mulChecked(a: i64, b: i64): i64 { return F.mulChecked(a, b); }
export function mulOrZero(a: i64, b: i64): i64 { return F.mulOrZero(a, b); }
export function divChecked(a: i64, b: i64): i64 { return F.divChecked(a, b); }
export function safeDiv(a: i64, b: i64): i64 { return F.safeDiv(a, b); }
export function satDiv(a: i64, b: i64): i64 { return F.satDiv(a, b); }
export function divOneBy(y: i64): i64 { return F.divOneBy(y); }
export function fromU16(x: u32): i64 { return F.fromU16(x); }
export function fromI64Sat(x: i64): i64 { return F.fromI64Sat(x); }
export function fromU64Sat(x: u64): i64 { return F.fromU64Sat(x); }
export function u16ProportionToFixed(x: u32): i64 { return F.u16ProportionToFixed(x); }
export function fixedProportionToU16(x: i64): u32 { return F.fixedProportionToU16(x); }
export function floorToU64(x: i64): u64 { return F.floorToU64(x); }
export function floorToU16(x: i64): u32 { return F.floorToU16(x); }
export function floorToI64(x: i64): i64 { return F.floorToI64(x); }
export function round(x: i64): i64 { return F.round(x); }
export function fromF64(v: f64): i64 { return F.fromF64(v); }
export function fromF32(v: f32): i64 { return F.fromF32(v); }
export function toF64(x: i64): f64 { return F.toF64(x); }
export function clampValue(v: i64, lo: i64, hi: i64): i64 { return F.clampValue(v, lo, hi); }

// wide-fixed.ts
export function u64ToI64F64(x: u64): u64 { return X.u64ToI64F64(x); }
export function i64f64ToI32F32(lo: u64, hi: u64): i64 { return X.i64f64ToI32F32(lo, hi); }
export function mulSatI64F64(aLo: u64, aHi: u64, bLo: u64, bHi: u64): u64 { return X.mulSatI64F64(aLo, aHi, bLo, bHi); }
export function taoWeightU96F32(tw: u64): u64 { return X.taoWeightU96F32(tw); }
export function stakeWeightI64F64(alpha: u64, tao: u64, tw: u64): u64 { return X.stakeWeightI64F64(alpha, tao, tw); }
export function stakeProportion(fLo: u64, fHi: u64, sLo: u64, sHi: u64): i64 {
  return X.stakeProportion(fLo, fHi, sLo, sHi);
}
export function stakeProportionU64(stake: u64, total: u64): i64 { return X.stakeProportionU64(stake, total); }
export function emissionShare(share: i64, rao: u64): u64 { return X.emissionShare(share, rao); }
export function alphaFromBondsMovingAverage(bma: u64): i64 { return X.alphaFromBondsMovingAverage(bma); }

// transcendental.ts
export function exp(x: i64): i64 { return T.exp(x); }
export function expSafe(x: i64): i64 { return T.expSafe(x); }
export function expSafePair(a: i64, b: i64): void { T.expSafePair(a, b); }
export function log2(x: i64): i64 { return T.log2(x); }
export function ln(x: i64): i64 { return T.ln(x); }
export function sigmoidSafe(x: i64, rho: i64, kappa: i64): i64 { return T.sigmoidSafe(x, rho, kappa); }
export function alphaSigmoid(c: i64, w: i64, b: i64, lo: i64, hi: i64, s: i64): i64 {
  return T.alphaSigmoid(c, w, b, lo, hi, s);
}

// unsigned 128-bit fixed point (the coinbase's)
export function divNone(): bool { return U.divNone; }
export function uSatAdd(aLo: u64, aHi: u64, bLo: u64, bHi: u64): u64 { return U.uSatAdd(aLo, aHi, bLo, bHi); }
export function uSatSub(aLo: u64, aHi: u64, bLo: u64, bHi: u64): u64 { return U.uSatSub(aLo, aHi, bLo, bHi); }
export function uMulSat(aLo: u64, aHi: u64, bLo: u64, bHi: u64, frac: u32): u64 { return U.uMulSat(aLo, aHi, bLo, bHi, frac); }
export function udivChecked(aLo: u64, aHi: u64, bLo: u64, bHi: u64, frac: u32): u64 { return U.udivChecked(aLo, aHi, bLo, bHi, frac); }
export function udiv192by128(n0: u64, n1: u64, n2: u64, dLo: u64, dHi: u64): u64 { return U.udiv192by128(n0, n1, n2, dLo, dHi); }
export function udiv192ByPerquintill(y0: u64, y1: u64, y2: u64): u64 { return U.udiv192ByPerquintill(y0, y1, y2); }

// proportion-x2.ts: two-lane helpers on lanes (x0, x1); lane 0 is returned, lane 1 read with lane1()
let lastLane1: i64 = 0;
export function lane1(): i64 { return lastLane1; }
// @ts-ignore: decorator
@inline function pair(x0: i64, x1: i64): v128 { return i64x2.replace_lane(i64x2.splat(x0), 1, x1); }
// @ts-ignore: decorator
@inline function lanes(v: v128): i64 { lastLane1 = i64x2.extract_lane(v, 1); return i64x2.extract_lane(v, 0); }
export function fracDivX(a0: i64, a1: i64, b0: i64, b1: i64): i64 {
  const inv = f64x2.replace_lane(f64x2.splat(P.inverse(b0) * 4294967296.0), 1, P.inverse(b1) * 4294967296.0);
  return lanes(PX.fracDivX(pair(a0, a1), pair(b0, b1), inv));
}
export function mulUX(x0: i64, x1: i64, y0: i64, y1: i64): i64 { return lanes(PX.mulUX(pair(x0, x1), pair(y0, y1))); }
export function mulConstX(k: i64, y0: i64, y1: i64): i64 { return lanes(PX.mulConstX(i32x4.splat(<i32>k), pair(y0, y1))); }

// pow-ratio.ts and the excess-TAO buy (coinbase/buy.ts)
export function powRatioPerquintill(num: u64, den: u64, a: u64, b: u64): u64 { return PR.powRatioPerquintill(num, den, a, b); }
export function buyAlphaWithExcess(tao: u64, alpha: u64, weight: u64, initialised: bool, amount: u64, minReserve: u64): bool {
  return B.buyAlphaWithExcess(tao, alpha, weight, initialised, amount, minReserve);
}
export function boughtAlpha(): u64 { return B.boughtAlpha; }
export function boughtWeight(): u64 { return B.boughtWeight; }
