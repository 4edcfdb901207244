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
  // null is refused as any other value outside the choices: read as "absent", a file saying "mode": null would
  // run fixed without a word, where its writer may have meant anything
  if (obj.mode !== undefined) out.mode = choice(obj.mode, 'mode', ['fixed', 'float'] as const);
  if (obj.path !== undefined) out.path = choice(obj.path, 'path', ['sparse', 'dense'] as const);
  return out;
}

function choice<T extends string>(v: unknown, field: string, choices: readonly T[]): T {
  if (typeof v === 'string' && (choices as readonly string[]).includes(v)) return v as T;
  throw new UsageError(`${field} must be ${choices.map((c) => `"${c}"`).join(' or ')} (got ${v === null ? 'null' : typeof v === 'string' ? JSON.stringify(v) : JSON.stringify(v) ?? typeof v}); leave it out for the default`);
}
