import { thrownText } from './validation/describe.js';

/** Error codes shared by every module; outside checks match on `code`, not on the message. */
export type YumaErrorCode =
  | 'E_SHAPE' // wrong length, missing field, duplicate uid, bad layout, a hole in an array
  | 'E_RANGE' // negative, above u16/u64, outside a documented interval
  | 'E_NAN' // NaN or non-finite number
  | 'E_LIMIT' // more UIDs / subnets / entries / bytes than supported
  | 'E_SLIPPAGE' // a swap would cross its limit price
  | 'E_RESERVE' // a swap would drain or over-fill a pool reserve
  | 'E_STATE' // operation not valid in the object's current state
  | 'E_CALLBACK' // a function the caller passed (a progress or epoch hook) threw; its error is the `cause`
  | 'E_ARG'; // any other invalid argument (unknown option, wrong type, a getter or Proxy that threw)

/** The one error type the library throws for bad input. State is never changed when it is thrown. */
export class YumaError extends Error {
  /** What kind of problem (see `YumaErrorCode`); match on this, not on the message. */
  readonly code: YumaErrorCode;
  /** The message without the code: what to show where the code is shown separately (a CLI line, a wrapper). */
  readonly detail: string;
  // A private brand: `isYumaError` recognises genuine instances without running user code (a thrown Proxy's
  // traps, a forged prototype).
  readonly #brand = true;
  constructor(code: YumaErrorCode, message: string, options?: { cause?: unknown }) {
    // The message states the code once: a detail that already starts with one (a wrapped message) loses it.
    const detail = String(message).replace(/^(E_[A-Z]+: )+/, '');
    super(`${code}: ${detail}`, options);
    this.name = 'YumaError';
    this.code = code;
    this.detail = detail;
  }

  /** True for errors this library created (never runs code of the value tested). */
  static isGenuine(e: unknown): e is YumaError {
    return typeof e === 'object' && e !== null && #brand in e;
  }
}

/** True for a `YumaError` this library threw (never runs code of the value tested, unlike `instanceof` on a Proxy). */
export function isYumaError(e: unknown): e is YumaError {
  return YumaError.isGenuine(e);
}

/**
 * What a call lets out when something its checks let through threw midway (a TypeError from a value written into a
 * state from outside, from an engine's odd output): a YumaError as it is, anything else as `E_STATE` saying what
 * stopped, on what, and what became of it (`the block stopped on TypeError: … and was undone`), the error as `cause`,
 * so that callers catch one kind of error and still see the original.
 */
export function stoppedOn(e: unknown, what: string, outcome: string): YumaError {
  return isYumaError(e) ? e : new YumaError('E_STATE', `the ${what} stopped on ${thrownText(e)}${outcome}`, { cause: e });
}
