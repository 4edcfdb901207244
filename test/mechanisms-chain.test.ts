/**
 * Ports of the numeric tests of the chain's `pallets/subtensor/src/tests/mechanism.rs` (subtensor 14bc6f9f) that
 * exercise `split_emissions` and `epoch_with_mechanisms`, with their literal numbers. The Rust tests write
 * storage directly (`mock_epoch_state`, `mock_3_neurons`); here the same storage is the engine's input:
 * block 1, tempo 1 (activity cutoff ⌊13889·1/1000⌋ = 13 blocks; the `ActivityCutoff` the mock writes is the
 * deprecated item), `LastUpdate` 2, registrations at block 1, 1e9 rao of stake on UIDs 0 and 1, mock
 * hyper-parameters (`MaxAllowedValidators` 100, original Yuma, commit-reveal off, no owner hotkey).
 * Each port runs on the Wasm engine and the references, in fixed mode (asserted as the chain asserts) and float
 * mode (one u16 step, or the chain's own tolerance when looser); the chain runs the sparse path.
 * The count-change and weight-setting tests of the same file are ported in test/subnet-mechanisms.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { createEngineSync, type Engine } from '../src/engine.js';
import { GLOBAL_MAX_SUBNET_COUNT, mechanismStorageIndex, netuidAndMechanism, splitEmission } from '../src/epoch/mechanisms.js';
import { MAX_MECHANISMS } from '../src/epoch/limits.js';
import type { EpochOutput, MechanismEpochInput, MechanismInput, NumericMode, SparseRow } from '../src/epoch/types.js';
import { createReferenceEngine } from '../src/testing/reference-engine.js';

const RAO_1E9 = 1_000_000_000n;
const MOCK_HYPER = { maxAllowedValidators: 100, yuma3Enabled: false, activityCutoff: 13 };

const engines: Array<{ label: string; engine: Engine; mode: NumericMode }> = [
  { label: 'wasm fixed', engine: createEngineSync(), mode: 'fixed' },
  { label: 'wasm float', engine: createEngineSync(), mode: 'float' },
  { label: 'reference fixed', engine: createReferenceEngine(), mode: 'fixed' },
  { label: 'reference float', engine: createReferenceEngine(), mode: 'float' },
];

/** `assert_eq!` in fixed mode; one u16 step in float mode (the chain's epsilon when it gives a looser one). */
function near(mode: NumericMode, got: number, want: number, label: string, epsilon = 0): void {
  const tol = Math.max(epsilon, mode === 'float' ? 1 : 0);
  expect(Math.abs(got - want), `${label}: ${got} vs ${want}`).toBeLessThanOrEqual(tol);
}
function nearRao(got: bigint, want: bigint, tol: bigint, label: string): void {
  const d = got > want ? got - want : want - got;
  expect(d <= tol, `${label}: ${got} vs ${want}`).toBe(true);
}

const FULL: SparseRow = [[0, 0xffff], [1, 0xffff]];

/** `mock_epoch_state` (+ `mock_3_neurons` when n = 3): the storage both mechanisms start from. */
function mockEpochState(n: 2 | 3, mechanisms: Array<Partial<MechanismInput> & { weights: SparseRow[] }>): MechanismEpochInput {
  return {
    n,
    currentBlock: 1,
    tempo: 1,
    lastStepBlock: 0,
    stake: n === 2 ? [RAO_1E9, RAO_1E9] : [RAO_1E9, RAO_1E9, 0n],
    blockAtRegistration: new Array(n).fill(1),
    validatorPermit: n === 2 ? [true, true] : [true, false, false],
    raoEmission: RAO_1E9,
    mechanisms: mechanisms.map((m) => ({ bonds: new Array(n).fill([]), lastUpdate: new Array(n).fill(2), ...m })),
  };
}

