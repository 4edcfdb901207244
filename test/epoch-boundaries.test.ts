/**
 * Crafted epochs that sit exactly on the chain's comparison boundaries, one per `<` / `<=` that decides an output:
 * the weighted median's partition tests and its empty-side guards, which UIDs vote, top-k permits (ties, zeros,
 * k), activity (and its saturating add), stake threshold, recent registrations (both `lastTempo` forms and the
 * saturating subtraction), outdated weights, the commit-reveal mask, the permit vector's length, and the sparse
 * path's clipping / weights-for-bonds presence rules. Each expected value is what `run_epoch.rs` / `math.rs` at
 * 14bc6f9f give, worked out from their literal comparisons in the comments; moving any of those comparisons by one
 * (`<` ↔ `<=`) changes the asserted output. test/mutants/ lists those mutations and re-checks that this file
 * catches each.
 */
import { describe, expect, it } from 'vitest';
import type { ChainPath, EpochInput, EpochOutput, Hyperparams, SparseRow } from '../src/epoch/types.js';
import { FIXED_VARIANTS, FLOAT_VARIANTS, type Variant } from './helpers/variants.js';

const FIXED = FIXED_VARIANTS;
const FLOAT = FLOAT_VARIANTS;
const ALL = [...FIXED, ...FLOAT];
const PATHS: ChainPath[] = ['sparse', 'dense'];
const U64_MAX = (1n << 64n) - 1n;

/** A subnet at block 1000 (tempo 360, no previous epoch): everyone registered at 10, weights set at 900. */
function subnet(n: number, o: Partial<EpochInput> & { rows?: Record<number, SparseRow>; bondRows?: Record<number, SparseRow> } = {}): EpochInput {
  const { rows, bondRows, ...rest } = o;
  return {
    n,
    currentBlock: 1000n,
    tempo: 360,
    lastStepBlock: 0n,
    stake: Array.from({ length: n }, () => 0n),
    weights: Array.from({ length: n }, (_, i) => rows?.[i] ?? []),
    bonds: Array.from({ length: n }, (_, i) => bondRows?.[i] ?? []),
    lastUpdate: Array.from({ length: n }, () => 900n),
    blockAtRegistration: Array.from({ length: n }, () => 10n),
    validatorPermit: Array.from({ length: n }, () => true),
    raoEmission: 1_000_000_000n,
    ...rest,
  };
}

function forAll(variants: Variant[], paths: ChainPath[], input: EpochInput, hyper: Partial<Hyperparams>, check: (out: EpochOutput, tag: string, v: Variant, path: ChainPath) => void): void {
  for (const v of variants) {
    for (const path of paths) check(v.engine.epoch(input, hyper, { mode: v.mode, path }), `${v.label}/${path}`, v, path);
  }
}

/** An f64 view within 1e-9 of the exact proportion (fixed views are raw / 2^32), and its u16 within one step. */
function expectProportion(view: number, u16: number, exact: number, tag: string): void {
  expect(Math.abs(view - exact), `${tag}: ${view} vs ${exact}`).toBeLessThan(1e-9);
  expect(Math.abs(u16 - Math.floor(exact * 65535)), `${tag}: u16 ${u16}`).toBeLessThanOrEqual(1);
}

/** Stored bond (i, j) of a sparse-layout output, or undefined when the row does not list j. */
function bondAt(out: EpochOutput, i: number, j: number): number | undefined {
  return (out.bonds as SparseRow[])[i].find(([c]) => c === j)?.[1];
}

// ---------------------------------------------------------------------------------------------------------------

