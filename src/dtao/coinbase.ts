/**
 * The per-block coinbase: TAO into each pool by share, alpha into the pool at the pool price, the alpha
 * emission split into owner / miner / validator (and root) pending pots. Integer rao everywhere; each
 * function says where its flooring dust goes.
 */
import { YumaError } from '../errors.js';
import { U64_MAX } from '../units.js';
import { alphaBlockEmission, blockEmission } from './emission.js';
import type { Pool } from './pool.js';
import { checkAmount, checkArray, checkFinite, checkNumberIn, checkU16 } from './validate.js';

/** SubnetOwnerCut default: 11796/65535 ≈ 18 %. */
export const DEFAULT_OWNER_CUT = 11796;
/** DelegateTake default (= max): 11796/65535 ≈ 18 %. */
export const DEFAULT_TAKE = 11796;

/** root_prop = R·w / (R·w + alpha issuance); `taoWeight` as a fraction or the chain's u64 parts (bigint). */
export function rootProportion(opts: { rootTao: bigint; taoWeight: number | bigint; alphaIssuance: bigint }): number {
  const r = Number(checkAmount('rootTao', opts.rootTao, true));
  const w = typeof opts.taoWeight === 'bigint' ? Number(checkAmount('taoWeight', opts.taoWeight, true)) / Number(U64_MAX) : checkNumberIn('taoWeight', opts.taoWeight, 0, 1);
  const a = Number(checkAmount('alphaIssuance', opts.alphaIssuance, true));
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
  opts: { ownerCut?: number; rootProportion?: number; rootSell?: boolean } = {},
): AlphaOutSplit {
  checkAmount('alphaOut', alphaOut, true);
  const cut = BigInt(checkU16('ownerCut', opts.ownerCut ?? DEFAULT_OWNER_CUT));
  const rp = checkNumberIn('rootProportion', opts.rootProportion ?? 0, 0, 1);
  const owner = (alphaOut * cut) / 65535n;
  const rest = alphaOut - owner;
  const server = rest / 2n;
  const half = rest - server;
  let root = rp === 0 ? 0n : BigInt(Math.floor(Number(half) * rp));
  if (root > half) root = half;
  const validator = half - root;
  if (opts.rootSell === false) return { owner, server, validator, root: 0n, recycled: root };
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
  checkAmount('emission', emission, true);
  const s = checkArray('shares', shares).map((x, i) => checkNumberIn(`shares[${i}]`, x, 0, 1));
  const subs = checkArray('subnets', subnets) as SubnetBlockInput[];
  if (s.length !== subs.length) throw new YumaError('E_SHAPE', 'shares and subnets must have the same length');
  const sum = s.reduce((a, b) => a + b, 0);
  if (sum > 1 + 1e-9) throw new YumaError('E_RANGE', `shares sum to ${sum} > 1`);
  const E = Number(emission);
  let assigned = 0n;
  const out = subs.map((sub, i) => {
    let te = BigInt(Math.floor(E * s[i]!));
    if (assigned + te > emission) te = emission - assigned; // float shares summing a hair above 1
    assigned += te;
    const ae = alphaBlockEmission(checkAmount('alphaIssuance', sub.alphaIssuance, true));
    const pr = sub.pool.priceRatio();
    let taoIn = te;
    let alphaIn = pr.num === 0n ? 0n : (te * pr.den) / pr.num;
    if (sub.rootProportion !== undefined) {
      const rp = checkNumberIn('rootProportion', sub.rootProportion, 0, 1);
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

  constructor(opts: { issuance?: bigint; block?: number } = {}) {
    this.issuance = checkAmount('issuance', opts.issuance ?? 0n, true);
    this.block = checkFinite('block', opts.block ?? 0);
  }

  /**
   * Adds a subnet (defaults: alphaOut 0, tempo 360, netuid = its position + 1, owner cut 11796/65535, no root);
   * returns its index.
   */
  addSubnet(opts: { pool: Pool; alphaOut?: bigint; tempo?: number; netuid?: number; ownerCut?: number; rootProportion?: number }): number {
    const tempo = checkFinite('tempo', opts.tempo ?? 360);
    if (!Number.isInteger(tempo) || tempo < 0) throw new YumaError('E_RANGE', 'tempo must be a non-negative integer');
    this.subnets.push({
      pool: opts.pool,
      alphaOut: checkAmount('alphaOut', opts.alphaOut ?? 0n, true),
      tempo,
      netuid: opts.netuid ?? this.subnets.length + 1,
      pending: { server: 0n, validator: 0n, owner: 0n, root: 0n },
      ownerCut: checkU16('ownerCut', opts.ownerCut ?? DEFAULT_OWNER_CUT),
      rootProportion: opts.rootProportion,
    });
    return this.subnets.length - 1;
  }

  /** Alpha issued on subnet `i` (pool reserve + alpha outside it), alpha rao. */
  alphaIssuance(i: number): bigint {
    const s = this.subnets[i]!;
    return s.pool.reserves().alpha + s.alphaOut;
  }

  /** Advance one block with the given shares (one per subnet, Σ ≤ 1). */
  step(shares: number[]): BlockReport {
    const emission = blockEmission(this.issuance);
    const inputs = this.subnets.map((s, i) => ({ pool: s.pool, alphaIssuance: this.alphaIssuance(i), rootProportion: s.rootProportion }));
    const { subnets: split, recycled: dust } = splitBlockEmission(emission, shares, inputs);
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
    const report = { block: this.block, emission, shares: [...shares], split, recycled, epochs };
    this.block += 1;
    return report;
  }
}
