import { YumaError } from '../errors.js';
import { describe, show } from '../validation/describe.js';
import { readFields, readList, readOptions } from '../validation/read.js';
import { toBool, toFinite, toInt, toName } from '../validation/values.js';
import { PYTHON_KEYS, checkVersion, resolveConfig, type YumaConfig, type YumaVersion } from './config.js';
import { MAX_CASE_CELLS, MAX_EPOCHS, readVector } from './input.js';
import type { YumaEpochResult, YumaOptions } from './epoch.js';
import { resetsBonds, simulateCase, type ResetBonds } from './simulate.js';

/**
 * One of the simulator's scenario cases as data (`scenarios/yuma-sim/case-01.json` … `case-22.json`): who votes for which
 * server in each epoch, with which stake, and whether the case resets a bond column.
 */
export interface YumaSimCase {
  /** "Case 1" … "Case 22". */
  id: string;
  /** The case's title, e.g. "Case 1 - kappa moves first". */
  name: string;
  /** Validator names, in row order. */
  validators: string[];
  /** Server names, in column order. */
  servers: string[];
  /** The validator the simulator's charts compare the others with. */
  baseValidator: string;
  /** The case's bond reset (the simulator applies it to Yuma 2C and Yuma 3 only). */
  resetBonds: ResetBonds | null;
  /** The case's own config overrides (`get_config_overrides`, e.g. winner-takes-all). */
  config: Partial<YumaConfig>;
  /** weights[epoch][validator][server]. */
  weights: number[][][];
  /** stakes[epoch][validator]. */
  stakes: number[][];
}

/** The format the case files declare (`format`), the only one `yumaSimCaseFromJson` reads. */
const CASE_FORMAT = 'yuma-wasm/yuma-sim-case/1';

const CASE_FILE_KEYS = ['format', 'id', 'name', 'source', 'validators', 'servers', 'baseValidator', 'resetBonds', 'config', 'weights', 'stakes'] as const;

/** Checks a parsed scenario file and returns the case (throws YumaError naming the bad field). */
export function yumaSimCaseFromJson(json: unknown): YumaSimCase {
  const f = readOptions(json, 'case', CASE_FILE_KEYS, true);
  // a file of another format (or a later one) would be read as this one without a word
  if (f.format !== undefined && f.format !== CASE_FORMAT) throw new YumaError('E_ARG', `case.format must be '${CASE_FORMAT}' (got ${show(f.format)})`);
  if (f.source !== undefined && (f.source === null || typeof f.source !== 'object' || Array.isArray(f.source))) {
    throw new YumaError('E_ARG', `case.source must be an object (where the case comes from; got ${describe(f.source)})`);
  }
  const names = (k: 'validators' | 'servers') => {
    const list = readList(f[k], `case.${k}`, 4096);
    if (list.length === 0) throw new YumaError('E_SHAPE', `case.${k} is empty`);
    return list.map((x, i) => toName(x, `case.${k}[${i}]`));
  };
  const c: YumaSimCase = {
    id: toName(f.id, 'case.id'),
    name: toName(f.name, 'case.name'),
    validators: names('validators'),
    servers: names('servers'),
    baseValidator: toName(f.baseValidator, 'case.baseValidator'),
    resetBonds: (f.resetBonds ?? null) as ResetBonds | null,
    config: (f.config ?? {}) as Partial<YumaConfig>,
    weights: f.weights as number[][][],
    stakes: f.stakes as number[][],
  };
  if (!c.validators.includes(c.baseValidator)) throw new YumaError('E_ARG', `case.baseValidator '${c.baseValidator}' is not one of its validators`);
  resolveConfig('yuma1', c.config);
  // Shapes, values and the reset are checked by a dry run of one version.
  const first = simulateCase({ version: 'yuma3', weights: c.weights, stakes: c.stakes, resetBonds: c.resetBonds })[0];
  if (first.stake.length !== c.validators.length || first.serverIncentive.length !== c.servers.length) {
    throw new YumaError('E_SHAPE', `case weights are ${first.stake.length}×${first.serverIncentive.length}, its names say ${c.validators.length} validators × ${c.servers.length} servers`);
  }
  return c;
}

/** Options of `runYumaSimCase`. */
export interface CaseRunOptions extends Pick<YumaOptions, 'precision' | 'degenerateConsensus' | 'nonFinite' | 'legacyConsensus'> {
  /** Config on top of the version's defaults, under the case's own overrides (as the simulator layers them). */
  config?: Partial<YumaConfig>;
}

/** One case under one version. */
export interface CaseRun {
  /** The version run. */
  version: YumaVersion;
  /** The effective configuration. */
  config: YumaConfig;
  /** One result per epoch. */
  epochs: YumaEpochResult[];
  /** Dividend per 1,000 TAO of stake per epoch, [validator][epoch] (the simulator's chart value). */
  dividendsPer1000Tao: number[][];
  /** Their sum over the case's epochs, per validator (the simulator's total-dividends table). */
  totalDividends: number[];
}

