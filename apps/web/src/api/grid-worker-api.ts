import type {
  CaseActionRequest,
  CaseCategoryView,
  CaseDetail,
  CaseDuplicatesQuery,
  CaseDuplicateView,
  CasePage,
  CasePhotoStage,
  CasePhotoView,
  FileCaseRequest,
  ProblemDetails,
} from '@cityops/contracts';
import { handleUnauthorized } from '../auth/session';
import { ApiError, apiDownload, apiRequest, currentAccessToken, NETWORK_PROBLEM_TYPE } from './client';

/**
 * What the grid worker's phone page (`/m`) asks of the cases API. Kept apart from the `/cases`
 * screen's module: the phone needs only these calls, and a photo upload with progress.
 */

export function fetchCaseCategories(signal?: AbortSignal): Promise<CaseCategoryView[]> {
  return apiRequest<CaseCategoryView[]>('/api/case-categories', { signal });
}

/** Files a case; a retry with the same `clientRequestId` answers the case the first attempt filed. */
export function fileCase(request: FileCaseRequest): Promise<CaseDetail> {
  return apiRequest<CaseDetail>('/api/cases', { method: 'POST', body: request });
}

/** Open cases of a category near a place (the server's duplicate rule), nearest first: shown while reporting. */
export function fetchCaseDuplicates(query: CaseDuplicatesQuery, signal?: AbortSignal): Promise<CaseDuplicateView[]> {
  return apiRequest<CaseDuplicateView[]>('/api/cases/duplicates', { query, signal });
}

/** The open cases the server lets this worker see (its areas and its own filings), newest first. */
export function fetchOpenCases(signal?: AbortSignal): Promise<CasePage> {
  return apiRequest<CasePage>('/api/cases', { query: { open: true, limit: 100 }, signal });
}

export function fetchCase(code: string, signal?: AbortSignal): Promise<CaseDetail> {
  return apiRequest<CaseDetail>(`/api/cases/${encodeURIComponent(code)}`, { signal });
}

export function actOnCase(code: string, request: CaseActionRequest): Promise<CaseDetail> {
  return apiRequest<CaseDetail>(`/api/cases/${encodeURIComponent(code)}/actions`, { method: 'POST', body: request });
}

/** A photo's bytes with the bearer token (an `<img src>` cannot send it), to show from an object URL. */
export async function fetchCasePhoto(code: string, id: string, size: 'full' | 'thumbnail', signal?: AbortSignal): Promise<Blob> {
  const path = `/api/cases/${encodeURIComponent(code)}/photos/${encodeURIComponent(id)}`;
  return (await apiDownload(path, { query: { size }, signal })).blob;
}

/** 0…1 of the bytes sent. */
export type UploadProgress = (fraction: number) => void;

function isProblem(value: unknown): value is ProblemDetails {
  return typeof value === 'object' && value !== null && typeof (value as { title?: unknown }).title === 'string';
}

/** The server's problem of a failed upload; one made up when the answer carries none. */
export function uploadProblem(status: number, statusText: string, body: string, contentType: string): ProblemDetails {
  if (contentType.includes('json')) {
    try {
      const parsed: unknown = JSON.parse(body);
      if (isProblem(parsed)) return { ...parsed, type: parsed.type || 'about:blank', status: parsed.status || status };
    } catch {
      // Not JSON after all: a generic problem below (the raw body is never shown).
    }
  }
  return { type: 'about:blank', title: statusText || `HTTP ${status}`, status };
}

export function sendPhoto(path: string, file: Blob, onProgress: UploadProgress, signal?: AbortSignal): Promise<XMLHttpRequest> {
  return new Promise((resolve, reject) => {
    // XMLHttpRequest, not fetch: only it reports how much of the body has gone up.
    const xhr = new XMLHttpRequest();
    xhr.open('POST', path);
    const token = currentAccessToken();
    if (token) xhr.setRequestHeader('Authorization', `Bearer ${token}`);
    xhr.setRequestHeader('Accept', 'application/json, application/problem+json');
    // The server tells the type by the bytes; the declared one is only a courtesy.
    xhr.setRequestHeader('Content-Type', file.type || 'application/octet-stream');
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable && event.total > 0) onProgress(event.loaded / event.total);
    };
    xhr.onload = () => resolve(xhr);
    xhr.onerror = () =>
      reject(new ApiError({ type: NETWORK_PROBLEM_TYPE, title: 'Network error', status: 0, detail: 'The upload did not get through.' }));
    xhr.onabort = () => reject(new DOMException('The upload was cancelled.', 'AbortError'));
    signal?.addEventListener('abort', () => xhr.abort(), { once: true });
    xhr.send(file);
  });
}

/**
 * Uploads one photo (the raw image as the body) to a case, reporting progress; a refusal
 * (413, 415, 422 …) comes back as an {@link ApiError} with the server's problem.
 */
export async function uploadCasePhoto(
  code: string,
  stage: CasePhotoStage,
  file: Blob,
  onProgress: UploadProgress,
  signal?: AbortSignal,
): Promise<CasePhotoView> {
  const path = `/api/cases/${encodeURIComponent(code)}/photos?stage=${stage}`;
  let xhr = await sendPhoto(path, file, onProgress, signal);
  if (xhr.status === 401 && (await handleUnauthorized())) {
    onProgress(0);
    xhr = await sendPhoto(path, file, onProgress, signal);
  }
  if (xhr.status >= 200 && xhr.status < 300) return JSON.parse(xhr.responseText) as CasePhotoView;
  throw new ApiError(uploadProblem(xhr.status, xhr.statusText, xhr.responseText, xhr.getResponseHeader('Content-Type') ?? ''));
}
