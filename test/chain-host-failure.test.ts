import { describe, expect, it } from 'vitest';
import { Chain, newChainState } from '../src/chain/index.js';
import { YumaError } from '../src/errors.js';

// stoppedOn('chain') turns what a Chain method lets out that is not a YumaError into one. No input reaches it: every
// read of a caller's request or state is guarded (E_ARG naming it) and a held state is checked before each block and
// request. What does reach it is the host failing under a call — here the stack, with a step begun from deep
// recursion — and then the error must not blame the state, and must say the block may be partly applied.
describe('a Chain step the host fails under', () => {
  it('with the stack nearly exhausted, step() throws E_STATE naming the RangeError and the partial block, not the state', () => {
    const chain = new Chain(newChainState());
    const messages: string[] = [];
    let stepped = 0;
    const deep = (): void => {
      try {
        deep();
      } catch (e) {
        if (!(e instanceof RangeError)) throw e;
      }
      // on the way back up, with a little more stack at each level, until steps go through
      if (stepped >= 3) return;
      try {
        chain.step();
        stepped++;
      } catch (e) {
        if (e instanceof YumaError && e.code === 'E_STATE') messages.push(e.message);
      }
    };
    deep();
    expect(stepped).toBe(3);
    expect(messages.length).toBeGreaterThan(0);
    for (const m of messages) {
      expect(m).toMatch(/^E_STATE: the chain stopped on RangeError: Maximum call stack size exceeded: not an input it refused but a failure under it \(the host out of stack or memory, or a defect of this library\); a block or request it stopped in may be partly applied: rebuild the chain from a state saved with toJSON\(\)$/);
      expect(m).not.toMatch(/its state holds/);
    }
  });
});
