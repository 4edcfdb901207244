import { YumaError } from '../errors.js';

const PAGE = 65536;
/** Wasm32 memory cannot exceed 4 GiB; we stop a little earlier to leave room for the stack and data. */
const MAX_BYTES = 4 * 1024 * 1024 * 1024 - 16 * PAGE;

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
  /** Freed resident blocks (address, bytes), reused first-fit. */
  private readonly freeBlocks: Array<{ at: number; bytes: number }> = [];
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
    this.refresh();
  }

  /**
   * A block that survives `reset` (resident state), zero-filled. Only between calls: the bump region above may be
   * moved up, so nothing it handed out stays valid.
   */
  allocResident(bytes: number): number {
    const size = align(Math.max(bytes, 16));
    const k = this.freeBlocks.findIndex((b) => b.bytes >= size);
    let at: number;
    if (k >= 0) {
      const b = this.freeBlocks[k];
      at = b.at;
      if (b.bytes === size) this.freeBlocks.splice(k, 1);
      else this.freeBlocks[k] = { at: b.at + size, bytes: b.bytes - size };
    } else {
      this.top = this.base;
      this.reserve(size); // E_LIMIT before anything moves
      at = this.base;
      this.base += size;
    }
    this.top = this.base;
    this.u8.fill(0, at, at + size);
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
    list.splice(k, 0, { at, bytes: align(Math.max(bytes, 16)) });
    if (k + 1 < list.length && list[k].at + list[k].bytes === list[k + 1].at) {
      list[k].bytes += list[k + 1].bytes;
      list.splice(k + 1, 1);
    }
    if (k > 0 && list[k - 1].at + list[k - 1].bytes === list[k].at) {
      list[k - 1].bytes += list[k].bytes;
      list.splice(k, 1);
      k--;
    }
    const last = list[list.length - 1];
    if (last.at + last.bytes === this.base) {
      this.base = last.at;
      list.pop();
    }
  }

  /** Bytes held by resident blocks, freed ones included (they are reused, never returned to the host). */
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
