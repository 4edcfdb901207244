import type { Engine } from '../engine.js';
import { YumaError } from '../errors.js';
import { MAX_MECHANISMS, MAX_SUBNETS, MAX_UIDS } from '../epoch/limits.js';
import { checkEmissionSplit } from '../epoch/mechanisms.js';
import { HYPER_KEYS, resolveHyper } from '../epoch/prepare.js';
import {
  activityCutoffFromFactor,
  DEFAULT_ACTIVITY_CUTOFF_FACTOR_MILLI,
  type ChainPath,
  type EpochInput,
  type EpochOutput,
  type Hyperparams,
  type MechanismEpochInput,
  type MechanismEpochOutput,
  type NumericMode,
  type SparseRow,
} from '../epoch/types.js';
import { describe, show } from '../validation/describe.js';
import { guard, orDefault, readList, readOptions } from '../validation/read.js';
import { oneOf, toBool, toInt, toName, toU64 } from '../validation/values.js';
import { residentHostOf, type ResidentHost } from '../wasm/resident.js';
import type { RawEpochResult } from '../epoch/result.js';
import { U64_MAX } from '../units.js';
import { SubnetNeurons, unpackRow, type ResidentPending } from './neurons.js';

/** Largest block number the Subnet accepts (blocks are plain numbers; 2^53 blocks is ~10^9 years). */
const MAX_BLOCK = Number.MAX_SAFE_INTEGER;

/** Options of `new Subnet(…)`. */
export interface SubnetOptions {
  /** The engine that runs its epochs (`createEngineSync()`). */
  engine: Engine;
  /** `MaxAllowedUids`: UID slots. Registrations append until full, then replace the prune candidate. */
  n: number;
  /** Blocks per epoch (chain `Tempo`); feeds the activity cutoff and the recent-registration mask. Default 360. */
  tempo?: number;
  /**
   * Epoch hyper-parameters (chain units). When `activityCutoff` is not given, it follows the chain's
   * `ActivityCutoffFactorMilli` rule for the current tempo (`activityCutoffFactorMilli`, default 13 889 ‰).
   */
  hyper?: Partial<Hyperparams>;
  /** Numeric mode of every epoch: `'fixed'` (bit-exact with the chain, default) or `'float'`. */
  mode?: NumericMode;
  /** Block the subnet starts at (default 0). */
  block?: number;
  /** ‰ of tempo used for the activity cutoff when `hyper.activityCutoff` is not given. */
  activityCutoffFactorMilli?: number;
  /** Blocks after registration during which a UID is only pruned as a last resort (`init_new_network`: 5000). */
  immunityPeriod?: number;
  /** Non-immune UIDs that must remain before immune ones are pruned instead (chain default 10). */
  minNonImmuneUids?: number;
  /** Subnet owner's hotkey (`SubnetOwnerHotkey`): never pruned, and its UID is the epoch's `ownerUid`. */
  ownerHotkey?: string;
  /**
   * Write `LastMechansimStepBlock = currentBlock` after each epoch, as the chain's block hook does (default true).
   * The chain's own unit tests call the epoch directly, which leaves it at 0; pass false to reproduce them.
   */
  recordStepBlock?: boolean;
  /** Refuse `setWeights` on other UIDs from a UID without a validator permit, like the extrinsic (default false). */
  requireValidatorPermit?: boolean;
  /**
   * `MechanismCountCurrent`: mechanisms (sub-subnets) of the subnet, 1 (default) to 16. Each keeps its own
   * weights, bonds, last-update and incentive; epochs then run as the chain's `epoch_with_mechanisms`.
   */
  mechanisms?: number;
}

/** Which mechanism a per-mechanism call addresses (default 0, the one a subnet without mechanisms has). */
export interface MechanismOption {
  /** The mechanism, 0 … mechanismCount − 1 (default 0). */
  mechanism?: number;
}

/** Options of `Subnet.epoch`. */
export interface SubnetEpochOptions {
  /** Chain code path (default `'sparse'`, what the chain runs). */
  path?: ChainPath;
  /**
   * Whether the output carries the stored bonds as sparse rows (default true). With false, `bonds` is `[]` (also
   * in each mechanism's output and in `lastOutput`): on a Wasm engine the epoch then moves only per-UID vectors
   * out of Wasm memory; read bonds on demand with `bondRows()` / `bonds()`.
   */
  bonds?: boolean;
}

function checkMechanismCount(value: unknown, field: string): number {
  if (typeof value === 'number' && Number.isInteger(value) && value > MAX_MECHANISMS) {
    throw new YumaError('E_LIMIT', `${field} = ${value}: a subnet has at most ${MAX_MECHANISMS} mechanisms`);
  }
  return toInt(value, field, 1, MAX_MECHANISMS);
}

