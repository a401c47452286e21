import { useCallback, useEffect, useRef } from 'react';
import type { DepartmentView, FeedDefinition, FeedHealthView, SessionUser } from '@cityops/contracts';
import { fetchFeed, fetchFeedEntities, fetchFeedSample, fetchRejectedRecords } from '../api/catalog-api';
import { formatSpan } from '../format';
import { useI18n } from '../i18n';
import { ProblemMessage } from '../ProblemMessage';
import { ConnectorPanel } from './ConnectorPanel';
import { EntityTable } from './EntityTable';
import { HealthBadge } from './HealthBadge';
import { HealthFigures } from './HealthFigures';
import { departmentName, feedName, kindLabel, themeLabel } from './labels';
import { MetricsTable } from './MetricsTable';
import { canReplay, canSeeRejected } from './permissions';
import { RejectedRecords } from './RejectedRecords';
import { SampleRecords } from './SampleRecords';
import { useResource } from './useResource';

const SAMPLE_LIMIT = 20;
const ENTITY_LIMIT = 100;
const REJECTED_LIMIT = 100;

export interface FeedDetailProps {
  feedKey: string | null;
  /** The definition from the list, shown until the feed's own answer arrives. */
  listed: FeedDefinition | null;
  department: DepartmentView | null;
  health: FeedHealthView | null;
  /** Asks for a fresh health snapshot (the refresh button). */
  onRefreshHealth: () => void;
  user: SessionUser | null;
}

/** Right column: everything about one feed. Mounted per feed (keyed by the caller). */
export function FeedDetail({ feedKey, listed, department, health, onRefreshHealth, user }: FeedDetailProps) {
  const { t, lang } = useI18n();
  const key = feedKey ?? '';
  const mayReadRejected = canSeeRejected(user);

  const definition = useResource(feedKey ? `feed:${feedKey}` : null, (signal) => fetchFeed(key, signal));
  const sample = useResource(feedKey ? `sample:${feedKey}` : null, (signal) => fetchFeedSample(key, SAMPLE_LIMIT, signal));
  const feed = definition.data ?? listed;
  const isEntityFeed = feed?.kind === 'entity';
  const entities = useResource(isEntityFeed ? `entities:${key}` : null, (signal) => fetchFeedEntities(key, ENTITY_LIMIT, signal));
  const rejected = useResource(feedKey && mayReadRejected ? `rejected:${feedKey}` : null, (signal) =>
    fetchRejectedRecords(key, REJECTED_LIMIT, signal),
  );

  // New records arrived (the health job saw a newer one): show them without a click.
  const lastRecordAt = health?.lastRecordAt ?? null;
  const shownFor = useRef(lastRecordAt);
  const reloadSample = sample.reload;
  useEffect(() => {
    if (shownFor.current === lastRecordAt) return;
    shownFor.current = lastRecordAt;
    reloadSample();
  }, [lastRecordAt, reloadSample]);

  const { reload: reloadDefinition } = definition;
  const { reload: reloadEntities } = entities;
  const { reload: reloadRejected } = rejected;
  const refreshAll = useCallback(() => {
    onRefreshHealth();
    reloadDefinition();
    reloadSample();
    reloadEntities();
    reloadRejected();
  }, [onRefreshHealth, reloadDefinition, reloadSample, reloadEntities, reloadRejected]);
  const afterReplay = useCallback(() => {
    reloadRejected();
    reloadSample();
  }, [reloadRejected, reloadSample]);

  if (!feedKey) {
    return (
      <aside className="catalog-detail catalog-detail--empty">
        <p className="dim">{t('detailEmpty')}</p>
      </aside>
    );
  }
  if (!feed) {
    return (
      <aside className="catalog-detail" data-testid="catalog-feed-detail" data-key={feedKey}>
        {definition.error ? <ProblemMessage error={definition.error} /> : <p className="dim">{t('loading')}</p>}
      </aside>
    );
  }

  return (
    <aside className="catalog-detail" data-testid="catalog-feed-detail" data-key={feed.key}>
      <header className="detail-header">
        <div className="detail-titles">
          <h2 className="detail-title">{feedName(feed, lang)}</h2>
          <p className="detail-tags">
            <code>{feed.key}</code>
            <span>{department ? departmentName(department, lang) : (feed.departmentCode ?? '—')}</span>
            <span>{themeLabel(t, feed.theme)}</span>
            <span>{kindLabel(t, feed.kind)}</span>
            <HealthBadge status={health?.status ?? 'unknown'} />
          </p>
        </div>
        <button type="button" className="quiet-button" onClick={refreshAll}>
          {t('refresh')}
        </button>
      </header>
      {/* The list's copy is on screen; a failed refresh of the definition is still worth knowing. */}
      <ProblemMessage error={definition.error} />

      <dl className="facts">
        <div className="fact fact--wide">
          <dt>{t('fieldDescription')}</dt>
          <dd>{feed.description ?? <span className="dim">{t('notSet')}</span>}</dd>
        </div>
        <div className="fact fact--wide">
          <dt>{t('fieldOwner')}</dt>
          <dd>{feed.ownerContact ?? <span className="dim">{t('notSet')}</span>}</dd>
        </div>
        <div className="fact">
          <dt>{t('fieldCadence')}</dt>
          <dd>
            {feed.expectedIntervalSeconds ? (
              t('cadenceEvery', { d: formatSpan(feed.expectedIntervalSeconds, lang) })
            ) : (
              <span className="dim">{t('notSet')}</span>
            )}
          </dd>
        </div>
        <div className="fact">
          <dt>{t('fieldRetention')}</dt>
          <dd>{formatSpan(feed.retentionDays * 86400, lang)}</dd>
        </div>
        <div className="fact">
          <dt>{t('fieldZoneSet')}</dt>
          <dd>{feed.zoneSet ? <code>{feed.zoneSet}</code> : <span className="dim">—</span>}</dd>
        </div>
      </dl>

      <HealthFigures health={health} />
      <MetricsTable metrics={feed.metrics} />
      <ConnectorPanel connector={feed.connector} state={health?.connector ?? null} />
      <SampleRecords sample={sample} metrics={feed.metrics} limit={SAMPLE_LIMIT} />
      {isEntityFeed ? <EntityTable entities={entities} limit={ENTITY_LIMIT} /> : null}
      <RejectedRecords
        feedKey={feed.key}
        rejected={mayReadRejected ? rejected : null}
        limit={REJECTED_LIMIT}
        canReplay={canReplay(user)}
        onReplayed={afterReplay}
      />
    </aside>
  );
}
