/**
 * One mechanism's n² epoch state kept in Wasm memory between epochs: weights and their presence (which entries
 * `set_weights` stored, explicit zeros included), bonds and theirs. The neuron table (`SubnetNeurons`) changes it
 * a row or a column at a time as the chain's extrinsics change storage; an epoch reads it where it lies and writes
 * the new bonds back into it, so nothing of size n² crosses the Wasm boundary per epoch.
 *
 * Matrices are row-major with a row stride of the subnet's current size n (what the kernels index with); when n
 * grows the rows are moved to the new stride once (`resize`). Regions are sized for the table's capacity.
 */
import type { Arena } from './arena.js';
import type { NumericMode } from '../epoch/types.js';
import type { RawEpochResult } from '../epoch/result.js';
import type { JobFields } from './marshal.js';
import { ROW_EMPTY, ROW_INPUT, ROW_WRITTEN, ROW_ZERO_STORED } from './abi.js';

/** What a bond row holds (kept beside the matrices so clearing and reading skip rows that hold nothing). */
const BONDS_NONE = 0; // values 0, nothing stored
const BONDS_DATA = 1; // values and presence as they are
const BONDS_ZEROS = 2; // values 0, every entry stored (the dense path's empty EMA row)

/**
 * Row `i` of a matrix from stride `from` to stride `to` (> from), rows above it already moved: its values (if it
 * holds any) move up, and whatever the old layout left in the rest of its new place becomes zero.
 */
function moveRow(view: Uint8Array | Uint16Array, base: number, i: number, from: number, to: number, used: boolean): void {
  const src = base + i * from;
  const dst = base + i * to;
  if (!used) {
    view.fill(0, dst, dst + to);
    return;
  }
  if (dst !== src) view.copyWithin(dst, src, src + from);
  view.fill(0, dst + from, dst + to);
}

/** A row of `n` entries at element `at` of a value matrix and its presence: cleared if it held anything, then `row`'s entries. */
function writeRow(arena: Arena, values: number, present: number, at: number, n: number, row: Packed, used: boolean): void {
  const u16 = arena.u16;
  const u8 = arena.u8;
  const v = values / 2 + at;
  const p = present + at;
  if (used) {
    u16.fill(0, v, v + n);
    u8.fill(0, p, p + n);
  }
  for (let e = 0; e < row.length; e++) {
    const j = row[e] >>> 16;
    u16[v + j] = row[e] & 0xffff;
    u8[p + j] = 1;
  }
}

/** A packed stored row: `(uid << 16) | value` per entry (the neuron table's `PackedRow`). */
type Packed = Uint32Array;

export class ResidentMatrices {
  readonly capacity: number;
  /** The host (engine) whose memory holds the matrices: only its kernels may run on them. */
  host: ResidentHost | null = null;
  /** The row stride: the subnet size the matrices are laid out for. */
  stride = 0;
  readonly weights: number; // u16[capacity²]
  readonly weightsPresent: number; // u8[capacity²]
  readonly bonds: number; // u16[capacity²]
  readonly bondsPresent: number; // u8[capacity²]
  /** Rows of the weight matrices that may hold a non-zero byte. */
  private readonly weightRowUsed: Uint8Array;
  /** BONDS_* per bond row. */
  private readonly bondRowState: Uint8Array;
  private readonly arena: Arena;
  private readonly block: number;
  private readonly blockBytes: number;
  private freed = false;

  constructor(arena: Arena, capacity: number) {
    const cc = capacity * capacity;
    this.arena = arena;
    this.capacity = capacity;
    this.blockBytes = residentBytes(capacity);
    this.block = arena.allocResident(this.blockBytes); // zero-filled
    const at16 = (k: number) => this.block + k;
    this.weights = at16(0);
    this.bonds = at16(2 * cc);
    this.weightsPresent = at16(4 * cc);
    this.bondsPresent = at16(5 * cc);
    this.weightRowUsed = new Uint8Array(capacity);
    this.bondRowState = new Uint8Array(capacity);
  }

  /** Returns the block to the arena (the owner is gone); the object is unusable afterwards. */
  free(): void {
    if (this.freed) return;
    this.freed = true;
    this.arena.freeResident(this.block, this.blockBytes);
  }

