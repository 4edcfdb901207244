/**
 * One block of the chain at subtensor 14bc6f9f, in `block_step` order: block emission and mint, `run_coinbase`
 * (shares, per-subnet terms, injection and excess-TAO buys through the Balancer pool, alpha out, owner cut, root
 * alpha, pending pots), `drain_pending` (dynamic-tempo scheduling, `MaxEpochsPerBlock`), `distribute_emission`
 * (the epoch through the engine in fixed mode, incentives with the owner-hotkey burn/recycle, parent/child
 * redistribution, root/alpha dividend split, delegate take, nominators, root claimable), moving prices and
 * `RootProp`. Types, rounding and order are the chain's: every U96F32/U64F64/I96F32 operation is the
 * substrate-fixed rule on raw bits. The per-block coinbase (shares, terms, injection and the excess-TAO buys, alpha
 * out, moving prices) runs in Wasm over a table of the emitting subnets; the buys the kernel leaves to the pallet's
 * rule in BigInt, the epochs' inputs and the payouts run in BigInt here.
 *
 * Not modelled: registration-burn decay, CRv3 reveals, pending children, auto root claims, voting power,
 * conviction owner changes, lease dividends (see the README's block-model section).
 */
import type { Engine } from '../engine.js';
import { RAO, TOTAL_SUPPLY, U64_MAX } from '../units.js';
import type { ChainPath, EpochInput, EpochOutput, Hyperparams, MechanismEpochInput, NumericMode } from '../epoch/types.js';
import {
  I64F64,
  I96F32,
  U64F64,
  U96F32,
  blockEmissionForIssuance,
  convert,
  divChecked,
  fromInt,
  i64SatAdd as i64Add,
  mulSat,
  satAdd,
  satSub,
  stakeProportion,
  stakeWeightI64F64,
  taoWeightU96F32,
  toU64Sat,
  u64SatAdd as u64Add,
  u64SatSub as u64Sub,
  wrapAdd,
} from '../fixed/substrate-fixed.js';
import { type SwapError, MAX_PRICE_RAO } from '../dtao/balancer.js';
import { isHead, legacyEpochDue, rulesOf, seedAlphaOut, spotPriceShares } from './eras.js';
import { updateRegistrationPrices } from './registration.js';
import { hotkeyStake, ownerOf, poolOf, stakePool, swapTaoForAlpha, volumeAdd } from './swap.js';
import { resolveHyper } from '../epoch/prepare.js';
import { CoinbaseTable } from '../wasm/coinbase.js';
import { CBH, CBS, CB_BOUGHT, CB_EMISSIONS_GIVEN, CB_ERA_HEAD, CB_ERA_LAUNCH, CB_REFUSED, CB_SHARES_GIVEN } from '../wasm/abi.js';
import { residentHostOf, type ResidentHost } from '../wasm/resident.js';
import { LazyRecord } from './lazy.js';
import { guard } from '../validation/read.js';
import { copyEntries, entryCount, entryOf, poolUpdateAll, poolUpdateOne, poolValueOf } from './safe-float.js';
import { type ChainState, type ChainSubnet, type HotkeyInfo, HotkeyInfoMap, type StakePool, HotkeyNetuidMap, type NetuidEntries, compareKeys, epochHyperOf, lookupOnNetuid, poolKey, storageOrderKey, tableKeysSound } from './state.js';
import type { SubnetNeurons } from '../subnet/neurons.js';

const DEFAULT_BLOCK_EMISSION = RAO;

/** A hotkey's childkey take on a subnet (0 without one), read as the state's check reads the map. */
const childkeyTakeOf = (m: Map<number, number> | undefined, netuid: number): number => (m === undefined ? 0 : (entryOf(m, netuid) ?? 0));

/** What runs the epochs: an engine's `epoch`. */
export type EpochEngineLike = Pick<Engine, 'epoch'>;

/** How the epochs run: the chain's fixed point on the sparse path (default), or float / the dense path for simulations. */
export interface EpochSettings {
  /** Epoch arithmetic: `'fixed'` (the chain's) or `'float'`. */
  mode: NumericMode;
  /** Epoch code path: `'sparse'` (what the chain runs) or `'dense'`. */
  path: ChainPath;
  /**
   * Whether each epoch's `output.bonds` carries the bond rows (default true). `false` leaves them `[]` on engines
   * that keep the matrices in Wasm memory (reading n rows back costs more than the payouts of a 256-UID subnet);
   * the subnet's table holds them until its next epoch (`neurons.bondRows(mechanism)`).
   */
  bonds?: boolean;
}

export const CHAIN_EPOCHS: Readonly<EpochSettings> = Object.freeze({ mode: 'fixed', path: 'sparse' });
export const MAX_TEMPO = 50_400n;

const U96_ONE = 1n << 32n;
const U64F64_ONE = 1n << 64n;
const u96 = (n: bigint): bigint => fromInt(U96F32, n);
const tou64 = (bits: bigint): bigint => toU64Sat(U96F32, bits);

// ---------------------------------------------------------------------------------------------------------------
// Per-block report (the events of a block: what moved where)
// ---------------------------------------------------------------------------------------------------------------

export interface SubnetBlockTerms {
  /** U64F64 bits of the subnet's final share of the block's TAO emission. */
  share: bigint;
  /** U96F32 bits of the `get_subnet_terms` intermediates. */
  taoEmission: bigint;
  taoIn: bigint;
  alphaIn: bigint;
  alphaOut: bigint;
  excessTao: bigint;
  ownerCut: bigint;
  rootAlpha: bigint;
  excessBoughtAlpha: bigint;
  excessTaoSpent: bigint;
  excessSwapError: SwapError | null;
  /** Alpha minted into `SubnetAlphaOut` but in no pending pot (each pot is floored on its own), rao. */
  alphaUnassigned: bigint;
}

export interface SubnetBlockReport {
  inEmitSet: boolean;
  terms: SubnetBlockTerms | null;
  epochRan: boolean;
  epochDeferred: boolean;
  injectionRefused: boolean;
}

export interface StakeChange {
  before: bigint;
  after: bigint;
  coldkeyValuesAfter: Map<string, bigint>;
}

/**
 * One subnet's epoch in a block: the pots it drained and where the alpha went (alpha rao; U96F32 where noted). The
 * per-hotkey maps of incentives and dividends are made when first read.
 */
export interface EpochReport {
  /** The subnet. */
  netuid: number;
  /** `PendingServerEmission` drained for the miners. */
  pendingServer: bigint;
  /** `PendingValidatorEmission` drained for the validators. */
  pendingValidator: bigint;
  /** `PendingRootAlphaDivs` drained for root stakers. */
  pendingRoot: bigint;
  /** `PendingOwnerCut` paid to the owner. */
  pendingOwnerCut: bigint;
  /** Σ incentive alpha of the epoch (0: the validators take the miners' pot too). */
  incentiveSum: bigint;
  /** [hotkey, incentive alpha, dividend alpha] from `epoch_with_mechanisms`, in hotkey order. */
  hotkeyEmission: Array<[string, bigint, bigint]>;
  /** Incentive staked per (non-owner) hotkey. */
  incentivesPaid: Map<string, bigint>;
  /** Incentive of the owner's hotkeys, withheld (burned or recycled) instead of paid. */
  incentiveWithheld: bigint;
  /** U96F32 bits. */
  minerBurned: bigint;
  /** U96F32 bits, before take. */
  alphaDividends: Map<string, bigint>;
  /** Root stakers' dividends per hotkey, U96F32 bits, before take. */
  rootAlphaDividends: Map<string, bigint>;
  /** `AlphaDividendsPerSubnet`: dividends per hotkey after take, alpha rao. */
  alphaDividendsPerSubnet: Map<string, bigint>;
  /** `RootAlphaDividendsPerSubnet`: root dividends per hotkey after take, alpha rao. */
  rootAlphaDividendsPerSubnet: Map<string, bigint>;
  /** Stake pools this epoch changed, per hotkey: value before and after, and each coldkey's value after. */
  stakeChanges: Map<string, StakeChange>;
  /** Incentive of owner hotkeys burned / recycled by this epoch. */
  alphaBurned: bigint;
  /** Incentive of owner hotkeys recycled by this epoch. */
  alphaRecycled: bigint;
  /** The subnet's cumulative burned / recycled alpha after this epoch. */
  alphaBurnedTotal: bigint;
  /** The subnet's cumulative recycled alpha after this epoch. */
  alphaRecycledTotal: bigint;
  /** Alpha of the drained pots credited to stake (owner cut, incentives, dividends and takes), rao. */
  alphaCredited: bigint;
  /** Root dividends after take that accrued as root claimable (not staked), rao. */
  rootAlphaClaimable: bigint;
  /**
   * The drained pots minus what was credited, accrued as root claimable or withheld, rao: flooring of each payout,
   * an owner cut without an owner, and the chain's rule that incentives are the epoch's share of *all* the pots
   * (server + validator + root) rather than the server pot — so it is negative when the validator and root pots
   * together exceed the server pot (a state the block itself never builds, since it splits alpha out in halves), and
   * positive while root alpha is recycled.
   */
  alphaUndistributed: bigint;
  /** The engine's epoch output (null for a subnet without neurons). */
  output: EpochOutput | null;
}

/** What one `Chain.step()` did (rao unless noted). */
export interface BlockReport {
  /** The block that ran. */
  block: bigint;
  /** `BlockEmission` for the issuance at the start of the block. */
  blockEmission: bigint;
  /** TAO minted (the emission, capped by the 21M supply). */
  taoMinted: bigint;
  /** Minted TAO no subnet took, recycled (taken back out of issuance). */
  taoRecycledCredit: bigint;
  /** Net TAO issued: minted − recycled. */
  taoIssued: bigint;
  /** `TotalIssuance` after the block. */
  totalIssuanceAfter: bigint;
  /** `TotalStake` after the block. */
  totalStakeAfter: bigint;
  /** Whether root dividends were paid this block (Σ moving prices of the emitting subnets > 1); else root alpha is recycled. */
  rootSellFlag: boolean;
  /** Subnets that received emission this block. */
  subnetsToEmitTo: number[];
  /** Per subnet: its share, injections and pending pots this block (made when first read). */
  subnets: Map<number, SubnetBlockReport>;
  /** The epochs that ran this block. */
  epochs: EpochReport[];
  /** TAO that entered subnet accounts but no pool (failed excess buys, unfilled partial buys). */
  taoStranded: bigint;
}

