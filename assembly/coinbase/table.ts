// Slot access to the coinbase table (layout in ../abi.ts: a header, then one record per emitting subnet).
import { CB_HEADER_SLOTS, CB_SUBNET_SLOTS, CBH_COUNT } from '../abi';

// @ts-ignore: decorator
@inline export function get(p: usize, k: i32): u64 {
  return load<u64>(p + (<usize>k << 3));
}

// @ts-ignore: decorator
@inline export function put(p: usize, k: i32, v: u64): void {
  store<u64>(p + (<usize>k << 3), v);
}

/** Stores a 128-bit raw (lo, hi) in slots k, k + 1. */
// @ts-ignore: decorator
@inline export function put2(p: usize, k: i32, lo: u64, hi: u64): void {
  store<u64>(p + (<usize>k << 3), lo);
  store<u64>(p + (<usize>(k + 1) << 3), hi);
}

/** The record of the i-th emitting subnet. */
// @ts-ignore: decorator
@inline export function record(table: usize, i: i32): usize {
  return table + ((<usize>CB_HEADER_SLOTS + <usize>i * <usize>CB_SUBNET_SLOTS) << 3);
}

// @ts-ignore: decorator
@inline export function count(table: usize): i32 {
  return <i32>load<u64>(table + (<usize>CBH_COUNT << 3));
}

/** Rust's u64 `saturating_add`. */
// @ts-ignore: decorator
@inline export function u64SatAdd(a: u64, b: u64): u64 {
  const s = a + b;
  return s < a ? u64.MAX_VALUE : s;
}

/** Rust's u64 `saturating_sub`. */
// @ts-ignore: decorator
@inline export function u64SatSub(a: u64, b: u64): u64 {
  return a > b ? a - b : 0;
}
