import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { xorshift32 } from './helpers/xorshift.js';
import { YUMA_VERSIONS, resolveConfig, simulateCase, yumaEpoch, type YumaConfig, type YumaEpochResult, type YumaVersion } from '../src/research/index.js';
import { consensusColumns, kappaUnits, stakeUnits } from '../src/research/consensus.js';
import { expDet } from '../src/research/exp.js';
import { runKernel, type Block, type KernelOutput, type Numerics } from '../src/research/kernel.js';
import { researchExpMap } from '../src/research/wasm.js';
import * as abi from '../src/research/wasm-abi.js';

// The research epochs run in Wasm (assembly/research), in f64 and in float32; the TypeScript kernel
// (src/research/kernel.ts) is their reference: the same operations in the same order (in f32 every one rounded
// to float32 by Math.fround there, by Wasm's f32 arithmetic here), so every output must be the same bits.

describe('research Wasm header ABI', () => {
  const as = readFileSync(new URL('../assembly/research/abi.ts', import.meta.url), 'utf8');
  const asConst = (name: string): number => {
    const m = new RegExp(`export const ${name}: i32 = (-?\\d+);`).exec(as);
    if (!m) throw new Error(`assembly/research/abi.ts has no ${name}`);
    return Number(m[1]);
  };

  it('has the same slots, version codes, flags, liquid-alpha modes and statuses on both sides', () => {
    for (const [key, value] of Object.entries(abi.R)) expect(asConst(`R_${key}`), key).toBe(value);
    expect(asConst('R_SLOTS')).toBe(abi.R_SLOTS);
    expect(Math.max(...Object.values(abi.R))).toBeLessThan(abi.R_SLOTS);
    for (const [key, value] of Object.entries(abi.RF)) expect(asConst(`RF_${key}`), key).toBe(value);
    for (const [key, value] of Object.entries(abi.LA_MODE_CODE)) expect(asConst(`LA_${key}`), key).toBe(value);
    for (const v of ['yuma1', 'yuma2', 'yuma2b', 'yuma2c', 'yuma3'] as const) expect(asConst(`VERSION_${v.toUpperCase()}`), v).toBe(abi.VERSION_CODE[v]);
    expect(abi.VERSION_CODE['yuma3-liquid']).toBe(abi.VERSION_CODE.yuma3);
    expect(asConst('STATUS_OK')).toBe(abi.STATUS_OK);
    expect(asConst('STATUS_BAD_WEIGHT')).toBe(abi.STATUS_BAD_WEIGHT);
  });
});

/** xorshift32 scaled to [0, 1). */
function prng(seed: number): () => number {
  const next = xorshift32(seed);
  return () => next() / 4294967296;
}

interface Case {
  V: number;
  M: number;
  weights: Float64Array[][];
  stakes: Float64Array[];
}

/** E epochs of V×M: weights from a shared quality signal, some zero entries, a dead row, duplicate values (ties). */
function makeCase(V: number, M: number, E: number, seed: number): Case {
  const rnd = prng(seed);
  const quality = Array.from({ length: M }, () => rnd() ** 2);
  const weights: Float64Array[][] = [];
  const stakes: Float64Array[] = [];
  for (let e = 0; e < E; e++) {
    weights.push(
      Array.from({ length: V }, (_, v) =>
        Float64Array.from(quality, (q) => {
          if (v === 1 && e === 1) return 0; // a validator without weights in one epoch
          const r = rnd();
          return r < 0.15 ? 0 : r < 0.25 ? 1000 : Math.round(q * (0.5 + rnd()) * 65535);
        }),
      ),
    );
    stakes.push(Float64Array.from({ length: V }, (_, v) => (v === V - 1 && V > 1 ? 0 : Math.round(1000 / (1 - rnd()) ** 0.8))));
  }
  return { V, M, weights, stakes };
}

function flatten(rows: Float64Array[], M: number): Float64Array {
  const out = new Float64Array(rows.length * M);
  rows.forEach((r, v) => out.set(r, v * M));
  return out;
}

/**
 * simulateCase's loop over the TypeScript kernel, the reference the Wasm run must match bit for bit (f32: the
 * raw weights and stakes rounded to float32 first, as torch.tensor stores them).
 */
function referenceRun(version: YumaVersion, c: Case, cfg: YumaConfig, num: Numerics, block: Block | null, reset: { epoch: number; column: number } | null): KernelOutput[] {
  const q = (a: Float64Array) => (num.f32 ? a.map(Math.fround) : a);
  const out: KernelOutput[] = [];
  let B: Float64Array | null = null;
  let C: Float64Array | null = null;
  let Wprev: Float64Array | null = null;
  for (let e = 0; e < c.weights.length; e++) {
    if (reset && B && e === reset.epoch && (version === 'yuma2c' || version.startsWith('yuma3'))) {
      B = B.slice();
      for (let v = 0; v < c.V; v++) B[v * c.M + reset.column] = 0;
    }
    const k = runKernel(version, { V: c.V, M: c.M, W: q(flatten(c.weights[e], c.M)), S: q(c.stakes[e].slice()), B, C, Wprev, block }, cfg, num);
    out.push(k);
    B = k.validatorBonds;
    C = k.serverConsensusWeight;
    if (version === 'yuma2b') Wprev = k.weight;
  }
  return out;
}

const MATRICES = ['weight', 'consensusClippedWeight', 'weightForBond', 'validatorBond', 'validatorEmaBond', 'validatorBonds', 'liquidAlpha'] as const;
const VECTORS = ['stake', 'serverPrerank', 'serverConsensusWeight', 'serverRank', 'serverIncentive', 'serverTrust', 'validatorTrust', 'validatorReward', 'validatorRewardNormalized'] as const;

