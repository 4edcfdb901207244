/**
 * The chain's swap pallet at 14bc6f9f: a weighted (Balancer) pool per subnet, to the rao. Reserves are the
 * subnet's `SubnetTAO` (quote) and `SubnetAlphaIn` (base); the quote weight is a Perquintill. Prices are U64F64,
 * exponents go through safe-bigmath's `pow_ratio_scaled` exactly as the pallet calls it, and `doSwap` follows
 * `do_swap` → `swap_inner` → `BasicSwapStep` check for check, including which errors roll the lazy
 * initialisation back and which keep it.
 */
import { safePowRatioScaled } from './bigmath.js';
import { U64F64, divChecked, fromInt, mulSat, satSub, toU64Sat } from '../fixed/substrate-fixed.js';
import { U128_MAX, U64_MAX } from '../units.js';

export const PERQUINTILL = 1_000_000_000_000_000_000n;
export const MIN_WEIGHT_PARTS = PERQUINTILL / 100n;
export const HALF_PARTS = PERQUINTILL / 2n;
/** `MAX_SWAP_INPUT_RESERVE_MULTIPLIER`. */
export const MAX_INPUT_MULTIPLE = 1000n;
/** The pallet's price bounds in rao per alpha (1e-6 … 1e6 TAO/alpha). */
export const MIN_PRICE_RAO = 1_000n;
export const MAX_PRICE_RAO = 1_000_000_000_000_000n;

const ONE_U64F64 = 1n << 64n;

/** What the swap reads and writes of a subnet. */
export interface SwapPoolState {
  mechanism: number;
  subnetTao: bigint;
  subnetAlphaIn: bigint;
  swapBalancerQuoteWeightParts: bigint;
  palSwapInitialized: boolean;
  feeRate: number;
}

export type SwapError = 'SwapInputTooLarge' | 'ReservesTooLow' | 'PriceLimitExceeded' | 'InsufficientLiquidity' | 'ReservesOutOfBalance';

export interface SwapResult {
  amountPaidIn: bigint;
  amountPaidOut: bigint;
  feePaid: bigint;
  feeToBlockAuthor: bigint;
}

const u64Sat = (v: bigint): bigint => (v < 0n ? 0n : v > U64_MAX ? U64_MAX : v);
const fx = (n: bigint): bigint => fromInt(U64F64, n);
const fxDiv = (a: bigint, b: bigint): bigint => divChecked(U64F64, a, b) ?? 0n;
/**
 * `U64F64(a) / U64F64(b)` (checked, 0 on failure) for integers a, b < 2^64: the same quotient as
 * `fxDiv(fx(a), fx(b))` (both sides scaled by 2^64 cancel), on numbers a quarter the size.
 */
const intRatio = (a: bigint, b: bigint): bigint => {
  if (b === 0n || a > U64_MAX || b > U64_MAX) return fxDiv(fx(a), fx(b));
  const q = (a << 64n) / b;
  return q > U64F64.max ? 0n : q;
};

/** Spot price (w1/w2)·(y/x) as U64F64 raw bits; 0 for an empty alpha reserve. */
export function balancerPrice(quoteParts: bigint, alphaReserve: bigint, taoReserve: bigint): bigint {
  if (alphaReserve === 0n) return 0n;
  const w1 = PERQUINTILL - quoteParts;
  return mulSat(U64F64, intRatio(w1, quoteParts), intRatio(taoReserve, alphaReserve));
}

/** `current_alpha_price` (U64F64 bits): Balancer spot for dynamic subnets, exactly 1 otherwise. */
export function currentPrice(p: SwapPoolState): bigint {
  if (p.mechanism !== 1) return ONE_U64F64;
  // a block reads a pool's price several times between swaps: the last (weight, reserves) → price is kept per pool
  const c = lastPrice.get(p);
  const w = p.swapBalancerQuoteWeightParts;
  const alpha = p.subnetAlphaIn;
  const tao = p.subnetTao;
  if (c !== undefined && c.w === w && c.alpha === alpha && c.tao === tao) return c.price;
  const price = balancerPrice(w, alpha, tao);
  if (c === undefined) lastPrice.set(p, { w, alpha, tao, price });
  else {
    c.w = w;
    c.alpha = alpha;
    c.tao = tao;
    c.price = price;
  }
  return price;
}
const lastPrice = new WeakMap<SwapPoolState, { w: bigint; alpha: bigint; tao: bigint; price: bigint }>();

