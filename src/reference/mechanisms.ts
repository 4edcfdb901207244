/**
 * Reference of the chain's `epoch_with_mechanisms` (subtensor `pallets/subtensor/src/subnets/mechanism.rs` at
 * 14bc6f9f), written to be read next to it: `split_emissions`, then for each mechanism in order its epoch and
 * its weight, each hotkey's terms folded into one record (`or_insert_with` for the first mechanism,
 * `and_modify` for the others), then the per-netuid vectors "persisted". Plain BigInt U64F64 arithmetic, one
 * value at a time. The engine's aggregation (src/epoch/mechanisms.ts) is the fast twin tested against this.
 */
import { combinedEmissionOf } from '../epoch/combined-emission.js';
import type { PreparedMechanismEpoch } from '../epoch/mechanisms.js';
import { RULE_MECHANISM_PERMITS, sparseRule } from '../epoch/path-rules.js';
import { withPreviousPermits, type PreparedEpoch } from '../epoch/prepare.js';
import { toEpochOutput, type RawEpochResult } from '../epoch/result.js';
import type { EpochOutput, MechanismEpochOutput } from '../epoch/types.js';
import { U128_MAX, U64_MAX } from '../units.js';

const FRAC = 64n;

// U64F64 as its raw u128 bits.
const u64f64FromInt = (x: bigint): bigint => x << FRAC; // saturating_from_num of a u16/u64: always fits
const u64f64Add = (a: bigint, b: bigint): bigint => (a + b > U128_MAX ? U128_MAX : a + b); // saturating_add
const u64f64Mul = (a: bigint, b: bigint): bigint => {
  const p = (a * b) >> FRAC; // the full product, truncated (floor for unsigned)
  return p > U128_MAX ? U128_MAX : p; // saturating_mul
};
const u64f64ToU16 = (x: bigint): number => Number((x >> FRAC) > 65535n ? 65535n : x >> FRAC); // saturating_to_num::<u16>
const u64f64ToU64 = (x: bigint): bigint => ((x >> FRAC) > U64_MAX ? U64_MAX : x >> FRAC); // saturating_to_num::<u64>

/** `Self::weighted_acc_u16(existing, added, weight)`. */
export function weightedAccU16(existing: number, added: number, weight: bigint): number {
  return u64f64ToU16(u64f64Add(u64f64FromInt(BigInt(existing)), u64f64Mul(u64f64FromInt(BigInt(added)), weight)));
}

/** `Self::weighted_acc_alpha(existing, added, weight)`. */
export function weightedAccAlpha(existing: bigint, added: bigint, weight: bigint): bigint {
  return u64f64ToU64(u64f64Add(u64f64FromInt(existing), u64f64Mul(u64f64FromInt(added), weight)));
}

/** `split_emissions(netuid, alpha)` with `MechanismCountCurrent = count` and `MechanismEmissionSplit = split`. */
export function splitEmissions(alpha: bigint, count: number, split: readonly number[] | null): bigint[] {
  let result: bigint[];
  if (split !== null) {
    result = split.map((s) => (alpha * BigInt(s)) / 65535n); // u128 saturating_mul, safe_div, as u64
  } else {
    const perMechanism = alpha / BigInt(count);
    result = new Array<bigint>(count).fill(perMechanism);
  }
  // "Trim / extend and pad with zeroes"
  while (result.length < count) result.push(0n);
  result.length = count;
  // "credit [the rounding error] to mechanism 0"
  const sum = result.reduce((a, b) => a + b, 0n);
  const roundingErr = alpha > sum ? alpha - sum : 0n;
  result[0] = result[0] + roundingErr > U64_MAX ? U64_MAX : result[0] + roundingErr;
  return result;
}

/** `U64F64::saturating_from_num(sub_emission).safe_div_or(U64F64::saturating_from_num(rao_emission), 1 or 0)`. */
export function subWeight(subEmission: bigint, raoEmission: bigint, subId: number): bigint {
  if (raoEmission === 0n) return subId === 0 ? u64f64FromInt(1n) : 0n;
  return (u64f64FromInt(subEmission) << FRAC) / u64f64FromInt(raoEmission); // fixed division truncates
}

/** One hotkey's `EpochTerms` in the aggregate (the chain keeps no bonds there). */
interface Terms {
  uid: number;
  dividend: number;
  incentive: number;
  validatorEmission: bigint;
  serverEmission: bigint;
  stakeWeight: number;
  active: boolean;
  emission: bigint;
  consensus: number;
  validatorTrust: number;
  newValidatorPermit: boolean;
  stake: bigint;
}

/** A mechanism's per-UID terms as `epoch_mechanism` returns them. */
function epochTerms(out: EpochOutput, combined: bigint[], stake: BigUint64Array, uid: number): Terms {
  return {
    uid,
    dividend: out.dividends[uid],
    incentive: out.incentive[uid],
    validatorEmission: out.validatorEmission[uid],
    serverEmission: out.serverEmission[uid],
    stakeWeight: out.stakeWeight[uid],
    active: out.active[uid],
    emission: combined[uid],
    consensus: out.consensus[uid],
    validatorTrust: out.validatorTrust[uid],
    newValidatorPermit: out.validatorPermit[uid],
    stake: stake[uid], // raw_stake: the u64 stake itself (every UID here has a hotkey)
  };
}

/**
 * `epoch_with_mechanisms` on a prepared input: `runEpoch` is one mechanism's epoch (the fixed or f64 reference).
 *
 * The per-mechanism epoch is `epoch_mechanism`, which writes nothing the next mechanism reads: `ValidatorPermit`
 * is persisted once, after the fold. With `path: 'dense'` each mechanism runs `epoch_dense_mechanism` instead,
 * which stores `ValidatorPermit` itself, so the next mechanism reads those permits: reproduced literally here
 * (the `mechanism-permits` path rule).
 */
