/**
 * SVG line and bar charts as strings, for the self-contained HTML pages of the simulator (src/sim/chart.ts,
 * its per-subnet detail section) and of the research cases (src/research/chart.ts): no scripts, no external
 * assets, so a page opens from disk anywhere.
 */
import { YumaError } from '../errors.js';
import { show } from '../validation/describe.js';

export const W = 760;
const H = 300;
const M = { left: 70, right: 24, top: 30, bottom: 44 };
/** Legend rows below the plot: entries flow left to right and wrap, so no label is ever cut off. */
const LEGEND_ROW = 18;
export const COLOURS = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#17becf', '#bcbd22', '#7f7f7f'];

/**
 * A number of a report written into a page as it is (a count, a block, a uid): a report read back from JSON may hold
 * anything there, and only a finite number is written unescaped (E_ARG otherwise).
 */
export function num(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new YumaError('E_ARG', `${field} must be a finite number (got ${show(value)})`);
  return value;
}

export function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function fmt(v: number, digits = 2): string {
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e6 || a < 1e-3) return v.toExponential(Math.max(0, digits - 1));
  if (a >= 100 && digits <= 3) return v.toFixed(0);
  return v.toPrecision(Math.max(digits, 1)).replace(/(\.\d*?)0+$/, '$1').replace(/\.$/, '');
}

/** Tick labels with just enough digits that no two read the same. */
export function tickLabels(values: number[]): string[] {
  for (let d = 2; d <= 8; d++) {
    const out = values.map((v) => fmt(v, d));
    if (new Set(out).size === out.length) return out;
  }
  return values.map((v) => String(v));
}

/** Approximate width of a label at the legend's 11 px font (no layout engine here; generous on purpose). */
function textWidth(s: string): number {
  return s.length * 6.6;
}

interface LegendEntry {
  label: string;
  colour: string;
  kind: 'line' | 'box';
}

/** Legend entries laid out in rows under the plot; returns the SVG parts and the height they take. */
function legendBelow(entries: LegendEntry[], top: number): { parts: string[]; height: number } {
  const parts: string[] = [];
  let x = M.left;
  let row = 0;
  for (const e of entries) {
    const w = 24 + textWidth(e.label) + 16;
    if (x + w > W - M.right && x > M.left) {
      row++;
      x = M.left;
    }
    const y = top + row * LEGEND_ROW + 9;
    if (e.kind === 'line') parts.push(`<line x1="${x}" y1="${y}" x2="${x + 18}" y2="${y}" stroke="${e.colour}" stroke-width="2"/>`);
    else parts.push(`<rect x="${x + 3}" y="${y - 5}" width="12" height="10" fill="${e.colour}"/>`);
    parts.push(`<text class="legend" x="${x + 24}" y="${y + 4}">${esc(e.label)}</text>`);
    x += w;
  }
  return { parts, height: entries.length > 0 ? (row + 1) * LEGEND_ROW + 6 : 0 };
}

/**
 * What every chart starts with, in drawing order: the svg element, its title, the two axes, and a gridline with
 * its label at each y tick (`[y, label]`).
 */
function chartFrame(id: string, title: string, height: number, yTicks: Array<[number, string]>): string[] {
  const pw = W - M.left - M.right;
  const ph = H - M.top - M.bottom;
  const parts: string[] = [];
  parts.push(`<svg id="${id}" class="chart" xmlns="http://www.w3.org/2000/svg" width="${W}" height="${height}" viewBox="0 0 ${W} ${height}" role="img" aria-label="${esc(title)}">`);
  parts.push(`<text class="title" x="${M.left}" y="18">${esc(title)}</text>`);
  parts.push(`<line class="axis" x1="${M.left}" y1="${M.top + ph}" x2="${M.left + pw}" y2="${M.top + ph}"/>`);
  parts.push(`<line class="axis" x1="${M.left}" y1="${M.top}" x2="${M.left}" y2="${M.top + ph}"/>`);
  for (const [y, label] of yTicks) {
    parts.push(`<line class="grid" x1="${M.left}" y1="${y}" x2="${M.left + pw}" y2="${y}"/>`);
    parts.push(`<text class="tick y-tick" x="${M.left - 6}" y="${y + 4}" text-anchor="end">${label}</text>`);
  }
  return parts;
}

export interface Line {
  label: string;
  ys: number[];
  colour: string;
  width: number;
}

/**
 * One SVG line chart; lines coloured '#ccc' are drawn first and summarised as one legend entry (`otherLabel`).
 * A log axis is used only when the data spans at least a decade (ticks at powers of ten); below that a linear
 * axis reads better than five labels of the same power.
 */
