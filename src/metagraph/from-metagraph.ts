import { YumaError } from '../errors.js';
import { MAX_UIDS } from '../epoch/limits.js';
import { resolveHyper } from '../epoch/prepare.js';
import { DEFAULT_HYPERPARAMS, type EpochInput, type Hyperparams } from '../epoch/types.js';
import { vecU16MaxUpscaleToU16 } from '../subnet/max-upscale.js';
import { RAO, U64_MAX } from '../units.js';
import { describe, show } from '../validation/describe.js';
import { guard, readList, readOptions } from '../validation/read.js';
import { toInt, toU64 } from '../validation/values.js';

/**
 * A metagraph as the Python SDK shows it (`bittensor.Metagraph` after `sync`, or `get_metagraph_info`), e.g. a
 * JSON dump of its fields. Only the fields the epoch needs are read; everything else (hotkeys, axons, `I`, `C`, …)
 * is ignored. Long and short SDK names are both accepted (`S` or `stake` or `total_stake`, `W` or `weights`, …).
 */
export interface MetagraphLike {
  /** The block the metagraph was read at: the epoch's `currentBlock`. */
  block: number | string;
  /** UIDs (default: the length of `S`). */
  n?: number;
  /** The subnet's tempo in blocks (default 360, with a note). */
  tempo?: number;
  /** Stake weight per UID in TAO (or alpha) as floats or decimal strings, 9 decimals = rao. Also `stake`, `total_stake`. */
  S?: ReadonlyArray<number | string>;
  /** The SDK's long name of `S`. */
  stake?: ReadonlyArray<number | string>;
  /** Another SDK name of `S`. */
  total_stake?: ReadonlyArray<number | string>;
  /** n rows of n weights: floats (the SDK's row-normalised view) or u16 values; or sparse `[uid, value]` rows. Also `weights`. */
  W?: ReadonlyArray<ReadonlyArray<number | readonly [number, number]>>;
  /** The SDK's long name of `W`. */
  weights?: ReadonlyArray<ReadonlyArray<number | readonly [number, number]>>;
  /** Bonds: u16 values as the chain stores them (or fractions of 65535). Also `bonds`. Absent: no bonds. */
  B?: ReadonlyArray<ReadonlyArray<number | readonly [number, number]>>;
  /** The SDK's long name of `B`. */
  bonds?: ReadonlyArray<ReadonlyArray<number | readonly [number, number]>>;
  /** Block of each UID's last weight update. */
  last_update: ReadonlyArray<number | string>;
  /** Block in which each UID registered. */
  block_at_registration: ReadonlyArray<number | string>;
  /** Permits from the previous epoch (booleans, or 0/1 as a tensor dumps them). */
  validator_permit: ReadonlyArray<boolean | number>;
  /** `MetagraphInfo.last_step`: block of the last epoch. Or `blocks_since_last_step`. */
  last_step?: number | string;
  /** Blocks since the last epoch: `last_step = block − blocks_since_last_step`. */
  blocks_since_last_step?: number | string;
  /** Last epoch's emission per UID (TAO floats): their sum is the default emission to distribute. Also `emission`. */
  E?: ReadonlyArray<number | string>;
  /** The SDK's long name of `E`. */
  emission?: ReadonlyArray<number | string>;
  /** Alpha waiting to be distributed at the next epoch (`MetagraphInfo.pending_alpha_emission`, alpha as a float). */
  pending_alpha_emission?: number | string;
  /** Hotkey per UID; with `owner_hotkey`, gives the epoch's `ownerUid`. */
  hotkeys?: readonly string[];
  /** The subnet owner's hotkey. */
  owner_hotkey?: string;
  /** Hyper-parameters by their SDK names, here or at the top level (`kappa`, `bonds_moving_avg`, …). Also `hyperparameters`. */
  hparams?: Record<string, unknown>;
  /** Another name of `hparams`. */
  hyperparameters?: Record<string, unknown>;
  /** Any other field of the dump (ignored). */
  [field: string]: unknown;
}

/** Overrides for what a metagraph does not carry. */
export interface FromMetagraphOptions {
  /** Block of the last epoch (`LastMechansimStepBlock`), at most `block`; default `last_step`, else `block − blocks_since_last_step`, else 0. */
  lastStepBlock?: number | bigint | string;
  /** Alpha (rao) this epoch distributes; default `pending_alpha_emission`, else Σ `E`, else 10⁹ (one alpha). */
  raoEmission?: bigint | number | string;
}

