/**
 * Builds and instantiates the test-only fixed-point module `assembly/fixed/testing.ts`.
 *
 * Equivalent CLI build (asc also reads ./asconfig.json, whose `textFile` would write build/release.wat — the JS API
 * call below keeps everything in memory instead):
 *   npx asc assembly/fixed/testing.ts -o build/fixed-testing.wasm -O3 --runtime stub --enable simd --use abort= --noAssert
 *
 * The module has no imports; i64 arguments/results are BigInt (results signed: use `u64()` for unsigned words).
 */
import asc from 'assemblyscript/asc';

export type Fn = (...args: (bigint | number)[]) => bigint;

let cached: Promise<Record<string, Fn>> | undefined;

async function build(): Promise<Record<string, Fn>> {
  let wasm: Uint8Array | undefined;
  const errors: string[] = [];
  const { error } = await asc.main(
    [
      'assembly/fixed/testing.ts',
      '--outFile', 'fixed-testing.wasm',
      '-O3', '--runtime', 'stub', '--enable', 'simd', '--use', 'abort=', '--noAssert',
    ],
    {
      writeFile(name: string, contents: Uint8Array | string) {
        if (name.endsWith('fixed-testing.wasm') && typeof contents !== 'string') wasm = contents;
      },
      stderr: { write: (s: string) => { errors.push(String(s)); return true; } } as never,
      stdout: { write: () => true } as never,
    },
  );
  if (error || !wasm) throw new Error(`asc failed: ${error?.message ?? 'no output'}\n${errors.join('')}`);
  const module = await WebAssembly.compile(wasm as Uint8Array<ArrayBuffer>);
  const instance = await WebAssembly.instantiate(module, {});
  return instance.exports as unknown as Record<string, Fn>;
}

export function loadFixedWasm(): Promise<Record<string, Fn>> {
  cached ??= build();
  return cached;
}

export const u64 = (x: bigint): bigint => BigInt.asUintN(64, x);
export const i64 = (x: bigint): bigint => BigInt.asIntN(64, x);
/** Split a 128-bit integer (signed or unsigned) into unsigned (lo, hi) words. */
export const words = (x: bigint): [bigint, bigint] => [BigInt.asUintN(64, x), BigInt.asUintN(64, x >> 64n)];
/** Join (lo, hi) words into an unsigned 128-bit integer. */
export const joinU = (lo: bigint, hi: bigint): bigint => (u64(hi) << 64n) | u64(lo);
/** Join (lo, hi) words into a signed 128-bit integer. */
export const joinS = (lo: bigint, hi: bigint): bigint => BigInt.asIntN(128, joinU(lo, hi));
