/**
 * BigInt reference of the chain's fixed-point Yuma epoch, both code paths of subtensor `epoch/run_epoch.rs`:
 * `epoch_mechanism` (`path: 'sparse'`, what the chain runs) and `epoch_dense_mechanism` (`path: 'dense'`), as one
 * computation in the sparse path's matrices where each difference between the two is a path rule
 * (`PATH_RULES`). Stages follow that file's order (activity, stake, permits, active stake, weights,
 * consensus, bonds, emission).
 * Slow on purpose: it is the oracle the Wasm fixed kernel is tested against.
 */
import type { PreparedEpoch } from '../../epoch/prepare.js';
import { allocRawResult, type RawEpochResult } from '../../epoch/result.js';
import {
  I32F32,
  I64F64,
  U64_MAX,
  alphaFromBondsMovingAverage,
  alphaSigmoid,
  emissionShare,
  fixedProportionToU16,
  fromInt,
  safeDiv,
  satAdd,
  stakeProportion,
  toF64,
  toU64Sat,
  u16ProportionToFixed,
  wrapAdd,
} from '../../fixed/substrate-fixed.js';
import { weightedMedianCols } from './median.js';
import * as S from './sparse.js';
import {
  RULE_BOND_WRITEBACK,
  RULE_COMMIT_REVEAL,
  RULE_LIQUID_ALPHA_BOND_DROP,
  RULE_OWNER_PERMIT,
  RULE_OWNER_SELF_WEIGHT,
  RULE_STORED_ZERO_WEIGHTS,
  RULE_ZERO_CONSENSUS_BOND_DROP,
  sparseRule,
} from '../../epoch/path-rules.js';
import { isTopkNonzero, maskVector, normalize, normalizeUsingSum, sum, vecMul } from './vector.js';

const u64SatAdd = (a: bigint, b: bigint): bigint => (a + b > U64_MAX ? U64_MAX : a + b);
const u64SatSub = (a: bigint, b: bigint): bigint => (a > b ? a - b : 0n);
/** `x·2^32 ÷ 65535·2^32`: how the chain turns u16 hyper-parameters (kappa, bonds penalty, alpha bounds) into I32F32. */
const u16Ratio = (x: number): bigint => u16ProportionToFixed(BigInt(x));

/** Steps 1–6: activity, stake, permits and active stake, with the owner-permit rule. */
interface Prologue {
  n: number;
  active: boolean[];
  stake: bigint[];
  /** Previous permits as the epoch reads them (owner forced under owner-permit), length = stored vector length. */
  oldPermit: boolean[];
  newPermit: boolean[];
  activeStake: bigint[];
}

/** The owner UID where rule `bit` follows the sparse path, else -1 (the dense path has no owner handling). */
function ownerUnder(p: PreparedEpoch, bit: number): number {
  return sparseRule(p.pathRules, bit) ? p.ownerUid : -1;
}

function prologue(p: PreparedEpoch): Prologue {
  const n = p.n;
  const h = p.hyper;
  const cb = p.currentBlock;
  const cutoff = BigInt(h.activityCutoff);

  // Activity.
  const inactive = Array.from(p.lastUpdate, (lu) => u64SatAdd(lu, cutoff) < cb);
  const active = inactive.map((x) => !x);

  // Stake: threshold (owner exempt under owner-permit), normalise in I64F64, floor to I32F32.
  const owner = ownerUnder(p, RULE_OWNER_PERMIT);
  const filtered = Array.from(p.stake, (s, i) => {
    const total = fromInt(I64F64, s);
    return i !== owner && toU64Sat(I64F64, total) < h.stakeThreshold ? 0n : total;
  });
  const total = filtered.reduce((a, b) => wrapAdd(I64F64, a, b), 0n);
  const stake = filtered.map((f) => stakeProportion(f, total));

  // Permits: the stored vector may be shorter than n; the owner's entry is forced only if it exists.
  const oldPermit = Array.from(p.validatorPermit.subarray(0, p.permitLength), (x) => x !== 0);
  if (owner >= 0 && owner < oldPermit.length) oldPermit[owner] = true;
  const forbid = oldPermit.map((x) => !x);
  const newPermit = isTopkNonzero(stake, h.maxAllowedValidators);
  if (owner >= 0) newPermit[owner] = true;

  // Active stake.
  const activeStake = normalize(maskVector(forbid, maskVector(inactive, stake)));
  return { n, active, stake, oldPermit, newPermit, activeStake };
}

/** What the middle (weights → dividends) hands to the emission step and the outputs. */
interface Core {
  consensus: bigint[];
  validatorTrust: bigint[];
  rank: bigint[];
  prerank: bigint[];
  incentive: bigint[];
  dividends: bigint[];
  /** Writes the bond storage (bond-writeback rule) into the result. */
  writeBonds(out: RawEpochResult): void;
}

