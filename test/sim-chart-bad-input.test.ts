/**
 * `renderChartHtml(report)` on a report read back from JSON with a string of markup where the report holds a
 * number: the page is data and must not carry the caller's markup. Each such report is refused with E_ARG; the
 * unchanged report renders the same page from the object and from its JSON.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { createEngineSync } from '../src/engine.js';
import { renderChartHtml } from '../src/sim/chart.js';
import { Network } from '../src/sim/network.js';
import type { NetworkReport } from '../src/sim/report.js';
import { expectYumaError } from './helpers/errors.js';

const engine = createEngineSync();
afterAll(() => engine.close());

const report = new Network({ engine, subnets: 2, uidsPerSubnet: 8, subnet1Uids: 0, tempo: 2, detailSubnets: [1] }).run({ blocks: 8 });
const json = JSON.stringify(report);
const MARKUP = '<script>alert(1)</script>';

/** The report's JSON with the value at `path` replaced. */
function withValue(path: Array<string | number>, value: unknown): NetworkReport {
  const r = JSON.parse(json) as Record<string | number, unknown>;
  let o = r;
  for (const k of path.slice(0, -1)) o = o[k] as Record<string | number, unknown>;
  o[path[path.length - 1]] = value;
  return r as unknown as NetworkReport;
}

describe('renderChartHtml refuses numbers given as other values', () => {
  it('the report and its JSON round trip render the same page', () => {
    const page = renderChartHtml(report);
    expect(page).toContain('<h2>Subnet 1: who earns what</h2>');
    expect(renderChartHtml(JSON.parse(json) as NetworkReport)).toBe(page);
  });

  const NUMBERS: Array<Array<string | number>> = [
    ['config', 'subnets'],
    ['config', 'uidsPerSubnet'],
    ['config', 'subnet1Uids'],
    ['config', 'seed'],
    ['blocks', 'count'],
    ['blocks', 'start'],
    ['blocks', 'end'],
    ['epochs'],
    ['detail', 0, 'netuid'],
    ['detail', 0, 'validators', 0, 'uid'],
  ];
  for (const path of NUMBERS) {
    it(`${path.join('.')} as a string of markup, an object or NaN is E_ARG`, () => {
      for (const bad of [MARKUP, { toString: () => MARKUP }, NaN]) expectYumaError(() => renderChartHtml(withValue(path, bad)), 'E_ARG');
    });
  }
});
