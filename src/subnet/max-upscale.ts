import { vecU16MaxUpscaleToU16 as upscaleRaw } from '../fixed/substrate-fixed.js';
import { MAX_UIDS } from '../epoch/limits.js';
import { readList } from '../validation/read.js';
import { toU16List } from '../validation/values.js';

/**
 * What `set_weights` stores for a row of u16 weights: max-upscaled so the largest entry becomes 65535, in the
 * chain's I32F32 arithmetic (`vec_u16_max_upscale_to_u16`, e.g. [43690, 21845] → [65535, 32768]). At most
 * MAX_UIDS values (a row has one per UID).
 */
export function vecU16MaxUpscaleToU16(values: readonly number[]): number[] {
  return upscaleU16Row(toU16List(readList(values, 'values', MAX_UIDS, true), 'values')).slice();
}

/** `vecU16MaxUpscaleToU16` of a row already read as u16s (a `WeightsRow`'s values); the row itself when it is already scaled. */
export function upscaleU16Row(row: readonly number[]): readonly number[] {
  let max = 0;
  for (let k = 0; k < row.length; k++) if (row[k] > max) max = row[k];
  // A row whose largest entry is already 65535 scales by exactly 1 (65535/65535 in I32F32), so every entry stays:
  // what a validator client that normalises its weights (the Python SDK does) always submits.
  if (max === 65535) return row;
  return upscaleRaw(row.map((v) => BigInt(v))).map(Number);
}