// ---------------------------------------------------------------------------------------------------------------
// Reads the coinbase shares
// ---------------------------------------------------------------------------------------------------------------

/** Non-root subnets in `get_all_subnet_netuids` order (storage order of the Identity-hashed keys). */
export function allSubnetNetuids(s: ChainState): number[] {
  // asked twice a block: the subnets usually sit in storage order already (netuids below 256 are added in numeric
  // order), so one pass checks that and the sort runs only when they do not
  const out: number[] = [];
  let sorted = true;
  let last = -1;
  for (const sn of s.subnets.values()) {
    if (!sn.added) continue;
    const key = storageOrderKey(sn.netuid);
    if (key < last) sorted = false;
    last = key;
    out.push(sn.netuid);
  }
  return sorted ? out : out.sort((a, b) => storageOrderKey(a) - storageOrderKey(b));
}

export function subnetsToEmitTo(s: ChainState, netuids: number[]): number[] {
  return netuids.filter((n) => {
    const sn = s.subnets.get(n)!;
    return n !== 0 && sn.firstEmissionBlockNumber !== null && sn.subtokenEnabled && sn.networkRegistrationAllowed;
  });
}

const alphaIssuance = (sn: ChainSubnet): bigint => u64Add(sn.subnetAlphaIn, sn.subnetAlphaOut);

/** `get_tao_weight` (U96F32 bits). */
export function taoWeightOf(s: ChainState): bigint {
  // read for every subnet every block; the division is redone only when TaoWeight changes
  if (s.taoWeight !== lastTaoWeight.raw) lastTaoWeight = { raw: s.taoWeight, u96: taoWeightU96F32(s.taoWeight) };
  return lastTaoWeight.u96;
}
let lastTaoWeight = { raw: -1n, u96: 0n };

/** `root_proportion`: tw·rootTao / (tw·rootTao + alpha issuance), U96F32 bits. */
export function rootProportion(s: ChainState, sn: ChainSubnet): bigint {
  return openTable(s, [sn], 0n, rootTaoWeighted(s), false).movingPrices().get128(0, CBS.ROOT_PROP);
}

/** tw·rootTao (U96F32 bits): the same for every subnet of a block. */
const rootTaoWeighted = (s: ChainState): bigint => mulSat(U96F32, u96(s.subnets.get(0)?.subnetTao ?? 0n), taoWeightOf(s));

/** `get_moving_alpha_price` (U64F64 bits): 1 for root and stable subnets. */
export function movingAlphaPrice(sn: ChainSubnet): bigint {
  if (sn.netuid === 0 || sn.mechanism === 0) return U64F64_ONE;
  return convert(I96F32, U64F64, sn.subnetMovingPrice);
}

/** `get_shares` + the `SubnetEmissionEnabled` renormalisation: U64F64 share per emitting subnet. */
export function subnetShares(s: ChainState, emit: number[]): Map<number, bigint> {
  const t = openTable(s, emit.map((n) => s.subnets.get(n)!), 0n, 0n, false).shares();
  return new Map(emit.map((n, i) => [n, t.get128(i, CBS.SHARE)]));
}

/** The era's coinbase rules as the table's header flags. */
function eraFlags(s: ChainState): number {
  const r = rulesOf(s);
  return (r.era === 'head' ? CB_ERA_HEAD : r.era === 'launch' ? CB_ERA_LAUNCH : 0) | (r.shares !== 'moving-price' ? CB_SHARES_GIVEN : 0);
}

// The coinbase kernels live in assembly/coinbase/, their table in src/wasm/coinbase.ts; src/reference/coinbase.ts
// is their BigInt oracle (test/chain-coinbase-kernel.test.ts).

/**
 * The coinbase table of the subnets `sns`, in that order: their fields, the spot-price
 * shares when the era's rule takes them, and with `emissions` the block emission for each alpha issuance —
 * computed in netuid order, since each computation stores `BlockEmission`.
 */
function openTable(s: ChainState, sns: readonly ChainSubnet[], credit: bigint, rootTw: bigint, emissions: boolean, extraFlags = 0): CoinbaseTable {
  const flags = eraFlags(s) | extraFlags;
  const t = CoinbaseTable.shared().open(sns.length, { flags, credit, rootTw, ownerCut: s.subnetOwnerCut, movingAlpha: s.subnetMovingAlpha, block: s.block, minReserve: s.swapMinimumReserve });
  if (emissions) for (const i of netuidOrder(sns)) t.putSubnet(i, sns[i], blockEmissionStoring(s, alphaIssuance(sns[i])) ?? 0n);
  else for (let i = 0; i < sns.length; i++) t.putSubnet(i, sns[i], 0n);
  if ((flags & CB_SHARES_GIVEN) !== 0 && (extraFlags & CB_EMISSIONS_GIVEN) === 0) {
    const m = spotPriceShares(s, sns.map((sn) => sn.netuid));
    sns.forEach((sn, i) => t.put128(i, CBS.SHARE, m.get(sn.netuid)!));
  }
  return t;
}

/** `get_block_emission_for_issuance`, which also stores `BlockEmission` whenever it computes a value. */
function blockEmissionStoring(s: ChainState, issuance: bigint): bigint | null {
  if (issuance >= TOTAL_SUPPLY) return 0n;
  const e = emissionForIssuance(issuance);
  if (e !== null) s.blockEmission = e;
  return e;
}

/**
 * `get_block_emission_for_issuance` below the supply, asked for every subnet's alpha issuance every block. The
 * emission is a non-increasing function of the issuance (⌊log2(1/(1 − issuance/supply))⌋ halvings, each step
 * monotone), and below the supply it always has a value; so two issuances with the same emission bracket an
 * interval that has it too. The intervals seen are kept, one per emission value (≤ 65 of them).
 */
function emissionForIssuance(issuance: bigint): bigint | null {
  for (const sp of emissionSpans) if (issuance >= sp.lo && issuance <= sp.hi) return sp.emission;
  const e = blockEmissionForIssuance(issuance, TOTAL_SUPPLY, DEFAULT_BLOCK_EMISSION);
  if (e === null) return null;
  const sp = emissionSpans.find((x) => x.emission === e);
  if (sp === undefined) emissionSpans.push({ lo: issuance, hi: issuance, emission: e });
  else if (issuance < sp.lo) sp.lo = issuance;
  else sp.hi = issuance;
  return e;
}
const emissionSpans: Array<{ lo: bigint; hi: bigint; emission: bigint }> = [];

/**
 * `get_subnet_terms`, in netuid order: for each subnet's TAO emission (U96F32 bits), its alpha emission (from its
 * alpha issuance, which also stores `BlockEmission`), alpha in = TAO emission / price capped by
 * root proportion × alpha emission (then TAO in = alpha in × price) and the excess TAO.
 */
export function subnetTerms(s: ChainState, taoEmissions: ReadonlyMap<number, bigint>): Map<number, SubnetBlockTerms> {
  const netuids = [...taoEmissions.keys()].sort((a, b) => a - b);
  const sns = netuids.map((n) => s.subnets.get(n)!);
  const rootTw = rulesOf(s).era === 'head' ? rootTaoWeighted(s) : 0n;
  const t = openTable(s, sns, 0n, rootTw, true, CB_EMISSIONS_GIVEN);
  netuids.forEach((n, i) => t.put128(i, CBS.TAO_EMISSION, taoEmissions.get(n)!));
  t.terms();
  return new Map(netuids.map((n, i) => [n, { ...termsAt(t, i), share: 0n }]));
}

/** Record i's terms as the block report shows them (share, the U96F32 terms; the rest filled in later). */
function termsAt(t: CoinbaseTable, i: number): SubnetBlockTerms {
  return {
    share: t.get128(i, CBS.SHARE),
    taoEmission: t.get128(i, CBS.TAO_EMISSION),
    taoIn: t.get128(i, CBS.TAO_IN),
    alphaIn: t.get128(i, CBS.ALPHA_IN_TERM),
    alphaOut: t.get128(i, CBS.ALPHA_OUT_TERM),
    excessTao: t.get128(i, CBS.EXCESS),
    ownerCut: 0n,
    rootAlpha: 0n,
    excessBoughtAlpha: 0n,
    excessTaoSpent: 0n,
    excessSwapError: null,
    alphaUnassigned: 0n,
  };
}

/** Indices of `sns` in ascending netuid order (storage order is numeric below netuid 256: no sort then). */
function netuidOrder(sns: readonly ChainSubnet[]): number[] {
  const idx = sns.map((_, i) => i);
  for (let i = 1; i < sns.length; i++) if (sns[i].netuid < sns[i - 1].netuid) return idx.sort((a, b) => sns[a].netuid - sns[b].netuid);
  return idx;
}

// ---------------------------------------------------------------------------------------------------------------
// The subnet's alpha leaving circulation
// ---------------------------------------------------------------------------------------------------------------

function recycleSubnetAlpha(sn: ChainSubnet, amount: bigint): void {
  if (amount === 0n) return;
  sn.subnetAlphaOut = u64Sub(sn.subnetAlphaOut, amount);
  sn.alphaRecycled += amount;
}

function burnSubnetAlpha(sn: ChainSubnet, amount: bigint): void {
  // pallet-alpha-assets burns from the holder; `SubnetAlphaOut` is not touched
  sn.alphaBurned += amount;
}

// ---------------------------------------------------------------------------------------------------------------
// Epoch scheduling
// ---------------------------------------------------------------------------------------------------------------

export function shouldRunEpoch(sn: ChainSubnet, now: bigint): boolean {
  if (sn.tempo === 0) return false;
  if (sn.pendingEpochAt > 0n && now >= sn.pendingEpochAt) return true;
  if (sn.blocksSinceLastStep > MAX_TEMPO) return true;
  // asked of every subnet every block (and by the simulator before it): no BigInt made unless the slot may be due
  return now > sn.lastEpochBlock && now - sn.lastEpochBlock >= tempoBig(sn.tempo);
}
const tempoBig = (tempo: number): bigint => (tempo < TEMPO_BIGS.length ? TEMPO_BIGS[tempo] : BigInt(tempo));
const TEMPO_BIGS = Array.from({ length: 1025 }, (_, t) => BigInt(t));


/**
 * `drain_pending`: every subnet's `BlocksSinceLastStep` += 1; due subnets (`should_run_epoch`) up to
 * `MaxEpochsPerBlock` drain their four pots (server, validator, root, owner), the rest are deferred to the next
 * block (their netuids pushed onto `deferred`); every due slot advances the schedule. Returns netuid → drained pots.
 */
