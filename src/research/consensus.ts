/**
 * The simulator's consensus weight per server column: sort the column's weights in descending order, add up
 * the stakes in that order, and take the first weight at which the running stake reaches κ
 * (`optimized_compute_consensus_weights`); the largest weight when no prefix reaches κ (torch's argmax of
 * an all-false row is 0). That is max{ w : Σ stake of weights ≥ w ≥ κ }, which depends only on the values,
 * not on how torch orders ties, so no sort is needed:
 *
 * 1. one row-major pass files every weight into one of K buckets per column by the top bits of its IEEE-754
 *    pattern without the sign (monotone in the value: K = 256 spends 3 mantissa bits on each of the 32 octaves below 1,
 *    fewer validators get fewer buckets; everything below 2⁻³² shares bucket 0) and adds its validator's
 *    stake to that bucket;
 * 2. per column, the buckets are walked from the top until the running stake reaches κ;
 * 3. only the weights of that bucket are gathered, and a radix select over their bit patterns (starting from
 *    the stake of the buckets above; selectColumn) finds the exact weight.
 *
 * `reached(sum)` is `sum ≥ κ` in the caller's precision (torch stores the double cumsum as float32 first).
 */
export function consensusColumns(W: Float64Array, S: Float64Array, V: number, M: number, kappa: number, f32: boolean, out: Float64Array): void {
  const reached = f32 ? (x: number) => Math.fround(x) >= kappa : (x: number) => x >= kappa;
  let total = 0;
  for (let v = 0; v < V; v++) total += S[v];
  if (!reached(total)) {
    // No prefix reaches κ: the column's largest weight.
    out.fill(-Infinity);
    for (let v = 0; v < V; v++) {
      const o = v * M;
      for (let m = 0; m < M; m++) if (W[o + m] > out[m]) out[m] = W[o + m];
    }
    return;
  }
  const N = V * M;
  // About as many buckets as validators (16 … 256): the per-column bucket walk then costs no more than the data.
  let K = 16;
  while (K < 256 && K < V) K <<= 1;
  const shift = 20 - Math.log2(K / 32);
  const keyBase = (0x3ff00000 >>> shift) - K;
  const s = scratch(N, M * K);
  const { stake, count, keys } = s;
  stake.fill(0, 0, M * K);
  count.fill(0, 0, M * K);
  // Upper 32 bits of each double: the odd words on little-endian machines, the even ones on big-endian.
  const hiWords = new Uint32Array(W.buffer, W.byteOffset, 2 * N);
  const HI = LITTLE_ENDIAN ? 1 : 0;
  for (let v = 0; v < V; v++) {
    const o = v * M;
    const sv = S[v];
    for (let m = 0; m < M; m++) {
      // Without the sign bit: −0 (which passes the weight check) files with 0, not above every positive weight.
      let k = ((hiWords[2 * (o + m) + HI] & 0x7fffffff) >>> shift) - keyBase;
      k = k < 0 ? 0 : k > K - 1 ? K - 1 : k;
      keys[o + m] = k;
      // Bucket-major ([k][m]): a row's weights of similar size land on neighbouring addresses.
      const b = k * M + m;
      stake[b] += sv;
      count[b]++;
    }
  }
  // The bucket where each column's running stake reaches κ, the stake above it, and room for its weights.
  const bucket = s.bucket;
  const above = s.above;
  const start = s.start;
  // Walk the buckets from the top, all columns together (rows of the bucket-major table are contiguous).
  bucket.fill(-1, 0, M);
  above.fill(0, 0, M);
  let open = M;
  for (let k = K - 1; k >= 0 && open > 0; k--) {
    const row = k * M;
    for (let m = 0; m < M; m++) {
      if (bucket[m] >= 0) continue;
      const next = above[m] + stake[row + m];
      if (k === 0 || reached(next)) {
        bucket[m] = k;
        open--;
      } else above[m] = next;
    }
  }
  let room = 0;
  for (let m = 0; m < M; m++) {
    start[m] = room;
    room += count[bucket[m] * M + m];
  }
  const cw = s.candW;
  const cs = s.candS;
  const fill = s.fill;
  fill.set(start.subarray(0, M));
  for (let v = 0; v < V; v++) {
    const o = v * M;
    const sv = S[v];
    for (let m = 0; m < M; m++) {
      if (keys[o + m] !== bucket[m]) continue;
      const at = fill[m]++;
      cw[at] = W[o + m];
      cs[at] = sv;
    }
  }
  for (let m = 0; m < M; m++) {
    out[m] = selectColumn(cw, cs, start[m], start[m] + count[bucket[m] * M + m], above[m], reached);
  }
}

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
/** Matrices up to this many cells reuse one set of work arrays (17 bytes a cell); larger ones get their own. */
const CACHE_CELLS = 1 << 21;

