import type { DepartmentView, FeedDefinition, FeedHealthView } from '@cityops/contracts';
import type { ApiError } from '../api/client';
import { formatNumber } from '../format';
import { useI18n } from '../i18n';
import { ProblemMessage } from '../ProblemMessage';
import { useNow } from '../useNow';
import { HealthBadge } from './HealthBadge';
import { departmentName, feedName, kindLabel, themeLabel, type HealthShown } from './labels';
import { RelativeTime } from './RelativeTime';
import type { CatalogSelection } from './selection';
import type { Resource } from './useResource';

export interface FeedListProps {
  feeds: Resource<FeedDefinition[]>;
  /** The feeds that pass the filters. */
  visible: FeedDefinition[];
  departmentsByCode: Map<string, DepartmentView>;
  healthByKey: Map<string, FeedHealthView>;
  /** A health list arrived (so a feed without an entry is unknown to the health job, not loading). */
  healthLoaded: boolean;
  healthError: ApiError | null;
  selection: CatalogSelection;
  onChange: (patch: Partial<CatalogSelection>) => void;
}

/** Middle column: search box and the filtered feeds with their live health. */
export function FeedList(props: FeedListProps) {
  const { feeds, visible, departmentsByCode, healthByKey, healthLoaded, healthError, selection, onChange } = props;
  const { t, lang } = useI18n();
  // One clock for every "3 秒前" in the list.
  const now = useNow(1000);

  return (
    <section className="catalog-list" aria-labelledby="catalog-feeds-title">
      <div className="section-head">
        <h2 id="catalog-feeds-title" className="section-title">
          {t('feedsTitle')}
        </h2>
        {feeds.data ? <span className="section-subtitle">{t('feedsCount', { n: visible.length })}</span> : null}
        <label className="search">
          <span className="visually-hidden">{t('searchLabel')}</span>
          <input
            type="search"
            value={selection.query}
            placeholder={t('searchPlaceholder')}
            aria-label={t('searchLabel')}
            onChange={(e) => onChange({ query: e.target.value })}
          />
        </label>
      </div>

      {feeds.error ? (
        <div className="section-problem">
          <ProblemMessage error={feeds.error} />
          <button type="button" className="quiet-button" onClick={feeds.reload}>
            {t('retry')}
          </button>
        </div>
      ) : null}
      <ProblemMessage error={healthError} />

      {feeds.data === null ? (
        feeds.loading ? (
          <p className="dim">{t('loading')}</p>
        ) : null
      ) : visible.length === 0 ? (
        <p className="empty" data-testid="catalog-feeds-empty">
          {feeds.data.length === 0 ? t('emptyData') : t('feedsEmpty')}
        </p>
      ) : (
        <div className="table-scroll">
          <table className="data-table feed-table">
            <thead>
              <tr>
                <th>{t('colName')}</th>
                <th>{t('colDepartment')}</th>
                <th>{t('colThemeKind')}</th>
                <th>{t('colHealth')}</th>
                <th className="num">{t('colRate')}</th>
                <th>{t('colLastRecord')}</th>
              </tr>
            </thead>
            <tbody>
              {visible.map((feed) => {
                const health = healthByKey.get(feed.key);
                const status: HealthShown = health?.status ?? 'unknown';
                const department = feed.departmentCode ? departmentsByCode.get(feed.departmentCode) : undefined;
                const selected = selection.feed === feed.key;
                const select = () => onChange({ feed: selected ? null : feed.key });
                return (
                  <tr
                    key={feed.key}
                    className={selected ? 'selected' : undefined}
                    data-testid="catalog-feed-row"
                    data-key={feed.key}
                    data-status={status}
                    aria-selected={selected}
                    onClick={select}
                  >
                    <td>
                      {/* The button makes the row reachable by keyboard; the row click is for the mouse. */}
                      <button
                        type="button"
                        className="row-button"
                        onClick={(e) => {
                          e.stopPropagation();
                          select();
                        }}
                      >
                        {feedName(feed, lang)}
                      </button>
                      <span className="feed-key">{feed.key}</span>
                    </td>
                    <td>{department ? departmentName(department, lang) : (feed.departmentCode ?? '—')}</td>
                    <td>
                      {themeLabel(t, feed.theme)}
                      <span className="cell-sub">{kindLabel(t, feed.kind)}</span>
                    </td>
                    <td>
                      <HealthBadge status={status} />
                    </td>
                    <td className="num">{health ? formatNumber(health.recordsPerMinute, lang) : '—'}</td>
                    <td className="nowrap">{health ? <RelativeTime value={health.lastRecordAt} now={now} /> : healthLoaded ? '—' : ''}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
