/**
 * Scalar fixed-point helpers of the chain's `tests/math.rs` (test/fixtures/subtensor-test-vectors.json, transcribed
 * from subtensor 14bc6f9f) on the BigInt reference, and on the Wasm ops where one exists.
 */
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import * as R from '../src/reference/fixed.js';
import { I32F32, I64F64, ONE, I64_MAX, I64_MIN, U64_MAX } from '../src/reference/fixed.js';
import { type Fn, loadFixedWasm, u64 } from './helpers/fixed-wasm.js';

let W: Record<string, Fn>;
beforeAll(async () => { W = await loadFixedWasm(); });

interface Vector { name: string; inputs: Record<string, unknown>; expected: Record<string, unknown> }
// integers beyond 2^53 are quoted before parsing so they survive as exact strings
const text = readFileSync('test/fixtures/subtensor-test-vectors.json', 'utf8').replace(/(?<=[[,:]\s*)(-?\d{16,})(?=[\s,\]}])/g, '"$1"');
const vectors = (JSON.parse(text) as { vectors: Vector[] }).vectors;
const vec = (name: string): Vector => {
  const v = vectors.find((x) => x.name === name);
  if (!v) throw new Error(`missing vector ${name}`);
  return v;
};
const big = (x: unknown): bigint => BigInt(x as string | number);
const f32 = (x: number) => R.fromF32(I32F32, x);
const f64 = (x: number) => R.fromF64(I32F32, x);

describe('vec_max_upscale_to_u16 / vec_u16_max_upscale_to_u16', () => {
  it('f32 cases', () => {
    const v = vec('vec_max_upscale_to_u16');
    const inputs = v.inputs.f32_cases as number[][];
    const expected = v.expected.f32_cases as number[][];
    inputs.forEach((xs, k) => {
      expect(R.vecMaxUpscaleToU16(xs.map(f32)).map(Number)).toEqual(expected[k]);
    });
  });
  it('raw I32F32 cases', () => {
    const v = vec('vec_max_upscale_to_u16');
    const inputs = v.inputs.raw_i32f32_bits_cases as unknown[][];
    const expected = v.expected.raw_i32f32_bits_cases as number[][];
    inputs.forEach((xs, k) => {
      expect(R.vecMaxUpscaleToU16(xs.map(big)).map(Number)).toEqual(expected[k]);
    });
  });
  it('u16 cases (set_weights storage) and two worked examples', () => {
    const v = vec('vec_u16_max_upscale_to_u16');
    const inputs = v.inputs.cases as number[][];
    const expected = v.expected.cases as number[][];
    inputs.forEach((xs, k) => {
      expect(R.vecU16MaxUpscaleToU16(xs.map(BigInt)).map(Number)).toEqual(expected[k]);
    });
    expect(R.vecU16MaxUpscaleToU16([43690n, 21845n])).toEqual([65535n, 32768n]);
    expect(R.vecU16MaxUpscaleToU16([16383n, 32767n, 49149n, 65535n])).toEqual([16383n, 32767n, 49149n, 65535n]);
  });
  it('check_vec_max_limited', () => {
    const v = vec('check_vec_max_limited');
    const cases = v.inputs.cases as { vec: number[]; max_limit: number }[];
    const expected = v.expected.cases as boolean[];
    cases.forEach((c, k) => {
      expect(R.checkVecMaxLimited(c.vec.map(BigInt), BigInt(c.max_limit))).toBe(expected[k]);
    });
  });
});

describe('stake normalisation (test_math_u64_normalization)', () => {
  const maxSum = 21_000_000_000_000_000n;
  const div64 = (a: bigint) => R.safeDiv(I64F64, R.u64ToI64F64(a), R.u64ToI64F64(maxSum));
  it('I64F64 quotients and their I32F32 truncations', () => {
    const values = vec('u64_normalization_I64F64_to_I32F32').inputs.values as Record<string, number>;
    expect(BigInt(values.max!)).toBe(maxSum);
    expect(div64(1n)).toBe(R.fromF64(I64F64, 0.0000000000000000476));
    expect(R.convert(I64F64, I32F32, div64(1n))).toBe(0n);
    expect(div64(4_889_444n)).toBe(R.fromF64(I64F64, 0.00000000023283066664));
    expect(R.convert(I64F64, I32F32, div64(4_889_444n))).toBe(f64(0.0000000002));
    expect(f64(0.0000000002)).toBe(1n);
    expect(div64(10_500_000_000_000_000n)).toBe(R.fromF64(I64F64, 0.5));
    expect(div64(maxSum)).toBe(1n << 64n);
    for (const [stake, want] of [[1n, 0n], [4_889_444n, 1n], [10_500_000_000_000_000n, ONE / 2n], [maxSum, ONE]] as const) {
      expect(R.stakeProportion(R.u64ToI64F64(stake), R.u64ToI64F64(maxSum))).toBe(want);
      expect(W.stakeProportionU64!(stake, maxSum)).toBe(want);
    }
  });
});

