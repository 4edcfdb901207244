/**
 * Paying an epoch's pending alpha: miners by incentive, validators by dividends, each validator's
 * nominators pro rata to stake after the validator's take. Integer alpha-rao, conserved exactly.
 */
import { YumaError } from '../errors.js';
import { DEFAULT_TAKE } from './coinbase.js';
import { MAX_NOMINATORS, MAX_UIDS } from '../epoch/limits.js';
import { orDefault, readList, readOptions } from '../validation/read.js';
import { toAmount, toU16 } from '../validation/values.js';

/**
 * Split `total` in proportion to non-negative integer weights: floors first, then the leftover units one
 * each to the largest remainders (ties: lower index). Σ result = total whenever Σ weights > 0.
 */
export function splitProRata(total: bigint, weights: readonly bigint[]): bigint[] {
  toAmount(total, 'total', true);
  return splitChecked(total, readList(weights, 'weights', MAX_NOMINATORS, true).map((w, i) => toAmount(w, `weights[${i}]`, true)));
}

/** `splitProRata` on checked values: total and weights non-negative. */
function splitChecked(total: bigint, weights: readonly bigint[]): bigint[] {
  const sum = weights.reduce((a, b) => a + b, 0n);
  if (sum === 0n) return weights.map(() => 0n);
  const base = weights.map((w) => (total * w) / sum);
  let left = total - base.reduce((a, b) => a + b, 0n);
  const order = weights
    .map((w, i) => ({ i, r: (total * w) % sum }))
    .sort((a, b) => (a.r === b.r ? a.i - b.i : a.r > b.r ? -1 : 1));
  for (let k = 0; left > 0n; k++, left--) base[order[k]!.i]! += 1n;
  return base;
}

/** Who stakes on one validator, and the validator's take. */
export interface ValidatorStakes {
  /** Nominator stakes on this validator (include the validator's own stake as one entry). */
  nominators: bigint[];
  /** Take in u16 parts of 65535; default 11796 (18 %). */
  take?: number;
}

/** The pots an epoch drains and the epoch's shares, for `distributePending` (alpha rao). */
export interface PayoutInput {
  /** Miners' pending pot drained at the epoch. */
  server: bigint;
  /** Validators' pending pot drained at the epoch. */
  validator: bigint;
  /** Owner's pending cut, paid to the owner as it is (default 0). */
  owner?: bigint;
  /** u16 incentive per UID (miners). */
  incentive: ArrayLike<number>;
  /** u16 dividends per UID (validators). */
  dividends: ArrayLike<number>;
  /** Per-UID nominator stakes; UIDs without an entry keep the whole dividend. */
  stakes?: Array<ValidatorStakes | undefined>;
}

/** What `distributePending` pays (alpha rao); everything adds up to the pots. */
export interface PayoutResult {
  /** Alpha per UID from incentive. */
  incentive: bigint[];
  /** Alpha per UID from dividends, before take. */
  dividends: bigint[];
  /** Take kept by each validator. */
  take: bigint[];
  /** Per UID, what each nominator receives (same order as the input stakes). */
  nominators: bigint[][];
  /** Paid to the subnet owner. */
  owner: bigint;
  /** Alpha nobody could receive (no incentive and no dividends at all): left to the caller to recycle. */
  unpaid: bigint;
}

/**
 * With Σ incentive > 0 miners share `server` by incentive and validators share `validator` by dividends;
 * without incentive (no weights) validators take both pots, as on chain. Rounding dust goes to the largest
 * remainders (`splitProRata`), so Σ of every payout + unpaid = server + validator + owner exactly.
 * (The chain's parent/child redistribution and root dividends are outside this function.)
 */
export function distributePending(input: PayoutInput): PayoutResult {
  const o = readOptions(input, 'distributePending input', ['server', 'validator', 'owner', 'incentive', 'dividends', 'stakes'], true);
  const server = toAmount(o.server, 'server', true);
  const validator = toAmount(o.validator, 'validator', true);
  const owner = toAmount(orDefault(o.owner, 0n), 'owner', true);
  const inc = readList(o.incentive, 'incentive', MAX_UIDS, true).map((v, i) => BigInt(toU16(v, `incentive[${i}]`)));
  const div = readList(o.dividends, 'dividends', MAX_UIDS, true).map((v, i) => BigInt(toU16(v, `dividends[${i}]`)));
  if (inc.length !== div.length) throw new YumaError('E_SHAPE', 'incentive and dividends must have the same length');
  const stakes = readList(orDefault(o.stakes, []), 'stakes', MAX_UIDS).map((st, uid) => {
    if (st === undefined || st === null) return undefined;
    const v = readOptions(st, `stakes[${uid}]`, ['nominators', 'take'], true);
    const nominators = readList(v.nominators, `stakes[${uid}].nominators`, MAX_NOMINATORS, true);
    return {
      nominators: nominators.map((x, k) => toAmount(x, `stakes[${uid}].nominators[${k}]`, true)),
      take: BigInt(toU16(orDefault(v.take, DEFAULT_TAKE), `stakes[${uid}].take`)),
    };
  });
  if (stakes.length > div.length) throw new YumaError('E_SHAPE', 'more stake entries than UIDs');
  const incSum = inc.reduce((a, b) => a + b, 0n);
  const divSum = div.reduce((a, b) => a + b, 0n);
  const minerPot = incSum > 0n ? server : 0n;
  const validatorPot = incSum > 0n ? validator : validator + server;
  const incentive = splitChecked(minerPot, inc);
  const dividends = splitChecked(validatorPot, div);
  const unpaid = divSum === 0n ? validatorPot : 0n;
  const take: bigint[] = [];
  const nominators: bigint[][] = [];
  dividends.forEach((d, uid) => {
    const st = stakes[uid];
    if (!st) {
      take.push(d);
      nominators.push([]);
      return;
    }
    const noms = st.nominators;
    const t = (d * st.take) / 65535n;
    const rest = d - t;
    if (noms.reduce((a, b) => a + b, 0n) === 0n) {
      take.push(d); // nobody to share with: the validator keeps it
      nominators.push(noms.map(() => 0n));
      return;
    }
    take.push(t);
    nominators.push(splitChecked(rest, noms));
  });
  return { incentive, dividends, take, nominators, owner, unpaid };
}
