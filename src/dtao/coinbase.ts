/**
 * The per-block coinbase: TAO into each pool by share, alpha into the pool at the pool price, the alpha
 * emission split into owner / miner / validator (and root) pending pots. Integer rao everywhere; each
 * function says where its flooring dust goes.
 */
import { YumaError } from '../errors.js';
import { U64_MAX } from '../units.js';
import { alphaBlockEmission, blockEmission } from './emission.js';
import { MAX_SUBNETS } from '../epoch/limits.js';
import { guard, orDefault, readList, readOptions } from '../validation/read.js';
import { toAmount, toBool, toFinite, toInt, toNumberIn, toU16 } from '../validation/values.js';
import { isPool, type Pool } from './pool.js';

function toPool(v: unknown, field: string): Pool {
  if (!isPool(v)) throw new YumaError('E_ARG', `${field} must be a Pool (made by Pool.genesis or clone)`);
  return v;
}

/** SubnetOwnerCut default: 11796/65535 ≈ 18 %. */
export const DEFAULT_OWNER_CUT = 11796;
/** DelegateTake default (= max): 11796/65535 ≈ 18 %. */
export const DEFAULT_TAKE = 11796;

/** root_prop = R·w / (R·w + alpha issuance); `taoWeight` as a fraction or the chain's u64 parts (bigint). */
export function rootProportion(opts: { rootTao: bigint; taoWeight: number | bigint; alphaIssuance: bigint }): number {
  const o = readOptions(opts, 'rootProportion options', ['rootTao', 'taoWeight', 'alphaIssuance'], true);
  const r = Number(toAmount(o.rootTao, 'rootTao', true));
  const w = typeof o.taoWeight === 'bigint' ? Number(toAmount(o.taoWeight, 'taoWeight', true)) / Number(U64_MAX) : toNumberIn(o.taoWeight, 'taoWeight', 0, 1);
  const a = Number(toAmount(o.alphaIssuance, 'alphaIssuance', true));
  const num = r * w;
  return num + a > 0 ? num / (num + a) : 0;
}

/** One block's alpha emission split into its pots (alpha rao); the parts add up to the alpha emitted. */
export interface AlphaOutSplit {
  /** The subnet owner's cut (`SubnetOwnerCut`, default 11796/65535 ≈ 18 %). */
  owner: bigint;
  /** Miners' half of the rest (paid by incentive at the epoch). */
  server: bigint;
  /** Validators' pot: the other half less the root share (paid by dividends at the epoch). */
  validator: bigint;
  /** Root stakers' share of the validator half (root_prop · half); 0 without root. */
  root: bigint;
  /** Root alpha recycled instead of paid (chain: when Σ ema ≤ 1, the root-sell flag is off). */
  recycled: bigint;
}

/**
 * Split one block's alpha emission: owner cut first (⌊α·cut/65535⌋), then half of the rest to miners
 * (⌊rest/2⌋), root_prop of the other half to root, and the validators get what is left — so the parts
 * add up to `alphaOut` exactly. (The chain floors each pot separately and leaves ≤ 2 alpha-rao of dust
 * per block unassigned; here that dust goes to the validators' pot.)
 */
export function splitAlphaOut(
  alphaOut: bigint,
  opts?: { ownerCut?: number; rootProportion?: number; rootSell?: boolean } | null,
): AlphaOutSplit {
  toAmount(alphaOut, 'alphaOut', true);
  const o = readOptions(opts, 'splitAlphaOut options', ['ownerCut', 'rootProportion', 'rootSell']);
  const cut = BigInt(toU16(orDefault(o.ownerCut, DEFAULT_OWNER_CUT), 'ownerCut'));
  const rp = toNumberIn(orDefault(o.rootProportion, 0), 'rootProportion', 0, 1);
  const rootSell = toBool(orDefault(o.rootSell, true), 'rootSell');
  const owner = (alphaOut * cut) / 65535n;
  const rest = alphaOut - owner;
  const server = rest / 2n;
  const half = rest - server;
  let root = rp === 0 ? 0n : BigInt(Math.floor(Number(half) * rp));
  if (root > half) root = half;
  const validator = half - root;
  if (!rootSell) return { owner, server, validator, root: 0n, recycled: root };
  return { owner, server, validator, root, recycled: 0n };
}

