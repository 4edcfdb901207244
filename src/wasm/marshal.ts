import type { PreparedEpoch } from '../epoch/prepare.js';
import type { RawEpochResult } from '../epoch/result.js';
import { align, type Arena } from './arena.js';
import {
  FLAG_COMMIT, FLAG_HAS_OWNER, FLAG_PRESENCE_FROM_VALUES, FLAG_LIQUID_ALPHA, FLAG_YUMA3, J, JOB_BYTES, PATH_DENSE, PATH_SPARSE,
  ROW_INPUT, ROW_WRITTEN, ROW_ZERO_STORED,
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
 * Whether weight row `i` reaches the kernels: `mask_rows` empties every row without a stored permit (the sparse
 * path's owner keeps its row). Mirrors `keptWeightRow` in assembly/presence.ts; a superset of both paths' masks.
 */
function keptWeightRow(p: PreparedEpoch, i: number): boolean {
  return i < p.permitLength && (p.validatorPermit[i] !== 0 || i === p.ownerUid);
}

/** Writes one prepared epoch into the arena and returns its header address. */
export function writeJob(a: Arena, p: PreparedEpoch): number {
  const n = p.n;
  const nn = n * n;
  const job = a.alloc(JOB_BYTES);
  const slots = new BigInt64Array(JOB_BYTES / 8);
  const h = p.hyper;
  let flags = 0;
  if (h.yuma3Enabled) flags |= FLAG_YUMA3;
  if (h.liquidAlphaEnabled) flags |= FLAG_LIQUID_ALPHA;
  if (p.commitBlocks) flags |= FLAG_COMMIT;
  if (p.ownerUid >= 0) flags |= FLAG_HAS_OWNER;
  if (p.presenceFromValues) flags |= FLAG_PRESENCE_FROM_VALUES;
  slots[J.N] = BigInt(n);
  slots[J.PATH] = BigInt(p.path === 'dense' ? PATH_DENSE : PATH_SPARSE);
  slots[J.FLAGS] = BigInt(flags);
  slots[J.OWNER] = BigInt(p.ownerUid);
  slots[J.CURRENT_BLOCK] = BigInt.asIntN(64, p.currentBlock);
  slots[J.TEMPO] = BigInt(p.tempo);
  slots[J.LAST_STEP] = BigInt.asIntN(64, p.lastStepBlock);
  slots[J.ACTIVITY_CUTOFF] = BigInt(h.activityCutoff);
  slots[J.KAPPA] = BigInt(h.kappa);
  slots[J.BMA] = BigInt(h.bondsMovingAverage);
  slots[J.BONDS_PENALTY] = BigInt(h.bondsPenalty);
  slots[J.MAX_VALIDATORS] = BigInt(h.maxAllowedValidators);
  slots[J.ALPHA_LOW] = BigInt(h.alphaLow);
  slots[J.ALPHA_HIGH] = BigInt(h.alphaHigh);
  slots[J.STEEPNESS] = BigInt(h.alphaSigmoidSteepness);
  slots[J.STAKE_THRESHOLD] = BigInt.asIntN(64, h.stakeThreshold);
  slots[J.RAO] = BigInt.asIntN(64, p.raoEmission);
  slots[J.PERMIT_LEN] = BigInt(p.permitLength);

  const put64 = (k: number, src: BigUint64Array) => {
    const at = a.alloc(8 * n);
    a.u64.set(src, at / 8);
    slots[k] = BigInt(at);
  };
  put64(J.STAKE, p.stake);
  put64(J.LAST_UPDATE, p.lastUpdate);
  put64(J.BLOCK_AT_REG, p.blockAtRegistration);
  if (p.commitBlocks) put64(J.COMMIT, p.commitBlocks);
  else slots[J.COMMIT] = 0n;

  // Weight rows the chain's mask_rows empties are never read by the kernels: copy only the kept ones, in runs.
  const w = a.alloc(2 * nn);
  const wp = a.alloc(nn);
  const presence = p.presenceFromValues ? null : p.weightsPresent;
  const rows = Math.min(n, p.permitLength);
  for (let i = 0; i < rows; ) {
    if (!keptWeightRow(p, i)) {
      i++;
      continue;
    }
    let end = i + 1;
    while (end < rows && keptWeightRow(p, end)) end++;
    a.u16.set(p.weights.subarray(i * n, end * n), w / 2 + i * n);
    if (presence) a.u8.set(presence.subarray(i * n, end * n), wp + i * n);
    i = end;
  }
  slots[J.WEIGHTS] = BigInt(w);
  slots[J.WEIGHTS_PRESENT] = BigInt(wp);
  const b = a.alloc(2 * nn);
  a.u16.set(p.bonds, b / 2);
  slots[J.BONDS] = BigInt(b);
  const vp = a.alloc(n);
  a.u8.set(p.validatorPermit, vp);
  slots[J.PERMIT] = BigInt(vp);

  const out = (k: number, bytes: number) => {
    slots[k] = BigInt(a.alloc(bytes));
  };
  out(J.OUT_STAKE_WEIGHT, 2 * n);
  out(J.OUT_CONSENSUS, 2 * n);
  out(J.OUT_INCENTIVE, 2 * n);
  out(J.OUT_DIVIDENDS, 2 * n);
  out(J.OUT_VTRUST, 2 * n);
  out(J.OUT_ACTIVE, n);
  out(J.OUT_PERMIT, n);
  out(J.OUT_BONDS, 2 * nn);
  out(J.OUT_BONDS_PRESENT, nn);
  out(J.OUT_SERVER, 8 * n);
  out(J.OUT_VALIDATOR, 8 * n);
  out(J.OUT_CONSENSUS_F, 8 * n);
  out(J.OUT_INCENTIVE_F, 8 * n);
  out(J.OUT_DIVIDENDS_F, 8 * n);
  out(J.OUT_RANK_F, 8 * n);
  out(J.OUT_TRUST_F, 8 * n);
  out(J.OUT_VTRUST_F, 8 * n);
  out(J.OUT_BOND_ROWS, n);

  a.i64.set(slots, job / 8);
  return job;
}

/**
 * Copies a finished job's outputs out of Wasm memory (the arena is reused by the next call). Bond storage is
 * rebuilt row by row from the kernel's row kinds: computed rows come from Wasm, unchanged rows straight from the
 * prepared input, empty rows stay zero. With `withPresence` false the n² bond-presence bytes are not built
 * (`bondsPresent` is empty): dense-layout outputs never show it.
 */
export function readJob(a: Arena, job: number, p: PreparedEpoch, withPresence = true): RawEpochResult {
  const n = p.n;
  const slot = (k: number) => Number(a.i64[job / 8 + k]);
  const nn = n * n;
  const u16 = (k: number, len: number) => a.u16.slice(slot(k) / 2, slot(k) / 2 + len);
  const u8 = (k: number, len: number) => a.u8.slice(slot(k), slot(k) + len);
  const u64 = (k: number) => a.u64.slice(slot(k) / 8, slot(k) / 8 + n);
  const f64 = (k: number) => a.f64.slice(slot(k) / 8, slot(k) / 8 + n);
  const bonds = new Uint16Array(nn);
  const present = new Uint8Array(withPresence ? nn : 0);
  const kinds = a.u8.subarray(slot(J.OUT_BOND_ROWS), slot(J.OUT_BOND_ROWS) + n);
  const outB = slot(J.OUT_BONDS) / 2;
  const outP = slot(J.OUT_BONDS_PRESENT);
  for (let i = 0; i < n; ) {
    const kind = kinds[i];
    let end = i + 1;
    while (end < n && kinds[end] === kind) end++;
    const from = i * n;
    const to = end * n;
    if (kind === ROW_WRITTEN) {
      bonds.set(a.u16.subarray(outB + from, outB + to), from);
      if (withPresence) present.set(a.u8.subarray(outP + from, outP + to), from);
    } else if (kind === ROW_INPUT) {
      bonds.set(p.bonds.subarray(from, to), from);
      if (withPresence) for (let k = from; k < to; k++) present[k] = bonds[k] !== 0 ? 1 : 0;
    } else if (kind === ROW_ZERO_STORED && withPresence) {
      present.fill(1, from, to);
    }
    i = end;
  }
  return {
    stakeWeight: u16(J.OUT_STAKE_WEIGHT, n),
    consensus: u16(J.OUT_CONSENSUS, n),
    incentive: u16(J.OUT_INCENTIVE, n),
    dividends: u16(J.OUT_DIVIDENDS, n),
    validatorTrust: u16(J.OUT_VTRUST, n),
    active: u8(J.OUT_ACTIVE, n),
    validatorPermit: u8(J.OUT_PERMIT, n),
    bonds,
    bondsPresent: present,
    serverEmission: u64(J.OUT_SERVER),
    validatorEmission: u64(J.OUT_VALIDATOR),
    consensusF: f64(J.OUT_CONSENSUS_F),
    incentiveF: f64(J.OUT_INCENTIVE_F),
    dividendsF: f64(J.OUT_DIVIDENDS_F),
    rankF: f64(J.OUT_RANK_F),
    trustF: f64(J.OUT_TRUST_F),
    validatorTrustF: f64(J.OUT_VTRUST_F),
  };
}
