// Small helpers the research loader and its tests call.
import { expDet, expDet2 } from './exp';
import { scratchBytes } from './job';

export function researchScratchBytes(v: i32, m: i32): usize {
  return scratchBytes(v, m);
}

/** e^x in place over n f64 at p, pairs through the vector code and an odd last entry through the scalar one. */
export function researchExpMap(p: usize, n: i32): void {
  let i = 0;
  for (; i + 2 <= n; i += 2) v128.store(p + (<usize>i << 3), expDet2(v128.load(p + (<usize>i << 3))));
  for (; i < n; i++) store<f64>(p + (<usize>i << 3), expDet(load<f64>(p + (<usize>i << 3))));
}

/**
 * f64 → float32 (round to nearest even, as Float32Array.set rounds) of n entries from src to dst: float32
 * epochs fed f64 weights convert them in chunks through a small staging buffer, about three times as fast as
 * the conversion inside Float32Array.set.
 */
export function researchToF32(dst: usize, src: usize, n: i32): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const lo = f32x4.demote_f64x2_zero(v128.load(src + (<usize>i << 3)));
    const hi = f32x4.demote_f64x2_zero(v128.load(src + (<usize>i << 3), 16));
    v128.store(dst + (<usize>i << 2), i8x16.shuffle(lo, hi, 0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23));
  }
  for (; i < n; i++) store<f32>(dst + (<usize>i << 2), <f32>load<f64>(src + (<usize>i << 3)));
}