/** The first index where a and b differ in bits (as text), or '' when they are the same bits. */
function firstDifference(a: Float64Array, b: Float64Array): string {
  if (a.length !== b.length) return `length ${a.length} vs ${b.length}`;
  const x = new BigUint64Array(a.slice().buffer);
  const y = new BigUint64Array(b.slice().buffer);
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return `[${i}]: ${a[i]} vs ${b[i]}`;
  return '';
}

/** Every output the same bits (NaN equal to NaN), the same keys present. */
function expectSameBits(got: YumaEpochResult, want: KernelOutput, label: string): void {
  const w = want as unknown as Record<string, unknown>;
  const g = got as unknown as Record<string, unknown>;
  for (const key of VECTORS) {
    expect(key in g, `${label} ${key} present`).toBe(w[key] !== undefined);
    if (w[key] === undefined) continue;
    expect(firstDifference(g[key] as Float64Array, w[key] as Float64Array), `${label} ${key}`).toBe('');
  }
  for (const key of MATRICES) {
    const wv = typeof w[key] === 'function' ? (w[key] as () => Float64Array)() : (w[key] as Float64Array | undefined);
    expect(key in g, `${label} ${key} present`).toBe(wv !== undefined);
    if (wv === undefined) continue;
    const gv = flatten(g[key] as Float64Array[], wv.length / (g[key] as Float64Array[]).length);
    expect(firstDifference(gv, wv), `${label} ${key}`).toBe('');
  }
  expect('alpha' in g && g.alpha !== undefined, `${label} alpha present`).toBe(w.alpha !== undefined);
  if (typeof w.alpha === 'number') expect(got.alpha, `${label} alpha`).toBe(w.alpha);
  else if (w.alpha !== undefined) {
    const wa = w.alpha as Float64Array;
    const ga = got.alpha as Float64Array[];
    expect(Array.isArray(ga), `${label} alpha is a matrix`).toBe(true);
    expect(firstDifference(flatten(ga, wa.length / ga.length), wa), `${label} alpha`).toBe('');
  }
  expect(got.degenerateConsensus, `${label} degenerate`).toBe(want.degenerateConsensus);
}

