import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { runCliCaptured } from './helpers/cli.js';
import {
  combinedEmission,
  createEngineSync,
  fromMetagraph,
  metagraphView,
  taoToRao,
  toJSON,
  vecU16MaxUpscaleToU16,
  type EpochInput,
  type Hyperparams,
  type MetagraphLike,
} from '../src/index.js';
import { expectYumaError } from './helpers/errors.js';
import { plain } from './helpers/json.js';

const engine = createEngineSync();
const lines = gunzipSync(readFileSync(new URL('fixtures/chain-sparse-epochs.jsonl.gz', import.meta.url))).toString('utf8').trim().split('\n');

interface Case {
  input: EpochInput & { weights: number[][]; bonds: number[][]; stake: string[]; raoEmission: string };
  hyper: Hyperparams & { stakeThreshold: string };
}

/**
 * A chain conformance epoch with its weight rows max-upscaled (what set_weights stores), and the same epoch as the
 * SDK would show it: S in TAO floats, W rows normalised to sum 1 (the SDK's dense view), B as u16, hyper-parameters
 * by SDK names.
 */
function sdkPair(k: number): { input: EpochInput; hyper: Hyperparams; metagraph: MetagraphLike } {
  const c = JSON.parse(lines[k]) as Case;
  const weights = c.input.weights.map((r) => (r.some((x) => x > 0) ? vecU16MaxUpscaleToU16(r) : r));
  const input: EpochInput = { ...c.input, weights: Uint16Array.from(weights.flat()), bonds: Uint16Array.from(c.input.bonds.flat()), stake: c.input.stake.map(BigInt), raoEmission: BigInt(c.input.raoEmission) };
  const hyper = { ...c.hyper, stakeThreshold: BigInt(c.hyper.stakeThreshold) };
  const h = c.hyper;
  const metagraph: MetagraphLike = {
    block: Number(c.input.currentBlock),
    tempo: c.input.tempo,
    S: c.input.stake.map((s) => Number(s) / 1e9),
    W: weights.map((r) => {
      const sum = r.reduce((a, b) => a + b, 0);
      return r.map((x) => (sum > 0 ? x / sum : 0));
    }),
    B: c.input.bonds,
    last_update: c.input.lastUpdate as number[],
    block_at_registration: c.input.blockAtRegistration as number[],
    validator_permit: c.input.validatorPermit.map((p) => (p ? 1 : 0)),
    last_step: Number(c.input.lastStepBlock),
    pending_alpha_emission: Number(c.input.raoEmission) / 1e9,
    hotkeys: c.input.stake.map((_, i) => `hk${i}`),
    hparams: {
      kappa: h.kappa,
      bonds_moving_avg: h.bondsMovingAverage,
      bonds_penalty: h.bondsPenalty,
      activity_cutoff: h.activityCutoff,
      max_validators: h.maxAllowedValidators,
      liquid_alpha_enabled: h.liquidAlphaEnabled,
      alpha_low: h.alphaLow,
      alpha_high: h.alphaHigh,
      alpha_sigmoid_steepness: h.alphaSigmoidSteepness,
      yuma_version: h.yuma3Enabled ? 3 : 2,
      stake_threshold: Number(h.stakeThreshold) / 1e9,
    },
    // Fields a real dump carries and the epoch does not read.
    I: c.input.stake.map(() => 0),
    axons: [],
  };
  return { input, hyper, metagraph };
}

