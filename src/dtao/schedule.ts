/** When a subnet's epoch runs (and its pending alpha is paid). */
import { toInt } from '../validation/values.js';

function int(name: string, v: unknown): number {
  return toInt(v, name, 0, Number.MAX_SAFE_INTEGER);
}

/** Chain before 2026-06-25: epoch when (block + netuid + 1) mod (tempo + 1) = 0. */
export function blocksUntilNextEpochLegacy(netuid: number, tempo: number, block: number): number {
  netuid = int('netuid', netuid);
  tempo = int('tempo', tempo);
  block = int('block', block);
  if (tempo === 0) return Number.MAX_SAFE_INTEGER; // tempo 0 never runs
  return tempo - ((block + netuid + 1) % (tempo + 1));
}

/** HEAD scheduler: (LastEpochBlock + tempo) − block, saturating at 0. */
export function blocksUntilNextAutoEpoch(lastEpochBlock: number, tempo: number, block: number): number {
  lastEpochBlock = int('lastEpochBlock', lastEpochBlock);
  tempo = int('tempo', tempo);
  block = int('block', block);
  return Math.max(0, lastEpochBlock + tempo - block);
}
