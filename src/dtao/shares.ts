/**
 * How a block's TAO emission is shared across subnets: a softmax, plain proportional,
 * the chain's EMA-price shares (launch and HEAD) and the chain's TAO-flow shares (2025-11 … 2026-06).
 * Shares are plain numbers (the chain uses U64F64; the TAO amounts derived from them are floored).
 */
import { YumaError } from '../errors.js';
import { MAX_SUBNETS } from '../epoch/limits.js';
import { show } from '../validation/describe.js';
import { orDefault, readList, readOptions } from '../validation/read.js';
import { oneOf, toBool, toFinite, toInt, toNumberIn, toU64 } from '../validation/values.js';

/** Non-negative finite numbers, one per subnet (an array or a typed array, read once). */
function checkPrices(name: string, v: unknown): number[] {
  return readList(v, name, MAX_SUBNETS, true).map((p, i) => {
    const x = toFinite(p, `${name}[${i}]`);
    if (x < 0) throw new YumaError('E_RANGE', `${name}[${i}] must not be negative`);
    return x;
  });
}

/**
 * Divide by the sum; all-zero input gives all-zero shares (the chain then emits nothing). Finite values whose
 * sum overflows to Infinity are first scaled by their largest (the shares of [1e308, 1e308] are [0.5, 0.5], not 0).
 */
function normalise(w: number[]): number[] {
  let sum = w.reduce((a, b) => a + b, 0);
  if (sum === Infinity) {
    const m = Math.max(...w);
    w = w.map((x) => x / m);
    sum = w.reduce((a, b) => a + b, 0);
  }
  return sum > 0 ? w.map((x) => x / sum) : w.map(() => 0);
}

/** Options of `emissionShares`. */
export interface EmissionShareOptions {
  /** `softmax` of the prices (default) or `proportional` to them. */
  mode?: 'softmax' | 'proportional';
  /** Softmax temperature τ > 0 (default 1). */
  temperature?: number;
}

/**
 * `softmax`: s_i = exp(p_i/τ) / Σ exp(p_j/τ), computed after subtracting the largest p/τ so it cannot
 * overflow. `proportional`: s_i = p_i / Σ p_j. Non-negative and summing to 1 (up to one float rounding).
 */
export function emissionShares(prices: number[], opts?: EmissionShareOptions | null): number[] {
  const p = checkPrices('prices', prices);
  const o = readOptions(opts, 'emissionShares options', ['mode', 'temperature']);
  const mode = oneOf(orDefault(o.mode, 'softmax'), 'mode', ['softmax', 'proportional'] as const);
  const t = toFinite(orDefault(o.temperature, 1), 'temperature');
  if (mode === 'proportional') return normalise(p);
  if (t <= 0) throw new YumaError('E_RANGE', 'temperature must be positive');
  if (p.length === 0) return [];
  const z = p.map((x) => x / t);
  if (z.some((x) => !Number.isFinite(x))) {
    // p/τ overflows for a tiny τ: (p − max p)/τ does not (it is ≤ 0, and exp of −∞ is 0)
    const top = Math.max(...p);
    return normalise(p.map((x) => Math.exp((x - top) / t)));
  }
  const m = Math.max(...z);
  return normalise(z.map((x) => Math.exp(x - m)));
}

/** Options of `priceShares` (the chain's `get_shares` weighting). */
export interface PriceShareOptions {
  /** Share of last epoch's miner emission withheld (0…1, clipped at 1) per subnet; HEAD weights by 1 − it. */
  minerBurned?: number[];
  /** Subnets with TAO-side emission disabled get 0 and the rest is renormalised (HEAD). */
  enabled?: boolean[];
  /** Historical (2026-06-22 … 06-29 only): weight by root proportion too. */
  rootProportion?: number[];
}

/**
 * The chain's `get_shares`: s_i = ema_i / Σ ema; × (1 − min(burned_i, 1)) and renormalised, falling back
 * to the unweighted shares when every weight is 0; then disabled subnets are removed and renormalised.
 */
