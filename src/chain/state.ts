/**
 * The chain state one block reads and writes, as plain data. Amounts are bigint rao; fixed-point values are
 * their raw bits (`I96F32`/`U96F32`: value·2^32, `U64F64`: value·2^64); share-pool numbers are `SafeFloat`s.
 * The JSON form (`chainStateToJSON` / `chainStateFromJSON`) writes u64/u128 values as decimal strings and
 * fixed-point values as `{ bits, f64 }` (the f64 is a display view; only the bits are read back), so real chain
 * storage can be loaded field by field and a state survives a round trip bit for bit.
 */
import { YumaError } from '../errors.js';
import { I96F32, U64F64, U96F32, fromF64, toF64 } from '../fixed/substrate-fixed.js';
import { MechanismNeurons, SubnetNeurons } from '../subnet/neurons.js';
import { resolveHyper } from '../epoch/prepare.js';
import type { Hyperparams } from '../epoch/types.js';
import { type ChainRules, eraRules } from './eras.js';
import { describe } from '../validation/describe.js';
import { U128_MAX, U64_MAX } from '../units.js';
import { guard, readList, readOptions } from '../validation/read.js';
import { toAmount, toBool, toInt } from '../validation/values.js';
import { type SafeFloat, type SharePool, SF_ZERO, copyEntries, entryCount, poolValueOf, sfNew, sfToNumber } from './safe-float.js';
import { isPinned, isPinnedHotkey, isPinnedPool, isPinnedSafeFloat, pinPlain, pinTyped, plainArray, proxied } from './plain.js';

export interface EpochParams {
  kappa: number;
  bondsMovingAverage: bigint;
  bondsPenalty: number;
  activityCutoffBlocks: bigint;
  maxAllowedValidators: number;
  liquidAlphaOn: boolean;
  alphaLow: number;
  alphaHigh: number;
  alphaSigmoidSteepness: number;
  yuma3On: boolean;
  commitRevealWeightsEnabled: boolean;
}

/** One neuron as a record (the JSON form and `newSubnet`'s input); in the state, neurons live in `SubnetNeurons`. */
export interface Neuron {
  uid: number;
  hotkey: string;
  blockAtRegistration: bigint;
  lastUpdate: bigint;
  validatorPermit: boolean;
  weights: Array<[number, number]>;
  bonds: Array<[number, number]>;
}

export type RecycleOrBurn = 'Recycle' | 'Burn' | null;

/** Mechanisms 1… of a subnet as records (mechanism 0 is in the neuron records): per-UID weights, bonds, last updates. */
export interface MechanismState {
  weights: Array<Array<[number, number]>>;
  bonds: Array<Array<[number, number]>>;
  lastUpdate: bigint[];
}

/** One subnet's chain storage, by the chain's storage names (amounts in rao / alpha rao, fixed point as raw bits). */
export interface ChainSubnet {
  /** The subnet's id. */
  netuid: number;
  /** Key present in `NetworksAdded` (iterated by `get_all_subnet_netuids`). */
  added: boolean;
  /** 0 stable (price ≡ 1), 1 dynamic (Balancer pool). */
  mechanism: number;
  /** `SubnetTAO`: TAO in the pool, rao. */
  subnetTao: bigint;
  /** `SubnetAlphaIn`: alpha in the pool, alpha rao. */
  subnetAlphaIn: bigint;
  /** `SubnetAlphaOut`: alpha outside the pool (staked, pending), alpha rao. */
  subnetAlphaOut: bigint;
  /** `SubnetProtocolAlpha`: alpha the protocol bought with excess TAO, alpha rao. */
  subnetProtocolAlpha: bigint;
  /** I96F32 bits. */
  subnetMovingPrice: bigint;
  /** Swap pallet `SwapBalancer`: the pool's quote (TAO) weight in Perquintill parts (10¹⁸ = 1). */
  swapBalancerQuoteWeightParts: bigint;
  /** Swap pallet `PalSwapInitialized`: the Balancer pool is set up. */
  palSwapInitialized: boolean;
  /** Swap pallet `FeeRate`: swap fee, u16 as a proportion of 65535. */
  feeRate: number;
  /** `FirstEmissionBlockNumber`: the block after `start_call`, or null before it. */
  firstEmissionBlockNumber: bigint | null;
  /** `SubtokenEnabled`: staking and emission are open. */
  subtokenEnabled: boolean;
  /** `NetworkRegistrationAllowed`. */
  networkRegistrationAllowed: boolean;
  /** `SubnetEmissionEnabled`: the subnet takes part in TAO emission. */
  subnetEmissionEnabled: boolean;
  /** U96F32 bits. */
  minerBurned: bigint;
  /** `EMAPriceHalvingBlocks`: blocks over which the moving price's α ramps up. */
  emaPriceHalvingBlocks: bigint;
  /** `Tempo`: blocks between epochs. */
  tempo: number;
  /** `LastEpochBlock`: block of the last epoch slot (advances on every due slot and on `set_tempo`). */
  lastEpochBlock: bigint;
  /** `PendingEpochAt`: block at which a manually triggered epoch fires (0: none). */
  pendingEpochAt: bigint;
  /** `BlocksSinceLastStep`. */
  blocksSinceLastStep: bigint;
  /** `SubnetEpochIndex`: epoch slots consumed so far. */
  subnetEpochIndex: bigint;
  /** `LastMechansimStepBlock` (sic): block of the last epoch run. */
  lastMechansimStepBlock: bigint;
  /** `PendingServerEmission`: alpha waiting for the miners at the next epoch, alpha rao. */
  pendingServerEmission: bigint;
  /** `PendingValidatorEmission`: alpha waiting for the validators, alpha rao. */
  pendingValidatorEmission: bigint;
  /** `PendingRootAlphaDivs`: alpha waiting for root stakers, alpha rao. */
  pendingRootAlphaDivs: bigint;
  /** `PendingOwnerCut`: alpha waiting for the owner, alpha rao. */
  pendingOwnerCut: bigint;
  /** `SubnetTaoInEmission`: TAO injected into the pool in the last block, rao. */
  subnetTaoInEmission: bigint;
  /** `SubnetAlphaInEmission`: alpha injected into the pool in the last block, alpha rao. */
  subnetAlphaInEmission: bigint;
  /** `SubnetAlphaOutEmission`: alpha emitted to participants in the last block, alpha rao. */
  subnetAlphaOutEmission: bigint;
  /** `SubnetExcessTao`: TAO the protocol swapped for alpha in the last block, rao. */
  subnetExcessTao: bigint;
  /** `OwnerCutEnabled`. */
  ownerCutEnabled: boolean;
  /** `SubnetOwner`: the owner's coldkey, or null. */
  subnetOwner: string | null;
  /** `SubnetOwnerHotkey`, or null. */
  subnetOwnerHotkey: string | null;
  /** `RecycleOrBurn`: what happens to withheld alpha. */
  recycleOrBurn: RecycleOrBurn;
  /** `SubnetVolume`: TAO bought and sold through the pool since the start, rao. */
  subnetVolume: bigint;
  /** `SubnetProtocolFlow`: this block's protocol TAO flow (emission + chain buys − root sells), rao. */
  subnetProtocolFlow: bigint;
  /** U96F32 bits. */
  rootProp: bigint;
  /** Cumulative alpha burned / recycled on this subnet (counters, not chain storage). */
  alphaBurned: bigint;
  /** Cumulative alpha recycled on this subnet (a counter, not chain storage). */
  alphaRecycled: bigint;
  /** The epoch's hyper-parameters as stored. */
  epochParams: EpochParams;
  /**
   * The subnet's neurons and every mechanism's weights, bonds and last updates (`MechanismCountCurrent`,
   * `MechanismEmissionSplit`): the same table `Subnet` keeps.
   */
  neurons: SubnetNeurons;
  /** UID registration (`MaxAllowedUids`, immunity, the burn price and its decay), or null where it is not modelled. */
  registration: SubnetRegistration | null;
}

/**
 * What burned registration reads and writes on a subnet. The burn price decays every block by the factor whose
 * `burnHalfLife`-th power is ½ and rises by `burnIncreaseMult` after each registration, within [minBurn, maxBurn].
 */
export interface SubnetRegistration {
  /** `MaxAllowedUids`: UID slots; beyond them a registration prunes a UID. */
  maxAllowedUids: number;
  /** `ImmunityPeriod`, blocks after registration during which a UID is only pruned as a last resort. */
  immunityPeriod: number;
  /** `MinNonImmuneUids`: non-immune UIDs that must remain before an immune one is pruned instead. */
  minNonImmuneUids: number;
  /** `ImmuneOwnerUidsLimit`: how many of the owner coldkey's registered hotkeys are never pruned. */
  immuneOwnerUidsLimit: number;
  /** `Burn`: TAO (rao) the next registration costs. */
  burn: bigint;
  /** `MinBurn`, rao: the burn price never decays below it. */
  minBurn: bigint;
  /** `MaxBurn`, rao: the burn price never rises above it. */
  maxBurn: bigint;
  /** `BurnHalfLife`, blocks: the burn price halves over this many blocks without registrations. */
  burnHalfLife: number;
  /** `BurnIncreaseMult`, U64F64 bits. */
  burnIncreaseMult: bigint;
  /** `RAORecycledForRegistration`: TAO paid for registrations. */
  raoRecycledForRegistration: bigint;
  /** Alpha the burns bought and destroyed (a counter, not chain storage). */
  alphaBurnedByRegistration: bigint;
}

/** `SubnetRegistration` with the runtime's defaults at 14bc6f9f (256 UIDs, immunity 4096, burn 0.1 TAO, ×1.26, half-life 360). */
export function defaultRegistration(fields: Partial<SubnetRegistration> = {}): SubnetRegistration {
  const defaults = registrationDefaults();
  return { ...defaults, ...scalarFields(fields, defaults, 'registration fields') };
}

function registrationDefaults(): SubnetRegistration {
  return {
    maxAllowedUids: 256,
    immunityPeriod: 4096,
    minNonImmuneUids: 10,
    immuneOwnerUidsLimit: 1,
    burn: 100_000_000n,
    minBurn: 500_000n,
    maxBurn: 100_000_000_000n,
    burnHalfLife: 360,
    burnIncreaseMult: fromF64(U64F64, 1.26),
    raoRecycledForRegistration: 0n,
    alphaBurnedByRegistration: 0n,
  };
}

/**
 * A caller's fields over `defaults`, read once: only keys `defaults` (or `extra`) has; a value has its default's
 * type (bigint, whole number ≥ 0, boolean; a null default takes anything but a function or Symbol), or null
 * under a `nullable` key. Values under `extra` keys are passed through for the caller's own check.
 */
function scalarFields<T extends object>(
  fields: unknown,
  defaults: T,
  where: string,
  extra: readonly string[] = [],
  nullable: readonly string[] = [],
): Partial<T> & Record<string, unknown> {
  const keys = [...Object.keys(defaults), ...extra];
  const given = readOptions(fields, where, keys);
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(given)) {
    const v = (given as Record<string, unknown>)[k];
    const d = (defaults as Record<string, unknown>)[k];
    if (extra.includes(k) || (v === null && nullable.includes(k))) out[k] = v;
    else if (typeof d === 'bigint') {
      // any sign: flows, and the chain tests' 'last epoch' before block 0, are negative
      if (typeof v !== 'bigint') throw new YumaError('E_ARG', `${where}.${k} must be a bigint (got ${describe(v)})`);
      out[k] = v;
    } else if (typeof d === 'number') out[k] = toInt(v, `${where}.${k}`, 0, Number.MAX_SAFE_INTEGER);
    else if (typeof d === 'boolean') out[k] = toBool(v, `${where}.${k}`);
    else if (typeof v === 'function' || typeof v === 'symbol') throw new YumaError('E_ARG', `${where}.${k} cannot be ${describe(v)}`);
    else out[k] = v;
  }
  return out as Partial<T> & Record<string, unknown>;
}

export interface HotkeyInfo {
  owner: string;
  /** `Delegates` (u16 parts of 65535); absent → the default take. */
  delegateTake?: number;
  /** `ChildkeyTake` per netuid (u16 parts of 65535). */
  childkeyTake?: Map<number, number>;
}

/** A parent/child link on one subnet: `proportion` of u64::MAX. */
export interface ChildLink {
  proportion: bigint;
  key: string;
}

export interface StakePool extends SharePool {
  hotkey: string;
  netuid: number;
}

/** How many entries a `HotkeyNetuidMap`'s index holds. */
let indexedCount: (m: HotkeyNetuidMap<unknown>) => number;
/**
 * Counts a change of a `HotkeyInfoMap`, so that entries looked up before it are looked up again (the state's check,
 * for an entry it has not seen before or a count its own set and delete did not make: `Map.prototype.set` called on
 * the map replaces an entry without telling the epochs' kept lookups).
 */
let touchHotkeys: (m: HotkeyInfoMap) => void;
/** Entries of a `HotkeyInfoMap` as its own set and delete counted them. */
let hotkeysCounted: (m: HotkeyInfoMap) => number;
const mapSizeOf = Object.getOwnPropertyDescriptor(Map.prototype, 'size')!.get! as (this: Map<unknown, unknown>) => number;

/**
 * A Map of `${hotkey}/${netuid}` keys (`poolKey`) that also indexes its entries by netuid, then hotkey, so the block's
 * hot paths (every UID's pools and root-claimable entry each epoch, the simulator's stakers) find an entry without
 * building and hashing a fresh key string, and an epoch reads one subnet's small map instead of the whole state's.
 * `newChainState` and `chainStateFromJSON` give `stakePools` and `rootClaimable` as these (a plain Map still works).
 */
export class HotkeyNetuidMap<V> extends Map<string, V> {
  readonly #byNetuid = new Map<number, { byHotkey: Map<string, V>; changes: number }>();
  /** Entries in the index: the state's check compares it with the map's size (see `indexAgrees`). */
  #indexed = 0;

  /** The entry of (hotkey, netuid), as `get(poolKey(hotkey, netuid))`. */
  at(hotkey: string, netuid: number): V | undefined {
    return this.#byNetuid.get(netuid)?.byHotkey.get(hotkey);
  }

  /** The entries of one netuid by hotkey: a live view (later `set`s and `delete`s show in it); never write to it. */
  onNetuid(netuid: number): ReadonlyMap<string, V> {
    return this.entriesOn(netuid).byHotkey;
  }

  /**
   * One netuid's entries and their change count, for lookups kept between blocks: while the same object has the
   * same `changes`, no entry of the netuid was added or removed, and no object entry replaced by another.
   */
  entriesOn(netuid: number): NetuidEntries<V> {
    return this.#entries(netuid);
  }

