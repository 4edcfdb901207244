/**
 * Mechanisms (sub-subnets), as the chain's `epoch_with_mechanisms` runs them: the subnet's alpha split over
 * 1–16 mechanisms, one ordinary epoch per mechanism on its own weights/bonds/last-update/commits with the
 * subnet's shared stake, registrations and permits, then one aggregate per UID. Validation, the split, the
 * scheduling of the per-mechanism epochs as jobs of one batch, and the aggregation live here; the epoch itself
 * is the existing kernel (or reference), run once per mechanism.
 */
import { YumaError } from '../errors.js';
import { U64_MAX } from '../units.js';
import { u64SatAdd } from '../fixed/substrate-fixed.js';
import { combinedEmissionOf, combinedEmissionNumbers, SAFE_RAO } from './combined-emission.js';
import { HIGH, LOW, u64Words } from './u64-words.js';
import { MAX_MECHANISMS } from './limits.js';
import { RULE_MECHANISM_PERMITS, sparseRule } from './path-rules.js';
import {
  checkPrepared,
  MECHANISM_INPUT_KEYS,
  prepareMechanism,
  prepareRecord,
  readEpochInput,
  readSubnetFields,
  resolveSettings,
  withPreviousPermits,
  type EpochInputRecord,
  type PrepareSettings,
  type PreparedEpoch,
} from './prepare.js';
import { toEpochOutput, type RawEpochResult } from './result.js';
import type {
  ChainPath,
  EpochInput,
  EpochInputLike,
  EpochOptions,
  EpochOutput,
  Hyperparams,
  MechanismEpochInput,
  MechanismEpochInputLike,
  MechanismEpochOutput,
  NumericMode,
} from './types.js';
import { describe } from '../validation/describe.js';
import { guard, readList, readOptions } from '../validation/read.js';
import { toInt, toU64 } from '../validation/values.js';

/** What a `MechanismEmissionSplit` adds up to. */
export const EMISSION_SPLIT_TOTAL = 65535;
const U64F64_ONE = 1n << 64n;
const TWO32 = 2 ** 32;

/** The chain's `GLOBAL_MAX_SUBNET_COUNT`: the stride of per-mechanism storage indices. */
export const GLOBAL_MAX_SUBNET_COUNT = 4096;

/**
 * `get_mechanism_storage_index`: the key under which the chain keeps a mechanism's `Weights`, `Bonds`,
 * `LastUpdate`, `Incentive` and commits, `mechanism·4096 + netuid` in saturating u16 arithmetic (mechanism 0's
 * is the netuid itself).
 */
export function mechanismStorageIndex(netuid: number, mechanism: number): number {
  const u = toInt(netuid, 'netuid', 0, 65535);
  const m = toInt(mechanism, 'mechanism', 0, 255);
  return Math.min(65535, Math.min(65535, m * GLOBAL_MAX_SUBNET_COUNT) + u);
}

/** The inverse (`get_netuid_and_subid` without its existence checks): `{ netuid: index mod 4096, mechanism: index / 4096 }`. */
export function netuidAndMechanism(index: number): { netuid: number; mechanism: number } {
  const i = toInt(index, 'index', 0, 65535);
  return { netuid: i % GLOBAL_MAX_SUBNET_COUNT, mechanism: Math.floor(i / GLOBAL_MAX_SUBNET_COUNT) };
}

/** A validated epoch with mechanisms: one prepared epoch per mechanism, each with its part of the emission. */
export interface PreparedMechanismEpoch {
  /** Number of UIDs (shared by every mechanism). */
  n: number;
  /** Arithmetic the epochs will run in. */
  mode: NumericMode;
  /** Chain code path the epochs will follow. */
  path: ChainPath;
  /** Layout the caller used; outputs come back in it. */
  layout: 'dense' | 'sparse';
  /** The subnet's alpha for the epoch, before the split. */
  raoEmission: bigint;
  /** The split as given (one u16 part per mechanism), or null for the even split. */
  split: number[] | null;
  /** `split_emissions`' parts; `mechanisms[m].raoEmission` is `parts[m]`. */
  parts: bigint[];
  /** One prepared epoch per mechanism, in mechanism order. */
  mechanisms: PreparedEpoch[];
}

