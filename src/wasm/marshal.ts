import type { PreparedEpoch } from '../epoch/prepare.js';
import type { RawEpochResult } from '../epoch/result.js';
import type { SparseRow } from '../epoch/types.js';
import { align, type Arena } from './arena.js';
import type { ResidentMatrices } from './resident.js';
import {
  FLAG_COMMIT, FLAG_HAS_OWNER, FLAG_PRESENCE_FROM_VALUES, FLAG_LIQUID_ALPHA, FLAG_YUMA3, J, JOB_BYTES,
  ROW_EMPTY, ROW_INPUT, ROW_WRITTEN, ROW_ZERO_STORED,
} from './abi.js';

/** Bytes one job needs in the arena for its header, inputs and outputs (scratch is shared and counted apart). */
export function jobBytes(n: number): number {
  const nn = n * n;
  const vec8 = align(8 * n);
  const vec2 = align(2 * n);
  const vec1 = align(n);
  return (
    align(JOB_BYTES) +
    // inputs: stake, lastUpdate, blockAtReg, commit; weights, bonds; present; permit
    4 * vec8 + 2 * align(2 * nn) + align(nn) + vec1 +
    // outputs: 5 u16 vectors, 3 u8 vectors, bonds + presence, 2 u64 vectors, 6 f64 vectors
    5 * vec2 + 3 * vec1 + align(2 * nn) + align(nn) + 2 * vec8 + 6 * vec8
  );
}

/**
 * Bytes a resident job needs in the arena: `jobBytes` without the input matrices and the bond outputs (the kernels
 * read the resident matrices and write the new bonds into them), with the bond-row hint.
 */
export function residentJobBytes(n: number): number {
  return jobBytes(n) - 3 * align(2 * n * n) - 2 * align(n * n) + align(n);
}

/** The per-UID outputs in allocation order, with their element sizes. */
const VECTOR_OUTPUTS = [
  J.OUT_STAKE_WEIGHT, J.OUT_CONSENSUS, J.OUT_INCENTIVE, J.OUT_DIVIDENDS, J.OUT_VTRUST, J.OUT_ACTIVE, J.OUT_PERMIT,
  J.OUT_BOND_ROWS, J.OUT_SERVER, J.OUT_VALIDATOR, J.OUT_CONSENSUS_F, J.OUT_INCENTIVE_F, J.OUT_DIVIDENDS_F,
  J.OUT_RANK_F, J.OUT_TRUST_F, J.OUT_VTRUST_F,
] as const;

function vectorBytes(k: number, n: number): number {
  switch (k) {
    case J.OUT_ACTIVE:
    case J.OUT_PERMIT:
    case J.OUT_BOND_ROWS:
      return n;
    case J.OUT_STAKE_WEIGHT:
    case J.OUT_CONSENSUS:
    case J.OUT_INCENTIVE:
    case J.OUT_DIVIDENDS:
    case J.OUT_VTRUST:
      return 2 * n;
    default:
      return 8 * n;
  }
}

/**
 * Whether weight row `i` reaches the kernels: `mask_rows` empties every row without a stored permit (the sparse
 * path's owner keeps its row). Mirrors `keptWeightRow` in assembly/presence.ts; a superset of both paths' masks.
 */
function keptWeightRow(p: PreparedEpoch, i: number): boolean {
  return i < p.permitLength && (p.validatorPermit[i] !== 0 || i === p.ownerUid);
}

/**
 * What a job header and its per-UID inputs need: a prepared epoch, or a resident one (`ResidentEpoch`) whose
 * matrices already lie in Wasm memory.
 */
export type JobFields = Pick<
  PreparedEpoch,
  | 'n' | 'pathRules' | 'currentBlock' | 'tempo' | 'lastStepBlock' | 'raoEmission' | 'stake' | 'lastUpdate'
  | 'blockAtRegistration' | 'validatorPermit' | 'permitLength' | 'ownerUid' | 'commitBlocks' | 'hyper'
>;

