// Which rows carry weights or bonds (the compact rows of M) and their masked, row-normalised weights.
import * as J from '../job';
import { fracDiv } from '../fixed/proportion';
import { fracDivX } from '../fixed/proportion-x2';
import { M, OLD_PERMIT, rowStride, ROWS, ROW_OF, ldI32, ldU8, st, stI32 } from './layout';

/** Rows of M: UIDs with an old permit (their weights survive `mask_rows`) or any stored bond. Returns the count. */
export function selectRows(): i32 {
  const n = J.n;
  let r = 0;
  for (let i = 0; i < n; i++) {
    if (ldU8(OLD_PERMIT, i) || (J.bondRowMayHold(i) && bondRowNonEmpty(i))) {
      stI32(ROWS, r, i);
      stI32(ROW_OF, i, r);
      r++;
    } else {
      stI32(ROW_OF, i, -1);
    }
  }
  return r;
}

function bondRowNonEmpty(i: i32): bool {
  const n = J.n;
  const row = J.bondsIn + ((<usize>i * <usize>n) << 1);
  let acc = i16x8.splat(0);
  let j = 0;
  for (; j + 8 <= n; j += 8) acc = v128.or(acc, v128.load(row + (<usize>j << 1)));
  if (v128.any_true(acc)) return true;
  for (; j < n; j++) if (load<u16>(row + (<usize>j << 1)) != 0) return true;
  return false;
}

// @ts-ignore: decorator
@inline export function rowPtr(r: i32): usize {
  return M + <usize>r * rowStride(J.n);
}

/**
 * Fills M: weight rows of permitted validators as floor(w·2^32 / Σ kept w) (= `w·2^32 safe_div Σ` on the chain's
 * integer-valued I32F32), masked entries 0; rows without a permit are all zero. A row newer than every
 * registration (and commit) loses only its diagonal and runs two columns at a time; others take the scalar path.
 */
export function normalisedWeights(rows: i32): void {
  const n = J.n;
  let regMax: u64 = 0;
  for (let j = 0; j < n; j++) if (J.reg(j) > regMax) regMax = J.reg(j);
  for (let r = 0; r < rows; r++) {
    const i = ldI32(ROWS, r);
    const dst = rowPtr(r);
    if (!ldU8(OLD_PERMIT, i)) {
      memory.fill(dst, 0, <usize>n << 3);
      continue;
    }
    const lu = J.lastUpdate(i);
    const cm = J.commitOf(i);
    if (lu > regMax && cm >= regMax) diagonalMaskedRow(i, dst);
    else maskedRow(i, dst, lu, cm);
  }
}

/** Scalar: every entry through `weightMasked`. */
function maskedRow(i: i32, dst: usize, lu: u64, cm: u64): void {
  const n = J.n;
  const src = J.weightsIn + ((<usize>i * <usize>n) << 1);
  let s: u64 = 0;
  for (let j = 0; j < n; j++) {
    const w = <u64>load<u16>(src + (<usize>j << 1));
    if (w != 0 && !J.weightMasked(i, j, lu, cm)) s += w;
  }
  const inv = s != 0 ? 1.0 / <f64>s : 0.0;
  for (let j = 0; j < n; j++) {
    const w = <u64>load<u16>(src + (<usize>j << 1));
    let v: i64 = 0;
    if (w != 0 && !J.weightMasked(i, j, lu, cm)) v = fracDiv(<i64>w, <i64>s, inv);
    st(dst, j, v);
  }
}

/** Two u16 weights from column `j` as i64 lanes. */
// @ts-ignore: decorator
@inline function weightPair(src: usize, j: i32): v128 {
  return i64x2.extend_low_i32x4_u(i32x4.extend_low_i16x8_u(v128.load32_zero(src + (<usize>j << 1))));
}

/** Only the diagonal is masked (not at all for the owner under owner-self-weight). */
function diagonalMaskedRow(i: i32, dst: usize): void {
  const n = J.n;
  const src = J.weightsIn + ((<usize>i * <usize>n) << 1);
  let acc = i64x2.splat(0);
  let j = 0;
  for (; j + 2 <= n; j += 2) acc = i64x2.add(acc, weightPair(src, j));
  let s = i64x2.extract_lane(acc, 0) + i64x2.extract_lane(acc, 1);
  if (j < n) s += <i64>load<u16>(src + (<usize>j << 1));
  const diag = i != J.ownerSelf ? <i64>load<u16>(src + (<usize>i << 1)) : 0;
  s -= diag;
  if (s == 0) {
    memory.fill(dst, 0, <usize>n << 3);
    return;
  }
  const inv = 1.0 / <f64>s;
  const sv = i64x2.splat(s);
  const iv = f64x2.splat(inv * 4294967296.0);
  for (j = 0; j + 2 <= n; j += 2) v128.store(dst + (<usize>j << 3), fracDivX(weightPair(src, j), sv, iv));
  if (j < n) st(dst, j, fracDiv(<i64>load<u16>(src + (<usize>j << 1)), s, inv));
  if (diag != 0) st(dst, i, 0);
}

/** Whether the sparse path stores weight (i, j) after masking (explicit zeros count). */
// @ts-ignore: decorator
@inline export function weightPresent(i: i32, j: i32, lu: u64, cm: u64): bool {
  return load<u8>(J.presentIn + <usize>i * <usize>J.n + <usize>j) != 0 && !J.weightMasked(i, j, lu, cm);
}