export function drainPending(
  s: ChainState,
  subnets: readonly number[],
  now: bigint,
  deferred?: number[],
): Map<number, [bigint, bigint, bigint, bigint]> {
  const drained = new Map<number, [bigint, bigint, bigint, bigint]>();
  let epochsRun = 0;
  const head = isHead(s);
  for (const n of subnets) {
    const sn = s.subnets.get(n)!;
    sn.blocksSinceLastStep = u64Add(sn.blocksSinceLastStep, 1n);
    if (!(head ? shouldRunEpoch(sn, now) : legacyEpochDue(n, sn.tempo, now))) continue;
    if (head && epochsRun >= s.maxEpochsPerBlock) {
      sn.pendingEpochAt = u64Add(now, 1n);
      deferred?.push(n);
      continue;
    }
    if (epochInputConsistent(sn)) {
      sn.blocksSinceLastStep = 0n;
      drained.set(n, [sn.pendingServerEmission, sn.pendingValidatorEmission, sn.pendingRootAlphaDivs, sn.pendingOwnerCut]);
      sn.pendingServerEmission = 0n;
      sn.pendingValidatorEmission = 0n;
      sn.pendingRootAlphaDivs = 0n;
      sn.pendingOwnerCut = 0n;
      epochsRun++;
    }
    sn.lastEpochBlock = now;
    sn.pendingEpochAt = 0n;
    sn.subnetEpochIndex = u64Add(sn.subnetEpochIndex, 1n);
  }
  return drained;
}

/**
 * Before the block at `now` on a Wasm engine of this library (`host`): every epoch the block may run (a subnet with
 * neurons whose slot may be due; the per-block cap, the input's consistency and whether the subnet emits are left
 * out, so a superset) gets its resident matrices and the memory its run reserves now. What an epoch can throw on
 * such an engine (a damaged row, E_LIMIT for memory the host refuses) then throws here, before anything moves;
 * the memory stays (the arena never shrinks), so the epochs in the block do not grow it again.
 */
export function prepareEpochs(s: ChainState, host: ResidentHost, settings: EpochSettings, now: bigint): void {
  const head = isHead(s);
  let n = 0;
  let jobs = 0;
  for (const [netuid, sn] of s.subnets) {
    const t = sn.neurons;
    if (t.size === 0 || !(head ? epochMayBeDue(sn, now) : legacyEpochDue(netuid, sn.tempo, now))) continue;
    tableKeysSound(t, netuid);
    t.prepareResident(host);
    n = Math.max(n, t.size);
    jobs = Math.max(jobs, t.mechanismCount);
  }
  // after every table's matrices: the run's scratch lies above them
  if (n > 0) host.reserveRun(n, jobs, settings.mode);
}

/** `shouldRunEpoch` as `drainPending` asks it at `now`, after adding this block to `blocksSinceLastStep`. */
function epochMayBeDue(sn: ChainSubnet, now: bigint): boolean {
  return sn.tempo !== 0 && (sn.blocksSinceLastStep >= MAX_TEMPO || shouldRunEpoch(sn, now));
}

/** `epochs_deferred_this_block`: the due subnets the per-block cap defers at `now` (nothing is changed). */
export function epochsDeferredThisBlock(s: ChainState, subnets: readonly number[], now: bigint): Set<number> {
  const out = new Set<number>();
  let run = 0;
  for (const n of subnets) {
    const sn = s.subnets.get(n)!;
    if (!shouldRunEpoch(sn, now)) continue;
    if (run >= s.maxEpochsPerBlock) out.add(n);
    else if (epochInputConsistent(sn)) run++;
  }
  return out;
}

/** `blocks_until_next_auto_epoch`: LastEpochBlock + tempo − block (saturating); u64::MAX for tempo 0. */
export function blocksUntilNextAutoEpoch(sn: ChainSubnet, tempo: number, block: bigint): bigint {
  if (tempo === 0) return U64_MAX;
  return u64Sub(u64Add(sn.lastEpochBlock, BigInt(tempo)), block);
}

/** `get_next_epoch_start_block`: the automatic slot or an earlier owner-triggered `PendingEpochAt`; null for tempo 0. */
export function nextEpochStartBlock(sn: ChainSubnet): bigint | null {
  if (sn.tempo === 0) return null;
  const auto = u64Add(sn.lastEpochBlock, BigInt(sn.tempo));
  return sn.pendingEpochAt > 0n && sn.pendingEpochAt < auto ? sn.pendingEpochAt : auto;
}

/** `is_epoch_input_state_consistent`: every hotkey holds one UID. */
const epochInputConsistent = (sn: ChainSubnet): boolean => sn.neurons.consistent;

// ---------------------------------------------------------------------------------------------------------------
// The epoch through the engine
// ---------------------------------------------------------------------------------------------------------------

/** Inherited stake (`get_inherited_for_hotkey_on_subnet` and its root twin), U96F32 arithmetic floored to u64. */
export function inheritedStake(s: ChainState, hotkey: string, netuid: number, stakeNetuid: number): bigint {
  // without parents or children nothing moves: ⌊u96(stake)⌋ is the stake itself
  if ((s.childKeys.size === 0 && s.parentKeys.size === 0) || (!s.childKeys.has(poolKey(hotkey, netuid)) && !s.parentKeys.has(poolKey(hotkey, netuid)))) {
    return hotkeyStake(s, hotkey, stakeNetuid);
  }
  const initial = u96(hotkeyStake(s, hotkey, stakeNetuid));
  if (netuid === 0 && stakeNetuid === 0) return tou64(initial);
  const umax = u96(U64_MAX);
  let toChildren = 0n;
  for (const c of s.childKeys.get(poolKey(hotkey, netuid)) ?? []) {
    toChildren = satAdd(U96F32, toChildren, mulSat(U96F32, initial, divChecked(U96F32, u96(c.proportion), umax) ?? 0n));
  }
  let fromParents = 0n;
  for (const p of s.parentKeys.get(poolKey(hotkey, netuid)) ?? []) {
    const parent = u96(hotkeyStake(s, p.key, stakeNetuid));
    fromParents = satAdd(U96F32, fromParents, mulSat(U96F32, parent, divChecked(U96F32, u96(p.proportion), umax) ?? 0n));
  }
  return tou64(satAdd(U96F32, satSub(U96F32, initial, toChildren), fromParents));
}

const STAKE_SCALE = 1n << 30n;

/** Each UID's stake pool on its subnet and on root (read-only: kept between epochs): the stake input and the payouts read both. */
export interface UidPools {
  subnet: Array<StakePool | undefined>;
  root: Array<StakePool | undefined>;
}

/**
 * The subnet's UIDs' pools, looked up again only after a pool of the subnet or root was added, removed or replaced
 * (or a registration changed a hotkey); the simulator's stakers read validators' stakes through it too.
 */
export function uidPools(s: ChainState, sn: ChainSubnet): UidPools {
  const t = sn.neurons;
  const pools = s.stakePools;
  const kept = lookupsOf(t);
  const indexed = pools instanceof HotkeyNetuidMap;
  const subnet = indexed ? (pools as HotkeyNetuidMap<StakePool>).entriesOn(sn.netuid) : null;
  const root = indexed ? (pools as HotkeyNetuidMap<StakePool>).entriesOn(0) : null;
  const k = kept.pools;
  if (k !== null && k.of === pools && k.subnet === subnet && k.subnetChanges === subnet!.changes && k.root === root && k.rootChanges === root!.changes) return k.uids;
  const onSubnet = lookupOnNetuid(pools, sn.netuid);
  const onRoot = lookupOnNetuid(pools, 0);
  const uids: UidPools = { subnet: new Array<StakePool | undefined>(t.size), root: new Array<StakePool | undefined>(t.size) };
  for (let uid = 0; uid < t.size; uid++) {
    const hotkey = t.hotkey(uid);
    uids.subnet[uid] = onSubnet(hotkey);
    uids.root[uid] = onRoot(hotkey);
  }
  // a plain Map has no change counts: looked up again every epoch
  if (subnet !== null && root !== null) kept.pools = { of: pools, subnet, subnetChanges: subnet.changes, root, rootChanges: root.changes, uids };
  return uids;
}

/** Each UID's hotkey entry (owner, takes; undefined for a hotkey without one), kept between epochs when it can be. */
function uidInfos(s: ChainState, t: SubnetNeurons): Array<HotkeyInfo | undefined> {
  const kept = lookupsOf(t);
  const hotkeys = s.hotkeys;
  const k = kept.infos;
  if (k !== null && k.of === hotkeys && k.changes === (hotkeys as HotkeyInfoMap).changes) return k.uids;
  const uids = kept.keys.map((hk) => hotkeys.get(hk));
  // a hotkey added later could fill a hole, and a plain Map counts no changes: kept only without either
  if (hotkeys instanceof HotkeyInfoMap && uids.every((i) => i !== undefined)) kept.infos = { of: hotkeys, changes: hotkeys.changes, uids: uids as HotkeyInfo[] };
  return uids;
}

/**
 * The engine takes u64 stakes and uses only their I32F32 proportions of the total. The chain's stakes are I64F64
 * (alpha + tao·TaoWeight has 32 fraction bits), so the exact proportions q are computed here and handed over as
 * integers q·2^30 + r (Σ = 2^62, each r < 2^30) whose proportions are exactly q. The stake threshold is applied
 * here too, with the owner's exemption, so the engine runs with threshold 0.
 */
