import type { IngestRecord, IngestResult } from '@cityops/contracts';

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

function describe(error: unknown): string {
  if (error instanceof Error) {
    const cause = (error as Error & { cause?: unknown }).cause;
    const code = cause && typeof cause === 'object' && 'code' in cause ? String(cause.code) : undefined;
    return code ? `${error.message} (${code})` : error.message;
  }
  return String(error);
}

/** Posts one batch the way an outside system does: bearer token, JSON, no retries of its own. */
export async function postRecords(url: string, token: string, records: readonly IngestRecord[], signal: AbortSignal): Promise<PostOutcome> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ records }),
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
