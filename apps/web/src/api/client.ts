import type { ProblemDetails } from '@cityops/contracts';
import { noteServerDate } from '../clock';

/** `type` of the problem made up on the client when the server could not be reached. */
export const NETWORK_PROBLEM_TYPE = 'urn:cityops:problem:network';

/** An error answer of the API, always carrying RFC 9457 problem details (never the raw body). */
export class ApiError extends Error {
  readonly problem: ProblemDetails;

  constructor(problem: ProblemDetails) {
    super(problem.detail ? `${problem.title}: ${problem.detail}` : problem.title);
    this.name = 'ApiError';
    this.problem = problem;
  }

  /** HTTP status; 0 when the request never got an answer. */
  get status(): number {
    return this.problem.status;
  }

  get isNetworkError(): boolean {
    return this.problem.type === NETWORK_PROBLEM_TYPE;
  }
}

export function isAbortError(error: unknown): boolean {
  return error instanceof DOMException && error.name === 'AbortError';
}

/** Hooks the session module plugs in, so that this module does not depend on it. */
export interface ApiAuthHooks {
  /** Current access token, or null when signed out. */
  getToken(): string | null;
  /** Called on a 401; resolves true when a new token was obtained and the call may be retried. */
  onUnauthorized(): Promise<boolean>;
}

let authHooks: ApiAuthHooks = {
  getToken: () => null,
  onUnauthorized: () => Promise.resolve(false),
};

export function configureApiAuth(hooks: ApiAuthHooks): void {
  authHooks = hooks;
}

export function currentAccessToken(): string | null {
  return authHooks.getToken();
}

export type QueryValue = string | number | boolean | null | undefined;

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  query?: Record<string, QueryValue>;
  body?: unknown;
  /** A file sent as the body itself (with its own type), instead of JSON. */
  upload?: Blob;
  /** Send the bearer token and handle 401 (default true). */
  auth?: boolean;
  signal?: AbortSignal;
}

function buildUrl(path: string, query?: Record<string, QueryValue>): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== null) params.set(key, String(value));
  }
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

async function send(path: string, options: RequestOptions): Promise<Response> {
  const headers = new Headers({ Accept: 'application/json, application/problem+json' });
  if (options.upload) headers.set('Content-Type', options.upload.type || 'application/octet-stream');
  else if (options.body !== undefined) headers.set('Content-Type', 'application/json');
  if (options.auth !== false) {
    const token = authHooks.getToken();
    if (token) headers.set('Authorization', `Bearer ${token}`);
  }
  try {
    const response = await fetch(buildUrl(path, options.query), {
      method: options.method ?? 'GET',
      headers,
      body: options.upload ?? (options.body === undefined ? undefined : JSON.stringify(options.body)),
      signal: options.signal,
      credentials: 'same-origin',
      cache: 'no-store',
    });
    noteServerDate(response.headers.get('Date'));
    return response;
  } catch (error) {
    if (isAbortError(error)) throw error;
    throw new ApiError({
      type: NETWORK_PROBLEM_TYPE,
      title: 'Network error',
      status: 0,
      detail: error instanceof Error ? error.message : undefined,
    });
  }
}

function isProblem(value: unknown): value is ProblemDetails {
  return typeof value === 'object' && value !== null && typeof (value as { title?: unknown }).title === 'string';
}

async function problemOf(response: Response): Promise<ProblemDetails> {
  const contentType = response.headers.get('Content-Type') ?? '';
  if (contentType.includes('json')) {
    try {
      const body: unknown = await response.json();
      if (isProblem(body)) {
        return { ...body, type: body.type || 'about:blank', status: body.status || response.status };
      }
    } catch {
      // Not JSON after all: fall through to a generic problem (the raw body is never shown).
    }
  }
  return {
    type: 'about:blank',
    title: response.statusText || `HTTP ${response.status}`,
    status: response.status,
  };
}

async function parse<T>(response: Response): Promise<T> {
  if (!response.ok) throw new ApiError(await problemOf(response));
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

/** A file the API sent (e.g. a CSV export), with the name its `Content-Disposition` suggests. */
export interface DownloadedFile {
  blob: Blob;
  fileName: string | null;
}

function fileNameOf(disposition: string | null): string | null {
  const match = disposition ? /filename="?([^";]+)"?/i.exec(disposition) : null;
  return match ? match[1] : null;
}

/**
 * A file from the API with the bearer token (which a plain link cannot send), the same retry
 * after a 401 and the same problem details on failure as {@link apiRequest}.
 */
export async function apiDownload(path: string, options: Omit<RequestOptions, 'body' | 'method'> = {}): Promise<DownloadedFile> {
  let response = await send(path, options);
  if (response.status === 401 && options.auth !== false && (await authHooks.onUnauthorized())) {
    response = await send(path, options);
  }
  if (!response.ok) throw new ApiError(await problemOf(response));
  return { blob: await response.blob(), fileName: fileNameOf(response.headers.get('Content-Disposition')) };
}

/**
 * `fetch` for the cityops API: JSON in and out, bearer token, one retry after a 401 once the
 * session renewed its token, and every error as an {@link ApiError} with problem details.
 */
export async function apiRequest<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const response = await send(path, options);
  if (response.status === 401 && options.auth !== false) {
    if (await authHooks.onUnauthorized()) {
      return parse<T>(await send(path, options));
    }
  }
  return parse<T>(response);
}

/** POSTs a file as the request body (e.g. a case photo), with the same token, retry and problems as {@link apiRequest}. */
export function apiUpload<T>(path: string, file: Blob, options: Omit<RequestOptions, 'body' | 'method' | 'upload'> = {}): Promise<T> {
  return apiRequest<T>(path, { ...options, method: 'POST', upload: file });
}
