/**
 * One subnet's neurons as the chain stores them (`Keys`/`Uids`, `BlockAtRegistration`, `ValidatorPermit`, `Active`,
 * the per-UID epoch outputs, and per mechanism `Weights`, `Bonds`, `LastUpdate`, `Incentive`), with the chain's
 * rules that change them: registration (`append_neuron`, `replace_neuron` + `clear_neuron`, the prune candidate of
 * `get_neuron_to_prune`), `set_weights` storage (max-upscaled rows in the setter's order), the mechanism count and
 * emission split, and the epoch's write-back. `Subnet`, the block model (`Chain`) and through it the simulator all
 * keep their neurons in this one table.
 *
 * Every per-UID field is a typed array sized to the subnet's capacity (`MaxAllowedUids`); a weight or bond row is a
 * `Uint32Array` of `(uid << 16) | value` entries, replaced whole when it changes. All changes go through the
 * methods here, so the table can later live in Wasm memory without another redesign.
 */
import { YumaError, isYumaError } from '../errors.js';
import { combinedEmissionNumbers, combinedEmissionOf, SAFE_RAO } from '../epoch/combined-emission.js';
import { setU64FromNumbers } from '../epoch/u64-words.js';
import { MAX_MECHANISMS, MAX_UIDS } from '../epoch/limits.js';
import type { EpochOutput, MechanismEpochOutput, NumericMode, SparseRow } from '../epoch/types.js';
import { PackedRows } from '../epoch/packed-rows.js';
import { readFields, readList, readListOfU16, typedLength } from '../validation/read.js';
import { describe, show, thrownText, typedArrayKind } from '../validation/describe.js';
import { toInt, toU16List } from '../validation/values.js';
import { upscaleU16Row } from './max-upscale.js';
import { aggregateMechanisms, splitEmission } from '../epoch/mechanisms.js';
import { checkTotalStake } from '../epoch/prepare.js';
import { pathRulesOf, RULE_MECHANISM_PERMITS, sparseRule } from '../epoch/path-rules.js';
import { toEpochOutput, type RawEpochResult } from '../epoch/result.js';
import type { ChainPath, Hyperparams } from '../epoch/types.js';
import { residentSlots, type ResidentEpoch, type ResidentHost, type ResidentMatrices } from '../wasm/resident.js';
import { U64_MAX } from '../units.js';

/** A stored weight or bond row: `(uid << 16) | value` per entry, in storage order. */
export type PackedRow = Uint32Array;

const EMPTY_ROW: PackedRow = new Uint32Array(0);
/** Every field of an `EpochOutput` / `MechanismEpochOutput`, and of its float views: what `checkedOutput` reads. */
const OUTPUT_FIELDS = ['stakeWeight', 'consensus', 'incentive', 'dividends', 'validatorTrust', 'active', 'validatorPermit', 'bonds', 'serverEmission', 'validatorEmission', 'float', 'mechanisms', 'mechanismEmission', 'emission', 'votingStake'] as const;
const FLOAT_FIELDS = ['consensus', 'incentive', 'dividends', 'rank', 'trust', 'validatorTrust'] as const;

/** Packs `[uid, value]` pairs (uids < 65536, u16 values) into a stored row. */
export function packRow(pairs: ReadonlyArray<readonly [number, number]>): PackedRow {
  const list = readList(pairs, 'pairs', MAX_UIDS);
  if (list.length === 0) return EMPTY_ROW;
  const row = new Uint32Array(list.length);
  for (let k = 0; k < list.length; k++) {
    const pair = readList(list[k], `pairs[${k}]`, 2);
    if (pair.length !== 2) throw new YumaError('E_SHAPE', `pairs[${k}] must be a [uid, value] pair`);
    row[k] = ((toInt(pair[0], `pairs[${k}][0]`, 0, 65535) << 16) | toInt(pair[1], `pairs[${k}][1]`, 0, 65535)) >>> 0;
  }
  return row;
}

/** `packRow` of pairs the library made or already checked (the epoch write-back, rows loaded from a checked state). */
function packChecked(pairs: ReadonlyArray<readonly [number, number]>): PackedRow {
  if (pairs.length === 0) return EMPTY_ROW;
  const row = new Uint32Array(pairs.length);
  for (let k = 0; k < pairs.length; k++) row[k] = ((pairs[k][0] << 16) | pairs[k][1]) >>> 0;
  return row;
}

/** The `[uid, value]` pairs of a stored row. */
export function unpackRow(row: PackedRow): SparseRow {
  if (typedArrayKind(row) !== 'Uint32Array') throw new YumaError('E_ARG', `row must be a Uint32Array made by packRow (got ${describe(row)})`);
  // the length from the internal slot: an own `length` of the caller's array is user code
  const n = typedLength(row);
  const out: SparseRow = new Array(n);
  for (let k = 0; k < n; k++) out[k] = [row[k] >>> 16, row[k] & 0xffff];
  return out;
}

