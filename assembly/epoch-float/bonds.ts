// Weights for bonds, original-Yuma EMA, Yuma3 EMA (single alpha or liquid alpha), dividends.
import * as J from '../job';
import { TWO32, ULP, u16ProportionUlps } from './grid';
import { weightPresent } from './weights';
import { clipRankIncentive, incentiveOfRank } from './clip';
import { ASTAKE, COL_A, COL_C, COL_D, CONS, DIV, FORBID, INC, MAT, MED_A, PRERANK, ROW_STRIDE, RANK, RECENT, ROWS, VT, f64At, i32At, matRow, normalizeVec, setF64 } from './layout';

let betaUlps: f64 = 0;
let betaUlpsV: v128 = f64x2.splat(0);

/**
 * `WB = W ⊕ β⊗(min(W, C) − W)` on the grid: β = floor(bondsPenalty·2^32 / 65535) in ulps and the product floored
 * as the chain's (reference: src/reference/float/bonds.ts `weightsForBonds`); β = 0 and β = 1 pass W or the clipped W through.
 */
// @ts-ignore: decorator
@inline export function wbOf(w: v128, c: v128): v128 {
  if (J.bondsPenalty == 0) return w;
  const cw = f64x2.pmin(w, c);
  if (J.bondsPenalty == 65535) return cw;
  return f64x2.add(w, f64x2.mul(f64x2.floor(f64x2.mul(f64x2.sub(cw, w), betaUlpsV)), f64x2.splat(ULP)));
}

// @ts-ignore: decorator
@inline export function wbOfScalar(w: f64, c: f64): f64 {
  if (J.bondsPenalty == 0) return w;
  const cw = c < w ? c : w;
  if (J.bondsPenalty == 65535) return cw;
  return w + Math.floor((cw - w) * betaUlps) * ULP;
}

/** A u16 proportion's ulps per unit, 2^32/65535 (liquid alpha's bonds; reference `yuma3Bonds`). */
const U16_TO_ULPS: f64 = TWO32 / 65535.0;

/** `x / c`, or `x` where `c` is 0 (the chain's column normalisation skips empty columns). */
// @ts-ignore: decorator
@inline function divOrKeep(x: v128, c: v128): v128 {
  return v128.bitselect(x, f64x2.div(x, c), f64x2.eq(c, f64x2.splat(0)));
}

// @ts-ignore: decorator
@inline function divOrKeepScalar(x: f64, c: f64): f64 {
  return c != 0 ? x / c : x;
}

/**
 * Four stored u16 bonds from `at` as i32x4. Widened u16 values are non-negative i32s, so the signed conversion to
 * f64 (one instruction on x64; V8 builds the unsigned one from several) gives the same values.
 */
// @ts-ignore: decorator
@inline function bondQuad(at: usize): v128 {
  return i32x4.extend_low_i16x8_u(v128.load64_zero(at));
}

/** Two stored u16 bonds of a row (at `bRow`) at column `j` as f64x2. */
// @ts-ignore: decorator
@inline export function bondPair(bRow: usize, j: i32): v128 {
  const b = v128.load32_zero(bRow + (<usize>j << 1));
  return f64x2.convert_low_i32x4_s(i32x4.extend_low_i16x8_u(b));
}

// @ts-ignore: decorator
@inline export function keepPair(j: i32): v128 {
  return v128.load(COL_C + (<usize>j << 3));
}

/** 1 where a bond column survives the recent-registration mask, 0 where it is dropped (into COL_C). */
export function recentKeepMask(): void {
  for (let j = 0; j < J.n; j++) setF64(COL_C, j, load<u8>(RECENT + <usize>j) != 0 ? 0.0 : 1.0);
}

/** The EMA's keep = floor(bondsMovingAverage·2^32 / 10^6) in ulps (exact; reference `emaWeightsUlps`); α = 2^32 − keep. */
function emaKeepUlps(): f64 {
  return Math.floor((<f64>J.bma * TWO32) / 1e6);
}

/** β of the weights for bonds (`wbOf`), from the job's bonds penalty. */
export function setBondsPenalty(): void {
  betaUlps = u16ProportionUlps(<f64>J.bondsPenalty);
  betaUlpsV = f64x2.splat(betaUlps);
}

/**
 * Clipping, rank, incentive, the bond EMA and dividends. Yuma3 clips first (`clipRankIncentive`) and runs its EMA
 * after; original Yuma runs clipping inside its bond passes.
 */
