/**
 * `Subnet` with mechanisms: per-mechanism weights, bonds, last-update and incentive; `setMechanismCount` and
 * `setEmissionSplit` with the chain's rules (`update_mechanism_counts_if_needed`, `do_set_emission_split`); epoch
 * write-back like `epoch_with_mechanisms`. Ports of the count-change, weight-setting and deregistration tests
 * of the chain's `pallets/subtensor/src/tests/mechanism.rs` (subtensor 14bc6f9f) with their numbers, and of
 * two of its epoch tests driven through `Subnet` instead of storage writes.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createEngineSync } from '../src/engine.js';
import { splitEmission } from '../src/epoch/mechanisms.js';
import type { MechanismEpochOutput, NumericMode } from '../src/epoch/types.js';
import { Subnet } from '../src/subnet/index.js';
import { createReferenceEngine } from '../src/testing/reference-engine.js';
import { errorCode } from './helpers/errors.js';
import { plain } from './helpers/json.js';
import { subnetState } from './helpers/state.js';

const engine = createEngineSync();
const RAO_1E9 = 1_000_000_000n;

/** `o` as JSON text, for comparing whole snapshots. */
const plainText = (o: unknown): string => JSON.stringify(plain(o));

/** Everything a Subnet stores, every mechanism included. */
function snapshot(s: Subnet): string {
  const per = Array.from({ length: s.mechanismCount }, (_, mechanism) => ({
    w: s.weightRows({ mechanism }),
    b: s.bondRows({ mechanism }),
    lu: s.lastUpdate({ mechanism }),
    inc: s.incentive({ mechanism }),
  }));
  return plainText({
    count: s.mechanismCount, split: s.emissionSplit(), size: s.size, block: s.currentBlock, per,
    reg: s.blockAtRegistration(), vp: s.validatorPermit(), st: s.stake(), d: s.dividends(), c: s.consensus(), e: s.emission(),
  });
}

/** A subnet with `n` registered UIDs (hotkeys "0", "1", …) at block 1. */
function subnet(n: number, mechanisms: number, extra: Partial<ConstructorParameters<typeof Subnet>[0]> = {}): Subnet {
  const s = new Subnet({ engine, n, tempo: 1, block: 1, mechanisms, recordStepBlock: false, ...extra });
  for (let i = 0; i < n; i++) s.register(String(i));
  return s;
}

describe('mechanism count (tests/mechanism.rs)', () => {
  it('update_mechanism_counts_decreases_and_cleans: 3 → 2 keeps mechanism 1, clears mechanism 2 and resets the split', () => {
    const s = subnet(3, 3);
    s.addStake(0, RAO_1E9);
    s.epoch(RAO_1E9); // permits
    s.nextBlock();
    s.setWeights(0, [1], [1], { mechanism: 1 });
    s.setWeights(0, [2], [9], { mechanism: 2 });
    s.epoch(RAO_1E9);
    // The Rust test writes [123, 234, 345] straight into storage; the setter only takes splits summing to 65535.
    s.setEmissionSplit([123, 234, 65535 - 357]);
    const kept = plainText({ w: s.weightRows({ mechanism: 1 }), b: s.bondRows({ mechanism: 1 }), lu: s.lastUpdate({ mechanism: 1 }), i: s.incentive({ mechanism: 1 }) });
    expect(s.incentive({ mechanism: 1 })[1]).toBe(65535);
    expect(s.bondRows({ mechanism: 2 })[0]).toEqual([[2, 65535]]);

    s.setMechanismCount(2);
    expect(s.mechanismCount).toBe(2);
    expect(plainText({ w: s.weightRows({ mechanism: 1 }), b: s.bondRows({ mechanism: 1 }), lu: s.lastUpdate({ mechanism: 1 }), i: s.incentive({ mechanism: 1 }) })).toBe(kept);
    expect(errorCode(() => s.weightRows({ mechanism: 2 }))).toBe('E_RANGE');
    expect(s.emissionSplit()).toBeNull();
    // Grown back, mechanism 2 starts with nothing stored: Weights, Bonds, Incentive and LastUpdate were removed.
    s.setMechanismCount(3);
    expect(s.weightRows({ mechanism: 2 })).toEqual([[], [], []]);
    expect(s.bondRows({ mechanism: 2 })).toEqual([[], [], []]);
    expect(Array.from(s.incentive({ mechanism: 2 }))).toEqual([0, 0, 0]);
    expect(s.lastUpdate({ mechanism: 2 })).toEqual([0, 0, 0]);
  });

  it('update_mechanism_counts_increases: 1 → 2 resets the split; setting the same count changes nothing', () => {
    const s = subnet(2, 1);
    s.setEmissionSplit([65535]);
    const before = subnetState(s);
    s.setMechanismCount(1);
    expect(subnetState(s)).toBe(before);
    expect(s.emissionSplit()).toEqual([65535]);
    s.setMechanismCount(2);
    expect(s.mechanismCount).toBe(2);
    expect(s.emissionSplit()).toBeNull();
  });

  it('do_set_mechanism_count_ok_minimal, _ok_at_effective_cap: 1, 8 and 16 mechanisms are accepted', () => {
    const s = subnet(2, 2);
    for (const k of [1, 8, 16]) {
      s.setMechanismCount(k);
      expect(s.mechanismCount).toBe(k);
    }
  });

  it('do_set_fails_for_zero, do_set_fails_when_over_compile_time_cap: 0 and 17 are refused and nothing changes', () => {
    const s = subnet(2, 2);
    const before = snapshot(s);
    expect(errorCode(() => s.setMechanismCount(0))).toBe('E_RANGE');
    expect(errorCode(() => s.setMechanismCount(17))).toBe('E_LIMIT');
    expect(snapshot(s)).toBe(before);
    expect(errorCode(() => new Subnet({ engine, n: 2, mechanisms: 0 }))).toBe('E_RANGE');
    expect(errorCode(() => new Subnet({ engine, n: 2, mechanisms: 17 }))).toBe('E_LIMIT');
  });
});