/**
 * Runs a case like `_run_simulation`: the version's defaults, then `options.config`, then the case's own
 * overrides; the case's bond reset where the simulator applies one (Yuma 2C, 3, 3 liquid).
 */
export function runYumaSimCase(c: YumaSimCase, version: YumaVersion, options: CaseRunOptions = {}): CaseRun {
  const v = checkVersion(version);
  const o = readOptions(options, 'options', RUN_OPTION_KEYS);
  // The case is read once and checked like any caller value (it need not come from yumaSimCaseFromJson).
  const f = readOptions(c, 'case', CASE_KEYS, true);
  const names = (k: 'validators' | 'servers') => readList(f[k], `case.${k}`, 4096).map((x, i) => toName(x, `case.${k}[${i}]`));
  const validators = names('validators');
  const servers = names('servers');
  const config = resolveConfig(v, { ...readOptions(o.config, 'options.config', CONFIG_KEYS), ...readOptions(f.config, 'case.config', CONFIG_KEYS) });
  // Stakes copied once: the run and the dividends read the same values. Their total is bounded as it grows (each
  // epoch's stakes are one per validator, so a case within its cell limit holds no more): the reading stops there
  // instead of copying every epoch before simulateCase sees the case's size.
  let entries = 0;
  const stakes = readList(f.stakes, 'case.stakes', MAX_EPOCHS).map((x, e) => {
    const s = readVector(x, `case.stakes[${e}]`, null, true);
    entries += s.length;
    if (entries > MAX_CASE_CELLS) throw new YumaError('E_LIMIT', `case.stakes[${e}] brings the stakes to ${entries} entries, more than the ${MAX_CASE_CELLS} cells a case may hold`);
    return s;
  });
  const numerics = { precision: o.precision, degenerateConsensus: o.degenerateConsensus, nonFinite: o.nonFinite, legacyConsensus: o.legacyConsensus } as CaseRunOptions;
  const reset = readCaseReset(f.resetBonds, stakes.length);
  const epochs = simulateCase({ version: v, weights: f.weights as number[][][], stakes, config, resetBonds: resetsBonds(v) ? reset : null, ...numerics });
  if (reset !== null && reset.column >= epochs[0].serverIncentive.length) throw new YumaError('E_RANGE', `case.resetBonds.column must be in [0, ${epochs[0].serverIncentive.length - 1}] (got ${reset.column})`);
  if (epochs[0].stake.length !== validators.length || epochs[0].serverIncentive.length !== servers.length) {
    throw new YumaError('E_SHAPE', `case weights are ${epochs[0].stake.length}×${epochs[0].serverIncentive.length}, its names say ${validators.length} validators × ${servers.length} servers`);
  }
  const f32 = o.precision === 'f32';
  const dividendsPer1000Tao = validators.map((_, i) => epochs.map((r, e) => dividend(stakes[e][i], r.validatorRewardNormalized[i], config, f32)));
  const totalDividends = dividendsPer1000Tao.map((d) => d.reduce((a, b) => a + b, 0));
  const over = totalDividends.findIndex((t) => !Number.isFinite(t));
  if (over >= 0) throw new YumaError('E_RANGE', `validator ${over}'s total dividend over ${epochs.length} epochs overflows float64 (config.totalEpochEmission ${show(config.totalEpochEmission)})`);
  const run: CaseRun = { version: v, config, epochs, dividendsPer1000Tao, totalDividends };
  // What the charts and the summary show of this run: copies made now, so neither the caller's case nor the
  // returned run (both theirs to change) can put other values, or markup, into them later.
  const shown: YumaSimCase = {
    id: toName(f.id, 'case.id'),
    name: toName(f.name, 'case.name'),
    validators,
    servers,
    baseValidator: toName(f.baseValidator, 'case.baseValidator'),
    resetBonds: reset,
    config,
    weights: new Array(epochs.length).fill([]),
    stakes: stakes as unknown as number[][],
  };
  const kept: CaseRun = { version: v, config, epochs: epochs.slice(), dividendsPer1000Tao: dividendsPer1000Tao.map((d) => d.slice()), totalDividends: totalDividends.slice() };
  RUN_CASE.set(run, { caller: c, shown, run: kept });
  return run;
}

const CASE_KEYS = ['id', 'name', 'validators', 'servers', 'baseValidator', 'resetBonds', 'config', 'weights', 'stakes'] as const;
const RUN_OPTION_KEYS = ['config', 'precision', 'degenerateConsensus', 'nonFinite', 'legacyConsensus'] as const;
const CONFIG_KEYS = Object.keys(PYTHON_KEYS) as Array<keyof YumaConfig>;

/** A case's bond reset, checked whichever version runs (the epoch against the case's length; the column after the run). */
function readCaseReset(value: unknown, epochs: number): ResetBonds | null {
  if (value === undefined || value === null) return null;
  const r = readOptions(value, 'case.resetBonds', ['epoch', 'column'] as const, true);
  return { epoch: toInt(r.epoch, 'case.resetBonds.epoch', 0, epochs - 1), column: toInt(r.column, 'case.resetBonds.column', 0, 4095) };
}

