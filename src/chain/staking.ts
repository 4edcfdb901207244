/**
 * Staking extrinsics at 14bc6f9f, to the rao: `add_stake` / `add_stake_limit` and `remove_stake` /
 * `remove_stake_limit` with their validation (`validate_add_stake`, `validate_remove_stake`), the swap fee as the
 * chain takes it (TAO fee on a buy goes to the block author; the alpha fee on a sell is sold fee-less back into the
 * pool and its TAO goes to the author — or, with no author, the TAO fee is burned and the alpha fee burned), the
 * partial-unstake minimum (what remains staked must be worth ≥ `DefaultMinStake` when sold) and limit orders.
 * An operation either completes or throws `YumaError` with the chain's error name and leaves the state untouched.
 *
 * Not modelled: coldkey free balances (the staker is assumed to hold the TAO), stake locks, rate limits,
 * `NominatorMinRequiredStake` (0 on chain by default). Root stake added or removed moves the `RootClaimed` watermarks
 * (see the root claims).
 */
import { YumaError } from '../errors.js';
import { show } from '../validation/describe.js';
import { readOptions } from '../validation/read.js';
import { toBool } from '../validation/values.js';
import { type SwapError, type SwapPoolState, MAX_PRICE_RAO, MIN_PRICE_RAO, feeAmount } from '../dtao/balancer.js';
import { poolSwap, stakePool, stakeToColdkey, swapAlphaForTao, swapTaoForAlpha } from './swap.js';
import { copyEntries, hasEntry, poolCanUpdateOne, poolUpdateOne, poolValueOf, type SafeFloat } from './safe-float.js';
import { type ChainState, type ChainSubnet, poolKey } from './state.js';
import { isHead, minStakeOf } from './eras.js';
import { rootStakeAdded, rootStakeRemoved } from './root-claims.js';
import { U64_MAX } from '../units.js';

/** `DefaultMinStake` at runtime: 0.002 TAO (the era's minimum is `minStakeOf`). */
export const DEFAULT_MIN_STAKE = 2_000_000n;

export type StakingErrorName =
  | SwapError
  | 'SubnetNotExists'
  | 'SubtokenDisabled'
  | 'AmountTooLow'
  | 'SlippageTooHigh'
  | 'HotKeyAccountNotExists'
  | 'NotEnoughStakeToWithdraw';

/** The pallet errors of registration and `set_weights`. */
export type NeuronErrorName =
  | 'RegistrationNotPermittedOnRootSubnet'
  | 'SubNetRegistrationDisabled'
  | 'HotKeyAlreadyRegisteredInSubNet'
  | 'NonAssociatedColdKey'
  | 'NoNeuronIdAvailable'
  | 'RegistrationPriceLimitExceeded'
  | 'CanNotSetRootNetworkWeights'
  | 'WeightVecNotEqualSize'
  | 'MechanismDoesNotExist'
  | 'UidsLengthExceedUidsInSubNet'
  | 'HotKeyNotRegisteredInSubNet'
  | 'NeuronNoValidatorPermit'
  | 'DuplicateUids'
  | 'UidVecContainInvalidOne';

/** The pallet errors of root claims. */
export type RootClaimErrorName = 'InvalidSubnetNumber' | 'InvalidRootClaimThreshold';

/** Every pallet error a `ChainRefused` can carry. */
export type ChainErrorName = StakingErrorName | NeuronErrorName | RootClaimErrorName;

const SLIPPAGE_ERRORS: ReadonlySet<ChainErrorName> = new Set(['SlippageTooHigh', 'PriceLimitExceeded', 'RegistrationPriceLimitExceeded']);
/** Refusals of an argument outside a fixed interval, whatever the state: `E_RANGE`, as the library's own range checks. */
const RANGE_ERRORS: ReadonlySet<ChainErrorName> = new Set(['InvalidRootClaimThreshold']);

/** The chain refused an extrinsic; `chainError` is the pallet's error name. Nothing was changed. */
export class ChainRefused extends YumaError {
  /** The pallet's error name (`AmountTooLow`, `SlippageTooHigh`, `NoNeuronIdAvailable`, …). */
  readonly chainError: ChainErrorName;
  constructor(chainError: ChainErrorName, detail: string) {
    super(SLIPPAGE_ERRORS.has(chainError) ? 'E_SLIPPAGE' : RANGE_ERRORS.has(chainError) ? 'E_RANGE' : 'E_STATE', `${chainError}: ${detail}`);
    this.chainError = chainError;
  }
}

/** The name staking refusals were first exported under (the same class). */
export { ChainRefused as StakingRefused };