/** What the chain keeps per mechanism (under the storage index `mechanism·4096 + netuid`). */
export class MechanismNeurons {
  /** `Weights` rows by UID (max-upscaled u16, as `set_weights` stored them). Rows are replaced whole, never edited in place. */
  readonly weights: PackedRow[];
  /** `LastUpdate`: the block each UID last set weights on this mechanism. */
  readonly lastUpdate: BigUint64Array;
  /** `Incentive` (u16) per UID from this mechanism's last epoch. */
  readonly incentive: Uint16Array;
  /** Bond rows; a row marked in `bondsStale` is out of date and its truth lies in `resident`. */
  private readonly bondStore: PackedRow[];
  /**
   * The mechanism's matrices in Wasm memory, once an epoch ran on a Wasm engine (see `SubnetNeurons.epochResident`).
   * @internal
   */
  resident: ResidentMatrices | null = null;
  /**
   * The weight rows `resident` holds, by identity: a row that is not `===` its twin here is pushed before the next epoch.
   * @internal
   */
  residentWeights: PackedRow[] = [];
  /**
   * The bond rows `resident` holds, by identity (as `residentWeights`).
   * @internal
   */
  residentBonds: PackedRow[] = [];
  /**
   * 1 where `bondStore[i]` predates the last resident epoch (the row is read back from Wasm on first use).
   * @internal
   */
  bondsStale: Uint8Array;

  constructor(capacity: number) {
    capacity = toInt(capacity, 'capacity', 0, MAX_UIDS);
    this.weights = new Array<PackedRow>(capacity).fill(EMPTY_ROW);
    this.bondStore = new Array<PackedRow>(capacity).fill(EMPTY_ROW);
    this.bondsStale = new Uint8Array(capacity);
    // LastUpdate and Incentive of a mechanism the chain never wrote read as zeros (get_last_update pads with 0)
    this.lastUpdate = new BigUint64Array(capacity);
    this.incentive = new Uint16Array(capacity);
  }

  /** `Bonds` rows by UID (u16, column max-upscaled). Rows are replaced whole, never edited in place. */
  get bonds(): PackedRow[] {
    for (let i = 0; i < this.bondStore.length; i++) if (this.bondsStale[i]) this.bondRow(i);
    return this.bondStore;
  }

  /** Bond row `i`, read back from the resident matrices if the last epoch changed it there. */
  bondRow(i: number): PackedRow {
    if (this.bondsStale[i]) {
      const row = this.resident!.bondRow(i);
      this.bondStore[i] = row;
      this.residentBonds[i] = row;
      this.bondsStale[i] = 0;
    }
    return this.bondStore[i];
  }

  /** Replaces bond row `i` (pushed to the resident matrices before the next epoch). */
  setBondRow(i: number, row: PackedRow): void {
    this.bondStore[i] = row;
    this.bondsStale[i] = 0;
  }
}

/** What `get_neuron_to_prune` reads besides the table. */
export interface PruneRules {
  /** The current block (immunity is counted from each UID's registration to it). */
  currentBlock: bigint;
  /** `ImmunityPeriod`: blocks after registration during which a UID is only pruned as a last resort. */
  immunityPeriod: bigint;
  /** `MinNonImmuneUids`: non-immune UIDs that must remain before an immune one is taken instead. */
  minNonImmuneUids: number;
  /** UIDs never pruned (the owner's immune hotkeys). */
  immortal: ReadonlySet<number>;
}

/** A `set_weights` row as read: targets and the raw values, in the caller's order. */
export interface WeightsRow {
  /** Target UIDs. */
  targets: number[];
  /** u16 values, one per target, as `readWeights` reads them (not yet upscaled). */
  values: number[];
}

/** Why `set_weights` refuses a row: the pallet's error name, a `YumaError` code and a sentence. */
export interface WeightsProblem {
  /** The pallet's error name. */
  chainError: 'WeightVecNotEqualSize' | 'UidsLengthExceedUidsInSubNet' | 'DuplicateUids' | 'UidVecContainInvalidOne';
  /** The `YumaError` code the library refuses the row with. */
  code: 'E_SHAPE' | 'E_RANGE';
  /** What is wrong, in a sentence. */
  message: string;
}

/** The per-subnet and per-mechanism fields of an epoch input, read straight from the table. */
export interface NeuronEpochFields {
  n: number;
  stake: BigUint64Array;
  blockAtRegistration: BigUint64Array;
  validatorPermit: boolean[];
  /** Weights and bonds as `PackedRows` (which the engine reads as sparse rows). */
  mechanisms: Array<{ weights: PackedRows; bonds: PackedRows; lastUpdate: BigUint64Array }>;
  /** One u16 part per mechanism (missing parts 0), or undefined for the even split. */
  emissionSplit: number[] | undefined;
}

/**
 * A resident epoch begun (`SubnetNeurons.beginResident`): its jobs (null when they must run one after another),
 * a way to run them alone, and the step that turns their raw results into the output and writes it back.
 * @internal
 */
export interface ResidentPending {
  jobs: ResidentEpoch[] | null;
  runAlone(): RawEpochResult[];
  finish(raws: RawEpochResult[]): EpochOutput;
}

/** What a resident epoch reads besides the table (`SubnetNeurons.epochResident`). */
export interface ResidentEpochParams {
  currentBlock: bigint;
  tempo: number;
  lastStepBlock: bigint;
  raoEmission: bigint;
  /** -1 without an owner UID. */
  ownerUid: number;
  hyper: Hyperparams;
  mode: NumericMode;
  path: ChainPath;
  /** Whether the output carries the bonds (as sparse rows, read back from Wasm memory) or `[]` (read them on demand). */
  bonds: boolean;
}

/**
 * One subnet's neurons as the chain stores them (`Keys`, `Uids`, per-UID vectors, per-mechanism weights and bonds):
 * the one table `Subnet`, the simulator and the block model (`Chain`) keep.
 */
