import { useCallback, useEffect, useMemo, useState } from 'react';
import type { SessionUser } from '@cityops/contracts';
import { fetchCaseCategories, fetchCaseDepartments, fetchCases } from '../api/cases-api';
import { LoadState } from '../catalog/DetailSection';
import { useResource } from '../catalog/useResource';
import { useI18n, type MessageKey } from '../i18n';
import { useLiveClient } from '../live/useLiveClient';
import { PageHeader } from '../PageHeader';
import { useNow } from '../useNow';
import { worksCases } from './case-access';
import {
  caseCodeOfPath,
  CASE_VIEWS,
  decodeCasesQuery,
  encodeCasesQuery,
  NO_CASE_FILTERS,
  type CaseFilters,
  type CasesUrlState,
  type CaseView,
} from './case-filters';
import { localized } from './case-labels';
import { decodeStatsQuery, encodeStatsQuery, type StatsUrlState } from './case-statistics';
import { CaseDetailPanel } from './CaseDetailPanel';
import { CaseFiltersBar } from './CaseFiltersBar';
import { CaseBoard, CaseTable } from './CaseList';
import { CaseMap } from './CaseMap';
import { CaseStatisticsView } from './CaseStatisticsView';
import { useCasesLive } from './useCasesLive';

const LIVE_CHANNELS = ['cases'];

const VIEW_LABELS: Record<CaseView, MessageKey> = {
  list: 'caseViewList',
  board: 'caseViewBoard',
  map: 'caseViewMap',
  stats: 'caseViewStats',
};

interface PageLocation {
  url: CasesUrlState;
  /** The case open in the side panel (`/cases/<code>`), or null. */
  code: string | null;
  /** The statistics view's grouping and period (in the URL only on that view; kept here when leaving it). */
  stats: StatsUrlState;
}

function readLocation(): PageLocation {
  const search = window.location.search;
  return { url: decodeCasesQuery(search), code: caseCodeOfPath(window.location.pathname), stats: decodeStatsQuery(search) };
}

/**
 * `/cases`: the cases the person may see, as a list, a board by state or points on the map, with
 * filters and paging in the URL; `/cases/<code>` opens one in the side panel over the same list.
 */
