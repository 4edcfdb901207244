/**
 * A subnet's TAO/alpha pool: the chain's weighted (Balancer) pool, whose 0.5/0.5 fee-less case is the
 * seed model's constant product. Reserves are exact bigint; every output is rounded down and every
 * required input up, so rounding favours the pool. A refused operation throws and changes nothing.
 */
import { YumaError } from '../errors.js';
import { U64_MAX } from '../units.js';
import { show } from '../validation/describe.js';
import { orDefault, readOptions } from '../validation/read.js';
import { oneOf, toAmount, toBool, toFinite, toInt, toNumberIn } from '../validation/values.js';
import { fromNumber, powRatioScaled, toNumber, type Ratio } from './bigmath.js';
import { type SwapError, type SwapPoolState, MAX_PRICE_RAO, MIN_PRICE_RAO, doSwap, feeAmount, limitPriceFromRao, weightsForAddedLiquidity } from './balancer.js';

/** Perquintill: parts per 1e18, the chain's unit for Balancer weights. */
export const PERQUINTILL = 1_000_000_000_000_000_000n;
/** MIN_WEIGHT 0.01: weights outside [0.01, 0.99] are refused. */
export const MIN_WEIGHT = PERQUINTILL / 100n;
const SCALE = 1n << 128n; // precision of (ratio)^(exponent) when the exponent is not an integer

/** round-half-up multiply by a Perquintill, as `mul_perquintill_round_half` on chain. */
export function mulPerquintillRoundHalf(parts: bigint, value: bigint): bigint {
  if (typeof parts !== 'bigint' || typeof value !== 'bigint') throw new YumaError('E_ARG', 'mulPerquintillRoundHalf takes two bigints');
  if (parts < 0n || parts > PERQUINTILL) throw new YumaError('E_RANGE', `parts must be in [0, 10^18] (got ${show(parts)})`);
  if (value < 0n) throw new YumaError('E_RANGE', `value must not be negative (got ${show(value)})`);
  return (value * parts + PERQUINTILL / 2n) / PERQUINTILL;
}

/** Where a swap's proportional fee goes: nowhere (no fee), into the pool's reserve, or to the block author. */
export type FeeDestination = 'none' | 'pool' | 'author';

/** A pool's rules; every field is optional (the `seed` preset's values where missing). */
export interface PoolConfig {
  /** Quote (TAO) weight: a number in [0.01, 0.99] (rounded to 12 decimals) or Perquintill parts as bigint; default 0.5. */
  weightQuote?: number | bigint;
  /** Set the quote weight so the spot price equals this (TAO per alpha), as the chain's V3→Balancer migration does. */
  price?: number;
  /** Proportional swap fee as a fraction (e.g. 33/65535); charged on the input token. */
  feeRate?: number;
  /** Proportional fee in the chain's u16 parts of 65535 (exact); overrides `feeRate`. */
  feeRateU16?: number;
  /** Launch-era flat fee in rao per swap, kept in the pool's TAO reserve. */
  flatFee?: bigint;
  /** Who receives proportional fees (flat fees always stay in the pool); default 'author'. */
  feeTo?: FeeDestination;
  /** The output reserve must be at least this before a swap (HEAD MinimumReserve). */
  minReserveBefore?: bigint;
  /** The output reserve must stay at least this after a swap (launch DefaultMinimumPoolLiquidity). Default 1. */
  minReserveAfter?: bigint;
  /** Net input ≤ multiple × input reserve (HEAD: 1000). */
  maxInputMultiple?: bigint;
  /** Minimum stake in rao (plus the fee on it). */
  minStake?: bigint;
  /** Re-weight on injections not at the pool price so the price is kept (Balancer); false: reserves just add up. */
  rebalanceOnInject?: boolean;
  /** Limit-order semantics: 'exact' (solve for the limit price) or the launch era's 'approx-cp' estimate. */
  limitMode?: 'exact' | 'approx-cp';
  /**
   * Swap with the chain's swap pallet itself (the block model's Balancer code: U64F64 prices, safe-bigmath powers, the
   * pallet's checks and limit solve), as the block model does; the `balancer` preset sets it. Fee and reserve
   * rules then come from the pallet (`feeRateU16`, `minReserveBefore` as `MinimumReserve`, `maxInputMultiple`).
   */
  chainSwap?: boolean;
}

/** The seed model: fee-less constant product, no guards beyond "never drain". */
export const SEED_POOL: Readonly<PoolConfig> = Object.freeze({ weightQuote: 0.5 });

