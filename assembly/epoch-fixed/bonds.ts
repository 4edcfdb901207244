// Weights for bonds (bonds penalty), the bond EMA (original Yuma or Yuma3, liquid alpha) and dividends.
// Works row by row over M in place. On return M holds, for every compact row, the u16 the chain stores per column,
// or -1 where the sparse write-back stores no entry; DIV holds the normalised dividends.
import { ONE, mulSat, satAdd, satSub, u16ProportionToFixed, mulOrZero } from '../fixed/i32f32';
import { alphaFromBondsMovingAverage } from '../fixed/wide-fixed';
import { alphaFromExp, alphaSigmoid, expA, expB, expSafePair, sigmoidArg, steepnessFactor } from '../fixed/transcendental';
import { divU, fracDiv, inverse, mulU, toU16 } from '../fixed/proportion';
import { fracDivX, mulConstX, mulUX } from '../fixed/proportion-x2';
import * as J from '../job';
import { ACT, COL_A, COL_B, COL_C, COL_D, CONS, DIV, INC, INV_A, INV_B, KEYS_A, KEYS_B, OLD_PERMIT, RECENT, ROWS, ld, ldI32, ldU8, st } from './layout';
import { rowPtr, weightPresent } from './weights';
import { originalYumaSimd, originalYumaSimdApplies } from './original-yuma-simd';

let beta: i64 = 0;

// @ts-ignore: decorator
@inline function bondIn(i: i32, j: i32): u32 {
  return <u32>load<u16>(J.bondsIn + ((<usize>i * <usize>J.n + <usize>j) << 1));
}

/** WB = W ⊕ β⊗(CW ⊖ W) with CW = min(W, C); β = 0 and β = ONE are the chain's exact short-cuts. */
// @ts-ignore: decorator
@inline function weightForBonds(w: i64, c: i64): i64 {
  if (beta == 0) return w;
  const cw = w < c ? w : c;
  if (beta == ONE) return cw;
  return satAdd(w, mulSat(beta, satSub(cw, w))); // the difference is ≤ 0: mulSat floors toward −∞ like the crate
}

/** Sparse path: whether WB keeps entry (i, j) (explicit zeros included for β = 0 and β = ONE). */
// @ts-ignore: decorator
@inline function weightForBondsPresent(i: i32, j: i32, lu: u64, cm: u64, w: i64, c: i64, wb: i64): bool {
  if (!ldU8(OLD_PERMIT, i)) return false; // `mask_rows` emptied the row
  if (beta == 0) return weightPresent(i, j, lu, cm);
  if (beta == ONE) return weightPresent(i, j, lu, cm) && !(c < w && c <= 0);
  return wb > 0;
}

/**
 * For an entry WB does not list: whether its bond is dropped (sparse) rather than decayed (dense), by the rule
 * that covers why it is missing — no weight entry after masking, a stored zero, or a positive weight whose
 * weight for bonds vanished.
 */
// @ts-ignore: decorator
@inline function bondDropped(i: i32, j: i32, lu: u64, cm: u64, w: i64): bool {
  if (!ldU8(OLD_PERMIT, i) || !weightPresent(i, j, lu, cm)) return J.dropUnlisted;
  return w == 0 ? J.dropStoredZero : J.dropVanished;
}

export function bondsAndDividends(rows: i32): void {
  beta = u16ProportionToFixed(J.bondsPenalty);
  if (J.yuma3) yuma3(rows);
  else originalYuma(rows);
  normaliseDividends();
}

function normaliseDividends(): void {
  const n = J.n;
  let s: i64 = 0;
  for (let i = 0; i < n; i++) s += ld(DIV, i); // each ≤ ONE·n at most: no wrap
  if (s != 0) for (let i = 0; i < n; i++) st(DIV, i, divU(ld(DIV, i), s));
}

// ---------------------------------------------------------------------------------------------------------------
// Original Yuma: integer bonds column-normalised, ΔB = colnorm(WB ⊙ a), EMA, colnorm, Σ EMA·I, max-upscale.
// ---------------------------------------------------------------------------------------------------------------