describe('set_mechanism_weights (tests/mechanism.rs)', () => {
  it('test_set_mechanism_weights_happy_path_sets_row_under_subid: [88, 0xFFFF] stored under mechanism 1 only', () => {
    const s = subnet(3, 2);
    s.nextBlock(4);
    s.setWeights(0, [1, 2], [88, 0xffff], { mechanism: 1 });
    expect(s.weightRows({ mechanism: 1 })[0]).toEqual([[1, 88], [2, 0xffff]]);
    expect(s.weightRows({ mechanism: 0 })[0]).toEqual([]);
    expect(s.weightRows()[0]).toEqual([]);
    expect(s.lastUpdate({ mechanism: 1 })[0]).toBe(5);
    expect(s.lastUpdate({ mechanism: 0 })[0]).toBe(1);
  });

  it('test_set_mechanism_weights_above_mechanism_count_fails: mechanism 2 of a 2-mechanism subnet is refused, nothing changes', () => {
    const s = subnet(2, 2);
    const before = snapshot(s);
    expect(errorCode(() => s.setWeights(0, [1], [88], { mechanism: 2 }))).toBe('E_RANGE');
    expect(snapshot(s)).toBe(before);
  });
});

describe('deregistration across mechanisms (tests/mechanism.rs)', () => {
  it('neuron_dereg_cleans_weights_across_subids: rows by the UID removed, weights on it zeroed (kept), its incentive 0, in every mechanism', () => {
    const s = subnet(3, 2, { immunityPeriod: 0, minNonImmuneUids: 0 });
    for (let i = 0; i < 3; i++) s.addStake(i, BigInt(3 - i) * RAO_1E9);
    s.epoch(RAO_1E9);
    s.nextBlock();
    for (const mechanism of [0, 1]) {
      s.setWeights(0, [1, 2], [7, 3], { mechanism });
      s.setWeights(1, [0], [5], { mechanism });
    }
    s.epoch(RAO_1E9);
    // UID 2 has the lowest Emission (the prune score) and a weight from UID 0 on both mechanisms.
    expect(s.emission()).toEqual([250_000_000n, 175_000_800n, 74_999_198n]);
    expect(s.incentive({ mechanism: 1 })[2]).toBeGreaterThan(0);
    s.nextBlock();
    expect(s.register('new', s.currentBlock)).toBe(2);
    for (const mechanism of [0, 1]) {
      const rows = s.weightRows({ mechanism });
      expect(rows, `mechanism ${mechanism}`).toEqual([[[1, 65535], [2, 0]], [[0, 65535]], []]);
      expect(s.bondRows({ mechanism })[2]).toEqual([]);
      expect(s.incentive({ mechanism })[2]).toBe(0);
      expect(s.lastUpdate({ mechanism })[2]).toBe(s.currentBlock);
    }
  });
});

