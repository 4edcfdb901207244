import fc from 'fast-check';
import type { EpochInput, Hyperparams, SparseRow } from '../../src/epoch/types.js';
// the bench's seeded mulberry32: a large subnet is drawn from a few numbers fast-check can report
import { prng } from '../../bench/suite.js';

export interface LargeCase {
  input: EpochInput;
  hyper: Partial<Hyperparams>;
  path: 'sparse' | 'dense';
}


/**
 * Subnets of `minN`..`maxN` UIDs (defaults 17..300: past one 16-column median tile, the two-lane SIMD row passes
 * and the permit sorts), built from a seed: validators with Pareto-like or tied stakes, sparse or full weight rows,
 * old bonds, inactive and outdated validators, fresh registrations, validator caps below and above the
 * validator count, an owner and commit blocks now and then, both layouts and both chain paths.
 */
export function largeSubnetArb(minN = 17, maxN = 300): fc.Arbitrary<LargeCase> {
  return fc
    .record({
      n: fc.integer({ min: minN, max: maxN }),
      seed: fc.integer({ min: 1, max: 0x7fffffff }),
      validatorShare: fc.constantFrom(0.05, 0.25, 0.6),
      density: fc.constantFrom(0.05, 0.3, 1),
      tiedStakes: fc.boolean(),
      sparseLayout: fc.boolean(),
      path: fc.constantFrom('sparse' as const, 'dense' as const),
      owner: fc.boolean(),
      commit: fc.boolean(),
      hyper: fc.record({
        kappa: fc.constantFrom(0, 32767, 45000, 65535),
        bondsPenalty: fc.constantFrom(0, 32768, 65535),
        bondsMovingAverage: fc.constantFrom(0, 900_000, 975_000),
        maxAllowedValidators: fc.integer({ min: 1, max: 256 }),
        yuma3Enabled: fc.boolean(),
        liquidAlphaEnabled: fc.boolean(),
        activityCutoff: fc.constantFrom(100, 5000),
      }),
    })
    .map(({ n, seed, validatorShare, density, tiedStakes, sparseLayout, path, owner, commit, hyper }) => {
      const r = prng(seed);
      const u16 = () => Math.floor(r() * 65536);
      const currentBlock = 10_000;
      const isVal = Array.from({ length: n }, (_, i) => i === 0 || r() < validatorShare);
      const stake = isVal.map((v) => {
        if (!v) return r() < 0.5 ? 0n : BigInt(Math.floor(r() * 1e9));
        if (tiedStakes) return 5_000_000_000_000n;
        return BigInt(Math.floor(1e9 / (r() + 1e-6) ** 1.2)); // Pareto-like, up to ~1e16
      });
      const weights: Array<Array<number | null>> = [];
      const bonds: Array<Array<number | null>> = [];
      for (let i = 0; i < n; i++) {
        weights.push(Array.from({ length: n }, () => (isVal[i] && r() < density ? u16() : null)));
        bonds.push(Array.from({ length: n }, () => (isVal[i] && r() < density / 2 ? u16() : null)));
      }
      const lastUpdate = isVal.map(() => {
        const x = r();
        return BigInt(x < 0.1 ? Math.floor(r() * 50) : x < 0.2 ? currentBlock - 200 : currentBlock - Math.floor(r() * 50));
      });
      const blockAtRegistration = isVal.map(() => BigInt(r() < 0.1 ? currentBlock - Math.floor(r() * 150) : Math.floor(r() * 100)));
      const matrix = (rows: Array<Array<number | null>>) =>
        sparseLayout ? rows.map((row): SparseRow => row.flatMap((v, j): SparseRow => (v === null ? [] : [[j, v]]))) : Uint16Array.from(rows.flat(), (v) => v ?? 0);
      const input: EpochInput = {
        n,
        currentBlock: BigInt(currentBlock),
        tempo: 360,
        lastStepBlock: r() < 0.5 ? 0n : BigInt(currentBlock - 100),
        stake,
        weights: matrix(weights),
        bonds: matrix(bonds),
        lastUpdate,
        blockAtRegistration,
        validatorPermit: isVal.map((v) => v && r() < 0.9),
        raoEmission: 1_000_000_000n,
        ...(owner ? { ownerUid: Math.floor(r() * n) } : {}),
        ...(commit ? { commitBlocks: isVal.map(() => (r() < 0.3 ? BigInt(currentBlock - Math.floor(r() * 300)) : null)) } : {}),
      };
      return { input, hyper, path };
    });
}
