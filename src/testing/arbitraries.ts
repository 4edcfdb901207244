import fc from 'fast-check';
import { YumaError } from '../errors.js';
import { MAX_MECHANISMS, MAX_UIDS } from '../epoch/limits.js';
import { EPOCH_INPUT_KEYS, readMatrix } from '../epoch/prepare.js';
import { readList, readOptions } from '../validation/read.js';
import { oneOf, toAmount, toBool, toInt } from '../validation/values.js';
import { DEFAULT_HYPERPARAMS, type EpochInput, type Hyperparams, type MechanismEpochInput, type MechanismInput, type SparseRow, type U16Matrix } from '../epoch/types.js';

/** Subnet shapes the generators mix in on purpose, because random draws almost never hit them. */
export type SubnetFlavour =
  | 'random'
  | 'zero-stake' // nobody has stake
  | 'all-zero-weights' // rows exist but every stored value is 0
  | 'one-validator' // a single staked UID sets weights
  | 'single-uid' // n = 1
  | 'ties' // equal stakes and identical weight rows
  | 'all-inactive' // every lastUpdate is older than the activity cutoff
  | 'outdated-weights' // weights set at or before the targets' registration
  | 'fresh-registrations' // UIDs registered since the last epoch (bond columns masked)
  | 'owner'; // an owner UID with stake and a self-weight

/** Every `SubnetFlavour` (what `arbEpochInput` draws from by default). */
export const SUBNET_FLAVOURS: readonly SubnetFlavour[] = Object.freeze([
  'random',
  'zero-stake',
  'all-zero-weights',
  'one-validator',
  'single-uid',
  'ties',
  'all-inactive',
  'outdated-weights',
  'fresh-registrations',
  'owner',
] as const);

const INPUT_OPTION_KEYS = ['minN', 'maxN', 'layout', 'flavours', 'maxStake', 'maxEmission', 'activityCutoff'] as const;
const MECHANISM_OPTION_KEYS = [...INPUT_OPTION_KEYS, 'minMechanisms', 'maxMechanisms', 'split'] as const;
const HYPER_OPTION_KEYS = ['variant', 'maxValidators'] as const;

/** Generator options, read once and checked (a generator built from bad options fails here, not mid-run). */
function inputOptions(opts: unknown, where: string, keys: readonly string[] = INPUT_OPTION_KEYS): Required<ArbEpochInputOptions> {
  const o = readOptions(opts, where, keys) as Record<string, unknown>;
  const minN = toInt(o.minN ?? 1, 'minN', 1, MAX_UIDS);
  const flavours = o.flavours === undefined ? SUBNET_FLAVOURS : readList(o.flavours, 'flavours', 64).map((f, i) => oneOf(f, `flavours[${i}]`, SUBNET_FLAVOURS));
  if (flavours.length === 0) throw new YumaError('E_ARG', 'flavours must name at least one flavour');
  // the default largest n follows a larger smallest one; a largest n given below the smallest is a mistake, not a range
  if (o.maxN !== undefined && toInt(o.maxN, 'maxN', 1, MAX_UIDS) < minN) throw new YumaError('E_RANGE', `maxN (${String(o.maxN)}) is below minN (${minN})`);
  const maxN = Math.max(minN, toInt(o.maxN ?? 16, 'maxN', 1, MAX_UIDS));
  const maxStake = toAmount(o.maxStake ?? 1_000_000_000_000_000n, 'maxStake');
  // every drawn subnet must be one the engine takes: its total stake below 2^63 (I64F64)
  if (maxStake * BigInt(maxN) >= 1n << 63n) throw new YumaError('E_RANGE', `maxStake × maxN must stay below 2^63 (the total stake the chain's I64F64 holds)`);
  return {
    minN,
    maxN,
    layout: oneOf(o.layout ?? 'either', 'layout', ['sparse', 'dense', 'either'] as const),
    flavours,
    maxStake,
    maxEmission: toAmount(o.maxEmission ?? 1_000_000_000_000n, 'maxEmission', true),
    activityCutoff: toInt(o.activityCutoff ?? DEFAULT_HYPERPARAMS.activityCutoff, 'activityCutoff', 0, 0xffff_ffff),
  };
}

