import type { Engine } from '../engine.js';
import { YumaError } from '../errors.js';
import { MAX_MECHANISMS, MAX_UIDS } from '../epoch/limits.js';
import { checkEmissionSplit } from '../epoch/mechanisms.js';
import { resolveHyper } from '../epoch/prepare.js';
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
import { describe, toBool, toInt } from '../epoch/validate-values.js';
import { U64_MAX } from '../units.js';
import { combinedEmission } from '../epoch/combined-emission.js';
import { vecU16MaxUpscaleToU16 } from './max-upscale.js';
import { neuronToPrune } from './prune.js';

/** Largest block number the Subnet accepts (blocks are plain numbers; 2^53 blocks is ~10^9 years). */
const MAX_BLOCK = Number.MAX_SAFE_INTEGER;

export interface SubnetOptions {
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
  mechanism?: number;
}

/** What the chain keeps per mechanism under its storage index (`mechanism·4096 + netuid`). */
interface MechanismStorage {
  weights: SparseRow[];
  bonds: SparseRow[];
  lastUpdate: number[];
  incentive: number[];
}

function emptyMechanism(size: number): MechanismStorage {
  // LastUpdate and Incentive of a mechanism the chain never wrote read as zeros (get_last_update pads with 0).
  return {
    weights: Array.from({ length: size }, () => []),
    bonds: Array.from({ length: size }, () => []),
    lastUpdate: new Array<number>(size).fill(0),
    incentive: new Array<number>(size).fill(0),
  };
}

export interface SubnetEpochOptions {
  path?: ChainPath;
}

function checkMechanismCount(value: unknown, field: string): number {
  if (typeof value === 'number' && Number.isInteger(value) && value > MAX_MECHANISMS) {
    throw new YumaError('E_LIMIT', `${field} = ${value}: a subnet has at most ${MAX_MECHANISMS} mechanisms`);
  }
  return toInt(value, field, 1, MAX_MECHANISMS);
}

function checkBlock(value: unknown, field: string): number {
  return toInt(value, field, 0, MAX_BLOCK);
}

function copyRows(rows: readonly SparseRow[]): SparseRow[] {
  return rows.map((row) => row.map(([j, v]) => [j, v] as [number, number]));
}

function denseOf(rows: readonly SparseRow[], n: number): number[][] {
  return rows.slice(0, n).map((row) => {
    const out = new Array<number>(n).fill(0);
    for (const [j, v] of row) if (j < n) out[j] = v;
    return out;
  });
}

/**
 * One subnet's chain storage, driven like the chain drives it: `register` appends or replaces a UID
 * (`append_neuron` / `replace_neuron`), `setWeights` stores max-upscaled rows in caller order, `epoch` runs the
 * engine on the stored state and writes back what the chain persists (bonds rows, permits, consensus, incentive,
 * dividends, validator trust, stake weight, active, emission). With several mechanisms, weights, bonds,
 * last-update and incentive are kept per mechanism (`{ mechanism }` on the per-mechanism calls; default 0) and
 * the epoch is `epoch_with_mechanisms`. Every method validates first and throws `YumaError` without changing
 * anything.
 */
export class Subnet {
  readonly engine: Engine;
  /** `MaxAllowedUids`. */
  readonly capacity: number;
  readonly mode: NumericMode;
  private _block: number;
  private _tempo: number;
  private _hyper: Hyperparams;
  private cutoffExplicit: boolean;
  private readonly cutoffFactorMilli: number;
  readonly immunityPeriod: number;
  readonly minNonImmuneUids: number;
  readonly ownerHotkey: string | null;
  private readonly recordStepBlock: boolean;
  private readonly requirePermit: boolean;

  private hotkeys: string[] = [];
  private uids = new Map<string, number>();
  /** Alpha stake per hotkey; it stays with the hotkey when its UID is replaced, as on chain. */
  private stakeOf = new Map<string, bigint>();
  /** Per-mechanism storage, `MechanismCountCurrent` entries. */
  private mechs: MechanismStorage[] = [emptyMechanism(0)];
  /** `MechanismEmissionSplit` as set (1 to count parts), or null for the even split. */
  private split: number[] | null = null;
  private _blockAtRegistration: number[] = [];
  private _validatorPermit: boolean[] = [];
  private _active: boolean[] = [];
  private _emission: bigint[] = [];
  private _consensus: number[] = [];
  private _dividends: number[] = [];
  private _validatorTrust: number[] = [];
  private _stakeWeight: number[] = [];
  private _lastStepBlock = 0;
  private _lastOutput: EpochOutput | null = null;
  private _notes: string[] = [];

