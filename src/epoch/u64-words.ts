/**
 * A u64 vector (`BigUint64Array`) seen as two u32 words per entry, so exact f64 integers go in and out without a
 * BigInt per entry (an allocation each). Word order is checked (little-endian wherever Wasm runs).
 */
const LITTLE = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;
/** Index of an entry's low / high word within its pair. */
export const LOW = LITTLE ? 0 : 1;
export const HIGH = LITTLE ? 1 : 0;
const TWO32 = 2 ** 32;

/** The words of `v` (entry i at 2i + LOW, 2i + HIGH). */
export function u64Words(v: BigUint64Array): Uint32Array {
  return new Uint32Array(v.buffer, v.byteOffset, 2 * v.length);
}

/** `dst[i] = src[i]` for i < n, each `src[i]` an integer in [0, 2^53). */
export function setU64FromNumbers(dst: BigUint64Array, src: ArrayLike<number>, n: number): void {
  const words = u64Words(dst);
  for (let i = 0; i < n; i++) {
    const v = src[i];
    const hi = v < TWO32 ? 0 : Math.floor(v / TWO32); // v / 2^32 is exact: floor gives the high word, no `%`
    words[2 * i + LOW] = v - hi * TWO32;
    words[2 * i + HIGH] = hi;
  }
}