describe.each(['f64', 'f32'] as const)('research epochs in Wasm, %s: the same bits as the TypeScript kernel', (precision) => {
  const NUM: Numerics = { f32: precision === 'f32', degenerate: 'x86', nonFinite: 'zero', legacyConsensus: false };
  // Shapes around the lane boundary (rows shorter than 16 are summed in order, longer ones in four lanes), odd
  // widths (the pair loops' last entry), one validator, narrower than a consensus block of 16 columns, tall
  // enough for the full 256 consensus buckets, wider than a gather span of 64 columns with a partial last span
  // (150 = 64 + 64 + 22: a partial block of 16 and a partial vector of 16 keys), and tall enough for spans of 16.
  const shapes: Array<[number, number]> = [
    [1, 1],
    [3, 5],
    [4, 15],
    [5, 16],
    [9, 17],
    [17, 33],
    [40, 64],
    [300, 7],
    [2000, 3],
    [260, 150],
    [4100, 21],
  ];
  it.each(YUMA_VERSIONS.map((v) => [v] as const))('%s: every output of a 4-epoch case with a bond reset, shapes 1×1 … 40×64, 300×7, 2000×3, 260×150 and 4100×21', (version) => {
    let seed = 1;
    for (const [V, M] of shapes) {
      const c = makeCase(V, M, 4, seed++);
      const cfg = resolveConfig(version, {});
      const reset = { epoch: 2, column: M - 1 };
      const want = referenceRun(version, c, cfg, NUM, null, reset);
      const got = simulateCase({ version, weights: c.weights, stakes: c.stakes, resetBonds: reset, precision });
      for (let e = 0; e < want.length; e++) expectSameBits(got[e], want[e], `${version} ${V}×${M} e${e}`);
    }
  });

  const variants: Array<[string, Partial<YumaConfig>, Partial<Numerics>, Block | null]> = [
    ['liquid alpha, PREVIOUS consensus', { liquidAlpha: true, liquidAlphaConsensusMode: 'PREVIOUS', alphaSigmoidSteepness: 37 }, {}, null],
    ['liquid alpha on full matrices (block of 6 validators × 20 servers)', { liquidAlpha: true, liquidAlphaConsensusMode: 'CURRENT' }, {}, { validators: 6, servers: 20 }],
    ['winner takes all, κ = 0.3', { winnerTakesAll: true, kappa: 0.3 }, {}, null],
    ['legacy bisection consensus, precision 1000', { consensusPrecision: 1000 }, { legacyConsensus: true }, null],
    ["nonFinite 'torch', degenerate 'arm'", { kappa: 0.99 }, { nonFinite: 'torch', degenerate: 'arm' }, null],
    ['κ above the total stake share (no prefix reaches it)', { kappa: 1 }, {}, null],
  ];
  it.each(variants)('%s: every version, every output the same bits', (_name, over, numOver, block) => {
    const M = block ? 23 : 19;
    const V = block ? 9 : 11;
    for (const version of YUMA_VERSIONS) {
      const c = makeCase(V, M, 3, 77);
      const cfg = resolveConfig(version, over);
      const num = { ...NUM, ...numOver };
      const want = referenceRun(version, c, cfg, num, block, null);
      const got = simulateCase({
        version,
        weights: c.weights,
        stakes: c.stakes,
        config: over,
        legacyConsensus: num.legacyConsensus,
        nonFinite: num.nonFinite,
        degenerateConsensus: num.degenerate,
        fullMatrices: block,
        precision,
      });
      for (let e = 0; e < want.length; e++) expectSameBits(got[e], want[e], `${version} ${_name} e${e}`);
    }
  });

  it('liquid alpha (Yuma 1, 2, 2B, 3) on rows of 37, 62 and 100 entries (the exponentials twelve a step and their remainders; full-matrix blocks from columns 7 and 1), steepness 10 and 1000 (exponents up to ±500): every output the same bits', () => {
    const runs: Array<[number, number, Block | null]> = [
      [7, 37, { validators: 5, servers: 30 }],
      [6, 62, { validators: 6, servers: 61 }],
      [9, 100, null],
    ];
    for (const [V, M, block] of runs) {
      for (const steepness of [10, 1000]) {
        for (const version of ['yuma1', 'yuma2', 'yuma2b', 'yuma3-liquid'] as const) {
          const over = { liquidAlpha: true, alphaSigmoidSteepness: steepness };
          const c = makeCase(V, M, 3, V * M);
          const cfg = resolveConfig(version, over);
          const want = referenceRun(version, c, cfg, NUM, block, null);
          const got = simulateCase({ version, weights: c.weights, stakes: c.stakes, config: over, fullMatrices: block, precision });
          expect(got[2].liquidAlpha, `${version} ${V}×${M} liquid alpha ran`).toBeDefined();
          for (let e = 0; e < want.length; e++) expectSameBits(got[e], want[e], `${version} ${V}×${M} steepness ${steepness} e${e}`);
        }
      }
    }
  });

  it('κ = 0: every column’s consensus is its largest weight (the first running stake already reaches 0), the same bits in both', () => {
    const c = makeCase(40, 64, 2, 31);
    const W = flatten(c.weights[0], 64);
    const max = new Float64Array(64).fill(-Infinity);
    for (let i = 0; i < W.length; i++) max[i % 64] = Math.max(max[i % 64], W[i]);
    const got = new Float64Array(64);
    consensusColumns(W, Float64Array.from(c.stakes[0], (x) => x / c.stakes[0].reduce((a, b) => a + b, 0)), 40, 64, 0, precision === 'f32', got);
    expect(Array.from(got)).toEqual(Array.from(max));
    for (const version of YUMA_VERSIONS) {
      const cfg = resolveConfig(version, { kappa: 0 });
      const want = referenceRun(version, c, cfg, NUM, null, null);
      const got = simulateCase({ version, weights: c.weights, stakes: c.stakes, config: { kappa: 0 }, precision });
      for (let e = 0; e < want.length; e++) expectSameBits(got[e], want[e], `${version} e${e}`);
    }
  });

  it('a column weighted only by a validator without stake (prerank 0, so its key scale is ∞): consensus 0 there, the same bits in both', () => {
    const c = makeCase(30, 40, 2, 41);
    for (let e = 0; e < 2; e++) {
      c.stakes[e][3] = 0;
      for (let v = 0; v < 30; v++) c.weights[e][v][5] = v === 3 ? 1000 + e : 0;
    }
    for (const version of YUMA_VERSIONS) {
      const cfg = resolveConfig(version, {});
      const want = referenceRun(version, c, cfg, NUM, null, null);
      const got = simulateCase({ version, weights: c.weights, stakes: c.stakes, precision });
      expect(got[0].serverConsensusWeight[5]).toBe(0);
      for (let e = 0; e < want.length; e++) expectSameBits(got[e], want[e], `${version} e${e}`);
    }
  });

  it.each([30, 300])('a prerank-0 column (its f32 key scale capped at the largest float32) holding subnormal, tiny, huge, zero and −0 weights of validators without stake, %s rows (32 and 256 buckets): consensus 0 there, the same bits in both', (V) => {
    const c = makeCase(V, 40, 2, 43);
    const unstaked = [3, 7, 11, 12];
    for (let e = 0; e < 2; e++) {
      for (let v = 0; v < V; v++) {
        const i = unstaked.indexOf(v);
        if (i >= 0) c.stakes[e][v] = 0;
        c.weights[e][v][5] = i < 0 ? 0 : [1e-7, 1e30, -0, 2 ** -140][i];
        // Row 3's other weight makes its 1e-7 a float32 subnormal once normalised.
        c.weights[e][v][6] = v === 3 ? 1e38 : c.weights[e][v][6];
      }
    }
    for (const version of YUMA_VERSIONS) {
      const cfg = resolveConfig(version, {});
      const want = referenceRun(version, c, cfg, NUM, null, null);
      const got = simulateCase({ version, weights: c.weights, stakes: c.stakes, precision });
      expect(got[0].serverConsensusWeight[5]).toBe(0);
      for (let e = 0; e < want.length; e++) expectSameBits(got[e], want[e], `${version} ${V} rows e${e}`);
    }
  });

  it('an epoch whose weights are all zero (degenerate consensus) gives the same bits in both', () => {
    for (const version of YUMA_VERSIONS) {
      const c = makeCase(4, 6, 2, 5);
      c.weights[1] = c.weights[1].map((r) => new Float64Array(r.length));
      const cfg = resolveConfig(version, {});
      const want = referenceRun(version, c, cfg, NUM, null, null);
      const got = simulateCase({ version, weights: c.weights, stakes: c.stakes, precision });
      expect(got[1].degenerateConsensus).toBe(true);
      for (let e = 0; e < want.length; e++) expectSameBits(got[e], want[e], `${version} e${e}`);
    }
  });

  it('a weight of −0 files with 0 in the consensus buckets: column 0’s consensus is 0.0625 (as with +0), not 0.125', () => {
    // Normalised, column 0 holds validator 0 at −0 (stake 0.3), 1 at 0.125 (0.3), 2 at 0.0625 (0.4); column 1
    // 1, 0.875, 0.9375. Descending, the running stake reaches κ = 0.5 at 0.0625 and at 0.9375: C₀ = 0.0625 / 1
    // quantised, 4095/65535. Filed above every positive weight (its sign bit read as the top of the exponent),
    // the −0 would count its stake first, stop column 0 at 0.125 and give C₀ = 0.1176…
    const stakes = [Float64Array.of(3, 3, 4)];
    for (const zero of [-0, 0]) {
      const weights = [[Float64Array.of(zero, 1), Float64Array.of(1, 7), Float64Array.of(1, 15)]];
      const [e] = simulateCase({ version: 'yuma3', weights, stakes, precision });
      const c = e.serverConsensusWeight[0];
      expect(Math.abs(c - 4095 / 65535), `${Object.is(zero, -0) ? '−0' : '+0'}: ${c}`).toBeLessThan(1e-6);
    }
  });

  // Columns that make the select refine more than once or fall back: many octaves (bucket 0 clamps everything
  // below 2⁻³²), weights differing only in their last mantissa bits, all equal, two alternating values, tiny
  // weights of many exponents, zeros and −0.
  const hardColumns = (V: number): Float64Array[] =>
    Array.from({ length: V }, (_, v) =>
      Float64Array.of(
        2 ** -(v % 70) * (1 + (v % 7) / 8),
        0.3 + v * 2 ** -50,
        5,
        v % 2 ? 1 / 3 : 2 / 3,
        2 ** -(40 + (v % 23)) * (1 + v / 997),
        v % 3 === 0 ? -0 : v % 3 === 1 ? 0 : 2 ** -60,
      ),
    );

  it('consensusColumns is the definition (sort each column descending, first weight where the running stake reaches κ) on 600 rows of hard columns, κ 0.1 … 0.9', () => {
    const V = 600;
    const M = 6;
    const rows = hardColumns(V);
    const W = flatten(rows, M);
    // Stakes in 1/2¹⁶ units: every partial sum is exact in any order, so the definition has one answer.
    const rnd = prng(3);
    const raw = Array.from({ length: V }, () => 1 + Math.floor(rnd() * 200));
    const total = raw.reduce((a, b) => a + b, 0);
    const S = Float64Array.from(raw, (x) => x / 65536);
    for (const kappa of [0.1, 0.3, 0.5, 0.7, 0.9].map((k) => Math.round(k * total) / 65536)) {
      const got = new Float64Array(M);
      consensusColumns(W, S, V, M, kappa, false, got);
      for (let m = 0; m < M; m++) {
        const col = Array.from({ length: V }, (_, v) => ({ w: W[v * M + m], s: S[v] })).sort((a, b) => b.w - a.w);
        let run = 0;
        let want = col[0].w;
        for (const e of col) {
          run += e.s;
          if (run >= kappa) {
            want = e.w;
            break;
          }
        }
        expect(got[m], `κ ${kappa} column ${m}`).toBe(want);
      }
    }
  });

  it('consensusColumns in f32 is the definition with each running stake rounded to float32 before the comparison with fr(κ) (torch’s float32 cumsum), on 600 rows of hard columns, κ 0.1 … 0.9', () => {
    const V = 600;
    const M = 6;
    const W = flatten(hardColumns(V), M);
    // Stakes in 1/2¹⁶ units: every partial sum is exact in a double, so Math.fround of it is the rounding of the
    // exact sum, independent of kappaUnits.
    const rnd = prng(4);
    const raw = Array.from({ length: V }, () => 1 + Math.floor(rnd() * 200));
    const total = raw.reduce((a, b) => a + b, 0);
    const S = Float64Array.from(raw, (x) => x / 65536);
    for (const kappa of [0.1, 0.3, 0.5, 0.7, 0.9].map((k) => Math.fround(((k * total) / 65536) * (1 - 2 ** -25)))) {
      const got = new Float64Array(M);
      consensusColumns(W, S, V, M, kappa, true, got);
      for (let m = 0; m < M; m++) {
        const col = Array.from({ length: V }, (_, v) => ({ w: W[v * M + m], s: S[v] })).sort((a, b) => b.w - a.w);
        let run = 0;
        let want = col[0].w;
        for (const e of col) {
          run += e.s;
          if (Math.fround(run) >= kappa) {
            want = e.w;
            break;
          }
        }
        expect(got[m], `κ ${kappa} column ${m}`).toBe(want);
      }
    }
  });

  it('hard columns (600 rows): the Wasm epochs give the same bits as the TypeScript kernel, every version', () => {
    const V = 600;
    const M = 6;
    const rows = hardColumns(V);
    const rnd = prng(5);
    const c: Case = { V, M, weights: [rows, rows.map((r) => r.map((x, m) => (m === 2 ? x : x * (1 + rnd()))))], stakes: [0, 1].map(() => Float64Array.from({ length: V }, () => 1 + Math.floor(rnd() * 1000))) };
    for (const version of YUMA_VERSIONS) {
      const cfg = resolveConfig(version, {});
      const want = referenceRun(version, c, cfg, NUM, null, null);
      const got = simulateCase({ version, weights: c.weights, stakes: c.stakes, precision });
      for (let e = 0; e < want.length; e++) expectSameBits(got[e], want[e], `${version} e${e}`);
    }
  });

  // Columns for the keys normalisation files before the prerank is known (f64: scales estimated from the 64
  // heaviest validators' rows) and for the select of a few candidates without sorting: the heaviest rows
  // weighting a column 0 (estimate 0, scale ∞), far above the others (most keys 0) or far below (most keys at
  // the top), three values in many rows (ties in the crossing bucket, decided by row order), −0 beside 0 where
  // the running stake crosses κ inside the zeros, values one ulp apart, and validators without stake holding the
  // column's middle values. 300 rows (more than the 64 sampled), 40 columns (two blocks of 16 and a tail of 8).
  const estimateColumns = (V: number, M: number, seed: number): Case => {
    const rnd = prng(seed);
    // The stakes fall with the index, so the heaviest validators are the first rows; every fifth has none.
    const stakes = [0, 1].map(() => Float64Array.from({ length: V }, (_, v) => (v % 5 === 4 ? 0 : Math.round(1e6 / (v + 1) ** 1.3) + Math.floor(rnd() * 50))));
    const weights = [0, 1].map((e) =>
      Array.from({ length: V }, (_, v) =>
        Float64Array.from({ length: M }, (_, m) => {
          const heavy = v < 64;
          switch (m) {
            case 0:
              return heavy ? 0 : 1 + Math.floor(rnd() * 1000);
            case 1:
              return heavy ? 1e6 + v : 1 + Math.floor(rnd() * 10);
            case 2:
              return heavy ? 1 : 1e6 + Math.floor(rnd() * 1000);
            case 3:
              return [100, 200, 300][(v * 7 + e) % 3];
            case 4:
              return v % 4 === 0 ? 5 : v % 4 === 1 ? -0 : 0;
            case 5:
              return 1 + (v % 2) * 2 ** -52;
            case 6:
              return v % 5 === 4 ? 400 + v : 300 + Math.floor(rnd() * 200);
            case 7:
              // The six heaviest rows at −0 (rows 0, 1) and +0 and the next four barely above 0: one bucket of
              // ten, mixed values.
              return v < 6 ? (v < 2 ? -0 : 0) : v < 10 ? 2 ** -40 * v : 1000 + v;
            default:
              return rnd() < 0.15 ? 0 : Math.round((m / M) * (0.5 + rnd()) * 65535);
          }
        }),
      ),
    );
    return { V, M, weights, stakes };
  };

  it.each([0.1, 0.5, 0.9])('keys filed by estimated scales and the select of a few candidates (300×40, κ %s: heaviest rows at 0, far above or below the rest, ties, −0 beside 0, one ulp apart, unstaked middle values): the same bits, every version', (kappa) => {
    const c = estimateColumns(300, 40, 17);
    for (const version of YUMA_VERSIONS) {
      const cfg = resolveConfig(version, { kappa });
      const want = referenceRun(version, c, cfg, NUM, null, null);
      const got = simulateCase({ version, weights: c.weights, stakes: c.stakes, config: { kappa }, precision });
      for (let e = 0; e < want.length; e++) expectSameBits(got[e], want[e], `${version} κ ${kappa} e${e}`);
    }
  });

  it('the crossing among ±0 in a bucket that also holds positive weights (column 7, κ 0.5): the consensus weight is the −0 of row 0, where the stake in sorted order (ties in row order) reaches κ, not the +0 of row 2 where it would with the ties reversed', () => {
    const c = estimateColumns(300, 40, 17);
    const cfg = resolveConfig('yuma3', { kappa: 0.5 });
    const want = referenceRun('yuma3', c, cfg, NUM, null, null);
    const got = simulateCase({ version: 'yuma3', weights: c.weights, stakes: c.stakes, config: { kappa: 0.5 }, precision });
    // Rows 10… (1000 + v) hold about 32 % of the stake, rows 6–9 (2⁻⁴⁰·v) 7 %, row 0 (−0) 33 %: the walk
    // reaches ½ there. Rows 5, 3 and 2 first (ties reversed) would reach it at row 2 (+0). The raw consensus −0
    // survives the quantisation.
    for (const out of [want[0].serverConsensusWeight, got[0].serverConsensusWeight]) expect(Object.is(out[7], -0), `${out[7]}`).toBe(true);
    expect(firstDifference(got[0].serverConsensusWeight, want[0].serverConsensusWeight)).toBe('');
  });

  // Crossing buckets of 1 … 33 candidates (column m holds m + 1 of them: odd and even counts up to the select's
  // limit of 16 for comparing pairs without sorting and up to twice it, so its padded last pair, the radix select
  // and the pairs after a radix step all run) whose values tie in some rows, or, where κ lies beyond their stake,
  // only zeros of both signs (every candidate equal: the walk in row order decides between −0 and +0). Each row
  // sums to the same raw total (the last column balances it), so normalisation keeps the values' order and their
  // ties exactly.
  const fewCandidates = (V: number, seed: number): Case => {
    const rnd = prng(seed);
    const M = 34;
    const weights = [0, 1].map((e) =>
      Array.from({ length: V }, (_, v) => {
        const row = Float64Array.from({ length: M - 1 }, (_, m) => {
          const n = m + 1;
          return (v * 7 + m + e) % V < n ? 1000 + ((v * 3) % (1 + (n >> 1))) : v % 2 ? -0 : 0;
        });
        return Float64Array.of(...row, 100000 - row.reduce((a, b) => a + b, 0));
      }),
    );
    const stakes = [0, 1].map(() => Float64Array.from({ length: V }, () => 1 + Math.floor(rnd() * 1000)));
    return { V, M, weights, stakes };
  };

  it.each([0.2, 0.5, 0.8])('crossing buckets of 1 … 33 candidates with ties, or of ±0 only (48×34, κ %s): the same bits, every version', (kappa) => {
    const c = fewCandidates(48, 23);
    for (const version of YUMA_VERSIONS) {
      const cfg = resolveConfig(version, { kappa });
      const want = referenceRun(version, c, cfg, NUM, null, null);
      const got = simulateCase({ version, weights: c.weights, stakes: c.stakes, config: { kappa }, precision });
      for (let e = 0; e < want.length; e++) expectSameBits(got[e], want[e], `${version} κ ${kappa} e${e}`);
    }
  });

  // The gather compares four rows' keys at a time and the last one to three rows one by one: the same columns
  // with 49, 50 and 51 rows, where the last rows hold candidates of the crossing buckets.
  it.each([49, 50, 51])('crossing buckets of 1 … 33 candidates, %s rows (the last rows compared one by one), κ ½: the same bits, every version', (V) => {
    const c = fewCandidates(V, 29);
    for (const version of YUMA_VERSIONS) {
      const cfg = resolveConfig(version, { kappa: 0.5 });
      const want = referenceRun(version, c, cfg, NUM, null, null);
      const got = simulateCase({ version, weights: c.weights, stakes: c.stakes, config: { kappa: 0.5 }, precision });
      for (let e = 0; e < want.length; e++) expectSameBits(got[e], want[e], `${version} ${V} rows e${e}`);
    }
  });

  // Columns that cross at a zero, filed without gathering a candidate when no weight has its sign bit set: in
  // columns 0, 3, … only every fourth validator (≈ a quarter of the stake) weights the server, so the stake of
  // the positive weights stays below κ = ½; in columns 1, 4, … the other validators hold tiny positive weights
  // (x · scale rounds to 0: they must not file with the zeros), on which the crossing falls; columns 2, 5, … are
  // all zeros; 131 rows (an odd count: the last row's keys compared alone), 20 columns (a block of 16 and a
  // tail of 4). With one −0 added (row 130, column 2: its stake is not where any column crosses), every column
  // is gathered as before.
  const zeroColumns = (negativeZero: boolean): Case => {
    const V = 131;
    const M = 20;
    const weights = [0, 1].map((e) =>
      Array.from({ length: V }, (_, v) =>
        Float64Array.from({ length: M }, (_, m) => {
          if (negativeZero && v === V - 1 && m === 2) return -0;
          if (m % 3 === 2) return 0;
          if (v % 4 === e) return 1000 + ((v * 7 + m) % 13);
          return m % 3 === 1 ? 1e-30 * (1 + ((v + m) % 5)) : 0;
        }),
      ),
    );
    const stakes = [0, 1].map(() => Float64Array.from({ length: V }, (_, v) => 1 + (v % 7)));
    return { V, M, weights, stakes };
  };

  it.each([false, true])('columns crossing at a zero (no −0: consensus +0 without a gather; −0 in one row: %s), beside columns crossing among tiny positive weights, 131×20, κ ½: the same bits, every version', (negativeZero) => {
    const c = zeroColumns(negativeZero);
    for (const version of YUMA_VERSIONS) {
      const cfg = resolveConfig(version, { kappa: 0.5 });
      const want = referenceRun(version, c, cfg, NUM, null, null);
      const got = simulateCase({ version, weights: c.weights, stakes: c.stakes, config: { kappa: 0.5 }, precision });
      for (let e = 0; e < want.length; e++) {
        expectSameBits(got[e], want[e], `${version} e${e}`);
        const C = got[e].serverConsensusWeight;
        for (let m = 0; m < c.M; m++) {
          if (m % 3 === 1) expect(C[m], `${version} e${e} column ${m}`).toBeGreaterThan(0);
          else expect(Object.is(C[m], 0), `${version} e${e} column ${m}: ${C[m]}`).toBe(true);
        }
      }
    }
  });

  it('magnitude edges (rows whose sum overflows float32, subnormal float32 weights, values float32 rounds, stakes from 1e-30 to 1e30): the same bits, every version', () => {
    // In f32 a row of weights near 1e38 sums to ∞, so it normalises to 0 (both kernels); weights of 1e-45
    // are float32 subnormals; 1 + 2⁻³⁰ rounds to 1 in float32 but not in f64.
    const V = 23;
    const M = 19;
    const rnd = prng(8);
    const edge = [0, -0, 1e-45, 1.5e-40, 1e-30, 1 + 2 ** -30, 1, 65535, 1e20, 3e38];
    const epoch = () =>
      Array.from({ length: V }, (_, v) =>
        Float64Array.from({ length: M }, (_, m) => (v === 0 ? 1e38 : v === 1 ? edge[m % edge.length] : v === 2 ? 1e-45 * (1 + m) : rnd() < 0.2 ? edge[Math.floor(rnd() * edge.length)] : Math.round(rnd() * 65535))),
      );
    const stakes = () => Float64Array.from({ length: V }, (_, v) => [1e-30, 1e30, 3, 0, 1e-5][v % 5] * (1 + rnd()));
    const c: Case = { V, M, weights: [epoch(), epoch(), epoch()], stakes: [stakes(), stakes(), stakes()] };
    for (const version of YUMA_VERSIONS) {
      const cfg = resolveConfig(version, {});
      const want = referenceRun(version, c, cfg, NUM, null, null);
      const got = simulateCase({ version, weights: c.weights, stakes: c.stakes, precision });
      for (let e = 0; e < want.length; e++) expectSameBits(got[e], want[e], `${version} e${e}`);
    }
  });

  it('Yuma 1 with old bonds and weights of −0 (the EMA keeps the old bond’s zero sign: −0 after an old −0, +0 after an old positive bond), rows of 37 and 64: the same bits', () => {
    for (const M of [37, 64]) {
      const V = 7;
      const c = makeCase(V, M, 3, M);
      for (let v = 0; v < V; v++) {
        for (let k = 0; k < 4; k++) {
          const m = (v * 5 + k * 9) % M;
          // Epoch 1: −0 where epoch 0 had −0 too (its bond, the old one, is −0) or a positive weight.
          c.weights[0][v][m] = k % 2 === 0 ? -0 : 1000 + k;
          c.weights[1][v][m] = -0;
        }
      }
      const cfg = resolveConfig('yuma1', {});
      const want = referenceRun('yuma1', c, cfg, NUM, null, null);
      const got = simulateCase({ version: 'yuma1', weights: c.weights, stakes: c.stakes, precision });
      const bonds = (e: number) => flatten(got[e].validatorEmaBond as Float64Array[], M);
      const zeroWeight = (i: number) => Object.is(c.weights[1][Math.floor(i / M)][i % M], -0);
      expect(bonds(1).some((x, i) => Object.is(x, 0) && zeroWeight(i)), `${M}: a +0 bond after an old positive one`).toBe(true);
      expect(bonds(1).some((x, i) => Object.is(x, -0) && zeroWeight(i)), `${M}: a −0 bond after an old −0`).toBe(true);
      for (let e = 0; e < want.length; e++) expectSameBits(got[e], want[e], `${M} e${e}`);
    }
  });

  it('Yuma 3 (with and without liquid alpha) from the caller’s old bonds below 0, above 1 and at the edges of [0, 1], moving averages 0.975, 0.5, 0.3 and 0: every output the same bits as the TypeScript kernel, and the relative step’s bound max(1 − dec, 0) is reached', () => {
    // The Wasm step adds dec + a·w and clamps to 1; the reference adds min(a·w, max(1 − dec, 0)) first. Rows
    // 0–2 put a weight of 1e20 on one column (normalised to exactly 1), so with an old bond of 1 the bound is
    // reached; the other rows mix the edges into random bonds.
    const V = 9;
    const M = 23;
    const rnd = prng(41);
    const q = (x: number) => (precision === 'f32' ? Math.fround(x) : x);
    const edges = [-1e30, -3, -0.5, -1e-40, -0, 0, 1e-45, 2 ** -30, 0.5, 1 - 2 ** -24, 1, 1 + 2 ** -23, 1.5, 3, 1e30];
    const weights = Array.from({ length: V }, (_, v) =>
      Float64Array.from({ length: M }, (_, m) => (v < 3 ? (m === 2 * v + 1 ? 1e20 : 0) : rnd() < 0.2 ? 0 : Math.round(rnd() * 65535))),
    );
    const stakes = Float64Array.from({ length: V }, () => 1 + Math.round(rnd() * 1000));
    const bondsOld = Array.from({ length: V }, (_, v) => Float64Array.from({ length: M }, (_, m) => (v < 3 ? 1 : (v + m) % 3 === 0 ? edges[(v * M + m) % edges.length] : rnd())));
    const consensusOld = Float64Array.from({ length: M }, () => rnd());
    const flat = (rows: Float64Array[]) => flatten(rows, M).map(q);
    let bound = 0;
    for (const version of ['yuma3', 'yuma3-liquid'] as const) {
      for (const bondMovingAvg of [0.975, 0.5, 0.3, 0]) {
        const cfg = resolveConfig(version, { bondMovingAvg });
        const want = runKernel(version, { V, M, W: flat(weights), S: stakes.map(q), B: flat(bondsOld), C: consensusOld.map(q), Wprev: null, block: null }, cfg, NUM);
        const got = yumaEpoch(version, { weights, stakes, bondsOld, consensusOld }, { bondMovingAvg }, { precision });
        expectSameBits(got, want, `${version} bondMovingAvg ${bondMovingAvg}`);
        for (let v = 0; v < 3; v++) if (want.validatorBonds[v * M + 2 * v + 1] === 1 && want.weight[v * M + 2 * v + 1] === 1) bound++;
      }
    }
    expect(bound, 'entries with old bond 1 and weight 1 whose new bond is 1').toBeGreaterThan(0);
  });

  it('yumaEpoch with the caller’s state equals the same epoch inside simulateCase', () => {
    for (const version of YUMA_VERSIONS) {
      const c = makeCase(10, 21, 3, 9);
      const run = simulateCase({ version, weights: c.weights, stakes: c.stakes, precision });
      for (let e = 1; e < 3; e++) {
        const one = yumaEpoch(version, {
          weights: c.weights[e],
          stakes: c.stakes[e],
          bondsOld: run[e - 1].validatorBonds,
          consensusOld: run[e - 1].serverConsensusWeight,
          ...(version === 'yuma2b' ? { weightsPrev: run[e - 1].weight } : {}),
        }, undefined, { precision });
        const flatRun = run[e] as unknown as Record<string, unknown>;
        const flatOne = one as unknown as Record<string, unknown>;
        expect(Object.keys(flatOne).sort(), `${version} e${e} keys`).toEqual(Object.keys(flatRun).sort());
        for (const key of Object.keys(flatRun)) expect(flatOne[key], `${version} e${e} ${key}`).toEqual(flatRun[key]);
      }
    }
  });

  it('outputs are copies: a later epoch or case leaves an earlier result unchanged', () => {
    const c = makeCase(8, 20, 3, 11);
    // every output of every epoch, typed arrays as plain lists
    const all = (rs: YumaEpochResult[]) => JSON.stringify(rs, (_k, v) => (ArrayBuffer.isView(v) ? Array.from(v as Float64Array) : v));
    const first = simulateCase({ version: 'yuma3', weights: c.weights, stakes: c.stakes });
    // the first epoch alone: what epoch 0 held before epochs 1 and 2 ran
    expect(all(first.slice(0, 1))).toBe(all(simulateCase({ version: 'yuma3', weights: c.weights.slice(0, 1), stakes: c.stakes.slice(0, 1) })));
    const snapshot = all(first);
    simulateCase({ version: 'yuma2b', weights: makeCase(8, 20, 3, 12).weights, stakes: c.stakes });
    expect(all(first)).toBe(snapshot);
  });
});