/** An epoch built from a metagraph, and every assumption made on the way (print them: they change results). */
export interface MetagraphEpoch {
  /** The epoch input, in the chain's storage units (ready for `engine.epoch`). */
  input: EpochInput;
  /** Hyper-parameters read from the metagraph (chain units); the rest are the chain's defaults. */
  hyper: Partial<Hyperparams>;
  /** What was not in the metagraph and was filled in, and how the values were read; one sentence each. */
  assumptions: string[];
}

/** The optional scalar fields of a dump (the optional lists and matrices are read through `pick`, which skips null). */
const OPTIONAL_SCALARS = ['n', 'tempo', 'last_step', 'blocks_since_last_step', 'pending_alpha_emission'] as const;

/** SDK hyper-parameter names → ours. */
const HYPER_NAMES: Record<string, keyof Hyperparams> = {
  kappa: 'kappa',
  bonds_moving_avg: 'bondsMovingAverage',
  bonds_moving_average: 'bondsMovingAverage',
  bonds_penalty: 'bondsPenalty',
  activity_cutoff: 'activityCutoff',
  max_validators: 'maxAllowedValidators',
  max_allowed_validators: 'maxAllowedValidators',
  liquid_alpha_enabled: 'liquidAlphaEnabled',
  alpha_low: 'alphaLow',
  alpha_high: 'alphaHigh',
  alpha_sigmoid_steepness: 'alphaSigmoidSteepness',
  yuma3_enabled: 'yuma3Enabled',
  stake_threshold: 'stakeThreshold',
};

/**
 * TAO (a float or decimal string, as the SDK prints `Balance`s) → rao, exactly: the number's shortest decimal
 * form is read digit by digit, so `1547863.845838995` is 1 547 863 845 838 995 rao, with no float product on the
 * way. More than 9 decimals are rounded half up to the rao (`fromMetagraph` says so in its assumptions). `field`
 * names the value in messages.
 */
export function taoToRao(value: unknown, field = 'value'): bigint {
  if (typeof field !== 'string') throw new YumaError('E_ARG', `field must be a string, the name messages give the value (got ${describe(field)})`);
  return taoAmount(value, field).rao;
}

/** `taoToRao`, and whether the amount had digits past the rao that were rounded away. */
function taoAmount(value: unknown, field: string): { rao: bigint; rounded: boolean } {
  let text: string;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new YumaError('E_NAN', `${field} is ${show(value)}`);
    if (value < 0) throw new YumaError('E_RANGE', `${field} is negative (${show(value)})`);
    text = value.toFixed(20).replace(/0+$/, '');
    // toFixed(20) shows the binary value's digits; the shortest round-trip form is what the SDK printed.
    const shortest = String(value);
    if (!/e/i.test(shortest)) text = shortest;
  } else if (typeof value === 'string') {
    text = value.trim();
  } else if (typeof value === 'bigint') {
    throw new YumaError('E_ARG', `${field} is a bigint; metagraph stakes are TAO (floats or decimal strings), give rao through the EpochInput instead`);
  } else {
    throw new YumaError('E_ARG', `${field} must be an amount of TAO (got ${describe(value)})`);
  }
  const m = /^([0-9]{1,20})(?:\.([0-9]*))?$/.exec(text);
  if (!m) throw new YumaError('E_ARG', `${field} must be a non-negative amount of TAO (got ${show(value)})`);
  const frac = (m[2] ?? '').padEnd(10, '0');
  let rao = BigInt(m[1]) * RAO + BigInt(frac.slice(0, 9));
  if (Number(frac[9]) >= 5) rao += 1n;
  if (rao > U64_MAX) throw new YumaError('E_RANGE', `${field} = ${show(value)} TAO exceeds u64 rao`);
  return { rao, rounded: /[1-9]/.test(frac.slice(9)) };
}

/** A list of the metagraph, copied once (no holes): n values. */
function list(v: unknown, field: string, n: number): unknown[] {
  if (!Array.isArray(v)) throw new YumaError('E_SHAPE', `${field} must be an array of n = ${n} values (got ${describe(v)})`);
  const a = readList(v, field, MAX_UIDS);
  if (a.length !== n) throw new YumaError('E_SHAPE', `${field} has length ${a.length}, expected n = ${n}`);
  return a;
}

function pick(mg: Record<string, unknown>, names: string[]): [string, unknown] | undefined {
  for (const k of names) if (mg[k] !== undefined && mg[k] !== null) return [k, mg[k]];
  return undefined;
}

type Cell = number | readonly [number, number];

