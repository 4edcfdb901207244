// Column-wise stake-weighted median: the chain's partition search (not a sort), pivoting on the
// heaviest voters of each partition (the middle score of the five heaviest in the first round, of the three
// heaviest in later rounds of 8 or more). The first round runs across columns, straight from the voters' rows.
import { fracDiv, inverse } from '../fixed/proportion';
import { TWO32 } from './grid';
import * as J from '../job';
import { ASTAKE, COL_A, COL_B, CONS, MED_A, MED_B, MED_C, ROW_OF, SORT_A, SORT_B, VOTERS, VOTER_ROW, VOTE_STAKE, ZERO_ROW, f64At, i32At, matRow, setF64, setI32 } from './layout';

/**
 * `c ? a : b` for f64 without a branch: V8 turns a Wasm f64 `select` (and scalar f64 `min` / `max`, for NaN and
 * signed zeros) into branches on x64, an integer select into a conditional move.
 */
// @ts-ignore: decorator
@inline function pick(a: f64, b: f64, c: i32): f64 {
  return reinterpret<f64>(select<i64>(reinterpret<i64>(a), reinterpret<i64>(b), c));
}

/** The middle of three scores (non-negative: their bit patterns order as the values do), without a branch. */
// @ts-ignore: decorator
@inline function middleOfThree(a: f64, b: f64, c: f64): f64 {
  const x = reinterpret<i64>(a);
  const y = reinterpret<i64>(b);
  const z = reinterpret<i64>(c);
  const lo = select<i64>(x, y, x < y);
  const hi = select<i64>(y, x, x < y);
  const t = select<i64>(hi, z, hi < z);
  return reinterpret<f64>(select<i64>(lo, t, lo > t));
}

/**
 * One column's median, from round `steps` of the search with bounds `lo`, `hi` (0, 0 and the stakes' total for a
 * whole column; `limit` the column's length). `src` holds `len` (score, stake) f64 pairs, heaviest voter first. Each round partitions
 * the current set around its pivot into "below" and "above" (ties go nowhere), keeping order, without branches:
 * every element is written to both output buffers and each cursor advances by its comparison. Stakes are the
 * chain's integer I32F32 stakes (see `consensus`), so the sums, run in two f64x2 lanes (even / odd positions) adding
 * masked values (+0 when not taken), are exact. The `<` / `<=` tests are the chain's. A round's choices (its pivot,
 * the side kept) are selects rather than branches: from one column to the next they go either way, and a
 * mispredicted branch per choice cost more than the choice (a network's subnets each bring new columns).
 */
function weightedMedian(src: usize, len: i32, minority: f64, lo: f64, hi: f64, steps: i32, limit: i32): f64 {
  let cur = src;
  let f1 = MED_A;
  let f2 = MED_B;
  while (true) {
    if (len <= 1) return len == 0 ? 0.0 : load<f64>(cur);
    // long rounds pivot on the middle score of the partition's three heaviest, short ones on the heaviest (see
    // heaviestFirst); buffers hold a pair more than any partition, so the loads stay inside them
    const a = load<f64>(cur);
    const b = load<f64>(cur, 16);
    const c = load<f64>(cur, 32);
    const pivot = pick(middleOfThree(a, b, c), a, <i32>(len >= 8));
    // an odd partition is padded with (pivot, 0): neither below nor above, it moves no cursor and adds +0
    store<f64>(cur + (<usize>len << 4), pivot);
    store<f64>(cur + (<usize>len << 4), 0.0, 8);
    let lc = 0;
    let uc = 0;
    // Stake sums in two lanes (even / odd positions of the current partition), like the reference.
    let lowAcc = f64x2.splat(0);
    let highAcc = f64x2.splat(0);
    const pv = f64x2.splat(pivot);
    for (let k = 0; k < len; k += 2) {
      const e0 = v128.load(cur + (<usize>k << 4));
      const e1 = v128.load(cur + (<usize>k << 4), 16);
      const sc = v128.shuffle<f64>(e0, e1, 0, 2);
      const st = v128.shuffle<f64>(e0, e1, 1, 3);
      const ltm = f64x2.lt(sc, pv);
      const gtm = f64x2.gt(sc, pv);
      lowAcc = f64x2.add(lowAcc, v128.and(st, ltm));
      highAcc = f64x2.add(highAcc, v128.and(st, gtm));
      // the compare masks as bits (bit 0: element k, bit 1: element k + 1) advance the cursors
      const lb = i64x2.bitmask(ltm);
      const gb = i64x2.bitmask(gtm);
      v128.store(f1 + (<usize>lc << 4), e0);
      v128.store(f2 + (<usize>uc << 4), e0);
      lc += lb & 1;
      uc += gb & 1;
      v128.store(f1 + (<usize>lc << 4), e1);
      v128.store(f2 + (<usize>uc << 4), e1);
      lc += lb >> 1;
      uc += gb >> 1;
    }
    const lowStake = f64x2.extract_lane(lowAcc, 0) + f64x2.extract_lane(lowAcc, 1);
    const highStake = f64x2.extract_lane(highAcc, 0) + f64x2.extract_lane(highAcc, 1);
    const below = lo + lowStake;
    const above = hi - highStake;
    const left = <i32>(minority < below) & <i32>(lc > 0);
    const right = (left ^ 1) & <i32>(above <= minority) & <i32>(uc > 0);
    if ((left | right) == 0) return pivot;
    hi = pick(below, hi, left);
    lo = pick(above, lo, right);
    const chosen = select<usize>(f1, f2, left);
    const other = select<usize>(f2, f1, left);
    len = select<i32>(lc, uc, left);
    const freed = select<usize>(MED_C, cur, cur == src);
    cur = chosen;
    f1 = other;
    f2 = freed;
    steps++;
    if (steps > limit) return 0.0;
  }
  return 0.0;
}