/** The gap from x ≥ 0 to the next double up. */
function ulpOf(x: number): number {
  const f = new Float64Array([x]);
  const u = new BigUint64Array(f.buffer);
  u[0] += 1n;
  return f[0] - x;
}

describe('the liquid-alpha exponential', () => {
  it('Wasm (pairs and scalar) and TypeScript give the same bits, within 1 ulp of Math.exp, on 20 001 arguments in [−746, 710] (8 edge values, 19 993 random)', () => {
    const rnd = prng(3);
    const xs = new Float64Array(20001);
    for (let i = 0; i < xs.length; i++) xs[i] = i < 8 ? [-746, -745.1, -700, -1e-300, 0, 1e-300, 709.7, 710][i] : rnd() < 0.7 ? (rnd() - 0.5) * 40 : -746 + rnd() * 1456;
    const got = researchExpMap(xs);
    for (let i = 0; i < xs.length; i++) {
      const ts = expDet(xs[i]);
      expect(Object.is(got[i], ts), `x = ${xs[i]}: wasm ${got[i]}, ts ${ts}`).toBe(true);
      const ref = Math.exp(xs[i]);
      if (ref === Infinity) expect(ts, `x = ${xs[i]}`).toBe(Infinity);
      else expect(Math.abs(ts - ref), `x = ${xs[i]}`).toBeLessThanOrEqual(ulpOf(ref));
    }
  });
});