/**
 * Each run `runYumaSimCase` made: the case object it was given (results must pair the run with that very object),
 * and copies of the case and run as they were then, which `summaryRows` and the charts show.
 */
const RUN_CASE = new WeakMap<object, { caller: unknown; shown: YumaSimCase; run: CaseRun }>();

/**
 * Results as `summaryRows` and `renderCasesHtml` take them, checked: a list of `{ c, runs }` where each run was
 * made by `runYumaSimCase` on that very case object (E_ARG otherwise), so the sizes of cases and runs agree.
 */
export function readCaseResults(results: unknown, where: string): Array<{ c: YumaSimCase; runs: CaseRun[] }> {
  return readList(results, where, 1 << 16).map((entry, i) => {
    const e = readOptions(entry, `${where}[${i}]`, ['c', 'runs'], true);
    let shown: YumaSimCase | null = null;
    const runs = readList(e.runs, `${where}[${i}].runs`, 64).map((r, j) => {
      const made = typeof r === 'object' && r !== null ? RUN_CASE.get(r) : undefined;
      if (made === undefined || made.caller !== e.c) {
        throw new YumaError('E_ARG', `${where}[${i}].runs[${j}] is not a run of this case (make it with runYumaSimCase(c, version))`);
      }
      shown ??= made.shown;
      return made.run;
    });
    if (shown === null) throw new YumaError('E_SHAPE', `${where}[${i}].runs is empty`);
    return { c: shown, runs };
  });
}

/**
 * `_compute_dividend_for_validator`: the validator's emission (validatorEmissionRatio · D_norm ·
 * totalEpochEmission) per 1,000 TAO of its stake (stake · totalSubnetStake / 1000), 0 below 1e-6 units.
 * The stake is the case's raw stake (the cases give stake shares that sum to 1).
 */
export function dividendPer1000Tao(stake: number, rewardNormalized: number, cfg: YumaConfig, f32 = false): number {
  stake = toFinite(stake, 'stake');
  rewardNormalized = toFinite(rewardNormalized, 'rewardNormalized');
  const given = readFields(cfg, 'cfg', ['totalSubnetStake', 'validatorEmissionRatio', 'totalEpochEmission']);
  cfg = {
    totalSubnetStake: toFinite(given.totalSubnetStake, 'cfg.totalSubnetStake'),
    validatorEmissionRatio: toFinite(given.validatorEmissionRatio, 'cfg.validatorEmissionRatio'),
    totalEpochEmission: toFinite(given.totalEpochEmission, 'cfg.totalEpochEmission'),
  } as YumaConfig;
  return dividend(stake, rewardNormalized, cfg, toBool(f32, 'f32'));
}

function dividend(stake: number, rewardNormalized: number, cfg: YumaConfig, f32: boolean): number {
  const q = f32 ? Math.fround : (x: number) => x;
  for (const k of ['totalSubnetStake', 'totalEpochEmission'] as const) {
    if (!Number.isFinite(q(cfg[k]))) throw new YumaError('E_RANGE', `config.${k} (${show(cfg[k])}) is beyond float32's range: precision 'f32' reads it as Infinity`);
  }
  const units = q(q(q(stake) * q(cfg.totalSubnetStake)) / 1000);
  const emission = q(q(q(cfg.validatorEmissionRatio) * rewardNormalized) * q(cfg.totalEpochEmission));
  const d = units > 1e-6 ? emission / units : 0;
  // the simulator's floats would carry inf or nan into its totals; a dividend is a finite number here, or refused
  if (!Number.isFinite(d)) {
    throw new YumaError(
      'E_RANGE',
      `the dividend per 1,000 TAO overflows ${f32 ? 'float32' : 'float64'} (totalEpochEmission ${show(cfg.totalEpochEmission)}, totalSubnetStake ${show(cfg.totalSubnetStake)}, stake ${show(stake)})`,
    );
  }
  return d;
}

/** The simulator's table layout: validators as "Validator A", "Validator B", … */
export function validatorLetter(i: number): string {
  i = toInt(i, 'i', 0, 25); // A to Z
  return `Validator ${String.fromCharCode(65 + i)}`;
}

/** One row of the total-dividends table: one case, every version run. */
export interface SummaryRow {
  /** "Case 1" … */
  caseId: string;
  /** The case's title. */
  caseName: string;
  /** totals[version][validator]: total dividends per 1,000 TAO over the case. */
  totals: Partial<Record<YumaVersion, number[]>>;
}

/** The rows of `_generate_total_dividends_table` for these runs (one row per case, one column per version × validator). */
export function summaryRows(runs: Array<{ c: YumaSimCase; runs: CaseRun[] }>): SummaryRow[] {
  return readCaseResults(runs, 'runs').map(({ c, runs: rs }) => ({
    caseId: c.id,
    caseName: c.name,
    totals: Object.fromEntries(rs.map((r) => [r.version, r.totalDividends])),
  }));
}
