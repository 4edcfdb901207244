import { vecU16MaxUpscaleToU16 as upscaleRaw } from '../fixed/substrate-fixed.js';

/**
 * What `set_weights` stores for a row of u16 weights: max-upscaled so the largest entry becomes 65535, in the
 * chain's I32F32 arithmetic (`vec_u16_max_upscale_to_u16`, e.g. [43690, 21845] → [65535, 32768]).
 */
export function vecU16MaxUpscaleToU16(values: readonly number[]): number[] {
  return upscaleRaw(values.map((v) => BigInt(v))).map(Number);
}
