import { proportionToU16 } from '../../epoch/float-rules.js';

// `fixed_proportion_to_u16` in f64 is library code (metagraphView runs it too); the reference imports it.
export { proportionToU16 };

export function vecToU16(v: Float64Array): Uint16Array {
  const out = new Uint16Array(v.length);
  for (let i = 0; i < v.length; i++) out[i] = proportionToU16(v[i]);
  return out;
}
