import type { Model } from '../sim/config.js';
import type { SubnetDetail } from '../sim/detail.js';
import type { NetworkReport } from '../sim/report.js';
import { taoText as tao, taoTextOfFloat } from '../sim/tao-text.js';

/** A fixed-width text table: the first `leftCols` columns left-aligned, the rest right-aligned. */
export function table(head: string[], rows: string[][], leftCols = 1): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (r: string[]) => r.map((c, i) => (i < leftCols ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

/** How the summary names each model's block. */
export const MODEL_LABEL: Readonly<Record<Model, string>> = Object.freeze({
  head: "HEAD's block (subtensor 14bc6f9f)",
  launch: "the launch era's block (2025-02)",
  seed: "the seed document's model",
});

/** The human-readable end of `simulate`: the TAO and alpha books, the biggest subnets, yields by strategy. */
export function formatSummary(r: NetworkReport, seconds: number, top = 10): string {
  const t = r.totals;
  const a = r.alpha;
  const days = r.blocks.count / 7200;
  const out: string[] = [];
  const mechs = r.config.mechanisms > 1 ? `${r.config.mechanisms} mechanisms${r.config.mechanismSubnets ? ` on ${r.config.mechanismSubnets.length} subnets` : ' each'}, ` : '';
  out.push(
    `Simulated ${r.blocks.count} blocks (${days.toFixed(2)} days) on ${r.subnets.length} subnets with ${MODEL_LABEL[r.config.model]}: ${r.epochs} epochs, ` +
      `${mechs}${r.config.mode} epochs, shares by ${r.config.shareMode}, seed ${r.config.seed}, in ${seconds.toFixed(1)} s.`,
  );
  out.push('');
  const fees = BigInt(t.taoStakeFees) + BigInt(t.taoUnstakeFees);
  out.push(
    table(
      ['TAO', 'amount'],
      [
        ['issuance at start', tao(t.issuanceStart)],
        ['issuance at end', tao(t.issuanceEnd)],
        ['emitted', tao(t.taoEmitted)],
        ['  injected into pools', tao(t.taoInjected)],
        ['  chain buys of alpha', tao(t.taoChainBuys)],
        ['  recycled', tao(t.recycled, 9)],
        ['staked by stakers', tao(t.taoStaked)],
        ['unstaked by stakers', tao(t.taoUnstaked)],
        ['sold by miners', tao(t.taoMinerSales)],
        ['swap fees to block authors', tao(fees)],
        ['registration burns', tao(t.taoRegistrationBurns)],
        ['staked on root', tao(t.taoOnRoot, 0)],
      ],
    ),
  );
  out.push('');
  out.push(
    table(
      ['alpha (all subnets)', 'amount'],
      [
        ['emitted to participants', tao(a.emitted)],
        ['injected into pools', tao(a.injected)],
        ['recycled', tao(a.recycled)],
        ['burned by registrations', tao(a.registrationBurned)],
        ['root dividends (claimable)', tao(a.rootClaimable)],
        ['burned (owner hotkeys, fees)', tao(a.burned)],
        ['minted, paid to nobody', tao(a.undistributed, 9)],
      ],
    ),
  );
  out.push('');
  const subs = [...r.subnets].sort((a, b) => b.final.emissionShare - a.final.emissionShare).slice(0, top);
  out.push(`Top ${subs.length} subnets by emission share`);
  out.push(
    table(
      ['netuid', 'uids', 'price', 'change', 'share', 'TAO reserve', 'alpha reserve', 'miners α', 'validators α'],
      subs.map((s) => {
        const p0 = s.series.price[0];
        const p1 = s.final.price;
        return [
          String(s.netuid),
          String(s.uids),
          p1.toPrecision(4),
          `${((p1 / p0 - 1) * 100).toFixed(2)}%`,
          `${(s.final.emissionShare * 100).toFixed(2)}%`,
          tao(s.final.taoReserve, 0),
          tao(s.final.alphaReserve, 0),
          tao(s.final.minersAlpha, 1),
          tao(s.final.validatorsAlpha, 1),
        ];
      }),
    ),
  );
  out.push('');
  out.push('Validator yield by strategy (alpha earned per alpha staked)');
  out.push(
    table(
      ['strategy', 'validators', 'dividends α', 'worth TAO', 'yield/day', '+ own miners', 'vs fair share'],
      Object.entries(r.strategies).map(([k, y]) => [
        k,
        String(y!.validators),
        tao(y!.dividendsAlpha, 1),
        taoTextOfFloat(y!.dividendsTao, 1),
        `${(y!.yieldPerDay * 100).toFixed(3)}%`,
        `${(y!.totalYieldPerDay * 100).toFixed(3)}%`,
        `${y!.relativeYield.toFixed(3)}×`,
      ]),
    ),
  );
  for (const d of r.detail) out.push('', ...validatorTable(d));
  return out.join('\n') + '\n';
}

/** Who earned what on one detailed subnet: its validators (largest dividends first, at most 12) and top miners. */
export function validatorTable(d: SubnetDetail, max = 12): string[] {
  const vs = [...d.validators].sort((a, b) => b.totals.dividendShare - a.totals.dividendShare || a.uid - b.uid);
  const shown = vs.slice(0, max);
  const lines = [`Subnet ${d.netuid}: validators over ${d.epochBlocks.length} epoch${d.epochBlocks.length === 1 ? '' : 's'}${vs.length > max ? ` (top ${max} of ${vs.length} by dividends)` : ''}`];
  lines.push(
    table(
      ['uid', 'validator', 'strategy', 'stake share', 'dividends α', 'dividend share', 'vs stake'],
      shown.map((v) => [
        String(v.uid),
        v.name,
        v.strategy,
        `${(v.totals.stakeShare * 100).toFixed(2)}%`,
        tao(v.totals.dividends, 3),
        `${(v.totals.dividendShare * 100).toFixed(2)}%`,
        `${v.totals.vsStake.toFixed(3)}×`,
      ]),
      3,
    ),
  );
  if (d.miners.length > 0) {
    // the report keeps them by uid (the bond series' column order); a reader of this table looks for the largest
    const ms = [...d.miners].sort((a, b) => {
      const x = BigInt(b.totals.emission) - BigInt(a.totals.emission);
      return x > 0n ? 1 : x < 0n ? -1 : a.uid - b.uid;
    });
    lines.push('', `Subnet ${d.netuid}: the ${ms.length} miner${ms.length === 1 ? '' : 's'} that earned most, largest first`);
    lines.push(
      table(
        ['uid', 'incentive α', 'share', 'last incentive (u16)'],
        ms.map((m) => [String(m.uid), tao(m.totals.emission, 3), `${(m.totals.incentiveShare * 100).toFixed(2)}%`, String(m.series.incentive[m.series.incentive.length - 1] ?? 0)]),
      ),
    );
  }
  return lines;
}
