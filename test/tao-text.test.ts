import { describe, expect, it } from 'vitest';
import { taoText } from '../src/sim/tao-text.js';
import { formatSummary } from '../src/cli/summary.js';
import { renderChartHtml } from '../src/sim/chart.js';
import type { NetworkReport } from '../src/sim/report.js';
import { YumaError } from '../src/errors.js';

// Every TAO or alpha amount the simulate summary and the chart page print goes through taoText: rounded to nearest
// at the printed precision (half away from zero), never truncated, thousands separated.
describe('taoText: rao as TAO for people', () => {
  it('0, 1 rao, 10^9 - 1, 10^9 and 10^9 + 1 rao at 0, 1, 3 and 9 decimals', () => {
    const at = (rao: bigint) => [0, 1, 3, 9].map((d) => taoText(rao, d));
    expect(at(0n)).toEqual(['0', '0.0', '0.000', '0.000000000']);
    expect(at(1n)).toEqual(['0', '0.0', '0.000', '0.000000001']);
    expect(at(999_999_999n)).toEqual(['1', '1.0', '1.000', '0.999999999']);
    expect(at(1_000_000_000n)).toEqual(['1', '1.0', '1.000', '1.000000000']);
    expect(at(1_000_000_001n)).toEqual(['1', '1.0', '1.000', '1.000000001']);
  });

  it('halves round away from zero: 0.5 TAO at 0 decimals is 1, 0.0005 at 3 is 0.001, 0.0004999999 at 3 is 0.000', () => {
    expect(taoText(500_000_000n, 0)).toBe('1');
    expect(taoText(499_999_999n, 0)).toBe('0');
    expect(taoText(500_000n, 3)).toBe('0.001');
    expect(taoText(499_999n, 3)).toBe('0.000');
    expect(taoText(-500_000n, 3)).toBe('-0.001');
  });

  it('rounding up carries across the thousands separator: 999,999.9999999 TAO is 1,000,000.000 and 1,999,999.999998932 at 0 decimals is 2,000,000', () => {
    expect(taoText(999_999_999_999_900n, 3)).toBe('1,000,000.000');
    expect(taoText(999_999_999_999_900n, 9)).toBe('999,999.999999900');
    expect(taoText(1_999_999_999_998_932n, 0)).toBe('2,000,000');
    expect(taoText(999_949_999_999n, 1)).toBe('999.9');
    expect(taoText(999_950_000_000n, 1)).toBe('1,000.0');
  });

  it('huge amounts keep every digit: u64::MAX and 2^128 rao, as bigint or decimal string', () => {
    expect(taoText((1n << 64n) - 1n, 9)).toBe('18,446,744,073.709551615');
    expect(taoText(((1n << 64n) - 1n).toString(), 3)).toBe('18,446,744,073.710');
    expect(taoText(1n << 128n, 0)).toBe('340,282,366,920,938,463,463,374,607,432');
  });

  it('negative amounts keep their sign unless they round to zero: -1.5 TAO at 0 decimals is -2, -1 rao at 3 is 0.000', () => {
    expect(taoText(-1_500_000_000n, 0)).toBe('-2');
    expect(taoText(-1_234_567_890_123n, 3)).toBe('-1,234.568');
    expect(taoText(-1n, 3)).toBe('0.000');
  });

  it('refuses what is not an amount or a precision with E_ARG / E_RANGE', () => {
    const code = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return e instanceof YumaError ? e.code : `not a YumaError: ${String(e)}`;
      }
      return 'no throw';
    };
    expect(code(() => taoText('1.5'))).toBe('E_ARG');
    expect(code(() => taoText('abc'))).toBe('E_ARG');
    expect(code(() => taoText(1.5 as never))).toBe('E_ARG');
    expect(code(() => taoText(1n, 10))).toBe('E_RANGE');
    expect(code(() => taoText(1n, -1))).toBe('E_RANGE');
    expect(code(() => taoText(1n, 1.5))).toBe('E_RANGE');
  });
});

describe('the simulate summary and the chart page round TAO to nearest', () => {
  // a report whose amounts sit just under a round number: each is printed rounded up, never truncated
  const report = {
    config: { subnets: 1, uidsPerSubnet: 4, subnet1Uids: 4, seed: 1, shareMode: 'moving-price', mode: 'fixed', model: 'head', mechanisms: 1 },
    blocks: { count: 7200, start: 0, end: 7200 },
    epochs: 20,
    sampleBlocks: [0, 7200],
    totals: {
      issuanceStart: '10800000000000000', issuanceEnd: '10803599999999999', taoEmitted: '3599999999999', taoInjected: '1155136999999',
      taoChainBuys: '2444861000000', recycled: '445847', taoStaked: '35045619000000', taoUnstaked: '38021593000000', taoMinerSales: '3939490000000',
      taoStakeFees: '38000000000', taoUnstakeFees: '754999999', taoRegistrationBurns: '9197000000', taoOnRoot: '1999999999998932',
    },
    alpha: { emitted: '434249999999999', injected: '40034045000000', recycled: '0', registrationBurned: '833560000000', rootClaimable: '13673535000000', burned: '0', undistributed: '10746099' },
    subnets: [{
      netuid: 1, uids: 4, series: { price: [0.1, 0.1], emissionShare: [1, 1] },
      final: { price: 0.1, emissionShare: 1, taoReserve: '54348999999999', alphaReserve: '617492500000000', minersAlpha: '2804499999999', validatorsAlpha: '3074099999999' },
    }],
    strategies: { honest: { validators: 3, dividendsAlpha: '125273450000000', dividendsTao: 2824.46, yieldPerDay: 0.00161, totalYieldPerDay: 0.00161, relativeYield: 1.068 } },
    detail: [],
  } as unknown as NetworkReport;

  it('the summary: staked on root 1,999,999.999998932 TAO prints 2,000,000, issuance at end 10,803,600.000, worth TAO 2,824.5', () => {
    const text = formatSummary(report, 0);
    const row = (label: string) => text.split('\n').find((l) => l.startsWith(label))!.slice(label.length).trim();
    expect(row('staked on root')).toBe('2,000,000');
    expect(row('issuance at end')).toBe('10,803,600.000');
    expect(row('emitted to participants')).toBe('434,250.000');
    expect(row('swap fees to block authors')).toBe('38.755');
    expect(row('  recycled')).toBe('0.000445847');
    expect(row('minted, paid to nobody')).toBe('0.010746099');
    expect(row('1 ').split(/\s+/).slice(-4)).toEqual(['54,349', '617,493', '2,804.5', '3,074.1']);
    expect(row('honest').split(/\s+/).slice(1, 3)).toEqual(['125,273.5', '2,824.5']);
  });

  it('the chart page: its totals table prints the same rounded amounts (issuance end 10,803,600.000 TAO, TAO emitted 3,600.000)', () => {
    const html = renderChartHtml(report);
    expect(html).toContain('<tr><th>issuance end</th><td>10,803,600.000 TAO</td></tr>');
    expect(html).toContain('<tr><th>TAO emitted</th><td>3,600.000</td></tr>');
  });
});