export class SubnetNeurons {
  /** `MaxAllowedUids`: the UID slots (and the length of every per-UID array). */
  readonly capacity: number;
  private _size = 0;
  private readonly keys: string[] = [];
  private readonly uids = new Map<string, number>();
  /** `BlockAtRegistration` per UID. */
  readonly blockAtRegistration: BigUint64Array;
  /** `ValidatorPermit` per UID (1 = held). */
  readonly validatorPermit: Uint8Array;
  /** `Active` per UID from the last epoch (1 = active). */
  readonly active: Uint8Array;
  /** The stake the epoch reads per UID (u64). */
  readonly stake: BigUint64Array;
  /** `Emission`: the last epoch's combined emission per UID (the pruning score). */
  readonly emission: BigUint64Array;
  /** `Consensus` (u16) per UID from the last epoch. */
  readonly consensus: Uint16Array;
  /** `Dividends` (u16) per UID from the last epoch. */
  readonly dividends: Uint16Array;
  /** `ValidatorTrust` (u16) per UID from the last epoch. */
  readonly validatorTrust: Uint16Array;
  /** `StakeWeight` (u16) per UID from the last epoch. */
  readonly stakeWeight: Uint16Array;
  private mechs: MechanismNeurons[];
  private split: number[] | null = null;

  constructor(capacity: number, mechanismCount = 1) {
    this.capacity = toInt(capacity, 'capacity', 0, MAX_UIDS);
    const count = toInt(mechanismCount, 'mechanismCount', 1, MAX_MECHANISMS);
    this.blockAtRegistration = new BigUint64Array(this.capacity);
    this.validatorPermit = new Uint8Array(this.capacity);
    this.active = new Uint8Array(this.capacity);
    this.stake = new BigUint64Array(this.capacity);
    this.emission = new BigUint64Array(this.capacity);
    this.consensus = new Uint16Array(this.capacity);
    this.dividends = new Uint16Array(this.capacity);
    this.validatorTrust = new Uint16Array(this.capacity);
    this.stakeWeight = new Uint16Array(this.capacity);
    this.mechs = Array.from({ length: count }, () => new MechanismNeurons(this.capacity));
  }

  /** `SubnetworkN`: registered UIDs. */
  get size(): number {
    return this._size;
  }

  /** `MechanismCountCurrent`. */
  get mechanismCount(): number {
    return this.mechs.length;
  }

  /** Mechanism `m`'s storage (0 is the one a subnet without mechanisms has). */
  mechanism(m: number): MechanismNeurons {
    const k = toInt(m, 'mechanism', 0, 65535);
    if (k >= this.mechs.length) {
      throw new YumaError('E_RANGE', `mechanism ${k} does not exist: the subnet has ${this.mechs.length} (0 to ${this.mechs.length - 1})`);
    }
    return this.mechs[k];
  }

  /** `MechanismEmissionSplit` as set (1 to count parts), or null for the even split. */
  get emissionSplit(): number[] | null {
    return this.split === null ? null : this.split.slice();
  }

  /** The hotkey registered at `uid`. */
  hotkey(uid: number): string {
    return this.keys[uid];
  }

  /** The UID of a registered hotkey, or undefined. */
  uidOf(hotkey: string): number | undefined {
    return this.uids.get(hotkey);
  }

  /** Registered hotkeys by UID (a copy). */
  hotkeys(): string[] {
    return this.keys.slice();
  }

  /** Each hotkey holds one UID (a loaded state may list a hotkey twice: `is_epoch_input_state_consistent`). */
  get consistent(): boolean {
    return this.uids.size === this._size;
  }

  // ---------------------------------------------------------------------------------------------------------
  // Registration

  /** `append_neuron`: the next UID, active, everything else zero; `LastUpdate` of every mechanism = `block`. */
  append(hotkey: string, block: bigint): number {
    if (this._size >= this.capacity) throw new YumaError('E_STATE', `subnet is full (${this.capacity} UIDs)`);
    const uid = this._size++;
    this.keys.push(hotkey);
    if (!this.uids.has(hotkey)) this.uids.set(hotkey, uid);
    this.blockAtRegistration[uid] = block;
    this.active[uid] = 1;
    for (const m of this.mechs) m.lastUpdate[uid] = block;
    return uid;
  }

  /**
   * `replace_neuron`: the UID gets the new hotkey and registration block, `clear_neuron` zeroes its outputs and
   * permit, deletes its weight and bond rows and sets every weight pointing at it to 0 (the entries stay), and its
   * `LastUpdate` starts at `block`. Bonds others hold on it are left to the epoch's recent-registration mask.
   */
  replace(uid: number, hotkey: string, block: bigint): void {
    const old = this.keys[uid];
    if (this.uids.get(old) === uid) this.uids.delete(old);
    this.keys[uid] = hotkey;
    this.uids.set(hotkey, uid);
    this.blockAtRegistration[uid] = block;
    this.active[uid] = 1;
    this.emission[uid] = 0n;
    this.consensus[uid] = 0;
    this.dividends[uid] = 0;
    this.stakeWeight[uid] = 0;
    this.validatorTrust[uid] = 0;
    this.validatorPermit[uid] = 0;
    this.stake[uid] = 0n;
    for (const m of this.mechs) {
      m.incentive[uid] = 0;
      m.setBondRow(uid, EMPTY_ROW);
      m.weights[uid] = EMPTY_ROW;
      for (let i = 0; i < this._size; i++) {
        const row = m.weights[i];
        for (let k = 0; k < row.length; k++) {
          if (row[k] >>> 16 === uid && (row[k] & 0xffff) !== 0) {
            const copy = row.slice();
            for (let q = k; q < copy.length; q++) if (copy[q] >>> 16 === uid) copy[q] = (uid << 16) >>> 0;
            m.weights[i] = copy;
            break;
          }
        }
      }
      m.lastUpdate[uid] = block;
    }
  }

