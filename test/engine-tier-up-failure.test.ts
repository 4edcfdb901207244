// A first engine whose tier-up warm-up fails (here: the host refuses to grow Wasm memory for the 256-UID rounds).
// Vitest runs each test file in a fresh process, so the engine made here is the first of its compiled module.
import { describe, expect, it, vi } from 'vitest';
import { createEngineSync, createOneShotEngineSync } from '../src/engine.js';
import { syntheticSubnet } from '../bench/suite.js';
import { plain } from './helpers/json.js';

describe('a tier-up warm-up that fails', () => {
  it('is a YumaError (E_LIMIT) from createEngineSync, and the next engine runs the tier-up rounds again and gives the outputs of an engine without them', () => {
    const grow = vi.spyOn(WebAssembly.Memory.prototype, 'grow').mockImplementation(() => {
      throw new RangeError('WebAssembly.Memory.grow(): Maximum memory size exceeded');
    });
    try {
      expect(() => createEngineSync()).toThrow(expect.objectContaining({ name: 'YumaError', code: 'E_LIMIT' }));
    } finally {
      grow.mockRestore();
    }
    const oneShot = createOneShotEngineSync(); // the 64-UID warm-up only: fits the initial memory
    const next = createEngineSync();
    // the 256-UID rounds grew its arena: the failed attempt did not mark the module as tiered up
    expect(next.memoryBytes).toBeGreaterThan(oneShot.memoryBytes);
    const batch = [syntheticSubnet({ n: 300, validators: 40, seed: 8 }), syntheticSubnet({ n: 70, validators: 9, seed: 9 })];
    for (const mode of ['float', 'fixed'] as const) expect(plain(next.epochs(batch, { mode }))).toEqual(plain(oneShot.epochs(batch, { mode })));
  });
});