export function exactStakeInput(s: ChainState, sn: ChainSubnet, ownerUid: number, pools: UidPools = uidPools(s, sn)): bigint[] {
  const tw = taoWeightOf(s);
  const n = sn.neurons.size;
  // without parents or children each UID's inherited stake is its own
  const own = s.childKeys.size === 0 && s.parentKeys.size === 0;
  const filtered = new Array<bigint>(n);
  let sum = 0n;
  for (let uid = 0; uid < n; uid++) {
    const hotkey = sn.neurons.hotkey(uid);
    const alpha = own ? (pools.subnet[uid]?.value ?? 0n) : inheritedStake(s, hotkey, sn.netuid, sn.netuid);
    const tao = own ? (pools.root[uid]?.value ?? 0n) : inheritedStake(s, hotkey, sn.netuid, 0);
    // no stake weighs nothing (most UIDs of a subnet are miners without stake)
    const total = alpha === 0n && tao === 0n ? 0n : stakeWeightI64F64(alpha, tao, tw);
    filtered[uid] = uid !== ownerUid && toU64Sat(I64F64, total) < s.stakeThreshold ? 0n : total;
    sum = wrapAdd(I64F64, sum, filtered[uid]);
  }
  if (sum === 0n) return filtered.fill(0n);
  const q = new Array<bigint>(n);
  let qSum = 0n;
  for (let uid = 0; uid < n; uid++) {
    q[uid] = filtered[uid] === 0n ? 0n : stakeProportion(filtered[uid], sum);
    qSum += q[uid];
  }
  let residual = ((1n << 32n) - qSum) * STAKE_SCALE;
  for (let uid = 0; uid < n; uid++) {
    let r = 0n;
    if (residual > 0n && filtered[uid] > 0n) {
      r = residual < STAKE_SCALE - 1n ? residual : STAKE_SCALE - 1n;
      residual -= r;
    }
    q[uid] = q[uid] * STAKE_SCALE + r;
  }
  return q;
}

function uidOf(sn: ChainSubnet, hotkey: string | null): number {
  if (hotkey === null) return -1;
  const t = sn.neurons;
  // the first UID holding the hotkey (a loaded state may list one twice)
  for (let i = 0; i < t.size; i++) if (t.hotkey(i) === hotkey) return i;
  return -1;
}

/**
 * `epoch_with_mechanisms`: one engine call (fixed mode unless the chain runs its epochs in float) on the sparse
 * path; the engine splits the emission over the mechanisms and aggregates as the chain does. The neuron table
 * writes back what the chain persists (every mechanism's bonds and incentive, permits, the per-UID outputs and
 * `Emission`); returns the engine's output and (hotkey, incentive, dividend) in hotkey order.
 */
function runEpoch(s: ChainState, sn: ChainSubnet, engine: EpochEngineLike, emission: bigint, settings: EpochSettings, pools: UidPools): EpochRun | null {
  const t = sn.neurons;
  const n = t.size;
  if (n === 0) return null;
  const ownerUid = uidOf(sn, sn.subnetOwnerHotkey);
  const p = sn.epochParams;
  t.stake.set(exactStakeInput(s, sn, ownerUid, pools));
  const hyper = epochHyperOf(p);
  const host = residentHostOf(engine);
  let output: EpochOutput;
  if (host !== null) {
    // weights and bonds stay in Wasm memory between epochs (SubnetNeurons.epochResident): the same outputs
    output = t.epochResident(host, {
      currentBlock: s.block, tempo: sn.tempo, lastStepBlock: sn.lastMechansimStepBlock, raoEmission: emission, ownerUid,
      hyper: resolveHyper(hyper), mode: settings.mode, path: settings.path, bonds: settings.bonds !== false,
    });
  } else {
    // weights and bonds go in as the table's packed rows (a spelling the engine reads, outside the public input types)
    const f = t.epochFields();
    const shared = {
      n,
      currentBlock: s.block,
      tempo: sn.tempo,
      lastStepBlock: sn.lastMechansimStepBlock,
      stake: f.stake,
      blockAtRegistration: f.blockAtRegistration,
      validatorPermit: f.validatorPermit,
      raoEmission: emission,
      ...(ownerUid >= 0 ? { ownerUid } : {}),
    };
    const input = (
      f.mechanisms.length === 1
        ? { ...shared, ...f.mechanisms[0] }
        : { ...shared, mechanisms: f.mechanisms, ...(f.emissionSplit ? { emissionSplit: f.emissionSplit } : {}) }
    ) as unknown as EpochInput | MechanismEpochInput;
    // an engine object of the caller's: what it throws that is not a YumaError becomes E_ARG
    output = t.checkedOutput(guard('engine.epoch', () => engine.epoch(input, hyper, { mode: settings.mode, path: settings.path })));
    t.writeBack(output, emission, settings.mode);
  }
  return { output, hotkeyEmission: hotkeyEmissions(sn, output.serverEmission, output.validatorEmission) };
}

interface EpochRun {
  output: EpochOutput;
  hotkeyEmission: Array<[string, bigint, bigint]>;
}

/** Per hotkey (incentive, dividend) alpha, in hotkey (BTreeMap) order. */
function hotkeyEmissions(sn: ChainSubnet, server: readonly bigint[], validator: readonly bigint[]): Array<[string, bigint, bigint]> {
  const t = sn.neurons;
  const order = uidsInHotkeyOrder(t);
  const out = new Array<[string, bigint, bigint]>(order.length);
  for (let i = 0; i < order.length; i++) {
    const uid = order[i];
    out[i] = [t.hotkey(uid), server[uid], validator[uid]];
  }
  return out;
}

/**
 * What a table's epochs look up per UID, kept between its epochs while it holds: the UIDs in hotkey order (until a
 * registration changes a hotkey), each UID's pools (until a pool of the subnet or root is added, removed or
 * replaced), each UID's hotkey entry (owner, take: until one is replaced or removed; kept only when every hotkey
 * has one), and whether every hotkey has a root-claimable entry on the subnet (until one is added or removed).
 */
interface TableLookups {
  keys: string[];
  order: number[];
  pools: { of: Map<string, StakePool>; subnet: NetuidEntries<StakePool>; subnetChanges: number; root: NetuidEntries<StakePool>; rootChanges: number; uids: UidPools } | null;
  claimables: { of: Map<string, bigint>; on: NetuidEntries<bigint>; changes: number } | null;
  infos: { of: HotkeyInfoMap; changes: number; uids: HotkeyInfo[] } | null;
}
const tableLookups = new WeakMap<SubnetNeurons, TableLookups>();

/** The table's kept lookups, new (hotkeys sorted by `compareKeys`, stable) when its hotkeys changed. */
function lookupsOf(t: SubnetNeurons): TableLookups {
  const n = t.size;
  const kept = tableLookups.get(t);
  if (kept !== undefined && kept.keys.length === n) {
    let same = true;
    for (let uid = 0; uid < n && same; uid++) same = kept.keys[uid] === t.hotkey(uid);
    if (same) return kept;
  }
  const keys = t.hotkeys();
  const order = keys.map((_, uid) => uid).sort((a, b) => compareKeys(keys[a], keys[b]) || a - b);
  const made: TableLookups = { keys, order, pools: null, claimables: null, infos: null };
  tableLookups.set(t, made);
  return made;
}

/** The table's UIDs sorted by hotkey (`compareKeys`, stable for a hotkey on two UIDs). */
const uidsInHotkeyOrder = (t: SubnetNeurons): number[] => lookupsOf(t).order;

// ---------------------------------------------------------------------------------------------------------------
// distribute_emission
// ---------------------------------------------------------------------------------------------------------------

/** U96F32(x) / U96F32(65535) for a u16 take (kept per value: every dividend hotkey asks it every epoch). */
function u16Proportion(x: number): bigint {
  let v = U16_PROPORTIONS.get(x);
  if (v === undefined) U16_PROPORTIONS.set(x, (v = divChecked(U96F32, u96(BigInt(x)), u96(65535n)) ?? 0n));
  return v;
}
const U16_PROPORTIONS = new Map<number, bigint>();

/**
 * `calculate_dividends_and_incentives` as rows: one per hotkey the payouts reach, in hotkey (BTreeMap) order — the
 * epoch's hotkeys (a hotkey on two UIDs is one row, its amounts summed) and the parents their dividends reach —
 * with the row's incentive (u64; undefined for a parent without a UID here) and dividend after the parent/child
 * split (U96F32). Arrays over rows instead of maps keyed by hotkey: each row's pools, owner and take are looked up
 * once an epoch.
 */
class PayoutRows {
  readonly keys: string[] = [];
  readonly incentive: Array<bigint | undefined> = [];
  readonly dividend: bigint[] = [];
  /** Row of each hotkey. */
  readonly index = new Map<string, number>();

  constructor(s: ChainState, sn: ChainSubnet, hotkeyEmission: ReadonlyArray<readonly [string, bigint, bigint]>) {
    // without parents (the usual state) a hotkey's dividend is its own: ⌊u96(dividend)⌋ = dividend
    const links = s.parentKeys.size > 0;
    for (const [hk, inc, div] of hotkeyEmission) {
      const r = this.row(hk);
      this.incentive[r] = u64Add(this.incentive[r] ?? 0n, inc);
      if (!links) {
        if (div !== 0n) this.dividend[r] = satAdd(U96F32, this.dividend[r], u96(div));
        continue;
      }
      for (const [parent, d] of parentChildDividends(s, sn, hk, div)) {
        const p = this.row(parent);
        this.dividend[p] = satAdd(U96F32, this.dividend[p], u96(d));
      }
    }
    this.sort();
  }

  /** The row of `hotkey`, made (no incentive, no dividend) if it has none. */
  private row(hotkey: string): number {
    let r = this.index.get(hotkey);
    if (r === undefined) {
      r = this.keys.length;
      this.index.set(hotkey, r);
      this.keys.push(hotkey);
      this.incentive.push(undefined);
      this.dividend.push(0n);
    }
    return r;
  }

  /** Rows into hotkey order (the epoch's hotkeys come sorted; parents and hand-made lists may not). */
  private sort(): void {
    const keys = this.keys;
    let sorted = true;
    for (let r = 1; r < keys.length && sorted; r++) sorted = compareKeys(keys[r - 1], keys[r]) < 0;
    if (sorted) return;
    const order = keys.map((_, r) => r).sort((a, b) => compareKeys(keys[a], keys[b]));
    const [k, inc, div] = [order.map((r) => keys[r]), order.map((r) => this.incentive[r]), order.map((r) => this.dividend[r])];
    for (let r = 0; r < order.length; r++) {
      keys[r] = k[r];
      this.incentive[r] = inc[r];
      this.dividend[r] = div[r];
      this.index.set(k[r], r);
    }
  }
}

