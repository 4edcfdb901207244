// The Arena's resident blocks under random use (src/wasm/arena.ts): blocks made and freed in any order, sizes that
// fit holes or not, slabs carved, and each call's bump region written between them. Every block must read zero when
// handed out, keep what its owner wrote while other blocks come and go and the bump region is scribbled over, never
// overlap another live block or the bump region, and once all are freed the arena holds no resident bytes.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Arena } from '../src/wasm/arena.js';

type Op = { kind: 'alloc'; bytes: number } | { kind: 'free'; pick: number } | { kind: 'bump'; bytes: number };

const arbOp: fc.Arbitrary<Op> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('alloc' as const), bytes: fc.oneof(fc.integer({ min: 1, max: 4000 }), fc.integer({ min: 100_000, max: 400_000 })) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('free' as const), pick: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('bump' as const), bytes: fc.integer({ min: 16, max: 1_000_000 }) }) },
);

describe('Arena resident blocks under random alloc / free / bump-region use', () => {
  it('every block reads zero when handed out, keeps its own bytes (no overlap with another block or the bump region), and all freed leaves 0 resident bytes', () => {
    let checkedBlocks = 0;
    fc.assert(
      fc.property(fc.array(arbOp, { minLength: 1, maxLength: 40 }), (ops) => {
        const a = new Arena(new WebAssembly.Memory({ initial: 1 }), 64);
        const live: Array<{ at: number; bytes: number; tag: number }> = [];
        let tag = 1;
        const intact = () => {
          for (const b of live) {
            const u8 = a.u8;
            // first, last and a middle byte carry the block's tag; a stray write from anywhere else would change one
            for (const at of [b.at, b.at + b.bytes - 1, b.at + (b.bytes >> 1)]) expect(u8[at], `block ${b.tag} at ${b.at}`).toBe(b.tag);
          }
        };
        for (const op of ops) {
          if (op.kind === 'alloc') {
            const at = a.allocResident(op.bytes);
            const u8 = a.u8;
            let firstNonZero = -1;
            for (let i = at; i < at + op.bytes && firstNonZero < 0; i++) if (u8[i] !== 0) firstNonZero = i;
            expect(firstNonZero, `new block of ${op.bytes} at ${at}: first byte not zero`).toBe(-1);
            for (const b of live) expect(at + op.bytes <= b.at || b.at + b.bytes <= at, `new block ${at}+${op.bytes} overlaps ${b.at}+${b.bytes}`).toBe(true);
            const t = (tag++ % 250) + 1;
            u8.fill(t, at, at + op.bytes);
            live.push({ at, bytes: op.bytes, tag: t });
            checkedBlocks++;
          } else if (op.kind === 'free' && live.length > 0) {
            const [b] = live.splice(op.pick % live.length, 1);
            a.u8.fill(0xee, b.at, b.at + b.bytes); // what its owner left behind
            a.freeResident(b.at, b.bytes);
          } else if (op.kind === 'bump') {
            a.reset();
            a.reserve(op.bytes);
            const at = a.alloc(op.bytes);
            a.u8.fill(0xdd, at, at + op.bytes);
          }
          intact();
        }
        for (const b of live.splice(0)) a.freeResident(b.at, b.bytes);
        expect(a.residentBytes).toBe(0);
      }),
      { numRuns: 80, seed: 1202 },
    );
    expect(checkedBlocks).toBeGreaterThan(150);
  });
});
