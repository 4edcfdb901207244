// The bond step of each version, in the arithmetic of src/research/kernel.ts: Yuma 1/2/2B buy bonds with stake
// on (partly) clipped weights and take an EMA (Yuma 1 renormalises it per column); Yuma 2C buys up to each
// validator's capacity with decay; Yuma 3 moves relative bonds toward the weights, with per-entry liquid alpha
// when it runs (Yuma 2C and Yuma 3 without it run in the rank pass, rank.ts). Every step reads each B_OLD entry
// before it writes the B_NEW entry at the same place, so the two may be one buffer (the loader updates in place).
import { VERSION_YUMA1, VERSION_YUMA2B, VERSION_YUMA2C } from './abi';
import { expDet2, expRow } from './exp';
import {
  B_NEW, B_OLD, BSUM, BSUM32, C, C32, CL32, COL32, COL_SUM, C_LIQUID, D, DEN32, DN, FACTOR, I, I32, LIQUID, M, S, V, W, W_PREV, alphaHigh,
  alphaLow, blockCol0, blockRows, bondMovingAvg, bondPenalty, f64At, fr, row32, rowAt, setF64, steepness,
  version,
} from './job';
import { held, laneDot, lanesTotal, nanToNum, nanToNum2, vectorEnd } from './lanes';
import { F32_MAX, lanesTotal32, laneDot32, laneProductDot32, laneQuotientDot32, nanToNum32x4, quotientsByReciprocal, reciprocalQuotient4 } from './lanes32';

const EPS: f64 = 1e-6;
/** 2⁶⁴ as the simulator's Yuma2c `maxint` meets a float32 tensor. */
export const MAXINT: f64 = 18446744073709551616.0;

/**
 * Yuma 3's relative step, dec = old·keep, b = min(dec + min(a·w, max(1 − dec, 0)), 1), computed as
 * min(dec + a·w, 1): the same bits whenever a·w ≤ 1, which holds here (a ∈ [0, 1]: the config's range, liquid
 * alpha clamped into [alphaLow, alphaHigh]; w a normalised weight in [−0, 1]). Where a·w < rem = max(1 − dec, 0)
 * both add the same two terms. Otherwise: dec > 1 gives rem = 0 and both sums are ≥ dec > 1, clamped to 1; dec
 * < 0 gives rem ≥ 1 ≥ a·w, so a·w ≥ rem means a·w = rem, the same sum; for dec ∈ [−0, 1] the rule adds 1 − dec,
 * whose rounding error is at most half an ulp of a number below 1 (2⁻⁵⁴, in float32 2⁻²⁵), so dec + (1 − dec)
 * rounds to exactly 1 (a tie goes to the even 1), and dec + a·w ≥ it (rounding is monotone) clamps to 1 too.
 * Signed zeros agree (an added 0 or −0 term is the same in both). NaN stays NaN in both.
 */
// @ts-ignore: decorator
@inline export function relativeStep2(old: v128, w: v128, a: v128, keep: v128, one: v128 = f64x2.splat(1)): v128 {
  return f64x2.pmin(f64x2.add(f64x2.mul(old, keep), f64x2.mul(a, w)), one);
}

// @ts-ignore: decorator
@inline export function relativeStep(old: f64, w: f64, a: f64, keep: f64): f64 {
  const b = old * keep + a * w;
  return b > 1 ? 1 : b;
}

/**
 * Liquid alpha of two entries: buying (w ≥ b) looks at how far the weight is above the consensus c, selling at
 * how far the bond is above the weight; a sigmoid of that gap maps into [alphaLow, alphaHigh].
 */
// @ts-ignore: decorator
@inline function liquidAlpha2(w: v128, b: v128, c: v128): v128 {
  return liquidSigmoid2(expDet2(liquidExponent2(w, b, c)));
}

/** The exponent of liquidAlpha2: −steepness·(gap − 0.5), the gap clamped to [0, 1]. */
// @ts-ignore: decorator
@inline function liquidExponent2(
  w: v128, b: v128, c: v128, one: v128 = f64x2.splat(1), half: v128 = f64x2.splat(0.5), negSteep: v128 = f64x2.splat(-steepness),
): v128 {
  let d = v128.bitselect(f64x2.sub(w, c), f64x2.sub(b, w), f64x2.ge(w, b));
  d = f64x2.pmin(f64x2.pmax(d, f64x2.splat(0)), one);
  return f64x2.mul(negSteep, f64x2.sub(d, half));
}

/** liquidAlpha2 from e^x: low + span/(1 + e), clamped to [low, high]. */
// @ts-ignore: decorator
@inline function liquidSigmoid2(
  e: v128, low: v128 = f64x2.splat(alphaLow), span: v128 = f64x2.splat(alphaHigh - alphaLow), one: v128 = f64x2.splat(1),
  high: v128 = f64x2.splat(alphaHigh),
): v128 {
  const a = f64x2.add(low, f64x2.div(span, f64x2.add(one, e)));
  return f64x2.pmin(f64x2.pmax(a, low), high);
}

/** Liquid alpha of entry (v, m): 0 outside the validator × server block of full matrices. */
// @ts-ignore: decorator
@inline function inBlock(v: i32): bool {
  return v < blockRows;
}

