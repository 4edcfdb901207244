import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import { launchChromium } from './helpers/chromium.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The published bundle must work from Node ESM, Node CJS and a browser with no file-system access to the .wasm
// (it is inlined). Build it once with the project's tsup config into a temporary directory and use it all three ways.
const root = new URL('..', import.meta.url).pathname;
const out = mkdtempSync(join(tmpdir(), 'yuma-dist-'));

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
  beforeAll(() => {
    execFileSync(join(root, 'node_modules/.bin/tsup'), ['--out-dir', out, '--silent'], { cwd: root, stdio: 'pipe' });
  }, 120_000);

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
    // No .wasm file to resolve at run time: it is inlined.
    expect(readFileSync(join(out, 'index.js'), 'utf8')).toContain('AGFzbQ');
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

    it('loads the ESM bundle in headless Chromium and runs an epoch', async () => {
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
      } finally {
        await browser.close();
      }
    });
  });
});
