import { YumaError } from '../errors.js';
import { MAX_UIDS } from '../epoch/limits.js';
import { prepareEpoch, resolveHyper } from '../epoch/prepare.js';
import { describe, show } from '../validation/describe.js';
import { asTyped, readFields, readList, readOptions } from '../validation/read.js';
import { oneOf } from '../validation/values.js';
import type { ChainPath, EpochInputLike, EpochOutput, Hyperparams, NumericMode, SparseRow } from '../epoch/types.js';
import { U64_MAX } from '../units.js';
import type { EpochVectorsJSON } from '../epoch/json.js';

/** What the checked epoch ran with (must match the run, or the checks judge the wrong rules). */
export interface InvariantOptions {
  /** Its hyper-parameters (default `DEFAULT_HYPERPARAMS`). */
  hyper?: Partial<Hyperparams>;
  /** Its chain code path (default `'sparse'`). */
  path?: ChainPath;
  /** `'fixed'` (default) checks emission totals to the rao; `'float'` allows n rao of rounding slack. */
  mode?: NumericMode;
}

/** One broken invariant. */
export interface InvariantViolation {
  /** Which rule (a short stable name, e.g. `normalised-sum`, `shape`). */
  rule: string;
  /** What was wrong, with the numbers. */
  message: string;
}

const U16 = 65535;
const toBig = (x: number | bigint): bigint => (typeof x === 'bigint' ? x : BigInt(x));

/** The input with every field in one spelling (any accepted one comes in: dense rows, decimal strings, …). */
interface CanonicalInput {
  n: number;
  currentBlock: bigint;
  stake: bigint[];
  weights: Uint16Array | SparseRow[];
  bonds: Uint16Array | SparseRow[];
  lastUpdate: bigint[];
  blockAtRegistration: bigint[];
  validatorPermit: boolean[];
  ownerUid?: number;
  commitBlocks?: Array<bigint | null>;
  raoEmission: bigint;
}

function canonical(input: EpochInputLike, path: ChainPath): CanonicalInput {
  const p = prepareEpoch(input, undefined, { path });
  const n = p.n;
  const rows = (values: Uint16Array, present: Uint8Array): SparseRow[] =>
    Array.from({ length: n }, (_, i) => {
      const row: SparseRow = [];
      for (let j = 0; j < n; j++) if (present[i * n + j]) row.push([j, values[i * n + j]]);
      return row;
    });
  const sparse = p.layout === 'sparse';
  const bondsPresent = Uint8Array.from(p.bonds, (v) => (v !== 0 ? 1 : 0));
  return {
    n,
    currentBlock: p.currentBlock,
    stake: Array.from(p.stake),
    // Sparse bond rows: the checks below only read values, so listed zeros need not be kept.
    weights: sparse ? rows(p.weights, p.weightsPresent) : p.weights,
    bonds: sparse ? rows(p.bonds, bondsPresent) : p.bonds,
    lastUpdate: Array.from(p.lastUpdate),
    blockAtRegistration: Array.from(p.blockAtRegistration),
    validatorPermit: Array.from(p.validatorPermit.subarray(0, p.permitLength), (v) => v === 1),
    ...(p.ownerUid >= 0 ? { ownerUid: p.ownerUid } : {}),
    ...(p.commitBlocks ? { commitBlocks: Array.from(p.commitBlocks, (c) => (c === U64_MAX ? null : c)) } : {}),
    raoEmission: p.raoEmission,
  };
}

function denseOf(m: Uint16Array | SparseRow[], n: number): { values: Float64Array; present: Uint8Array } {
  const values = new Float64Array(n * n);
  const present = new Uint8Array(n * n);
  if (m instanceof Uint16Array) {
    for (let k = 0; k < n * n; k++) {
      values[k] = m[k];
      present[k] = m[k] !== 0 ? 1 : 0;
    }
  } else {
    m.forEach((row, i) =>
      row.forEach(([j, v]) => {
        values[i * n + j] = v;
        present[i * n + j] = 1;
      }),
    );
  }
  return { values, present };
}

/**
 * Checks properties every correct epoch output has, whatever the weights: shapes, normalised sums,
 * consensus and validator trust bounded by the (masked, row-normalised) weights, permits (top-k, cap, threshold),
 * activity, bond write-back, and emission totals. Returns the violations (empty when all hold).
 * Tolerances are the u16 rounding of the chain (one step per UID); they do not hide a wrong algorithm.
 */
