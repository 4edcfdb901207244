import type { BatchItem, EpochInput, NumericMode, SparseRow } from '../epoch/types.js';
import type { EpochEngine } from '../sim/config.js';
import { Rng } from '../rng.js';

/** A subnet epoch shaped like the chain's: `validators` rows of weights over every miner, heavy-tailed stake. */
export function syntheticEpoch(n: number, validators: number, seed: number): EpochInput {
  const rng = new Rng(seed);
  const stake = Array.from({ length: n }, (_, i) => (i < validators ? BigInt(Math.floor(rng.pareto(1.1) * 1e12)) : 0n));
  const weights: SparseRow[] = Array.from({ length: n }, (_, i) => {
    if (i >= validators) return [];
    const row: SparseRow = [];
    for (let j = validators; j < n; j++) row.push([j, 1 + rng.int(65535)]);
    return row;
  });
  const bonds: SparseRow[] = Array.from({ length: n }, (_, i) => {
    if (i >= validators) return [];
    const row: SparseRow = [];
    for (let j = validators; j < n; j++) row.push([j, rng.int(65536)]);
    return row;
  });
  return {
    n,
    currentBlock: 10_000,
    tempo: 360,
    lastStepBlock: 9_639,
    stake,
    weights,
    bonds,
    lastUpdate: Array.from({ length: n }, () => 9_900),
    blockAtRegistration: Array.from({ length: n }, () => 100),
    validatorPermit: Array.from({ length: n }, (_, i) => i < validators),
    raoEmission: 360_000_000_000n,
  };
}

export interface BenchRow {
  uids: number;
  mode: NumericMode;
  yuma3: boolean;
  medianMs: number;
  epochsPerSecond: number;
  runs: number;
}

/** Times `engine.epochs` on synthetic subnets (median of `runs` calls after a warm-up). */
export function runBench(engine: EpochEngine, now: () => number, quick: boolean, onRow?: (r: BenchRow) => void): BenchRow[] {
  const rows: BenchRow[] = [];
  const sizes: Array<[number, number]> = [
    [256, 64],
    [1024, 128],
  ];
  for (const [n, validators] of sizes) {
    const input = syntheticEpoch(n, validators, n);
    for (const mode of ['float', 'fixed'] as const) {
      for (const yuma3 of [false, true]) {
        const batch: BatchItem[] = [{ input, hyper: { yuma3Enabled: yuma3, maxAllowedValidators: validators } }];
        // Warm up for a while, not once: V8 compiles Wasm with a baseline tier first and swaps in optimised code
        // in the background, so the first calls are several times slower than the steady state.
        const warmUntil = now() + (quick ? 60 : 200);
        for (let w = 0; w < 2 || now() < warmUntil; w++) engine.epochs(batch, { mode });
        const runs = quick ? 3 : n >= 1024 ? 10 : 25;
        const times: number[] = [];
        for (let k = 0; k < runs; k++) {
          const t0 = now();
          engine.epochs(batch, { mode });
          times.push(now() - t0);
        }
        times.sort((a, b) => a - b);
        const median = times[Math.floor(times.length / 2)];
        const row = { uids: n, mode, yuma3, medianMs: median, epochsPerSecond: 1000 / median, runs };
        rows.push(row);
        onRow?.(row);
      }
    }
  }
  return rows;
}

export function formatBenchRow(r: BenchRow): string {
  return `${String(r.uids).padStart(5)}  ${r.mode.padEnd(5)}  ${(r.yuma3 ? 'yuma3' : 'yuma').padEnd(5)}  ${r.medianMs.toFixed(2).padStart(9)}  ${r.epochsPerSecond.toFixed(1).padStart(10)}  ${String(r.runs).padStart(4)}`;
}

export const BENCH_HEADER = ' uids  mode   algo   median ms    epochs/s  runs';
