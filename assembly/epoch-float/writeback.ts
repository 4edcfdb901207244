// Bond storage after the epoch. Each row gets a kind (abi ROW_*); only rows the epoch computed are
// written out, the loader rebuilds empty and unchanged rows itself.
import { ROW_EMPTY, ROW_INPUT, ROW_WRITTEN, ROW_ZERO_STORED } from '../abi';
import * as J from '../job';
import { COL_C, PREV, ROW_OF, i32At, matRow } from './layout';
import { toU16 } from './u16';

/**
 * Eight storage values: floor(v·65535) clamped to u16 (`toU16`), from four f64x2. Adding 2^52 to the floored
 * product puts it, as an integer, in the low bits of the f64 (exact for |y| < 2^51; the low 32 bits read as
 * the i32 y while |y| < 2^31, far beyond any bond); narrow_u then clamps as toU16 does. Cheaper than
 * i32x4.trunc_sat_f64x2_s_zero, which V8 builds from several instructions on x64.
 */
// @ts-ignore: decorator
@inline function packU16(v0: v128, v1: v128, v2: v128, v3: v128): v128 {
  const s = f64x2.splat(65535.0);
  const m = f64x2.splat(4503599627370496.0);
  const a = f64x2.add(f64x2.floor(f64x2.mul(v0, s)), m);
  const b = f64x2.add(f64x2.floor(f64x2.mul(v1, s)), m);
  const c = f64x2.add(f64x2.floor(f64x2.mul(v2, s)), m);
  const d = f64x2.add(f64x2.floor(f64x2.mul(v3, s)), m);
  // narrow_u saturates: negatives to 0, above 65535 to 65535, as toU16 clamps.
  return i16x8.narrow_i32x4_u(i32x4.shuffle(a, b, 0, 2, 4, 6), i32x4.shuffle(c, d, 0, 2, 4, 6));
}

/** Eight presence bytes (v > 0 → 1) in the low half of the result. */
// @ts-ignore: decorator
@inline function positiveBytes(v0: v128, v1: v128, v2: v128, v3: v128): v128 {
  const z = f64x2.splat(0);
  const lo = i32x4.shuffle(f64x2.gt(v0, z), f64x2.gt(v1, z), 0, 2, 4, 6);
  const hi = i32x4.shuffle(f64x2.gt(v2, z), f64x2.gt(v3, z), 0, 2, 4, 6);
  const m = i16x8.narrow_i32x4_s(lo, hi);
  return i8x16.neg(i8x16.narrow_i16x8_s(m, m));
}

/** Original Yuma stores EMA / column max (columns with max 0 keep the EMA); Yuma3 the EMA itself. */
// @ts-ignore: decorator
@inline function storageForm(row: usize, j: i32): v128 {
  const v = v128.load(row + (<usize>j << 3));
  if (J.yuma3) return v;
  const mx = v128.load(COL_C + (<usize>j << 3));
  return v128.bitselect(v, f64x2.div(v, mx), f64x2.eq(mx, f64x2.splat(0)));
}

/** A new-permit row's storage: u16 values and (sparse write-back) presence where the EMA is positive. */
function emaRow(i: i32, bonds: usize, present: usize): u8 {
  const n = J.n;
  const slot = i32At(ROW_OF, i);
  // Zero weights and zero bonds: an all-zero EMA row (the dense path stores its n zeros, sparse nothing).
  if (slot < 0) return J.sparseWriteback ? ROW_EMPTY : ROW_ZERO_STORED;
  const dst = bonds + (<usize>i * <usize>n << 1);
  const pr = present + <usize>i * <usize>n;
  const row = matRow(slot, n);
  let j = 0;
  for (; j + 8 <= n; j += 8) {
    const v0 = storageForm(row, j);
    const v1 = storageForm(row, j + 2);
    const v2 = storageForm(row, j + 4);
    const v3 = storageForm(row, j + 6);
    v128.store(dst + (<usize>j << 1), packU16(v0, v1, v2, v3));
    if (J.sparseWriteback) v128.store64_lane(pr + <usize>j, positiveBytes(v0, v1, v2, v3), 0);
  }
  for (; j < n; j++) {
    let v = load<f64>(row + (<usize>j << 3));
    if (!J.yuma3) {
      const mx = load<f64>(COL_C + (<usize>j << 3));
      if (mx != 0) v = v / mx;
    }
    store<u16>(dst + (<usize>j << 1), toU16(v));
    if (J.sparseWriteback) store<u8>(pr + <usize>j, v > 0 ? 1 : 0);
  }
  if (!J.sparseWriteback) memory.fill(pr, 1, <usize>n);
  return ROW_WRITTEN;
}

/**
 * Row kinds into `kinds`: the sparse write-back rewrites every row (the EMA under a new permit, else empty); the
 * dense one rewrites rows inside the stored permit vector (EMA, or empty for a lost previous permit) and leaves
 * the rest.
 */
export function writeBonds(newPermit: usize, bonds: usize, present: usize, kinds: usize): void {
  const n = J.n;
  for (let i = 0; i < n; i++) {
    let kind = ROW_INPUT;
    if (J.sparseWriteback || i < J.permitLen) {
      if (load<u8>(newPermit + <usize>i) != 0) kind = emaRow(i, bonds, present);
      else if (J.sparseWriteback || load<u8>(PREV + <usize>i) != 0) kind = ROW_EMPTY;
    }
    store<u8>(kinds + <usize>i, kind);
  }
}
