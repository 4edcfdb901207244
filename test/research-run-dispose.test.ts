import v8 from 'node:v8';
import vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import { YumaRun, simulateCase, yumaEpoch } from '../src/research/index.js';
import { expectYumaError } from './helpers/errors.js';

// A YumaRun's Wasm instance is its own (its memory grows with V×M: 2048×2048 in f64 is over 100 MB); dispose
// lets it go while the run object itself is still referenced.

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

/** Full collections, a macrotask apart (memory held only by objects a finished job kept alive goes too). */
async function collect(): Promise<void> {
  for (let i = 0; i < 3; i++) {
    await new Promise((r) => setTimeout(r, 10));
    gc();
  }
}

const externalBytes = () => process.memoryUsage().external;

function smallRun(): YumaRun {
  return new YumaRun('yuma3', { validators: 3, servers: 4 });
}

/** A 2048×2048 run after one epoch, no view of it left in the caller's scope (a view would keep the memory). */
function bigRun(): YumaRun {
  const run = new YumaRun('yuma3', { validators: 2048, servers: 2048 });
  run.epoch(run.weightsInput().fill(1), new Float64Array(2048).fill(1));
  return run;
}

const W = new Float64Array([1, 2, 3, 4, 0, 1, 0, 1, 5, 5, 5, 5]);
const S = [10, 20, 30];

describe('YumaRun.dispose', () => {
  it('frees the Wasm memory of a 2048×2048 run while the run is still referenced: external memory falls by at least the run\'s memoryBytes', async () => {
    const run = bigRun();
    const bytes = run.memoryBytes;
    expect(bytes).toBeGreaterThan(3 * 2048 * 2048 * 8);
    await collect();
    const before = externalBytes();
    run.dispose();
    await collect();
    const after = externalBytes();
    expect(before - after).toBeGreaterThanOrEqual(bytes);
    expect(run.memoryBytes).toBe(0);
    expect(run.disposed).toBe(true);
  });

  it('without dispose, the same run\'s memory stays held across collections (the control of the test above)', async () => {
    const run = bigRun();
    await collect();
    const before = externalBytes();
    await collect();
    expect(before - externalBytes()).toBeLessThan(run.memoryBytes / 2);
    run.dispose();
  });

  it('every later call throws E_STATE: epoch, weightsInput, resetBondColumn, epochCount', () => {
    const run = smallRun();
    run.epoch(W, S);
    run.dispose();
    for (const [name, f] of [
      ['epoch', () => run.epoch(W, S)],
      ['weightsInput', () => run.weightsInput()],
      ['resetBondColumn', () => run.resetBondColumn(0)],
      ['epochCount', () => run.epochCount],
    ] as const) {
      const e = expectYumaError(f, 'E_STATE');
      expect(e.message, name).toContain('disposed');
    }
  });

  it('a run disposed before its first epoch refuses its first epoch with E_STATE', () => {
    const run = smallRun();
    run.dispose();
    expectYumaError(() => run.epoch(W, S), 'E_STATE');
  });

  it('a stakes getter that disposes the run mid-epoch gets E_STATE, not a TypeError', () => {
    const run = smallRun();
    const stakes = [10, 20, 30];
    Object.defineProperty(stakes, 1, { get: () => (run.dispose(), 20) });
    expectYumaError(() => run.epoch(W, stakes), 'E_STATE');
    expect(run.disposed).toBe(true);
  });

  it('dispose twice is harmless: no throw, still disposed, memoryBytes 0', () => {
    const run = smallRun();
    run.dispose();
    expect(() => run.dispose()).not.toThrow();
    expect(run.disposed).toBe(true);
    expect(run.memoryBytes).toBe(0);
  });

  it('the shape and version stay readable after dispose (they are not Wasm state)', () => {
    const run = smallRun();
    run.dispose();
    expect([run.version, run.validators, run.servers]).toEqual(['yuma3', 3, 4]);
  });

  it('views handed out before dispose are detached: epoch outputs and weightsInput read as empty (length 0), never stale or reused memory', () => {
    const run = smallRun();
    const input = run.weightsInput();
    input.set(W);
    const out = run.epoch(input, S);
    expect(out.serverIncentive.length).toBe(4);
    const copy = out.serverIncentive.slice();
    run.dispose();
    for (const [name, view] of [
      ['weightsInput', input],
      ['weight', out.weight],
      ['validatorBonds', out.validatorBonds],
      ['serverIncentive', out.serverIncentive],
      ['validatorRewardNormalized', out.validatorRewardNormalized],
    ] as const) {
      expect(view.length, name).toBe(0);
      expect(view[0], name).toBeUndefined();
    }
    // a copy taken before dispose keeps its values
    expect(copy.length).toBe(4);
    expect(copy.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
  });

  it('a disposed run does not disturb another run: the other gives the same bits as a fresh one', () => {
    const a = smallRun();
    const b = smallRun();
    a.epoch(W, S);
    const bOut = Array.from(b.epoch(W, S).validatorBonds);
    a.dispose();
    const fresh = smallRun();
    fresh.epoch(W, S);
    // every output of the epoch, typed arrays by their bytes (it compared the bonds alone)
    const bits = (r: ReturnType<YumaRun['epoch']>) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, ArrayBuffer.isView(v) ? Array.from(new Uint8Array(v.buffer, v.byteOffset, v.byteLength)) : v]));
    const mine = bits(b.epoch(W, S));
    expect(mine).toEqual(bits(fresh.epoch(W, S)));
    expect(Object.keys(mine).length).toBeGreaterThan(8);
    expect(bOut.length).toBe(12);
    b.dispose();
    fresh.dispose();
  });
});