describe('epoch_with_mechanisms through Subnet (tests/mechanism.rs)', () => {
  /** mock_epoch_state: two UIDs with 1e9 each weighting each other on both mechanisms (the self-weight masked). */
  function mock(engineOf: Subnet['engine'], mode: NumericMode, second: [number[], number[]][]): Subnet {
    const s = new Subnet({ engine: engineOf, mode, n: 2, tempo: 1, block: 1, mechanisms: 2, recordStepBlock: false, hyper: { maxAllowedValidators: 100, yuma3Enabled: false } });
    s.register('hk0');
    s.register('hk1');
    s.addStake(0, RAO_1E9);
    s.addStake(1, RAO_1E9);
    s.epoch(RAO_1E9); // ValidatorPermit [true, true], as the mock writes
    s.nextBlock();
    for (const uid of [0, 1]) s.setWeights(uid, [0, 1], [0xffff, 0xffff], { mechanism: 0 });
    second.forEach(([uids, values], uid) => s.setWeights(uid, uids, values, { mechanism: 1 }));
    return s;
  }
  const variants = [
    { label: 'wasm fixed', e: engine, mode: 'fixed' as const },
    { label: 'wasm float', e: engine, mode: 'float' as const },
    { label: 'reference fixed', e: createReferenceEngine(), mode: 'fixed' as const },
  ];

  it('epoch_with_mechanisms_produces_per_mechanism_incentive: each mechanism stores incentive 0xFFFF/2 for both UIDs', () => {
    for (const { label, e, mode } of variants) {
      const s = mock(e, mode, [[[0, 1], [0xffff, 0xffff]], [[0, 1], [0xffff, 0xffff]]]);
      const out = s.epoch(RAO_1E9) as MechanismEpochOutput;
      for (const mechanism of [0, 1]) {
        const inc = Array.from(s.incentive({ mechanism }));
        inc.forEach((x) => expect(Math.abs(x - 0x7fff), `${label} mechanism ${mechanism}`).toBeLessThanOrEqual(mode === 'fixed' ? 0 : 1));
        expect(inc).toEqual(Array.from(out.mechanisms[mechanism].incentive));
      }
      expect(s.incentive()).toEqual(s.incentive({ mechanism: 0 }));
    }
  });

  it('epoch_with_mechanisms_updates_bonds: each mechanism stores its own bonds, [(1, 65535)] / [(0, 65535)] vs [] / [(0, 65535)]', () => {
    for (const { label, e, mode } of variants) {
      const s = mock(e, mode, [[[0, 1], [0xffff, 0]], [[0, 1], [0xffff, 0xffff]]]);
      s.epoch(RAO_1E9);
      expect(s.bondRows({ mechanism: 0 }), label).toEqual([[[1, 65535]], [[0, 65535]]]);
      expect(s.bondRows({ mechanism: 1 }), label).toEqual([[], [[0, 65535]]]);
    }
  });
});

