// Spec §2.11: bond storage after the epoch (the whole n·n matrix and its stored-entry flags).
import { DENSE, IN_B, IN_PERMIT, N, PERMIT_LEN, YUMA3 } from './job';
import { COL_C, ROW_OF, i32At, matRow } from './layout';
import { toU16 } from './u16';

/** Copies an untouched input row; its presence is "value ≠ 0" (the prepared input carries no bond presence). */
function copyRow(i: i32, bonds: usize, present: usize): void {
  const n = N;
  const src = IN_B + (<usize>i * <usize>n << 1);
  const dst = bonds + (<usize>i * <usize>n << 1);
  const pr = present + <usize>i * <usize>n;
  memory.copy(dst, src, <usize>n << 1);
  let j = 0;
  const zero = i16x8.splat(0);
  for (; j + 16 <= n; j += 16) {
    const a = v128.load(src + (<usize>j << 1));
    const b = v128.load(src + (<usize>j << 1), 16);
    v128.store(pr + <usize>j, i8x16.narrow_i16x8_u(i16x8.neg(i16x8.ne(a, zero)), i16x8.neg(i16x8.ne(b, zero))));
  }
  for (; j < n; j++) store<u8>(pr + <usize>j, load<u16>(src + (<usize>j << 1)) != 0 ? 1 : 0);
}

/** A new-permit row: fp16 of the storage form (original Yuma: EMA / column max; Yuma3: the EMA). */
function emaRow(i: i32, bonds: usize, present: usize): void {
  const n = N;
  const dst = bonds + (<usize>i * <usize>n << 1);
  const pr = present + <usize>i * <usize>n;
  const slot = i32At(ROW_OF, i);
  if (slot < 0) {
    // Zero weights and zero bonds: an all-zero EMA row (the dense path stores its n zeros, sparse nothing).
    memory.fill(dst, 0, <usize>n << 1);
    memory.fill(pr, DENSE ? 1 : 0, <usize>n);
    return;
  }
  const row = matRow(slot, n);
  for (let j = 0; j < n; j++) {
    let v = load<f64>(row + (<usize>j << 3));
    if (!YUMA3) {
      const mx = load<f64>(COL_C + (<usize>j << 3));
      if (mx != 0) v = v / mx;
    }
    store<u16>(dst + (<usize>j << 1), toU16(v));
    store<u8>(pr + <usize>j, DENSE || v > 0 ? 1 : 0);
  }
}

export function writeBonds(newPermit: usize, bonds: usize, present: usize): void {
  const n = N;
  for (let i = 0; i < n; i++) {
    const permitted = load<u8>(newPermit + <usize>i) != 0;
    const inVector = i < PERMIT_LEN;
    if (!DENSE || inVector) {
      if (permitted) {
        emaRow(i, bonds, present);
        continue;
      }
      if (!DENSE || load<u8>(IN_PERMIT + <usize>i) != 0) {
        memory.fill(bonds + (<usize>i * <usize>n << 1), 0, <usize>n << 1);
        memory.fill(present + <usize>i * <usize>n, 0, <usize>n);
        continue;
      }
    }
    copyRow(i, bonds, present);
  }
}
