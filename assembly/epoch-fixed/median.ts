// Per column, the chain's `weighted_median` over the voters (rows with positive active stake).
// The chain's search (stable lower/upper partitions, ties with the pivot dropped, the same `<` / `<=` edges) with
// pivots from the heaviest voters instead of the middle one: the same answer, since the I32F32 sums are exact.
import { ONE, satSub, divChecked } from '../fixed/i32f32';
import { sortKeys } from './stake';
import { divU } from '../fixed/proportion';
import * as J from '../job';
import { ACT, CONS, KEYS_A, KEYS_B, MED_A, MED_B, MED_C, ROW_OF, USE_STAKE, VOTER_ROW, ZERO_ROW, ld, ldI32, st } from './layout';
import { rowPtr } from './weights';

/** Consensus for every column into CONS. */
export function consensus(): void {
  const n = J.n;
  // voters in uid order and their renormalised stake (the chain's `use_stake`)
  let m = 0;
  let s: i64 = 0;
  for (let i = 0; i < n; i++) {
    const a = ld(ACT, i);
    if (a > 0) {
      const r = ldI32(ROW_OF, i);
      store<usize>(VOTER_ROW + (<usize>m << 3), r >= 0 ? rowPtr(r) : ZERO_ROW);
      st(USE_STAKE, m, a);
      s += a; // each ≤ ONE: no wrap
      m++;
    }
  }
  if (m == 0) {
    memory.fill(CONS, 0, <usize>n << 3);
    return;
  }
  let total: i64 = 0;
  for (let k = 0; k < m; k++) {
    const u = divU(ld(USE_STAKE, k), s);
    st(USE_STAKE, k, u);
    total += u;
  }
  const majority = divChecked(<i64>J.kappa << 32, <i64>65535 << 32);
  const minority = satSub(total, majority);
  memory.fill(ZERO_ROW, 0, <usize>n << 3);
  heaviestFirst(m);

  if (m < 5) {
    // too few voters for the first round's pivot of five: each column gathered, searched from its first round
    for (let j = 0; j < n; j++) {
      for (let k = 0; k < m; k++) {
        store<i64>(MED_C + (<usize>k << 4), load<i64>(load<usize>(VOTER_ROW + (<usize>k << 3)) + (<usize>j << 3)));
        store<i64>(MED_C + (<usize>k << 4), ld(USE_STAKE, k), 8);
      }
      st(CONS, j, search(MED_C, m, minority, 0, total, 0, m));
    }
    return;
  }
  // The search's first round for four columns at once, straight from the voters' rows (contiguous there): the
  // pivots (middle of the five heaviest voters' scores) and each column's stake below and above its pivot with a
  // count packed in. On the bench's subnets half the columns (256 × 64) or more than a quarter (1024 × 64) end in
  // that round; only those that go on gather their kept side.
  const r0 = load<usize>(VOTER_ROW);
  const r1 = load<usize>(VOTER_ROW, 8);
  const r2 = load<usize>(VOTER_ROW, 16);
  const r3 = load<usize>(VOTER_ROW, 24);
  const r4 = load<usize>(VOTER_ROW, 32);
  let j0 = 0;
  for (; j0 + 4 <= n; j0 += 4) {
    const o = <usize>j0 << 3;
    const p0 = middleOfFiveV(v128.load(r0 + o), v128.load(r1 + o), v128.load(r2 + o), v128.load(r3 + o), v128.load(r4 + o));
    const p1 = middleOfFiveV(v128.load(r0 + o, 16), v128.load(r1 + o, 16), v128.load(r2 + o, 16), v128.load(r3 + o, 16), v128.load(r4 + o, 16));
    let low0 = i64x2.splat(0);
    let low1 = i64x2.splat(0);
    let high0 = i64x2.splat(0);
    let high1 = i64x2.splat(0);
    for (let k = 0; k < m; k++) {
      const row = load<usize>(VOTER_ROW + (<usize>k << 3)) + o;
      const u = i64x2.splat((ld(USE_STAKE, k) << COUNT_BITS) + 1);
      const s0 = v128.load(row);
      const s1 = v128.load(row, 16);
      low0 = i64x2.add(low0, v128.and(u, i64x2.lt_s(s0, p0)));
      high0 = i64x2.add(high0, v128.and(u, i64x2.gt_s(s0, p0)));
      low1 = i64x2.add(low1, v128.and(u, i64x2.lt_s(s1, p1)));
      high1 = i64x2.add(high1, v128.and(u, i64x2.gt_s(s1, p1)));
    }
    afterFirstRound(j0, m, i64x2.extract_lane(p0, 0), i64x2.extract_lane(low0, 0), i64x2.extract_lane(high0, 0), minority, total);
    afterFirstRound(j0 + 1, m, i64x2.extract_lane(p0, 1), i64x2.extract_lane(low0, 1), i64x2.extract_lane(high0, 1), minority, total);
    afterFirstRound(j0 + 2, m, i64x2.extract_lane(p1, 0), i64x2.extract_lane(low1, 0), i64x2.extract_lane(high1, 0), minority, total);
    afterFirstRound(j0 + 3, m, i64x2.extract_lane(p1, 1), i64x2.extract_lane(low1, 1), i64x2.extract_lane(high1, 1), minority, total);
  }
  for (; j0 < n; j0++) {
    const o = <usize>j0 << 3;
    const pivot = middleOfFive(load<i64>(r0 + o), load<i64>(r1 + o), load<i64>(r2 + o), load<i64>(r3 + o), load<i64>(r4 + o));
    let low: i64 = 0;
    let high: i64 = 0;
    for (let k = 0; k < m; k++) {
      const x = load<i64>(load<usize>(VOTER_ROW + (<usize>k << 3)) + o);
      const u = (ld(USE_STAKE, k) << COUNT_BITS) + 1;
      if (x < pivot) low += u;
      if (x > pivot) high += u;
    }
    afterFirstRound(j0, m, pivot, low, high, minority, total);
  }
}

