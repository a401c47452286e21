import type {
  AreaLevel,
  AreaView,
  AuditOutcome,
  AuditPage,
  CreateDisplayRequest,
  CreateFeedKeyRequest,
  CreateUserRequest,
  DisplaySecret,
  DisplayView,
  FeedKeySecret,
  FeedKeyView,
  LayerView,
  ResetPasswordRequest,
  Role,
  UpdateDisplayRequest,
  UpdateUserRequest,
  UserView,
} from '@cityops/contracts';
import { apiDownload, apiRequest, type DownloadedFile } from './client';

export type { DisplaySecret, DisplayView, FeedKeySecret, FeedKeyView, UserView } from '@cityops/contracts';

// ---- people ----

export interface UserFilter {
  q?: string;
  role?: Role;
  department?: string;
  /** An area code: people whose scope holds it. */
  area?: string;
  disabled?: boolean;
}

const userPath = (id: string) => `/api/users/${encodeURIComponent(id)}`;

export function fetchUsers(filter: UserFilter, signal?: AbortSignal): Promise<UserView[]> {
  return apiRequest<UserView[]>('/api/users', {
    query: {
      q: filter.q || undefined,
      role: filter.role,
      department: filter.department,
      area: filter.area,
      disabled: filter.disabled === undefined ? undefined : String(filter.disabled),
      limit: 1000,
    },
    signal,
  });
}

/** `department` may be left out: the server's default is none. */
export type NewUser = Omit<CreateUserRequest, 'department'> & { department?: string | null };

export function createUser(user: NewUser): Promise<UserView> {
  return apiRequest<UserView>('/api/users', { method: 'POST', body: user });
}

export function updateUser(id: string, change: UpdateUserRequest): Promise<UserView> {
  return apiRequest<UserView>(userPath(id), { method: 'PATCH', body: change });
}

export function resetUserPassword(id: string, request: ResetPasswordRequest): Promise<UserView> {
  return apiRequest<UserView>(`${userPath(id)}/password`, { method: 'POST', body: request });
}

// ---- areas and zone sets, for scopes ----

export function fetchAreasOfLevel(level: AreaLevel, signal?: AbortSignal): Promise<AreaView[]> {
  return apiRequest<AreaView[]>('/api/areas', { query: { level, limit: 10000 }, signal });
}

export function fetchChildAreas(parentId: number, signal?: AbortSignal): Promise<AreaView[]> {
  return apiRequest<AreaView[]>('/api/areas', { query: { parent: parentId, limit: 10000 }, signal });
}

export interface ZoneSetSummary {
  key: string;
  name: string;
  nameEn: string | null;
}

/** Every zone set, from the map's layer catalog (one GeoJSON layer per zone set). */
export async function fetchZoneSets(signal?: AbortSignal): Promise<ZoneSetSummary[]> {
  const layers = await apiRequest<LayerView[]>('/api/layers', { signal });
  return layers.flatMap((layer) => (layer.kind === 'geojson' ? [{ key: layer.zoneSet, name: layer.name, nameEn: layer.nameEn }] : []));
}

// ---- display devices ----

const displayPath = (id: string) => `/api/displays/${encodeURIComponent(id)}`;

export function fetchDisplays(signal?: AbortSignal): Promise<DisplayView[]> {
  return apiRequest<DisplayView[]>('/api/displays', { signal });
}

/** `description` may be left out: the server's default is none. */
export type NewDisplay = Omit<CreateDisplayRequest, 'description'> & { description?: string | null };

export function createDisplay(display: NewDisplay): Promise<DisplaySecret> {
  return apiRequest<DisplaySecret>('/api/displays', { method: 'POST', body: display });
}

export function updateDisplay(id: string, change: UpdateDisplayRequest): Promise<DisplayView> {
  return apiRequest<DisplayView>(displayPath(id), { method: 'PATCH', body: change });
}

export function rotateDisplayToken(id: string): Promise<DisplaySecret> {
  return apiRequest<DisplaySecret>(`${displayPath(id)}/rotate`, { method: 'POST' });
}

export function revokeDisplay(id: string): Promise<unknown> {
  return apiRequest<unknown>(displayPath(id), { method: 'DELETE' });
}

// ---- feed keys ----

const feedKeyPath = (id: string) => `/api/feed-keys/${encodeURIComponent(id)}`;

export function fetchFeedKeys(signal?: AbortSignal): Promise<FeedKeyView[]> {
  return apiRequest<FeedKeyView[]>('/api/feed-keys', { signal });
}

export function createFeedKey(request: CreateFeedKeyRequest): Promise<FeedKeySecret> {
  return apiRequest<FeedKeySecret>('/api/feed-keys', { method: 'POST', body: request });
}

export function rotateFeedKey(id: string): Promise<FeedKeySecret> {
  return apiRequest<FeedKeySecret>(`${feedKeyPath(id)}/rotate`, { method: 'POST' });
}

export function revokeFeedKey(id: string): Promise<unknown> {
  return apiRequest<unknown>(feedKeyPath(id), { method: 'DELETE' });
}

// ---- audit trail ----

/** The answers of `GET /api/audit` (libs/contracts/src/audit.ts). */
export type { AuditEventView, AuditOutcome, AuditPage } from '@cityops/contracts';

/** The outcomes, for the filter (a value here: the web app takes only types from the contracts). */
export const AUDIT_OUTCOMES = ['success', 'denied', 'failed'] as const satisfies readonly AuditOutcome[];

/** The query parameters of `GET /api/audit` and `GET /api/audit.csv`, as the server reads them. */
export type AuditQuery = Partial<Record<'actor' | 'action' | 'targetType' | 'targetId' | 'outcome' | 'from' | 'to', string>>;

export function fetchAuditPage(query: AuditQuery, before: number | null, limit: number, signal?: AbortSignal): Promise<AuditPage> {
  return apiRequest<AuditPage>('/api/audit', { query: { ...query, before: before ?? undefined, limit }, signal });
}

export function downloadAuditCsv(query: AuditQuery): Promise<DownloadedFile> {
  return apiDownload('/api/audit.csv', { query });
}
