// Emission shares and rao amounts.
import * as J from '../job';
import { ASTAKE, DIV, INC, SSHARE, STAKE, VSHARE, f64At, setF64 } from './layout';

/** Server share Iᵢ/E and validator share Dᵢ/E, E = Σ(I + D) in uid order; E = 0 → validators get (active) stake. */
export function emissionShares(): void {
  const n = J.n;
  let e = 0.0;
  for (let i = 0; i < n; i++) e += f64At(INC, i) + f64At(DIV, i);
  if (e == 0) {
    let allZero = true;
    for (let i = 0; i < n; i++) if (f64At(ASTAKE, i) != 0) allZero = false;
    const src = allZero ? STAKE : ASTAKE;
    memory.copy(SSHARE, INC, <usize>n << 3);
    memory.copy(VSHARE, src, <usize>n << 3);
    return;
  }
  for (let i = 0; i < n; i++) {
    setF64(SSHARE, i, f64At(INC, i) / e);
    setF64(VSHARE, i, f64At(DIV, i) / e);
  }
}

let prodHi: u64 = 0;

/** 64×64 → 128-bit product from 32-bit halves; returns the low word, the high word in `prodHi`. */
function mul128(a: u64, b: u64): u64 {
  const M: u64 = 0xffffffff;
  const a0 = a & M;
  const a1 = a >> 32;
  const b0 = b & M;
  const b1 = b >> 32;
  const p00 = a0 * b0;
  const p01 = a0 * b1;
  const p10 = a1 * b0;
  const mid = (p00 >> 32) + (p01 & M) + (p10 & M);
  prodHi = a1 * b1 + (p01 >> 32) + (p10 >> 32) + (mid >> 32);
  return (mid << 32) | (p00 & M);
}

/**
 * `floor(share · rao)` exactly: the f64 share is m·2^−s, so the floor is `(m·rao) >> s` on the 128-bit
 * product, saturating at u64::MAX. The result never exceeds what the share allows; its only error is the
 * share's own rounding (a few ulp: ≤ rao·n·2⁻⁵² per epoch in total).
 */
export function floorShareTimes(share: f64, rao: u64): u64 {
  if (!(share > 0) || rao == 0) return 0;
  const bits = reinterpret<u64>(share);
  const e = <i32>((bits >> 52) & 0x7ff);
  if (e == 0x7ff) return U64.MAX_VALUE;
  const frac = bits & 0xfffffffffffff;
  const m = e == 0 ? frac : frac | 0x10000000000000;
  const s = e == 0 ? 1074 : 1075 - e;
  const lo = mul128(m, rao);
  const hi = prodHi;
  if (s >= 128) return 0;
  if (s >= 64) return hi >> <u64>(s - 64);
  if (s > 0) {
    if ((hi >> <u64>s) != 0) return U64.MAX_VALUE;
    return (lo >> <u64>s) | (hi << <u64>(64 - s));
  }
  if (hi != 0) return U64.MAX_VALUE;
  if (s == 0) return lo;
  const l = -s;
  if (l >= 64 || (lo >> <u64>(64 - l)) != 0) return U64.MAX_VALUE;
  return lo << <u64>l;
}

/**
 * Rao amounts. Float shares can sum to a hair over 1; any excess of Σ over `rao` is taken back from the
 * largest payment (first largest, servers before validators, lower uid first) so value is never minted.
 */
export function emissions(server: usize, validator: usize): void {
  const n = J.n;
  // Σ as a 128-bit (hi, lo) pair: each amount is below 2^64 but their sum need not be.
  let hi: u64 = 0;
  let lo: u64 = 0;
  for (let i = 0; i < n; i++) {
    const s = floorShareTimes(f64At(SSHARE, i), J.rao);
    const v = floorShareTimes(f64At(VSHARE, i), J.rao);
    store<u64>(server + (<usize>i << 3), s);
    store<u64>(validator + (<usize>i << 3), v);
    lo += s;
    if (lo < s) hi++;
    lo += v;
    if (lo < v) hi++;
  }
  if (hi == 0 && lo <= J.rao) return;
  if (lo < J.rao) hi--;
  lo -= J.rao;
  while (hi != 0 || lo != 0) {
    let best = server;
    let at = 0;
    let bestV = load<u64>(server);
    for (let pass = 0; pass < 2; pass++) {
      const v = pass == 0 ? server : validator;
      for (let i = 0; i < n; i++) {
        const x = load<u64>(v + (<usize>i << 3));
        if (x > bestV) { best = v; at = i; bestV = x; }
      }
    }
    const take = hi != 0 || bestV < lo ? bestV : lo;
    store<u64>(best + (<usize>at << 3), bestV - take);
    if (lo < take) hi--;
    lo -= take;
  }
}