export function priceShares(movingPrices: number[], opts?: PriceShareOptions | null): number[] {
  const ema = checkPrices('movingPrices', movingPrices);
  const o = readOptions(opts, 'priceShares options', ['minerBurned', 'enabled', 'rootProportion']);
  const n = ema.length;
  const vec = (name: string, v: unknown): number[] | undefined => {
    if (v === undefined) return undefined;
    const a = checkPrices(name, v);
    if (a.length !== n) throw new YumaError('E_SHAPE', `${name} must have ${n} entries`);
    return a;
  };
  const burned = vec('minerBurned', o.minerBurned);
  const rp = vec('rootProportion', o.rootProportion);
  let s = normalise(ema);
  const w = s.map((x, i) => x * (rp ? rp[i]! : 1) * (burned ? 1 - Math.min(burned[i]!, 1) : 1));
  if (w.some((x) => x > 0)) s = normalise(w);
  if (o.enabled !== undefined) {
    const en = readList(o.enabled, 'enabled', MAX_SUBNETS).map((e, i) => toBool(e, `enabled[${i}]`));
    if (en.length !== n) throw new YumaError('E_SHAPE', `enabled must have ${n} entries`);
    if (en.some((e) => !e)) s = normalise(s.map((x, i) => (en[i] ? x : 0)));
  }
  return s;
}

/** The chain's moving-price defaults: α = 3e-6 and a slow start with halving 201 600 blocks. */
export const MOVING_ALPHA = 0.000003;
/** Blocks over which the moving price's α ramps up to half its value (the chain's `EMAPriceHalvingBlocks`, 201 600). */
export const EMA_PRICE_HALVING_BLOCKS = 201_600;

/**
 * Per-subnet EMA of min(spot price, 1) with the chain's slow start:
 * α_eff = α · b / (b + h), b = block − (firstEmissionBlock − 1).
 */
export class MovingPriceTracker {
  private readonly alpha: number;
  private readonly halving: number;
  private readonly ema: number[] = [];
  private readonly first: number[] = [];

  constructor(opts?: { alpha?: number; halvingBlocks?: number } | null) {
    const o = readOptions(opts, 'MovingPriceTracker options', ['alpha', 'halvingBlocks']);
    this.alpha = toNumberIn(orDefault(o.alpha, MOVING_ALPHA), 'alpha', 0, 1);
    this.halving = toNumberIn(orDefault(o.halvingBlocks, EMA_PRICE_HALVING_BLOCKS), 'halvingBlocks', 0, Number.MAX_VALUE);
  }

  /** Register a subnet whose first emission block (start_call + 1) is given; returns its index. */
  add(firstEmissionBlock: number, initialEma = 0): number {
    const first = toInt(firstEmissionBlock, 'firstEmissionBlock', 1, Number.MAX_SAFE_INTEGER);
    const ema = toNumberIn(initialEma, 'initialEma', 0, Number.MAX_VALUE);
    if (this.ema.length >= MAX_SUBNETS) throw new YumaError('E_LIMIT', `a tracker follows at most ${MAX_SUBNETS} subnets`);
    this.first.push(first);
    this.ema.push(ema);
    return this.ema.length - 1;
  }

  /** One block's update for every subnet (run after the coinbase, as the chain does). */
  update(block: number, spotPrices: number[]): void {
    const p = checkPrices('spotPrices', spotPrices);
    if (p.length !== this.ema.length) throw new YumaError('E_SHAPE', `need ${this.ema.length} spot prices`);
    block = toInt(block, 'block', 0, Number.MAX_SAFE_INTEGER);
    for (let i = 0; i < p.length; i++) {
      const b = block - (this.first[i]! - 1);
      if (b <= 0) continue;
      const a = (this.alpha * b) / (b + this.halving);
      this.ema[i] = a * Math.min(p[i]!, 1) + (1 - a) * this.ema[i]!;
    }
  }

  /** Each subnet's moving price (TAO per alpha, capped at 1), in the order added. */
  prices(): number[] {
    return [...this.ema];
  }

  /** Emission shares from the moving prices (`priceShares`). */
  shares(opts?: PriceShareOptions): number[] {
    return priceShares(this.ema, opts);
  }
}

/** FlowEmaSmoothingFactor / i64::MAX: 30-day half-life. */
export const FLOW_SMOOTHING = 29_597_889_189_277 / 9_223_372_036_854_775_807;

/**
 * The chain's `inplace_pow_normalize`: s_i = z_i^p / Σ z_j^p for z ≥ 0 (scaled by the max first so the
 * power cannot overflow).
 */
export function powNormalize(values: number[], p = 1): number[] {
  const z = checkPrices('values', values);
  if (toFinite(p, 'p') <= 0) throw new YumaError('E_RANGE', `exponent must be positive (got ${show(p)})`);
  const m = Math.max(0, ...z);
  if (m === 0) return z.map(() => 0);
  return normalise(z.map((x) => (x / m) ** p));
}

