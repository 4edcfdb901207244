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

/**
 * An honest validator's row: each miner's quality (as seen `lag` epochs ago) times log-normal noise, as
 * `clientWeights` makes it from every miner's uid and value (the same draws, the same doubles), but with the values
 * drawn into one scratch array instead of two lists made and copied per row (the simulator's largest allocation).
 */
export function noisyQualityRow(quality: Float64Array, firstMiner: number, noise: number, rng: Rng): WeightsSubmission {
  const n = quality.length;
  const count = Math.max(0, n - firstMiner);
  if (rowScratch.length < count) rowScratch = new Float64Array(Math.max(count, 2 * rowScratch.length));
  const raw = rowScratch;
  let max = 0;
  for (let k = 0; k < count; k++) {
    const q = quality[firstMiner + k];
    const v = noise > 0 ? q * Math.exp(noise * rng.normal()) : q;
    raw[k] = v;
    if (v > max) max = v;
  }
  if (!(max > 0)) return { uids: [], values: [] };
  const out: WeightsSubmission = { uids: new Array(count), values: new Array(count) };
  for (let k = 0; k < count; k++) {
    out.uids[k] = firstMiner + k;
    out.values[k] = Math.round((raw[k] / max) * 65535);
  }
  return out;
}
let rowScratch = new Float64Array(256);

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