describe('Subnet with mechanisms', () => {
  it('writes back the aggregate, each mechanism’s bonds and incentive, and its mechanismEpochInput round-trips through the engine', () => {
    const s = subnet(6, 2);
    [5n, 3n, 1n].forEach((x, uid) => s.addStake(uid, x * RAO_1E9));
    s.setEmissionSplit([20000, 45535]);
    s.epoch(RAO_1E9);
    s.nextBlock();
    for (let v = 0; v < 3; v++) {
      s.setWeights(v, [3, 4, 5], [1 + v, 2, 3], { mechanism: 0 });
      s.setWeights(v, [3, 4, 5], [3, 2 + v, 1], { mechanism: 1 });
    }
    const input = s.mechanismEpochInput(RAO_1E9);
    expect(input.emissionSplit).toEqual([20000, 45535]);
    const want = engine.epoch(input);
    const out = s.epoch(RAO_1E9) as MechanismEpochOutput;
    expect(plainText(out)).toBe(plainText(want));
    expect(out.mechanismEmission).toEqual(splitEmission(RAO_1E9, 2, [20000, 45535]));
    expect(s.emission()).toEqual(out.emission);
    expect(Array.from(s.dividends())).toEqual(Array.from(out.dividends));
    expect(Array.from(s.consensus())).toEqual(Array.from(out.consensus));
    expect(s.validatorPermit()).toEqual(out.validatorPermit);
    for (const mechanism of [0, 1]) {
      expect(s.bondRows({ mechanism })).toEqual(out.mechanisms[mechanism].bonds);
      expect(Array.from(s.incentive({ mechanism }))).toEqual(Array.from(out.mechanisms[mechanism].incentive));
    }
    expect(errorCode(() => s.epochInput(RAO_1E9))).toBe('E_STATE');
  });

  it('with k mechanisms, each evolves over epochs exactly like a one-mechanism subnet with its weights and its part of the emission', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 3 }),
        fc.constantFrom<NumericMode>('fixed', 'float'),
        fc.boolean(),
        fc.array(fc.integer({ min: 0, max: 65535 }), { minLength: 3 * 4 * 3 * 3, maxLength: 3 * 4 * 3 * 3 }),
        (k, mode, yuma3, draws) => {
          const n = 7;
          const hyper = { yuma3Enabled: yuma3, maxAllowedValidators: 4 };
          const make = (mechanisms: number) => {
            const s = new Subnet({ engine, mode, n, tempo: 10, mechanisms, hyper });
            for (let i = 0; i < n; i++) s.register(`h${i}`);
            [9n, 7n, 4n, 2n, 1n].forEach((x, uid) => s.addStake(uid, x * RAO_1E9));
            return s;
          };
          const multi = make(k);
          const singles = Array.from({ length: k }, () => make(1));
          let d = 0;
          for (let epoch = 0; epoch < 3; epoch++) {
            const parts = splitEmission(RAO_1E9, k);
            const out = multi.epoch(RAO_1E9) as MechanismEpochOutput;
            singles.forEach((one, m) => {
              const got = one.epoch(parts[m]);
              expect(plainText(out.mechanisms[m])).toBe(plainText(got));
              expect(one.bondRows()).toEqual(multi.bondRows({ mechanism: m }));
              expect(one.validatorPermit()).toEqual(multi.validatorPermit());
            });
            multi.nextBlock(11);
            singles.forEach((one) => one.nextBlock(11));
            for (let m = 0; m < k; m++) {
              for (let v = 0; v < 4; v++) {
                const values = [draws[d++ % draws.length], draws[d++ % draws.length], draws[d++ % draws.length]];
                if (values.every((x) => x === 0)) continue;
                multi.setWeights(v, [4, 5, 6], values, { mechanism: m });
                singles[m].setWeights(v, [4, 5, 6], values);
              }
            }
          }
        },
      ),
      { numRuns: 25 },
    );
  });

  it('refuses bad mechanism arguments with a YumaError and changes nothing', () => {
    const s = subnet(3, 2);
    s.addStake(0, RAO_1E9);
    s.epoch(RAO_1E9);
    const before = snapshot(s);
    const bad: Array<[string, () => unknown]> = [
      ['E_ARG', () => s.setMechanismCount('2' as unknown as number)],
      ['E_RANGE', () => s.setMechanismCount(1.5)],
      ['E_NAN', () => s.setMechanismCount(NaN)],
      ['E_RANGE', () => s.setEmissionSplit([30000, 30000])],
      ['E_SHAPE', () => s.setEmissionSplit([])],
      ['E_SHAPE', () => s.setEmissionSplit([20000, 20000, 25535])],
      ['E_SHAPE', () => s.setEmissionSplit('65535' as unknown as number[])],
      ['E_RANGE', () => s.setEmissionSplit([65536, -1])],
      ['E_RANGE', () => s.setWeights(0, [1], [1], { mechanism: 2 })],
      ['E_RANGE', () => s.setWeights(0, [1], [1], { mechanism: -1 })],
      ['E_ARG', () => s.setWeights(0, [1], [1], { mech: 1 } as unknown as { mechanism: number })],
      ['E_ARG', () => s.setWeights(0, [1], [1], 1 as unknown as { mechanism: number })],
      ['E_RANGE', () => s.resetBonds(0, { mechanism: 5 })],
      ['E_RANGE', () => s.bondRows({ mechanism: 2 })],
    ];
    for (const [code, f] of bad) expect(errorCode(f), f.toString()).toBe(code);
    expect(snapshot(s)).toBe(before);
  });

  it('stores Emission as epoch_with_mechanisms does: each mechanism’s emission weighted by its share again, so two even mechanisms store half of what they paid', () => {
    for (const k of [1, 2, 4]) {
      const s = subnet(4, k);
      s.addStake(0, 3n * RAO_1E9);
      s.addStake(1, RAO_1E9);
      s.epoch(RAO_1E9);
      s.nextBlock();
      for (let m = 0; m < k; m++) for (const v of [0, 1]) s.setWeights(v, [2, 3], [2, 1], { mechanism: m });
      const out = s.epoch(RAO_1E9);
      const paid = [...out.serverEmission, ...out.validatorEmission].reduce((a, b) => a + b, 0n);
      const stored = s.emission().reduce((a, b) => a + b, 0n);
      expect(paid > RAO_1E9 - 10n && paid <= RAO_1E9).toBe(true);
      // identical mechanisms, even split: Σ emission ≈ Σₘ (1/k)·(paid/k) = paid/k
      expect(Number(stored) / Number(paid)).toBeCloseTo(1 / k, 6);
    }
  });

  it('a shorter split is kept as set and padded with 0 for the engine, as split_emissions pads it', () => {
    const s = subnet(3, 3);
    s.setEmissionSplit([65535]);
    expect(s.emissionSplit()).toEqual([65535]);
    expect(s.mechanismEpochInput(999n).emissionSplit).toEqual([65535, 0, 0]);
    const out = s.epoch(999n) as MechanismEpochOutput;
    expect(out.mechanismEmission).toEqual([999n, 0n, 0n]);
    s.setEmissionSplit(null);
    expect((s.epoch(999n) as MechanismEpochOutput).mechanismEmission).toEqual([333n, 333n, 333n]);
  });
});