/** The keys of `SubnetOptions` (anything else is refused). */
export const SUBNET_OPTION_KEYS = [
  'engine', 'n', 'tempo', 'hyper', 'mode', 'block', 'activityCutoffFactorMilli', 'immunityPeriod', 'minNonImmuneUids',
  'ownerHotkey', 'recordStepBlock', 'requireValidatorPermit', 'mechanisms',
] as const;
/** The keys of `SubnetEpochOptions`. */
export const SUBNET_EPOCH_OPTION_KEYS = ['path', 'bonds'] as const;

function checkBlock(value: unknown, field: string): number {
  return toInt(value, field, 0, MAX_BLOCK);
}

/** Subnets made by the constructor (what `Subnet.epochs` accepts: no Proxy of one, no look-alike). */
const GENUINE = new WeakSet<Subnet>();

/** An epoch begun by `Subnet.beginEpoch`: its resident jobs (none on a non-resident engine) and its last step. */
interface Pending {
  host: ResidentHost | null;
  resident: ResidentPending | null;
  finish(raws: RawEpochResult[] | null): EpochOutput;
}

function denseOf(rows: readonly SparseRow[], n: number): number[][] {
  return rows.slice(0, n).map((row) => {
    const out = new Array<number>(n).fill(0);
    for (const [j, v] of row) if (j < n) out[j] = v;
    return out;
  });
}

/** What the unpaid-miners note reads, kept only from an epoch whose every incentive was 0 with permits held. */
interface UnpaidMiners {
  stakeWeight: Uint16Array;
  active: boolean[];
  kappa: number;
}

/** `Subnet.epochNotes`' sentences from what the epoch left (see `Subnet.whyUnpaid`). */
function notesOf(noPermits: boolean, granted: number, permitsIn: Uint8Array, rows: readonly Uint32Array[], lastUpdate: BigUint64Array, reg: BigUint64Array, unpaid: UnpaidMiners | null): string[] {
  const notes: string[] = [];
  if (noPermits) {
    notes.push(
      `no UID held a validator permit going into this epoch, so no weights counted and no dividends were paid; ` +
        `this epoch granted ${granted} permit${granted === 1 ? '' : 's'}, so the next epoch pays (run one more).`,
    );
  }
  // on the stored packed rows, stopping at a row's first positive weight that is not outdated
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i];
    if (row.length === 0 || permitsIn[i] !== 1) continue;
    const lu = lastUpdate[i];
    let positive = 0;
    let current = false;
    for (let e = 0; e < row.length && !current; e++) {
      if ((row[e] & 0xffff) === 0) continue;
      positive++;
      current = lu > reg[row[e] >>> 16];
    }
    if (positive > 0 && !current) {
      notes.push(
        `uid ${i}'s weights (set at block ${lu}) are not newer than the registration of the UIDs they point at, so the chain ` +
          `ignores them as outdated; set weights in a block after the registrations.`,
      );
    }
  }
  if (unpaid !== null) {
    // the validators whose weights the consensus read: permitted going in, active, a current positive weight on another UID
    const voters: number[] = [];
    let voting = 0;
    let total = 0;
    for (let i = 0; i < rows.length; i++) {
      if (permitsIn[i] !== 1 || !unpaid.active[i]) continue;
      total += unpaid.stakeWeight[i];
      const row = rows[i];
      let votes = false;
      for (let e = 0; e < row.length && !votes; e++) votes = (row[e] & 0xffff) !== 0 && row[e] >>> 16 !== i && lastUpdate[i] > reg[row[e] >>> 16];
      if (votes) voters.push(i), (voting += unpaid.stakeWeight[i]);
    }
    if (voters.length > 0 && total > 0) {
      const pct = (x: number) => `${(x * 100).toFixed(1)} %`;
      const share = voting / total;
      const kappa = unpaid.kappa / 65535;
      const who = `${voters.length === 1 ? 'uid' : 'uids'} ${voters.join(', ')}`;
      notes.push(
        share < kappa
          ? `no miner was paid: the validators whose weights counted (${who}) hold ${pct(share)} of the permitted validators' stake, ` +
              `less than the kappa (${pct(kappa)}) a miner's consensus needs, so every incentive was 0 and the emission went to the validators by stake; ` +
              `weights from validators holding more of the stake pay the miners.`
          : `no miner was paid: no miner was weighted by validators holding kappa (${pct(kappa)}) of the permitted validators' stake ` +
              `(those whose weights counted, ${who}, hold ${pct(share)} together, split between miners), so every incentive was 0 and the emission went to the validators by stake.`,
      );
    }
  }
  return notes;
}