/** `get_parent_child_dividends_distribution`: (hotkey, alpha) for each parent, then the hotkey itself. */
export function parentChildDividends(s: ChainState, sn: ChainSubnet, hotkey: string, dividend: bigint): Array<[string, bigint]> {
  const netuid = sn.netuid;
  // without parents the hotkey keeps it all (and without children nothing is given up): ⌊u96(dividend)⌋ = dividend
  if (s.parentKeys.size === 0 || !s.parentKeys.has(poolKey(hotkey, netuid))) return [[hotkey, dividend]];
  const tw = taoWeightOf(s);
  const umax = u96(U64_MAX);
  const validating = u96(dividend);
  let remaining = validating;
  const ckBurn = divChecked(U96F32, u96(s.ckBurn), umax) ?? 0n;
  const childTake = divChecked(U96F32, u96(BigInt(childkeyTakeOf(s.hotkeys.get(hotkey)?.childkeyTake, netuid))), u96(65535n)) ?? 0n;
  const childOwner = ownerOf(s, hotkey);
  // self contribution (only its total matters)
  let remainingProportion = U96_ONE;
  for (const c of s.childKeys.get(poolKey(hotkey, netuid)) ?? []) {
    remainingProportion = satSub(U96F32, remainingProportion, divChecked(U96F32, u96(c.proportion), umax) ?? 0n);
  }
  const selfContribution = tou64(
    satAdd(
      U96F32,
      mulSat(U96F32, u96(hotkeyStake(s, hotkey, netuid)), remainingProportion),
      mulSat(U96F32, mulSat(U96F32, u96(hotkeyStake(s, hotkey, 0)), remainingProportion), tw),
    ),
  );
  let totalContribution = u96(selfContribution);
  const contributions: Array<[string, bigint]> = [];
  for (const p of s.parentKeys.get(poolKey(hotkey, netuid)) ?? []) {
    const prop = divChecked(U96F32, u96(p.proportion), umax) ?? 0n;
    const c = satAdd(
      U96F32,
      mulSat(U96F32, u96(hotkeyStake(s, p.key, netuid)), prop),
      mulSat(U96F32, mulSat(U96F32, u96(hotkeyStake(s, p.key, 0)), prop), tw),
    );
    totalContribution = satAdd(U96F32, totalContribution, c);
    contributions.push([p.key, c]);
  }
  const out: Array<[string, bigint]> = [];
  let totalChildTake = 0n;
  for (const [parent, c] of contributions) {
    const factor = divChecked(U96F32, c, totalContribution) ?? 0n;
    let e = mulSat(U96F32, validating, factor);
    remaining = satSub(U96F32, remaining, e);
    if (ownerOf(s, parent) !== childOwner) {
      const burn = mulSat(U96F32, ckBurn, e);
      const take = mulSat(U96F32, childTake, e);
      e = satSub(U96F32, satSub(U96F32, e, burn), take);
      totalChildTake = satAdd(U96F32, totalChildTake, take);
      recycleSubnetAlpha(sn, tou64(burn));
    }
    out.push([parent, tou64(e)]);
  }
  out.push([hotkey, tou64(satAdd(U96F32, remaining, totalChildTake))]);
  return out;
}

/** `get_owner_hotkeys`: the owner coldkey's hotkeys holding a UID here, plus `SubnetOwnerHotkey` if registered. */
function ownerHotkeys(s: ChainState, sn: ChainSubnet): Set<string> {
  const t = sn.neurons;
  const out = new Set<string>();
  for (const h of s.ownedHotkeys.get(sn.subnetOwner ?? '0') ?? []) if (t.uidOf(h) !== undefined) out.add(h);
  if (sn.subnetOwnerHotkey !== null && t.uidOf(sn.subnetOwnerHotkey) !== undefined) out.add(sn.subnetOwnerHotkey);
  return out;
}

/** `calculate_dividends_and_incentives`: incentive per hotkey, and dividends after the parent/child split (U96F32). */
export function calculateDividendsAndIncentives(
  s: ChainState,
  sn: ChainSubnet,
  hotkeyEmission: ReadonlyArray<readonly [string, bigint, bigint]>,
): { incentives: Map<string, bigint>; dividends: Map<string, bigint> } {
  const rows = new PayoutRows(s, sn, hotkeyEmission);
  const incentives = new Map<string, bigint>();
  const dividends = new Map<string, bigint>();
  rows.keys.forEach((hk, r) => {
    const inc = rows.incentive[r];
    if (inc !== undefined) incentives.set(hk, inc);
    dividends.set(hk, rows.dividend[r]);
  });
  return { incentives, dividends };
}

/**
 * `calculate_dividend_distribution`: each hotkey's dividend split into an alpha part and a root part by
 * TaoWeight·root/(alpha + TaoWeight·root), each part renormalised to its pot (U96F32 bits in and out).
 * `stakeMap`: hotkey → [alpha stake on the subnet, root stake]; a hotkey without one gets neither part.
 */
export function calculateDividendDistribution(
  pendingValidator: bigint,
  pendingRoot: bigint,
  taoWeightBits: bigint,
  stakeMap: ReadonlyMap<string, readonly [bigint, bigint]>,
  dividends: ReadonlyMap<string, bigint>,
): { alphaDividends: Map<string, bigint>; rootAlphaDividends: Map<string, bigint> } {
  const keys = [...dividends.keys()].sort(compareKeys).filter((hk) => stakeMap.get(hk) !== undefined);
  const split = dividendDistribution(
    pendingValidator,
    pendingRoot,
    taoWeightBits,
    keys.map((hk) => stakeMap.get(hk)![0]),
    keys.map((hk) => stakeMap.get(hk)![1]),
    keys.map((hk) => dividends.get(hk)!),
  );
  return { alphaDividends: new Map(keys.map((hk, i) => [hk, split.alpha[i]])), rootAlphaDividends: new Map(keys.map((hk, i) => [hk, split.root[i]])) };
}

/** `calculate_dividend_distribution` over rows (hotkey order): each row's alpha and root part, U96F32 bits. */
function dividendDistribution(
  pendingValidator: bigint,
  pendingRoot: bigint,
  taoWeightBits: bigint,
  alphaStake: readonly bigint[],
  rootStake: readonly bigint[],
  dividends: readonly bigint[],
): { alpha: bigint[]; root: bigint[] } {
  const n = dividends.length;
  const alpha = new Array<bigint>(n).fill(0n);
  const root = new Array<bigint>(n).fill(0n);
  let totalRoot = 0n;
  let totalAlpha = 0n;
  for (let i = 0; i < n; i++) {
    const d = dividends[i];
    // both parts of nothing are 0 (most UIDs are miners)
    if (d === 0n) continue;
    const alphaStakeBits = u96(alphaStake[i]);
    const rootAlpha = mulSat(U96F32, u96(rootStake[i]), taoWeightBits);
    const rootProp = divChecked(U96F32, rootAlpha, satAdd(U96F32, alphaStakeBits, rootAlpha)) ?? 0n;
    const rd = mulSat(U96F32, d, rootProp);
    const ad = satSub(U96F32, d, rd);
    alpha[i] = ad;
    totalAlpha = satAdd(U96F32, totalAlpha, ad);
    root[i] = rd;
    totalRoot = satAdd(U96F32, totalRoot, rd);
  }
  const rootPot = u96(pendingRoot);
  const validatorPot = u96(pendingValidator);
  for (let i = 0; i < n; i++) {
    if (root[i] !== 0n) root[i] = mulSat(U96F32, rootPot, divChecked(U96F32, root[i], totalRoot) ?? 0n);
    if (alpha[i] !== 0n) alpha[i] = mulSat(U96F32, validatorPot, divChecked(U96F32, alpha[i], totalAlpha) ?? 0n);
  }
  return { alpha, root };
}

/**
 * A pool's change for the report. Each coldkey's value after it is computed when first read (a share-pool division
 * per coldkey, which simulations rarely read) from a copy of the pool as it was.
 */
function stakeChange(before: bigint, p: StakePool): StakeChange {
  const value = p.value;
  const denominator = p.denominator;
  const shares = copyEntries(p.shares);
  const change = new LazyRecord() as LazyRecord & Record<string, unknown>;
  change.before = before;
  change.after = value;
  change.lazy('coldkeyValuesAfter', () => {
    const snapshot = { value, denominator, shares };
    const values = new Map<string, bigint>();
    for (const ck of shares.keys()) values.set(ck, poolValueOf(snapshot, ck));
    return values;
  });
  return change as unknown as StakeChange;
}

/**
 * The stakes one `distribute_emission` moves on its subnet: each row's pool on the subnet and on root, owner and
 * take, looked up once; pools of other hotkeys it credits (the owner hotkey, auto-stake destinations) by hotkey.
 * Nothing else touches the state's pools while the epoch pays out; the pools it creates are kept here too.
 */
class PayoutBooks {
  readonly pool: Array<StakePool | null>;
  readonly rootPool: Array<StakePool | null>;
  /** Each row's alpha stake on the subnet before the payouts. */
  readonly before: bigint[];
  private readonly info: Array<HotkeyInfo | null | undefined>;
  private readonly others = new Map<string, { pool: StakePool | null; before: bigint }>();

  private readonly netuid: number;

  /** `pools`: the epoch's UID pools, which a row of one of the table's hotkeys takes instead of looking its own up. */
  constructor(
    private readonly s: ChainState,
    sn: ChainSubnet,
    private readonly rows: PayoutRows,
    pools: UidPools,
  ) {
    const netuid = (this.netuid = sn.netuid);
    const t = sn.neurons;
    const order = uidsInHotkeyOrder(t);
    const onSubnet = lookupOnNetuid(s.stakePools, netuid);
    const onRoot = lookupOnNetuid(s.stakePools, 0);
    const n = rows.keys.length;
    // the rows are the table's hotkeys in hotkey order unless a hotkey holds two UIDs or parents joined them
    const byUid = n === order.length;
    this.pool = new Array<StakePool | null>(n);
    this.rootPool = netuid === 0 ? this.pool : new Array<StakePool | null>(n);
    this.before = new Array<bigint>(n);
    this.info = new Array<HotkeyInfo | null | undefined>(n);
    const infos = uidInfos(s, t);
    for (let r = 0; r < n; r++) {
      const hk = rows.keys[r];
      const uid = byUid && t.hotkey(order[r]) === hk ? order[r] : -1;
      const p = (uid >= 0 ? pools.subnet[uid] : onSubnet(hk)) ?? null;
      this.pool[r] = p;
      this.before[r] = p?.value ?? 0n;
      // on root the subnet's pools are the root pools: one array, so a pool made on one is seen by the other
      if (netuid !== 0) this.rootPool[r] = (uid >= 0 ? pools.root[uid] : onRoot(hk)) ?? null;
      if (uid >= 0) this.info[r] = infos[uid] ?? null;
    }
  }

