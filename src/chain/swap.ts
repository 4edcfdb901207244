/**
 * Stake pools and swaps on a subnet's pool with the subnet's reserve bookkeeping: what the block
 * (`run_coinbase`'s excess-TAO buys), staking and registration all move value through, kept apart from the block
 * so those three import it instead of each other.
 */
import { type SwapPoolState, MAX_PRICE_RAO, MIN_PRICE_RAO, doSwap, limitPriceFromRao } from '../dtao/balancer.js';
import { u64SatAdd as u64Add, u64SatSub as u64Sub } from '../fixed/substrate-fixed.js';
import { U128_MAX } from '../units.js';
import { constantProductSwap, isHead } from './eras.js';
import { SF_ZERO, poolUpdateOne } from './safe-float.js';
import { type ChainState, type ChainSubnet, HotkeyNetuidMap, type StakePool, StakePoolMap, poolKey } from './state.js';

export function stakePool(s: ChainState, hotkey: string, netuid: number): StakePool {
  let p = poolOf(s, hotkey, netuid);
  if (!p) {
    p = { hotkey, netuid, value: 0n, denominator: SF_ZERO, shares: new Map() };
    // the index takes the hotkey as given rather than parsing it back out of the key (an epoch's payouts make a
    // pool for every UID of a subnet the first time)
    if (s.stakePools instanceof HotkeyNetuidMap) s.stakePools.put(hotkey, netuid, p);
    else s.stakePools.set(poolKey(hotkey, netuid), p);
  }
  return p;
}

/** The (hotkey, netuid) pool, through the state's index when it has one (`StakePoolMap`). */
export const poolOf = (s: ChainState, hotkey: string, netuid: number): StakePool | undefined =>
  s.stakePools instanceof StakePoolMap ? s.stakePools.poolOf(hotkey, netuid) : s.stakePools.get(poolKey(hotkey, netuid));

export const hotkeyStake = (s: ChainState, hotkey: string, netuid: number): bigint => poolOf(s, hotkey, netuid)?.value ?? 0n;

export function ownerOf(s: ChainState, hotkey: string): string {
  // `Owner` is a ValueQuery: an unknown hotkey reads the default account id
  return s.hotkeys.get(hotkey)?.owner ?? '0';
}

/** `increase_stake_for_hotkey_and_coldkey_on_subnet`. */
export function stakeToColdkey(s: ChainState, hotkey: string, coldkey: string, netuid: number, amount: bigint): void {
  poolUpdateOne(stakePool(s, hotkey, netuid), coldkey, amount);
}

/**
 * One swap on a subnet's pool, without the subnet's bookkeeping: the swap pallet on head, the era's
 * constant-product pool before it (no limit at the extreme price), 1:1 on a stable subnet; `buy` swaps TAO for
 * alpha. `simulate` prices it on a copy of the pool (the pallet's `sim_swap`). A string is the pallet's error.
 */
export function poolSwap(s: ChainState, sn: ChainSubnet, buy: boolean, amount: bigint, limitRao: bigint, dropFees: boolean, simulate = false): ReturnType<typeof doSwap> {
  if (sn.mechanism !== 1) return { amountPaidIn: amount, amountPaidOut: amount, feePaid: 0n, feeToBlockAuthor: 0n };
  if (!isHead(s)) return constantProductSwap(s, sn, buy, amount, (buy ? limitRao >= MAX_PRICE_RAO : limitRao <= MIN_PRICE_RAO) ? null : limitRao, dropFees);
  const pool = simulate ? { ...(sn as SwapPoolState) } : (sn as SwapPoolState);
  return doSwap(pool, buy, amount, limitPriceFromRao(limitRao), dropFees, s.swapMinimumReserve, simulate);
}

/** `swap_tao_for_alpha`: the swap plus the subnet's reserve bookkeeping. */
export function swapTaoForAlpha(s: ChainState, sn: ChainSubnet, tao: bigint, limitRao: bigint, dropFees: boolean): ReturnType<typeof doSwap> {
  const r = poolSwap(s, sn, true, tao, limitRao, dropFees);
  if (typeof r === 'string') return r;
  if (r.amountPaidOut !== 0n) sn.subnetAlphaIn = u64Sub(sn.subnetAlphaIn, r.amountPaidOut);
  sn.subnetAlphaOut = u64Add(sn.subnetAlphaOut, r.amountPaidOut);
  sn.subnetTao = u64Add(sn.subnetTao, r.amountPaidIn);
  s.totalStake = u64Add(s.totalStake, tao);
  sn.subnetVolume = volumeAdd(sn.subnetVolume, tao);
  return r;
}

/** `swap_alpha_for_tao`. */
export function swapAlphaForTao(s: ChainState, sn: ChainSubnet, alpha: bigint, limitRao: bigint, dropFees: boolean): ReturnType<typeof doSwap> {
  const r = poolSwap(s, sn, false, alpha, limitRao, dropFees);
  if (typeof r === 'string') return r;
  sn.subnetAlphaIn = u64Add(sn.subnetAlphaIn, r.amountPaidIn);
  sn.subnetAlphaOut = u64Sub(sn.subnetAlphaOut, r.amountPaidIn);
  if (r.amountPaidOut !== 0n) sn.subnetTao = u64Sub(sn.subnetTao, r.amountPaidOut);
  s.totalStake = u64Sub(s.totalStake, r.amountPaidOut);
  sn.subnetVolume = volumeAdd(sn.subnetVolume, r.amountPaidOut);
  return r;
}

/** `SubnetVolume` (u128) `saturating_add`: a volume near u128::MAX stops there (`+=` went past it, to a state no loader takes). */
export const volumeAdd = (volume: bigint, amount: bigint): bigint => (volume + amount > U128_MAX ? U128_MAX : volume + amount);