/** Yuma 3 with liquid alpha, one row (called by the rank pass): alpha per entry against C_LIQUID. */
export function relativeRowLiquid(v: i32): void {
  const n = M;
  const wRow = rowAt(W, v);
  const bRow = rowAt(B_NEW, v);
  const oRow = B_OLD != 0 ? rowAt(B_OLD, v) : 0;
  const aRow = LIQUID != 0 ? rowAt(LIQUID, v) : 0;
  const zero = f64x2.splat(0);
  // The loops' constants through memory (held: V8 would rebuild each at every use).
  const one = held(0, f64x2.splat(1));
  const half = held(1, f64x2.splat(0.5));
  const negSteep = held(2, f64x2.splat(-steepness));
  const low = held(3, f64x2.splat(alphaLow));
  const span = held(4, f64x2.splat(alphaHigh - alphaLow));
  const high = held(5, f64x2.splat(alphaHigh));
  const c0 = inBlock(v) ? blockCol0 : n;
  let m = 0;
  // Outside the block: alpha 0, keep 1.
  for (; m < c0; m++) {
    const o = <usize>m << 3;
    const b = relativeStep(oRow != 0 ? load<f64>(oRow + o) : 0, load<f64>(wRow + o), 0, 1);
    store<f64>(bRow + o, b);
    store<f64>(COL_SUM + o, load<f64>(COL_SUM + o) + b);
    if (aRow != 0) store<f64>(aRow + o, 0);
  }
  // The pairs from c0 in three loops over the row (it stays in L1): the exponents into FACTOR (free until the
  // dividends), their exponentials (expRow: its chains side by side), then alpha and the bonds.
  const x = FACTOR;
  const pairsEnd = m + ((n - m) & ~1);
  for (let j = m; j < pairsEnd; j += 2) {
    const o = <usize>j << 3;
    const old = oRow != 0 ? v128.load(oRow + o) : zero;
    v128.store(x + o, liquidExponent2(v128.load(wRow + o), old, v128.load(C_LIQUID + o), one, half, negSteep));
  }
  expRow(x + (<usize>m << 3), x + (<usize>m << 3), pairsEnd - m);
  for (; m + 2 <= n; m += 2) {
    const o = <usize>m << 3;
    const old = oRow != 0 ? v128.load(oRow + o) : zero;
    const w = v128.load(wRow + o);
    const a = liquidSigmoid2(v128.load(x + o), low, span, one, high);
    const b = relativeStep2(old, w, a, f64x2.sub(one, a), one);
    v128.store(bRow + o, b);
    v128.store(COL_SUM + o, f64x2.add(v128.load(COL_SUM + o), b));
    if (aRow != 0) v128.store(aRow + o, a);
  }
  for (; m < n; m++) {
    const o = <usize>m << 3;
    const old = oRow != 0 ? v128.load(oRow + o) : zero;
    const w = v128.load(wRow + o);
    // The last odd entry through lane 0 of the same vector code (lane 1 reads the next 8 bytes, unused).
    const a = f64x2.extract_lane(liquidAlpha2(w, old, v128.load(C_LIQUID + o)), 0);
    const b = relativeStep(f64x2.extract_lane(old, 0), f64x2.extract_lane(w, 0), a, 1 - a);
    store<f64>(bRow + o, b);
    store<f64>(COL_SUM + o, load<f64>(COL_SUM + o) + b);
    if (aRow != 0) store<f64>(aRow + o, a);
  }
}

/**
 * Yuma 1/2/2B: the bonds bought, S·W_b / den per column (NaN → 0), then the EMA with B_OLD (scalar alpha, or
 * per-entry liquid alpha when it runs). Yuma 1 also sums the EMA per column into COL_SUM (renormalised by
 * emaRenormalize); Yuma 2/2B take their dividends here. BSUM holds the column sums of S·W_b (the rank pass).
 */
export function emaPass(liquidRuns: bool): void {
  const n = M;
  const yuma1 = version == VERSION_YUMA1;
  // The divisor per column (Yuma 1 adds the epsilon; Yuma 2/2B divide 0 by 0 and take 0 for NaN).
  for (let m = 0; m < n; m++) setF64(FACTOR, m, yuma1 ? f64At(BSUM, m) + EPS : f64At(BSUM, m));
  // Yuma 1 without liquid alpha clears no NaN/±∞ (none can arise) and reads old bonds only next to a −0: as
  // emaPass32.
  if (liquidRuns) {
    emaRowsLiquid(true);
  } else if (B_OLD != 0) {
    if (yuma1) emaRows<Yes, Yes>();
    else emaRows<No, Yes>();
  } else {
    if (yuma1) emaRows<Yes, No>();
    else emaRows<No, No>();
  }
}

/**
 * The bonds bought of two entries at byte offset o, S·W_b / den (NaN → 0). Each S·W_b is one of the terms its
 * column's den sums (the rank pass, the same operations), all ≥ −0 and ≤ 1, so the quotient lies in [−0, 1]
 * unless den is ±0, where it is 0/0: NaN → 0 is clearing the lanes whose den is 0 (one compare and one and-not
 * instead of nanToNum's three selects), and none where the quotients are known finite (finite: emaPass32).
 */
// @ts-ignore: decorator
@inline function bought2(baseRow: usize, o: usize, s2: v128, keep2: v128, pen2: v128, c: usize, den: usize, finite: bool): v128 {
  const w = v128.load(baseRow + o);
  const wc = f64x2.pmin(v128.load(c + o), w);
  const wb = f64x2.add(f64x2.mul(keep2, w), f64x2.mul(pen2, wc));
  const d = v128.load(den + o);
  const q = f64x2.div(f64x2.mul(s2, wb), d);
  return finite ? q : v128.andnot(q, f64x2.eq(d, f64x2.splat(0)));
}

