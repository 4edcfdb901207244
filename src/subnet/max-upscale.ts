import { vecU16MaxUpscaleToU16 as upscaleRaw } from '../fixed/substrate-fixed.js';

/**
 * What `set_weights` stores for a row of u16 weights: max-upscaled so the largest entry becomes 65535, in the
 * chain's I32F32 arithmetic (`vec_u16_max_upscale_to_u16`, e.g. [43690, 21845] → [65535, 32768]).
 */
export function vecU16MaxUpscaleToU16(values: readonly number[]): number[] {
  let max = 0;
  for (const v of values) if (v > max) max = v;
  // A row whose largest entry is already 65535 scales by exactly 1 (65535/65535 in I32F32), so every entry stays:
  // what a validator client that normalises its weights (the Python SDK does) always submits.
  if (max === 65535) return values.slice();
  return upscaleRaw(values.map((v) => BigInt(v))).map(Number);
}