/** Writes one prepared epoch into the arena and returns its header address. */
export function writeJob(a: Arena, p: PreparedEpoch): number {
  const n = p.n;
  const nn = n * n;
  const slots = jobSlots(p, p.presenceFromValues);
  const job = a.alloc(JOB_BYTES);
  // Every region is allocated first and the views fetched once (an allocation may grow, and so detach, memory).
  allocInputs(a, slots, p);
  const w = (slots[J.WEIGHTS] = a.alloc(2 * nn));
  const wp = (slots[J.WEIGHTS_PRESENT] = a.alloc(nn));
  const b = (slots[J.BONDS] = a.alloc(2 * nn));
  allocOutputs(a, slots, n);

  const u8 = a.u8;
  const u16 = a.u16;
  // Weight rows the chain's mask_rows empties are never read by the kernels: copy only the kept ones, in runs.
  const presence = p.presenceFromValues ? null : p.weightsPresent;
  const rows = Math.min(n, p.permitLength);
  for (let i = 0; i < rows; ) {
    if (!keptWeightRow(p, i)) {
      i++;
      continue;
    }
    let end = i + 1;
    while (end < rows && keptWeightRow(p, end)) end++;
    u16.set(p.weights.subarray(i * n, end * n), w / 2 + i * n);
    if (presence) u8.set(presence.subarray(i * n, end * n), wp + i * n);
    i = end;
  }
  u16.set(p.bonds, b / 2);
  fillJob(a, job, slots, p);
  return job;
}

/**
 * Writes a job over resident matrices (their regions stay where they are; the kernels read them in place) and
 * returns its header address. Only the header, the per-UID vectors and the output regions are written.
 */
export function writeResidentJob(a: Arena, p: JobFields, m: ResidentMatrices): number {
  const slots = jobSlots(p, false);
  const job = a.alloc(JOB_BYTES);
  allocInputs(a, slots, p);
  slots[J.WEIGHTS] = m.weights;
  slots[J.WEIGHTS_PRESENT] = m.weightsPresent;
  slots[J.BONDS] = m.bonds;
  slots[J.BOND_ROWS_HINT] = a.alloc(p.n);
  // Both kernels write the bonds last, after their last read of the input bonds, and only the rows they compute
  // (ROW_WRITTEN): those rows go straight into the resident matrices; `commitBonds` settles the other kinds.
  allocOutputs(a, slots, p.n, false);
  slots[J.OUT_BONDS] = m.bonds;
  slots[J.OUT_BONDS_PRESENT] = m.bondsPresent;
  fillJob(a, job, slots, p);
  m.bondRowHints(a.u8, slots[J.BOND_ROWS_HINT]);
  return job;
}

/** A job header's slots as numbers (addresses filled in by the caller). */
function jobSlots(p: JobFields, presenceFromValues: boolean): number[] {
  const slots = new Array<number>(JOB_BYTES / 8).fill(0);
  const h = p.hyper;
  let flags = 0;
  if (h.yuma3Enabled) flags |= FLAG_YUMA3;
  if (h.liquidAlphaEnabled) flags |= FLAG_LIQUID_ALPHA;
  if (p.commitBlocks) flags |= FLAG_COMMIT;
  if (p.ownerUid >= 0) flags |= FLAG_HAS_OWNER;
  if (presenceFromValues) flags |= FLAG_PRESENCE_FROM_VALUES;
  slots[J.N] = p.n;
  slots[J.PATH_RULES] = p.pathRules;
  slots[J.FLAGS] = flags;
  slots[J.OWNER] = p.ownerUid;
  slots[J.TEMPO] = p.tempo;
  slots[J.ACTIVITY_CUTOFF] = h.activityCutoff;
  slots[J.KAPPA] = h.kappa;
  slots[J.BMA] = h.bondsMovingAverage;
  slots[J.BONDS_PENALTY] = h.bondsPenalty;
  slots[J.MAX_VALIDATORS] = h.maxAllowedValidators;
  slots[J.ALPHA_LOW] = h.alphaLow;
  slots[J.ALPHA_HIGH] = h.alphaHigh;
  slots[J.STEEPNESS] = h.alphaSigmoidSteepness;
  slots[J.PERMIT_LEN] = p.permitLength;
  return slots;
}

function allocInputs(a: Arena, slots: number[], p: JobFields): void {
  const n = p.n;
  slots[J.STAKE] = a.alloc(8 * n);
  slots[J.LAST_UPDATE] = a.alloc(8 * n);
  slots[J.BLOCK_AT_REG] = a.alloc(8 * n);
  if (p.commitBlocks) slots[J.COMMIT] = a.alloc(8 * n);
  slots[J.PERMIT] = a.alloc(n);
}

