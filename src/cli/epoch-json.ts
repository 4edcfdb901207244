import type { EpochInputLike, Hyperparams } from '../epoch/types.js';
import { UsageError } from './args.js';

/**
 * An epoch file: a bare `EpochInput` in its JSON form (rao and blocks as decimal strings or numbers, matrices as
 * n rows of n u16, a flat n·n array, or sparse rows of [uid, value]), or `{ input, hyper?, mode?, path? }`
 * (a line of the conformance files works as is). The values themselves are read by the library, exactly as
 * `engine.epoch` reads them: the CLI and the library accept the same inputs.
 */
export interface EpochFile {
  input: EpochInputLike;
  hyper?: Partial<Hyperparams>;
  mode?: 'fixed' | 'float';
  path?: 'sparse' | 'dense';
}

const WRAPPER_KEYS = new Set(['input', 'hyper', 'mode', 'path', 'case', 'output']);

export function decodeEpochFile(json: unknown): EpochFile {
  if (json == null || typeof json !== 'object' || Array.isArray(json)) throw new UsageError('the epoch file must hold a JSON object');
  const obj = json as Record<string, unknown>;
  if (obj.input === undefined) return { input: obj as unknown as EpochInputLike };
  for (const k of Object.keys(obj)) {
    if (!WRAPPER_KEYS.has(k)) throw new UsageError(`unknown field '${k}' beside 'input' (known: input, hyper, mode, path; case and output are ignored)`);
  }
  if (obj.input === null || typeof obj.input !== 'object' || Array.isArray(obj.input)) throw new UsageError('input must be an object');
  const out: EpochFile = { input: obj.input as EpochInputLike };
  if (obj.hyper !== undefined) out.hyper = obj.hyper as Partial<Hyperparams>;
  if (obj.mode !== undefined) out.mode = obj.mode as EpochFile['mode'];
  if (obj.path !== undefined) out.path = obj.path as EpochFile['path'];
  return out;
}
