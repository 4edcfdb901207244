/**
 * `fromMetagraph` on dumps the fuzz suite does not build: sparse `[uid, value]` rows as a dump of a sparse
 * metagraph writes them (miners' rows empty, a uid listed twice) and a `hotkeys` list far longer than n. Each is read
 * as the engine reads the same rows, or refused with a YumaError, in time independent of the list's claimed length.
 */
import { describe, expect, it } from 'vitest';
import { fromMetagraph, type MetagraphLike } from '../src/metagraph/from-metagraph.js';
import { expectYumaError } from './helpers/errors.js';
import { YumaError } from '../src/errors.js';

const dump = (more: Partial<MetagraphLike> = {}): MetagraphLike => ({
  block: 1000,
  S: [1, 2, 3],
  W: [[0, 1, 1], [0, 0, 1], [0, 0, 0]],
  last_update: [900, 900, 900],
  block_at_registration: [1, 1, 1],
  validator_permit: [1, 1, 0],
  last_step: 990,
  ...more,
});

describe('fromMetagraph: sparse [uid, value] rows', () => {
  it('an empty row is a UID without entries (a miner), as the engine reads it: W and B of sparse rows with empty rows convert (they were E_SHAPE "has 0 values, expected n = 3")', () => {
    const mg = fromMetagraph(dump({ W: [[[1, 0.25], [2, 1]], [[2, 1]], []], B: [[[2, 300]], [], []] }));
    expect([...mg.input.weights as Uint16Array]).toEqual([0, 16384, 65535, 0, 0, 65535, 0, 0, 0]);
    expect([...mg.input.bonds as Uint16Array]).toEqual([0, 0, 300, 0, 0, 0, 0, 0, 0]);
  });

  it('the same weights as dense rows and as sparse rows give the same input', () => {
    const dense = fromMetagraph(dump({ W: [[0, 0.25, 1], [0, 0, 1], [0, 0, 0]] }));
    const sparse = fromMetagraph(dump({ W: [[[1, 0.25], [2, 1]], [[2, 1]], []] }));
    expect(sparse.input).toEqual(dense.input);
  });

  it('a row listing a uid twice is E_SHAPE naming the row and uid, in W and in B (the last value was kept without a word; the engine refuses the same row)', () => {
    const w = expectYumaError(() => fromMetagraph(dump({ W: [[[1, 0.5], [1, 1]], [[2, 1]], [[0, 0]]] })), 'E_SHAPE');
    expect(w.message).toContain('W[0] lists uid 1 twice');
    const b = expectYumaError(() => fromMetagraph(dump({ B: [[[1, 100], [1, 200]], [], []] })), 'E_SHAPE');
    expect(b.message).toContain('B[0] lists uid 1 twice');
  });

  it('an empty row still refuses a dense matrix of the wrong width: a row of 2 values in a 3-UID W is E_SHAPE', () => {
    expect(expectYumaError(() => fromMetagraph(dump({ W: [[0, 1], [0, 0, 1], [0, 0, 0]] })), 'E_SHAPE').message).toContain('W[0] has 2 values, expected n = 3');
  });
});

describe('fromMetagraph: hotkeys are read only as far as the n UIDs', () => {
  it('a Proxy hotkeys list claiming 2^20 entries is read at its first n = 3 entries only (it read all 2^20; 2^32 − 1 took minutes)', () => {
    let reads = 0;
    const hotkeys = new Proxy(['a', 'b', 'c'], {
      get(t, k) {
        if (k === 'length') return 2 ** 20;
        if (typeof k === 'string' && /^\d+$/.test(k)) reads++;
        return Reflect.get(t, k) as unknown;
      },
      has(t, k) {
        if (typeof k === 'string' && /^\d+$/.test(k)) reads++;
        return Reflect.has(t, k);
      },
    });
    const mg = fromMetagraph(dump({ owner_hotkey: 'owner', hotkeys: hotkeys as unknown as string[] }));
    expect(mg.input.ownerUid).toBeUndefined();
    expect(reads).toBe(3);
  });

  it('the owner is found at its UID, and not past n (a hotkey at index n is no UID of the subnet)', () => {
    expect(fromMetagraph(dump({ owner_hotkey: 'b', hotkeys: ['a', 'b', 'c'] })).input.ownerUid).toBe(1);
    expect(fromMetagraph(dump({ owner_hotkey: 'd', hotkeys: ['a', 'b', 'c', 'd'] })).input.ownerUid).toBeUndefined();
  });

  it('a hotkeys getter or entry that throws is E_ARG', () => {
    const throwing = new Proxy(['a'], { get: (t, k) => { if (k === '0') throw new Error('no'); return Reflect.get(t, k) as unknown; } });
    expectYumaError(() => fromMetagraph(dump({ owner_hotkey: 'a', hotkeys: throwing as unknown as string[] })), 'E_ARG');
  });
});