/**
 * TAO-flow shares: per-block user net flow (stakes + registration burns − unstakes) and protocol flow
 * (emission injected + chain buys) each go through an EMA; with net flow on, the protocol EMA is scaled
 * by norm = min(1, Σ max(user,0) / Σ max(protocol,0)) and subtracted; the result is offset by
 * L = max(cutoff, min(net, 0)), clipped at 0, raised to p and normalised.
 */
export class FlowTracker {
  private readonly a: number;
  private readonly p: number;
  private readonly cutoff: number;
  private readonly net: boolean;
  private userEma: number[];
  private protEma: number[];
  private user: number[];
  private prot: number[];

  constructor(n: number, opts?: { smoothing?: number; exponent?: number; cutoff?: number; netFlow?: boolean } | null) {
    n = toInt(n, 'n', 0, MAX_SUBNETS);
    const o = readOptions(opts, 'FlowTracker options', ['smoothing', 'exponent', 'cutoff', 'netFlow']);
    this.a = toNumberIn(orDefault(o.smoothing, FLOW_SMOOTHING), 'smoothing', 0, 1);
    this.p = toFinite(orDefault(o.exponent, 1), 'exponent');
    if (this.p <= 0) throw new YumaError('E_RANGE', `exponent must be positive (got ${show(this.p)})`);
    this.cutoff = toFinite(orDefault(o.cutoff, 0), 'cutoff');
    this.net = toBool(orDefault(o.netFlow, true), 'netFlow');
    this.userEma = Array(n).fill(0);
    this.protEma = Array(n).fill(0);
    this.user = Array(n).fill(0);
    this.prot = Array(n).fill(0);
  }

  private idx(i: unknown): number {
    const k = toInt(i, 'subnet index', 0, Number.MAX_SAFE_INTEGER);
    if (k >= this.user.length) throw new YumaError('E_RANGE', `subnet index ${k} out of range (${this.user.length} subnets)`);
    return k;
  }

  /** Signed user flow in rao this block (+stake, −unstake). */
  recordFlow(i: number, rao: bigint | number): void {
    const k = this.idx(i);
    this.user[k]! += signedRao(rao, 'rao');
  }

  /** Signed protocol flow in rao this block (+injection/chain buy, −root-claim sells). */
  recordProtocolFlow(i: number, rao: bigint | number): void {
    const k = this.idx(i);
    this.prot[k]! += signedRao(rao, 'rao');
  }

  /** Close the block: fold the accumulators into the EMAs and reset them. */
  endBlock(): void {
    const a = this.a;
    this.userEma = this.userEma.map((e, i) => (1 - a) * e + a * this.user[i]!);
    this.protEma = this.protEma.map((e, i) => (1 - a) * e + a * this.prot[i]!);
    this.user.fill(0);
    this.prot.fill(0);
  }

  /** Protocol normalisation factor used in the net-flow variant. */
  protocolNorm(): number {
    const su = this.userEma.reduce((s, x) => s + Math.max(x, 0), 0);
    const sp = this.protEma.reduce((s, x) => s + Math.max(x, 0), 0);
    return sp > 0 ? Math.min(1, su / sp) : 0;
  }

  /** Each subnet's smoothed flow (rao per block): user flow, less the normalised protocol flow with net flow on. */
  netFlows(): number[] {
    if (!this.net) return [...this.userEma];
    const norm = this.protocolNorm();
    return this.userEma.map((u, i) => {
      const pe = this.protEma[i]!;
      return u - (pe > 0 ? norm * pe : pe);
    });
  }

  /** Emission shares from the flows (offset, clipped at 0, raised to the exponent, normalised). */
  shares(): number[] {
    const net = this.netFlows();
    const L = Math.max(this.cutoff, Math.min(0, ...net));
    const z = net.map((x) => Math.max(x - L, 0));
    return z.length === 0 ? [] : powNormalize(z, this.p);
  }
}

/** A signed flow of rao: a bigint or finite number of magnitude at most u64 (a NaN would poison every EMA). */
function signedRao(v: unknown, field: string): number {
  if (typeof v === 'bigint') return v < 0n ? -Number(toU64(-v, field)) : Number(toU64(v, field));
  const x = toFinite(v, field);
  if (Math.abs(x) > 2 ** 64) throw new YumaError('E_RANGE', `${field} exceeds u64 in magnitude (got ${show(x)})`);
  return x;
}
