/**
 * Money in a JSON file is read to the rao, but `JSON.parse` rounds a number literal a float64 cannot hold to the
 * nearest one without a word (9007199254740993 → 9007199254740992, 4.9999999999999999 → 5, a TAO amount with 17
 * significant digits → 16). The CLI finds such literals at the paths that hold money and refuses the file.
 */

/** A path in a JSON document: object keys and array indices from the top. */
export type JsonPath = ReadonlyArray<string | number>;

/** Longest literal compared digit by digit; a longer one (hundreds of digits of rao) is refused. */
const MAX_LITERAL = 400;

/**
 * The first number literal of `text` (valid JSON, already parsed) at a path `money` accepts that does not read as
 * written (`readsAsWritten`), with its path; null when there is none. One pass over the text (strings skipped whole).
 */
export function inexactMoney(text: string, money: (path: JsonPath) => boolean): { path: JsonPath; literal: string } | null {
  const token = /"(?:[^"\\]|\\.)*"|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|[{}[\],:]|true|false|null|\s+/y;
  const path: Array<string | number> = [];
  const inObject: boolean[] = [];
  let wantKey = false;
  while (token.lastIndex < text.length) {
    const at = token.lastIndex;
    const m = token.exec(text);
    if (m === null) return null; // not JSON after all: JSON.parse has the last word
    const t = m[0];
    const c = t.charCodeAt(0);
    if (c === 0x7b /* { */) {
      inObject.push(true);
      path.push('');
      wantKey = true;
    } else if (c === 0x5b /* [ */) {
      inObject.push(false);
      path.push(0);
      wantKey = false;
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
      inObject.pop();
      path.pop();
      wantKey = false;
    } else if (c === 0x2c /* , */) {
      if (inObject[inObject.length - 1]) wantKey = true;
      else (path[path.length - 1] as number)++;
    } else if (c === 0x22 /* " */) {
      if (wantKey) {
        path[path.length - 1] = JSON.parse(t) as string;
        wantKey = false;
      }
    } else if (c === 0x2d || (c >= 0x30 && c <= 0x39)) {
      if (money(path) && !readsAsWritten(t)) return { path: [...path], literal: t };
    }
    if (token.lastIndex === at) return null;
  }
  return null;
}

/**
 * Whether a number literal reads as written: its decimal value is that of the float64 `JSON.parse` makes of it,
 * written shortest (what `String(number)` gives, and what the library reads a TAO float as). `1e3`, `0.1` and
 * `1547863.845838995` do; `9007199254740993` (→ …992), `4.9999999999999999` (→ 5) and `1e400` do not.
 */
export function readsAsWritten(literal: string): boolean {
  const v = Number(literal);
  if (!Number.isFinite(v) || literal.length > MAX_LITERAL) return false;
  const written = decimalValue(literal);
  return written !== null && written === decimalValue(String(Math.abs(v)));
}

/** A decimal literal's value as `digits` `e` `exponent`, digits without leading or trailing zeros ('0' for zero). */
function decimalValue(text: string): string | null {
  const m = /^-?(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/.exec(text);
  if (m === null) return null;
  const all = (m[1] + (m[2] ?? '')).replace(/^0+/, '');
  if (all === '') return '0';
  const digits = all.replace(/0+$/, '');
  return `${digits}e${Number(m[3] ?? '0') - (m[2]?.length ?? 0) + all.length - digits.length}`;
}

/** A path as a message shows it: `input.stake[3]`. */
export function pathText(path: JsonPath): string {
  return path.map((k, i) => (typeof k === 'number' ? `[${k}]` : i === 0 ? k : `.${k}`)).join('');
}

/** Rao in an epoch file (bare or `{ input, hyper }`): the stakes, the emission and the stake threshold. */
export function epochFileMoney(path: JsonPath): boolean {
  const p = path[0] === 'input' ? path.slice(1) : path;
  if (p.length === 2 && p[0] === 'stake' && typeof p[1] === 'number') return true;
  if (p.length === 1 && p[0] === 'raoEmission') return true;
  return path.length === 2 && path[0] === 'hyper' && path[1] === 'stakeThreshold';
}

const METAGRAPH_TAO_LISTS = new Set(['S', 'stake', 'total_stake', 'E', 'emission']);

/** TAO in a metagraph dump: the stakes, the emissions, the pending emission and the stake threshold. */
export function metagraphMoney(path: JsonPath): boolean {
  if (path.length === 2 && typeof path[1] === 'number') return METAGRAPH_TAO_LISTS.has(path[0] as string);
  if (path.length === 1) return path[0] === 'pending_alpha_emission' || path[0] === 'stake_threshold';
  return path.length === 2 && (path[0] === 'hparams' || path[0] === 'hyperparameters') && path[1] === 'stake_threshold';
}

/** Rao in a scenario file: the starting issuance and the stake threshold. */
export function scenarioMoney(path: JsonPath): boolean {
  if (path.length === 2) return path[0] === 'network' && path[1] === 'issuanceStart';
  return path.length === 3 && path[0] === 'network' && path[1] === 'hyper' && path[2] === 'stakeThreshold';
}