describe('scalar constants of the epoch', () => {
  it('bonds moving average → α (test_math_fixed_overflow)', () => {
    expect(R.alphaFromBondsMovingAverage(900_000n)).toBe(f64(0.1));
    expect(R.alphaFromBondsMovingAverage(900_000n)).toBe(429_496_730n);
    expect(W.alphaFromBondsMovingAverage!(900_000n)).toBe(429_496_730n);
    expect(W.alphaFromBondsMovingAverage!(975_000n)).toBe(107_374_183n);
    // I64F64(max_32) / I64F64(max_32) = 1 → α = 0
    const m = R.convert(I32F32, I64F64, I64_MAX);
    expect(R.satSub(I32F32, ONE, R.convert(I64F64, I32F32, R.safeDiv(I64F64, m, m)))).toBe(0n);
  });
  it('kappa 32767 → 2 147 450 879; alpha bounds', () => {
    expect(R.safeDiv(I32F32, 32767n << 32n, 65535n << 32n)).toBe(2_147_450_879n);
    expect(W.safeDiv!(32767n << 32n, 65535n << 32n)).toBe(2_147_450_879n);
    expect(W.u16ProportionToFixed!(32767)).toBe(2_147_450_879n);
    expect(R.u16ProportionToFixed(45875n)).toBe(3_006_509_875n);
    // set_alpha_values_32 stores floor(I32F32(x)·65535): 0.1 → 6553, 0.3 → 19660
    expect(R.fixedProportionToU16(f32(0.1))).toBe(6553n);
    expect(R.fixedProportionToU16(f32(0.3))).toBe(19660n);
    expect(Number(W.fixedProportionToU16!(f32(0.1)))).toBe(6553);
    // get_alpha_values_32 of the stored (1638, 65525) is within 1e-6 of u16/65535
    for (const a of [1638n, 65525n]) {
      expect(Math.abs(R.toF64(I32F32, R.u16ProportionToFixed(a)) - Number(a) / 65535)).toBeLessThan(1e-6);
    }
  });
  it('fixed conversions (test_math_fixed_to_u16 … test_vec_fixed64_to_fixed32_saturates, test_math_to_num)', () => {
    for (const x of [0n, 32767n, 65535n]) {
      expect(R.toU16Sat(I32F32, x << 32n)).toBe(x);
      expect(Number(W.floorToU16!(x << 32n))).toBe(Number(x));
      expect(R.u16ToFixed(x)).toBe(R.fromInt(I32F32, x));
      expect(W.fromU16!(Number(x))).toBe(x << 32n);
    }
    expect(R.toU64Sat(I32F32, -ONE)).toBe(0n);
    expect(W.floorToU64!(-ONE)).toBe(0n);
    for (const x of [0n, 4_611_686_018_427_387_903n, 9_223_372_036_854_775_807n]) {
      expect(R.toU64Sat(I64F64, R.u64ToI64F64(x))).toBe(x);
    }
    expect(R.toU64Sat(I64F64, R.fromInt(I64F64, -1n))).toBe(0n);
    for (const x of [0n, 2_147_483_647n]) expect(R.convert(I64F64, I32F32, R.fromInt(I64F64, x))).toBe(x << 32n);
    expect(R.convert(I64F64, I32F32, R.fromInt(I64F64, 4_294_967_295n))).toBe(I64_MAX);
    expect(R.convert(I64F64, I32F32, R.fromInt(I64F64, -2_147_483_648n))).toBe(I64_MIN);
    expect(R.convert(I64F64, I32F32, R.fromInt(I64F64, I64_MAX))).toBe(I64_MAX);
    expect(W.i64f64ToI32F32!(0n, 4_294_967_295n)).toBe(I64_MAX);
    expect(R.u16ProportionToFixed(0n)).toBe(0n);
    expect(R.fixedProportionToU16(0n)).toBe(0n);
    expect(R.fixedProportionToU16(65535n << 32n)).toBe(65535n); // saturates
    expect(Number(W.fixedProportionToU16!(65535n << 32n))).toBe(65535);
    // to_num: I32F32::MAX → u64 = 2^31 − 1; I96F32(u64::MAX) → u64::MAX
    expect(u64(W.floorToU64!(I64_MAX))).toBe(2_147_483_647n);
    expect(R.toU64Sat(R.I96F32, R.fromInt(R.I96F32, U64_MAX))).toBe(U64_MAX);
  });
  it('emission split of a normalised share (I96F32 product, as run_epoch.rs)', () => {
    // share ONE/2 of 1e9 rao, share ONE of u64::MAX rao, and the largest share of u64::MAX (clamped)
    expect(u64(W.emissionShare!(ONE / 2n, 1_000_000_000n))).toBe(500_000_000n);
    expect(u64(W.emissionShare!(ONE, U64_MAX))).toBe(U64_MAX);
    expect(u64(W.emissionShare!(I64_MAX, U64_MAX))).toBe(U64_MAX);
    expect(u64(W.emissionShare!(-1n, 1_000_000_000n))).toBe(0n);
  });
});