/** Rows of a matrix as dense number rows of n (sparse `[uid, value]` rows spread out). */
function denseRows(v: unknown, field: string, n: number): number[][] {
  const rows = list(v, field, n);
  return rows.map((given, i) => {
    if (!Array.isArray(given)) throw new YumaError('E_SHAPE', `${field}[${i}] must be a row (got ${describe(given)})`);
    const r = readList(given, `${field}[${i}]`, MAX_UIDS);
    const out = new Array<number>(n).fill(0);
    // an empty row can only be a sparse row without entries (a miner's in a sparse dump), as the engine reads it
    if (r.length === 0) return out;
    if (Array.isArray(r[0])) {
      const seen = new Set<number>();
      for (const [e, pair] of (r as Cell[]).entries()) {
        if (!Array.isArray(pair)) throw new YumaError('E_SHAPE', `${field}[${i}][${e}] must be a [uid, value] pair`);
        const p = readList(pair, `${field}[${i}][${e}]`, 2);
        if (p.length !== 2) throw new YumaError('E_SHAPE', `${field}[${i}][${e}] must be a [uid, value] pair`);
        const j = toInt(p[0], `${field}[${i}][${e}] uid`, 0, n - 1);
        // one value per uid, as the engine refuses a row listing one twice (keeping either would be a guess)
        if (seen.has(j)) throw new YumaError('E_SHAPE', `${field}[${i}] lists uid ${j} twice`);
        seen.add(j);
        out[j] = finite(p[1], `${field}[${i}][${e}] value`);
      }
      return out;
    }
    if (r.length !== n) throw new YumaError('E_SHAPE', `${field}[${i}] has ${r.length} values, expected n = ${n}`);
    for (let j = 0; j < n; j++) out[j] = finite(r[j], `${field}[${i}][${j}]`);
    return out;
  });
}

function finite(x: unknown, field: string): number {
  if (typeof x !== 'number') throw new YumaError('E_ARG', `${field} must be a number (got ${describe(x)})`);
  if (!Number.isFinite(x)) throw new YumaError('E_NAN', `${field} is ${show(x)}`);
  if (x < 0) throw new YumaError('E_RANGE', `${field} is negative (${show(x)})`);
  return x;
}

/** True when every value is a whole number and some is above 1: u16 values, not fractions. */
function looksU16(rows: number[][]): boolean {
  let above1 = false;
  for (const r of rows) {
    for (const x of r) {
      if (!Number.isInteger(x)) return false;
      if (x > 1) above1 = true;
    }
  }
  return above1;
}

/**
 * The epoch input a metagraph describes, converted the way the chain stores it:
 * - stake `S` in TAO → rao, exactly (decimal digits, no float product);
 * - each weight row of `W` max-upscaled to u16 as `set_weights` stores it (floats: `round(w / max · 65535)`, then
 *   the chain's own `vec_u16_max_upscale_to_u16`; u16 rows: the chain's upscale alone), zeros not stored;
 * - bonds `B` as u16 (fractions of 65535 are rounded to u16);
 * - hyper-parameters by their SDK names (`kappa`, `bonds_moving_avg`, `activity_cutoff`, `max_validators`,
 *   `liquid_alpha_enabled`, `alpha_low`, `alpha_high`, `alpha_sigmoid_steepness`, `bonds_penalty`,
 *   `yuma_version` 3 → Yuma3, `stake_threshold` in TAO), chain units, defaults for the rest.
 * What a metagraph does not carry — the last epoch's block, the emission to distribute — is taken from the
 * fields that imply it or defaulted, and said in `assumptions`. Throws `YumaError` on a bad field.
 */
export function fromMetagraph(metagraph: MetagraphLike, opts: FromMetagraphOptions = {}): MetagraphEpoch {
  return guard('metagraph', () => readMetagraph(metagraph, opts ?? {}));
}