  #entries(netuid: number): { byHotkey: Map<string, V>; changes: number } {
    let m = this.#byNetuid.get(netuid);
    if (m === undefined) this.#byNetuid.set(netuid, (m = { byHotkey: new Map(), changes: 0 }));
    return m;
  }

  override set(key: string, value: V): this {
    const at = splitPoolKey(key);
    if (at !== null) this.#index(at.hotkey, at.netuid, value);
    return super.set(key, value);
  }

  /** `set(poolKey(hotkey, netuid), value)` without parsing the key back (the payouts' claimable updates). */
  put(hotkey: string, netuid: number, value: V): this {
    this.#index(hotkey, netuid, value);
    return super.set(poolKey(hotkey, netuid), value);
  }

  #index(hotkey: string, netuid: number, value: V): void {
    const m = this.#entries(netuid);
    const old = m.byHotkey.get(hotkey);
    // a new entry, or an object (a pool) replaced by another; not a number's new value (claimable rates move every epoch)
    const added = old === undefined && !m.byHotkey.has(hotkey);
    if (added) this.#indexed++;
    if (added || (typeof old === 'object' && old !== value)) m.changes++;
    m.byHotkey.set(hotkey, value);
  }

  override delete(key: string): boolean {
    const at = splitPoolKey(key);
    const m = at === null ? undefined : this.#byNetuid.get(at.netuid);
    if (m !== undefined && m.byHotkey.delete(at!.hotkey)) {
      m.changes++;
      this.#indexed--;
    }
    return super.delete(key);
  }

  override clear(): void {
    this.#byNetuid.clear();
    this.#indexed = 0;
    super.clear();
  }

  static {
    indexedCount = (m) => m.#indexed;
  }
}

/**
 * `ChainState.hotkeys` as `newChainState` and `chainStateFromJSON` give it: a Map that counts what can make an entry
 * looked up earlier stale (replaced by another object, deleted, the map cleared), so the epochs can keep their UIDs'
 * entries between blocks. A hotkey added (a registration) changes no entry looked up before.
 */
export class HotkeyInfoMap extends Map<string, HotkeyInfo> {
  #changes = 0;

  /** Entries as its own set and delete counted them (the state's check compares it with the map's size). */
  #count = 0;

  static {
    touchHotkeys = (m) => {
      m.#changes++;
      m.#count = mapSizeOf.call(m);
    };
    hotkeysCounted = (m) => m.#count;
  }

  /** Grows with every replacement, deletion and clear. */
  get changes(): number {
    return this.#changes;
  }

