// Weights for bonds, original-Yuma EMA, Yuma3 EMA (single alpha or liquid alpha), dividends.
import { ALPHA_HIGH, ALPHA_LOW, BMA, BONDS_PENALTY, DROP_STORED_ZERO, DROP_UNLISTED, DROP_VANISHED, IN_B, LIQUID, N, STEEPNESS } from './job';
import { weightPresent } from './masks';
import { ASTAKE, COL_A, COL_B, COL_C, COL_D, CONS, DIV, FORBID, INC, RECENT, ROWS, f64At, i32At, matRow, setF64 } from './layout';

let beta: f64 = 0;
let betaV: v128 = f64x2.splat(0);

/** `WB = W + β·(min(W, C) − W)`; β = 0 and β = 1 pass W or the clipped W through unchanged, like the chain. */
// @ts-ignore: decorator
@inline function wbOf(w: v128, c: v128): v128 {
  if (BONDS_PENALTY == 0) return w;
  const cw = f64x2.pmin(w, c);
  if (BONDS_PENALTY == 65535) return cw;
  return f64x2.add(w, f64x2.mul(betaV, f64x2.sub(cw, w)));
}

// @ts-ignore: decorator
@inline function wbOfScalar(w: f64, c: f64): f64 {
  if (BONDS_PENALTY == 0) return w;
  const cw = c < w ? c : w;
  if (BONDS_PENALTY == 65535) return cw;
  return w + beta * (cw - w);
}

/** `x / c`, or `x` where `c` is 0 (the chain's column normalisation skips empty columns). */
// @ts-ignore: decorator
@inline function divOrKeep(x: v128, c: v128): v128 {
  return v128.bitselect(x, f64x2.div(x, c), f64x2.eq(c, f64x2.splat(0)));
}

// @ts-ignore: decorator
@inline function divOrKeepScalar(x: f64, c: f64): f64 {
  return c != 0 ? x / c : x;
}

/** Eight... two stored u16 bonds of row `i` at column `j` as f64x2. */
// @ts-ignore: decorator
@inline function bondPair(bRow: usize, j: i32): v128 {
  const b = v128.load32_zero(bRow + (<usize>j << 1));
  return f64x2.convert_low_i32x4_u(i32x4.extend_low_i16x8_u(b));
}

// @ts-ignore: decorator
@inline function keepPair(j: i32): v128 {
  return v128.load(COL_C + (<usize>j << 3));
}

/** 1 where a bond column survives the recent-registration mask, 0 where it is dropped (into COL_C). */
function recentKeepMask(): void {
  for (let j = 0; j < N; j++) setF64(COL_C, j, load<u8>(RECENT + <usize>j) != 0 ? 0.0 : 1.0);
}

export function emaAlpha(): f64 {
  return 1.0 - <f64>BMA / 1e6;
}

export function setBondsPenalty(): void {
  beta = <f64>BONDS_PENALTY / 65535.0;
  betaV = f64x2.splat(beta);
}

/**
 * Original Yuma, over the working rows (every other row has zero weights and zero bonds):
 * pass 1 column sums of the masked bonds (integers: exact) and of ΔB = WB·a; pass 2 the EMA
 * `α·ΔB/ΣΔB + (1−α)·B/ΣB` in place of the weights, with its column sums; pass 3 column-normalised EMA in place,
 * dividends `Σⱼ Iⱼ·EMAᵢⱼ` (two lanes, as the reference) and column maxima for storage (into COL_C).
 */