export function clipBondsAndDividends(rows: i32): void {
  setBondsPenalty();
  if (J.yuma3) {
    clipRankIncentive(rows);
    yuma3(rows);
  } else if (J.bondsPenalty == 65535) {
    originalYuma<u8>(rows);
  } else if (J.bondsPenalty == 0) {
    originalYuma<u16>(rows);
  } else {
    originalYuma<u32>(rows);
  }
  normalizeVec(DIV, J.n);
}

/**
 * Original Yuma, from clipping to dividends, over the working rows (every other row has zero weights and zero
 * bonds). Every step up to the column-normalised EMA is local to a column, so the matrix is walked in blocks of
 * four columns, each block through all its steps while its rows are in L1 and its column sums and maxima stay in
 * registers (row by row over the whole matrix, each step loaded and stored every column sum once per row, which
 * cost more than the arithmetic). Per block, three walks down the working rows:
 * 1. clipping `min(w, C)`: validator trust (row sums of the clipped weights: grid values, exact in any order),
 *    rank `Σ floor(clipped·a·2^32)` in ulps (exact integers), prerank `Σ a·w` (rows in uid order, the reference's
 *    order: rows with no active stake add +0), column sums of the masked bonds (integers) and ΔB = floor(WB·a·2^32)
 *    in place of W with its column sums (integers);
 * 2. the EMA `floor(ΔB·α/ΣΔB) + floor(b·keep/Σb)` in ulps in place of ΔB, with its column sums (integers);
 * 3. the column-normalised EMA in place, and the column maxima for storage (into COL_C).
 * Then incentive (normalised rank) and dividends `Σⱼ floor(Iⱼ·2^32·EMAᵢⱼ)` (integers, exact in any order). Every
 * value is the one the reference computes (src/reference/float/bonds.ts `originalYumaBonds`), to the bit.
 * `P` picks the weights for bonds at compile time (`sizeof<P>()`): 1 the full penalty (WB is the clipped W, so ΔB is
 * rank's own term: the chain's default), 2 none (WB = W), 4 any other penalty (`wbOf`).
 */
