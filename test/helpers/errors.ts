import { expect } from 'vitest';
import { isYumaError } from '../../src/errors.js';

/** The `code` of whatever `f` throws (YumaError codes), or undefined when it does not throw. */
export function errorCode(f: () => unknown): string | undefined {
  try {
    f();
  } catch (e) {
    return (e as { code?: string }).code;
  }
  return undefined;
}

/**
 * The `code` of the YumaError `f` throws, or undefined when it returns. Any other error (a TypeError, a
 * RangeError, a forged error object) fails the test: the library's contract is YumaError or a result.
 */
export function yumaCode(f: () => unknown): string | undefined {
  try {
    f();
  } catch (e) {
    if (!isYumaError(e)) throw new Error(`expected a YumaError, got ${String(e)}`, { cause: e });
    return e.code;
  }
  return undefined;
}

/** Runs `f`, expects a YumaError with `code`, and returns it (for checks on the message). An assertion of the test. */
export function expectYumaError(f: () => unknown, code: string): Error & { code: string } {
  try {
    f();
  } catch (e) {
    if (!isYumaError(e)) throw new Error(`expected a YumaError ${code}, got ${String(e)}`, { cause: e });
    expect(e.code, `expected ${code}, got ${e.message}`).toBe(code);
    return e;
  }
  throw new Error(`expected a YumaError ${code}, but nothing was thrown`);
}