/** Options of `arbEpochInput`. */
export interface ArbEpochInputOptions {
  /** Smallest n (default 1; above 1 the `'single-uid'` flavour, n = 1, is not drawn). */
  minN?: number;
  /** Largest n (default 16, or minN when that is larger; given below minN it is E_RANGE). */
  maxN?: number;
  /** Layout of weights/bonds: `'sparse'` rows, `'dense'` Uint16Array, or `'either'` (default). */
  layout?: 'sparse' | 'dense' | 'either';
  /** Which flavours to draw from (default: all). */
  flavours?: readonly SubnetFlavour[];
  /** Largest per-UID stake in rao (default 10^15 = 1M TAO). */
  maxStake?: bigint;
  /** Largest `raoEmission` (default 10^12). */
  maxEmission?: bigint;
  /** Activity cutoff (blocks) the block numbers are generated around (default 5000). */
  activityCutoff?: number;
}

/**
 * Converts an input's weights and bonds to the other layout (dense loses explicit zero entries). The input is
 * read once; its matrices are checked as `engine.epoch` checks them (YumaError when they are not valid).
 */
export function withLayout(input: EpochInput, layout: 'sparse' | 'dense'): EpochInput {
  const to = oneOf(layout, 'layout', ['sparse', 'dense'] as const);
  const fields = readOptions(input, 'input', EPOCH_INPUT_KEYS, true) as Record<string, unknown>;
  const n = toInt(fields.n, 'n', 0, MAX_UIDS);
  const convert = (value: unknown, field: string): U16Matrix => {
    const m = readMatrix(value, n, field, false);
    if (to === 'dense') return m.values;
    const present = m.present;
    return Array.from({ length: n }, (_, i) => {
      const row: SparseRow = [];
      for (let j = 0; j < n; j++) {
        const k = i * n + j;
        if (present ? present[k] : m.values[k] !== 0) row.push([j, m.values[k]]);
      }
      return row;
    });
  };
  return { ...fields, weights: convert(fields.weights, 'weights'), bonds: convert(fields.bonds, 'bonds') } as unknown as EpochInput;
}

const u16 = () => fc.integer({ min: 0, max: 65535 });
/** u16 values leaning to the edges (0, 1, 65535) where rounding and clipping are decided. */
const u16Edgy = () => fc.oneof({ weight: 3, arbitrary: u16() }, { weight: 1, arbitrary: fc.constantFrom(0, 1, 32767, 32768, 65534, 65535) });

function sparseRows(n: number, value: fc.Arbitrary<number>, density: number): fc.Arbitrary<SparseRow[]> {
  const row = fc
    .array(fc.tuple(fc.integer({ min: 0, max: n - 1 }), value), { maxLength: Math.max(1, Math.ceil(n * density)) })
    .map((pairs) => {
      const seen = new Set<number>();
      return pairs.filter(([j]) => (seen.has(j) ? false : (seen.add(j), true))) as SparseRow;
    });
  return fc.array(row, { minLength: n, maxLength: n });
}

/**
 * Random subnet epoch inputs in chain storage units, mixing uniformly random subnets with the edge cases in
 * `SubnetFlavour`. Every generated input is valid for `engine.epoch` (any path, any mode).
 */
