import { YumaError } from '../errors.js';
import { runYumaSimCase, summaryRows, yumaSimCaseFromJson, type CaseRun, type SummaryRow, type YumaSimCase } from '../research/cases.js';
import { renderCasesHtml } from '../research/chart.js';
import { VERSION_INFO, YUMA_VERSIONS, type YumaVersion } from '../research/config.js';
import { type FlagSpec, UsageError, oneLine, parseJsonText } from './args.js';
import { table } from './summary.js';

/** The simulator's 22 cases, shipped as `scenarios/yuma-sim/case-01.json` … `case-22.json`. */
export const CASE_COUNT = 22;

export const CASES_FLAGS: Record<string, FlagSpec> = {
  version: { kind: 'string', help: `versions to run, comma-separated (default all: ${YUMA_VERSIONS.join(',')})` },
  case: { kind: 'string', help: 'cases to run, comma-separated numbers 1–22 or ranges like 5-8 (default all)' },
  'bond-penalty': { kind: 'number', min: 0, max: 1, help: 'bond penalty β for every version (default 0.99, the simulator\'s published charts)' },
  precision: { kind: 'string', choices: ['f64', 'f32'], help: 'arithmetic: f64, or f32 as torch float32 (default f64)' },
  chart: { kind: 'string', help: 'write an HTML page of SVG charts (dividends, bonds, incentive per case and version)' },
  json: { kind: 'string', help: 'write every epoch\'s outputs and the totals as JSON' },
  wide: { kind: 'boolean', help: 'print the summary as the simulator\'s table: a row per case, a column per version and validator (214 columns for all six versions)' },
  markdown: { kind: 'boolean', help: 'print the wide table as Markdown (full case names)' },
  dir: { kind: 'string', help: 'directory of the case files (default: the package\'s scenarios/yuma-sim)' },
  help: { kind: 'boolean', help: 'show this help' },
};

export function parseVersions(flag: unknown): YumaVersion[] {
  if (flag === undefined) return [...YUMA_VERSIONS];
  const list = String(flag).split(',').map((s) => s.trim());
  // an empty entry (',yuma3', 'yuma3,,yuma2') is refused as --case refuses one: a version meant there is missing
  for (const v of list) if (!(YUMA_VERSIONS as readonly string[]).includes(v)) throw new UsageError(`--version: ${v === '' ? 'an empty entry' : `unknown version '${v}'`} (versions: ${YUMA_VERSIONS.join(', ')})`);
  // a version named twice is a slip (another was meant): refused, as --case refuses a case named twice
  const twice = list.find((v, i) => list.indexOf(v) !== i);
  if (twice !== undefined) throw new UsageError(`--version: '${twice}' is named twice`);
  return YUMA_VERSIONS.filter((v) => list.includes(v));
}

export function parseCases(flag: unknown): number[] {
  if (flag === undefined) return Array.from({ length: CASE_COUNT }, (_, i) => i + 1);
  // case → the entry that named it: a case named twice (1,1 or 1-3,2) is refused naming both entries
  const out = new Map<number, string>();
  for (const given of String(flag).split(',').map((s) => s.trim())) {
    const part = given.replace(/^case\s*/i, '');
    const m = /^(\d+)(?:-(\d+))?$/.exec(part);
    const a = m ? Number(m[1]) : NaN;
    const b = m && m[2] !== undefined ? Number(m[2]) : a;
    if (!m || a < 1 || b > CASE_COUNT || b < a) throw new UsageError(`--case: '${part}' is not a case number 1–${CASE_COUNT} or a range like 5-8`);
    for (let i = a; i <= b; i++) {
      const before = out.get(i);
      if (before !== undefined) throw new UsageError(`--case: case ${i} is named twice ('${before}' and '${given}')`);
      out.set(i, given);
    }
  }
  return [...out.keys()].sort((x, y) => x - y);
}

const SHORT_NAME: Record<YumaVersion, string> = { yuma1: 'Yuma 1', yuma2: 'Yuma 2', yuma2b: 'Yuma 2B', yuma2c: 'Yuma 2C', yuma3: 'Yuma 3', 'yuma3-liquid': 'Yuma 3 liquid' };

/** A validator's letter in the case's order (A, B, C, …; past Z its number, as a case file may name more). */
function validatorLetter(i: number): string {
  return i < 26 ? String.fromCharCode(65 + i) : `#${i + 1}`;
}

/** Column label of the wide summary: validator letter and short version name (as the simulator's "Validator A - Yuma 1"). */
function columnLabel(v: YumaVersion, i: number): string {
  return `${validatorLetter(i)} ${SHORT_NAME[v]}`;
}

/** A name from a case file, as one table cell: on one line, and cut to `max` characters. */
function cell(name: string, max: number): string {
  const line = oneLine(name);
  return line.length <= max ? line : `${line.slice(0, max - 1)}…`;
}

/**
 * How `yuma-wasm cases` prints its summary: `rows` (the default) a row per case and validator, a column per
 * version, so all six versions fit a terminal of 100 columns; `wide` the simulator's own table, a row per case and a
 * column per version × validator (18 of them: 214 columns); `markdown` that table in Markdown, with full case names.
 */
export type CasesLayout = 'rows' | 'wide' | 'markdown';