/** `exp_scaled`: (x/(x+dx))^(wa/wb) as U64F64, capped at 1 for dx ≥ 0; 0 when x+dx = 0 or the power fails. */
function expScaled(quoteParts: bigint, x: bigint, dx: bigint, baseQuote: boolean): bigint {
  const xPlus = u64Sat(x + dx);
  if (xPlus === 0n) return 0n;
  const w1 = PERQUINTILL - quoteParts;
  const w2 = quoteParts;
  const r = baseQuote ? safePowRatioScaled(x, xPlus, w1, w2, 256, PERQUINTILL) : safePowRatioScaled(x, xPlus, w2, w1, 256, PERQUINTILL);
  if (r === null || r < 0n || r > U64_MAX) return 0n;
  const e = intRatio(r, PERQUINTILL);
  return dx >= 0n && e > ONE_U64F64 ? ONE_U64F64 : e;
}

/** Alpha out for `dy` TAO in (net of fee): ⌊x·(1 − (y/(y+dy))^(w2/w1))⌋. */
export function alphaOutForTao(p: SwapPoolState, dy: bigint): bigint {
  const e = expScaled(p.swapBalancerQuoteWeightParts, p.subnetTao, dy, false);
  return toU64Sat(U64F64, mulSat(U64F64, fx(p.subnetAlphaIn), satSub(U64F64, ONE_U64F64, e)));
}

/** TAO out for `dx` alpha in (net of fee): ⌊y·(1 − (x/(x+dx))^(w1/w2))⌋. */
export function taoOutForAlpha(p: SwapPoolState, dx: bigint): bigint {
  const e = expScaled(p.swapBalancerQuoteWeightParts, p.subnetAlphaIn, dx, true);
  return toU64Sat(U64F64, mulSat(U64F64, fx(p.subnetTao), satSub(U64F64, ONE_U64F64, e)));
}

/** Input that moves the price from `current` to `target` (`calculate_{quote,base}_delta_in`; prices U64F64). */
export function deltaInToPrice(quoteParts: bigint, current: bigint, target: bigint, reserve: bigint, buy: boolean): bigint {
  const w = buy ? PERQUINTILL - quoteParts : quoteParts;
  const r = buy
    ? safePowRatioScaled(target, current, w, PERQUINTILL, 1024, PERQUINTILL)
    : safePowRatioScaled(current, target, w, PERQUINTILL, 1024, PERQUINTILL);
  if (r === null) return 0n;
  const rf = r > U64_MAX ? fx(U64_MAX) : r < 0n ? 0n : fx(r);
  const factor = satSub(U64F64, fxDiv(rf, fx(PERQUINTILL)), ONE_U64F64);
  return toU64Sat(U64F64, mulSat(U64F64, fx(reserve), factor));
}

function mulPerquintillRound(parts: bigint, value: bigint): bigint {
  const r = (value * parts + PERQUINTILL / 2n) / PERQUINTILL;
  return r > U128_MAX ? U128_MAX : r;
}

/**
 * `update_weights_for_added_liquidity`: the new quote weight that keeps the spot price when (Δtao, Δalpha) is
 * added, floored to a Perquintill; null when it would leave [0.01, 0.99] (the chain then injects nothing).
 */
export function weightsForAddedLiquidity(quoteParts: bigint, tao: bigint, alpha: bigint, dTao: bigint, dAlpha: bigint): bigint | null {
  const q1 = mulPerquintillRound(PERQUINTILL - quoteParts, tao * (alpha + dAlpha));
  const q2 = mulPerquintillRound(quoteParts, alpha * (tao + dTao));
  let qSum = q1 + q2;
  if (qSum > U128_MAX) qSum = U128_MAX;
  const w = qSum !== 0n ? (q2 >= qSum ? PERQUINTILL : (q2 * PERQUINTILL) / qSum) : HALF_PARTS;
  return weightInRange(w) ? w : null;
}

export const weightInRange = (w: bigint): boolean => w >= MIN_WEIGHT_PARTS && PERQUINTILL - w >= MIN_WEIGHT_PARTS;