export function arbEpochInput(opts: ArbEpochInputOptions = {}): fc.Arbitrary<EpochInput> {
  const { minN, maxN, flavours, maxStake, maxEmission, activityCutoff: cutoff, layout } = inputOptions(opts, 'arbEpochInput options');
  const layouts: Array<'sparse' | 'dense'> = layout === 'either' ? ['sparse', 'dense'] : [layout];
  // 'single-uid' is n = 1 whatever n was drawn: below a minN above 1 it is left out (it drew n = 1 under minN: 20)
  const drawn = minN > 1 ? flavours.filter((f) => f !== 'single-uid') : flavours;
  if (drawn.length === 0) throw new YumaError('E_RANGE', `flavour 'single-uid' draws n = 1, below minN (${minN})`);

  return fc
    .record({
      flavour: fc.constantFrom(...drawn),
      n: fc.integer({ min: minN, max: maxN }),
      layout: fc.constantFrom(...layouts),
    })
    .chain(({ flavour, n: drawnN, layout }) => {
      const n = flavour === 'single-uid' ? 1 : drawnN;
      const stakeArb = fc.oneof(
        { weight: 2, arbitrary: fc.constant(0n) },
        { weight: 2, arbitrary: fc.bigInt({ min: 1n, max: 1000n }) },
        { weight: 3, arbitrary: fc.bigInt({ min: 1n, max: maxStake }) },
      );
      const weightValue = flavour === 'all-zero-weights' ? fc.constant(0) : u16Edgy();
      return fc
        .record({
          currentBlock: fc.integer({ min: 0, max: 3 * cutoff + 100 }),
          tempo: fc.oneof(fc.constantFrom(0, 1, 10, 360), fc.integer({ min: 0, max: 1000 })),
          stepAgo: fc.option(fc.integer({ min: 0, max: 2000 }), { nil: undefined }),
          stake: fc.array(stakeArb, { minLength: n, maxLength: n }),
          tieStake: fc.bigInt({ min: 1n, max: maxStake }),
          weights: sparseRows(n, weightValue, 1),
          bonds: fc.oneof(fc.constant(Array.from({ length: n }, () => [] as SparseRow)), sparseRows(n, u16Edgy(), 1)),
          luAgo: fc.array(fc.integer({ min: 0, max: 2 * cutoff }), { minLength: n, maxLength: n }),
          regAgo: fc.array(fc.integer({ min: 0, max: 3 * cutoff }), { minLength: n, maxLength: n }),
          permit: fc.array(fc.boolean(), { minLength: n, maxLength: n }),
          permitLength: fc.oneof({ weight: 9, arbitrary: fc.constant(n) }, { weight: 1, arbitrary: fc.integer({ min: 0, max: n }) }),
          owner: fc.integer({ min: 0, max: n - 1 }),
          validator: fc.integer({ min: 0, max: n - 1 }),
          raoEmission: fc.oneof(fc.constant(1_000_000_000n), fc.bigInt({ min: 0n, max: maxEmission })),
        })
        .map((d): EpochInput => {
          const cb = d.currentBlock;
          let stake = d.stake;
          let weights = d.weights;
          let lastUpdate = d.luAgo.map((a) => Math.max(0, cb - a));
          let reg = d.regAgo.map((a) => Math.max(0, cb - a));
          let lastStepBlock = d.stepAgo === undefined ? 0 : Math.max(0, cb - d.stepAgo);
          let permit = d.permit.slice(0, d.permitLength);
          let ownerUid: number | undefined;
          switch (flavour) {
            case 'zero-stake':
              stake = stake.map(() => 0n);
              break;
            case 'one-validator':
              stake = stake.map((_, i) => (i === d.validator ? d.tieStake : 0n));
              weights = weights.map((row, i) => (i === d.validator ? row : []));
              permit = Array.from({ length: n }, (_, i) => i === d.validator);
              break;
            case 'ties': {
              stake = stake.map(() => d.tieStake);
              const row = weights[0];
              weights = weights.map(() => row.map(([j, v]) => [j, v] as [number, number]));
              break;
            }
            case 'all-inactive':
              lastUpdate = lastUpdate.map(() => Math.max(0, cb - cutoff - 1 - (d.luAgo[0] % 100)));
              break;
            case 'outdated-weights':
              reg = reg.map((_, j) => Math.min(cb, lastUpdate[j % n] + (d.regAgo[j] % 3)));
              lastUpdate = lastUpdate.map((lu, i) => Math.min(lu, reg[(i + 1) % n]));
              break;
            case 'fresh-registrations':
              lastStepBlock = Math.max(0, cb - 1 - (d.stepAgo ?? 0) % 50);
              reg = reg.map((r, j) => (j % 2 === 0 ? Math.max(r, Math.min(cb, lastStepBlock + 1)) : r));
              break;
            case 'owner':
              ownerUid = d.owner;
              if (stake[d.owner] === 0n) stake = stake.map((s, i) => (i === d.owner ? d.tieStake : s));
              weights = weights.map((row, i) => (i === d.owner && !row.some(([j]) => j === i) ? [...row, [i, 65535] as [number, number]] : row));
              break;
            default:
              break;
          }
          const input: EpochInput = {
            n,
            currentBlock: cb,
            tempo: d.tempo,
            lastStepBlock,
            stake,
            weights,
            bonds: d.bonds,
            lastUpdate,
            blockAtRegistration: reg,
            validatorPermit: permit,
            raoEmission: d.raoEmission,
            ...(ownerUid !== undefined ? { ownerUid } : {}),
          };
          return layout === 'dense' ? withLayout(input, 'dense') : input;
        });
    });
}

