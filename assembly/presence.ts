// Dense-layout input cannot carry explicit zeros, so its presence map is `weight != 0`; deriving it here with
// SIMD is far cheaper than a byte loop in JS.
export function presenceFromValues(weights: usize, present: usize, count: i32): void {
  let k = 0;
  const zero = i16x8.splat(0);
  for (; k + 16 <= count; k += 16) {
    const a = v128.load(weights + (<usize>k << 1));
    const b = v128.load(weights + (<usize>k << 1), 16);
    // ne gives -1 per non-zero lane; narrowing -1 to u8 saturates to 0, so negate first (1 per lane).
    const ma = i16x8.neg(i16x8.ne(a, zero));
    const mb = i16x8.neg(i16x8.ne(b, zero));
    v128.store(present + <usize>k, i8x16.narrow_i16x8_u(ma, mb));
  }
  for (; k < count; k++) {
    store<u8>(present + <usize>k, load<u16>(weights + (<usize>k << 1)) != 0 ? 1 : 0);
  }
}