export type PreparedItem = PreparedEpoch | PreparedMechanismEpoch;

export function isPreparedMechanisms(p: PreparedItem): p is PreparedMechanismEpoch {
  return 'parts' in p;
}

function checkCount(count: unknown, field: string): number {
  if (typeof count === 'number' && Number.isInteger(count) && count > MAX_MECHANISMS) {
    throw new YumaError('E_LIMIT', `${field} = ${count}: a subnet has at most ${MAX_MECHANISMS} mechanisms`);
  }
  return toInt(count, field, 1, MAX_MECHANISMS);
}

/**
 * Checks a `MechanismEmissionSplit`: u16 parts, `minParts` to `maxParts` of them, summing to 65535 unless
 * `anySum` (what `split_emissions` itself accepts from storage).
 */
export function checkEmissionSplit(
  split: unknown,
  field: string,
  { minParts, maxParts, anySum = false }: { minParts: number; maxParts: number; anySum?: boolean },
): number[] {
  // Array.isArray throws a TypeError on a revoked Proxy: E_ARG through guard
  if (!guard(field, () => Array.isArray(split))) throw new YumaError('E_SHAPE', `${field} must be an array of u16 parts (got ${describe(split)})`);
  const list = readList(split, field, MAX_MECHANISMS); // read once: holes, Proxies and getters end here
  const len = list.length;
  if (len < minParts || len > maxParts) {
    const want = minParts === maxParts ? `${minParts}` : `${minParts} to ${maxParts}`;
    throw new YumaError('E_SHAPE', `${field} has ${len} parts; it needs ${want} (one u16 part per mechanism)`);
  }
  const parts = new Array<number>(len);
  let total = 0;
  for (let m = 0; m < len; m++) {
    parts[m] = toInt(list[m], `${field}[${m}]`, 0, 65535);
    total += parts[m];
  }
  if (!anySum && total !== EMISSION_SPLIT_TOTAL) throw new YumaError('E_RANGE', `${field} adds up to ${total}; the parts must sum to ${EMISSION_SPLIT_TOTAL}`);
  return parts;
}

/** `split_emissions` on checked arguments. */
function splitChecked(alpha: bigint, count: number, split: readonly number[] | null): bigint[] {
  const parts: bigint[] = new Array(count).fill(0n);
  if (split === null) {
    parts.fill(alpha / BigInt(count));
  } else {
    // u128 `alpha·s / 65535`: below 2^80, never saturates.
    for (let m = 0; m < split.length && m < count; m++) parts[m] = (alpha * BigInt(split[m])) / 65535n;
  }
  let sum = 0n;
  for (const p of parts) sum += p;
  // The flooring remainder (saturating_sub: none when an over-full split already pays more than alpha).
  if (alpha > sum) parts[0] += alpha - sum;
  return parts;
}

/**
 * The chain's `split_emissions`: `alpha` (rao) over `count` mechanisms. With a split (u16 parts; missing parts
 * are 0, extra ones dropped), part m = `floor(alpha·sₘ / 65535)`; without, `floor(alpha / count)` each. The
 * flooring remainder goes to mechanism 0. With a split summing to 65535 (all the chain's setter stores, and
 * all the engine and `Subnet` accept) the parts sum to exactly `alpha`. Like the chain's function, this one
 * does not check the sum (the chain's own test feeds it one of 65538): a larger sum can pay out more than
 * `alpha`, a smaller one gives the shortfall to mechanism 0.
 */
export function splitEmission(alpha: bigint, count: number, split?: readonly number[] | null): bigint[] {
  const a = toU64(alpha, 'alpha');
  const k = checkCount(count, 'count');
  const s = split == null ? null : checkEmissionSplit(split, 'split', { minParts: 1, maxParts: MAX_MECHANISMS, anySum: true });
  return splitChecked(a, k, s);
}