function originalYuma<P>(rows: i32): void {
  const n = J.n;
  const bytes = <usize>n << 3;
  const rowBytes = ROW_STRIDE;
  memory.fill(VT, 0, bytes);
  recentKeepMask();
  const keepUlps = emaKeepUlps();
  const alphaUlps = TWO32 - keepUlps;
  const keepV = f64x2.splat(keepUlps);
  const alphaV = f64x2.splat(alphaUlps);
  const zero = f64x2.splat(0);
  // VT as two lanes per working row: row sums of grid values ≤ 1, exact in any order (MED_A is free after consensus)
  memory.fill(MED_A, 0, <usize>rows << 4);
  let j0 = 0;
  for (; j0 + 4 <= n; j0 += 4) {
    const o = <usize>j0 << 3;
    const c0 = v128.load(CONS + o);
    const c1 = v128.load(CONS + o, 16);
    let rank0 = zero, rank1 = zero, pre0 = zero, pre1 = zero;
    let sb0 = zero, sb1 = zero, sd0 = zero, sd1 = zero;
    for (let r = 0; r < rows; r++) {
      const i = i32At(ROWS, r);
      const row = MAT + <usize>r * rowBytes + o;
      const bonds = bondQuad(J.bondsIn + ((<usize>i * <usize>n + <usize>j0) << 1));
      const a = f64At(ASTAKE, i);
      const av = f64x2.splat(a);
      const aUlpsV = f64x2.splat(a * TWO32);
      const w0 = v128.load(row);
      const w1 = v128.load(row, 16);
      const cw0 = f64x2.pmin(w0, c0);
      const cw1 = f64x2.pmin(w1, c1);
      // the row's trust in two lanes per working row (MED_A), added up after the blocks
      const vtAt = MED_A + (<usize>r << 4);
      v128.store(vtAt, f64x2.add(v128.load(vtAt), f64x2.add(cw0, cw1)));
      const rk0 = f64x2.floor(f64x2.mul(cw0, aUlpsV));
      const rk1 = f64x2.floor(f64x2.mul(cw1, aUlpsV));
      rank0 = f64x2.add(rank0, rk0);
      rank1 = f64x2.add(rank1, rk1);
      pre0 = f64x2.add(pre0, f64x2.mul(av, w0));
      pre1 = f64x2.add(pre1, f64x2.mul(av, w1));
      sb0 = f64x2.add(sb0, f64x2.convert_low_i32x4_s(bonds));
      sb1 = f64x2.add(sb1, f64x2.convert_low_i32x4_s(i32x4.shuffle(bonds, bonds, 2, 3, 0, 1)));
      let d0 = rk0;
      let d1 = rk1;
      if (sizeof<P>() == 2) {
        d0 = f64x2.floor(f64x2.mul(w0, aUlpsV));
        d1 = f64x2.floor(f64x2.mul(w1, aUlpsV));
      } else if (sizeof<P>() == 4) {
        d0 = f64x2.floor(f64x2.mul(wbOf(w0, c0), aUlpsV));
        d1 = f64x2.floor(f64x2.mul(wbOf(w1, c1), aUlpsV));
      }
      v128.store(row, d0);
      v128.store(row, d1, 16);
      sd0 = f64x2.add(sd0, d0);
      sd1 = f64x2.add(sd1, d1);
    }
    v128.store(RANK + o, rank0);
    v128.store(RANK + o, rank1, 16);
    v128.store(PRERANK + o, pre0);
    v128.store(PRERANK + o, pre1, 16);
    // the recent-registration mask drops a column's bonds: its sum is 0, and so its factor
    const k0 = v128.load(COL_C + o);
    const k1 = v128.load(COL_C + o, 16);
    sb0 = f64x2.mul(sb0, k0);
    sb1 = f64x2.mul(sb1, k1);
    // one factor per column (0 for an empty or dropped column) in place of each column sum
    const fd0 = v128.bitselect(zero, f64x2.div(alphaV, sd0), f64x2.eq(sd0, zero));
    const fd1 = v128.bitselect(zero, f64x2.div(alphaV, sd1), f64x2.eq(sd1, zero));
    const fb0 = v128.bitselect(zero, f64x2.div(keepV, sb0), f64x2.eq(sb0, zero));
    const fb1 = v128.bitselect(zero, f64x2.div(keepV, sb1), f64x2.eq(sb1, zero));
    let se0 = zero, se1 = zero;
    for (let r = 0; r < rows; r++) {
      const i = i32At(ROWS, r);
      const row = MAT + <usize>r * rowBytes + o;
      const bonds = bondQuad(J.bondsIn + ((<usize>i * <usize>n + <usize>j0) << 1));
      const e0 = f64x2.add(f64x2.floor(f64x2.mul(v128.load(row), fd0)), f64x2.floor(f64x2.mul(f64x2.convert_low_i32x4_s(bonds), fb0)));
      const e1 = f64x2.add(f64x2.floor(f64x2.mul(v128.load(row, 16), fd1)), f64x2.floor(f64x2.mul(f64x2.convert_low_i32x4_s(i32x4.shuffle(bonds, bonds, 2, 3, 0, 1)), fb1)));
      v128.store(row, e0);
      v128.store(row, e1, 16);
      se0 = f64x2.add(se0, e0);
      se1 = f64x2.add(se1, e1);
    }
    let mx0 = zero, mx1 = zero;
    for (let r = 0; r < rows; r++) {
      const row = MAT + <usize>r * rowBytes + o;
      const e0 = divOrKeep(v128.load(row), se0);
      const e1 = divOrKeep(v128.load(row, 16), se1);
      v128.store(row, e0);
      v128.store(row, e1, 16);
      mx0 = f64x2.pmax(mx0, e0);
      mx1 = f64x2.pmax(mx1, e1);
    }
    v128.store(COL_C + o, mx0);
    v128.store(COL_C + o, mx1, 16);
  }
  for (let r = 0; r < rows; r++) {
    const vt = v128.load(MED_A + (<usize>r << 4));
    setF64(VT, i32At(ROWS, r), f64x2.extract_lane(vt, 0) + f64x2.extract_lane(vt, 1));
  }
  // the last n mod 4 columns, one at a time, with the same operations in scalar form
  for (; j0 < n; j0++) {
    const o = <usize>j0 << 3;
    const c = load<f64>(CONS + o);
    let rank = 0.0, pre = 0.0, sb = 0.0, sd = 0.0;
    for (let r = 0; r < rows; r++) {
      const i = i32At(ROWS, r);
      const row = MAT + <usize>r * rowBytes + o;
      const a = f64At(ASTAKE, i);
      const aUlps = a * TWO32;
      const w = load<f64>(row);
      const cw = c < w ? c : w;
      store<f64>(VT + (<usize>i << 3), load<f64>(VT + (<usize>i << 3)) + cw);
      rank += Math.floor(cw * aUlps);
      pre += a * w;
      sb += <f64>load<u16>(J.bondsIn + ((<usize>i * <usize>n + <usize>j0) << 1));
      const d = Math.floor(wbOfScalar(w, c) * aUlps);
      store<f64>(row, d);
      sd += d;
    }
    store<f64>(RANK + o, rank);
    store<f64>(PRERANK + o, pre);
    sb *= load<f64>(COL_C + o);
    const fd = sd != 0 ? alphaUlps / sd : 0.0;
    const fb = sb != 0 ? keepUlps / sb : 0.0;
    let se = 0.0;
    for (let r = 0; r < rows; r++) {
      const i = i32At(ROWS, r);
      const row = MAT + <usize>r * rowBytes + o;
      const e = Math.floor(load<f64>(row) * fd) + Math.floor(<f64>load<u16>(J.bondsIn + ((<usize>i * <usize>n + <usize>j0) << 1)) * fb);
      store<f64>(row, e);
      se += e;
    }
    let mx = 0.0;
    for (let r = 0; r < rows; r++) {
      const row = MAT + <usize>r * rowBytes + o;
      const e = divOrKeepScalar(load<f64>(row), se);
      store<f64>(row, e);
      if (mx < e) mx = e;
    }
    store<f64>(COL_C + o, mx);
  }
  incentiveOfRank();
  // dividends add floor(I·EMA·2^32) = floor((I·2^32)·EMA) (scaling by 2^32 is exact): I·2^32 once, into COL_A
  memory.fill(DIV, 0, bytes);
  for (let j = 0; j < n; j++) setF64(COL_A, j, f64At(INC, j) * TWO32);
  for (let r = 0; r < rows; r++) {
    const row = matRow(r, n);
    let acc = f64x2.splat(0);
    let j = 0;
    for (; j + 2 <= n; j += 2) {
      const o = <usize>j << 3;
      acc = f64x2.add(acc, f64x2.floor(f64x2.mul(v128.load(COL_A + o), v128.load(row + o))));
    }
    let s0 = f64x2.extract_lane(acc, 0);
    if (j < n) s0 += Math.floor(load<f64>(COL_A + (<usize>j << 3)) * load<f64>(row + (<usize>j << 3)));
    setF64(DIV, i32At(ROWS, r), s0 + f64x2.extract_lane(acc, 1));
  }
}