/**
 * Reorders the voters by renormalised stake, heaviest first (ties in uid order), with a stable merge sort of
 * their indices. Partitions keep this order, so each one's first element is its heaviest voter and serves as
 * the pivot: with Pareto-like stakes that score is usually the median or next to it (≈ 1.7–1.9 m element
 * visits and 3 rounds per column instead of 2.4–2.8 m and 5–7 with the chain's middle element; the middle of
 * the five heaviest in the first round and of the three heaviest in later long rounds, fewer still). The stakes are integers and every sum of them exact,
 * so the answer does not depend on the pivots: the reference (src/reference/float/median.ts), which pivots on the
 * heaviest voter in every round, agrees to the bit.
 */
function heaviestFirst(m: i32): void {
  let src = SORT_A;
  let dst = SORT_B;
  for (let k = 0; k < m; k++) setI32(src, k, k);
  for (let width = 1; width < m; width <<= 1) {
    for (let lo = 0; lo < m; lo += width << 1) {
      const mid = min(lo + width, m);
      const hi = min(lo + (width << 1), m);
      let a = lo;
      let b = mid;
      let o = lo;
      while (a < mid && b < hi) {
        const x = i32At(src, a);
        const y = i32At(src, b);
        // y first only if strictly heavier: equal stakes keep uid order (the sort is stable); a select, not a
        // branch, as the comparison goes either way
        const takeY = <i32>(f64At(VOTE_STAKE, y) > f64At(VOTE_STAKE, x));
        setI32(dst, o++, select<i32>(y, x, takeY));
        b += takeY;
        a += takeY ^ 1;
      }
      while (a < mid) setI32(dst, o++, i32At(src, a++));
      while (b < hi) setI32(dst, o++, i32At(src, b++));
    }
    const t = src; src = dst; dst = t;
  }
  // apply the permutation to (stake, row) through MED_A (free until the searches start)
  for (let t = 0; t < m; t++) {
    const k = i32At(src, t);
    store<f64>(MED_A + (<usize>t << 4), f64At(VOTE_STAKE, k));
    store<usize>(MED_A + (<usize>t << 4), load<usize>(VOTER_ROW + (<usize>k << 2)), 8);
  }
  for (let t = 0; t < m; t++) {
    setF64(VOTE_STAKE, t, load<f64>(MED_A + (<usize>t << 4)));
    store<usize>(VOTER_ROW + (<usize>t << 2), load<usize>(MED_A + (<usize>t << 4), 8));
  }
}

// Stakes with a count packed in for the first round across columns: u·2^20 + 1 per voter. Every stake is below
// 2^32 and so is their total, so a column's sum of them stays below 2^52 + 2^20 (exact) and splits back into the
// stake sum and the count for up to 2^20 voters.
// @ts-ignore: decorator
@inline const PACK: f64 = 1048576.0;
// @ts-ignore: decorator
@inline const UNPACK: f64 = 1.0 / 1048576.0;

/**
 * The first round's pivot (the middle of five scores), two columns at a time. Scores are never NaN nor −0, so the
 * pseudo-min / max (one x64 instruction each; `f64x2.min` / `max` add fix-ups for those cases) give the same values.
 */