  constructor(opts: SubnetOptions) {
    if (opts == null || typeof opts !== 'object') throw new YumaError('E_ARG', 'Subnet options must be an object');
    const e = opts.engine as Partial<Engine> | undefined;
    if (e == null || typeof e !== 'object' || typeof e.epoch !== 'function') {
      throw new YumaError('E_ARG', 'Subnet needs an engine (createEngine(), createEngineSync() or createReferenceEngine())');
    }
    this.engine = opts.engine;
    this.capacity = toInt(opts.n, 'n', 1, MAX_UIDS);
    this._tempo = toInt(opts.tempo ?? 360, 'tempo', 0, 65535);
    const mode = opts.mode ?? 'fixed';
    if (mode !== 'fixed' && mode !== 'float') throw new YumaError('E_ARG', `mode must be 'fixed' or 'float' (got ${String(mode)})`);
    this.mode = mode;
    this._block = checkBlock(opts.block ?? 0, 'block');
    this.cutoffFactorMilli = toInt(opts.activityCutoffFactorMilli ?? DEFAULT_ACTIVITY_CUTOFF_FACTOR_MILLI, 'activityCutoffFactorMilli', 0, 0xffff_ffff);
    this.cutoffExplicit = opts.hyper?.activityCutoff !== undefined;
    this._hyper = resolveHyper(opts.hyper, 'hyper');
    this.immunityPeriod = toInt(opts.immunityPeriod ?? 5000, 'immunityPeriod', 0, 65535);
    this.minNonImmuneUids = toInt(opts.minNonImmuneUids ?? 10, 'minNonImmuneUids', 0, 65535);
    if (opts.ownerHotkey !== undefined && (typeof opts.ownerHotkey !== 'string' || opts.ownerHotkey === '')) {
      throw new YumaError('E_ARG', `ownerHotkey must be a non-empty string (got ${describe(opts.ownerHotkey)})`);
    }
    this.ownerHotkey = opts.ownerHotkey ?? null;
    this.recordStepBlock = toBool(opts.recordStepBlock ?? true, 'recordStepBlock');
    this.requirePermit = toBool(opts.requireValidatorPermit ?? false, 'requireValidatorPermit');
    const count = checkMechanismCount(opts.mechanisms ?? 1, 'mechanisms');
    this.mechs = Array.from({ length: count }, () => emptyMechanism(0));
  }

  // ---------------------------------------------------------------------------------------------------------
  // State read-out (copies; mutating them does not touch the subnet)

  get currentBlock(): number {
    return this._block;
  }
  /** `SubnetworkN`: registered UIDs. */
  get size(): number {
    return this.hotkeys.length;
  }
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
  get ownerUid(): number | null {
    if (this.ownerHotkey === null) return null;
    return this.uids.get(this.ownerHotkey) ?? null;
  }
  /** The last epoch's full output (a `MechanismEpochOutput` with several mechanisms), or null before the first epoch. */
  get lastOutput(): EpochOutput | null {
    return this._lastOutput;
  }
  /** `MechanismCountCurrent`. */
  get mechanismCount(): number {
    return this.mechs.length;
  }
  /** `MechanismEmissionSplit` as set, or null when the emission is split evenly. */
  emissionSplit(): number[] | null {
    return this.split === null ? null : this.split.slice();
  }