/** Vector outputs first and contiguous, so readJob copies them out in one piece; the n² bond regions last. */
function allocOutputs(a: Arena, slots: number[], n: number, bonds = true): void {
  for (const k of VECTOR_OUTPUTS) slots[k] = a.alloc(vectorBytes(k, n));
  if (!bonds) return;
  slots[J.OUT_BONDS] = a.alloc(2 * n * n);
  slots[J.OUT_BONDS_PRESENT] = a.alloc(n * n);
}

/** The per-UID inputs and the header itself. */
function fillJob(a: Arena, job: number, slots: number[], p: JobFields): void {
  const u64 = a.u64;
  u64.set(p.stake, slots[J.STAKE] / 8);
  u64.set(p.lastUpdate, slots[J.LAST_UPDATE] / 8);
  u64.set(p.blockAtRegistration, slots[J.BLOCK_AT_REG] / 8);
  if (p.commitBlocks) u64.set(p.commitBlocks, slots[J.COMMIT] / 8);
  a.u8.set(p.validatorPermit, slots[J.PERMIT]);
  const u32 = a.u32;
  for (let k = 0; k < slots.length; k++) {
    const v = slots[k];
    const hi = Math.floor(v / 2 ** 32);
    u32[job / 4 + 2 * k] = v - hi * 2 ** 32;
    u32[job / 4 + 2 * k + 1] = hi; // two's complement high word for the few negative slots (owner −1, steepness)
  }
  const h = p.hyper;
  u64[job / 8 + J.CURRENT_BLOCK] = p.currentBlock;
  u64[job / 8 + J.LAST_STEP] = p.lastStepBlock;
  u64[job / 8 + J.STAKE_THRESHOLD] = h.stakeThreshold;
  u64[job / 8 + J.RAO] = p.raoEmission;
}

/**
 * Copies a finished job's outputs out of Wasm memory (the arena is reused by the next call). Bond storage is
 * rebuilt row by row from the kernel's row kinds: computed rows come from Wasm, unchanged rows straight from the
 * prepared input, empty rows stay zero. `fullRaw` (the default; the divergence tools and tests) builds the whole
 * n² storage with its presence bytes. Without it a dense-layout result skips the presence bytes (its output never
 * shows them) and a sparse-layout one builds only its output's `[uid, value]` rows (`bondRows`), straight from
 * Wasm memory, with no n² copy.
 */
export function readJob(a: Arena, job: number, p: PreparedEpoch, fullRaw = true): RawEpochResult {
  const n = p.n;
  const nn = n * n;
  const r = readVectors(a, job, n);
  const slot = (k: number) => a.u32[job / 4 + 2 * k];
  if (!fullRaw && p.layout === 'sparse') {
    r.raw.bondRows = sparseBondRows(a, r.kinds, slot(J.OUT_BONDS) / 2, slot(J.OUT_BONDS_PRESENT), p);
    return r.raw;
  }
  const withPresence = fullRaw;
  const bonds = new Uint16Array(nn);
  const present = new Uint8Array(withPresence ? nn : 0);
  const kinds = r.kinds;
  const outB = slot(J.OUT_BONDS) / 2;
  const outP = slot(J.OUT_BONDS_PRESENT);
  const mem16 = a.u16;
  const mem8 = a.u8;
  for (let i = 0; i < n; ) {
    const kind = kinds[i];
    let end = i + 1;
    while (end < n && kinds[end] === kind) end++;
    const from = i * n;
    const to = end * n;
    if (kind === ROW_WRITTEN) {
      bonds.set(mem16.subarray(outB + from, outB + to), from);
      if (withPresence) present.set(mem8.subarray(outP + from, outP + to), from);
    } else if (kind === ROW_INPUT) {
      bonds.set(p.bonds.subarray(from, to), from);
      if (withPresence) for (let k = from; k < to; k++) present[k] = bonds[k] !== 0 ? 1 : 0;
    } else if (kind === ROW_ZERO_STORED && withPresence) {
      present.fill(1, from, to);
    }
    i = end;
  }
  r.raw.bonds = bonds;
  r.raw.bondsPresent = present;
  r.raw.bondRowEmpty = kinds.map((k) => (k === ROW_EMPTY ? 1 : 0));
  return r.raw;
}

