import type { PreparedEpoch } from '../../src/epoch/prepare.js';
import type { RawEpochResult } from '../../src/epoch/result.js';

const VIEWS = ['consensusF', 'incentiveF', 'dividendsF', 'rankF', 'trustF', 'validatorTrustF'] as const;
const U16_OF_VIEW = [['consensus', 'consensusF'], ['incentive', 'incentiveF'], ['dividends', 'dividendsF'], ['validatorTrust', 'validatorTrustF']] as const;

function u16Of(x: number): number {
  const y = Math.floor(x * 65535);
  return y < 0 ? 0 : y > 65535 ? 65535 : y;
}

/**
 * Differences between the Wasm float kernel and the f64 reference. The two use the same operations in the
 * same order, so without liquid alpha they must agree to the bit. With liquid alpha `exp` comes from two
 * libraries (V8's and AssemblyScript's) and may differ by an ulp: then every f64 view must stay within 1e-9,
 * each u16 must be the rounding of its own f64 view (so a u16 may differ only where the two views straddle
 * a boundary), bonds may differ by one step and emissions by 1e-9 of the emission (+1 rao for the floor).
 */
export function kernelVsReference(p: PreparedEpoch, k: RawEpochResult, r: RawEpochResult): string[] {
  const out: string[] = [];
  const n = p.n;
  const exact = !(p.hyper.yuma3Enabled && p.hyper.liquidAlphaEnabled);
  for (const v of VIEWS) {
    for (let i = 0; i < n; i++) {
      const a = k[v][i];
      const b = r[v][i];
      if (exact ? !Object.is(a, b) : !(Math.abs(a - b) <= 1e-9)) out.push(`${v}[${i}] ${a} vs ${b}`);
    }
  }
  for (const [u, v] of U16_OF_VIEW) {
    for (let i = 0; i < n; i++) {
      if (exact ? k[u][i] !== r[u][i] : k[u][i] !== u16Of(k[v][i]) || Math.abs(k[u][i] - r[u][i]) > 1) {
        out.push(`${u}[${i}] ${k[u][i]} vs ${r[u][i]}`);
      }
    }
  }
  for (const f of ['stakeWeight', 'active', 'validatorPermit'] as const) {
    for (let i = 0; i < n; i++) if (k[f][i] !== r[f][i]) out.push(`${f}[${i}] ${k[f][i]} vs ${r[f][i]}`);
  }
  for (let x = 0; x < n * n; x++) {
    const d = Math.abs(k.bonds[x] - r.bonds[x]);
    if (exact ? d !== 0 : d > 1) out.push(`bonds[${Math.floor(x / n)}][${x % n}] ${k.bonds[x]} vs ${r.bonds[x]}`);
    // A stored entry whose EMA is a hair above 0 in one and exactly 0 in the other cannot come from an ulp of exp
    // unless the value itself is below one u16 step, so presence must match wherever the stored value is non-zero.
    if (k.bondsPresent[x] !== r.bondsPresent[x] && (exact || k.bonds[x] !== 0 || r.bonds[x] !== 0)) {
      out.push(`bondsPresent[${Math.floor(x / n)}][${x % n}] ${k.bondsPresent[x]} vs ${r.bondsPresent[x]}`);
    }
  }
  const tol = exact ? 0n : BigInt(Math.ceil(Number(p.raoEmission) * 1e-9)) + 1n;
  for (const f of ['serverEmission', 'validatorEmission'] as const) {
    for (let i = 0; i < n; i++) {
      const d = k[f][i] > r[f][i] ? k[f][i] - r[f][i] : r[f][i] - k[f][i];
      if (d > tol) out.push(`${f}[${i}] ${k[f][i]} vs ${r[f][i]}`);
    }
  }
  return out;
}