describe('fromMetagraph: TAO amounts finer than a rao', () => {
  it('a stake with more than 9 decimals is rounded half up to the rao and said in assumptions, naming the first such amount and how many there were (it was rounded without the note taoToRao documents)', () => {
    const mg = fromMetagraph(dump({ S: ['1.0000000005', 2, '3.00000000049'] }));
    expect(mg.input.stake).toEqual([1_000_000_001n, 2_000_000_000n, 3_000_000_000n]);
    expect(mg.assumptions).toContain('2 TAO amounts have more than 9 decimals and were rounded half up to whole rao (the first: S[0] = 1.0000000005 → 1000000001 rao).');
  });

  it('the pending emission and the stake threshold are noted the same way; 1e-10 TAO, rounded to 0 rao, is noted too', () => {
    const mg = fromMetagraph(dump({ pending_alpha_emission: 1e-10, stake_threshold: '0.0000000015' }));
    expect(mg.input.raoEmission).toBe(0n);
    expect(mg.hyper.stakeThreshold).toBe(2n);
    expect(mg.assumptions).toContain('2 TAO amounts have more than 9 decimals and were rounded half up to whole rao (the first: pending_alpha_emission = 1e-10 → 0 rao).');
  });

  it('amounts of at most 9 decimals (floats as the SDK prints them, or strings) add no note', () => {
    const mg = fromMetagraph(dump({ S: [1547863.845838995, '0.000000001', 3] }));
    expect(mg.input.stake).toEqual([1_547_863_845_838_995n, 1n, 3_000_000_000n]);
    expect(mg.assumptions.some((a) => a.includes('decimals'))).toBe(false);
  });
});

describe('fromMetagraph: a dump refused for a per-UID list or a matrix row builds no n² matrix first', () => {
  /** The Uint16Arrays of at least `min` entries `f` allocates (the global constructor counted while it runs). */
  function bigU16Allocations(f: () => void, min: number): number[] {
    const Real = globalThis.Uint16Array;
    const sizes: number[] = [];
    class Counting extends Real {
      constructor(...args: unknown[]) {
        super(...(args as [number]));
        if (typeof args[0] === 'number' && args[0] >= min) sizes.push(args[0]);
      }
    }
    globalThis.Uint16Array = Counting as unknown as Uint16ArrayConstructor;
    try {
      f();
    } finally {
      globalThis.Uint16Array = Real;
    }
    return sizes;
  }
  const n = 4096;
  const S = new Array<number>(n).fill(1);
  const ones = new Array<number>(n).fill(1);
  const full = { block: 1000, S, last_update: ones, block_at_registration: ones, validator_permit: ones, last_step: 990 };

  it('the counting constructor sees the two 4096² matrices of a sound 4096-UID dump (so the cases below can fail)', () => {
    expect(bigU16Allocations(() => fromMetagraph(full), n * n)).toEqual([n * n, n * n]);
  });

  for (const [what, more] of [
    ['last_update missing', { last_update: undefined }],
    ['block_at_registration of 4095 entries', { block_at_registration: ones.slice(1) }],
    ['validator_permit holding a 2', { validator_permit: [...ones.slice(1), 2] }],
    ['W of 4095 rows', { W: new Array(n - 1).fill([]) }],
    ['B with a row listing a uid past n', { B: [[[n, 1]], ...new Array(n - 1).fill([])] }],
  ] as const) {
    it(`4096 UIDs, ${what}: a YumaError, and no 4096² Uint16Array was allocated (one or two of 32 MiB each were)`, () => {
      const sizes = bigU16Allocations(() => expect(() => fromMetagraph({ ...full, ...more } as MetagraphLike)).toThrow(YumaError), n * n);
      expect(sizes).toEqual([]);
    });
  }
});