  rootStake(r: number): bigint {
    return this.rootPool[r]?.value ?? 0n;
  }

  /** The row's pool on the subnet, made if there is none. */
  poolOrNew(r: number): StakePool {
    let p = this.pool[r];
    if (p === null) this.pool[r] = p = stakePool(this.s, this.rows.keys[r], this.netuid);
    return p;
  }

  /**
   * `increase_stake_for_hotkey_and_coldkey_on_subnet` for the row's hotkey and owner; returns its pool (made if
   * need be). Nothing moves for 0 in a pool without shares (most UIDs' take on nothing), so no owner is looked up.
   */
  credit(r: number, amount: bigint): StakePool {
    const p = this.poolOrNew(r);
    if (amount !== 0n || entryCount(p.shares) !== 0) poolUpdateOne(p, this.owner(r), amount);
    return p;
  }

  /** `Owner` of the row's hotkey (a ValueQuery: the default account id for an unknown hotkey). */
  owner(r: number): string {
    return this.infoOf(r)?.owner ?? '0';
  }

  /** The row's delegate take, U96F32 bits. */
  take(r: number): bigint {
    return u16Proportion(this.infoOf(r)?.delegateTake ?? this.s.defaultDelegateTake);
  }

  private infoOf(r: number): HotkeyInfo | null {
    let i = this.info[r];
    if (i === undefined) this.info[r] = i = this.s.hotkeys.get(this.rows.keys[r]) ?? null;
    return i;
  }

  /** The subnet pool of any hotkey (a row's or another's), made if there is none. */
  poolOfHotkey(hotkey: string): StakePool {
    const r = this.rows.index.get(hotkey);
    if (r !== undefined) return this.poolOrNew(r);
    const o = this.other(hotkey);
    if (o.pool === null) o.pool = stakePool(this.s, hotkey, this.netuid);
    return o.pool;
  }

  /** Notes a hotkey outside the rows whose stake the payouts may change (its value before them). */
  other(hotkey: string): { pool: StakePool | null; before: bigint } {
    let o = this.others.get(hotkey);
    if (o === undefined) {
      const p = poolOf(this.s, hotkey, this.netuid) ?? null;
      this.others.set(hotkey, (o = { pool: p, before: p?.value ?? 0n }));
    }
    return o;
  }

  /** Every stake the payouts changed, in hotkey order: value before and after. */
  changes(): Map<string, StakeChange> {
    const out = new Map<string, StakeChange>();
    const keys = this.rows.keys;
    const others = [...this.others.keys()].sort(compareKeys);
    let k = 0;
    const other = (hk: string) => {
      const o = this.others.get(hk)!;
      if (o.pool !== null && o.pool.value !== o.before) out.set(hk, stakeChange(o.before, o.pool));
    };
    for (let r = 0; r < keys.length; r++) {
      while (k < others.length && compareKeys(others[k], keys[r]) < 0) other(others[k++]);
      const p = this.pool[r];
      if (p !== null && p.value !== this.before[r]) out.set(keys[r], stakeChange(this.before[r], p));
    }
    while (k < others.length) other(others[k++]);
    return out;
  }
}

/** `increase_root_claimable_for_hotkey_and_subnet` for a row; true when the alpha was staked instead (more than the root stake). */
/**
 * `increase_root_claimable_for_hotkey_and_subnet` for a row; true when the alpha was staked instead (more than the
 * root stake). `known`: the row's entry is known to exist (no lookup for a 0).
 */
function increaseRootClaimable(s: ChainState, books: PayoutBooks, hotkey: string, r: number, netuid: number, amount: bigint, claimableOf: (hotkey: string) => bigint | undefined, known: boolean): boolean {
  if (amount === 0n) {
    // an increment of 0 (most UIDs earn no root dividend) still creates the entry
    if (!known && claimableOf(hotkey) === undefined) {
      if (s.rootClaimable instanceof HotkeyNetuidMap) (s.rootClaimable as HotkeyNetuidMap<bigint>).put(hotkey, netuid, 0n);
      else s.rootClaimable.set(poolKey(hotkey, netuid), 0n);
    }
    return false;
  }
  const total = fromInt(I96F32, books.rootStake(r));
  const increment = divChecked(I96F32, fromInt(I96F32, amount), total) ?? 0n;
  if (amount > toU64Sat(I96F32, total)) {
    books.credit(r, amount);
    return true;
  }
  const rate = satAdd(I96F32, claimableOf(hotkey) ?? 0n, increment);
  if (s.rootClaimable instanceof HotkeyNetuidMap) (s.rootClaimable as HotkeyNetuidMap<bigint>).put(hotkey, netuid, rate);
  else s.rootClaimable.set(poolKey(hotkey, netuid), rate);
  return false;
}

/** `distribute_emission`: the epoch, then incentives, dividends, takes and root claimable. */
export function distributeEmission(
  s: ChainState,
  sn: ChainSubnet,
  engine: EpochEngineLike,
  server: bigint,
  validator: bigint,
  root: bigint,
  ownerCut: bigint,
  settings: EpochSettings = CHAIN_EPOCHS,
): EpochReport {
  const netuid = sn.netuid;
  const tw = taoWeightOf(s);
  const burnedBefore = sn.alphaBurned;
  const recycledBefore = sn.alphaRecycled;

  const pools = uidPools(s, sn);
  const run = runEpoch(s, sn, engine, u64Add(u64Add(server, validator), root), settings, pools);
  const hotkeyEmission = run?.hotkeyEmission ?? [];
  let incentiveSum = 0n;
  for (const e of hotkeyEmission) if (e[1] !== 0n) incentiveSum = u64Add(incentiveSum, e[1]);
  const validatorAlpha = incentiveSum !== 0n ? validator : u64Add(validator, server);

  const rows = new PayoutRows(s, sn, hotkeyEmission);
  const keys = rows.keys;
  const n = keys.length;
  const books = new PayoutBooks(s, sn, rows, pools);
  const split = dividendDistribution(validatorAlpha, root, tw, books.before, books.rootPool.map((p) => p?.value ?? 0n), rows.dividend);

  // every stake this epoch can change on the subnet besides the rows' own (their takes, dividends and root alpha
  // staked instead of claimable): the owner hotkey's and each incentive's destination, noted before anything moves.
  // AutoStakeDestination by the owner coldkey (a subnet's miners often share one), looked up once per coldkey.
  const destinations = new Array<string>(n);
  const byColdkey = new Map<string, string | null>();
  for (let r = 0; r < n; r++) {
    if (rows.incentive[r] === undefined) continue;
    let d: string | null | undefined = null;
    if (s.autoStakeDestination.size > 0) {
      const owner = books.owner(r);
      d = byColdkey.get(owner);
      if (d === undefined) byColdkey.set(owner, (d = s.autoStakeDestination.get(poolKey(owner, netuid)) ?? null));
    }
    destinations[r] = d ?? keys[r];
    if (d !== null && !rows.index.has(d)) books.other(d);
  }
  if (sn.subnetOwnerHotkey !== null && !rows.index.has(sn.subnetOwnerHotkey)) books.other(sn.subnetOwnerHotkey);

  // distribute_dividends_and_incentives
  let credited = 0n;
  let claimable = 0n;
  if (sn.subnetOwner !== null && sn.subnetOwnerHotkey !== null) {
    poolUpdateOne(books.poolOfHotkey(sn.subnetOwnerHotkey), sn.subnetOwner, ownerCut);
    credited += ownerCut;
  }
  const owners = ownerHotkeys(s, sn);
  let totalIncentive = 0n;
  let withheld = 0n;
  for (let r = 0; r < n; r++) {
    const inc = rows.incentive[r];
    if (inc === undefined) continue;
    const hk = keys[r];
    totalIncentive = u64Add(totalIncentive, inc);
    if (owners.has(hk)) {
      withheld = u64Add(withheld, inc);
      if (sn.recycleOrBurn === 'Recycle') recycleSubnetAlpha(sn, inc);
      else burnSubnetAlpha(sn, inc);
      continue;
    }
    poolUpdateOne(books.poolOfHotkey(destinations[r]), books.owner(r), inc);
    credited += inc;
  }
  sn.minerBurned = divChecked(U96F32, u96(withheld), u96(totalIncentive)) ?? 0n;

  // alpha dividends after take per row (the report's maps are made from these arrays when read)
  const alphaPaid = new Array<bigint>(n);
  for (let r = 0; r < n; r++) {
    let divs = split.alpha[r];
    const take = divs === 0n ? 0n : mulSat(U96F32, books.take(r), divs);
    divs = satSub(U96F32, divs, take);
    poolUpdateAll(books.credit(r, tou64(take)), tou64(divs));
    credited += tou64(take) + tou64(divs);
    alphaPaid[r] = tou64(divs);
  }
  const rootPaid = new Array<bigint>(n);
  const claimableOf = lookupOnNetuid(s.rootClaimable, netuid);
  // whether every hotkey of the table had its entry when the last epoch ended and none was added or removed since
  const kept = lookupsOf(sn.neurons);
  const claimables = s.rootClaimable instanceof HotkeyNetuidMap ? (s.rootClaimable as HotkeyNetuidMap<bigint>).entriesOn(netuid) : null;
  const c = kept.claimables;
  const allKnown = claimables !== null && c !== null && c.of === s.rootClaimable && c.on === claimables && c.changes === claimables.changes;
  for (let r = 0; r < n; r++) {
    const hk = keys[r];
    let ra = split.root[r];
    const take = ra === 0n ? 0n : mulSat(U96F32, books.take(r), ra);
    ra = satSub(U96F32, ra, take);
    books.credit(r, tou64(take));
    credited += tou64(take);
    // a row with incentive is one of the table's hotkeys
    if (increaseRootClaimable(s, books, hk, r, netuid, tou64(ra), claimableOf, allKnown && rows.incentive[r] !== undefined)) credited += tou64(ra);
    else claimable += tou64(ra);
    rootPaid[r] = tou64(ra);
  }
  if (claimables !== null && !allKnown) {
    // a hotkey whose root alpha was staked instead may still have none
    let all = true;
    for (let uid = 0; uid < kept.keys.length && all; uid++) all = claimables.byHotkey.has(kept.keys[uid]);
    kept.claimables = all ? { of: s.rootClaimable, on: claimables, changes: claimables.changes } : null;
  }

  // the per-hotkey maps are made when read: five maps of every row cost more than the payouts they describe
  const e = new LazyRecord() as LazyRecord & Record<string, unknown>;
  e.netuid = netuid;
  e.pendingServer = server;
  e.pendingValidator = validator;
  e.pendingRoot = root;
  e.pendingOwnerCut = ownerCut;
  e.incentiveSum = incentiveSum;
  e.hotkeyEmission = hotkeyEmission;
  e.lazy('incentivesPaid', () => {
    const m = new Map<string, bigint>();
    for (let r = 0; r < n; r++) {
      const inc = rows.incentive[r];
      if (inc !== undefined && !owners.has(keys[r])) m.set(keys[r], inc);
    }
    return m;
  });
  e.incentiveWithheld = withheld;
  e.minerBurned = sn.minerBurned;
  e.lazy('alphaDividends', () => rowMap(keys, split.alpha));
  e.lazy('rootAlphaDividends', () => rowMap(keys, split.root));
  e.lazy('alphaDividendsPerSubnet', () => rowMap(keys, alphaPaid));
  e.lazy('rootAlphaDividendsPerSubnet', () => rowMap(keys, rootPaid));
  e.stakeChanges = books.changes();
  e.alphaBurned = sn.alphaBurned - burnedBefore;
  e.alphaRecycled = sn.alphaRecycled - recycledBefore;
  e.alphaBurnedTotal = sn.alphaBurned;
  e.alphaRecycledTotal = sn.alphaRecycled;
  e.alphaCredited = credited;
  e.rootAlphaClaimable = claimable;
  e.alphaUndistributed = server + validator + root + ownerCut - credited - claimable - withheld;
  e.output = run?.output ?? null;
  e.hide(rootPaid);
  return e as unknown as EpochReport;
}

