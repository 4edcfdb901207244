import { YumaError } from '../errors.js';
import { type JsonPath, epochFileMoney, inexactMoney, metagraphMoney, pathText, scenarioMoney } from './json-money.js';
import { BLOCKS_PER_DAY, MODELS, SHARE_MODES, type EpochEngine, type NetworkOptions } from '../sim/config.js';
import { renderChartHtml } from '../sim/chart.js';
import { Network } from '../sim/network.js';
import { scenarioFromJson } from '../sim/scenario.js';
import { SCENARIOS, scenario } from '../sim/scenarios.js';
import { type FlagSpec, type ParsedArgs, UsageError, describeFlags, nearest, oneLine, parseArgs, parseJsonText } from './args.js';
import { fromMetagraph, type MetagraphLike } from '../metagraph/from-metagraph.js';
import { metagraphView } from '../metagraph/view.js';
import { BENCH_HEADER, formatBenchRow, runBench } from './bench.js';
import { CASES_FLAGS, runCases } from './cases.js';
import { DIVERGE_FLAGS, DIVERGE_HELP, runDiverge } from './diverge.js';
import type { Engine } from '../engine.js';
import { toJSON } from '../epoch/json.js';
import { decodeEpochFile } from './epoch-json.js';
import { noDirectory, outputProblem } from './files.js';
import { resolve as resolvePath } from 'node:path';
import { Progress, type ProgressSink } from './progress.js';
import { MODEL_LABEL, formatSummary } from './summary.js';

/** Everything the CLI touches outside itself, so tests can run it in-process. */
export interface CliIo {
  stdout: { write(s: string): unknown };
  stderr: ProgressSink;
  readFile(path: string): string;
  writeFile(path: string, data: string): void;
  createEngine(): EpochEngine & Pick<Engine, 'explainPathDivergence'>;
  now(): number;
  /**
   * The full benchmark suite (bench/benchmark.js), when running from a checkout of the repository; an
   * installed package ships only dist/, and then `bench` falls back to the built-in timing.
   */
  benchSuite?: (opts: { quick: boolean }) => Promise<void>;
  /** Directory of the yuma-simulation case files (`scenarios/yuma-sim` of the package); default relative to the working directory. */
  casesDir?: string;
  /** Why an output file cannot be written at a path, or null (default: `outputProblem`, from the file system). */
  outputProblem?(path: string): string | null;
}

const NAME = 'yuma-wasm';

const MAIN_HELP = `${NAME}: Yuma Consensus epochs in WebAssembly, dTAO pools and a network simulator

Usage:
  ${NAME} simulate [options]     run the network simulator on the chain's block (default: 64 subnets, one day)
  ${NAME} epoch <input.json>     run one subnet epoch and print its EpochOutput as JSON
  ${NAME} bench [--quick]        benchmarks: the bench/ suite in a checkout, else timed engine epochs
  ${NAME} cases [options]        the yuma-simulation cases under every Yuma version: summary table, charts
  ${NAME} diverge <input.json>   where the chain's two epoch paths pay differently, and which rules cause it
  ${NAME} diverge --random N     how often each of those rules fires over N random subnets
  ${NAME} <command> --help       options of a command (or: ${NAME} help <command>)

Exit codes: 0 done; 2 bad usage or bad input (one line on stderr says what to fix); 1 an internal error (a
defect of ${NAME}: the message carries its stack trace).
`;

