import { type JsonPath, epochFileMoney } from './json-money.js';
import { YumaError } from '../errors.js';
import type { MechanismPathDivergence, PathDivergence } from '../epoch/divergence.js';
import { surveyPathDivergence, type DivergenceExplainer, type SurveyReport } from '../epoch/divergence-survey.js';
import { toJSON } from '../epoch/json.js';
import { PATH_RULES } from '../epoch/path-rules.js';
import type { EpochInputLike, Hyperparams, NumericMode } from '../epoch/types.js';
import { type FlagSpec, type ParsedArgs, UsageError } from './args.js';
import { decodeEpochFile } from './epoch-json.js';
import { table } from './summary.js';

export const DIVERGE_FLAGS: Record<string, FlagSpec> = {
  random: { kind: 'int', min: 1, max: 100_000, help: 'survey this many random subnets instead of reading an epoch file' },
  seed: { kind: 'int', min: 0, max: 0xffff_ffff, help: 'with --random: random seed; the same seed draws the same subnets (default 1)' },
  'max-uids': { kind: 'int', min: 2, max: 256, help: 'with --random: largest subnet drawn (default 64)' },
  mechanisms: { kind: 'int', min: 1, max: 16, help: 'with --random: mechanisms per subnet (default 1)' },
  examples: { kind: 'string', help: "with --random: write the first subnet on which each cause fires to <value><cause>.json, an epoch file (e.g. --examples out/ex-)" },
  mode: { kind: 'string', choices: ['fixed', 'float'], help: "arithmetic (default: the file's mode, else fixed)" },
  json: { kind: 'boolean', help: 'print JSON instead of the table (one epoch: the whole report, both outputs included)' },
  out: { kind: 'string', help: 'also write the JSON to this file' },
  quiet: { kind: 'boolean', help: 'no progress output' },
  help: { kind: 'boolean', help: 'show this help' },
};

export const DIVERGE_HELP = `
One epoch: runs it on both of the chain's epoch paths — 'sparse' (epoch_mechanism, what the chain runs) and
'dense' (epoch_dense_mechanism, what most of the chain's tests run) — and prints whether their stored outputs
differ, which, per UID, and which path rules cause it (a rule is named only if switching it to the dense
behaviour is needed to make the paths agree). The file is read as by 'epoch' (an EpochInput, or
{ input, hyper?, mode? }; a 'path' in it is ignored: both are run).

--random N: draws N random subnets over the hyper-parameter space (original Yuma, Yuma3, Yuma3 + liquid alpha;
owner and commit-reveal each on half of them) and prints how often the paths differ, how often each rule is a
cause, and how much switching it alone moves dividends.

Path rules (causes):
${PATH_RULES.map((r) => `  ${r.code}`).join('\n')}
`;

export interface DivergeIo {
  stdout: { write(s: string): unknown };
  readJson(path: string, what: string, money?: (path: JsonPath) => boolean): unknown;
  writeOut(path: string, data: string, what: string): void;
  createEngine(): DivergenceExplainer;
  onProgress?: (done: number, total: number) => void;
}

const pct = (x: number, of: number): string => (of === 0 ? '–' : `${((100 * x) / of).toFixed(1)} %`);
const share = (x: number): string => `${(100 * x).toFixed(2)} %`;

/** The table of one epoch's report. */
export function formatDivergence(r: PathDivergence | MechanismPathDivergence): string {
  const out: string[] = [];
  if (!r.differs) return 'The two paths store the same outputs: no divergence.\n';
  out.push(`The paths differ in: ${r.fields.join(', ')}.`);
  out.push(`Dividends the two paths pay to different validators: ${share(r.dividendsMoved)} of the subnet's dividends.`);
  out.push('');
  out.push(
    table(
      ['cause', 'fields it changes alone', 'dividends it moves alone'],
      r.effects.map((e) => [e.code, e.fields.join(', ') || '(none alone)', share(e.dividendsMoved)]),
      2,
    ),
  );
  out.push('');
  for (const e of r.effects) {
    const rule = PATH_RULES.find((p) => p.code === e.code)!;
    out.push(`${rule.code}\n  sparse (chain): ${rule.sparse}\n  dense (tests):  ${rule.dense}`);
  }
  if (r.uids.length > 0) {
    out.push('');
    const cell = (d: { sparse: number | bigint; dense: number | bigint } | undefined) => (d === undefined ? '' : `${d.sparse} → ${d.dense}`);
    out.push(
      table(
        ['UID', 'dividends', 'incentive', 'server emission', 'validator emission', 'bond entries'],
        r.uids.map((u) => [
          String(u.uid),
          cell(u.dividends),
          cell(u.incentive),
          cell(u.serverEmission),
          cell(u.validatorEmission),
          u.bonds === undefined ? '' : u.bonds.slice(0, 3).map((b) => `${b.uid}: ${b.sparse} → ${b.dense}`).join('; ') + (u.bonds.length > 3 ? `; … (${u.bonds.length})` : ''),
        ]),
      ),
    );
    out.push('(sparse → dense; u16 dividends, incentive and bonds, rao emissions)');
  }
  if ('mechanisms' in r) {
    for (const m of r.mechanisms) if (m.fields.length > 0) out.push(`mechanism ${m.mechanism}: ${m.fields.join(', ')} differ`);
  }
  return out.join('\n') + '\n';
}