describe('fromMetagraph: the SDK metagraph converted as the chain stores it', () => {
  for (const k of [6, 17, 28, 77]) {
    it(`conformance case ${k}: stake to the rao, weights back to the stored u16 rows, hyper-parameters by SDK name, same epoch`, () => {
      const { input, hyper, metagraph } = sdkPair(k);
      const got = fromMetagraph(metagraph);
      expect(got.input.stake).toEqual(input.stake);
      expect(Array.from(got.input.weights as Uint16Array)).toEqual(Array.from(input.weights as Uint16Array));
      expect(Array.from(got.input.bonds as Uint16Array)).toEqual(Array.from(input.bonds as Uint16Array));
      expect(got.input.lastStepBlock).toBe(BigInt(input.lastStepBlock));
      expect(got.input.raoEmission).toBe(input.raoEmission);
      expect(got.hyper).toEqual(hyper);
      expect(got.assumptions.join(' ')).not.toMatch(/lastStepBlock unknown|raoEmission not given|defaults used/);
      const want = engine.epoch(input, hyper);
      const out = engine.epoch(got.input, got.hyper);
      expect(toJSON(out)).toEqual(toJSON(want));
    });
  }

  it('u16 weight rows give the same input as the float rows (max-upscaled like set_weights)', () => {
    const { metagraph } = sdkPair(28);
    const asU16 = { ...metagraph, W: (fromMetagraph(metagraph).input.weights as Uint16Array).reduce<number[][]>((rows, x, k) => {
      const n = metagraph.S!.length;
      if (k % n === 0) rows.push([]);
      rows[rows.length - 1].push(x);
      return rows;
    }, []) };
    // the whole input (stake, blocks, permits, bonds…), not only the weights the two spell differently
    expect(plain(fromMetagraph(asU16).input)).toEqual(plain(fromMetagraph(metagraph).input));
    // set_weights([1, 2]) stores [32768, 65535]: a u16 row that is not yet upscaled is upscaled as the chain does
    const tiny: MetagraphLike = { block: 10, S: [1, 0], W: [[0, 2], [0, 0]], last_update: [9, 9], block_at_registration: [0, 0], validator_permit: [true, false] };
    expect(Array.from(fromMetagraph(tiny).input.weights as Uint16Array)).toEqual([0, 65535, 0, 0]);
  });

  it('says what it assumed: lastStepBlock (else block − blocks_since_last_step), raoEmission (else the sum of E, with guidance), tempo, bonds, default hyper-parameters; S read as stake or total_stake too', () => {
    const mg: MetagraphLike = { block: 100, S: [10, 5, 0], W: [[0, 0, 1], [0, 0, 1], [0, 0, 0]], last_update: [99, 99, 0], block_at_registration: [0, 0, 0], validator_permit: [true, true, false] };
    const got = fromMetagraph(mg);
    const text = got.assumptions.join('\n');
    expect(text).toMatch(/lastStepBlock unknown: used 0.*last_step/s);
    expect(text).toMatch(/raoEmission not given: used 10\^9 rao.*pending_alpha_emission/s);
    expect(text).toMatch(/tempo not given: used 360/);
    expect(text).toMatch(/no bonds \(B\) given/);
    expect(text).toMatch(/chain defaults used: kappa, bondsMovingAverage/);
    expect(got.input.raoEmission).toBe(1_000_000_000n);
    // without pending_alpha_emission, the sum of E (1.25 alpha here: the default would be 1)
    expect(fromMetagraph({ ...mg, E: [0.5, 0.25, 0.5] }).input.raoEmission).toBe(1_250_000_000n);
    expect(fromMetagraph(mg, { lastStepBlock: 90, raoEmission: '7' }).input).toMatchObject({ lastStepBlock: 90n, raoEmission: 7n });
    expect(fromMetagraph({ ...mg, blocks_since_last_step: 12 }).input.lastStepBlock).toBe(88n);
    // the stake under its other SDK names
    const { S, ...rest } = mg;
    for (const name of ['stake', 'total_stake']) expect(fromMetagraph({ ...rest, [name]: S }).input.stake, name).toEqual(got.input.stake);
  });

  it('TAO to rao exactly, from floats and decimal strings', () => {
    expect(taoToRao(1547863.845838995, 's')).toBe(1_547_863_845_838_995n);
    expect(taoToRao('0.000000001', 's')).toBe(1n);
    expect(taoToRao(0.1 + 0.2, 's')).toBe(300_000_000n); // 0.30000000000000004: the 10th decimal rounds away
    expect(taoToRao(1e-7, 's')).toBe(100n);
    expect(taoToRao('18446744073.709551615', 's')).toBe(2n ** 64n - 1n);
  });

  it('refuses bad fields with YumaError and a code', () => {
    const mg: MetagraphLike = { block: 100, S: [10, 5], W: [[0, 1], [0, 0]], last_update: [99, 99], block_at_registration: [0, 0], validator_permit: [true, true] };
    expectYumaError(() => fromMetagraph({ ...mg, S: [Number.NaN, 1] }), 'E_NAN');
    expectYumaError(() => fromMetagraph({ ...mg, S: [-1, 1] }), 'E_RANGE');
    expectYumaError(() => fromMetagraph({ ...mg, S: [1] }), 'E_SHAPE');
    expectYumaError(() => fromMetagraph({ ...mg, W: [[0, 70000], [0, 0]] }), 'E_RANGE');
    expectYumaError(() => fromMetagraph({ ...mg, W: [[0, 1, 0], [0, 0]] }), 'E_SHAPE');
    expectYumaError(() => fromMetagraph({ ...mg, validator_permit: [true, 'yes' as never] }), 'E_ARG');
    expectYumaError(() => fromMetagraph({ ...mg, S: undefined }), 'E_SHAPE');
    expectYumaError(() => fromMetagraph(mg, { raoEmision: 5 } as never), 'E_ARG');
    expectYumaError(() => fromMetagraph({ ...mg, hparams: { kappa: 70000 } }), 'E_RANGE');
  });
});