/** dTAO launch (2025-02-13 … 2025-06-29): constant product, flat 50 000-rao fee kept in the pool. */
export const LAUNCH_POOL: Readonly<PoolConfig> = Object.freeze({
  weightQuote: 0.5,
  flatFee: 50_000n,
  minReserveAfter: 10_000_000n,
  minStake: 500_000n,
  rebalanceOnInject: false,
  limitMode: 'approx-cp' as const,
});

/** HEAD (2026-06-25 on): Balancer, fee 33/65535 to the block author, 1000× input cap, 1e6-rao reserve floor. */
export const BALANCER_POOL: Readonly<PoolConfig> = Object.freeze({
  weightQuote: 0.5,
  feeRateU16: 33,
  feeTo: 'author' as const,
  minReserveBefore: 1_000_000n,
  maxInputMultiple: 1000n,
  minStake: 2_000_000n,
  rebalanceOnInject: true,
  limitMode: 'exact' as const,
  chainSwap: true,
});

/** The pool rules by era: `seed` (fee-less constant product), `launch` (2025-02 … 2025-06), `balancer` (the chain today). */
export const POOL_PRESETS = Object.freeze({ seed: SEED_POOL, launch: LAUNCH_POOL, balancer: BALANCER_POOL });
/** A name of `POOL_PRESETS`. */
export type PoolPreset = keyof typeof POOL_PRESETS;

/** Options of one swap. */
export interface SwapOptions {
  /** Limit price in TAO per alpha (number) or the chain's u64 rao price (price × 1e9, bigint). */
  limitPrice?: number | bigint;
  /** Execute up to the limit instead of refusing (the unfilled input is returned in `refund`). */
  allowPartial?: boolean;
  /** A chain-internal swap (an emission buy, a root claim's or a fee's sell) pays no fee; a buy skips the minimum stake too. */
  dropFees?: boolean;
}

/** A stake (TAO in, alpha out), amounts in rao / alpha rao. */
export interface StakeResult {
  /** Alpha bought. */
  alphaOut: bigint;
  /** TAO taken from the staker (≤ taoIn; less only with `allowPartial`). */
  taoIn: bigint;
  /** TAO added to the pool reserve. */
  taoToPool: bigint;
  /** Fee in rao and where it went. */
  fee: bigint;
  /** Where the fee went. */
  feeTo: FeeDestination;
  /** Unused TAO handed back (partial fills). */
  refund: bigint;
  /** Spot price after the swap, TAO per alpha. */
  priceAfter: number;
}

/** An unstake (alpha in, TAO out), amounts in rao / alpha rao. */
export interface UnstakeResult {
  /** TAO paid to the staker. */
  taoOut: bigint;
  /** Alpha taken from the staker. */
  alphaIn: bigint;
  /** Alpha added to the pool reserve. */
  alphaToPool: bigint;
  /** Fee: alpha for proportional fees (to `feeTo`), rao for the launch flat fee (kept in the pool). */
  fee: bigint;
  /** The fee's unit. */
  feeUnit: 'alpha' | 'tao';
  /** Where the fee went. */
  feeTo: FeeDestination;
  /** Unused alpha handed back (partial fills). */
  refund: bigint;
  /** Spot price after the swap, TAO per alpha. */
  priceAfter: number;
}

interface Plan {
  out: bigint;
  paid: bigint; // gross input taken from the user
  toPool: bigint; // input added to the input reserve
  fee: bigint;
  outFromPool: bigint; // reduction of the output reserve
  refund: bigint;
}

/** The keys `Pool.genesis` reads: the config, the reserves and the preset. */
const GENESIS_KEYS = [
  'tao', 'alpha', 'preset', 'weightQuote', 'price', 'feeRate', 'feeRateU16', 'flatFee', 'feeTo', 'minReserveBefore',
  'minReserveAfter', 'maxInputMultiple', 'minStake', 'rebalanceOnInject', 'limitMode', 'chainSwap',
] as const;
const SWAP_KEYS = ['limitPrice', 'allowPartial', 'dropFees'] as const;
const PRESETS = Object.keys(POOL_PRESETS) as PoolPreset[];
const FEE_DESTINATIONS: readonly FeeDestination[] = ['none', 'pool', 'author'];

/** Swap options after checking: the limit as given (for the pallet's rao price) and as an exact ratio. */
interface Swap {
  limitPrice: number | bigint | undefined;
  limit: Ratio | undefined;
  allowPartial: boolean;
  dropFees: boolean;
}

/** A limit price: TAO per alpha (number) or the chain's u64 rao price (bigint); at most u64::MAX rao. */
function u64Price(p: unknown, field = 'limitPrice'): Ratio {
  if (typeof p === 'bigint') return { num: toAmount(p, field, true), den: 1_000_000_000n };
  const x = toFinite(p, field);
  if (x < 0) throw new YumaError('E_RANGE', `${field} must not be negative (got ${show(x)})`);
  if (x * 1e9 >= Number(U64_MAX)) throw new YumaError('E_RANGE', `${field} is above the largest u64 rao price (got ${show(x)})`);
  return fromNumber(x);
}

