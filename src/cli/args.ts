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
    throw new UsageError(`${label} is not valid JSON: ${(e as Error).message}${whereInJson(text, (e as Error).message)}`);
  }
}

/**
 * Where a file's JSON went wrong, as a person finds it in an editor (line and column), and the mistake a
 * hand-edited file makes most said plainly: a comma before a closing bracket. JSON.parse gives an offset only for
 * some texts ("at position N"); a trailing comma is found by a scan that skips strings.
 */
function whereInJson(text: string, message: string): string {
  const m = /at position (\d+)/.exec(message);
  const at = m === null ? null : Math.min(Number(m[1]), text.length);
  const comma = trailingComma(text);
  if (comma !== null && (at === null || comma.close >= at)) {
    return ` (${lineColumn(text, comma.at)}: a comma before '${text[comma.close]}' — JSON allows no trailing comma; delete it)`;
  }
  return at === null ? '' : ` (${lineColumn(text, at)})`;
}

function lineColumn(text: string, at: number): string {
  const before = text.slice(0, at);
  return `line ${before.split('\n').length}, column ${at - before.lastIndexOf('\n')}`;
}

/** The first comma outside a string followed (after white space) by '}' or ']': its offset and the bracket's. */
function trailingComma(text: string): { at: number; close: number } | null {
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === ',') {
      let k = i + 1;
      while (k < text.length && ' \t\r\n'.includes(text[k])) k++;
      if (text[k] === '}' || text[k] === ']') return { at: i, close: k };
    }
  }
  return null;
}

/**
 * The choice a mistyped word most likely meant: the one nearest by edits (insert, delete, change, swap two
 * neighbours), at most 2 edits and fewer than half the word's letters, and only when no other choice is as near.
 */
export function nearest(word: string, choices: readonly string[]): string | null {
  let best: string | null = null;
  let bestD = Math.min(2, Math.ceil(word.length / 2) - 1) + 1;
  let tie = false;
  for (const c of choices) {
    const d = editDistance(word, c);
    if (d < bestD) (best = c), (bestD = d), (tie = false);
    else if (d === bestD) tie = true;
  }
  return tie ? null : best;
}

function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 2) return 3;
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
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
      const guess = nearest(name, Object.keys(spec));
      throw new UsageError(`unknown option '${arg.slice(0, eq >= 0 ? eq : undefined)}' for '${command}'${guess === null ? '' : `: did you mean --${guess}?`} (options: ${known})`);
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