function originalYuma(rows: i32): void {
  const n = J.n;
  const alpha = alphaFromBondsMovingAverage(J.bma);
  const keep = satSub(ONE, alpha);
  if (originalYumaSimdApplies(beta, alpha, keep)) {
    originalYumaSimd(rows, beta, alpha, keep);
    return;
  }
  const bondSum = COL_A; // Σ_i b_ij as an integer (the I32F32 sums are exact multiples of 2^32)
  const deltaSum = COL_B;
  memory.fill(bondSum, 0, <usize>n << 3);
  memory.fill(deltaSum, 0, <usize>n << 3);
  memory.fill(DIV, 0, <usize>n << 3);

  // pass 1: ΔB = WB ⊗ a in place of W; column sums of ΔB and of the (recent-masked) stored bonds
  for (let r = 0; r < rows; r++) {
    const i = ldI32(ROWS, r);
    const row = rowPtr(r);
    const a = ld(ACT, i);
    for (let j = 0; j < n; j++) {
      if (!ldU8(RECENT, j)) {
        const b = bondIn(i, j);
        if (b != 0) st(bondSum, j, ld(bondSum, j) + b);
      }
      const w = ld(row, j);
      if (w == 0) continue;
      const d = mulU(weightForBonds(w, ld(CONS, j)), a);
      st(row, j, d);
      st(deltaSum, j, ld(deltaSum, j) + d); // Σ_i WB_ij·a_i ≤ Σ a ≤ ONE: saturation unreachable
    }
  }
  for (let j = 0; j < n; j++) {
    setInv(INV_A, j, inverse(ld(deltaSum, j)));
    setInv(INV_B, j, inverse(ld(bondSum, j)));
  }

  // pass 2: EMA = α⊗colnorm(ΔB) ⊕ (1−α)⊗colnorm(B), its column sums and maxima
  const emaSum = COL_C;
  const emaMax = COL_D;
  memory.fill(emaSum, 0, <usize>n << 3);
  memory.fill(emaMax, 0, <usize>n << 3);
  for (let r = 0; r < rows; r++) {
    const i = ldI32(ROWS, r);
    const row = rowPtr(r);
    for (let j = 0; j < n; j++) {
      const ds = ld(deltaSum, j);
      let d = ld(row, j);
      if (ds != 0 && d != 0) d = fracDiv(d, ds, getInv(INV_A, j));
      let bn: i64 = 0;
      const bs = ld(bondSum, j);
      if (bs != 0 && !ldU8(RECENT, j)) {
        const b = bondIn(i, j);
        if (b != 0) bn = fracDiv(<i64>b, bs, getInv(INV_B, j)); // = (b·2^32) safe_div (Σb·2^32)
      }
      const e = mulU(alpha, d) + mulU(keep, bn); // each term ≤ ONE
      st(row, j, e);
      st(emaSum, j, ld(emaSum, j) + e);
      if (ld(emaMax, j) < e) st(emaMax, j, e);
    }
  }
  // column max of the normalised EMA = the normalised column max (x ↦ floor(x·2^32/s) is monotone)
  const colMax = COL_B;
  for (let j = 0; j < n; j++) {
    const es = ld(emaSum, j);
    const invS = inverse(es);
    setInv(INV_A, j, invS);
    const mx = es != 0 ? fracDiv(ld(emaMax, j), es, invS) : ld(emaMax, j);
    st(colMax, j, mx);
    setInv(INV_B, j, inverse(mx));
  }

  // pass 3: column-normalise, dividends Σ_j I_j ⊗ EMAn_ij, storage form (column max-upscaled, u16)
  for (let r = 0; r < rows; r++) {
    const i = ldI32(ROWS, r);
    const row = rowPtr(r);
    let dv: i64 = 0;
    for (let j = 0; j < n; j++) {
      const e = ld(row, j);
      if (e == 0) {
        if (J.sparseWriteback) st(row, j, -1); // the sparse EMA keeps only entries > 0
        continue;
      }
      const es = ld(emaSum, j);
      const en = es != 0 ? fracDiv(e, es, getInv(INV_A, j)) : e;
      dv += mulU(ld(INC, j), en); // ≤ Σ_j I_j ≤ ONE
      const mx = ld(colMax, j);
      st(row, j, <i64>toU16(mx != 0 ? fracDiv(en, mx, getInv(INV_B, j)) : en));
    }
    st(DIV, i, dv);
  }
}

