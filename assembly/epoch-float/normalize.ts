// Masked weight rows as f64 values, row-normalised, for the working rows only.
import { IN_W, N, OWNER_SELF } from './job';
import { rowNeedsColumnMask, weightKept } from './masks';
import { FORBID, ROWS, i32At, matRow } from './layout';

/** A row with outdated or commit-masked entries: masked u16 values, their exact sum, then `w / Σw`. */
function maskedRow(i: i32, src: usize, dst: usize): void {
  const n = N;
  for (let c = 0; c < n; c++) store<f64>(dst + (<usize>c << 3), weightKept(i, c) ? <f64>load<u16>(src + (<usize>c << 1)) : 0.0);
  // Integer-valued entries: the sum is exact in any order.
  let s = 0.0;
  for (let c = 0; c < n; c++) s += load<f64>(dst + (<usize>c << 3));
  if (s > 0) for (let c = 0; c < n; c++) store<f64>(dst + (<usize>c << 3), load<f64>(dst + (<usize>c << 3)) / s);
}

/**
 * Fills the working matrix with each permitted row's u16 weights (diagonal, outdated and commit entries
 * zeroed) divided by the row sum. The sum of u16 integers is exact in any order, so `w / Σw` is correctly
 * rounded and equal to the reference's. Rows without a permit (kept only for their bonds) are zero.
 */
export function weightRows(rows: i32): void {
  const n = N;
  const bytes = <usize>n << 3;
  for (let r = 0; r < rows; r++) {
    const i = i32At(ROWS, r);
    const dst = matRow(r, n);
    if (load<u8>(FORBID + <usize>i) != 0) {
      memory.fill(dst, 0, bytes);
      continue;
    }
    const src = IN_W + (<usize>i * <usize>n << 1);
    if (rowNeedsColumnMask(i)) {
      maskedRow(i, src, dst);
      continue;
    }
    // Only the diagonal is masked (not at all for the owner): the row sum is an exact integer sum of the u16
    // values, so each entry is w / Σw in one pass, as the reference divides.
    let acc = i32x4.splat(0);
    let j = 0;
    for (; j + 8 <= n; j += 8) acc = i32x4.add(acc, i32x4.extadd_pairwise_i16x8_u(v128.load(src + (<usize>j << 1))));
    let sum = i32x4.extract_lane(acc, 0) + i32x4.extract_lane(acc, 1) + i32x4.extract_lane(acc, 2) + i32x4.extract_lane(acc, 3);
    for (; j < n; j++) sum += <i32>load<u16>(src + (<usize>j << 1));
    const diag = i != OWNER_SELF ? <i32>load<u16>(src + (<usize>i << 1)) : 0;
    sum -= diag;
    if (sum <= 0) {
      memory.fill(dst, 0, bytes);
      continue;
    }
    const d = f64x2.splat(<f64>sum);
    for (j = 0; j + 8 <= n; j += 8) {
      const w = v128.load(src + (<usize>j << 1));
      const lo = i32x4.extend_low_i16x8_u(w);
      const hi = i32x4.extend_high_i16x8_u(w);
      const o = dst + (<usize>j << 3);
      v128.store(o, f64x2.div(f64x2.convert_low_i32x4_u(lo), d));
      v128.store(o, f64x2.div(f64x2.convert_low_i32x4_u(i32x4.shuffle(lo, lo, 2, 3, 0, 1)), d), 16);
      v128.store(o, f64x2.div(f64x2.convert_low_i32x4_u(hi), d), 32);
      v128.store(o, f64x2.div(f64x2.convert_low_i32x4_u(i32x4.shuffle(hi, hi, 2, 3, 0, 1)), d), 48);
    }
    for (; j < n; j++) store<f64>(dst + (<usize>j << 3), <f64>load<u16>(src + (<usize>j << 1)) / <f64>sum);
    if (diag != 0) store<f64>(dst + (<usize>i << 3), 0.0);
  }
}