interface Scratch {
  stake: Float64Array;
  count: Int32Array;
  keys: Uint8Array;
  bucket: Int32Array;
  above: Float64Array;
  start: Int32Array;
  fill: Int32Array;
  candW: Float64Array;
  candS: Float64Array;
}

let cache: Scratch | null = null;

/** Work arrays, kept between calls and grown when a larger matrix comes (never read before written). */
function scratch(N: number, MK: number): Scratch {
  const c = cache;
  if (c && c.keys.length >= N && c.stake.length >= MK) return c;
  const keep = N <= CACHE_CELLS && MK <= CACHE_CELLS;
  const n = keep ? Math.max(N, c?.keys.length ?? 0) : N;
  const mk = keep ? Math.max(MK, c?.stake.length ?? 0) : MK;
  // Per-column arrays need at most mk / 16 entries (K ≥ 16).
  const m = Math.ceil(mk / 16);
  const fresh: Scratch = {
    stake: new Float64Array(mk),
    count: new Int32Array(mk),
    keys: new Uint8Array(n),
    bucket: new Int32Array(m),
    above: new Float64Array(m),
    start: new Int32Array(m),
    fill: new Int32Array(m),
    candW: new Float64Array(n),
    candS: new Float64Array(n),
  };
  if (keep) cache = fresh;
  return fresh;
}

/** Sub-bucket stake of one refinement step of selectColumn. */
const subStake = new Float64Array(256);

/**
 * The exact weight in w[lo, hi) (in row order) where the running stake, starting at `above`, reaches κ (values
 * descending). A radix select on the IEEE-754 patterns (sign cleared, so −0 is 0): the top bit where the
 * candidates' patterns differ and the 7 below it file each candidate into one of 256 sub-buckets (monotone in
 * the value: every higher bit is shared); their stake, each summed in row order, is walked from the top as the
 * buckets were; the crossing sub-bucket's candidates move to the front in order, and the next step looks below
 * the bits just used — at most 8 steps. 16 or fewer candidates (or all equal): sorted descending (stable) and
 * walked one by one. No step branches on a comparison per candidate that could go either way, unlike the
 * quickselect this replaced. `reached` in the caller's precision.
 */
function selectColumn(w: Float64Array, s: Float64Array, lo: number, hi: number, above: number, reached: (sum: number) => boolean): number {
  const words = new Uint32Array(w.buffer, w.byteOffset, 2 * w.length);
  const H = LITTLE_ENDIAN ? 1 : 0;
  const L = 1 - H;
  for (;;) {
    let andHi = 0xffffffff;
    let andLo = 0xffffffff;
    let orHi = 0;
    let orLo = 0;
    for (let i = lo; i < hi; i++) {
      const h = words[2 * i + H] & 0x7fffffff;
      const l = words[2 * i + L];
      andHi &= h;
      andLo &= l;
      orHi |= h;
      orLo |= l;
    }
    const diffHi = (orHi ^ andHi) >>> 0;
    const diffLo = (orLo ^ andLo) >>> 0;
    if (hi - lo <= 16 || (diffHi === 0 && diffLo === 0)) {
      // Insertion sort, descending and stable, then the running stake.
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
        if (reached(above)) return w[i];
      }
      // Only when rounding of the bucket sums and of this walk disagree by an ulp: the smallest weight here.
      return hi > lo ? w[hi - 1] : 0;
    }
    const top = diffHi !== 0 ? 63 - Math.clz32(diffHi) : 31 - Math.clz32(diffLo);
    const sh = top < 7 ? 0 : top - 7;
    const key = (i: number): number => {
      const h = words[2 * i + H] & 0x7fffffff;
      const l = words[2 * i + L];
      if (sh >= 32) return (h >>> (sh - 32)) & 255;
      if (sh === 0) return l & 255;
      return ((l >>> sh) | (h << (32 - sh))) & 255;
    };
    subStake.fill(0);
    let lowest = 255;
    for (let i = lo; i < hi; i++) {
      const k = key(i);
      subStake[k] += s[i];
      if (k < lowest) lowest = k;
    }
    let kb = 255;
    for (; kb > lowest; kb--) {
      const next = above + subStake[kb];
      if (reached(next)) break;
      above = next;
    }
    let j = lo;
    for (let i = lo; i < hi; i++) {
      if (key(i) !== kb) continue;
      w[j] = w[i];
      s[j] = s[i];
      j++;
    }
    hi = j;
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