// Stakes with a count packed in for the first round across columns: u·2^24 + 1 per voter. Every stake is at most
// ONE and so is their total, so a column's sum stays below 2^57 and splits back into stake sum and count.
// @ts-ignore: decorator
@inline const COUNT_BITS: i64 = 24;

/** `middleOfFive` two columns at a time, with the same comparisons. */
// @ts-ignore: decorator
@inline function middleOfFiveV(a: v128, b: v128, c: v128, d: v128, e: v128): v128 {
  return middleOfThreeV(greaterV(lesserV(a, b), lesserV(c, d)), lesserV(greaterV(a, b), greaterV(c, d)), e);
}

// @ts-ignore: decorator
@inline function lesserV(a: v128, b: v128): v128 {
  return v128.bitselect(a, b, i64x2.lt_s(a, b));
}

// @ts-ignore: decorator
@inline function greaterV(a: v128, b: v128): v128 {
  return v128.bitselect(b, a, i64x2.lt_s(a, b));
}

// @ts-ignore: decorator
@inline function middleOfThreeV(a: v128, b: v128, c: v128): v128 {
  return greaterV(lesserV(a, b), lesserV(greaterV(a, b), c));
}

/**
 * Column j after the search's first round (its pivot and the packed stakes below and above it), taking the
 * decision `search` takes there: the pivot is the median, or the side kept is gathered (heaviest voter first, as
 * a partition keeps it) and searched on from the second round.
 */
function afterFirstRound(j: i32, m: i32, pivot: i64, lowPacked: i64, highPacked: i64, minority: i64, total: i64): void {
  const mask: i64 = (<i64>1 << COUNT_BITS) - 1;
  const loStake = lowPacked >> COUNT_BITS;
  const nl = <i32>(lowPacked & mask);
  const hiStake = highPacked >> COUNT_BITS;
  const nu = <i32>(highPacked & mask);
  const o = <usize>j << 3;
  let len = 0;
  if (minority < loStake && nl > 0) {
    for (let k = 0; k < m; k++) {
      const x = load<i64>(load<usize>(VOTER_ROW + (<usize>k << 3)) + o);
      const at = MED_C + (<usize>len << 4);
      store<i64>(at, x);
      store<i64>(at, ld(USE_STAKE, k), 8);
      len += <i32>(x < pivot);
    }
    st(CONS, j, search(MED_C, len, minority, 0, loStake, 1, m));
  } else if (total - hiStake <= minority && nu > 0) {
    for (let k = 0; k < m; k++) {
      const x = load<i64>(load<usize>(VOTER_ROW + (<usize>k << 3)) + o);
      const at = MED_C + (<usize>len << 4);
      store<i64>(at, x);
      store<i64>(at, ld(USE_STAKE, k), 8);
      len += <i32>(x > pivot);
    }
    st(CONS, j, search(MED_C, len, minority, total - hiStake, total, 1, m));
  } else {
    st(CONS, j, pivot);
  }
}

/**
 * Reorders the voters by stake, heaviest first (ties in uid order). The search keeps each partition in this
 * order, so every partition's first elements are its heaviest voters, and the pivot comes from them: with
 * Pareto-like stakes the heaviest voter's score is usually the median or next to it (≈ 1.7–1.9 m element visits
 * and 3 rounds per column instead of 2.4–2.8 m and 5–7 with the middle element; the middle of the heaviest five
 * or three, fewer still). The chain pivots on the middle, but
 * its answer — the score v with stake(< v) ≤ minority < stake(≤ v) — does not depend on the pivot when the sums
 * are exact, and these I32F32 sums are (all stakes ≥ 0, Σ ≤ ONE).
 */
