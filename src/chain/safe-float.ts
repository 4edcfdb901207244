/**
 * The chain's stake share pools (`primitives/share-pool` at subtensor 14bc6f9f): `SafeFloat` numbers (a u128
 * mantissa normalised into (1e20, 1e21] and a decimal exponent) and the pool operations that credit stake to one
 * coldkey (`update_value_for_one`) or to every nominator of a hotkey at once (`update_value_for_all`).
 * Every division floors exactly as the crate's U256 arithmetic does, so one rao in moves the same shares.
 */
import { U64_MAX } from '../units.js';

export interface SafeFloat {
  readonly mantissa: bigint;
  readonly exponent: number;
}

const MAX_MANTISSA = 10n ** 21n;
const MIN_MANTISSA = MAX_MANTISSA / 10n;
const MAX_EXP = 21;
const I64_MAX = 2 ** 63; // exponents stay tiny in practice; guard the crate's checked i64 arithmetic anyway

export const SF_ZERO: SafeFloat = Object.freeze({ mantissa: 0n, exponent: 0 });

// Maps inside a state's entries (a pool's shares, a hotkey's childkey takes) are read through this realm's Map
// methods, never their own: a `get` set on the map itself, or a subclass's, would answer the block what the state's
// check (which walks the entries with this realm's forEach) never saw.
const mapGet = Map.prototype.get;
const mapHas = Map.prototype.has;
const mapSet = Map.prototype.set;
const mapDelete = Map.prototype.delete;
const mapForEach = Map.prototype.forEach;
const mapSizeOf = Object.getOwnPropertyDescriptor(Map.prototype, 'size')!.get!;
/** `m.get(k)` by this realm's Map method. */
export const entryOf = <K, V>(m: ReadonlyMap<K, V>, k: K): V | undefined => mapGet.call(m, k) as V | undefined;
/** `m.has(k)` by this realm's Map method. */
export const hasEntry = <K>(m: ReadonlyMap<K, unknown>, k: K): boolean => mapHas.call(m, k);
/** `m.set(k, v)` by this realm's Map method. */
export const setEntry = <K, V>(m: Map<K, V>, k: K, v: V): void => void mapSet.call(m, k, v);
/** `m.size` by this realm's Map getter. */
export const entryCount = (m: ReadonlyMap<unknown, unknown>): number => mapSizeOf.call(m) as number;
/** `new Map(m)` by this realm's forEach. */
export function copyEntries<K, V>(m: ReadonlyMap<K, V>): Map<K, V> {
  const out = new Map<K, V>();
  mapForEach.call(m, (v: V, k: K) => void out.set(k, v));
  return out;
}

/** 10^e, capped at 1e22 past e = 22 as the crate's `cappow10` does. */
function capPow10(e: number): bigint {
  if (e > MAX_EXP + 1) return MAX_MANTISSA * 10n;
  return POW10[e];
}

/** 10^k for the steps `normalize` takes at once. */
const POW10: readonly bigint[] = Array.from({ length: 65 }, (_, k) => 10n ** BigInt(k));
/** ⌊m / 10^k⌋ ≤ MAX_MANTISSA exactly when m ≤ DIV_BOUND[k]. */
const DIV_BOUND: readonly bigint[] = POW10.map((p) => (MAX_MANTISSA + 1n) * p - 1n);
/** m · 10^k > MIN_MANTISSA exactly when m > MUL_BOUND[k] (k ≤ 21: a mantissa of 1 needs 21 steps). */
const MUL_BOUND: readonly bigint[] = POW10.slice(0, 22).map((p) => MIN_MANTISSA / p);

function normalize(m: bigint, e: number): SafeFloat | null {
  if (m === 0n) return SF_ZERO;
  // the crate divides (floors) or multiplies by 10 one step at a time until the mantissa is in (1e20, 1e21]; floors
  // compose, so the number of steps is found first (the smallest that gets there) and taken as one power of ten
  if (m > MAX_MANTISSA) {
    let k = 1;
    while (k < DIV_BOUND.length - 1 && m > DIV_BOUND[k]) k++;
    m /= POW10[k];
    e += k;
    // past the table (a mantissa above 1e85, which no operation here makes) the rest one step at a time
    while (m > MAX_MANTISSA) {
      m /= 10n;
      e += 1;
    }
  }
  if (m <= MIN_MANTISSA) {
    let k = 1;
    while (m <= MUL_BOUND[k]) k++;
    m *= POW10[k];
    e -= k;
  }
  if (Math.abs(e) >= I64_MAX) return null;
  return { mantissa: m, exponent: e };
}

export function sfNew(mantissa: bigint, exponent = 0): SafeFloat | null {
  if (mantissa > MAX_MANTISSA || mantissa < 0n) return null;
  return normalize(mantissa, exponent);
}

export const sfFromU64 = (v: bigint): SafeFloat => sfNew(v, 0) ?? SF_ZERO;
export const sfIsZero = (a: SafeFloat): boolean => a.mantissa === 0n;