export function originalYuma(rows: i32): void {
  const n = N;
  const bytes = <usize>n << 3;
  recentKeepMask();
  memory.fill(COL_A, 0, bytes);
  memory.fill(COL_B, 0, bytes);
  memory.fill(COL_D, 0, bytes);
  memory.fill(DIV, 0, bytes);
  // pass 1 leaves ΔB = WB·a in place of W (clipping has used W already), so pass 2 does not recompute it
  for (let r = 0; r < rows; r++) {
    const i = i32At(ROWS, r);
    const row = matRow(r, n);
    const bRow = IN_B + (<usize>i * <usize>n << 1);
    const a = f64At(ASTAKE, i);
    const av = f64x2.splat(a);
    let j = 0;
    for (; j + 2 <= n; j += 2) {
      const o = <usize>j << 3;
      v128.store(COL_A + o, f64x2.add(v128.load(COL_A + o), f64x2.mul(bondPair(bRow, j), keepPair(j))));
      const d = f64x2.mul(wbOf(v128.load(row + o), v128.load(CONS + o)), av);
      v128.store(row + o, d);
      // a = 0 adds nothing to the column sums: skipped, as the reference sums only rows with stake
      if (a != 0) v128.store(COL_B + o, f64x2.add(v128.load(COL_B + o), d));
    }
    if (j < n) {
      const o = <usize>j << 3;
      store<f64>(COL_A + o, load<f64>(COL_A + o) + <f64>load<u16>(bRow + (<usize>j << 1)) * load<f64>(COL_C + o));
      const d = wbOfScalar(load<f64>(row + o), load<f64>(CONS + o)) * a;
      store<f64>(row + o, d);
      if (a != 0) store<f64>(COL_B + o, load<f64>(COL_B + o) + d);
    }
  }
  const alpha = emaAlpha();
  const keep = 1.0 - alpha;
  const alphaV = f64x2.splat(alpha);
  const keepV = f64x2.splat(keep);
  for (let r = 0; r < rows; r++) {
    const i = i32At(ROWS, r);
    const row = matRow(r, n);
    const bRow = IN_B + (<usize>i * <usize>n << 1);
    let j = 0;
    for (; j + 2 <= n; j += 2) {
      const o = <usize>j << 3;
      const d = divOrKeep(v128.load(row + o), v128.load(COL_B + o));
      const b = divOrKeep(f64x2.mul(bondPair(bRow, j), keepPair(j)), v128.load(COL_A + o));
      const e = f64x2.add(f64x2.mul(alphaV, d), f64x2.mul(keepV, b));
      v128.store(row + o, e);
      v128.store(COL_D + o, f64x2.add(v128.load(COL_D + o), e));
    }
    if (j < n) {
      const o = <usize>j << 3;
      const d = divOrKeepScalar(load<f64>(row + o), load<f64>(COL_B + o));
      const b = divOrKeepScalar(<f64>load<u16>(bRow + (<usize>j << 1)) * load<f64>(COL_C + o), load<f64>(COL_A + o));
      const e = alpha * d + keep * b;
      store<f64>(row + o, e);
      store<f64>(COL_D + o, load<f64>(COL_D + o) + e);
    }
  }
  memory.fill(COL_C, 0, bytes);
  for (let r = 0; r < rows; r++) {
    const i = i32At(ROWS, r);
    const row = matRow(r, n);
    let acc = f64x2.splat(0);
    let j = 0;
    for (; j + 2 <= n; j += 2) {
      const o = <usize>j << 3;
      const e = divOrKeep(v128.load(row + o), v128.load(COL_D + o));
      v128.store(row + o, e);
      acc = f64x2.add(acc, f64x2.mul(v128.load(INC + o), e));
      v128.store(COL_C + o, f64x2.pmax(v128.load(COL_C + o), e));
    }
    let s0 = f64x2.extract_lane(acc, 0);
    if (j < n) {
      const o = <usize>j << 3;
      const e = divOrKeepScalar(load<f64>(row + o), load<f64>(COL_D + o));
      store<f64>(row + o, e);
      s0 += load<f64>(INC + o) * e;
      const mx = load<f64>(COL_C + o);
      if (mx < e) store<f64>(COL_C + o, e);
    }
    setF64(DIV, i, s0 + f64x2.extract_lane(acc, 1));
  }
}

// @ts-ignore: decorator
@inline function expSafe(x: f64): f64 {
  return Math.exp(min(20.0, max(-20.0, x)));
}

/** Liquid alpha v2: the EMA speed between alphaLow and alphaHigh from how far w sits above C or below b. */
// @ts-ignore: decorator
@inline function alphaSigmoid(c: f64, w: f64, b: f64, lo: f64, hi: f64, steep: f64): f64 {
  const buy = min(1.0, max(0.0, w - c));
  const sell = min(1.0, max(0.0, b - w));
  const d = w >= b ? buy : sell;
  const sigma = 1.0 / (1.0 + expSafe(steep * (d - 0.5)));
  return max(lo, min(hi, lo + sigma * (hi - lo)));
}

/** Whether Yuma3 runs per-entry liquid alpha: enabled and some consensus value non-zero. */
function liquidAlphaApplies(): bool {
  if (!LIQUID) return false;
  for (let j = 0; j < N; j++) if (f64At(CONS, j) != 0) return true;
  return false;
}

/** The sparse path's WB entry exists (the liquid-alpha EMA is emitted only for listed columns). */
// @ts-ignore: decorator
@inline function wbPresent(i: i32, j: i32, w: f64, wb: f64, c: f64): bool {
  if (load<u8>(FORBID + <usize>i) != 0) return false;
  if (BONDS_PENALTY == 0) return weightPresent(i, j);
  if (BONDS_PENALTY == 65535) return weightPresent(i, j) && !(c < w && c <= 0);
  return wb > 0;
}