// @ts-ignore: decorator
@inline function middleOfFive(a: v128, b: v128, c: v128, d: v128, e: v128): v128 {
  let t = f64x2.pmin(a, b); b = f64x2.pmax(a, b); a = t;
  t = f64x2.pmin(c, d); d = f64x2.pmax(c, d); c = t;
  t = f64x2.pmax(a, c);
  const u = f64x2.pmin(b, d);
  return f64x2.pmax(f64x2.pmin(t, u), f64x2.pmin(f64x2.pmax(t, u), e));
}

/**
 * Column j after the search's first round (its pivot and the packed stakes below and above it): the pivot goes into
 * CONS, and a column the search goes on with is appended to the list `SORT_A` (its side in `SORT_B`: 1 below the
 * pivot, 0 above; its new bounds in COL_A / COL_B). Returns the list's new length; no branch on the decision.
 */
// @ts-ignore: decorator
@inline function afterFirstRound(j: i32, count: i32, pivot: f64, lowPacked: f64, highPacked: f64, minority: f64, total: f64): i32 {
  const lowStake = Math.floor(lowPacked * UNPACK);
  const lc = <i32>(lowPacked - lowStake * PACK);
  const highStake = Math.floor(highPacked * UNPACK);
  const uc = <i32>(highPacked - highStake * PACK);
  const left = <i32>(minority < 0.0 + lowStake) & <i32>(lc > 0);
  const right = (left ^ 1) & <i32>(total - highStake <= minority) & <i32>(uc > 0);
  setF64(CONS, j, pivot);
  setI32(SORT_A, count, j);
  setI32(SORT_B, count, left);
  setF64(COL_A, count, pick(0.0, total - highStake, left));
  setF64(COL_B, count, pick(0.0 + lowStake, total, left));
  return count + (left | right);
}

/**
 * The columns the first round did not settle: each one's kept side gathered (heaviest voter first, as a partition
 * keeps it; scores and pivot negated for the side above, so one `<` serves both) and searched on from the second
 * round.
 */
function laterRounds(count: i32, m: i32, minority: f64): void {
  for (let c = 0; c < count; c++) {
    const j = i32At(SORT_A, c);
    const o = <usize>j << 3;
    const sign = pick(1.0, -1.0, i32At(SORT_B, c));
    const pivot = f64At(CONS, j) * sign;
    let len = 0;
    for (let k = 0; k < m; k++) {
      const x = load<f64>(load<usize>(VOTER_ROW + (<usize>k << 2)) + o);
      const at = MED_C + (<usize>len << 4);
      store<f64>(at, x);
      store<f64>(at, f64At(VOTE_STAKE, k), 8);
      len += <i32>(x * sign < pivot);
    }
    setF64(CONS, j, weightedMedian(MED_C, len, minority, f64At(COL_A, c), f64At(COL_B, c), 1, m));
  }
}

/**
 * Consensus for every column. Voters are the uids with positive active stake (in uid order). Their stakes are
 * renormalised as on chain, u = floor(a·2^32 / Σa) on the integer active stakes, and the search runs on those
 * integers (held exactly in f64, as are all their sums: < 2^34) with `minority = Σu − floor(κ·2^32 / 65535)`.
 * Every sum being exact, the search returns the chain's value whatever its pivots and the order of its additions:
 * the smallest score x of the column whose voters at or below x hold more than the minority (the largest score
 * when none do). The first round of every column (on the bench's 256 × 64 subnet 64 of ≈ 102 element visits a
 * column, and the last round of 122 of the 256 columns) runs four columns at a time down the voters' rows, which
 * are contiguous there (gathering every column into (score, stake) runs first cost as much as that round); only a
 * column that goes on has its kept side gathered. A voter outside the working rows (possible only when the
 * permit vector is empty) reads a zero row.
 */