  hotkey(uid: number): string {
    return this.hotkeys[this.checkUid(uid, 'uid')];
  }
  uidOf(hotkey: string): number | undefined {
    return this.uids.get(hotkey);
  }
  /** Stake (rao) of the hotkey at `uid`, or of every UID. */
  stake(): bigint[];
  stake(uid: number): bigint;
  stake(uid?: number): bigint | bigint[] {
    if (uid === undefined) return this.hotkeys.map((h) => this.stakeOf.get(h) ?? 0n);
    return this.stakeOf.get(this.hotkeys[this.checkUid(uid, 'uid')]) ?? 0n;
  }
  /** Stored bonds of a mechanism as a dense n×n u16 matrix (row = validator), like the chain's `get_bonds`. */
  bonds(opts?: MechanismOption): number[][] {
    return denseOf(this.mechanism(opts).bonds, this.size);
  }
  /** Stored bond rows of a mechanism as the chain keeps them (`[uid, u16]` pairs, explicit zeros included). */
  bondRows(opts?: MechanismOption): SparseRow[] {
    return copyRows(this.mechanism(opts).bonds);
  }
  /** Stored weights of a mechanism as a dense n×n u16 matrix. */
  weights(opts?: MechanismOption): number[][] {
    return denseOf(this.mechanism(opts).weights, this.size);
  }
  /** Stored weight rows of a mechanism in the setter's order, max-upscaled, explicit zeros included. */
  weightRows(opts?: MechanismOption): SparseRow[] {
    return copyRows(this.mechanism(opts).weights);
  }
  dividends(): Uint16Array {
    return Uint16Array.from(this._dividends);
  }
  /** A mechanism's `Incentive` (mechanism 0's is the one stored under the netuid's own key). */
  incentive(opts?: MechanismOption): Uint16Array {
    return Uint16Array.from(this.mechanism(opts).incentive);
  }
  consensus(): Uint16Array {
    return Uint16Array.from(this._consensus);
  }
  validatorTrust(): Uint16Array {
    return Uint16Array.from(this._validatorTrust);
  }
  stakeWeight(): Uint16Array {
    return Uint16Array.from(this._stakeWeight);
  }
  validatorPermit(): boolean[] {
    return this._validatorPermit.slice();
  }
  active(): boolean[] {
    return this._active.slice();
  }
  /** The chain's `Emission` (rao) per UID from the last epoch; see `combinedEmission`. */
  emission(): bigint[] {
    return this._emission.slice();
  }
  /** A mechanism's `LastUpdate`: the block each UID last set weights on it. */
  lastUpdate(opts?: MechanismOption): number[] {
    return this.mechanism(opts).lastUpdate.slice();
  }
  blockAtRegistration(): number[] {
    return this._blockAtRegistration.slice();
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
    if (typeof hotkey !== 'string' || hotkey === '') {
      throw new YumaError('E_ARG', `hotkey must be a non-empty string (got ${describe(hotkey)})`);
    }
    const at = block === undefined ? this._block : checkBlock(block, 'block');
    if (this.uids.has(hotkey)) throw new YumaError('E_STATE', `hotkey ${hotkey} is already registered (uid ${this.uids.get(hotkey)})`);
    if (this.size < this.capacity) return this.append(hotkey, at);
    const immortal = new Set<number>();
    const owner = this.ownerUid;
    if (owner !== null) immortal.add(owner);
    const uid = neuronToPrune({
      n: this.size,
      currentBlock: this._block,
      emission: this._emission,
      blockAtRegistration: this._blockAtRegistration,
      immunityPeriod: this.immunityPeriod,
      minNonImmuneUids: this.minNonImmuneUids,
      immortal,
    });
    if (uid === null) throw new YumaError('E_STATE', `subnet is full (${this.capacity} UIDs) and no UID can be pruned`);
    this.replace(uid, hotkey, at);
    return uid;
  }

  /** Adds alpha stake (rao) to the hotkey registered at `uid`. */
  addStake(uid: number, rao: bigint): void {
    const u = this.checkUid(uid, 'uid');
    if (typeof rao !== 'bigint') throw new YumaError('E_ARG', `stake must be a bigint amount of rao (got ${describe(rao)})`);
    if (rao < 0n) throw new YumaError('E_RANGE', `stake amount is negative (${rao}); use removeStake`);
    const key = this.hotkeys[u];
    const next = (this.stakeOf.get(key) ?? 0n) + rao;
    if (next > U64_MAX) throw new YumaError('E_RANGE', `stake of uid ${u} would exceed u64 (${next})`);
    this.stakeOf.set(key, next);
  }

  /** Removes alpha stake (rao) from the hotkey registered at `uid`. */
  removeStake(uid: number, rao: bigint): void {
    const u = this.checkUid(uid, 'uid');
    if (typeof rao !== 'bigint') throw new YumaError('E_ARG', `stake must be a bigint amount of rao (got ${describe(rao)})`);
    if (rao < 0n) throw new YumaError('E_RANGE', `stake amount is negative (${rao})`);
    const key = this.hotkeys[u];
    const have = this.stakeOf.get(key) ?? 0n;
    if (rao > have) throw new YumaError('E_RANGE', `uid ${u} has ${have} rao staked, cannot remove ${rao}`);
    this.stakeOf.set(key, have - rao);
  }