  /**
   * `get_neuron_to_prune`: the lowest `Emission`, ties broken by the older registration and then the lower UID.
   * Immune UIDs are only taken when pruning a non-immune one would leave `minNonImmuneUids` or fewer of them; the
   * immortal ones never. Null when nothing can be pruned.
   */
  pruneCandidate(rules: PruneRules): number | null {
    let free = 0;
    let bestFree = -1;
    let bestImmune = -1;
    const better = (a: number, b: number): boolean => {
      if (b < 0) return true;
      const ea = this.emission[a];
      const eb = this.emission[b];
      if (ea !== eb) return ea < eb;
      const ra = this.blockAtRegistration[a];
      const rb = this.blockAtRegistration[b];
      if (ra !== rb) return ra < rb;
      return a < b;
    };
    for (let uid = 0; uid < this._size; uid++) {
      if (rules.immortal.has(uid)) continue;
      const reg = this.blockAtRegistration[uid];
      // saturating_sub: a registration "in the future" counts as age 0
      const age = rules.currentBlock > reg ? rules.currentBlock - reg : 0n;
      if (age < rules.immunityPeriod) {
        if (better(uid, bestImmune)) bestImmune = uid;
      } else {
        free++;
        if (better(uid, bestFree)) bestFree = uid;
      }
    }
    if (bestFree >= 0 && free > rules.minNonImmuneUids) return bestFree;
    return bestImmune >= 0 ? bestImmune : null;
  }

  /**
   * `register_neuron`: appends while there is room, else replaces the prune candidate. Returns the UID and the hotkey
   * it replaced (null on append), or null when the subnet is full and nothing can be pruned.
   */
  register(hotkey: string, block: bigint, rules: PruneRules): { uid: number; replaced: string | null } | null {
    if (this._size < this.capacity) return { uid: this.append(hotkey, block), replaced: null };
    const uid = this.pruneCandidate(rules);
    if (uid === null) return null;
    const replaced = this.keys[uid];
    this.replace(uid, hotkey, block);
    return { uid, replaced };
  }

  // ---------------------------------------------------------------------------------------------------------
  // Weights, mechanisms, bonds

  /**
   * Reads a `set_weights` row once (each list and entry read exactly once): uids as integers in [0, 65535], values
   * as u16. Throws `YumaError` for anything else. The chain's own checks of the row are `weightsProblem`.
   */
  readWeights(uids: unknown, values: unknown): WeightsRow {
    const targetList = readListOfU16(uids, 'uids', MAX_UIDS);
    const valueList = readListOfU16(values, 'values', MAX_UIDS);
    return {
      targets: targetList.u16 ? (targetList.list as number[]) : toU16List(targetList.list, 'uids'),
      values: valueList.u16 ? (valueList.list as number[]) : toU16List(valueList.list, 'values'),
    };
  }

  /**
   * What `set_weights` refuses in a row, in the extrinsic's order: lengths that differ (`WeightVecNotEqualSize`),
   * more entries than UIDs (`UidsLengthExceedUidsInSubNet`), a uid listed twice (`DuplicateUids`), a uid that is not
   * registered (`UidVecContainInvalidOne`). Null when the row may be stored.
   */
  weightsProblem(row: WeightsRow): WeightsProblem | null {
    const { targets, values } = row;
    if (targets.length !== values.length) {
      return { chainError: 'WeightVecNotEqualSize', code: 'E_SHAPE', message: `uids (${targets.length}) and values (${values.length}) differ in length` };
    }
    if (targets.length > this._size) {
      return { chainError: 'UidsLengthExceedUidsInSubNet', code: 'E_SHAPE', message: `${targets.length} weights for a subnet of ${this._size} UIDs` };
    }
    // targets are u16s: one mark per value, cleared again before returning
    const seen = (duplicateMarks ??= new Uint8Array(65536));
    let dup = -1;
    for (const t of targets) {
      if (seen[t] === 1) {
        dup = t;
        break;
      }
      seen[t] = 1;
    }
    for (const t of targets) seen[t] = 0;
    if (dup >= 0) return { chainError: 'DuplicateUids', code: 'E_SHAPE', message: `uids lists ${dup} twice` };
    for (let k = 0; k < targets.length; k++) {
      if (targets[k] >= this._size) {
        return { chainError: 'UidVecContainInvalidOne', code: 'E_RANGE', message: `uids[${k}] = ${targets[k]} is not a registered UID (size ${this._size})` };
      }
    }
    return null;
  }

  /**
   * What `set_weights` stores: the row max-upscaled (`vec_u16_max_upscale_to_u16`) as `(uid, value)` pairs in the
   * caller's order, zeros included, and `LastUpdate[uid] = block` (unless `touchLastUpdate` is false, as under
   * commit-reveal). The row must come from `readWeights` and have passed `weightsProblem`.
   */
  storeWeights(mechanism: number, uid: number, row: WeightsRow, block: bigint, touchLastUpdate = true): void {
    const m = this.mechanism(mechanism);
    const up = upscaleU16Row(row.values);
    const packed = new Uint32Array(up.length);
    for (let k = 0; k < up.length; k++) packed[k] = ((row.targets[k] << 16) | up[k]) >>> 0;
    m.weights[uid] = packed.length === 0 ? EMPTY_ROW : packed;
    if (touchLastUpdate) m.lastUpdate[uid] = block;
  }

