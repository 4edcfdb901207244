/**
 * Which UID a registration replaces when the subnet is full (`get_neuron_to_prune`): the lowest `Emission`,
 * ties broken by the older registration and then the lower UID. Immune UIDs (registered less than
 * `immunityPeriod` blocks ago) are only taken when pruning a non-immune one would leave `minNonImmuneUids`
 * or fewer of them; the owner's hotkey is never taken.
 */
export interface PruneCandidateState {
  n: number;
  currentBlock: number;
  emission: readonly bigint[];
  blockAtRegistration: readonly number[];
  immunityPeriod: number;
  minNonImmuneUids: number;
  /** UIDs that can never be pruned (the subnet owner's hotkey). */
  immortal: ReadonlySet<number>;
}

type Candidate = { emission: bigint; reg: number; uid: number };

function better(a: Candidate, b: Candidate | null): boolean {
  if (b === null) return true;
  if (a.emission !== b.emission) return a.emission < b.emission;
  if (a.reg !== b.reg) return a.reg < b.reg;
  return a.uid < b.uid;
}

export function neuronToPrune(s: PruneCandidateState): number | null {
  let free = 0;
  let bestFree: Candidate | null = null;
  let bestImmune: Candidate | null = null;
  for (let uid = 0; uid < s.n; uid++) {
    if (s.immortal.has(uid)) continue;
    const reg = s.blockAtRegistration[uid];
    const c: Candidate = { emission: s.emission[uid] ?? 0n, reg, uid };
    // saturating_sub: a registration "in the future" counts as age 0.
    const immune = Math.max(0, s.currentBlock - reg) < s.immunityPeriod;
    if (immune) {
      if (better(c, bestImmune)) bestImmune = c;
    } else {
      free++;
      if (better(c, bestFree)) bestFree = c;
    }
  }
  if (bestFree !== null && free > s.minNonImmuneUids) return bestFree.uid;
  return bestImmune?.uid ?? null;
}
