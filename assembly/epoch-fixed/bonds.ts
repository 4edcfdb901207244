// §2.8–2.9: weights for bonds (bonds penalty), the bond EMA (original Yuma or Yuma3, liquid alpha) and dividends.
// Works row by row over M in place. On return M holds, for every compact row, the u16 the chain stores per column,
// or -1 where the sparse path stores no entry; DIV holds the normalised dividends.
import { ONE, mulSat, satAdd, satSub, u16ProportionToFixed, fixedProportionToU16, mulOrZero } from '../fixed/i32f32';
import { alphaFromBondsMovingAverage } from '../fixed/wide-fixed';
import { alphaSigmoid } from '../fixed/transcendental';
import { divU, mulU } from './unit';
import * as J from './job';
import { ACT, COL_A, COL_B, CONS, DIV, INC, OLD_PERMIT, RECENT, ROWS, ld, ldI32, ldU8, st } from './layout';
import { rowPtr, weightPresent } from './weights';

let beta: i64 = 0;

// @ts-ignore: decorator
@inline function bondIn(i: i32, j: i32): u32 {
  return <u32>load<u16>(J.bondsIn + ((<usize>i * <usize>J.n + <usize>j) << 1));
}

/** WB = W ⊕ β⊗(CW ⊖ W) with CW = min(W, C); β = 0 and β = ONE are the chain's exact short-cuts. */
// @ts-ignore: decorator
@inline function weightForBonds(w: i64, c: i64): i64 {
  if (beta == 0) return w;
  const cw = w < c ? w : c;
  if (beta == ONE) return cw;
  return satAdd(w, mulSat(beta, satSub(cw, w))); // the difference is ≤ 0: mulSat floors toward −∞ like the crate
}

/** Sparse path: whether WB keeps entry (i, j) (explicit zeros included for β = 0 and β = ONE). */
// @ts-ignore: decorator
@inline function weightForBondsPresent(i: i32, j: i32, lu: u64, cm: u64, w: i64, c: i64, wb: i64): bool {
  if (!ldU8(OLD_PERMIT, i)) return false; // `mask_rows` emptied the row
  if (beta == 0) return weightPresent(i, j, lu, cm);
  if (beta == ONE) return weightPresent(i, j, lu, cm) && !(c < w && c <= 0);
  return wb > 0;
}

export function bondsAndDividends(rows: i32): void {
  beta = u16ProportionToFixed(J.bondsPenalty);
  if (J.yuma3) yuma3(rows);
  else originalYuma(rows);
  normaliseDividends();
}

function normaliseDividends(): void {
  const n = J.n;
  let s: i64 = 0;
  for (let i = 0; i < n; i++) s += ld(DIV, i); // each ≤ ONE·n at most: no wrap
  if (s != 0) for (let i = 0; i < n; i++) st(DIV, i, divU(ld(DIV, i), s));
}

// ---------------------------------------------------------------------------------------------------------------
// Original Yuma: integer bonds column-normalised, ΔB = colnorm(WB ⊙ a), EMA, colnorm, Σ EMA·I, max-upscale.
// ---------------------------------------------------------------------------------------------------------------

