// Column-wise stake-weighted median: the chain's partition search (not a sort), pivoting on the
// heaviest voters of each partition (the middle score of the five heaviest in the first round, of the three
// heaviest in later rounds of 8 or more).
import { fracDiv, inverse } from '../fixed/proportion';
import { TWO32 } from './grid';
import * as J from '../job';
import { ASTAKE, CONS, MED_A, MED_B, MED_C, ROW_OF, SORT_A, SORT_B, TILE, TILE_BUF, VOTERS, VOTER_ROW, VOTE_STAKE, ZERO_ROW, f64At, i32At, matRow, setF64, setI32 } from './layout';

/**
 * One column's median. `src` holds `len` (score, stake) f64 pairs, heaviest voter first. Each round partitions
 * the current set around its first (heaviest) score into "below" and "above" (ties go nowhere), keeping order,
 * without branches: every element is written to both output buffers and each cursor advances by its
 * comparison. Stakes are the chain's integer I32F32 stakes (see `consensus`), so the sums, run in two f64x2
 * lanes (even / odd positions) adding masked values (+0 when not taken), are exact. The `<` / `<=` tests are the
 * chain's.
 */
function weightedMedian(src: usize, len: i32, minority: f64, total: f64): f64 {
  let cur = src;
  let f1 = MED_A;
  let f2 = MED_B;
  let lo = 0.0;
  let hi = total;
  const limit = len;
  let steps = 0;
  while (true) {
    if (len == 0) return 0.0;
    if (len == 1) return load<f64>(cur);
    let pivot = load<f64>(cur); // the partition's heaviest voter (see heaviestFirst) when it is short
    if (steps == 0 && len >= 5) {
      // the first round pivots on the middle score of the five heaviest voters: nearer the median than one draw,
      // so fewer elements reach the second round (any score of the column gives the same answer, see consensus)
      let a = pivot;
      let b = load<f64>(cur, 16);
      let c = load<f64>(cur, 32);
      let d = load<f64>(cur, 48);
      let e = load<f64>(cur, 64);
      // median of five: order the pairs (a, b) and (c, d); the smaller minimum and the larger maximum each have
      // three scores on one side and cannot be the median, which is then the middle of the other three
      let t = min(a, b); b = max(a, b); a = t;
      t = min(c, d); d = max(c, d); c = t;
      t = max(a, c);
      const u = min(b, d);
      pivot = max(min(t, u), min(max(t, u), e));
    } else if (len >= 8) {
      // later rounds on the middle score of the partition's three heaviest
      const b = load<f64>(cur, 16);
      const c = load<f64>(cur, 32);
      pivot = max(min(pivot, b), min(max(pivot, b), c));
    }
    let lc = 0;
    let uc = 0;
    // Stake sums in two lanes (even / odd positions of the current partition), like the reference.
    let lowAcc = f64x2.splat(0);
    let highAcc = f64x2.splat(0);
    const pv = f64x2.splat(pivot);
    let k = 0;
    for (; k + 2 <= len; k += 2) {
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
    let low0 = f64x2.extract_lane(lowAcc, 0);
    let high0 = f64x2.extract_lane(highAcc, 0);
    if (k < len) {
      const e = v128.load(cur + (<usize>k << 4));
      const s = f64x2.extract_lane(e, 0);
      const w = f64x2.extract_lane(e, 1);
      v128.store(f1 + (<usize>lc << 4), e);
      v128.store(f2 + (<usize>uc << 4), e);
      if (s < pivot) { low0 += w; lc++; }
      if (s > pivot) { high0 += w; uc++; }
    }
    const lowStake = low0 + f64x2.extract_lane(lowAcc, 1);
    const highStake = high0 + f64x2.extract_lane(highAcc, 1);
    let chosen: usize;
    let other: usize;
    if (minority < lo + lowStake && lc > 0) {
      hi = lo + lowStake;
      chosen = f1;
      other = f2;
      len = lc;
    } else if (hi - highStake <= minority && uc > 0) {
      lo = hi - highStake;
      chosen = f2;
      other = f1;
      len = uc;
    } else {
      return pivot;
    }
    const freed = cur == src ? MED_C : cur;
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
        // y first only if strictly heavier: equal stakes keep uid order (the sort is stable)
        if (f64At(VOTE_STAKE, y) > f64At(VOTE_STAKE, x)) { setI32(dst, o++, y); b++; } else { setI32(dst, o++, x); a++; }
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

/**
 * Consensus for every column. Voters are the uids with positive active stake (in uid order). Their stakes are
 * renormalised as on chain, u = floor(a·2^32 / Σa) on the integer active stakes, and the search runs on those
 * integers (held exactly in f64, as are all their sums: < 2^34) with `minority = Σu − floor(κ·2^32 / 65535)`.
 * Every sum being exact, the search returns the chain's value whatever its pivots and the order of its additions:
 * the smallest score x of the column whose voters at or below x hold more than the minority (the largest score
 * when none do). Columns are gathered TILE at a
 * time from the row-major working matrix into contiguous (score, stake) runs; a voter outside the working rows
 * (possible only when the permit vector is empty) reads a zero row.
 */
export function consensus(): void {
  const n = J.n;
  let m = 0;
  let sum: i64 = 0;
  for (let i = 0; i < n; i++) {
    const a = f64At(ASTAKE, i);
    if (a > 0) {
      setI32(VOTERS, m, i);
      sum += <i64>(a * TWO32);
      m++;
    }
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
  const colBytes = <usize>m << 4;
  for (let j0 = 0; j0 < n; j0 += TILE) {
    const tw = min(TILE, n - j0);
    for (let k = 0; k < m; k++) {
      const row = load<usize>(VOTER_ROW + (<usize>k << 2)) + (<usize>j0 << 3);
      const u = f64At(VOTE_STAKE, k);
      let dst = TILE_BUF + (<usize>k << 4);
      for (let t = 0; t < tw; t++) {
        v128.store(dst, f64x2.replace_lane(f64x2.splat(u), 0, load<f64>(row + (<usize>t << 3))));
        dst += colBytes;
      }
    }
    for (let t = 0; t < tw; t++) {
      setF64(CONS, j0 + t, weightedMedian(TILE_BUF + <usize>t * colBytes, m, minority, <f64>total));
    }
  }
}
