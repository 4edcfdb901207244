// Which rows do work (permitted validators and rows holding bonds), the weight masks, and the masked weight rows
// as f64 values, row-normalised, for the working rows only.
import * as J from '../job';
import { EXACT_BELOW, TWO32, ULP, floorQuotient } from './grid';
import { FORBID, ROWS, ROW_OF, i32At, matRow, setI32 } from './layout';

/** Whether a row holds any non-zero bond (SIMD scan, stops at the first). */
function rowHasBonds(i: i32): bool {
  const base = J.bondsIn + (<usize>i * <usize>J.n << 1);
  const end = <usize>J.n << 1;
  let k: usize = 0;
  for (; k + 64 <= end; k += 64) {
    const x = v128.or(v128.or(v128.load(base + k), v128.load(base + k, 16)), v128.or(v128.load(base + k, 32), v128.load(base + k, 48)));
    if (v128.any_true(x)) return true;
  }
  for (; k + 16 <= end; k += 16) {
    if (v128.any_true(v128.load(base + k))) return true;
  }
  for (; k < end; k += 2) if (load<u16>(base + k) != 0) return true;
  return false;
}

/**
 * Working rows: permitted validators (the only rows with weights after masking) and any row holding bonds
 * (its EMA decays). Every other row has zero weights, zero bonds and so a zero EMA; stages skip it.
 */
export function workingRows(): i32 {
  // Selects rather than a branch per row (permits are spread over the uids); the scan only where a row without a
  // permit may hold bonds (resident rows say whether they do: rarely).
  let count = 0;
  for (let i = 0; i < J.n; i++) {
    const forbidden = <i32>(load<u8>(FORBID + <usize>i) != 0);
    let keep = forbidden ^ 1;
    if ((forbidden & <i32>J.bondRowMayHold(i)) != 0) keep = <i32>rowHasBonds(i);
    setI32(ROWS, count, i);
    setI32(ROW_OF, i, select<i32>(count, -1, keep));
    count += keep;
  }
  return count;
}

let regMax: u64 = 0;

export function prepareWeightMasks(): void {
  regMax = 0;
  for (let j = 0; j < J.n; j++) if (J.reg(j) > regMax) regMax = J.reg(j);
}

/** Whether row i needs the per-entry outdated / commit tests at all (most rows are newer than every registration). */
// @ts-ignore: decorator
@inline export function rowNeedsColumnMask(i: i32): bool {
  return J.lastUpdate(i) <= regMax || (J.commitIn != 0 && J.commitOf(i) < regMax);
}

/** Entry (i, j) survives the diagonal, outdated and (sparse) commit masks. */
// @ts-ignore: decorator
@inline export function weightKept(i: i32, j: i32): bool {
  if (i == j && i != J.ownerSelf) return false;
  const reg = J.reg(j);
  if (J.lastUpdate(i) <= reg) return false;
  if (J.commitIn != 0 && J.commitOf(i) < reg) return false;
  return true;
}

/** The sparse path's stored-entry flag of the masked weight matrix (rows assumed permitted). */
// @ts-ignore: decorator
@inline export function weightPresent(i: i32, j: i32): bool {
  return load<u8>(J.presentIn + <usize>i * <usize>J.n + <usize>j) != 0 && weightKept(i, j);
}

/** A row with outdated or commit-masked entries: masked u16 values, their exact sum, then floor(w·2^32 / Σw). */
function maskedRow(i: i32, src: usize, dst: usize): void {
  const n = J.n;
  let s: u32 = 0;
  for (let c = 0; c < n; c++) if (weightKept(i, c)) s += <u32>load<u16>(src + (<usize>c << 1));
  const sf = <f64>s;
  for (let c = 0; c < n; c++) {
    const w: u32 = weightKept(i, c) ? <u32>load<u16>(src + (<usize>c << 1)) : 0;
    store<f64>(dst + (<usize>c << 3), s == 0 ? 0.0 : floorQuotient((<f64>w / sf) * TWO32, <u64>w, <u64>s) * ULP);
  }
}

/**
 * Fills the working matrix with each permitted row's u16 weights (diagonal, outdated and commit entries
 * zeroed) normalised as the chain does: floor(w·2^32 / Σw), the I32F32 value, held exactly as an f64 (consensus,
 * clipping and validator trust then see the chain's own values, ties included). The u16 sum is exact.
 * Rows without a permit (kept only for their bonds) are zero.
 */