describe('weighted median: partition tests', () => {
  it('minority equal to the stake below the heaviest voter: the median stays at the pivot (0.5, not 0.2)', () => {
    // Stakes sum to 2^32 rao, so every stake weight is exact in I32F32 (raw = rao) and the voters' renormalised
    // stakes are the same integers. κ = 32767 → majority raw 2 147 450 879, minority = 2^32 − that = 2 147 516 417
    // = the two light validators' stake, exactly. Column 3 scores: V0 0.5 (heaviest), V1 = V2 = 0.2.
    // The chain (middle pivot V1 = 0.2): lower is empty; hi − hiStake = 2^32 − 2 147 450 879 = minority and
    // `hi − hiStake <= minority` holds → upper = {V0} → 0.5. Heaviest-first pivot 0.5: lower stake = minority and
    // `minority < lo + loStake` fails → 0.5. With `<=` in the first test (or `<` in the second) the answer is 0.2.
    // Float mode decides on the same integers (the I32F32 stakes, held exactly), so it sits on the same boundary.
    const input = subnet(5, {
      stake: [2_147_450_879n, 1_073_758_208n, 1_073_758_209n, 0n, 0n],
      validatorPermit: [true, true, true, false, false],
      rows: { 0: [[3, 65535], [4, 65535]], 1: [[3, 13107], [4, 52428]], 2: [[3, 13107], [4, 52428]] },
    });
    forAll(ALL, PATHS, input, { kappa: 32767 }, (out, tag) => {
      expectProportion(out.float.consensus[3], out.consensus[3], 0.5, `${tag} consensus[3]`);
      expect(out.consensus[3], tag).toBe(32767);
    });
  });

  it('stake up to and including the heaviest voter equal to the minority: the median moves above it (0.5, not 0.2)', () => {
    // The mirror case: V0 holds exactly the minority (2 147 516 417 of 2^32) and scores 0.2; V1, V2 score 0.5.
    // Heaviest-first pivot 0.2: `hi − hiStake <= minority` holds with equality → upper → 0.5. The chain's middle
    // pivot (V1 = 0.5): lower = {V0} with stake = minority, `minority < lo + loStake` fails → pivot 0.5.
    const input = subnet(5, {
      stake: [2_147_516_417n, 1_073_725_439n, 1_073_725_440n, 0n, 0n],
      validatorPermit: [true, true, true, false, false],
      rows: { 0: [[3, 13107], [4, 52428]], 1: [[3, 65535], [4, 65535]], 2: [[3, 65535], [4, 65535]] },
    });
    forAll(ALL, PATHS, input, { kappa: 32767 }, (out, tag) => {
      expectProportion(out.float.consensus[3], out.consensus[3], 0.5, `${tag} consensus[3]`);
      expect(out.consensus[3], tag).toBe(32767);
    });
  });
});

describe('weighted median: empty-side guards and who votes', () => {
  // Three equal validators; rows 0.2/0.4/0.4 rotated so that in some column the heaviest voter (V0: ties go in
  // uid order) and in another the middle voter (V1) holds the column's minimum, and in others its maximum.
  const rotated = (kappaStake: bigint) =>
    subnet(6, {
      stake: [kappaStake, kappaStake, kappaStake, 0n, 0n, 0n],
      validatorPermit: [true, true, true, false, false, false],
      rows: {
        0: [[3, 13107], [4, 26214], [5, 26214]],
        1: [[3, 26214], [4, 13107], [5, 26214]],
        2: [[3, 26214], [4, 26214], [5, 13107]],
      },
    });

  it('κ = 65535 with stakes that normalise to 2^32 − 1: the minority is −1 and an empty lower side is skipped (each column 0.2, not 0)', () => {
    // Stake weights floor(2^32/3) each, total 2^32 − 1, majority = 2^32 → minority = −1 < 0 = lo + loStake.
    // Where the pivot is the column's minimum, lower is empty: the `!lower.is_empty()` guard sends the search
    // on to the else branch → the pivot (0.2). Without the guard it descends into nothing and returns 0.
    forAll(ALL, PATHS, rotated(1_000_000_000n), { kappa: 65535 }, (out, tag) => {
      for (const j of [3, 4, 5]) expectProportion(out.float.consensus[j], out.consensus[j], 0.2, `${tag} consensus[${j}]`);
    });
  });

  it('κ = 0: the minority is the whole stake and an empty upper side is skipped (each column 0.4, not 0)', () => {
    // minority = Σu, so `hi − hiStake <= minority` always holds; where the pivot is the column's maximum the
    // upper side is empty and only the `!upper.is_empty()` guard keeps the answer at the pivot.
    forAll(ALL, PATHS, rotated(1_000_000_000n), { kappa: 0 }, (out, tag) => {
      for (const j of [3, 4, 5]) expectProportion(out.float.consensus[j], out.consensus[j], 0.4, `${tag} consensus[${j}]`);
    });
  });

  it('a permitted but inactive validator (active stake 0) does not vote: consensus 0.5, not its 1.0', () => {
    // Only rows with active stake > 0 vote. V1 is inactive (5 + 100 < 1000) but permitted, so its weights
    // survive the masks; were it a voter (with zero stake), κ = 0 would carry the search up to its 1.0.
    const input = subnet(4, {
      stake: [1_000_000_000n, 1_000_000_000n, 0n, 0n],
      lastUpdate: [900n, 5n, 900n, 900n],
      blockAtRegistration: [0n, 0n, 0n, 0n],
      validatorPermit: [true, true, false, false],
      rows: { 0: [[2, 65535], [3, 65535]], 1: [[2, 65535]] },
    });
    forAll(ALL, PATHS, input, { kappa: 0, activityCutoff: 100 }, (out, tag) => {
      expect(out.active, tag).toEqual([true, false, true, true]);
      expectProportion(out.float.consensus[2], out.consensus[2], 0.5, `${tag} consensus[2]`);
    });
  });
});