/** `calculate_fee_amount`: ⌊amount · FeeRate/65535⌋ in U64F64 on dynamic subnets, 0 otherwise or when dropped. */
export function feeAmount(p: SwapPoolState, amount: bigint, dropFees: boolean): bigint {
  if (dropFees || p.mechanism !== 1) return 0n;
  const rate = intRatio(BigInt(p.feeRate), 65535n);
  return toU64Sat(U64F64, mulSat(U64F64, fx(amount), rate));
}

/** A rao limit price (price × 1e9, as extrinsics take it) as the U64F64 the pallet compares against. */
export function limitPriceFromRao(rao: bigint): bigint {
  // every excess-TAO buy of every block asks it of the same maximum price: the last conversion is kept
  if (rao !== lastLimit.rao) lastLimit = { rao, price: intRatio(rao, 1_000_000_000n) };
  return lastLimit.price;
}
let lastLimit = { rao: -1n, price: 0n };

/**
 * `do_swap` on a dynamic subnet's pool (`buy`: TAO in, alpha out). Returns the result or the pallet's error; the
 * reserves themselves are moved by the caller (`swapTaoForAlpha` / `swapAlphaForTao`). The lazy 0.5 weight
 * initialisation is kept on success and on `InsufficientLiquidity` (the pallet commits that error), rolled back
 * on every other error.
 */
export function doSwap(
  p: SwapPoolState,
  buy: boolean,
  amount: bigint,
  limitPrice: bigint,
  dropFees: boolean,
  minimumReserve: bigint,
  simulate = false,
): SwapResult | SwapError {
  const reserveIn = buy ? p.subnetTao : p.subnetAlphaIn;
  const reserveOut = buy ? p.subnetAlphaIn : p.subnetTao;
  const net = amount - feeAmount(p, amount, dropFees);
  if (net > u64Sat(reserveIn * MAX_INPUT_MULTIPLE)) return 'SwapInputTooLarge';
  if (reserveOut < minimumReserve) return 'ReservesTooLow';
  const saved = { w: p.swapBalancerQuoteWeightParts, init: p.palSwapInitialized };
  if (!p.palSwapInitialized) {
    p.swapBalancerQuoteWeightParts = HALF_PARTS;
    p.palSwapInitialized = true;
  }
  const rollback = (e: SwapError): SwapError => {
    p.swapBalancerQuoteWeightParts = saved.w;
    p.palSwapInitialized = saved.init;
    return e;
  };
  const current = currentPrice(p);
  if (buy ? !(current < limitPrice) : !(current > limitPrice)) return rollback('PriceLimitExceeded');

  // BasicSwapStep
  let fee = feeAmount(p, amount, dropFees);
  const requested = amount - fee;
  const out = (d: bigint): bigint => (buy ? alphaOutForTao(p, d) : taoOutForAlpha(p, d));
  const dOut = out(requested);
  const target = buy
    ? balancerPrice(p.swapBalancerQuoteWeightParts, u64Sat(p.subnetAlphaIn - dOut), u64Sat(p.subnetTao + requested))
    : balancerPrice(p.swapBalancerQuoteWeightParts, u64Sat(p.subnetAlphaIn + requested), u64Sat(p.subnetTao - dOut));
  let deltaIn: bigint;
  if (buy ? target <= limitPrice : target >= limitPrice) {
    deltaIn = requested;
  } else {
    deltaIn = deltaInToPrice(p.swapBalancerQuoteWeightParts, current, limitPrice, reserveIn, buy);
    const rate = dropFees ? 0n : fx(BigInt(p.feeRate));
    fee = toU64Sat(U64F64, mulSat(U64F64, fx(deltaIn), fxDiv(rate, satSub(U64F64, fx(65535n), rate))));
  }
  const deltaOut = deltaIn === requested ? dOut : out(deltaIn);
  let feeToAuthor = 0n;
  if (deltaIn !== 0n) {
    if (deltaOut === 0n) return rollback('ReservesTooLow');
    feeToAuthor = fee;
  }
  const result: SwapResult = { amountPaidIn: deltaIn, amountPaidOut: deltaOut, feePaid: fee, feeToBlockAuthor: feeToAuthor };
  if (simulate) {
    rollback('ReservesTooLow');
    return result;
  }
  if (reserveOut < deltaOut) return 'InsufficientLiquidity';
  return result;
}
