// The chain's I32F32 values held exactly in f64 (the reference's src/reference/stages/grid.ts): raw·2^-32 with an
// integer raw < 2^34 is exact in f64, and so are sums below 2^53 ulps in any order. Float mode keeps the
// quantities that decide discrete outcomes on this grid and does the rest in plain f64.

// @ts-ignore: decorator
@inline export const TWO32: f64 = 4294967296.0;
// @ts-ignore: decorator
@inline export const ULP: f64 = 1.0 / 4294967296.0;