/** Options of `arbMechanismEpochInput`: those of `arbEpochInput`, plus the mechanisms. */
export interface ArbMechanismEpochInputOptions extends ArbEpochInputOptions {
  /** Smallest mechanism count (default 1). */
  minMechanisms?: number;
  /** Largest mechanism count (default 4, or minMechanisms when larger; the chain allows 1 to 16; below minMechanisms E_RANGE). */
  maxMechanisms?: number;
  /** Draw an `emissionSplit` (u16 parts summing to 65535) about half of the time (default true). */
  split?: boolean;
}

/** u16 parts summing to 65535, one per mechanism: cut points drawn on [0, 65535], zero-width parts included. */
export function arbEmissionSplit(count: number): fc.Arbitrary<number[]> {
  count = toInt(count, 'count', 1, MAX_MECHANISMS);
  return fc
    .array(fc.oneof(fc.integer({ min: 0, max: 65535 }), fc.constantFrom(0, 65535)), { minLength: count - 1, maxLength: count - 1 })
    .map((cuts) => {
      const points = [0, ...cuts.sort((a, b) => a - b), 65535];
      return points.slice(1).map((p, m) => p - points[m]);
    });
}

/**
 * Random epochs with mechanisms: a subnet from `arbEpochInput` whose weights, bonds and last-update become
 * mechanism 0, plus further mechanisms with their own weights, bonds and last-update drawn for the same UIDs
 * (same layout), and sometimes an emission split.
 */
export function arbMechanismEpochInput(opts: ArbMechanismEpochInputOptions = {}): fc.Arbitrary<MechanismEpochInput> {
  const o = readOptions(opts, 'arbMechanismEpochInput options', MECHANISM_OPTION_KEYS);
  const input = inputOptions(o, 'arbMechanismEpochInput options', MECHANISM_OPTION_KEYS);
  const minK = toInt(o.minMechanisms ?? 1, 'minMechanisms', 1, MAX_MECHANISMS);
  if (o.maxMechanisms !== undefined && toInt(o.maxMechanisms, 'maxMechanisms', 1, MAX_MECHANISMS) < minK) {
    throw new YumaError('E_RANGE', `maxMechanisms (${String(o.maxMechanisms)}) is below minMechanisms (${minK})`);
  }
  const maxK = Math.max(minK, toInt(o.maxMechanisms ?? 4, 'maxMechanisms', 1, MAX_MECHANISMS));
  const withSplit = toBool(o.split ?? true, 'split');
  return fc.record({ base: arbEpochInput(input), k: fc.integer({ min: minK, max: maxK }) }).chain(({ base, k }) => {
    const n = base.n;
    const layout = base.weights instanceof Uint16Array ? 'dense' : 'sparse';
    const others = arbEpochInput({
      ...input,
      minN: n,
      maxN: n,
      layout,
      flavours: input.flavours.filter((f) => f !== 'single-uid' || n === 1),
    });
    return fc
      .record({
        extra: fc.array(others, { minLength: k - 1, maxLength: k - 1 }),
        split: withSplit ? fc.option(arbEmissionSplit(k), { nil: undefined }) : fc.constant(undefined),
      })
      .map(({ extra, split }): MechanismEpochInput => {
        const cb = Number(base.currentBlock);
        const mechanism = (e: EpochInput): MechanismInput => ({
          weights: e.weights,
          bonds: e.bonds,
          // drawn around another current block: kept at or before this one
          lastUpdate: Array.from(e.lastUpdate as ArrayLike<number | bigint>, (lu) => Math.min(Number(lu), cb)),
        });
        const { weights, bonds, lastUpdate, commitBlocks, ...shared } = base;
        void commitBlocks;
        return {
          ...shared,
          mechanisms: [{ weights, bonds, lastUpdate }, ...extra.map(mechanism)],
          ...(split !== undefined ? { emissionSplit: split } : {}),
        };
      });
  });
}

