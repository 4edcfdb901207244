/**
 * Neurons on the chain at 14bc6f9f: burned registration (`do_register` / `do_register_limit`), the burn price's
 * per-block decay and per-registration bump (`update_registration_prices_for_networks`,
 * `bump_registration_price_after_registration`) and `set_weights` / `set_mechanism_weights`. The neuron storage
 * and its rules (append or prune-and-replace, max-upscaled rows) are the subnet's `SubnetNeurons` table, the one
 * `Subnet` uses too. Each call either completes or throws `ChainRefused` and changes nothing.
 *
 * Not modelled: coldkey free balances (the coldkey is assumed to hold the burn), `RegistrationsThisBlock` /
 * interval limits, the weights rate limit, version key, minimum weight count and stake, max weight limit,
 * commit-reveal.
 */
import { YumaError } from '../errors.js';
import { show } from '../validation/describe.js';
import { U64F64, mulSat, toU64Sat, fromInt } from '../fixed/substrate-fixed.js';
import { U64_MAX } from '../units.js';
import type { PruneRules, WeightsRow } from '../subnet/neurons.js';
import { MAX_PRICE_RAO } from '../dtao/balancer.js';
import { swapTaoForAlpha } from './swap.js';
import { ChainRefused, checkKey, readRequest, snapshot, subnetOf } from './staking.js';
import type { ChainState, ChainSubnet, SubnetRegistration } from './state.js';

const Q32_ONE = 1n << 32n;

/** `mul_by_q32`: value × factor / 2^32, clamped to u64. */
const mulByQ32 = (value: bigint, factor: bigint): bigint => {
  const v = (value * factor) >> 32n;
  return v > U64_MAX ? U64_MAX : v;
};

/** `pow_q32`: base^exp in Q32 by squaring, each product through `mul_by_q32`. */
function powQ32(base: bigint, exp: number): bigint {
  let result = Q32_ONE;
  let factor = base;
  let power = exp;
  while (power > 0) {
    if (power & 1) result = mulByQ32(result, factor);
    power >>>= 1;
    if (power > 0) factor = mulByQ32(factor, factor);
  }
  return result;
}

const decayFactors = new Map<number, bigint>();

/** `decay_factor_q32`: the largest Q32 factor whose `halfLife`-th power is at most ½ (bisection, as the chain). */
export function decayFactorQ32(halfLife: number): bigint {
  if (halfLife === 0) return Q32_ONE;
  const cached = decayFactors.get(halfLife);
  if (cached !== undefined) return cached;
  const half = 1n << 31n;
  let lo = 0n;
  let hi = Q32_ONE;
  while (lo + 1n < hi) {
    const mid = lo + ((hi - lo) >> 1n);
    if (powQ32(mid, halfLife) > half) hi = mid;
    else lo = mid;
  }
  decayFactors.set(halfLife, lo);
  return lo;
}

const clampBurn = (r: SubnetRegistration, v: bigint): bigint => (v < r.minBurn ? r.minBurn : v > r.maxBurn ? r.maxBurn : v);

/** `update_registration_prices_for_networks` (block step 1): every added subnet's burn decays one block. */
export function updateRegistrationPrices(s: ChainState): void {
  for (const sn of s.subnets.values()) {
    const r = sn.registration;
    if (!sn.added || r === null) continue;
    // a burn at its minimum stays there (the decay factor is at most 1 and the clamp lifts it back)
    if (r.burn === r.minBurn && r.minBurn <= r.maxBurn) continue;
    let burn = r.burn;
    if (r.burnHalfLife > 0 && s.block > 1n) burn = mulByQ32(burn, decayFactorQ32(r.burnHalfLife));
    r.burn = clampBurn(r, burn);
  }
}

/** `bump_registration_price_after_registration`: burn × `BurnIncreaseMult` (at least 1), within the bounds. */
function bumpRegistrationPrice(sn: ChainSubnet, r: SubnetRegistration): void {
  if (sn.netuid === 0) return;
  const one = fromInt(U64F64, 1n);
  const mult = r.burnIncreaseMult > one ? r.burnIncreaseMult : one;
  r.burn = clampBurn(r, toU64Sat(U64F64, mulSat(U64F64, fromInt(U64F64, r.burn), mult)));
}