export function sfAdd(a: SafeFloat, b: SafeFloat): SafeFloat | null {
  if (sfIsZero(a)) return b;
  if (sfIsZero(b)) return a;
  if (a.exponent >= b.exponent) return normalize(a.mantissa + b.mantissa / capPow10(a.exponent - b.exponent), a.exponent);
  return normalize(a.mantissa / capPow10(b.exponent - a.exponent) + b.mantissa, b.exponent);
}

export function sfSub(a: SafeFloat, b: SafeFloat): SafeFloat | null {
  if (sfIsZero(a) && sfIsZero(b)) return SF_ZERO;
  if (sfIsZero(a)) return null;
  if (sfIsZero(b)) return a;
  const satSub = (x: bigint, y: bigint): bigint => (x > y ? x - y : 0n);
  if (a.exponent >= b.exponent) return normalize(satSub(a.mantissa, b.mantissa / capPow10(a.exponent - b.exponent)), a.exponent);
  return normalize(satSub(a.mantissa / capPow10(b.exponent - a.exponent), b.mantissa), b.exponent);
}

/** a·b/c in U256 with a floored quotient, then normalised; null when c is zero. */
export function sfMulDiv(a: SafeFloat, b: SafeFloat, c: SafeFloat): SafeFloat | null {
  if (c.mantissa === 0n) return null;
  return normalize((a.mantissa * b.mantissa) / c.mantissa, a.exponent + b.exponent - c.exponent);
}

/** Saturating conversion to u64 (floor). */
export function sfToU64(a: SafeFloat): bigint {
  if (a.exponent === 0) return a.mantissa > U64_MAX ? U64_MAX : a.mantissa;
  const scale = capPow10(Math.abs(a.exponent));
  const q = a.exponent > 0 ? a.mantissa * scale : a.mantissa / scale;
  return q > U64_MAX ? U64_MAX : q;
}

/** The float view the chain's tests print (`mantissa as f64 · 10^exponent`); display only. */
export function sfToNumber(a: SafeFloat): number {
  return Number(a.mantissa) * 10 ** a.exponent;
}

/** One (hotkey, netuid) share pool: value V = TotalHotkeyAlpha, denominator D, one share per coldkey. */
export interface SharePool {
  value: bigint;
  denominator: SafeFloat;
  shares: Map<string, SafeFloat>;
}

export function poolValueOf(p: SharePool, coldkey: string): bigint {
  const share = entryOf(p.shares, coldkey) ?? SF_ZERO;
  const v = sfMulDiv(sfFromU64(p.value), share, p.denominator);
  return v === null ? 0n : sfToU64(v);
}

/** `update_value_for_all`: every share holder's value moves pro rata (emissions to a hotkey's nominators). */
export function poolUpdateAll(p: SharePool, update: bigint): void {
  const v = p.value + update;
  p.value = v < 0n ? 0n : v > U64_MAX ? U64_MAX : v;
}

function sharesPerUpdate(p: SharePool, update: bigint): SafeFloat {
  const abs = update < 0n ? -update : update;
  return sfMulDiv(sfFromU64(abs), p.denominator, sfFromU64(p.value)) ?? SF_ZERO;
}

/** `sim_update_value_for_one`: false when the update would move zero shares (the stake is refused). */
export function poolCanUpdateOne(p: SharePool, update: bigint): boolean {
  return sfIsZero(p.denominator) || !sfIsZero(sharesPerUpdate(p, update));
}

/** `update_value_for_one`: buy (update > 0) or sell shares for one coldkey at the pool's current share price. */
export function poolUpdateOne(p: SharePool, coldkey: string, update: bigint): void {
  // nothing moves for 0 (an epoch credits a zero take to every UID that earned nothing) but the removal of a zero
  // share, or of any share in a pool without a denominator
  if (update === 0n && (sfIsZero(p.denominator) ? !hasEntry(p.shares, coldkey) : entryOf(p.shares, coldkey)?.mantissa !== 0n)) return;
  const current = entryOf(p.shares, coldkey) ?? SF_ZERO;
  if (sfIsZero(p.denominator)) {
    const first = sfFromU64(update < 0n ? -update : update);
    p.denominator = first;
    setShare(p, coldkey, first);
  } else {
    const k = sharesPerUpdate(p, update);
    const step = update > 0n ? sfAdd : sfSub;
    // the crate keeps the old value when SafeFloat arithmetic fails (only on absurd exponents); a pool's only
    // share holder (a miners' wallet, a validator without nominators) holds the denominator, so its share moves to
    // the same number, computed once
    const denominator = p.denominator;
    const sole = current.mantissa === denominator.mantissa && current.exponent === denominator.exponent;
    p.denominator = step(denominator, k) ?? denominator;
    setShare(p, coldkey, sole ? p.denominator : (step(current, k) ?? current));
  }
  poolUpdateAll(p, update);
}

function setShare(p: SharePool, coldkey: string, share: SafeFloat): void {
  if (sfIsZero(share)) mapDelete.call(p.shares, coldkey);
  else mapSet.call(p.shares, coldkey, share);
}