describe('storage index math (tests/mechanism.rs)', () => {
  it('test_index_from_netuid_and_subnet: index = mechanism·4096 + netuid', () => {
    const cases: Array<[number, number]> = [[0, 0], [2048, 1], [2048, 7], [2048, 14], [2048, 15], [4095, 1], [4095, 7], [4095, 14], [4095, 15]];
    for (const [netuid, mechanism] of cases) expect(mechanismStorageIndex(netuid, mechanism)).toBe(mechanism * 4096 + netuid);
    expect(mechanismStorageIndex(4095, 15)).toBe(65535);
  });
  it('test_netuid_and_subnet_from_index: netuid = index mod 4096, mechanism = index / 4096', () => {
    for (const index of [0, 1, 14, 15, 16, 17, 4095, 4096, 4097, 0xfffe / 2, 0xfffe, 0xffff]) {
      expect(netuidAndMechanism(index)).toEqual({ netuid: index % 4096, mechanism: Math.floor(index / 4096) });
    }
  });
  it('test_netuid_index_math_constants: GLOBAL_MAX_SUBNET_COUNT · MAX_MECHANISM_COUNT_PER_SUBNET = 0x10000', () => {
    expect(GLOBAL_MAX_SUBNET_COUNT * MAX_MECHANISMS).toBe(0x10000);
  });
});

describe('split_emissions (tests/mechanism.rs)', () => {
  it('split_emissions_even_division: 25 rao over 5 mechanisms is 5 each', () => {
    expect(splitEmission(25n, 5)).toEqual([5n, 5n, 5n, 5n, 5n]);
  });
  it('split_emissions_rounding_to_first: 10 rao over 4 mechanisms is [4, 2, 2, 2] (remainder 2 to mechanism 0)', () => {
    expect(splitEmission(10n, 4)).toEqual([4n, 2n, 2n, 2n]);
  });
  it('split_emissions_fibbonacci: split [3450, 6899, 10348, 17247, 27594] of 19 rao is [1, 2, 3, 5, 8]', () => {
    expect(splitEmission(19n, 5, [3450, 6899, 10348, 17247, 27594])).toEqual([1n, 2n, 3n, 5n, 8n]);
  });
});

