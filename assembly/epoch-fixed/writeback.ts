// Bond storage after the epoch: a kind per row (abi ROW_*); only rows the epoch computed are written out.
import { J_OUT_BOND_ROWS, J_OUT_BONDS, J_OUT_BONDS_PRESENT, ROW_EMPTY, ROW_INPUT, ROW_WRITTEN, ROW_ZERO_STORED, ptr } from '../abi';
import * as J from '../job';
import { NEW_PERMIT, OLD_PERMIT, ROW_OF, ldI32, ldU8 } from './layout';
import { rowPtr } from './weights';

/**
 * EMA row `r` as storage: u16 values; with the sparse write-back a negative entry (−1) is absent (0, not
 * stored). Eight entries at a time: each i64 is −1 or a u16, so its low 32 bits hold it; the unsigned narrowing
 * takes −1 to 0 and keeps a u16.
 */
function writeRow(r: i32, b: usize, p: usize): void {
  const n = J.n;
  const row = rowPtr(r);
  const zero = i32x4.splat(0);
  let j = 0;
  for (; j + 8 <= n; j += 8) {
    const at = row + (<usize>j << 3);
    const lo = i32x4.shuffle(v128.load(at), v128.load(at, 16), 0, 2, 4, 6);
    const hi = i32x4.shuffle(v128.load(at, 32), v128.load(at, 48), 0, 2, 4, 6);
    v128.store(b + (<usize>j << 1), i16x8.narrow_i32x4_u(lo, hi));
    if (J.sparseWriteback) {
      const m = i16x8.narrow_i32x4_s(i32x4.ge_s(lo, zero), i32x4.ge_s(hi, zero)); // −1 where stored
      v128.store64_lane(p + <usize>j, i8x16.neg(i8x16.narrow_i16x8_s(m, m)), 0);
    }
  }
  for (; j < n; j++) {
    const v = load<i64>(row + (<usize>j << 3));
    store<u16>(b + (<usize>j << 1), v < 0 ? 0 : <u16>v);
    if (J.sparseWriteback) store<u8>(p + <usize>j, v < 0 ? 0 : 1);
  }
  if (!J.sparseWriteback) memory.fill(p, 1, <usize>n);
}

export function writeBonds(job: usize): void {
  const n = J.n;
  const un = <usize>n;
  const outB = ptr(job, J_OUT_BONDS);
  const outP = ptr(job, J_OUT_BONDS_PRESENT);
  const kinds = ptr(job, J_OUT_BOND_ROWS);
  // sparse: every row is rewritten (its EMA row under a new permit, else empty); dense: rows below the stored
  // permit vector's length are rewritten (all n columns) or cleared, the rest stay as they were
  const touched = J.sparseWriteback ? n : J.permitLen < n ? J.permitLen : n;
  for (let i = 0; i < n; i++) {
    let kind = ROW_INPUT;
    if (i < touched) {
      if (ldU8(NEW_PERMIT, i)) {
        const r = ldI32(ROW_OF, i);
        if (r < 0) {
          kind = J.sparseWriteback ? ROW_EMPTY : ROW_ZERO_STORED;
        } else {
          writeRow(r, outB + ((<usize>i * un) << 1), outP + <usize>i * un);
          kind = ROW_WRITTEN;
        }
      } else if (J.sparseWriteback || ldU8(OLD_PERMIT, i)) {
        kind = ROW_EMPTY;
      }
    }
    store<u8>(kinds + <usize>i, kind);
  }
}
