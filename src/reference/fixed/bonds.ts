// Steps 11–13 of the BigInt reference epoch (`epoch.ts`): weights for bonds, the bond EMA (original Yuma or Yuma3,
// liquid alpha) and dividends; `writeback.ts` stores the EMA.
import type { PreparedEpoch } from '../../epoch/prepare.js';
import {
  I32F32,
  alphaFromBondsMovingAverage,
  alphaSigmoid,
  fromInt,
  u16ProportionToFixed,
} from '../../fixed/substrate-fixed.js';
import {
  RULE_LIQUID_ALPHA_BOND_DROP,
  RULE_STORED_ZERO_WEIGHTS,
  RULE_ZERO_CONSENSUS_BOND_DROP,
  sparseRule,
} from '../../epoch/path-rules.js';
import * as S from './sparse.js';
import { lastTempoOf, type Prologue } from './stake.js';
import { normalize, vecMul } from './vector.js';

/** `x·2^32 ÷ 65535·2^32`: how the chain turns u16 hyper-parameters (bonds penalty, alpha bounds) into I32F32. */
const u16Ratio = (x: number): bigint => u16ProportionToFixed(BigInt(x));

function liquidAlphaOn(p: PreparedEpoch, consensus: readonly bigint[]): boolean {
  return p.hyper.liquidAlphaEnabled && consensus.length > 0 && consensus.some((c) => c !== 0n);
}

function liquidAlphaParams(p: PreparedEpoch) {
  return { lo: u16Ratio(p.hyper.alphaLow), hi: u16Ratio(p.hyper.alphaHigh), steep: fromInt(I32F32, BigInt(p.hyper.alphaSigmoidSteepness)) };
}

/** What the bond step hands back: the dividends and the bond EMA the epoch stores (I32F32 entries, sparse rows). */
export interface Bonds {
  dividends: bigint[];
  ema: S.SparseMatrix;
}

/** From the masked weights `W` (and their dense copy), the clipped weights `CW`, consensus and incentive. */
export function bondsAndDividends(
  p: PreparedEpoch,
  pro: Prologue,
  W: S.SparseMatrix,
  dense: readonly bigint[][],
  CW: S.SparseMatrix,
  consensus: readonly bigint[],
  incentive: readonly bigint[],
): Bonds {
  const { n, activeStake } = pro;
  const h = p.hyper;
  const rules = p.pathRules;
  const reg = Array.from(p.blockAtRegistration);

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

  return { dividends, ema };
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