/**
 * One subnet's chain storage, driven like the chain drives it: `register` appends or replaces a UID
 * (`append_neuron` / `replace_neuron`), `setWeights` stores max-upscaled rows in caller order, `epoch` runs the
 * engine on the stored state and writes back what the chain persists (bonds rows, permits, consensus, incentive,
 * dividends, validator trust, stake weight, active, emission). With several mechanisms, weights, bonds,
 * last-update and incentive are kept per mechanism (`{ mechanism }` on the per-mechanism calls; default 0) and
 * the epoch is `epoch_with_mechanisms`. Every method validates first and throws `YumaError` without changing
 * anything. The neurons live in a `SubnetNeurons` table, the same one the block model (`Chain`) keeps per subnet,
 * so registration, `set_weights` storage and the epoch write-back are one implementation for both.
 */
export class Subnet {
  /** The engine its epochs run on. */
  readonly engine: Engine;
  /** `MaxAllowedUids`. */
  readonly capacity: number;
  /** Numeric mode of its epochs. */
  readonly mode: NumericMode;
  private _block: number;
  private _tempo: number;
  private _hyper: Hyperparams;
  private cutoffExplicit: boolean;
  private readonly cutoffFactorMilli: number;
  /** Blocks after registration during which a UID is pruned only as a last resort. */
  readonly immunityPeriod: number;
  /** Non-immune UIDs that must remain before immune ones are pruned instead. */
  readonly minNonImmuneUids: number;
  /** The owner's hotkey, or null without one. */
  readonly ownerHotkey: string | null;
  private readonly recordStepBlock: boolean;
  private readonly requirePermit: boolean;

  private readonly table: SubnetNeurons;
  /** Alpha stake per hotkey; it stays with the hotkey when its UID is replaced, as on chain. */
  private stakeOf = new Map<string, bigint>();
  private _lastStepBlock = 0;
  private _lastOutput: EpochOutput | null = null;
  /** What `epochNotes` reads, kept from the last epoch (the notes are built on demand). */
  private _notes: (() => string[]) | null = null;

  constructor(opts: SubnetOptions) {
    const o = readOptions(opts, 'Subnet options', SUBNET_OPTION_KEYS, true);
    const e = o.engine as Partial<Engine> | undefined;
    if (e == null || typeof e !== 'object' || typeof guard('engine', () => e.epoch) !== 'function') {
      throw new YumaError('E_ARG', 'Subnet needs an engine (createEngine(), createEngineSync() or createReferenceEngine())');
    }
    this.engine = e as Engine;
    this.capacity = toInt(o.n, 'n', 1, MAX_UIDS);
    this._tempo = toInt(orDefault(o.tempo, 360), 'tempo', 0, 65535);
    this.mode = oneOf(orDefault(o.mode, 'fixed'), 'mode', ['fixed', 'float'] as const);
    this._block = checkBlock(orDefault(o.block, 0), 'block');
    this.cutoffFactorMilli = toInt(orDefault(o.activityCutoffFactorMilli, DEFAULT_ACTIVITY_CUTOFF_FACTOR_MILLI), 'activityCutoffFactorMilli', 0, 0xffff_ffff);
    const hyper = readOptions(o.hyper, 'hyper', HYPER_KEYS);
    this.cutoffExplicit = hyper.activityCutoff !== undefined;
    this._hyper = resolveHyper(hyper, 'hyper');
    this.immunityPeriod = toInt(orDefault(o.immunityPeriod, 5000), 'immunityPeriod', 0, 65535);
    this.minNonImmuneUids = toInt(orDefault(o.minNonImmuneUids, 10), 'minNonImmuneUids', 0, 65535);
    this.ownerHotkey = o.ownerHotkey === undefined ? null : toName(o.ownerHotkey, 'ownerHotkey');
    this.recordStepBlock = toBool(orDefault(o.recordStepBlock, true), 'recordStepBlock');
    this.requirePermit = toBool(orDefault(o.requireValidatorPermit, false), 'requireValidatorPermit');
    this.table = new SubnetNeurons(this.capacity, checkMechanismCount(orDefault(o.mechanisms, 1), 'mechanisms'));
    GENUINE.add(this);
  }

  // ---------------------------------------------------------------------------------------------------------
  // State read-out (copies; mutating them does not touch the subnet)