  /** Stored weight rows of a mechanism as `[uid, value]` pairs (fresh arrays). */
  weightRows(mechanism = 0): SparseRow[] {
    const m = this.mechanism(mechanism);
    return m.weights.slice(0, this._size).map(unpackRow);
  }

  /** Stored bond rows of a mechanism as `[uid, value]` pairs (fresh arrays). */
  bondRows(mechanism = 0): SparseRow[] {
    const m = this.mechanism(mechanism);
    const rows: SparseRow[] = new Array(this._size);
    for (let i = 0; i < this._size; i++) rows[i] = unpackRow(m.bondRow(i));
    return rows;
  }

  /** Replaces a stored row as loaded from storage (no upscaling; uids must be below the subnet's size). */
  loadRows(mechanism: number, uid: number, weights: ReadonlyArray<readonly [number, number]>, bonds: ReadonlyArray<readonly [number, number]>): void {
    const m = this.mechanism(mechanism);
    m.weights[uid] = packChecked(weights);
    m.setBondRow(uid, packChecked(bonds));
  }

  /** `do_reset_bonds`: deletes every stored bond on `uid` (its column) in a mechanism. */
  resetBonds(mechanism: number, uid: number): void {
    const m = this.mechanism(mechanism);
    for (let i = 0; i < this._size; i++) {
      const row = m.bondRow(i);
      if (row.some((e) => e >>> 16 === uid)) m.setBondRow(i, row.filter((e) => e >>> 16 !== uid));
    }
  }

  /**
   * `do_set_mechanism_count`: a smaller count clears the removed mechanisms' storage; a larger one adds mechanisms
   * with nothing stored. Any change resets the emission split to even; the current count changes nothing.
   */
  setMechanismCount(count: number): void {
    const k = toInt(count, 'count', 1, MAX_MECHANISMS);
    if (k === this.mechs.length) return;
    if (k < this.mechs.length) {
      for (const m of this.mechs.slice(k)) m.resident?.free();
      this.mechs = this.mechs.slice(0, k);
    }
    else for (let m = this.mechs.length; m < k; m++) this.mechs.push(new MechanismNeurons(this.capacity));
    this.split = null;
  }

  /** `MechanismEmissionSplit` (already checked by the caller), or null for the even split. */
  setEmissionSplit(split: number[] | null): void {
    this.split = split === null ? null : split.slice();
  }

  // ---------------------------------------------------------------------------------------------------------
  // Epoch

  /** The table's part of an epoch input: stake, registrations, permits and each mechanism's rows, for the n UIDs. */
  epochFields(): NeuronEpochFields {
    const n = this._size;
    const permits = new Array<boolean>(n);
    for (let i = 0; i < n; i++) permits[i] = this.validatorPermit[i] === 1;
    const k = this.mechs.length;
    return {
      n,
      stake: this.stake.subarray(0, n),
      blockAtRegistration: this.blockAtRegistration.subarray(0, n),
      validatorPermit: permits,
      mechanisms: this.mechs.map((m) => ({
        weights: new PackedRows(m.weights.slice(0, n)),
        bonds: new PackedRows(m.bonds.slice(0, n)),
        lastUpdate: m.lastUpdate.subarray(0, n),
      })),
      emissionSplit: this.split === null ? undefined : Array.from({ length: k }, (_, m) => this.split![m] ?? 0),
    };
  }

  /**
   * The epoch on state kept in Wasm memory (`host`: the engine's resident side), with the same outputs, bit for bit,
   * as the engine's `epoch` on `epochFields()` and `writeBack`: weight and bond rows that changed since the last
   * epoch (told by identity: rows are replaced whole) are checked and pushed, the kernels read the matrices where
   * they lie and write the new bonds into them; the per-UID vectors (stake, registrations, permits, last update)
   * are copied in (O(n)). Refuses (`YumaError`, nothing changed) what the engine would refuse from the same table:
   * a row with a uid listed twice or not below n, a total stake outside I64F64.
   * @internal
   */
  epochResident(host: ResidentHost, e: ResidentEpochParams): EpochOutput {
    const pending = this.beginResident(host, e);
    if (pending.jobs === null) return pending.finish(pending.runAlone());
    return pending.finish(host.run(pending.jobs));
  }