/** The tables of a survey. */
export function formatSurvey(s: SurveyReport): string {
  const out: string[] = [];
  out.push(
    `${s.count} random subnets (seed ${s.seed}, 2–${s.maxUids} UIDs${s.mechanisms > 1 ? `, ${s.mechanisms} mechanisms` : ''}, ${s.mode} mode): where the two paths differ`,
  );
  out.push('');
  out.push(
    table(
      ['subnets', 'count', 'any output', 'dividends', 'payouts (emission)', 'mean dividends moved'],
      s.groups.map((g) => [g.group, String(g.subnets), pct(g.differ, g.subnets), pct(g.dividendsDiffer, g.subnets), pct(g.payoutsDiffer, g.subnets), share(g.meanDividendsMoved)]),
    ),
  );
  out.push('');
  out.push(
    table(
      ['cause', 'fires', 'of subnets', 'only cause', 'mean dividends moved', 'max'],
      s.causes.map((c) => [c.code, String(c.fires), pct(c.fires, s.count), String(c.alone), share(c.meanDividendsMoved), share(c.maxDividendsMoved)]),
    ),
  );
  out.push('');
  out.push("(dividends moved: share of the subnet's dividends paid to other validators, Σ|Δ dividend| / 2; per cause: with that rule alone switched to the dense behaviour)");
  return out.join('\n') + '\n';
}

/** The survey as JSON (the examples left out: --examples writes them). */
function surveyJson(s: SurveyReport): unknown {
  const { examples, ...rest } = s;
  return { ...rest, examples: Object.fromEntries(Object.entries(examples).map(([k, v]) => [k, v.index])) };
}

export function runDiverge(flags: ParsedArgs['flags'], positionals: string[], io: DivergeIo): number {
  const mode = flags.mode as NumericMode | undefined;
  if (flags.random === undefined) {
    for (const f of ['seed', 'max-uids', 'mechanisms', 'examples']) if (flags[f] !== undefined) throw new UsageError(`--${f} goes with --random`);
    if (positionals.length !== 1) throw new UsageError(positionals.length === 0 ? 'diverge needs an input file or --random N' : 'diverge takes exactly one input file');
    const file = decodeEpochFile(io.readJson(positionals[0], 'epoch input', epochFileMoney));
    let r: PathDivergence | MechanismPathDivergence;
    try {
      r = io.createEngine().explainPathDivergence(file.input as never, file.hyper, { mode: mode ?? file.mode ?? 'fixed' });
    } catch (e) {
      if (e instanceof YumaError) throw new UsageError(`epoch input '${positionals[0]}': ${e.detail}`);
      throw e;
    }
    const json = JSON.stringify(toJSON(r), null, 1) + '\n';
    if (typeof flags.out === 'string') io.writeOut(flags.out, json, 'report');
    io.stdout.write(flags.json ? json : formatDivergence(r));
    return 0;
  }
  if (positionals.length > 0) throw new UsageError(`diverge --random takes no input file (got '${positionals[0]}')`);
  const s = surveyPathDivergence(io.createEngine(), {
    count: flags.random as number,
    seed: (flags.seed as number | undefined) ?? 1,
    mode: mode ?? 'fixed',
    maxUids: (flags['max-uids'] as number | undefined) ?? 64,
    mechanisms: (flags.mechanisms as number | undefined) ?? 1,
    onProgress: io.onProgress,
  });
  const json = JSON.stringify(surveyJson(s), null, 1) + '\n';
  if (typeof flags.out === 'string') io.writeOut(flags.out, json, 'survey');
  if (typeof flags.examples === 'string') {
    for (const [code, ex] of Object.entries(s.examples)) {
      const file: { input: EpochInputLike; hyper: Hyperparams; mode: NumericMode } = { input: ex.input as EpochInputLike, hyper: ex.hyper, mode: s.mode };
      io.writeOut(`${flags.examples}${code}.json`, JSON.stringify(toJSON(file)) + '\n', 'example');
    }
  }
  io.stdout.write(flags.json ? json : formatSurvey(s));
  return 0;
}