/**
 * emaPass without liquid alpha, specialised as emaRows32; Yuma 2/2B take each row's dividends in the same loop
 * (laneDot's lanes: entries ≡ 0, 1 (mod 4) into one accumulator, ≡ 2, 3 into the other; rows under LANE_MIN
 * through laneDot itself).
 */
function emaRows<Y1, OLD>(): void {
  const yuma1 = isSigned<Y1>();
  const hasOld = isSigned<OLD>();
  const n = M;
  const end = vectorEnd(n);
  const alpha = yuma1 ? 1.0 : 1 - bondMovingAvg;
  const base = version == VERSION_YUMA2B && W_PREV != 0 ? W_PREV : W;
  const keep2 = held(0, f64x2.splat(1 - bondPenalty));
  const pen2 = held(1, f64x2.splat(bondPenalty));
  const a2 = held(2, f64x2.splat(alpha));
  const r2 = held(3, f64x2.splat(1 - alpha));
  const c = C;
  const den = FACTOR;
  const col = COL_SUM;
  const inc = I;
  const negZero = held(4, i64x2.splat(0x8000000000000000));
  for (let v = 0; v < V; v++) {
    const s2 = held(5, f64x2.splat(f64At(S, v)));
    const baseRow = rowAt(base, v);
    const eRow = rowAt(B_NEW, v);
    const oRow = hasOld ? rowAt(B_OLD, v) : 0;
    let da = f64x2.splat(0);
    let db = f64x2.splat(0);
    let m = 0;
    for (; m < end; m += 4) {
      const o = <usize>m << 3;
      let e0 = bought2(baseRow, o, s2, keep2, pen2, c, den, yuma1);
      let e1 = bought2(baseRow, o + 16, s2, keep2, pen2, c, den, yuma1);
      if (hasOld && (!yuma1 || v128.any_true(v128.or(i64x2.eq(e0, negZero), i64x2.eq(e1, negZero))))) {
        e0 = f64x2.add(f64x2.mul(a2, e0), f64x2.mul(r2, v128.load(oRow + o)));
        e1 = f64x2.add(f64x2.mul(a2, e1), f64x2.mul(r2, v128.load(oRow + o, 16)));
      }
      v128.store(eRow + o, e0);
      v128.store(eRow + o, e1, 16);
      if (yuma1) {
        v128.store(col + o, f64x2.add(v128.load(col + o), e0));
        v128.store(col + o, f64x2.add(v128.load(col + o, 16), e1), 16);
      } else {
        da = f64x2.add(da, f64x2.mul(e0, v128.load(inc + o)));
        db = f64x2.add(db, f64x2.mul(e1, v128.load(inc + o, 16)));
      }
    }
    let d = lanesTotal(da, db);
    // The rest in pairs; an odd last entry takes lane 0 of a vector that reads 8 bytes past the row (inside the
    // matrix or its 16-byte padding), never stored.
    for (; m < n; m += 2) {
      const o = <usize>m << 3;
      let e = bought2(baseRow, o, s2, keep2, pen2, c, den, yuma1);
      if (hasOld && (!yuma1 || v128.any_true(i64x2.eq(e, negZero)))) e = f64x2.add(f64x2.mul(a2, e), f64x2.mul(r2, v128.load(oRow + o)));
      const e0 = f64x2.extract_lane(e, 0);
      store<f64>(eRow + o, e0);
      if (yuma1) store<f64>(col + o, load<f64>(col + o) + e0);
      else if (end > 0) d += e0 * load<f64>(inc + o);
      if (m + 1 < n) {
        const e1 = f64x2.extract_lane(e, 1);
        store<f64>(eRow + o + 8, e1);
        if (yuma1) store<f64>(col + o + 8, load<f64>(col + o + 8) + e1);
        else if (end > 0) d += e1 * load<f64>(inc + o + 8);
      }
    }
    if (LIQUID != 0) memory.fill(rowAt(LIQUID, v), 0, <usize>n << 3);
    if (!yuma1) setF64(D, v, end > 0 ? d : laneDot(eRow, inc, n));
  }
}

