// Spec §2.6 step 21: column-wise stake-weighted median (the chain's pivot-at-middle search, not a sort).
import { KAPPA, N } from './job';
import { ASTAKE, CONS, MED_A, MED_B, MED_C, ROW_OF, TILE, TILE_BUF, VOTERS, VOTER_ROW, VOTE_STAKE, ZERO_ROW, f64At, i32At, matRow, setF64, setI32 } from './layout';

/**
 * One column's median. `src` holds `len` (score, stake) f64 pairs in voter order. Each round partitions the
 * current set around the score at its middle index into "below" and "above" (ties go nowhere), keeping order,
 * without branches: every element is written to both output buffers and each cursor advances by its
 * comparison. Stake sums add a masked value (+0 when not taken), which leaves them bit-identical to a
 * branchy in-order sum. The `<` / `<=` tests are the chain's.
 */
function weightedMedian(src: usize, len: i32, minority: f64, total: f64): f64 {
  let cur = src;
  let f1 = MED_A;
  let f2 = MED_B;
  let lo = 0.0;
  let hi = total;
  const limit = len;
  let steps = 0;
  while (true) {
    if (len == 0) return 0.0;
    if (len == 1) return load<f64>(cur);
    const pivot = load<f64>(cur + (<usize>(len >> 1) << 4));
    let lc = 0;
    let uc = 0;
    let lowStake = 0.0;
    let highStake = 0.0;
    for (let k = 0; k < len; k++) {
      const e = v128.load(cur + (<usize>k << 4));
      const s = f64x2.extract_lane(e, 0);
      const w = reinterpret<i64>(f64x2.extract_lane(e, 1));
      const lt = <i32>(s < pivot);
      const gt = <i32>(s > pivot);
      v128.store(f1 + (<usize>lc << 4), e);
      v128.store(f2 + (<usize>uc << 4), e);
      lowStake += reinterpret<f64>(w & -(<i64>lt));
      highStake += reinterpret<f64>(w & -(<i64>gt));
      lc += lt;
      uc += gt;
    }
    let chosen: usize;
    let other: usize;
    if (minority < lo + lowStake && lc > 0) {
      hi = lo + lowStake;
      chosen = f1;
      other = f2;
      len = lc;
    } else if (hi - highStake <= minority && uc > 0) {
      lo = hi - highStake;
      chosen = f2;
      other = f1;
      len = uc;
    } else {
      return pivot;
    }
    const freed = cur == src ? MED_C : cur;
    cur = chosen;
    f1 = other;
    f2 = freed;
    steps++;
    if (steps > limit) return 0.0;
  }
  return 0.0;
}

/**
 * Consensus for every column. Voters are the uids with positive active stake (in uid order), their stakes
 * renormalised; `minority = Σu − κ`. Columns are gathered TILE at a time from the row-major working matrix
 * into contiguous (score, stake) runs; a voter outside the working rows (possible only when the permit vector
 * is empty) reads a zero row.
 */
export function consensus(): void {
  const n = N;
  let m = 0;
  let sum = 0.0;
  for (let i = 0; i < n; i++) {
    const a = f64At(ASTAKE, i);
    if (a > 0) {
      setI32(VOTERS, m, i);
      sum += a;
      m++;
    }
  }
  if (m == 0) {
    memory.fill(CONS, 0, <usize>n << 3);
    return;
  }
  let total = 0.0;
  for (let k = 0; k < m; k++) {
    const i = i32At(VOTERS, k);
    const u = f64At(ASTAKE, i) / sum;
    setF64(VOTE_STAKE, k, u);
    total += u;
    const slot = i32At(ROW_OF, i);
    store<usize>(VOTER_ROW + (<usize>k << 2), slot >= 0 ? matRow(slot, n) : ZERO_ROW);
  }
  const minority = total - <f64>KAPPA / 65535.0;
  const colBytes = <usize>m << 4;
  for (let j0 = 0; j0 < n; j0 += TILE) {
    const tw = min(TILE, n - j0);
    for (let k = 0; k < m; k++) {
      const row = load<usize>(VOTER_ROW + (<usize>k << 2)) + (<usize>j0 << 3);
      const u = f64At(VOTE_STAKE, k);
      let dst = TILE_BUF + (<usize>k << 4);
      for (let t = 0; t < tw; t++) {
        v128.store(dst, f64x2.replace_lane(f64x2.splat(u), 0, load<f64>(row + (<usize>t << 3))));
        dst += colBytes;
      }
    }
    for (let t = 0; t < tw; t++) {
      setF64(CONS, j0 + t, weightedMedian(TILE_BUF + <usize>t * colBytes, m, minority, total));
    }
  }
}