  /** The block the subnet is at (`nextBlock` advances it). */
  get currentBlock(): number {
    return this._block;
  }
  /** `SubnetworkN`: registered UIDs. */
  get size(): number {
    return this.table.size;
  }
  /** `Tempo`: blocks between epochs, minus one. */
  get tempo(): number {
    return this._tempo;
  }
  /** `LastMechansimStepBlock`: block of the last epoch (0 before the first, or always with `recordStepBlock: false`). */
  get lastStepBlock(): number {
    return this._lastStepBlock;
  }
  /** Hyper-parameters the next epoch uses (activity cutoff resolved for the current tempo). */
  get hyper(): Hyperparams {
    return { ...this._hyper, activityCutoff: this.activityCutoff() };
  }
  /** The owner hotkey's UID, or null when it is not registered (or there is no owner). */
  get ownerUid(): number | null {
    if (this.ownerHotkey === null) return null;
    return this.table.uidOf(this.ownerHotkey) ?? null;
  }
  /** The last epoch's full output (a `MechanismEpochOutput` with several mechanisms), or null before the first epoch. */
  get lastOutput(): EpochOutput | null {
    return this._lastOutput;
  }
  /** `MechanismCountCurrent`. */
  get mechanismCount(): number {
    return this.table.mechanismCount;
  }
  /** `MechanismEmissionSplit` as set, or null when the emission is split evenly. */
  emissionSplit(): number[] | null {
    return this.table.emissionSplit;
  }

  /** The hotkey registered at `uid`. */
  hotkey(uid: number): string {
    return this.table.hotkey(this.checkUid(uid, 'uid'));
  }
  /** The UID of a registered hotkey, or undefined. */
  uidOf(hotkey: string): number | undefined {
    return this.table.uidOf(hotkey);
  }
  /** Stake (rao) of the hotkey at `uid`, or of every UID. */
  stake(): bigint[];
  stake(uid: number): bigint;
  stake(uid?: number): bigint | bigint[] {
    if (uid === undefined) return Array.from(this.table.stake.subarray(0, this.size));
    return this.table.stake[this.checkUid(uid, 'uid')];
  }
  /** Stored bonds of a mechanism as a dense n×n u16 matrix (row = validator), like the chain's `get_bonds`. */
  bonds(opts?: MechanismOption): number[][] {
    return denseOf(this.table.bondRows(this.mechanismIndex(opts)), this.size);
  }
  /** Stored bond rows of a mechanism as the chain keeps them (`[uid, u16]` pairs, explicit zeros included). */
  bondRows(opts?: MechanismOption): SparseRow[] {
    return this.table.bondRows(this.mechanismIndex(opts));
  }
  /** Stored weights of a mechanism as a dense n×n u16 matrix. */
  weights(opts?: MechanismOption): number[][] {
    return denseOf(this.table.weightRows(this.mechanismIndex(opts)), this.size);
  }
  /** Stored weight rows of a mechanism in the setter's order, max-upscaled, explicit zeros included. */
  weightRows(opts?: MechanismOption): SparseRow[] {
    return this.table.weightRows(this.mechanismIndex(opts));
  }
  /** `Dividends` (u16 per UID) from the last epoch. */
  dividends(): Uint16Array {
    return this.table.dividends.slice(0, this.size);
  }
  /** A mechanism's `Incentive` (mechanism 0's is the one stored under the netuid's own key). */
  incentive(opts?: MechanismOption): Uint16Array {
    return this.table.mechanism(this.mechanismIndex(opts)).incentive.slice(0, this.size);
  }
  /** `Consensus` (u16 per UID) from the last epoch. */
  consensus(): Uint16Array {
    return this.table.consensus.slice(0, this.size);
  }
  /** `ValidatorTrust` (u16 per UID) from the last epoch. */
  validatorTrust(): Uint16Array {
    return this.table.validatorTrust.slice(0, this.size);
  }
  /** `StakeWeight` (u16 per UID) from the last epoch. */
  stakeWeight(): Uint16Array {
    return this.table.stakeWeight.slice(0, this.size);
  }
  /** `ValidatorPermit` per UID: granted by the last epoch, read by the next one. */
  validatorPermit(): boolean[] {
    return Array.from(this.table.validatorPermit.subarray(0, this.size), (p) => p === 1);
  }
  /** `Active` per UID from the last epoch. */
  active(): boolean[] {
    return Array.from(this.table.active.subarray(0, this.size), (a) => a === 1);
  }
  /** The chain's `Emission` (rao) per UID from the last epoch; see `combinedEmission`. */
  emission(): bigint[] {
    return Array.from(this.table.emission.subarray(0, this.size));
  }
  /** A mechanism's `LastUpdate`: the block each UID last set weights on it. */
  lastUpdate(opts?: MechanismOption): number[] {
    return Array.from(this.table.mechanism(this.mechanismIndex(opts)).lastUpdate.subarray(0, this.size), Number);
  }
  /** `BlockAtRegistration`: the block each UID's hotkey registered in. */
  blockAtRegistration(): number[] {
    return Array.from(this.table.blockAtRegistration.subarray(0, this.size), Number);
  }

