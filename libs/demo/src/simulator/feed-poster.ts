import type { IngestRecord, IngestResult } from '@cityops/contracts';

/** One entity's state as `PUT /api/feeds/:key/entities` takes it. */
export interface EntityStateInput {
  id: string;
  ts: string;
  location: [number, number];
  props: Record<string, unknown>;
}

export type PostOutcome =
  | { kind: 'accepted'; result: IngestResult }
  | { kind: 'unauthorized'; status: number; body: string }
  | { kind: 'http-error'; status: number; body: string }
  | { kind: 'unreachable'; error: string };

/** Answer bodies are logged; a proxy's HTML error page must not flood the log. */
const MAX_LOGGED_BODY = 500;

export function recordsUrl(apiUrl: string, feedKey: string): string {
  return `${apiUrl.replace(/\/+$/, '')}/api/feeds/${encodeURIComponent(feedKey)}/records`;
}

export function entitiesUrl(apiUrl: string, feedKey: string): string {
  return `${apiUrl.replace(/\/+$/, '')}/api/feeds/${encodeURIComponent(feedKey)}/entities`;
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    const cause = (error as Error & { cause?: unknown }).cause;
    const code = cause && typeof cause === 'object' && 'code' in cause ? String(cause.code) : undefined;
    return code ? `${error.message} (${code})` : error.message;
  }
  return String(error);
}

/** Posts one batch the way an outside system does: bearer token, JSON, no retries of its own. */
export function postRecords(url: string, token: string, records: readonly IngestRecord[], signal: AbortSignal): Promise<PostOutcome> {
  return send(url, 'POST', token, { records }, signal);
}

/** Pushes entities' new states (`PUT /api/feeds/:key/entities`) as an outside system does. */
export function putEntities(url: string, token: string, entities: readonly EntityStateInput[], signal: AbortSignal): Promise<PostOutcome> {
  return send(url, 'PUT', token, { entities }, signal);
}

async function send(url: string, method: 'POST' | 'PUT', token: string, body: object, signal: AbortSignal): Promise<PostOutcome> {
  let response: Response;
  try {
    response = await fetch(url, {
      method,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify(body),
      signal,
    });
  } catch (error) {
    return { kind: 'unreachable', error: describe(error) };
  }
  let text: string;
  try {
    text = await response.text();
  } catch (error) {
    return { kind: 'unreachable', error: describe(error) };
  }
  if (response.status === 401) return { kind: 'unauthorized', status: 401, body: text.slice(0, MAX_LOGGED_BODY) };
  if (!response.ok) return { kind: 'http-error', status: response.status, body: text.slice(0, MAX_LOGGED_BODY) };
  try {
    return { kind: 'accepted', result: JSON.parse(text) as IngestResult };
  } catch {
    return { kind: 'http-error', status: response.status, body: `not JSON: ${text.slice(0, MAX_LOGGED_BODY)}` };
  }
}