function readSwap(opts: unknown): Swap {
  const o = readOptions(opts, 'swap options', SWAP_KEYS);
  const limit = o.limitPrice === undefined ? undefined : u64Price(o.limitPrice);
  return {
    limitPrice: o.limitPrice as number | bigint | undefined,
    limit,
    allowPartial: o.allowPartial === undefined ? false : toBool(o.allowPartial, 'allowPartial'),
    dropFees: o.dropFees === undefined ? false : toBool(o.dropFees, 'dropFees'),
  };
}

/** What `Pool.genesis` hands the constructor. */
const GENESIS = Symbol('Pool.genesis');

/** Pools made by `genesis` or `clone` (what the coinbase functions accept as a pool). */
const POOLS = new WeakSet<object>();

/** True for a Pool made by this library (no caller code runs: a Proxy or look-alike is not one). */
export function isPool(value: unknown): value is Pool {
  return typeof value === 'object' && value !== null && POOLS.has(value);
}

/** A reserve after adding `add`: reserves are u64 on chain, so going past it is refused (E_RESERVE). */
function fill(reserve: bigint, add: bigint, name: string): bigint {
  const next = reserve + add;
  if (next > U64_MAX) throw new YumaError('E_RESERVE', `the ${name} reserve would exceed u64 (${next})`);
  return next;
}

/**
 * A subnet's TAO/alpha pool: weighted constant product (Balancer) with the chain's rounding, fees and guards.
 * Make one with `Pool.genesis`; every refused swap is a `YumaError` and leaves the pool untouched.
 */
export class Pool {
  private tao: bigint;
  private alpha: bigint;
  private wQuote: bigint; // Perquintill
  private readonly cfg: Required<Omit<PoolConfig, 'weightQuote' | 'price' | 'feeRate' | 'feeRateU16'>>;
  private readonly fee: Ratio; // proportional fee rate

  private constructor(token: symbol, tao: bigint, alpha: bigint, wQuote: bigint, cfg: Record<string, unknown>) {
    // private to TypeScript only: plain JavaScript can call `new Pool(...)`, and gets a YumaError
    if (token !== GENESIS) throw new YumaError('E_ARG', 'make a pool with Pool.genesis({ tao, alpha, ... }), not new Pool(...)');
    this.tao = tao;
    this.alpha = alpha;
    this.wQuote = wQuote;
    const flat = toAmount(orDefault(cfg.flatFee, 0n), 'flatFee', true);
    let fee: Ratio = { num: 0n, den: 1n };
    if (cfg.feeRateU16 !== undefined) {
      fee = { num: BigInt(toInt(cfg.feeRateU16, 'feeRateU16', 0, 65534)), den: 65535n };
    } else if (cfg.feeRate !== undefined) {
      const f = toFinite(cfg.feeRate, 'feeRate');
      if (f < 0 || f >= 1) throw new YumaError('E_RANGE', `feeRate must be in [0, 1) (got ${show(f)})`);
      fee = fromNumber(f);
    }
    if (fee.num > 0n && flat > 0n) throw new YumaError('E_ARG', 'choose either a proportional fee or a flat fee');
    this.fee = fee;
    const feeTo = oneOf(orDefault(cfg.feeTo, 'author'), 'feeTo', FEE_DESTINATIONS);
    this.cfg = {
      flatFee: flat,
      feeTo: fee.num === 0n ? (flat > 0n ? 'pool' : 'none') : feeTo,
      minReserveBefore: toAmount(orDefault(cfg.minReserveBefore, 0n), 'minReserveBefore', true),
      minReserveAfter: toAmount(orDefault(cfg.minReserveAfter, 1n), 'minReserveAfter', true),
      maxInputMultiple: toAmount(orDefault(cfg.maxInputMultiple, 0n), 'maxInputMultiple', true),
      minStake: toAmount(orDefault(cfg.minStake, 0n), 'minStake', true),
      rebalanceOnInject: toBool(orDefault(cfg.rebalanceOnInject, false), 'rebalanceOnInject'),
      limitMode: oneOf(orDefault(cfg.limitMode, 'exact'), 'limitMode', ['exact', 'approx-cp'] as const),
      chainSwap: toBool(orDefault(cfg.chainSwap, false), 'chainSwap'),
    };
    if (this.cfg.chainSwap && (cfg.feeRateU16 === undefined ? fee.num !== 0n : false)) {
      throw new YumaError('E_ARG', 'chainSwap takes its fee as feeRateU16 (parts of 65535), as the pallet stores it');
    }
    if (this.cfg.chainSwap && flat > 0n) throw new YumaError('E_ARG', 'chainSwap has no flat fee');
    POOLS.add(this);
  }

