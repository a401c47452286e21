import type { AreaView, CreateSilenceRequest, SilenceView } from '@cityops/contracts';
import { apiRequest } from './client';

export type { CreateSilenceRequest, SilenceView } from '@cityops/contracts';

/** Those not over first (the server's order), then the ended ones, newest first. */
export function fetchSilences(signal?: AbortSignal): Promise<SilenceView[]> {
  return apiRequest<SilenceView[]>('/api/silences', { query: { limit: 500 }, signal });
}

export function createSilence(request: CreateSilenceRequest): Promise<SilenceView> {
  return apiRequest<SilenceView>('/api/silences', { method: 'POST', body: request });
}

/** Ends a silence now (one that is over already comes back as it is). */
export function endSilence(id: string): Promise<SilenceView> {
  return apiRequest<SilenceView>(`/api/silences/${encodeURIComponent(id)}`, { method: 'DELETE' });
}

/** One area without its boundary: the name of a silenced zone or grid the area directory has not loaded. */
export function fetchAreaName(id: number, signal?: AbortSignal): Promise<AreaView> {
  return apiRequest<AreaView>(`/api/areas/${id}`, { query: { geometry: false }, signal });
}
