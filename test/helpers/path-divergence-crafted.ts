/**
 * Crafted subnets for the path-divergence tests: one per path rule, each with exactly that rule as the cause of
 * the two paths' difference, on a base subnet both paths pay identically.
 */
import type { EpochInput, Hyperparams, MechanismEpochInput, SparseRow } from '../../src/epoch/types.js';
import { RAO } from '../../src/units.js';

/**
 * A small subnet both paths pay identically: validators 0 (600 TAO) and 1 (400 TAO) with stored permits weight
 * miners 2 and 3; everyone registered at block 1 and active; no owner, no commits, no bonds.
 */
export function subnet(over: Partial<EpochInput> = {}): EpochInput {
  return {
    n: 4,
    currentBlock: 1000,
    tempo: 360,
    lastStepBlock: 0,
    stake: [600n * RAO, 400n * RAO, 0n, 0n],
    weights: [[[2, 65535], [3, 32768]], [[2, 65535], [3, 16384]], [], []],
    bonds: [[], [], [], []],
    lastUpdate: [999, 999, 999, 999],
    blockAtRegistration: [1, 1, 1, 1],
    validatorPermit: [true, true, false, false],
    raoEmission: 1_000_000_000n,
    ...over,
  };
}

export const YUMA3_LIQUID: Partial<Hyperparams> = { yuma3Enabled: true, liquidAlphaEnabled: true };

/** One crafted subnet per path rule, each with exactly that rule as the cause. */
export const CRAFTED: Array<{ cause: string; input: EpochInput; hyper?: Partial<Hyperparams> }> = [
  {
    // the owner (UID 0, 100 TAO) is below the 500 TAO threshold: only the sparse path counts its stake
    cause: 'owner-permit',
    input: subnet({ ownerUid: 0, stake: [100n * RAO, 900n * RAO, 0n, 0n] }),
    hyper: { stakeThreshold: 500n * RAO },
  },
  {
    // the owner weights itself: only the sparse path keeps that weight, and UID 0 earns incentive
    cause: 'owner-self-weight',
    input: subnet({ ownerUid: 0, weights: [[[0, 65535], [2, 65535]], [[2, 65535], [3, 16384]], [], []] }),
  },
  {
    // validator 0's weights come from a commit at block 500, before miner 3 registered (block 600)
    cause: 'commit-reveal',
    input: subnet({ commitBlocks: [500, null, null, null], blockAtRegistration: [1, 1, 1, 600] }),
  },
  {
    // miner 3 holds a bond row without any permit: the sparse path empties it, the dense path leaves it
    cause: 'bond-writeback',
    input: subnet({ bonds: [[], [], [], [[2, 1000]]] }),
  },
  {
    // Yuma3 + liquid alpha: validator 0 holds a bond to miner 3 but no longer weights it; validator 1 (60 %) does,
    // so miner 3 earns incentive and the dense path still pays validator 0 a share of it
    cause: 'liquid-alpha-bond-drop',
    input: subnet({
      stake: [400n * RAO, 600n * RAO, 0n, 0n],
      weights: [[[2, 65535]], [[2, 65535], [3, 65535]], [], []],
      bonds: [[[3, 30000]], [], [], []],
    }),
    hyper: YUMA3_LIQUID,
  },
  {
    // the same, but validator 0 stores an explicit 0 for miner 3; a bonds penalty of 0.5 drops the stored zero
    cause: 'stored-zero-weights',
    input: subnet({
      stake: [400n * RAO, 600n * RAO, 0n, 0n],
      weights: [[[2, 65535], [3, 0]], [[2, 65535], [3, 65535]], [], []],
      bonds: [[[3, 30000]], [], [], []],
    }),
    hyper: { ...YUMA3_LIQUID, bondsPenalty: 32768 },
  },
  {
    // validator 1 (60 %) does not weight miner 3, so its consensus is 0 and validator 0's weight is clipped away
    cause: 'zero-consensus-bond-drop',
    input: subnet({
      stake: [400n * RAO, 600n * RAO, 0n, 0n],
      weights: [[[2, 65535], [3, 65535]], [[2, 65535]], [], []],
      bonds: [[[3, 30000]], [], [], []],
    }),
    hyper: YUMA3_LIQUID,
  },
];

/**
 * Two mechanisms; UID 2 (300 TAO) has no stored permit but earns one this epoch, and weights miner 3 only in
 * mechanism 1. The dense twin stores ValidatorPermit inside mechanism 0's epoch, so mechanism 1 counts UID 2.
 */
export const MECHANISM_PERMITS_CAUSE = 'mechanism-permits';
export function twoMechanisms(): MechanismEpochInput {
  const blank: SparseRow[] = [[], [], [], []];
  return {
    n: 4,
    currentBlock: 1000,
    tempo: 360,
    lastStepBlock: 0,
    stake: [600n * RAO, 400n * RAO, 300n * RAO, 0n],
    blockAtRegistration: [1, 1, 1, 1],
    validatorPermit: [true, true, false, false],
    raoEmission: 1_000_000_000n,
    mechanisms: [
      { weights: [[[3, 65535]], [[3, 65535]], [], []], bonds: blank, lastUpdate: [999, 999, 999, 999] },
      { weights: [[[3, 65535]], [[3, 30000]], [[3, 65535]], []], bonds: blank, lastUpdate: [999, 999, 999, 999] },
    ],
  };
}