describe('simulateCase and yumaEpoch let go of a large case\'s Wasm memory when they end, whether they return or throw', () => {
  // 4096×4096 in f32, Yuma 2B with liquid alpha: two weight buffers, bonds and alpha, 64 MiB each, past the
  // 256 MiB the shared research instance keeps between calls.
  const N = 4096;
  const version = 'yuma2b';
  const config = { liquidAlpha: true };
  function bigCase(): { weights: Array<Array<Float32Array | Float64Array>>; stakes: Float64Array[] } {
    const rows = (): Array<Float32Array | Float64Array> => Array.from({ length: N }, () => new Float32Array(N).fill(1));
    const last = rows();
    last[7] = new Float64Array(N).fill(1e39); // beyond float32: the kernel refuses the epoch
    return { weights: [rows(), last], stakes: [new Float64Array(N).fill(1), new Float64Array(N).fill(1)] };
  }

  /** External memory once a small case has run: a large instance an earlier test left is gone by then. */
  async function baseline(): Promise<number> {
    simulateCase({ version, weights: [[[1, 2]]], stakes: [[1]], config, precision: 'f32' });
    await collect();
    return externalBytes();
  }

  it('simulateCase: a case refused at its second epoch (a weight beyond float32) leaves less than 64 MiB more external memory than before the call', async () => {
    const before = await baseline();
    const c = bigCase();
    expectYumaError(() => simulateCase({ version, ...c, config, precision: 'f32' }), 'E_RANGE');
    c.weights.length = 0;
    await collect();
    expect(externalBytes() - before).toBeLessThan(64 * 1024 * 1024);
  });

  it('yumaEpoch: a refused 4096×4096 epoch (a weight beyond float32) leaves less than 64 MiB more external memory than before the call', async () => {
    const before = await baseline();
    const c = bigCase();
    expectYumaError(() => yumaEpoch(version, { weights: c.weights[1], stakes: c.stakes[1] }, config, { precision: 'f32' }), 'E_RANGE');
    c.weights.length = 0;
    await collect();
    expect(externalBytes() - before).toBeLessThan(64 * 1024 * 1024);
  });
});