  // ---------------------------------------------------------------------------------------------------------
  // Mutations

  /**
   * Registers `hotkey` at `block` (default: the current block). Appends a UID while `size < n`; when full,
   * replaces the prune candidate like `replace_neuron`: its weights row and bonds row are deleted, every
   * weight pointing at it is set to 0 (the entries stay), its permit and per-UID outputs are zeroed, and its
   * `blockAtRegistration` and `lastUpdate` become `block`. Bonds other validators hold on it are left to the
   * epoch's recent-registration mask, as on chain. Returns the UID.
   */
  register(hotkey: string, block?: number): number {
    toName(hotkey, 'hotkey');
    const at = block === undefined ? this._block : checkBlock(block, 'block');
    const existing = this.table.uidOf(hotkey);
    if (existing !== undefined) throw new YumaError('E_STATE', `hotkey ${hotkey} is already registered (uid ${existing})`);
    const owner = this.ownerUid;
    const r = this.table.register(hotkey, BigInt(at), {
      currentBlock: BigInt(this._block),
      immunityPeriod: BigInt(this.immunityPeriod),
      minNonImmuneUids: this.minNonImmuneUids,
      immortal: new Set(owner === null ? [] : [owner]),
    });
    if (r === null) throw new YumaError('E_STATE', `subnet is full (${this.capacity} UIDs) and no UID can be pruned`);
    this.table.stake[r.uid] = this.stakeOf.get(hotkey) ?? 0n;
    return r.uid;
  }

  /** Adds alpha stake (rao) to the hotkey registered at `uid`. */
  addStake(uid: number, rao: bigint): void {
    const u = this.checkUid(uid, 'uid');
    if (typeof rao !== 'bigint') throw new YumaError('E_ARG', `stake must be a bigint amount of rao (got ${describe(rao)})`);
    if (rao < 0n) throw new YumaError('E_RANGE', `stake amount is negative (${rao}); use removeStake`);
    const next = this.table.stake[u] + rao;
    if (next > U64_MAX) throw new YumaError('E_RANGE', `stake of uid ${u} would exceed u64 (${next})`);
    this.setStake(u, next);
  }

  /** Removes alpha stake (rao) from the hotkey registered at `uid`. */
  removeStake(uid: number, rao: bigint): void {
    const u = this.checkUid(uid, 'uid');
    if (typeof rao !== 'bigint') throw new YumaError('E_ARG', `stake must be a bigint amount of rao (got ${describe(rao)})`);
    if (rao < 0n) throw new YumaError('E_RANGE', `stake amount is negative (${rao})`);
    const have = this.table.stake[u];
    if (rao > have) throw new YumaError('E_RANGE', `uid ${u} has ${have} rao staked, cannot remove ${rao}`);
    this.setStake(u, have - rao);
  }

  private setStake(uid: number, rao: bigint): void {
    this.table.stake[uid] = rao;
    this.stakeOf.set(this.table.hotkey(uid), rao);
  }

  /**
   * `set_weights` from the validator at `uid`: the row is stored as `[uids[k], upscaled[k]]` in the caller's
   * order, zeros included, after max-upscaling the values so the largest becomes 65535; `lastUpdate[uid]`
   * becomes the current block. Refuses (like the extrinsic) mismatched lengths, more entries than UIDs,
   * duplicate or unregistered target UIDs, and values outside u16. `{ mechanism }` (`set_mechanism_weights`)
   * sets the row and last-update of that mechanism; one the subnet does not have is refused.
   */
  setWeights(uid: number, uids: number[], values: number[], opts?: MechanismOption): void {
    const m = this.mechanismIndex(opts);
    const u = this.checkUid(uid, 'uid');
    const row = this.table.readWeights(uids, values);
    const problem = this.table.weightsProblem(row);
    if (problem !== null) throw new YumaError(problem.code, problem.message);
    if (this.requirePermit) {
      const selfWeight = row.targets.length === 1 && row.targets[0] === u;
      if (!selfWeight && this.ownerUid !== u && this.table.validatorPermit[u] !== 1) {
        throw new YumaError('E_STATE', `uid ${u} has no validator permit; it may only set a self-weight`);
      }
    }
    this.table.storeWeights(m, u, row, BigInt(this._block));
  }

