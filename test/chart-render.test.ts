import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { launchChromium } from './helpers/chromium.js';
import { describe, expect, it } from 'vitest';
import { renderChartHtml } from '../src/sim/chart.js';
import { Network } from '../src/sim/network.js';
import { scenarioFromJson } from '../src/sim/scenario.js';
import { createEngineSync } from '../src/engine.js';

const engine = createEngineSync();


describe('--chart HTML in headless Chromium', () => {
  it('renders the price, share and dividend charts with data, axes and labels', async () => {
    const report = new Network({ engine, subnets: 12, uidsPerSubnet: 32, subnet1Uids: 64, validatorsPerSubnet: 6, tempo: 30 }).run({ blocks: 600 });
    const file = join(mkdtempSync(join(tmpdir(), 'yuma-chart-')), 'report.html');
    writeFileSync(file, renderChartHtml(report));

    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      page.on('requestfailed', (r) => errors.push(`request failed: ${r.url()}`));
      await page.goto(pathToFileURL(file).href);
      const charts = await page.evaluate(() =>
        Array.from(document.querySelectorAll('svg.chart')).map((svg) => {
          const box = svg.getBoundingClientRect();
          const paths = Array.from(svg.querySelectorAll('path.series')).map((p) => ({
            points: Number(p.getAttribute('data-points')),
            length: (p as SVGPathElement).getTotalLength(),
            segments: (p.getAttribute('d') ?? '').split(/[ML]/).length - 1,
          }));
          return {
            id: svg.id,
            width: box.width,
            height: box.height,
            paths,
            bars: Array.from(svg.querySelectorAll('rect.bar')).map((r) => (r as SVGRectElement).getBBox().height),
            ticks: Array.from(svg.querySelectorAll('text.tick')).map((t) => t.textContent ?? ''),
            labels: Array.from(svg.querySelectorAll('text.axis-label, text.title, text.legend')).map((t) => t.textContent ?? ''),
          };
        }),
      );
      expect(errors).toEqual([]);
      expect(charts.map((c) => c.id)).toEqual([
        'chart-prices', 'chart-shares', 'chart-dividends',
        'chart-validator-dividends-1', 'chart-validator-bonds-1', 'chart-validator-stake-1', 'chart-miner-incentive-1',
      ]);
      for (const c of charts) {
        expect(c.width).toBeGreaterThan(300);
        expect(c.height).toBeGreaterThan(150);
        expect(c.ticks.length).toBeGreaterThanOrEqual(5);
        expect(c.ticks.every((t) => t.trim().length > 0)).toBe(true);
      }
      for (const c of charts.slice(3)) {
        // one line per validator of subnet 1 (8 of 64 UIDs scale to 12 validators), or per top miner
        expect(c.paths.length).toBeGreaterThan(1);
        expect(c.labels).toContain('block');
      }
      for (const c of charts.slice(0, 2)) {
        // One line per subnet, one point per sample, drawn with real length on screen.
        expect(c.paths).toHaveLength(12);
        for (const p of c.paths) {
          expect(p.points).toBe(report.sampleBlocks.length);
          expect(p.segments).toBe(p.points);
          expect(p.length).toBeGreaterThan(50);
        }
        expect(c.labels).toContain('block');
        expect(c.labels).toContain('subnet 1');
      }
      expect(charts[0].labels.some((l) => l.startsWith('price (TAO/alpha)'))).toBe(true);
      expect(charts[1].labels).toContain('emission share');
      const div = charts[2];
      expect(div.bars.length).toBe(2 * Object.keys(report.strategies).length);
      expect(div.bars.filter((h) => h > 1).length).toBeGreaterThan(2);
      expect(div.ticks).toEqual(expect.arrayContaining(['honest', 'copier']));
      expect(div.labels).toContain('yield per day');
    } finally {
      await browser.close();
    }
  });

  it('every chart keeps its legend inside the SVG, its tick labels distinct, and a scenario page screenshots cleanly', async () => {
    const sc = scenarioFromJson(JSON.parse(readFileSync(new URL('../scenarios/yuma3-big-validator-moves-second.json', import.meta.url), 'utf8')));
    const pages = {
      network: renderChartHtml(new Network({ engine, subnets: 12, uidsPerSubnet: 32, subnet1Uids: 64, validatorsPerSubnet: 6, tempo: 30 }).run({ blocks: 600 })),
      scenario: renderChartHtml(new Network({ ...sc.network, engine }).run({ blocks: sc.blocks! })),
    };
    const dir = mkdtempSync(join(tmpdir(), 'yuma-chart-shot-'));
    const browser = await launchChromium();
    try {
      for (const [name, html] of Object.entries(pages)) {
        const file = join(dir, `${name}.html`);
        writeFileSync(file, html);
        const page = await browser.newPage({ viewport: { width: 900, height: 800 } });
        await page.goto(pathToFileURL(file).href);
        const facts = await page.evaluate(() =>
          Array.from(document.querySelectorAll('svg.chart')).map((svg) => {
            const box = svg.getBoundingClientRect();
            const inside = (r: DOMRect) => r.left >= box.left - 0.5 && r.right <= box.right + 0.5 && r.top >= box.top - 0.5 && r.bottom <= box.bottom + 0.5;
            const legends = Array.from(svg.querySelectorAll('text.legend')).map((t) => ({ text: t.textContent ?? '', inside: inside(t.getBoundingClientRect()) }));
            const yTicks = Array.from(svg.querySelectorAll('text.y-tick')).map((t) => t.textContent ?? '');
            const xTicks = Array.from(svg.querySelectorAll('text.x-tick')).map((t) => t.textContent ?? '');
            const titleInside = inside(svg.querySelector('text.title')!.getBoundingClientRect());
            return { id: svg.id, legends, yTicks, xTicks, titleInside };
          }),
        );
        expect(facts.length).toBeGreaterThanOrEqual(name === 'scenario' ? 7 : 7);
        for (const f of facts) {
          expect(f.titleInside, f.id).toBe(true);
          expect(f.legends.length, f.id).toBeGreaterThan(0);
          for (const l of f.legends) expect(l.inside, `${f.id}: legend '${l.text}'`).toBe(true);
          expect(new Set(f.yTicks).size, `${f.id}: y ticks ${f.yTicks.join(', ')}`).toBe(f.yTicks.length);
          expect(new Set(f.xTicks).size, `${f.id}: x ticks ${f.xTicks.join(', ')}`).toBe(f.xTicks.length);
        }
        if (name === 'scenario') {
          const legendText = facts.find((f) => f.id === 'chart-validator-dividends-1')!.legends.map((l) => l.text);
          expect(legendText).toEqual(expect.arrayContaining(['A (80 %, moves 1 epoch late) (uid 0)', 'B (10 %, moves at once) (uid 1)']));
        }
        const shot = join(dir, `${name}.png`);
        await page.screenshot({ path: shot, fullPage: true });
        expect(statSync(shot).size).toBeGreaterThan(20_000);
        if (process.env.YUMA_CHART_SHOTS) writeFileSync(join(process.env.YUMA_CHART_SHOTS, `${name}.png`), readFileSync(shot));
        await page.close();
      }
    } finally {
      await browser.close();
    }
  });
});