describe('top-k validator permits', () => {
  const permits = (stake: bigint[], k: number) =>
    ALL.flatMap((v) =>
      PATHS.map((path) => ({ tag: `${v.label}/${path}`, got: v.engine.epoch(subnet(stake.length, { stake }), { maxAllowedValidators: k }, { mode: v.mode, path }).validatorPermit })),
    );

  it('equal stakes at the cut: the lower uid loses (stable ascending sort)', () => {
    for (const { tag, got } of permits([5_000_000_000n, 5_000_000_000n, 5_000_000_000n], 2)) expect(got, tag).toEqual([false, true, true]);
    for (const { tag, got } of permits([7_000_000_000n, 5_000_000_000n, 5_000_000_000n, 5_000_000_000n], 2)) expect(got, tag).toEqual([true, false, false, true]);
  });

  it('exactly k UIDs: all non-zero stakes keep a permit, a zero stake never gets one', () => {
    for (const { tag, got } of permits([0n, 3_000_000_000n, 4_000_000_000n], 3)) expect(got, tag).toEqual([false, true, true]);
  });

  it('fewer UIDs than k: permits are the non-zero stakes', () => {
    for (const { tag, got } of permits([0n, 0n, 4_000_000_000n], 5)) expect(got, tag).toEqual([false, false, true]);
  });

  it('n − k smallest lose, in either stake order', () => {
    for (const { tag, got } of permits([1_000_000_000n, 2_000_000_000n, 3_000_000_000n, 4_000_000_000n], 2)) expect(got, tag).toEqual([false, false, true, true]);
    for (const { tag, got } of permits([4_000_000_000n, 3_000_000_000n, 2_000_000_000n, 1_000_000_000n], 2)) expect(got, tag).toEqual([true, true, false, false]);
  });
});

describe('activity and stake threshold', () => {
  it('lastUpdate + cutoff == currentBlock is active, one block earlier is not; the add saturates at u64::MAX', () => {
    const input = subnet(4, { stake: [1n, 1n, 1n, 1n], lastUpdate: [900n, 899n, U64_MAX - 50n, 1000n] });
    forAll(ALL, PATHS, input, { activityCutoff: 100 }, (out, tag) => expect(out.active, tag).toEqual([true, false, true, true]));
  });

  it('cutoff 0: lastUpdate == currentBlock is active, one block earlier is not', () => {
    const input = subnet(4, { stake: [1n, 1n, 1n, 1n], lastUpdate: [1000n, 999n, U64_MAX, 1001n] });
    forAll(ALL, PATHS, input, { activityCutoff: 0 }, (out, tag) => expect(out.active, tag).toEqual([true, false, true, true]));
  });

  it('a stake equal to the threshold counts, one rao below does not (stake weights 1/4, 3/4, 0)', () => {
    const input = subnet(3, { stake: [1000n, 3000n, 999n] });
    forAll(ALL, PATHS, input, { stakeThreshold: 1000n }, (out, tag) => expect(Array.from(out.stakeWeight), tag).toEqual([16383, 49151, 0]));
  });

  it('the sparse path exempts the owner from the threshold, the dense path does not', () => {
    const input = subnet(3, { stake: [1000n, 3000n, 999n], ownerUid: 2 });
    forAll(ALL, ['sparse'], input, { stakeThreshold: 1000n }, (out, tag) => expect(out.stakeWeight[2], tag).toBe(Math.floor((999 / 4999) * 65535)));
    forAll(ALL, ['dense'], input, { stakeThreshold: 1000n }, (out, tag) => expect(out.stakeWeight[2], tag).toBe(0));
  });
});

