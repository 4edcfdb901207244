import { readsAsWritten } from './json-money.js';

/** A mistake in how the command was called (bad flag, bad file): printed without a stack, exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/**
 * A JSON file's text parsed, or a UsageError naming the file: a leading byte-order mark is named as such (JSON.parse
 * would quote it as an invisible character).
 */
export function parseJsonText(text: string, label: string): unknown {
  if (text.charCodeAt(0) === 0xfeff) throw new UsageError(`${label} starts with a byte-order mark (U+FEFF), which JSON does not allow: save it as UTF-8 without one`);
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new UsageError(`${label} is not valid JSON: ${(e as Error).message}`);
  }
}

/**
 * A message on one line whatever it quotes (a file's text in JSON.parse's excerpt, a path or flag given with a
 * newline or a terminal escape): control and line-separator characters escaped as in a JSON string.
 */
export function oneLine(message: string): string {
  return message.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\ufeff]/g, (c) =>
    c === '\n' ? '\\n' : c === '\r' ? '\\r' : c === '\t' ? '\\t' : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

export type FlagKind = 'int' | 'number' | 'string' | 'boolean';

export interface FlagSpec {
  kind: FlagKind;
  /** Shown in --help. */
  help: string;
  /** Allowed values of a string flag. */
  choices?: readonly string[];
  min?: number;
  /** How the error names `min` when its decimal is no help (1/7200 of a day is 0.000138…). */
  minText?: string;
  max?: number;
}

export interface ParsedArgs {
  flags: Record<string, string | number | boolean>;
  positionals: string[];
}

/** `--name value`, `--name=value`, boolean `--name`; `--` ends flags. Unknown or malformed flags throw UsageError. */
export function parseArgs(argv: string[], spec: Record<string, FlagSpec>, command: string): ParsedArgs {
  // No prototype: a flag named like an Object.prototype member ('constructor', '__proto__') is just unknown.
  const flags: ParsedArgs['flags'] = Object.create(null) as ParsedArgs['flags'];
  const positionals: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith('-') || arg === '-') {
      positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = (eq >= 0 ? arg.slice(0, eq) : arg).replace(/^--?/, '');
    const s = Object.hasOwn(spec, name) ? spec[name] : undefined;
    if (!s) {
      const known = Object.keys(spec).map((k) => `--${k}`).join(' ');
      throw new UsageError(`unknown option '${arg.slice(0, eq >= 0 ? eq : undefined)}' for '${command}' (options: ${known})`);
    }
    if (name in flags) throw new UsageError(`option --${name} given twice`);
    if (s.kind === 'boolean') {
      if (eq >= 0) {
        const v = arg.slice(eq + 1);
        if (v !== 'true' && v !== 'false') throw new UsageError(`--${name} takes no value (or =true/=false), got '${v}'`);
        flags[name] = v === 'true';
      } else flags[name] = true;
      continue;
    }
    let raw: string;
    if (eq >= 0) raw = arg.slice(eq + 1);
    else {
      if (i + 1 >= argv.length || (argv[i + 1].startsWith('--') && argv[i + 1].length > 2)) throw new UsageError(`option --${name} needs a value`);
      raw = argv[++i];
    }
    flags[name] = convert(name, raw, s);
  }
  return { flags, positionals };
}

const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

function convert(name: string, raw: string, s: FlagSpec): string | number {
  if (s.kind === 'string') {
    if (raw === '') throw new UsageError(`option --${name} needs a non-empty value`);
    if (s.choices && !s.choices.includes(raw)) throw new UsageError(`--${name} must be one of ${s.choices.join(', ')} (got '${raw}')`);
    return raw;
  }
  // Number() also reads hex, binary and octal, trims spaces and rounds: a flag value is a decimal number as written
  if (!DECIMAL.test(raw)) throw new UsageError(`--${name} must be a number (got '${raw}')`);
  const v = Number(raw) + 0; // -0 is 0
  if (!Number.isFinite(v)) throw new UsageError(`--${name} must be a number (got '${raw}')`);
  if (s.kind === 'int' && !(Number.isInteger(v) && readsAsWritten(raw.replace(/^\+/, '').replace(/\.$/, '')))) {
    throw new UsageError(`--${name} must be a whole number (got '${raw}')`);
  }
  if (s.min !== undefined && v < s.min) throw new UsageError(`--${name} must be at least ${s.minText ?? s.min} (got ${raw})`);
  if (s.max !== undefined && v > s.max) throw new UsageError(`--${name} must be at most ${s.max} (got ${raw})`);
  return v;
}

/** The --help text of a command's options. */
export function describeFlags(spec: Record<string, FlagSpec>): string {
  const rows = Object.entries(spec).map(([k, s]) => {
    const value = s.kind === 'boolean' ? '' : s.choices ? ` <${s.choices.join('|')}>` : s.kind === 'string' ? ' <value>' : ' <n>';
    return [`  --${k}${value}`, s.help];
  });
  const width = Math.max(...rows.map((r) => r[0].length)) + 2;
  return rows.map(([a, b]) => a.padEnd(width) + b).join('\n');
}
