import { useEffect, useState } from 'react';
import type { IndicatorSummaryPoint, IndicatorValuesEvent } from '@cityops/contracts';
import { ApiError, isAbortError } from '../api/client';
import { fetchIndicatorSummary, fetchLatestIndicator } from '../api/wall-api';
import { serverNow } from '../clock';
import { loadThresholdsOf } from './load-thresholds';
import { snapshotOnConnect } from './snapshot-loop';
import type { LiveClient } from './socket';
import { LIVE_FLUSH_MS, throttle } from './throttle';

/** The KPI sparklines show the last 30 minutes in 30-second buckets. */
export const SUMMARY_WINDOW_MS = 30 * 60_000;
export const SUMMARY_BUCKET_SECONDS = 30;

export { DEFAULT_THRESHOLDS } from './load-thresholds';

export interface LiveIndicatorState {
  /** Latest value per area (the whole set, replaced on every event). */
  latest: IndicatorValuesEvent | null;
  /** Summary series, oldest first, extended live from each event. */
  summary: IndicatorSummaryPoint[];
  /** Last snapshot failure, cleared by the next success. */
  error: ApiError | null;
}

function bucketStart(ms: number): number {
  const bucketMs = SUMMARY_BUCKET_SECONDS * 1000;
  return Math.floor(ms / bucketMs) * bucketMs;
}

/** The summary point an `indicator.values` event stands for (same shape as the REST summary). */
export function summaryPointOf(event: IndicatorValuesEvent): IndicatorSummaryPoint {
  const thresholds = loadThresholdsOf(event.thresholds);
  let sumNumerator = 0;
  let atOrAboveWarning = 0;
  let atOrAboveCritical = 0;
  let maxValue = 0;
  for (const v of event.values) {
    sumNumerator += v.numerator ?? 0;
    if (v.value >= thresholds.warning) atOrAboveWarning += 1;
    if (v.value >= thresholds.critical) atOrAboveCritical += 1;
    maxValue = Math.max(maxValue, v.value);
  }
  return {
    ts: new Date(bucketStart(Date.parse(event.computedAt))).toISOString(),
    areas: event.values.length,
    sumNumerator,
    atOrAboveWarning,
    atOrAboveCritical,
    maxValue,
  };
}

/** Appends a point (replacing the last one when it falls in the same bucket) and trims the window. */
function appendPoint(series: IndicatorSummaryPoint[], point: IndicatorSummaryPoint): IndicatorSummaryPoint[] {
  const pointMs = Date.parse(point.ts);
  const kept = series.filter((p) => {
    const ms = Date.parse(p.ts);
    return ms < pointMs && ms >= pointMs - SUMMARY_WINDOW_MS;
  });
  kept.push(point);
  return kept;
}

function isNewer(candidate: IndicatorValuesEvent, current: IndicatorValuesEvent | null): boolean {
  return !current || Date.parse(candidate.computedAt) >= Date.parse(current.computedAt);
}

/**
 * Live values of one indicator: REST snapshot first, then `indicator.values` events from the
 * socket (each one the full latest set), a new snapshot after every reconnect, and renders
 * coalesced to one per {@link LIVE_FLUSH_MS}. No key (a wall without a scene): nothing is loaded.
 */
export function useLiveIndicator(live: LiveClient | null, key: string | null): LiveIndicatorState {
  const [state, setState] = useState<LiveIndicatorState>({ latest: null, summary: [], error: null });

  useEffect(() => {
    if (!live || key === null) return undefined;
    let disposed = false;
    let latest: IndicatorValuesEvent | null = null;
    let summary: IndicatorSummaryPoint[] = [];
    let error: ApiError | null = null;
    const flush = throttle(() => {
      if (!disposed) setState({ latest, summary, error });
    }, LIVE_FLUSH_MS);

    const snapshots = snapshotOnConnect(live, async (signal) => {
      const [latestResult, summaryResult] = await Promise.allSettled([
        fetchLatestIndicator(key, signal),
        fetchIndicatorSummary(key, new Date(serverNow() - SUMMARY_WINDOW_MS), SUMMARY_BUCKET_SECONDS, signal),
      ]);
      if (disposed || signal.aborted) return;

      let failure: unknown = null;
      if (latestResult.status === 'fulfilled') {
        if (isNewer(latestResult.value, latest)) latest = latestResult.value;
      } else {
        failure = latestResult.reason;
      }
      if (summaryResult.status === 'fulfilled') {
        summary = summaryResult.value.slice();
        if (latest) summary = appendPoint(summary, summaryPointOf(latest));
      } else {
        failure ??= summaryResult.reason;
      }
      error = failure && !isAbortError(failure) && failure instanceof ApiError ? failure : null;
      flush();
      if (failure) throw failure instanceof Error ? failure : new Error('indicator snapshot failed', { cause: failure });
    });

    const offValues = live.on('indicator.values', (event) => {
      if (event.indicatorKey !== key || !isNewer(event, latest)) return;
      latest = event;
      summary = appendPoint(summary, summaryPointOf(event));
      flush();
    });

    return () => {
      disposed = true;
      offValues();
      snapshots.stop();
      flush.cancel();
    };
  }, [live, key]);

  return state;
}
