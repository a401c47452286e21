import type {
  DepartmentView,
  FeedDefinition,
  FeedEntityRecord,
  FeedHealthView,
  FeedSampleRecord,
  RejectedRecord,
  ReplayResult,
} from '@cityops/contracts';
import { apiRequest } from './client';

export type { FeedEntityRecord, FeedSampleRecord, RejectedRecord, ReplayResult } from '@cityops/contracts';

export interface FeedFilter {
  department?: string;
  theme?: string;
}

const feedPath = (key: string) => `/api/feeds/${encodeURIComponent(key)}`;

export function fetchDepartments(signal?: AbortSignal): Promise<DepartmentView[]> {
  return apiRequest<DepartmentView[]>('/api/departments', { signal });
}

export function fetchFeeds(filter: FeedFilter = {}, signal?: AbortSignal): Promise<FeedDefinition[]> {
  return apiRequest<FeedDefinition[]>('/api/feeds', { query: { department: filter.department, theme: filter.theme }, signal });
}

export function fetchFeedHealth(signal?: AbortSignal): Promise<FeedHealthView[]> {
  return apiRequest<FeedHealthView[]>('/api/feeds/health', { signal });
}

export function fetchFeed(key: string, signal?: AbortSignal): Promise<FeedDefinition> {
  return apiRequest<FeedDefinition>(feedPath(key), { signal });
}

export function fetchFeedSample(key: string, limit: number, signal?: AbortSignal): Promise<FeedSampleRecord[]> {
  return apiRequest<FeedSampleRecord[]>(`${feedPath(key)}/sample`, { query: { limit }, signal });
}

export function fetchFeedEntities(key: string, limit: number, signal?: AbortSignal): Promise<FeedEntityRecord[]> {
  return apiRequest<FeedEntityRecord[]>(`${feedPath(key)}/entities`, { query: { limit }, signal });
}

export function fetchRejectedRecords(key: string, limit: number, signal?: AbortSignal): Promise<RejectedRecord[]> {
  return apiRequest<RejectedRecord[]>(`${feedPath(key)}/rejected`, { query: { limit }, signal });
}

export function replayRejectedRecords(key: string): Promise<ReplayResult> {
  return apiRequest<ReplayResult>(`${feedPath(key)}/rejected/replay`, { method: 'POST' });
}
