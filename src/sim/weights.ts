import type { SparseRow } from '../epoch/types.js';
import type { Rng } from './rng.js';

/**
 * A weight row as `set_weights` stores it: the largest value is scaled to 65535 and the rest in proportion
 * (the chain's max-upscale). Listed zeros are kept, as the chain stores them (they matter to Yuma3 with liquid
 * alpha on the sparse path); uids ascend.
 */
export function maxUpscaleRow(uids: ArrayLike<number>, values: ArrayLike<number>): SparseRow {
  let max = 0;
  for (let k = 0; k < values.length; k++) if (values[k] > max) max = values[k];
  const row: SparseRow = [];
  if (!(max > 0)) return row;
  for (let k = 0; k < values.length; k++) {
    row.push([uids[k], Math.round((values[k] / max) * 65535)]);
  }
  return row;
}

/** An honest validator's row: each miner's quality (as seen `lag` epochs ago) times log-normal noise. */
export function noisyQualityRow(quality: Float64Array, firstMiner: number, noise: number, rng: Rng): SparseRow {
  const n = quality.length;
  const uids = new Array<number>(n - firstMiner);
  const values = new Array<number>(n - firstMiner);
  for (let j = firstMiner; j < n; j++) {
    uids[j - firstMiner] = j;
    values[j - firstMiner] = noise > 0 ? quality[j] * Math.exp(noise * rng.normal()) : quality[j];
  }
  return maxUpscaleRow(uids, values);
}

/** A weight copier's row: last epoch's consensus, max-upscaled (empty before the first epoch). */
export function copyConsensusRow(consensus: Uint16Array | null): SparseRow {
  if (consensus === null) return [];
  const uids: number[] = [];
  const values: number[] = [];
  for (let j = 0; j < consensus.length; j++) {
    if (consensus[j] > 0) {
      uids.push(j);
      values.push(consensus[j]);
    }
  }
  return maxUpscaleRow(uids, values);
}

/** All weight on the given uids (a cabal's miners, or a self-dealer's own miner). */
export function ownMinersRow(uids: number[]): SparseRow {
  return [...uids].sort((a, b) => a - b).map((j): [number, number] => [j, 65535]);
}
