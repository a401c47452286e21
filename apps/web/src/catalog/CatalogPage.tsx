import { useCallback, useEffect, useMemo, useState } from 'react';
import type { FeedDefinition, FeedHealthView, SessionUser } from '@cityops/contracts';
import { fetchDepartments, fetchFeeds } from '../api/catalog-api';
import { useI18n } from '../i18n';
import { useFeedHealth } from '../live/useFeedHealth';
import { useLiveClient } from '../live/useLiveClient';
import { CatalogFilters, type ThemeCount } from './CatalogFilters';
import { CatalogHeader } from './CatalogHeader';
import { FeedDetail } from './FeedDetail';
import { FeedList } from './FeedList';
import { readSelection, writeSelection, type CatalogSelection } from './selection';
import { useResource } from './useResource';

const CHANNELS = ['feeds'] as const;

function loadAllFeeds(signal: AbortSignal): Promise<FeedDefinition[]> {
  return fetchFeeds({}, signal);
}

/**
 * `/catalog`: department and theme filters on the left, the feed list in the middle, the selected
 * feed's detail on the right (below on narrow screens).
 *
 * The whole catalog is loaded once and filtered here: the theme filter needs every feed's theme
 * anyway (there is no themes endpoint), and a city's catalog is a few hundred definitions at most.
 */
export function CatalogPage({ user }: { user: SessionUser | null }) {
  const { lang } = useI18n();
  const live = useLiveClient(CHANNELS);
  const health = useFeedHealth(live);
  const departments = useResource('departments', fetchDepartments);
  const feeds = useResource('feeds', loadAllFeeds);

  const [selection, setSelection] = useState<CatalogSelection>(readSelection);
  useEffect(() => writeSelection(selection), [selection]);
  const { refresh: refreshHealth } = health;
  const update = useCallback(
    (patch: Partial<CatalogSelection>) => {
      // Someone opens a feed: show its health as of now, not as of the last 15-second push.
      if (patch.feed) refreshHealth();
      setSelection((s) => ({ ...s, ...patch }));
    },
    [refreshHealth],
  );

  const healthByKey = useMemo(() => new Map<string, FeedHealthView>((health.feeds ?? []).map((h) => [h.feedKey, h])), [health.feeds]);

  const allFeeds = feeds.data;
  const inDepartment = useMemo(
    () => (allFeeds ?? []).filter((f) => !selection.department || f.departmentCode === selection.department),
    [allFeeds, selection.department],
  );
  const themes = useMemo<ThemeCount[]>(() => {
    const counts = new Map<string, number>();
    for (const feed of inDepartment) counts.set(feed.theme, (counts.get(feed.theme) ?? 0) + 1);
    if (selection.theme && !counts.has(selection.theme)) counts.set(selection.theme, 0);
    return [...counts].map(([theme, count]) => ({ theme, count })).sort((a, b) => b.count - a.count || a.theme.localeCompare(b.theme));
  }, [inDepartment, selection.theme]);
  const visible = useMemo(() => {
    const query = selection.query.trim().toLowerCase();
    return inDepartment.filter((feed) => {
      if (selection.theme && feed.theme !== selection.theme) return false;
      if (!query) return true;
      return [feed.key, feed.name, feed.nameEn ?? ''].some((text) => text.toLowerCase().includes(query));
    });
  }, [inDepartment, selection.theme, selection.query]);

  const departmentsByCode = useMemo(() => new Map((departments.data ?? []).map((d) => [d.code, d])), [departments.data]);
  const selectedFeed = selection.feed ? (allFeeds?.find((f) => f.key === selection.feed) ?? null) : null;

  return (
    <div className="catalog" data-lang={lang}>
      <CatalogHeader user={user} />
      <div className="catalog-body">
        <CatalogFilters
          departments={departments}
          totalFeeds={allFeeds?.length ?? null}
          themes={themes}
          selection={selection}
          onChange={update}
        />
        <FeedList
          feeds={feeds}
          visible={visible}
          departmentsByCode={departmentsByCode}
          healthByKey={healthByKey}
          healthLoaded={health.feeds !== null}
          healthError={health.error}
          selection={selection}
          onChange={update}
        />
        <FeedDetail
          key={selection.feed ?? ''}
          feedKey={selection.feed}
          listed={selectedFeed}
          department={selectedFeed?.departmentCode ? (departmentsByCode.get(selectedFeed.departmentCode) ?? null) : null}
          health={selection.feed ? (healthByKey.get(selection.feed) ?? null) : null}
          onRefreshHealth={refreshHealth}
          user={user}
        />
      </div>
    </div>
  );
}