// @ts-ignore: decorator
@inline function expSafe(x: f64): f64 {
  return Math.exp(min(20.0, max(-20.0, x)));
}

/** Liquid alpha v2: the EMA speed between alphaLow and alphaHigh from how far w sits above C or below b. */
// @ts-ignore: decorator
@inline function alphaSigmoid(c: f64, w: f64, b: f64, lo: f64, hi: f64, steep: f64): f64 {
  const buy = min(1.0, max(0.0, w - c));
  const sell = min(1.0, max(0.0, b - w));
  const d = w >= b ? buy : sell;
  const sigma = 1.0 / (1.0 + expSafe(steep * (d - 0.5)));
  return max(lo, min(hi, lo + sigma * (hi - lo)));
}

/** Whether Yuma3 runs per-entry liquid alpha: enabled and some consensus value non-zero. */
function liquidAlphaApplies(): bool {
  if (!J.liquidAlpha) return false;
  for (let j = 0; j < J.n; j++) if (f64At(CONS, j) != 0) return true;
  return false;
}

/** The sparse path's WB entry exists (the liquid-alpha EMA is emitted only for listed columns). */
// @ts-ignore: decorator
@inline function wbPresent(i: i32, j: i32, w: f64, wb: f64, c: f64): bool {
  if (load<u8>(FORBID + <usize>i) != 0) return false;
  if (J.bondsPenalty == 0) return weightPresent(i, j);
  if (J.bondsPenalty == 65535) return weightPresent(i, j) && !(c < w && c <= 0);
  return wb > 0;
}

/**
 * For an entry WB does not list: whether its bond is dropped (sparse) rather than decayed (dense), by the rule
 * that covers why it is missing — no weight entry after masking, a stored zero, or a positive weight whose
 * weight for bonds vanished.
 */
// @ts-ignore: decorator
@inline function bondDropped(i: i32, j: i32, w: f64): bool {
  if (load<u8>(FORBID + <usize>i) != 0 || !weightPresent(i, j)) return J.dropUnlisted;
  return w == 0 ? J.dropStoredZero : J.dropVanished;
}

/**
 * Yuma3 over the working rows: the EMA in place of the weights (bonds as b/65535, recent columns
 * dropped), its column sums, then dividends `aᵢ · Σⱼ (EMAᵢⱼ/ΣEMAⱼ)·Iⱼ`. The EMA itself is the storage form.
 */
