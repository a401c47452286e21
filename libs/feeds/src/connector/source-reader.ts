import type { ReadableStreamReadResult } from 'node:stream/web';
import { parse as parseCsv } from 'csv-parse/sync';
import { type Dispatcher, fetch, type Response } from 'undici';
import type { ConnectorConfig } from '@cityops/contracts';
import { ConnectorAddressError } from './connector-address';
import { valueAt } from './item-mapping';

/** Why a run failed, in words short enough for the health view ("HTTP 503 from …"). */
export class PullError extends Error {
  override readonly name = 'PullError';
}

/** Longest reason kept in connector_state.last_error. */
export const MAX_ERROR_LENGTH = 500;

const ACCEPT: Record<ConnectorConfig['format'], string> = {
  json: 'application/json',
  geojson: 'application/geo+json, application/json',
  csv: 'text/csv',
};

/** The URL without credentials or query, which often carries an API key. */
export function shownUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.origin}${u.pathname}`;
  } catch {
    return '(invalid URL)';
  }
}

// Duck-typed: fetch rejects with a DOMException, which need not be an `Error` of this realm.
type ErrorLike = { name?: unknown; message?: unknown; cause?: unknown };

function asErrorLike(error: unknown): ErrorLike {
  return typeof error === 'object' && error !== null ? error : {};
}

function isTimeout(error: unknown): boolean {
  const { name } = asErrorLike(error);
  return name === 'TimeoutError' || name === 'AbortError';
}

/** "ECONNREFUSED" rather than undici's "fetch failed". */
function networkReason(error: unknown): string {
  const { cause, message } = asErrorLike(error);
  const code = asErrorLike(cause) as { code?: unknown };
  if (typeof code.code === 'string') return ` (${code.code})`;
  return typeof message === 'string' && message ? `: ${message}` : '';
}

const sizeText = (bytes: number) => (bytes >= 1048576 ? `${Math.round(bytes / 1048576)} MB` : `${Math.round(bytes / 1024)} KB`);

/** Reads the body up to `maxBytes`; a larger one is refused rather than buffered whole. */
async function readBody(res: Response, maxBytes: number, url: string): Promise<string> {
  if (!res.body) return '';
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = (await reader.read()) as ReadableStreamReadResult<Uint8Array>;
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw new PullError(`response from ${shownUrl(url)} is larger than ${sizeText(maxBytes)}`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * Where to send the request and with which headers. fetch refuses a URL that carries credentials
 * (`https://user:pass@host/`), which sources often give out: they become HTTP basic authentication,
 * unless the connector sends its own Authorization header.
 */
export function sourceRequest(connector: ConnectorConfig): { url: string; headers: Record<string, string> } {
  const target = new URL(connector.url);
  const headers: Record<string, string> = { accept: ACCEPT[connector.format], 'user-agent': 'cityops-connector', ...connector.headers };
  if (target.username || target.password) {
    const credentials = `${decodeURIComponent(target.username)}:${decodeURIComponent(target.password)}`;
    target.username = '';
    target.password = '';
    if (!Object.keys(headers).some((name) => name.toLowerCase() === 'authorization')) {
      headers.authorization = `Basic ${Buffer.from(credentials, 'utf8').toString('base64')}`;
    }
  }
  return { url: target.toString(), headers };
}

/**
 * Fetches the source with the connector's headers; the timeout covers the body too. Every
 * connection, a redirect's included, goes through `dispatcher` (ConnectorAddressPolicy's), which
 * refuses addresses the connector may not reach.
 */
export async function fetchSource(connector: ConnectorConfig, maxBytes: number, dispatcher: Dispatcher): Promise<string> {
  const { timeoutSeconds } = connector;
  const { url, headers } = sourceRequest(connector);
  try {
    const res = await fetch(url, { headers, signal: AbortSignal.timeout(timeoutSeconds * 1000), dispatcher });
    if (!res.ok) {
      await res.body?.cancel().catch(() => undefined);
      throw new PullError(`HTTP ${res.status} from ${shownUrl(url)}`);
    }
    return await readBody(res, maxBytes, url);
  } catch (error) {
    if (error instanceof PullError) throw error;
    if (isTimeout(error)) throw new PullError(`timeout after ${timeoutSeconds} s`);
    const { cause } = asErrorLike(error);
    if (cause instanceof ConnectorAddressError) throw new PullError(`refused: ${cause.message}`);
    const host = URL.canParse(url) ? new URL(url).host : url;
    throw new PullError(`cannot reach ${host}${networkReason(error)}`);
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch {
    throw new PullError('not JSON');
  }
}

function jsonItems(doc: unknown, itemsPath: string | undefined): unknown[] {
  if (!itemsPath) {
    if (Array.isArray(doc)) return doc;
    throw new PullError('the body is not a list (set itemsPath to where the items are)');
  }
  const items = valueAt(doc, itemsPath);
  if (items === undefined || items === null) throw new PullError(`itemsPath ${itemsPath} not found`);
  if (!Array.isArray(items)) throw new PullError(`itemsPath ${itemsPath} is not a list`);
  return items;
}

/**
 * A Feature as a flat item: its properties, plus `__lon`/`__lat` from a Point geometry (other
 * geometries have no single position for an observation; mapping.area can still place them).
 */
function featureItem(feature: unknown): unknown {
  if (typeof feature !== 'object' || feature === null) return feature;
  const { properties, geometry } = feature as { properties?: unknown; geometry?: { type?: unknown; coordinates?: unknown } | null };
  const item: Record<string, unknown> = typeof properties === 'object' && properties !== null ? { ...properties } : {};
  if (geometry?.type === 'Point' && Array.isArray(geometry.coordinates)) {
    item.__lon = geometry.coordinates[0];
    item.__lat = geometry.coordinates[1];
  }
  return item;
}

function geojsonItems(doc: unknown): unknown[] {
  const d = doc as { type?: unknown; features?: unknown } | null;
  if (typeof d !== 'object' || d === null || d.type !== 'FeatureCollection' || !Array.isArray(d.features)) {
    throw new PullError('not a GeoJSON FeatureCollection');
  }
  return d.features.map(featureItem);
}

function csvItems(text: string): unknown[] {
  try {
    return parseCsv<unknown>(text, { columns: true, bom: true, skip_empty_lines: true, relax_column_count: true, trim: true });
  } catch (error) {
    throw new PullError(`CSV could not be read: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** The source's items, by format; the mapping then turns each into a record. */
export function sourceItems(connector: ConnectorConfig, text: string): unknown[] {
  switch (connector.format) {
    case 'json':
      return jsonItems(parseJson(text), connector.itemsPath);
    case 'geojson':
      return geojsonItems(parseJson(text));
    case 'csv':
      return csvItems(text);
  }
}
