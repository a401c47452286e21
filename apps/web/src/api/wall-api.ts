import type { AlertView, AppConfigView, AreaView, IndicatorSummaryPoint, IndicatorValuesEvent } from '@cityops/contracts';
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

export function fetchOpenAlerts(signal?: AbortSignal): Promise<AlertView[]> {
  return apiRequest<AlertView[]>('/api/alerts', { query: { state: 'firing' }, signal });
}

export function acknowledgeAlert(id: string): Promise<AlertView | undefined> {
  return apiRequest<AlertView | undefined>(`/api/alerts/${encodeURIComponent(id)}/ack`, { method: 'POST' });
}