/** One subnet's state for `splitBlockEmission`. */
export interface SubnetBlockInput {
  /** The subnet's pool (its price sets how much alpha the injected TAO is worth). */
  pool: Pool;
  /** AlphaIn + AlphaOut of the subnet (drives its alpha halving). */
  alphaIssuance: bigint;
  /** Chain (HEAD) cap: alpha_in ≤ rootProportion · alpha emission; omit for the seed model (no cap). */
  rootProportion?: number;
}

/** What one block gives one subnet (rao; alpha amounts in alpha rao). */
export interface SubnetBlockSplit {
  /** TAO this subnet's share entitled it to (⌊E · s⌋). */
  taoEmission: bigint;
  /** TAO added to the pool reserve as liquidity. */
  taoIn: bigint;
  /** Alpha minted into the pool reserve (⌊taoIn / price⌋). */
  alphaIn: bigint;
  /** TAO that buys alpha (fee-less) because the alpha cap bound: taoEmission − taoIn. */
  excessTao: bigint;
  /** Alpha emission for participants this block (halving on alpha issuance). */
  alphaOut: bigint;
}

/**
 * Pure computation of one block's per-subnet amounts. TAO: ⌊E·s_i⌋ per subnet, the unassigned flooring
 * dust is reported as `recycled` (the chain recycles the unspent credit, lowering issuance).
 */
export function splitBlockEmission(emission: bigint, shares: number[], subnets: SubnetBlockInput[]): { subnets: SubnetBlockSplit[]; recycled: bigint } {
  toAmount(emission, 'emission', true);
  const s = readList(shares, 'shares', MAX_SUBNETS, true).map((x, i) => toNumberIn(x, `shares[${i}]`, 0, 1));
  const subs = readList(subnets, 'subnets', MAX_SUBNETS).map((v, i) => {
    const o = readOptions(v, `subnets[${i}]`, ['pool', 'alphaIssuance', 'rootProportion'], true);
    return {
      pool: toPool(o.pool, `subnets[${i}].pool`),
      alphaIssuance: toAmount(o.alphaIssuance, `subnets[${i}].alphaIssuance`, true),
      rootProportion: o.rootProportion === undefined ? undefined : toNumberIn(o.rootProportion, `subnets[${i}].rootProportion`, 0, 1),
    };
  });
  if (s.length !== subs.length) throw new YumaError('E_SHAPE', 'shares and subnets must have the same length');
  const sum = s.reduce((a, b) => a + b, 0);
  if (sum > 1 + 1e-9) throw new YumaError('E_RANGE', `shares sum to ${sum} > 1`);
  const E = Number(emission);
  let assigned = 0n;
  const out = subs.map((sub, i) => {
    let te = BigInt(Math.floor(E * s[i]!));
    if (assigned + te > emission) te = emission - assigned; // float shares summing a hair above 1
    assigned += te;
    const ae = alphaBlockEmission(sub.alphaIssuance);
    const pr = sub.pool.priceRatio();
    let taoIn = te;
    let alphaIn = pr.num === 0n ? 0n : (te * pr.den) / pr.num;
    if (sub.rootProportion !== undefined) {
      const rp = sub.rootProportion;
      const cap = BigInt(Math.floor(Number(ae) * rp));
      if (alphaIn > cap) {
        alphaIn = cap;
        taoIn = (cap * pr.num) / pr.den;
        if (taoIn > te) taoIn = te;
      }
    }
    return { taoEmission: te, taoIn, alphaIn, excessTao: te - taoIn, alphaOut: ae };
  });
  return { subnets: out, recycled: emission - assigned };
}

/** Alpha (rao) accumulated for a subnet's next epoch, per pot. */
export interface PendingPots {
  /** For miners (`PendingServerEmission`). */
  server: bigint;
  /** For validators (`PendingValidatorEmission`). */
  validator: bigint;
  /** For the subnet owner (`PendingOwnerCut`). */
  owner: bigint;
  /** For root stakers (`PendingRootAlphaDivs`). */
  root: bigint;
}

