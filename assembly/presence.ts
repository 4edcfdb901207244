// Dense-layout input cannot carry explicit zeros, so its presence map is `weight != 0`; deriving it here with
// SIMD is far cheaper than a byte loop in JS.
import { FLAG_HAS_OWNER, FLAG_PRESENCE_FROM_VALUES, J_FLAGS, J_N, J_OWNER, J_PERMIT, J_PERMIT_LEN, J_WEIGHTS, J_WEIGHTS_PRESENT, ptr, slot } from './abi';

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

/**
 * Whether the loader copied weight row `i`: the chain's `mask_rows` empties every row without a stored permit
 * (the sparse path's owner keeps its row), so the kernels read no other row and the loader skips them. The same
 * rule as `keptWeightRow` in src/wasm/marshal.ts; the kernels' own masks are at most this wide.
 */
// @ts-ignore: decorator
@inline export function keptWeightRow(job: usize, i: i32): bool {
  if (i >= <i32>slot(job, J_PERMIT_LEN)) return false;
  if (load<u8>(ptr(job, J_PERMIT) + <usize>i) != 0) return true;
  return (slot(job, J_FLAGS) & FLAG_HAS_OWNER) != 0 && i == <i32>slot(job, J_OWNER);
}

/** Fills the job's weight presence (dense-layout input) for the rows the loader copied. */
export function presenceOfJob(job: usize): void {
  if ((slot(job, J_FLAGS) & FLAG_PRESENCE_FROM_VALUES) == 0) return;
  const n = <i32>slot(job, J_N);
  const w = ptr(job, J_WEIGHTS);
  const wp = ptr(job, J_WEIGHTS_PRESENT);
  const rows = min(n, <i32>slot(job, J_PERMIT_LEN));
  for (let i = 0; i < rows; i++) {
    if (!keptWeightRow(job, i)) continue;
    const at = <usize>i * <usize>n;
    presenceFromValues(w + (at << 1), wp + at, n);
  }
}
