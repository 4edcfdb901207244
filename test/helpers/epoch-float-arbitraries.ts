import fc from 'fast-check';
import type { EpochInput, Hyperparams, SparseRow } from '../../src/epoch/types.js';

export interface SubnetCase {
  input: EpochInput;
  hyper: Partial<Hyperparams>;
  path: 'sparse' | 'dense';
}

const U64_MAX = (1n << 64n) - 1n;

/** u16 values that produce ties, extremes and ordinary numbers. */
const u16 = fc.oneof(
  { weight: 3, arbitrary: fc.constant(0) },
  { weight: 2, arbitrary: fc.constantFrom(1, 32767, 32768, 65535) },
  { weight: 4, arbitrary: fc.integer({ min: 0, max: 65535 }) },
);

const stakeValue = fc.oneof(
  { weight: 2, arbitrary: fc.constant(0n) },
  { weight: 2, arbitrary: fc.constantFrom(1n, 1_000_000_000n, 10n ** 15n) },
  { weight: 5, arbitrary: fc.bigInt({ min: 0n, max: 10n ** 16n }) },
);

/** Blocks near the current block (1000) so activity, outdated and recent-registration tests go both ways. */
const block = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: 0, max: 1100 }).map(BigInt) },
  { weight: 1, arbitrary: fc.bigInt({ min: U64_MAX - 5000n, max: U64_MAX }) },
);

const hyperArb: fc.Arbitrary<Partial<Hyperparams>> = fc
  .record({
    kappa: fc.oneof(fc.constantFrom(0, 32767, 45000, 65535), fc.integer({ min: 0, max: 65535 })),
    bondsMovingAverage: fc.oneof(fc.constantFrom(0, 900_000, 975_000, 1_000_000), fc.integer({ min: 0, max: 1_000_000 })),
    bondsPenalty: fc.oneof(fc.constantFrom(0, 65535), fc.integer({ min: 0, max: 65535 })),
    activityCutoff: fc.oneof(fc.constantFrom(0, 5000), fc.integer({ min: 0, max: 1200 })),
    maxAllowedValidators: fc.integer({ min: 0, max: 10 }),
    liquidAlphaEnabled: fc.boolean(),
    alpha: fc.tuple(fc.integer({ min: 0, max: 65535 }), fc.integer({ min: 0, max: 65535 })),
    alphaSigmoidSteepness: fc.oneof(fc.constantFrom(1000, 0, -1000, 32767, -32768), fc.integer({ min: -32768, max: 32767 })),
    yuma3Enabled: fc.boolean(),
    stakeThreshold: fc.oneof(fc.constant(0n), fc.bigInt({ min: 0n, max: 10n ** 15n })),
  })
  .map(({ alpha, ...h }) => ({ ...h, alphaLow: Math.min(...alpha), alphaHigh: Math.max(...alpha) }));

function sparseRows(n: number, values: number[], listed: boolean[]): SparseRow[] {
  const rows: SparseRow[] = [];
  for (let i = 0; i < n; i++) {
    const row: SparseRow = [];
    for (let j = 0; j < n; j++) if (listed[i * n + j]) row.push([j, values[i * n + j]]);
    rows.push(row);
  }
  return rows;
}

/**
 * Random small subnets with the awkward cases mixed in: zero stake, all-zero weights, n = 1, ties, every
 * validator inactive, outdated weights, fresh registrations, owner uid, commit blocks, short or empty permit
 * vectors, Yuma3 ± liquid alpha, both paths, both layouts (sparse rows may list explicit zeros).
 */
export function subnetArb(maxN = 7): fc.Arbitrary<SubnetCase> {
  return fc.integer({ min: 1, max: maxN }).chain((n) =>
    fc
      .record({
        stake: fc.array(stakeValue, { minLength: n, maxLength: n }),
        weights: fc.array(u16, { minLength: n * n, maxLength: n * n }),
        weightsListed: fc.array(fc.boolean(), { minLength: n * n, maxLength: n * n }),
        zeroWeights: fc.integer({ min: 0, max: 4 }).map((x) => x === 0),
        bonds: fc.array(u16, { minLength: n * n, maxLength: n * n }),
        bondsListed: fc.array(fc.boolean(), { minLength: n * n, maxLength: n * n }),
        lastUpdate: fc.array(block, { minLength: n, maxLength: n }),
        blockAtRegistration: fc.array(block, { minLength: n, maxLength: n }),
        permits: fc.array(fc.boolean(), { minLength: 0, maxLength: n }),
        fullPermits: fc.boolean(),
        owner: fc.option(fc.integer({ min: 0, max: n - 1 }), { nil: undefined }),
        commit: fc.option(fc.array(fc.option(block, { nil: null }), { minLength: n, maxLength: n }), { nil: undefined }),
        lastStepBlock: fc.oneof(fc.constant(0n), fc.integer({ min: 0, max: 1000 }).map(BigInt)),
        raoEmission: fc.oneof(fc.constantFrom(0n, 1n, 1_000_000_000n, U64_MAX), fc.bigInt({ min: 0n, max: U64_MAX })),
        sparseLayout: fc.boolean(),
        hyper: hyperArb,
        path: fc.constantFrom('sparse' as const, 'dense' as const),
      })
      .map((r) => {
        const weights = r.zeroWeights ? r.weights.map(() => 0) : r.weights;
        const permits = r.fullPermits ? Array.from({ length: n }, (_, i) => r.permits[i] ?? true) : r.permits;
        const input: EpochInput = {
          n,
          currentBlock: 1000n,
          tempo: 100,
          lastStepBlock: r.lastStepBlock,
          stake: r.stake,
          weights: r.sparseLayout ? sparseRows(n, weights, r.weightsListed) : Uint16Array.from(weights),
          bonds: r.sparseLayout ? sparseRows(n, r.bonds, r.bondsListed) : Uint16Array.from(r.bonds),
          lastUpdate: r.lastUpdate,
          blockAtRegistration: r.blockAtRegistration,
          validatorPermit: permits,
          raoEmission: r.raoEmission,
          ...(r.owner !== undefined ? { ownerUid: r.owner } : {}),
          ...(r.commit !== undefined ? { commitBlocks: r.commit } : {}),
        };
        return { input, hyper: { ...r.hyper, maxAllowedValidators: Math.min(r.hyper.maxAllowedValidators ?? 0, n + 1) }, path: r.path };
      }),
  );
}