  /**
   * `epochResident` in two steps, so many subnets' epochs can run as one batch (`ResidentHost.run` over all their
   * jobs, shared between threads on a threaded engine): checks and pushes the changed rows, and returns the jobs
   * and `finish`, which turns the jobs' raw results into the output and writes it back. `jobs` is null for the
   * dense path with several mechanisms (each mechanism after the first reads the permits the first wrote): those
   * run alone, through `runAlone`.
   * @internal
   */
  beginResident(host: ResidentHost, e: ResidentEpochParams): ResidentPending {
    host.checkOpen();
    const n = this._size;
    const k = this.mechs.length;
    const stake = this.stake.subarray(0, n);
    checkTotalStake(stake);
    for (let m = 0; m < k; m++) this.checkChangedRows(host, this.mechs[m], n, m);
    for (const m of this.mechs) this.pushChanged(host, m, n);
    const permits = new Uint8Array(n);
    for (let i = 0; i < n; i++) permits[i] = this.validatorPermit[i] === 1 ? 1 : 0;
    const parts = k === 1 ? [e.raoEmission] : splitEmission(e.raoEmission, k, this.split);
    const rules = pathRulesOf(e.path);
    const job = (m: number, validatorPermit: Uint8Array): ResidentEpoch => ({
      n, pathRules: rules, currentBlock: e.currentBlock, tempo: e.tempo, lastStepBlock: e.lastStepBlock, raoEmission: parts[m],
      stake, lastUpdate: this.mechs[m].lastUpdate.subarray(0, n), blockAtRegistration: this.blockAtRegistration.subarray(0, n),
      validatorPermit, permitLength: n, ownerUid: e.ownerUid, commitBlocks: null, hyper: e.hyper, mode: e.mode,
      matrices: this.mechs[m].resident!,
    });
    const finish = (raws: RawEpochResult[]): EpochOutput => {
      const shape = { n, layout: 'sparse' as const, stake };
      const out =
        k === 1
          ? toEpochOutput(shape, raws[0])
          : aggregateMechanisms({ n, mode: e.mode, raoEmission: e.raoEmission, parts, mechanisms: this.mechs.map(() => shape) }, raws);
      this.writeBack(out, e.raoEmission, e.mode, true);
      const perMechanism = k === 1 ? [out] : (out as MechanismEpochOutput).mechanisms;
      perMechanism.forEach((o, m) => (o.bonds = e.bonds ? this.bondRows(m) : []));
      if (k > 1) out.bonds = perMechanism[0].bonds;
      return out;
    };
    if (k > 1 && !sparseRule(rules, RULE_MECHANISM_PERMITS)) {
      // the dense twin: mechanisms after the first read the permits mechanism 0 wrote (see runItemRaws)
      const runAlone = (): RawEpochResult[] => {
        const first = host.run([job(0, permits)]);
        return [...first, ...host.run(this.mechs.slice(1).map((_, m) => job(m + 1, first[0].validatorPermit)))];
      };
      return { jobs: null, runAlone, finish };
    }
    return { jobs: this.mechs.map((_, m) => job(m, permits)), runAlone: () => host.run(this.mechs.map((_, m) => job(m, permits))), finish };
  }

  /**
   * Before a block that may run this table's epoch on `host` (the chain's, not yet changed): checks and pushes its
   * changed rows and makes its resident matrices, as the epoch's `beginResident` would, so everything there that can
   * fail (a damaged row, the host refusing memory) fails before the block changes anything. Pushing rows the table
   * holds changes no outcome: the epoch pushes the same rows, and finds none left to push.
   * @internal
   */
  prepareResident(host: ResidentHost): void {
    host.checkOpen();
    const n = this._size;
    for (let m = 0; m < this.mechs.length; m++) this.checkChangedRows(host, this.mechs[m], n, m);
    for (const m of this.mechs) this.pushChanged(host, m, n);
  }

  /** The rows of mechanism `m` that changed since they were pushed, checked as the engine checks packed rows. */
  private checkChangedRows(host: ResidentHost, m: MechanismNeurons, n: number, index: number): void {
    let seen: Uint8Array | null = null; // made when a row needs checking (none changed: most epochs)
    const check = (row: PackedRow, field: string, i: number) => {
      seen ??= new Uint8Array(n);
      if (!(row instanceof Uint32Array)) throw new YumaError('E_SHAPE', `mechanism ${index} ${field}[${i}] must be a Uint32Array of packed (uid << 16) | value entries`);
      for (let e = 0; e < row.length; e++) {
        const j = row[e] >>> 16;
        if (j >= n) throw new YumaError('E_RANGE', `mechanism ${index} ${field}[${i}][${e}] uid ${j} is not below n = ${n}`);
        if (seen[j]) throw new YumaError('E_SHAPE', `mechanism ${index} ${field}[${i}] lists uid ${j} twice`);
        seen[j] = 1;
      }
      for (let e = 0; e < row.length; e++) seen[row[e] >>> 16] = 0;
    };
    const fresh = m.resident === null || m.resident.capacity < n || m.resident.host !== host;
    for (let i = 0; i < n; i++) {
      if (fresh || m.weights[i] !== m.residentWeights[i]) check(m.weights[i], 'weights', i);
      if (!m.bondsStale[i] && (fresh || m.bondRow(i) !== m.residentBonds[i])) check(m.bondRow(i), 'bonds', i);
    }
  }

  /** Pushes mechanism `m`'s changed rows into its resident matrices (made, or remade larger, as n needs). */
  private pushChanged(host: ResidentHost, m: MechanismNeurons, n: number): void {
    // new matrices when there are none, when the subnet outgrew them, or when another engine runs this epoch (a
    // table handed from one Chain or Subnet to another): the bond rows are read back from the old ones first
    if (m.resident === null || m.resident.capacity < n || m.resident.host !== host) {
      if (m.resident !== null) {
        for (let i = 0; i < n; i++) m.bondRow(i); // read every stale row back before the old matrices go
        m.resident.free();
        m.resident = null;
      }
      m.resident = host.matrices(residentSlots(n, this.capacity), m);
      m.residentWeights = new Array<PackedRow>(this.capacity).fill(EMPTY_ROW);
      m.residentBonds = new Array<PackedRow>(this.capacity).fill(EMPTY_ROW);
    }
    const r = m.resident;
    r.resize(n);
    for (let i = 0; i < n; i++) {
      const w = m.weights[i];
      if (w !== m.residentWeights[i]) {
        r.setWeightRow(i, w);
        m.residentWeights[i] = w;
      }
      if (m.bondsStale[i]) continue;
      const b = m.bondRow(i);
      if (b !== m.residentBonds[i]) {
        r.setBondRow(i, b);
        m.residentBonds[i] = b;
      }
    }
  }

