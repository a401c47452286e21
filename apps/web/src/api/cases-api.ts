import type {
  CaseActionRequest,
  CaseCategoryView,
  CaseDetail,
  CasePage,
  CasePhotoView,
  CaseStatistics,
  DepartmentView,
  FileCaseRequest,
  SplitCaseRequest,
} from '@cityops/contracts';
import { casesApiQuery, type CaseFilters } from '../cases/case-filters';
import { apiDownload, apiRequest, apiUpload } from './client';

/** The API calls of the cases page (`/cases`). */

export function fetchCases(filters: CaseFilters, before: string | null, signal?: AbortSignal): Promise<CasePage> {
  return apiRequest<CasePage>('/api/cases', { query: casesApiQuery(filters, before), signal });
}

/** The cases filed from an alert that this person sees, newest first. */
export function fetchAlertCases(alertId: string, signal?: AbortSignal): Promise<CasePage> {
  return apiRequest<CasePage>(`/api/alerts/${encodeURIComponent(alertId)}/cases`, { query: { limit: 20 }, signal });
}

/** Files a case; a retry with the same `clientRequestId` answers the case the first attempt filed. */
export function fileCase(request: FileCaseRequest): Promise<CaseDetail> {
  return apiRequest<CaseDetail>('/api/cases', { method: 'POST', body: request });
}

export function fetchCase(code: string, signal?: AbortSignal): Promise<CaseDetail> {
  return apiRequest<CaseDetail>(`/api/cases/${encodeURIComponent(code)}`, { signal });
}

export function fetchCaseCategories(signal?: AbortSignal): Promise<CaseCategoryView[]> {
  return apiRequest<CaseCategoryView[]>('/api/case-categories', { signal });
}

export function fetchCaseDepartments(signal?: AbortSignal): Promise<DepartmentView[]> {
  return apiRequest<DepartmentView[]>('/api/departments', { signal });
}

export function actOnCase(code: string, request: CaseActionRequest): Promise<CaseDetail> {
  return apiRequest<CaseDetail>(`/api/cases/${encodeURIComponent(code)}/actions`, { method: 'POST', body: request });
}

/** Splits one new case off a case; answers the new case. */
export function splitCase(code: string, request: SplitCaseRequest): Promise<CaseDetail> {
  return apiRequest<CaseDetail>(`/api/cases/${encodeURIComponent(code)}/split`, { method: 'POST', body: request });
}

export function addCaseNote(code: string, comment: string, internal: boolean): Promise<CaseDetail> {
  return apiRequest<CaseDetail>(`/api/cases/${encodeURIComponent(code)}/notes`, { method: 'POST', body: { comment, internal } });
}

/** The image itself as the body; the server tells its type by its content. */
export function uploadCasePhoto(code: string, stage: CasePhotoView['stage'], image: Blob): Promise<CasePhotoView> {
  return apiUpload<CasePhotoView>(`/api/cases/${encodeURIComponent(code)}/photos`, image, { query: { stage } });
}

/** A photo's bytes with the bearer token (an `<img src>` cannot send it): shown from an object URL. */
export async function fetchCasePhoto(code: string, id: string, size: 'full' | 'thumbnail', signal?: AbortSignal): Promise<Blob> {
  return (await apiDownload(`/api/cases/${encodeURIComponent(code)}/photos/${encodeURIComponent(id)}`, { query: { size }, signal })).blob;
}

/** The loop's numbers per district (the wall's 企业呼 promise kept; displays may read them). */
export function fetchCaseStatisticsByDistrict(signal?: AbortSignal): Promise<CaseStatistics> {
  return apiRequest<CaseStatistics>('/api/cases/statistics', { query: { by: 'district' }, signal });
}

/** The loop's numbers for the statistics view of `/cases`, in the window the view worked out. */
export function fetchCaseStatistics(
  by: 'district' | 'street' | 'department',
  from: Date,
  to: Date,
  signal?: AbortSignal,
): Promise<CaseStatistics> {
  return apiRequest<CaseStatistics>('/api/cases/statistics', { query: { by, from: from.toISOString(), to: to.toISOString() }, signal });
}
