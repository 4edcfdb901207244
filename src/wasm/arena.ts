import { YumaError } from '../errors.js';

const PAGE = 65536;
/** Wasm32 memory cannot exceed 4 GiB; we stop a little earlier to leave room for the stack and data. */
const MAX_BYTES = 4 * 1024 * 1024 * 1024 - 16 * PAGE;

/**
 * A bump region of the kernel module's memory, above `__heap_base`. The loader reserves one block per call
 * (grown, never shrunk, so steady-state runs allocate nothing), hands out 16-byte aligned offsets, and
 * re-takes views whenever growth has detached the old buffer.
 */
export class Arena {
  private readonly memory: WebAssembly.Memory;
  private readonly base: number;
  private top: number;
  private u8v!: Uint8Array;
  private u16v!: Uint16Array;
  private u32v!: Uint32Array;
  private i32v!: Int32Array;
  private i64v!: BigInt64Array;
  private u64v!: BigUint64Array;
  private f64v!: Float64Array;

  constructor(memory: WebAssembly.Memory, heapBase: number) {
    this.memory = memory;
    this.base = align(heapBase);
    this.top = this.base;
    this.refresh();
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