function readMetagraph(metagraph: MetagraphLike, opts: FromMetagraphOptions): MetagraphEpoch {
  if (metagraph === null || typeof metagraph !== 'object' || Array.isArray(metagraph)) {
    throw new YumaError('E_ARG', `a metagraph must be an object (got ${describe(metagraph)})`);
  }
  opts = readOptions(opts, 'fromMetagraph options', ['lastStepBlock', 'raoEmission']) as FromMetagraphOptions;
  // one read of each field (an SDK dump is a plain object; its fields are looked at more than once below)
  const mg: Record<string, unknown> = { ...(metagraph as Record<string, unknown>) };
  // A dump written from Python holds None as null: an optional field that is null is absent, with the same default
  // and note, as the matrices, E, hotkeys and hyper-parameters already were (tempo: null took 360 without the note;
  // n, last_step, blocks_since_last_step and pending_alpha_emission were refused). A required field stays refused.
  for (const k of OPTIONAL_SCALARS) if (mg[k] === null) delete mg[k];
  const notes: string[] = [];
  // amounts finer than a rao are rounded (as documented) and said, once, in the notes
  let rounded = 0;
  let firstRounded = '';
  const tao = (value: unknown, field: string): bigint => {
    const a = taoAmount(value, field);
    if (a.rounded && rounded++ === 0) firstRounded = `${field} = ${typeof value === 'string' ? value.trim() : String(value)} → ${a.rao} rao`;
    return a.rao;
  };

  const stakeField = pick(mg, ['S', 'stake', 'total_stake']);
  if (!stakeField) throw new YumaError('E_SHAPE', 'the metagraph has no stake (S, stake or total_stake)');
  if (!Array.isArray(stakeField[1])) throw new YumaError('E_SHAPE', `${stakeField[0]} must be an array (got ${describe(stakeField[1])})`);
  const stakeList = readList(stakeField[1], stakeField[0], MAX_UIDS);
  const n = mg.n === undefined ? stakeList.length : toInt(mg.n, 'n', 0, MAX_UIDS);
  const stake = list(stakeList, stakeField[0], n).map((x, i) => tao(x, `${stakeField[0]}[${i}]`));

  const block = toU64(mg.block, 'block');
  const tempo = toInt(mg.tempo ?? 360, 'tempo', 0, 65535);
  if (mg.tempo === undefined) notes.push('tempo not given: used 360 (the chain default).');

  // the per-UID lists first: a metagraph missing one is refused before the n² matrices below are built
  const lastUpdate = list(mg.last_update, 'last_update', n).map((x, i) => toU64(x, `last_update[${i}]`));
  const blockAtRegistration = list(mg.block_at_registration, 'block_at_registration', n).map((x, i) => toU64(x, `block_at_registration[${i}]`));
  const validatorPermit = list(mg.validator_permit, 'validator_permit', n).map((x, i) => {
    if (typeof x === 'boolean') return x;
    if (x === 0 || x === 1) return x === 1;
    throw new YumaError('E_ARG', `validator_permit[${i}] must be true/false or 0/1 (got ${show(x)})`);
  });

  const wField = pick(mg, ['W', 'weights']);
  const wRows = wField ? denseRows(wField[1], wField[0], n) : null;
  const bField = pick(mg, ['B', 'bonds']);
  const bRows = bField ? denseRows(bField[1], bField[0], n) : null;
  const weights = new Uint16Array(n * n);
  if (!wField || wRows === null) {
    notes.push('no weights (W) given: every row is empty, so nobody is paid for serving. Sync the metagraph with lite=False.');
  } else {
    const rows = wRows;
    const u16 = looksU16(rows);
    rows.forEach((r, i) => {
      if (u16) r.forEach((x, j) => void toInt(x, `${wField[0]}[${i}][${j}]`, 0, 65535));
      const max = Math.max(0, ...r);
      if (max === 0) return;
      const raw = u16 ? r : r.map((x) => Math.round((x / max) * 65535));
      const stored = vecU16MaxUpscaleToU16(raw);
      for (let j = 0; j < n; j++) weights[i * n + j] = stored[j];
    });
    notes.push(
      u16
        ? `${wField[0]} read as u16 values; each row max-upscaled like set_weights.`
        : `${wField[0]} read as fractions; each row scaled to u16 with its largest entry at 65535, as set_weights stores it (zeros are not stored).`,
    );
  }

  const bonds = new Uint16Array(n * n);
  if (!bField || bRows === null) {
    notes.push('no bonds (B) given: the epoch starts from empty bonds, so dividends follow this epoch alone.');
  } else {
    const rows = bRows;
    const u16 = looksU16(rows) || rows.every((r) => r.every((x) => x === 0));
    rows.forEach((r, i) =>
      r.forEach((x, j) => {
        bonds[i * n + j] = u16 ? toInt(x, `${bField[0]}[${i}][${j}]`, 0, 65535) : Math.min(65535, Math.round(x * 65535));
      }),
    );
    if (!u16) notes.push(`${bField[0]} read as fractions of 65535 and rounded to u16.`);
  }

  // The last epoch ran at or before the block the metagraph was read at: a later one (a block number mistyped, a
  // dump of another subnet's step) cannot have happened, and the engine would mask registrations against it.
  const noLaterThanBlock = (step: bigint, name: string): bigint => {
    if (step > block) throw new YumaError('E_ARG', `${name} ${step} is later than the metagraph's block ${block}: the last epoch cannot come after the block it was read at`);
    return step;
  };
  let lastStepBlock: bigint;
  if (opts.lastStepBlock !== undefined) lastStepBlock = noLaterThanBlock(toU64(opts.lastStepBlock, 'lastStepBlock'), 'lastStepBlock');
  else if (mg.last_step !== undefined) lastStepBlock = noLaterThanBlock(toU64(mg.last_step, 'last_step'), 'last_step');
  else if (mg.blocks_since_last_step !== undefined) {
    const since = toU64(mg.blocks_since_last_step, 'blocks_since_last_step');
    if (since > block) throw new YumaError('E_ARG', `blocks_since_last_step ${since} is more than the metagraph's block ${block}: the last epoch would come before block 0`);
    lastStepBlock = block - since;
  } else {
    lastStepBlock = 0n;
    notes.push(
      'lastStepBlock unknown: used 0, so UIDs registered in the last `tempo` blocks count as new (their bonds are masked). ' +
        'Pass MetagraphInfo.last_step (subtensor.get_metagraph_info(netuid)) or --last-step for the chain\'s exact mask.',
    );
  }

  let raoEmission: bigint;
  const eField = pick(mg, ['E', 'emission']);
  if (opts.raoEmission !== undefined) raoEmission = toU64(opts.raoEmission, 'raoEmission');
  else if (mg.pending_alpha_emission !== undefined) raoEmission = tao(mg.pending_alpha_emission, 'pending_alpha_emission');
  else if (eField) {
    raoEmission = list(eField[1], eField[0], n).reduce<bigint>((acc, x, i) => acc + tao(x, `${eField[0]}[${i}]`), 0n);
    notes.push(`raoEmission not given: used Σ ${eField[0]} = ${raoEmission} rao, what the last epoch paid. The chain pays the subnet's pending alpha (MetagraphInfo.pending_alpha_emission).`);
  } else {
    raoEmission = RAO;
    notes.push('raoEmission not given: used 10^9 rao (one alpha), so emissions read as shares. Pass MetagraphInfo.pending_alpha_emission or --emission for amounts.');
  }

  const hyper: Partial<Hyperparams> = {};
  const sources = [mg, mg.hparams, mg.hyperparameters].filter((x): x is Record<string, unknown> => x !== null && typeof x === 'object');
  for (const src of sources) {
    for (const [sdk, ours] of Object.entries(HYPER_NAMES)) {
      const v = src[sdk];
      if (v === undefined || v === null) continue;
      if (ours === 'stakeThreshold') (hyper as Record<string, unknown>)[ours] = tao(v, sdk);
      else (hyper as Record<string, unknown>)[ours] = v;
    }
    const yv = src.yuma_version;
    if (yv !== undefined && yv !== null) {
      const version = toInt(yv, 'yuma_version', 1, 3);
      hyper.yuma3Enabled = version === 3;
    }
  }
  if (rounded > 0) {
    notes.push(`${rounded} TAO amount${rounded === 1 ? ' has' : 's have'} more than 9 decimals and ${rounded === 1 ? 'was' : 'were'} rounded half up to whole rao (the first: ${firstRounded}).`);
  }
  resolveHyper(hyper, 'metagraph hyper-parameters'); // refuse bad values here, naming where they came from
  const defaulted = (Object.keys(DEFAULT_HYPERPARAMS) as Array<keyof Hyperparams>).filter((k) => hyper[k] === undefined);
  if (defaulted.length > 0) notes.push(`hyper-parameters not in the metagraph, chain defaults used: ${defaulted.join(', ')}.`);

  let ownerUid: number | undefined;
  if (typeof mg.owner_hotkey === 'string' && Array.isArray(mg.hotkeys)) {
    // only the n UIDs' hotkeys: indexOf would walk whatever length the list claims (2^32 − 1 for a Proxy)
    const hotkeys = mg.hotkeys as unknown[];
    const len = Math.min(n, hotkeys.length);
    for (let u = 0; u < len && ownerUid === undefined; u++) if (hotkeys[u] === mg.owner_hotkey) ownerUid = u;
  }

  const input: EpochInput = {
    n,
    currentBlock: block,
    tempo,
    lastStepBlock,
    stake,
    weights,
    bonds,
    lastUpdate,
    blockAtRegistration,
    validatorPermit,
    ...(ownerUid !== undefined ? { ownerUid } : {}),
    raoEmission,
  };
  return { input, hyper, assumptions: notes };
}
