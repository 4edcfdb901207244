/**
 * Root claims at 14bc6f9f (staking/claim_root.rs), to the rao. Root-alpha dividends accrue per hotkey and subnet as
 * a claimable rate (`RootClaimable`, alpha per unit of root stake, I96F32); a root staker is owed rate × its root
 * stake on that hotkey minus what it already claimed (`RootClaimed`, u128). `claim_root` pays what is owed on the
 * given subnets by the coldkey's `RootClaimType`: `Keep` stakes the alpha on the subnet, `Swap` sells it fee-less
 * through the pool and stakes the TAO on root, `KeepSubnets` keeps on the listed subnets and swaps elsewhere. A claim
 * below the subnet's `RootClaimableThreshold` waits. Root stake added counts as already claimed at the rate of the
 * moment (so a newcomer is not owed past dividends); root stake removed lowers the claimed watermark the same way.
 *
 * Not modelled: automatic claims (`run_auto_claim_root_divs` picks coldkeys from the block hash; `blockHashToIndices`
 * is its index rule), the staking-coldkey index, coldkey and hotkey swaps, subnet dissolution, and subnet account
 * balances (a swap claim cannot fail for want of TAO on the subnet account). `StakingHotkeys` (the hotkeys a coldkey
 * ever staked to, in first-stake order) is read as the hotkeys it holds root stake on, in pool order: only those
 * can be owed, and the order matters only to swap claims of one coldkey on several hotkeys of one subnet.
 */
import { YumaError } from '../errors.js';
import { I96F32, fromInt, mulSat, satSub, toIntSat } from '../fixed/substrate-fixed.js';
import { guard, readList } from '../validation/read.js';
import { MIN_PRICE_RAO } from '../dtao/balancer.js';
import { U128_MAX, U64_MAX } from '../units.js';
import { stakeToColdkey, swapAlphaForTao } from './swap.js';
import { entryOf, hasEntry, poolValueOf, setEntry } from './safe-float.js';
import { ChainRefused, checkKey, readRequest, snapshot, subnetOf } from './staking.js';
import { type ChainState, type RootClaimType, poolKey, rootClaimTypeIn } from './state.js';

const I64_MIN = -(1n << 63n);

/** `DefaultMinRootClaimAmount`: a claim below 500 000 alpha rao waits (I96F32 bits). */
export const DEFAULT_ROOT_CLAIM_THRESHOLD = 500_000n << 32n;
/** `MAX_SUBNET_CLAIMS`: subnets one `claim_root` call may name. */
export const MAX_SUBNET_CLAIMS = 5;
/** `MAX_ROOT_CLAIM_THRESHOLD`: the largest threshold `sudo_set_root_claim_threshold` accepts, alpha rao. */
export const MAX_ROOT_CLAIM_THRESHOLD = 10_000_000n;

/** Alpha rao of (hotkey, coldkey)'s stake on a subnet. */
const stakeOf = (s: ChainState, hotkey: string, coldkey: string, netuid: number): bigint => {
  const p = s.stakePools.get(poolKey(hotkey, netuid));
  return p && hasEntry(p.shares, coldkey) ? poolValueOf(p, coldkey) : 0n;
};

/** `RootClaimable[hotkey]`: the claimable rate per netuid (I96F32 bits), in netuid order as the chain's BTreeMap. */
export function rootClaimableRates(s: ChainState, hotkey: string): Array<[number, bigint]> {
  const out: Array<[number, bigint]> = [];
  const prefix = `${hotkey}/`;
  for (const [k, rate] of s.rootClaimable) {
    if (!k.startsWith(prefix)) continue;
    const tail = k.slice(prefix.length);
    if (/^\d+$/.test(tail)) out.push([Number(tail), rate]);
  }
  return out.sort((a, b) => a[0] - b[0]);
}

const claimedOf = (s: ChainState, hotkey: string, coldkey: string, netuid: number): bigint =>
  claimedIn(s.rootClaimed.get(poolKey(hotkey, netuid)), coldkey);

const claimedIn = (m: Map<string, bigint> | undefined, coldkey: string): bigint => (m === undefined ? 0n : (entryOf(m, coldkey) ?? 0n));

function setClaimed(s: ChainState, hotkey: string, coldkey: string, netuid: number, v: bigint): void {
  const k = poolKey(hotkey, netuid);
  let m = s.rootClaimed.get(k);
  if (!m) {
    m = new Map();
    s.rootClaimed.set(k, m);
  }
  setEntry(m, coldkey, v);
}

/** `get_root_owed_for_hotkey_coldkey_float`: rate × root stake − claimed, I96F32 bits (negative when over-claimed). */
export function rootOwedBits(s: ChainState, hotkey: string, coldkey: string, netuid: number): bigint {
  const rate = s.rootClaimable.get(poolKey(hotkey, netuid)) ?? 0n;
  const claimable = mulSat(I96F32, rate, fromInt(I96F32, stakeOf(s, hotkey, coldkey, 0)));
  return satSub(I96F32, claimable, fromInt(I96F32, claimedOf(s, hotkey, coldkey, netuid)));
}