/** Options of `arbHyperparams`. */
export interface ArbHyperparamsOptions {
  /** Restrict to one bond variant; default draws original Yuma, Yuma3, and Yuma3 with liquid alpha. */
  variant?: 'original' | 'yuma3' | 'yuma3-liquid' | 'any';
  /** Largest `maxAllowedValidators` drawn (default 64; small caps exercise the top-k). */
  maxValidators?: number;
}

/** Hyper-parameters in chain units, leaning to the chain's defaults and the edges of each range. */
export function arbHyperparams(opts: ArbHyperparamsOptions = {}): fc.Arbitrary<Hyperparams> {
  const o = readOptions(opts, 'arbHyperparams options', HYPER_OPTION_KEYS);
  const variant = oneOf(o.variant ?? 'any', 'variant', ['original', 'yuma3', 'yuma3-liquid', 'any'] as const);
  const variants = variant === 'any' ? (['original', 'yuma3', 'yuma3-liquid'] as const) : ([variant] as const);
  const maxValidators = toInt(o.maxValidators ?? 64, 'maxValidators', 0, 65535);
  return fc
    .record({
      v: fc.constantFrom(...variants),
      kappa: fc.oneof(fc.constantFrom(32767, 45000, 0, 65535), u16()),
      bondsMovingAverage: fc.oneof(fc.constantFrom(900_000, 975_000, 0, 1_000_000), fc.integer({ min: 0, max: 1_000_000 })),
      bondsPenalty: fc.oneof(fc.constantFrom(65535, 0, 32767), u16()),
      activityCutoff: fc.oneof(fc.constantFrom(5000, 13, 1), fc.integer({ min: 0, max: 20_000 })),
      maxAllowedValidators: fc.oneof(fc.constantFrom(1, 2, 64), fc.integer({ min: 0, max: maxValidators })),
      alpha: fc.tuple(u16(), u16()).map(([a, b]) => (a <= b ? [a, b] : [b, a])),
      defaultAlpha: fc.boolean(),
      alphaSigmoidSteepness: fc.oneof(fc.constantFrom(1000, 0, -1000, 32767), fc.integer({ min: -32768, max: 32767 })),
      stakeThreshold: fc.oneof({ weight: 4, arbitrary: fc.constant(0n) }, { weight: 1, arbitrary: fc.bigInt({ min: 0n, max: 1_000_000_000_000n }) }),
    })
    .map((d) => ({
      kappa: d.kappa,
      bondsMovingAverage: d.bondsMovingAverage,
      bondsPenalty: d.bondsPenalty,
      activityCutoff: d.activityCutoff,
      maxAllowedValidators: d.maxAllowedValidators,
      liquidAlphaEnabled: d.v === 'yuma3-liquid',
      alphaLow: d.defaultAlpha ? DEFAULT_HYPERPARAMS.alphaLow : d.alpha[0],
      alphaHigh: d.defaultAlpha ? DEFAULT_HYPERPARAMS.alphaHigh : d.alpha[1],
      alphaSigmoidSteepness: d.alphaSigmoidSteepness,
      yuma3Enabled: d.v !== 'original',
      stakeThreshold: d.stakeThreshold,
    }));
}

/** An input together with hyper-parameters whose activity cutoff the block numbers were drawn around. */
export function arbEpochCase(
  opts: ArbEpochInputOptions & ArbHyperparamsOptions = {},
): fc.Arbitrary<{ input: EpochInput; hyper: Hyperparams }> {
  const o = readOptions(opts, 'arbEpochCase options', [...INPUT_OPTION_KEYS, ...HYPER_OPTION_KEYS]);
  const input = inputOptions(o, 'arbEpochCase options', [...INPUT_OPTION_KEYS, ...HYPER_OPTION_KEYS]);
  const hyperArb = arbHyperparams({ variant: o.variant as ArbHyperparamsOptions['variant'], maxValidators: o.maxValidators as number | undefined });
  return hyperArb.chain((hyper) => arbEpochInput({ ...input, activityCutoff: Math.max(1, hyper.activityCutoff) }).map((input) => ({ input, hyper })));
}
