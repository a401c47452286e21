import { useCallback, useEffect, useRef, useState } from 'react';
import type { AlertChange, AlertView } from '@cityops/contracts';
import { ApiError, isAbortError } from '../api/client';
import { fetchOpenAlerts } from '../api/wall-api';
import { snapshotOnConnect } from './snapshot-loop';
import type { LiveClient } from './socket';
import { LIVE_FLUSH_MS, throttle } from './throttle';

/** Changes after which a critical alert we have not announced yet is announced. */
const ANNOUNCING_CHANGES: ReadonlySet<AlertChange> = new Set(['fired', 'escalated', 'updated']);

export interface LiveAlertsState {
  /** Firing alerts, newest first. */
  alerts: AlertView[];
  /** True once the first snapshot arrived. */
  loaded: boolean;
  error: ApiError | null;
}

export interface LiveAlerts extends LiveAlertsState {
  /** Applies an alert returned by the acknowledge call (never announces it). */
  upsert: (alert: AlertView) => void;
}

/** When the wall first showed it: the wall shows firing alerts only. */
export function alertShownSince(a: AlertView): string {
  return a.firedAt ?? a.startedAt;
}

function newestFirst(a: AlertView, b: AlertView): number {
  return Date.parse(alertShownSince(b)) - Date.parse(alertShownSince(a));
}

interface AlertDelta {
  change: AlertChange;
  alert: AlertView;
}

/**
 * Open alerts: REST snapshot, then `alert.changed` deltas upserted by id (removed on resolve),
 * a new snapshot after every reconnect. Deltas that arrive while a snapshot is in flight are
 * replayed on top of it.
 *
 * `onNewCritical` fires once per alert that becomes critical while the wall is watching
 * (opened or escalated; also one first seen in a reconnect snapshot), never for the alerts
 * already open when the wall starts.
 */
export function useLiveAlerts(live: LiveClient | null, onNewCritical: (alert: AlertView) => void): LiveAlerts {
  const [state, setState] = useState<LiveAlertsState>({ alerts: [], loaded: false, error: null });
  const onNewCriticalRef = useRef(onNewCritical);
  useEffect(() => {
    onNewCriticalRef.current = onNewCritical;
  }, [onNewCritical]);
  const applyRef = useRef<(delta: AlertDelta) => void>(() => undefined);

  useEffect(() => {
    if (!live) return undefined;
    let disposed = false;
    const byId = new Map<string, AlertView>();
    /** Critical alerts already announced (or open at start). */
    const announced = new Set<string>();
    let loaded = false;
    let error: ApiError | null = null;
    let buffered: AlertDelta[] | null = null;

    const flush = throttle(() => {
      if (!disposed) setState({ alerts: [...byId.values()].sort(newestFirst), loaded, error });
    }, LIVE_FLUSH_MS);

    const announce = (alert: AlertView) => {
      announced.add(alert.id);
      onNewCriticalRef.current(alert);
    };

    const applyDelta = ({ change, alert }: AlertDelta) => {
      const existing = byId.get(alert.id);
      if (existing && Date.parse(alert.updatedAt) < Date.parse(existing.updatedAt)) return;
      if (change === 'resolved' || alert.state !== 'firing') {
        byId.delete(alert.id);
        announced.delete(alert.id);
        return;
      }
      byId.set(alert.id, alert);
      if (alert.level !== 'critical') {
        announced.delete(alert.id); // escalating again later is news again
      } else if (loaded && !announced.has(alert.id) && ANNOUNCING_CHANGES.has(change)) {
        announce(alert);
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
        const open = await fetchOpenAlerts(signal);
        if (disposed || signal.aborted) return;
        const replay = buffered;
        buffered = null;
        byId.clear();
        for (const alert of open) byId.set(alert.id, alert);
        for (const delta of replay) applyDelta(delta);
        for (const alert of byId.values()) {
          if (alert.level !== 'critical' || announced.has(alert.id)) continue;
          // At start: already open, not news. After a reconnect: we missed its arrival, announce it.
          if (loaded) announce(alert);
          else announced.add(alert.id);
        }
        for (const id of announced) {
          if (byId.get(id)?.level !== 'critical') announced.delete(id);
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

    return () => {
      disposed = true;
      applyRef.current = () => undefined;
      offChanged();
      snapshots.stop();
      flush.cancel();
    };
  }, [live]);

  const upsert = useCallback((alert: AlertView) => {
    applyRef.current({ change: alert.state === 'firing' ? 'acknowledged' : 'resolved', alert });
  }, []);

  return { ...state, upsert };
}