const SIMULATE_FLAGS: Record<string, FlagSpec> = {
  model: {
    kind: 'string',
    choices: MODELS,
    help: "which block runs: 'head' (subtensor 14bc6f9f, default), 'launch' (dTAO 2025-02: constant product, flat fee) or 'seed' (the seed document: softmax shares, fee-less constant product, 41/41/18)",
  },
  subnets: { kind: 'int', min: 1, max: 1024, help: 'number of subnets (default 64)' },
  uids: { kind: 'int', min: 2, max: 4096, help: 'UID slots per subnet (default 256)' },
  'subnet1-uids': { kind: 'int', min: 0, max: 4096, help: 'UID slots of subnet 1 (default 1024; 0 = same as --uids)' },
  blocks: { kind: 'int', min: 1, max: 10_000_000, help: 'blocks to simulate' },
  days: { kind: 'number', min: 1 / BLOCKS_PER_DAY, minText: `1/${BLOCKS_PER_DAY} (one block)`, max: 1000, help: 'days to simulate, 7200 blocks a day (default 1)' },
  seed: { kind: 'int', min: 0, max: 0xffff_ffff, help: 'random seed; the same seed gives the same report (default 1)' },
  'share-mode': { kind: 'string', choices: SHARE_MODES, help: "how block emission is shared across subnets (default: the model's, moving-price or softmax for seed)" },
  mode: { kind: 'string', choices: ['float', 'fixed'], help: "epoch arithmetic: 'fixed' (bit-exact with the chain, default) or 'float'" },
  mechanisms: { kind: 'int', min: 1, max: 16, help: 'mechanisms (sub-subnets) per subnet, even emission split unless the scenario sets one (default 1)' },
  tempo: { kind: 'int', min: 1, max: 65535, help: 'blocks between a subnet\'s epochs, minus one (default 360)' },
  scenario: { kind: 'string', help: `a built-in scenario (${Object.keys(SCENARIOS).join(', ')}) or a scenario file (JSON); flags given here override it` },
  out: { kind: 'string', help: 'write the full report (JSON) to this file' },
  chart: { kind: 'string', help: 'write an HTML page of SVG charts to this file' },
  top: { kind: 'int', min: 1, max: 1024, help: 'subnets listed in the summary (default 10)' },
  quiet: { kind: 'boolean', help: 'no progress output' },
  help: { kind: 'boolean', help: 'show this help' },
};

const EPOCH_FLAGS: Record<string, FlagSpec> = {
  mode: { kind: 'string', choices: ['fixed', 'float'], help: "arithmetic (default: the file's mode, else fixed)" },
  path: { kind: 'string', choices: ['sparse', 'dense'], help: "chain code path (default: the file's path, else sparse)" },
  compact: { kind: 'boolean', help: 'one-line JSON' },
  metagraph: { kind: 'string', help: "read a metagraph dump (the Python SDK's fields: S, W, B, last_update, …) instead of an epoch file" },
  'last-step': { kind: 'string', help: "with --metagraph: block of the last epoch, at most the dump's block (default: its last_step, else block − blocks_since_last_step, else 0)" },
  emission: { kind: 'string', help: 'with --metagraph: rao to distribute (default: pending_alpha_emission, else the sum of E, else 10^9)' },
  help: { kind: 'boolean', help: 'show this help' },
};

const BENCH_FLAGS: Record<string, FlagSpec> = {
  quick: { kind: 'boolean', help: 'a short run: the suite\'s target rows at their smallest shapes, brief sampling, a 600-epoch memory check (about 8 s of CPU); built-in: 3 timed epochs a row' },
  builtin: { kind: 'boolean', help: 'only the built-in epoch timing, even where the full suite (bench/) exists' },
  help: { kind: 'boolean', help: 'show this help' },
};

/** A sub-command's arguments, or null once it has printed its usage for --help. */
function argsOrHelp(argv: string[], io: CliIo, command: string, flags: Record<string, FlagSpec>, synopsis: string, more = ''): ParsedArgs | null {
  // `-h` or `--help` anywhere before `--` asks for the usage, whatever else the line holds: it is what someone tries
  // when the rest of the line is what they could not get right
  const end = argv.indexOf('--');
  const asked = (end < 0 ? argv : argv.slice(0, end)).some((a) => a === '-h' || a === '--help');
  const args = asked ? null : parseArgs(argv, flags, command);
  if (args !== null && !args.flags.help) return args;
  io.stdout.write(`Usage: ${NAME} ${command} ${synopsis}\n\nOptions:\n${describeFlags(flags)}\n${more}`);
  return null;
}

/**
 * A JSON file, parsed; with `money`, a number literal at one of its money paths that does not read as written
 * (`inexactMoney`) refuses the file, naming it, instead of reaching the library rounded.
 */