function liquidAlphaOn(p: PreparedEpoch, consensus: readonly bigint[]): boolean {
  return p.hyper.liquidAlphaEnabled && consensus.length > 0 && consensus.some((c) => c !== 0n);
}

function liquidAlphaParams(p: PreparedEpoch) {
  return { lo: u16Ratio(p.hyper.alphaLow), hi: u16Ratio(p.hyper.alphaHigh), steep: fromInt(I32F32, BigInt(p.hyper.alphaSigmoidSteepness)) };
}

// ---------------------------------------------------------------------------------------------------------------
// Weights → dividends, in `epoch_mechanism`'s sparse matrices. The dense twin computes the same values wherever its
// rules agree (an entry the sparse form does not hold is a 0 there); where they differ, the path rules decide.
// ---------------------------------------------------------------------------------------------------------------

function core(p: PreparedEpoch, pro: Prologue): Core {
  const { n, activeStake, newPermit, oldPermit } = pro;
  const h = p.hyper;
  const rules = p.pathRules;
  const present = p.weightsPresent;
  const lastUpdate = Array.from(p.lastUpdate);
  const reg = Array.from(p.blockAtRegistration);
  const forbid = oldPermit.map((x) => !x);

  // Weights: stored u16 as integer-valued I32F32, explicit zeros kept; masks; row normalisation.
  let W: S.SparseMatrix = [];
  for (let i = 0; i < n; i++) {
    const row: S.SparseRow = [];
    for (let j = 0; j < n; j++) if (present[i * n + j]) row.push([j, BigInt(p.weights[i * n + j]) << 32n]);
    W.push(row);
  }
  W = S.maskRows(forbid, W);
  W = S.maskDiag(W, ownerUnder(p, RULE_OWNER_SELF_WEIGHT));
  W = S.vecMask(W, lastUpdate, reg, (updated, registered) => updated <= registered);
  if (p.commitBlocks && sparseRule(rules, RULE_COMMIT_REVEAL)) {
    W = S.vecMask(W, Array.from(p.commitBlocks), reg, (commit, registered) => commit < registered);
  }
  W = S.rowNormalize(W);

  // Consensus, clipping, validator trust.
  const dense = W.map((row) => {
    const d: bigint[] = new Array(n).fill(0n);
    for (const [j, v] of row) d[j] = v;
    return d;
  });
  const consensus = weightedMedianCols(activeStake, n, (r, j) => dense[r][j], u16Ratio(h.kappa));
  const CW = S.colClip(W, consensus);
  const validatorTrust = S.rowSum(CW);

  // Rank and incentive (prerank feeds only the trust view).
  const rank = S.matmul(CW, activeStake, n);
  const prerank = S.matmul(W, activeStake, n);
  const incentive = normalize(rank);

  // Weights for bonds.
  const WB = S.interpolate(W, CW, n, u16Ratio(h.bondsPenalty));

  // Both Yuma variants drop the bonds of miners registered since the last epoch: one cut-off.
  const lastTempo = lastTempoOf(p);
  const withoutRecent = (B: S.SparseMatrix) => S.scalarVecMask(B, lastTempo, reg, (lt, registered) => lt <= registered);

  let dividends: bigint[];
  let ema: S.SparseMatrix;
  if (h.yuma3Enabled) {
    // Yuma3: bonds as u16 proportions, recent columns dropped.
    const B = withoutRecent(bondRows(p, (b) => u16ProportionToFixed(BigInt(b))));
    if (liquidAlphaOn(p, consensus)) {
      const { lo, hi, steep } = liquidAlphaParams(p);
      const alphas = WB.map((wRow, i) => {
        const w = S.cursorLookup(wRow, n);
        const b = S.cursorLookup(B[i], n);
        return consensus.map((c, j) => alphaSigmoid(c, w[j], b[j], lo, hi, steep));
      });
      // A column WB does not list: the sparse path drops its bond, the dense one decays it. Which rule decides
      // depends on why it is missing: no weight entry at all, a stored zero, or a positive weight that vanished.
      const listed = W.map((row) => new Set(row.map(([j]) => j)));
      const decays = (i: number, j: number): boolean => {
        const bit = !listed[i].has(j)
          ? RULE_LIQUID_ALPHA_BOND_DROP
          : dense[i][j] === 0n
            ? RULE_STORED_ZERO_WEIGHTS
            : RULE_ZERO_CONSENSUS_BOND_DROP;
        return !sparseRule(rules, bit);
      };
      ema = S.matEmaAlpha(WB, B, alphas, decays);
    } else {
      ema = S.matEma(WB, B, alphaFromBondsMovingAverage(BigInt(h.bondsMovingAverage)));
    }
    const EN = S.colNormalize(ema, n);
    const perValidator = S.rowSum(S.matVecMul(EN, incentive));
    dividends = normalize(vecMul(perValidator, activeStake));
  } else {
    // Original Yuma: bonds as integers, recent columns dropped, column-normalised.
    const B = S.colNormalize(withoutRecent(bondRows(p, (b) => BigInt(b) << 32n)), n);
    const delta = S.colNormalize(S.rowHadamard(WB, activeStake), n);
    ema = S.colNormalize(S.matEma(delta, B, alphaFromBondsMovingAverage(BigInt(h.bondsMovingAverage))), n);
    dividends = normalize(S.matmulTranspose(ema, incentive));
    ema = S.colMaxUpscale(ema, n);
  }

  const writeBonds = sparseRule(rules, RULE_BOND_WRITEBACK)
    ? // Sparse: every UID's row is rewritten: the EMA row under a new permit, else empty.
      (out: RawEpochResult): void => {
        for (let i = 0; i < n; i++) {
          if (!newPermit[i]) continue;
          for (const [j, v] of ema[i]) {
            out.bonds[i * n + j] = Number(fixedProportionToU16(v));
            out.bondsPresent[i * n + j] = 1;
          }
        }
      }
    : // Dense: only rows below the stored permit vector's length are touched (new permit: all n entries, lost
      // previous permit: emptied); the others keep their input.
      (out: RawEpochResult): void => {
        const touched = Math.min(n, oldPermit.length);
        for (let i = 0; i < n; i++) {
          const row: bigint[] = new Array(n).fill(0n);
          for (const [j, v] of ema[i]) row[j] = v;
          for (let j = 0; j < n; j++) {
            const k = i * n + j;
            if (i < touched && newPermit[i]) {
              out.bonds[k] = Number(fixedProportionToU16(row[j]));
              out.bondsPresent[k] = 1;
            } else if (i < touched && oldPermit[i]) {
              out.bonds[k] = 0;
              out.bondsPresent[k] = 0;
            } else {
              out.bonds[k] = p.bonds[k];
              out.bondsPresent[k] = p.bonds[k] !== 0 ? 1 : 0;
            }
          }
        }
      };
  return { consensus, validatorTrust, rank, prerank, incentive, dividends, writeBonds };
}