  /**
   * A new pool. `preset` picks an era ('seed' default, 'launch', 'balancer'); explicit fields override it.
   * Example: `Pool.genesis({ tao: 1000n * RAO, alpha: 500n * RAO })`.
   */
  static genesis(opts: PoolConfig & { tao: bigint; alpha: bigint; preset?: PoolPreset }): Pool {
    const given = readOptions(opts, 'Pool.genesis options', GENESIS_KEYS, true);
    const preset = oneOf(orDefault(given.preset, 'seed'), 'preset', PRESETS);
    const cfg: Record<string, unknown> = { ...POOL_PRESETS[preset], ...given };
    const tao = toAmount(given.tao, 'tao');
    const alpha = toAmount(given.alpha, 'alpha');
    let w: bigint;
    if (cfg.price !== undefined && given.weightQuote === undefined) {
      const p = toFinite(cfg.price, 'price');
      if (p <= 0) throw new YumaError('E_RANGE', 'price must be positive');
      const r = fromNumber(p);
      // w2 = y / (p·x + y), Perquintill rounded down (from_rational)
      w = (PERQUINTILL * tao * r.den) / (r.num * alpha + tao * r.den);
    } else {
      const wq = orDefault(cfg.weightQuote, 0.5);
      if (typeof wq === 'bigint') w = wq;
      else {
        // a decimal like 0.773 means 773/1000, not its binary double: round to 12 decimals so the
        // exponent reduces to a small fraction (exact roots); pass Perquintill parts as bigint for full control
        w = BigInt(Math.round(toNumberIn(wq, 'weightQuote', 0, 1) * 1e12)) * 1_000_000n;
      }
    }
    if (w < MIN_WEIGHT || PERQUINTILL - w < MIN_WEIGHT) throw new YumaError('E_RANGE', 'pool weights must stay within [0.01, 0.99]');
    return new Pool(GENESIS, tao, alpha, w, cfg);
  }

  /** Copy with the same reserves, weights and rules. */
  clone(): Pool {
    const p = Object.create(Pool.prototype) as Pool;
    Object.assign(p, this);
    POOLS.add(p);
    return p;
  }

  /** The reserves: TAO in rao, alpha in alpha rao. */
  reserves(): { tao: bigint; alpha: bigint } {
    return { tao: this.tao, alpha: this.alpha };
  }

  /** Quote (TAO) and base (alpha) weights as numbers, and the exact Perquintill of the quote weight. */
  weights(): { quote: number; base: number; quoteParts: bigint } {
    return { quote: toNumber(this.wQuote, PERQUINTILL), base: toNumber(PERQUINTILL - this.wQuote, PERQUINTILL), quoteParts: this.wQuote };
  }

  /** Spot price in TAO per alpha: (w_base / w_quote) · tao / alpha. */
  price(): number {
    const r = this.priceRatio();
    return toNumber(r.num, r.den);
  }

  /** The spot price as an exact ratio. */
  priceRatio(): Ratio {
    return { num: (PERQUINTILL - this.wQuote) * this.tao, den: this.wQuote * this.alpha };
  }

  /** The pool's rules, every field filled in. */
  config(): Readonly<PoolConfig> {
    return { ...this.cfg, weightQuote: this.wQuote, feeRate: toNumber(this.fee.num, this.fee.den) };
  }

  // ---------------------------------------------------------------- swap maths

  private feeOn(amount: bigint): bigint {
    return (amount * this.fee.num) / this.fee.den;
  }

  /** Fee that makes `net + fee` the gross input when the limit binds: ⌊net · r / (1 − r)⌋. */
  private grossUpFee(net: bigint): bigint {
    return (net * this.fee.num) / (this.fee.den - this.fee.num);
  }

  /** Alpha out for `dy` TAO in: x · (1 − (y/(y+dy))^(wq/wb)), rounded down. */
  private alphaFor(dy: bigint): bigint {
    return outFor(this.alpha, this.tao, dy, this.wQuote, PERQUINTILL - this.wQuote);
  }

  /** TAO out for `dx` alpha in: y · (1 − (x/(x+dx))^(wb/wq)), rounded down. */
  private taoFor(dx: bigint): bigint {
    return outFor(this.tao, this.alpha, dx, PERQUINTILL - this.wQuote, this.wQuote);
  }

  /** price(after) compared with limit: sign of (wb·y')·L.den − L.num·(wq·x'). */
  private cmpPrice(y: bigint, x: bigint, limit: Ratio): number {
    const a = (PERQUINTILL - this.wQuote) * y * limit.den;
    const b = limit.num * this.wQuote * x;
    return a === b ? 0 : a > b ? 1 : -1;
  }