export function lineChart(id: string, title: string, yTitle: string, xs: number[], lines: Line[], log: boolean, xTitle = 'block', otherLabel = 'other subnets'): string {
  const pw = W - M.left - M.right;
  const ph = H - M.top - M.bottom;
  let lo = Infinity;
  let hi = -Infinity;
  for (const l of lines) for (const y of l.ys) if (Number.isFinite(y) && (!log || y > 0)) { lo = Math.min(lo, y); hi = Math.max(hi, y); }
  if (log && !(lo > 0 && Math.log10(hi) - Math.log10(lo) >= 1)) log = false;
  const tf = (y: number) => (log ? Math.log10(Math.max(y, 1e-300)) : y);
  if (!Number.isFinite(lo)) { lo = 0; hi = 1; }
  let tlo = log ? Math.floor(Math.log10(lo)) : Math.min(lo, 0);
  let thi = log ? Math.ceil(Math.log10(hi)) : hi;
  if (thi - tlo < 1e-12) thi = tlo + 1;
  const ticks: number[] = [];
  if (log) for (let p = tlo; p <= thi; p++) ticks.push(p);
  else for (let k = 0; k <= 4; k++) ticks.push(tlo + ((thi - tlo) * k) / 4);
  const x0 = xs[0] ?? 0;
  const x1 = xs[xs.length - 1] ?? 1;
  const sx = (x: number) => M.left + (x1 === x0 ? 0 : ((x - x0) / (x1 - x0)) * pw);
  const sy = (y: number) => M.top + ph - ((tf(y) - tlo) / (thi - tlo)) * ph;
  const legendEntries: LegendEntry[] = lines.filter((l) => l.colour !== '#ccc').map((l) => ({ label: l.label, colour: l.colour, kind: 'line' }));
  if (lines.some((l) => l.colour === '#ccc')) legendEntries.push({ label: otherLabel, colour: '#ccc', kind: 'line' });
  const legend = legendBelow(legendEntries, H);
  const height = H + legend.height;
  const yLabels = tickLabels(ticks.map((t) => (log ? Math.pow(10, t) : t)));
  const parts = chartFrame(id, title, height, ticks.map((t, k) => [M.top + ph - ((t - tlo) / (thi - tlo)) * ph, yLabels[k]]));
  const xTicks = [...new Set([0, 1, 2, 3, 4].map((k) => Math.round(x0 + ((x1 - x0) * k) / 4)))];
  for (const x of xTicks) parts.push(`<text class="tick x-tick" x="${sx(x)}" y="${M.top + ph + 16}" text-anchor="middle">${x}</text>`);
  parts.push(`<text class="axis-label" x="${M.left + pw / 2}" y="${H - 8}" text-anchor="middle">${esc(xTitle)}</text>`);
  parts.push(`<text class="axis-label" transform="translate(14 ${M.top + ph / 2}) rotate(-90)" text-anchor="middle">${esc(log ? `${yTitle}, log scale` : yTitle)}</text>`);
  // Grey lines first so the coloured ones stay on top.
  const ordered = [...lines].sort((a, b) => (a.colour === '#ccc' ? 0 : 1) - (b.colour === '#ccc' ? 0 : 1));
  for (const l of ordered) {
    const pts: string[] = [];
    l.ys.forEach((y, i) => {
      if (Number.isFinite(y) && (!log || y > 0)) pts.push(`${pts.length === 0 ? 'M' : 'L'}${sx(xs[i]).toFixed(1)} ${sy(y).toFixed(1)}`);
    });
    if (pts.length === 0) continue;
    parts.push(`<path class="series" data-points="${pts.length}" fill="none" stroke="${l.colour}" stroke-width="${l.width}" d="${pts.join('')}"><title>${esc(l.label)}</title></path>`);
  }
  parts.push(...legend.parts);
  parts.push('</svg>');
  return parts.join('\n');
}

export function barChart(id: string, title: string, yTitle: string, bars: Array<{ label: string; values: number[] }>, seriesNames: string[]): string {
  const pw = W - M.left - M.right;
  const ph = H - M.top - M.bottom;
  let hi = 0;
  for (const b of bars) for (const v of b.values) if (Number.isFinite(v)) hi = Math.max(hi, v);
  if (hi <= 0) hi = 1;
  const sy = (v: number) => M.top + ph - (Math.max(0, v) / hi) * ph;
  const legend = legendBelow(seriesNames.map((name, k) => ({ label: name, colour: COLOURS[k % COLOURS.length], kind: 'box' as const })), H);
  const height = H + legend.height;
  const barTicks = tickLabels([0, 1, 2, 3, 4].map((k) => (hi * k) / 4));
  const parts = chartFrame(id, title, height, barTicks.map((label, k) => [M.top + ph - (ph * k) / 4, label]));
  parts.push(`<text class="axis-label" transform="translate(14 ${M.top + ph / 2}) rotate(-90)" text-anchor="middle">${esc(yTitle)}</text>`);
  const group = pw / Math.max(1, bars.length);
  const bw = (group * 0.7) / Math.max(1, seriesNames.length);
  bars.forEach((b, i) => {
    const gx = M.left + i * group + group * 0.15;
    b.values.forEach((v, k) => {
      const y = sy(v);
      parts.push(`<rect class="bar" x="${(gx + k * bw).toFixed(1)}" y="${y.toFixed(1)}" width="${bw.toFixed(1)}" height="${(M.top + ph - y).toFixed(1)}" fill="${COLOURS[k % COLOURS.length]}"><title>${esc(`${b.label} · ${seriesNames[k]}: ${fmt(v)}`)}</title></rect>`);
    });
    parts.push(`<text class="tick x-tick" x="${(gx + group * 0.35).toFixed(1)}" y="${M.top + ph + 16}" text-anchor="middle">${esc(b.label)}</text>`);
  });
  parts.push(...legend.parts);
  parts.push('</svg>');
  return parts.join('\n');
}