  /**
   * Lays the matrices out for `n` UIDs (n ≥ the current stride, ≤ capacity): rows move to the new stride, last
   * row first (a row only ever moves up), and the new columns and rows read zero.
   */
  resize(n: number): void {
    const old = this.stride;
    if (n === old) return;
    if (n < old) throw new RangeError(`resident matrices shrink from ${old} to ${n}`); // the table never shrinks
    const u16 = this.arena.u16;
    const u8 = this.arena.u8;
    for (let i = old - 1; i >= 0; i--) {
      const w = this.weightRowUsed[i] !== 0;
      const b = this.bondRowState[i] !== BONDS_NONE;
      moveRow(u16, this.weights / 2, i, old, n, w);
      moveRow(u8, this.weightsPresent, i, old, n, w);
      moveRow(u16, this.bonds / 2, i, old, n, b);
      moveRow(u8, this.bondsPresent, i, old, n, b);
      // a row of stored zeros keeps them for the old columns only, as the table's stored row does
      if (this.bondRowState[i] === BONDS_ZEROS) this.bondRowState[i] = BONDS_DATA;
    }
    // rows old..n-1 lie past everything the old layout used: still zero
    this.stride = n;
  }

  /** Stores weight row `i` as `set_weights` left it (entries of uids < stride). */
  setWeightRow(i: number, row: Packed): void {
    writeRow(this.arena, this.weights, this.weightsPresent, i * this.stride, this.stride, row, this.weightRowUsed[i] !== 0);
    this.weightRowUsed[i] = row.length > 0 ? 1 : 0;
  }

  /** Stores bond row `i` (a loaded row, or one the table cleared). */
  setBondRow(i: number, row: Packed): void {
    writeRow(this.arena, this.bonds, this.bondsPresent, i * this.stride, this.stride, row, this.bondRowState[i] !== BONDS_NONE);
    this.bondRowState[i] = row.length > 0 ? BONDS_DATA : BONDS_NONE;
  }

  /** `do_reset_bonds` on column `j`: every stored bond on `j` removed. */
  clearBondColumn(j: number): void {
    const n = this.stride;
    const u16 = this.arena.u16;
    const u8 = this.arena.u8;
    for (let i = 0; i < n; i++) {
      if (this.bondRowState[i] === BONDS_NONE) continue;
      u16[this.bonds / 2 + i * n + j] = 0;
      u8[this.bondsPresent + i * n + j] = 0;
      if (this.bondRowState[i] === BONDS_ZEROS) this.bondRowState[i] = BONDS_DATA;
    }
  }

  /** Bond row `i` as the table stores it: packed entries in uid order, stored zeros included. */
  bondRow(i: number): Packed {
    const state = this.bondRowState[i];
    if (state === BONDS_NONE) return new Uint32Array(0);
    const n = this.stride;
    const u16 = this.arena.u16;
    const u8 = this.arena.u8;
    const b = this.bonds / 2 + i * n;
    const p = this.bondsPresent + i * n;
    let count = 0;
    for (let j = 0; j < n; j++) count += u8[p + j];
    const out = new Uint32Array(count);
    for (let j = 0, k = 0; j < n; j++) if (u8[p + j]) out[k++] = ((j << 16) | u16[b + j]) >>> 0;
    return out;
  }

  /** Per row, 0 where the bond values are all zero (the kernels' BOND_ROWS_HINT), into `u8` at `at`. */
  bondRowHints(u8: Uint8Array, at: number): void {
    u8.set(this.bondRowState.subarray(0, this.stride), at);
  }

  /** Whether bond row `i` stores nothing. */
  bondRowEmpty(i: number): boolean {
    return this.bondRowState[i] === BONDS_NONE;
  }

