import { COLOURS, esc, lineChart, num, type Line } from './svg.js';
import type { SubnetDetail } from './detail.js';

/** Validators drawn in colour (by dividends); the rest are grey lines under one legend entry. */
const COLOURED = 8;

/**
 * The "who earns what" section of the chart page for one detailed subnet: dividends, bonds and stake per
 * validator and incentive per miner over its epochs, and a table of totals with each validator's strategy.
 */
export function renderDetailSection(d: SubnetDetail): string {
  const xs = d.epochBlocks;
  // written into element ids, headings and the table as they are
  const netuid = num(d.netuid, 'detail netuid');
  const ranked = [...d.validators].sort((a, b) => b.totals.dividendShare - a.totals.dividendShare || a.uid - b.uid);
  const colour = new Map(ranked.map((v, k) => [v.uid, k < COLOURED ? COLOURS[k % COLOURS.length] : '#ccc']));
  const vLines = (pick: (v: SubnetDetail['validators'][number]) => number[]): Line[] =>
    d.validators.map((v) => ({ label: `${v.name} (uid ${v.uid})`, ys: pick(v), colour: colour.get(v.uid)!, width: colour.get(v.uid) === '#ccc' ? 1 : 2 }));
  const alpha = (r: string) => Number(BigInt(r)) / 1e9;
  // Bonds to the miner that earned most over the run: who backed the winner, and when.
  const top = [...d.miners].sort((a, b) => b.totals.incentiveShare - a.totals.incentiveShare)[0];
  const topIndex = top ? d.miners.indexOf(top) : -1;
  const parts: string[] = [`<h2>Subnet ${netuid}: who earns what</h2>`];
  parts.push(lineChart(`chart-validator-dividends-${netuid}`, `Subnet ${netuid}: dividends per validator per epoch`, 'dividends (alpha)', xs, vLines((v) => v.series.dividends.map(alpha)), false, 'block', 'other validators'));
  if (topIndex >= 0) {
    parts.push(
      lineChart(
        `chart-validator-bonds-${netuid}`,
        `Subnet ${netuid}: each validator's bond to miner ${top!.uid} (the top earner)`,
        'bond (u16 / 65535)',
        xs,
        vLines((v) => v.series.bonds.map((row) => row[topIndex] / 65535)),
        false,
        'block',
        'other validators',
      ),
    );
  }
  parts.push(lineChart(`chart-validator-stake-${netuid}`, `Subnet ${netuid}: stake per validator`, 'stake (alpha)', xs, vLines((v) => v.series.stake.map(alpha)), false, 'block', 'other validators'));
  if (d.miners.length > 0) {
    const mLines: Line[] = d.miners.map((m, k) => ({ label: `miner ${m.uid}`, ys: m.series.incentive.map((x) => x / 65535), colour: COLOURS[k % COLOURS.length], width: 2 }));
    parts.push(lineChart(`chart-miner-incentive-${netuid}`, `Subnet ${netuid}: incentive per miner (top earners)`, 'incentive (u16 / 65535)', xs, mLines, false));
  }
  parts.push('<table class="detail">');
  parts.push('<tr><th>uid</th><th>validator</th><th>strategy</th><th>stake share</th><th>dividends α</th><th>dividend share</th><th>vs stake</th></tr>');
  for (const v of ranked) {
    parts.push(
      `<tr><td>${num(v.uid, 'detail validator uid')}</td><td>${esc(v.name)}</td><td>${esc(v.strategy)}</td><td>${(v.totals.stakeShare * 100).toFixed(2)}%</td>` +
        `<td>${alpha(v.totals.dividends).toFixed(3)}</td><td>${(v.totals.dividendShare * 100).toFixed(2)}%</td><td>${v.totals.vsStake.toFixed(3)}×</td></tr>`,
    );
  }
  parts.push('</table>');
  return parts.join('\n');
}