/** emaPass with liquid alpha (per-entry alpha against this epoch's consensus). */
function emaRowsLiquid(liquidRuns: bool): void {
  const n = M;
  const yuma1 = version == VERSION_YUMA1;
  const keep = 1 - bondPenalty;
  const pen = bondPenalty;
  const alpha = yuma1 ? 1.0 : 1 - bondMovingAvg;
  const rest = 1 - alpha;
  const eps = EPS;
  const base = version == VERSION_YUMA2B && W_PREV != 0 ? W_PREV : W;
  const keep2 = f64x2.splat(keep);
  const pen2 = f64x2.splat(pen);
  const a2 = f64x2.splat(alpha);
  const r2 = f64x2.splat(rest);
  const one = f64x2.splat(1);
  const zero = f64x2.splat(0);
  for (let v = 0; v < V; v++) {
    const s2 = f64x2.splat(f64At(S, v));
    const baseRow = rowAt(base, v);
    const wRow = rowAt(W, v);
    const eRow = rowAt(B_NEW, v);
    const oRow = B_OLD != 0 ? rowAt(B_OLD, v) : 0;
    const aRow = LIQUID != 0 ? rowAt(LIQUID, v) : 0;
    const liquidFrom = liquidRuns ? (inBlock(v) ? blockCol0 : n) : n;
    // The exponents of the pairs from the one holding liquidFrom into C_LIQUID (only Yuma 3 uses it), then their
    // exponentials (expRow: its chains side by side, as relativeRowLiquid).
    const x = C_LIQUID;
    const p0 = liquidFrom & ~1;
    for (let m = p0; m < n; m += 2) {
      const o = <usize>m << 3;
      v128.store(x + o, liquidExponent2(v128.load(wRow + o), oRow != 0 ? v128.load(oRow + o) : zero, v128.load(C + o)));
    }
    if (p0 < n) expRow(x + (<usize>p0 << 3), x + (<usize>p0 << 3), ((n + 1) & ~1) - p0);
    // Pairs run to the last even index; an odd last entry takes lane 0 of a vector that reads 8 bytes past the
    // row (inside the matrix or its 16-byte padding), never stored (its exponent lands in C_LIQUID's room).
    for (let m = 0; m < n; m += 2) {
      const o = <usize>m << 3;
      const w = v128.load(baseRow + o);
      const wc = f64x2.pmin(v128.load(C + o), w);
      const wb = f64x2.add(f64x2.mul(keep2, w), f64x2.mul(pen2, wc));
      const den = v128.load(FACTOR + o);
      // NaN → 0 as bought2.
      let e = v128.andnot(f64x2.div(f64x2.mul(s2, wb), den), f64x2.eq(den, f64x2.splat(0)));
      let a = zero;
      if (oRow != 0) {
        const old = v128.load(oRow + o);
        if (liquidRuns) {
          a = m < p0 ? zero : liquidSigmoid2(v128.load(x + o));
          // Entries left of the block (full matrices): alpha 0.
          if (m < liquidFrom) {
            if (m + 1 < liquidFrom) a = zero;
            else a = f64x2.replace_lane(a, 0, 0);
          }
          e = f64x2.add(f64x2.mul(a, e), f64x2.mul(f64x2.sub(one, a), old));
        } else {
          e = f64x2.add(f64x2.mul(a2, e), f64x2.mul(r2, old));
        }
      } else if (liquidRuns) {
        a = m < p0 ? zero : liquidSigmoid2(v128.load(x + o));
        if (m < liquidFrom) {
          if (m + 1 < liquidFrom) a = zero;
          else a = f64x2.replace_lane(a, 0, 0);
        }
      }
      if (m + 1 < n) {
        v128.store(eRow + o, e);
        if (yuma1) v128.store(COL_SUM + o, f64x2.add(v128.load(COL_SUM + o), e));
        if (aRow != 0) v128.store(aRow + o, a);
      } else {
        store<f64>(eRow + o, f64x2.extract_lane(e, 0));
        if (yuma1) store<f64>(COL_SUM + o, load<f64>(COL_SUM + o) + f64x2.extract_lane(e, 0));
        if (aRow != 0) store<f64>(aRow + o, f64x2.extract_lane(a, 0));
      }
    }
    if (!yuma1) setF64(D, v, laneDot(eRow, I, n));
  }
}

/**
 * Yuma 1: E / (column sum + 1e-6) in place (NaN → 0), and the dividends Σ_m E·I of each row (rows of LANE_MIN
 * or more in the same loop, laneDot's lanes and order).
 */
export function emaRenormalize(finite: bool): void {
  if (finite) renormalize<Yes>();
  else renormalize<No>();
}

/** emaRenormalize (FINITE: as renormalize32). */
function renormalize<FINITE>(): void {
  const finite = isSigned<FINITE>();
  const n = M;
  const end = vectorEnd(n);
  const den = FACTOR;
  const inc = I;
  for (let m = 0; m < n; m++) setF64(den, m, f64At(COL_SUM, m) + EPS);
  for (let v = 0; v < V; v++) {
    const eRow = rowAt(B_NEW, v);
    let da = f64x2.splat(0);
    let db = f64x2.splat(0);
    let m = 0;
    for (; m < end; m += 4) {
      const o = <usize>m << 3;
      const q0 = f64x2.div(v128.load(eRow + o), v128.load(den + o));
      const q1 = f64x2.div(v128.load(eRow + o, 16), v128.load(den + o, 16));
      const x0 = finite ? q0 : nanToNum2(q0);
      const x1 = finite ? q1 : nanToNum2(q1);
      v128.store(eRow + o, x0);
      v128.store(eRow + o, x1, 16);
      da = f64x2.add(da, f64x2.mul(x0, v128.load(inc + o)));
      db = f64x2.add(db, f64x2.mul(x1, v128.load(inc + o, 16)));
    }
    let d = lanesTotal(da, db);
    for (; m + 2 <= n; m += 2) {
      const o = <usize>m << 3;
      const x = nanToNum2(f64x2.div(v128.load(eRow + o), v128.load(den + o)));
      v128.store(eRow + o, x);
      if (end > 0) d += f64x2.extract_lane(x, 0) * load<f64>(inc + o);
      if (end > 0) d += f64x2.extract_lane(x, 1) * load<f64>(inc + o + 8);
    }
    for (; m < n; m++) {
      const o = <usize>m << 3;
      const x = nanToNum(load<f64>(eRow + o) / load<f64>(den + o));
      store<f64>(eRow + o, x);
      if (end > 0) d += x * load<f64>(inc + o);
    }
    setF64(D, v, end > 0 ? d : laneDot(eRow, inc, n));
  }
}