  /** `E_STATE` when an engine's output does not fit the table (what `writeBack` checks before it changes anything). */
  checkOutput(out: EpochOutput): void {
    const n = this._size;
    const k = this.mechs.length;
    // every field the write-back reads (any engine object may be passed: null, a partial output, throwing getters)
    const list = (v: unknown) => Array.isArray(v) && v.length === n;
    const vector = (v: unknown) => ArrayBuffer.isView(v) && typeof (v as Uint16Array).subarray === 'function' && (v as Uint16Array).length === n;
    const fits = (o: unknown): boolean => typeof o === 'object' && o !== null && list((o as EpochOutput).bonds) && vector((o as EpochOutput).incentive);
    let ok: boolean;
    try {
      const perMechanism: unknown = k === 1 ? [out] : (out as Partial<MechanismEpochOutput> | null)?.mechanisms;
      ok =
        fits(out) && Array.isArray(perMechanism) && perMechanism.length === k && perMechanism.every(fits) &&
        list(out.validatorPermit) && list(out.active) && [out.consensus, out.dividends, out.validatorTrust, out.stakeWeight].every(vector) &&
        (k === 1
          ? list(out.validatorEmission) && list(out.serverEmission) && vector(out.float?.incentive) && vector(out.float?.dividends)
          : list((out as MechanismEpochOutput).emission));
    } catch {
      ok = false;
    }
    if (!ok) throw new YumaError('E_STATE', 'engine returned an output of the wrong shape');
  }

  /**
   * An output from an engine object of the caller's, read once into a plain object the write-back, the payouts and
   * the report can trust: each field it reads of the right kind and length, u16 vectors as genuine Uint16Arrays,
   * emissions u64 rao, bond rows `[uid < n, u16]` pairs, the float incentive and dividends in [0, 1]. Anything else
   * is `E_STATE` naming the field (it was a TypeError midway through a block, or negative or past-u64 emissions
   * carried into the stakes), a getter or Proxy of it that throws too (the error as `cause`). The caller's object is
   * not changed.
   */
  checkedOutput(raw: unknown): EpochOutput {
    try {
      return this.#checkedOutput(raw);
    } catch (e) {
      if (isYumaError(e) && e.code === 'E_STATE') throw e;
      throw new YumaError('E_STATE', `engine returned an output of the wrong shape: ${isYumaError(e) ? e.detail : thrownText(e)}`, { cause: e });
    }
  }

