// Original Yuma's bond EMA two columns at a time (i64x2), bit for bit the scalar `originalYuma` in bonds.ts.
// It runs when every multiply is a plain u64 product of two values in [0, ONE] (β ∈ {0, ONE}, α and 1 − α below
// ONE; weights, stakes, consensus and incentive are normalised, so ≤ ONE), which covers the defaults; any other
// β takes the scalar path. Divisions use the same f64-estimate-plus-remainder-fix as `fracDiv`.
import { ONE } from '../fixed/i32f32';
import { fracDivX, mulConstX, mulUX } from '../fixed/proportion-x2';
import * as J from '../job';
import { ACT, COL_A, COL_B, COL_C, COL_D, CONS, DIV, INC, INV_A, INV_B, KEYS_A, RECENT, ROWS, ld, ldI32, ldU8, st } from './layout';
import { fracDiv, inverse } from '../fixed/proportion';
import { rowPtr } from './weights';

// fracDivX's inverses are 2^32/s: inverse(s) scaled, exactly
// @ts-ignore: decorator
@inline const TWO32: f64 = 4294967296.0;

// @ts-ignore: decorator
@inline function zeroMask(x: v128): v128 {
  return i64x2.eq(x, i64x2.splat(0));
}

/** Two stored u16 bonds of row `i` from column `j`, zeroed in columns registered since the last epoch. */
// @ts-ignore: decorator
@inline function bondPair(i: i32, j: i32): v128 {
  const raw = v128.load32_zero(J.bondsIn + ((<usize>i * <usize>J.n + <usize>j) << 1));
  const b = i64x2.extend_low_i32x4_u(i32x4.extend_low_i16x8_u(raw));
  return v128.and(b, v128.load(KEYS_A + (<usize>j << 3)));
}

// @ts-ignore: decorator
@inline function at(base: usize, j: i32): usize {
  return base + (<usize>j << 3);
}

/** Whether `originalYumaSimd` applies (see the header). */
export function originalYumaSimdApplies(beta: i64, alpha: i64, keep: i64): bool {
  return (beta == 0 || beta == ONE) && <u64>alpha < <u64>ONE && <u64>keep < <u64>ONE;
}

/**
 * The three passes of the scalar version: (1) ΔB = WB ⊗ a in place, column sums of ΔB and of the masked bonds;
 * (2) EMA = α⊗colnorm(ΔB) + (1−α)⊗colnorm(B), its column sums and maxima; (3) column-normalised EMA, dividends,
 * storage u16 (−1 for entries the sparse path drops). Odd n: the last column runs as a pair whose second lane
 * reads the next bytes and is never stored.
 * Every division x / s here has 0 ≤ x ≤ s, so a zero column sum (or maximum) means zero dividends, and `fracDivX`
 * with the zero inverse `inverse(0)` gives exactly 0 there: no per-entry test for the chain's empty columns.
 */
