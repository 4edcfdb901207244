import { YumaError } from '../errors.js';

const RAO = 1_000_000_000n;

/**
 * A rao amount as TAO (or alpha) for people, the one rule of every summary and chart: rounded to nearest at `digits`
 * decimals (0–9; halves away from zero), never truncated (1,999,999.999998932 TAO at 0 decimals is 2,000,000, not
 * 1,999,999), the whole part in thousands. A negative amount that rounds to zero prints without its sign. The
 * JSON reports keep the exact integer rao; this is for text only.
 */
export function taoText(rao: bigint | string, digits = 3): string {
  if (!Number.isInteger(digits) || digits < 0 || digits > 9) throw new YumaError('E_RANGE', `digits must be a whole number in [0, 9] (got ${String(digits)})`);
  let v: bigint;
  if (typeof rao === 'bigint') v = rao;
  else if (typeof rao === 'string' && /^-?[0-9]+$/.test(rao)) v = BigInt(rao);
  else throw new YumaError('E_ARG', `a rao amount must be a bigint or a decimal string of whole rao (got ${typeof rao === 'string' ? JSON.stringify(rao.slice(0, 40)) : typeof rao})`);
  const neg = v < 0n;
  const unit = 10n ** BigInt(9 - digits);
  const scaled = ((neg ? -v : v) + unit / 2n) / unit;
  const per = 10n ** BigInt(digits);
  const whole = (scaled / per).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const frac = digits > 0 ? `.${(scaled % per).toString().padStart(digits, '0')}` : '';
  return `${neg && scaled !== 0n ? '-' : ''}${whole}${frac}`;
}

/** A float TAO amount (the report's `dividendsTao`) by the same rule, through whole rao. */
export function taoTextOfFloat(tao: number, digits = 3): string {
  if (typeof tao !== 'number' || !Number.isFinite(tao)) throw new YumaError('E_ARG', `a TAO amount must be a finite number (got ${String(tao)})`);
  return taoText(BigInt(Math.round(tao * 1e9)), digits);
}