  #checkedOutput(raw: unknown): EpochOutput {
    const n = this._size;
    const k = this.mechs.length;
    const bad = (where: string, what: string): never => {
      throw new YumaError('E_STATE', `engine returned an output of the wrong shape: ${where} must be ${what}`);
    };
    // vectors are copied (the entries alone, through the internal slots): the write-back calls subarray on them, and
    // a caller's array may carry its own subarray or length, which would run after the checks, midway through it
    const u16 = (v: unknown, where: string): Uint16Array =>
      typedArrayKind(v) === 'Uint16Array' && typedLength(v as Uint16Array) === n ? new Uint16Array(v as Uint16Array) : bad(where, `a Uint16Array of ${n} entries (got ${describe(v)})`);
    const list = (v: unknown, where: string): unknown[] => {
      const l = readList(v, where, MAX_UIDS);
      return l.length === n ? l : bad(where, `an array of ${n} entries (got ${l.length})`);
    };
    const flags = (v: unknown, where: string): boolean[] =>
      list(v, where).map((x, i) => (typeof x === 'boolean' ? x : bad(`${where}[${i}]`, `a boolean (got ${show(x)})`)));
    const rao = (v: unknown, where: string, count = n): bigint[] => {
      const l = readList(v, where, MAX_UIDS);
      if (l.length !== count) bad(where, `an array of ${count} entries (got ${l.length})`);
      return l.map((x, i) => (typeof x === 'bigint' && x >= 0n && x <= U64_MAX ? x : bad(`${where}[${i}]`, `a u64 amount of rao as a bigint (got ${show(x)})`)));
    };
    // one loop a row with plain reads (each entry read once, copied): readList per pair doubled a 1024-UID epoch
    const bonds = (v: unknown, where: string): SparseRow[] =>
      list(v, where).map((row, i) => {
        if (!Array.isArray(row)) return bad(`${where}[${i}]`, `an array of [uid, u16] pairs (got ${describe(row)})`);
        const len: unknown = row.length;
        if (typeof len !== 'number' || !(len >= 0 && len <= n)) return bad(`${where}[${i}]`, `at most ${n} pairs`);
        const out: SparseRow = new Array(len);
        for (let j = 0; j < len; j++) {
          const pair: unknown = row[j];
          let uid: unknown;
          let value: unknown;
          if (Array.isArray(pair) && pair.length === 2) {
            uid = pair[0];
            value = pair[1];
          }
          if (!(typeof uid === 'number' && Number.isInteger(uid) && uid >= 0 && uid < n && typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 65535)) {
            return bad(`${where}[${i}][${j}]`, `a [uid below ${n}, u16] pair`);
          }
          out[j] = [uid, value];
        }
        return out;
      });
    const unit = (v: unknown, where: string): Float64Array => {
      if (typedArrayKind(v) !== 'Float64Array' || typedLength(v as Float64Array) !== n) return bad(where, `a Float64Array of ${n} entries (got ${describe(v)})`);
      const f = new Float64Array(v as Float64Array);
      for (let i = 0; i < n; i++) if (!(f[i] >= 0 && f[i] <= 1)) bad(`${where}[${i}]`, `in [0, 1] (got ${show(f[i])})`);
      return f;
    };
    const floats = (v: unknown, where: string): Float64Array =>
      typedArrayKind(v) === 'Float64Array' && typedLength(v as Float64Array) === n ? new Float64Array(v as Float64Array) : bad(where, `a Float64Array of ${n} entries (got ${describe(v)})`);
    /**
     * One output record, copied: the `required` fields checked whether given or not, the others when given. The
     * fields only the report carries are copied by kind too: a caller's getter, Proxy or array kept there would run
     * whenever the report is read (its errors no YumaError), and a caller's object would stay shared with it.
     */
    type Fields = { [K in (typeof OUTPUT_FIELDS)[number]]?: unknown };
    const record = (o: Fields, where: string, required: ReadonlyArray<keyof Fields>, unitFloat: boolean, mechanisms?: (v: unknown) => unknown): Record<string, unknown> => {
      const copy: Record<string, unknown> = {};
      for (const key of OUTPUT_FIELDS) {
        const v = o[key];
        if (v === undefined && !required.includes(key)) continue;
        const at = `${where}.${key}`;
        switch (key) {
          case 'stakeWeight':
          case 'consensus':
          case 'incentive':
          case 'dividends':
          case 'validatorTrust':
            copy[key] = u16(v, at);
            break;
          case 'active':
          case 'validatorPermit':
            copy[key] = flags(v, at);
            break;
          case 'serverEmission':
          case 'validatorEmission':
          case 'emission':
          case 'votingStake':
            copy[key] = rao(v, at);
            break;
          case 'mechanismEmission':
            copy[key] = rao(v, at, k);
            break;
          case 'bonds':
            copy[key] = bonds(v, at);
            break;
          case 'float': {
            // the float incentive and dividends go into the emission of one mechanism: in [0, 1]
            const f = readFields(v, at, FLOAT_FIELDS);
            const views: Record<string, Float64Array> = {};
            for (const view of FLOAT_FIELDS) {
              const ranged = unitFloat && (view === 'incentive' || view === 'dividends');
              if (ranged) views[view] = unit(f[view], `${at}.${view}`);
              else if (f[view] !== undefined) views[view] = floats(f[view], `${at}.${view}`);
            }
            copy[key] = views;
            break;
          }
          case 'mechanisms': // the aggregate's (in its place among the fields); nothing in a mechanism's own output
            if (mechanisms) copy[key] = mechanisms(v);
            break;
        }
      }
      return copy;
    };
    const shared = ['stakeWeight', 'consensus', 'dividends', 'validatorTrust', 'active', 'validatorPermit', 'serverEmission', 'validatorEmission', 'incentive'] as const;
    const perMechanism = (v: unknown) => {
      const per = readList(v, 'output.mechanisms', MAX_MECHANISMS);
      if (per.length !== k) bad('output.mechanisms', `an array of ${k} outputs (got ${per.length})`);
      return per.map((m, i) => record(readFields(m, `output.mechanisms[${i}]`, OUTPUT_FIELDS), `output.mechanisms[${i}]`, ['bonds', 'incentive'], false));
    };
    const o = readFields(raw, 'output', OUTPUT_FIELDS);
    const out = k === 1 ? record(o, 'output', [...shared, 'bonds', 'float'], true) : record(o, 'output', [...shared, 'mechanisms', 'emission'], false, perMechanism);
    return out as unknown as EpochOutput;
  }

  /**
   * The epoch's write-back, as the chain persists it: each mechanism's bonds and incentive, and the aggregate's
   * permits, active flags, consensus, dividends, validator trust, stake weight and `Emission`. Checks the output's
   * shape first and throws `YumaError` (`E_STATE`) without changing anything when it does not fit.
   */
  writeBack(out: EpochOutput, raoEmission: bigint, mode: NumericMode, bondsResident = false): void {
    const n = this._size;
    const k = this.mechs.length;
    this.checkOutput(out);
    const perMechanism: EpochOutput[] = k === 1 ? [out] : (out as MechanismEpochOutput).mechanisms;
    // below 2^53 rao every emission is an exact f64 integer: written as u64 words, no BigInt per UID
    const small = k === 1 && raoEmission < SAFE_RAO;
    const emission = small ? combinedEmissionNumbers(out, raoEmission, mode) : k === 1 ? combinedEmissionOf(out, raoEmission, mode) : (out as MechanismEpochOutput).emission;
    if (emission.length !== n) throw new YumaError('E_STATE', 'engine returned an output of the wrong shape');
    perMechanism.forEach((o, m) => {
      const store = this.mechs[m];
      if (bondsResident) {
        store.bondsStale.fill(1, 0, n); // the epoch wrote them into the resident matrices
      } else {
        const rows = o.bonds as SparseRow[];
        for (let i = 0; i < n; i++) store.setBondRow(i, packChecked(rows[i]));
      }
      store.incentive.set(o.incentive.subarray(0, n));
    });
    for (let i = 0; i < n; i++) {
      this.validatorPermit[i] = out.validatorPermit[i] ? 1 : 0;
      this.active[i] = out.active[i] ? 1 : 0;
    }
    if (small) {
      setU64FromNumbers(this.emission, emission as Float64Array, n);
    } else {
      const big = emission as bigint[];
      for (let i = 0; i < n; i++) this.emission[i] = big[i] > U64_MAX ? U64_MAX : big[i];
    }
    this.consensus.set(out.consensus.subarray(0, n));
    this.dividends.set(out.dividends.subarray(0, n));
    this.validatorTrust.set(out.validatorTrust.subarray(0, n));
    this.stakeWeight.set(out.stakeWeight.subarray(0, n));
  }
}

let duplicateMarks: Uint8Array | undefined;