/**
 * For an entry WB does not list: whether its bond is dropped (sparse) rather than decayed (dense), by the rule
 * that covers why it is missing — no weight entry after masking, a stored zero, or a positive weight whose
 * weight for bonds vanished.
 */
// @ts-ignore: decorator
@inline function bondDropped(i: i32, j: i32, w: f64): bool {
  if (load<u8>(FORBID + <usize>i) != 0 || !weightPresent(i, j)) return DROP_UNLISTED;
  return w == 0 ? DROP_STORED_ZERO : DROP_VANISHED;
}

/**
 * Yuma3 over the working rows: the EMA in place of the weights (bonds as b/65535, recent columns
 * dropped), its column sums, then dividends `aᵢ · Σⱼ (EMAᵢⱼ/ΣEMAⱼ)·Iⱼ`. The EMA itself is the storage form.
 */
export function yuma3(rows: i32): void {
  const n = N;
  const bytes = <usize>n << 3;
  recentKeepMask();
  memory.fill(COL_D, 0, bytes);
  memory.fill(DIV, 0, bytes);
  if (liquidAlphaApplies()) {
    const lo = <f64>ALPHA_LOW / 65535.0;
    const hi = <f64>ALPHA_HIGH / 65535.0;
    const steep = <f64>STEEPNESS / -100.0;
    for (let r = 0; r < rows; r++) {
      const i = i32At(ROWS, r);
      const row = matRow(r, n);
      const bRow = IN_B + (<usize>i * <usize>n << 1);
      for (let j = 0; j < n; j++) {
        const o = <usize>j << 3;
        const w = load<f64>(row + o);
        const c = load<f64>(CONS + o);
        const wb = wbOfScalar(w, c);
        let e = 0.0;
        if (wbPresent(i, j, w, wb, c) || !bondDropped(i, j, w)) {
          const b = load<u8>(RECENT + <usize>j) != 0 ? 0.0 : <f64>load<u16>(bRow + (<usize>j << 1)) / 65535.0;
          const al = alphaSigmoid(c, wb, b, lo, hi, steep);
          e = min(1.0, (1.0 - al) * b + max(0.0, al * wb));
        }
        store<f64>(row + o, e);
        store<f64>(COL_D + o, load<f64>(COL_D + o) + e);
      }
    }
  } else {
    const alpha = emaAlpha();
    const keep = 1.0 - alpha;
    const alphaV = f64x2.splat(alpha);
    const keepV = f64x2.splat(keep);
    const scale = f64x2.splat(65535.0);
    for (let r = 0; r < rows; r++) {
      const i = i32At(ROWS, r);
      const row = matRow(r, n);
      const bRow = IN_B + (<usize>i * <usize>n << 1);
      let j = 0;
      for (; j + 2 <= n; j += 2) {
        const o = <usize>j << 3;
        const b = f64x2.mul(f64x2.div(bondPair(bRow, j), scale), keepPair(j));
        const e = f64x2.add(f64x2.mul(alphaV, wbOf(v128.load(row + o), v128.load(CONS + o))), f64x2.mul(keepV, b));
        v128.store(row + o, e);
        v128.store(COL_D + o, f64x2.add(v128.load(COL_D + o), e));
      }
      if (j < n) {
        const o = <usize>j << 3;
        const b = (<f64>load<u16>(bRow + (<usize>j << 1)) / 65535.0) * load<f64>(COL_C + o);
        const e = alpha * wbOfScalar(load<f64>(row + o), load<f64>(CONS + o)) + keep * b;
        store<f64>(row + o, e);
        store<f64>(COL_D + o, load<f64>(COL_D + o) + e);
      }
    }
  }
  for (let r = 0; r < rows; r++) {
    const i = i32At(ROWS, r);
    const row = matRow(r, n);
    let acc = f64x2.splat(0);
    let j = 0;
    for (; j + 2 <= n; j += 2) {
      const o = <usize>j << 3;
      acc = f64x2.add(acc, f64x2.mul(divOrKeep(v128.load(row + o), v128.load(COL_D + o)), v128.load(INC + o)));
    }
    let s0 = f64x2.extract_lane(acc, 0);
    if (j < n) {
      const o = <usize>j << 3;
      s0 += divOrKeepScalar(load<f64>(row + o), load<f64>(COL_D + o)) * load<f64>(INC + o);
    }
    setF64(DIV, i, (s0 + f64x2.extract_lane(acc, 1)) * f64At(ASTAKE, i));
  }
}