/** One subnet of a `SubnetEconomy`. */
export interface EconomySubnet {
  /** Its pool. */
  pool: Pool;
  /** Alpha outside the pool: staked + pending + protocol-bought. */
  alphaOut: bigint;
  /** Blocks between its epochs, minus one. */
  tempo: number;
  /** Its netuid (staggers its epochs). */
  netuid: number;
  /** Alpha waiting for its next epoch. */
  pending: PendingPots;
  /** Owner cut, u16 as a proportion of 65535 (default 11796 ≈ 18 %). */
  ownerCut: number;
  /** Root's proportion of the validator half, 0 … 1 (omit: no root). */
  rootProportion?: number;
}

export interface BlockReport {
  block: number;
  emission: bigint;
  shares: number[];
  split: SubnetBlockSplit[];
  /** TAO not injected (flooring dust, refused injections): recycled, so issuance does not count it. */
  recycled: bigint;
  /** Subnets whose epoch fires this block, with the pots drained for them. */
  epochs: Array<{ index: number; netuid: number; pending: PendingPots }>;
}

/**
 * A set of subnets driven block by block: mint E = blockEmission(issuance), inject TAO and alpha into
 * each pool, accumulate pending alpha, and drain it at each subnet's epoch (the pre-2026-06-25 schedule:
 * every tempo + 1 blocks, staggered by netuid). Issuance grows by the TAO actually injected or spent on
 * chain buys; everything else is recycled.
 */
export class SubnetEconomy {
  /** TAO issued so far, rao (drives the halving). */
  issuance: bigint;
  /** The current block. */
  block: number;
  /** The subnets, in the order they were added. */
  readonly subnets: EconomySubnet[] = [];

  constructor(opts?: { issuance?: bigint; block?: number } | null) {
    const o = readOptions(opts, 'SubnetEconomy options', ['issuance', 'block']);
    this.issuance = toAmount(orDefault(o.issuance, 0n), 'issuance', true);
    this.block = toInt(orDefault(o.block, 0), 'block', 0, Number.MAX_SAFE_INTEGER);
  }

  /**
   * Adds a subnet (defaults: alphaOut 0, tempo 360, netuid = its position + 1, owner cut 11796/65535, no root);
   * returns its index.
   */
  addSubnet(opts: { pool: Pool; alphaOut?: bigint; tempo?: number; netuid?: number; ownerCut?: number; rootProportion?: number }): number {
    const o = readOptions(opts, 'addSubnet options', ['pool', 'alphaOut', 'tempo', 'netuid', 'ownerCut', 'rootProportion'], true);
    if (this.subnets.length >= MAX_SUBNETS) throw new YumaError('E_LIMIT', `an economy holds at most ${MAX_SUBNETS} subnets`);
    const pool = toPool(o.pool, 'pool');
    // one pool for two subnets: a swap or injection on one would move the other's reserves too
    const owner = this.subnets.findIndex((s) => s.pool === pool);
    if (owner >= 0) throw new YumaError('E_ARG', `pool is already subnet ${owner}'s; each subnet needs its own (pool.clone())`);
    const subnet: EconomySubnet = {
      pool,
      alphaOut: toAmount(orDefault(o.alphaOut, 0n), 'alphaOut', true),
      tempo: toInt(orDefault(o.tempo, 360), 'tempo', 0, 65535),
      netuid: toInt(orDefault(o.netuid, this.subnets.length + 1), 'netuid', 0, 65535),
      pending: { server: 0n, validator: 0n, owner: 0n, root: 0n },
      ownerCut: toU16(orDefault(o.ownerCut, DEFAULT_OWNER_CUT), 'ownerCut'),
      rootProportion: o.rootProportion === undefined ? undefined : toNumberIn(o.rootProportion, 'rootProportion', 0, 1),
    };
    this.subnets.push(subnet);
    return this.subnets.length - 1;
  }

  /** Alpha issued on subnet `i` (pool reserve + alpha outside it), alpha rao. */
  alphaIssuance(i: number): bigint {
    const k = toInt(i, 'subnet index', 0, Number.MAX_SAFE_INTEGER);
    if (k >= this.subnets.length) throw new YumaError('E_RANGE', `subnet index ${k} out of range (${this.subnets.length} subnets)`);
    const s = this.subnets[k]!;
    return s.pool.reserves().alpha + s.alphaOut;
  }

