import { useMemo, useState, type FormEvent } from 'react';
import type { CaseStatistics, CaseStatisticsRow } from '@cityops/contracts';
import { fetchCaseStatistics } from '../api/cases-api';
import { LoadState } from '../catalog/DetailSection';
import { useResource } from '../catalog/useResource';
import { formErrors } from '../forms/form-errors';
import { FieldMessages } from '../forms/FormMessages';
import { useI18n, type Lang, type MessageKey, type Translate } from '../i18n';
import {
  dayText,
  DEFAULT_STATS_SORT,
  formatDuration,
  formatRate,
  formatRating,
  nextSort,
  sortStatsRows,
  STATS_BY_LABELS,
  STATS_COLUMNS,
  STATS_GROUPINGS,
  STATS_PERIODS,
  statisticsCsv,
  statsRange,
  statsRowName,
  statsTotals,
  type StatsBy,
  type StatsColumn,
  type StatsPeriod,
  type StatsSort,
  type StatsUrlState,
} from './case-statistics';
import { CaseStatsChart } from './CaseStatsChart';

/** Bars beyond this many crowd the chart into unreadable names; the table holds every row. */
const CHART_ROWS = 20;

const PERIOD_LABELS: Record<StatsPeriod, MessageKey> = {
  today: 'caseStatsToday',
  '7d': 'caseStats7d',
  '30d': 'caseStats30d',
  month: 'caseStatsMonth',
  custom: 'caseStatsCustom',
};

const COLUMN_LABELS: Record<Exclude<StatsColumn, 'name'>, MessageKey> = {
  filed: 'caseStatsColFiled',
  open: 'caseStatsColOpen',
  closed: 'caseStatsColClosed',
  acceptOnTimeRate: 'caseStatsColAccept',
  resolveOnTimeRate: 'caseStatsColResolve',
  meanHoursToClose: 'caseStatsColHours',
  meanRating: 'caseStatsColRating',
  enterpriseRequests: 'caseStatsColEnterprise',
  promiseKeptRate: 'caseStatsColPromise',
};

const DATE_FIELDS = ['from', 'to'] as const;

type Figures = Omit<CaseStatisticsRow, 'key' | 'name' | 'nameEn'>;

