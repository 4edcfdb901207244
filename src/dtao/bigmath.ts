/**
 * Exact integer helpers for the pool and emission code. Everything is floor/ceil-explicit so callers
 * can round in the pool's favour; nothing here touches floating point except `toNumber`/`fromNumber`.
 */
import { YumaError } from '../errors.js';

export interface Ratio {
  num: bigint;
  den: bigint;
}

export function ceilDiv(a: bigint, b: bigint): bigint {
  return a >= 0n ? (a + b - 1n) / b : a / b;
}

export function gcd(a: bigint, b: bigint): bigint {
  a = a < 0n ? -a : a;
  b = b < 0n ? -b : b;
  // BigInt steps until both fit a double exactly, then the same Euclid on numbers (swap exponents are ~60-bit)
  while (b !== 0n && (a > MAX_SAFE || b > MAX_SAFE)) {
    const r = a % b;
    a = b;
    b = r;
  }
  if (b === 0n) return a;
  let x = Number(a);
  let y = Number(b);
  while (y !== 0) {
    const r = x % y;
    x = y;
    y = r;
  }
  return BigInt(x);
}
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/** Bits of |n| plus one for a negative n (the length of `n.toString(2)`). */
export function bitLength(n: bigint): number {
  if (n === 0n) return 0;
  if (n < 0n) return bitLength(-n) + 1;
  const x = Number(n); // rounds to nearest: its exponent is the bit length or one more
  if (x === Infinity) return n.toString(2).length;
  let b = Math.floor(Math.log2(x)) + 1;
  if (b > 1 && n >> BigInt(b - 1) === 0n) b -= 1;
  else if (n >> BigInt(b) !== 0n) b += 1;
  return b;
}

/** floor(n^(1/k)) for n ≥ 0: Newton from above, started from a float estimate so high roots converge in a few steps. */
export function iroot(n: bigint, k: number): bigint {
  if (n < 0n) throw new RangeError('iroot of negative');
  if (n < 2n || k === 1) return n;
  const K = BigInt(k);
  const bl = bitLength(n);
  const shift = Math.max(0, bl - 60);
  const e = (Math.log2(Number(n >> BigInt(shift))) + shift) / k; // log2 of the root
  const lift = Math.max(0, Math.floor(e) - 50);
  let x = (BigInt(Math.ceil(2 ** (e - lift) * (1 + 1e-9))) + 1n) << BigInt(lift);
  while (x ** K < n) x <<= 1n; // must start at or above the root
  for (;;) {
    const y = ((K - 1n) * x + n / x ** (K - 1n)) / K;
    if (y >= x) return x;
    x = y;
  }
}

export function isqrt(n: bigint): bigint {
  return iroot(n, 2);
}

/** Exact rational value of a finite double (every double is a dyadic rational). */
export function fromNumber(x: number): Ratio {
  if (!Number.isFinite(x)) throw new YumaError('E_NAN', `not a finite number: ${x}`);
  if (x === 0) return { num: 0n, den: 1n };
  const buf = new DataView(new ArrayBuffer(8));
  buf.setFloat64(0, x);
  const hi = buf.getUint32(0);
  const lo = buf.getUint32(4);
  const sign = hi >>> 31 ? -1n : 1n;
  const exp = (hi >>> 20) & 0x7ff;
  let mant = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  let e: number;
  if (exp === 0) e = -1074;
  else {
    mant |= 1n << 52n;
    e = exp - 1075;
  }
  if (e >= 0) return { num: sign * (mant << BigInt(e)), den: 1n };
  const den = 1n << BigInt(-e);
  const g = gcd(mant, den);
  return { num: (sign * mant) / g, den: den / g };
}

/** Nearest double to num/den (correct to well under one ulp for the magnitudes used here). */
export function toNumber(num: bigint, den: bigint): number {
  if (den === 0n) return num === 0n ? 0 : num > 0n ? Infinity : -Infinity;
  if (num === 0n) return 0;
  const neg = num < 0n !== den < 0n;
  const a = num < 0n ? -num : num;
  const b = den < 0n ? -den : den;
  // scale so the integer quotient has ~64 significant bits, then one rounding step in Number()
  const shift = 64 - (bitLength(a) - bitLength(b));
  const q = shift >= 0 ? (a << BigInt(shift)) / b : a / (b << BigInt(-shift));
  const v = Number(q) * 2 ** -shift;
  return neg ? -v : v;
}