// @ts-ignore: decorator
@inline function setInv(base: usize, j: i32, v: f64): void {
  store<f64>(base + (<usize>j << 3), v);
}

// @ts-ignore: decorator
@inline function getInv(base: usize, j: i32): f64 {
  return load<f64>(base + (<usize>j << 3));
}

/** Yuma3 bond of row i, column j, as a proportion (0 in recently registered columns). */
// @ts-ignore: decorator
@inline function bondProportion(i: i32, j: i32): i64 {
  const raw = bondIn(i, j);
  return raw != 0 && !ldU8(RECENT, j) ? u16ProportionToFixed(raw) : 0;
}

/** Liquid-alpha EMA of one entry from its α; −1 where the sparse write-back stores nothing. */
// @ts-ignore: decorator
@inline function liquidEntry(row: usize, emaSum: usize, j: i32, a: i64, wb: i64, b: i64): void {
  // α, WB and B are proportions in [0, ONE] here: `mulU` is one multiply there and the crate's op outside
  let inc = mulU(wb, a);
  if (inc < 0) inc = 0;
  let e = satAdd(mulU(satSub(ONE, a), b), inc);
  if (e > ONE) e = ONE;
  if (J.sparseWriteback && e <= 0) { st(row, j, -1); return; }
  st(row, j, e);
  st(emaSum, j, ld(emaSum, j) + e); // each ≤ ONE, ≤ 4096 rows: saturation unreachable
}

/**
 * One row of the liquid-alpha EMA. Entries whose α needs `exp` are queued (argument in KEYS_A, column in
 * KEYS_B, both free after the permit sort) and their series run two at a time; the rest finish at once.
 * Every entry's result is the same as computing it in place: entries are independent and the column sums exact.
 */
function liquidRow(i: i32, row: usize, emaSum: usize, lo: i64, hi: i64, factor: i64, alphaAtZero: i64): void {
  const n = J.n;
  const lu = J.lastUpdate(i);
  const cm = J.commitOf(i);
  let queued = 0;
  for (let j = 0; j < n; j++) {
    const w = ld(row, j);
    const c = ld(CONS, j);
    const wb = w == 0 ? 0 : weightForBonds(w, c);
    // mat_ema_alpha_sparse produces only the columns WB lists: an old bond elsewhere is dropped, not decayed
    if (!weightForBondsPresent(i, j, lu, cm, w, c, wb) && bondDropped(i, j, lu, cm, w)) {
      st(row, j, J.sparseWriteback ? -1 : 0);
      continue;
    }
    const b = bondProportion(i, j);
    const buy = wb >= b;
    const dd = buy ? satSub(wb, c) : satSub(b, wb);
    if (dd <= 0 && buy) {
      liquidEntry(row, emaSum, j, alphaAtZero, wb, b);
    } else {
      st(KEYS_A, queued, sigmoidArg(c, wb, b, factor));
      st(KEYS_B, queued, j);
      queued++;
    }
  }
  let q = 0;
  for (; q + 2 <= queued; q += 2) {
    expSafePair(ld(KEYS_A, q), ld(KEYS_A, q + 1));
    st(KEYS_A, q, expA);
    st(KEYS_A, q + 1, expB);
  }
  if (q < queued) {
    expSafePair(ld(KEYS_A, q), 0);
    st(KEYS_A, q, expA);
  }
  for (q = 0; q < queued; q++) {
    const j = <i32>ld(KEYS_B, q);
    const w = ld(row, j); // still the weight: queued entries were not written yet
    const wb = w == 0 ? 0 : weightForBonds(w, ld(CONS, j));
    liquidEntry(row, emaSum, j, alphaFromExp(ld(KEYS_A, q), lo, hi), wb, bondProportion(i, j));
  }
}

/** Yuma3 pass 2, one entry: its dividend term (0 where nothing is stored) and its storage value in place. */
// @ts-ignore: decorator
@inline function storageEntry(row: usize, emaSum: usize, j: i32, e: i64): i64 {
  if (e < 0) return 0;
  let t: i64 = 0;
  if (e != 0) {
    const es = ld(emaSum, j);
    t = mulU(es != 0 ? fracDiv(e, es, getInv(INV_A, j) * 2.3283064365386963e-10) : e, ld(INC, j));
  }
  st(row, j, <i64>toU16(e));
  return t;
}