export interface AddStakeRequest {
  coldkey: string;
  hotkey: string;
  netuid: number;
  /** TAO (rao) the coldkey pays, fee included. */
  tao: bigint;
  /** Limit price in rao per alpha (price × 1e9): `add_stake_limit`. */
  limitPrice?: bigint;
  /** With a limit: stake what fits under it instead of refusing. */
  allowPartial?: boolean;
  /** A block author receives the fee (default true); without one the fee TAO is burned. */
  blockAuthor?: boolean;
}

export interface AddStakeResult {
  /** Alpha credited to (hotkey, coldkey). */
  alpha: bigint;
  /** TAO taken from the coldkey (≤ `tao` with a partial limit order). */
  taoStaked: bigint;
  /** TAO that entered the pool reserve. */
  taoToPool: bigint;
  /** Swap fee in TAO, paid to the block author (or burned). */
  fee: bigint;
  feeBurned: boolean;
}

export interface RemoveStakeRequest {
  coldkey: string;
  hotkey: string;
  netuid: number;
  /** Alpha to unstake; `remove_stake` clamps it to the stake held. */
  alpha: bigint;
  limitPrice?: bigint;
  allowPartial?: boolean;
  blockAuthor?: boolean;
}

export interface RemoveStakeResult {
  /** TAO paid to the coldkey. */
  tao: bigint;
  /** Alpha taken from the stake (sold + fee; a limit's unfilled rest is re-staked). */
  alphaUnstaked: bigint;
  /** Alpha fee; sold fee-less into the pool for `feeTao` to the author, or burned without an author. */
  feeAlpha: bigint;
  feeTao: bigint;
  refunded: bigint;
}

function checkU64(name: string, v: unknown): bigint {
  if (typeof v !== 'bigint') throw new YumaError('E_ARG', `${name} must be a bigint (rao), got ${typeof v}`);
  if (v < 0n || v > U64_MAX) throw new YumaError('E_RANGE', `${name} must be in [0, 2^64), got ${v}`);
  return v;
}

export function checkKey(name: string, v: unknown): string {
  if (typeof v !== 'string' || v.length === 0 || v.length > 128) throw new YumaError('E_ARG', `${name} must be a non-empty account id string`);
  return v;
}

/** A request copied once (plain object, known fields only): the extrinsic checks and runs on the copy. */
export function readRequest<T extends object>(req: unknown, allowed: readonly string[]): T {
  return readOptions(req, 'request', allowed, true) as T;
}

export function subnetOf(s: ChainState, netuid: unknown): ChainSubnet {
  if (typeof netuid !== 'number' || !Number.isInteger(netuid) || netuid < 0 || netuid > 65535) throw new YumaError('E_ARG', `netuid must be a u16, got ${show(netuid)}`);
  const sn = s.subnets.get(netuid);
  if (!sn || !sn.added) throw new ChainRefused('SubnetNotExists', `subnet ${netuid}`);
  return sn;
}

/** Snapshot of everything a staking call may touch, restored when the call fails (the extrinsic is transactional). */
export function snapshot(s: ChainState, sn: ChainSubnet, hotkeys: string[]): () => void {
  const totals = { totalStake: s.totalStake, totalIssuance: s.totalIssuance, balances: s.balancesTotalIssuance };
  const subnet = { ...sn };
  const pools = hotkeys.map((h) => {
    const k = poolKey(h, sn.netuid);
    const p = s.stakePools.get(k);
    return { k, p: p ? { ...p, shares: copyEntries<string, SafeFloat>(p.shares) } : undefined };
  });
  return () => {
    s.totalStake = totals.totalStake;
    s.totalIssuance = totals.totalIssuance;
    s.balancesTotalIssuance = totals.balances;
    Object.assign(sn, subnet);
    for (const { k, p } of pools) {
      if (p) s.stakePools.set(k, p);
      else s.stakePools.delete(k);
    }
  };
}

/** `sim_swap` on a copy of the pool (stable subnets: 1:1, no fee; constant-product eras through their pool). */
function simSwap(s: ChainState, sn: ChainSubnet, buy: boolean, amount: bigint, limitRao: bigint) {
  return poolSwap(s, sn, buy, amount, limitRao, false, true);
}

/** `get_max_amount_add`: TAO (fee included) that can be staked before the price reaches `limitRao`. */
export function maxAmountAdd(s: ChainState, sn: ChainSubnet, limitRao: bigint): bigint {
  if (sn.netuid === 0 || sn.mechanism === 0) return limitRao >= 1_000_000_000n ? U64_MAX : 0n;
  const r = simSwap(s, sn, true, sn.subnetTao * 1000n > U64_MAX ? U64_MAX : sn.subnetTao * 1000n, limitRao);
  if (typeof r === 'string') throw new ChainRefused(r, `subnet ${sn.netuid}: no stake fits under the limit`);
  return r.amountPaidIn + r.feePaid;
}

