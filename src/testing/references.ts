/**
 * The references as `yuma-wasm/testing` exports them: the same functions, taking only what `prepareEpoch` /
 * `prepareMechanismEpoch` made (a look-alike object could send them into arrays of the wrong size).
 */
import { YumaError } from '../errors.js';
import { checkPreparedMechanisms, type PreparedMechanismEpoch } from '../epoch/mechanisms.js';
import { checkPrepared, type PreparedEpoch } from '../epoch/prepare.js';
import { toEpochOutput as toOutput, type RawEpochResult } from '../epoch/result.js';
import type { EpochOutput, MechanismEpochOutput } from '../epoch/types.js';
import { referenceEpoch as floatReference } from '../reference/float/epoch.js';
import { referenceEpochFixed as fixedReference } from '../reference/fixed/epoch.js';
import { referenceEpochWithMechanisms as mechanismsReference } from '../reference/mechanisms.js';
import { typedArrayKind } from '../validation/describe.js';
import { readFields, typedLength } from '../validation/read.js';

/** The f64 reference epoch of a prepared epoch. */
export function referenceEpoch(p: PreparedEpoch): RawEpochResult {
  return floatReference(checkPrepared(p, 'prepared'));
}

/** The BigInt fixed-point reference epoch (bit-exact with the chain) of a prepared epoch. */
export function referenceEpochFixed(p: PreparedEpoch): RawEpochResult {
  return fixedReference(checkPrepared(p, 'prepared'));
}

/** The literal `epoch_with_mechanisms` reference; `runEpoch` computes each mechanism's epoch (one of the two above). */
export function referenceEpochWithMechanisms(pm: PreparedMechanismEpoch, runEpoch: (p: PreparedEpoch) => RawEpochResult): MechanismEpochOutput {
  const q = checkPreparedMechanisms(pm, 'prepared');
  if (typeof runEpoch !== 'function') throw new YumaError('E_ARG', 'runEpoch must be a function (referenceEpoch or referenceEpochFixed)');
  return mechanismsReference(q, (p) => checkRaw(runEpoch(p), p.n));
}

const RAW_FIELDS: ReadonlyArray<[keyof RawEpochResult, string, 'n' | 'nn']> = [
  ['stakeWeight', 'Uint16Array', 'n'], ['consensus', 'Uint16Array', 'n'], ['incentive', 'Uint16Array', 'n'], ['dividends', 'Uint16Array', 'n'],
  ['validatorTrust', 'Uint16Array', 'n'], ['active', 'Uint8Array', 'n'], ['validatorPermit', 'Uint8Array', 'n'], ['bonds', 'Uint16Array', 'nn'],
  ['bondsPresent', 'Uint8Array', 'nn'], ['serverEmission', 'BigUint64Array', 'n'], ['validatorEmission', 'BigUint64Array', 'n'],
  ['consensusF', 'Float64Array', 'n'], ['incentiveF', 'Float64Array', 'n'], ['dividendsF', 'Float64Array', 'n'], ['rankF', 'Float64Array', 'n'],
  ['trustF', 'Float64Array', 'n'], ['validatorTrustF', 'Float64Array', 'n'],
];

/** A raw result of the right kinds and sizes for n UIDs (copied, so later changes to it do not matter). */
function checkRaw(r: unknown, n: number): RawEpochResult {
  const f = readFields(r, 'raw result', RAW_FIELDS.map(([k]) => k));
  const out: Record<string, unknown> = {};
  for (const [k, kind, size] of RAW_FIELDS) {
    const v = f[k];
    if (typedArrayKind(v) !== kind || typedLength(v as ArrayBufferView) !== (size === 'n' ? n : n * n)) {
      throw new YumaError('E_SHAPE', `raw result.${k} must be a ${kind} of ${size === 'n' ? n : n * n}`);
    }
    out[k] = (v as Uint8Array).slice();
  }
  return out as unknown as RawEpochResult;
}

/** A raw result in the public output shape, bonds in the prepared epoch's layout. */
export function toEpochOutput(p: PreparedEpoch, r: RawEpochResult): EpochOutput {
  const q = checkPrepared(p, 'prepared');
  return toOutput(q, checkRaw(r, q.n));
}