// ---------------------------------------------------------------------------------------------------------------
// Yuma3: bonds as u16 proportions, per-entry (liquid) or single α, dividends stake-weighted, storage unnormalised.
// ---------------------------------------------------------------------------------------------------------------

function yuma3(rows: i32): void {
  const n = J.n;
  let liquid = false;
  if (J.liquidAlpha) for (let j = 0; j < n; j++) if (ld(CONS, j) != 0) { liquid = true; break; }
  const lo = u16ProportionToFixed(J.alphaLow);
  const hi = u16ProportionToFixed(J.alphaHigh);
  const steep = J.steepness << 32;
  const alphaAtZero = alphaSigmoid(0, 0, 0, lo, hi, steep); // α for combined_diff = 0, by far the commonest
  const alpha = alphaFromBondsMovingAverage(J.bma);
  const keep = satSub(ONE, alpha);
  const emaSum = COL_A;
  memory.fill(emaSum, 0, <usize>n << 3);
  memory.fill(DIV, 0, <usize>n << 3);

  // pass 1: EMA in place of W; -1 marks entries the sparse write-back does not store
  const factor = steepnessFactor(steep);
  for (let r = 0; r < rows; r++) {
    const i = ldI32(ROWS, r);
    const row = rowPtr(r);
    if (liquid) {
      liquidRow(i, row, emaSum, lo, hi, factor, alphaAtZero);
      continue;
    }
    for (let j = 0; j < n; j++) {
      const w = ld(row, j);
      const c = ld(CONS, j);
      const wb = w == 0 ? 0 : weightForBonds(w, c);
      const raw = bondIn(i, j);
      const b = raw != 0 && !ldU8(RECENT, j) ? u16ProportionToFixed(raw) : 0;
      const e = satAdd(mulU(alpha, wb), mulU(keep, b));
      if (J.sparseWriteback && e <= 0) { st(row, j, -1); continue; }
      st(row, j, e);
      st(emaSum, j, ld(emaSum, j) + e); // each ≤ ONE, ≤ 4096 rows: saturation unreachable
    }
  }

  // 2^32 / f64(Σ): `fracDivX`'s scaled inverse (the scalar `fracDiv` gets the same bits scaling after its product)
  for (let j = 0; j < n; j++) setInv(INV_A, j, inverse(ld(emaSum, j)) * 4294967296.0);

  // pass 2: Σ_j colnorm(EMA)_ij ⊗ I_j (checked: 0 on overflow) times active stake; storage = fp16(EMA)
  for (let r = 0; r < rows; r++) {
    const i = ldI32(ROWS, r);
    const row = rowPtr(r);
    let tbv = i64x2.splat(0);
    let tb: i64 = 0;
    let j = 0;
    for (; j + 2 <= n; j += 2) {
      const at = <usize>j << 3;
      const e = v128.load(row + at);
      const inc = v128.load(INC + at);
      const zero = i64x2.splat(0);
      const one = i64x2.splat(ONE);
      if (v128.any_true(v128.or(v128.or(i64x2.gt_s(e, one), i64x2.gt_s(inc, one)), i64x2.lt_s(inc, zero)))) {
        // outside the proportions' domain (never from pass 1): the scalar ops
        tb += storageEntry(row, emaSum, j, i64x2.extract_lane(e, 0));
        tb += storageEntry(row, emaSum, j + 1, i64x2.extract_lane(e, 1));
        continue;
      }
      // e > 0 lanes: Σ ≥ e > 0 (the column sum holds e); elsewhere a = 0 over b = ONE gives 0, as the scalar adds
      const pos = i64x2.gt_s(e, zero);
      const q = fracDivX(v128.and(e, pos), v128.bitselect(v128.load(emaSum + at), one, pos), v128.load(INV_A + at));
      tbv = i64x2.add(tbv, mulUX(q, inc)); // wrapping like the scalar sum: lane order does not matter
      v128.store(row + at, v128.bitselect(mulConstX(i32x4.splat(65535), e), e, i64x2.ge_s(e, zero)));
    }
    if (j < n) tb += storageEntry(row, emaSum, j, ld(row, j));
    tb += i64x2.extract_lane(tbv, 0) + i64x2.extract_lane(tbv, 1);
    st(DIV, i, mulOrZero(tb, ld(ACT, i)));
  }
}
