import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, extname, join, relative } from 'node:path';
import ts from 'typescript';
import { launchChromium } from './helpers/chromium.js';
import { README_DENSE_INPUT } from './helpers/readme-epoch.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The published bundle must work from Node ESM, Node CJS and a browser with no file-system access to the .wasm
// (it is inlined), and as a package installed in another project. Build it once with the project's tsup config
// into a temporary package directory (`stage`, which gets the rest of the package's files later) and use it all ways.
const root = new URL('..', import.meta.url).pathname;
const stage = mkdtempSync(join(tmpdir(), 'yuma-package-'));
const out = join(stage, 'dist');

beforeAll(() => {
  execFileSync(join(root, 'node_modules/.bin/tsup'), ['--out-dir', out, '--silent'], { cwd: root, stdio: 'pipe' });
}, 300_000);
afterAll(() => rmSync(stage, { recursive: true, force: true }));

// One small epoch whose answer is known by hand: two validators (stake 2:1) both put all their weight on miner 2.
const SCRIPT_BODY = `
  const engine = createEngineSync();
  const out = engine.epoch({
    n: 3, currentBlock: 100, tempo: 360, lastStepBlock: 0,
    stake: [2000n, 1000n, 0n], weights: [[[2, 65535]], [[2, 65535]], []], bonds: [[], [], []],
    lastUpdate: [99, 99, 99], blockAtRegistration: [1, 1, 1], validatorPermit: [true, true, false],
    raoEmission: 1000000000n,
  });
  const pool = Pool.genesis({ tao: 1000n * RAO, alpha: 500n * RAO });
  const result = JSON.stringify({ incentive: Array.from(out.incentive), consensus: Array.from(out.consensus),
    alphaOut: pool.stake(1000n * RAO).alphaOut.toString() });
`;
const EXPECTED = { incentive: [0, 0, 65535], consensus: [0, 0, 65535], alphaOut: '250000000000' };