  /** TAO (net) that moves the price exactly up to `limit`: ⌊y · ((L/p)^wb − 1)⌋. */
  private taoToLimit(limit: Ratio): bigint {
    const p = this.priceRatio();
    const num = limit.num * p.den;
    const den = limit.den * p.num;
    const f = powRatioScaled(num, den, PERQUINTILL - this.wQuote, PERQUINTILL, SCALE, 'floor');
    const v = (this.tao * f) / SCALE - this.tao;
    return v < 0n ? 0n : v;
  }

  /** Alpha (net) that moves the price exactly down to `limit`: ⌊x · ((p/L)^wq − 1)⌋. */
  private alphaToLimit(limit: Ratio): bigint {
    const p = this.priceRatio();
    if (limit.num === 0n) return this.alpha * (this.cfg.maxInputMultiple || 1_000_000_000n);
    const f = powRatioScaled(p.num * limit.den, p.den * limit.num, this.wQuote, PERQUINTILL, SCALE, 'floor');
    const v = (this.alpha * f) / SCALE - this.alpha;
    return v < 0n ? 0n : v;
  }

  /**
   * The fees one swap pays: none for a chain-internal swap (dropFees: emission buys, a root claim's or a fee's
   * sell), a sell as a buy; otherwise the pool's flat fee, or its proportional fee and that fee grossed up.
   */
  private feesOf(opts: Swap): { flatFee: bigint; feeOn: (v: bigint) => bigint; grossUp: (v: bigint) => bigint } {
    if (opts.dropFees) return { flatFee: 0n, feeOn: () => 0n, grossUp: () => 0n };
    return { flatFee: this.cfg.flatFee, feeOn: (v) => this.feeOn(v), grossUp: (v) => this.grossUpFee(v) };
  }

  private planStake(taoIn: bigint, opts: Swap): Plan {
    toAmount(taoIn, 'taoIn');
    if (this.cfg.chainSwap) return this.planChain(true, taoIn, opts);
    const { minStake, maxInputMultiple, minReserveBefore, minReserveAfter } = this.cfg;
    const { flatFee, feeOn, grossUp } = this.feesOf(opts);
    if (!opts.dropFees && minStake > 0n && taoIn < minStake + this.feeOn(minStake))
      throw new YumaError('E_RANGE', `stake below the minimum of ${minStake + this.feeOn(minStake)} rao`);
    let gross = taoIn;
    if (opts.limit !== undefined && this.cfg.limitMode === 'approx-cp') {
      // launch-era estimate: max = ⌊limit_rao · alpha / 1e9⌋ − tao (the realised price may overshoot)
      const max = this.maxStakeAt(opts.limit, opts.limitPrice!);
      if (gross > max) {
        if (!opts.allowPartial || max === 0n) throw new YumaError('E_SLIPPAGE', `stake of ${gross} exceeds ${max} allowed by the limit price`);
        gross = max;
      }
    }
    if (flatFee > 0n && gross <= flatFee) throw new YumaError('E_RANGE', `stake must exceed the ${flatFee}-rao fee`);
    let fee = flatFee > 0n ? flatFee : feeOn(gross);
    let net = gross - fee;
    if (maxInputMultiple > 0n && net > maxInputMultiple * this.tao)
      throw new YumaError('E_RANGE', `input ${net} exceeds ${maxInputMultiple}× the TAO reserve`);
    if (this.alpha < minReserveBefore) throw new YumaError('E_RESERVE', 'alpha reserve below the minimum');
    if (opts.limit !== undefined && this.cfg.limitMode === 'exact') {
      const limit = opts.limit;
      if (this.cmpPrice(this.tao, this.alpha, limit) >= 0) throw new YumaError('E_SLIPPAGE', 'price is already at or above the limit');
      const out = this.alphaFor(net);
      if (this.cmpPrice(this.tao + net, this.alpha - out, limit) > 0) {
        if (!opts.allowPartial) throw new YumaError('E_SLIPPAGE', 'stake would push the price above the limit');
        net = this.taoToLimit(limit);
        fee = flatFee > 0n ? flatFee : grossUp(net);
        gross = net + fee;
      }
    }
    const out = this.alphaFor(net);
    if (out === 0n) throw new YumaError('E_RANGE', 'stake too small to buy any alpha');
    if (this.alpha - out < minReserveAfter) throw new YumaError('E_RESERVE', 'stake would drain the alpha reserve');
    const toPool = this.cfg.feeTo === 'pool' || flatFee > 0n ? net + fee : net;
    fill(this.tao, toPool, 'TAO');
    return { out, paid: gross, toPool, fee, outFromPool: out, refund: taoIn - gross };
  }