/** The simulator's total-dividends table in one of the layouts; `validators` names a case's validators (rows layout). */
export function formatCasesSummary(rows: Array<SummaryRow & { validators?: readonly string[] }>, versions: readonly YumaVersion[], layout: CasesLayout): string {
  const count = (r: SummaryRow) => Math.max(0, ...versions.map((v) => r.totals[v]?.length ?? 0));
  const total = (r: SummaryRow, v: YumaVersion, i: number) => (r.totals[v]?.[i] === undefined ? '' : r.totals[v]![i].toFixed(4));
  if (layout === 'rows') {
    const head = ['Case', 'Validator', ...versions.map((v) => SHORT_NAME[v])];
    const body = rows.flatMap((r) =>
      Array.from({ length: count(r) }, (_, i) => [
        // the case named on its first row only: the rows below it read as its validators
        i === 0 ? cell(r.caseId, 16) : '',
        `${validatorLetter(i)} ${r.validators?.[i] === undefined ? '' : cell(r.validators[i], 32)}`.trimEnd(),
        ...versions.map((v) => total(r, v, i)),
      ]),
    );
    return table(head, body, 2) + '\n';
  }
  const width = Math.max(1, ...rows.map(count));
  const head = ['Case', ...versions.flatMap((v) => Array.from({ length: width }, (_, i) => columnLabel(v, i)))];
  const body = rows.map((r) => [layout === 'markdown' ? r.caseName : oneLine(r.caseId), ...versions.flatMap((v) => Array.from({ length: width }, (_, i) => total(r, v, i)))]);
  if (layout === 'wide') return table(head, body) + '\n';
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [line(head), line(head.map((_, i) => (i === 0 ? '---' : '---:'))), ...body.map(line)].join('\n') + '\n';
}

function jsonReplacer(_key: string, value: unknown): unknown {
  return value instanceof Float64Array ? Array.from(value) : value;
}

export interface CasesIo {
  stdout: { write(s: string): unknown };
  readFile(path: string): string;
  writeFile(path: string, data: string): void;
  /** Directory holding case-01.json … case-22.json. */
  casesDir: string;
}

export function runCases(flags: Record<string, string | number | boolean>, io: CasesIo): number {
  if (flags.markdown && flags.wide) throw new UsageError('give either --markdown or --wide, not both (--markdown prints the wide table)');
  const versions = parseVersions(flags.version);
  const ids = parseCases(flags.case);
  const dir = (typeof flags.dir === 'string' ? flags.dir : io.casesDir).replace(/\/?$/, '/');
  const precision = (flags.precision as 'f64' | 'f32' | undefined) ?? 'f64';
  const bondPenalty = (flags['bond-penalty'] as number | undefined) ?? 0.99;
  const results: Array<{ c: YumaSimCase; runs: CaseRun[] }> = [];
  for (const n of ids) {
    const path = `${dir}case-${String(n).padStart(2, '0')}.json`;
    let text: string;
    try {
      text = io.readFile(path);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      // a file that is there but too big or not UTF-8 is named for that, not as missing
      const why = code === 'EFBIG' || code === 'EILSEQ' ? `: ${(e as Error).message}` : ' (use --dir to point at the case files)';
      throw new UsageError(`cannot read case file '${path}'${why}`);
    }
    const json = parseJsonText(text, `case file '${path}'`);
    let c: YumaSimCase;
    try {
      c = yumaSimCaseFromJson(json);
    } catch (e) {
      if (e instanceof YumaError) throw new UsageError(`case file '${path}': ${e.detail}`);
      throw e;
    }
    results.push({ c, runs: versions.map((v) => runYumaSimCase(c, v, { precision, config: { bondPenalty } })) });
  }
  const rows = summaryRows(results).map((r, k) => ({ ...r, validators: results[k].c.validators }));
  const layout: CasesLayout = flags.markdown ? 'markdown' : flags.wide ? 'wide' : 'rows';
  io.stdout.write(
    layout === 'markdown'
      ? formatCasesSummary(rows, versions, layout)
      : `Total dividends per 1,000 TAO of stake over each case, per validator and version\n(bond penalty ${bondPenalty}, ${precision}${layout === 'wide' ? '; validators A, B, C in the case\'s order' : ''}):\n\n${formatCasesSummary(rows, versions, layout)}`,
  );
  if (typeof flags.chart === 'string') {
    write(io, flags.chart, renderCasesHtml(results, bondPenalty), 'chart');
    io.stdout.write(`Charts written to ${flags.chart}\n`);
  }
  if (typeof flags.json === 'string') {
    const json = {
      bondPenalty,
      precision,
      versions: versions.map((v) => ({ version: v, name: VERSION_INFO[v].name })),
      cases: results.map(({ c, runs }) => ({ id: c.id, name: c.name, validators: c.validators, servers: c.servers, runs })),
    };
    write(io, flags.json, JSON.stringify(json, jsonReplacer), 'JSON');
    io.stdout.write(`Results written to ${flags.json}\n`);
  }
  return 0;
}

function write(io: CasesIo, path: string, data: string, what: string): void {
  try {
    io.writeFile(path, data);
  } catch (e) {
    throw new UsageError(`cannot write ${what} '${path}': ${(e as Error).message}`);
  }
}
