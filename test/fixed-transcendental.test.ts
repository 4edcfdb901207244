/**
 * Wasm transcendental functions (assembly/fixed/transcendental.ts, the ones the fixed kernel runs) == BigInt
 * reference, plus the values the chain's tests pin to the bit (exp(±20), sigmoid_safe, the halving table through
 * I96F32 log2, which only the BigInt arithmetic implements: block emission runs there).
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import * as R from '../src/fixed/substrate-fixed.js';
import { I32F32, I96F32, ONE, HALF, I64_MAX, I64_MIN } from '../src/fixed/substrate-fixed.js';
import { type Fn, loadFixedWasm } from './helpers/fixed-wasm.js';
import { vector } from './helpers/vectors.js';

const RUNS = { numRuns: 1000 };
let W: Record<string, Fn>;
beforeAll(async () => { W = await loadFixedWasm(); });
const flag = (name: string): boolean => Number(W[name]!()) !== 0;

const EDGES = [0n, 1n, -1n, 2n, 3n, ONE, -ONE, ONE - 1n, ONE + 1n, HALF, I64_MAX, I64_MIN, I64_MIN + 1n,
  20n << 32n, -20n << 32n, 21n << 32n, -21n << 32n, 22n << 32n, -(22n << 32n), 2n << 32n, (2n << 32n) - 1n];
const anyI64 = fc.oneof(
  fc.bigInt({ min: I64_MIN, max: I64_MAX }),
  fc.bigInt({ min: -(1n << 40n), max: 1n << 40n }), // around ±256, where exp starts and stops overflowing
  fc.bigInt({ min: -(30n << 32n), max: 30n << 32n }),
  fc.constantFrom(...EDGES),
);

const f32 = (x: number) => R.fromF32(I32F32, x);
const f64 = (x: number) => R.fromF64(I32F32, x);

describe('exp / exp_safe', () => {
  it('Wasm == reference (Err ↔ mathErr)', () => {
    fc.assert(fc.property(anyI64, (x) => {
      const r = R.exp(x);
      const w = W.exp!(x);
      expect(flag('mathErr')).toBe(r === null);
      if (r !== null) expect(w).toBe(r);
      expect(W.expSafe!(x)).toBe(R.expSafe(x));
    }), RUNS);
  });

  it('expSafePair (the liquid-alpha bonds loop batches two exp_safe): each lane == reference exp_safe', () => {
    fc.assert(fc.property(anyI64, anyI64, (a, b) => {
      W.expSafePair!(a, b);
      expect([W.expA!(), W.expB!()]).toEqual([R.expSafe(a), R.expSafe(b)]);
    }), RUNS);
    for (const a of EDGES) for (const b of EDGES) {
      W.expSafePair!(a, b);
      expect([W.expA!(), W.expB!()]).toEqual([R.expSafe(a), R.expSafe(b)]);
    }
  });

  it('expSafePair over its clamp range [−20, 20]: each lane == reference exp_safe at integers ± 1 raw, near 0 and ±ONE, random', () => {
    const xs: bigint[] = [];
    for (let k = -21n; k <= 21n; k++) for (const d of [-1n, 0n, 1n]) xs.push((k << 32n) + d);
    for (const c of [0n, ONE, -ONE, HALF, -HALF]) for (let d = -3n; d <= 3n; d++) xs.push(c + d);
    for (let i = 0; i < xs.length; i++) {
      const a = xs[i]!, b = xs[(i * 7 + 3) % xs.length]!;
      W.expSafePair!(a, b);
      expect([W.expA!(), W.expB!()]).toEqual([R.expSafe(a), R.expSafe(b)]);
    }
    const inRange = fc.oneof(fc.bigInt({ min: -(20n << 32n), max: 20n << 32n }), fc.bigInt({ min: -(2n << 32n), max: 2n << 32n }),
      fc.bigInt({ min: -(1n << 20n), max: 1n << 20n }));
    fc.assert(fc.property(inRange, inRange, (a, b) => {
      W.expSafePair!(a, b);
      expect([W.expA!(), W.expB!()]).toEqual([R.expSafe(a), R.expSafe(b)]);
    }), { numRuns: 4000 });
  });

  it('pinned values (test_math_exp_safe)', () => {
    expect(R.exp(0n)).toBe(ONE);
    expect(R.exp(ONE)).toBe(11_674_931_200n); // e as I9F23, widened
    expect(R.exp(20n << 32n)).toBe(2_066_907_302_758_576_256n);
    expect(R.exp(-20n << 32n)).toBe(8n);
    expect(W.exp!(20n << 32n)).toBe(2_066_907_302_758_576_256n);
    expect(W.exp!(-20n << 32n)).toBe(8n);
    // exp_safe clamps: −21 and MIN give exp(−20); 21 and MAX give exp(20)
    for (const x of [-20n << 32n, -21n << 32n, I64_MIN]) expect(W.expSafe!(x)).toBe(8n);
    for (const x of [20n << 32n, 21n << 32n, I64_MAX]) expect(W.expSafe!(x)).toBe(2_066_907_302_758_576_256n);
    // the crate's own test (exp_works): exp(−23) is Err in I32F32 — the series for +23 overflows before the reciprocal
    expect(R.exp(-23n << 32n)).toBeNull();
    expect(W.exp!(-23n << 32n)).toBe(0n);
    expect(flag('mathErr')).toBe(true);
    expect(R.toF64(I32F32, R.exp(5n << 32n)!)).toBeCloseTo(148.413159, 0);
    expect(R.exp(I64_MIN)).toBeNull(); // checked_neg
    expect(W.exp!(I64_MIN)).toBe(0n);
    expect(flag('mathErr')).toBe(true);
  });
});

describe('log2 / ln (I32F32) and log2 (I96F32)', () => {
  it('Wasm == reference', () => {
    fc.assert(fc.property(anyI64, (x) => {
      const l = R.log2(I32F32, x);
      const wl = W.log2!(x);
      expect(flag('mathErr')).toBe(l === null);
      if (l !== null) expect(wl).toBe(l);
      const n = R.ln(I32F32, x);
      expect(W.ln!(x)).toBe(n ?? 0n);
    }), RUNS);
    const anyI128 = fc.oneof(
      fc.bigInt({ min: -(1n << 127n), max: (1n << 127n) - 1n }),
      fc.bigInt({ min: 0n, max: 1n << 40n }),
      fc.tuple(fc.bigInt({ min: 1n, max: (1n << 127n) - 1n }), fc.integer({ min: 0, max: 126 })).map(([m, k]) => m >> BigInt(k)),
      fc.constantFrom(0n, 1n, 2n, ONE, ONE - 1n, 2n * ONE, (1n << 127n) - 1n, -(1n << 127n)),
    );
    fc.assert(fc.property(anyI128, (x) => {
      expect(R.log2(I96F32, x) === null).toBe(x <= 0n); // a positive I96F32's inverse never overflows
    }), RUNS);
  });

  it('literal values (crate tests, relative tolerances as there)', () => {
    expect(R.log2(I32F32, 0n)).toBeNull();
    expect(R.log2(I32F32, ONE)).toBe(0n);
    expect(R.log2(I32F32, 2n)).toBeNull(); // 1/x overflows I32F32
    expect(R.toF64(I32F32, R.log2(I32F32, 2n * ONE)!)).toBe(1);
    expect(R.toF64(I32F32, R.log2(I32F32, 4n * ONE)!)).toBe(2);
    expect(R.toF64(I32F32, R.ln(I32F32, 10n * ONE)!)).toBeCloseTo(2.30259, 4);
    expect(R.toF64(I32F32, R.log2(I32F32, f64(3.33333))!)).toBeCloseTo(1.73696, 4);
  });

  it('block emission halving table (root.rs test_halving) through I96F32 log2', () => {
    const table = vector('block_emission_halving_table');
    const issuance = table.inputs.total_issuance_rao as (number | string)[];
    const expected = table.expected.block_emission_rao as (number | string)[];
    issuance.forEach((iss, k) => {
      expect(R.blockEmissionForIssuance(BigInt(iss), 21_000_000_000_000_000n, 1_000_000_000n)).toBe(BigInt(expected[k]!));
    });
  });
});

describe('sigmoid_safe (test_math_sigmoid_safe, pins exp to the bit)', () => {
  const trust = [I64_MIN, 0n, f64(0.4), f64(0.5), f64(0.6), ONE, I64_MAX];
  const check = (xs: bigint[], rho: bigint, kappa: bigint, target: bigint[]) => {
    expect(xs.map((x) => R.sigmoidSafe(x, rho, kappa))).toEqual(target);
    expect(xs.map((x) => W.sigmoidSafe!(x, rho, kappa))).toEqual(target);
  };
  it('rho = kappa = MAX / MIN (f32 targets)', () => {
    const tiny = f32(0.0000000019);
    check(trust, I64_MAX, I64_MAX, [tiny, tiny, tiny, tiny, tiny, tiny, f32(0.5)]);
    check(trust, I64_MIN, I64_MIN, [f32(0.5), tiny, tiny, tiny, tiny, tiny, tiny]);
  });
  it('rho = 30, kappa = 0.5 (f64 targets)', () => {
    const target = [0.0000000019, 0.0000003057, 0.0474258729, 0.5, 0.952574127, 0.9999996943, 0.9999999981].map(f64);
    check(trust, 30n << 32n, f64(0.5), target);
  });
  it('rho = 40, kappa = 0.5 over f32 trust 0..1', () => {
    const xs = [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1].map(f32);
    const target = [0.0000000019, 0.0000001125, 0.0000061442, 0.0003353502, 0.017986214, 0.5, 0.9820138067,
      0.9996646498, 0.9999938558, 0.9999998875, 0.9999999981].map(f64);
    check(xs, 40n << 32n, f64(0.5), target);
  });
  it('Wasm == reference on random inputs', () => {
    fc.assert(fc.property(anyI64, anyI64, anyI64, (x, rho, kappa) => {
      expect(W.sigmoidSafe!(x, rho, kappa)).toBe(R.sigmoidSafe(x, rho, kappa));
    }), RUNS);
  });
});

describe('alpha_sigmoid (Yuma3 liquid alpha)', () => {
  const unit = fc.oneof(fc.bigInt({ min: 0n, max: ONE }), fc.constantFrom(0n, ONE, HALF));
  const u16 = fc.integer({ min: 0, max: 65535 }).map((x) => R.u16ProportionToFixed(BigInt(x)));
  const steep = fc.integer({ min: -32768, max: 32767 }).map((s) => BigInt(s) << 32n);
  it('Wasm == reference (epoch-range inputs and full-range inputs)', () => {
    fc.assert(fc.property(unit, unit, unit, u16, u16, steep, (c, w, b, lo, hi, s) => {
      expect(W.alphaSigmoid!(c, w, b, lo, hi, s)).toBe(R.alphaSigmoid(c, w, b, lo, hi, s));
    }), RUNS);
    fc.assert(fc.property(anyI64, anyI64, anyI64, anyI64, anyI64, anyI64, (c, w, b, lo, hi, s) => {
      expect(W.alphaSigmoid!(c, w, b, lo, hi, s)).toBe(R.alphaSigmoid(c, w, b, lo, hi, s));
    }), RUNS);
  });
  it('defaults: lo = 45875/65535 = 3 006 509 875 raw, steepness 1000 → slope −10', () => {
    const lo = R.u16ProportionToFixed(45875n);
    const hi = R.u16ProportionToFixed(58982n);
    expect(lo).toBe(3_006_509_875n);
    expect(R.satDiv(I32F32, 1000n << 32n, -100n << 32n)).toBe(-10n << 32n);
    // d = ½ → exp(0) = 1 → σ = ½ exactly → α = lo + (hi − lo)/2 (floored)
    const a = R.alphaSigmoid(0n, HALF, 0n, lo, hi, 1000n << 32n);
    expect(a).toBe(lo + R.mulSat(I32F32, HALF, hi - lo));
    expect(W.alphaSigmoid!(0n, HALF, 0n, lo, hi, 1000n << 32n)).toBe(a);
  });
});