  /**
   * `do_set_mechanism_count` / `update_mechanism_counts_if_needed`: 1 to 16 mechanisms. A smaller count clears
   * the storage of the removed mechanisms (weights, bonds, last-update, incentive); a larger one adds mechanisms
   * with nothing stored (their last-update reads as 0, so nobody is active there until they set weights). Any
   * change resets the emission split to even; setting the current count changes nothing. The chain's admin
   * limits (runtime `MaxMechanismCount`, default 2; `MaxAllowedUids × count ≤ 256`) are not applied here.
   */
  setMechanismCount(count: number): void {
    this.table.setMechanismCount(checkMechanismCount(count, 'count'));
  }

  /**
   * `do_set_emission_split`: u16 parts summing to 65535, 1 to `mechanismCount` of them (missing parts are 0),
   * or null for the even split.
   */
  setEmissionSplit(split: number[] | null): void {
    if (split === null || split === undefined) {
      this.table.setEmissionSplit(null);
      return;
    }
    const parts = checkEmissionSplit(split, 'split', { minParts: 1, maxParts: MAX_MECHANISMS });
    // the count as it is after the parts were read: a getter of theirs may have changed it
    const count = this.table.mechanismCount;
    if (parts.length > count) throw new YumaError('E_SHAPE', `split has ${parts.length} parts; it needs 1 to ${count} (one u16 part per mechanism)`);
    this.table.setEmissionSplit(parts);
  }

  /** Advances the current block. Epochs are not run automatically; call `epoch` when one is due. */
  nextBlock(count = 1): void {
    const c = toInt(count, 'count', 0, MAX_BLOCK);
    if (this._block + c > MAX_BLOCK) throw new YumaError('E_RANGE', `block would exceed ${MAX_BLOCK}`);
    this._block += c;
  }

  /** Changes `Tempo` (also moves the derived activity cutoff unless it was given explicitly). */
  setTempo(tempo: number): void {
    this._tempo = toInt(tempo, 'tempo', 0, 65535);
  }

  /** Changes hyper-parameters for later epochs (a partial update; unknown keys throw). */
  setHyper(hyper: Partial<Hyperparams>): void {
    const given = readOptions(hyper, 'hyper', HYPER_KEYS, true);
    this._hyper = resolveHyper(given, 'hyper', this._hyper);
    if (given.activityCutoff !== undefined) this.cutoffExplicit = true;
  }

  /** `do_reset_bonds`: deletes every stored bond on the UID (its column) in a mechanism, as a bonds-reset commitment does. */
  resetBonds(uid: number, opts?: MechanismOption): void {
    const m = this.mechanismIndex(opts);
    this.table.resetBonds(m, this.checkUid(uid, 'uid'));
  }

  /**
   * Runs one epoch on the stored state (`path` picks the chain code path, default sparse) and writes back what
   * the chain persists: with several mechanisms, each mechanism's bonds and incentive, and the aggregate of
   * `epoch_with_mechanisms` for the rest. Returns the engine's output (bonds as sparse rows).
   */
  epoch(raoEmission: bigint, opts?: SubnetEpochOptions): EpochOutput {
    const pending = this.beginEpoch(raoEmission, opts);
    return pending.finish(pending.resident === null ? null : pending.resident.runAlone());
  }

