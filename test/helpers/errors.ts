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