export function referenceEpochWithMechanisms(pm: PreparedMechanismEpoch, runEpoch: (p: PreparedEpoch) => RawEpochResult): MechanismEpochOutput {
  const n = pm.n;
  const count = pm.mechanisms.length;
  const raoEmission = pm.raoEmission;
  const subEmissions = splitEmissions(raoEmission, count, pm.split);

  let storedPermits: Uint8Array | null = null; // ValidatorPermit written by a dense epoch during this loop
  const outputs: EpochOutput[] = [];
  const aggregated = new Map<number, Terms>(); // keyed by hotkey; one hotkey per UID
  for (let subId = 0; subId < count; subId++) {
    const subEmission = subEmissions[subId];
    let p = pm.mechanisms[subId];
    if (p.raoEmission !== subEmission) throw new Error(`prepared mechanism ${subId} has emission ${p.raoEmission}, split says ${subEmission}`);
    if (storedPermits !== null) p = withPreviousPermits(p, storedPermits);
    const raw = runEpoch(p);
    if (!sparseRule(p.pathRules, RULE_MECHANISM_PERMITS)) storedPermits = raw.validatorPermit;
    const out = toEpochOutput(p, raw);
    outputs.push(out); // persist_mechanism_epoch_terms: Incentive and Bonds under this mechanism's index
    const combined = combinedEmissionOf(out, subEmission, pm.mode);
    const weight = subWeight(subEmission, raoEmission, subId);

    for (let uid = 0; uid < n; uid++) {
      const terms = epochTerms(out, combined, p.stake, uid);
      const acc = aggregated.get(uid);
      if (acc === undefined) {
        // or_insert_with: weighted insert for the first mechanism seen for this hotkey
        aggregated.set(uid, {
          uid,
          dividend: weightedAccU16(0, terms.dividend, weight),
          incentive: weightedAccU16(0, terms.incentive, weight), // computed, never accumulated, never stored
          validatorEmission: terms.validatorEmission,
          serverEmission: terms.serverEmission,
          stakeWeight: weightedAccU16(0, terms.stakeWeight, weight),
          active: terms.active,
          emission: weightedAccAlpha(0n, terms.emission, weight),
          consensus: weightedAccU16(0, terms.consensus, weight),
          validatorTrust: weightedAccU16(0, terms.validatorTrust, weight),
          newValidatorPermit: terms.newValidatorPermit,
          stake: terms.stake,
        });
      } else {
        // and_modify
        acc.validatorEmission = acc.validatorEmission + terms.validatorEmission > U64_MAX ? U64_MAX : acc.validatorEmission + terms.validatorEmission;
        acc.serverEmission = acc.serverEmission + terms.serverEmission > U64_MAX ? U64_MAX : acc.serverEmission + terms.serverEmission;
        acc.dividend = weightedAccU16(acc.dividend, terms.dividend, weight);
        acc.stakeWeight = weightedAccU16(acc.stakeWeight, terms.stakeWeight, weight);
        acc.active ||= terms.active;
        acc.emission = weightedAccAlpha(acc.emission, terms.emission, weight);
        acc.consensus = weightedAccU16(acc.consensus, terms.consensus, weight);
        acc.validatorTrust = weightedAccU16(acc.validatorTrust, terms.validatorTrust, weight);
        acc.newValidatorPermit ||= terms.newValidatorPermit;
        acc.stake = acc.stake + terms.stake > U64_MAX ? U64_MAX : acc.stake + terms.stake;
      }
    }
  }

  // persist_netuid_epoch_terms: the per-netuid vectors, sorted by uid. Incentive and Bonds are per mechanism;
  // under the netuid's own key (mechanism 0's index) sits mechanism 0's.
  const sorted = [...aggregated.values()].sort((a, b) => a.uid - b.uid);
  const weightsF = subEmissions.map((e, m) => Number(subWeight(e, raoEmission, m)) / 2 ** 64);
  const weighted = (view: 'consensus' | 'dividends' | 'rank' | 'trust' | 'validatorTrust'): Float64Array => {
    const v = new Float64Array(n);
    outputs.forEach((o, m) => {
      for (let i = 0; i < n; i++) v[i] += o.float[view][i] * weightsF[m];
    });
    return v;
  };
  return {
    stakeWeight: Uint16Array.from(sorted, (t) => t.stakeWeight),
    consensus: Uint16Array.from(sorted, (t) => t.consensus),
    incentive: outputs[0].incentive,
    dividends: Uint16Array.from(sorted, (t) => t.dividend),
    validatorTrust: Uint16Array.from(sorted, (t) => t.validatorTrust),
    active: sorted.map((t) => t.active),
    validatorPermit: sorted.map((t) => t.newValidatorPermit),
    bonds: outputs[0].bonds,
    serverEmission: sorted.map((t) => t.serverEmission),
    validatorEmission: sorted.map((t) => t.validatorEmission),
    float: {
      consensus: weighted('consensus'),
      incentive: outputs[0].float.incentive,
      dividends: weighted('dividends'),
      rank: weighted('rank'),
      trust: weighted('trust'),
      validatorTrust: weighted('validatorTrust'),
    },
    mechanisms: outputs,
    mechanismEmission: subEmissions,
    emission: sorted.map((t) => t.emission),
    votingStake: sorted.map((t) => t.stake), // update_voting_power_for_subnet's input
  };
}