  /**
   * Epochs of many subnets at once, each as its own `epoch(raoEmission[i], opts)` would run it (same outputs, same
   * write-back, bit for bit), returned in order. On a Wasm engine shared by all of them the resident epochs run as
   * one batch: with `createEngine({ threads: 2 })` the kernels are shared between both threads. `raoEmission` is
   * one amount for every subnet or one per subnet. Arguments are checked before any epoch runs; a subnet may appear
   * once.
   */
  static epochs(subnets: readonly Subnet[], raoEmission: bigint | readonly bigint[], opts?: SubnetEpochOptions): EpochOutput[] {
    const list = readList(subnets, 'subnets', MAX_SUBNETS).map((s, i) => {
      // the brand, not instanceof: a Proxy of a subnet would pass instanceof (and its traps run on every field read)
      if (!GENUINE.has(s as Subnet)) throw new YumaError('E_ARG', `subnets[${i}] must be a Subnet (got ${describe(s)})`);
      return s as Subnet;
    });
    if (new Set(list).size !== list.length) throw new YumaError('E_ARG', 'subnets lists a subnet twice');
    const raos =
      typeof raoEmission === 'bigint'
        ? list.map(() => raoEmission)
        : readList(raoEmission, 'raoEmission', MAX_SUBNETS).map((r, i) => {
            if (typeof r !== 'bigint') throw new YumaError('E_ARG', `raoEmission[${i}] must be a bigint (got ${describe(r)})`);
            return r;
          });
    if (raos.length !== list.length) throw new YumaError('E_SHAPE', `raoEmission has length ${raos.length}, subnets ${list.length}`);
    // begun one after another (each checks its own state first), the resident jobs then run as one batch per engine;
    // each subnet finishes (output, write-back) as soon as its jobs are read, while the helper thread, if any, runs on
    // the options read once for the whole batch (a getter answering differently per subnet cannot split it)
    const o = readOptions(opts, 'epoch options', SUBNET_EPOCH_OPTION_KEYS) as SubnetEpochOptions;
    const pending = list.map((s, i) => s.beginEpoch(raos[i], o));
    const outputs = new Array<EpochOutput | undefined>(list.length);
    const batches = new Map<ResidentHost, number[]>();
    pending.forEach((p, i) => {
      if (p.resident?.jobs == null) return;
      const group = batches.get(p.host!) ?? [];
      group.push(i);
      batches.set(p.host!, group);
    });
    for (const [host, group] of batches) {
      const owner: number[] = []; // job → its subnet's place in the group
      const first: number[] = [];
      group.forEach((i, g) => {
        first.push(owner.length);
        for (let k = 0; k < pending[i].resident!.jobs!.length; k++) owner.push(g);
      });
      const raws = group.map((i) => new Array<RawEpochResult>(pending[i].resident!.jobs!.length));
      const left = group.map((i) => pending[i].resident!.jobs!.length);
      host.run(
        group.flatMap((i) => pending[i].resident!.jobs!),
        (j, raw) => {
          const g = owner[j];
          raws[g][j - first[g]] = raw;
          if (--left[g] === 0) outputs[group[g]] = pending[group[g]].finish(raws[g]);
        },
      );
    }
    return pending.map((p, i) => outputs[i] ?? p.finish(p.resident === null ? null : p.resident.runAlone()));
  }

  /**
   * Checks an epoch's arguments and the state, and begins it: on a resident engine its jobs (run by the caller),
   * then `finish` writes the output back and records the epoch.
   */
  private beginEpoch(raoEmission: bigint, opts?: SubnetEpochOptions): Pending {
    if (typeof raoEmission !== 'bigint') throw new YumaError('E_ARG', `raoEmission must be a bigint (got ${describe(raoEmission)})`);
    const o = readOptions(opts, 'epoch options', SUBNET_EPOCH_OPTION_KEYS);
    const path = oneOf(orDefault(o.path, 'sparse'), 'epoch options.path', ['sparse', 'dense'] as const);
    const withBonds = toBool(orDefault(o.bonds, true), 'epoch options.bonds');
    const permitsIn = this.table.validatorPermit.slice(0, this.size);
    const host = residentHostOf(this.engine);
    const done = (out: EpochOutput): EpochOutput => {
      this._notes = this.whyUnpaid(out, permitsIn);
      if (this.recordStepBlock) this._lastStepBlock = this._block;
      this._lastOutput = out;
      return out;
    };
    if (host !== null) {
      // the state stays in Wasm memory between epochs (SubnetNeurons.epochResident): same outputs, bit for bit
      const owner = this.ownerUid;
      const resident = this.table.beginResident(host, {
        currentBlock: BigInt(this._block),
        tempo: this._tempo,
        lastStepBlock: BigInt(this._lastStepBlock),
        raoEmission: toU64(raoEmission, 'raoEmission'),
        ownerUid: owner ?? -1,
        hyper: this.hyper,
        mode: this.mode,
        path,
        bonds: withBonds,
      });
      return { host, resident, finish: (raws) => done(resident.finish(raws!)) };
    }
    // the engine runs here, not in finish: in a batch, a subnet whose epoch the engine refuses (or whose output does
    // not fit) stops it before any subnet's write-back
    const input = this.table.mechanismCount === 1 ? this.epochInput(raoEmission) : this.mechanismEpochInput(raoEmission);
    // an engine object of the caller's: what it throws that is not a YumaError becomes E_ARG
    const out = this.table.checkedOutput(guard('engine.epoch', () => this.engine.epoch(input, this.hyper, { mode: this.mode, path })));
    return {
      host: null,
      resident: null,
      finish: () => {
        this.table.writeBack(out, raoEmission, this.mode);
        if (!withBonds) {
          out.bonds = [];
          if ('mechanisms' in out) for (const m of (out as MechanismEpochOutput).mechanisms) m.bonds = [];
        }
        return done(out);
      },
    };
  }