/**
 * A mechanism's aggregation weight as U64F64 bits: `U64F64(part) / U64F64(total)` (truncated), or, when the
 * subnet's emission is 0, 1 for mechanism 0 and 0 for the others. part ≤ total, both u64 (E_RANGE otherwise).
 */
export function mechanismWeight(part: bigint, total: bigint, mechanism: number): bigint {
  const p = toU64(part, 'part');
  const t = toU64(total, 'total');
  const m = toInt(mechanism, 'mechanism', 0, MAX_MECHANISMS - 1);
  if (p > t) throw new YumaError('E_RANGE', `part ${p} is more than total ${t} (a mechanism's share of the subnet's emission)`);
  if (t === 0n) return m === 0 ? U64F64_ONE : 0n;
  return (p << 64n) / t;
}

/**
 * Validates an epoch with mechanisms and prepares one epoch per mechanism: the shared fields are read and
 * checked once, each mechanism's own fields once. Throws `YumaError` and keeps no reference to the caller's
 * arrays, except dense matrices with `borrowDense` (see `prepareEpoch`).
 */
export function prepareMechanismEpoch(
  input: MechanismEpochInputLike,
  hyper?: Partial<Hyperparams> | null,
  opts?: EpochOptions | null,
  borrowDense = false,
): PreparedMechanismEpoch {
  return prepareMechanismRecord(readEpochInput(input), resolveSettings(hyper, opts, borrowDense));
}

/** `prepareMechanismEpoch` on an input already read by `readEpochInput`; `admit` is told `n` once per mechanism. */
export function prepareMechanismRecord(r: EpochInputRecord, settings: PrepareSettings): PreparedMechanismEpoch {
  const { mode, path, admit } = settings;
  for (const f of MECHANISM_INPUT_KEYS) {
    if (r[f] !== undefined) throw new YumaError('E_ARG', `give either ${f} or mechanisms, not both (with mechanisms, ${f} goes into each mechanism)`);
  }
  const mechs = readList(r.mechanisms, 'mechanisms', MAX_MECHANISMS);
  if (mechs.length === 0) throw new YumaError('E_SHAPE', `mechanisms is empty; a subnet has 1 to ${MAX_MECHANISMS} mechanisms`);
  const count = mechs.length;
  const split =
    r.emissionSplit === undefined || r.emissionSplit === null
      ? null
      : checkEmissionSplit(readList(r.emissionSplit, 'emissionSplit', MAX_MECHANISMS), 'emissionSplit', { minParts: count, maxParts: count });
  const raoEmission = toU64(r.raoEmission, 'raoEmission');
  const parts = splitChecked(raoEmission, count, split);
  const shared = readSubnetFields(r, admit && ((n) => mechs.forEach(() => admit(n))));
  const mechanisms: PreparedEpoch[] = new Array(count);
  for (let m = 0; m < count; m++) {
    const where = `mechanisms[${m}]`;
    const fields = readOptions(mechs[m], where, MECHANISM_INPUT_KEYS, true);
    mechanisms[m] = prepareMechanism(shared, fields, parts[m], settings, `${where}.`);
    if (mechanisms[m].layout !== mechanisms[0].layout) {
      throw new YumaError('E_SHAPE', `${where} uses the ${mechanisms[m].layout} layout but mechanisms[0] the ${mechanisms[0].layout}; use one layout`);
    }
  }
  const pm: PreparedMechanismEpoch = { n: shared.n, mode, path, layout: mechanisms[0].layout, raoEmission, split, parts, mechanisms };
  // Frozen and recorded, like prepared epochs: what public functions taking one can trust.
  Object.freeze(split);
  Object.freeze(parts);
  Object.freeze(mechanisms);
  GENUINE_MECHANISMS.add(Object.freeze(pm));
  return pm;
}

const GENUINE_MECHANISMS = new WeakSet<object>();