export function consensus(): void {
  const n = J.n;
  let m = 0;
  let sum: i64 = 0;
  for (let i = 0; i < n; i++) {
    // written at the next slot whether a voter or not (the next uid overwrites it), counted only if a voter
    const a = f64At(ASTAKE, i);
    setI32(VOTERS, m, i);
    sum += <i64>(a * TWO32);
    m += <i32>(a > 0);
  }
  if (m == 0) {
    memory.fill(CONS, 0, <usize>n << 3);
    return;
  }
  const inv = inverse(sum);
  let total: i64 = 0;
  for (let k = 0; k < m; k++) {
    const i = i32At(VOTERS, k);
    const u = fracDiv(<i64>(f64At(ASTAKE, i) * TWO32), sum, inv);
    setF64(VOTE_STAKE, k, <f64>u);
    total += u;
    const slot = i32At(ROW_OF, i);
    store<usize>(VOTER_ROW + (<usize>k << 2), slot >= 0 ? matRow(slot, n) : ZERO_ROW);
  }
  const minority = <f64>(total - <i64>((<u64>J.kappa << 32) / 65535));
  heaviestFirst(m);
  if (m < 5) {
    // too few voters for the first round's pivot of five: each column gathered, searched from its first round
    for (let j = 0; j < n; j++) {
      for (let k = 0; k < m; k++) {
        store<f64>(MED_C + (<usize>k << 4), load<f64>(load<usize>(VOTER_ROW + (<usize>k << 2)) + (<usize>j << 3)));
        store<f64>(MED_C + (<usize>k << 4), f64At(VOTE_STAKE, k), 8);
      }
      setF64(CONS, j, weightedMedian(MED_C, m, minority, 0.0, <f64>total, 0, m));
    }
    return;
  }
  const totalF = <f64>total;
  let count = 0; // columns the first round leaves open (SORT_A), searched on after it
  let j0 = 0;
  for (; j0 + 4 <= n; j0 += 4) {
    // The search's first round for four columns at once, straight from the voters' rows: the pivots (middle of
    // the five heaviest voters' scores) and each column's stake below and above its pivot, counts packed in
    const o = <usize>j0 << 3;
    const r0 = load<usize>(VOTER_ROW) + o;
    const r1 = load<usize>(VOTER_ROW, 4) + o;
    const r2 = load<usize>(VOTER_ROW, 8) + o;
    const r3 = load<usize>(VOTER_ROW, 12) + o;
    const r4 = load<usize>(VOTER_ROW, 16) + o;
    const p0 = middleOfFive(v128.load(r0), v128.load(r1), v128.load(r2), v128.load(r3), v128.load(r4));
    const p1 = middleOfFive(v128.load(r0, 16), v128.load(r1, 16), v128.load(r2, 16), v128.load(r3, 16), v128.load(r4, 16));
    let low0 = f64x2.splat(0);
    let low1 = f64x2.splat(0);
    let high0 = f64x2.splat(0);
    let high1 = f64x2.splat(0);
    for (let k = 0; k < m; k++) {
      const row = load<usize>(VOTER_ROW + (<usize>k << 2)) + o;
      const u = f64x2.splat(f64At(VOTE_STAKE, k) * PACK + 1.0);
      const s0 = v128.load(row);
      const s1 = v128.load(row, 16);
      low0 = f64x2.add(low0, v128.and(u, f64x2.lt(s0, p0)));
      high0 = f64x2.add(high0, v128.and(u, f64x2.gt(s0, p0)));
      low1 = f64x2.add(low1, v128.and(u, f64x2.lt(s1, p1)));
      high1 = f64x2.add(high1, v128.and(u, f64x2.gt(s1, p1)));
    }
    count = afterFirstRound(j0, count, f64x2.extract_lane(p0, 0), f64x2.extract_lane(low0, 0), f64x2.extract_lane(high0, 0), minority, totalF);
    count = afterFirstRound(j0 + 1, count, f64x2.extract_lane(p0, 1), f64x2.extract_lane(low0, 1), f64x2.extract_lane(high0, 1), minority, totalF);
    count = afterFirstRound(j0 + 2, count, f64x2.extract_lane(p1, 0), f64x2.extract_lane(low1, 0), f64x2.extract_lane(high1, 0), minority, totalF);
    count = afterFirstRound(j0 + 3, count, f64x2.extract_lane(p1, 1), f64x2.extract_lane(low1, 1), f64x2.extract_lane(high1, 1), minority, totalF);
  }
  for (; j0 < n; j0++) {
    const o = <usize>j0 << 3;
    let pivot = load<f64>(load<usize>(VOTER_ROW) + o);
    let a = pivot;
    let b = load<f64>(load<usize>(VOTER_ROW, 4) + o);
    let c = load<f64>(load<usize>(VOTER_ROW, 8) + o);
    let d = load<f64>(load<usize>(VOTER_ROW, 12) + o);
    const e = load<f64>(load<usize>(VOTER_ROW, 16) + o);
    let t = min(a, b); b = max(a, b); a = t;
    t = min(c, d); d = max(c, d); c = t;
    t = max(a, c);
    const v = min(b, d);
    pivot = max(min(t, v), min(max(t, v), e));
    let low = 0.0;
    let high = 0.0;
    for (let k = 0; k < m; k++) {
      const x = load<f64>(load<usize>(VOTER_ROW + (<usize>k << 2)) + o);
      const u = f64At(VOTE_STAKE, k) * PACK + 1.0;
      if (x < pivot) low += u;
      if (x > pivot) high += u;
    }
    count = afterFirstRound(j0, count, pivot, low, high, minority, totalF);
  }
  laterRounds(count, m, minority);
}