/** `get_max_amount_remove`: alpha (fee included) that can be sold before the price reaches `limitRao`. */
export function maxAmountRemove(s: ChainState, sn: ChainSubnet, limitRao: bigint): bigint {
  if (sn.netuid === 0 || sn.mechanism === 0) return limitRao <= 1_000_000_000n ? U64_MAX : 0n;
  const r = simSwap(s, sn, false, sn.subnetAlphaIn * 1000n > U64_MAX ? U64_MAX : sn.subnetAlphaIn * 1000n, limitRao);
  if (typeof r === 'string') throw new ChainRefused(r, `subnet ${sn.netuid}: nothing can be sold above the limit`);
  return r.amountPaidIn + r.feePaid;
}

/**
 * The fields of `add_stake` and `remove_stake` (and their `_limit` forms), read once and checked in this order:
 * keys, the amount (`tao` or `alpha`), the limit price (`noLimit` when none is given), the flags, the subnet.
 * `feeBurned`: the block has no author (`blockAuthor: false`), so the author's fee share is burned.
 */
function readStakeRequest(s: ChainState, request: unknown, amountKey: 'tao' | 'alpha', noLimit: bigint) {
  const req = readRequest<Record<string, unknown>>(request, ['coldkey', 'hotkey', 'netuid', amountKey, 'limitPrice', 'allowPartial', 'blockAuthor']);
  const coldkey = checkKey('coldkey', req.coldkey);
  const hotkey = checkKey('hotkey', req.hotkey);
  const amount = checkU64(amountKey, req[amountKey]);
  const limited = req.limitPrice !== undefined;
  const limitRao = limited ? checkU64('limitPrice', req.limitPrice) : noLimit;
  const allowPartial = req.allowPartial === undefined ? false : toBool(req.allowPartial, 'allowPartial');
  if (req.blockAuthor !== undefined) toBool(req.blockAuthor, 'blockAuthor');
  const sn = subnetOf(s, req.netuid);
  return { coldkey, hotkey, amount, limited, limitRao, allowPartial, feeBurned: req.blockAuthor === false, sn };
}

/** `add_stake` / `add_stake_limit`. */
export function addStake(s: ChainState, request: AddStakeRequest): AddStakeResult {
  const { coldkey, hotkey, amount: tao, limited, limitRao, allowPartial, feeBurned, sn } = readStakeRequest(s, request, 'tao', MAX_PRICE_RAO);

  if (sn.netuid !== 0 && sn.mechanism === 1 && tao > sn.subnetTao * 1000n) throw new ChainRefused('InsufficientLiquidity', 'input above 1000× the TAO reserve');
  const max = limited ? maxAmountAdd(s, sn, limitRao) : tao;
  const possible = tao < max ? tao : max;

  // validate_add_stake
  if (!sn.subtokenEnabled) throw new ChainRefused('SubtokenDisabled', `subnet ${sn.netuid}`);
  const minStake = minStakeOf(s);
  const minFee = (() => {
    if (minStake === 0n) return 0n;
    const r = simSwap(s, sn, true, minStake, MAX_PRICE_RAO);
    return typeof r === 'string' ? (isHead(s) ? feeAmount(sn as SwapPoolState, minStake, false) : 0n) : r.feePaid;
  })();
  if (tao < minStake + minFee || tao === 0n) throw new ChainRefused('AmountTooLow', `stake below the minimum ${minStake + minFee} rao`);
  let toAdd = tao;
  if (!allowPartial) {
    if (toAdd > max) throw new ChainRefused('SlippageTooHigh', `at most ${max} rao fits under the limit`);
  } else toAdd = max < toAdd ? max : toAdd;
  if (!s.hotkeys.has(hotkey)) throw new ChainRefused('HotKeyAccountNotExists', hotkey);
  const sim = simSwap(s, sn, true, toAdd, MAX_PRICE_RAO);
  if (typeof sim === 'string') throw new ChainRefused('InsufficientLiquidity', `simulated swap failed: ${sim}`);
  if (sim.amountPaidIn < minStake) throw new ChainRefused('AmountTooLow', 'net stake below the minimum');
  if (sim.amountPaidOut === 0n) throw new ChainRefused('InsufficientLiquidity', 'the stake buys no alpha');
  if (!poolCanUpdateOne(stakePool(s, hotkey, sn.netuid), sim.amountPaidOut)) throw new ChainRefused('InsufficientLiquidity', 'the stake buys no shares');

  // stake_into_subnet (transactional)
  const restore = snapshot(s, sn, [hotkey]);
  try {
    const r = swapTaoForAlpha(s, sn, possible, limitRao, false);
    if (typeof r === 'string') throw new ChainRefused(r, 'swap failed');
    if (r.amountPaidOut === 0n) throw new ChainRefused('AmountTooLow', 'the stake buys no alpha');
    if (!poolCanUpdateOne(stakePool(s, hotkey, sn.netuid), r.amountPaidOut)) throw new ChainRefused('InsufficientLiquidity', 'the stake buys no shares');
    stakeToColdkey(s, hotkey, coldkey, sn.netuid, r.amountPaidOut);
    if (feeBurned && r.feeToBlockAuthor > 0n) {
      s.totalIssuance -= r.feeToBlockAuthor;
      s.balancesTotalIssuance -= r.feeToBlockAuthor;
    }
    if (sn.netuid === 0) rootStakeAdded(s, hotkey, coldkey, r.amountPaidOut);
    return { alpha: r.amountPaidOut, taoStaked: possible, taoToPool: r.amountPaidIn, fee: r.feeToBlockAuthor, feeBurned };
  } catch (e) {
    restore();
    throw e;
  }
}