export function weightRows(rows: i32): void {
  const n = J.n;
  const bytes = <usize>n << 3;
  const two32 = f64x2.splat(TWO32);
  const ulp = f64x2.splat(ULP);
  for (let r = 0; r < rows; r++) {
    const i = i32At(ROWS, r);
    const dst = matRow(r, n);
    if (load<u8>(FORBID + <usize>i) != 0) {
      memory.fill(dst, 0, bytes);
      continue;
    }
    const src = J.weightsIn + (<usize>i * <usize>n << 1);
    if (rowNeedsColumnMask(i)) {
      maskedRow(i, src, dst);
      continue;
    }
    // Only the diagonal is masked (not at all for the owner): the row sum is an exact integer sum of the u16
    // values, and each entry is floor(w·2^32 / Σw) in one SIMD pass.
    let acc = i32x4.splat(0);
    let j = 0;
    for (; j + 8 <= n; j += 8) acc = i32x4.add(acc, i32x4.extadd_pairwise_i16x8_u(v128.load(src + (<usize>j << 1))));
    let sum = i32x4.extract_lane(acc, 0) + i32x4.extract_lane(acc, 1) + i32x4.extract_lane(acc, 2) + i32x4.extract_lane(acc, 3);
    for (; j < n; j++) sum += <i32>load<u16>(src + (<usize>j << 1));
    const diag = i != J.ownerSelf ? <i32>load<u16>(src + (<usize>i << 1)) : 0;
    sum -= diag;
    if (sum <= 0) {
      memory.fill(dst, 0, bytes);
      continue;
    }
    const sf = <f64>sum;
    const d = f64x2.splat(sf);
    // (u16 values widened to i32 are non-negative: the signed conversion to f64, one x64 instruction, is exact)
    if (sf < EXACT_BELOW) {
      // floor(fl(w/Σ)·2^32) is exact below 2^22 (grid.ts)
      for (j = 0; j + 8 <= n; j += 8) {
        const w = v128.load(src + (<usize>j << 1));
        const lo = i32x4.extend_low_i16x8_u(w);
        const hi = i32x4.extend_high_i16x8_u(w);
        const o = dst + (<usize>j << 3);
        v128.store(o, f64x2.mul(f64x2.floor(f64x2.mul(f64x2.div(f64x2.convert_low_i32x4_s(lo), d), two32)), ulp));
        v128.store(o, f64x2.mul(f64x2.floor(f64x2.mul(f64x2.div(f64x2.convert_low_i32x4_s(i32x4.shuffle(lo, lo, 2, 3, 0, 1)), d), two32)), ulp), 16);
        v128.store(o, f64x2.mul(f64x2.floor(f64x2.mul(f64x2.div(f64x2.convert_low_i32x4_s(hi), d), two32)), ulp), 32);
        v128.store(o, f64x2.mul(f64x2.floor(f64x2.mul(f64x2.div(f64x2.convert_low_i32x4_s(i32x4.shuffle(hi, hi, 2, 3, 0, 1)), d), two32)), ulp), 48);
      }
    } else {
      // 2^32 = Q·Σ + R, so floor(w·2^32/Σ) = w·Q + floor(w·R/Σ): w·R < 2^44 is exact and w·R/Σ < 2^16 lies ≥ 1/Σ
      // from any integer it is not, far more than its rounding error (≤ 2^-37), so that floor is exact too.
      const q = (<u64>1 << 32) / <u64>sum;
      const qs = f64x2.splat(<f64>q * ULP);
      const rv = f64x2.splat(<f64>((<u64>1 << 32) - q * <u64>sum));
      for (j = 0; j + 8 <= n; j += 8) {
        const w = v128.load(src + (<usize>j << 1));
        const lo = i32x4.extend_low_i16x8_u(w);
        const hi = i32x4.extend_high_i16x8_u(w);
        const o = dst + (<usize>j << 3);
        const w0 = f64x2.convert_low_i32x4_s(lo);
        const w1 = f64x2.convert_low_i32x4_s(i32x4.shuffle(lo, lo, 2, 3, 0, 1));
        const w2 = f64x2.convert_low_i32x4_s(hi);
        const w3 = f64x2.convert_low_i32x4_s(i32x4.shuffle(hi, hi, 2, 3, 0, 1));
        v128.store(o, f64x2.add(f64x2.mul(w0, qs), f64x2.mul(f64x2.floor(f64x2.div(f64x2.mul(w0, rv), d)), ulp)));
        v128.store(o, f64x2.add(f64x2.mul(w1, qs), f64x2.mul(f64x2.floor(f64x2.div(f64x2.mul(w1, rv), d)), ulp)), 16);
        v128.store(o, f64x2.add(f64x2.mul(w2, qs), f64x2.mul(f64x2.floor(f64x2.div(f64x2.mul(w2, rv), d)), ulp)), 32);
        v128.store(o, f64x2.add(f64x2.mul(w3, qs), f64x2.mul(f64x2.floor(f64x2.div(f64x2.mul(w3, rv), d)), ulp)), 48);
      }
    }
    const s = <u64>sum;
    for (; j < n; j++) {
      const w = <u64>load<u16>(src + (<usize>j << 1));
      store<f64>(dst + (<usize>j << 3), floorQuotient((<f64>w / sf) * TWO32, w, s) * ULP);
    }
    if (diag != 0) store<f64>(dst + (<usize>i << 3), 0.0);
  }
}
