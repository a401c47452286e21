import { useCallback, useEffect, useRef, useState } from 'react';
import type { AlertChange } from '@cityops/contracts';
import { ApiError, isAbortError } from '../api/client';
import { fetchOpenAlerts, fetchResolvedAlerts } from '../api/wall-api';
import { serverNow } from '../clock';
import { isActive, isAnnouncingChange, levelOf, RECENT_MS, type WallAlert } from '../wall/alert-status';
import { AlertBook } from './alert-book';
import { snapshotOnConnect } from './snapshot-loop';
import type { LiveClient } from './socket';
import { LIVE_FLUSH_MS, throttle } from './throttle';

/** Resolved alerts older than the recent window are forgotten this often (no reload needed). */
const PRUNE_MS = 60_000;

export interface LiveAlertsState {
  /** Active alerts, newest first. */
  alerts: WallAlert[];
  /** Resolved alerts of about the last hour, most recently resolved first (filter with `isRecent`). */
  resolved: WallAlert[];
  /** True once the first snapshot arrived. */
  loaded: boolean;
  error: ApiError | null;
}

export interface LiveAlerts extends LiveAlertsState {
  /** Applies an alert returned by the acknowledge call (never announces it). */
  upsert: (alert: WallAlert) => void;
}

interface AlertDelta {
  change: AlertChange;
  alert: WallAlert;
}

/**
 * The wall's alert store: a REST snapshot of the active and the recently resolved alerts, then
 * `alert.changed` deltas by id, a new snapshot after every reconnect. Deltas that arrive while a
 * snapshot is in flight are replayed on top of it. Resolved alerts stay an hour, then go.
 *
 * `onNewCritical` fires once per alert that becomes critical while the wall is watching
 * (opened or escalated; also one first seen in a reconnect snapshot), never for the alerts
 * already active when the wall starts.
 */
export function useLiveAlerts(live: LiveClient | null, onNewCritical: (alert: WallAlert) => void): LiveAlerts {
  const [state, setState] = useState<LiveAlertsState>({ alerts: [], resolved: [], loaded: false, error: null });
  const onNewCriticalRef = useRef(onNewCritical);
  useEffect(() => {
    onNewCriticalRef.current = onNewCritical;
  }, [onNewCritical]);
  const applyRef = useRef<(delta: AlertDelta) => void>(() => undefined);

  useEffect(() => {
    if (!live) return undefined;
    let disposed = false;
    const book = new AlertBook();
    /** Critical alerts already announced (or active at start). */
    const announced = new Set<string>();
    let loaded = false;
    let error: ApiError | null = null;
    let buffered: AlertDelta[] | null = null;

    const flush = throttle(() => {
      if (!disposed) setState({ alerts: book.active(), resolved: book.resolved(), loaded, error });
    }, LIVE_FLUSH_MS);

    const announce = (alert: WallAlert) => {
      announced.add(alert.id);
      onNewCriticalRef.current(alert);
    };

    const applyDelta = ({ change, alert }: AlertDelta) => {
      if (!book.apply(alert)) return;
      const current = book.get(alert.id);
      if (!current || !isActive(current)) {
        announced.delete(alert.id);
        return;
      }
      if (levelOf(current) !== 'critical') {
        announced.delete(alert.id); // escalating again later is news again
      } else if (loaded && !announced.has(alert.id) && isAnnouncingChange(change)) {
        announce(current);
      } else if (!loaded) {
        announced.add(alert.id);
      }
    };

    const receive = (delta: AlertDelta) => {
      if (buffered) buffered.push(delta);
      applyDelta(delta);
      flush();
    };
    applyRef.current = (delta) => receive(delta);

    const offChanged = live.on('alert.changed', (event) => receive(event));
    const snapshots = snapshotOnConnect(live, async (signal) => {
      buffered = [];
      try {
        const since = new Date(serverNow() - RECENT_MS);
        const [active, resolved] = await Promise.all([fetchOpenAlerts(signal), fetchResolvedAlerts(since, signal)]);
        if (disposed || signal.aborted) return;
        const replay = buffered;
        buffered = null;
        book.replace([...resolved, ...active]);
        book.prune(serverNow());
        for (const delta of replay) applyDelta(delta);
        const critical = book.active().filter((alert) => levelOf(alert) === 'critical');
        for (const alert of critical) {
          if (announced.has(alert.id)) continue;
          // At start: already active, not news. After a reconnect: we missed its arrival, announce it.
          if (loaded) announce(alert);
          else announced.add(alert.id);
        }
        const criticalIds = new Set(critical.map((a) => a.id));
        for (const id of announced) {
          if (!criticalIds.has(id)) announced.delete(id);
        }
        loaded = true;
        error = null;
      } catch (failure) {
        if (isAbortError(failure) || disposed) return;
        buffered = null;
        error = failure instanceof ApiError ? failure : null;
        throw failure;
      } finally {
        flush();
      }
    });

    const pruner = setInterval(() => {
      book.prune(serverNow());
      flush();
    }, PRUNE_MS);

    return () => {
      disposed = true;
      applyRef.current = () => undefined;
      offChanged();
      snapshots.stop();
      clearInterval(pruner);
      flush.cancel();
    };
  }, [live]);

  const upsert = useCallback((alert: WallAlert) => {
    applyRef.current({ change: isActive(alert) ? 'acknowledged' : 'resolved', alert });
  }, []);

  return { ...state, upsert };
}