  /**
   * `set_weights` from the validator at `uid`: the row is stored as `[uids[k], upscaled[k]]` in the caller's
   * order, zeros included, after max-upscaling the values so the largest becomes 65535; `lastUpdate[uid]`
   * becomes the current block. Refuses (like the extrinsic) mismatched lengths, more entries than UIDs,
   * duplicate or unregistered target UIDs, and values outside u16. `{ mechanism }` (`set_mechanism_weights`)
   * sets the row and last-update of that mechanism; one the subnet does not have is refused.
   */
  setWeights(uid: number, uids: number[], values: number[], opts?: MechanismOption): void {
    const mech = this.mechanism(opts);
    const u = this.checkUid(uid, 'uid');
    if (!Array.isArray(uids)) throw new YumaError('E_SHAPE', 'uids must be an array of UIDs');
    if (!Array.isArray(values)) throw new YumaError('E_SHAPE', 'values must be an array of u16 weights');
    if (uids.length !== values.length) {
      throw new YumaError('E_SHAPE', `uids (${uids.length}) and values (${values.length}) differ in length`);
    }
    if (uids.length > this.size) throw new YumaError('E_SHAPE', `${uids.length} weights for a subnet of ${this.size} UIDs`);
    const seen = new Set<number>();
    const targets = uids.map((j, k) => {
      const t = toInt(j, `uids[${k}]`, 0, 65535);
      if (t >= this.size) throw new YumaError('E_RANGE', `uids[${k}] = ${t} is not a registered UID (size ${this.size})`);
      if (seen.has(t)) throw new YumaError('E_SHAPE', `uids lists ${t} twice`);
      seen.add(t);
      return t;
    });
    const raw = values.map((v, k) => toInt(v, `values[${k}]`, 0, 65535));
    if (this.requirePermit) {
      const selfWeight = targets.length === 1 && targets[0] === u;
      if (!selfWeight && this.ownerUid !== u && !this._validatorPermit[u]) {
        throw new YumaError('E_STATE', `uid ${u} has no validator permit; it may only set a self-weight`);
      }
    }
    const stored = vecU16MaxUpscaleToU16(raw);
    mech.weights[u] = targets.map((t, k) => [t, stored[k]] as [number, number]);
    mech.lastUpdate[u] = this._block;
  }

  /**
   * `do_set_mechanism_count` / `update_mechanism_counts_if_needed`: 1 to 16 mechanisms. A smaller count clears
   * the storage of the removed mechanisms (weights, bonds, last-update, incentive); a larger one adds mechanisms
   * with nothing stored (their last-update reads as 0, so nobody is active there until they set weights). Any
   * change resets the emission split to even; setting the current count changes nothing. The chain's admin
   * limits (runtime `MaxMechanismCount`, default 2; `MaxAllowedUids × count ≤ 256`) are not applied here.
   */
  setMechanismCount(count: number): void {
    const k = checkMechanismCount(count, 'count');
    const old = this.mechs.length;
    if (k === old) return;
    if (k < old) this.mechs = this.mechs.slice(0, k);
    else for (let m = old; m < k; m++) this.mechs.push(emptyMechanism(this.size));
    this.split = null;
  }

  /**
   * `do_set_emission_split`: u16 parts summing to 65535, 1 to `mechanismCount` of them (missing parts are 0),
   * or null for the even split.
   */
  setEmissionSplit(split: number[] | null): void {
    if (split === null || split === undefined) {
      this.split = null;
      return;
    }
    this.split = checkEmissionSplit(split, 'split', { minParts: 1, maxParts: this.mechs.length });
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
    if (hyper == null || typeof hyper !== 'object' || Array.isArray(hyper)) {
      throw new YumaError('E_ARG', `setHyper takes an object of hyper-parameters (got ${describe(hyper)})`);
    }
    const next = resolveHyper({ ...this._hyper, ...hyper }, 'hyper');
    this._hyper = next;
    if (hyper.activityCutoff !== undefined) this.cutoffExplicit = true;
  }

  /** `do_reset_bonds`: deletes every stored bond on the UID (its column) in a mechanism, as a bonds-reset commitment does. */
  resetBonds(uid: number, opts?: MechanismOption): void {
    const mech = this.mechanism(opts);
    const u = this.checkUid(uid, 'uid');
    mech.bonds = mech.bonds.map((row) => row.filter(([j]) => j !== u));
  }

