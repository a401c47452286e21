import { useEffect, useState } from 'react';
import { indicatorChannel, type IndicatorDefinitionView, type IndicatorSummaryPoint, type IndicatorValuesEvent } from '@cityops/contracts';
import { ApiError, isAbortError } from '../api/client';
import { fetchIndicators, fetchIndicatorSummary, fetchLatestIndicator } from '../api/wall-api';
import { serverNow } from '../clock';
import { snapshotOnConnect } from './snapshot-loop';
import type { LiveClient } from './socket';
import { LIVE_FLUSH_MS, throttle } from './throttle';

/** The trend lines cover a day in 15-minute buckets. */
export const TREND_WINDOW_MS = 24 * 3600_000;
export const TREND_BUCKET_SECONDS = 900;
/** The trend is read again this often; the current values arrive live. */
const TREND_REFRESH_MS = 10 * 60_000;
/** The panel shows at most this many vital signs. */
export const MAX_VITAL_SIGNS = 15;

/** An indicator definition as the panel reads it. */
export type VitalSignDefinition = IndicatorDefinitionView;

export interface VitalSign {
  definition: VitalSignDefinition;
  latest: IndicatorValuesEvent | null;
  /** Highest value per bucket over the last 24 hours, oldest first. */
  trend: IndicatorSummaryPoint[];
}

export interface VitalSignsState {
  signs: VitalSign[];
  /** Enabled indicators beyond those shown. */
  hidden: number;
  loaded: boolean;
  error: ApiError | null;
}

/** A composite (the city index) first, then by theme, then by key: one stable order on every wall. */
export function vitalSignOrder(a: VitalSignDefinition, b: VitalSignDefinition): number {
  const rank = (d: VitalSignDefinition) => (d.source.kind === 'composite' ? 0 : 1);
  return rank(a) - rank(b) || a.theme.localeCompare(b.theme) || a.key.localeCompare(b.key);
}

/**
 * The city's vital signs: every enabled indicator (up to {@link MAX_VITAL_SIGNS}) with its latest
 * values and a 24-hour trend. Definitions, values and trends are read on every (re)connect; the
 * values then follow `indicator.values` on the socket, the trends are read again every 10 minutes.
 */
export function useVitalSigns(live: LiveClient | null): VitalSignsState {
  const [state, setState] = useState<VitalSignsState>({ signs: [], hidden: 0, loaded: false, error: null });

  useEffect(() => {
    if (!live) return undefined;
    let disposed = false;
    let signs: VitalSign[] = [];
    let hidden = 0;
    let loaded = false;
    let error: ApiError | null = null;
    const flush = throttle(() => {
      if (!disposed) setState({ signs, hidden, loaded, error });
    }, LIVE_FLUSH_MS);

    const snapshots = snapshotOnConnect(live, async (signal) => {
      try {
        const enabled = (await fetchIndicators(signal)).filter((d) => d.enabled);
        const shown = enabled.sort(vitalSignOrder).slice(0, MAX_VITAL_SIGNS);
        live.addChannels(shown.map((d) => indicatorChannel(d.key)));
        const from = new Date(serverNow() - TREND_WINDOW_MS);
        const read = await Promise.all(
          shown.map(async (definition): Promise<VitalSign> => {
            const [latest, trend] = await Promise.allSettled([
              fetchLatestIndicator(definition.key, signal),
              fetchIndicatorSummary(definition.key, from, TREND_BUCKET_SECONDS, signal),
            ]);
            const held = signs.find((s) => s.definition.key === definition.key);
            return {
              definition,
              latest: latest.status === 'fulfilled' ? newer(latest.value, held?.latest ?? null) : (held?.latest ?? null),
              trend: trend.status === 'fulfilled' ? trend.value : (held?.trend ?? []),
            };
          }),
        );
        if (disposed || signal.aborted) return;
        signs = read;
        hidden = enabled.length - shown.length;
        loaded = true;
        error = null;
      } catch (failure) {
        if (isAbortError(failure) || disposed) return;
        error = failure instanceof ApiError ? failure : null;
        throw failure;
      } finally {
        flush();
      }
    });

    const offValues = live.on('indicator.values', (event) => {
      const index = signs.findIndex((s) => s.definition.key === event.indicatorKey);
      if (index < 0) return;
      const sign = signs[index];
      const latest = newer(event, sign.latest);
      if (latest === sign.latest) return;
      signs = signs.map((s, i) => (i === index ? { ...s, latest } : s));
      flush();
    });
    const refresh = setInterval(() => snapshots.takeNow(), TREND_REFRESH_MS);

    return () => {
      disposed = true;
      offValues();
      clearInterval(refresh);
      snapshots.stop();
      flush.cancel();
    };
  }, [live]);

  return state;
}

function newer(candidate: IndicatorValuesEvent, held: IndicatorValuesEvent | null): IndicatorValuesEvent {
  return held && Date.parse(held.computedAt) > Date.parse(candidate.computedAt) ? held : candidate;
}