/** `get_immune_owner_tuples`: the owner coldkey's registered hotkeys, oldest first, then the owner hotkey, up to the limit. */
export function immuneOwnerUids(s: ChainState, sn: ChainSubnet): Set<number> {
  const t = sn.neurons;
  const limit = sn.registration?.immuneOwnerUidsLimit ?? 1;
  const owned = (s.ownedHotkeys.get(sn.subnetOwner ?? '0') ?? [])
    .map((h) => t.uidOf(h))
    .filter((u): u is number => u !== undefined)
    .sort((a, b) => {
      const ba = t.blockAtRegistration[a];
      const bb = t.blockAtRegistration[b];
      return ba !== bb ? (ba < bb ? -1 : 1) : a - b;
    });
  let uids = owned.slice(0, limit);
  const ownerUid = sn.subnetOwnerHotkey === null ? undefined : t.uidOf(sn.subnetOwnerHotkey);
  if (ownerUid !== undefined && !uids.includes(ownerUid)) uids = [ownerUid, ...uids].slice(0, limit);
  return new Set(uids);
}

/** What `get_neuron_to_prune` reads on the chain for a subnet. */
export function pruneRules(s: ChainState, sn: ChainSubnet): PruneRules {
  const r = sn.registration;
  return {
    currentBlock: s.block,
    immunityPeriod: BigInt(r?.immunityPeriod ?? 0),
    minNonImmuneUids: r?.minNonImmuneUids ?? 0,
    immortal: immuneOwnerUids(s, sn),
  };
}

/** `burned_register` / `register_limit`: who registers on which subnet. */
export interface RegisterRequest {
  /** The coldkey that pays the burn. */
  coldkey: string;
  /** The hotkey that takes the UID. */
  hotkey: string;
  /** The subnet (not 0, the root subnet). */
  netuid: number;
  /** `register_limit`: refuse when the burn is above this (rao). */
  limitPrice?: bigint;
}

/** What a registration did. */
export interface RegisterResult {
  /** The UID the hotkey now holds. */
  uid: number;
  /** The hotkey whose UID was taken, or null when the UID was appended. */
  replaced: string | null;
  /** TAO the coldkey paid (`Burn` at the time). */
  burn: bigint;
  /** Of it, what entered the pool's TAO reserve; the swap fee stays on the subnet account. */
  taoToPool: bigint;
  /** Of it, the swap fee that stays on the subnet account (rao). */
  feeStranded: bigint;
  /** Alpha the burn bought, destroyed (taken off `SubnetAlphaOut`). */
  alphaBurned: bigint;
}

/** `do_register` (and `do_register_limit` with `limitPrice`): buys alpha with the burn and destroys it, then registers. */
export function registerNeuron(s: ChainState, request: RegisterRequest): RegisterResult {
  const req = readRequest<RegisterRequest>(request, ['coldkey', 'hotkey', 'netuid', 'limitPrice']);
  const coldkey = checkKey('coldkey', req.coldkey);
  const hotkey = checkKey('hotkey', req.hotkey);
  if (req.netuid === 0) throw new ChainRefused('RegistrationNotPermittedOnRootSubnet', 'the root subnet takes no registrations');
  const sn = subnetOf(s, req.netuid);
  const r = sn.registration;
  if (r === null) throw new YumaError('E_STATE', `subnet ${sn.netuid} has no registration parameters (registration is not modelled there)`);
  if (req.limitPrice !== undefined) {
    if (typeof req.limitPrice !== 'bigint' || req.limitPrice < 0n) throw new YumaError('E_ARG', 'limitPrice must be a bigint of rao ≥ 0');
    // the extrinsic's limit is a u64, as addStake / removeStake take theirs
    if (req.limitPrice > U64_MAX) throw new YumaError('E_RANGE', `limitPrice must be below 2^64 (got ${req.limitPrice})`);
    if (r.burn > req.limitPrice) throw new ChainRefused('RegistrationPriceLimitExceeded', `burn ${r.burn} is above the limit ${req.limitPrice}`);
  }
  if (!sn.networkRegistrationAllowed) throw new ChainRefused('SubNetRegistrationDisabled', `subnet ${sn.netuid}`);
  const t = sn.neurons;
  if (t.uidOf(hotkey) !== undefined) throw new ChainRefused('HotKeyAlreadyRegisteredInSubNet', `${hotkey} on subnet ${sn.netuid}`);
  const owner = s.hotkeys.get(hotkey)?.owner;
  if (owner !== undefined && owner !== coldkey) throw new ChainRefused('NonAssociatedColdKey', `${hotkey} belongs to ${owner}`);
  if (r.maxAllowedUids === 0) throw new ChainRefused('NoNeuronIdAvailable', 'MaxAllowedUids is 0');
  const rules = pruneRules(s, sn);
  if (t.size >= t.capacity && t.pruneCandidate(rules) === null) throw new ChainRefused('NoNeuronIdAvailable', `subnet ${sn.netuid} is full and nothing can be pruned`);

  const cost = r.burn;
  const restore = snapshot(s, sn, []);
  try {
    const swap = swapTaoForAlpha(s, sn, cost, MAX_PRICE_RAO, false);
    if (typeof swap === 'string') throw new ChainRefused(swap, `the burn could not buy alpha on subnet ${sn.netuid}`);
    sn.subnetAlphaOut = sn.subnetAlphaOut > swap.amountPaidOut ? sn.subnetAlphaOut - swap.amountPaidOut : 0n;
    const reg = t.register(hotkey, s.block, rules);
    if (reg === null) throw new ChainRefused('NoNeuronIdAvailable', `subnet ${sn.netuid} is full and nothing can be pruned`);
    // create_account_if_non_existent: the coldkey owns the new hotkey
    if (owner === undefined) {
      s.hotkeys.set(hotkey, { owner: coldkey });
      const list = s.ownedHotkeys.get(coldkey) ?? [];
      if (!list.includes(hotkey)) s.ownedHotkeys.set(coldkey, [...list, hotkey]);
    }
    bumpRegistrationPrice(sn, r);
    r.raoRecycledForRegistration += cost;
    r.alphaBurnedByRegistration += swap.amountPaidOut;
    return { uid: reg.uid, replaced: reg.replaced, burn: cost, taoToPool: swap.amountPaidIn, feeStranded: cost - swap.amountPaidIn, alphaBurned: swap.amountPaidOut };
  } catch (e) {
    restore();
    throw e;
  }
}

