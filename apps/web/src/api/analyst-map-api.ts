import type { Feature } from 'geojson';
import type {
  AlertTimeline,
  AreaView,
  EntitySeries,
  IndicatorDefinitionView,
  IndicatorHistoryPoint,
  IndicatorValuesEvent,
  LayerView,
  SearchHit,
} from '@cityops/contracts';
import { apiDownload, apiRequest } from './client';

/** The API calls of the analyst map (`/map`). */

export function fetchLayers(signal?: AbortSignal): Promise<LayerView[]> {
  return apiRequest<LayerView[]>('/api/layers', { signal });
}

/** An entity's readings per metric over the last `hours`, bucketed, with the thresholds that apply. */
export function fetchEntitySeries(feed: string, id: string, hours: number, signal?: AbortSignal): Promise<EntitySeries> {
  return apiRequest<EntitySeries>(`/api/feeds/${encodeURIComponent(feed)}/entities/${encodeURIComponent(id)}/series`, {
    query: { hours },
    signal,
  });
}

export function fetchIndicatorList(signal?: AbortSignal): Promise<IndicatorDefinitionView[]> {
  return apiRequest<IndicatorDefinitionView[]>('/api/indicators', { signal });
}

export function fetchLatest(key: string, signal?: AbortSignal): Promise<IndicatorValuesEvent> {
  return apiRequest<IndicatorValuesEvent>(`/api/indicators/${encodeURIComponent(key)}/latest`, { signal });
}

/** An area with its boundary. */
export function fetchArea(id: number, signal?: AbortSignal): Promise<AreaView> {
  return apiRequest<AreaView>(`/api/areas/${id}`, { query: { geometry: true }, signal });
}

export function fetchAreas(query: { level?: string; parent?: number; zoneSet?: string; geometry?: boolean }, signal?: AbortSignal) {
  return apiRequest<AreaView[]>('/api/areas', { query: { ...query, limit: 10000 }, signal });
}

/** The most history points one replay or trend asks for (the API's own ceiling). */
export const HISTORY_LIMIT = 100000;

/** An indicator's history since `from`, one area or every area in scope; the API picks the resolution. */
export function fetchHistory(
  key: string,
  from: Date,
  options: { area?: number; to?: Date; signal?: AbortSignal } = {},
): Promise<IndicatorHistoryPoint[]> {
  return apiRequest<IndicatorHistoryPoint[]>(`/api/indicators/${encodeURIComponent(key)}/values`, {
    query: { area: options.area, from: from.toISOString(), to: options.to?.toISOString(), step: 'auto', limit: HISTORY_LIMIT },
    signal: options.signal,
  });
}

/**
 * The levels the indicator's alerts fired at over `[from, to)` (at most 7 days), from their
 * histories: what the replay draws at each instant. At most `ALERT_TIMELINE_DEFAULT_LIMIT`
 * stretches; `truncated` says when more were left out.
 */
export function fetchAlertTimeline(key: string, from: Date, to: Date, signal?: AbortSignal): Promise<AlertTimeline> {
  return apiRequest<AlertTimeline>('/api/alerts/timeline', {
    query: { indicator: key, from: from.toISOString(), to: to.toISOString() },
    signal,
  });
}

export interface OgcPage {
  features: Feature[];
  numberMatched?: number;
  links?: { rel: string; href: string }[];
}

/** One page of an OGC API collection's items in a box. */
export function fetchOgcItems(collection: string, bbox: readonly number[], limit: number, offset: number, signal?: AbortSignal) {
  return apiRequest<OgcPage>(`/api/ogc/collections/${encodeURIComponent(collection)}/items`, {
    query: { bbox: bbox.join(','), limit, offset },
    signal,
  });
}

export async function fetchBlob(path: string, signal?: AbortSignal): Promise<Blob> {
  return (await apiDownload(path, { signal })).blob;
}

/** Areas by name or code and located entities by name or id, in the caller's scope. */
export function searchMap(q: string, signal?: AbortSignal): Promise<SearchHit[]> {
  return apiRequest<SearchHit[]>('/api/search', { query: { q, limit: 8 }, signal });
}
