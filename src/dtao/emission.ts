/**
 * TAO (and per-subnet alpha) block emission as a function of issuance, the halving schedule it implies,
 * and projections of halving dates with and without recycling.
 */
import { YumaError } from '../errors.js';
import { RAO, TOTAL_SUPPLY } from '../units.js';
import { blockEmissionForIssuance } from '../fixed/substrate-fixed.js';
import { guard, orDefault, readOptions } from '../validation/read.js';
import { toAmount, toFinite, toInt } from '../validation/values.js';

const SCHEDULE_KEYS = ['issuance', 'recycledPerBlock', 'blocks', 'startBlock'] as const;
const PROJECTION_KEYS = [...SCHEDULE_KEYS, 'startDate', 'blockSeconds'] as const;
const getTime = Date.prototype.getTime;

/** The schedule options, checked (a plain object read once). */
function readSchedule(opts: unknown, where: string, keys: readonly string[] = SCHEDULE_KEYS) {
  const o = readOptions(opts, where, keys, true) as Record<string, unknown>;
  const issuance = toAmount(o.issuance, 'issuance', true);
  if (issuance > TOTAL_SUPPLY) throw new YumaError('E_RANGE', 'issuance above the 21M TAO cap');
  return {
    issuance,
    recycledPerBlock: toAmount(orDefault(o.recycledPerBlock, 0n), 'recycledPerBlock', true),
    startBlock: toInt(orDefault(o.startBlock, 0), 'startBlock', 0, Number.MAX_SAFE_INTEGER),
    blocks: o.blocks === undefined ? Infinity : toInt(o.blocks, 'blocks', 0, Number.MAX_SAFE_INTEGER),
    rest: o,
  };
}

/** Seconds per block (12). */
export const BLOCK_SECONDS = 12;
/** Blocks per day at 12 s a block (7200). */
export const BLOCKS_PER_DAY = 7200;
/** Emission per block before any halving (1 TAO / 1 alpha). */
export const DEFAULT_BLOCK_EMISSION = RAO;

/**
 * Chain-exact `get_block_emission_for_issuance`: emission = ⌊1e9 / 2^k⌋ with
 * k = ⌊log2(1 / (1 − I / 21e15))⌋ evaluated in I96F32 with substrate-fixed's `log2`; 0 at or past 21M TAO.
 * The same function gives a subnet's alpha emission from its alpha issuance (`alphaBlockEmission`). This is the
 * block model's own rule (`blockEmissionForIssuance`, which `Chain` runs every block), with the input checked.
 */
export function blockEmission(issuance: bigint): bigint {
  toAmount(issuance, 'issuance', true);
  return blockEmissionForIssuance(issuance, TOTAL_SUPPLY, DEFAULT_BLOCK_EMISSION) ?? 0n;
}

/** Alpha emission per block of a subnet whose alpha issuance (AlphaIn + AlphaOut) is given. */
export const alphaBlockEmission = (alphaIssuance: bigint): bigint => blockEmission(alphaIssuance);

/**
 * Smallest issuance at which emission drops below `blockEmission(issuance)`, or null if none (already 0).
 * Emission is non-increasing in issuance, so a binary search over the exact function finds the boundary
 * the fixed-point log2 actually uses (a few rao away from 21e15·(1 − 2^−k) at most).
 */
export function nextHalvingIssuance(issuance: bigint): bigint | null {
  const e = blockEmission(issuance);
  if (e === 0n) return null;
  let lo = issuance; // emission(lo) === e
  let hi = TOTAL_SUPPLY; // emission(hi) === 0 < e
  while (hi - lo > 1n) {
    const mid = (lo + hi) / 2n;
    if (blockEmission(mid) === e) lo = mid;
    else hi = mid;
  }
  return hi;
}

/** Largest issuance below which emission is higher than at `issuance` (the previous boundary), or null. */
function previousHalvingIssuance(issuance: bigint): bigint | null {
  const e = blockEmission(issuance);
  if (issuance === 0n || blockEmission(0n) === e) return null;
  let lo = 0n; // emission(lo) > e
  let hi = issuance; // emission(hi) === e
  while (hi - lo > 1n) {
    const mid = (lo + hi) / 2n;
    if (blockEmission(mid) === e) hi = mid;
    else lo = mid;
  }
  return lo; // first issuance (going down) with a higher emission
}

/** Options of `halvingSchedule`, `projectHalvings` and `compareRecycling`. */
export interface HalvingScheduleOptions {
  /** Issuance (rao) at block `startBlock`. */
  issuance: bigint;
  /** TAO recycled per block (lowers issuance, so delays halvings); default 0. */
  recycledPerBlock?: bigint;
  /** Horizon in blocks from the start; default: until emission reaches 0 or stops changing. */
  blocks?: number;
  /** Block number of the start; default 0. */
  startBlock?: number;
}

/** One era of the emission schedule: where it starts and what each block emits in it. */
export interface ScheduleEntry {
  /** First block mined at this emission. */
  block: number;
  /** Emission per block (rao) from this block on. */
  emission: bigint;
  /** Issuance at the start of `block`. */
  issuance: bigint;
}

