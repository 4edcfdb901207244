/** Marsaglia's xorshift32 (13, 17, 5): a seeded stream of integers in [1, 2³²), the same on every platform. */
export function xorshift32(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s;
  };
}
