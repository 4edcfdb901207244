import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { launchChromium } from './helpers/chromium.js';
import { describe, expect, it } from 'vitest';
import { renderChartHtml } from '../src/sim/chart.js';
import { Network } from '../src/sim/network.js';
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
      expect(charts.map((c) => c.id)).toEqual(['chart-prices', 'chart-shares', 'chart-dividends']);
      for (const c of charts) {
        expect(c.width).toBeGreaterThan(300);
        expect(c.height).toBeGreaterThan(150);
        expect(c.ticks.length).toBeGreaterThanOrEqual(5);
        expect(c.ticks.every((t) => t.trim().length > 0)).toBe(true);
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
      expect(charts[0].labels).toContain('price (TAO/alpha)');
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
});