  private planUnstake(alphaIn: bigint, opts: Swap): Plan {
    toAmount(alphaIn, 'alphaIn');
    if (this.cfg.chainSwap) return this.planChain(false, alphaIn, opts);
    const { maxInputMultiple, minReserveBefore, minReserveAfter } = this.cfg;
    const { flatFee, feeOn, grossUp } = this.feesOf(opts);
    let gross = alphaIn;
    if (opts.limit !== undefined && this.cfg.limitMode === 'approx-cp') {
      const max = this.maxUnstakeAt(opts.limit, opts.limitPrice!);
      if (gross > max) {
        if (!opts.allowPartial || max === 0n) throw new YumaError('E_SLIPPAGE', `unstake of ${gross} exceeds ${max} allowed by the limit price`);
        gross = max;
      }
    }
    let fee = flatFee > 0n ? 0n : feeOn(gross); // alpha fee; the flat fee is taken in TAO below
    let net = gross - fee;
    if (maxInputMultiple > 0n && net > maxInputMultiple * this.alpha)
      throw new YumaError('E_RANGE', `input ${net} exceeds ${maxInputMultiple}× the alpha reserve`);
    if (this.tao < minReserveBefore) throw new YumaError('E_RESERVE', 'TAO reserve below the minimum');
    if (opts.limit !== undefined && this.cfg.limitMode === 'exact') {
      const limit = opts.limit;
      if (this.cmpPrice(this.tao, this.alpha, limit) <= 0) throw new YumaError('E_SLIPPAGE', 'price is already at or below the limit');
      const o = this.taoFor(net);
      if (this.cmpPrice(this.tao - o, this.alpha + net, limit) < 0) {
        if (!opts.allowPartial) throw new YumaError('E_SLIPPAGE', 'unstake would push the price below the limit');
        net = this.alphaToLimit(limit);
        fee = flatFee > 0n ? 0n : grossUp(net);
        gross = net + fee;
      }
    }
    const outFromPool = this.taoFor(net);
    let out = outFromPool;
    let taoFee = 0n;
    if (flatFee > 0n) {
      if (out <= flatFee) throw new YumaError('E_RANGE', `unstake must return more than the ${flatFee}-rao fee`);
      taoFee = flatFee;
      out -= flatFee; // the fee TAO stays in the reserve
    }
    if (out === 0n) throw new YumaError('E_RANGE', 'unstake too small to receive any TAO');
    if (this.tao - out < minReserveAfter) throw new YumaError('E_RESERVE', 'unstake would drain the TAO reserve');
    const toPool = this.cfg.feeTo === 'pool' ? net + fee : net;
    fill(this.alpha, toPool, 'alpha');
    return { out, paid: gross, toPool, fee: flatFee > 0n ? taoFee : fee, outFromPool: out, refund: alphaIn - gross };
  }


  // ---------------------------------------------------------------- the chain's swap pallet

  private swapState(): SwapPoolState {
    const rate = this.fee.den === 65535n ? Number(this.fee.num) : 0;
    return { mechanism: 1, subnetTao: this.tao, subnetAlphaIn: this.alpha, swapBalancerQuoteWeightParts: this.wQuote, palSwapInitialized: true, feeRate: rate };
  }

  /** A limit price as the u64 rao price the pallet takes (numbers are TAO per alpha, rounded to the rao). */
  private static limitRao(p: number | bigint): bigint {
    if (typeof p === 'bigint') return p;
    return BigInt(Math.round(p * 1e9));
  }

  private chainSwapOrThrow(buy: boolean, amount: bigint, limitRao: bigint, dropFees: boolean) {
    const r = doSwap(this.swapState(), buy, amount, limitPriceFromRao(limitRao), dropFees, this.cfg.minReserveBefore, true);
    if (typeof r === 'string') throw swapErrorToYuma(r);
    return r;
  }

