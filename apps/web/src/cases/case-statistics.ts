import type { CaseStatisticsRow } from '@cityops/contracts';
import { csvCell } from '../analyst/export-features';
import type { Lang, MessageKey, Translate } from '../i18n';

export const STATS_GROUPINGS = ['district', 'street', 'department'] as const;
export type StatsBy = (typeof STATS_GROUPINGS)[number];

export const STATS_PERIODS = ['today', '7d', '30d', 'month', 'custom'] as const;
export type StatsPeriod = (typeof STATS_PERIODS)[number];

/** The statistics view's query as the URL says it: days are the reader's calendar days (`YYYY-MM-DD`), `to` included. */
export interface StatsUrlState {
  by: StatsBy;
  period: StatsPeriod;
  /** Only with `custom`; '' when not chosen. */
  from: string;
  to: string;
}

/** The API's own default window (30 days up to now), so a plain `?view=stats` asks what the endpoint would. */
export const DEFAULT_STATS: StatsUrlState = { by: 'district', period: '30d', from: '', to: '' };

/** URL parameters the statistics view owns (the list's filters and `lang` are kept as they are). */
const OWN = ['by', 'period', 'from', 'to'];
const DAY = /^\d{4}-\d{2}-\d{2}$/;
const DAY_MS = 86_400_000;

function oneOf<T extends string>(values: readonly T[], value: string | null): T | null {
  return value !== null && (values as readonly string[]).includes(value) ? (value as T) : null;
}

/** Midnight of a calendar day in the reader's zone, or null for what is not a real day (`2026-02-30`). */
export function localDay(text: string): Date | null {
  if (!DAY.test(text)) return null;
  const [y, m, d] = text.split('-').map(Number);
  const date = new Date(y, m - 1, d);
  return date.getFullYear() === y && date.getMonth() === m - 1 && date.getDate() === d ? date : null;
}