/**
 * One entry for the start and one per emission change (i.e. per halving; with recycling above the
 * current emission, issuance falls and emission steps back up). The list stops at the horizon, at 0
 * emission, or at an equilibrium where recycling exceeds emission just past a boundary (issuance then
 * oscillates around it and emission alternates every block; not listed). Per block the chain mints `min(emission, 21e15 − issuance)` and then recycles,
 * so issuance moves by `emission − recycled` per block (never below 0); eras are jumped, not iterated,
 * so the whole 21M schedule costs a few hundred exact evaluations.
 */
export function halvingSchedule(opts: HalvingScheduleOptions): ScheduleEntry[] {
  return schedule(readSchedule(opts, 'halvingSchedule options'));
}

function schedule(o: { issuance: bigint; recycledPerBlock: bigint; startBlock: number; blocks: number }): ScheduleEntry[] {
  let issuance = o.issuance;
  const recycled = o.recycledPerBlock;
  const start = o.startBlock;
  const horizon = o.blocks;
  let block = 0; // relative
  let emission = blockEmission(issuance);
  const out: ScheduleEntry[] = [{ block: start, emission, issuance }];
  let lastDirection = 0n;
  for (let round = 0; round < 10_000; round++) {
    const delta = emission - recycled; // net issuance change per block (before the cap)
    // once recycling outweighs emission right after a halving (or the reverse), issuance just
    // oscillates around that boundary every block: the schedule has reached its equilibrium
    const direction = delta > 0n ? 1n : delta < 0n ? -1n : 0n;
    if (lastDirection !== 0n && direction !== lastDirection) break;
    lastDirection = direction;
    let target: bigint | null;
    let steps: bigint;
    if (delta > 0n) {
      target = nextHalvingIssuance(issuance);
      if (target === null) break;
      steps = (target - issuance + delta - 1n) / delta;
    } else if (delta < 0n) {
      if (issuance === 0n) break;
      target = previousHalvingIssuance(issuance);
      steps = target === null ? (issuance + -delta - 1n) / -delta : (issuance - target + -delta - 1n) / -delta;
      if (target === null) {
        // issuance drains to 0 without an emission change: nothing more to report
        break;
      }
    } else break;
    if (block + Number(steps) > horizon) break;
    block += Number(steps);
    issuance += delta * steps;
    if (issuance < 0n) issuance = 0n;
    if (issuance > TOTAL_SUPPLY) issuance = TOTAL_SUPPLY;
    emission = blockEmission(issuance);
    out.push({ block: start + block, emission, issuance });
  }
  return out;
}

/** A schedule entry with its halving number and an estimated date. */
export interface HalvingProjection extends ScheduleEntry {
  /** Number of halvings since issuance 0 (log2 of 1 TAO / emission). */
  halving: number;
  /** Wall-clock estimate at 12 s per block from `startDate`. */
  date: Date;
}

/** Halving blocks with estimated dates. */
export function projectHalvings(
  opts: HalvingScheduleOptions & { startDate?: Date; blockSeconds?: number },
): HalvingProjection[] {
  const o = readSchedule(opts, 'projectHalvings options', PROJECTION_KEYS);
  const startDate = orDefault(o.rest.startDate, new Date());
  // Date's own getTime (a subclass or a look-alike cannot answer for it; a non-Date throws, read as E_ARG)
  const t0 = guard('startDate', () => getTime.call(startDate) as number);
  if (Number.isNaN(t0)) throw new YumaError('E_ARG', 'startDate must be a valid Date');
  const secs = toFinite(orDefault(o.rest.blockSeconds, BLOCK_SECONDS), 'blockSeconds');
  if (secs <= 0) throw new YumaError('E_RANGE', 'blockSeconds must be positive');
  const start = o.startBlock;
  return schedule(o).map((e) => ({
    ...e,
    halving: e.emission === 0n ? Infinity : Math.round(Math.log2(Number(DEFAULT_BLOCK_EMISSION) / Number(e.emission))),
    date: new Date(t0 + (e.block - start) * secs * 1000),
  }));
}

/** When one emission level starts, without and with recycling. */
export interface RecyclingComparison {
  /** Emission per block (rao) of the era. */
  emission: bigint;
  /** Block where this emission starts without recycling (null: not reached within the horizon). */
  blockWithout: number | null;
  /** Block where it starts with the given recycling (null: not reached within the horizon). */
  blockWith: number | null;
  /** How much later recycling makes it (null if either is not reached). */
  delayBlocks: number | null;
  /** The same delay in days of 7200 blocks. */
  delayDays: number | null;
}

/** Side-by-side halving blocks without and with a recycling rate: recycling lowers issuance and delays each halving. */
export function compareRecycling(opts: HalvingScheduleOptions): RecyclingComparison[] {
  const o = readSchedule(opts, 'compareRecycling options');
  const without = schedule({ ...o, recycledPerBlock: 0n });
  const withR = schedule(o);
  const seen = new Map<bigint, number>();
  for (const e of withR) if (!seen.has(e.emission)) seen.set(e.emission, e.block);
  return without.slice(1).map((e) => {
    const w = seen.get(e.emission) ?? null;
    const delay = w === null ? null : w - e.block;
    return {
      emission: e.emission,
      blockWithout: e.block,
      blockWith: w,
      delayBlocks: delay,
      delayDays: delay === null ? null : delay / BLOCKS_PER_DAY,
    };
  });
}