  /**
   * `add_stake(_limit)` / `remove_stake(_limit)` as far as the pool goes: the pallet's `do_swap`, with a limit
   * order filled up to its price when `allowPartial` and refused (E_SLIPPAGE) otherwise.
   */
  private planChain(buy: boolean, amount: bigint, opts: Swap): Plan {
    const dropFees = opts.dropFees;
    const { minStake } = this.cfg;
    if (buy && !dropFees && minStake > 0n) {
      const minFee = this.chainSwapFee(minStake);
      if (amount < minStake + minFee) throw new YumaError('E_RANGE', `stake below the minimum of ${minStake + minFee} rao`);
    }
    const limitRao = opts.limitPrice === undefined ? (buy ? MAX_PRICE_RAO : MIN_PRICE_RAO) : Pool.limitRao(opts.limitPrice);
    if (opts.limit !== undefined && opts.limitPrice !== undefined && !opts.allowPartial) {
      const max = buy ? this.maxStakeAt(opts.limit, opts.limitPrice) : this.maxUnstakeAt(opts.limit, opts.limitPrice);
      if (amount > max) throw new YumaError('E_SLIPPAGE', `${buy ? 'stake' : 'unstake'} of ${amount} exceeds ${max} allowed by the limit price`);
    }
    const r = this.chainSwapOrThrow(buy, amount, limitRao, dropFees);
    if (r.amountPaidOut === 0n) throw new YumaError('E_RANGE', `${buy ? 'stake' : 'unstake'} too small to receive anything`);
    const paid = r.amountPaidIn + r.feePaid;
    const toPool = this.cfg.feeTo === 'pool' ? paid : r.amountPaidIn;
    fill(buy ? this.tao : this.alpha, toPool, buy ? 'TAO' : 'alpha');
    return { out: r.amountPaidOut, paid, toPool, fee: r.feePaid, outFromPool: r.amountPaidOut, refund: amount - paid };
  }

  private chainSwapFee(amount: bigint): bigint {
    return feeAmount(this.swapState(), amount, false);
  }

  /** What `stake(taoIn, opts)` would return, without changing the pool (throws as it would). */
  quoteStake(taoIn: bigint, opts?: SwapOptions | null): StakeResult {
    const p = this.planStake(taoIn, readSwap(opts));
    return this.stakeResult(p, this.tao + p.toPool, this.alpha - p.outFromPool);
  }

  /** What `unstake(alphaIn, opts)` would return, without changing the pool (throws as it would). */
  quoteUnstake(alphaIn: bigint, opts?: SwapOptions | null): UnstakeResult {
    const p = this.planUnstake(alphaIn, readSwap(opts));
    return this.unstakeResult(p, this.tao - p.outFromPool, this.alpha + p.toPool);
  }

  /** Buy alpha with TAO. Mutates only on success. */
  stake(taoIn: bigint, opts?: SwapOptions | null): StakeResult {
    const p = this.planStake(taoIn, readSwap(opts));
    this.tao += p.toPool;
    this.alpha -= p.outFromPool;
    return this.stakeResult(p, this.tao, this.alpha);
  }

  /** Sell alpha for TAO. Mutates only on success. */
  unstake(alphaIn: bigint, opts?: SwapOptions | null): UnstakeResult {
    const p = this.planUnstake(alphaIn, readSwap(opts));
    this.tao -= p.outFromPool;
    this.alpha += p.toPool;
    return this.unstakeResult(p, this.tao, this.alpha);
  }

  private stakeResult(p: Plan, y: bigint, x: bigint): StakeResult {
    return {
      alphaOut: p.out,
      taoIn: p.paid,
      taoToPool: p.toPool,
      fee: p.fee,
      feeTo: this.cfg.feeTo,
      refund: p.refund,
      priceAfter: toNumber((PERQUINTILL - this.wQuote) * y, this.wQuote * x),
    };
  }

  private unstakeResult(p: Plan, y: bigint, x: bigint): UnstakeResult {
    return {
      taoOut: p.out,
      alphaIn: p.paid,
      alphaToPool: p.toPool,
      fee: p.fee,
      feeUnit: this.cfg.flatFee > 0n ? 'tao' : 'alpha',
      feeTo: this.cfg.feeTo,
      refund: p.refund,
      priceAfter: toNumber((PERQUINTILL - this.wQuote) * y, this.wQuote * x),
    };
  }

  /**
   * The pallet's largest limit-order input, either direction: a swap of 1000 × the input reserve (at most u64::MAX)
   * capped at the limit, what it paid in with its fee.
   */
  private maxChainSwap(buy: boolean, limitPrice: number | bigint): bigint {
    const reserve = buy ? this.tao : this.alpha;
    const cap = reserve * 1000n > U64_MAX ? U64_MAX : reserve * 1000n;
    const r = this.chainSwapOrThrow(buy, cap, Pool.limitRao(limitPrice), false);
    return r.amountPaidIn + r.feePaid;
  }

  /**
   * Largest gross TAO a limit-`limitPrice` stake may spend (the chain's `get_max_amount_add`): exact mode
   * simulates a buy of 1000 × the TAO reserve capped at the limit and returns paid + fee; 'approx-cp' is
   * the launch formula ⌊limit_rao · alpha / 1e9⌋ − tao. Throws E_SLIPPAGE if the price is already at/above.
   */
  maxStake(limitPrice: number | bigint): bigint {
    return this.maxStakeAt(u64Price(limitPrice), limitPrice);
  }