describe('research consensus: stake sums in exact fixed point (units of 2⁻⁶²)', () => {
  /** A positive double as mantissa · 2^exp (53-bit mantissa, normal numbers). */
  const parts = (x: number): { mant: bigint; exp: bigint } => {
    const bits = new BigUint64Array(Float64Array.of(x).buffer)[0];
    return { mant: (bits & ((1n << 52n) - 1n)) | (1n << 52n), exp: ((bits >> 52n) & 0x7ffn) - 1075n };
  };

  it('stakeUnits truncates a share to whole units of 2⁻⁶²: ½ is 2⁶¹, 2⁻⁶² is 1, 1.5 · 2⁻⁶² is 1, 2⁻⁶³ is 0, the double ⅓ exactly, 10⁻⁵ without its bits below the unit', () => {
    expect(stakeUnits(0.5)).toBe(1n << 61n);
    expect(stakeUnits(2 ** -62)).toBe(1n);
    expect(stakeUnits(1.5 * 2 ** -62)).toBe(1n);
    expect(stakeUnits(2 ** -63)).toBe(0n);
    const third = parts(1 / 3);
    expect(stakeUnits(1 / 3)).toBe(third.mant << (third.exp + 62n));
    const small = parts(1e-5);
    expect(small.exp + 62n).toBeLessThan(0n);
    expect(stakeUnits(1e-5)).toBe(small.mant >> -(small.exp + 62n));
  });

  it('kappaUnits f64 is the least unit count whose value is ≥ κ: 2⁶¹ for ½, the double ⅓ exactly (a whole number of units), ⌈10⁻⁵ · 2⁶²⌉, 0 for κ = 0', () => {
    expect(kappaUnits(0.5, false)).toBe(1n << 61n);
    const third = parts(1 / 3);
    expect(kappaUnits(1 / 3, false)).toBe(third.mant << (third.exp + 62n));
    const small = parts(1e-5);
    const shift = -(small.exp + 62n);
    expect(kappaUnits(1e-5, false)).toBe((small.mant >> shift) + 1n);
    expect(small.mant % (1n << shift)).not.toBe(0n);
    expect(kappaUnits(0, false)).toBe(0n);
  });

  it('kappaUnits f32 is the least unit count whose value rounds (ties to even) to fr(κ) or more: ½ − 2⁻²⁶ reaches ½, ½ + 2⁻²⁵ does not reach the next float32 (odd), one unit above it does', () => {
    // ½ − 2⁻²⁶ lies half-way between ½ − 2⁻²⁵ and ½: the tie goes to ½, whose last mantissa bit is 0.
    expect(kappaUnits(0.5, true)).toBe((1n << 61n) - (1n << 36n));
    // The float32 after ½ is ½ + 2⁻²⁴ (last bit 1): the tie ½ + 2⁻²⁵ rounds down to ½, so it takes one unit more.
    const odd = Math.fround(0.5 + 2 ** -24);
    expect(odd).toBe(0.5 + 2 ** -24);
    expect(kappaUnits(odd, true)).toBe((1n << 61n) + (1n << 37n) + 1n);
    expect(kappaUnits(0, true)).toBe(0n);
  });

  // Validators A, B, C: shares ¼, ¼ − 2⁻²⁶ and ½ (f32; in f64 the raw stakes give A + B just below ½ too).
  // Column 0 ranks A > B > C, column 1 C > B > A. A + B = ½ − 2⁻²⁶ exactly: torch's float32 cumsum rounds it to
  // ½, which reaches κ = ½, so column 0's consensus is B's weight (0.8 / 10); in f64 it is C's (0.1 / 10).
  const tie = { weights: [Float64Array.of(9, 1), Float64Array.of(8, 2), Float64Array.of(1, 9)], stakes: Float64Array.of(2 ** 26, 2 ** 26 - 4, 2 ** 27) };
  it.each([
    ['f32', 0.8 / 1.7],
    ['f64', 0.1 / 1.0],
  ] as const)('a running stake of ½ − 2⁻²⁶ reaches κ = ½ in f32 (float32 rounds it to ½), not in f64 — %s: C₀ / ΣC = %f', (precision, share) => {
    const e = yumaEpoch('yuma3', { weights: tie.weights, stakes: tie.stakes }, { kappa: 0.5 }, { precision });
    expect(Math.abs(e.serverConsensusWeight[0] - share)).toBeLessThan(1e-4);
    expect(Math.abs(e.serverConsensusWeight[1] - (1 - share))).toBeLessThan(1e-4);
  });

  it.each(['f64', 'f32'] as const)('%s: the consensus does not depend on the validators’ order (exact sums): 40 row permutations of 300 × 24 give the same bits', (precision) => {
    const V = 300;
    const M = 24;
    const rnd = prng(21);
    const rows = Array.from({ length: V }, (_, v) => Float64Array.from({ length: M }, (_, m) => (m % 4 === 0 ? 1 + (v % 3) : rnd() < 0.1 ? 0 : 1 + rnd() * (m + 1))));
    // Shares with full mantissas (not dyadic), one large and many tiny, so partial sums round in a double.
    const stakes = Float64Array.from({ length: V }, (_, v) => (v === 7 ? 1e6 : 1 + rnd() * 1e-3 + (v % 5) * Math.PI));
    const base = yumaEpoch('yuma3', { weights: rows, stakes }, undefined, { precision }).serverConsensusWeight;
    for (let t = 0; t < 40; t++) {
      const order = Array.from({ length: V }, (_, v) => v);
      for (let i = V - 1; i > 0; i--) {
        const j = Math.floor(rnd() * (i + 1));
        [order[i], order[j]] = [order[j], order[i]];
      }
      const got = yumaEpoch('yuma3', { weights: order.map((v) => rows[v]), stakes: Float64Array.from(order, (v) => stakes[v]) }, undefined, { precision }).serverConsensusWeight;
      expect(firstDifference(got, base), `permutation ${t}`).toBe('');
    }
  });
});
