import { useCallback, useEffect, useRef, useState } from 'react';
import type { FeedHealthView } from '@cityops/contracts';
import { fetchFeedHealth } from '../api/catalog-api';
import { ApiError, isAbortError } from '../api/client';
import { snapshotOnConnect } from './snapshot-loop';
import type { LiveClient } from './socket';

/** Snapshots asked for by `refresh()` are at least this far apart (the query counts every feed). */
const MIN_REFRESH_MS = 2_000;

export interface FeedHealthState {
  /** Every feed's health, null until the first snapshot or event arrived. */
  feeds: FeedHealthView[] | null;
  /** Last snapshot failure, cleared by the next success. */
  error: ApiError | null;
}

export interface FeedHealth extends FeedHealthState {
  /** Takes a snapshot now rather than at the next event (e.g. when someone opens a feed). */
  refresh: () => void;
}

/** When the server computed a health list (all entries share one `checkedAt`); 0 for an empty list. */
function checkedAtOf(feeds: FeedHealthView[]): number {
  const ms = feeds.length ? Date.parse(feeds[0].checkedAt) : 0;
  return Number.isNaN(ms) ? 0 : ms;
}

/**
 * Feed health: `GET /api/feeds/health` after every (re)connect, then the `feed.health` events of
 * the `feeds` channel (each the whole list, about every 15 s). A snapshot that answers after a
 * newer event does not overwrite it. The caller's live client must subscribe to `feeds`.
 */
export function useFeedHealth(live: LiveClient | null): FeedHealth {
  const [state, setState] = useState<FeedHealthState>({ feeds: null, error: null });
  const refreshRef = useRef<() => void>(() => undefined);

  useEffect(() => {
    if (!live) return undefined;
    let disposed = false;
    let newest = -1;
    let refreshTimer: ReturnType<typeof setTimeout> | undefined;

    const accept = (feeds: FeedHealthView[]) => {
      const at = checkedAtOf(feeds);
      if (at < newest) return;
      newest = at;
      setState({ feeds, error: null });
    };

    let snapshotAt = 0;
    const snapshots = snapshotOnConnect(live, async (signal) => {
      snapshotAt = Date.now();
      clearTimeout(refreshTimer);
      refreshTimer = undefined;
      try {
        const feeds = await fetchFeedHealth(signal);
        if (!disposed && !signal.aborted) accept(feeds);
      } catch (failure) {
        if (isAbortError(failure) || disposed || signal.aborted) return;
        setState((s) => ({ ...s, error: failure instanceof ApiError ? failure : null }));
        throw failure;
      }
    });

    // Too soon after the last snapshot: take it when the gap has passed rather than not at all.
    refreshRef.current = () => {
      const wait = snapshotAt + MIN_REFRESH_MS - Date.now();
      if (wait <= 0) snapshots.takeNow();
      else refreshTimer ??= setTimeout(() => snapshots.takeNow(), wait);
    };

    const offHealth = live.on('feed.health', (event) => {
      if (!disposed && Array.isArray(event?.feeds)) accept(event.feeds);
    });

    return () => {
      disposed = true;
      refreshRef.current = () => undefined;
      offHealth();
      snapshots.stop();
      clearTimeout(refreshTimer);
    };
  }, [live]);

  const refresh = useCallback(() => refreshRef.current(), []);
  return { ...state, refresh };
}

/** Feeds that need someone's attention (silent feeds may simply have nothing to say yet). */
export function troubledFeeds(feeds: FeedHealthView[] | null): FeedHealthView[] {
  return (feeds ?? []).filter((f) => f.status === 'stale' || f.status === 'failing');
}