describe('metagraphView: the output as a metagraph reader expects it', () => {
  it('combined emission E, u16 rank and trust, R, T, C, I, D and Tv as u16/65535 (non-zero incentive, trust and dividends), S in TAO, JSON-safe', () => {
    const { input, hyper } = sdkPair(3); // an epoch with non-zero incentive and trust
    const out = engine.epoch(input, hyper);
    const view = metagraphView(input, out);
    expect(view.emission).toEqual(combinedEmission(out, input.raoEmission as bigint, 'fixed'));
    expect(view.E).toEqual(view.emission.map((e) => Number(e) / 1e9));
    expect(Array.from(view.rank)).toEqual(Array.from(out.incentive));
    expect(Array.from(view.trust)).toEqual(Array.from(out.float.trust, (t) => Math.floor(t * 65535)));
    expect([view.rank.some((r) => r > 0), view.trust.some((t) => t > 0)]).toEqual([true, true]);
    const u16 = (v: ArrayLike<number>) => Array.from(v, (x) => x / 65535);
    expect([view.R, view.T, view.C, view.I, view.D, view.Tv]).toEqual([u16(view.rank), u16(view.trust), u16(out.consensus), u16(out.incentive), u16(out.dividends), u16(out.validatorTrust)]);
    expect(view.D.some((d) => d > 0)).toBe(true);
    expect(view.S).toEqual((input.stake as bigint[]).map((s) => Number(s) / 1e9));
    const paid = view.emission.reduce((a, b) => a + b, 0n);
    expect(paid).toBeLessThanOrEqual(input.raoEmission as bigint);
    // each UID's I32F32 share truncates (< 2^-32 of the emission) and its rao floors (< 1)
    const rao = input.raoEmission as bigint;
    expect(paid).toBeGreaterThan(rao - BigInt(input.n) * (rao / 2n ** 32n + 1n));
    expect(() => JSON.stringify(toJSON(view))).not.toThrow();
  });
});

describe('yuma-wasm epoch --metagraph', () => {
  const dir = mkdtempSync(join(tmpdir(), 'yuma-mg-'));
  const cli = (argv: string[]) => runCliCaptured(argv, engine);

  it('reads an SDK dump, notes its assumptions on stderr and prints the output with its metagraph view', () => {
    const { input, hyper, metagraph } = sdkPair(6);
    const { last_step: _drop, ...withoutStep } = metagraph;
    const file = join(dir, 'mg.json');
    writeFileSync(file, JSON.stringify(withoutStep));
    const r = cli(['epoch', '--metagraph', file, '--last-step', String(input.lastStepBlock)]);
    expect(r.code).toBe(0);
    expect(r.stderr).not.toMatch(/not given|unknown/);
    const json = JSON.parse(r.stdout);
    const want = toJSON(engine.epoch(input, hyper));
    expect(json.incentive).toEqual(want.incentive);
    expect(json.validatorEmission).toEqual(want.validatorEmission);
    expect(json.metagraph.E).toHaveLength(input.n);
    expect(json.assumptions.join(' ')).not.toMatch(/not given|unknown/);
    const r2 = cli(['epoch', '--metagraph', file]);
    expect(r2.code).toBe(0);
    expect(r2.stderr).toMatch(/^note: lastStepBlock unknown/m);
  });

  it('a bad dump is one line, exit code 2, the code not repeated', () => {
    const file = join(dir, 'bad.json');
    writeFileSync(file, JSON.stringify({ block: 1, S: ['x'], last_update: [0], block_at_registration: [0], validator_permit: [true] }));
    const r = cli(['epoch', '--metagraph', file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/metagraph '.*bad\.json': S\[0\] must be a non-negative amount of TAO/);
    expect(r.stderr).not.toMatch(/E_[A-Z]+/);
    // the one line naming the field, then the --help pointer
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^yuma-wasm: metagraph /);
    expect(lines[1]).toBe("Run 'yuma-wasm epoch --help' for usage.");
  });
});
