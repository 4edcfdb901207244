/**
 * The block model's eras. One `Chain` runs HEAD's block (subtensor 14bc6f9f, the default) or, for simulations, an
 * older or a designed one whose rules differ in a few places — each of them implemented once, where it lives:
 *
 * | rule                  | `head` (default)                          | `launch` (dTAO, 2025-02)               | `seed` (the seed document)              |
 * |-----------------------|-------------------------------------------|----------------------------------------|-----------------------------------------|
 * | emission shares       | EMA price × (1 − MinerBurned)             | EMA price                              | softmax of spot prices (`emissionShares`) |
 * | pool                  | Balancer, fee 33/65535 to the author      | constant product, flat 50 000-rao fee kept in the pool (`Pool` preset `launch`) | fee-less constant product (`Pool` preset `seed`) |
 * | alpha injection       | TAO/price, capped at root prop. × α emission, excess TAO buys alpha, pool re-weighted | TAO/price capped at the α emission, all TAO injected | TAO/price, no cap |
 * | alpha out             | owner cut, root alpha (kept or recycled), 50/50 | as HEAD                          | owner 18 %, miners 41 %, validators 41 %, no root (`splitAlphaOut`) |
 * | epoch schedule        | `LastEpochBlock` + tempo, ≤ MaxEpochsPerBlock | every tempo + 1 blocks, staggered by netuid | as launch |
 * | minimum stake         | 0.002 TAO                                 | 0.0005 TAO                             | none                                    |
 *
 * Everything else (issuance and halving, the epoch, `distribute_emission`, share pools, registration) is HEAD's in
 * every era. Deliberately left out of `launch`: selling root alpha for TAO each block (root dividends are kept as
 * alpha, as at HEAD), the dividend-based unstake fee (the flat fee is charged both ways) and the later I110F18
 * rounding of the constant product (the pool rounds exactly, in its own favour).
 */
import { YumaError } from '../errors.js';
import { emissionShares } from '../dtao/shares.js';
import { LAUNCH_POOL, Pool, SEED_POOL } from '../dtao/pool.js';
import { splitAlphaOut } from '../dtao/coinbase.js';
import { U64F64, toF64 } from '../fixed/substrate-fixed.js';
import { type SwapError, type SwapResult, currentPrice } from '../dtao/balancer.js';
import type { ChainState, ChainSubnet } from './state.js';
import { U64_MAX } from '../units.js';

export const ERAS = Object.freeze(['head', 'launch', 'seed'] as const);
export type Era = (typeof ERAS)[number];
export const SHARE_RULES = Object.freeze(['moving-price', 'proportional', 'softmax'] as const);
export type ShareRule = (typeof SHARE_RULES)[number];

/** Which block a chain runs; absent from a state (as in every real chain dump) means HEAD's. */
export interface ChainRules {
  era: Era;
  /** How the block emission is shared: the era's EMA-price rule (`moving-price`), or by spot price. */
  shares: ShareRule;
  /** Softmax temperature (τ > 0). */
  temperature: number;
}

export const HEAD_RULES: Readonly<ChainRules> = Object.freeze({ era: 'head', shares: 'moving-price', temperature: 1 });

/** The rules of an era with its own share rule (seed: softmax; head, launch: the EMA price). */
export function eraRules(era: Era, fields: Partial<Omit<ChainRules, 'era'>> = {}): ChainRules {
  if (!ERAS.includes(era)) throw new YumaError('E_ARG', `unknown era ${JSON.stringify(era)} (known: ${ERAS.join(', ')})`);
  const r: ChainRules = { era, shares: era === 'seed' ? 'softmax' : 'moving-price', temperature: 1, ...fields };
  if (!SHARE_RULES.includes(r.shares)) throw new YumaError('E_ARG', `unknown share rule ${JSON.stringify(r.shares)} (known: ${SHARE_RULES.join(', ')})`);
  if (typeof r.temperature !== 'number' || !(r.temperature > 0) || !Number.isFinite(r.temperature)) throw new YumaError('E_RANGE', 'temperature must be a positive number');
  return r;
}

