import { chmodSync, closeSync, existsSync, ftruncateSync, mkdtempSync, openSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createEngineSync } from '../src/engine.js';
import { MAX_INPUT_FILE_BYTES, readTextFile } from '../src/cli/files.js';
import { UsageError, nearest, parseArgs, type FlagSpec } from '../src/cli/args.js';
import { type CliIo, runCli } from '../src/cli/run.js';

const engine = createEngineSync();
const dir = mkdtempSync(join(tmpdir(), 'yuma-cli-bad-'));
/** Engines the CLI asked for: 0 after a command refused before it ran anything. */
let enginesCreated = 0;

function cli(argv: string[], maxFileBytes = MAX_INPUT_FILE_BYTES) {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s), isTTY: false, columns: 100 },
    readFile: (p) => readTextFile(p, maxFileBytes),
    writeFile: (p, d) => writeFileSync(p, d),
    createEngine: () => (enginesCreated++, engine),
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

describe('money written as a JSON number the file cannot carry exactly is refused, not rounded', () => {
  const write = (name: string, text: string) => {
    const file = join(dir, name);
    writeFileSync(file, text);
    return file;
  };
  const epochText = (stake0: string, emission: string) =>
    `{"n":2,"currentBlock":100,"tempo":10,"lastStepBlock":0,"stake":[${stake0},1000],"weights":[0,65535,0,0],"bonds":[0,0,0,0],"lastUpdate":[99,99],"blockAtRegistration":[1,1],"validatorPermit":[true,true],"raoEmission":${emission}}`;

  for (const [what, stake0, emission, where, reads] of [
    ['a stake of 2^53 + 1 rao', '9007199254740993', '1000', 'stake[0]', '9007199254740992'],
    ['a stake of 4.9999999999999999 rao', '4.9999999999999999', '1000', 'stake[0]', '5'],
    ['an emission of 1000.00000000000001 rao', '1000', '1000.00000000000001', 'raoEmission', '1000'],
  ] as const) {
    it(`epoch and diverge: ${what} exits 2 naming ${where} and what JSON.parse reads it as (it ran on the rounded amount, or said "above 2^53; pass it as a bigint")`, () => {
      const file = write(`money-${where.replace(/\W/g, '')}-${stake0.length}.json`, epochText(stake0, emission));
      for (const cmd of ['epoch', 'diverge']) {
        const r = cli([cmd, file]);
        expect(r.code, r.stderr).toBe(2);
        expect(r.stderr).toContain(`${where} is written ${where === 'raoEmission' ? emission : stake0}, which reads as ${reads}`);
        expect(r.stdout).toBe('');
      }
      // wrapped in { input } the same literal is refused at input.stake[0] / input.raoEmission
      const wrapped = write(`money-wrapped-${where.replace(/\W/g, '')}-${stake0.length}.json`, `{"input":${epochText(stake0, emission)}}`);
      expect(cli(['epoch', wrapped]).stderr).toContain(`input.${where} is written`);
    });
  }

  it('epoch: the same amounts as decimal strings, numbers that read as written (1e3, 9007199254740991) and a last-update block near u64::MAX written as a number (read as its float, as documented) still run', () => {
    for (const [stake0, emission] of [['"9007199254740993"', '"1000"'], ['1e3', '1000'], ['9007199254740991', '1000']]) {
      const r = cli(['epoch', write(`money-ok-${stake0.length}.json`, epochText(stake0, emission))]);
      expect(r.code, r.stderr).toBe(0);
    }
    const nearMax = epochText('1000', '1000').replace('"lastUpdate":[99,99]', '"lastUpdate":[18446744073709551615,99]');
    expect(cli(['epoch', write('money-ok-block.json', nearMax)]).code).toBe(0);
  });

  it('epoch --metagraph: a TAO amount with more digits than a float64 keeps (123456789.123456789 TAO, read as 123456789.12345679) exits 2 naming it; its shortest form, or the string, runs', () => {
    const mg = (s0: string) => `{"block":100,"S":[${s0},5],"W":[[0,1],[0,0]],"last_update":[99,99],"block_at_registration":[0,0],"validator_permit":[true,true]}`;
    const bad = cli(['epoch', '--metagraph', write('mg-long.json', mg('123456789.123456789'))]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('S[0] is written 123456789.123456789, which reads as 123456789.12345679');
    expect(cli(['epoch', '--metagraph', write('mg-short.json', mg('123456789.12345679'))]).code).toBe(0);
    expect(cli(['epoch', '--metagraph', write('mg-string.json', mg('"123456789.123456789"'))]).code).toBe(0);
    const pending = cli(['epoch', '--metagraph', write('mg-pending.json', mg('10').replace('"block":100', '"block":100,"pending_alpha_emission":9007199.2547409931'))]);
    expect(pending.code).toBe(2);
    expect(pending.stderr).toContain('pending_alpha_emission is written 9007199.2547409931');
  });

  it('simulate --scenario: an issuanceStart of 2^53 + 1 rao written as a number exits 2 naming network.issuanceStart', () => {
    const r = cli(['simulate', '--scenario', write('sc-issuance.json', '{"network":{"subnets":1,"uidsPerSubnet":4,"issuanceStart":9007199254740993}}'), '--blocks', '1', '--quiet']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('network.issuanceStart is written 9007199254740993, which reads as 9007199254740992');
  });

  it("simulate --scenario: a stake threshold of 2^53 + 1 rao written as a number exits 2 naming network.hyper.stakeThreshold (the README's fourth kind of money in a file)", () => {
    const r = cli(['simulate', '--scenario', write('sc-threshold.json', '{"network":{"subnets":1,"uidsPerSubnet":4,"hyper":{"stakeThreshold":9007199254740993}}}'), '--blocks', '1', '--quiet']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('network.hyper.stakeThreshold is written 9007199254740993, which reads as 9007199254740992');
  });
});

describe('a refused file or flag is one line on stderr, then the pointer to --help', () => {
  const lines = (stderr: string) => stderr.trimEnd().split('\n');
  const file = (name: string, text: string | Buffer) => {
    const p = join(dir, name);
    writeFileSync(p, text);
    return p;
  };

  it.each([
    ['epoch', ['epoch']],
    ['epoch --metagraph', ['epoch', '--metagraph']],
    ['diverge', ['diverge']],
    ['simulate --scenario', ['simulate', '--quiet', '--scenario']],
  ])("%s: a file that is not JSON over several lines ('nope\\n\\n\\n') is one line naming the file, its newlines escaped (JSON.parse's excerpt printed them raw)", (_, argv) => {
    const p = file('multi-line.json', 'nope\n\n\n');
    const r = cli([...argv, p]);
    expect(r.code).toBe(2);
    expect(lines(r.stderr)).toHaveLength(2);
    expect(lines(r.stderr)[0]).toContain(`'${p}' is not valid JSON`);
    expect(lines(r.stderr)[0]).toContain('\\n');
    expect(lines(r.stderr)[1]).toMatch(/^Run 'yuma-wasm \w+ --help' for usage\.$/);
  });

  it('cases --dir: a case file that is not JSON over several lines is one line too', () => {
    const d = mkdtempSync(join(dir, 'cases-'));
    writeFileSync(join(d, 'case-01.json'), 'nope\n\n');
    const r = cli(['cases', '--case', '1', '--dir', d]);
    expect(r.code).toBe(2);
    expect(lines(r.stderr)).toHaveLength(2);
    expect(lines(r.stderr)[0]).toContain(`case file '${d}/case-01.json'`);
  });

  it('a file path holding a newline or a terminal escape is printed escaped, on one line', () => {
    const r = cli(['epoch', join(dir, 'no\nsuch\u001b[2Jfile.json')]);
    expect(r.code).toBe(2);
    expect(lines(r.stderr)).toHaveLength(2);
    expect(lines(r.stderr)[0]).toContain("no\\nsuch\\u001b[2Jfile.json': no such file");
    expect(r.stderr).not.toContain('\u001b');
  });

  it('a file starting with a byte-order mark is refused naming the mark (the message quoted an invisible character)', () => {
    const r = cli(['epoch', file('bom.json', '\ufeff{"n": 0}')]);
    expect(r.code).toBe(2);
    expect(lines(r.stderr)).toHaveLength(2);
    expect(lines(r.stderr)[0]).toMatch(/bom\.json' starts with a byte-order mark \(U\+FEFF\), which JSON does not allow: save it as UTF-8 without one$/);
  });

  it('a file that is not UTF-8 (a Latin-1 byte in a string) is refused naming the byte offset, not read with U+FFFD in its place', () => {
    const bytes = Buffer.concat([Buffer.from('{"name": "caf'), Buffer.from([0xe9]), Buffer.from('"}')]);
    const r = cli(['simulate', '--quiet', '--scenario', file('latin1.json', bytes)]);
    expect(r.code).toBe(2);
    expect(lines(r.stderr)).toHaveLength(2);
    expect(lines(r.stderr)[0]).toMatch(/latin1\.json': it is not UTF-8 \(byte 13\)$/);
  });
});

describe('numeric flags are read as written, or refused', () => {
  const spec: Record<string, FlagSpec> = { seed: { kind: 'int', min: 0, max: 0xffff_ffff, help: '' }, days: { kind: 'number', min: 0, max: 1000, help: '' } };
  const read = (argv: string[]) => parseArgs(argv, spec, 'test').flags;
  const refusal = (argv: string[]) => {
    try {
      read(argv);
    } catch (e) {
      if (e instanceof UsageError) return e.message;
      throw e;
    }
    return null;
  };

  it.each(['0x10', '0b101', '0o17', ' 5', '5 ', '1_000', '10.0000000000000001', '4294967294.9999999', '1e-400'])(
    "--seed '%s' is refused as not a whole number written in decimal (Number() read it as hex, binary, octal, trimmed or rounded to an integer)",
    (raw) => {
      expect(refusal(['--seed', raw])).toMatch(/^--seed must be a (whole )?number \(got '/);
    },
  );

  it.each(['0x10', ' 0.5', '1_0', 'Infinity', '.'])("--days '%s' is refused as not a decimal number", (raw) => {
    expect(refusal(['--days', raw])).toBe(`--days must be a number (got '${raw}')`);
  });

  it('decimal spellings read as their value: --seed 42, 007, 1e3, +5, -0 and --days .5, 2., 1.5e2', () => {
    expect(read(['--seed', '42'])).toEqual({ seed: 42 });
    expect(read(['--seed', '007'])).toEqual({ seed: 7 });
    expect(read(['--seed', '1e3'])).toEqual({ seed: 1000 });
    expect(read(['--seed', '+5'])).toEqual({ seed: 5 });
    expect(read(['--seed', '-0']).seed).toBe(0);
    expect(read(['--days', '.5'])).toEqual({ days: 0.5 });
    expect(read(['--days', '2.'])).toEqual({ days: 2 });
    expect(read(['--days', '1.5e2'])).toEqual({ days: 150 });
  });

  it('diverge --random 0x2 exits 2 before surveying (it surveyed 2 subnets)', () => {
    const r = cli(['diverge', '--random', '0x2', '--quiet']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain("--random must be a number (got '0x2')");
  });
});

describe('output paths are checked before a command runs, and nothing is written unless all can be', () => {
  const tiny = ['--blocks', '2', '--subnets', '1', '--uids', '2', '--subnet1-uids', '0'];
  const fresh = () => mkdtempSync(join(dir, 'out-'));

  it('simulate --out <a directory> exits 2 before simulating: one error line and the --help pointer, nothing on stdout (it ran the whole simulation, then failed to write)', () => {
    const d = fresh();
    const r = cli(['simulate', ...tiny, '--out', d]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`yuma-wasm: cannot write report '${d}': it is a directory\nRun 'yuma-wasm simulate --help' for usage.\n`);
  });

  it('simulate --out ok.json --chart <missing dir>/c.html exits 2 before simulating, and ok.json is not written (the report was left behind)', () => {
    const d = fresh();
    const r = cli(['simulate', ...tiny, '--quiet', '--out', join(d, 'ok.json'), '--chart', join(d, 'missing', 'c.html')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`cannot write chart '${join(d, 'missing', 'c.html')}': no such directory`);
    expect(existsSync(join(d, 'ok.json'))).toBe(false);
  });

  it('simulate --out and --chart naming one file exits 2 (the chart overwrote the report)', () => {
    const d = fresh();
    const r = cli(['simulate', ...tiny, '--quiet', '--out', join(d, 'x'), '--chart', `${d}/./x`]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--out and --chart name the same file');
    expect(existsSync(join(d, 'x'))).toBe(false);
  });

  it('cases --chart ok.html --json <a directory> exits 2 before running: no summary, no chart (the chart was written, then the JSON failed)', () => {
    const d = fresh();
    const r = cli(['cases', '--case', '1', '--version', 'yuma1', '--chart', join(d, 'ok.html'), '--json', d]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(`cannot write JSON '${d}': it is a directory`);
    expect(existsSync(join(d, 'ok.html'))).toBe(false);
  });

  it('diverge --random 1 --out <missing dir>/s.json and --examples <missing dir>/ex- exit 2 before surveying', () => {
    const d = fresh();
    const out = cli(['diverge', '--random', '1', '--quiet', '--out', join(d, 'missing', 's.json')]);
    expect(out.code).toBe(2);
    expect(out.stdout).toBe('');
    expect(out.stderr).toContain(`cannot write survey '${join(d, 'missing', 's.json')}': no such directory`);
    const ex = cli(['diverge', '--random', '1', '--quiet', '--examples', join(d, 'missing', 'ex-')]);
    expect(ex.code).toBe(2);
    expect(ex.stdout).toBe('');
    expect(ex.stderr).toContain(`cannot write example '${join(d, 'missing', 'ex-')}…': no such directory`);
  });

  it('writable paths still get their files: simulate --out and --chart in an existing directory', () => {
    const d = fresh();
    const r = cli(['simulate', ...tiny, '--quiet', '--out', join(d, 'r.json'), '--chart', join(d, 'c.html')]);
    expect(r.code).toBe(0);
    expect(JSON.parse(readFileSync(join(d, 'r.json'), 'utf8')).config.subnets).toBe(1);
    expect(readFileSync(join(d, 'c.html'), 'utf8')).toMatch(/^<!doctype html>/i);
  });
});

describe('-h and --help on every command print that command\'s usage and exit 0', () => {
  for (const cmd of ['simulate', 'epoch', 'bench', 'cases', 'diverge']) {
    for (const flag of ['-h', '--help']) {
      it(`${cmd} ${flag}: its usage on stdout, nothing on stderr, exit 0 (-h was an unknown option, exit 2)`, () => {
        const r = cli([cmd, flag]);
        expect(r.code).toBe(0);
        expect(r.stderr).toBe('');
        expect(r.stdout).toMatch(new RegExp(`^Usage: yuma-wasm ${cmd} `));
        expect(r.stdout).toContain('--help');
      });
    }
    it(`${cmd} with a bad option and -h after it prints the usage (exit 0), not the bad option's error`, () => {
      const r = cli([cmd, '--no-such-flag', 'x', '-h']);
      expect(r.code).toBe(0);
      expect(r.stderr).toBe('');
      expect(r.stdout).toMatch(new RegExp(`^Usage: yuma-wasm ${cmd} `));
    });
  }

  it("epoch -- -h reads '-h' as the input file's name (after --, nothing is an option)", () => {
    const r = cli(['epoch', '--', '-h']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain("cannot read epoch input '-h': no such file");
  });
});

describe('yuma-wasm epoch: a file of the wrong shape is named in the error', () => {
  const write = (text: string) => {
    const f = join(dir, `shape-${Math.random().toString(36).slice(2)}.json`);
    writeFileSync(f, text);
    return f;
  };
  for (const [what, text, why] of [
    ['a JSON array', '[1, 2]', 'the epoch file must hold a JSON object'],
    ['a number', '7', 'the epoch file must hold a JSON object'],
    ['an unknown field beside input', '{"input": {}, "extra": 1}', "unknown field 'extra' beside 'input'"],
    ['input that is an array', '{"input": []}', 'input must be an object'],
  ] as const) {
    it(`${what}: one line naming the file and what is wrong, exit 2 (the file was not named)`, () => {
      const f = write(text);
      const r = cli(['epoch', f]);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr.split('\n')[0].startsWith(`yuma-wasm: epoch input '${f}': ${why}`)).toBe(true);
      expect(r.stderr.split('\n')[1]).toBe("Run 'yuma-wasm epoch --help' for usage.");
    });
  }
});

describe('yuma-wasm epoch: "mode" and "path" beside input are one of their choices, null refused', () => {
  const write = (wrapper: Record<string, unknown>) => {
    const f = join(dir, `mode-${Math.random().toString(36).slice(2)}.json`);
    const input = JSON.parse(readFileSync(epochFile([0, 65535, 65535, 0]), 'utf8')) as unknown;
    writeFileSync(f, JSON.stringify({ input, ...wrapper }));
    return f;
  };
  for (const [field, value, shown] of [
    ['mode', null, 'null'],
    ['mode', 'banana', '"banana"'],
    ['mode', 1, '1'],
    ['path', null, 'null'],
    ['path', 'dense ', '"dense "'],
  ] as const) {
    it(`"${field}": ${JSON.stringify(value)} exits 2 naming the file, the field and its choices${value === null ? ' (null ran the default without a word)' : ''}`, () => {
      const f = write({ [field]: value });
      const r = cli(['epoch', f]);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      const choices = field === 'mode' ? '"fixed" or "float"' : '"sparse" or "dense"';
      expect(r.stderr.split('\n')[0]).toBe(`yuma-wasm: epoch input '${f}': ${field} must be ${choices} (got ${shown}); leave it out for the default`);
    });
  }
  it('"mode": "float" and "path": "dense" are accepted: the same output as the flags --mode float --path dense', () => {
    const f = write({ mode: 'float', path: 'dense' });
    const plain = write({});
    const a = cli(['epoch', f]);
    const b = cli(['epoch', plain, '--mode', 'float', '--path', 'dense']);
    expect(a.code).toBe(0);
    expect(a.stdout).toBe(b.stdout);
  });
});

describe('an output path no user can write (root included) is refused before the run: exit 2, no engine made, nothing written', () => {
  const tiny = ['--blocks', '2', '--subnets', '1', '--uids', '2', '--subnet1-uids', '0'];
  /** A regular file holding 'old', in a fresh directory. */
  const regularFile = () => {
    const f = join(mkdtempSync(join(dir, 'notdir-')), 'plain.txt');
    writeFileSync(f, 'old');
    return f;
  };

  it("simulate --out <a regular file>/r.json exits 2 naming the file that is not a directory (it said 'no such directory'), before any engine is made; the file unchanged", () => {
    const f = regularFile();
    const out = join(f, 'r.json');
    enginesCreated = 0;
    const r = cli(['simulate', ...tiny, '--out', out]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`yuma-wasm: cannot write report '${out}': '${f}' is a file, not a directory\nRun 'yuma-wasm simulate --help' for usage.\n`);
    expect(enginesCreated).toBe(0);
    expect(readFileSync(f, 'utf8')).toBe('old');
  });

  it('cases --json <a regular file>/sub/x.json (the file two levels up) exits 2 naming that file, before any case runs', () => {
    const f = regularFile();
    const out = join(f, 'sub', 'x.json');
    const r = cli(['cases', '--case', '1', '--version', 'yuma3', '--json', out]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.split('\n')[0]).toBe(`yuma-wasm: cannot write JSON '${out}': '${f}' is a file, not a directory`);
    expect(readFileSync(f, 'utf8')).toBe('old');
  });

  it('simulate --out <an existing directory> exits 2 before any engine is made, the directory left empty', () => {
    const d = mkdtempSync(join(dir, 'isdir-'));
    enginesCreated = 0;
    const r = cli(['simulate', ...tiny, '--out', d]);
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n')[0]).toBe(`yuma-wasm: cannot write report '${d}': it is a directory`);
    expect(enginesCreated).toBe(0);
    expect(readdirSync(d)).toEqual([]);
  });
});

describe('an output file that exists but cannot be written is refused before the run', () => {
  // root may write any file whatever its mode, so this can only be seen as another user
  it.skipIf(process.getuid?.() === 0)('simulate --out <a read-only file> exits 2 at once, the file unchanged (the whole run went first, then the write failed)', () => {
    const d = mkdtempSync(join(dir, 'ro-'));
    const f = join(d, 'ro.json');
    writeFileSync(f, 'old');
    chmodSync(f, 0o444);
    const r = cli(['simulate', '--blocks', '2', '--subnets', '1', '--uids', '2', '--subnet1-uids', '0', '--out', f]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`yuma-wasm: cannot write report '${f}': permission denied\nRun 'yuma-wasm simulate --help' for usage.\n`);
    expect(readFileSync(f, 'utf8')).toBe('old');
  });
});

describe('yuma-wasm cases: an empty entry in --version is refused as in --case', () => {
  for (const v of [',yuma3', 'yuma3,', 'yuma2,,yuma3']) {
    it(`--version '${v}' exits 2 naming the empty entry, before any case runs (it ran the versions named and ignored the gap)`, () => {
      const r = cli(['cases', '--case', '1', '--version', v]);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr.split('\n')[0]).toBe('yuma-wasm: --version: an empty entry (versions: yuma1, yuma2, yuma2b, yuma2c, yuma3, yuma3-liquid)');
    });
  }
  it("--case ',1' is refused the same way (as before)", () => {
    const r = cli(['cases', '--case', ',1', '--version', 'yuma3']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
  });
});

describe('yuma-wasm cases: a case or version named twice is refused, naming it (the duplicate was dropped silently)', () => {
  for (const [flag, value, message] of [
    ['--case', '1,1', "--case: case 1 is named twice ('1' and '1')"],
    ['--case', '1-3,2', "--case: case 2 is named twice ('1-3' and '2')"],
    ['--case', '4-6,case 5-7', "--case: case 5 is named twice ('4-6' and 'case 5-7')"],
    ['--version', 'yuma3,yuma3', "--version: 'yuma3' is named twice"],
    ['--version', 'yuma1, yuma2,yuma1', "--version: 'yuma1' is named twice"],
  ] as const) {
    it(`${flag} '${value}' exits 2 with "${message}", before any case runs`, () => {
      const r = cli(['cases', ...(flag === '--case' ? ['--version', 'yuma3'] : ['--case', '1']), flag, value]);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr.split('\n')[0]).toBe(`yuma-wasm: ${message}`);
    });
  }
  it("'--case 3,1,2' (no duplicate, any order) still runs cases 1, 2, 3 in order", () => {
    const r = cli(['cases', '--case', '3,1,2', '--version', 'yuma3']);
    expect(r.code).toBe(0);
    const ids = r.stdout.split('\n').map((l) => /^(Case \d+)/.exec(l.trim())?.[1]).filter((x) => x !== undefined);
    expect(ids).toEqual(['Case 1', 'Case 2', 'Case 3']);
  });
});

describe('epoch --metagraph: the --last-step and --emission flags', () => {
  it("epoch --metagraph --last-step later than the dump's block (101 > 100) exits 2 naming --last-step and both numbers, before any engine is made; values the library refuses ('abc', '-5') are named by their flags; --last-step 100 runs without the unknown-step note", () => {
    const file = join(dir, 'mg-step.json');
    writeFileSync(file, `{"block":100,"S":[10,5],"W":[[0,1],[0,0]],"last_update":[99,99],"block_at_registration":[0,0],"validator_permit":[true,true]}`);
    const before = enginesCreated;
    const bad = cli(['epoch', '--metagraph', file, '--last-step', '101']);
    expect(bad.code).toBe(2);
    expect(bad.stderr.split('\n')[0]).toBe("yuma-wasm: --last-step 101 is later than the metagraph's block 100: the last epoch cannot come after the block it was read at");
    expect(bad.stdout).toBe('');
    expect(enginesCreated).toBe(before);
    // a value the library refuses is named by its flag too (it said 'lastStepBlock must be …', 'raoEmission must be …')
    expect(cli(['epoch', '--metagraph', file, '--last-step', 'abc']).stderr.split('\n')[0]).toBe('yuma-wasm: --last-step must be a whole number of digits when given as a string (got "abc")');
    expect(cli(['epoch', '--metagraph', file, '--emission', '-5']).stderr.split('\n')[0]).toBe('yuma-wasm: --emission must be a whole number of digits when given as a string (got "-5")');
    const ok = cli(['epoch', '--metagraph', file, '--last-step', '100']);
    expect(ok.code, ok.stderr).toBe(0);
    expect((JSON.parse(ok.stdout) as { metagraph: unknown }).metagraph).toBeDefined();
    expect(ok.stderr).not.toContain('lastStepBlock unknown');
  });
});

// A newcomer's first wrong invocations: each is one line that says what to do, then the pointer to --help, exit 2
describe("a newcomer's mistakes say what to do", () => {
  const newcomerDir = mkdtempSync(join(tmpdir(), 'yuma-cli-newcomer-'));
  const twoLines = (r: { code: number | Promise<number>; stdout: string; stderr: string }) => {
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    const ls = r.stderr.split('\n');
    expect(ls).toHaveLength(3);
    expect(ls[2]).toBe('');
    return ls[0];
  };

  it("a misspelt command names the one it was likely meant to be ('simualte': did you mean 'simulate'?), and none when nothing is near ('launch')", () => {
    expect(twoLines(cli(['simualte']))).toBe("yuma-wasm: unknown command 'simualte': did you mean 'simulate'? (commands: simulate, epoch, bench, cases, diverge)");
    expect(twoLines(cli(['eopch']))).toMatch(/^yuma-wasm: unknown command 'eopch': did you mean 'epoch'\?/);
    expect(twoLines(cli(['launch']))).toBe("yuma-wasm: unknown command 'launch' (commands: simulate, epoch, bench, cases, diverge)");
  });

  it("a misspelt option names the likely one ('--dyas': did you mean --days?), none for '--frobnicate'", () => {
    expect(twoLines(cli(['simulate', '--dyas', '2']))).toMatch(/^yuma-wasm: unknown option '--dyas' for 'simulate': did you mean --days\? \(options: --model /);
    expect(twoLines(cli(['cases', '--markdwon']))).toMatch(/: did you mean --markdown\?/);
    expect(twoLines(cli(['simulate', '--frobnicate']))).toMatch(/^yuma-wasm: unknown option '--frobnicate' for 'simulate' \(options: /);
    expect(twoLines(cli(['simulate', '--mod']))).toMatch(/: did you mean --mode\? /);
    // two choices as near as each other, or a word too short to guess from: no guess
    expect([nearest('simulat', ['simulate', 'simulata']), nearest('ab', ['ac']), nearest('x', ['top'])]).toEqual([null, null, null]);
  });

  it("JSON with a trailing comma names its line and column and says to delete the comma (it gave JSON.parse's offset only: 'at position 35')", () => {
    const p = join(newcomerDir, 'trailing.json');
    writeFileSync(p, '{\n  "n": 2,\n  "stake": ["1", "2"],\n}\n');
    const line = twoLines(cli(['epoch', p]));
    expect(line).toContain(`epoch input '${p}' is not valid JSON: `);
    expect(line).toMatch(/ \(line 3, column 22: a comma before '\}' — JSON allows no trailing comma; delete it\)$/);
    // a short file, whose JSON.parse message gives no offset; a comma inside a string is not one
    writeFileSync(p, '[1, ",]", 2,]');
    expect(twoLines(cli(['diverge', p]))).toMatch(/ \(line 1, column 12: a comma before '\]' — JSON allows no trailing comma; delete it\)$/);
    // a different mistake before any trailing comma gets its own place, not the comma advice
    writeFileSync(p, '{\n  "n": 2\n  "stake": ["1", "2"],\n  "tempo": 10, "lastUpdate": [1, 2], "blockAtRegistration": [0, 0]\n}');
    expect(twoLines(cli(['epoch', p]))).toMatch(/ \(line 3, column 3\)$/);
  });

  it("an output in a directory that does not exist names the directory and how to make it ('out/ex-': mkdir -p out)", () => {
    const cwd = process.cwd();
    process.chdir(newcomerDir);
    try {
      expect(twoLines(cli(['diverge', '--random', '1', '--quiet', '--examples', 'out/ex-']))).toBe("yuma-wasm: cannot write example 'out/ex-…': no such directory 'out' (create it first: mkdir -p out)");
      expect(twoLines(cli(['simulate', '--quiet', '--out', 'my runs/r.json']))).toBe("yuma-wasm: cannot write report 'my runs/r.json': no such directory 'my runs' (create it first)");
    } finally {
      process.chdir(cwd);
    }
  });

  it('a missing input file, a wrong flag value and a flag without its value: one line naming it, exit 2; --help after a command prints its usage, exit 0', () => {
    expect(twoLines(cli(['epoch', join(newcomerDir, 'nofile.json')]))).toBe(`yuma-wasm: cannot read epoch input '${join(newcomerDir, 'nofile.json')}': no such file`);
    expect(twoLines(cli(['simulate', '--days', 'abc']))).toBe("yuma-wasm: --days must be a number (got 'abc')");
    expect(twoLines(cli(['simulate', '--mode', 'flaot']))).toBe("yuma-wasm: --mode must be one of float, fixed (got 'flaot')");
    expect(twoLines(cli(['diverge', '--random']))).toBe('yuma-wasm: option --random needs a value');
    const help = cli(['simulate', '--days', '1', '--help']);
    expect([help.code, help.stderr, help.stdout.split('\n')[0]]).toEqual([0, '', 'Usage: yuma-wasm simulate [options]']);
  });

  it('the main help lists the exit codes (0 done, 2 bad usage or input, 1 internal error)', () => {
    const r = cli(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Exit codes: 0 done; 2 bad usage or bad input (one line on stderr says what to fix); 1 an internal error');
  });
});
