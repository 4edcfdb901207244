import { describe, expect, it } from 'vitest';
import { errorCode } from './helpers/errors.js';
import fc from 'fast-check';
import { blockEmission, alphaBlockEmission, halvingSchedule, projectHalvings, compareRecycling, nextHalvingIssuance } from '../src/dtao/index.js';
import { I96F32, blockEmissionForIssuance, log2, log2FloorAtLeastOne } from '../src/fixed/substrate-fixed.js';
import { TOTAL_SUPPLY, RAO } from '../src/units.js';
import { byPrefix, vector } from './helpers/vectors.js';

const code = errorCode;

describe('blockEmission (chain get_block_emission_for_issuance)', () => {
  it('reproduces all 40 rows of test_halving exactly', () => {
    const v = vector('block_emission_halving_table');
    const got = (v.inputs.total_issuance_rao as number[]).map((i) => blockEmission(BigInt(i)));
    expect(got).toEqual((v.expected.block_emission_rao as number[]).map(BigInt));
  });

  for (const v of byPrefix('block_emission_').filter((c) => c.name !== 'block_emission_halving_table')) {
    it(v.name, () => {
      expect(blockEmission(BigInt(v.inputs.total_issuance_rao))).toBe(BigInt(v.expected.block_emission_rao));
    });
  }

  it('halves exactly at 21e15·(1 − 2^−k) for the first eras', () => {
    expect(nextHalvingIssuance(0n)).toBe(10_500_000n * RAO);
    expect(nextHalvingIssuance(10_500_000n * RAO)).toBe(15_750_000n * RAO);
    expect(blockEmission(TOTAL_SUPPLY + 5n)).toBe(0n);
    expect(alphaBlockEmission(1_000_000_000_000n)).toBe(RAO);
  });

  it('log2 (I96F32, the one blockEmission runs): exact on powers of two, other values truncated to 32 fractional bits, null at 0', () => {
    const one = 1n << 32n;
    expect(log2(I96F32, one)).toBe(0n);
    expect(log2(I96F32, 8n * one)).toBe(3n * one);
    expect(log2(I96F32, one / 2n)).toBe(-one);
    // ⌊log2(x)·2^32⌋ from 60-digit decimal logarithms: the bitwise algorithm truncates, so these are its bits exactly
    // (log2(3) = 1.58496250072115618145…; the test had only compared it with Math.log2 to 8 digits)
    for (const [x, bits] of [[3n, 6807362105n], [5n, 9972605231n], [7n, 12057497578n], [10n, 14267572527n], [1000n, 42802717581n]] as const) {
      expect(log2(I96F32, x * one), `log2(${x})`).toBe(bits);
    }
    expect(log2(I96F32, 0n)).toBeNull();
  });

  it('the integer part of log2 the block emission takes equals ⌊log2⌋ of the full series, on 3000 operands and around every halving', () => {
    const one = 1n << 32n;
    fc.assert(
      fc.property(fc.oneof(fc.bigInt({ min: one, max: 1n << 64n }), fc.bigInt({ min: one, max: 4n * one })), (x) => {
        expect(log2FloorAtLeastOne(I96F32, x)).toBe(log2(I96F32, x)! >> 32n);
      }),
      { numRuns: 3000 },
    );
    // the full emission rule with the shortcut against one that floors the full log2, across the halving boundaries
    const slow = (issuance: bigint): bigint => {
      if (issuance >= TOTAL_SUPPLY) return 0n;
      const q = (issuance << 32n) / TOTAL_SUPPLY;
      const inv = (one << 32n) / (one - q);
      const k = log2(I96F32, inv)! >> 32n;
      return ((one >> k) * RAO) >> 32n;
    };
    let boundary: bigint | null = 0n;
    const points: bigint[] = [];
    for (let h = 0; h < 12 && boundary !== null; h++) {
      for (const d of [-2n, -1n, 0n, 1n, 2n]) if (boundary + d >= 0n) points.push(boundary + d);
      boundary = nextHalvingIssuance(boundary);
    }
    for (let k = 0n; k < 200n; k++) points.push((TOTAL_SUPPLY * k) / 200n + k * 7919n);
    for (const i of points) expect(blockEmissionForIssuance(i, TOTAL_SUPPLY, RAO) ?? 0n).toBe(slow(i));
  });

  it('rejects bad input', () => {
    expect(code(() => blockEmission(-1n))).toBe('E_RANGE');
    expect(code(() => blockEmission(5 as unknown as bigint))).toBe('E_ARG');
  });

  it('never increases with issuance (property)', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: TOTAL_SUPPLY + 1000n }), fc.bigInt({ min: 0n, max: TOTAL_SUPPLY }), (a, d) => {
        expect(blockEmission(a + d) <= blockEmission(a)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});

describe('halving schedule', () => {
  it('from zero issuance: 1 TAO for 10.5M blocks, then halvings every era, ending at 0', () => {
    const s = halvingSchedule({ issuance: 0n });
    expect(s[0]).toEqual({ block: 0, emission: RAO, issuance: 0n });
    expect(s[1]).toEqual({ block: 10_500_000, emission: RAO / 2n, issuance: 10_500_000n * RAO });
    expect(s[2]).toEqual({ block: 21_000_000, emission: RAO / 4n, issuance: 15_750_000n * RAO });
    expect(s.at(-1)!.emission).toBe(0n);
    for (let i = 1; i < s.length; i++) {
      expect(s[i]!.emission < s[i - 1]!.emission).toBe(true);
      expect(blockEmission(s[i]!.issuance)).toBe(s[i]!.emission);
      expect(s[i]!.issuance <= TOTAL_SUPPLY).toBe(true);
    }
  });

  it('respects the horizon and start block', () => {
    const s = halvingSchedule({ issuance: 10_000_000n * RAO, blocks: 600_000, startBlock: 100 });
    expect(s).toEqual([
      { block: 100, emission: RAO, issuance: 10_000_000n * RAO },
      { block: 500_100, emission: RAO / 2n, issuance: 10_500_000n * RAO },
    ]);
    expect(halvingSchedule({ issuance: 10_000_000n * RAO, blocks: 499_999 })).toHaveLength(1);
  });

  it('recycling delays each halving by a computable amount', () => {
    // 10M TAO issued, 0.1 TAO recycled per block: 0.9 TAO net per block until the first halving
    const c = compareRecycling({ issuance: 10_000_000n * RAO, recycledPerBlock: RAO / 10n });
    expect(c[0]!.blockWithout).toBe(500_000);
    expect(c[0]!.blockWith).toBe(555_556); // ceil(500_000 TAO / 0.9 TAO)
    expect(c[0]!.delayBlocks).toBe(55_556);
    expect(c[0]!.delayDays).toBeCloseTo(55_556 / 7200, 10);
    for (const row of c) if (row.delayBlocks !== null) expect(row.delayBlocks).toBeGreaterThanOrEqual(0);
  });

  it('stops at the equilibrium where recycling beats the halved emission', () => {
    const s = halvingSchedule({ issuance: 10_000_000n * RAO, recycledPerBlock: 700_000_000n });
    expect(s).toHaveLength(2); // after the first halving 0.5 < 0.7 TAO: issuance hovers at 10.5M
  });

  it('projects dates at 12 s per block', () => {
    const start = new Date('2026-01-01T00:00:00Z');
    const p = projectHalvings({ issuance: 10_000_000n * RAO, startDate: start, blocks: 10_000_000 });
    expect(p[1]!.halving).toBe(1);
    expect(p[1]!.date.toISOString()).toBe(new Date(start.getTime() + 500_000 * 12_000).toISOString());
  });

  it('validates options', () => {
    expect(code(() => halvingSchedule({ issuance: TOTAL_SUPPLY + 1n }))).toBe('E_RANGE');
    expect(code(() => halvingSchedule({ issuance: 0n, blocks: -1 }))).toBe('E_RANGE');
    expect(code(() => halvingSchedule({ issuance: 0n, blocks: NaN }))).toBe('E_NAN');
  });
});