function readJson(io: CliIo, path: string, what: string, money?: (path: JsonPath) => boolean): unknown {
  let text: string;
  try {
    text = io.readFile(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : code === 'EACCES' ? 'permission denied' : (e as Error).message;
    throw new UsageError(`cannot read ${what} '${path}': ${why}`);
  }
  const json = parseJsonText(text, `${what} '${path}'`);
  const bad = money === undefined ? null : inexactMoney(text, money);
  if (bad !== null) {
    throw new UsageError(
      `${what} '${path}': ${pathText(bad.path)} is written ${bad.literal}, which reads as ${String(Number(bad.literal))} (a JSON number is a float64); money is read to the rao: write it as a decimal string`,
    );
  }
  return json;
}

/**
 * Refuses output paths that cannot be written before anything runs or is written: each `[flag, path, what]`
 * (`path` undefined when the flag is not given), and two flags naming one file.
 */
function checkOutputs(io: CliIo, outputs: Array<[flag: string, path: string | number | boolean | undefined, what: string]>): void {
  const given = outputs.filter((o): o is [string, string, string] => typeof o[1] === 'string');
  for (const [flag, path, what] of given) {
    const probe = flag === 'examples' ? `${path}x.json` : path;
    const why = (io.outputProblem ?? outputProblem)(probe);
    if (why !== null) throw new UsageError(`cannot write ${what} '${path}${flag === 'examples' ? '…' : ''}': ${why}`);
  }
  for (let i = 0; i < given.length; i++) {
    for (let j = i + 1; j < given.length; j++) {
      if (resolvePath(given[i][1]) === resolvePath(given[j][1])) throw new UsageError(`--${given[i][0]} and --${given[j][0]} name the same file ('${given[j][1]}')`);
    }
  }
}

function writeOut(io: CliIo, path: string, data: string, what: string): void {
  try {
    io.writeFile(path, data);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UsageError(`cannot write ${what} '${path}': ${code === 'ENOENT' ? noDirectory(path) : (e as Error).message}`);
  }
}

function simulate(argv: string[], io: CliIo): number {
  const args = argsOrHelp(argv, io, 'simulate', SIMULATE_FLAGS, '[options]', `\nExample: ${NAME} simulate --days 1 --out report.json --chart report.html\n`);
  if (args === null) return 0;
  const { flags, positionals } = args;
  if (positionals.length > 0) throw new UsageError(`simulate takes no arguments (got '${positionals[0]}'); did you mean --scenario ${positionals[0]}?`);
  if (flags.blocks !== undefined && flags.days !== undefined) throw new UsageError('give either --blocks or --days, not both');
  checkOutputs(io, [['out', flags.out, 'report'], ['chart', flags.chart, 'chart']]);

  let options: Partial<NetworkOptions> = {};
  let blocks = BLOCKS_PER_DAY;
  let name = 'default network';
  if (typeof flags.scenario === 'string') {
    try {
      // A bare name is a built-in scenario (shipped in the package); anything else is a file path.
      const builtIn = Object.prototype.hasOwnProperty.call(SCENARIOS, flags.scenario);
      if (!builtIn && !/[./\\]/.test(flags.scenario)) {
        throw new UsageError(`no built-in scenario '${flags.scenario}' (built in: ${Object.keys(SCENARIOS).join(', ')}); a file path needs a '/' or '.json'`);
      }
      let file: unknown;
      if (!builtIn) {
        try {
          file = readJson(io, flags.scenario, 'scenario file', scenarioMoney);
        } catch (e) {
          // 'cabal.json' for the built-in 'cabal': say which name runs it
          const stem = /^(?:\.\/)?([\w-]+)\.json$/.exec(flags.scenario)?.[1];
          if (e instanceof UsageError && e.message.endsWith(': no such file') && stem !== undefined && Object.prototype.hasOwnProperty.call(SCENARIOS, stem)) {
            throw new UsageError(`${e.message}; the built-in scenario of that name runs with --scenario ${stem}`);
          }
          throw e;
        }
      }
      const sc = builtIn ? scenario(flags.scenario) : scenarioFromJson(file);
      options = sc.network;
      if (sc.blocks !== undefined) blocks = sc.blocks;
      name = `scenario '${sc.name}'`;
    } catch (e) {
      if (e instanceof YumaError) throw new UsageError(`scenario file '${flags.scenario}': ${e.detail}`);
      throw e;
    }
  }
  if (flags.blocks !== undefined) blocks = flags.blocks as number;
  if (flags.days !== undefined) blocks = Math.max(1, Math.round((flags.days as number) * BLOCKS_PER_DAY));
  const set = <K extends keyof NetworkOptions>(flag: string, key: K) => {
    if (flags[flag] !== undefined) options = { ...options, [key]: flags[flag] };
  };
  set('subnets', 'subnets');
  set('uids', 'uidsPerSubnet');
  set('subnet1-uids', 'subnet1Uids');
  set('seed', 'seed');
  set('share-mode', 'shareMode');
  set('mode', 'mode');
  set('tempo', 'tempo');
  set('model', 'model');
  if (flags.mechanisms !== undefined && flags.mechanisms !== options.mechanisms) {
    // as on chain, a new mechanism count resets the emission split to even
    options = { ...options, mechanisms: flags.mechanisms as number, emissionSplit: null };
  }

  const engine = io.createEngine();
  let net: Network;
  try {
    net = new Network({ ...options, engine });
  } catch (e) {
    if (e instanceof YumaError) throw new UsageError(e.detail);
    throw e;
  }
  const o = net.options;
  const quiet = flags.quiet === true;
  if (!quiet) {
    io.stderr.write(
      `Simulating ${name} on ${MODEL_LABEL[o.model]}: ${o.subnets} subnets × ${o.uidsPerSubnet} UIDs${o.subnet1Uids > 0 ? ` (subnet 1: ${o.subnet1Uids})` : ''}, ${blocks} blocks, seed ${o.seed}, ${o.mode} epochs\n`,
    );
  }
  const progress = new Progress(io.stderr, 'simulate', () => io.now());
  const t0 = io.now();
  const report = net.run({ blocks, onProgress: quiet ? undefined : (d, t) => progress.update(d, t) });
  const seconds = (io.now() - t0) / 1000;
  if (!quiet) progress.finish();
  // both rendered before either is written: a chart that cannot be drawn leaves no report behind
  const reportText = typeof flags.out === 'string' ? JSON.stringify(report) : '';
  const chartText = typeof flags.chart === 'string' ? renderChartHtml(report) : '';
  if (typeof flags.out === 'string') writeOut(io, flags.out, reportText, 'report');
  if (typeof flags.chart === 'string') writeOut(io, flags.chart, chartText, 'chart');
  io.stdout.write(formatSummary(report, seconds, (flags.top as number | undefined) ?? 10));
  if (typeof flags.out === 'string') io.stdout.write(`Report written to ${flags.out}\n`);
  if (typeof flags.chart === 'string') io.stdout.write(`Charts written to ${flags.chart}\n`);
  return 0;
}

function epoch(argv: string[], io: CliIo): number {
  const args = argsOrHelp(argv, io, 'epoch', EPOCH_FLAGS, '<input.json> [options]', `\nThe file holds an EpochInput, or { input, hyper?, mode?, path? } (a line of the conformance files works).
Rao amounts may be decimal strings; weights and bonds are n rows of n u16, a flat n·n array, or sparse rows
of [uid, value] — exactly what engine.epoch accepts.
A subnet with mechanisms gives "mechanisms": [{ weights, bonds, lastUpdate, commitBlocks? }, …] (and optionally
"emissionSplit": u16 parts summing to 65535) instead of weights, bonds, lastUpdate and commitBlocks; the output
is then the aggregate the chain stores plus each mechanism's own output under "mechanisms".
Prints the EpochOutput as JSON: u16 vectors, bonds, emissions as decimal strings of rao, and float views.

  ${NAME} epoch --metagraph dump.json [--last-step B] [--emission RAO]
reads the Python SDK's metagraph fields instead (S in TAO, W as floats or u16, B, last_update,
block_at_registration, validator_permit, block, tempo, hyper-parameters by their SDK names), converts them as
the chain stores them, prints what it assumed on stderr, and adds a "metagraph" view (S, R, T, C, I, D, Tv, E…).\n`);
  if (args === null) return 0;
  const { flags, positionals } = args;
  if (typeof flags.metagraph === 'string') return metagraphEpoch(flags, positionals, io);
  if (flags['last-step'] !== undefined || flags.emission !== undefined) throw new UsageError('--last-step and --emission go with --metagraph');
  if (positionals.length !== 1) throw new UsageError(positionals.length === 0 ? 'epoch needs an input file: yuma-wasm epoch <input.json>' : 'epoch takes exactly one input file');
  const given = readJson(io, positionals[0], 'epoch input', epochFileMoney);
  let file;
  try {
    file = decodeEpochFile(given);
  } catch (e) {
    // readJson's own messages name the file already (it said "epoch input 'x': cannot read epoch input 'x': …"); the shape's do not
    if (e instanceof UsageError) throw new UsageError(`epoch input '${positionals[0]}': ${e.message}`);
    throw e;
  }
  const mode = (flags.mode as 'fixed' | 'float' | undefined) ?? file.mode ?? 'fixed';
  const path = (flags.path as 'sparse' | 'dense' | undefined) ?? file.path ?? 'sparse';
  const engine = io.createEngine();
  let out;
  try {
    [out] = engine.epochs([{ input: file.input, hyper: file.hyper }], { mode, path });
  } catch (e) {
    if (e instanceof YumaError) throw new UsageError(`epoch input '${positionals[0]}': ${e.detail.replace(/^batch\[0\]: /, '')}`);
    throw e;
  }
  const json = toJSON(out);
  io.stdout.write(JSON.stringify(json, null, flags.compact ? undefined : 1) + '\n');
  return 0;
}

/** `epoch --metagraph dump.json`: the SDK's metagraph in, the EpochOutput plus its metagraph view out. */
function metagraphEpoch(flags: ParsedArgs['flags'], positionals: string[], io: CliIo): number {
  if (positionals.length > 0) throw new UsageError(`epoch --metagraph takes no input file (got '${positionals[0]}')`);
  const file = flags.metagraph as string;
  const mode = (flags.mode as 'fixed' | 'float' | undefined) ?? 'fixed';
  const path = (flags.path as 'sparse' | 'dense' | undefined) ?? 'sparse';
  const json = readJson(io, file, 'metagraph', metagraphMoney);
  let result;
  try {
    const mg = fromMetagraph(json as MetagraphLike, {
      ...(flags['last-step'] !== undefined ? { lastStepBlock: flags['last-step'] as string } : {}),
      ...(flags.emission !== undefined ? { raoEmission: flags.emission as string } : {}),
    });
    const out = io.createEngine().epochs([{ input: mg.input, hyper: mg.hyper }], { mode, path })[0];
    result = { ...out, metagraph: metagraphView(mg.input, out, { mode }), hyper: mg.hyper, assumptions: mg.assumptions };
  } catch (e) {
    if (e instanceof YumaError) {
      // a refused flag value is named as the flag the user typed, not as the library option it fills
      const flag = /^(lastStepBlock|raoEmission)\b/.exec(e.detail);
      if (flag) throw new UsageError(`${flag[1] === 'lastStepBlock' ? '--last-step' : '--emission'}${e.detail.slice(flag[1].length)}`);
      throw new UsageError(`metagraph '${file}': ${e.detail}`);
    }
    throw e;
  }
  for (const a of result.assumptions) io.stderr.write(`note: ${a}\n`);
  io.stdout.write(JSON.stringify(toJSON(result), null, flags.compact ? undefined : 1) + '\n');
  return 0;
}

function bench(argv: string[], io: CliIo): number | Promise<number> {
  const args = argsOrHelp(argv, io, 'bench', BENCH_FLAGS, '[--quick] [--builtin]', '\nIn a checkout of the repository: the benchmark suite (bench/benchmark.js, as `npm run bench`; a full run\ntakes minutes and rewrites bench/results.json, a quick one writes build/bench/results-quick.json).\nOtherwise (an installed package): times engine.epochs on synthetic subnets of 256 and 1024 UIDs, float and\nfixed, original Yuma and Yuma3 (median wall time of one epoch).\n');
  if (args === null) return 0;
  const { flags, positionals } = args;
  if (positionals.length > 0) throw new UsageError(`bench takes no arguments (got '${positionals[0]}')`);
  if (io.benchSuite && !flags.builtin) return io.benchSuite({ quick: flags.quick === true }).then(() => 0);
  const engine = io.createEngine();
  io.stdout.write(BENCH_HEADER + '\n');
  runBench(engine, () => io.now(), flags.quick === true, (r) => io.stdout.write(formatBenchRow(r) + '\n'));
  return 0;
}

function cases(argv: string[], io: CliIo): number {
  const args = argsOrHelp(argv, io, 'cases', CASES_FLAGS, '[options]', `\nRuns the 22 cases of the yuma-simulation package (scenarios/yuma-sim) under Yuma 1, 2, 2B, 2C, 3 and 3 with
liquid alpha, each with the simulator's parameters, and prints its summary: total dividends per 1,000 TAO of
stake per validator and version.
Example: ${NAME} cases --version yuma2c,yuma3 --case 5-8 --chart cases.html\n`);
  if (args === null) return 0;
  const { flags, positionals } = args;
  if (positionals.length > 0) throw new UsageError(`cases takes no arguments (got '${positionals[0]}'); did you mean --case ${positionals[0]}?`);
  checkOutputs(io, [['chart', flags.chart, 'chart'], ['json', flags.json, 'JSON']]);
  return runCases(flags, { stdout: io.stdout, readFile: io.readFile, writeFile: io.writeFile, casesDir: io.casesDir ?? 'scenarios/yuma-sim' });
}

function diverge(argv: string[], io: CliIo): number {
  const args = argsOrHelp(argv, io, 'diverge', DIVERGE_FLAGS, '<input.json> | --random N [options]', DIVERGE_HELP);
  if (args === null) return 0;
  const { flags, positionals } = args;
  checkOutputs(io, [['out', flags.out, flags.random === undefined ? 'report' : 'survey'], ['examples', flags.examples, 'example']]);
  const quiet = flags.quiet === true || flags.random === undefined;
  const progress = new Progress(io.stderr, 'diverge', () => io.now());
  const code = runDiverge(flags, positionals, {
    stdout: io.stdout,
    readJson: (p, what, money) => readJson(io, p, what, money),
    writeOut: (p, d, what) => writeOut(io, p, d, what),
    createEngine: () => io.createEngine(),
    onProgress: quiet ? undefined : (d, t) => progress.update(d, t),
  });
  if (!quiet) progress.finish();
  return code;
}

const COMMANDS = ['simulate', 'epoch', 'bench', 'cases', 'diverge'];

/**
 * Runs the CLI; returns the exit code (0 ok, 1 internal error, 2 bad usage or bad input). Only the full
 * benchmark suite is asynchronous; everything else returns a number.
 */
export function runCli(argv: string[], io: CliIo): number | Promise<number> {
  const [command, ...rest] = argv;
  try {
    // `help simulate` is `simulate --help`, as in git and npm
    if (command === 'help' && rest.length === 1 && COMMANDS.includes(rest[0])) return runCli([rest[0], '--help'], io);
    if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
      io.stdout.write(MAIN_HELP);
      return command === undefined ? 2 : 0;
    }
    if (command === '--version') {
      io.stdout.write('yuma-wasm 0.1.0\n');
      return 0;
    }
    if (command === 'simulate') return simulate(rest, io);
    if (command === 'epoch') return epoch(rest, io);
    if (command === 'bench') return bench(rest, io);
    if (command === 'cases') return cases(rest, io);
    if (command === 'diverge') return diverge(rest, io);
    const guess = nearest(command, [...COMMANDS, 'help']);
    throw new UsageError(`unknown command '${command}'${guess === null ? '' : `: did you mean '${guess}'?`} (commands: ${COMMANDS.join(', ')})`);
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr.write(`${NAME}: ${oneLine(e.message)}\nRun '${NAME} ${command && COMMANDS.includes(command) ? command + ' ' : ''}--help' for usage.\n`);
      return 2;
    }
    if (e instanceof YumaError) {
      io.stderr.write(`${NAME}: ${oneLine(e.message)}\n`);
      return 2;
    }
    io.stderr.write(`${NAME}: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    return 1;
  }
}