// ---- fixed-point ln / exp (only for exponents whose reduced fraction is too large for exact roots) ----

const F = 192n;
const ONE = 1n << F;

/** atanh(z) in fixed point 2^f (z too). */
function atanhSeries(z: bigint, f = F): bigint {
  // odd function: work on |z| so the shifted terms shrink to exactly 0 (a negative term would stick at −1)
  if (z < 0n) return -atanhSeries(-z, f);
  // atanh(z) = z + z^3/3 + z^5/5 …, |z| ≤ 1/3 → 3^-2 per term
  const z2 = (z * z) >> f;
  let term = z;
  let sum = 0n;
  for (let i = 1; term !== 0n; i += 2) {
    sum += term / smallBig(i);
    term = (term * z2) >> f;
  }
  return sum;
}

/** Series divisors as BigInts made once (a counter kept as a BigInt allocated two more of them per term). */
const smallBig = (i: number): bigint => (i < SMALL_BIGS.length ? SMALL_BIGS[i] : BigInt(i));
const SMALL_BIGS = Array.from({ length: 512 }, (_, i) => BigInt(i));

const LN2 = 2n * atanhSeries(ONE / 3n);

/** ln(num/den) · 2^192, |error| ≤ a few units in the last place. num, den > 0. */
function lnFixed(num: bigint, den: bigint): bigint {
  const k = bitLength(num) - bitLength(den);
  // m = (num/den) / 2^k in [0.5, 2)
  const m = k >= 0 ? (num << F) / (den << BigInt(k)) : (num << (F + BigInt(-k))) / den;
  const z = ((m - ONE) << F) / (m + ONE);
  return BigInt(k) * LN2 + 2n * atanhSeries(z);
}

/** exp(-u) · 2^f for u ≥ 0 (fixed 2^f; `ln2` is ln 2 at that precision). */
function expNegFixed(u: bigint, f = F, ln2 = LN2): bigint {
  const k = u / ln2;
  const s = u - k * ln2; // [0, ln2)
  // alternating Taylor series on magnitudes (a negative shifted term would never reach 0)
  let mag = 1n << f;
  let sum = 0n;
  for (let i = 1; mag !== 0n; i++) {
    sum += (i & 1) === 1 ? mag : -mag;
    mag = ((mag * s) >> f) / smallBig(i);
  }
  return k > 400n ? 0n : sum >> k;
}

/**
 * (num/den)^(a/b) · scale, rounded as asked, for any positive ratio. Small exponents (both parts ≤ 1024 after
 * reduction, like safe-bigmath's exact path) use exact integer roots; otherwise a 192-bit ln/exp whose error is
 * far below the 2^-100 margin we widen the result by, so 'floor' is always ≤ and 'ceil' always ≥ the true value.
 */
export function powRatioScaled(
  num: bigint,
  den: bigint,
  a: bigint,
  b: bigint,
  scale: bigint,
  rounding: 'floor' | 'ceil',
): bigint {
  if (num <= 0n || den <= 0n || a < 0n || b <= 0n) throw new RangeError('powRatioScaled: bad arguments');
  if (a === 0n) return scale;
  const g = gcd(a, b);
  a /= g;
  b /= g;
  if (a <= 1024n && b <= 1024n) {
    const n = num ** a * scale ** b;
    const d = den ** a;
    const q = n / d;
    const r = iroot(q, Number(b));
    if (rounding === 'floor') return r;
    return r ** b === q && q * d === n ? r : r + 1n;
  }
  if (num > den) {
    // A ratio above 1 (a limit order's price ratio on a re-weighted pool): v = ln(num/den)·a/b = k·ln2 + s
    // with s in [0, ln2), so the power is 2^k / e^−s, and e^−s ∈ (1/2, 1] comes from the same series.
    const v = (lnFixed(num, den) * a) / b;
    const k = v / LN2;
    const y = expNegFixed(v - k * LN2); // e^−s · 2^F
    const slack = (y >> 100n) + 1n; // 2^-100 relative, as the ≤ 1 path's margin
    if (rounding === 'floor') return ((((ONE * ONE) / (y + slack)) * scale) << k) >> F;
    return (((((ONE * ONE) / (y - slack) + 1n) * scale) << k) >> F) + 1n;
  }
  const u = (-lnFixed(num, den) * a) / b; // ≥ 0
  const e = expNegFixed(u);
  const margin = 1n << 92n; // ≈ 2^-100 relative to ONE; the series error is a few hundred ulps at most
  if (rounding === 'floor') {
    const lo = e - margin;
    return lo <= 0n ? 0n : (lo * scale) >> F;
  }
  return (((e + margin) * scale) >> F) + 1n;
}

