// `fixed_proportion_to_u16` in f64: floor(x·65535), clamped to [0, 65535].

// @ts-ignore: decorator
@inline export function toU16(x: f64): u16 {
  const y = Math.floor(x * 65535.0);
  return <u16>(y < 0 ? 0 : y > 65535 ? 65535 : <i32>y);
}

export function vecToU16(src: usize, dst: usize, n: i32): void {
  for (let i = 0; i < n; i++) store<u16>(dst + (<usize>i << 1), toU16(load<f64>(src + (<usize>i << 3))));
}
