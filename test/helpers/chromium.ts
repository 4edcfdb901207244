import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { brotliDecompressSync } from 'node:zlib';
import { chromium, type Browser } from 'playwright-core';

// The browser comes from the npm registry alone: `@sparticuz/chromium` ships a headless Chromium build (and the
// libraries and fonts it needs) as brotli files inside its package, so `npm ci` brings it like any other dependency
// and nothing is downloaded at install or run time. We do not call the package's own code (it unpacks into a
// shared /tmp and adds Lambda-specific flags); we unpack its files once into node_modules/.cache ourselves.
const require = createRequire(import.meta.url);
// Its package.json is not exported: find the package from its main entry (build/cjs/index.cjs).
const pkgDir = join(dirname(require.resolve('@sparticuz/chromium')), '..', '..');
const version: string = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8')).version;
const root = new URL('../..', import.meta.url).pathname;
const CACHE = join(root, 'node_modules', '.cache', `sparticuz-chromium-${version}`);

/** Path of the unpacked Chromium binary (unpacked on first use). */
export const CHROMIUM = join(CACHE, 'chromium');

function unpack(): void {
  if (existsSync(join(CACHE, 'ready'))) return;
  // Unpack into a private directory, then rename: test files run in parallel workers and may race here.
  const tmp = `${CACHE}.tmp-${process.pid}-${Math.random().toString(36).slice(2)}`;
  mkdirSync(tmp, { recursive: true });
  try {
    const bin = join(pkgDir, 'bin');
    writeFileSync(join(tmp, 'chromium'), brotliDecompressSync(readFileSync(join(bin, 'chromium.br'))));
    chmodSync(join(tmp, 'chromium'), 0o755);
    // swiftshader: the software GL libraries Chromium looks for beside its binary (without them its GPU process
    // fails at start and is restarted); al2023: NSS libraries; fonts: Open Sans.
    for (const [archive, into] of [['swiftshader', '.'], ['fonts', 'fonts'], ['al2023', 'al2023']]) {
      writeFileSync(join(tmp, `${archive}.tar`), brotliDecompressSync(readFileSync(join(bin, `${archive}.tar.br`))));
      mkdirSync(join(tmp, into), { recursive: true });
      execFileSync('tar', ['-xf', join(tmp, `${archive}.tar`), '-C', join(tmp, into)]);
      rmSync(join(tmp, `${archive}.tar`));
    }
    // Our own fontconfig file: only the fonts shipped with the package, so text measures the same on every machine.
    writeFileSync(
      join(tmp, 'fonts.conf'),
      `<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n  <dir>${join(CACHE, 'fonts', 'fonts')}</dir>\n  <cachedir>${join(CACHE, 'fonts-cache')}</cachedir>\n</fontconfig>\n`,
    );
    writeFileSync(join(tmp, 'ready'), version);
    try {
      renameSync(tmp, CACHE);
    } catch (e) {
      if (!existsSync(join(CACHE, 'ready'))) throw e; // another worker won the race: use its copy
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** The package's NSS libraries are only put on the library path where the system has none (they are built for
 * Amazon Linux; Debian's own are preferred). */
function libraryPath(): string | undefined {
  const missing = execFileSync('ldd', [CHROMIUM], { encoding: 'utf8' }).includes('not found');
  if (!missing) return process.env.LD_LIBRARY_PATH;
  return [join(CACHE, 'al2023', 'lib'), process.env.LD_LIBRARY_PATH].filter(Boolean).join(':');
}

/** Headless Chromium from `@sparticuz/chromium`, with the flags this closed network needs (no background
 * connections, no first-run, no GPU). */
export async function launchChromium(): Promise<Browser> {
  unpack();
  const ld = libraryPath();
  return chromium.launch({
    executablePath: CHROMIUM,
    env: { ...process.env, FONTCONFIG_FILE: join(CACHE, 'fonts.conf'), ...(ld ? { LD_LIBRARY_PATH: ld } : {}) },
    args: [
      '--headless',
      '--no-sandbox',
      '--no-zygote',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-domain-reliability',
      '--no-pings',
    ],
  });
}