/** A date as `YYYY-MM-DD` in the reader's zone (what `<input type="date">` holds). */
export function dayText(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/** Reads the view's query; an unknown grouping or period falls back to the default, a malformed day to none. */
export function decodeStatsQuery(search: string): StatsUrlState {
  const params = new URLSearchParams(search);
  const day = (name: string) => {
    const text = (params.get(name) ?? '').trim();
    return localDay(text) ? text : '';
  };
  const period = oneOf(STATS_PERIODS, params.get('period')) ?? DEFAULT_STATS.period;
  return {
    by: oneOf(STATS_GROUPINGS, params.get('by')) ?? DEFAULT_STATS.by,
    period,
    from: period === 'custom' ? day('from') : '',
    to: period === 'custom' ? day('to') : '',
  };
}

/**
 * Writes the view's query into `current` (its other parameters kept). Only the statistics view
 * carries it: a list reached from a row of the table is a link to the list, not to both.
 */
export function encodeStatsQuery(state: StatsUrlState, onStats: boolean, current = ''): string {
  const params = new URLSearchParams(current);
  for (const name of OWN) params.delete(name);
  if (onStats) {
    if (state.by !== DEFAULT_STATS.by) params.set('by', state.by);
    if (state.period !== DEFAULT_STATS.period) params.set('period', state.period);
    if (state.period === 'custom') {
      if (state.from) params.set('from', state.from);
      if (state.to) params.set('to', state.to);
    }
  }
  const qs = params.toString();
  return qs ? `?${qs}` : '';
}

export type StatsRange = { from: Date; to: Date } | { problem: 'caseStatsNeedDates' | 'caseStatsFromAfterTo' };

/**
 * The window the API is asked for. Presets end now; a custom window runs from the start of its
 * first day to the end of its last (both days included), so one day is a valid window.
 */
export function statsRange(state: StatsUrlState, now: Date): StatsRange {
  switch (state.period) {
    case 'today':
      return { from: new Date(now.getFullYear(), now.getMonth(), now.getDate()), to: now };
    case '7d':
      return { from: new Date(now.getTime() - 7 * DAY_MS), to: now };
    case '30d':
      return { from: new Date(now.getTime() - 30 * DAY_MS), to: now };
    case 'month':
      return { from: new Date(now.getFullYear(), now.getMonth(), 1), to: now };
    case 'custom': {
      const from = localDay(state.from);
      const last = localDay(state.to);
      if (!from || !last) return { problem: 'caseStatsNeedDates' };
      // The next midnight by the calendar, not +24 h: a day of a zone's clock change is not 24 hours long.
      const to = new Date(last.getFullYear(), last.getMonth(), last.getDate() + 1);
      return from < to ? { from, to } : { problem: 'caseStatsFromAfterTo' };
    }
  }
}

// ---- the table ----

export const STATS_COLUMNS = [
  'name',
  'filed',
  'open',
  'closed',
  'acceptOnTimeRate',
  'resolveOnTimeRate',
  'meanHoursToClose',
  'meanRating',
  'enterpriseRequests',
  'promiseKeptRate',
] as const;
export type StatsColumn = (typeof STATS_COLUMNS)[number];

export interface StatsSort {
  column: StatsColumn;
  dir: 'asc' | 'desc';
}

export const DEFAULT_STATS_SORT: StatsSort = { column: 'filed', dir: 'desc' };

/** A row's name in the page's language. */
export function statsRowName(row: Pick<CaseStatisticsRow, 'name' | 'nameEn'>, lang: Lang): string {
  return lang === 'en' ? (row.nameEn ?? row.name) : row.name;
}

/** A header clicked: the same column turns around; another starts with the largest (names: A first). */
export function nextSort(sort: StatsSort, column: StatsColumn): StatsSort {
  if (sort.column === column) return { column, dir: sort.dir === 'asc' ? 'desc' : 'asc' };
  return { column, dir: column === 'name' ? 'asc' : 'desc' };
}

/**
 * The rows in the order asked for. Rows without a figure (a rate with nothing decided) come last
 * either way: they are not the best nor the worst. Ties keep the server's order (by key).
 */
export function sortStatsRows(rows: readonly CaseStatisticsRow[], sort: StatsSort, lang: Lang): CaseStatisticsRow[] {
  const sign = sort.dir === 'asc' ? 1 : -1;
  const collator = new Intl.Collator(lang === 'en' ? 'en' : 'zh-CN');
  return rows
    .map((row, index) => ({ row, index }))
    .sort((a, b) => {
      if (sort.column === 'name') {
        return sign * collator.compare(statsRowName(a.row, lang), statsRowName(b.row, lang)) || a.index - b.index;
      }
      const x = a.row[sort.column];
      const y = b.row[sort.column];
      if (x === null || y === null) return x === y ? a.index - b.index : x === null ? 1 : -1;
      return sign * (x - y) || a.index - b.index;
    })
    .map((entry) => entry.row);
}

const ratio = (part: number, whole: number): number | null => (whole > 0 ? part / whole : null);

/** The figures of the rows together: sums, and every rate and mean weighted by the counts it stands on. */
export function statsTotals(rows: readonly CaseStatisticsRow[]): Omit<CaseStatisticsRow, 'key' | 'name' | 'nameEn'> {
  const sum = (pick: (row: CaseStatisticsRow) => number) => rows.reduce((n, row) => n + pick(row), 0);
  const acceptOnTime = sum((r) => r.acceptOnTime);
  const acceptLate = sum((r) => r.acceptLate);
  const resolveOnTime = sum((r) => r.resolveOnTime);
  const resolveLate = sum((r) => r.resolveLate);
  const promiseKept = sum((r) => r.promiseKept);
  const promiseMissed = sum((r) => r.promiseMissed);
  // A mean counts as often as the cases it was taken over; rows without one weigh nothing.
  const timed = rows.filter((r) => r.meanHoursToClose !== null);
  const rated = rows.filter((r) => r.meanRating !== null);
  const ratings = sum((r) => r.ratings);
  return {
    filed: sum((r) => r.filed),
    open: sum((r) => r.open),
    closed: sum((r) => r.closed),
    acceptOnTimeRate: ratio(acceptOnTime, acceptOnTime + acceptLate),
    resolveOnTimeRate: ratio(resolveOnTime, resolveOnTime + resolveLate),
    meanHoursToClose: ratio(
      timed.reduce((n, r) => n + (r.meanHoursToClose ?? 0) * r.closed, 0),
      timed.reduce((n, r) => n + r.closed, 0),
    ),
    meanRating: ratio(
      rated.reduce((n, r) => n + (r.meanRating ?? 0) * r.ratings, 0),
      rated.reduce((n, r) => n + r.ratings, 0),
    ),
    ratings,
    enterpriseRequests: sum((r) => r.enterpriseRequests),
    promiseKeptRate: ratio(promiseKept, promiseKept + promiseMissed),
    acceptOnTime,
    acceptLate,
    resolveOnTime,
    resolveLate,
    promiseKept,
    promiseMissed,
  };
}

// ---- figures as words ----

/** A figure rounded to `digits` decimals, without a trailing `.0`. */
function rounded(value: number, digits: number): string {
  return String(Number(value.toFixed(digits)));
}

/** A share as a percentage with one decimal; nothing decided is "—", not 0 %. */
export function formatRate(rate: number | null): string {
  return rate === null ? '—' : `${rounded(rate * 100, 1)}%`;
}

/** Hours to close as a reader counts them: minutes under an hour, hours under two days, then days. */
export function formatDuration(hours: number | null, t: Translate): string {
  if (hours === null) return '—';
  if (hours < 1) return t('caseStatsMinutes', { n: Math.max(1, Math.round(hours * 60)) });
  if (hours < 48) return t('caseStatsHours', { n: rounded(hours, 1) });
  return t('caseStatsDays', { n: rounded(hours / 24, 1) });
}

export function formatRating(mean: number | null, ratings: number, t: Translate): string {
  return mean === null ? '—' : t('caseStatsRating', { mean: mean.toFixed(1), n: ratings });
}

export const STATS_BY_LABELS: Record<StatsBy, MessageKey> = {
  district: 'caseStatsByDistrict',
  street: 'caseStatsByStreet',
  department: 'caseStatsByDepartment',
};

// ---- export ----

const percent = (rate: number | null) => (rate === null ? null : Number((rate * 100).toFixed(1)));

/**
 * The table as CSV for a spreadsheet: headers in the page's language, figures as numbers (rates in
 * percent, hours to close in hours), empty where there is no figure, the totals last. A BOM first,
 * or Excel reads the UTF-8 Chinese as its local code page.
 */
export function statisticsCsv(rows: readonly CaseStatisticsRow[], by: StatsBy, t: Translate, lang: Lang): string {
  const header = [
    t('caseStatsColCode'),
    t(STATS_BY_LABELS[by]),
    t('caseStatsColFiled'),
    t('caseStatsColOpen'),
    t('caseStatsColClosed'),
    `${t('caseStatsColAccept')} (%)`,
    `${t('caseStatsColResolve')} (%)`,
    t('caseStatsColHoursCsv'),
    t('caseStatsColRating'),
    t('caseStatsColRatings'),
    t('caseStatsColEnterprise'),
    `${t('caseStatsColPromise')} (%)`,
  ];
  const line = (code: string, name: string, r: Omit<CaseStatisticsRow, 'key' | 'name' | 'nameEn'>) =>
    [
      code,
      name,
      r.filed,
      r.open,
      r.closed,
      percent(r.acceptOnTimeRate),
      percent(r.resolveOnTimeRate),
      r.meanHoursToClose === null ? null : Number(r.meanHoursToClose.toFixed(1)),
      r.meanRating === null ? null : Number(r.meanRating.toFixed(2)),
      r.ratings,
      r.enterpriseRequests,
      percent(r.promiseKeptRate),
    ]
      .map(csvCell)
      .join(',');
  const body = rows.map((r) => line(r.key, r.key === '' ? t('caseStatsUndispatched') : statsRowName(r, lang), r));
  return `\uFEFF${[header.map(csvCell).join(','), ...body, line('', t('caseStatsTotal'), statsTotals(rows))].join('\r\n')}\r\n`;
}
