import { describe, expect, it } from '@jest/globals';
import type { CaseStatisticsRow } from '@cityops/contracts';
import type { Translate } from '../i18n';
import {
  DEFAULT_STATS,
  decodeStatsQuery,
  encodeStatsQuery,
  formatDuration,
  formatRate,
  formatRating,
  nextSort,
  sortStatsRows,
  statisticsCsv,
  statsRange,
  statsTotals,
} from './case-statistics';

const row = (key: string, patch: Partial<CaseStatisticsRow> = {}): CaseStatisticsRow => ({
  key,
  name: key,
  nameEn: null,
  filed: 0,
  open: 0,
  closed: 0,
  acceptOnTimeRate: null,
  resolveOnTimeRate: null,
  meanHoursToClose: null,
  meanRating: null,
  ratings: 0,
  enterpriseRequests: 0,
  promiseKeptRate: null,
  acceptOnTime: 0,
  acceptLate: 0,
  resolveOnTime: 0,
  resolveLate: 0,
  promiseKept: 0,
  promiseMissed: 0,
  ...patch,
});

/** The message key and its parameters, so a test reads which words were chosen without a dictionary. */
const t: Translate = (key, params) => (params ? `${key}${JSON.stringify(params)}` : key);

describe('the statistics view’s query in the URL', () => {
  it('reads the grouping, a preset and a custom window, and writes them back only on the statistics view', () => {
    expect(decodeStatsQuery('?view=stats&by=street&period=7d')).toEqual({ by: 'street', period: '7d', from: '', to: '' });
    const custom = decodeStatsQuery('?view=stats&by=department&period=custom&from=2026-11-01&to=2026-11-15&lang=en');
    expect(custom).toEqual({ by: 'department', period: 'custom', from: '2026-11-01', to: '2026-11-15' });
    expect(encodeStatsQuery(custom, true, '?view=stats&lang=en')).toBe(
      '?view=stats&lang=en&by=department&period=custom&from=2026-11-01&to=2026-11-15',
    );
    // Another view drops them (the list of a row is a link to the list); the defaults are left out.
    expect(encodeStatsQuery(custom, false, '?by=department&period=custom&from=2026-11-01&area=440106')).toBe('?area=440106');
    expect(encodeStatsQuery(DEFAULT_STATS, true, '')).toBe('');
  });

  it('falls back on what cannot be right: an unknown grouping or period, an impossible day, days without custom', () => {
    expect(decodeStatsQuery('?by=grid&period=year')).toEqual(DEFAULT_STATS);
    expect(decodeStatsQuery('?period=custom&from=2026-02-30&to=26-3-1')).toEqual({ by: 'district', period: 'custom', from: '', to: '' });
    expect(decodeStatsQuery('?period=7d&from=2026-11-01&to=2026-11-02')).toMatchObject({ from: '', to: '' });
  });
});

describe('the window the API is asked for', () => {
  const now = new Date(2026, 10, 30, 15, 20); // 30 Nov 2026, 15:20 local

  it('runs the presets up to now from midnight, 7 and 30 days back and the first of the month', () => {
    expect(statsRange({ ...DEFAULT_STATS, period: 'today' }, now)).toEqual({ from: new Date(2026, 10, 30), to: now });
    expect(statsRange({ ...DEFAULT_STATS, period: '7d' }, now)).toEqual({ from: new Date(now.getTime() - 7 * 86_400_000), to: now });
    expect(statsRange({ ...DEFAULT_STATS, period: '30d' }, now)).toEqual({ from: new Date(now.getTime() - 30 * 86_400_000), to: now });
    expect(statsRange({ ...DEFAULT_STATS, period: 'month' }, now)).toEqual({ from: new Date(2026, 10, 1), to: now });
  });

  it('takes a custom window’s last day whole, allows one day, and refuses a start after the end or a missing day', () => {
    const custom = (from: string, to: string) => statsRange({ by: 'district', period: 'custom', from, to }, now);
    expect(custom('2026-11-01', '2026-11-15')).toEqual({ from: new Date(2026, 10, 1), to: new Date(2026, 10, 16) });
    expect(custom('2026-11-15', '2026-11-15')).toEqual({ from: new Date(2026, 10, 15), to: new Date(2026, 10, 16) });
    expect(custom('2026-11-16', '2026-11-15')).toEqual({ problem: 'caseStatsFromAfterTo' });
    expect(custom('', '2026-11-15')).toEqual({ problem: 'caseStatsNeedDates' });
  });
});