describe('fromMetagraph: the last epoch cannot come after the block the metagraph was read at', () => {
  it('lastStepBlock 1001 with block 1000 is E_ARG naming both numbers (it was taken, and the epoch ran on a step that cannot have happened yet)', () => {
    const e = expectYumaError(() => fromMetagraph(dump(), { lastStepBlock: 1001 }), 'E_ARG');
    expect(e.message).toContain('lastStepBlock 1001');
    expect(e.message).toContain('block 1000');
  });

  it("the dump's own last_step 5000 with block 1000 is E_ARG naming both numbers", () => {
    const e = expectYumaError(() => fromMetagraph(dump({ last_step: 5000 })), 'E_ARG');
    expect(e.message).toContain('last_step 5000');
    expect(e.message).toContain('block 1000');
  });

  it('blocks_since_last_step 1001 with block 1000 is E_ARG naming both numbers (it was read as a last step at block 0, without a note)', () => {
    const e = expectYumaError(() => fromMetagraph(dump({ last_step: undefined, blocks_since_last_step: 1001 })), 'E_ARG');
    expect(e.message).toContain('blocks_since_last_step 1001');
    expect(e.message).toContain('block 1000');
  });

  it('a last step at the block itself is kept (the epoch ran in this block): lastStepBlock 1000, last_step 1000 and blocks_since_last_step 1000 give 1000, 1000 and 0', () => {
    expect(fromMetagraph(dump(), { lastStepBlock: 1000 }).input.lastStepBlock).toBe(1000n);
    expect(fromMetagraph(dump({ last_step: 1000 })).input.lastStepBlock).toBe(1000n);
    expect(fromMetagraph(dump({ last_step: undefined, blocks_since_last_step: 1000 })).input.lastStepBlock).toBe(0n);
  });
});

describe('fromMetagraph: null in an optional field of a dump is absent (Python writes None as null)', () => {
  const notes = (r: ReturnType<typeof fromMetagraph>) => r.assumptions.join(' ');

  it('tempo: null is 360 with the "tempo not given" note, as an absent tempo (it took 360 without the note)', () => {
    const r = fromMetagraph(dump({ tempo: null } as never));
    expect(r.input.tempo).toBe(360);
    expect(r.assumptions).toContain('tempo not given: used 360 (the chain default).');
  });

  it('n, last_step, blocks_since_last_step and pending_alpha_emission: null read as absent, each giving what leaving it out gives (they were E_ARG "(got null)")', () => {
    for (const k of ['n', 'last_step', 'blocks_since_last_step', 'pending_alpha_emission'] as const) {
      const absent = dump();
      delete (absent as Record<string, unknown>)[k];
      const given = fromMetagraph(dump({ [k]: null } as never));
      const want = fromMetagraph(absent);
      expect(given.input, k).toEqual(want.input);
      expect(given.assumptions, k).toEqual(want.assumptions);
    }
    const r = fromMetagraph(dump({ last_step: null, pending_alpha_emission: null } as never));
    expect(r.input.lastStepBlock).toBe(0n);
    expect(r.input.raoEmission).toBe(1_000_000_000n);
    expect(notes(r)).toContain('lastStepBlock unknown: used 0');
    expect(notes(r)).toContain('raoEmission not given: used 10^9 rao');
  });

  it('a required field that is null (block, last_update, validator_permit) is still refused, naming it', () => {
    expect(expectYumaError(() => fromMetagraph(dump({ block: null } as never)), 'E_ARG').message).toContain('block');
    expect(expectYumaError(() => fromMetagraph(dump({ last_update: null } as never)), 'E_SHAPE').message).toContain('last_update');
    expect(expectYumaError(() => fromMetagraph(dump({ validator_permit: null } as never)), 'E_SHAPE').message).toContain('validator_permit');
  });

  it('the caller\'s dump is not changed: its null fields stay null', () => {
    const d = dump({ tempo: null, last_step: null } as never) as Record<string, unknown>;
    fromMetagraph(d as MetagraphLike);
    expect(d.tempo).toBeNull();
    expect(d.last_step).toBeNull();
  });
});
