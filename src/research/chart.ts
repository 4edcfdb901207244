import { COLOURS, esc, lineChart, type Line } from '../sim/svg.js';
import { VERSION_INFO } from './config.js';
import { readCaseResults, type CaseRun, type YumaSimCase } from './cases.js';
import { toFinite } from '../validation/values.js';
import { guard } from '../validation/read.js';

/**
 * One self-contained HTML page of the charts a researcher reads for each case, one column per version (as the
 * simulator's chart table): dividends per 1,000 TAO per validator over epochs, each server's bonds per
 * validator over epochs, and incentive per server over epochs.
 */
export function renderCasesHtml(results: Array<{ c: YumaSimCase; runs: CaseRun[] }>, bondPenalty: number): string {
  results = readCaseResults(results, 'results');
  bondPenalty = toFinite(bondPenalty, 'bondPenalty');
  // The cases and runs are the copies made when each run was; the epochs' output arrays are still the caller's to
  // change, and whatever reading them throws is E_ARG.
  return guard('results', () => renderCases(results, bondPenalty));
}

function renderCases(results: Array<{ c: YumaSimCase; runs: CaseRun[] }>, bondPenalty: number): string {
  let n = 0;
  const id = () => `chart-${++n}`;
  const sections = results.map(({ c, runs }) => {
    const xs = c.weights.map((_, e) => e);
    const series = (names: string[], ys: number[][]): Line[] => names.map((label, i) => ({ label, ys: ys[i], colour: COLOURS[i % COLOURS.length], width: 2 }));
    const rows: Array<{ kind: string; cells: string[] }> = [
      {
        kind: 'dividends',
        cells: runs.map((r) =>
          lineChart(id(), `${VERSION_INFO[r.version].name}: dividends`, 'per 1,000 TAO per epoch', xs, series(c.validators.map((v, i) => `${v}: total ${r.totalDividends[i].toFixed(4)}`), r.dividendsPer1000Tao), false, 'epoch'),
        ),
      },
      ...c.servers.map((server, s) => ({
        kind: `bonds-${s}`,
        cells: runs.map((r) =>
          lineChart(
            id(),
            `${VERSION_INFO[r.version].name}: bonds on ${server}`,
            r.version === 'yuma2c' ? 'bond (stake × 2^64)' : 'bond',
            xs,
            series(c.validators, c.validators.map((_, v) => r.epochs.map((ep) => ep.validatorBonds[v][s]))),
            false,
            'epoch',
          ),
        ),
      })),
      {
        kind: 'incentive',
        cells: runs.map((r) => lineChart(id(), `${VERSION_INFO[r.version].name}: server incentive`, 'incentive', xs, series(c.servers, c.servers.map((_, s) => r.epochs.map((ep) => ep.serverIncentive[s]))), false, 'epoch')),
      },
    ];
    const reset = c.resetBonds ? ` · bonds of server ${c.resetBonds.column + 1} reset before epoch ${c.resetBonds.epoch} (Yuma 2C, 3)` : '';
    return `<section class="case" id="${esc(c.id.replace(' ', '-').toLowerCase())}">
<h2>${esc(c.name)}</h2>
<p>${c.validators.length} validators × ${c.servers.length} servers · ${c.weights.length} epochs · base validator ${esc(c.baseValidator)}${reset}</p>
<div class="scroll"><table>
<tr>${runs.map((r) => `<th>${esc(VERSION_INFO[r.version].name)}</th>`).join('')}</tr>
${rows.map((row) => `<tr class="${row.kind}">${row.cells.map((svg) => `<td>${svg}</td>`).join('')}</tr>`).join('\n')}
</table></div>
</section>`;
  });
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>yuma-wasm: Yuma versions on the yuma-simulation cases</title>
<style>
body{font:14px system-ui,sans-serif;margin:24px;color:#222}
.scroll{overflow-x:auto}table{border-collapse:collapse}td,th{padding:4px;vertical-align:top;text-align:left}
.chart{display:block;background:#fff;border:1px solid #eee}
.title{font-weight:600;font-size:14px}.tick,.legend{font-size:11px;fill:#444}.axis-label{font-size:12px;fill:#222}
.axis{stroke:#333}.grid{stroke:#eee}
</style></head><body>
<h1>Yuma versions on the yuma-simulation cases</h1>
<p>bond penalty ${bondPenalty} · each version with the simulator's parameters · ${results.length} case${results.length === 1 ? '' : 's'}</p>
${sections.join('\n')}
</body></html>
`;
}