describe('recent registrations: bonds on a UID registered since the last epoch are dropped', () => {
  // Two equal validators weight miners 2 and 3 equally; V0 alone holds old bonds (65535) on both. Original Yuma,
  // α = 0.1. Where the old bonds count, V1's EMA bond is 0.05 against V0's 0.95 → stored 65535 · 0.05/0.95 =
  // 3449; where the column counts as recently registered both start from 0 and end equal → 65535.
  const input = (reg2: bigint, reg3: bigint, o: Partial<EpochInput> = {}) =>
    subnet(4, {
      stake: [1_000_000_000n, 1_000_000_000n, 0n, 0n],
      validatorPermit: [true, true, false, false],
      blockAtRegistration: [0n, 0n, reg2, reg3],
      rows: { 0: [[2, 65535], [3, 65535]], 1: [[2, 65535], [3, 65535]] },
      bondRows: { 0: [[2, 65535], [3, 65535]] },
      ...o,
    });
  const check = (out: EpochOutput, tag: string, recent2: boolean, recent3: boolean) => {
    const b = out.bonds as SparseRow[];
    expect(bondAt(out, 0, 2), tag).toBe(65535);
    expect(bondAt(out, 0, 3), tag).toBe(65535);
    for (const [j, recent] of [[2, recent2], [3, recent3]] as const) {
      const got = bondAt(out, 1, j) ?? 0;
      if (recent) expect(got, `${tag} bond[1][${j}] ${JSON.stringify(b[1])}`).toBe(65535);
      else expect(Math.abs(got - 3449), `${tag} bond[1][${j}] = ${got}`).toBeLessThanOrEqual(1);
    }
  };

  it('no previous epoch: lastTempo = currentBlock − tempo = 640; registered at 640 is recent, at 639 is not', () => {
    forAll(ALL, PATHS, input(640n, 639n), { bondsMovingAverage: 900_000 }, (out, tag) => check(out, tag, true, false));
  });

  it('previous epoch at 700: lastTempo = 701; registered at 701 is recent, at 700 is not', () => {
    forAll(ALL, PATHS, input(701n, 700n, { lastStepBlock: 700n }), { bondsMovingAverage: 900_000 }, (out, tag) => check(out, tag, true, false));
  });

  it('currentBlock below tempo: lastTempo saturates to 0 and every registration is recent', () => {
    const early = input(0n, 0n, { currentBlock: 300n, lastUpdate: [200n, 200n, 200n, 200n] });
    forAll(ALL, PATHS, early, { bondsMovingAverage: 900_000 }, (out, tag) => check(out, tag, true, true));
  });
});