/** A prepared epoch with mechanisms made by `prepareMechanismEpoch` (each mechanism re-checked), else E_ARG. */
export function checkPreparedMechanisms(pm: unknown, where: string): PreparedMechanismEpoch {
  if (typeof pm !== 'object' || pm === null || !GENUINE_MECHANISMS.has(pm)) {
    throw new YumaError('E_ARG', `${where} is not a prepared epoch with mechanisms (make one with prepareMechanismEpoch)`);
  }
  const q = pm as PreparedMechanismEpoch;
  q.mechanisms.forEach((p, m) => checkPrepared(p, `${where}.mechanisms[${m}]`));
  return q;
}

/** One epoch input, with or without mechanisms, read once and prepared (options and hyper already resolved). */
export function prepareItemResolved(input: unknown, settings: PrepareSettings): PreparedItem {
  const r = readEpochInput(input);
  return r.mechanisms !== undefined ? prepareMechanismRecord(r, settings) : prepareRecord(r, settings);
}

/** One epoch input, with or without mechanisms. */
export function prepareItem(
  input: EpochInput | MechanismEpochInput | EpochInputLike | MechanismEpochInputLike,
  hyper?: Partial<Hyperparams> | null,
  opts?: EpochOptions | null,
  borrowDense = false,
): PreparedItem {
  return prepareItemResolved(input, resolveSettings(hyper, opts, borrowDense));
}

/** The prepared epochs an item runs (before the dense path's second round), for checks before a run. */
export function jobsOf(item: PreparedItem): PreparedEpoch[] {
  return isPreparedMechanisms(item) ? item.mechanisms : [item];
}

/**
 * Runs items (plain epochs and epochs with mechanisms) with `run`, which computes a list of prepared epochs
 * (one trip into Wasm, or the references), and assembles the outputs in item order.
 */
export function runItems(items: PreparedItem[], run: (jobs: PreparedEpoch[]) => RawEpochResult[]): EpochOutput[] {
  const raws = runItemRaws(items, run);
  return items.map((it, i) => (isPreparedMechanisms(it) ? aggregateMechanisms(it, raws[i]) : toEpochOutput(it, raws[i][0])));
}

/** Whether mechanisms after the first read mechanism 0's new permits (the dense side of `mechanism-permits`). */
function permitsFromFirst(pm: PreparedMechanismEpoch): boolean {
  return !sparseRule(pm.mechanisms[0].pathRules, RULE_MECHANISM_PERMITS);
}

/**
 * The raw results of every item's epochs (one per mechanism; one for a plain epoch), in item order.
 *
 * Order: on the sparse path (`epoch_mechanism`) nothing a mechanism's epoch writes is read by a later one —
 * `ValidatorPermit` is stored once, after all of them — so every mechanism of every item is one job of a
 * single batch. The dense test twin (`epoch_dense_mechanism`) writes `ValidatorPermit` inside its epoch, so
 * mechanisms after the first read the permits the previous one wrote; those are the same for every mechanism
 * (top-k of the shared stake), so they run as a second batch reading mechanism 0's new permits. Which of the two
 * applies is the `mechanism-permits` path rule.
 */
export function runItemRaws(items: PreparedItem[], run: (jobs: PreparedEpoch[]) => RawEpochResult[]): RawEpochResult[][] {
  const first: PreparedEpoch[] = [];
  const at: number[] = new Array(items.length);
  items.forEach((it, i) => {
    at[i] = first.length;
    if (!isPreparedMechanisms(it)) first.push(it);
    else if (permitsFromFirst(it)) first.push(it.mechanisms[0]);
    else first.push(...it.mechanisms);
  });
  const raws1 = run(first);

  const second: PreparedEpoch[] = [];
  const at2: number[] = new Array(items.length);
  items.forEach((it, i) => {
    if (!isPreparedMechanisms(it) || !permitsFromFirst(it)) return;
    at2[i] = second.length;
    const permits = raws1[at[i]].validatorPermit;
    for (let m = 1; m < it.mechanisms.length; m++) second.push(withPreviousPermits(it.mechanisms[m], permits));
  });
  const raws2 = second.length > 0 ? run(second) : [];

  return items.map((it, i) => {
    if (!isPreparedMechanisms(it)) return [raws1[at[i]]];
    const k = it.mechanisms.length;
    return permitsFromFirst(it) ? [raws1[at[i]], ...raws2.slice(at2[i], at2[i] + k - 1)] : raws1.slice(at[i], at[i] + k);
  });
}