export function CasesPage({ user }: { user: SessionUser | null }) {
  const { t, lang } = useI18n();
  const [location, setLocation] = useState<PageLocation>(readLocation);
  /** The `before` of the pages passed on the way here (Newer goes back through them). */
  const [passed, setPassed] = useState<(string | null)[]>([]);
  // Countdowns move by the minute; a second's precision is not worth a re-render a second.
  const now = useNow(15_000);

  useEffect(() => {
    const onPop = () => setLocation(readLocation());
    window.addEventListener('popstate', onPop);
    return () => window.removeEventListener('popstate', onPop);
  }, []);

  const navigate = useCallback((next: PageLocation, push: boolean) => {
    const kept = encodeStatsQuery(next.stats, next.url.view === 'stats', window.location.search);
    const path = `/cases${next.code ? `/${next.code}` : ''}${encodeCasesQuery(next.url, kept)}`;
    if (push) window.history.pushState(null, '', path);
    else window.history.replaceState(null, '', path);
    setLocation(next);
  }, []);

  const { url, code, stats } = location;
  const onStats = url.view === 'stats';
  const listKey = encodeCasesQuery({ ...url, view: 'list' }) || '?';
  // The statistics view asks its own endpoint: the list is not fetched behind it.
  const cases = useResource(onStats ? null : listKey, (signal) => fetchCases(url.filters, url.before, signal));
  const categories = useResource('case-categories', fetchCaseCategories);
  const departments = useResource('departments', fetchCaseDepartments);
  const items = useMemo(() => cases.data?.items ?? [], [cases.data]);
  const live = useLiveClient(LIVE_CHANNELS);
  /** Bumped when the open case changed elsewhere: its panel reads it again. */
  const [detailVersion, setDetailVersion] = useState(0);
  const codes = useMemo(() => new Set(items.map((c) => c.code)), [items]);
  const reloadList = cases.reload;
  useCasesLive(live, { codes, filters: url.filters, before: url.before, open: code }, (what) => {
    if (what.list) reloadList();
    if (what.detail) setDetailVersion((n) => n + 1);
  });
  const departmentName = useCallback(
    (key: string | null): string | null => {
      const found = key === null ? undefined : departments.data?.find((d) => d.code === key);
      return found ? localized(found.name, found.nameEn, lang) : null;
    },
    [departments.data, lang],
  );

  const setFilters = (filters: CaseFilters) => {
    setPassed([]);
    navigate({ url: { ...url, filters, before: null }, code, stats }, false);
  };
  const setView = (view: CaseView) => navigate({ url: { ...url, view }, code, stats }, false);
  const open = useCallback(
    (next: string) => navigate({ url: location.url, code: next, stats: location.stats }, true),
    [navigate, location.url, location.stats],
  );
  const close = () => navigate({ url, code: null, stats }, true);
  const setStats = (next: StatsUrlState) => navigate({ url, code, stats: next }, false);
  /** A row of the statistics: the list of its cases alone (pushed, so Back returns to the numbers). */
  const listOf = (filter: { area: string } | { department: string }): CasesUrlState => ({
    filters: { ...NO_CASE_FILTERS, ...filter },
    view: 'list',
    before: null,
  });
  const openList = (filter: { area: string } | { department: string }) => {
    setPassed([]);
    navigate({ url: listOf(filter), code: null, stats }, true);
  };
  const listHref = (filter: { area: string } | { department: string }) =>
    `/cases${encodeCasesQuery(listOf(filter), encodeStatsQuery(stats, false, window.location.search))}`;
  const older = () => {
    if (!cases.data?.next) return;
    setPassed((p) => [...p, url.before]);
    navigate({ url: { ...url, before: cases.data.next }, code, stats }, false);
  };
  const newer = () => {
    const before = passed.length ? passed[passed.length - 1] : null;
    setPassed((p) => p.slice(0, -1));
    navigate({ url: { ...url, before }, code, stats }, false);
  };
  const newest = () => {
    setPassed([]);
    navigate({ url: { ...url, before: null }, code, stats }, false);
  };

  return (
    <div className="catalog cases" data-lang={lang} data-view={url.view}>
      <PageHeader title={t('casesTitle')} subtitle={t('casesSubtitle')} link={{ href: '/map', label: t('homeMap') }} user={user} />
      <div className="cases-toolbar">
        {/* The numbers are per area or department, not of the list's filters: the filters leave with the list. */}
        {onStats ? (
          <span />
        ) : (
          <CaseFiltersBar
            key={`${url.filters.q}\u0000${url.filters.area}`}
            filters={url.filters}
            categories={categories.data ?? []}
            departments={departments.data ?? []}
            onChange={setFilters}
          />
        )}
        <div className="case-view-switch" role="tablist" aria-label={t('caseViews')} data-testid="case-view-switch">
          {CASE_VIEWS.map((view) => (
            <button
              key={view}
              type="button"
              role="tab"
              aria-selected={url.view === view}
              className={`case-chip${url.view === view ? ' case-chip--on' : ''}`}
              onClick={() => setView(view)}
              data-view={view}
            >
              {t(VIEW_LABELS[view])}
            </button>
          ))}
        </div>
      </div>
      <div className={`cases-body${code ? ' cases-body--detail' : ''}`}>
        {onStats ? (
          <main className="cases-main admin-panel" data-testid="cases-stats-view">
            <div className="section-head">
              <h2 className="section-title">{t('caseViewStats')}</h2>
            </div>
            <CaseStatisticsView stats={stats} onChange={setStats} onOpenList={openList} listHref={listHref} />
          </main>
        ) : (
          <main className="cases-main admin-panel" data-testid="cases" data-loading={cases.loading || !cases.data ? 'true' : 'false'}>
            <div className="section-head">
              <h2 className="section-title">{t(VIEW_LABELS[url.view])}</h2>
              {cases.data ? (
                <span className="section-subtitle" data-testid="case-count">
                  {t('caseCount', { n: items.length })}
                </span>
              ) : null}
              <div className="section-actions">
                <button type="button" className="quiet-button" onClick={cases.reload} disabled={cases.loading} data-testid="cases-refresh">
                  {t('refresh')}
                </button>
              </div>
            </div>
            <LoadState loading={cases.loading || !cases.data} error={cases.error} empty={!cases.data} onRetry={cases.reload} />
            {cases.data?.items.length === 0 ? (
              <p className="dim" data-testid="case-none">
                {t('caseNone')}
              </p>
            ) : null}
            {url.view === 'map' ? (
              <CaseMap items={items} selected={code} onOpen={open} />
            ) : items.length ? (
              url.view === 'board' ? (
                <CaseBoard items={items} now={now} selected={code} onOpen={open} />
              ) : (
                <CaseTable items={items} departmentName={departmentName} now={now} selected={code} onOpen={open} />
              )
            ) : null}
            {url.before || cases.data?.next ? (
              <nav className="case-pager" data-testid="case-pager">
                <button type="button" className="quiet-button" onClick={newest} disabled={!url.before}>
                  {t('casePageNewest')}
                </button>
                <button type="button" className="quiet-button" onClick={newer} disabled={!url.before}>
                  {t('casePageNewer')}
                </button>
                {/* After a reload on a later page the pages before are not known: no number then. */}
                {url.before && passed.length === 0 ? null : (
                  <span className="dim small">{t('casePageNumber', { n: passed.length + 1 })}</span>
                )}
                <button type="button" className="quiet-button" onClick={older} disabled={!cases.data?.next} data-testid="case-page-older">
                  {t('casePageOlder')}
                </button>
              </nav>
            ) : null}
          </main>
        )}
        {code ? (
          <CaseDetailPanel
            key={code}
            code={code}
            now={now}
            departments={departments.data ?? []}
            categories={categories.data ?? []}
            mayNote={worksCases(user)}
            onClose={close}
            onOpen={open}
            onChanged={cases.reload}
            version={detailVersion}
          />
        ) : null}
      </div>
    </div>
  );
}