describe('sorting the table', () => {
  const rows = [
    row('a', { name: '越秀区', nameEn: 'Yuexiu', filed: 5, resolveOnTimeRate: 0.5 }),
    row('b', { name: '天河区', nameEn: 'Tianhe', filed: 9, resolveOnTimeRate: null }),
    row('c', { name: '海珠区', nameEn: 'Haizhu', filed: 5, resolveOnTimeRate: 0.9 }),
  ];
  const keys = (sorted: CaseStatisticsRow[]) => sorted.map((r) => r.key);

  it('orders by a figure either way, ties in the server’s order, rows without the figure last both ways', () => {
    expect(keys(sortStatsRows(rows, { column: 'filed', dir: 'desc' }, 'zh'))).toEqual(['b', 'a', 'c']);
    expect(keys(sortStatsRows(rows, { column: 'filed', dir: 'asc' }, 'zh'))).toEqual(['a', 'c', 'b']);
    expect(keys(sortStatsRows(rows, { column: 'resolveOnTimeRate', dir: 'desc' }, 'zh'))).toEqual(['c', 'a', 'b']);
    expect(keys(sortStatsRows(rows, { column: 'resolveOnTimeRate', dir: 'asc' }, 'zh'))).toEqual(['a', 'c', 'b']);
  });

  it('orders names in the page’s language (pinyin for Chinese)', () => {
    expect(keys(sortStatsRows(rows, { column: 'name', dir: 'asc' }, 'en'))).toEqual(['c', 'b', 'a']);
    // 海 hǎi, 天 tiān, 越 yuè
    expect(keys(sortStatsRows(rows, { column: 'name', dir: 'asc' }, 'zh'))).toEqual(['c', 'b', 'a']);
  });

  it('turns a column around on a second click and starts another with the largest first', () => {
    expect(nextSort({ column: 'filed', dir: 'desc' }, 'filed')).toEqual({ column: 'filed', dir: 'asc' });
    expect(nextSort({ column: 'filed', dir: 'asc' }, 'meanRating')).toEqual({ column: 'meanRating', dir: 'desc' });
    expect(nextSort({ column: 'filed', dir: 'desc' }, 'name')).toEqual({ column: 'name', dir: 'asc' });
  });
});

describe('the totals row', () => {
  it('weights every rate and mean by the counts behind it rather than averaging the rows’ percentages', () => {
    const totals = statsTotals([
      // 1 of 1 on time (100 %) and 1 of 9 (11 %): together 2 of 10, not 55.6 %.
      row('a', {
        filed: 3,
        open: 1,
        closed: 2,
        acceptOnTime: 1,
        acceptLate: 0,
        resolveOnTime: 1,
        resolveLate: 1,
        meanHoursToClose: 10,
        meanRating: 5,
        ratings: 1,
        enterpriseRequests: 2,
        promiseKept: 2,
        promiseMissed: 0,
      }),
      row('b', {
        filed: 12,
        open: 4,
        closed: 6,
        acceptOnTime: 1,
        acceptLate: 8,
        resolveOnTime: 0,
        resolveLate: 0,
        meanHoursToClose: 2,
        meanRating: 3,
        ratings: 3,
        enterpriseRequests: 0,
      }),
      // Nothing closed or rated here: it weighs nothing in those means.
      row('c', { filed: 1, open: 1 }),
    ]);
    expect(totals).toMatchObject({ filed: 16, open: 6, closed: 8, ratings: 4, enterpriseRequests: 2 });
    expect(totals.acceptOnTimeRate).toBeCloseTo(2 / 10);
    expect(totals.resolveOnTimeRate).toBeCloseTo(1 / 2);
    expect(totals.meanHoursToClose).toBeCloseTo((10 * 2 + 2 * 6) / 8);
    expect(totals.meanRating).toBeCloseTo((5 + 3 * 3) / 4);
    expect(totals.promiseKeptRate).toBe(1);
  });

  it('leaves a rate with nothing decided empty, not 0 %', () => {
    expect(statsTotals([row('a', { filed: 2, open: 2 })])).toMatchObject({
      acceptOnTimeRate: null,
      resolveOnTimeRate: null,
      meanHoursToClose: null,
      meanRating: null,
      promiseKeptRate: null,
    });
    expect(statsTotals([])).toMatchObject({ filed: 0, acceptOnTimeRate: null });
  });
});

describe('figures as words', () => {
  it('shows rates with one decimal and nothing decided as a dash', () => {
    expect(formatRate(null)).toBe('—');
    expect(formatRate(0)).toBe('0%');
    expect(formatRate(1)).toBe('100%');
    expect(formatRate(1 / 3)).toBe('33.3%');
  });

  it('shows time to close in minutes, hours or days by its size', () => {
    expect(formatDuration(null, t)).toBe('—');
    expect(formatDuration(0.25, t)).toBe('caseStatsMinutes{"n":15}');
    expect(formatDuration(5.26, t)).toBe('caseStatsHours{"n":"5.3"}');
    expect(formatDuration(47.9, t)).toBe('caseStatsHours{"n":"47.9"}');
    expect(formatDuration(72, t)).toBe('caseStatsDays{"n":"3"}');
  });

  it('shows the mean rating with how many ratings it stands on', () => {
    expect(formatRating(null, 0, t)).toBe('—');
    expect(formatRating(4.25, 8, t)).toBe('caseStatsRating{"mean":"4.3","n":8}');
  });
});

describe('the CSV export', () => {
  it('starts with a BOM, writes rates in percent and empty cells for no figure, and ends with the totals', () => {
    const csv = statisticsCsv(
      [
        row('440106', {
          name: '天河区',
          filed: 3,
          closed: 1,
          acceptOnTime: 1,
          acceptLate: 2,
          acceptOnTimeRate: 1 / 3,
          meanHoursToClose: 5.25,
        }),
        row('', { name: '', filed: 1, open: 1 }),
      ],
      'district',
      t,
      'zh',
    );
    expect(csv.startsWith('\uFEFF')).toBe(true);
    const lines = csv.slice(1).trimEnd().split('\r\n');
    expect(lines).toHaveLength(4);
    expect(lines[0].split(',')[1]).toBe('caseStatsByDistrict');
    expect(lines[1]).toBe('440106,天河区,3,0,1,33.3,,5.3,,0,0,');
    expect(lines[2]).toBe(',caseStatsUndispatched,1,1,0,,,,,0,0,');
    expect(lines[3]).toBe(',caseStatsTotal,4,1,1,33.3,,5.3,,0,0,');
  });
});