/** `weighted_acc_u16` over a vector: `acc = min(65535, floor(acc + v·w))`, w as U64F64 bits split in u32 halves. */
function accU16(acc: Uint16Array, v: Uint16Array, wHi: number, wLo: number): void {
  for (let i = 0; i < acc.length; i++) {
    const x = v[i];
    // floor(x·w / 2^64) = floor((x·wHi + floor(x·wLo / 2^32)) / 2^32); every product is below 2^49, exact in f64.
    const add = Math.floor((x * wHi + Math.floor((x * wLo) / TWO32)) / TWO32);
    const s = acc[i] + add;
    acc[i] = s > 65535 ? 65535 : s;
  }
}

const TWO16 = 65536;

/**
 * `floor(e·w / 2^64)` for an integer e < 2^53 and w = wHi·2^32 + wLo ≤ 2^64, exactly, in f64: e is cut into
 * 16-bit limbs so that every partial product stays below 2^53 and each carry is floored on the way.
 */
export function mulHi64(e: number, wHi: number, wLo: number): number {
  if (e === 0) return 0;
  const e3 = Math.floor(e / 2 ** 48); // < 2^5
  let r = e - e3 * 2 ** 48;
  const e2 = Math.floor(r / 2 ** 32); // < 2^16
  r -= e2 * 2 ** 32;
  const e1 = Math.floor(r / TWO16); // < 2^16
  const e0 = r - e1 * TWO16; // < 2^16
  // e·w / 2^64 = Σ limbs: e_k·2^(16k) · (wHi·2^32 + wLo) / 2^64; accumulate from the lowest bits up, in units of 2^16
  // (each step keeps the integer part of the running value / 2^16 exactly: carries below 2^53)
  let acc = Math.floor((e0 * wLo) / TWO16); // units of 2^16 (of the product / 2^0)
  acc = Math.floor((acc + e1 * wLo) / TWO16); // now units of 2^32
  acc = Math.floor((acc + e0 * wHi + e2 * wLo) / TWO16); // units of 2^48
  acc = Math.floor((acc + e1 * wHi + e3 * wLo) / TWO16); // units of 2^64
  return acc + e2 * wHi + e3 * wHi * TWO16;
}



/**
 * The aggregate `epoch_with_mechanisms` forms from the per-mechanism results, as described on
 * `MechanismEpochOutput`. Exact integer arithmetic in both modes: it works on the stored u16/u64 values the
 * mechanisms' epochs produced (the float mode's difference is in those epochs, not in this storage arithmetic).
 * Amounts are summed as f64 integers while the subnet's emission is below 2^53 rao (BigInt above).
 */