export function checkEpochInvariants(given: EpochInputLike, givenOutput: EpochOutput, opts: InvariantOptions = {}): InvariantViolation[] {
  const out: InvariantViolation[] = [];
  const fail = (rule: string, message: string) => out.push({ rule, message });
  const o = readOptions(opts, 'invariant options', ['hyper', 'path', 'mode']);
  const h = resolveHyper(o.hyper as Partial<Hyperparams> | undefined);
  const path = oneOf(o.path ?? 'sparse', 'path', ['sparse', 'dense'] as const);
  const mode = oneOf(o.mode ?? 'fixed', 'mode', ['fixed', 'float'] as const);
  const input = canonical(given, path);
  const output = readOutput(givenOutput);
  const n = input.n;

  // --- shapes
  const vectors: Array<[string, { length: number }]> = [
    ['stakeWeight', output.stakeWeight],
    ['consensus', output.consensus],
    ['incentive', output.incentive],
    ['dividends', output.dividends],
    ['validatorTrust', output.validatorTrust],
    ['active', output.active],
    ['validatorPermit', output.validatorPermit],
    ['serverEmission', output.serverEmission],
    ['validatorEmission', output.validatorEmission],
  ];
  for (const [name, v] of vectors) if (v.length !== n) fail('shape', `${name} has length ${v.length}, expected ${n}`);
  const sparseIn = !(input.weights instanceof Uint16Array);
  if (sparseIn !== !(output.bonds instanceof Uint16Array)) fail('shape', 'bonds come back in a different layout than the input');
  if (output.bonds instanceof Uint16Array ? output.bonds.length !== n * n : output.bonds.length !== n) {
    fail('shape', `bonds have ${output.bonds.length} ${output.bonds instanceof Uint16Array ? 'entries' : 'rows'} for n = ${n}`);
  }
  if (out.length > 0) return out;

  // --- stake after the threshold filter (the chain's own owner exemption only on the sparse path)
  const owner = path === 'sparse' && input.ownerUid != null && input.ownerUid < n ? input.ownerUid : -1;
  const stake = Array.from(input.stake, toBig).map((s, i) => (s < h.stakeThreshold && i !== owner ? 0n : s));
  const totalStake = stake.reduce((a, b) => a + b, 0n);

  // --- normalised u16 vectors sum to ~65535 (the chain truncates each share) or to 0
  const sumCheck = (name: string, v: ArrayLike<number>) => {
    let s = 0;
    for (let i = 0; i < v.length; i++) s += v[i];
    if (s !== 0 && (s > U16 || s < U16 - n - 1)) fail('normalised-sum', `Σ ${name} = ${s}, expected 0 or within [${U16 - n - 1}, ${U16}]`);
  };
  sumCheck('incentive', output.incentive);
  sumCheck('dividends', output.dividends);
  sumCheck('stakeWeight', output.stakeWeight);
  if (totalStake === 0n && output.stakeWeight.some((x) => x !== 0)) fail('normalised-sum', 'stake weight is non-zero while no stake passes the threshold');

  // --- u16 outputs agree with their unrounded views
  const views: Array<[string, ArrayLike<number>, ArrayLike<number>]> = [
    ['consensus', output.consensus, output.float.consensus],
    ['incentive', output.incentive, output.float.incentive],
    ['dividends', output.dividends, output.float.dividends],
    ['validatorTrust', output.validatorTrust, output.float.validatorTrust],
  ];
  for (const [name, q, f] of views) {
    for (let i = 0; i < n; i++) {
      if (!(f[i] >= -1e-9 && f[i] <= 1 + 1e-6)) fail('range', `float.${name}[${i}] = ${f[i]} is outside [0, 1]`);
      else if (Math.abs(q[i] - f[i] * U16) > 1 + 1e-6) fail('rounding', `${name}[${i}] = ${q[i]} but float.${name}[${i}]·65535 = ${f[i] * U16}`);
    }
  }

  // --- activity
  const cb = toBig(input.currentBlock);
  const lu = Array.from(input.lastUpdate, toBig);
  for (let i = 0; i < n; i++) {
    let until = lu[i] + BigInt(h.activityCutoff);
    if (until > U64_MAX) until = U64_MAX;
    const active = !(until < cb);
    if (output.active[i] !== active) fail('active', `active[${i}] = ${output.active[i]}, but lastUpdate ${lu[i]} + cutoff ${h.activityCutoff} vs block ${cb} says ${active}`);
  }

  // --- permits: only non-zero I32F32 stake share (or the owner), at most k (+ the owner), top-k by stake
  // The chain ranks I32F32 shares floor(stake·2³²/total): a stake too small for one unit counts as none, and
  // stakes within a unit or two tie (the lower uid loses), so only clear inversions are flagged.
  const share = (s: bigint) => (totalStake === 0n ? 0 : Number((s << 32n) / totalStake));
  const shares = stake.map(share);
  // Both modes decide permits on these shares (float mode holds the chain's I32F32 stake exactly).
  const noStake = (i: number) => shares[i] === 0;
  const permits = output.validatorPermit;
  let count = 0;
  for (let i = 0; i < n; i++) {
    if (!permits[i]) continue;
    count++;
    if (noStake(i) && i !== owner) fail('permit', `uid ${i} holds a permit without stake above the threshold`);
  }
  const cap = h.maxAllowedValidators + (owner >= 0 ? 1 : 0);
  if (count > cap) fail('permit', `${count} permits exceed maxAllowedValidators = ${h.maxAllowedValidators}`);
  if (n < h.maxAllowedValidators) {
    for (let i = 0; i < n; i++) if (!noStake(i) && !permits[i]) fail('permit', `uid ${i} has stake, n < k, yet no permit`);
  }
  for (let i = 0; i < n; i++) {
    if (!permits[i] || i === owner) continue;
    for (let j = 0; j < n; j++) {
      if (!permits[j] && j !== owner && shares[j] > shares[i] + 2) {
        fail('permit', `uid ${j} (stake ${stake[j]}) has no permit while uid ${i} (stake ${stake[i]}) has one`);
      }
    }
  }

  // --- masked, row-normalised weights as the epoch sees them (upper bounds for consensus and trust)
  const W = denseOf(input.weights, n);
  const reg = Array.from(input.blockAtRegistration, toBig);
  const commits = input.commitBlocks && path === 'sparse' ? input.commitBlocks.map((c) => (c == null ? U64_MAX : toBig(c))) : null;
  const prevPermit = (i: number) => i < input.validatorPermit.length && (input.validatorPermit[i] || i === owner);
  const Wn = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    if (!prevPermit(i)) continue;
    let s = 0;
    for (let j = 0; j < n; j++) {
      const k = i * n + j;
      if (!W.present[k]) continue;
      if (i === j && i !== owner) continue;
      if (lu[i] <= reg[j]) continue;
      if (commits && commits[i] < reg[j]) continue;
      Wn[k] = W.values[k];
      s += W.values[k];
    }
    if (s > 0) for (let j = 0; j < n; j++) Wn[i * n + j] /= s;
  }
  const eps = 1e-6;
  for (let j = 0; j < n; j++) {
    let maxCol = 0;
    for (let i = 0; i < n; i++) if (stake[i] > 0n) maxCol = Math.max(maxCol, Wn[i * n + j]);
    if (output.float.consensus[j] > maxCol + eps) {
      fail('consensus', `consensus[${j}] = ${output.float.consensus[j]} exceeds the largest weight ${maxCol} any staked validator gives it`);
    }
    if (output.float.incentive[j] > 0 && output.float.consensus[j] <= 0) fail('consensus', `uid ${j} has incentive but zero consensus`);
  }
  for (let i = 0; i < n; i++) {
    // validator trust = Σⱼ min(weight, consensus) over the masked, normalised row
    let clipped = 0;
    for (let j = 0; j < n; j++) clipped += Math.min(Wn[i * n + j], output.float.consensus[j]);
    if (Math.abs(output.float.validatorTrust[i] - clipped) > eps * (n + 1)) {
      fail('validator-trust', `validatorTrust[${i}] = ${output.float.validatorTrust[i]}, but Σ min(weight, consensus) = ${clipped}`);
    }
  }

  // --- bond write-back
  const newPermit = (i: number) => permits[i];
  if (output.bonds instanceof Uint16Array) {
    for (let k = 0; k < output.bonds.length; k++) {
      if (!Number.isInteger(output.bonds[k])) fail('bonds', `bonds[${k}] is not a u16`);
    }
  } else {
    output.bonds.forEach((row, i) => {
      const seen = new Set<number>();
      for (const [uid, value] of row) {
        // values of any type can come back here: printed with show(), compared only once known to be numbers
        const j = typeof uid === 'number' ? uid : NaN;
        const v = typeof value === 'number' ? value : NaN;
        if (!Number.isInteger(j) || j < 0 || j >= n || seen.has(j)) fail('bonds', `bonds[${i}] has a bad or repeated uid ${show(uid)}`);
        if (!Number.isInteger(v) || v < 0 || v > U16) fail('bonds', `bonds[${i}][${show(uid)}] = ${show(value)} is not a u16`);
        seen.add(j);
      }
    });
  }
  const bondRowNonZero = (i: number): boolean => {
    if (output.bonds instanceof Uint16Array) {
      for (let j = 0; j < n; j++) if (output.bonds[i * n + j] !== 0) return true;
      return false;
    }
    return output.bonds[i].some(([, v]) => v !== 0);
  };
  for (let i = 0; i < n; i++) {
    if (newPermit(i)) continue;
    if (path === 'sparse' && !(output.bonds instanceof Uint16Array) && output.bonds[i].length > 0) {
      fail('bonds', `uid ${i} has no permit, but its bond row was not cleared (sparse path clears it)`);
    } else if ((path === 'sparse' || (i < input.validatorPermit.length && input.validatorPermit[i])) && bondRowNonZero(i)) {
      fail('bonds', `uid ${i} has no permit, but holds non-zero bonds after the epoch`);
    }
  }

  // --- emissions: no rao created, nothing paid for nothing
  let paid = 0n;
  for (let i = 0; i < n; i++) {
    const se = toBig(output.serverEmission[i]);
    const ve = toBig(output.validatorEmission[i]);
    if (se < 0n || ve < 0n) fail('emission', `uid ${i} has a negative emission`);
    paid += se + ve;
    if (se > 0n && output.float.incentive[i] <= 0) fail('emission', `uid ${i} gets server emission ${se} without incentive`);
  }
  const slack = mode === 'float' ? BigInt(n) : 0n;
  if (paid > input.raoEmission + slack) fail('emission', `emissions total ${paid} rao, more than raoEmission ${input.raoEmission}`);
  return out;
}