// ---- safe-bigmath `pow_ratio_scaled`, to the bit (v0.4.1, the version subtensor @14bc6f9f pins) ----
// The chain's Balancer pool computes every swap exponent with this function. Its fallback path is a truncated
// ln/exp series whose exact rounding decides the last rao of a swap, so it is re-derived here step for step
// (floor divisions, round-half-away guard rounding, early exits) rather than approximated.

const SAFE_MAX_EXACT_EXPONENT = 1024n;
const SAFE_DEFAULT_MAX_ITERS = 4096;
const SAFE_GUARD_BITS = 24n;

/** floor(a / b) toward −∞ (BigInt `/` truncates). */
function floorDivSigned(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b !== 0n && (a < 0n) !== (b < 0n) ? q - 1n : q;
}

/**
 * Drop the guard bits (`round_to_precision`): truncating quotient by 2^g, then round half away from zero.
 * All scales here are powers of two, so every floor division is an arithmetic shift (BigInt `>>` floors).
 */
function roundGuard(v: bigint, g: bigint): bigint {
  const neg = v < 0n;
  const a = neg ? -v : v;
  let q = a >> g;
  const r = a - (q << g);
  if (r !== 0n && r << 1n >= 1n << g) q += 1n;
  return neg ? -q : q;
}

const absBig = (v: bigint): bigint => (v < 0n ? -v : v);

/** ln(1 + x) by its Taylor series in fixed point 2^p; stops when the guard-rounded sum settles. */
function ln1pSeries(x: bigint, p: bigint, g: bigint, maxIters: number): bigint {
  const guard = 1n << g;
  let term = x;
  let result = x;
  let prev = roundGuard(result, g);
  for (let n = 2; n <= maxIters; n++) {
    term = (term * x) >> p;
    if (term === 0n) break;
    const next = floorDivSigned(term, BigInt(n));
    if (next === 0n) break;
    result = n % 2 === 0 ? result - next : result + next;
    const rounded = roundGuard(result, g);
    if (absBig(next) < guard || rounded === prev) break;
    prev = rounded;
  }
  return result;
}

/** exp(x) by its Taylor series in fixed point 2^p, same stopping rule. */
function expSeries(x: bigint, p: bigint, g: bigint, maxIters: number): bigint {
  const guard = 1n << g;
  const scale = 1n << p;
  let term = scale;
  let result = scale;
  let prev = roundGuard(result, g);
  for (let n = 1; n <= maxIters; n++) {
    term = floorDivSigned(term * x, scale * BigInt(n));
    if (term === 0n) break;
    result += term;
    const rounded = roundGuard(result, g);
    if (absBig(term) < guard || rounded === prev) break;
    prev = rounded;
  }
  return result;
}

/** ln(value) for an integer value ≥ 1: mantissa normalised into [0.75, 1.5), plus shift·ln 2. */
function lnInteger(value: bigint, p: bigint, g: bigint, lnTwo: bigint, maxIters: number): bigint {
  const scale = 1n << p;
  let shift = BigInt(Math.max(0, bitLength(value) - 1));
  let mantissa = (value << p) >> shift;
  if (mantissa >= scale + (scale >> 1n)) {
    mantissa >>= 1n;
    shift += 1n;
  }
  return ln1pSeries(mantissa - scale, p, g, maxIters) + lnTwo * shift;
}

/** ln 2 of the series at one internal precision never changes: computed once per precision. */
const lnTwoCache = new Map<bigint, bigint>();
function lnTwoAt(p: bigint, g: bigint, maxIters: number): bigint {
  const key = (p << 16n) | BigInt(maxIters);
  let v = lnTwoCache.get(key);
  if (v === undefined) {
    v = -ln1pSeries(-(1n << (p - 1n)), p, g, maxIters);
    lnTwoCache.set(key, v);
  }
  return v;
}

/**
 * `SafeInt::pow_ratio_scaled(num, den, expNum, expDen, precision, scale)`: ⌊(num/den)^(expNum/expDen) · scale⌋ on
 * the exact integer path when the reduced exponent's parts are both ≤ 1024, else the crate's ln/exp series.
 * Returns null where the crate returns None (zero denominators, negative inputs).
 */