  /**
   * `subnets` and its records (and `block`, `issuance`) are the caller's to read and change: before a block, what
   * `addSubnet` and the constructor check is checked again (a pool shared by two subnets is E_STATE), so a damaged
   * record refuses the block before any pool or pot moves instead of failing half way through it.
   */
  private checkSubnets(): void {
    // the block number and issuance are public too: a string block made `block + netuid` a string concatenation
    toInt(this.block, 'block', 0, Number.MAX_SAFE_INTEGER - 1);
    toAmount(this.issuance, 'issuance', true);
    const list = this.subnets;
    if (!Array.isArray(list) || list.length > MAX_SUBNETS) throw new YumaError('E_STATE', `subnets must stay a list of at most ${MAX_SUBNETS} subnets`);
    const pools = new Set<Pool>();
    guard('subnets', () => {
      for (let i = 0; i < list.length; i++) {
        const s = list[i];
        if (typeof s !== 'object' || s === null) throw new YumaError('E_STATE', `subnets[${i}] is not a subnet record`);
        const pool = toPool(s.pool, `subnets[${i}].pool`);
        if (pools.has(pool)) throw new YumaError('E_STATE', `subnets[${i}].pool is another subnet's pool too; each subnet needs its own`);
        pools.add(pool);
        toAmount(s.alphaOut, `subnets[${i}].alphaOut`, true);
        toInt(s.tempo, `subnets[${i}].tempo`, 0, 65535);
        toInt(s.netuid, `subnets[${i}].netuid`, 0, 65535);
        toU16(s.ownerCut, `subnets[${i}].ownerCut`);
        if (s.rootProportion !== undefined) toNumberIn(s.rootProportion, `subnets[${i}].rootProportion`, 0, 1);
        const p = s.pending;
        if (typeof p !== 'object' || p === null) throw new YumaError('E_STATE', `subnets[${i}].pending is not a set of pots`);
        for (const k of ['server', 'validator', 'owner', 'root'] as const) toAmount(p[k], `subnets[${i}].pending.${k}`, true);
      }
    });
  }

  /** Advance one block with the given shares (one per subnet, Σ ≤ 1). */
  step(shares: number[]): BlockReport {
    const given = readList(shares, 'shares', MAX_SUBNETS, true) as number[];
    this.checkSubnets();
    const emission = blockEmission(this.issuance);
    const inputs = this.subnets.map((s, i) => ({ pool: s.pool, alphaIssuance: this.alphaIssuance(i), rootProportion: s.rootProportion }));
    const { subnets: split, recycled: dust } = splitBlockEmission(emission, given, inputs);
    let recycled = dust;
    split.forEach((sp, i) => {
      const s = this.subnets[i]!;
      if (sp.excessTao > 0n) {
        // chain buy with the excess against the pre-injection reserves (as on chain); the alpha joins AlphaOut (protocol alpha)
        try {
          const r = s.pool.stake(sp.excessTao, { dropFees: true });
          s.alphaOut += r.alphaOut;
        } catch (e) {
          if (!(e instanceof YumaError)) throw e;
          recycled += sp.excessTao;
          sp.excessTao = 0n;
        }
      }
      try {
        s.pool.inject(sp.taoIn, sp.alphaIn);
      } catch (e) {
        if (!(e instanceof YumaError)) throw e;
        recycled += sp.taoIn; // refused injection: nothing enters the pool
        sp.taoIn = 0n;
        sp.alphaIn = 0n;
      }
      const parts = splitAlphaOut(sp.alphaOut, { ownerCut: s.ownerCut, rootProportion: s.rootProportion ?? 0 });
      s.alphaOut += sp.alphaOut - parts.recycled;
      s.pending.server += parts.server;
      s.pending.validator += parts.validator;
      s.pending.owner += parts.owner;
      s.pending.root += parts.root;
    });
    this.issuance += emission - recycled;
    const epochs: BlockReport['epochs'] = [];
    this.subnets.forEach((s, i) => {
      if (s.tempo > 0 && (this.block + s.netuid + 1) % (s.tempo + 1) === 0) {
        epochs.push({ index: i, netuid: s.netuid, pending: s.pending });
        s.pending = { server: 0n, validator: 0n, owner: 0n, root: 0n };
      }
    });
    const report = { block: this.block, emission, shares: given, split, recycled, epochs };
    this.block += 1;
    return report;
  }
}