/** `set_weights` / `set_mechanism_weights`: a validator's weight row. */
export interface SetWeightsRequest {
  /** The hotkey that sets the weights (it must hold a UID on the subnet). */
  hotkey: string;
  /** The subnet. */
  netuid: number;
  /** Target UIDs. */
  uids: number[];
  /** Weights, u16, one per target (max-upscaled before they are stored). */
  values: number[];
  /** `set_mechanism_weights`: the mechanism (default 0). */
  mechanism?: number;
}

/**
 * `set_weights` / `set_mechanism_weights`: the hotkey must hold a UID; a row other than a single self-weight needs a
 * validator permit (or the owner's UID); the row is max-upscaled and stored with `LastUpdate = block`.
 */
export function setWeights(s: ChainState, request: SetWeightsRequest): void {
  const req = readRequest<SetWeightsRequest>(request, ['hotkey', 'netuid', 'uids', 'values', 'mechanism']);
  const hotkey = checkKey('hotkey', req.hotkey);
  const mechanism = req.mechanism ?? 0;
  // an index that is no u8 (MechId) is a malformed call, as a netuid that is no u16; a u8 the subnet lacks is the pallet's refusal
  if (typeof mechanism !== 'number' || !Number.isInteger(mechanism) || mechanism < 0 || mechanism > 255) throw new YumaError('E_ARG', `mechanism must be a u8 index, got ${show(mechanism)}`);
  if (req.netuid === 0) throw new ChainRefused('CanNotSetRootNetworkWeights', 'the root subnet takes no weights');
  const sn = subnetOf(s, req.netuid);
  const t = sn.neurons;
  const row: WeightsRow = t.readWeights(req.uids, req.values);
  if (row.targets.length !== row.values.length) throw new ChainRefused('WeightVecNotEqualSize', `${row.targets.length} uids, ${row.values.length} values`);
  if (mechanism >= t.mechanismCount) {
    throw new ChainRefused('MechanismDoesNotExist', `mechanism ${show(mechanism)} on subnet ${sn.netuid} (it has ${t.mechanismCount})`);
  }
  if (row.targets.length > t.size) throw new ChainRefused('UidsLengthExceedUidsInSubNet', `${row.targets.length} weights for ${t.size} UIDs`);
  const uid = t.uidOf(hotkey);
  if (uid === undefined) throw new ChainRefused('HotKeyNotRegisteredInSubNet', `${hotkey} on subnet ${sn.netuid}`);
  const selfWeight = row.values.length === 1 && row.targets[0] === uid;
  const ownerUid = sn.subnetOwnerHotkey === null ? undefined : t.uidOf(sn.subnetOwnerHotkey);
  if (!selfWeight && ownerUid !== uid && t.validatorPermit[uid] !== 1) throw new ChainRefused('NeuronNoValidatorPermit', `${hotkey} (uid ${uid})`);
  const problem = t.weightsProblem(row);
  if (problem !== null) throw new ChainRefused(problem.chainError, problem.message);
  t.storeWeights(mechanism, uid, row, s.block, !sn.epochParams.commitRevealWeightsEnabled);
}
