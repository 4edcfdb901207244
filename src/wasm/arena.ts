import { YumaError } from '../errors.js';

const PAGE = 65536;
/** Wasm32 memory cannot exceed 4 GiB; we stop a little earlier to leave room for the stack and data. */
const MAX_BYTES = 4 * 1024 * 1024 * 1024 - 16 * PAGE;
/** Resident blocks are carved from slabs of up to this much (at least the block, at most 16 blocks of its size). */
const SLAB_BYTES = 4 * 1024 * 1024;

/**
 * The kernel module's memory above `__heap_base`, in two parts. Resident blocks (state kept in Wasm between calls:
 * a subnet's weight and bond matrices) sit at the bottom, handed out and taken back by `allocResident` /
 * `freeResident` (a freed block is reused by the next request it fits, so a steady workload never grows memory).
 * Above them a bump region the loader reserves once per call (grown, never shrunk), hands out 16-byte aligned
 * offsets from, and frees as a whole with `reset`. Views are re-taken whenever growth has detached the old buffer.
 */
export class Arena {
  private readonly memory: WebAssembly.Memory;
  /** `__heap_base`, aligned: where the first resident block starts. */
  private readonly start: number;
  /** Where the bump region starts: the end of the highest resident block. */
  private base: number;
  private top: number;
  /**
   * Nothing at or above this address was ever handed out or reserved: it reads zero as `memory.grow` (or the
   * instantiation: every caller gives the Arena a fresh instance's memory) left it, and no page of it has been
   * touched yet.
   */
  private clean: number;
  /**
   * Free resident blocks (address, bytes), reused first-fit: freed ones, and the unused rest of the last slab, which
   * is known to read zero (`zero`) until a freed neighbour merges into it.
   */
  private readonly freeBlocks: Array<{ at: number; bytes: number; zero: boolean }> = [];
  private u8v!: Uint8Array;
  private u16v!: Uint16Array;
  private u32v!: Uint32Array;
  private i32v!: Int32Array;
  private i64v!: BigInt64Array;
  private u64v!: BigUint64Array;
  private f64v!: Float64Array;

  constructor(memory: WebAssembly.Memory, heapBase: number) {
    this.memory = memory;
    this.start = align(heapBase);
    this.base = this.start;
    this.top = this.base;
    this.clean = this.base;
    this.refresh();
  }

  /**
   * A block that survives `reset` (resident state), zero-filled. Only between calls: the bump region above may be
   * moved up, so nothing it handed out stays valid.
   *
   * A block the free list cannot give comes from a new slab (up to 16 blocks of its size, at most 4 MiB). Each new
   * block on top of the last moved the bump region, and with it the next call's scratch, onto memory no call had
   * touched yet; on the VMs this project runs on the first touch of a page costs ≈ 15 µs (the host maps it), and
   * zero-filling a 256-UID subnet's 393 KB block took 1.4–4.6 ms — half of a subnet's first epoch. A slab's rest
   * stays untouched (it reads zero: no fill) until its blocks are used, and the scratch stays where it was.
   */
  allocResident(bytes: number): number {
    const size = align(Math.max(bytes, 16));
    let k = this.freeBlocks.findIndex((b) => b.bytes >= size);
    if (k < 0) {
      const want = Math.max(size, Math.min(SLAB_BYTES, 16 * size));
      const from = this.base;
      const cleanBefore = this.clean;
      this.top = this.base;
      try {
        this.reserve(want);
      } catch {
        this.top = this.base;
        this.reserve(size); // E_LIMIT before anything moves
      }
      const slab = this.top + want <= this.memory.buffer.byteLength ? want : size;
      // the part the bump region used before reads whatever it left; the rest was never touched
      const dirtyEnd = Math.min(from + slab, cleanBefore);
      if (dirtyEnd > from) this.u8.fill(0, from, dirtyEnd);
      this.base = from + slab;
      this.clean = Math.max(this.clean, this.base);
      this.freeBlocks.push({ at: from, bytes: slab, zero: true });
      k = this.freeBlocks.length - 1;
    }
    const b = this.freeBlocks[k];
    const at = b.at;
    if (b.bytes === size) this.freeBlocks.splice(k, 1);
    else this.freeBlocks[k] = { at: b.at + size, bytes: b.bytes - size, zero: b.zero };
    this.top = this.base;
    if (!b.zero) this.u8.fill(0, at, at + size);
    return at;
  }