export function safePowRatioScaled(
  num: bigint,
  den: bigint,
  expNum: bigint,
  expDen: bigint,
  precision: number,
  scale: bigint,
): bigint | null {
  if (den === 0n || expDen === 0n) return null;
  if (num === 0n) return 0n;
  if (scale < 0n || num < 0n || den < 0n || expNum < 0n || expDen < 0n) return null;
  if (expNum === 0n) return scale;
  const g = gcd(expNum, expDen);
  if (g > 1n) {
    expNum /= g;
    expDen /= g;
  }
  if (expNum <= SAFE_MAX_EXACT_EXPONENT && expDen <= SAFE_MAX_EXACT_EXPONENT) {
    // largest r with r^expDen · den^expNum ≤ num^expNum · scale^expDen
    const target = (num ** expNum * scale ** expDen) / den ** expNum;
    return iroot(target, Number(expDen));
  }
  const requested = BigInt(Math.max(precision, 32, bitLength(scale) + 8));
  if (requested >= 200n && num <= den) {
    const fast = powBelowOneCertified(num, den, expNum, expDen, scale);
    if (fast !== null) return fast;
  }
  return safeSeriesPow(num, den, expNum, expDen, requested, scale);
}

/** The crate's ln/exp series itself (the fallback of `safePowRatioScaled`), for every case the fast path declines. */
export function safeSeriesPow(num: bigint, den: bigint, expNum: bigint, expDen: bigint, requested: bigint, scale: bigint): bigint {
  const internal = requested + SAFE_GUARD_BITS;
  const maxIters = Math.max(1, Math.min(SAFE_DEFAULT_MAX_ITERS, Number(internal) + 128));
  const targetScale = 1n << requested;
  const lnTwo = lnTwoAt(internal, SAFE_GUARD_BITS, maxIters);
  const lnBase = lnInteger(num, internal, SAFE_GUARD_BITS, lnTwo, maxIters) - lnInteger(den, internal, SAFE_GUARD_BITS, lnTwo, maxIters);
  const lnScaled = floorDivSigned(lnBase * expNum, expDen);
  const e = roundGuard(expSeries(lnScaled, internal, SAFE_GUARD_BITS, maxIters), SAFE_GUARD_BITS);
  return floorDivSigned(e * scale, targetScale);
}

/** Precision of the certified power: 2^-128 steps, 36 bits finer than its 2^-92 margin. */
const CERT_F = 128n;
const CERT_LN2 = 2n * atanhSeries((1n << CERT_F) / 3n, CERT_F);

/**
 * ⌊(num/den)^(a/b) · scale⌋ for 0 < num ≤ den without the crate's 280-bit series, when that is provably the
 * crate's answer. At the precisions the swap pallet asks for (≥ 256 bits) the series is within ~2^-240 of the
 * true power, so the crate returns ⌊true · scale⌋ unless an integer lies that close. Here the power is computed
 * on a 128-bit ln/exp (argument reduced to a ratio in (1/2, 1], so swaps near 1 need a few atanh terms): every
 * series term is floored to 2^-128 and ln 2 is within 2^-121, so ln(num/den) is within 2^-115 after ≤ 64 halvings,
 * u = −ln · a/b within 2^-108 for an exponent below 2^7 (pool weights 0.01–0.99), and e^−u (derivative ≤ 1; the
 * range reduction's error is divided by the same 2^k) within about 2^-108 of the true power. That is widened by
 * 2^-92; if the widened interval holds no integer its floor is the crate's, else null and the caller runs the
 * crate's series. (At 192 bits the same bound was 2^-180: the precision past the margin bought nothing.)
 */
function powBelowOneCertified(num: bigint, den: bigint, a: bigint, b: bigint, scale: bigint): bigint | null {
  const f = CERT_F;
  let k = bitLength(den) - bitLength(num);
  let n = num << BigInt(k);
  if (n > den) {
    n >>= 1n;
    k -= 1;
  }
  // den/2 < n ≤ den: z = (n − den)/(n + den) ∈ (−1/3, 0]
  const z = ((n - den) << f) / (n + den);
  const ln = 2n * atanhSeries(z, f) - BigInt(k) * CERT_LN2; // ln(num/den) ≤ 0
  const u = (-ln * a) / b;
  const e = expNegFixed(u, f, CERT_LN2);
  const margin = 1n << (f - 92n);
  if (e <= margin) return null;
  const lo = ((e - margin) * scale) >> f;
  const hi = ((e + margin) * scale) >> f;
  return lo === hi ? lo : null;
}