describe('outdated weights and the commit-reveal mask', () => {
  it('a weight set at the block its target registered is outdated, one block later is not', () => {
    // V0 set its weights at 900; miner 2 registered at 900 (and is the latest registration), miner 1 at 899.
    const input = subnet(3, {
      stake: [1_000_000_000n, 0n, 0n],
      validatorPermit: [true, false, false],
      blockAtRegistration: [10n, 899n, 900n],
      rows: { 0: [[1, 65535], [2, 65535]] },
    });
    forAll(ALL, PATHS, input, {}, (out, tag) => expect(Array.from(out.incentive), tag).toEqual([0, 65535, 0]));
  });

  it('sparse path: a commit older than a registration masks it, a commit at that block does not; the dense path has no commit mask', () => {
    const input = subnet(3, {
      stake: [1_000_000_000n, 0n, 0n],
      validatorPermit: [true, false, false],
      lastUpdate: [950n, 950n, 950n],
      blockAtRegistration: [10n, 899n, 900n],
      commitBlocks: [899n, null, null],
      rows: { 0: [[1, 65535], [2, 65535]] },
    });
    forAll(ALL, ['sparse'], input, {}, (out, tag) => expect(Array.from(out.incentive), tag).toEqual([0, 65535, 0]));
    forAll(ALL, ['dense'], input, {}, (out, tag) => expect(Array.from(out.incentive), tag).toEqual([0, 32767, 32767]));
  });

  it('a permit vector shorter than n: the UID at its length is forbidden (no weights, no active stake)', () => {
    // V2 (index 2 = the vector's length) holds most stake and weights miner 4; it neither votes nor counts.
    const input = subnet(5, {
      stake: [1_000_000_000n, 1_000_000_000n, 8_000_000_000n, 0n, 0n],
      validatorPermit: [true, true],
      rows: { 0: [[3, 65535]], 1: [[3, 65535]], 2: [[4, 65535]] },
    });
    forAll(ALL, PATHS, input, {}, (out, tag) => {
      expect(Array.from(out.incentive), tag).toEqual([0, 0, 0, 65535, 0]);
      expect(out.float.dividends[2], tag).toBe(0);
    });
  });
});

describe('sparse path: which weights-for-bonds entries exist (Yuma3 + liquid alpha keeps or drops old bonds)', () => {
  // V0 (9/10 of the stake) weights only miner 2; V1 also lists miner 3, whose consensus is therefore 0. V1 holds
  // an old bond of 30000 on miner 3. Where the sparse path's WB row lists column 3, the bond decays to
  // (1 − α)·30000 with α ∈ [alphaLow, alphaHigh] = [0.7, 0.9] → 3000..9000; where it does not, the sparse EMA
  // drops the bond. The dense path always decays it.
  const input = (v1Row: SparseRow) =>
    subnet(4, {
      stake: [9_000_000_000n, 1_000_000_000n, 0n, 0n],
      validatorPermit: [true, true, false, false],
      rows: { 0: [[2, 65535]], 1: v1Row },
      bondRows: { 1: [[3, 30000]] },
    });
  const hyper = (bondsPenalty: number): Partial<Hyperparams> => ({ yuma3Enabled: true, liquidAlphaEnabled: true, bondsPenalty });
  const decayed = (out: EpochOutput, tag: string) => {
    expect(out.consensus[3], tag).toBe(0);
    const b = bondAt(out, 1, 3);
    expect(b !== undefined && b >= 3000 && b <= 9000, `${tag}: bond[1][3] = ${b}`).toBe(true);
  };
  const dropped = (out: EpochOutput, tag: string) => {
    expect(out.consensus[3], tag).toBe(0);
    expect(bondAt(out, 1, 3) ?? 0, tag).toBe(0);
  };

  it('bonds penalty 1: a listed zero weight on a zero consensus is kept by clipping (0 is not above 0) → decays', () => {
    forAll(ALL, PATHS, input([[2, 65535], [3, 0]]), hyper(65535), decayed);
  });

  it('bonds penalty 1: a positive weight clipped to a zero consensus is dropped (sparse), decays (dense)', () => {
    forAll(ALL, ['sparse'], input([[2, 65535], [3, 65535]]), hyper(65535), dropped);
    forAll(ALL, ['dense'], input([[2, 65535], [3, 65535]]), hyper(65535), decayed);
  });

  it('bonds penalty 1/2: an interpolated weight of exactly 0 is dropped (sparse keeps only > 0), decays (dense)', () => {
    forAll(ALL, ['sparse'], input([[2, 65535], [3, 0]]), hyper(32768), dropped);
    forAll(ALL, ['dense'], input([[2, 65535], [3, 0]]), hyper(32768), decayed);
  });

  it('bonds penalty 0: the weights are taken as listed, a zero included → decays', () => {
    forAll(ALL, PATHS, input([[2, 65535], [3, 0]]), hyper(0), decayed);
  });
});