export function aggregateMechanisms(
  pm: Pick<PreparedMechanismEpoch, 'n' | 'mode' | 'raoEmission' | 'parts'> & { mechanisms: ReadonlyArray<Pick<PreparedEpoch, 'n' | 'layout' | 'stake'>> },
  raws: RawEpochResult[],
): MechanismEpochOutput {
  const n = pm.n;
  const k = pm.mechanisms.length;
  const outs = pm.mechanisms.map((p, m) => toEpochOutput(p, raws[m]));
  const stakeWeight = new Uint16Array(n);
  const consensus = new Uint16Array(n);
  const dividends = new Uint16Array(n);
  const validatorTrust = new Uint16Array(n);
  const active = new Array<boolean>(n).fill(false);
  const validatorPermit = new Array<boolean>(n).fill(false);
  const fConsensus = new Float64Array(n);
  const fDividends = new Float64Array(n);
  const fRank = new Float64Array(n);
  const fTrust = new Float64Array(n);
  const fValidatorTrust = new Float64Array(n);
  const small = pm.raoEmission < SAFE_RAO;
  const server = small ? new Float64Array(n) : null;
  const validator = small ? new Float64Array(n) : null;
  const emissionN = small ? new Float64Array(n) : null;
  const serverEmission = new Array<bigint>(n).fill(0n);
  const validatorEmission = new Array<bigint>(n).fill(0n);
  const emission = new Array<bigint>(n).fill(0n);
  for (let m = 0; m < k; m++) {
    const r = raws[m];
    const o = outs[m];
    const w = mechanismWeight(pm.parts[m], pm.raoEmission, m);
    const wHi = Number(w >> 32n);
    const wLo = Number(w & 0xffff_ffffn);
    const wf = Number(w) / 2 ** 64;
    accU16(stakeWeight, r.stakeWeight, wHi, wLo);
    accU16(consensus, r.consensus, wHi, wLo);
    accU16(dividends, r.dividends, wHi, wLo);
    accU16(validatorTrust, r.validatorTrust, wHi, wLo);
    for (let i = 0; i < n; i++) {
      if (r.active[i]) active[i] = true;
      if (r.validatorPermit[i]) validatorPermit[i] = true;
      fConsensus[i] += r.consensusF[i] * wf;
      fDividends[i] += r.dividendsF[i] * wf;
      fRank[i] += r.rankF[i] * wf;
      fTrust[i] += r.trustF[i] * wf;
      fValidatorTrust[i] += r.validatorTrustF[i] * wf;
    }
    if (server && validator && emissionN) {
      const combined = combinedEmissionNumbers(o, pm.parts[m], pm.mode);
      const se = u64Words(r.serverEmission);
      const ve = u64Words(r.validatorEmission);
      for (let i = 0; i < n; i++) {
        server[i] += se[2 * i + LOW] + se[2 * i + HIGH] * 2 ** 32;
        validator[i] += ve[2 * i + LOW] + ve[2 * i + HIGH] * 2 ** 32;
        // weighted_acc_alpha: + floor(E·w / 2^64), E < 2^53 and w ≤ 2^64 (see mulHi64)
        emissionN[i] += mulHi64(combined[i], wHi, wLo);
      }
    } else {
      const combined = combinedEmissionOf(o, pm.parts[m], pm.mode);
      for (let i = 0; i < n; i++) {
        serverEmission[i] = u64SatAdd(serverEmission[i], o.serverEmission[i]);
        validatorEmission[i] = u64SatAdd(validatorEmission[i], o.validatorEmission[i]);
        emission[i] = u64SatAdd(emission[i], (combined[i] * w) >> 64n);
      }
    }
  }
  if (server && validator && emissionN) {
    for (let i = 0; i < n; i++) {
      serverEmission[i] = BigInt(server[i]);
      validatorEmission[i] = BigInt(validator[i]);
      emission[i] = BigInt(emissionN[i]);
    }
  }
  const count = BigInt(k);
  const stake = pm.mechanisms[0].stake;
  const votingStake = new Array<bigint>(n);
  for (let i = 0; i < n; i++) {
    const v = stake[i] * count; // every mechanism reports the same stake; the chain adds them up (saturating)
    votingStake[i] = v > U64_MAX ? U64_MAX : v;
  }
  const m0 = outs[0];
  return {
    stakeWeight,
    consensus,
    incentive: m0.incentive,
    dividends,
    validatorTrust,
    active,
    validatorPermit,
    bonds: m0.bonds,
    serverEmission,
    validatorEmission,
    float: {
      consensus: fConsensus,
      incentive: m0.float.incentive,
      dividends: fDividends,
      rank: fRank,
      trust: fTrust,
      validatorTrust: fValidatorTrust,
    },
    mechanisms: outs,
    mechanismEmission: pm.parts.slice(),
    emission,
    votingStake,
  };
}