export const rulesOf = (s: ChainState): ChainRules => s.rules ?? HEAD_RULES;
export const isHead = (s: ChainState): boolean => s.rules === undefined || s.rules.era === 'head';

/** `DefaultMinStake` of the era (rao). */
export const minStakeOf = (s: ChainState): bigint => {
  const era = rulesOf(s).era;
  return era === 'head' ? 2_000_000n : era === 'launch' ? (LAUNCH_POOL.minStake ?? 0n) : 0n;
};

/** Shares of the spot prices (TAO per alpha) as U64F64 bits, for the `proportional` and `softmax` rules. */
export function spotPriceShares(s: ChainState, emit: readonly number[]): Map<number, bigint> {
  const r = rulesOf(s);
  const prices = emit.map((n) => toF64(U64F64, currentPrice(s.subnets.get(n)!)));
  const shares = emissionShares(prices, { mode: r.shares === 'proportional' ? 'proportional' : 'softmax', temperature: r.temperature });
  const ONE = 2 ** 64;
  return new Map(emit.map((n, i) => [n, BigInt(Math.floor(shares[i] * ONE))]));
}

/** The pre-2026-06-25 schedule of `launch` and `seed`: an epoch when (block + netuid + 1) mod (tempo + 1) = 0. */
export function legacyEpochDue(netuid: number, tempo: number, block: bigint): boolean {
  if (tempo === 0) return false;
  return (block + BigInt(netuid) + 1n) % BigInt(tempo + 1) === 0n;
}

/** `blocks_until_next_epoch` of the pre-2026-06-25 schedule (u64::MAX for tempo 0). */
export function blocksUntilNextEpochLegacy(netuid: number, tempo: number, block: bigint): bigint {
  if (tempo === 0) return U64_MAX;
  return BigInt(tempo) - ((block + BigInt(netuid) + 1n) % BigInt(tempo + 1));
}

/**
 * A constant-product swap for the `launch` and `seed` eras through the library's `Pool` (presets `launch` and
 * `seed`, whose rules these are) on the subnet's reserves, in the swap pallet's result shape: what enters the
 * input reserve (`amountPaidIn`, the launch fee included: it stays in the pool), what leaves the other
 * (`amountPaidOut`), no fee to an author. A limit order fills up to its price. The reserves are not changed here.
 */
export function constantProductSwap(s: ChainState, sn: ChainSubnet, buy: boolean, amount: bigint, limitRao: bigint | null, dropFees: boolean): SwapResult | SwapError {
  if (amount === 0n) return { amountPaidIn: 0n, amountPaidOut: 0n, feePaid: 0n, feeToBlockAuthor: 0n };
  if (sn.subnetTao === 0n || sn.subnetAlphaIn === 0n) return 'InsufficientLiquidity';
  const pool = Pool.genesis({ ...(rulesOf(s).era === 'launch' ? LAUNCH_POOL : SEED_POOL), tao: sn.subnetTao, alpha: sn.subnetAlphaIn });
  const opts = { dropFees, ...(limitRao === null ? {} : { limitPrice: limitRao, allowPartial: true }) };
  try {
    if (buy) {
      const r = pool.quoteStake(amount, opts);
      return { amountPaidIn: r.taoToPool, amountPaidOut: r.alphaOut, feePaid: 0n, feeToBlockAuthor: 0n };
    }
    const r = pool.quoteUnstake(amount, opts);
    return { amountPaidIn: r.alphaToPool, amountPaidOut: r.taoOut, feePaid: 0n, feeToBlockAuthor: 0n };
  } catch (e) {
    if (!(e instanceof YumaError)) throw e;
    return e.code === 'E_SLIPPAGE' ? 'PriceLimitExceeded' : e.code === 'E_RESERVE' ? 'ReservesTooLow' : 'InsufficientLiquidity';
  }
}

/** The seed model's alpha-out split of one block: owner cut, then miners and validators half each (no root). */
export function seedAlphaOut(alphaOut: bigint, ownerCut: number): { owner: bigint; server: bigint; validator: bigint } {
  const p = splitAlphaOut(alphaOut, { ownerCut });
  return { owner: p.owner, server: p.server, validator: p.validator };
}
