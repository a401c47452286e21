import type {
  AlertDetail,
  AppConfigView,
  AreaView,
  IndicatorDefinitionView,
  IndicatorSummaryPoint,
  IndicatorValuesEvent,
  WallPlaylistAnswer,
} from '@cityops/contracts';
import { RESOLVED_HELD, type WallAlert } from '../wall/alert-status';
import { apiRequest } from './client';

/** The city, the map's frame and the wall scenes (which zone set, indicator and words to show). */
export type AppConfig = AppConfigView;

export function fetchAppConfig(signal?: AbortSignal): Promise<AppConfig> {
  return apiRequest<AppConfig>('/api/app-config', { signal });
}

export function fetchDistricts(signal?: AbortSignal): Promise<AreaView[]> {
  return apiRequest<AreaView[]>('/api/areas', { query: { level: 'district', geometry: true }, signal });
}

export function fetchZoneSet(zoneSet: string, signal?: AbortSignal): Promise<AreaView[]> {
  return apiRequest<AreaView[]>('/api/areas', { query: { zoneSet, geometry: true }, signal });
}

export function fetchLatestIndicator(key: string, signal?: AbortSignal): Promise<IndicatorValuesEvent> {
  return apiRequest<IndicatorValuesEvent>(`/api/indicators/${encodeURIComponent(key)}/latest`, { signal });
}

export function fetchIndicatorSummary(
  key: string,
  from: Date,
  bucketSeconds: number,
  signal?: AbortSignal,
): Promise<IndicatorSummaryPoint[]> {
  return apiRequest<IndicatorSummaryPoint[]>(`/api/indicators/${encodeURIComponent(key)}/summary`, {
    query: { from: from.toISOString(), bucket: bucketSeconds },
    signal,
  });
}

/** The alerts firing now. */
export function fetchOpenAlerts(signal?: AbortSignal): Promise<WallAlert[]> {
  return apiRequest<WallAlert[]>('/api/alerts', { query: { state: 'firing', limit: 1000 }, signal });
}

/**
 * Alerts resolved since `since`. The list is newest-opened first and cannot be asked for a
 * resolution time yet, so the last {@link RESOLVED_HELD} resolved are read and the older ones left out here.
 */
export async function fetchResolvedAlerts(since: Date, signal?: AbortSignal): Promise<WallAlert[]> {
  const resolved = await apiRequest<WallAlert[]>('/api/alerts', {
    query: { state: 'resolved', since: since.toISOString(), limit: RESOLVED_HELD },
    signal,
  });
  // `since` is the last change; a later acknowledgement may have come after the resolution.
  return resolved.filter((alert) => alert.resolvedAt !== null && Date.parse(alert.resolvedAt) >= since.getTime());
}

/** Acknowledges an alert, with an optional comment (kept by servers that keep one). */
export function acknowledgeAlert(id: string, comment?: string): Promise<WallAlert | undefined> {
  const text = comment?.trim();
  return apiRequest<WallAlert | undefined>(`/api/alerts/${encodeURIComponent(id)}/ack`, {
    method: 'POST',
    body: text ? { comment: text } : {},
  });
}

/** One alert as it stands (its history left out: the wall keeps none). */
export async function fetchAlert(id: string, signal?: AbortSignal): Promise<WallAlert> {
  const { history: _history, ...alert } = await apiRequest<AlertDetail>(`/api/alerts/${encodeURIComponent(id)}`, { signal });
  return alert;
}

/** The vital signs (indicator definitions). */
export function fetchIndicators(signal?: AbortSignal): Promise<IndicatorDefinitionView[]> {
  return apiRequest<IndicatorDefinitionView[]>('/api/indicators', { signal });
}

/** The rotation this wall runs: a display's own playlist, else the default one; null when there is none. */
export function fetchWallPlaylist(signal?: AbortSignal): Promise<WallPlaylistAnswer> {
  return apiRequest<WallPlaylistAnswer>('/api/wall/playlist', { signal });
}
