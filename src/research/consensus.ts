/**
 * The simulator's consensus weight per server column: sort the column's weights in descending order, add up
 * the stakes in that order, and take the first weight at which the running stake reaches κ
 * (`optimized_compute_consensus_weights`); the largest weight when no prefix reaches κ (torch's argmax of
 * an all-false row is 0). That is max{ w : Σ stake of weights ≥ w ≥ κ }, which a three-way quickselect
 * finds in O(V) per column instead of a full sort: the answer depends only on the values, not on how torch
 * orders ties.
 *
 * `reach(sum)` says whether a running stake counts as reaching κ; it carries the rounding of the caller's
 * precision (torch stores the double cumsum as float32 before comparing).
 */
export function consensusColumns(
  W: Float64Array,
  S: Float64Array,
  V: number,
  M: number,
  reach: (sum: number) => boolean,
  out: Float64Array,
): void {
  const wv = new Float64Array(V);
  const sv = new Float64Array(V);
  let total = 0;
  for (let v = 0; v < V; v++) total += S[v];
  const anyReach = reach(total);
  // Columns in tiles so the strided reads of the row-major matrix stay in cache.
  const TILE = 8;
  const tile = new Float64Array(TILE * V);
  for (let m0 = 0; m0 < M; m0 += TILE) {
    const cols = Math.min(TILE, M - m0);
    for (let v = 0; v < V; v++) {
      const row = v * M + m0;
      for (let c = 0; c < cols; c++) tile[c * V + v] = W[row + c];
    }
    for (let c = 0; c < cols; c++) {
      const base = c * V;
      if (!anyReach) {
        let max = -Infinity;
        for (let v = 0; v < V; v++) if (tile[base + v] > max) max = tile[base + v];
        out[m0 + c] = V === 0 ? 0 : max;
        continue;
      }
      for (let v = 0; v < V; v++) {
        wv[v] = tile[base + v];
        sv[v] = S[v];
      }
      out[m0 + c] = selectColumn(wv, sv, V, reach);
    }
  }
}

function selectColumn(w: Float64Array, s: Float64Array, n: number, reach: (sum: number) => boolean): number {
  let lo = 0;
  let hi = n;
  let above = 0;
  for (;;) {
    if (hi - lo <= 16) {
      // Short range: sort descending (insertion) and walk the running stake.
      for (let i = lo + 1; i < hi; i++) {
        const wi = w[i];
        const si = s[i];
        let j = i - 1;
        while (j >= lo && w[j] < wi) {
          w[j + 1] = w[j];
          s[j + 1] = s[j];
          j--;
        }
        w[j + 1] = wi;
        s[j + 1] = si;
      }
      for (let i = lo; i < hi; i++) {
        above += s[i];
        if (reach(above)) return w[i];
      }
      // Unreachable when the whole column reaches κ; keep the torch fallback shape anyway.
      return hi > lo ? w[hi - 1] : 0;
    }
    const a = w[lo];
    const b = w[(lo + hi) >>> 1];
    const c = w[hi - 1];
    const p = a < b ? (b < c ? b : a < c ? c : a) : a < c ? a : b < c ? c : b;
    // Three-way partition: [lo, gt) > p, [gt, i) == p, [lt, hi) < p.
    let gt = lo;
    let i = lo;
    let lt = hi;
    let sGt = 0;
    let sEq = 0;
    while (i < lt) {
      const wi = w[i];
      if (wi > p) {
        const si = s[i];
        sGt += si;
        w[i] = w[gt];
        s[i] = s[gt];
        w[gt] = wi;
        s[gt] = si;
        gt++;
        i++;
      } else if (wi < p) {
        lt--;
        const si = s[i];
        w[i] = w[lt];
        s[i] = s[lt];
        w[lt] = wi;
        s[lt] = si;
      } else {
        sEq += s[i];
        i++;
      }
    }
    if (gt > lo && reach(above + sGt)) {
      hi = gt;
    } else if (reach(above + sGt + sEq)) {
      return p;
    } else {
      above += sGt + sEq;
      lo = lt;
    }
  }
}

/**
 * The simulator's `LEGACY_CONSENSUS=1` path: per column, bisect [0, 1] until the interval is narrower than
 * 1/precision, keeping the upper end of the interval where strictly more than κ of stake weights above it.
 */
export function bisectionConsensus(
  W: Float64Array,
  S: Float64Array,
  V: number,
  M: number,
  kappa: number,
  precision: number,
  q: (x: number) => number,
  out: Float64Array,
): void {
  const width = 1 / precision;
  for (let m = 0; m < M; m++) {
    let high = 1.0;
    let low = 0.0;
    while (high - low > width) {
      const mid = (high + low) / 2;
      const midQ = q(mid);
      let sum = 0;
      for (let v = 0; v < V; v++) if (W[v * M + m] > midQ) sum = q(sum + S[v]);
      if (sum > kappa) low = mid;
      else high = mid;
    }
    out[m] = q(high);
  }
}