function originalYuma(rows: i32): void {
  const n = J.n;
  const alpha = alphaFromBondsMovingAverage(J.bma);
  const keep = satSub(ONE, alpha);
  const bondSum = COL_A; // Σ_i b_ij as an integer (the I32F32 sums are exact multiples of 2^32)
  const deltaSum = COL_B;
  memory.fill(bondSum, 0, <usize>n << 3);
  memory.fill(deltaSum, 0, <usize>n << 3);
  memory.fill(DIV, 0, <usize>n << 3);

  // pass 1: ΔB in place of W, column sums of ΔB and of the (recent-masked) bonds
  for (let r = 0; r < rows; r++) {
    const i = ldI32(ROWS, r);
    const row = rowPtr(r);
    const a = ld(ACT, i);
    for (let j = 0; j < n; j++) {
      if (!ldU8(RECENT, j)) {
        const b = bondIn(i, j);
        if (b != 0) st(bondSum, j, ld(bondSum, j) + b);
      }
      const w = ld(row, j);
      if (w == 0) continue;
      const d = mulU(weightForBonds(w, ld(CONS, j)), a);
      st(row, j, d);
      st(deltaSum, j, ld(deltaSum, j) + d); // Σ_i WB_ij·a_i ≤ Σ a ≤ ONE: saturation unreachable
    }
  }

  // pass 2: EMA = α⊗ΔBn ⊕ (1−α)⊗Bn; the sparse path stores only entries > 0. Reuse COL_B for Σ EMA.
  const emaSum = COL_B;
  for (let r = 0; r < rows; r++) {
    const i = ldI32(ROWS, r);
    const row = rowPtr(r);
    for (let j = 0; j < n; j++) {
      const ds = ld(deltaSum, j);
      let d = ld(row, j);
      if (ds != 0) d = divU(d, ds);
      let bn: i64 = 0;
      const bs = ld(bondSum, j);
      if (bs != 0 && !ldU8(RECENT, j)) bn = <i64>((<u64>bondIn(i, j) << 32) / <u64>bs);
      st(row, j, mulU(alpha, d) + mulU(keep, bn)); // each term ≤ ONE
    }
  }
  // column sums after the whole pass: deltaSum was still needed row by row above
  memory.fill(emaSum, 0, <usize>n << 3);
  for (let r = 0; r < rows; r++) {
    const row = rowPtr(r);
    for (let j = 0; j < n; j++) st(emaSum, j, ld(emaSum, j) + ld(row, j));
  }

  // pass 3: column-normalise, dividends Σ_j I_j ⊗ EMAn_ij, column maxima (COL_A, bond sums no longer needed)
  const colMax = COL_A;
  memory.fill(colMax, 0, <usize>n << 3);
  for (let r = 0; r < rows; r++) {
    const i = ldI32(ROWS, r);
    const row = rowPtr(r);
    let d: i64 = 0;
    for (let j = 0; j < n; j++) {
      const e = ld(row, j);
      if (e == 0) {
        if (J.sparse) st(row, j, -1);
        continue;
      }
      const es = ld(emaSum, j);
      const en = es != 0 ? divU(e, es) : e;
      st(row, j, en);
      d += mulU(ld(INC, j), en); // ≤ Σ_j I_j ≤ ONE
      if (ld(colMax, j) < en) st(colMax, j, en);
    }
    st(DIV, i, d);
  }

  // pass 4: storage form, column max-upscaled
  for (let r = 0; r < rows; r++) {
    const row = rowPtr(r);
    for (let j = 0; j < n; j++) {
      const en = ld(row, j);
      if (en < 0) continue;
      const mx = ld(colMax, j);
      st(row, j, <i64>fixedProportionToU16(mx != 0 ? divU(en, mx) : en));
    }
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Yuma3: bonds as u16 proportions, per-entry (liquid) or single α, dividends stake-weighted, storage unnormalised.
// ---------------------------------------------------------------------------------------------------------------

function yuma3(rows: i32): void {
  const n = J.n;
  let liquid = false;
  if (J.liquidAlpha) for (let j = 0; j < n; j++) if (ld(CONS, j) != 0) { liquid = true; break; }
  const lo = u16ProportionToFixed(J.alphaLow);
  const hi = u16ProportionToFixed(J.alphaHigh);
  const steep = J.steepness << 32;
  const alphaAtZero = alphaSigmoid(0, 0, 0, lo, hi, steep); // α for combined_diff = 0, by far the commonest
  const alpha = alphaFromBondsMovingAverage(J.bma);
  const keep = satSub(ONE, alpha);
  const emaSum = COL_A;
  memory.fill(emaSum, 0, <usize>n << 3);
  memory.fill(DIV, 0, <usize>n << 3);

  // pass 1: EMA in place of W; -1 marks entries the sparse path does not store
  for (let r = 0; r < rows; r++) {
    const i = ldI32(ROWS, r);
    const row = rowPtr(r);
    const lu = J.lastUpdate(i);
    const cm = J.commitOf(i);
    for (let j = 0; j < n; j++) {
      const w = ld(row, j);
      const c = ld(CONS, j);
      const wb = w == 0 ? 0 : weightForBonds(w, c);
      const raw = bondIn(i, j);
      const b = raw != 0 && !ldU8(RECENT, j) ? u16ProportionToFixed(raw) : 0;
      let e: i64;
      if (liquid) {
        // mat_ema_alpha_sparse produces only the columns WB lists: an old bond elsewhere is dropped, not decayed
        if (J.sparse && !weightForBondsPresent(i, j, lu, cm, w, c, wb)) { st(row, j, -1); continue; }
        const buy = wb >= b;
        let dd = buy ? satSub(wb, c) : satSub(b, wb);
        const a = dd <= 0 && buy ? alphaAtZero : alphaSigmoid(c, wb, b, lo, hi, steep);
        let inc = mulSat(a, wb);
        if (inc < 0) inc = 0;
        e = satAdd(mulSat(satSub(ONE, a), b), inc);
        if (e > ONE) e = ONE;
      } else {
        e = satAdd(mulU(alpha, wb), mulU(keep, b));
      }
      if (J.sparse && e <= 0) { st(row, j, -1); continue; }
      st(row, j, e);
      st(emaSum, j, ld(emaSum, j) + e); // each ≤ ONE, ≤ 4096 rows: saturation unreachable
    }
  }

  // pass 2: Σ_j colnorm(EMA)_ij ⊗ I_j (checked: 0 on overflow) times active stake; storage = fp16(EMA)
  for (let r = 0; r < rows; r++) {
    const i = ldI32(ROWS, r);
    const row = rowPtr(r);
    let tb: i64 = 0;
    for (let j = 0; j < n; j++) {
      const e = ld(row, j);
      if (e < 0) continue;
      if (e != 0) {
        const es = ld(emaSum, j);
        tb += mulU(es != 0 ? divU(e, es) : e, ld(INC, j)); // wrapping `sum()`; ≤ ONE here
      }
      st(row, j, <i64>fixedProportionToU16(e));
    }
    st(DIV, i, mulOrZero(tb, ld(ACT, i)));
  }
}