function heaviestFirst(m: i32): void {
  for (let k = 0; k < m; k++) store<u64>(KEYS_A + (<usize>k << 3), (<u64>(ONE - ld(USE_STAKE, k)) << 12) | <u64>k);
  const sorted = sortKeys(KEYS_A, KEYS_B, m);
  // (row, stake) in the new order via MED_C (free until the searches start), then back in place
  for (let t = 0; t < m; t++) {
    const k = <i32>(load<u64>(sorted + (<usize>t << 3)) & 0xfff);
    store<usize>(MED_C + (<usize>t << 4), load<usize>(VOTER_ROW + (<usize>k << 3)));
    store<i64>(MED_C + (<usize>t << 4), ld(USE_STAKE, k), 8);
  }
  for (let t = 0; t < m; t++) {
    store<usize>(VOTER_ROW + (<usize>t << 3), load<usize>(MED_C + (<usize>t << 4)));
    st(USE_STAKE, t, load<i64>(MED_C + (<usize>t << 4), 8));
  }
}

// @ts-ignore: decorator
@inline function lesser(a: i64, b: i64): i64 {
  return a < b ? a : b;
}

// @ts-ignore: decorator
@inline function greater(a: i64, b: i64): i64 {
  return a < b ? b : a;
}

// @ts-ignore: decorator
@inline function middleOfThree(a: i64, b: i64, c: i64): i64 {
  return greater(lesser(a, b), lesser(greater(a, b), c));
}

/** The middle of five: the smaller of the pairs' minima and the larger of their maxima cannot be it. */
// @ts-ignore: decorator
@inline function middleOfFive(a: i64, b: i64, c: i64, d: i64, e: i64): i64 {
  return middleOfThree(greater(lesser(a, b), lesser(c, d)), lesser(greater(a, b), greater(c, d)), e);
}

/**
 * `weighted_median(stake, score, …, minority, lo, hi)` on the `m0` (score, stake) pairs at `src`, from round
 * `steps` (0, 0 and the stakes' total for a whole column; `limit` the column's length), pivoting on the middle of
 * each partition's heaviest elements (see the loop).
 * Partitions without branches, two pairs at a time: each pair is written to both output buffers and each cursor
 * advances by its comparison's mask bit. All stakes are ≥ 0 and sum to ≤ ONE, so the chain's saturating partial
 * sums never saturate and plain (masked) adds are exact in any order.
 */
function search(src: usize, m0: i32, minority: i64, lo: i64, hi: i64, steps: i32, limit: i32): i64 {
  let cur = src;
  let x = MED_A;
  let y = MED_B;
  let spare = MED_C;
  let m = m0;
  while (true) {
    if (m == 0) return 0;
    if (m == 1) return load<i64>(cur);
    // the partition's heaviest score when it is short, else the middle score of its three heaviest (rounds of 8
    // or more; the first round, on five, runs across columns in `consensus`): nearer the median, so fewer
    // elements reach the next round
    let pivot = load<i64>(cur);
    if (m >= 8) pivot = middleOfThree(pivot, load<i64>(cur, 16), load<i64>(cur, 32));
    const pv = i64x2.splat(pivot);
    let nl = 0, nu = 0;
    let loAcc = i64x2.splat(0);
    let hiAcc = i64x2.splat(0);
    let t = 0;
    for (; t + 2 <= m; t += 2) {
      const e0 = v128.load(cur + (<usize>t << 4));
      const e1 = v128.load(cur + (<usize>t << 4), 16);
      const sc = i64x2.shuffle(e0, e1, 0, 2);
      const stk = i64x2.shuffle(e0, e1, 1, 3);
      const ltm = i64x2.lt_s(sc, pv);
      const gtm = i64x2.gt_s(sc, pv);
      loAcc = i64x2.add(loAcc, v128.and(stk, ltm));
      hiAcc = i64x2.add(hiAcc, v128.and(stk, gtm));
      const lb = i64x2.bitmask(ltm);
      const gb = i64x2.bitmask(gtm);
      v128.store(x + (<usize>nl << 4), e0);
      v128.store(y + (<usize>nu << 4), e0);
      nl += lb & 1;
      nu += gb & 1;
      v128.store(x + (<usize>nl << 4), e1);
      v128.store(y + (<usize>nu << 4), e1);
      nl += lb >> 1;
      nu += gb >> 1;
    }
    let loStake = i64x2.extract_lane(loAcc, 0) + i64x2.extract_lane(loAcc, 1);
    let hiStake = i64x2.extract_lane(hiAcc, 0) + i64x2.extract_lane(hiAcc, 1);
    if (t < m) {
      const e = v128.load(cur + (<usize>t << 4));
      const v = i64x2.extract_lane(e, 0);
      const w = i64x2.extract_lane(e, 1);
      v128.store(x + (<usize>nl << 4), e);
      v128.store(y + (<usize>nu << 4), e);
      if (v < pivot) { loStake += w; nl++; }
      if (v > pivot) { hiStake += w; nu++; }
    }
    // the chosen side becomes current; the buffer it leaves (unless it is the source) becomes a spare
    const freed = cur == src ? spare : cur;
    if (minority < lo + loStake && nl > 0) {
      hi = lo + loStake;
      cur = x;
      x = freed;
      m = nl;
    } else if (hi - hiStake <= minority && nu > 0) {
      lo = hi - hiStake;
      cur = y;
      y = freed;
      m = nu;
    } else {
      return pivot;
    }
    steps++;
    if (steps > limit) break;
  }
  return 0;
}