/**
 * Yuma 2C/3: Σ_m B[v][m]/(colSum[m] + 1e-6)·I[m] per validator (B_norm weighted by incentive, B_norm never
 * built): one factor per column, 0 where the incentive is 0. Yuma 3 multiplies by the validator's stake.
 */
export function bondDividends(): void {
  const n = M;
  for (let m = 0; m < n; m++) {
    const i = f64At(I, m);
    setF64(FACTOR, m, i == 0 ? 0.0 : i / (f64At(COL_SUM, m) + EPS));
  }
  const yuma3 = version != VERSION_YUMA2C;
  for (let v = 0; v < V; v++) {
    const d = laneDot(rowAt(B_NEW, v), FACTOR, n);
    setF64(D, v, yuma3 ? f64At(S, v) * d : d);
  }
}

/** D / (ΣD + 1e-6), the sum in validator order. */
export function normalizeRewards(): void {
  let sum = 0.0;
  for (let v = 0; v < V; v++) sum += f64At(D, v);
  const den = sum + EPS;
  for (let v = 0; v < V; v++) setF64(DN, v, f64At(D, v) / den);
}

/** Yuma 3's liquid-alpha consensus: this epoch's, the previous one's, or their maximum. */
export function liquidConsensus(mode: i32, cOld: usize): void {
  for (let m = 0; m < M; m++) {
    const c = f64At(C, m);
    const old = f64At(cOld, m);
    setF64(C_LIQUID, m, mode == 0 ? c : mode == 1 ? old : c > old ? c : old);
  }
}

// ---- float32 epochs: the same steps over f32 matrices, every operation rounded to float32 in the order of
// src/research/kernel.ts's f32 branches (Wasm f32 arithmetic is Math.fround of the double operation).

/** relativeStep on four float32 lanes (every operation rounded to float32; the same argument, the same bits). */
// @ts-ignore: decorator
@inline export function relativeStep4(old: v128, w: v128, a: v128, keep: v128, one: v128 = f32x4.splat(1)): v128 {
  return f32x4.pmin(f32x4.add(f32x4.mul(old, keep), f32x4.mul(a, w)), one);
}

// @ts-ignore: decorator
@inline export function relativeStep32(old: f32, w: f32, a: f32, keep: f32): f32 {
  const b = old * keep + a * w;
  return b > 1 ? 1 : b;
}

/**
 * Liquid alpha of float32 entries follows the TypeScript kernel's f32 branch: the gap and the exponent in
 * float32 (this: −steepness·(gap − 0.5), the gap clamped to [0, 1]), e^x by expDet in double rounded once to
 * float32, then liquidSigmoid4.
 */
// @ts-ignore: decorator
@inline function liquidExponent4(w: v128, b: v128, c: v128): v128 {
  let d = v128.bitselect(f32x4.sub(w, c), f32x4.sub(b, w), f32x4.ge(w, b));
  d = f32x4.pmin(f32x4.pmax(d, f32x4.splat(0)), f32x4.splat(1));
  return f32x4.mul(f32x4.splat(<f32>-steepness), f32x4.sub(d, f32x4.splat(0.5)));
}

/** Liquid alpha from e^x (float32): low + span/(1 + e) (1/(1 + e) rounded first), clamped to [low, high]. */
// @ts-ignore: decorator
@inline function liquidSigmoid4(e: v128): v128 {
  const low = f32x4.splat(<f32>alphaLow);
  const sig = f32x4.div(f32x4.splat(1), f32x4.add(f32x4.splat(1), e));
  const a = f32x4.add(low, f32x4.mul(sig, f32x4.splat(<f32>(alphaHigh - alphaLow))));
  return f32x4.pmin(f32x4.pmax(a, low), f32x4.splat(<f32>alphaHigh));
}

/**
 * e^x of the liquid-alpha exponents of row entries [g0, n) (g0 a multiple of 4) into FACTOR as f64 (float32
 * epochs do not use it): the exponents in one loop, then expRow (its chains side by side; a loop of one chain
 * pair with the alpha around it left the FP units idle). Groups of four read up to 12 bytes past the row (inside
 * the matrix or its padding) and write up to 24 bytes past FACTOR's n values (into its padding or C_LIQUID,
 * which float32 epochs do not use either).
 */
function liquidExps32(wRow: usize, oRow: usize, c: usize, g0: i32, n: i32): void {
  const x = FACTOR;
  for (let m = g0; m < n; m += 4) {
    const o = <usize>m << 2;
    const e = liquidExponent4(v128.load(wRow + o), oRow != 0 ? v128.load(oRow + o) : f32x4.splat(0), v128.load(c + o));
    v128.store(x + (o << 1), f64x2.promote_low_f32x4(e));
    v128.store(x + (o << 1), f64x2.promote_low_f32x4(i8x16.shuffle(e, e, 8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7)), 16);
  }
  if (g0 < n) expRow(x + (<usize>g0 << 3), x + (<usize>g0 << 3), ((n + 3) & ~3) - g0);
}

/** Liquid alpha of the four entries at byte offset o (f32) from their exponentials in FACTOR (liquidExps32). */
// @ts-ignore: decorator
@inline function liquidAlphaAt4(o: usize): v128 {
  const lo = f32x4.demote_f64x2_zero(v128.load(FACTOR + (o << 1)));
  const hi = f32x4.demote_f64x2_zero(v128.load(FACTOR + (o << 1), 16));
  return liquidSigmoid4(i8x16.shuffle(lo, hi, 0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23));
}