  /**
   * Takes back a block of `allocResident` (same `bytes`). Free neighbours merge, so blocks of slightly different
   * sizes made and dropped in turn reuse the same memory; a free block at the top of the resident part gives its
   * room back to the bump region.
   */
  freeResident(at: number, bytes: number): void {
    const list = this.freeBlocks;
    let k = 0;
    while (k < list.length && list[k].at < at) k++;
    list.splice(k, 0, { at, bytes: align(Math.max(bytes, 16)), zero: false });
    // a merged block reads what the freed one left: no longer all zero
    if (k + 1 < list.length && list[k].at + list[k].bytes === list[k + 1].at) {
      list[k].bytes += list[k + 1].bytes;
      list.splice(k + 1, 1);
    }
    if (k > 0 && list[k - 1].at + list[k - 1].bytes === list[k].at) {
      list[k - 1].bytes += list[k].bytes;
      list[k - 1].zero = false;
      list.splice(k, 1);
      k--;
    }
    // a slab's untouched rest stays held (the bump region would touch it); a freed block goes back
    const last = list[list.length - 1];
    if (!last.zero && last.at + last.bytes === this.base) {
      this.base = last.at;
      list.pop();
    }
  }

  /** Bytes held by resident blocks, freed ones and a slab's unused rest included (reused, never returned to the host). */
  get residentBytes(): number {
    return this.base - this.start;
  }

  /** Frees everything handed out so far. */
  reset(): void {
    this.top = this.base;
  }

  /** The current top, to come back to with `rewind` (everything allocated after it is freed). */
  mark(): number {
    return this.top;
  }

  rewind(to: number): void {
    this.top = to;
  }

  /** Makes sure `bytes` more bytes fit, growing memory once if needed. */
  reserve(bytes: number): void {
    const need = this.top + bytes;
    // the caller may write all of it
    if (need > this.clean) this.clean = need;
    if (need > MAX_BYTES) {
      throw new YumaError('E_LIMIT', `this call needs ${need} bytes of Wasm memory, more than the 4 GiB a Wasm32 module can address`);
    }
    const have = this.memory.buffer.byteLength;
    if (need > have) {
      // Grow geometrically so a slowly rising workload does not grow on every call.
      const target = Math.min(MAX_BYTES, Math.max(need, have * 1.5));
      if (!this.grow(target - have) && !this.grow(need - have)) {
        // the host refused the memory (its own cap, or the machine's): nothing was allocated
        throw new YumaError('E_LIMIT', `this call needs ${need} bytes of Wasm memory and the host refused to grow it from ${have}`);
      }
    }
    this.refresh();
  }

  private grow(bytes: number): boolean {
    try {
      this.memory.grow(Math.ceil(bytes / PAGE));
      return true;
    } catch {
      return false;
    }
  }

  alloc(bytes: number): number {
    const at = this.top;
    this.top = align(at + bytes);
    if (this.top > this.clean) this.clean = this.top;
    if (this.top > this.memory.buffer.byteLength) this.reserve(0);
    return at;
  }

  get bytesInUse(): number {
    return this.top - this.base;
  }

  get memoryBytes(): number {
    return this.memory.buffer.byteLength;
  }

  private refresh(): void {
    const buf = this.memory.buffer;
    if (this.u8v && this.u8v.buffer === buf) return;
    this.u8v = new Uint8Array(buf);
    this.u16v = new Uint16Array(buf);
    this.u32v = new Uint32Array(buf);
    this.i32v = new Int32Array(buf);
    this.i64v = new BigInt64Array(buf);
    this.u64v = new BigUint64Array(buf);
    this.f64v = new Float64Array(buf);
  }

  get u8(): Uint8Array {
    this.refresh();
    return this.u8v;
  }
  get u16(): Uint16Array {
    this.refresh();
    return this.u16v;
  }
  get u32(): Uint32Array {
    this.refresh();
    return this.u32v;
  }
  /** Int32 view (what `Atomics.wait` needs when the memory is shared). */
  get i32(): Int32Array {
    this.refresh();
    return this.i32v;
  }
  get i64(): BigInt64Array {
    this.refresh();
    return this.i64v;
  }
  get u64(): BigUint64Array {
    this.refresh();
    return this.u64v;
  }
  get f64(): Float64Array {
    this.refresh();
    return this.f64v;
  }
}

/**
 * `x` rounded up to a multiple of 16. Arithmetic, not bit masks: addresses reach 4 GiB, and `&` works on
 * signed 32-bit values (an address at or above 2^31 would come back negative).
 */
export function align(x: number): number {
  return Math.ceil(x / 16) * 16;
}