/** `get_root_owed_for_hotkey_coldkey`: what (hotkey, coldkey) could claim on a subnet now, alpha rao. */
export function rootOwed(s: ChainState, hotkey: string, coldkey: string, netuid: number): bigint {
  const owed = rootOwedBits(s, hotkey, coldkey, netuid);
  return owed < 0n ? 0n : toIntSat(I96F32, owed, 0n, U64_MAX);
}

/** `add_stake_adjust_root_claimed_for_hotkey_and_coldkey`: root stake added counts as claimed on every subnet. */
export function rootStakeAdded(s: ChainState, hotkey: string, coldkey: string, amount: bigint): void {
  for (const [netuid, rate] of rootClaimableRates(s, hotkey)) {
    const add = toIntSat(I96F32, mulSat(I96F32, rate, fromInt(I96F32, amount)), 0n, U128_MAX);
    const v = claimedOf(s, hotkey, coldkey, netuid) + add;
    setClaimed(s, hotkey, coldkey, netuid, v > U128_MAX ? U128_MAX : v);
  }
}

/** `remove_stake_adjust_root_claimed_for_hotkey_and_coldkey`: root stake removed lowers the claimed watermark. */
export function rootStakeRemoved(s: ChainState, hotkey: string, coldkey: string, amount: bigint): void {
  for (const [netuid, rate] of rootClaimableRates(s, hotkey)) {
    if (netuid === 0) continue;
    const sub = toIntSat(I96F32, mulSat(I96F32, rate, fromInt(I96F32, amount)), 0n, U128_MAX);
    const v = claimedOf(s, hotkey, coldkey, netuid) - sub;
    setClaimed(s, hotkey, coldkey, netuid, v < 0n ? 0n : v);
  }
}

/** What one (hotkey, subnet) paid a coldkey in a `claimRoot` call. */
export interface RootClaimPayout {
  /** The hotkey whose root dividends were claimed. */
  hotkey: string;
  /** The subnet the dividends accrued on. */
  netuid: number;
  /** Alpha owed and marked claimed. */
  alpha: bigint;
  /** Kept as alpha stake on the subnet (`Keep`), or sold for `tao` staked on root (`Swap`). */
  kept: boolean;
  /** TAO the alpha was sold for and staked on root (0 when kept). */
  tao: bigint;
}

/** `claim_root`'s arguments. */
export interface ClaimRootRequest {
  /** The claiming coldkey (the signer). */
  coldkey: string;
  /** The subnets to claim on (1 to `MAX_SUBNET_CLAIMS`, a set). */
  subnets: number[];
}

/** `root_claim_on_subnet` for one (hotkey, coldkey, netuid); returns null when nothing was claimed. */
function claimOnSubnet(s: ChainState, hotkey: string, coldkey: string, netuid: number, type: RootClaimType): RootClaimPayout | null {
  const owed = rootOwedBits(s, hotkey, coldkey, netuid);
  if (owed < (s.rootClaimableThreshold.get(netuid) ?? DEFAULT_ROOT_CLAIM_THRESHOLD)) return null;
  const owedU64 = owed < 0n ? 0n : toIntSat(I96F32, owed, 0n, U64_MAX);
  if (owedU64 === 0n) return null;
  const swap = type === 'Swap' ? true : type === 'Keep' ? false : !type.keepSubnets.includes(netuid);
  let tao = 0n;
  if (swap) {
    const sn = s.subnets.get(netuid);
    if (!sn) throw new ChainRefused('SubnetNotExists', `subnet ${netuid} (root claimable on a removed subnet)`);
    const r = swapAlphaForTao(s, sn, owedU64, MIN_PRICE_RAO, true);
    if (typeof r === 'string') throw new ChainRefused(r, `selling ${owedU64} claimed alpha on subnet ${netuid}`);
    tao = r.amountPaidOut;
    // the sale is a protocol outflow of the subnet (record_protocol_outflow, i64 saturating)
    const flow = sn.subnetProtocolFlow - tao;
    sn.subnetProtocolFlow = flow < I64_MIN ? I64_MIN : flow;
    stakeToColdkey(s, hotkey, coldkey, 0, tao);
    const root = s.subnets.get(0)!;
    root.subnetTao += tao;
    root.subnetAlphaOut += tao;
    s.totalStake += tao;
    rootStakeAdded(s, hotkey, coldkey, tao);
  } else {
    stakeToColdkey(s, hotkey, coldkey, netuid, owedU64);
  }
  const v = claimedOf(s, hotkey, coldkey, netuid) + owedU64;
  setClaimed(s, hotkey, coldkey, netuid, v > U128_MAX ? U128_MAX : v);
  return { hotkey, netuid, alpha: owedU64, kept: !swap, tao };
}

/** Hotkeys a coldkey holds root stake on, in pool order (see the module note on `StakingHotkeys`). */
function rootHotkeysOf(s: ChainState, coldkey: string): string[] {
  const out: string[] = [];
  for (const p of s.stakePools.values()) if (p.netuid === 0 && hasEntry(p.shares, coldkey)) out.push(p.hotkey);
  return out;
}

