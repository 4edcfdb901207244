// Boundary mutations of the epoch implementations: each moves one comparison by one (`<` ↔ `<=`, a guard
// dropped, a tie order flipped, an off-by-one) in one of the four implementations — the Wasm fixed kernel
// (assembly/epoch-fixed, assembly/job.ts), the BigInt reference (src/reference/fixed), the Wasm float kernel
// (assembly/epoch-float) and the f64 reference (src/reference/float). `node test/mutants/run.mjs`
// applies them one at a time and expects test/epoch-boundaries.test.ts to fail on each ('kill'). Entries marked
// 'equivalent' cannot change any output, entries marked 'pending' are not caught yet (the reason says why for
// both); the runner reports them without failing.
// `find` must occur exactly once in `file`.

const F = 'assembly/epoch-fixed/';
const W = 'assembly/epoch-float/';
const B = 'src/reference/fixed/';
const S = 'src/reference/float/';

export const MUTANTS = [
  // ---- weighted median ----------------------------------------------------------------------------------------
  { id: 'fixed-median-lower-lt', file: F + 'median.ts', find: 'if (minority < lo + loStake && nl > 0) {', replace: 'if (minority <= lo + loStake && nl > 0) {' },
  { id: 'fixed-median-upper-le', file: F + 'median.ts', find: '} else if (hi - hiStake <= minority && nu > 0) {', replace: '} else if (hi - hiStake < minority && nu > 0) {' },
  { id: 'fixed-median-lower-guard', file: F + 'median.ts', find: 'if (minority < lo + loStake && nl > 0) {', replace: 'if (minority < lo + loStake) {' },
  { id: 'fixed-median-upper-guard', file: F + 'median.ts', find: '} else if (hi - hiStake <= minority && nu > 0) {', replace: '} else if (hi - hiStake <= minority) {' },
  { id: 'fixed-median-ties-lower', file: F + 'median.ts', find: 'const ltm = i64x2.lt_s(sc, pv);', replace: 'const ltm = i64x2.le_s(sc, pv);' },
  { id: 'fixed-median-ties-upper', file: F + 'median.ts', find: 'const gtm = i64x2.gt_s(sc, pv);', replace: 'const gtm = i64x2.ge_s(sc, pv);' },
  { id: 'fixed-median-voters', file: F + 'median.ts', find: '    if (a > 0) {', replace: '    if (a >= 0) {' },
  { id: 'ref-median-lower-lt', file: B + 'median.ts', find: 'if (minority < satAdd(I32F32, lo, loStake) && lower.length > 0) {', replace: 'if (minority <= satAdd(I32F32, lo, loStake) && lower.length > 0) {' },
  { id: 'ref-median-upper-le', file: B + 'median.ts', find: '} else if (satSub(I32F32, hi, hiStake) <= minority && upper.length > 0) {', replace: '} else if (satSub(I32F32, hi, hiStake) < minority && upper.length > 0) {' },
  { id: 'ref-median-lower-guard', file: B + 'median.ts', find: 'if (minority < satAdd(I32F32, lo, loStake) && lower.length > 0) {', replace: 'if (minority < satAdd(I32F32, lo, loStake)) {' },
  { id: 'ref-median-upper-guard', file: B + 'median.ts', find: '} else if (satSub(I32F32, hi, hiStake) <= minority && upper.length > 0) {', replace: '} else if (satSub(I32F32, hi, hiStake) <= minority) {' },
  { id: 'ref-median-ties', file: B + 'median.ts', find: '      if (s === pivot) continue;\n', replace: '' },
  { id: 'ref-median-voters', file: B + 'median.ts', find: 'if (stake[r] > 0n) rows.push(r);', replace: 'if (stake[r] >= 0n) rows.push(r);' },
  { id: 'float-median-lower-lt', file: W + 'median.ts', find: 'if (minority < lo + lowStake && lc > 0) {', replace: 'if (minority <= lo + lowStake && lc > 0) {' },
  { id: 'float-median-upper-le', file: W + 'median.ts', find: '} else if (hi - highStake <= minority && uc > 0) {', replace: '} else if (hi - highStake < minority && uc > 0) {' },
  { id: 'float-median-lower-guard', file: W + 'median.ts', find: 'if (minority < lo + lowStake && lc > 0) {', replace: 'if (minority < lo + lowStake) {' },
  { id: 'float-median-upper-guard', file: W + 'median.ts', find: '} else if (hi - highStake <= minority && uc > 0) {', replace: '} else if (hi - highStake <= minority) {' },
  { id: 'float-median-ties', file: W + 'median.ts', find: 'const ltm = f64x2.lt(sc, pv);', replace: 'const ltm = f64x2.le(sc, pv);' },
  { id: 'float-median-voters', file: W + 'median.ts', find: '    if (a > 0) {', replace: '    if (a >= 0) {' },
  { id: 'f64-median-lower-lt', file: S + 'median.ts', find: 'if (minority < lo + lowStake && lower.length > 0) {', replace: 'if (minority <= lo + lowStake && lower.length > 0) {' },
  { id: 'f64-median-upper-le', file: S + 'median.ts', find: '} else if (hi - highStake <= minority && upper.length > 0) {', replace: '} else if (hi - highStake < minority && upper.length > 0) {' },
  { id: 'f64-median-lower-guard', file: S + 'median.ts', find: 'if (minority < lo + lowStake && lower.length > 0) {', replace: 'if (minority < lo + lowStake) {' },
  { id: 'f64-median-upper-guard', file: S + 'median.ts', find: '} else if (hi - highStake <= minority && upper.length > 0) {', replace: '} else if (hi - highStake <= minority) {' },
  { id: 'f64-median-ties', file: S + 'median.ts', find: 'if (score[i] < pivot) {', replace: 'if (score[i] <= pivot) {' },
  { id: 'f64-median-voters', file: S + 'median.ts', find: 'if (activeStake[i] > 0) rows.push(i);', replace: 'if (activeStake[i] >= 0) rows.push(i);' },

  // ---- top-k permits ------------------------------------------------------------------------------------------
  { id: 'fixed-topk-zero', file: F + 'stake.ts', find: 'stU8(NEW_PERMIT, i, ld(STAKE, i) != 0);', replace: 'stU8(NEW_PERMIT, i, ld(STAKE, i) >= 0);' },
  { id: 'fixed-topk-n-ge-k', file: F + 'stake.ts', find: '  if (n >= k) {', replace: '  if (n > k) {', status: 'equivalent', why: 'at n = k the sort drops n − k = 0 UIDs' },
  { id: 'fixed-topk-ties', file: F + 'stake.ts', find: '(<u64>ld(STAKE, i) << 12) | <u64>i);', replace: '(<u64>ld(STAKE, i) << 12) | <u64>(4095 - i));' },
  { id: 'fixed-topk-drop', file: F + 'stake.ts', find: 'const drop = n - k;', replace: 'const drop = n - k - 1;' },
  { id: 'fixed-topk-merge', file: F + 'stake.ts', find: 'if (kx <= ky) {', replace: 'if (kx < ky) {', status: 'equivalent', why: 'keys (stake << 12 | uid) are unique, so no two compare equal' },
  { id: 'ref-topk-zero', file: B + 'vector.ts', find: 'const result = x.map((v) => v !== 0n);', replace: 'const result = x.map((v) => v >= 0n);' },
  { id: 'ref-topk-n-lt-k', file: B + 'vector.ts', find: 'if (n < k) return result;', replace: 'if (n <= k) return result;', status: 'equivalent', why: 'at n = k the sort drops n − k = 0 UIDs' },
  { id: 'ref-topk-ties', file: B + 'vector.ts', find: ': x[a] > x[b] ? 1 : a - b));', replace: ': x[a] > x[b] ? 1 : b - a));' },
  { id: 'ref-topk-drop', file: B + 'vector.ts', find: 'for (let t = 0; t < n - k; t++)', replace: 'for (let t = 0; t < n - k - 1; t++)' },
  { id: 'float-topk-zero', file: W + 'stake.ts', find: 'const p: u8 = f64At(STAKE, i) != 0 ? 1 : 0;', replace: 'const p: u8 = f64At(STAKE, i) >= 0 ? 1 : 0;' },
  { id: 'float-topk-ties', file: W + 'stake.ts', find: 'return sa < sb || (sa == sb && a < b);', replace: 'return sa < sb || (sa == sb && a > b);' },
  { id: 'float-topk-drop', file: W + 'stake.ts', find: 'const drop = J.n - k;', replace: 'const drop = J.n - k - 1;' },
  { id: 'float-topk-skip', file: W + 'stake.ts', find: 'if (J.n >= k && nonZero > k) {', replace: 'if (J.n >= k && nonZero >= k) {', status: 'equivalent', why: 'with exactly k non-zero stakes the n − k dropped are all zeros, which have no permit anyway' },
  { id: 'f64-topk-zero', file: S + 'stake.ts', find: 'for (let i = 0; i < n; i++) out[i] = stake[i] !== 0 ? 1 : 0;', replace: 'for (let i = 0; i < n; i++) out[i] = stake[i] >= 0 ? 1 : 0;' },
  { id: 'f64-topk-ties', file: S + 'stake.ts', find: 'idx.sort((a, b) => stake[a] - stake[b] || a - b);', replace: 'idx.sort((a, b) => stake[a] - stake[b] || b - a);' },
  { id: 'f64-topk-drop', file: S + 'stake.ts', find: 'for (let r = 0; r < n - k; r++) out[idx[r]] = 0;', replace: 'for (let r = 0; r < n - k - 1; r++) out[idx[r]] = 0;' },

  // ---- activity, stake threshold, permit vector length --------------------------------------------------------
  { id: 'fixed-active', file: F + 'stake.ts', find: 'stU8(INACTIVE, i, until < cb);', replace: 'stU8(INACTIVE, i, until <= cb);' },
  { id: 'fixed-active-saturation', file: F + 'stake.ts', find: 'if (until < lu) until = u64.MAX_VALUE;', replace: 'if (until <= lu) until = u64.MAX_VALUE;' },
  { id: 'fixed-active-no-saturation', file: F + 'stake.ts', find: 'if (until < lu) until = u64.MAX_VALUE;', replace: '' },
  { id: 'ref-active', file: B + 'stake.ts', find: '(lu) => u64SatAdd(lu, cutoff) < cb);', replace: '(lu) => u64SatAdd(lu, cutoff) <= cb);' },
  { id: 'float-active', file: W + 'stake.ts', find: 'store<u8>(out + <usize>i, upTo < J.currentBlock ? 0 : 1);', replace: 'store<u8>(out + <usize>i, upTo <= J.currentBlock ? 0 : 1);' },
  { id: 'float-active-saturation', file: W + 'stake.ts', find: 'if (upTo < lu) upTo = U64.MAX_VALUE;', replace: 'if (upTo <= lu) upTo = U64.MAX_VALUE;' },
  { id: 'f64-active', file: S + 'stake.ts', find: 'out[i] = upTo < p.currentBlock ? 0 : 1;', replace: 'out[i] = upTo <= p.currentBlock ? 0 : 1;' },
  { id: 'fixed-threshold', file: F + 'stake.ts', find: 'if (i == J.ownerPermit || s >= J.stakeThreshold) total += s;', replace: 'if (i == J.ownerPermit || s > J.stakeThreshold) total += s;', also: { find: 'const f: u64 = i == J.ownerPermit || s >= J.stakeThreshold ? s : 0;', replace: 'const f: u64 = i == J.ownerPermit || s > J.stakeThreshold ? s : 0;' } },
  { id: 'ref-threshold', file: B + 'stake.ts', find: 'toU64Sat(I64F64, total) < h.stakeThreshold ? 0n : total;', replace: 'toU64Sat(I64F64, total) <= h.stakeThreshold ? 0n : total;' },
  { id: 'float-threshold', file: W + 'stake.ts', find: 'return s < J.stakeThreshold && i != J.ownerPermit ? 0 : s;', replace: 'return s <= J.stakeThreshold && i != J.ownerPermit ? 0 : s;' },
  { id: 'f64-threshold', file: S + 'stake.ts', find: 'filtered[i] = !exempt && s < p.hyper.stakeThreshold ? 0n : s;', replace: 'filtered[i] = !exempt && s <= p.hyper.stakeThreshold ? 0n : s;' },
  { id: 'fixed-permit-length', file: F + 'stake.ts', find: 'let p = i < J.permitLen && load<u8>(J.permitIn + <usize>i) != 0;', replace: 'let p = i <= J.permitLen && load<u8>(J.permitIn + <usize>i) != 0;', status: 'equivalent', why: 'the loader pads the permit vector with zeros to n, so the slot at the vector\'s length reads "no permit"' },
  { id: 'float-permit-length', file: W + 'stake.ts', find: 'let prev: u8 = i < J.permitLen ? load<u8>(J.permitIn + <usize>i) : 0;', replace: 'let prev: u8 = i <= J.permitLen ? load<u8>(J.permitIn + <usize>i) : 0;', status: 'equivalent', why: 'the loader pads the permit vector with zeros to n' },
  { id: 'f64-permit-length', file: S + 'stake.ts', find: 'out[i] = i < p.permitLength && prev[i] ? 0 : 1;', replace: 'out[i] = i <= p.permitLength && prev[i] ? 0 : 1;', status: 'equivalent', why: 'prepareEpoch pads the permit vector with zeros to n' },

  // ---- recent registrations -----------------------------------------------------------------------------------
  { id: 'fixed-recent', file: F + 'stake.ts', find: 'stU8(RECENT, j, lastTempo <= J.reg(j));', replace: 'stU8(RECENT, j, lastTempo < J.reg(j));' },
  { id: 'fixed-recent-last-step', file: F + 'stake.ts', find: ': J.lastStep + 1;', replace: ': J.lastStep;' },
  { id: 'fixed-recent-saturation', file: F + 'stake.ts', find: 'lastTempo = cb > J.tempo ? cb - J.tempo : 0;', replace: 'lastTempo = cb - J.tempo;' },
  { id: 'ref-recent', file: B + 'bonds.ts', find: '(lt, registered) => lt <= registered);', replace: '(lt, registered) => lt < registered);' },
  { id: 'ref-recent-last-step', file: B + 'stake.ts', find: 'return p.lastStepBlock === 0n ? u64SatSub(p.currentBlock, BigInt(p.tempo)) : u64SatAdd(p.lastStepBlock, 1n);', replace: 'return p.lastStepBlock === 0n ? u64SatSub(p.currentBlock, BigInt(p.tempo)) : p.lastStepBlock;' },
  { id: 'float-recent', file: W + 'stake.ts', find: 'lt <= J.reg(j) ? 1 : 0', replace: 'lt < J.reg(j) ? 1 : 0' },
  { id: 'float-recent-last-step', file: W + 'stake.ts', find: '? J.lastStep : J.lastStep + 1;', replace: '? J.lastStep : J.lastStep;' },
  { id: 'float-recent-saturation', file: W + 'stake.ts', find: 'lt = J.currentBlock > J.tempo ? J.currentBlock - J.tempo : 0;', replace: 'lt = J.currentBlock - J.tempo;' },
  { id: 'f64-recent', file: S + 'stake.ts', find: 'out[j] = lt <= p.blockAtRegistration[j] ? 1 : 0;', replace: 'out[j] = lt < p.blockAtRegistration[j] ? 1 : 0;' },
  { id: 'f64-recent-last-step', file: S + 'stake.ts', find: ': p.lastStepBlock + 1n;', replace: ': p.lastStepBlock;' },

  // ---- outdated weights and commit-reveal ---------------------------------------------------------------------
  { id: 'job-outdated', file: 'assembly/job.ts', find: 'return luI <= r || commitI < r;', replace: 'return luI < r || commitI < r;' },
  { id: 'job-commit', file: 'assembly/job.ts', find: 'return luI <= r || commitI < r;', replace: 'return luI <= r || commitI <= r;' },
  { id: 'fixed-outdated-fast-path', file: F + 'weights.ts', find: 'if (lu > regMax && cm >= regMax) diagonalMaskedRow(i, dst);', replace: 'if (lu >= regMax && cm >= regMax) diagonalMaskedRow(i, dst);' },
  { id: 'fixed-commit-fast-path', file: F + 'weights.ts', find: 'if (lu > regMax && cm >= regMax) diagonalMaskedRow(i, dst);', replace: 'if (lu > regMax && cm > regMax) diagonalMaskedRow(i, dst);', status: 'equivalent', why: 'a commit at regMax masks nothing, so the scalar path gives the fast path\'s row' },
  { id: 'ref-outdated', file: B + 'weights.ts', find: '(updated, registered) => updated <= registered);', replace: '(updated, registered) => updated < registered);' },
  { id: 'ref-commit', file: B + 'weights.ts', find: '(commit, registered) => commit < registered);', replace: '(commit, registered) => commit <= registered);' },
  { id: 'float-outdated', file: W + 'weights.ts', find: 'if (J.lastUpdate(i) <= reg) return false;', replace: 'if (J.lastUpdate(i) < reg) return false;' },
  { id: 'float-commit', file: W + 'weights.ts', find: 'if (J.commitIn != 0 && J.commitOf(i) < reg) return false;', replace: 'if (J.commitIn != 0 && J.commitOf(i) <= reg) return false;' },
  { id: 'float-outdated-fast-path', file: W + 'weights.ts', find: 'return J.lastUpdate(i) <= regMax ||', replace: 'return J.lastUpdate(i) < regMax ||' },
  { id: 'f64-outdated', file: S + 'weights.ts', find: 'if (p.lastUpdate[i] <= reg) return false;', replace: 'if (p.lastUpdate[i] < reg) return false;' },
  { id: 'f64-commit', file: S + 'weights.ts', find: 'p.commitBlocks[i] < reg && sparseRule', replace: 'p.commitBlocks[i] <= reg && sparseRule' },

  // ---- sparse clipping and weights-for-bonds presence ---------------------------------------------------------
  { id: 'fixed-clip-keep', file: F + 'bonds.ts', find: '&& !(c < w && c <= 0);', replace: '&& !(c <= w && c <= 0);' },
  { id: 'fixed-clip-drop', file: F + 'bonds.ts', find: '&& !(c < w && c <= 0);', replace: '&& !(c < w && c < 0);' },
  { id: 'fixed-wb-positive', file: F + 'bonds.ts', find: '  return wb > 0;\n', replace: '  return wb >= 0;\n' },
  { id: 'ref-clip-keep', file: B + 'sparse.ts', find: '      if (th < v) {', replace: '      if (th <= v) {' },
  { id: 'ref-clip-drop', file: B + 'sparse.ts', find: 'if (th > 0n) out.push([j, th]);', replace: 'if (th >= 0n) out.push([j, th]);' },
  { id: 'ref-wb-positive', file: B + 'sparse.ts', find: '      if (v > 0n) out.push([j, v]);\n    }\n    return out;\n  });\n}\n\n/** `row_hadamard_sparse`', replace: '      if (v >= 0n) out.push([j, v]);\n    }\n    return out;\n  });\n}\n\n/** `row_hadamard_sparse`' },
  { id: 'float-clip-keep', file: W + 'bonds.ts', find: '&& !(c < w && c <= 0);', replace: '&& !(c <= w && c <= 0);' },
  { id: 'float-clip-drop', file: W + 'bonds.ts', find: '&& !(c < w && c <= 0);', replace: '&& !(c < w && c < 0);' },
  { id: 'float-wb-positive', file: W + 'bonds.ts', find: '  return wb > 0;\n', replace: '  return wb >= 0;\n' },
  { id: 'f64-clip-keep', file: S + 'clip.ts', find: "&& !(c[j] < x && c[j] <= 0)", replace: "&& !(c[j] <= x && c[j] <= 0)" },
  { id: 'f64-clip-drop', file: S + 'clip.ts', find: "&& !(c[j] < x && c[j] <= 0)", replace: "&& !(c[j] < x && c[j] < 0)" },
  { id: 'f64-wb-positive', file: S + 'bonds.ts', find: "present[k] = v[k] > 0 ? 1 : 0;", replace: "present[k] = v[k] >= 0 ? 1 : 0;" },
];