/**
 * The sparse output's bond rows, as `toEpochOutput` makes them from the n² storage (an entry per stored bond, uids
 * ascending), read per row kind: computed rows from the output region (value and presence), unchanged rows from
 * the input (stored where non-zero), an all-zero stored row as n zero entries, an empty row as none.
 */
function sparseBondRows(a: Arena, kinds: Uint8Array, outB: number, outP: number, p: PreparedEpoch): SparseRow[] {
  const n = p.n;
  const mem16 = a.u16;
  const mem8 = a.u8;
  const rows: SparseRow[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const kind = kinds[i];
    const base = i * n;
    let row: SparseRow;
    if (kind === ROW_WRITTEN) {
      let count = 0;
      for (let j = 0; j < n; j++) if (mem8[outP + base + j] !== 0) count++;
      row = new Array(count);
      for (let j = 0, k = 0; k < count; j++) if (mem8[outP + base + j] !== 0) row[k++] = [j, mem16[outB + base + j]];
    } else if (kind === ROW_INPUT) {
      const b = p.bonds;
      let count = 0;
      for (let j = 0; j < n; j++) if (b[base + j] !== 0) count++;
      row = new Array(count);
      for (let j = 0, k = 0; k < count; j++) if (b[base + j] !== 0) row[k++] = [j, b[base + j]];
    } else if (kind === ROW_ZERO_STORED) {
      row = new Array(n);
      for (let j = 0; j < n; j++) row[j] = [j, 0];
    } else {
      row = [];
    }
    rows[i] = row;
  }
  return rows;
}

/**
 * A finished resident job: the bonds go back into the resident matrices (nothing n² leaves Wasm memory) and the
 * result carries the vectors only (`bonds` empty, every sparse row the one frozen empty row; read bonds from the
 * matrices).
 */
export function readResidentJob(a: Arena, job: number, m: ResidentMatrices): RawEpochResult {
  const n = m.stride;
  const r = readVectors(a, job, n);
  m.commitBonds(r.kinds);
  r.raw.bondRows = new Array<SparseRow>(n).fill(NO_BONDS);
  return r.raw;
}

/** The bond row of every UID in a resident result (its owner replaces the rows before anyone sees them). */
const NO_BONDS = Object.freeze([]) as unknown as SparseRow;

/** The per-UID outputs of a finished job (one copy out of Wasm memory, views into it) and its bond-row kinds. */
function readVectors(a: Arena, job: number, n: number): { raw: RawEpochResult; kinds: Uint8Array } {
  const words = a.u32;
  const slot = (k: number) => words[job / 4 + 2 * k]; // addresses: the low word of the slot (Wasm32)
  const first = slot(J.OUT_STAKE_WEIGHT);
  const last = slot(J.OUT_VTRUST_F) + 8 * n;
  const block = a.u8.slice(first, last).buffer;
  const at = (k: number) => slot(k) - first;
  const u16 = (k: number) => new Uint16Array(block, at(k), n);
  const u8 = (k: number) => new Uint8Array(block, at(k), n);
  const u64 = (k: number) => new BigUint64Array(block, at(k), n);
  const f64 = (k: number) => new Float64Array(block, at(k), n);
  const raw: RawEpochResult = {
    stakeWeight: u16(J.OUT_STAKE_WEIGHT),
    consensus: u16(J.OUT_CONSENSUS),
    incentive: u16(J.OUT_INCENTIVE),
    dividends: u16(J.OUT_DIVIDENDS),
    validatorTrust: u16(J.OUT_VTRUST),
    active: u8(J.OUT_ACTIVE),
    validatorPermit: u8(J.OUT_PERMIT),
    bonds: EMPTY_U16,
    bondsPresent: EMPTY_U8,
    serverEmission: u64(J.OUT_SERVER),
    validatorEmission: u64(J.OUT_VALIDATOR),
    consensusF: f64(J.OUT_CONSENSUS_F),
    incentiveF: f64(J.OUT_INCENTIVE_F),
    dividendsF: f64(J.OUT_DIVIDENDS_F),
    rankF: f64(J.OUT_RANK_F),
    trustF: f64(J.OUT_TRUST_F),
    validatorTrustF: f64(J.OUT_VTRUST_F),
  };
  return { raw, kinds: u8(J.OUT_BOND_ROWS) };
}

const EMPTY_U16 = new Uint16Array(0);
const EMPTY_U8 = new Uint8Array(0);