function download(name: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/csv;charset=utf-8' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

function rowName(row: CaseStatisticsRow, t: Translate, lang: Lang): string {
  return row.key === '' ? t('caseStatsUndispatched') : statsRowName(row, lang);
}

function when(iso: string, lang: Lang): string {
  return new Date(iso).toLocaleString(lang === 'en' ? 'en-GB' : 'zh-CN', { dateStyle: 'medium', timeStyle: 'short' });
}

interface CaseStatisticsViewProps {
  stats: StatsUrlState;
  onChange: (stats: StatsUrlState) => void;
  /** A row clicked: the list of its cases (an area code or a department code). */
  onOpenList: (filter: { area: string } | { department: string }) => void;
  /** The href of that list, for the link a middle click or a new tab follows. */
  listHref: (filter: { area: string } | { department: string }) => string;
}

/**
 * The statistics view of `/cases`: the loop's numbers per district, street or department for a
 * period, as a sortable table with weighted totals, a chart and a CSV export. Each row leads to
 * the list of its cases.
 */
export function CaseStatisticsView({ stats, onChange, onOpenList, listHref }: CaseStatisticsViewProps) {
  const { t, lang } = useI18n();
  const [sort, setSort] = useState<StatsSort>(DEFAULT_STATS_SORT);
  const [draft, setDraft] = useState({ from: stats.from, to: stats.to });
  const [exported, setExported] = useState<number | null>(null);

  // Worked out at each load (a preset ends now), so the key names the query rather than its instants.
  const range = statsRange(stats, new Date());
  const key = 'problem' in range ? null : `case-statistics:${stats.by}:${stats.period}:${stats.from}:${stats.to}`;
  const resource = useResource<CaseStatistics>(key, (signal) => {
    const window = statsRange(stats, new Date());
    if ('problem' in window) return Promise.reject(new Error(window.problem));
    return fetchCaseStatistics(stats.by, window.from, window.to, signal);
  });
  const data = resource.data;
  const rows = useMemo(() => (data ? sortStatsRows(data.rows, sort, lang) : []), [data, sort, lang]);
  const totals = useMemo(() => statsTotals(data?.rows ?? []), [data]);
  const refused = resource.error?.status === 400 ? formErrors(resource.error, DATE_FIELDS, t) : null;
  const rangeProblem = 'problem' in range ? range.problem : null;
  const chart = useMemo(() => {
    const first = rows.slice(0, CHART_ROWS);
    return {
      names: first.map((r) => rowName(r, t, lang)),
      open: first.map((r) => r.open),
      closed: first.map((r) => r.closed),
      onTime: first.map((r) => r.resolveOnTimeRate),
      labels: { open: t('caseStatsColOpen'), closed: t('caseStatsColClosed'), onTime: t('caseStatsColResolve') },
    };
  }, [rows, t, lang]);
  // A window chosen elsewhere (the back button, a shared link) replaces what was being typed.
  const [shownWindow, setShownWindow] = useState(`${stats.from}/${stats.to}`);
  if (shownWindow !== `${stats.from}/${stats.to}`) {
    setShownWindow(`${stats.from}/${stats.to}`);
    setDraft({ from: stats.from, to: stats.to });
  }

  const nameOf = (row: CaseStatisticsRow) => rowName(row, t, lang);
  const filterOf = (row: CaseStatisticsRow): { area: string } | { department: string } | null =>
    row.key === '' ? null : stats.by === 'department' ? { department: row.key } : { area: row.key };

  const choosePeriod = (period: StatsPeriod) => {
    if (period === 'custom') {
      // The custom window starts as the one shown, so that it can be moved a day rather than typed anew.
      const from = draft.from || (data ? dayText(new Date(data.from)) : '');
      const to = draft.to || (data ? dayText(new Date(data.to)) : '');
      setDraft({ from, to });
      onChange({ ...stats, period, from, to });
    } else onChange({ ...stats, period, from: '', to: '' });
  };
  const applyCustom = (event: FormEvent) => {
    event.preventDefault();
    onChange({ ...stats, period: 'custom', from: draft.from, to: draft.to });
  };
  const exportCsv = () => {
    if (!data) return;
    const stamp = `${data.from.slice(0, 10)}_${data.to.slice(0, 10)}`;
    download(`cityops-case-statistics-${stats.by}-${stamp}.csv`, statisticsCsv(rows, stats.by, t, lang));
    setExported(rows.length);
  };

  const figures = (r: Figures) => ({
    filed: String(r.filed),
    open: String(r.open),
    closed: String(r.closed),
    acceptOnTimeRate: formatRate(r.acceptOnTimeRate),
    resolveOnTimeRate: formatRate(r.resolveOnTimeRate),
    meanHoursToClose: formatDuration(r.meanHoursToClose, t),
    meanRating: formatRating(r.meanRating, r.ratings, t),
    enterpriseRequests: String(r.enterpriseRequests),
    promiseKeptRate: formatRate(r.promiseKeptRate),
  });
  const numberColumns = STATS_COLUMNS.filter((c): c is Exclude<StatsColumn, 'name'> => c !== 'name');
  const header = (column: StatsColumn) => (column === 'name' ? t(STATS_BY_LABELS[stats.by]) : t(COLUMN_LABELS[column]));

  return (
    <section className="case-stats" data-testid="case-stats" data-by={stats.by} data-from={data?.from ?? ''} data-to={data?.to ?? ''}>
      <form className="case-stats-controls" onSubmit={applyCustom} noValidate>
        <div className="case-filter" role="group" aria-label={t('caseStatsBy')}>
          <span className="case-filter-label">{t('caseStatsBy')}</span>
          {STATS_GROUPINGS.map((by: StatsBy) => (
            <button
              key={by}
              type="button"
              className={`case-chip${stats.by === by ? ' case-chip--on' : ''}`}
              aria-pressed={stats.by === by}
              data-by={by}
              onClick={() => onChange({ ...stats, by })}
            >
              {t(STATS_BY_LABELS[by])}
            </button>
          ))}
        </div>
        <div className="case-filter" role="group" aria-label={t('caseStatsPeriod')}>
          <span className="case-filter-label">{t('caseStatsPeriod')}</span>
          {STATS_PERIODS.map((period) => (
            <button
              key={period}
              type="button"
              className={`case-chip${stats.period === period ? ' case-chip--on' : ''}`}
              aria-pressed={stats.period === period}
              data-period={period}
              onClick={() => choosePeriod(period)}
            >
              {t(PERIOD_LABELS[period])}
            </button>
          ))}
        </div>
        {stats.period === 'custom' ? (
          <div className="case-filter case-stats-dates">
            <label className="case-filter">
              <span className="case-filter-label">{t('caseStatsFrom')}</span>
              <input
                type="date"
                className="text-input"
                name="from"
                value={draft.from}
                aria-invalid={rangeProblem !== null || Boolean(refused?.byField.from)}
                onChange={(e) => setDraft({ ...draft, from: e.target.value })}
                data-testid="case-stats-from"
              />
            </label>
            <label className="case-filter">
              <span className="case-filter-label">{t('caseStatsTo')}</span>
              <input
                type="date"
                className="text-input"
                name="to"
                value={draft.to}
                aria-invalid={rangeProblem !== null || Boolean(refused?.byField.to)}
                onChange={(e) => setDraft({ ...draft, to: e.target.value })}
                data-testid="case-stats-to"
              />
            </label>
            <button type="submit" className="quiet-button quiet-button--accent" data-testid="case-stats-apply">
              {t('caseStatsApply')}
            </button>
          </div>
        ) : null}
      </form>
      {rangeProblem ? (
        <p className="field-errors case-stats-problem" role="alert" data-testid="case-stats-problem">
          {t(rangeProblem)}
        </p>
      ) : null}
      {refused ? (
        <div className="case-stats-problem" data-testid="case-stats-refused">
          <FieldMessages messages={[...(refused.byField.from ?? []), ...(refused.byField.to ?? []), ...refused.general]} />
        </div>
      ) : null}

      {rangeProblem ? null : (
        <>
          <div className="section-head">
            <span className="section-subtitle" data-testid="case-stats-window">
              {data ? t('caseStatsWindow', { from: when(data.from, lang), to: when(data.to, lang) }) : null}
            </span>
            <div className="section-actions">
              {exported !== null ? (
                <span className="dim small" role="status" data-testid="case-stats-exported">
                  {t('caseStatsExported', { n: exported })}
                </span>
              ) : null}
              <button
                type="button"
                className="quiet-button"
                onClick={exportCsv}
                disabled={!data || rows.length === 0}
                data-testid="case-stats-export"
              >
                {t('caseStatsExportCsv')}
              </button>
              <button type="button" className="quiet-button" onClick={resource.reload} disabled={resource.loading}>
                {t('refresh')}
              </button>
            </div>
          </div>
          {refused ? null : (
            <LoadState loading={resource.loading || !data} error={resource.error} empty={!data} onRetry={resource.reload} />
          )}
          {data && rows.length === 0 ? (
            <p className="dim" data-testid="case-stats-none">
              {t('caseStatsNone')}
            </p>
          ) : null}
          {data && rows.length > 0 ? (
            <div className="case-stats-body" data-testid="case-stats-ready" data-loading={resource.loading ? 'true' : 'false'}>
              <div className="case-stats-table-wrap">
                <table className="case-table case-stats-table" data-testid="case-stats-table">
                  <thead>
                    <tr>
                      {STATS_COLUMNS.map((column) => {
                        const on = sort.column === column;
                        return (
                          <th
                            key={column}
                            scope="col"
                            aria-sort={on ? (sort.dir === 'asc' ? 'ascending' : 'descending') : 'none'}
                            className={column === 'name' ? undefined : 'case-stats-num'}
                          >
                            <button
                              type="button"
                              className="case-stats-sort"
                              data-column={column}
                              onClick={() => setSort(nextSort(sort, column))}
                              title={t('caseStatsSortBy', { column: header(column) })}
                            >
                              {header(column)}
                              <span className="case-stats-arrow" aria-hidden="true">
                                {on ? (sort.dir === 'asc' ? '▲' : '▼') : '↕'}
                              </span>
                            </button>
                          </th>
                        );
                      })}
                    </tr>
                  </thead>
                  <tbody>
                    {rows.map((row) => {
                      const filter = filterOf(row);
                      const shown = figures(row);
                      return (
                        <tr
                          key={row.key}
                          className={filter ? 'case-row' : undefined}
                          data-testid="case-stats-row"
                          data-key={row.key}
                          onClick={filter ? () => onOpenList(filter) : undefined}
                        >
                          <td data-col="name">
                            {filter ? (
                              <a
                                href={listHref(filter)}
                                title={t('caseStatsOpenList', { name: nameOf(row) })}
                                onClick={(event) => {
                                  // The row leads there; a middle click or a new tab still gets the link.
                                  if (event.button === 0 && !event.metaKey && !event.ctrlKey) {
                                    event.preventDefault();
                                    event.stopPropagation();
                                    onOpenList(filter);
                                  }
                                }}
                              >
                                {nameOf(row)}
                              </a>
                            ) : (
                              nameOf(row)
                            )}
                          </td>
                          {numberColumns.map((column) => (
                            <td key={column} className="case-stats-num" data-col={column}>
                              {shown[column]}
                            </td>
                          ))}
                        </tr>
                      );
                    })}
                  </tbody>
                  <tfoot>
                    <tr data-testid="case-stats-total">
                      <th scope="row" data-col="name">
                        {t('caseStatsTotal')}
                      </th>
                      {numberColumns.map((column) => (
                        <td key={column} className="case-stats-num" data-col={column}>
                          {figures(totals)[column]}
                        </td>
                      ))}
                    </tr>
                  </tfoot>
                </table>
              </div>
              <figure className="case-stats-figure">
                <figcaption className="dim small">
                  {t('caseStatsChart')}
                  {rows.length > CHART_ROWS ? ` · ${t('caseStatsChartFirst', { n: CHART_ROWS })}` : null}
                </figcaption>
                <CaseStatsChart {...chart} />
              </figure>
              <p className="dim small">{t('caseStatsPromiseHint')}</p>
            </div>
          ) : null}
        </>
      )}
    </section>
  );
}