/** `remove_stake` / `remove_stake_limit`. */
export function removeStake(s: ChainState, request: RemoveStakeRequest): RemoveStakeResult {
  const { coldkey, hotkey, amount, limited, limitRao, allowPartial, feeBurned, sn } = readStakeRequest(s, request, 'alpha', MIN_PRICE_RAO);
  let alpha = amount;
  const pool = s.stakePools.get(poolKey(hotkey, sn.netuid));
  const held = pool && hasEntry(pool.shares, coldkey) ? poolValueOf(pool, coldkey) : 0n;

  if (!limited) {
    if (!sn.subtokenEnabled) throw new ChainRefused('SubtokenDisabled', `subnet ${sn.netuid}`);
    alpha = alpha < held ? alpha : held;
  }
  if (sn.netuid !== 0 && sn.mechanism === 1 && alpha > sn.subnetAlphaIn * 1000n) throw new ChainRefused('InsufficientLiquidity', 'input above 1000× the alpha reserve');
  const max = limited ? maxAmountRemove(s, sn, limitRao) : alpha;
  const possible = alpha < max ? alpha : max;

  // validate_remove_stake
  if (alpha === 0n) throw new ChainRefused('AmountTooLow', 'nothing to unstake');
  if (held < alpha) throw new ChainRefused('NotEnoughStakeToWithdraw', `holds ${held}, asked ${alpha}`);
  const sim = simSwap(s, sn, false, alpha, MIN_PRICE_RAO);
  if (typeof sim === 'string') throw new ChainRefused('InsufficientLiquidity', `simulated swap failed: ${sim}`);
  const minStake = minStakeOf(s);
  if (held - alpha !== 0n && sim.amountPaidOut < minStake) {
    throw new ChainRefused('AmountTooLow', `a partial unstake must be worth ≥ ${minStake} rao (this one ${sim.amountPaidOut})`);
  }
  if (!allowPartial && alpha > max) throw new ChainRefused('SlippageTooHigh', `at most ${max} alpha sells above the limit`);
  if (!s.hotkeys.has(hotkey)) throw new ChainRefused('HotKeyAccountNotExists', hotkey);

  // unstake_from_subnet (transactional)
  const restore = snapshot(s, sn, [hotkey]);
  try {
    const p = stakePool(s, hotkey, sn.netuid);
    if (poolValueOf(p, coldkey) >= possible) poolUpdateOne(p, coldkey, -possible);
    const r = swapAlphaForTao(s, sn, possible, limitRao, false);
    if (typeof r === 'string') throw new ChainRefused(r, 'swap failed');
    const used = r.amountPaidIn + r.feePaid;
    const refund = possible > used ? possible - used : 0n;
    if (refund !== 0n) stakeToColdkey(s, hotkey, coldkey, sn.netuid, refund);
    let feeTao = 0n;
    if (feeBurned) sn.alphaBurned += r.feeToBlockAuthor;
    else {
      const f = swapAlphaForTao(s, sn, r.feeToBlockAuthor, MIN_PRICE_RAO, true);
      if (typeof f === 'string') throw new ChainRefused(f, 'selling the alpha fee failed');
      feeTao = f.amountPaidOut;
    }
    if (sn.netuid === 0) rootStakeRemoved(s, hotkey, coldkey, possible);
    return { tao: r.amountPaidOut, alphaUnstaked: possible - refund, feeAlpha: r.feeToBlockAuthor, feeTao, refunded: refund };
  } catch (e) {
    restore();
    throw e;
  }
}