/** keys[r] → values[r] for every row, in row order. */
function rowMap(keys: readonly string[], values: readonly bigint[]): Map<string, bigint> {
  const m = new Map<string, bigint>();
  for (let r = 0; r < keys.length; r++) m.set(keys[r], values[r]);
  return m;
}

/** Σ `rootAlphaDividendsPerSubnet` of an epoch report; an epoch report made here gives it without making the map. */
export function rootAlphaPaidTotal(e: EpochReport): bigint {
  let sum = 0n;
  const paid = LazyRecord.hiddenOf(e) as readonly bigint[] | undefined;
  for (const v of paid ?? e.rootAlphaDividendsPerSubnet.values()) sum += v;
  return sum;
}

// ---------------------------------------------------------------------------------------------------------------
// block_step
// ---------------------------------------------------------------------------------------------------------------

/** Runs one block on `s` (which must already hold the new block number) and reports what moved. */
export function blockStep(s: ChainState, engine: EpochEngineLike, settings: EpochSettings = CHAIN_EPOCHS): BlockReport {
  const now = s.block;

  // update_registration_prices_for_networks (subnets that model registration)
  updateRegistrationPrices(s);

  // block emission + mint_tao
  const emission = blockEmissionStoring(s, s.totalIssuance);
  let minted = 0n;
  if (emission !== null && emission !== 0n) {
    const room = u64Sub(TOTAL_SUPPLY, s.balancesTotalIssuance);
    minted = emission < room ? emission : room;
    s.totalIssuance = u64Add(s.totalIssuance, minted);
    s.balancesTotalIssuance = u64Add(s.balancesTotalIssuance, minted);
  }

  const cb = coinbase(s, minted, engine, settings);

  // update_moving_prices, update_root_prop
  const emitAfter = coinbaseSubnets(s, cb.epochs.length) ?? subnetsToEmitTo(s, allSubnetNetuids(s).filter((n) => n !== 0)).map((n) => s.subnets.get(n)!);
  const t = (tableAfterCoinbase(s, emitAfter, cb.epochs.length) ?? openTable(s, emitAfter, 0n, rootTaoWeighted(s), false)).movingPrices();
  for (let i = 0; i < emitAfter.length; i++) {
    emitAfter[i].subnetMovingPrice = t.get128(i, CBS.MOVING, true);
    emitAfter[i].rootProp = t.get128(i, CBS.ROOT_PROP);
  }

  // The per-subnet map is made when first read: one record per subnet in a Map costs more than any other part of
  // the block's JavaScript around the kernels, and a node stepping blocks (or the simulator, which reads the terms
  // through `blockTerms`) never looks at it. Everything it is made from is fixed when the block ends.
  const r = new LazyRecord() as LazyRecord & Record<string, unknown>;
  r.block = now;
  r.blockEmission = emission ?? 0n;
  r.taoMinted = minted;
  r.taoRecycledCredit = cb.taoRecycledCredit;
  r.taoIssued = minted - cb.taoRecycledCredit;
  r.totalIssuanceAfter = s.totalIssuance;
  r.totalStakeAfter = s.totalStake;
  r.rootSellFlag = cb.rootSellFlag;
  r.subnetsToEmitTo = cb.emit;
  r.lazy('subnets', () => subnetReports(cb));
  r.epochs = cb.epochs;
  r.taoStranded = cb.taoStranded;
  r.hide(cb.terms);
  return r as unknown as BlockReport;
}

/**
 * The subnets the coinbase just emitted to, in its order, when the block ran no epoch: nothing between it and the
 * moving prices can change which subnets emit (the payouts are the only other state change in `run_coinbase`);
 * null otherwise (the caller lists them again).
 */
function coinbaseSubnets(s: ChainState, epochs: number): readonly ChainSubnet[] | null {
  const last = lastCoinbase;
  return last !== null && last.s === s && epochs === 0 ? last.sns : null;
}



/**
 * The coinbase's table, still holding what the moving-price pass reads (reserves, weight, moving price, first
 * emission, halving) as the state has them, when the block ran no epoch (payouts may move a drained subnet's alpha)
 * and emits to the same subnets in the same order; null otherwise (the caller writes a new table).
 */
function tableAfterCoinbase(s: ChainState, emitAfter: readonly ChainSubnet[], epochs: number): CoinbaseTable | null {
  const last = lastCoinbase;
  lastCoinbase = null;
  if (last === null || last.s !== s || epochs !== 0 || last.sns.length !== emitAfter.length) return null;
  for (let i = 0; i < emitAfter.length; i++) if (last.sns[i] !== emitAfter[i]) return null;
  return CoinbaseTable.shared().setHeader({ flags: eraFlags(s), credit: 0n, rootTw: rootTaoWeighted(s), ownerCut: s.subnetOwnerCut, movingAlpha: s.subnetMovingAlpha, block: s.block, minReserve: s.swapMinimumReserve });
}
/** The state and subnets of the last `runCoinbase` whose table holds the state's values (not the seed era's). */
let lastCoinbase: { s: ChainState; sns: readonly ChainSubnet[] } | null = null;

/**
 * `inject_and_maybe_swap`, in `emit` order from one TAO credit: re-weight the pool for (TAO in, alpha in) (a
 * refused re-weight injects nothing), buy alpha with the excess TAO fee-less up to the max price (the TAO leaves
 * the credit even when the buy fails: it stays on the subnet account), mint the alpha in, add the TAO in.
 * Returns the credit left (to recycle) and the TAO left on subnet accounts outside the pools.
 */
export function injectAndMaybeSwap(
  s: ChainState,
  emit: readonly number[],
  terms: ReadonlyMap<number, SubnetBlockTerms> | readonly SubnetBlockTerms[],
  credit: bigint,
  reports?: Map<number, SubnetBlockReport>,
): { credit: bigint; stranded: bigint } {
  const sns = emit.map((n) => s.subnets.get(n)!);
  const ts = emit.map((n, i) => (Array.isArray(terms) ? (terms as readonly SubnetBlockTerms[])[i] : (terms as ReadonlyMap<number, SubnetBlockTerms>).get(n)!));
  const t = openTable(s, sns, credit, 0n, false);
  ts.forEach((x, i) => {
    t.put128(i, CBS.TAO_IN, x.taoIn);
    t.put128(i, CBS.ALPHA_IN_TERM, x.alphaIn);
    t.put128(i, CBS.EXCESS, x.excessTao);
  });
  const refused: number[] = [];
  const out = applyInjection(s, sns, t.inject(), ts, refused);
  for (const n of refused) {
    const rep = reports?.get(n);
    if (rep) rep.injectionRefused = true;
  }
  return out;
}

/**
 * The state side of the table's injection pass, in emission order: weights, reserves and flows. An excess-TAO buy
 * the pass made (CB_BOUGHT) is booked here as `swap_tao_for_alpha` books it; any other (an era before HEAD, a
 * stable subnet, a pallet error, a power the kernel leaves to the crate's rule) runs the swap here (fee-less, up to
 * the max price), and the injection is booked on the reserves the swap left. `TotalStake` grows by everything that
 * entered a pool. Subnets whose re-weight was refused are pushed onto `refused`.
 */