/** Lanes of four entries starting at column m that lie left of column `from` get alpha 0. */
// @ts-ignore: decorator
@inline function maskLeft(a: v128, m: i32, from: i32): v128 {
  if (m + 4 <= from) return f32x4.splat(0);
  if (m >= from) return a;
  const lane = i32x4(0, 1, 2, 3);
  return v128.and(a, i32x4.ge_s(i32x4.add(lane, i32x4.splat(m)), i32x4.splat(from)));
}

/** relativeRowLiquid over f32: alpha per entry against CL32, the exponentials first (liquidExps32). */
export function relativeRowLiquid32(v: i32): void {
  const n = M;
  const wRow = row32(W, v);
  const bRow = row32(B_NEW, v);
  const oRow = B_OLD != 0 ? row32(B_OLD, v) : 0;
  const aRow = LIQUID != 0 ? row32(LIQUID, v) : 0;
  const zero = f32x4.splat(0);
  const one = f32x4.splat(1);
  const c0 = inBlock(v) ? blockCol0 : n;
  liquidExps32(wRow, oRow, CL32, c0 & ~3, n);
  for (let m = 0; m < n; m += 4) {
    const o = <usize>m << 2;
    const old = oRow != 0 ? v128.load(oRow + o) : zero;
    const w = v128.load(wRow + o);
    const a = m + 4 <= c0 ? zero : maskLeft(liquidAlphaAt4(o), m, c0);
    const b = relativeStep4(old, w, a, f32x4.sub(one, a));
    if (m + 4 <= n) {
      v128.store(bRow + o, b);
      v128.store(COL32 + o, f32x4.add(v128.load(COL32 + o), b));
      if (aRow != 0) v128.store(aRow + o, a);
    } else {
      for (let j = 0; j < n - m; j++) {
        const at = o + (<usize>j << 2);
        const bj = laneOf(b, j);
        store<f32>(bRow + at, bj);
        store<f32>(COL32 + at, load<f32>(COL32 + at) + bj);
        if (aRow != 0) store<f32>(aRow + at, laneOf(a, j));
      }
    }
  }
}

// @ts-ignore: decorator
@inline function laneOf(x: v128, j: i32): f32 {
  return j == 0 ? f32x4.extract_lane(x, 0) : j == 1 ? f32x4.extract_lane(x, 1) : j == 2 ? f32x4.extract_lane(x, 2) : f32x4.extract_lane(x, 3);
}

/** emaPass over f32 (Yuma 1/2/2B): the bonds bought and their EMA, every operation rounded to float32. */
export function emaPass32(liquidRuns: bool): void {
  const n = M;
  const yuma1 = version == VERSION_YUMA1;
  const eps: f32 = <f32>1e-6;
  for (let m = 0; m < n; m++) {
    const b = load<f32>(BSUM32 + (<usize>m << 2));
    store<f32>(DEN32 + (<usize>m << 2), yuma1 ? b + eps : b);
  }
  if (yuma1) memory.fill(COL32, 0, <usize>n << 2);
  // Yuma 1 without liquid alpha: its quotients cannot be NaN or ±∞, so nanToNum is skipped. Stakes and
  // normalised weights lie in [−0, 1] (each a part over a sum of nonnegative parts), bondPenalty in [0, 1]
  // (the config's check), so S·W_b ∈ [−0, 1] over a divisor ≥ ε; the EMA sums those, and its renormalisation
  // divides a value ≥ −0 by its column sum + ε. (Yuma 2/2B divide 0 by 0; liquid alpha mixes in old bonds,
  // which may be negative.) Its EMA takes alpha 1: fr(1·E) + fr(0·old) is E itself (old bonds are finite: the
  // readers refuse others and every epoch returns finite ones) unless E is −0, where old's sign decides; so
  // the old bonds are read only for a group of entries holding a −0 (a weight of −0).
  if (liquidRuns) {
    emaRowsLiquid32();
  } else if (B_OLD != 0) {
    if (yuma1) emaRows32<Yes, Yes>();
    else emaRows32<No, Yes>();
  } else {
    if (yuma1) emaRows32<Yes, No>();
    else emaRows32<No, No>();
  }
}

// Compile-time switches (as in rank.ts): an instantiation with Yes compiles the branch isSigned<T>() guards.
type Yes = i8;
type No = u8;

/** The bonds bought of four entries at byte offset o, S·W_b / den (NaN → 0, as bought2). */
// @ts-ignore: decorator
@inline function bought4(baseRow: usize, o: usize, s4: v128, keep4: v128, pen4: v128, c32: usize, den: usize, finite: bool = false): v128 {
  const w = v128.load(baseRow + o);
  const wc = f32x4.pmin(v128.load(c32 + o), w);
  const wb = f32x4.add(f32x4.mul(keep4, w), f32x4.mul(pen4, wc));
  const d = v128.load(den + o);
  const q = f32x4.div(f32x4.mul(s4, wb), d);
  return finite ? q : v128.andnot(q, f32x4.eq(d, f32x4.splat(0)));
}

