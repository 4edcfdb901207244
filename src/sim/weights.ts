import type { Rng } from '../rng.js';

/** What a validator submits to `set_weights`: target uids and u16 values (the chain max-upscales and stores them). */
export interface WeightsSubmission {
  uids: number[];
  values: number[];
}

/**
 * A validator client's u16 weights, as the Python SDK's `convert_weights_and_uids_for_emit` makes them: the largest
 * value becomes 65535 and the rest in proportion (rounded). Listed zeros are kept (the chain stores them; they
 * matter to Yuma3 with liquid alpha on the sparse path); uids ascend as given. Empty when no value is positive.
 */
export function clientWeights(uids: ArrayLike<number>, values: ArrayLike<number>): WeightsSubmission {
  let max = 0;
  for (let k = 0; k < values.length; k++) if (values[k] > max) max = values[k];
  if (!(max > 0)) return { uids: [], values: [] };
  const out: WeightsSubmission = { uids: new Array(values.length), values: new Array(values.length) };
  for (let k = 0; k < values.length; k++) {
    out.uids[k] = uids[k];
    out.values[k] = Math.round((values[k] / max) * 65535);
  }
  return out;
}

/** An honest validator's row: each miner's quality (as seen `lag` epochs ago) times log-normal noise. */
export function noisyQualityRow(quality: Float64Array, firstMiner: number, noise: number, rng: Rng): WeightsSubmission {
  const n = quality.length;
  const uids = new Array<number>(n - firstMiner);
  const values = new Array<number>(n - firstMiner);
  for (let j = firstMiner; j < n; j++) {
    uids[j - firstMiner] = j;
    values[j - firstMiner] = noise > 0 ? quality[j] * Math.exp(noise * rng.normal()) : quality[j];
  }
  return clientWeights(uids, values);
}

/** A weight copier's row: last epoch's consensus (empty before the first epoch). */
export function copyConsensusRow(consensus: ArrayLike<number> | null): WeightsSubmission {
  if (consensus === null) return { uids: [], values: [] };
  const uids: number[] = [];
  const values: number[] = [];
  for (let j = 0; j < consensus.length; j++) {
    if (consensus[j] > 0) {
      uids.push(j);
      values.push(consensus[j]);
    }
  }
  return clientWeights(uids, values);
}

/** All weight on the given uids (a cabal's miners, or a self-dealer's own miner). */
export function ownMinersRow(uids: number[]): WeightsSubmission {
  const sorted = [...uids].sort((a, b) => a - b);
  return { uids: sorted, values: sorted.map(() => 65535) };
}