function applyInjection(
  s: ChainState,
  sns: readonly ChainSubnet[],
  t: CoinbaseTable,
  terms: readonly SubnetBlockTerms[],
  refused: number[],
): { credit: bigint; stranded: bigint } {
  let stranded = 0n;
  // u64 saturating adds of amounts ≥ 0 in any order end at min(u64::MAX, the sum)
  let staked = 0n;
  for (let i = 0; i < sns.length; i++) {
    const sn = sns[i];
    const flags = t.getNum(i, CBS.FLAGS);
    if ((flags & CB_REFUSED) !== 0) refused.push(sn.netuid);
    // the re-weighted pool, or the weights a buy initialised
    if ((flags & (CB_REFUSED | CB_BOUGHT)) !== CB_REFUSED) sn.swapBalancerQuoteWeightParts = t.get(i, CBS.WEIGHT);
    sn.subnetExcessTao = 0n;
    const injAlpha = t.get(i, CBS.INJ_ALPHA);
    const injTao = t.get(i, CBS.INJ_TAO);
    const spent = t.get(i, CBS.SPENT);
    if ((flags & CB_BOUGHT) !== 0) {
      // all of `spent` went into the pool: nothing stranded
      const bought = t.get(i, CBS.BOUGHT);
      const x = terms[i];
      x.excessTaoSpent = spent;
      x.excessBoughtAlpha = bought;
      sn.palSwapInitialized = true;
      sn.subnetTao = t.get(i, CBS.TAO);
      sn.subnetAlphaIn = t.get(i, CBS.ALPHA_IN);
      sn.subnetAlphaOut = t.get(i, CBS.ALPHA_OUT);
      sn.subnetProtocolFlow = t.getI64(i, CBS.FLOW);
      sn.subnetProtocolAlpha = u64Add(sn.subnetProtocolAlpha, bought);
      sn.subnetExcessTao = spent;
      sn.subnetVolume = volumeAdd(sn.subnetVolume, spent);
      staked += spent;
    } else if (spent === 0n) {
      sn.subnetAlphaIn = t.get(i, CBS.ALPHA_IN);
      if (injTao !== 0n) {
        sn.subnetTao = t.get(i, CBS.TAO);
        sn.subnetProtocolFlow = t.getI64(i, CBS.FLOW);
      }
    } else {
      stranded += buyWithExcessTao(s, sn, spent, terms[i]);
      sn.subnetAlphaIn = u64Add(sn.subnetAlphaIn, injAlpha);
      if (injTao !== 0n) {
        sn.subnetTao = u64Add(sn.subnetTao, injTao);
        sn.subnetProtocolFlow = i64Add(sn.subnetProtocolFlow, injTao);
      }
      // the later passes read the pool as the swap left it (a swap may also initialise the weight)
      t.put(i, CBS.WEIGHT, sn.swapBalancerQuoteWeightParts);
      t.put(i, CBS.TAO, sn.subnetTao);
      t.put(i, CBS.ALPHA_IN, sn.subnetAlphaIn);
      t.put(i, CBS.ALPHA_OUT, sn.subnetAlphaOut);
    }
    sn.subnetAlphaInEmission = injAlpha;
    sn.subnetTaoInEmission = injTao;
  }
  const injected = t.get128(-1, CBH.INJECTED_TAO) + staked;
  if (injected !== 0n) s.totalStake = u64Add(s.totalStake, injected > U64_MAX ? U64_MAX : injected);
  return { credit: t.get(-1, CBH.CREDIT), stranded };
}

/**
 * The excess-TAO buy of `inject_and_maybe_swap`: swaps `spent` TAO for protocol alpha through the pool (no price
 * limit, fees as the chain's) and records it in the subnet's terms; returns the TAO left stranded (all of it when
 * the swap fails, else what the pool did not take).
 */
export function buyWithExcessTao(s: ChainState, sn: ChainSubnet, spent: bigint, x: SubnetBlockTerms): bigint {
  x.excessTaoSpent = spent;
  const r = swapTaoForAlpha(s, sn, spent, MAX_PRICE_RAO, true);
  if (typeof r === 'string') {
    x.excessSwapError = r;
    return spent;
  }
  sn.subnetProtocolAlpha = u64Add(sn.subnetProtocolAlpha, r.amountPaidOut);
  x.excessBoughtAlpha = r.amountPaidOut;
  sn.subnetExcessTao = r.amountPaidIn;
  sn.subnetProtocolFlow = i64Add(sn.subnetProtocolFlow, r.amountPaidIn);
  return spent - r.amountPaidIn;
}

/** What `runCoinbase` did (the block report without the mint). */
export interface CoinbaseReport {
  rootSellFlag: boolean;
  subnetsToEmitTo: number[];
  subnets: Map<number, SubnetBlockReport>;
  epochs: EpochReport[];
  taoRecycledCredit: bigint;
  taoStranded: bigint;
}

/**
 * `run_coinbase(credit)`: shares, subnet terms, injection and excess buys from one shared TAO credit (what is
 * left is recycled: `TotalIssuance` −= it), alpha out and pending pots, `drain_pending`, then every drained
 * subnet's `distribute_emission` through `engine`.
 */
export function runCoinbase(s: ChainState, taoCredit: bigint, engine: EpochEngineLike, settings: EpochSettings = CHAIN_EPOCHS): CoinbaseReport {
  const cb = coinbase(s, taoCredit, engine, settings);
  const report: CoinbaseReport = {
    rootSellFlag: cb.rootSellFlag,
    subnetsToEmitTo: cb.emit,
    subnets: subnetReports(cb),
    epochs: cb.epochs,
    taoRecycledCredit: cb.taoRecycledCredit,
    taoStranded: cb.taoStranded,
  };
  return report;
}

/** What one `run_coinbase` did, before its per-subnet reports are made (`subnetReports`). */
interface CoinbaseRun {
  rootSellFlag: boolean;
  /** The non-root subnets, in storage order. */
  subnets: readonly number[];
  /** The subnets emitted to, in storage order, and their terms. */
  emit: number[];
  terms: SubnetBlockTerms[];
  /** Subnets whose injection was refused, and whose due epoch the per-block cap deferred. */
  refused: readonly number[];
  deferred: readonly number[];
  epochs: EpochReport[];
  taoRecycledCredit: bigint;
  taoStranded: bigint;
}

function coinbase(s: ChainState, taoCredit: bigint, engine: EpochEngineLike, settings: EpochSettings): CoinbaseRun {
  let credit = taoCredit;
  const now = s.block;
  const subnets = allSubnetNetuids(s).filter((n) => n !== 0);
  const emit = subnetsToEmitTo(s, subnets);
  const sns = emit.map((n) => s.subnets.get(n)!);
  lastCoinbase = null;

  // get_shares, get_subnet_terms (BTreeMap order only matters for BlockEmission, stored as the table is written),
  // inject_and_maybe_swap in storage order from one shared credit
  const t = openTable(s, sns, credit, rootTaoWeighted(s), true).shares().terms().inject();
  const rootSellFlag = t.getNum(-1, CBH.ROOT_SELL) !== 0;
  const terms = sns.map((_, i) => termsAt(t, i));
  const refused: number[] = [];
  const injected = applyInjection(s, sns, t, terms, refused);
  const stranded = injected.stranded;
  credit = injected.credit;
  const recycledCredit = credit;
  s.totalIssuance = u64Sub(s.totalIssuance, recycledCredit);
  s.balancesTotalIssuance = u64Sub(s.balancesTotalIssuance, recycledCredit);

  // emit_to_subnets step 3: alpha out, owner cut, root alpha, pending pots
  if (rulesOf(s).era === 'seed') {
    for (let i = 0; i < emit.length; i++) {
      const sn = sns[i];
      const created = tou64(terms[i].alphaOut);
      sn.subnetAlphaOutEmission = created;
      sn.subnetAlphaOut = u64Add(sn.subnetAlphaOut, created);
      const p = seedAlphaOut(created, sn.ownerCutEnabled ? s.subnetOwnerCut : 0);
      sn.pendingOwnerCut = u64Add(sn.pendingOwnerCut, p.owner);
      sn.pendingServerEmission = u64Add(sn.pendingServerEmission, p.server);
      sn.pendingValidatorEmission = u64Add(sn.pendingValidatorEmission, p.validator);
      terms[i].alphaUnassigned = created - p.owner - p.server - p.validator;
    }
  } else {
    t.alphaOut();
    for (let i = 0; i < emit.length; i++) {
      const sn = sns[i];
      const x = terms[i];
      sn.subnetAlphaOutEmission = t.get(i, CBS.CREATED);
      sn.subnetAlphaOut = t.get(i, CBS.ALPHA_OUT);
      if (sn.ownerCutEnabled) {
        x.ownerCut = t.get128(i, CBS.OWNER_CUT);
        sn.pendingOwnerCut = t.get(i, CBS.POT_OWNER);
      }
      x.rootAlpha = t.get128(i, CBS.ROOT_ALPHA);
      sn.pendingServerEmission = t.get(i, CBS.POT_SERVER);
      sn.pendingValidatorEmission = t.get(i, CBS.POT_VALIDATOR);
      if (rootSellFlag) sn.pendingRootAlphaDivs = t.get(i, CBS.POT_ROOT);
      else {
        // recycled: SubnetAlphaOut is already net of it
        const root = t.get(i, CBS.ROOT64);
        if (root !== 0n) sn.alphaRecycled += root;
      }
      x.alphaUnassigned = t.get(i, CBS.UNASSIGNED);
    }
  }

  lastCoinbase = rulesOf(s).era === 'seed' ? null : { s, sns };
  const deferred: number[] = [];
  const drained = drainPending(s, subnets, now, deferred);

  // distribute_emissions_to_subnets, in BTreeMap (numeric) order
  const epochs: EpochReport[] = [];
  for (const n of drained.size === 0 ? [] : [...drained.keys()].sort((a, b) => a - b)) {
    const sn = s.subnets.get(n)!;
    const [server, validator, root, owner] = drained.get(n)!;
    epochs.push(distributeEmission(s, sn, engine, server, validator, root, owner, settings));
    sn.lastMechansimStepBlock = now;
  }

  return { rootSellFlag, subnets, emit, terms, refused, deferred, epochs, taoRecycledCredit: recycledCredit, taoStranded: stranded };
}

/** One record per non-root subnet of a coinbase: whether it emitted (and its terms), its injection and epoch. */
function subnetReports(cb: CoinbaseRun): Map<number, SubnetBlockReport> {
  const out = new Map<number, SubnetBlockReport>();
  for (const n of cb.subnets) out.set(n, { inEmitSet: false, terms: null, epochRan: false, epochDeferred: false, injectionRefused: false });
  for (let i = 0; i < cb.emit.length; i++) {
    const rep = out.get(cb.emit[i])!;
    rep.inEmitSet = true;
    rep.terms = cb.terms[i];
  }
  for (const n of cb.refused) out.get(n)!.injectionRefused = true;
  for (const n of cb.deferred) out.get(n)!.epochDeferred = true;
  for (const e of cb.epochs) out.get(e.netuid)!.epochRan = true;
  return out;
}

/**
 * The terms of the subnets a block (or a `runCoinbase`) emitted to, in its `subnetsToEmitTo` order (the objects its
 * `subnets` map holds); a block report made here gives them without making that map.
 */
export function blockTerms(report: BlockReport | CoinbaseReport): readonly SubnetBlockTerms[] {
  const terms = LazyRecord.hiddenOf(report) as readonly SubnetBlockTerms[] | undefined;
  if (terms !== undefined) return terms;
  return report.subnetsToEmitTo.map((n) => report.subnets.get(n)!.terms!);
}

/** `update_moving_price`: α = SubnetMovingAlpha·b/(b + halving), EMA toward min(spot, 1), stored as I96F32. */
export function updateMovingPrice(s: ChainState, sn: ChainSubnet): void {
  sn.subnetMovingPrice = openTable(s, [sn], 0n, 0n, false).movingPrices().get128(0, CBS.MOVING, true);
}
