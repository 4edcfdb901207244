// The simulator's report page; the charts on it are drawn by svg.ts. Lines for the subnets with the largest final
// emission share are coloured, the rest grey.

import { YumaError } from '../errors.js';
import { guard } from '../validation/read.js';
import type { NetworkReport } from './report.js';
import { renderDetailSection } from './detail-chart.js';
import { barChart, COLOURS, esc, lineChart, num, W, type Line } from './svg.js';
import { taoText as tao } from './tao-text.js';

/**
 * One self-contained HTML page of SVG charts of a simulation report (no scripts, no external files): prices and
 * emission shares of the top subnets, validator yield by strategy, totals, and per validator and per miner
 * charts of the detailed subnets (`report.detail`). What `yuma-wasm simulate --chart` writes.
 */
export function renderChartHtml(report: NetworkReport, title = 'yuma-wasm network simulation'): string {
  if (typeof title !== 'string') throw new YumaError('E_ARG', 'the chart title must be a string');
  // A report is data (often read back from JSON): whatever in it cannot be drawn is the report's fault, E_ARG.
  return guard('report', () => renderReport(report, title));
}

function renderReport(report: NetworkReport, title: string): string {
  const xs = report.sampleBlocks;
  const top = [...report.subnets].sort((a, b) => b.final.emissionShare - a.final.emissionShare).slice(0, 8).map((s) => s.netuid);
  const colourOf = (netuid: number) => (top.includes(netuid) ? COLOURS[top.indexOf(netuid)] : '#ccc');
  const lines = (pick: (s: NetworkReport['subnets'][number]) => number[]): Line[] =>
    report.subnets.map((s) => ({ label: `subnet ${s.netuid}`, ys: pick(s), colour: colourOf(s.netuid), width: top.includes(s.netuid) ? 2 : 1 }));
  const strategies = Object.entries(report.strategies);
  const t = report.totals;
  const c = report.config;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(title)}</title>
<style>
body{font:14px system-ui,sans-serif;margin:24px;color:#222;max-width:${W + 40}px}
.chart{display:block;margin:18px 0;background:#fff;border:1px solid #eee}
.title{font-weight:600;font-size:14px}.tick,.legend{font-size:11px;fill:#444}.axis-label{font-size:12px;fill:#222}
.axis{stroke:#333}.grid{stroke:#eee}table{border-collapse:collapse}td,th{padding:2px 10px;text-align:right;border-bottom:1px solid #eee}
</style></head><body>
<h1>${esc(title)}</h1>
<p>${num(c.subnets, 'config.subnets')} subnets · ${num(c.uidsPerSubnet, 'config.uidsPerSubnet')} UIDs (subnet 1: ${num(c.subnet1Uids, 'config.subnet1Uids') || c.uidsPerSubnet}) · ${num(report.blocks.count, 'blocks.count')} blocks (${num(report.blocks.start, 'blocks.start')}–${num(report.blocks.end, 'blocks.end')}) · seed ${num(c.seed, 'config.seed')} · shares ${esc(c.shareMode)} · ${esc(c.mode)} mode · ${num(report.epochs, 'epochs')} epochs</p>
${lineChart('chart-prices', 'Alpha price per subnet (TAO per alpha)', 'price (TAO/alpha)', xs, lines((s) => s.series.price), true)}
${lineChart('chart-shares', 'Share of TAO emission per subnet', 'emission share', xs, lines((s) => s.series.emissionShare), false)}
${barChart('chart-dividends', 'Validator yield by strategy (alpha per alpha staked, per day)', 'yield per day', strategies.map(([k, y]) => ({ label: k, values: [y!.yieldPerDay, y!.totalYieldPerDay] })), ['dividends', 'dividends + own miners'])}
${(report.detail ?? []).slice(0, 4).map(renderDetailSection).join('\n')}
<h2>Totals</h2>
<table>
<tr><th>issuance start</th><td>${tao(t.issuanceStart)} TAO</td></tr>
<tr><th>issuance end</th><td>${tao(t.issuanceEnd)} TAO</td></tr>
<tr><th>TAO emitted</th><td>${tao(t.taoEmitted)}</td></tr>
<tr><th>injected into pools</th><td>${tao(t.taoInjected)}</td></tr>
<tr><th>chain buys</th><td>${tao(t.taoChainBuys)}</td></tr>
<tr><th>recycled</th><td>${tao(t.recycled, 9)}</td></tr>
</table>
</body></html>
`;
}