  /**
   * Runs one epoch on the stored state (`path` picks the chain code path, default sparse) and writes back what
   * the chain persists: with several mechanisms, each mechanism's bonds and incentive, and the aggregate of
   * `epoch_with_mechanisms` for the rest. Returns the engine's output (bonds as sparse rows).
   */
  epoch(raoEmission: bigint, opts?: SubnetEpochOptions): EpochOutput {
    if (typeof raoEmission !== 'bigint') throw new YumaError('E_ARG', `raoEmission must be a bigint (got ${describe(raoEmission)})`);
    if (opts != null && typeof opts !== 'object') throw new YumaError('E_ARG', 'epoch options must be an object');
    const path = opts?.path ?? 'sparse';
    if (path !== 'sparse' && path !== 'dense') throw new YumaError('E_ARG', `path must be 'sparse' or 'dense' (got ${String(path)})`);
    const input = this.mechs.length === 1 ? this.epochInput(raoEmission) : this.mechanismEpochInput(raoEmission);
    const out = this.engine.epoch(input, this.hyper, { mode: this.mode, path });
    const n = this.size;
    const k = this.mechs.length;
    const perMechanism: EpochOutput[] = k === 1 ? [out] : ((out as Partial<MechanismEpochOutput>).mechanisms ?? []);
    const wellShaped = (o: EpochOutput) => Array.isArray(o.bonds) && o.bonds.length === n && o.validatorPermit.length === n && o.incentive.length === n;
    if (perMechanism.length !== k || !perMechanism.every(wellShaped) || !wellShaped(out)) {
      throw new YumaError('E_STATE', 'engine returned an output of the wrong shape');
    }
    const emission = k === 1 ? combinedEmission(out, raoEmission, this.mode) : (out as MechanismEpochOutput).emission.slice();
    const notes = this.whyUnpaid(out);
    // Everything below is assignment only: nothing can throw half-way.
    this._notes = notes;
    perMechanism.forEach((o, m) => {
      this.mechs[m].bonds = copyRows(o.bonds as SparseRow[]);
      this.mechs[m].incentive = Array.from(o.incentive);
    });
    this._validatorPermit = out.validatorPermit.slice();
    this._active = out.active.slice();
    this._consensus = Array.from(out.consensus);
    this._dividends = Array.from(out.dividends);
    this._validatorTrust = Array.from(out.validatorTrust);
    this._stakeWeight = Array.from(out.stakeWeight);
    this._emission = emission;
    if (this.recordStepBlock) this._lastStepBlock = this._block;
    this._lastOutput = out;
    return out;
  }

  /**
   * Why the last epoch paid less than a newcomer expects, in plain sentences (empty when nothing stood out): the
   * chain's rules that silently zero an epoch — no validator permit held going in (permits are granted by an epoch,
   * so the first one pays no dividends), and weight rows not newer than their targets' registration (the chain
   * treats them as outdated and ignores them).
   */
  epochNotes(): string[] {
    return this._notes.slice();
  }

  private whyUnpaid(out: EpochOutput): string[] {
    const notes: string[] = [];
    const permitsIn = this._validatorPermit.filter(Boolean).length;
    if (permitsIn === 0 && this.ownerUid === null) {
      const granted = out.validatorPermit.filter(Boolean).length;
      notes.push(
        `no UID held a validator permit going into this epoch, so no weights counted and no dividends were paid; ` +
          `this epoch granted ${granted} permit${granted === 1 ? '' : 's'}, so the next epoch pays (run one more).`,
      );
    }
    const reg = this._blockAtRegistration;
    const m0 = this.mechs[0];
    m0.weights.forEach((row, i) => {
      if (row.length === 0 || !this._validatorPermit[i]) return;
      const lu = m0.lastUpdate[i];
      const outdated = row.filter(([j, v]) => v > 0 && lu <= reg[j]).map(([j]) => j);
      if (outdated.length > 0 && outdated.length === row.filter(([, v]) => v > 0).length) {
        notes.push(
          `uid ${i}'s weights (set at block ${lu}) are not newer than the registration of the UIDs they point at, so the chain ` +
            `ignores them as outdated; set weights in a block after the registrations.`,
        );
      }
    });
    return notes;
  }

  /**
   * The `EpochInput` (sparse layout) the next `epoch(raoEmission)` would pass to the engine, for a subnet with
   * one mechanism (`E_STATE` with several: see `mechanismEpochInput`).
   */
  epochInput(raoEmission: bigint): EpochInput {
    if (this.mechs.length !== 1) {
      throw new YumaError('E_STATE', `the subnet has ${this.mechs.length} mechanisms; its epoch input is mechanismEpochInput()`);
    }
    return { ...this.sharedInput(raoEmission), ...this.ownInput(this.mechs[0]) };
  }