  /**
   * The epoch's bond write-back into the resident matrices, from the kernel's row kinds (abi ROW_*): computed rows
   * the kernel wrote in place, unchanged rows keep their values and store exactly their non-zero entries (as the
   * stateless path's output does), emptied rows are cleared.
   */
  commitBonds(kinds: Uint8Array): void {
    const n = this.stride;
    const u16 = this.arena.u16;
    const u8 = this.arena.u8;
    const b0 = this.bonds / 2;
    const p0 = this.bondsPresent;
    for (let i = 0; i < n; i++) {
      const kind = kinds[i];
      const b = b0 + i * n;
      const p = p0 + i * n;
      const state = this.bondRowState[i];
      if (kind === ROW_WRITTEN) {
        this.bondRowState[i] = BONDS_DATA;
      } else if (kind === ROW_INPUT) {
        if (state === BONDS_NONE) continue;
        for (let j = 0; j < n; j++) u8[p + j] = u16[b + j] !== 0 ? 1 : 0;
        this.bondRowState[i] = BONDS_DATA;
      } else if (kind === ROW_EMPTY) {
        if (state === BONDS_NONE) continue;
        u16.fill(0, b, b + n);
        u8.fill(0, p, p + n);
        this.bondRowState[i] = BONDS_NONE;
      } else if (kind === ROW_ZERO_STORED) {
        if (state !== BONDS_NONE) u16.fill(0, b, b + n);
        u8.fill(1, p, p + n);
        this.bondRowState[i] = BONDS_ZEROS;
      }
    }
  }
}

/**
 * UID slots of the resident matrices for a subnet of `n` UIDs (of at most `capacity`): n rounded up to a power of
 * two, at least 64, so a subnet that grows remakes them at most log2 times and a 4096-slot subnet of 100 UIDs
 * holds 1.5 MB, not 100 MB.
 */
export function residentSlots(n: number, capacity: number): number {
  return Math.min(capacity, Math.max(64, 2 ** Math.ceil(Math.log2(Math.max(1, n)))));
}

/** Wasm memory one mechanism's resident matrices take for `slots` UID slots (u16 + u8, weights and bonds). */
export function residentBytes(slots: number): number {
  return 6 * slots * slots + 64;
}

/**
 * Most Wasm memory a `Network`'s resident state may take (checked when it is built): 3 GiB of the 4 GiB a Wasm32
 * module addresses, leaving room for the largest epoch's scratch.
 */
export const MAX_RESIDENT_BYTES = 3 * 2 ** 30;

/** A resident epoch: the header fields and per-UID vectors of a job, over one mechanism's resident matrices. */
export type ResidentEpoch = JobFields & { mode: NumericMode; matrices: ResidentMatrices };

/** What an engine whose kernels run in this module offers for resident state. */
export interface ResidentHost {
  /**
   * Resident matrices for up to `capacity` UIDs, returned to the arena when `owner` is garbage-collected
   * (or by `ResidentMatrices.free`).
   */
  matrices(capacity: number, owner: object): ResidentMatrices;
  /**
   * Runs resident epochs (one trip into Wasm each); each one's bonds are written back into its matrices.
   * `onResult(index, raw)`, when given, is called as each job's result is read (on a threaded engine, while the
   * other thread still runs kernels), in no particular order; every job is committed to its matrices even when it
   * throws, and its first error is rethrown once all are.
   */
  run(jobs: ResidentEpoch[], onResult?: (index: number, raw: RawEpochResult) => void): RawEpochResult[];
  /**
   * Throws `YumaError('E_STATE')` when the engine was closed: a batch asks every host before any of them runs, so
   * one closed engine among several refuses the batch with no subnet changed.
   */
  checkOpen(): void;
  /**
   * Grows the memory a `run` of up to `jobs` epochs of up to `n` UIDs in `mode` reserves (its scratch and job
   * regions above the resident blocks allocated so far), so that run cannot fail for memory: `E_LIMIT` here, before
   * the caller has changed anything, instead of in the middle of its work.
   */
  reserveRun(n: number, jobs: number, mode: NumericMode): void;
}

const HOSTS = new WeakMap<object, ResidentHost>();

/** Called by the engine that owns the module's memory. */
export function registerResidentHost(engine: object, host: ResidentHost): void {
  HOSTS.set(engine, host);
}

/** The resident host of `engine`, or null (a reference engine, or any other object with an `epoch` method). */
export function residentHostOf(engine: unknown): ResidentHost | null {
  return (typeof engine === 'object' && engine !== null && HOSTS.get(engine)) || null;
}

/** Frees the matrices of owners that were garbage-collected, so a long run that drops subnets stays flat. */
export const residentReaper = new FinalizationRegistry<ResidentMatrices>((m) => m.free());