/** Stored bond rows (ascending columns; a stored zero behaves like an absent entry in every bond step). */
function bondRows(p: PreparedEpoch, toFixed: (b: number) => bigint): S.SparseMatrix {
  const n = p.n;
  const rows: S.SparseMatrix = [];
  for (let i = 0; i < n; i++) {
    const row: S.SparseRow = [];
    for (let j = 0; j < n; j++) {
      const b = p.bonds[i * n + j];
      if (b !== 0) row.push([j, toFixed(b)]);
    }
    rows.push(row);
  }
  return rows;
}

function lastTempoOf(p: PreparedEpoch): bigint {
  return p.lastStepBlock === 0n ? u64SatSub(p.currentBlock, BigInt(p.tempo)) : u64SatAdd(p.lastStepBlock, 1n);
}

// ---------------------------------------------------------------------------------------------------------------
// Emission (2.10) and outputs
// ---------------------------------------------------------------------------------------------------------------

export function referenceEpochFixed(p: PreparedEpoch): RawEpochResult {
  const n = p.n;
  const out = allocRawResult(n);
  if (n === 0) return out;
  const pro = prologue(p);
  const c = core(p, pro);
  const { incentive, dividends } = c;

  const combined = incentive.map((x, i) => satAdd(I32F32, x, dividends[i]));
  const emissionSum = sum(combined);
  const serverShare = normalizeUsingSum(incentive, emissionSum);
  let validatorShare = normalizeUsingSum(dividends, emissionSum);
  if (emissionSum === 0n) validatorShare = sum(pro.activeStake) === 0n ? pro.stake : pro.activeStake;

  const rao = p.raoEmission;
  const f = (x: bigint) => toF64(I32F32, x);
  const u16 = (x: bigint) => Number(fixedProportionToU16(x));
  for (let i = 0; i < n; i++) {
    out.stakeWeight[i] = u16(pro.stake[i]);
    out.consensus[i] = u16(c.consensus[i]);
    out.incentive[i] = u16(incentive[i]);
    out.dividends[i] = u16(dividends[i]);
    out.validatorTrust[i] = u16(c.validatorTrust[i]);
    out.active[i] = pro.active[i] ? 1 : 0;
    out.validatorPermit[i] = pro.newPermit[i] ? 1 : 0;
    out.serverEmission[i] = emissionShare(serverShare[i], rao);
    out.validatorEmission[i] = emissionShare(validatorShare[i], rao);
    out.consensusF[i] = f(c.consensus[i]);
    out.incentiveF[i] = f(incentive[i]);
    out.dividendsF[i] = f(dividends[i]);
    out.rankF[i] = f(c.rank[i]);
    out.trustF[i] = f(safeDiv(I32F32, c.rank[i], c.prerank[i]));
    out.validatorTrustF[i] = f(c.validatorTrust[i]);
  }
  c.writeBonds(out);
  return out;
}
