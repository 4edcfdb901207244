import { mkdtempSync, openSync, closeSync, ftruncateSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createEngineSync } from '../src/engine.js';
import { MAX_INPUT_FILE_BYTES, readTextFile } from '../src/cli/files.js';
import { type CliIo, runCli } from '../src/cli/run.js';

const engine = createEngineSync();
const dir = mkdtempSync(join(tmpdir(), 'yuma-cli-bad-'));

function cli(argv: string[], maxFileBytes = MAX_INPUT_FILE_BYTES) {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s), isTTY: false, columns: 100 },
    readFile: (p) => readTextFile(p, maxFileBytes),
    writeFile: (p, d) => writeFileSync(p, d),
    createEngine: () => engine,
    now: () => 0,
  };
  const code = runCli(argv, io);
  return { code, stdout, stderr };
}

/** A 2-UID epoch file whose weights are the flat dense array given. */
function epochFile(weights: unknown[]): string {
  const file = join(dir, `epoch-${Math.random().toString(36).slice(2)}.json`);
  const input = {
    n: 2, currentBlock: 100, tempo: 10, lastStepBlock: 0, stake: ['1000', '1000'], weights, bonds: [0, 0, 0, 0],
    lastUpdate: [99, 99], blockAtRegistration: [1, 1], validatorPermit: [true, true], raoEmission: '1000000000',
  };
  writeFileSync(file, JSON.stringify(input));
  return file;
}

describe('yuma-wasm epoch: weights outside u16 are refused, not wrapped', () => {
  for (const bad of [70000, -1, 1e300, 1.5]) {
    it(`a flat dense weight of ${bad} exits 2 naming the entry (it was wrapped and the epoch exited 0)`, () => {
      const r = cli(['epoch', epochFile([0, bad, 65535, 0])]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/weights\[1\]/);
      expect(r.stdout).toBe('');
    });
  }

  it('dense rows too, and a well-formed flat file still runs', () => {
    expect(cli(['epoch', epochFile([[0, 70000], [1, 0]])]).code).toBe(2);
    const ok = cli(['epoch', epochFile([0, 65535, 65535, 0])]);
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout).incentive).toHaveLength(2);
  });
});

describe('CLI input files are read up to a size limit', () => {
  it('epoch /dev/zero ends with exit 2 once the limit is read (it never ended; a 4 MiB limit here, 256 MiB in the CLI)', () => {
    const r = cli(['epoch', '/dev/zero'], 4 * 2 ** 20);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/cannot read epoch input '\/dev\/zero': it is larger than the 4 MiB limit/);
  });

  it('a regular file past the limit is refused from its size, before reading', () => {
    const big = join(dir, 'big.json');
    const fd = openSync(big, 'w');
    ftruncateSync(fd, MAX_INPUT_FILE_BYTES + 1); // sparse: no disk used
    closeSync(fd);
    expect(() => readTextFile(big)).toThrow(expect.objectContaining({ code: 'EFBIG' }));
    expect(cli(['simulate', '--scenario', big]).stderr).toMatch(/cannot read scenario file .*256 MiB limit/);
  });

  it('readTextFile reads a file at the limit exactly, and a stream past it is cut off at limit + 1 bytes', () => {
    const file = join(dir, 'small.txt');
    writeFileSync(file, 'x'.repeat(1000));
    expect(readTextFile(file, 1000)).toBe('x'.repeat(1000));
    expect(() => readTextFile(file, 999)).toThrow(expect.objectContaining({ code: 'EFBIG' }));
    expect(() => readTextFile('/dev/zero', 3 * 2 ** 20 + 5)).toThrow(expect.objectContaining({ code: 'EFBIG' }));
    expect(readFileSync(file, 'utf8')).toHaveLength(1000);
  });
});

describe('yuma-wasm simulate: limits and reports', () => {
  it('--subnets 1024 --uids 4096 exits 2 at once with the memory limit (it ran out of heap after two minutes)', () => {
    const r = cli(['simulate', '--subnets', '1024', '--uids', '4096', '--quiet']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/MiB/);
  });

  it('a scenario with stakeThreshold writes its report (--out) as JSON with the threshold as a string', () => {
    const scenario = join(dir, 'threshold.json');
    writeFileSync(scenario, JSON.stringify({ blocks: 30, network: { subnets: 2, uidsPerSubnet: 8, subnet1Uids: 0, tempo: 9, hyper: { stakeThreshold: '5' } } }));
    const out = join(dir, 'report.json');
    const r = cli(['simulate', '--scenario', scenario, '--out', out, '--quiet']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(readFileSync(out, 'utf8')).config.hyper.stakeThreshold).toBe('5');
  });

  it("flags named like Object.prototype members ('--constructor', '--__proto__', '--toString') are unknown options", () => {
    for (const flag of ['--constructor', '--__proto__', '--toString', '--hasOwnProperty=1']) {
      const r = cli(['simulate', flag, '5']);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/unknown option/);
    }
  });
});
