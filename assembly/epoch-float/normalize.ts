// Spec §2.5: masked weight rows as f64 values, row-normalised, for the working rows only.
import { IN_W, N, OWNER } from './job';
import { rowNeedsColumnMask, weightKept } from './masks';
import { FORBID, ROWS, i32At, matRow } from './layout';

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
    let j = 0;
    for (; j + 8 <= n; j += 8) {
      const w = v128.load(src + (<usize>j << 1));
      const lo = i32x4.extend_low_i16x8_u(w);
      const hi = i32x4.extend_high_i16x8_u(w);
      const o = dst + (<usize>j << 3);
      v128.store(o, f64x2.convert_low_i32x4_u(lo));
      v128.store(o, f64x2.convert_low_i32x4_u(i32x4.shuffle(lo, lo, 2, 3, 0, 1)), 16);
      v128.store(o, f64x2.convert_low_i32x4_u(hi), 32);
      v128.store(o, f64x2.convert_low_i32x4_u(i32x4.shuffle(hi, hi, 2, 3, 0, 1)), 48);
    }
    for (; j < n; j++) store<f64>(dst + (<usize>j << 3), <f64>load<u16>(src + (<usize>j << 1)));
    if (i != OWNER) store<f64>(dst + (<usize>i << 3), 0.0);
    if (rowNeedsColumnMask(i)) {
      for (let c = 0; c < n; c++) if (!weightKept(i, c)) store<f64>(dst + (<usize>c << 3), 0.0);
    }
    // Integer-valued entries: the f64x2 sum is exact, so its order does not matter.
    let acc = f64x2.splat(0);
    let c = 0;
    for (; c + 2 <= n; c += 2) acc = f64x2.add(acc, v128.load(dst + (<usize>c << 3)));
    let s = f64x2.extract_lane(acc, 0) + f64x2.extract_lane(acc, 1);
    if (c < n) s += load<f64>(dst + (<usize>c << 3));
    if (s > 0) {
      const d = f64x2.splat(s);
      c = 0;
      for (; c + 2 <= n; c += 2) {
        const p = dst + (<usize>c << 3);
        v128.store(p, f64x2.div(v128.load(p), d));
      }
      if (c < n) store<f64>(dst + (<usize>c << 3), load<f64>(dst + (<usize>c << 3)) / s);
    }
  }
}