/** An epoch output as the checks read it: every field copied once, values only type-checked (ranges are rules). */
interface OutputCopy extends EpochVectorsJSON {
  bonds: Uint16Array | Array<Array<[unknown, unknown]>>;
  serverEmission: Array<number | bigint>;
  validatorEmission: Array<number | bigint>;
  float: { consensus: number[]; incentive: number[]; dividends: number[]; validatorTrust: number[] };
}

function listOf<T>(v: unknown, where: string, type: 'number' | 'boolean' | 'integer'): T[] {
  return readList(v, where, MAX_UIDS, true).map((x, i) => {
    if (type === 'integer') {
      // rao amounts: bigints as they are (a negative one is a violation below), integer numbers converted
      if (typeof x === 'bigint') return x as T;
      if (typeof x === 'number' && Number.isSafeInteger(x)) return BigInt(x) as T;
      throw new YumaError('E_ARG', `output ${where}[${i}] must be a whole number of rao (got ${show(x)})`);
    }
    if (typeof x !== type) throw new YumaError('E_ARG', `output ${where}[${i}] must be a ${type} (got ${describe(x)})`);
    return x as T;
  });
}

function readOutput(value: unknown): OutputCopy {
  const f = readFields(value, 'output', ['stakeWeight', 'consensus', 'incentive', 'dividends', 'validatorTrust', 'active', 'validatorPermit', 'bonds', 'serverEmission', 'validatorEmission', 'float']);
  const fl = readFields(f.float, 'output.float', ['consensus', 'incentive', 'dividends', 'validatorTrust']);
  const typed = asTyped<Uint16Array>(f.bonds, 'Uint16Array');
  const dense = typed ? new Uint16Array(typed) : null;
  const bonds =
    dense ??
    readList(f.bonds, 'bonds', MAX_UIDS).map((row, i) =>
      readList(row, `bonds[${i}]`, MAX_UIDS).map((pair, e) => {
        const p = readList(pair, `bonds[${i}][${e}]`, 2);
        return [p[0], p[1]] as [unknown, unknown];
      }),
    );
  return {
    stakeWeight: listOf(f.stakeWeight, 'stakeWeight', 'number'),
    consensus: listOf(f.consensus, 'consensus', 'number'),
    incentive: listOf(f.incentive, 'incentive', 'number'),
    dividends: listOf(f.dividends, 'dividends', 'number'),
    validatorTrust: listOf(f.validatorTrust, 'validatorTrust', 'number'),
    active: listOf(f.active, 'active', 'boolean'),
    validatorPermit: listOf(f.validatorPermit, 'validatorPermit', 'boolean'),
    bonds,
    serverEmission: listOf(f.serverEmission, 'serverEmission', 'integer'),
    validatorEmission: listOf(f.validatorEmission, 'validatorEmission', 'integer'),
    float: {
      consensus: listOf(fl.consensus, 'float.consensus', 'number'),
      incentive: listOf(fl.incentive, 'float.incentive', 'number'),
      dividends: listOf(fl.dividends, 'float.dividends', 'number'),
      validatorTrust: listOf(fl.validatorTrust, 'float.validatorTrust', 'number'),
    },
  };
}

/** `checkEpochInvariants`, throwing an `Error` that lists every violation. */
export function assertEpochInvariants(input: EpochInputLike, output: EpochOutput, opts: InvariantOptions = {}): void {
  const v = checkEpochInvariants(input, output, opts);
  if (v.length > 0) {
    throw new Error(`epoch invariants violated (${v.length}):\n${v.map((x) => `  [${x.rule}] ${x.message}`).join('\n')}`);
  }
}
