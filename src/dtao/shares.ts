/**
 * How a block's TAO emission is shared across subnets: a softmax, plain proportional,
 * the chain's EMA-price shares (launch and HEAD) and the chain's TAO-flow shares (2025-11 … 2026-06).
 * Shares are plain numbers (the chain uses U64F64; the TAO amounts derived from them are floored).
 */
import { YumaError } from '../errors.js';
import { checkArray, checkFinite } from './validate.js';

function checkPrices(name: string, v: unknown): number[] {
  const a = checkArray(name, v) as unknown[];
  return a.map((p, i) => {
    const x = checkFinite(`${name}[${i}]`, p);
    if (x < 0) throw new YumaError('E_RANGE', `${name}[${i}] must not be negative`);
    return x;
  });
}

/** Divide by the sum; all-zero input gives all-zero shares (the chain then emits nothing). */
function normalise(w: number[]): number[] {
  const sum = w.reduce((a, b) => a + b, 0);
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
export function emissionShares(prices: number[], opts: EmissionShareOptions = {}): number[] {
  const p = checkPrices('prices', prices);
  const mode = opts.mode ?? 'softmax';
  if (mode === 'proportional') return normalise(p);
  if (mode !== 'softmax') throw new YumaError('E_ARG', `unknown share mode '${String(mode)}'`);
  const t = checkFinite('temperature', opts.temperature ?? 1);
  if (t <= 0) throw new YumaError('E_RANGE', 'temperature must be positive');
  if (p.length === 0) return [];
  const z = p.map((x) => x / t);
  if (z.some((x) => !Number.isFinite(x))) throw new YumaError('E_NAN', 'price / temperature overflows');
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
export function priceShares(movingPrices: number[], opts: PriceShareOptions = {}): number[] {
  const ema = checkPrices('movingPrices', movingPrices);
  const n = ema.length;
  const vec = (name: string, v: unknown): number[] | undefined => {
    if (v === undefined) return undefined;
    const a = checkPrices(name, v);
    if (a.length !== n) throw new YumaError('E_SHAPE', `${name} must have ${n} entries`);
    return a;
  };
  const burned = vec('minerBurned', opts.minerBurned);
  const rp = vec('rootProportion', opts.rootProportion);
  let s = normalise(ema);
  const w = s.map((x, i) => x * (rp ? rp[i]! : 1) * (burned ? 1 - Math.min(burned[i]!, 1) : 1));
  if (w.some((x) => x > 0)) s = normalise(w);
  if (opts.enabled !== undefined) {
    const en = checkArray('enabled', opts.enabled);
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

  constructor(opts: { alpha?: number; halvingBlocks?: number } = {}) {
    this.alpha = checkFinite('alpha', opts.alpha ?? MOVING_ALPHA);
    this.halving = checkFinite('halvingBlocks', opts.halvingBlocks ?? EMA_PRICE_HALVING_BLOCKS);
    if (this.alpha < 0 || this.alpha > 1) throw new YumaError('E_RANGE', 'alpha must be in [0, 1]');
    if (this.halving < 0) throw new YumaError('E_RANGE', 'halvingBlocks must not be negative');
  }

  /** Register a subnet whose first emission block (start_call + 1) is given; returns its index. */
  add(firstEmissionBlock: number, initialEma = 0): number {
    checkFinite('firstEmissionBlock', firstEmissionBlock);
    if (!Number.isInteger(firstEmissionBlock) || firstEmissionBlock < 1) throw new YumaError('E_RANGE', 'firstEmissionBlock must be an integer ≥ 1');
    this.first.push(firstEmissionBlock);
    this.ema.push(checkFinite('initialEma', initialEma));
    return this.ema.length - 1;
  }

  /** One block's update for every subnet (run after the coinbase, as the chain does). */
  update(block: number, spotPrices: number[]): void {
    const p = checkPrices('spotPrices', spotPrices);
    if (p.length !== this.ema.length) throw new YumaError('E_SHAPE', `need ${this.ema.length} spot prices`);
    checkFinite('block', block);
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
  checkFinite('p', p);
  if (p <= 0) throw new YumaError('E_RANGE', 'exponent must be positive');
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

  constructor(n: number, opts: { smoothing?: number; exponent?: number; cutoff?: number; netFlow?: boolean } = {}) {
    checkFinite('n', n);
    if (!Number.isInteger(n) || n < 0) throw new YumaError('E_RANGE', 'n must be a non-negative integer');
    this.a = checkFinite('smoothing', opts.smoothing ?? FLOW_SMOOTHING);
    if (this.a < 0 || this.a > 1) throw new YumaError('E_RANGE', 'smoothing must be in [0, 1]');
    this.p = checkFinite('exponent', opts.exponent ?? 1);
    this.cutoff = checkFinite('cutoff', opts.cutoff ?? 0);
    this.net = opts.netFlow ?? true;
    this.userEma = Array(n).fill(0);
    this.protEma = Array(n).fill(0);
    this.user = Array(n).fill(0);
    this.prot = Array(n).fill(0);
  }

  private idx(i: number): number {
    if (!Number.isInteger(i) || i < 0 || i >= this.user.length) throw new YumaError('E_RANGE', `subnet index ${i} out of range`);
    return i;
  }

  /** Signed user flow in rao this block (+stake, −unstake). */
  recordFlow(i: number, rao: bigint | number): void {
    this.user[this.idx(i)]! += Number(rao);
  }

  /** Signed protocol flow in rao this block (+injection/chain buy, −root-claim sells). */
  recordProtocolFlow(i: number, rao: bigint | number): void {
    this.prot[this.idx(i)]! += Number(rao);
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
