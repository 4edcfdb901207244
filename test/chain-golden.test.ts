/**
 * Golden blocks of the chain's coinbase (provenance in test/fixtures/README.md): every scenario's
 * `initialState` is loaded into `Chain` and stepped; each block's report and subnet state must equal the
 * scenario's `perBlock` entry, and the state after the last block its `finalState`, field for field. Only the
 * `f64` display views of fixed-point and SafeFloat values are left out of the comparison (their bits are compared).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { Chain } from '../src/chain/index.js';
import { blockReportToJSON } from '../src/chain/report-json.js';
import { createEngineSync } from '../src/engine.js';

interface Scenario {
  case: number;
  blocks: number;
  initialState: unknown;
  perBlock: unknown[];
  finalState: unknown;
}

const readScenarios = (file: string): Scenario[] =>
  gunzipSync(readFileSync(new URL(`./fixtures/${file}`, import.meta.url)))
    .toString('utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l));
// Every coinbase-*.jsonl.gz in test/fixtures (found by listing, so a file of the same format added there runs too)
const FILES = readdirSync(new URL('./fixtures/', import.meta.url)).filter((f) => /^coinbase-[\w-]+\.jsonl\.gz$/.test(f)).sort();
const scenarios: Scenario[] = FILES.flatMap(readScenarios);

/** Drops the `f64` display views and sorts keys, keeping every bit field. */
function bitsOnly(x: unknown): unknown {
  if (Array.isArray(x)) return x.map(bitsOnly);
  if (x !== null && typeof x === 'object') {
    const o: Record<string, unknown> = {};
    for (const k of Object.keys(x).sort()) if (k !== 'f64') o[k] = bitsOnly((x as Record<string, unknown>)[k]);
    return o;
  }
  return x;
}

const engine = createEngineSync();

describe('golden coinbase scenarios (subtensor 14bc6f9f block_step)', () => {
  it('coinbase-scenarios.jsonl.gz holds the 26 scenarios of 4–32 subnets and 1–400 blocks the README describes', () => {
    const shipped = readScenarios('coinbase-scenarios.jsonl.gz');
    expect(FILES).toContain('coinbase-scenarios.jsonl.gz');
    expect(shipped).toHaveLength(26);
    expect(Math.min(...shipped.map((s) => s.blocks))).toBeGreaterThanOrEqual(1);
    expect(Math.max(...shipped.map((s) => s.blocks))).toBeLessThanOrEqual(400);
    for (const s of shipped) expect(s.perBlock, `case ${s.case}`).toHaveLength(s.blocks);
    // 4–32 subnets besides root (netuid 0)
    const subnets = shipped.map((s) => Object.keys((s.initialState as { subnets: Record<string, unknown> }).subnets).filter((k) => k !== '0').length);
    expect([Math.min(...subnets) >= 4, Math.max(...subnets) <= 32]).toEqual([true, true]);
  });

  for (const sc of scenarios) {
    it(`case ${sc.case}: all ${sc.blocks} blocks and the final state equal the chain's, bit for bit`, () => {
      const chain = Chain.fromJSON(sc.initialState, { engine });
      for (let i = 0; i < sc.blocks; i++) {
        const report = chain.step();
        expect(bitsOnly(blockReportToJSON(report, chain.state)), `block ${i + 1} of ${sc.blocks}`).toEqual(bitsOnly(sc.perBlock[i]));
      }
      expect(bitsOnly(chain.toJSON())).toEqual(bitsOnly(sc.finalState));
    });
  }

  it("every golden block's books: each subnet's pots take its alpha out but for flooring, and each epoch's pots are exactly what was credited, accrued as root claimable, burned or recycled, plus what the chain's incentive rule leaves unpaid (or overpays)", () => {
    let epochs = 0;
    for (const sc of scenarios) {
      const chain = Chain.fromJSON(sc.initialState, { engine });
      for (let i = 0; i < sc.blocks; i++) {
        const report = chain.step();
        for (const [, sr] of report.subnets) {
          if (sr.terms === null) continue;
          // the owner cut, server, validator and root pots are each floored from one U96F32 alpha out
          expect(sr.terms.alphaUnassigned).toBeGreaterThanOrEqual(0n);
          expect(sr.terms.alphaUnassigned).toBeLessThanOrEqual(4n);
        }
        for (const e of report.epochs) {
          epochs++;
          const pots = e.pendingServer + e.pendingValidator + e.pendingRoot + e.pendingOwnerCut;
          expect(e.alphaCredited + e.rootAlphaClaimable + e.incentiveWithheld + e.alphaUndistributed).toBe(pots);
          // the golden states start with arbitrary pots, so incentives (half of all pots) may exceed the server pot
          expect(e.incentiveWithheld).toBe(e.alphaBurned + e.alphaRecycled);
        }
      }
    }
    expect(epochs).toBeGreaterThan(100);
  });

  it('a state written with toJSON and read back mid-scenario continues to the same final state (case 3, split at block 180)', () => {
    const sc = scenarios.find((s) => s.case === 3)!;
    let chain = Chain.fromJSON(sc.initialState, { engine });
    for (let i = 0; i < sc.blocks; i++) {
      if (i === 180) chain = Chain.fromJSON(JSON.parse(JSON.stringify(chain.toJSON())), { engine });
      chain.step();
    }
    expect(bitsOnly(chain.toJSON())).toEqual(bitsOnly(sc.finalState));
  });

  it('a corrupted expectation is caught: one share bit off in the final state fails the comparison', () => {
    const sc = scenarios.find((s) => s.case === 0)!;
    const chain = Chain.fromJSON(sc.initialState, { engine });
    chain.run(sc.blocks);
    const tampered = JSON.parse(JSON.stringify(sc.finalState));
    const pool = tampered.stakePools[0];
    const ck = Object.keys(pool.alphaV2)[0];
    pool.alphaV2[ck].mantissa = String(BigInt(pool.alphaV2[ck].mantissa) + 1n);
    expect(bitsOnly(chain.toJSON())).not.toEqual(bitsOnly(tampered));
  });
});
