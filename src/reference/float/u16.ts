/** `fixed_proportion_to_u16` in f64: floor(x·65535), clamped to [0, 65535]. */
export function proportionToU16(x: number): number {
  const y = Math.floor(x * 65535);
  return y < 0 ? 0 : y > 65535 ? 65535 : y;
}

export function vecToU16(v: Float64Array): Uint16Array {
  const out = new Uint16Array(v.length);
  for (let i = 0; i < v.length; i++) out[i] = proportionToU16(v[i]);
  return out;
}