function yuma3(rows: i32): void {
  const n = J.n;
  const bytes = <usize>n << 3;
  recentKeepMask();
  memory.fill(COL_D, 0, bytes);
  memory.fill(DIV, 0, bytes);
  if (liquidAlphaApplies()) {
    const lo = u16ProportionUlps(<f64>J.alphaLow) * ULP;
    const hi = u16ProportionUlps(<f64>J.alphaHigh) * ULP;
    const steep = <f64>J.steepness / -100.0;
    for (let r = 0; r < rows; r++) {
      const i = i32At(ROWS, r);
      const row = matRow(r, n);
      const bRow = J.bondsIn + (<usize>i * <usize>n << 1);
      for (let j = 0; j < n; j++) {
        const o = <usize>j << 3;
        const w = load<f64>(row + o);
        const c = load<f64>(CONS + o);
        const wb = wbOfScalar(w, c);
        let e = 0.0;
        if (wbPresent(i, j, w, wb, c) || !bondDropped(i, j, w)) {
          const bUlps = load<u8>(RECENT + <usize>j) != 0 ? 0.0 : <f64>load<u16>(bRow + (<usize>j << 1)) * U16_TO_ULPS;
          const al = alphaSigmoid(c, wb, bUlps * ULP, lo, hi, steep);
          const decayed = Math.floor((1.0 - al) * bUlps);
          const inc = Math.floor(al * (wb * TWO32));
          e = min(1.0, (decayed + max(0.0, inc)) * ULP);
        }
        store<f64>(row + o, e);
        store<f64>(COL_D + o, load<f64>(COL_D + o) + e);
      }
    }
  } else {
    // EMA = (floor(α·WB) + floor(b·(1−α)/65535))·2^-32, both products in ulps; recent columns dropped
    const keepUlps = emaKeepUlps();
    const alphaUlps = TWO32 - keepUlps;
    const perBond = keepUlps / 65535.0;
    const alphaV = f64x2.splat(alphaUlps);
    const perBondV = f64x2.splat(perBond);
    const ulp = f64x2.splat(ULP);
    for (let r = 0; r < rows; r++) {
      const i = i32At(ROWS, r);
      const row = matRow(r, n);
      const bRow = J.bondsIn + (<usize>i * <usize>n << 1);
      let j = 0;
      for (; j + 2 <= n; j += 2) {
        const o = <usize>j << 3;
        const decayed = f64x2.mul(f64x2.floor(f64x2.mul(bondPair(bRow, j), perBondV)), keepPair(j));
        const wb = wbOf(v128.load(row + o), v128.load(CONS + o));
        const e = f64x2.mul(f64x2.add(f64x2.floor(f64x2.mul(wb, alphaV)), decayed), ulp);
        v128.store(row + o, e);
        v128.store(COL_D + o, f64x2.add(v128.load(COL_D + o), e));
      }
      if (j < n) {
        const o = <usize>j << 3;
        const decayed = load<u8>(RECENT + <usize>j) != 0 ? 0.0 : Math.floor(<f64>load<u16>(bRow + (<usize>j << 1)) * perBond);
        const e = (Math.floor(wbOfScalar(load<f64>(row + o), load<f64>(CONS + o)) * alphaUlps) + decayed) * ULP;
        store<f64>(row + o, e);
        store<f64>(COL_D + o, load<f64>(COL_D + o) + e);
      }
    }
  }
  // floor(EMA·I·2^32/ΣEMA) in ulps with one factor I·2^32/ΣEMA per column (0 for an empty column), into COL_A
  for (let j = 0; j < n; j++) {
    const sum = f64At(COL_D, j);
    setF64(COL_A, j, sum != 0 ? (f64At(INC, j) * TWO32) / sum : 0.0);
  }
  for (let r = 0; r < rows; r++) {
    const i = i32At(ROWS, r);
    const row = matRow(r, n);
    let acc = f64x2.splat(0);
    let j = 0;
    for (; j + 2 <= n; j += 2) {
      const o = <usize>j << 3;
      acc = f64x2.add(acc, f64x2.floor(f64x2.mul(v128.load(row + o), v128.load(COL_A + o))));
    }
    let s0 = f64x2.extract_lane(acc, 0);
    if (j < n) {
      const o = <usize>j << 3;
      s0 += Math.floor(load<f64>(row + o) * load<f64>(COL_A + o));
    }
    // a ⊗ Σⱼ colnorm(EMA) ⊗ I with the chain's floors, in ulps (normalised afterwards)
    setF64(DIV, i, Math.floor(f64At(ASTAKE, i) * (s0 + f64x2.extract_lane(acc, 1))));
  }
}