/**
 * emaPass32 without liquid alpha, one loop per version group and bond state (no flag tested per entry); Yuma 2/2B
 * take each row's dividends Σ E·I in the same loop (laneDot32's lanes and order; rows shorter than LANE_MIN
 * through laneDot32 itself).
 */
function emaRows32<Y1, OLD>(): void {
  const yuma1 = isSigned<Y1>();
  const hasOld = isSigned<OLD>();
  const n = M;
  const n4 = n & ~3;
  const end = vectorEnd(n);
  const alpha = yuma1 ? 1.0 : 1 - bondMovingAvg;
  const base = version == VERSION_YUMA2B && W_PREV != 0 ? W_PREV : W;
  const keep4 = f32x4.splat(<f32>(1 - bondPenalty));
  const pen4 = f32x4.splat(<f32>bondPenalty);
  const a4 = f32x4.splat(<f32>alpha);
  const r4 = f32x4.splat(<f32>(1 - alpha));
  const c32 = C32;
  const den = DEN32;
  const col = COL32;
  const i32 = I32;
  const negZero = i32x4.splat(0x80000000);
  for (let v = 0; v < V; v++) {
    const s4 = f32x4.splat(<f32>f64At(S, v));
    const baseRow = row32(base, v);
    const eRow = row32(B_NEW, v);
    const oRow = hasOld ? row32(B_OLD, v) : 0;
    let acc = f32x4.splat(0);
    let m = 0;
    for (; m < n4; m += 4) {
      const o = <usize>m << 2;
      let e = bought4(baseRow, o, s4, keep4, pen4, c32, den, yuma1);
      if (hasOld && (!yuma1 || v128.any_true(i32x4.eq(e, negZero)))) e = f32x4.add(f32x4.mul(a4, e), f32x4.mul(r4, v128.load(oRow + o)));
      v128.store(eRow + o, e);
      if (yuma1) v128.store(col + o, f32x4.add(v128.load(col + o), e));
      else acc = f32x4.add(acc, f32x4.mul(e, v128.load(i32 + o)));
    }
    let d: f32 = end > 0 ? lanesTotal32(acc) : 0;
    if (m < n) {
      // The last n mod 4 entries through the same vector code (reading past the row, inside the matrix or its
      // padding), stored lane by lane.
      const o = <usize>m << 2;
      let e = bought4(baseRow, o, s4, keep4, pen4, c32, den, yuma1);
      if (hasOld && (!yuma1 || v128.any_true(i32x4.eq(e, negZero)))) e = f32x4.add(f32x4.mul(a4, e), f32x4.mul(r4, v128.load(oRow + o)));
      for (let j = 0; j < n - m; j++) {
        const at = o + (<usize>j << 2);
        const ej = laneOf(e, j);
        store<f32>(eRow + at, ej);
        if (yuma1) store<f32>(col + at, load<f32>(col + at) + ej);
        else if (end > 0) d += ej * load<f32>(i32 + at);
      }
    }
    if (LIQUID != 0) memory.fill(row32(LIQUID, v), 0, <usize>n << 2);
    if (!yuma1) setF64(D, v, <f64>(end > 0 ? d : laneDot32(eRow, i32, n)));
  }
}

/** emaPass32 with liquid alpha (per-entry alpha against this epoch's consensus). */
function emaRowsLiquid32(): void {
  const n = M;
  const yuma1 = version == VERSION_YUMA1;
  const keep = <f32>(1 - bondPenalty);
  const pen = <f32>bondPenalty;
  const base = version == VERSION_YUMA2B && W_PREV != 0 ? W_PREV : W;
  const keep4 = f32x4.splat(keep);
  const pen4 = f32x4.splat(pen);
  const one = f32x4.splat(1);
  const zero = f32x4.splat(0);
  for (let v = 0; v < V; v++) {
    const s4 = f32x4.splat(<f32>f64At(S, v));
    const baseRow = row32(base, v);
    const wRow = row32(W, v);
    const eRow = row32(B_NEW, v);
    const oRow = B_OLD != 0 ? row32(B_OLD, v) : 0;
    const aRow = LIQUID != 0 ? row32(LIQUID, v) : 0;
    const liquidFrom = inBlock(v) ? blockCol0 : n;
    liquidExps32(wRow, oRow, C32, liquidFrom & ~3, n);
    // Groups of four; the last n mod 4 entries through the same vector code (reading past the row, inside the
    // matrix or its padding), stored lane by lane.
    for (let m = 0; m < n; m += 4) {
      const o = <usize>m << 2;
      let e = bought4(baseRow, o, s4, keep4, pen4, C32, DEN32);
      const old = oRow != 0 ? v128.load(oRow + o) : zero;
      const a = m + 4 <= liquidFrom ? zero : maskLeft(liquidAlphaAt4(o), m, liquidFrom);
      if (oRow != 0) e = f32x4.add(f32x4.mul(a, e), f32x4.mul(f32x4.sub(one, a), old));
      if (m + 4 <= n) {
        v128.store(eRow + o, e);
        if (yuma1) v128.store(COL32 + o, f32x4.add(v128.load(COL32 + o), e));
        if (aRow != 0) v128.store(aRow + o, a);
      } else {
        for (let j = 0; j < n - m; j++) {
          const at = o + (<usize>j << 2);
          const ej = laneOf(e, j);
          store<f32>(eRow + at, ej);
          if (yuma1) store<f32>(COL32 + at, load<f32>(COL32 + at) + ej);
          if (aRow != 0) store<f32>(aRow + at, laneOf(a, j));
        }
      }
    }
    if (!yuma1) setF64(D, v, <f64>laneDot32(eRow, I32, n));
  }
}