  override set(key: string, info: HotkeyInfo): this {
    const old = super.get(key);
    if (old !== undefined && old !== info) this.#changes++;
    // Map's constructor calls set before this class's fields exist: entries given to it are counted by the check
    if (old === undefined && #count in this && !super.has(key)) this.#count++;
    return super.set(key, info);
  }

  override delete(key: string): boolean {
    const gone = super.delete(key);
    if (gone) {
      this.#changes++;
      this.#count--;
    }
    return gone;
  }

  override clear(): void {
    this.#changes++;
    this.#count = 0;
    super.clear();
  }
}

/** One netuid's entries of a `HotkeyNetuidMap` (see `entriesOn`). */
export interface NetuidEntries<V> {
  readonly byHotkey: ReadonlyMap<string, V>;
  readonly changes: number;
}

/** `ChainState.stakePools` as `newChainState` and `chainStateFromJSON` give it. */
export class StakePoolMap extends HotkeyNetuidMap<StakePool> {
  /** The pool of (hotkey, netuid), as `get(poolKey(hotkey, netuid))`. */
  poolOf(hotkey: string, netuid: number): StakePool | undefined {
    return this.at(hotkey, netuid);
  }
}

/**
 * Lookups of one netuid's entries of a `poolKey`-keyed map, by hotkey: through the index of a `HotkeyNetuidMap`
 * (one small map), else by key string. For loops that look up many hotkeys of one subnet.
 */
export function lookupOnNetuid<V>(m: Map<string, V>, netuid: number): (hotkey: string) => V | undefined {
  if (m instanceof HotkeyNetuidMap) {
    const on = (m as HotkeyNetuidMap<V>).onNetuid(netuid);
    return (hotkey) => on.get(hotkey);
  }
  return (hotkey) => m.get(poolKey(hotkey, netuid));
}

/** (hotkey, netuid) of a `poolKey`; null for a string no `poolKey` call makes (nothing `poolOf` could ask for). */
function splitPoolKey(key: string): { hotkey: string; netuid: number } | null {
  const slash = typeof key === 'string' ? key.lastIndexOf('/') : -1;
  if (slash < 0) return null;
  const digits = key.slice(slash + 1);
  const netuid = Number(digits);
  return Number.isInteger(netuid) && String(netuid) === digits ? { hotkey: key.slice(0, slash), netuid } : null;
}

/** The chain state one block reads and writes (see the module note for units); `Chain` drives it. */
export interface ChainState {
  /** The current block. */
  block: bigint;
  /** Subtensor's `TotalIssuance`, rao. */
  totalIssuance: bigint;
  /** The balances pallet's total issuance, rao (what the coinbase mints against the 21M cap). */
  balancesTotalIssuance: bigint;
  /** `TotalStake`, rao. */
  totalStake: bigint;
  /** `TaoWeight`: root's weight against alpha, u64 parts of 2⁶⁴ − 1. */
  taoWeight: bigint;
  /** `CKBurn`: share of childkey take burned, u64 parts of 2⁶⁴ − 1. */
  ckBurn: bigint;
  /** `SubnetOwnerCut`, u16 as a proportion of 65535. */
  subnetOwnerCut: number;
  /** I96F32 bits. */
  subnetMovingAlpha: bigint;
  /** `MaxEpochsPerBlock`: at most this many epochs run in one block; the rest are deferred. */
  maxEpochsPerBlock: number;
  /** `StakeThreshold`, rao. */
  stakeThreshold: bigint;
  /** The swap pallet's `MinimumReserve`, rao. */
  swapMinimumReserve: bigint;
  /** `BlockEmission` of the last block, rao. */
  blockEmission: bigint;
  /** The delegate take of hotkeys without their own, u16 as a proportion of 65535. */
  defaultDelegateTake: number;
  /** Every subnet by netuid (root is 0). */
  subnets: Map<number, ChainSubnet>;
  /** Hotkey owners and takes. */
  hotkeys: Map<string, HotkeyInfo>;
  /** `OwnedHotkeys`: coldkey → its hotkeys. */
  ownedHotkeys: Map<string, string[]>;
  /** key `${coldkey}/${netuid}` → destination hotkey. */
  autoStakeDestination: Map<string, string>;
  /** key `${hotkey}/${netuid}`. */
  stakePools: Map<string, StakePool>;
  /** key `${hotkey}/${netuid}` → I96F32 bits (alpha per unit of root stake). */
  rootClaimable: Map<string, bigint>;
  /**
   * `RootClaimed[(netuid, hotkey, coldkey)]`: alpha rao (u128) a root staker has claimed of a hotkey's root
   * claimable on a subnet (root stake added counts as claimed at the rate of the moment). Keyed `${hotkey}/${netuid}`,
   * then by coldkey.
   */
  rootClaimed: Map<string, Map<string, bigint>>;
  /** `RootClaimType` per coldkey; absent: `Swap`, the chain's default. */
  rootClaimType: Map<string, RootClaimType>;
  /** `RootClaimableThreshold` per netuid, I96F32 bits; absent: 500 000 alpha rao. */
  rootClaimableThreshold: Map<number, bigint>;
  /** `ChildKeys[parent][netuid]` and `ParentKeys[child][netuid]`, keyed `${hotkey}/${netuid}`. */
  childKeys: Map<string, ChildLink[]>;
  /** `ParentKeys`, keyed `${hotkey}/${netuid}` (see `childKeys`). */
  parentKeys: Map<string, ChildLink[]>;
  /** The block's era (absent: HEAD's, as in any real chain state): `eraRules("launch")`, `eraRules("seed")`. */
  rules?: ChainRules;
}

export const poolKey = (hotkey: string, netuid: number): string => `${hotkey}/${netuid}`;

/** `RootClaimTypeEnum`: swap claimed alpha for root stake, keep it as alpha stake, or keep it on some subnets only. */
export type RootClaimType = 'Swap' | 'Keep' | { keepSubnets: number[] };

/** A `RootClaimType` read from the JSON form or a request (a `keepSubnets` list is non-empty, u16s, no repeats). */
export function rootClaimTypeIn(v: unknown, path: string): RootClaimType {
  if (v === 'Swap' || v === 'Keep') return v;
  const o = obj(v, path);
  // every own key: a Symbol key was copied by obj() and passed unread
  for (const k of Reflect.ownKeys(o)) if (k !== 'keepSubnets') bad(path, `unknown field ${typeof k === 'symbol' ? String(k) : JSON.stringify(k)} (a claim type is "Swap", "Keep" or { keepSubnets })`);
  const list = arr(o.keepSubnets, `${path}.keepSubnets`).map((n, i) => small(n, `${path}.keepSubnets[${i}]`, U16_MAX));
  if (list.length === 0) throw new YumaError('E_ARG', `${path}.keepSubnets: InvalidSubnetNumber (the list is empty)`);
  return { keepSubnets: [...new Set(list)].sort((a, b) => a - b) };
}

/** BTreeMap order of account ids: numeric for the decimal ids the mock runtime uses, else byte order. */
export function compareKeys(a: string, b: string): number {
  if (isDecimal(a) && isDecimal(b) && a.length !== b.length) return a.length - b.length;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** /^\d+$/ without a regular expression (every epoch sorts its hotkeys with `compareKeys`). */
function isDecimal(s: string): boolean {
  if (s.length === 0) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/** `get_all_subnet_netuids` order: the Identity-hashed SCALE u16 key sorts by low byte, then high byte. */
export const storageOrderKey = (netuid: number): number => (netuid & 0xff) * 256 + (netuid >> 8);

// ---------------------------------------------------------------------------------------------------------------
// JSON codec
// ---------------------------------------------------------------------------------------------------------------

type Json = Record<string, unknown>;

const U16_MAX = 65535;

function bad(path: string, what: string): never {
  throw new YumaError('E_SHAPE', `${path}: ${what}`);
}

/** An object of the JSON form, copied once (each field read once however often the reader looks at it). */
function obj(v: unknown, path: string): Json {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) bad(path, 'expected an object');
  return { ...(v as Json) };
}

/** An array of the JSON form, copied once (no holes, at most 2^24 entries). */
function arr(v: unknown, path: string): unknown[] {
  if (!Array.isArray(v)) bad(path, 'expected an array');
  return readList(v, path, 2 ** 24);
}

function int(v: unknown, path: string, lo: bigint, hi: bigint): bigint {
  let x: bigint;
  if (typeof v === 'bigint') x = v;
  else if (typeof v === 'number' && Number.isSafeInteger(v)) x = BigInt(v);
  else if (typeof v === 'string' && /^-?\d{1,40}$/.test(v)) x = BigInt(v);
  else bad(path, `expected an integer, got ${typeof v === 'string' ? JSON.stringify(v.slice(0, 40)) : typeof v}`);
  if (x < lo || x > hi) throw new YumaError('E_RANGE', `${path}: ${x} is outside [${lo}, ${hi}]`);
  return x;
}

const u64 = (v: unknown, p: string): bigint => int(v, p, 0n, U64_MAX);
const u128 = (v: unknown, p: string): bigint => int(v, p, 0n, U128_MAX);
const small = (v: unknown, p: string, hi: number): number => Number(int(v, p, 0n, BigInt(hi)));

/**
 * Every integer field of a subnet with the bounds of its chain type (u64, u128, i64, the fixed-point raws' bit
 * ranges; u16 and smaller as numbers): `chainStateFromJSON` parses by it, and `newSubnet` and `new Chain` check a
 * subnet built in code against it, so an amount the Wasm coinbase table would wrap modulo 2^64 is refused on load.
 */
const SUBNET_INTS = {
  subnetTao: [0n, U64_MAX],
  subnetAlphaIn: [0n, U64_MAX],
  subnetAlphaOut: [0n, U64_MAX],
  subnetProtocolAlpha: [0n, U64_MAX],
  subnetMovingPrice: [I96F32.min, I96F32.max],
  swapBalancerQuoteWeightParts: [0n, 1_000_000_000_000_000_000n],
  firstEmissionBlockNumber: [0n, U64_MAX],
  minerBurned: [U96F32.min, U96F32.max],
  emaPriceHalvingBlocks: [0n, U64_MAX],
  lastEpochBlock: [0n, U64_MAX],
  pendingEpochAt: [0n, U64_MAX],
  blocksSinceLastStep: [0n, U64_MAX],
  subnetEpochIndex: [0n, U64_MAX],
  lastMechansimStepBlock: [0n, U64_MAX],
  pendingServerEmission: [0n, U64_MAX],
  pendingValidatorEmission: [0n, U64_MAX],
  pendingRootAlphaDivs: [0n, U64_MAX],
  pendingOwnerCut: [0n, U64_MAX],
  subnetTaoInEmission: [0n, U64_MAX],
  subnetAlphaInEmission: [0n, U64_MAX],
  subnetAlphaOutEmission: [0n, U64_MAX],
  subnetExcessTao: [0n, U64_MAX],
  subnetVolume: [0n, U128_MAX],
  subnetProtocolFlow: [-(1n << 63n), (1n << 63n) - 1n],
  rootProp: [U96F32.min, U96F32.max],
  alphaBurned: [0n, U128_MAX],
  alphaRecycled: [0n, U128_MAX],
} as const satisfies { [K in keyof ChainSubnet]?: readonly [bigint, bigint] };
const SUBNET_SMALL = { netuid: U16_MAX, mechanism: 1, feeRate: U16_MAX, tempo: U16_MAX } as const satisfies { [K in keyof ChainSubnet]?: number };
const SUBNET_BOOLS = ['added', 'palSwapInitialized', 'subtokenEnabled', 'networkRegistrationAllowed', 'subnetEmissionEnabled', 'ownerCutEnabled'] as const;
const SUBNET_INT_LIST = Object.entries(SUBNET_INTS) as Array<[keyof typeof SUBNET_INTS, readonly [bigint, bigint]]>;
const SUBNET_SMALL_LIST = Object.entries(SUBNET_SMALL) as Array<[keyof typeof SUBNET_SMALL, number]>;
/** Fields of `SUBNET_INTS` whose JSON form is a fixed-point `{ bits, f64 }`. */
const SUBNET_FIXED = new Set<string>(['subnetMovingPrice', 'minerBurned', 'rootProp']);

/** A bigint built in code within `[lo, hi]`: E_ARG for another kind, E_RANGE outside. */
function bigIn(v: unknown, path: string, [lo, hi]: readonly [bigint, bigint]): bigint {
  if (typeof v !== 'bigint') throw new YumaError('E_ARG', `${path} must be a bigint (got ${describe(v)})`);
  if (v < lo || v > hi) throw new YumaError('E_RANGE', `${path}: ${v} is outside [${lo}, ${hi}]`);
  return v;
}

/** A subnet integer field from its JSON form, within its `SUBNET_INTS` bounds. */
function subnetInt(o: Json, k: keyof typeof SUBNET_INTS, path: string): bigint {
  const [lo, hi] = SUBNET_INTS[k];
  return SUBNET_FIXED.has(k) ? int(obj(o[k], `${path}.${k}`).bits, `${path}.${k}.bits`, lo, hi) : int(o[k], `${path}.${k}`, lo, hi);
}

/**
 * A subnet built in code (`newSubnet`, or a record placed in `state.subnets`) against the bounds its JSON form is
 * parsed by: E_ARG for a value of the wrong kind, E_RANGE for one outside its chain type.
 */
/** The epoch's hyper-parameters from a subnet's `EpochParams` (what `Chain` passes the engine for its epochs). */
export function epochHyperOf(p: EpochParams): Partial<Hyperparams> {
  return {
    kappa: p.kappa,
    bondsMovingAverage: Number(p.bondsMovingAverage),
    bondsPenalty: p.bondsPenalty,
    activityCutoff: Number(p.activityCutoffBlocks > 0xffffffffn ? 0xffffffffn : p.activityCutoffBlocks),
    maxAllowedValidators: p.maxAllowedValidators,
    liquidAlphaEnabled: p.liquidAlphaOn,
    alphaLow: p.alphaLow,
    alphaHigh: p.alphaHigh,
    alphaSigmoidSteepness: p.alphaSigmoidSteepness,
    yuma3Enabled: p.yuma3On,
    stakeThreshold: 0n,
  };
}

const isU16 = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= U16_MAX;

/** Epoch parameters `resolveHyper` takes as they are: each of its kind and within the epoch's range. */
function epochParamsSound(p: EpochParams): boolean {
  if (typeof p !== 'object' || p === null) return false;
  const st = p.alphaSigmoidSteepness;
  return isU16(p.kappa) && typeof p.bondsMovingAverage === 'bigint' && p.bondsMovingAverage >= 0n && p.bondsMovingAverage <= 1_000_000n &&
    isU16(p.bondsPenalty) && typeof p.activityCutoffBlocks === 'bigint' && p.activityCutoffBlocks >= 0n && isU16(p.maxAllowedValidators) &&
    typeof p.liquidAlphaOn === 'boolean' && isU16(p.alphaLow) && isU16(p.alphaHigh) && p.alphaLow <= p.alphaHigh &&
    typeof st === 'number' && Number.isInteger(st) && st >= -32768 && st <= 32767 && typeof p.yuma3On === 'boolean';
}

/**
 * `checkSubnetFields`' numbers and booleans all sound, read field by field (a loop over the field names made every read
 * a keyed load) against the bounds as constants (a `[lo, hi]` pair destructured per field cost a third of the check,
 * which a chain whose state its caller holds runs on every subnet before every block). The bounds are SUBNET_INTS'.
 */
function subnetFieldsSound(sn: ChainSubnet): boolean {
  const fe = sn.firstEmissionBlockNumber;
  return (fe === null || isU64(fe)) &&
    isU64(sn.subnetTao) && isU64(sn.subnetAlphaIn) && isU64(sn.subnetAlphaOut) && isU64(sn.subnetProtocolAlpha) &&
    isI128(sn.subnetMovingPrice) && isBig(sn.swapBalancerQuoteWeightParts, 0n, QUOTE_WEIGHT_MAX) && isU128(sn.minerBurned) &&
    isU64(sn.emaPriceHalvingBlocks) && isU64(sn.lastEpochBlock) && isU64(sn.pendingEpochAt) && isU64(sn.blocksSinceLastStep) &&
    isU64(sn.subnetEpochIndex) && isU64(sn.lastMechansimStepBlock) && isU64(sn.pendingServerEmission) &&
    isU64(sn.pendingValidatorEmission) && isU64(sn.pendingRootAlphaDivs) && isU64(sn.pendingOwnerCut) &&
    isU64(sn.subnetTaoInEmission) && isU64(sn.subnetAlphaInEmission) && isU64(sn.subnetAlphaOutEmission) &&
    isU64(sn.subnetExcessTao) && isU128(sn.subnetVolume) && isBig(sn.subnetProtocolFlow, I64_MIN, I64_MAX) && isU128(sn.rootProp) &&
    isU128(sn.alphaBurned) && isU128(sn.alphaRecycled) &&
    isU16(sn.netuid) && (sn.mechanism === 0 || sn.mechanism === 1) && isU16(sn.feeRate) && isU16(sn.tempo) &&
    typeof sn.added === 'boolean' && typeof sn.palSwapInitialized === 'boolean' && typeof sn.subtokenEnabled === 'boolean' &&
    typeof sn.networkRegistrationAllowed === 'boolean' && typeof sn.subnetEmissionEnabled === 'boolean' && typeof sn.ownerCutEnabled === 'boolean';
}
const QUOTE_WEIGHT_MAX = 1_000_000_000_000_000_000n;
const I64_MIN = -(1n << 63n);
const I64_MAX = (1n << 63n) - 1n;
const isBig = (v: unknown, lo: bigint, hi: bigint): boolean => typeof v === 'bigint' && v >= lo && v <= hi;
const isU64 = (v: unknown): boolean => typeof v === 'bigint' && v >= 0n && v <= U64_MAX;
/** U96F32 bits span u128 (`U96F32.min` is 0, `.max` u128::MAX). */
const isU128 = (v: unknown): boolean => typeof v === 'bigint' && v >= 0n && v <= U128_MAX;
/** I96F32 bits span i128. */
const isI128 = (v: unknown): boolean => typeof v === 'bigint' && v >= I128_MIN && v <= I128_MAX;
const I128_MIN = I96F32.min;
const I128_MAX = I96F32.max;

function checkSubnetFields(sn: ChainSubnet, path: string): void {
  const f = sn as unknown as Record<string, unknown>;
  // checked as the epoch checks them: a value it refuses (bonds moving average above 10^6, alpha low above alpha high)
  // stopped the subnet's first epoch in the middle of a block. Parameters of the right kinds in range (what every
  // block of a chain whose state its caller holds asks of every subnet) pass without the epoch's generic reader,
  // which builds a message path and an object per field; anything else goes through it for its error
  if (!epochParamsSound(sn.epochParams)) resolveHyper(epochHyperOf(sn.epochParams), `${path}.epochParams`);
  if (subnetFieldsSound(sn)) return;
  // the field's path is built only for the message: a state of many subnets is checked on every `new Chain`
  for (const [k, bounds] of SUBNET_INT_LIST) {
    const v = f[k];
    if (typeof v !== 'bigint' || v < bounds[0] || v > bounds[1]) {
      if (v !== null || k !== 'firstEmissionBlockNumber') bigIn(v, `${path}.${k}`, bounds);
    }
  }
  for (const [k, hi] of SUBNET_SMALL_LIST) {
    const v = f[k];
    // toInt would take a bigint in range, which the block's number arithmetic throws a TypeError on
    if (typeof v !== 'number') throw new YumaError('E_ARG', `${path}.${k} must be a number (got ${describe(v)})`);
    if (!Number.isInteger(v) || v < 0 || v > hi) toInt(v, `${path}.${k}`, 0, hi);
  }
  for (const k of SUBNET_BOOLS) if (typeof f[k] !== 'boolean') throw new YumaError('E_ARG', `${path}.${k} must be a boolean (got ${describe(f[k])})`);
}

function bool(v: unknown, path: string): boolean {
  if (typeof v !== 'boolean') bad(path, 'expected a boolean');
  return v;
}

function key(v: unknown, path: string): string {
  if (typeof v === 'string' && v.length > 0 && v.length <= 128) return v;
  if (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0) return String(v);
  return bad(path, 'expected an account id (non-empty string)');
}

function optKey(v: unknown, path: string): string | null {
  return v === null || v === undefined ? null : key(v, path);
}

function fixedBits(v: unknown, path: string, signed: boolean): bigint {
  const o = obj(v, path);
  const lim = signed ? I96F32 : U96F32;
  return int(o.bits, `${path}.bits`, lim.min, lim.max);
}

function safeFloatIn(v: unknown, path: string): SafeFloat {
  const o = obj(v, path);
  const m = int(o.mantissa, `${path}.mantissa`, 0n, 10n ** 21n);
  const e = Number(int(o.exponent, `${path}.exponent`, -1_000_000n, 1_000_000n));
  return sfNew(m, e) ?? bad(path, 'not a SafeFloat');
}

const fixedOut = (bits: bigint, signed: boolean): Json => ({ bits: bits.toString(), f64: toF64(signed ? I96F32 : U96F32, bits) });
const sfOut = (s: SafeFloat): Json => ({ exponent: s.exponent, f64: sfToNumber(s), mantissa: s.mantissa.toString() });

function rowIn(v: unknown, path: string, n: number): Array<[number, number]> {
  return arr(v, path).map((e, i) => {
    const pair = arr(e, `${path}[${i}]`);
    if (pair.length !== 2) bad(`${path}[${i}]`, 'expected [uid, value]');
    return [small(pair[0], `${path}[${i}][0]`, Math.max(0, n - 1)), small(pair[1], `${path}[${i}][1]`, U16_MAX)];
  });
}

function epochParamsIn(v: unknown, path: string): EpochParams {
  const o = obj(v, path);
  return {
    kappa: small(o.kappa, `${path}.kappa`, U16_MAX),
    bondsMovingAverage: u64(o.bondsMovingAverage, `${path}.bondsMovingAverage`),
    bondsPenalty: small(o.bondsPenalty, `${path}.bondsPenalty`, U16_MAX),
    activityCutoffBlocks: u64(o.activityCutoffBlocks, `${path}.activityCutoffBlocks`),
    maxAllowedValidators: small(o.maxAllowedValidators, `${path}.maxAllowedValidators`, U16_MAX),
    liquidAlphaOn: bool(o.liquidAlphaOn, `${path}.liquidAlphaOn`),
    alphaLow: small(o.alphaLow, `${path}.alphaLow`, U16_MAX),
    alphaHigh: small(o.alphaHigh, `${path}.alphaHigh`, U16_MAX),
    alphaSigmoidSteepness: small(o.alphaSigmoidSteepness, `${path}.alphaSigmoidSteepness`, 2 ** 31 - 1),
    yuma3On: bool(o.yuma3On, `${path}.yuma3On`),
    commitRevealWeightsEnabled: o.commitRevealWeightsEnabled === undefined ? false : bool(o.commitRevealWeightsEnabled, `${path}.commitRevealWeightsEnabled`),
  };
}

/** Most UIDs a subnet may hold here (the chain caps subnets at 256 UIDs; older storage allowed 4096). */
export const MAX_NEURONS = 4096;

function subnetIn(v: unknown, path: string): ChainSubnet {
  const o = obj(v, path);
  const netuid = small(o.netuid, `${path}.netuid`, SUBNET_SMALL.netuid);
  const neuronsRaw = arr(o.neurons ?? [], `${path}.neurons`);
  if (neuronsRaw.length > MAX_NEURONS) throw new YumaError('E_LIMIT', `${path}.neurons: more than ${MAX_NEURONS} UIDs`);
  const n = neuronsRaw.length;
  // each neuron's fields copied once: the record below and its emission read the copy
  const neuronCopies = neuronsRaw.map((x, i) => obj(x, `${path}.neurons[${i}]`));
  const records = neuronCopies.map((no, i): Neuron => {
    const p = `${path}.neurons[${i}]`;
    const uid = small(no.uid, `${p}.uid`, U16_MAX);
    if (uid !== i) bad(`${p}.uid`, `neurons must be listed by uid (expected ${i})`);
    return {
      uid,
      hotkey: key(no.hotkey, `${p}.hotkey`),
      blockAtRegistration: u64(no.blockAtRegistration, `${p}.blockAtRegistration`),
      lastUpdate: u64(no.lastUpdate, `${p}.lastUpdate`),
      validatorPermit: bool(no.validatorPermit, `${p}.validatorPermit`),
      weights: rowIn(no.weights ?? [], `${p}.weights`, n),
      bonds: rowIn(no.bonds ?? [], `${p}.bonds`, n),
    };
  });
  const emissions = neuronCopies.map((no, i) => (no.emission === undefined ? 0n : u64(no.emission, `${path}.neurons[${i}].emission`)));
  const rob = o.recycleOrBurn;
  if (rob !== null && rob !== undefined && rob !== 'Recycle' && rob !== 'Burn') bad(`${path}.recycleOrBurn`, 'expected "Recycle", "Burn" or null');
  const quote = subnetInt(o, 'swapBalancerQuoteWeightParts', path);
  // copied once: the parameters and the mechanism count below read the copy
  const po = obj(o.epochParams, `${path}.epochParams`);
  const epochParams = epochParamsIn(po, `${path}.epochParams`);
  const mechanisms = arr(o.mechanisms ?? [], `${path}.mechanisms`).map((m, k) => {
    const mp = `${path}.mechanisms[${k}]`;
    const mo = obj(m, mp);
    const rows = (v: unknown, what: string) => {
      const a = arr(v, `${mp}.${what}`);
      if (a.length !== n) bad(`${mp}.${what}`, `expected ${n} rows`);
      return a.map((r, i) => rowIn(r, `${mp}.${what}[${i}]`, n));
    };
    const lu = arr(mo.lastUpdate, `${mp}.lastUpdate`);
    if (lu.length !== n) bad(`${mp}.lastUpdate`, `expected ${n} entries`);
    return { weights: rows(mo.weights, 'weights'), bonds: rows(mo.bonds, 'bonds'), lastUpdate: lu.map((x, i) => u64(x, `${mp}.lastUpdate[${i}]`)) };
  });
  const mechanismCount = po.mechanismCount === undefined ? 1 : Math.max(1, small(po.mechanismCount, `${path}.epochParams.mechanismCount`, 16));
  if (mechanisms.length !== mechanismCount - 1) {
    throw new YumaError('E_STATE', `${path}: mechanismCount ${mechanismCount} needs ${mechanismCount - 1} entries in mechanisms`);
  }
  let mechanismEmissionSplit: number[] | null = null;
  if (o.mechanismEmissionSplit !== undefined && o.mechanismEmissionSplit !== null) {
    mechanismEmissionSplit = arr(o.mechanismEmissionSplit, `${path}.mechanismEmissionSplit`).map((x, i) => small(x, `${path}.mechanismEmissionSplit[${i}]`, U16_MAX));
  }
  const registration = o.registration === undefined || o.registration === null ? null : registrationIn(o.registration, `${path}.registration`);
  const neurons = neuronTable(records, mechanisms, mechanismEmissionSplit, registration, `${path}`);
  emissions.forEach((e, i) => (neurons.emission[i] = e));
  return {
    netuid,
    added: bool(o.added, `${path}.added`),
    mechanism: small(o.mechanism, `${path}.mechanism`, SUBNET_SMALL.mechanism),
    subnetTao: subnetInt(o, 'subnetTao', path),
    subnetAlphaIn: subnetInt(o, 'subnetAlphaIn', path),
    subnetAlphaOut: subnetInt(o, 'subnetAlphaOut', path),
    subnetProtocolAlpha: subnetInt(o, 'subnetProtocolAlpha', path),
    subnetMovingPrice: subnetInt(o, 'subnetMovingPrice', path),
    swapBalancerQuoteWeightParts: quote,
    palSwapInitialized: bool(o.palSwapInitialized, `${path}.palSwapInitialized`),
    feeRate: small(o.feeRate, `${path}.feeRate`, SUBNET_SMALL.feeRate),
    firstEmissionBlockNumber: o.firstEmissionBlockNumber === null ? null : subnetInt(o, 'firstEmissionBlockNumber', path),
    subtokenEnabled: bool(o.subtokenEnabled, `${path}.subtokenEnabled`),
    networkRegistrationAllowed: bool(o.networkRegistrationAllowed, `${path}.networkRegistrationAllowed`),
    subnetEmissionEnabled: bool(o.subnetEmissionEnabled, `${path}.subnetEmissionEnabled`),
    minerBurned: subnetInt(o, 'minerBurned', path),
    emaPriceHalvingBlocks: subnetInt(o, 'emaPriceHalvingBlocks', path),
    tempo: small(o.tempo, `${path}.tempo`, SUBNET_SMALL.tempo),
    lastEpochBlock: subnetInt(o, 'lastEpochBlock', path),
    pendingEpochAt: subnetInt(o, 'pendingEpochAt', path),
    blocksSinceLastStep: subnetInt(o, 'blocksSinceLastStep', path),
    subnetEpochIndex: subnetInt(o, 'subnetEpochIndex', path),
    lastMechansimStepBlock: subnetInt(o, 'lastMechansimStepBlock', path),
    pendingServerEmission: subnetInt(o, 'pendingServerEmission', path),
    pendingValidatorEmission: subnetInt(o, 'pendingValidatorEmission', path),
    pendingRootAlphaDivs: subnetInt(o, 'pendingRootAlphaDivs', path),
    pendingOwnerCut: subnetInt(o, 'pendingOwnerCut', path),
    subnetTaoInEmission: subnetInt(o, 'subnetTaoInEmission', path),
    subnetAlphaInEmission: subnetInt(o, 'subnetAlphaInEmission', path),
    subnetAlphaOutEmission: subnetInt(o, 'subnetAlphaOutEmission', path),
    subnetExcessTao: subnetInt(o, 'subnetExcessTao', path),
    ownerCutEnabled: bool(o.ownerCutEnabled, `${path}.ownerCutEnabled`),
    subnetOwner: optKey(o.subnetOwner, `${path}.subnetOwner`),
    subnetOwnerHotkey: optKey(o.subnetOwnerHotkey, `${path}.subnetOwnerHotkey`),
    recycleOrBurn: (rob ?? null) as RecycleOrBurn,
    subnetVolume: subnetInt(o, 'subnetVolume', path),
    subnetProtocolFlow: subnetInt(o, 'subnetProtocolFlow', path),
    rootProp: subnetInt(o, 'rootProp', path),
    alphaBurned: o.alphaBurned == null ? 0n : subnetInt(o, 'alphaBurned', path),
    alphaRecycled: o.alphaRecycled == null ? 0n : subnetInt(o, 'alphaRecycled', path),
    epochParams,
    neurons,
    registration,
  };
}

function registrationIn(v: unknown, path: string): SubnetRegistration {
  const o = obj(v, path);
  const r: SubnetRegistration = {
    maxAllowedUids: small(o.maxAllowedUids, `${path}.maxAllowedUids`, MAX_NEURONS),
    immunityPeriod: small(o.immunityPeriod, `${path}.immunityPeriod`, U16_MAX),
    minNonImmuneUids: small(o.minNonImmuneUids, `${path}.minNonImmuneUids`, U16_MAX),
    immuneOwnerUidsLimit: small(o.immuneOwnerUidsLimit, `${path}.immuneOwnerUidsLimit`, U16_MAX),
    burn: u64(o.burn, `${path}.burn`),
    minBurn: u64(o.minBurn, `${path}.minBurn`),
    maxBurn: u64(o.maxBurn, `${path}.maxBurn`),
    burnHalfLife: small(o.burnHalfLife, `${path}.burnHalfLife`, U16_MAX),
    burnIncreaseMult: int(obj(o.burnIncreaseMult, `${path}.burnIncreaseMult`).bits, `${path}.burnIncreaseMult.bits`, 0n, U128_MAX),
    raoRecycledForRegistration: u128(o.raoRecycledForRegistration ?? '0', `${path}.raoRecycledForRegistration`),
    alphaBurnedByRegistration: u128(o.alphaBurnedByRegistration ?? '0', `${path}.alphaBurnedByRegistration`),
  };
  if (r.minBurn > r.maxBurn) throw new YumaError('E_STATE', `${path}: minBurn above maxBurn`);
  return r;
}

/**
 * The neuron table of a subnet from records: capacity `MaxAllowedUids` where registration is modelled (at least the
 * neurons listed), else room for 256 UIDs or the neurons listed.
 */
export function neuronTable(
  records: readonly Neuron[],
  mechanisms: readonly MechanismState[],
  split: number[] | null,
  registration: SubnetRegistration | null,
  where = 'subnet',
): SubnetNeurons {
  const n = records.length;
  if (registration !== null && registration.maxAllowedUids < n) {
    throw new YumaError('E_STATE', `${where}: ${n} neurons but maxAllowedUids ${registration.maxAllowedUids}`);
  }
  const t = new SubnetNeurons(registration?.maxAllowedUids ?? Math.max(n, 256), mechanisms.length + 1);
  const m0 = t.mechanism(0);
  // as the epoch reads them: every uid below n, none twice (storage never holds one twice: set_weights refuses
  // DuplicateUids); refused here, a row like that stopped the subnet's first epoch in the middle of a block
  const seen = new Uint8Array(n);
  const checkRow = (row: ReadonlyArray<readonly [number, number]>, what: string) => {
    for (const [j] of row) {
      if (!(j < n)) throw new YumaError('E_RANGE', `${where}: ${what} points at uid ${j}, not below the ${n} neurons`);
      if (seen[j] === 1) throw new YumaError('E_SHAPE', `${where}: ${what} lists uid ${j} twice`);
      seen[j] = 1;
    }
    for (const [j] of row) seen[j] = 0;
  };
  records.forEach((r, i) => {
    if (r.uid !== i) throw new YumaError('E_SHAPE', `${where}: neurons must be listed by uid (expected ${i}, got ${r.uid})`);
    checkRow(r.weights, `neurons[${i}].weights`);
    checkRow(r.bonds, `neurons[${i}].bonds`);
    t.append(r.hotkey, r.blockAtRegistration);
    m0.lastUpdate[i] = r.lastUpdate;
    t.validatorPermit[i] = r.validatorPermit ? 1 : 0;
    t.loadRows(0, i, r.weights, r.bonds);
  });
  mechanisms.forEach((m, k) => {
    if (m.weights.length !== n || m.bonds.length !== n || m.lastUpdate.length !== n) {
      throw new YumaError('E_SHAPE', `${where}: mechanism ${k + 1} needs ${n} weight rows, bond rows and last updates`);
    }
    const store = t.mechanism(k + 1);
    for (let i = 0; i < n; i++) {
      checkRow(m.weights[i], `mechanism ${k + 1} weights[${i}]`);
      checkRow(m.bonds[i], `mechanism ${k + 1} bonds[${i}]`);
      store.lastUpdate[i] = m.lastUpdate[i];
      t.loadRows(k + 1, i, m.weights[i], m.bonds[i]);
    }
  });
  t.setEmissionSplit(split);
  return t;
}

function linksIn(v: unknown, path: string): Map<string, ChildLink[]> {
  const m = new Map<string, ChildLink[]>();
  arr(v ?? [], path).forEach((e, i) => {
    const p = `${path}[${i}]`;
    const o = obj(e, p);
    const links = arr(o.links, `${p}.links`).map((l, j) => {
      const pair = arr(l, `${p}.links[${j}]`);
      if (pair.length !== 2) bad(`${p}.links[${j}]`, 'expected [proportion, hotkey]');
      return { proportion: u64(pair[0], `${p}.links[${j}][0]`), key: key(pair[1], `${p}.links[${j}][1]`) };
    });
    m.set(poolKey(key(o.hotkey, `${p}.hotkey`), small(o.netuid, `${p}.netuid`, U16_MAX)), links);
  });
  return m;
}

/**
 * Gives `state` the fields of `fresh` in place (the object stays the same, so whoever holds it — a `Chain`, the
 * caller through `chain.state` — sees the new state): how a block or a run that threw is undone.
 */
export function replaceState(state: ChainState, fresh: ChainState): void {
  const target = state as unknown as Record<string, unknown>;
  for (const k of Object.keys(target)) delete target[k];
  Object.assign(target, fresh);
}

/** Reads a state in the JSON form above; throws `YumaError` on any missing, mistyped or inconsistent field. */
export function chainStateFromJSON(input: unknown): ChainState {
  return guard('state', () => stateFromJson(input));
}

function stateFromJson(input: unknown): ChainState {
  const o = obj(input, 'state');
  const subnets = new Map<number, ChainSubnet>();
  const subnetsIn = obj(o.subnets, 'state.subnets');
  for (const [k, v] of Object.entries(subnetsIn)) {
    const s = subnetIn(v, `state.subnets.${k}`);
    if (String(s.netuid) !== k) bad(`state.subnets.${k}.netuid`, 'does not match its key');
    subnets.set(s.netuid, s);
  }
  if (!subnets.has(0)) bad('state.subnets', 'the root subnet (netuid 0) is missing');
  const hotkeys = new HotkeyInfoMap();
  arr(o.hotkeys, 'state.hotkeys').forEach((e, i) => {
    const h = obj(e, `state.hotkeys[${i}]`);
    const hk = key(h.hotkey, `state.hotkeys[${i}].hotkey`);
    if (hotkeys.has(hk)) bad(`state.hotkeys[${i}]`, `hotkey ${hk} listed twice`);
    const info: HotkeyInfo = { owner: key(h.owner, `state.hotkeys[${i}].owner`) };
    if (h.delegateTake !== undefined && h.delegateTake !== null) info.delegateTake = small(h.delegateTake, `state.hotkeys[${i}].delegateTake`, U16_MAX);
    if (h.childkeyTake !== undefined) {
      const ct = obj(h.childkeyTake, `state.hotkeys[${i}].childkeyTake`);
      info.childkeyTake = new Map(Object.entries(ct).map(([n, t]) => [Number(n), small(t, `state.hotkeys[${i}].childkeyTake.${n}`, U16_MAX)]));
    }
    hotkeys.set(hk, info);
  });
  const ownedHotkeys = new Map<string, string[]>();
  for (const [ck, list] of Object.entries(obj(o.ownedHotkeys ?? {}, 'state.ownedHotkeys'))) {
    ownedHotkeys.set(ck, arr(list, `state.ownedHotkeys.${ck}`).map((h, i) => key(h, `state.ownedHotkeys.${ck}[${i}]`)));
  }
  const autoStakeDestination = new Map<string, string>();
  arr(o.autoStakeDestination ?? [], 'state.autoStakeDestination').forEach((e, i) => {
    const a = obj(e, `state.autoStakeDestination[${i}]`);
    const netuid = small(a.netuid, `state.autoStakeDestination[${i}].netuid`, U16_MAX);
    autoStakeDestination.set(poolKey(key(a.coldkey, `state.autoStakeDestination[${i}].coldkey`), netuid), key(a.destination, `state.autoStakeDestination[${i}].destination`));
  });
  const stakePools = new StakePoolMap();
  arr(o.stakePools, 'state.stakePools').forEach((e, i) => {
    const p = `state.stakePools[${i}]`;
    const so = obj(e, p);
    const hotkey = key(so.hotkey, `${p}.hotkey`);
    const netuid = small(so.netuid, `${p}.netuid`, U16_MAX);
    if (!subnets.has(netuid)) throw new YumaError('E_STATE', `${p}: stake on unknown subnet ${netuid}`);
    const shares = new Map<string, SafeFloat>();
    for (const [ck, sv] of Object.entries(obj(so.alphaV2, `${p}.alphaV2`))) shares.set(ck, safeFloatIn(sv, `${p}.alphaV2.${ck}`));
    const k = poolKey(hotkey, netuid);
    if (stakePools.has(k)) bad(p, `pool (${hotkey}, ${netuid}) listed twice`);
    stakePools.set(k, {
      hotkey,
      netuid,
      value: u64(so.totalHotkeyAlpha, `${p}.totalHotkeyAlpha`),
      denominator: so.totalHotkeySharesV2 === undefined ? SF_ZERO : safeFloatIn(so.totalHotkeySharesV2, `${p}.totalHotkeySharesV2`),
      shares,
    });
  });
  const rootClaimable = new HotkeyNetuidMap<bigint>();
  arr(o.rootClaimable ?? [], 'state.rootClaimable').forEach((e, i) => {
    const r = obj(e, `state.rootClaimable[${i}]`);
    const k = poolKey(key(r.hotkey, `state.rootClaimable[${i}].hotkey`), small(r.netuid, `state.rootClaimable[${i}].netuid`, U16_MAX));
    rootClaimable.set(k, fixedBits(r.rootClaimable, `state.rootClaimable[${i}].rootClaimable`, true));
  });
  const rootClaimed = new Map<string, Map<string, bigint>>();
  arr(o.rootClaimed ?? [], 'state.rootClaimed').forEach((e, i) => {
    const p = `state.rootClaimed[${i}]`;
    const r = obj(e, p);
    const netuid = small(r.netuid, `${p}.netuid`, U16_MAX);
    if (!subnets.has(netuid)) throw new YumaError('E_STATE', `${p}: unknown subnet ${netuid}`);
    const k = poolKey(key(r.hotkey, `${p}.hotkey`), netuid);
    const coldkey = key(r.coldkey, `${p}.coldkey`);
    const m = rootClaimed.get(k) ?? new Map<string, bigint>();
    if (m.has(coldkey)) bad(p, `(${k}, ${coldkey}) listed twice`);
    m.set(coldkey, u128(r.rootClaimed, `${p}.rootClaimed`));
    rootClaimed.set(k, m);
  });
  const rootClaimType = new Map<string, RootClaimType>();
  arr(o.rootClaimType ?? [], 'state.rootClaimType').forEach((e, i) => {
    const r = obj(e, `state.rootClaimType[${i}]`);
    rootClaimType.set(key(r.coldkey, `state.rootClaimType[${i}].coldkey`), rootClaimTypeIn(r.type, `state.rootClaimType[${i}].type`));
  });
  const rootClaimableThreshold = new Map<number, bigint>();
  arr(o.rootClaimableThreshold ?? [], 'state.rootClaimableThreshold').forEach((e, i) => {
    const r = obj(e, `state.rootClaimableThreshold[${i}]`);
    const netuid = small(r.netuid, `state.rootClaimableThreshold[${i}].netuid`, U16_MAX);
    rootClaimableThreshold.set(netuid, fixedBits(r.threshold, `state.rootClaimableThreshold[${i}].threshold`, true));
  });
  const state: ChainState = {
    block: u64(o.block, 'state.block'),
    totalIssuance: u64(o.totalIssuance, 'state.totalIssuance'),
    balancesTotalIssuance: u64(o.balancesTotalIssuance ?? o.totalIssuance, 'state.balancesTotalIssuance'),
    totalStake: u64(o.totalStake, 'state.totalStake'),
    taoWeight: u64(o.taoWeight, 'state.taoWeight'),
    ckBurn: u64(o.ckBurn ?? '0', 'state.ckBurn'),
    subnetOwnerCut: small(o.subnetOwnerCut, 'state.subnetOwnerCut', U16_MAX),
    subnetMovingAlpha: fixedBits(o.subnetMovingAlpha, 'state.subnetMovingAlpha', true),
    maxEpochsPerBlock: small(o.maxEpochsPerBlock, 'state.maxEpochsPerBlock', U16_MAX),
    stakeThreshold: u64(o.stakeThreshold ?? '0', 'state.stakeThreshold'),
    swapMinimumReserve: u64(o.swapMinimumReserve ?? '1000000', 'state.swapMinimumReserve'),
    blockEmission: u64(o.blockEmission ?? '0', 'state.blockEmission'),
    defaultDelegateTake: small(o.defaultDelegateTake ?? 11796, 'state.defaultDelegateTake', U16_MAX),
    subnets,
    hotkeys,
    ownedHotkeys,
    autoStakeDestination,
    stakePools,
    rootClaimable,
    rootClaimed,
    rootClaimType,
    rootClaimableThreshold,
    childKeys: linksIn(o.childKeys, 'state.childKeys'),
    parentKeys: linksIn(o.parentKeys, 'state.parentKeys'),
  };
  if (o.rules !== undefined && o.rules !== null) {
    const r = obj(o.rules, 'state.rules');
    for (const k of Object.keys(r)) if (!['era', 'shares', 'temperature'].includes(k)) bad('state.rules', `unknown field ${JSON.stringify(k)}`);
    state.rules = eraRules(r.era as never, {
      ...(r.shares === undefined ? {} : { shares: r.shares as never }),
      ...(r.temperature === undefined ? {} : { temperature: r.temperature as number }),
    });
  }
  checkConsistency(state);
  return state;
}

function checkConsistency(s: ChainState): void {
  for (const sn of s.subnets.values()) {
    if (sn.alphaBurned > U64_MAX * 1_000_000n) throw new YumaError('E_RANGE', `subnet ${sn.netuid}: alphaBurned out of range`);
    for (const row of sn.neurons.weightRows(0)) {
      for (const [uid] of row) if (uid >= sn.neurons.size) throw new YumaError('E_STATE', `subnet ${sn.netuid}: weight to uid ${uid} ≥ n`);
    }
  }
  for (const [k, links] of [...s.childKeys, ...s.parentKeys]) {
    const netuid = Number(k.slice(k.lastIndexOf('/') + 1));
    if (!s.subnets.has(netuid)) throw new YumaError('E_STATE', `links ${k}: unknown subnet`);
    if (links.length > 5) throw new YumaError('E_LIMIT', `links ${k}: at most 5 parents or children`);
  }
}

const sortedBy = <T>(xs: T[], cmp: (a: T, b: T) => number): T[] => xs.slice().sort(cmp);

/** A subnet's neurons as records; `emission` (the pruning score) only where registration is modelled. */
function neuronsOut(sn: ChainSubnet): Json[] {
  const t = sn.neurons;
  const weights = t.weightRows(0);
  const bonds = t.bondRows(0);
  const m0 = t.mechanism(0);
  return Array.from({ length: t.size }, (_, i) => {
    const out: Json = {
      blockAtRegistration: t.blockAtRegistration[i].toString(),
      bonds: bonds[i],
      hotkey: t.hotkey(i),
      lastUpdate: m0.lastUpdate[i].toString(),
      uid: i,
      validatorPermit: t.validatorPermit[i] === 1,
      weights: weights[i],
    };
    if (sn.registration !== null) out.emission = t.emission[i].toString();
    return out;
  });
}

function registrationOut(r: SubnetRegistration): Json {
  return {
    alphaBurnedByRegistration: r.alphaBurnedByRegistration.toString(),
    burn: r.burn.toString(),
    burnHalfLife: r.burnHalfLife,
    burnIncreaseMult: { bits: r.burnIncreaseMult.toString(), f64: toF64(U64F64, r.burnIncreaseMult) },
    immuneOwnerUidsLimit: r.immuneOwnerUidsLimit,
    immunityPeriod: r.immunityPeriod,
    maxAllowedUids: r.maxAllowedUids,
    maxBurn: r.maxBurn.toString(),
    minBurn: r.minBurn.toString(),
    minNonImmuneUids: r.minNonImmuneUids,
    raoRecycledForRegistration: r.raoRecycledForRegistration.toString(),
  };
}

/** Writes a state in the JSON form `chainStateFromJSON` reads (every value JSON-safe). */
export function chainStateToJSON(s: ChainState): Json {
  // a state this library made; anything else fails while it is read, as E_ARG
  return guard('state (a ChainState from newChainState or chainStateFromJSON)', () => stateToJson(s));
}

function stateToJson(s: ChainState): Json {
  const subnets: Json = {};
  for (const netuid of [...s.subnets.keys()].sort((a, b) => a - b)) {
    const sn = s.subnets.get(netuid)!;
    subnets[String(netuid)] = {
      added: sn.added,
      alphaBurned: sn.alphaBurned.toString(),
      alphaRecycled: sn.alphaRecycled.toString(),
      blocksSinceLastStep: sn.blocksSinceLastStep.toString(),
      emaPriceHalvingBlocks: sn.emaPriceHalvingBlocks.toString(),
      epochParams: {
        activityCutoffBlocks: sn.epochParams.activityCutoffBlocks.toString(),
        alphaHigh: sn.epochParams.alphaHigh,
        alphaLow: sn.epochParams.alphaLow,
        alphaSigmoidSteepness: sn.epochParams.alphaSigmoidSteepness,
        bondsMovingAverage: sn.epochParams.bondsMovingAverage.toString(),
        bondsPenalty: sn.epochParams.bondsPenalty,
        commitRevealWeightsEnabled: sn.epochParams.commitRevealWeightsEnabled,
        kappa: sn.epochParams.kappa,
        liquidAlphaOn: sn.epochParams.liquidAlphaOn,
        maxAllowedValidators: sn.epochParams.maxAllowedValidators,
        mechanismCount: sn.neurons.mechanismCount,
        yuma3On: sn.epochParams.yuma3On,
      },
      feeRate: sn.feeRate,
      firstEmissionBlockNumber: sn.firstEmissionBlockNumber === null ? null : sn.firstEmissionBlockNumber.toString(),
      lastEpochBlock: sn.lastEpochBlock.toString(),
      lastMechansimStepBlock: sn.lastMechansimStepBlock.toString(),
      mechanism: sn.mechanism,
      minerBurned: fixedOut(sn.minerBurned, false),
      netuid: sn.netuid,
      networkRegistrationAllowed: sn.networkRegistrationAllowed,
      neurons: neuronsOut(sn),
      ownerCutEnabled: sn.ownerCutEnabled,
      palSwapInitialized: sn.palSwapInitialized,
      pendingEpochAt: sn.pendingEpochAt.toString(),
      pendingOwnerCut: sn.pendingOwnerCut.toString(),
      pendingRootAlphaDivs: sn.pendingRootAlphaDivs.toString(),
      pendingServerEmission: sn.pendingServerEmission.toString(),
      pendingValidatorEmission: sn.pendingValidatorEmission.toString(),
      recycleOrBurn: sn.recycleOrBurn,
      rootProp: fixedOut(sn.rootProp, false),
      subnetAlphaIn: sn.subnetAlphaIn.toString(),
      subnetAlphaInEmission: sn.subnetAlphaInEmission.toString(),
      subnetAlphaOut: sn.subnetAlphaOut.toString(),
      subnetAlphaOutEmission: sn.subnetAlphaOutEmission.toString(),
      subnetEmissionEnabled: sn.subnetEmissionEnabled,
      subnetEpochIndex: sn.subnetEpochIndex.toString(),
      subnetExcessTao: sn.subnetExcessTao.toString(),
      subnetMovingPrice: fixedOut(sn.subnetMovingPrice, true),
      subnetOwner: sn.subnetOwner,
      subnetOwnerHotkey: sn.subnetOwnerHotkey,
      subnetProtocolAlpha: sn.subnetProtocolAlpha.toString(),
      subnetProtocolFlow: sn.subnetProtocolFlow.toString(),
      subnetTao: sn.subnetTao.toString(),
      subnetTaoInEmission: sn.subnetTaoInEmission.toString(),
      subnetVolume: sn.subnetVolume.toString(),
      subtokenEnabled: sn.subtokenEnabled,
      swapBalancerQuoteWeightParts: sn.swapBalancerQuoteWeightParts.toString(),
      tempo: sn.tempo,
    };
    const t = sn.neurons;
    if (t.mechanismCount > 1) {
      (subnets[String(netuid)] as Json).mechanisms = Array.from({ length: t.mechanismCount - 1 }, (_, k) => ({
        bonds: t.bondRows(k + 1),
        lastUpdate: Array.from(t.mechanism(k + 1).lastUpdate.subarray(0, t.size), String),
        weights: t.weightRows(k + 1),
      }));
    }
    const split = t.emissionSplit;
    if (split !== null) (subnets[String(netuid)] as Json).mechanismEmissionSplit = split;
    if (sn.registration !== null) (subnets[String(netuid)] as Json).registration = registrationOut(sn.registration);
  }
  const hotkeys = sortedBy([...s.hotkeys], (a, b) => compareKeys(a[0], b[0])).map(([hotkey, h]) => {
    const out: Json = { delegateTake: h.delegateTake ?? s.defaultDelegateTake, hotkey, owner: h.owner };
    if (h.childkeyTake && entryCount(h.childkeyTake) > 0) out.childkeyTake = Object.fromEntries([...copyEntries(h.childkeyTake)].map(([n, t]) => [String(n), t]));
    return out;
  });
  const ownedHotkeys: Json = {};
  for (const ck of sortedBy([...s.ownedHotkeys.keys()], compareKeys)) ownedHotkeys[ck] = s.ownedHotkeys.get(ck)!.slice();
  const splitKey = (k: string): [string, number] => {
    const i = k.lastIndexOf('/');
    return [k.slice(0, i), Number(k.slice(i + 1))];
  };
  const byHotkeyNetuid = (a: [string, number], b: [string, number]): number => compareKeys(a[0], b[0]) || a[1] - b[1];
  const pools = sortedBy([...s.stakePools.values()], (a, b) => byHotkeyNetuid([a.hotkey, a.netuid], [b.hotkey, b.netuid])).map((p) => {
    const alphaV2: Json = {};
    const shares = copyEntries(p.shares);
    for (const ck of sortedBy([...shares.keys()], compareKeys)) alphaV2[ck] = { ...sfOut(shares.get(ck)!), value: poolValueOf(p, ck).toString() };
    return { alphaV2, hotkey: p.hotkey, netuid: p.netuid, totalHotkeyAlpha: p.value.toString(), totalHotkeySharesV2: sfOut(p.denominator) };
  });
  const links = (m: Map<string, ChildLink[]>): Json[] =>
    sortedBy([...m], (a, b) => byHotkeyNetuid(splitKey(a[0]), splitKey(b[0]))).map(([k, ls]) => {
      const [hotkey, netuid] = splitKey(k);
      return { hotkey, links: ls.map((l) => [l.proportion.toString(), l.key]), netuid };
    });
  const out: Json = {
    autoStakeDestination: sortedBy([...s.autoStakeDestination], (a, b) => byHotkeyNetuid(splitKey(a[0]), splitKey(b[0]))).map(([k, d]) => {
      const [coldkey, netuid] = splitKey(k);
      return { coldkey, destination: d, netuid };
    }),
    balancesTotalIssuance: s.balancesTotalIssuance.toString(),
    block: s.block.toString(),
    blockEmission: s.blockEmission.toString(),
    ckBurn: s.ckBurn.toString(),
    defaultDelegateTake: s.defaultDelegateTake,
    hotkeys,
    maxEpochsPerBlock: s.maxEpochsPerBlock,
    ownedHotkeys,
    rootClaimable: sortedBy([...s.rootClaimable], (a, b) => byHotkeyNetuid(splitKey(a[0]), splitKey(b[0]))).map(([k, v]) => {
      const [hotkey, netuid] = splitKey(k);
      return { hotkey, netuid, rootClaimable: fixedOut(v, true) };
    }),
    stakePools: pools,
    stakeThreshold: s.stakeThreshold.toString(),
    subnetMovingAlpha: fixedOut(s.subnetMovingAlpha, true),
    subnetOwnerCut: s.subnetOwnerCut,
    subnets,
    swapMinimumReserve: s.swapMinimumReserve.toString(),
    taoWeight: s.taoWeight.toString(),
    totalIssuance: s.totalIssuance.toString(),
    totalStake: s.totalStake.toString(),
  };
  // root claims appear only once there are any (states without them keep their JSON form)
  if (s.rootClaimed.size > 0) {
    out.rootClaimed = sortedBy([...s.rootClaimed], (a, b) => byHotkeyNetuid(splitKey(a[0]), splitKey(b[0]))).flatMap(([k, m]) => {
      const [hotkey, netuid] = splitKey(k);
      return sortedBy([...copyEntries(m)], (a, b) => compareKeys(a[0], b[0])).map(([coldkey, v]) => ({ coldkey, hotkey, netuid, rootClaimed: v.toString() }));
    });
  }
  if (s.rootClaimType.size > 0) {
    out.rootClaimType = sortedBy([...s.rootClaimType], (a, b) => compareKeys(a[0], b[0])).map(([coldkey, t]) => ({
      coldkey,
      type: typeof t === 'string' ? t : { keepSubnets: [...t.keepSubnets] },
    }));
  }
  if (s.rootClaimableThreshold.size > 0) {
    out.rootClaimableThreshold = sortedBy([...s.rootClaimableThreshold], (a, b) => a[0] - b[0]).map(([netuid, bits]) => ({ netuid, threshold: fixedOut(bits, true) }));
  }
  if (s.childKeys.size > 0) out.childKeys = links(s.childKeys);
  if (s.parentKeys.size > 0) out.parentKeys = links(s.parentKeys);
  if (s.rules !== undefined) out.rules = { era: s.rules.era, shares: s.rules.shares, temperature: s.rules.temperature };
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Builders with the runtime defaults at 14bc6f9f
// ---------------------------------------------------------------------------------------------------------------

/** `SubnetMovingAlpha` default 0.000003 as I96F32 bits (nearest). */
export const DEFAULT_MOVING_ALPHA_BITS = 12885n;

export function defaultEpochParams(): EpochParams {
  return {
    kappa: 32767,
    bondsMovingAverage: 900_000n,
    bondsPenalty: 65535,
    activityCutoffBlocks: 5000n,
    maxAllowedValidators: 64,
    liquidAlphaOn: false,
    alphaLow: 45875,
    alphaHigh: 58982,
    alphaSigmoidSteepness: 1000,
    yuma3On: false,
    commitRevealWeightsEnabled: false,
  };
}

/** What `newSubnet` takes: the subnet's fields, with its neurons (and mechanisms 1…) as records or as a table. */
export type SubnetFields = Partial<Omit<ChainSubnet, 'neurons'>> & {
  /** The neurons by UID, as records or as a table (default none). */
  neurons?: readonly Neuron[] | SubnetNeurons;
  /** Mechanisms 1 … k − 1 as records (with `neurons` as records). */
  mechanisms?: readonly MechanismState[];
  /** `MechanismEmissionSplit`: u16 parts summing to 65535, one per mechanism, or null (default) for an even split. */
  mechanismEmissionSplit?: number[] | null;
};

/** A dynamic subnet with the runtime defaults, emitting, pool at weights 0.5/0.5, no neurons. */
export function newSubnet(netuid: number, fields: SubnetFields = {}): ChainSubnet {
  netuid = toInt(netuid, 'netuid', 0, 65535);
  const defaults = subnetDefaults(netuid);
  const checked = scalarFields(fields, defaults, `subnet ${netuid} fields`, ['neurons', 'mechanisms', 'mechanismEmissionSplit', 'registration'], ['firstEmissionBlockNumber']);
  const { neurons, mechanisms, mechanismEmissionSplit, ...rest } = checked as SubnetFields;
  const registration = rest.registration === undefined || rest.registration === null ? null : defaultRegistration(rest.registration);
  const table =
    neurons instanceof SubnetNeurons
      ? neurons
      : guard(`subnet ${netuid} neurons`, () => neuronTable(neurons ?? [], mechanisms ?? [], mechanismEmissionSplit ?? null, registration, `subnet ${netuid}`));
  const sn = subnetShape({ ...defaults, ...rest, neurons: table, registration } as ChainSubnet);
  checkSubnetFields(sn, `subnet ${netuid} fields`);
  return sn;
}

/**
 * `LastEpochBlock` as `init_new_network` sets it for a subnet added at `block`: staggered by netuid modulo the tempo
 * (tempo 0 counts as 1), saturating at block 0, so subnets added together do not all run their epochs in one block.
 */
export function initialLastEpochBlock(block: bigint, netuid: number, tempo: number): bigint {
  const stagger = BigInt(netuid) % BigInt(Math.max(tempo, 1));
  return block > stagger ? block - stagger : 0n;
}

/**
 * A subnet object in the one property order every subnet has (the order `chainStateFromJSON` builds), so all subnets
 * share one hidden class: built by spreading, each got its own, and every read of a subnet field in the block was a
 * megamorphic property load.
 */
function subnetShape(f: ChainSubnet): ChainSubnet {
  return {
    netuid: f.netuid,
    added: f.added,
    mechanism: f.mechanism,
    subnetTao: f.subnetTao,
    subnetAlphaIn: f.subnetAlphaIn,
    subnetAlphaOut: f.subnetAlphaOut,
    subnetProtocolAlpha: f.subnetProtocolAlpha,
    subnetMovingPrice: f.subnetMovingPrice,
    swapBalancerQuoteWeightParts: f.swapBalancerQuoteWeightParts,
    palSwapInitialized: f.palSwapInitialized,
    feeRate: f.feeRate,
    firstEmissionBlockNumber: f.firstEmissionBlockNumber,
    subtokenEnabled: f.subtokenEnabled,
    networkRegistrationAllowed: f.networkRegistrationAllowed,
    subnetEmissionEnabled: f.subnetEmissionEnabled,
    minerBurned: f.minerBurned,
    emaPriceHalvingBlocks: f.emaPriceHalvingBlocks,
    tempo: f.tempo,
    lastEpochBlock: f.lastEpochBlock,
    pendingEpochAt: f.pendingEpochAt,
    blocksSinceLastStep: f.blocksSinceLastStep,
    subnetEpochIndex: f.subnetEpochIndex,
    lastMechansimStepBlock: f.lastMechansimStepBlock,
    pendingServerEmission: f.pendingServerEmission,
    pendingValidatorEmission: f.pendingValidatorEmission,
    pendingRootAlphaDivs: f.pendingRootAlphaDivs,
    pendingOwnerCut: f.pendingOwnerCut,
    subnetTaoInEmission: f.subnetTaoInEmission,
    subnetAlphaInEmission: f.subnetAlphaInEmission,
    subnetAlphaOutEmission: f.subnetAlphaOutEmission,
    subnetExcessTao: f.subnetExcessTao,
    ownerCutEnabled: f.ownerCutEnabled,
    subnetOwner: f.subnetOwner,
    subnetOwnerHotkey: f.subnetOwnerHotkey,
    recycleOrBurn: f.recycleOrBurn,
    subnetVolume: f.subnetVolume,
    subnetProtocolFlow: f.subnetProtocolFlow,
    rootProp: f.rootProp,
    alphaBurned: f.alphaBurned,
    alphaRecycled: f.alphaRecycled,
    epochParams: f.epochParams,
    neurons: f.neurons,
    registration: f.registration,
  };
}

function subnetDefaults(netuid: number): Omit<ChainSubnet, 'neurons' | 'registration'> {
  return {
    netuid,
    added: true,
    mechanism: netuid === 0 ? 0 : 1,
    subnetTao: 0n,
    subnetAlphaIn: 0n,
    subnetAlphaOut: 0n,
    subnetProtocolAlpha: 0n,
    subnetMovingPrice: 0n,
    swapBalancerQuoteWeightParts: 500_000_000_000_000_000n,
    palSwapInitialized: false,
    feeRate: 33,
    firstEmissionBlockNumber: netuid === 0 ? null : 1n,
    subtokenEnabled: true,
    networkRegistrationAllowed: netuid !== 0,
    subnetEmissionEnabled: true,
    minerBurned: 0n,
    emaPriceHalvingBlocks: 201_600n,
    tempo: 360,
    lastEpochBlock: 0n,
    pendingEpochAt: 0n,
    blocksSinceLastStep: 0n,
    subnetEpochIndex: 0n,
    lastMechansimStepBlock: 0n,
    pendingServerEmission: 0n,
    pendingValidatorEmission: 0n,
    pendingRootAlphaDivs: 0n,
    pendingOwnerCut: 0n,
    subnetTaoInEmission: 0n,
    subnetAlphaInEmission: 0n,
    subnetAlphaOutEmission: 0n,
    subnetExcessTao: 0n,
    ownerCutEnabled: true,
    subnetOwner: null,
    subnetOwnerHotkey: null,
    recycleOrBurn: null,
    subnetVolume: 0n,
    subnetProtocolFlow: 0n,
    rootProp: 0n,
    alphaBurned: 0n,
    alphaRecycled: 0n,
    epochParams: defaultEpochParams(),
  };
}

/** An empty chain at `block` with the runtime defaults and only the root subnet. */
export function newChainState(fields: Partial<Omit<ChainState, 'subnets'>> = {}): ChainState {
  const given = readOptions(fields, 'newChainState fields', [...STATE_U64_KEYS, 'subnetMovingAlpha', ...STATE_U16_KEYS, ...STATE_MAP_KEYS, 'rules']);
  const checked: Record<string, unknown> = {};
  if (given.rules !== undefined) {
    if (typeof given.rules !== 'object' || given.rules === null) throw new YumaError('E_ARG', `rules must be an era's rules (eraRules(...)), got ${describe(given.rules)}`);
    checked.rules = given.rules;
  }
  for (const k of STATE_U64_KEYS) if (given[k] !== undefined) checked[k] = toAmount(given[k], k, true, STATE_U64_NOUNS[k]);
  if (given.subnetMovingAlpha !== undefined) checked.subnetMovingAlpha = bigIn(given.subnetMovingAlpha, 'subnetMovingAlpha', MOVING_ALPHA_BOUNDS);
  for (const k of STATE_U16_KEYS) if (given[k] !== undefined) checked[k] = toInt(given[k], k, 0, U16_MAX);
  for (const k of STATE_MAP_KEYS) {
    if (given[k] === undefined) continue;
    try {
      mapSize.call(given[k]); // a genuine Map (a Proxy or look-alike is not one)
    } catch {
      throw new YumaError('E_ARG', `${k} must be a Map (got ${describe(given[k])})`);
    }
    checked[k] = given[k];
  }
  return {
    block: 0n,
    totalIssuance: 0n,
    balancesTotalIssuance: 0n,
    totalStake: 0n,
    taoWeight: 971_718_665_099_567_868n,
    ckBurn: 0n,
    subnetOwnerCut: 11796,
    subnetMovingAlpha: DEFAULT_MOVING_ALPHA_BITS,
    maxEpochsPerBlock: 2,
    stakeThreshold: 0n,
    swapMinimumReserve: 1_000_000n,
    blockEmission: 0n,
    defaultDelegateTake: 11796,
    subnets: new Map([[0, newSubnet(0)]]),
    hotkeys: new HotkeyInfoMap(),
    ownedHotkeys: new Map(),
    autoStakeDestination: new Map(),
    stakePools: new StakePoolMap(),
    rootClaimable: new HotkeyNetuidMap<bigint>(),
    rootClaimed: new Map(),
    rootClaimType: new Map(),
    rootClaimableThreshold: new Map(),
    childKeys: new Map(),
    parentKeys: new Map(),
    ...checked,
  };
}

/**
 * The state `new Chain` keeps (by reference: `chain.state` is the live state), checked before it is kept and before
 * every block while its caller holds it: at its top the numbers of the right kinds and ranges, genuine Maps, every
 * subnet a record with its neuron table and sound entries (`checkStateAndSubnets`), then every map's entries
 * (`checkMapEntries`). A look-alike would otherwise fail later, in the middle of a block.
 */
export function checkHeldChainState(value: unknown): ChainState {
  const s = checkStateAndSubnets(value);
  checkMapEntries(s);
  return s;
}

function checkStateAndSubnets(value: unknown): ChainState {
  if (typeof value !== 'object' || value === null) throw new YumaError('E_ARG', `state must be a ChainState from newChainState or chainStateFromJSON (got ${describe(value)})`);
  return guard('state', () => {
    const s = value as ChainState;
    stateTopPlain(s);
    // a sound state passes through its fields read one by one, with no path strings, key lists or [key, value] pairs
    // made; anything else is read again for its error
    if (!stateTopSound(s)) stateTopFault(s);
    mapForEach.call(s.subnets, subnetEntry);
    return s;
  });
}

function subnetEntry(sn: unknown, netuid: unknown): void {
  if (typeof netuid !== 'number' || typeof sn !== 'object' || sn === null) notSubnet(netuid);
  if (!subnetPinned(sn as ChainSubnet)) pinSubnet(sn as ChainSubnet, netuid);
  if ((sn as ChainSubnet).netuid !== netuid || !((sn as ChainSubnet).neurons instanceof SubnetNeurons)) notSubnet(netuid);
  const sub = sn as ChainSubnet;
  if (!epochParamsSound(sub.epochParams) || !subnetFieldsSound(sub)) checkSubnetFields(sub, `state.subnets[${netuid}]`);
  if (!subnetEntriesSound(sub)) subnetEntriesFault(sub, netuid);
}

function notSubnet(netuid: unknown): never {
  throw new YumaError('E_ARG', `state.subnets has an entry that is not a subnet from newSubnet (key ${describe(netuid)})`);
}

/**
 * The state object itself as plain data: looked at whole before every block (it is one object, and `replaceState`
 * deletes its keys, so it is not pinned), its era's rules pinned.
 */
function stateTopPlain(s: ChainState): void {
  const p = Object.getPrototypeOf(s) as object | null;
  if (proxied(s) || (p !== Object.prototype && p !== null)) throw new YumaError('E_ARG', 'state must be a plain object (no Proxy, no prototype of its own): a chain state is plain data');
  const keys = Reflect.ownKeys(s);
  for (let i = 0; i < keys.length; i++) {
    if (!('value' in Object.getOwnPropertyDescriptor(s, keys[i])!)) {
      throw new YumaError('E_ARG', `state.${String(keys[i])} is a getter or setter: a chain state is plain data (a getter could answer the block differently from the check before it)`);
    }
  }
  const rules = s.rules;
  if (typeof rules === 'object' && rules !== null && !isPinned(rules)) pinPlain(rules, Object.prototype, () => 'state.rules');
}

/**
 * Each pinned subnet record's parts as they were when pinned: epoch parameters, registration, neuron table, its nine
 * vectors, then each mechanism with its last-update and incentive vectors. Every block of a held state compares a
 * subnet's parts with these (one lookup per subnet): a WeakSet lookup per part cost a sixth of a 128-subnet block.
 */
const subnetParts = new WeakMap<ChainSubnet, unknown[]>();

/** `subnetParts`' entries before the mechanisms': epoch params, registration, table, 9 vectors, 4 of its own fields. */
const PARTS = 16;

/** A neuron table's own bookkeeping (private to TypeScript, reachable from JavaScript). */
interface TableInternals {
  _size: unknown;
  keys: unknown[];
  uids: unknown;
  mechs: unknown[];
  split: unknown;
}

/**
 * A neuron table's bookkeeping as its methods leave it: the size a whole number within capacity, the keys a plain
 * array of that many, the UIDs a plain Map, 1 to 16 mechanisms in a plain array, the emission split null or a plain
 * array of u16 parts. E_ARG otherwise (it was read in the middle of a block).
 */
function tableInternalsSound(t: SubnetNeurons, netuid: number): void {
  const own = t as unknown as TableInternals;
  const p = () => `state.subnets[${netuid}].neurons`;
  const size = own._size;
  const keys = own.keys;
  if (!isUint(size, t.capacity)) throw new YumaError('E_ARG', `${p()}: its UID count must stay a whole number within its capacity`);
  if (!Array.isArray(keys)) throw new YumaError('E_ARG', `${p()}: its hotkeys must stay an array`);
  plainArray(keys, () => `${p()} hotkeys`);
  if (keys.length !== size) throw new YumaError('E_ARG', `${p()}: its hotkeys must stay one per UID`);
  const uids = own.uids;
  if (!isMap(uids) || Object.getPrototypeOf(uids) !== Map.prototype || Reflect.ownKeys(uids as object).length !== 0) throw new YumaError('E_ARG', `${p()}: its UIDs by hotkey must stay a plain Map`);
  const mechs = own.mechs;
  if (!Array.isArray(mechs)) throw new YumaError('E_ARG', `${p()}: its mechanisms must stay an array`);
  plainArray(mechs, () => `${p()} mechanisms`);
  if (mechs.length < 1 || mechs.length > 16 || !mechs.every((m) => m instanceof MechanismNeurons)) throw new YumaError('E_ARG', `${p()}: 1 to 16 mechanisms, each the table's`);
  const split = own.split;
  if (split !== null) {
    if (!Array.isArray(split)) throw new YumaError('E_ARG', `${p()}: its emission split must stay null or an array`);
    plainArray(split, () => `${p()} emission split`);
    for (let i = 0; i < split.length; i++) if (!isU16(split[i])) throw new YumaError('E_ARG', `${p()}: its emission split must hold u16 parts`);
  }
}

/**
 * A neuron table's hotkeys as the epoch reads them (checked before a block that may run its epoch): each a non-empty
 * string whose UID by hotkey is a UID holding that hotkey (a loaded state may list a hotkey twice; the first UID wins).
 */
export function tableKeysSound(t: SubnetNeurons, netuid: number): void {
  const own = t as unknown as TableInternals;
  const keys = own.keys;
  const uids = own.uids as Map<string, number>;
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i];
    const u = typeof k === 'string' && k.length > 0 ? mapGetOf.call(uids, k) : undefined;
    if (typeof u !== 'number' || keys[u] !== k) throw new YumaError('E_ARG', `state.subnets[${netuid}].neurons: the hotkey of UID ${i} must stay the account its UID is registered under`);
  }
}
const mapGetOf = Map.prototype.get as (this: Map<string, number>, k: string) => number | undefined;

function subnetPinned(sub: ChainSubnet): boolean {
  const seen = subnetParts.get(sub);
  if (seen === undefined) return false;
  const t = sub.neurons;
  const own = t as unknown as TableInternals;
  const keys = own.keys;
  const size = own._size;
  // the table's own bookkeeping, which its caller can reach from JavaScript and the block reads: the same arrays and
  // map as when pinned, and a size that is theirs (the keys' contents are checked before an epoch reads them)
  if (seen[12] !== keys || seen[13] !== own.uids || seen[14] !== own.mechs || seen[15] !== own.split || !(size === keys.length && size <= t.capacity)) return false;
  if (seen[0] !== sub.epochParams || seen[1] !== sub.registration || seen[2] !== t || seen[3] !== t.blockAtRegistration || seen[4] !== t.validatorPermit ||
    seen[5] !== t.active || seen[6] !== t.stake || seen[7] !== t.emission || seen[8] !== t.consensus || seen[9] !== t.dividends ||
    seen[10] !== t.validatorTrust || seen[11] !== t.stakeWeight) return false;
  const mechanisms = t.mechanismCount;
  if (seen.length !== PARTS + 3 * mechanisms) return false;
  for (let m = 0, i = PARTS; m < mechanisms; m++, i += 3) {
    const mech = t.mechanism(m);
    if (seen[i] !== mech || seen[i + 1] !== mech.lastUpdate || seen[i + 2] !== mech.incentive) return false;
  }
  return true;
}

/**
 * A subnet record, its epoch parameters, registration record, neuron table with its vectors and mechanisms pinned as
 * plain data (what is not a record or table is left to the checks after, for their errors), and its parts noted.
 */
function pinSubnet(sub: ChainSubnet, netuid: number): void {
  pinPlain(sub, Object.prototype, () => `state.subnets[${netuid}]`);
  const t = sub.neurons;
  if (!(t instanceof SubnetNeurons)) return;
  const ep = sub.epochParams;
  if (typeof ep === 'object' && ep !== null) pinPlain(ep, Object.prototype, () => `state.subnets[${netuid}].epochParams`);
  const r = sub.registration;
  if (typeof r === 'object' && r !== null) pinPlain(r, Object.prototype, () => `state.subnets[${netuid}].registration`);
  pinPlain(t, SubnetNeurons.prototype, () => `state.subnets[${netuid}].neurons`);
  tableInternalsSound(t, netuid);
  const parts: unknown[] = [ep, r, t];
  for (let i = 0; i < TABLE_VECTORS.length; i++) {
    const kv = TABLE_VECTORS[i]!;
    const v = (t as unknown as Record<string, unknown>)[kv[0]];
    if (v instanceof kv[1]) pinTyped(v, kv[1].prototype, () => `state.subnets[${netuid}].neurons.${kv[0]}`);
    parts.push(v);
  }
  const own = t as unknown as TableInternals;
  parts.push(own.keys, own.uids, own.mechs, own.split);
  const mechanisms = t.mechanismCount;
  for (let m = 0; m < mechanisms; m++) {
    const mech = t.mechanism(m);
    pinPlain(mech, MechanismNeurons.prototype, () => `state.subnets[${netuid}].neurons mechanism ${m}`);
    const lu = mech.lastUpdate;
    const inc = mech.incentive;
    if (lu instanceof BigUint64Array) pinTyped(lu, BigUint64Array.prototype, () => `state.subnets[${netuid}].neurons mechanism ${m} lastUpdate`);
    if (inc instanceof Uint16Array) pinTyped(inc, Uint16Array.prototype, () => `state.subnets[${netuid}].neurons mechanism ${m} incentive`);
    parts.push(mech, lu, inc);
  }
  subnetParts.set(sub, parts);
}

/** The state's top-level fields (not the subnets' records) all of their kinds and in range. */
function stateTopSound(s: ChainState): boolean {
  return isU64(s.block) && isU64(s.totalIssuance) && isU64(s.balancesTotalIssuance) && isU64(s.totalStake) && isU64(s.taoWeight) &&
    isU64(s.ckBurn) && isU64(s.stakeThreshold) && isU64(s.swapMinimumReserve) && isU64(s.blockEmission) && isI128(s.subnetMovingAlpha) &&
    isU16(s.subnetOwnerCut) && isU16(s.maxEpochsPerBlock) && isU16(s.defaultDelegateTake) &&
    stateMap(s.hotkeys) && stateMap(s.ownedHotkeys) && stateMap(s.autoStakeDestination) && stateMap(s.stakePools) && stateMap(s.rootClaimable) &&
    stateMap(s.rootClaimed) && stateMap(s.rootClaimType) && stateMap(s.rootClaimableThreshold) && stateMap(s.childKeys) && stateMap(s.parentKeys) && stateMap(s.subnets);
}

/**
 * One of the state's own maps as the block may use it: a genuine Map of this realm's Map class or of the library's
 * (HotkeyNetuidMap, StakePoolMap, HotkeyInfoMap), with no property of its own. A subclass of the caller's, or a
 * `get` or `forEach` set on the map itself, could answer the block differently from what the check read (a
 * subnet's `get` answering a record the check never saw threw a TypeError after the coinbase had run).
 */
function stateMap(v: unknown): boolean {
  if (!isMap(v)) return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  return (proto === Map.prototype || proto === HotkeyNetuidMap.prototype || proto === StakePoolMap.prototype || proto === HotkeyInfoMap.prototype) &&
    Reflect.ownKeys(v as object).length === 0;
}

/** Throws the YumaError for the first of the state's top-level fields that `stateTopSound` found unsound. */
function stateTopFault(value: ChainState): never {
  const s = value as unknown as Record<string, unknown>;
  for (const k of STATE_U64_KEYS) toAmount(s[k], `state.${k}`, true, STATE_U64_NOUNS[k]);
  bigIn(s.subnetMovingAlpha, 'state.subnetMovingAlpha', MOVING_ALPHA_BOUNDS);
  for (const k of STATE_U16_KEYS) {
    if (typeof s[k] !== 'number') throw new YumaError('E_ARG', `state.${k} must be a number (got ${describe(s[k])})`);
    toInt(s[k], `state.${k}`, 0, U16_MAX);
  }
  for (const k of [...STATE_MAP_KEYS, 'subnets'] as const) {
    if (!isMap(s[k])) throw new YumaError('E_ARG', `state.${k} must be a Map`);
    if (!stateMap(s[k])) throw new YumaError('E_ARG', `state.${k} must be a Map of this library's or a plain one, with no subclass and no property of its own (got ${describe(s[k])})`);
  }
  throw new YumaError('E_ARG', 'state: a field read differently on a second read (a getter or Proxy in the state)');
}

/** A genuine Map: `Map.prototype.size`'s getter throws on anything else (a Proxy of a Map, a look-alike). */
function isMap(v: unknown): boolean {
  try {
    mapSize.call(v);
    return true;
  } catch {
    return false;
  }
}

const STATE_U64_KEYS = ['block', 'totalIssuance', 'balancesTotalIssuance', 'totalStake', 'taoWeight', 'ckBurn', 'stakeThreshold', 'swapMinimumReserve', 'blockEmission'] as const;
/** What each of those is, for a message (not every u64 of the state is rao). */
const STATE_U64_NOUNS: Record<(typeof STATE_U64_KEYS)[number], string> = {
  block: 'block number', totalIssuance: 'amount of rao', balancesTotalIssuance: 'amount of rao', totalStake: 'amount of rao',
  taoWeight: 'u64 (parts of 2^64 - 1)', ckBurn: 'u64 (parts of 2^64 - 1)', stakeThreshold: 'amount of rao', swapMinimumReserve: 'amount of rao', blockEmission: 'amount of rao',
};
/** `SubnetMovingAlpha` is I96F32 bits (the JSON form's range too), not a u64. */
const MOVING_ALPHA_BOUNDS = [I96F32.min, I96F32.max] as const;
const STATE_U16_KEYS = ['subnetOwnerCut', 'maxEpochsPerBlock', 'defaultDelegateTake'] as const;
const STATE_MAP_KEYS = ['hotkeys', 'ownedHotkeys', 'autoStakeDestination', 'stakePools', 'rootClaimable', 'rootClaimed', 'rootClaimType', 'rootClaimableThreshold', 'childKeys', 'parentKeys'] as const;
const mapSize = Object.getOwnPropertyDescriptor(Map.prototype, 'size')!.get!;

/** An account id held in the state: a non-empty string (the JSON form's `key`). */
const isAccount = (v: unknown): boolean => typeof v === 'string' && v.length > 0;
const isUint = (v: unknown, hi: number): boolean => typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= hi;
const isSafeFloat = (v: unknown): boolean => {
  if (typeof v !== 'object' || v === null) return false;
  const m = (v as SafeFloat).mantissa;
  const e = (v as SafeFloat).exponent;
  return typeof m === 'bigint' && m >= 0n && m <= SF_MANTISSA_MAX && typeof e === 'number' && Number.isInteger(e) && e >= -1_000_000 && e <= 1_000_000;
};
const SF_MANTISSA_MAX = 10n ** 21n;

function accountIn(v: unknown, path: () => string): void {
  if (!isAccount(v)) throw new YumaError('E_ARG', `${path()} must be an account id (a non-empty string), got ${describe(v)}`);
}

function uintIn(v: unknown, path: () => string, hi: number): void {
  if (isUint(v, hi)) return;
  // toInt takes a bigint in range, which the block's number arithmetic cannot
  if (typeof v !== 'number') throw new YumaError('E_ARG', `${path()} must be a number (got ${describe(v)})`);
  toInt(v, path(), 0, hi);
}

function bigHeld(v: unknown, path: () => string, [lo, hi]: readonly [bigint, bigint]): void {
  if (typeof v !== 'bigint' || v < lo || v > hi) bigIn(v, path(), [lo, hi]);
}

function mapIn(v: unknown, path: string): Map<unknown, unknown> {
  if (!isMap(v)) throw new YumaError('E_ARG', `${path} must be a Map (got ${describe(v)})`);
  return v as Map<unknown, unknown>;
}

function safeFloatHeld(v: unknown, path: () => string): void {
  if (isSafeFloat(v)) return;
  const sf = v as SafeFloat;
  if (typeof v !== 'object' || v === null || typeof sf.mantissa !== 'bigint' || typeof sf.exponent !== 'number') {
    throw new YumaError('E_ARG', `${path()} must be a SafeFloat ({ mantissa: bigint, exponent }), got ${describe(v)}`);
  }
  if (sf.mantissa < 0n || sf.mantissa > SF_MANTISSA_MAX) throw new YumaError('E_RANGE', `${path()}.mantissa: ${sf.mantissa} is outside [0, 10^21]`);
  throw new YumaError('E_RANGE', `${path()}.exponent: ${describe(sf.exponent)} is not a whole number in [-10^6, 10^6]`);
}

const REGISTRATION_SMALL = [['maxAllowedUids', MAX_NEURONS], ['immunityPeriod', U16_MAX], ['minNonImmuneUids', U16_MAX], ['immuneOwnerUidsLimit', U16_MAX], ['burnHalfLife', U16_MAX]] as const;
const REGISTRATION_INTS = [['burn', [0n, U64_MAX]], ['minBurn', [0n, U64_MAX]], ['maxBurn', [0n, U64_MAX]], ['burnIncreaseMult', [0n, U128_MAX]], ['raoRecycledForRegistration', [0n, U128_MAX]], ['alphaBurnedByRegistration', [0n, U128_MAX]]] as const;
const TABLE_VECTORS = [['blockAtRegistration', BigUint64Array], ['validatorPermit', Uint8Array], ['active', Uint8Array], ['stake', BigUint64Array], ['emission', BigUint64Array], ['consensus', Uint16Array], ['dividends', Uint16Array], ['validatorTrust', Uint16Array], ['stakeWeight', Uint16Array]] as const;
const U64_RANGE = [0n, U64_MAX] as const;
const U128_RANGE = [0n, U128_MAX] as const;
const I96F32_RANGE = [I96F32.min, I96F32.max] as const;

/**
 * What `checkStateAndSubnets` leaves to the maps' pass of `checkHeldChainState`: every entry of every map
 * (hotkeys, owned hotkeys, auto-stake destinations, stake pools with their share pools, root claimable / claimed /
 * claim types / thresholds, child and parent links) here, and (`subnetEntriesSound`, in the subnets' pass) each
 * subnet's owner fields, recycle-or-burn and registration record, and each neuron table's per-UID vectors (still
 * typed arrays of its capacity, one per mechanism too). The weight and bond rows are checked where an epoch reads them (by the library's engine before the block, by any
 * other engine inside a block that is undone). Kinds as `E_ARG`, ranges as `E_RANGE`, as at the state's top.
 *
 * It runs before every block of such a chain over tens of thousands of entries, so each map is one loop whose body
 * reads an entry's fields once into locals and tests them inline (no closure, path string or pair made per entry);
 * only an entry found unsound is read again, by a `…Fault` function, for its error.
 */
function checkMapEntries(s: ChainState): void {
  guard('state', () => {
    hotkeysSeen = false;
    mapForEach.call(mapIn(s.hotkeys, 'state.hotkeys'), hotkeyEntry);
    if (s.hotkeys instanceof HotkeyInfoMap && (hotkeysSeen || hotkeysCounted(s.hotkeys) !== mapSize.call(s.hotkeys))) touchHotkeys(s.hotkeys);
    mapForEach.call(mapIn(s.ownedHotkeys, 'state.ownedHotkeys'), ownedHotkeysEntry);
    mapForEach.call(mapIn(s.autoStakeDestination, 'state.autoStakeDestination'), autoStakeEntry);
    checkStakePools(s, mapIn(s.stakePools, 'state.stakePools'));
    mapForEach.call(mapIn(s.rootClaimable, 'state.rootClaimable'), rootClaimableEntry);
    if (s.rootClaimable instanceof HotkeyNetuidMap) indexAgrees(s.rootClaimable, 'rootClaimable');
    mapForEach.call(mapIn(s.rootClaimed, 'state.rootClaimed'), rootClaimedEntry);
    for (const [ck, type] of pairsOf(mapIn(s.rootClaimType, 'state.rootClaimType'))) {
      accountIn(ck, () => 'state.rootClaimType (key)');
      if (type === 'Swap' || type === 'Keep') continue;
      if (typeof type === 'object' && type !== null && !isPinned(type)) pinPlain(type, Object.prototype, () => `state.rootClaimType[${describe(ck)}]`);
      const list = typeof type === 'object' && type !== null ? (type as { keepSubnets?: unknown }).keepSubnets : undefined;
      if (Array.isArray(list)) plainArray(list, () => `state.rootClaimType[${describe(ck)}].keepSubnets`);
      if (!Array.isArray(list) || list.length === 0) throw new YumaError('E_ARG', `state.rootClaimType[${describe(ck)}] must be 'Swap', 'Keep' or { keepSubnets: [netuids] }`);
      for (let i = 0; i < list.length; i++) uintIn(list[i], () => `state.rootClaimType[${describe(ck)}].keepSubnets[${i}]`, U16_MAX);
    }
    for (const [n, v] of pairsOf(mapIn(s.rootClaimableThreshold, 'state.rootClaimableThreshold'))) {
      uintIn(n, () => 'state.rootClaimableThreshold (netuid)', U16_MAX);
      bigHeld(v, () => `state.rootClaimableThreshold[${describe(n)}]`, I96F32_RANGE);
    }
    checkLinks(mapIn(s.childKeys, 'state.childKeys'), 'childKeys');
    checkLinks(mapIn(s.parentKeys, 'state.parentKeys'), 'parentKeys');
  });
}

// The entry loops below run Map.prototype.forEach with module-level callbacks: a for-of over a Map's entries made a
// [key, value] pair per entry (a fifth of a large state's check went to collecting them), and a closure per map or
// per pool is an allocation too. What a callback needs besides the entry is in these module variables. It is this
// realm's forEach, called on the map: a Map subclass of the caller's could override its own to hide entries.
const mapForEach = Map.prototype.forEach as (this: Map<unknown, unknown>, cb: (v: any, k: any) => void) => void;
let poolsState: ChainState;
let sharesPoolKey: unknown;
/** Netuids of `poolsState`'s subnets, for the pools' netuid test (a Map lookup per pool cost an eighth of the check). */
const liveNetuids = new Uint8Array(U16_MAX + 1);

const HOTKEY_OPTIONAL = ['delegateTake', 'childkeyTake'] as const;
/** Whether this check met a hotkey entry it had not seen before (the epochs' kept lookups may hold its predecessor). */
let hotkeysSeen = false;

function hotkeyEntry(info: unknown, hk: unknown): void {
  if (isAccount(hk) && typeof info === 'object' && info !== null) {
    if (!isPinnedHotkey(info)) {
      pinPlain(info, Object.prototype, () => `state.hotkeys[${describe(hk)}]`, HOTKEY_OPTIONAL);
      hotkeysSeen = true;
    }
    const h = info as HotkeyInfo;
    const take = h.delegateTake;
    if (isAccount(h.owner) && (take === undefined || isU16(take)) && h.childkeyTake === undefined) return;
  }
  hotkeyFault(hk, info);
}

/** Throws the YumaError for a hotkey entry `hotkeyEntry` found unsound (or passes one whose childkeyTake is sound). */
function hotkeyFault(hk: unknown, info: unknown): void {
  const h = info as HotkeyInfo;
  const p = () => `state.hotkeys[${describe(hk)}]`;
  accountIn(hk, () => `${p()} (key)`);
  if (typeof h !== 'object' || h === null) throw new YumaError('E_ARG', `${p()} must be { owner, delegateTake?, childkeyTake? } (got ${describe(h)})`);
  if (!isPinned(h)) pinPlain(h, Object.prototype, p, HOTKEY_OPTIONAL);
  accountIn(h.owner, () => `${p()}.owner`);
  if (h.delegateTake !== undefined) uintIn(h.delegateTake, () => `${p()}.delegateTake`, U16_MAX);
  if (h.childkeyTake === undefined) throw new YumaError('E_ARG', `${p()}: a field read differently on a second read (a getter or Proxy in the state)`);
  {
    for (const [n, take] of pairsOf(mapIn(h.childkeyTake, `${p()}.childkeyTake`))) {
      uintIn(n, () => `${p()}.childkeyTake (netuid)`, U16_MAX);
      uintIn(take, () => `${p()}.childkeyTake[${describe(n)}]`, U16_MAX);
    }
  }
}

function rootClaimableEntry(v: unknown, k: unknown): void {
  if (isAccount(k) && isI128(v)) return;
  accountIn(k, () => 'state.rootClaimable (key)');
  bigHeld(v, () => `state.rootClaimable[${describe(k)}]`, I96F32_RANGE);
}

function rootClaimedEntry(m: unknown, k: unknown): void {
  accountIn(k, () => 'state.rootClaimed (key)');
  if (!isMap(m)) throw new YumaError('E_ARG', `state.rootClaimed[${describe(k)}] must be a Map (got ${describe(m)})`);
  rootClaimedKey = k;
  mapForEach.call(m as Map<unknown, unknown>, rootClaimedInner);
}

let rootClaimedKey: unknown;

function rootClaimedInner(v: unknown, ck: unknown): void {
  if (isAccount(ck) && isU128(v)) return;
  accountIn(ck, () => `state.rootClaimed[${describe(rootClaimedKey)}] (key)`);
  bigHeld(v, () => `state.rootClaimed[${describe(rootClaimedKey)}][${describe(ck)}]`, U128_RANGE);
}

function autoStakeEntry(dest: unknown, k: unknown): void {
  if (isAccount(k) && isAccount(dest)) return;
  accountIn(k, () => 'state.autoStakeDestination (key)');
  accountIn(dest, () => `state.autoStakeDestination[${describe(k)}]`);
}

function ownedHotkeysEntry(list: unknown, ck: unknown): void {
  if (!isAccount(ck) || !Array.isArray(list)) ownedHotkeysFault(ck, list);
  plainArray(list as unknown[], () => `state.ownedHotkeys[${describe(ck)}]`);
  if (!accountsSound(list as unknown[])) ownedHotkeysFault(ck, list);
}

function accountsSound(list: unknown[]): boolean {
  for (let i = 0; i < list.length; i++) if (!isAccount(list[i])) return false;
  return true;
}

function ownedHotkeysFault(ck: unknown, list: unknown): never {
  accountIn(ck, () => 'state.ownedHotkeys (key)');
  if (!Array.isArray(list)) throw new YumaError('E_ARG', `state.ownedHotkeys[${describe(ck)}] must be an array of hotkeys`);
  for (let i = 0; i < list.length; i++) accountIn(list[i], () => `state.ownedHotkeys[${describe(ck)}][${i}]`);
  throw new YumaError('E_ARG', `state.ownedHotkeys[${describe(ck)}] must be an array of hotkeys`);
}

function checkStakePools(s: ChainState, pools: Map<unknown, unknown>): void {
  // the subnets' keys as the subnets' pass found them (u16 netuids), not as a keys() of the map's own reports them
  mapForEach.call(s.subnets, markNetuid);
  poolsState = s;
  poolsIndex = pools instanceof HotkeyNetuidMap ? (pools as StakePoolMap) : null;
  try {
    mapForEach.call(pools, poolEntry);
  } finally {
    mapForEach.call(s.subnets, unmarkNetuid);
  }
  if (poolsIndex !== null) indexAgrees(poolsIndex, 'stakePools');
}

/** The stake pools map when it is indexed (the block finds pools through the index, not the map's entries). */
let poolsIndex: StakePoolMap | null = null;

/**
 * A `HotkeyNetuidMap` whose index holds as many entries as the map: `Map.prototype.set` or `delete` called on it
 * (past its own) would leave the index, which the block reads, holding an entry the check never saw.
 */
function indexAgrees(m: HotkeyNetuidMap<unknown>, which: string): void {
  if (indexedCount(m) !== mapSize.call(m)) {
    throw new YumaError('E_STATE', `state.${which}: entries were set or deleted past the map's own set and delete (Map.prototype methods called on it), so its index no longer matches them`);
  }
}

function markNetuid(_: unknown, netuid: number): void {
  liveNetuids[netuid] = 1;
}

function unmarkNetuid(_: unknown, netuid: number): void {
  liveNetuids[netuid] = 0;
}

function poolEntry(pool: unknown, k: unknown): void {
  if (typeof pool !== 'object' || pool === null) stakePoolFault(poolsState, k, pool as StakePool);
  const fresh = !isPinnedPool(pool);
  if (fresh) pinPlain(pool as object, Object.prototype, () => `state.stakePools[${describe(k)}]`);
  const o = pool as StakePool;
  const den = o.denominator;
  if (typeof den === 'object' && den !== null && !isPinnedSafeFloat(den)) pinPlain(den, Object.prototype, () => `state.stakePools[${describe(k)}].denominator`);
  const netuid = o.netuid;
  if (!(isAccount(k) && isAccount(o.hotkey) && isU16(netuid) && liveNetuids[netuid] === 1 && isU64(o.value) && isSafeFloat(o.denominator))) {
    stakePoolFault(poolsState, k, o);
  }
  // a pool not seen before is the one the index holds for its hotkey and netuid (else it was put in past the map's set)
  if (fresh && poolsIndex !== null && poolsIndex.poolOf(o.hotkey, netuid) !== o) {
    throw new YumaError('E_STATE', `state.stakePools[${describe(k)}] is not the pool the map's index holds for its hotkey and netuid (set past the map's own set, or under another key)`);
  }
  const shares = o.shares;
  sharesPoolKey = k;
  try {
    mapForEach.call(shares, shareEntry);
  } catch (e) {
    if (!isMap(shares)) throw new YumaError('E_ARG', `state.stakePools[${describe(k)}].shares must be a Map (got ${describe(shares)})`);
    throw e;
  }
}

function shareEntry(share: unknown, ck: unknown): void {
  if (typeof share === 'object' && share !== null && !isPinnedSafeFloat(share)) pinPlain(share, Object.prototype, () => `state.stakePools[${describe(sharesPoolKey)}].shares[${describe(ck)}]`);
  if (isAccount(ck) && isSafeFloat(share)) return;
  accountIn(ck, () => `state.stakePools[${describe(sharesPoolKey)}].shares (key)`);
  safeFloatHeld(share, () => `state.stakePools[${describe(sharesPoolKey)}].shares[${describe(ck)}]`);
}

/** A map's entries as this realm's `Map.prototype.forEach` finds them (a subclass's iterator could hide some). */
function pairsOf(map: Map<unknown, unknown>): Array<[unknown, unknown]> {
  const out: Array<[unknown, unknown]> = [];
  mapForEach.call(map, (v, k) => {
    out.push([k, v]);
  });
  return out;
}

function checkLinks(map: Map<unknown, unknown>, which: 'childKeys' | 'parentKeys'): void {
  for (const [k, links] of pairsOf(map)) {
    const p = () => `state.${which}[${describe(k)}]`;
    accountIn(k, () => `${p()} (key)`);
    if (!Array.isArray(links)) throw new YumaError('E_ARG', `${p()} must be an array of { proportion, key }`);
    if (links.length > 5) throw new YumaError('E_LIMIT', `${p()}: at most 5 parents or children`);
    plainArray(links, p);
    for (let i = 0; i < links.length; i++) {
      const l = links[i] as ChildLink;
      if (typeof l !== 'object' || l === null) throw new YumaError('E_ARG', `${p()}[${i}] must be { proportion, key }`);
      if (!isPinned(l)) pinPlain(l, Object.prototype, () => `${p()}[${i}]`);
      bigHeld(l.proportion, () => `${p()}[${i}].proportion`, U64_RANGE);
      accountIn(l.key, () => `${p()}[${i}].key`);
    }
  }
}

/** Throws the YumaError for a stake pool `checkHeldChainState` found unsound. */
function stakePoolFault(s: ChainState, k: unknown, o: StakePool): never {
  const p = () => `state.stakePools[${describe(k)}]`;
  accountIn(k, () => 'state.stakePools (key)');
  if (typeof o !== 'object' || o === null) throw new YumaError('E_ARG', `${p()} must be a stake pool (got ${describe(o)})`);
  accountIn(o.hotkey, () => `${p()}.hotkey`);
  uintIn(o.netuid, () => `${p()}.netuid`, U16_MAX);
  if (!s.subnets.has(o.netuid)) throw new YumaError('E_STATE', `${p()}: stake on unknown subnet ${o.netuid}`);
  bigHeld(o.value, () => `${p()}.value`, U64_RANGE);
  safeFloatHeld(o.denominator, () => `${p()}.denominator`);
  throw new YumaError('E_STATE', `${p()} is not a stake pool`);
}

/** `checkHeldChainState`' part of one subnet (owner fields, recycle-or-burn, registration, neuron vectors) sound. */
function subnetEntriesSound(sn: ChainSubnet): boolean {
  const owner = sn.subnetOwner;
  const ownerHotkey = sn.subnetOwnerHotkey;
  const rb = sn.recycleOrBurn;
  const r = sn.registration;
  const t = sn.neurons;
  const cap = t.capacity;
  if (!((owner === null || isAccount(owner)) && (ownerHotkey === null || isAccount(ownerHotkey)) && (rb === null || rb === 'Recycle' || rb === 'Burn') &&
    (r === null || registrationSound(r)) &&
    t.blockAtRegistration instanceof BigUint64Array && t.blockAtRegistration.length === cap && t.validatorPermit instanceof Uint8Array && t.validatorPermit.length === cap &&
    t.active instanceof Uint8Array && t.active.length === cap && t.stake instanceof BigUint64Array && t.stake.length === cap &&
    t.emission instanceof BigUint64Array && t.emission.length === cap && t.consensus instanceof Uint16Array && t.consensus.length === cap &&
    t.dividends instanceof Uint16Array && t.dividends.length === cap && t.validatorTrust instanceof Uint16Array && t.validatorTrust.length === cap &&
    t.stakeWeight instanceof Uint16Array && t.stakeWeight.length === cap)) return false;
  const mechanisms = t.mechanismCount;
  for (let m = 0; m < mechanisms; m++) if (!mechanismSound(t.mechanism(m), cap)) return false;
  return true;
}

/** A registration record's fields as REGISTRATION_SMALL and REGISTRATION_INTS bound them, minBurn ≤ maxBurn. */
function registrationSound(r: SubnetRegistration): boolean {
  if (typeof r !== 'object') return false;
  const minBurn = r.minBurn;
  const maxBurn = r.maxBurn;
  return isUint(r.maxAllowedUids, MAX_NEURONS) && isU16(r.immunityPeriod) && isU16(r.minNonImmuneUids) && isU16(r.immuneOwnerUidsLimit) &&
    isU16(r.burnHalfLife) && isU64(r.burn) && isU64(minBurn) && isU64(maxBurn) && isU128(r.burnIncreaseMult) &&
    isU128(r.raoRecycledForRegistration) && isU128(r.alphaBurnedByRegistration) && minBurn <= maxBurn;
}

const mechanismSound = (m: MechanismNeurons, cap: number): boolean =>
  Array.isArray(m.weights) && m.weights.length === cap && m.lastUpdate instanceof BigUint64Array && m.lastUpdate.length === cap && m.incentive instanceof Uint16Array && m.incentive.length === cap;

/**
 * `checkHeldChainState` on one subnet that `subnetEntriesSound` found unsound, field by field: throws the YumaError
 * of the first unsound one.
 */
function subnetEntriesFault(sn: ChainSubnet, netuid: number): never {
  const p = () => `state.subnets[${netuid}]`;
  if (sn.subnetOwner !== null) accountIn(sn.subnetOwner, () => `${p()}.subnetOwner`);
  if (sn.subnetOwnerHotkey !== null) accountIn(sn.subnetOwnerHotkey, () => `${p()}.subnetOwnerHotkey`);
  if (sn.recycleOrBurn !== null && sn.recycleOrBurn !== 'Recycle' && sn.recycleOrBurn !== 'Burn') {
    throw new YumaError('E_ARG', `${p()}.recycleOrBurn must be 'Recycle', 'Burn' or null (got ${describe(sn.recycleOrBurn)})`);
  }
  const r = sn.registration as unknown as Record<string, unknown> | null;
  if (r !== null) {
    if (typeof r !== 'object') throw new YumaError('E_ARG', `${p()}.registration must be a registration record or null (got ${describe(r)})`);
    for (const [k, hi] of REGISTRATION_SMALL) uintIn(r[k], () => `${p()}.registration.${k}`, hi);
    for (const [k, bounds] of REGISTRATION_INTS) bigHeld(r[k], () => `${p()}.registration.${k}`, bounds);
    if ((r.minBurn as bigint) > (r.maxBurn as bigint)) throw new YumaError('E_STATE', `${p()}.registration: minBurn above maxBurn`);
  }
  const t = sn.neurons as unknown as Record<string, unknown>;
  const cap = sn.neurons.capacity;
  for (const [k, Kind] of TABLE_VECTORS) {
    const v = t[k];
    if (!(v instanceof Kind) || v.length !== cap) throw new YumaError('E_ARG', `${p()}.neurons.${k} must stay the table's ${Kind.name} of ${cap} entries`);
  }
  for (let m = 0; m < sn.neurons.mechanismCount; m++) {
    if (!mechanismSound(sn.neurons.mechanism(m), cap)) {
      throw new YumaError('E_ARG', `${p()}.neurons mechanism ${m}: its weights, lastUpdate and incentive must stay the table's arrays of ${cap} entries`);
    }
  }
  // subnetEntriesSound found something these reads did not: a field that reads differently each time
  throw new YumaError('E_ARG', `${p()}: a field read differently on a second read (a getter or Proxy in the state)`);
}
