import type {
  PublicCasePhoto,
  PublicCaseView,
  PublicFileCaseRequest,
  PublicFiledCase,
  PublicRatingRequest,
  PublicReportContext,
} from '@cityops/contracts';
import { ApiError, apiRequest } from './client';
import { sendPhoto, uploadProblem, type UploadProgress } from './grid-worker-api';

/**
 * What the citizen's pages (`/report`, `/r/<token>`) ask of the API: no account, no token of a
 * session; a case is reached by its public token.
 */

export function fetchReportContext(grid: string, signal?: AbortSignal): Promise<PublicReportContext> {
  return apiRequest<PublicReportContext>('/api/public/report-context', { query: { grid }, auth: false, signal });
}

/** Files a report; a retry with the same `clientRequestId` and report answers the first case, from any address. */
export function filePublicCase(request: PublicFileCaseRequest): Promise<PublicFiledCase> {
  return apiRequest<PublicFiledCase>('/api/public/cases', { method: 'POST', body: request, auth: false });
}

export function fetchPublicCase(token: string, signal?: AbortSignal): Promise<PublicCaseView> {
  return apiRequest<PublicCaseView>(`/api/public/cases/${encodeURIComponent(token)}`, { auth: false, signal });
}

export function ratePublicCase(token: string, request: PublicRatingRequest): Promise<PublicCaseView> {
  return apiRequest<PublicCaseView>(`/api/public/cases/${encodeURIComponent(token)}/rating`, {
    method: 'POST',
    body: request,
    auth: false,
  });
}

/** A photo of the case as an address an `<img>` may load: no token is needed beyond the case's own. */
export function publicPhotoUrl(token: string, id: string, size: 'full' | 'thumbnail'): string {
  return `/api/public/cases/${encodeURIComponent(token)}/photos/${encodeURIComponent(id)}?size=${size}`;
}

/** Uploads one photo of the problem to the reporter's case (stage `report` only), reporting progress. */
export async function uploadPublicPhoto(token: string, _stage: string, file: Blob, onProgress: UploadProgress): Promise<PublicCasePhoto> {
  const xhr = await sendPhoto(`/api/public/cases/${encodeURIComponent(token)}/photos`, file, onProgress);
  if (xhr.status >= 200 && xhr.status < 300) return JSON.parse(xhr.responseText) as PublicCasePhoto;
  throw new ApiError(uploadProblem(xhr.status, xhr.statusText, xhr.responseText, xhr.getResponseHeader('Content-Type') ?? ''));
}