  private maxStakeAt(limit: Ratio, limitPrice: number | bigint): bigint {
    if (this.cfg.chainSwap) return this.maxChainSwap(true, limitPrice);
    if (this.cfg.limitMode === 'approx-cp') {
      const v = (limit.num * 1_000_000_000n * this.alpha) / (limit.den * 1_000_000_000n) - this.tao;
      return v > 0n ? v : 0n;
    }
    if (this.cmpPrice(this.tao, this.alpha, limit) >= 0) throw new YumaError('E_SLIPPAGE', 'price is already at or above the limit');
    const cap = 1000n * this.tao;
    const net = cap - this.feeOn(cap);
    const out = this.alphaFor(net);
    if (this.cmpPrice(this.tao + net, this.alpha - out, limit) <= 0) return cap;
    const lim = this.taoToLimit(limit);
    return lim + (this.cfg.flatFee > 0n ? this.cfg.flatFee : this.grossUpFee(lim));
  }

  /** Largest alpha a limit-`limitPrice` unstake may sell (the chain's `get_max_amount_remove`). */
  maxUnstake(limitPrice: number | bigint): bigint {
    return this.maxUnstakeAt(u64Price(limitPrice), limitPrice);
  }

  private maxUnstakeAt(limit: Ratio, limitPrice: number | bigint): bigint {
    if (this.cfg.chainSwap) return this.maxChainSwap(false, limitPrice);
    if (this.cfg.limitMode === 'approx-cp') {
      if (limit.num === 0n) return 1000n * this.alpha;
      // mirror of the launch estimate: alpha at which tao/alpha would equal the limit, minus the reserve
      const v = (this.tao * limit.den) / limit.num - this.alpha;
      return v > 0n ? v : 0n;
    }
    if (this.cmpPrice(this.tao, this.alpha, limit) <= 0) throw new YumaError('E_SLIPPAGE', 'price is already at or below the limit');
    const cap = 1000n * this.alpha;
    const net = cap - this.feeOn(cap);
    const out = this.taoFor(net);
    if (limit.num === 0n || this.cmpPrice(this.tao - out, this.alpha + net, limit) >= 0) return cap;
    const lim = this.alphaToLimit(limit);
    return lim + this.grossUpFee(lim);
  }

  /**
   * Add emission liquidity. Without re-weighting (seed/launch) the reserves just grow, so k = x·y never
   * falls. With re-weighting (Balancer) the quote weight becomes ⌊q2 / (q1 + q2)⌋ with
   * q1 = round(w_b · y·(x+Δx)), q2 = round(w_q · x·(y+Δy)), which keeps the price; a weight outside
   * [0.01, 0.99] refuses the whole injection (the chain then injects nothing and recycles the TAO).
   */
  inject(taoIn: bigint, alphaIn: bigint): void {
    toAmount(taoIn, 'taoIn', true);
    toAmount(alphaIn, 'alphaIn', true);
    const tao = fill(this.tao, taoIn, 'TAO');
    const alpha = fill(this.alpha, alphaIn, 'alpha');
    let w = this.wQuote;
    if (this.cfg.rebalanceOnInject && (taoIn > 0n || alphaIn > 0n)) {
      const next = weightsForAddedLiquidity(this.wQuote, this.tao, this.alpha, taoIn, alphaIn);
      if (next === null) throw new YumaError('E_RANGE', 'injection would push the pool weights outside [0.01, 0.99]');
      w = next;
    }
    this.wQuote = w;
    this.tao = tao;
    this.alpha = alpha;
  }
}

/** reserveOut · (1 − (reserveIn / (reserveIn + d))^(wIn/wOut)), rounded down (pool's favour). */
function outFor(reserveOut: bigint, reserveIn: bigint, d: bigint, wIn: bigint, wOut: bigint): bigint {
  if (d === 0n) return 0n;
  const den = reserveIn + d;
  if (wIn === wOut) return (reserveOut * d) / den; // constant product, exactly
  // E rounded up so the output is never above the exact value
  const e = powRatioScaled(reserveIn, den, wIn, wOut, SCALE, 'ceil');
  const v = (reserveOut * (SCALE - (e > SCALE ? SCALE : e))) / SCALE;
  return v;
}

function swapErrorToYuma(e: SwapError): YumaError {
  switch (e) {
    case 'SwapInputTooLarge':
      return new YumaError('E_RANGE', 'input exceeds 1000× the input reserve (SwapInputTooLarge)');
    case 'PriceLimitExceeded':
      return new YumaError('E_SLIPPAGE', 'the price is already at or beyond the limit (PriceLimitExceeded)');
    default:
      return new YumaError('E_RESERVE', `the pool refused the swap (${e})`);
  }
}