describe('dist bundle', () => {
  it('has every file the package.json exports point at', () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
    const targets: string[] = [];
    const walk = (v: unknown) => {
      if (typeof v === 'string') targets.push(v);
      else if (v && typeof v === 'object') Object.values(v).forEach(walk);
    };
    walk(pkg.exports);
    for (const t of targets.filter((t) => t.startsWith('./dist/'))) expect(existsSync(join(out, t.slice('./dist/'.length))), t).toBe(true);
    expect(existsSync(join(out, pkg.bin['yuma-wasm'].slice('./dist/'.length)))).toBe(true);
    // No .wasm file to resolve at run time: it is inlined, in index.js or a chunk it imports (the main and
    // research entries share the loader's chunk).
    expect(readdirSync(out).filter((f) => f.endsWith('.wasm'))).toEqual([]);
    const index = readFileSync(join(out, 'index.js'), 'utf8');
    const chunks = [...index.matchAll(/from\s*["']\.\/(chunk-[\w-]+\.js)["']/g)].map((m) => readFileSync(join(out, m[1]), 'utf8'));
    expect([index, ...chunks].some((code) => code.includes('AGFzbQ'))).toBe(true);
  });

  it('works from Node ESM', () => {
    const code = `import { createEngineSync, Pool, RAO } from ${JSON.stringify(join(out, 'index.js'))};${SCRIPT_BODY}console.log(result);`;
    const got = execFileSync(process.execPath, ['--input-type=module', '-e', code], { encoding: 'utf8' });
    expect(JSON.parse(got)).toEqual(EXPECTED);
  });

  it('works from Node CJS', () => {
    const code = `const { createEngineSync, Pool, RAO } = require(${JSON.stringify(join(out, 'index.cjs'))});${SCRIPT_BODY}console.log(result);`;
    const got = execFileSync(process.execPath, ['-e', code], { encoding: 'utf8' });
    expect(JSON.parse(got)).toEqual(EXPECTED);
  });

  // yuma-wasm/research: one Yuma 3 epoch whose answer is known by hand. Stakes 3:1, each validator backs its own
  // server; the κ = ½ consensus keeps only server 0 (C = [1, 0]), so it takes all incentive and validator 0
  // all dividends (1 less the simulator's 1e-6 epsilons in its normalisations); each bond moves 1 − 0.975 =
  // 0.025 of the way toward the (row-normalised) weight.
  const RESEARCH_BODY = `
    const [r] = simulateCase({ version: 'yuma3', weights: [[[1, 0], [0, 1]]], stakes: [[3, 1]] });
    const round = (a) => Array.from(a, (x) => Math.round(x * 1e6) / 1e6);
    const result = JSON.stringify({ incentive: round(r.serverIncentive), dividends: round(r.validatorRewardNormalized),
      bonds: r.validatorBonds.map(round), error: (() => { try { simulateCase({ version: 'yuma9' }); } catch (e) { return e.code; } })() });
  `;
  const RESEARCH_EXPECTED = { incentive: [1, 0], dividends: [0.999999, 0], bonds: [[0.025, 0], [0, 0.025]], error: 'E_ARG' };

  it('yuma-wasm/research works from Node ESM', () => {
    const code = `import { simulateCase } from ${JSON.stringify(join(out, 'research.js'))};${RESEARCH_BODY}console.log(result);`;
    const got = execFileSync(process.execPath, ['--input-type=module', '-e', code], { encoding: 'utf8' });
    expect(JSON.parse(got)).toEqual(RESEARCH_EXPECTED);
  });

  it('yuma-wasm/research works from Node CJS', () => {
    const code = `const { simulateCase } = require(${JSON.stringify(join(out, 'research.cjs'))});${RESEARCH_BODY}console.log(result);`;
    const got = execFileSync(process.execPath, ['-e', code], { encoding: 'utf8' });
    expect(JSON.parse(got)).toEqual(RESEARCH_EXPECTED);
  });

  describe('in a browser', () => {
    let server: Server;
    let base = '';
    beforeAll(async () => {
      writeFileSync(
        join(out, 'page.html'),
        `<!doctype html><script type="module">
          import { createEngine, createEngineSync, Pool, RAO } from './index.js';
          try { await createEngine(); ${SCRIPT_BODY} window.__result = result; } catch (e) { window.__result = 'error: ' + e; }
          for (const make of [() => createEngine({ threads: 2 }), async () => createEngineSync({ threads: 2 })]) {
            try { await make(); window.__threads = [...(window.__threads ?? []), 'an engine']; }
            catch (e) { window.__threads = [...(window.__threads ?? []), e.name + ' ' + e.code]; }
          }
        </script>`,
      );
      const types: Record<string, string> = { '.js': 'text/javascript', '.html': 'text/html', '.map': 'application/json' };
      server = createServer((req, res) => {
        const file = join(out, (req.url ?? '/').split('?')[0]);
        if (!file.startsWith(out) || !existsSync(file)) {
          res.writeHead(404).end();
          return;
        }
        res.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream' }).end(readFileSync(file));
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

    it('loads the ESM bundle in headless Chromium and runs an epoch; threads: 2 is refused there with E_ARG (createEngine and createEngineSync)', async () => {
      const browser = await launchChromium();
      try {
        const page = await browser.newPage();
        const errors: string[] = [];
        page.on('pageerror', (e) => errors.push(e.message));
        await page.goto(`${base}/page.html`);
        await page.waitForFunction(() => (window as unknown as { __result?: string }).__result !== undefined, undefined, { timeout: 20_000 });
        const result = await page.evaluate(() => (window as unknown as { __result: string }).__result);
        expect(errors).toEqual([]);
        expect(JSON.parse(result)).toEqual(EXPECTED);
        await page.waitForFunction(() => (window as unknown as { __threads?: string[] }).__threads?.length === 2, undefined, { timeout: 20_000 });
        expect(await page.evaluate(() => (window as unknown as { __threads: string[] }).__threads)).toEqual(['YumaError E_ARG', 'YumaError E_ARG']);
      } finally {
        await browser.close();
      }
    });
  });
});

// A separate project installs the packed tarball (`npm pack` of the staged package: what `files` ships) with
// `npm install --offline` from local tarballs only — an empty npm cache and an unreachable registry, so nothing is
// fetched — then compiles one program under strict TypeScript (no skipLibCheck, exactOptionalPropertyTypes,
// noUncheckedIndexedAccess) as ESM and as CJS, runs both, and runs the installed bin.
const CONSUMER = `
import { createEngineSync, fromJSON, fromMetagraph, isYumaError, metagraphView, scenario, SCENARIOS, toJSON, type EpochInputLike, type EpochOutput } from 'yuma-wasm';
import { arbEpochInput, arbHyperparams, assertEpochInvariants, createReferenceEngine } from 'yuma-wasm/testing';
import { simulateCase, YUMA_VERSIONS, type YumaEpochResult } from 'yuma-wasm/research';
import * as fc from 'fast-check';

const engine = createEngineSync();
// The README's 4-UID epoch in its JSON spellings: dense rows, rao as decimal strings.
const input: EpochInputLike = ${JSON.stringify(README_DENSE_INPUT)};
const out: EpochOutput = engine.epoch(input, { kappa: 32767 }, { mode: 'fixed', path: 'sparse' });
const text: string = JSON.stringify(toJSON(out));
const back: EpochOutput = fromJSON(JSON.parse(text));
const reference: EpochOutput = createReferenceEngine().epoch(input);

// The same subnet as the Python SDK shows it: S in TAO, W as float rows.
const mg = fromMetagraph({
  block: 1000, tempo: 360, last_step: 0, pending_alpha_emission: 1,
  S: [1000, 500, 0, 0], W: [[0, 0, 1, 0.5], [0, 0, 1, 0], [0, 0, 0, 0], [0, 0, 0, 0]],
  last_update: [999, 999, 999, 999], block_at_registration: [1, 1, 1, 1], validator_permit: [1, 1, 0, 0],
});
const view = metagraphView(mg.input, engine.epoch(mg.input, mg.hyper));

let code = '';
try {
  engine.epoch({ ...input, stake: ['1e9', '0', '0', '0'] });
} catch (e) {
  if (isYumaError(e)) code = e.code;
}

let runs = 0;
fc.assert(
  fc.property(arbEpochInput({ maxN: 8 }), arbHyperparams(), (i, h) => {
    runs++;
    assertEpochInvariants(i, engine.epoch(i, h), { hyper: h });
  }),
  { numRuns: 30, seed: 13 },
);

const epochs: YumaEpochResult[] = simulateCase({ version: 'yuma3', weights: [[[1, 0], [0, 1]]], stakes: [[3, 1]] });
const first = epochs[0];
if (first === undefined) throw new Error('simulateCase returned no epoch');
const round = (a: ArrayLike<number>): number[] => Array.from(a, (x) => Math.round(x * 1e6) / 1e6);

console.log(JSON.stringify({
  incentive: Array.from(out.incentive),
  serverEmission: out.serverEmission.map(String),
  validatorEmission: out.validatorEmission.map(String),
  roundTrip: JSON.stringify(toJSON(back)) === text,
  referenceAgrees: JSON.stringify(toJSON(reference)) === text,
  metagraphE: view.E,
  metagraphIncentive: Array.from(engine.epoch(mg.input, mg.hyper).incentive),
  badStake: code,
  propertyRuns: runs,
  scenarios: Object.keys(SCENARIOS).sort(),
  cabal: scenario('cabal').name,
  versions: YUMA_VERSIONS.length,
  yuma3Incentive: round(first.serverIncentive),
}));
`;

// By hand: validators with stake 2:1; miner 2 gets 65535 from both, miner 3 32768 from the first only, so the
// stake-weighted median (kappa ½) keeps both columns; incentive 3:1 (49151, 16383 after u16 rounding), half the
// emission to miners and half to the validators by stake. The SDK spelling of the same subnet gives the same
// epoch (W rows max-upscale to the same u16 rows; S × 10⁹ rao), E is the combined emission in TAO.
const CONSUMER_EXPECTED = {
  incentive: [0, 0, 49151, 16383],
  serverEmission: ['0', '0', '374998569', '125001430'],
  validatorEmission: ['375000477', '124999522', '0', '0'],
  roundTrip: true,
  referenceAgrees: true,
  metagraphE: [0.375000477, 0.124999522, 0.374998569, 0.12500143],
  metagraphIncentive: [0, 0, 49151, 16383],
  badStake: 'E_ARG',
  propertyRuns: 30,
  cabal: 'cabal',
  versions: 6,
  yuma3Incentive: [1, 0],
};

/** The consumer's TypeScript settings: as strict as a careful project gets, and the package's own .d.ts checked. */
const consumerTsconfig = {
  compilerOptions: {
    target: 'ES2022',
    module: 'NodeNext',
    moduleResolution: 'NodeNext',
    strict: true,
    exactOptionalPropertyTypes: true,
    noUncheckedIndexedAccess: true,
    skipLibCheck: false,
    lib: ['ES2022'],
    types: ['node'],
    outDir: 'out',
    noEmitOnError: true,
  },
  files: ['main.ts'],
};

/** `npm pack <dir>` into `dest`; returns the tarball's file name and the files it holds. */
function npmPack(dir: string, dest: string): { filename: string; files: string[] } {
  const json = execFileSync('npm', ['pack', dir, '--pack-destination', dest, '--json', '--ignore-scripts'], { cwd: dest, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const [info] = JSON.parse(json) as Array<{ filename: string; files: Array<{ path: string }> }>;
  return { filename: info.filename, files: info.files.map((f) => f.path) };
}

/** A package of the repository's node_modules and the packages it depends on, as they are installed there. */
function dependencyClosure(name: string, seen = new Map<string, string>()): Map<string, string> {
  if (seen.has(name)) return seen;
  const dir = join(root, 'node_modules', name);
  seen.set(name, dir);
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };
  for (const dep of Object.keys(pkg.dependencies ?? {})) dependencyClosure(dep, seen);
  return seen;
}

describe('installed from the packed tarball into another project', () => {
  const work = mkdtempSync(join(tmpdir(), 'yuma-consumer-'));
  const tarballs = join(work, 'tarballs');
  const project = join(work, 'project');
  const installed = join(project, 'node_modules', 'yuma-wasm');
  let packed: { filename: string; files: string[] };
  const bin = (...args: string[]) => execFileSync(join(project, 'node_modules', '.bin', 'yuma-wasm'), args, { cwd: project, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

  beforeAll(() => {
    mkdirSync(tarballs);
    mkdirSync(project);
    // The staged package: the built dist/ plus what package.json's `files` lists, as `npm pack` in the repo would take.
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { files: string[] };
    cpSync(join(root, 'package.json'), join(stage, 'package.json'));
    for (const f of pkg.files) if (f !== 'dist') cpSync(join(root, f), join(stage, f), { recursive: true });
    packed = npmPack(stage, tarballs);
    // fast-check (the optional peer yuma-wasm/testing needs) and @types/node come from the repository's own
    // node_modules, packed the same way, so the install needs no registry.
    const deps: Record<string, string> = { 'yuma-wasm': `file:../tarballs/${packed.filename}` };
    for (const top of ['fast-check', '@types/node']) {
      for (const [name, dir] of dependencyClosure(top)) deps[name] = `file:../tarballs/${npmPack(dir, tarballs).filename}`;
    }
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true, dependencies: deps }, null, 1));
    execFileSync('npm', ['install', '--offline', '--no-audit', '--no-fund', '--ignore-scripts', '--cache', join(work, 'npm-cache')], {
      cwd: project,
      stdio: 'pipe',
      env: { ...process.env, npm_config_registry: 'http://127.0.0.1:9/' },
    });
    for (const kind of ['esm', 'cjs'] as const) {
      const dir = join(project, kind);
      mkdirSync(dir);
      writeFileSync(join(dir, 'package.json'), JSON.stringify({ type: kind === 'esm' ? 'module' : 'commonjs' }));
      writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify(consumerTsconfig, null, 1));
      writeFileSync(join(dir, 'main.ts'), CONSUMER);
    }
  }, 300_000);
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('the tarball holds dist/, scenarios/ (with the 22 yuma-sim cases), README.md, LICENSE and package.json, nothing else', () => {
    const top = new Set(packed.files.map((f) => f.split('/')[0]));
    expect([...top].sort()).toEqual(['LICENSE', 'README.md', 'dist', 'package.json', 'scenarios']);
    for (const f of ['dist/index.js', 'dist/index.cjs', 'dist/index.d.ts', 'dist/index.d.cts', 'dist/testing.d.cts', 'dist/research.d.ts', 'dist/cli.js', 'scenarios/cabal.json']) {
      expect(packed.files, f).toContain(f);
    }
    expect(packed.files.filter((f) => /^scenarios\/yuma-sim\/case-\d\d\.json$/.test(f))).toHaveLength(22);
    expect(existsSync(join(installed, 'dist', 'index.js'))).toBe(true);
  });

  for (const kind of ['esm', 'cjs'] as const) {
    it(`compiles under strict TypeScript as ${kind.toUpperCase()} against the installed .d.${kind === 'esm' ? 'ts' : 'cts'} files (root, testing, research) and runs with the hand-checked numbers`, () => {
      const dir = join(project, kind);
      const listed = execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', dir, '--listFiles'], { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
      const ext = kind === 'esm' ? '.d.ts' : '.d.cts';
      for (const entry of ['index', 'testing', 'research']) expect(listed).toContain(join(installed, 'dist', `${entry}${ext}`));
      const js = readFileSync(join(dir, 'out', 'main.js'), 'utf8');
      if (kind === 'cjs') expect(js).toMatch(/require\("yuma-wasm\/research"\)/);
      else expect(js).toMatch(/from 'yuma-wasm\/research'/);
      const got = execFileSync(process.execPath, [join(dir, 'out', 'main.js')], { cwd: dir, encoding: 'utf8' });
      const { scenarios, ...rest } = JSON.parse(got) as { scenarios: string[] };
      expect(rest).toEqual(CONSUMER_EXPECTED);
      // SCENARIOS names every scenario file the package ships (scenarios/*.json), and nothing else.
      const shipped = packed.files.filter((f) => /^scenarios\/[^/]+\.json$/.test(f)).map((f) => f.slice('scenarios/'.length, -'.json'.length));
      expect(shipped).toContain('cabal');
      expect(scenarios).toEqual(shipped.sort());
    });
  }

  it('no shipped text (the .d.ts files, README, scenarios, package.json) names a repository file that does not ship, except the README naming repository files that exist', () => {
    const shipped = walk(installed);
    const repoFiles = execFileSync('git', ['ls-files'], { cwd: root, encoding: 'utf8' }).trim().split('\n');
    const bad: string[] = [];
    let scanned = 0;
    for (const file of shipped.filter((f) => /\.(d\.c?ts|md|json)$/.test(f))) {
      scanned++;
      const raw = readFileSync(join(installed, file), 'utf8');
      // package.json's scripts run in the repository (npm test, npm run bench), not in an installed package.
      const text = file === 'package.json' ? JSON.stringify({ ...JSON.parse(raw), scripts: undefined }) : raw;
      for (const ref of repoReferences(text, repoFiles)) {
        if (names(ref, shipped)) continue;
        // The README is also the repository's front page: it may name repository files that exist (its Install
        // section says those paths are in the source repository, not in the package).
        if (file === 'README.md' && names(ref, repoFiles) && !/(^|\/)(shared|spec)\//.test(ref)) continue;
        bad.push(`${file}: ${ref}`);
      }
    }
    expect(scanned).toBeGreaterThan(30);
    expect(bad).toEqual([]);
    expect(readFileSync(join(installed, 'README.md'), 'utf8')).toMatch(/Paths such as `src\/…`, `test\/…`, `bench\/…` and\s+`assembly\/…` in this README are files of the\s+source repository/);
  });

  it('the installed bin: --help, simulate --scenario cabal (found by name), cases from the shipped case files, bench --quick built in', () => {
    expect(bin('--help')).toMatch(/^yuma-wasm: .*\n\nUsage:\n {2}yuma-wasm simulate/);
    const sim = bin('simulate', '--scenario', 'cabal', '--blocks', '400', '--quiet');
    // cabal.json: 8 subnets of 128 UIDs, 16 validators each: 65 % honest, 25 % cabal, 10 % self-dealing
    expect(sim).toMatch(/^Simulated 400 blocks \(0\.06 days\) on 8 subnets with HEAD's block \(subtensor 14bc6f9f\): 8 epochs, fixed epochs/);
    expect(sim).toMatch(/\nhonest +80 /);
    expect(sim).toMatch(/\ncabal +32 /);
    expect(sim).toMatch(/\nself-dealing +16 /);
    // The README's table row for Case 1 under Yuma 3.
    expect(bin('cases', '--case', '1', '--version', 'yuma3')).toMatch(/\nCase 1 +A Big vali\. \(0\.8\) +1\.6879\n +B Small lazy vali\. \(0\.1\) +1\.5121\n +C Small lazier vali\. \(0\.1\) +1\.3843\n/);
    // No bench/ in the package: the built-in timing (rows of 256 and 1024 UIDs × float/fixed × Yuma/Yuma3), read
    // through `| head -3`: the closed pipe ends the run quietly (exit 0, nothing on stderr), not with an EPIPE trace.
    const r = spawnSync('bash', ['-o', 'pipefail', '-c', `"${join(project, 'node_modules', '.bin', 'yuma-wasm')}" bench --quick | head -3`], { cwd: project, encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const bench = r.stdout.trimEnd().split('\n');
    expect(bench[0]).toBe(' uids  mode   algo   median ms    epochs/s  runs');
    expect(bench.slice(1).map((l) => l.trim().split(/ +/).slice(0, 3).join(' '))).toEqual(['256 float yuma', '256 float yuma3']);
  });
});

/**
 * The exports of a built entry (`dist/x.d.ts`) without a doc comment: the export itself, and every public member
 * of an exported interface, class or object type (where hover text lives: units, defaults). Members typed
 * `undefined` (the `mechanisms?: undefined` markers that keep input shapes apart) and members declared outside
 * the package (a `Float64Array`'s) are not counted.
 */
function undocumented(entries: string[]): { checked: number; missing: string[] } {
  const program = ts.createProgram(entries, { strict: true, noEmit: true, module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler });
  const checker = program.getTypeChecker();
  const ours = (d: ts.Declaration) => d.getSourceFile().fileName.startsWith(out);
  const documented = (s: ts.Symbol) => ts.displayPartsToString(s.getDocumentationComment(checker)).trim() !== '';
  const missing: string[] = [];
  let checked = 0;
  const seen = new Set<ts.Symbol>();
  const member = (owner: string, p: ts.Symbol) => {
    const decls = p.declarations ?? [];
    if (p.name === 'prototype' || p.name.startsWith('__') || p.name.startsWith('#') || decls.length === 0 || !decls.every(ours)) return;
    if (decls.some((d) => ts.getCombinedModifierFlags(d) & (ts.ModifierFlags.Private | ts.ModifierFlags.Protected))) return;
    if (checker.getTypeOfSymbol(p).flags & ts.TypeFlags.Undefined) return;
    checked++;
    if (!documented(p)) missing.push(`${owner}.${p.name}`);
  };
  for (const entry of entries) {
    const file = entry.slice(out.length + 1);
    for (const exported of checker.getExportsOfModule(checker.getSymbolAtLocation(program.getSourceFile(entry)!)!)) {
      const s = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
      if (seen.has(s)) continue;
      seen.add(s);
      checked++;
      if (!documented(s)) missing.push(`${file}: ${exported.name}`);
      if (s.flags & ts.SymbolFlags.Class) {
        for (const p of checker.getPropertiesOfType(checker.getTypeOfSymbol(s))) member(exported.name, p);
        for (const p of checker.getPropertiesOfType(checker.getDeclaredTypeOfSymbol(s))) member(exported.name, p);
      } else if (s.flags & (ts.SymbolFlags.Interface | ts.SymbolFlags.TypeAlias)) {
        const type = checker.getDeclaredTypeOfSymbol(s);
        if (type.flags & (ts.TypeFlags.Object | ts.TypeFlags.Intersection)) for (const p of checker.getPropertiesOfType(type)) member(exported.name, p);
      }
    }
  }
  return { checked, missing };
}

describe('documentation of what ships', () => {
  it('every export of yuma-wasm, yuma-wasm/testing and yuma-wasm/research has a doc comment, and so has every public member of its exported interfaces, classes and object types', () => {
    const { checked, missing } = undocumented(['index', 'testing', 'research'].map((e) => join(out, `${e}.d.ts`)));
    expect(checked).toBeGreaterThan(700);
    expect(missing).toEqual([]);
  });

  it('the doc comments carry the units and defaults of the hyper-parameters (kappa u16 of 65535, bondsMovingAverage per 10⁶)', () => {
    // tsup may move shared declarations into a chunk (engine-<hash>.d.ts) that index.d.ts re-exports: read every one.
    const dts = readdirSync(out).filter((f) => f.endsWith('.d.ts')).map((f) => readFileSync(join(out, f), 'utf8')).join('\n');
    const docOf = (field: string) => dts.match(new RegExp(`/\\*\\*((?:(?!\\*/)[\\s\\S])*)\\*/\\s*${field}: number;`))?.[1] ?? '';
    expect(docOf('kappa')).toMatch(/u16 as a proportion of 65535[\s\S]*Default 32767/);
    expect(docOf('bondsMovingAverage')).toMatch(/per 1 000 000[\s\S]*Default 900 000/);
    expect(docOf('bondsPenalty')).toMatch(/65535[\s\S]*Default 65535/);
    expect(docOf('activityCutoff')).toMatch(/in blocks[\s\S]*Default 5000/);
  });
});

/** Every file under `dir` (relative paths). */
function walk(dir: string, base = dir): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    return statSync(full).isDirectory() ? walk(full, base) : [relative(base, full)];
  });
}

/**
 * References to this repository's own files in `text`: path-like tokens that start at one of the repository's
 * top-level entries (`src/…`, `test/…`, `bench/…`), name a spec or shared directory, or are the bare name of a
 * repository file (`engine-threads.test.ts`). Paths of other projects (`tests/epoch.rs` of the chain,
 * `src/yuma_simulation/…` of the Python simulator) start nowhere in this repository and are left alone.
 */
function repoReferences(text: string, repoFiles: readonly string[]): string[] {
  const roots = new Set(repoFiles.map((f) => f.split('/')[0]));
  const srcDirs = new Set(repoFiles.filter((f) => f.startsWith('src/')).map((f) => f.split('/')[1]));
  const basenames = new Set(repoFiles.map((f) => f.split('/').pop()!));
  const refs = new Set<string>();
  for (const m of text.matchAll(/(?<![\w@./-])(?:\.{1,2}\/|\/)*([\w.-]+(?:\/[\w.*-]+)*\/?)/g)) {
    const token = m[1].replace(/[.]+$/, '');
    const [first, second] = token.split('/');
    if (/(^|\/)(shared|spec)\//.test(token) || token.startsWith('work/')) refs.add(token);
    else if (token.includes('/') && roots.has(first) && (first !== 'src' || srcDirs.has(second ?? ''))) refs.add(token);
    else if (!token.includes('/') && /\.(ts|js|mjs|json|md|gz|jsonl|wasm)$/.test(token) && basenames.has(token)) refs.add(token);
  }
  return [...refs];
}

/** Whether `ref` names a file or directory in `files` (a path, a prefix of one, or a bare file name; `*` matches a run of characters). */
function names(ref: string, files: readonly string[]): boolean {
  const path = ref.replace(/\/$/, '');
  const pattern = new RegExp(`(^|/)${path.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*')}(/|$)`);
  return files.some((f) => pattern.test(f));
}