/**
 * Yuma 1 over f32: E / (column sum + ε) in place (NaN → 0), then each row's dividends (rows of LANE_MIN or more
 * in the same loop, laneDot32's lanes and order).
 */
export function emaRenormalize32(finite: bool): void {
  if (finite) renormalize32<Yes>();
  else renormalize32<No>();
}

/** emaRenormalize32 (FINITE: the quotients are known finite, emaPass32's argument; nanToNum skipped). */
function renormalize32<FINITE>(): void {
  const finite = isSigned<FINITE>();
  const n = M;
  const end = vectorEnd(n);
  const eps: f32 = <f32>1e-6;
  const den = DEN32;
  const i32 = I32;
  for (let m = 0; m < n; m++) store<f32>(den + (<usize>m << 2), load<f32>(COL32 + (<usize>m << 2)) + eps);
  // One group in four through the reciprocals, as laneProductDot32 (FACTOR is free in float32 epochs here).
  const r = FACTOR;
  const steps = quotientsByReciprocal(den, r, n) ? n & ~15 : 0;
  for (let v = 0; v < V; v++) {
    const eRow = row32(B_NEW, v);
    let acc = f32x4.splat(0);
    let m = 0;
    for (; m < steps; m += 16) {
      const o = <usize>m << 2;
      const q0 = f32x4.div(v128.load(eRow + o), v128.load(den + o));
      const q1 = f32x4.div(v128.load(eRow + o, 16), v128.load(den + o, 16));
      const q2 = f32x4.div(v128.load(eRow + o, 32), v128.load(den + o, 32));
      const q3 = reciprocalQuotient4(v128.load(eRow + o, 48), r + (o << 1) + 96);
      const x0 = finite ? q0 : nanToNum32x4(q0);
      const x1 = finite ? q1 : nanToNum32x4(q1);
      const x2 = finite ? q2 : nanToNum32x4(q2);
      const x3 = finite ? q3 : nanToNum32x4(q3);
      v128.store(eRow + o, x0);
      v128.store(eRow + o, x1, 16);
      v128.store(eRow + o, x2, 32);
      v128.store(eRow + o, x3, 48);
      if (end > 0) {
        acc = f32x4.add(acc, f32x4.mul(x0, v128.load(i32 + o)));
        acc = f32x4.add(acc, f32x4.mul(x1, v128.load(i32 + o, 16)));
        acc = f32x4.add(acc, f32x4.mul(x2, v128.load(i32 + o, 32)));
        acc = f32x4.add(acc, f32x4.mul(x3, v128.load(i32 + o, 48)));
      }
    }
    for (; m + 4 <= n; m += 4) {
      const o = <usize>m << 2;
      const q = f32x4.div(v128.load(eRow + o), v128.load(den + o));
      const x = finite ? q : nanToNum32x4(q);
      v128.store(eRow + o, x);
      if (end > 0) acc = f32x4.add(acc, f32x4.mul(x, v128.load(i32 + o)));
    }
    let d: f32 = end > 0 ? lanesTotal32(acc) : 0;
    for (; m < n; m++) {
      const o = <usize>m << 2;
      let x = load<f32>(eRow + o) / load<f32>(den + o);
      x = x != x ? 0 : x == Infinity ? F32_MAX : x == -Infinity ? -F32_MAX : x;
      store<f32>(eRow + o, x);
      if (end > 0) d += x * load<f32>(i32 + o);
    }
    setF64(D, v, <f64>(end > 0 ? d : laneDot32(eRow, i32, n)));
  }
}

/** Yuma 2C/3 over f32: Σ_m (B / (colSum + ε))·I per row, each quotient and product rounded; Yuma 3 times stake. */
export function bondDividends32(): void {
  const n = M;
  const eps: f32 = <f32>1e-6;
  for (let m = 0; m < n; m++) store<f32>(DEN32 + (<usize>m << 2), load<f32>(COL32 + (<usize>m << 2)) + eps);
  // The reciprocals in FACTOR (free in float32 epochs after the rank pass).
  const byReciprocal = quotientsByReciprocal(DEN32, FACTOR, n);
  const yuma3 = version != VERSION_YUMA2C;
  for (let v = 0; v < V; v++) {
    const b = row32(B_NEW, v);
    const d = byReciprocal ? laneProductDot32(b, DEN32, FACTOR, I32, n) : laneQuotientDot32(b, DEN32, I32, n);
    setF64(D, v, yuma3 ? <f64>(<f32>f64At(S, v) * d) : <f64>d);
  }
}

/** normalizeRewards in float32. */
export function normalizeRewards32(): void {
  let sum = 0.0;
  for (let v = 0; v < V; v++) sum = fr(sum + f64At(D, v));
  const den = fr(sum + fr(1e-6));
  for (let v = 0; v < V; v++) setF64(DN, v, fr(f64At(D, v) / den));
}

/** liquidConsensus into CL32 (this epoch's, the previous one's, or their maximum). */
export function liquidConsensus32(mode: i32, cOld: usize): void {
  for (let m = 0; m < M; m++) {
    const c = f64At(C, m);
    const old = f64At(cOld, m);
    store<f32>(CL32 + (<usize>m << 2), <f32>(mode == 0 ? c : mode == 1 ? old : c > old ? c : old));
  }
}