describe('epoch_with_mechanisms (tests/mechanism.rs)', () => {
  it('epoch_with_mechanisms_produces_per_mechanism_incentive: both UIDs get incentive 0xFFFF/2 on both mechanisms', () => {
    for (const { label, engine, mode } of engines) {
      const out = engine.epoch(mockEpochState(2, [{ weights: [FULL, FULL] }, { weights: [FULL, FULL] }]), MOCK_HYPER, { mode });
      for (const m of [0, 1]) {
        for (const uid of [0, 1]) near(mode, out.mechanisms[m].incentive[uid], 0xffff >> 1, `${label} mechanism ${m} incentive[${uid}]`);
      }
    }
  });

  it('epoch_with_mechanisms_updates_bonds: bonds follow each mechanism’s own weights', () => {
    for (const { label, engine, mode } of engines) {
      const input = mockEpochState(2, [
        { weights: [FULL, FULL] },
        // "Cause bonds to be asymmetric on diff mechanisms"
        { weights: [[[0, 0xffff], [1, 0]], [[0, 0xffff], [1, 0xffff]]] },
      ]);
      const out = engine.epoch(input, MOCK_HYPER, { mode });
      const b0 = out.mechanisms[0].bonds as SparseRow[];
      const b1 = out.mechanisms[1].bonds as SparseRow[];
      expect(b0[0], `${label} mechanism 0 uid 0`).toEqual([[1, 65535]]);
      expect(b0[1], `${label} mechanism 0 uid 1`).toEqual([[0, 65535]]);
      expect(b1[0], `${label} mechanism 1 uid 0`).toEqual([]);
      expect(b1[1], `${label} mechanism 1 uid 1`).toEqual([[0, 65535]]);
      expect(out.bonds, `${label} the netuid's own key holds mechanism 0's bonds`).toEqual(b0);
    }
  });

  it('epoch_with_mechanisms_incentives_proportional_to_weights: 4/5 vs 1/5 of the weight gives 4/5 vs 1/5 of the incentive (±1)', () => {
    const high = Math.floor(0xffff / 5) * 4; // 52428
    const low = Math.floor(0xffff / 5); // 13107
    for (const { label, engine, mode } of engines) {
      const input = mockEpochState(3, [
        { weights: [[[1, high], [2, low]], FULL, []] },
        { weights: [[[1, low], [2, high]], FULL, []] },
      ]);
      const out = engine.epoch(input, MOCK_HYPER, { mode });
      near(mode, out.mechanisms[0].incentive[1], high, `${label} mechanism 0 incentive[1]`, 1);
      near(mode, out.mechanisms[0].incentive[2], low, `${label} mechanism 0 incentive[2]`, 1);
      near(mode, out.mechanisms[1].incentive[1], low, `${label} mechanism 1 incentive[1]`, 1);
      near(mode, out.mechanisms[1].incentive[2], high, `${label} mechanism 1 incentive[2]`, 1);
    }
  });

  it('epoch_with_mechanisms_persists_and_aggregates_all_terms: a 25 %/75 % split aggregates every term as the chain does', () => {
    const split0 = Math.floor(0xffff / 4); // u16::MAX / 4 = 16383
    const split = [split0, 0xffff - split0];
    // floor(1e9·16383/65535) = 249 988 555 and floor(1e9·49152/65535) = 750 011 444; the 1 rao left goes to mechanism 0.
    expect(splitEmission(RAO_1E9, 2, split)).toEqual([249_988_556n, 750_011_444n]);
    for (const { label, engine, mode } of engines) {
      const input: MechanismEpochInput = {
        ...mockEpochState(3, [
          { weights: [[[1, Math.floor(0xffff / 5) * 3], [2, Math.floor(0xffff / 5) * 2]], FULL, []] },
          { weights: [[[1, Math.floor(0xffff / 5)], [2, Math.floor(0xffff / 5) * 4]], FULL, []] },
        ]),
        emissionSplit: split,
      };
      const agg = engine.epoch(input, MOCK_HYPER, { mode });
      expect(agg.mechanismEmission).toEqual([249_988_556n, 750_011_444n]);
      const w0 = Number(agg.mechanismEmission[0]) / 1e9;
      const w1 = Number(agg.mechanismEmission[1]) / 1e9;
      expect(Math.abs(w0 - 0.25)).toBeLessThanOrEqual(0.0001);
      expect(Math.abs(w1 - 0.75)).toBeLessThanOrEqual(0.0001);

      // "Get per-mechanism epoch outputs to build expectations": epoch_mechanism on each mechanism's share.
      const { mechanisms, emissionSplit: _, ...shared } = input;
      const per: EpochOutput[] = mechanisms.map((m, i) => engine.epoch({ ...shared, ...m, raoEmission: agg.mechanismEmission[i] }, MOCK_HYPER, { mode }));
      const [t0, t1] = per;
      for (const uid of [1, 2]) {
        nearRao(agg.serverEmission[uid], t0.serverEmission[uid] + t1.serverEmission[uid], 1n, `${label} server emission[${uid}]`);
        nearRao(agg.validatorEmission[uid], t0.validatorEmission[uid] + t1.validatorEmission[uid], 1n, `${label} validator emission[${uid}]`);
      }
      for (let uid = 0; uid < 3; uid++) {
        near(mode, agg.mechanisms[0].incentive[uid], t0.incentive[uid], `${label} Incentive[idx0][${uid}]`, 1);
        near(mode, agg.mechanisms[1].incentive[uid], t1.incentive[uid], `${label} Incentive[idx1][${uid}]`, 1);
      }
      const b0 = (agg.mechanisms[0].bonds as SparseRow[])[0];
      const b1 = (agg.mechanisms[1].bonds as SparseRow[])[0];
      expect(b0.length, `${label} bonds sub0 empty`).toBeGreaterThan(0);
      expect(b1.length, `${label} bonds sub1 empty`).toBeGreaterThan(0);
      for (const [got, want] of [[b0, (t0.bonds as SparseRow[])[0]], [b1, (t1.bonds as SparseRow[])[0]]] as const) {
        expect(got.map(([j]) => j)).toEqual(want.map(([j]) => j));
        got.forEach(([, v], e) => near(mode, v, want[e][1], `${label} bond ${e}`, 1));
      }
      // The aggregate: the test's helpers wu16/wu64 = (a·w0 + b·w1) in U64F64, within 1 of the chain's running sum.
      const wu = (a: number, b: number) => Math.floor(a * w0 + b * w1);
      const e0 = [0, 1, 2].map((i) => t0.serverEmission[i] + t0.validatorEmission[i]);
      const e1 = [0, 1, 2].map((i) => t1.serverEmission[i] + t1.validatorEmission[i]);
      for (let uid = 0; uid < 3; uid++) {
        expect(agg.active[uid]).toBe(t0.active[uid] || t1.active[uid]);
        expect(agg.validatorPermit[uid]).toBe(t0.validatorPermit[uid] || t1.validatorPermit[uid]);
        near(mode, agg.consensus[uid], wu(t0.consensus[uid], t1.consensus[uid]), `${label} consensus[${uid}]`, 1);
        near(mode, agg.dividends[uid], wu(t0.dividends[uid], t1.dividends[uid]), `${label} dividends[${uid}]`, 1);
        near(mode, agg.validatorTrust[uid], wu(t0.validatorTrust[uid], t1.validatorTrust[uid]), `${label} validatorTrust[${uid}]`, 1);
        // Emission (u64): the combined emission of each mechanism, weighted. Here Σ(I+D) > 0 on both mechanisms, so
        // the combined emission is within a rao or two of server + validator.
        nearRao(agg.emission[uid], BigInt(Math.floor(Number(e0[uid]) * w0 + Number(e1[uid]) * w1)), 3n, `${label} emission[${uid}]`);
      }
    }
  });

  it('epoch_with_mechanisms_no_weight_no_incentive: a miner nobody weights gets incentive 0 on both mechanisms', () => {
    for (const { label, engine, mode } of engines) {
      const input = mockEpochState(3, [
        { weights: [[[1, 1], [2, 0]], FULL, []] },
        { weights: [[[1, 1], [2, 0]], FULL, []] },
      ]);
      const out = engine.epoch(input, MOCK_HYPER, { mode });
      for (const m of [0, 1]) {
        const inc = out.mechanisms[m].incentive;
        expect(inc, `${label} mechanism ${m}`).toHaveLength(3);
        expect(Array.from(inc), `${label} mechanism ${m}`).toEqual([0, 0xffff, 0]);
      }
    }
  });

  it('epoch_mechanism_emergency_mode_distributes_by_stake: with no weights, mechanism 1 pays validators 10/30/60 % by stake (±2 rao)', () => {
    // add_network(netuid, tempo 5): init_new_network (Yuma3 on, 64 validators); four neurons registered at block 1,
    // LastUpdate = now for mechanism 1; permits [true, true, true, false]; stakes 10, 30, 60 and 0 rao.
    for (const { label, engine, mode } of engines) {
      const empty = { weights: [[], [], [], []] as SparseRow[], bonds: [[], [], [], []] as SparseRow[], lastUpdate: [1, 1, 1, 1] };
      const out = engine.epoch(
        {
          n: 4,
          currentBlock: 1,
          tempo: 5,
          lastStepBlock: 0,
          stake: [10n, 30n, 60n, 0n],
          blockAtRegistration: [1, 1, 1, 1],
          validatorPermit: [true, true, true, false],
          // two mechanisms, even split: mechanism 1 distributes 1 000 000 rao as the test's epoch_mechanism call does
          raoEmission: 2_000_000n,
          mechanisms: [empty, empty],
        },
        { yuma3Enabled: true, maxAllowedValidators: 64, activityCutoff: 69 },
        { mode },
      );
      const t = out.mechanisms[1];
      expect(out.mechanismEmission[1]).toBe(1_000_000n);
      expect(t.serverEmission, label).toEqual([0n, 0n, 0n, 0n]);
      nearRao(t.validatorEmission[0], 100_000n, 2n, `${label} uid 0`);
      nearRao(t.validatorEmission[1], 300_000n, 2n, `${label} uid 1`);
      nearRao(t.validatorEmission[2], 600_000n, 2n, `${label} uid 2`);
      expect(t.validatorEmission[3]).toBe(0n);
      nearRao(t.validatorEmission[0] + t.validatorEmission[1] + t.validatorEmission[2], 1_000_000n, 2n, `${label} total`);
    }
  });
});