export function originalYumaSimd(rows: i32, beta: i64, alpha: i64, keep: i64): void {
  const n = J.n;
  const bytes = <usize>n << 3;
  const bondSum = COL_A;
  const deltaSum = COL_B;
  // KEYS_A (the permit sort's buffer, free by now) holds the recent-registration mask as i64 lanes.
  for (let j = 0; j < n; j++) st(KEYS_A, j, ldU8(RECENT, j) ? 0 : -1);
  const odd = (n & 1) != 0;
  // With odd n the vectors' 16-byte padding holds the spare lane's sums; clear it too.
  const padded = bytes + (odd ? 8 : 0);
  memory.fill(bondSum, 0, padded);
  memory.fill(deltaSum, 0, padded);
  memory.fill(DIV, 0, bytes);

  for (let r = 0; r < rows; r++) {
    const i = ldI32(ROWS, r);
    const row = rowPtr(r);
    const a = ld(ACT, i);
    const av = i32x4.splat(<i32>a); // a < ONE where used
    for (let j = 0; j < n; j += 2) {
      v128.store(at(bondSum, j), i64x2.add(v128.load(at(bondSum, j)), bondPair(i, j)));
      let wb = v128.load(at(row, j));
      if (beta != 0) {
        const c = v128.load(at(CONS, j));
        wb = v128.bitselect(wb, c, i64x2.lt_s(wb, c));
      }
      const d = a == ONE ? wb : mulConstX(av, wb);
      if (odd && j == n - 1) store<i64>(at(row, j), i64x2.extract_lane(d, 0));
      else v128.store(at(row, j), d);
      v128.store(at(deltaSum, j), i64x2.add(v128.load(at(deltaSum, j)), d));
    }
  }
  for (let j = 0; j < n; j++) {
    store<f64>(INV_A + (<usize>j << 3), inverse(ld(deltaSum, j)) * TWO32);
    store<f64>(INV_B + (<usize>j << 3), inverse(ld(bondSum, j)) * TWO32);
  }

  const emaSum = COL_C;
  const emaMax = COL_D;
  memory.fill(emaSum, 0, padded);
  memory.fill(emaMax, 0, padded);
  const alphaV = i32x4.splat(<i32>alpha);
  const keepV = i32x4.splat(<i32>keep);
  for (let r = 0; r < rows; r++) {
    const i = ldI32(ROWS, r);
    const row = rowPtr(r);
    for (let j = 0; j < n; j += 2) {
      const ds = v128.load(at(deltaSum, j));
      const d0 = v128.load(at(row, j));
      const d = fracDivX(d0, ds, v128.load(at(INV_A, j)));
      const bs = v128.load(at(bondSum, j));
      const bn = fracDivX(bondPair(i, j), bs, v128.load(at(INV_B, j)));
      // α, 1 − α < ONE (originalYumaSimdApplies) and d, bn ≤ ONE
      const e = i64x2.add(mulConstX(alphaV, d), mulConstX(keepV, bn));
      if (odd && j == n - 1) store<i64>(at(row, j), i64x2.extract_lane(e, 0));
      else v128.store(at(row, j), e);
      v128.store(at(emaSum, j), i64x2.add(v128.load(at(emaSum, j)), e));
      const mx = v128.load(at(emaMax, j));
      v128.store(at(emaMax, j), v128.bitselect(e, mx, i64x2.gt_s(e, mx)));
    }
  }
  // column max of the normalised EMA = the normalised column max (x ↦ floor(x·2^32/s) is monotone)
  const colMax = COL_B;
  for (let j = 0; j < n; j++) {
    const es = ld(emaSum, j);
    const invS = inverse(es);
    store<f64>(INV_A + (<usize>j << 3), invS * TWO32);
    const mx = es != 0 ? fracDiv(ld(emaMax, j), es, invS) : ld(emaMax, j);
    st(colMax, j, mx);
    store<f64>(INV_B + (<usize>j << 3), inverse(mx) * TWO32);
  }

  const absent = i64x2.splat(J.sparseWriteback ? -1 : 0);
  for (let r = 0; r < rows; r++) {
    const i = ldI32(ROWS, r);
    const row = rowPtr(r);
    let dv = i64x2.splat(0);
    for (let j = 0; j < n; j += 2) {
      const e = v128.load(at(row, j));
      const es = v128.load(at(emaSum, j));
      const en = fracDivX(e, es, v128.load(at(INV_A, j)));
      let term = mulUX(v128.load(at(INC, j)), en);
      const mx = v128.load(at(colMax, j));
      const up = fracDivX(en, mx, v128.load(at(INV_B, j)));
      const stored = v128.bitselect(absent, i64x2.shr_u(i64x2.sub(i64x2.shl(up, 16), up), 32), zeroMask(e)); // up·65535, up ≤ ONE
      if (odd && j == n - 1) {
        store<i64>(at(row, j), i64x2.extract_lane(stored, 0));
        term = i64x2.replace_lane(term, 1, 0);
      } else {
        v128.store(at(row, j), stored);
      }
      dv = i64x2.add(dv, term);
    }
    st(DIV, i, i64x2.extract_lane(dv, 0) + i64x2.extract_lane(dv, 1));
  }
}