  /**
   * The input as a `MechanismEpochInput` (sparse layout), whatever the count: one entry per mechanism and the
   * emission split padded with 0 to one part per mechanism. What `epoch` passes with several mechanisms.
   */
  mechanismEpochInput(raoEmission: bigint): MechanismEpochInput {
    const k = this.mechs.length;
    const split = this.split === null ? undefined : Array.from({ length: k }, (_, m) => this.split![m] ?? 0);
    return { ...this.sharedInput(raoEmission), mechanisms: this.mechs.map((m) => this.ownInput(m)), ...(split ? { emissionSplit: split } : {}) };
  }

  private sharedInput(raoEmission: bigint) {
    const owner = this.ownerUid;
    return {
      n: this.size,
      currentBlock: this._block,
      tempo: this._tempo,
      lastStepBlock: this._lastStepBlock,
      stake: this.stake(),
      blockAtRegistration: this._blockAtRegistration.slice(),
      validatorPermit: this._validatorPermit.slice(),
      ...(owner !== null ? { ownerUid: owner } : {}),
      raoEmission,
    };
  }

  private ownInput(m: MechanismStorage): { weights: SparseRow[]; bonds: SparseRow[]; lastUpdate: number[] } {
    return { weights: copyRows(m.weights), bonds: copyRows(m.bonds), lastUpdate: m.lastUpdate.slice() };
  }

  // ---------------------------------------------------------------------------------------------------------

  private activityCutoff(): number {
    return this.cutoffExplicit ? this._hyper.activityCutoff : activityCutoffFromFactor(this._tempo, this.cutoffFactorMilli);
  }

  private mechanism(opts: MechanismOption | undefined): MechanismStorage {
    if (opts != null && (typeof opts !== 'object' || Array.isArray(opts))) {
      throw new YumaError('E_ARG', `options must be an object like { mechanism: 1 } (got ${describe(opts)})`);
    }
    for (const key of Object.keys(opts ?? {})) {
      if (key !== 'mechanism') throw new YumaError('E_ARG', `option ${key} is not known (known: mechanism)`);
    }
    const m = toInt(opts?.mechanism ?? 0, 'mechanism', 0, 65535);
    if (m >= this.mechs.length) {
      throw new YumaError('E_RANGE', `mechanism ${m} does not exist: the subnet has ${this.mechs.length} (0 to ${this.mechs.length - 1})`);
    }
    return this.mechs[m];
  }

  private checkUid(uid: unknown, field: string): number {
    const u = toInt(uid, field, 0, 65535);
    if (u >= this.size) throw new YumaError('E_RANGE', `${field} ${u} is not registered (subnet has ${this.size} UIDs)`);
    return u;
  }

  private append(hotkey: string, block: number): number {
    const uid = this.hotkeys.length;
    this.hotkeys.push(hotkey);
    this.uids.set(hotkey, uid);
    for (const m of this.mechs) {
      m.weights.push([]);
      m.bonds.push([]);
      m.lastUpdate.push(block);
      m.incentive.push(0);
    }
    this._blockAtRegistration.push(block);
    this._validatorPermit.push(false);
    this._active.push(true);
    this._emission.push(0n);
    this._consensus.push(0);
    this._dividends.push(0);
    this._validatorTrust.push(0);
    this._stakeWeight.push(0);
    return uid;
  }

  private replace(uid: number, hotkey: string, block: number): void {
    this.uids.delete(this.hotkeys[uid]);
    this.hotkeys[uid] = hotkey;
    this.uids.set(hotkey, uid);
    this._blockAtRegistration[uid] = block;
    this._active[uid] = true;
    // clear_neuron
    this._emission[uid] = 0n;
    this._consensus[uid] = 0;
    this._dividends[uid] = 0;
    this._validatorTrust[uid] = 0;
    this._stakeWeight[uid] = 0;
    this._validatorPermit[uid] = false;
    for (const m of this.mechs) {
      m.incentive[uid] = 0;
      m.bonds[uid] = [];
      m.weights[uid] = [];
      m.weights = m.weights.map((row) => row.map(([j, v]) => [j, j === uid ? 0 : v] as [number, number]));
      m.lastUpdate[uid] = block; // replace_neuron: the new neuron's weights timing starts at its registration
    }
  }
}