/**
 * `claim_root(subnets)`: every hotkey the coldkey root-stakes on claims what is owed on the named subnets, by the
 * coldkey's claim type. All or nothing: a refused sale refuses the call and changes nothing.
 */
export function claimRoot(s: ChainState, request: ClaimRootRequest): RootClaimPayout[] {
  const req = readRequest<ClaimRootRequest>(request, ['coldkey', 'subnets']);
  const coldkey = checkKey('coldkey', req.coldkey);
  const subnets = readList(req.subnets, 'subnets', 65_536).map((n) => {
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > 65535) throw new YumaError('E_ARG', `subnets must hold u16 netuids, got ${typeof n}`);
    return n;
  });
  const set = new Set(subnets);
  if (set.size === 0 || set.size > MAX_SUBNET_CLAIMS) throw new ChainRefused('InvalidSubnetNumber', `claim on 1 to ${MAX_SUBNET_CLAIMS} subnets (got ${set.size})`);
  const type = s.rootClaimType.get(coldkey) ?? 'Swap';

  // the whole call is one transaction: snapshot what a claim can touch
  const hotkeys = rootHotkeysOf(s, coldkey);
  const restores: Array<() => void> = [];
  const claimedBefore = new Map([...s.rootClaimed].map(([k, m]) => [k, new Map(m)]));
  for (const netuid of new Set([0, ...set])) {
    const sn = s.subnets.get(netuid);
    if (sn) restores.push(snapshot(s, sn, hotkeys));
  }
  try {
    const out: RootClaimPayout[] = [];
    for (const hotkey of hotkeys) {
      for (const [netuid] of rootClaimableRates(s, hotkey)) {
        if (!set.has(netuid)) continue;
        const paid = claimOnSubnet(s, hotkey, coldkey, netuid, type);
        if (paid) out.push(paid);
      }
    }
    return out;
  } catch (e) {
    for (const r of restores.reverse()) r();
    s.rootClaimed = claimedBefore;
    throw e;
  }
}

/** `set_root_claim_type`: how the coldkey's future claims are paid. */
export function setRootClaimType(s: ChainState, request: { coldkey: string; type: RootClaimType }): void {
  const req = readRequest<{ coldkey: string; type: RootClaimType }>(request, ['coldkey', 'type']);
  const coldkey = checkKey('coldkey', req.coldkey);
  let type: RootClaimType;
  try {
    // a claim type object is the caller's: what its getters or traps throw is E_ARG
    type = guard('type', () => rootClaimTypeIn(req.type, 'type'));
  } catch (e) {
    if (e instanceof YumaError && /InvalidSubnetNumber/.test(e.message)) throw new ChainRefused('InvalidSubnetNumber', 'keepSubnets is empty');
    throw e;
  }
  s.rootClaimType.set(coldkey, type);
}

/** `sudo_set_root_claim_threshold`: claims below `threshold` alpha rao wait on this subnet (at most 10 000 000). */
export function setRootClaimThreshold(s: ChainState, request: { netuid: number; threshold: bigint }): void {
  const req = readRequest<{ netuid: number; threshold: bigint }>(request, ['netuid', 'threshold']);
  const sn = subnetOf(s, req.netuid);
  if (typeof req.threshold !== 'bigint' || req.threshold < 0n) throw new YumaError('E_ARG', 'threshold must be a non-negative bigint (alpha rao)');
  if (req.threshold > MAX_ROOT_CLAIM_THRESHOLD) throw new ChainRefused('InvalidRootClaimThreshold', `at most ${MAX_ROOT_CLAIM_THRESHOLD}`);
  s.rootClaimableThreshold.set(sn.netuid, req.threshold << 32n);
}

/**
 * `block_hash_to_indices(hash, k, n)`: the staking-coldkey indices auto-claim visits in a block — k steps through
 * [0, n), each adding the big-endian u64 at byte 8·i mod 32 of the 32-byte hash, starting from its first u64;
 * sorted and without repeats.
 */
export function blockHashToIndices(hash: Uint8Array, k: bigint, n: bigint): bigint[] {
  if (!(hash instanceof Uint8Array) || hash.length !== 32) throw new YumaError('E_ARG', 'hash must be 32 bytes (a Uint8Array)');
  if (typeof k !== 'bigint' || typeof n !== 'bigint' || k < 0n || n < 0n || k > 1000n || n > U64_MAX) {
    throw new YumaError('E_RANGE', 'k must be a bigint in [0, 1000] and n a u64 bigint');
  }
  const u64At = (i: number): bigint => {
    let v = 0n;
    for (let j = 0; j < 8; j++) v = (v << 8n) | BigInt(hash[i + j]);
    return v;
  };
  const out = new Set<bigint>();
  let last = u64At(0);
  for (let i = 0n; i < k; i++) {
    const step = u64At(Number((i * 8n) % 32n));
    const sum = last + step > U64_MAX ? U64_MAX : last + step;
    const idx = n === 0n ? 0n : sum % n;
    out.add(idx);
    last = idx;
  }
  return [...out].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

