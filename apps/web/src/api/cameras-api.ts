import type { AlertView, AreaView, CameraView, IndicatorHistoryPoint } from '@cityops/contracts';
import { apiDownload, apiRequest } from './client';

/** The cameras of an area, or within the API's default 150 m of a zone, nearest first. */
export function fetchAreaCameras(areaCode: string, signal?: AbortSignal): Promise<CameraView[]> {
  return apiRequest<CameraView[]>('/api/cameras', { query: { area: areaCode, limit: 24 }, signal });
}

/** One camera feed's cameras of an area (by code), by name: a wall scene's cameras. */
export function fetchFeedCameras(areaCode: string, feed: string, limit: number, signal?: AbortSignal): Promise<CameraView[]> {
  return apiRequest<CameraView[]>('/api/cameras', { query: { area: areaCode, feed, limit }, signal });
}

/**
 * Where a scene's cameras are looked up: its area's code; for the whole city (null) each district's
 * code, so that a few cameras spread over the city, or the city-level area's when it has no districts.
 */
export async function fetchCameraAreaCodes(areaId: number | null, signal?: AbortSignal): Promise<string[]> {
  if (areaId !== null) return [(await apiRequest<AreaView>(`/api/areas/${areaId}`, { signal })).code];
  const districts = await apiRequest<AreaView[]>('/api/areas', { query: { level: 'district', limit: 100 }, signal });
  if (districts.length > 0) return districts.map((d) => d.code);
  const cities = await apiRequest<AreaView[]>('/api/areas', { query: { level: 'city', limit: 1 }, signal });
  return cities.map((c) => c.code);
}

/**
 * A camera's frame as a blob: the API wants the bearer token, which an `<img src>` cannot send,
 * so the page fetches it like any other answer and shows it from an object URL.
 */
export async function fetchSnapshot(path: string, signal?: AbortSignal): Promise<Blob> {
  return (await apiDownload(path, { signal })).blob;
}

/** One area's stored values of an indicator since `from` (raw: an hour of a 3-second feed is some 1,200 points). */
export function fetchAreaTrend(indicatorKey: string, areaId: number, from: Date, signal?: AbortSignal): Promise<IndicatorHistoryPoint[]> {
  return apiRequest<IndicatorHistoryPoint[]>(`/api/indicators/${encodeURIComponent(indicatorKey)}/values`, {
    query: { area: areaId, from: from.toISOString(), step: 'raw' },
    signal,
  });
}

/** The alerts of an area of an indicator, newest first, resolved ones included. */
export function fetchAreaAlerts(indicatorKey: string, areaId: number, signal?: AbortSignal): Promise<AlertView[]> {
  return apiRequest<AlertView[]>('/api/alerts', { query: { area: areaId, indicator: indicatorKey, limit: 20 }, signal });
}
