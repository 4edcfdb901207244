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