  /**
   * Why the last epoch paid less than a newcomer expects, in plain sentences (empty when nothing stood out): the
   * chain's rules that silently zero an epoch — no validator permit held going in (permits are granted by an epoch,
   * so the first one pays no dividends), weight rows not newer than their targets' registration (the chain
   * treats them as outdated and ignores them), and an epoch whose every incentive was 0 although permitted
   * validators weighted miners (they held less than kappa of the stake, or split it between miners).
   */
  epochNotes(): string[] {
    return this._notes === null ? [] : this._notes();
  }

  /**
   * The epoch's notes, built when asked for from what they read as the epoch left it: the permits going in, the
   * permits granted, and mechanism 0's weight rows (stored rows are replaced whole, never changed, so the list of
   * them is a snapshot), last-update and registration blocks — small copies instead of visiting every row of every
   * subnet each epoch.
   */
  private whyUnpaid(out: EpochOutput, permitsIn: Uint8Array): () => string[] {
    const noPermits = !permitsIn.includes(1) && this.ownerUid === null;
    const granted = noPermits ? out.validatorPermit.filter(Boolean).length : 0;
    const unpaid: UnpaidMiners | null =
      !noPermits && out.incentive.every((v) => v === 0) ? { stakeWeight: out.stakeWeight.slice(), active: out.active.slice(), kappa: this._hyper.kappa } : null;
    const size = this.size;
    const m0 = this.table.mechanism(0);
    const rows = m0.weights.slice(0, size);
    const lastUpdate = m0.lastUpdate.slice(0, size);
    const reg = this.table.blockAtRegistration.slice(0, size);
    let notes: string[] | null = null;
    return () => {
      notes ??= notesOf(noPermits, granted, permitsIn, rows, lastUpdate, reg, unpaid);
      return notes.slice();
    };
  }

  /**
   * The `EpochInput` (sparse layout) the next `epoch(raoEmission)` would pass to the engine, for a subnet with
   * one mechanism (`E_STATE` with several: see `mechanismEpochInput`).
   */
  epochInput(raoEmission: bigint): EpochInput {
    if (this.table.mechanismCount !== 1) {
      throw new YumaError('E_STATE', `the subnet has ${this.table.mechanismCount} mechanisms; its epoch input is mechanismEpochInput()`);
    }
    const { shared, mechanisms } = this.inputParts(raoEmission);
    return { ...shared, ...mechanisms[0] };
  }

  /**
   * The input as a `MechanismEpochInput` (sparse layout), whatever the count: one entry per mechanism and the
   * emission split padded with 0 to one part per mechanism. What `epoch` passes with several mechanisms.
   */
  mechanismEpochInput(raoEmission: bigint): MechanismEpochInput {
    const { shared, mechanisms, split } = this.inputParts(raoEmission);
    return { ...shared, mechanisms, ...(split ? { emissionSplit: split } : {}) };
  }

  /** The table's fields in the public input's plain spellings (block numbers as numbers, stake as bigint[]). */
  private inputParts(raoEmission: bigint) {
    const f = this.table.epochFields();
    const owner = this.ownerUid;
    return {
      shared: {
        n: f.n,
        currentBlock: this._block,
        tempo: this._tempo,
        lastStepBlock: this._lastStepBlock,
        stake: Array.from(f.stake),
        blockAtRegistration: Array.from(f.blockAtRegistration, Number),
        validatorPermit: f.validatorPermit,
        ...(owner !== null ? { ownerUid: owner } : {}),
        raoEmission,
      },
      mechanisms: f.mechanisms.map((m) => ({ weights: m.weights.rows.map(unpackRow), bonds: m.bonds.rows.map(unpackRow), lastUpdate: Array.from(m.lastUpdate, Number) })),
      split: f.emissionSplit,
    };
  }

  // ---------------------------------------------------------------------------------------------------------

  private activityCutoff(): number {
    return this.cutoffExplicit ? this._hyper.activityCutoff : activityCutoffFromFactor(this._tempo, this.cutoffFactorMilli);
  }

  private mechanismIndex(opts: MechanismOption | undefined): number {
    const m = toInt(orDefault(readOptions(opts, 'mechanism options', ['mechanism']).mechanism, 0), 'mechanism', 0, 65535);
    this.table.mechanism(m); // E_RANGE for a mechanism the subnet does not have
    return m;
  }

  private checkUid(uid: unknown, field: string): number {
    const u = toInt(uid, field, 0, 65535);
    if (u >= this.size) throw new YumaError('E_RANGE', `${field} ${u} is not registered (subnet has ${this.size} UIDs)`);
    return u;
  }
}
