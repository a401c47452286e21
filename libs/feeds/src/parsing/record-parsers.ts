import type { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { CsvError, parse as parseCsv } from 'csv-parse';
import { MAX_RECORDS_PER_REQUEST } from '@cityops/contracts';
import { BadBodyError, TooManyRecordsError, UnsupportedMediaTypeError } from '../feed.exception';
import { readText } from './request-body';

export type IngestFormat = 'json' | 'geojson' | 'ndjson' | 'csv';

/** One item of a body: a raw record, or why the item could not even be read as one. */
export type RawItem = { raw: unknown; error?: undefined } | { raw: unknown; error: string };

export function formatOf(contentType: string | undefined): IngestFormat {
  const type = (contentType ?? 'application/json').split(';')[0].trim().toLowerCase();
  if (type === 'application/json' || type === 'text/json') return 'json';
  if (type === 'application/geo+json') return 'geojson';
  if (type === 'application/x-ndjson' || type === 'application/ndjson' || type === 'application/jsonl' || type === 'application/json-seq')
    return 'ndjson';
  if (type === 'text/csv' || type === 'application/csv') return 'csv';
  throw new UnsupportedMediaTypeError(
    `Content-Type ${type} is not accepted: use application/json, application/geo+json, application/x-ndjson or text/csv.`,
  );
}

/** A GeoJSON Feature's properties are the record; a Point geometry is its location. */
export function featureToRecord(feature: unknown): RawItem {
  if (typeof feature !== 'object' || feature === null || (feature as { type?: unknown }).type !== 'Feature') {
    return { raw: feature, error: 'not a GeoJSON Feature' };
  }
  const { properties, geometry } = feature as { properties?: unknown; geometry?: { type?: unknown; coordinates?: unknown } | null };
  const record: Record<string, unknown> = typeof properties === 'object' && properties !== null ? { ...properties } : {};
  if (geometry) {
    if (geometry.type !== 'Point') {
      const type = typeof geometry.type === 'string' ? geometry.type.slice(0, 40) : `a ${typeof geometry.type}`;
      return { raw: feature, error: `geometry: observations take Point locations, not ${type} (send shapes as entities)` };
    }
    record.location = geometry.coordinates;
  }
  return { raw: record };
}

/**
 * A document is read whole and checked before anything of it is written, so one over the cap is
 * refused whole: nothing of it is stored, and the sender splits it.
 */
export function assertDocumentSize(count: number, what = 'records'): void {
  if (count > MAX_RECORDS_PER_REQUEST) {
    throw new TooManyRecordsError(
      `The request holds ${count.toLocaleString('en')} ${what}; one request may hold at most ${MAX_RECORDS_PER_REQUEST.toLocaleString('en')}. ` +
        'Nothing was stored: split it, or stream NDJSON or CSV.',
    );
  }
}

/** The whole document: an array of records, `{records: […]}` or a FeatureCollection. */
export function documentItems(doc: unknown): RawItem[] {
  const list = (items: unknown[], toItem: (raw: unknown) => RawItem): RawItem[] => {
    assertDocumentSize(items.length);
    return items.map(toItem);
  };
  if (Array.isArray(doc)) return list(doc, (raw) => ({ raw }));
  if (typeof doc === 'object' && doc !== null) {
    const d = doc as { type?: unknown; features?: unknown; records?: unknown };
    if (d.type === 'FeatureCollection' && Array.isArray(d.features)) return list(d.features as unknown[], featureToRecord);
    if (Array.isArray(d.records)) return list(d.records as unknown[], (raw) => ({ raw }));
  }
  throw new BadBodyError('Send a JSON array of records, an object {"records": [...]}, or a GeoJSON FeatureCollection.');
}

/**
 * Items are handed on in batches, not one by one: every step of an async iterator is a promise,
 * and at tens of thousands of records a second those promises cost more than the parsing.
 */
export type ItemBatches = AsyncGenerator<RawItem[]>;

/** Lines kept together before they are handed on (a stream may deliver thousands per chunk). */
const LINES_PER_BATCH = 1000;

async function* jsonItems(body: Readable): ItemBatches {
  const text = await readText(body);
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw new BadBodyError('The request body is not valid JSON.');
  }
  yield documentItems(doc);
}

function lineItem(line: string, lineNumber: number): RawItem | null {
  if (line.endsWith('\r')) line = line.slice(0, -1);
  if (line.trim() === '') return null;
  try {
    return { raw: JSON.parse(line) };
  } catch {
    return { raw: line.length > 2000 ? `${line.slice(0, 2000)}…` : line, error: `line ${lineNumber}: not valid JSON` };
  }
}

/** A record is a few hundred bytes; a longer line (NDJSON or CSV) is a broken sender and must not fill memory. */
export const MAX_LINE_CHARS = 1024 * 1024;

/**
 * NDJSON split on the decoded stream's chunks, so a line that spans two chunks stays whole. A
 * line over MAX_LINE_CHARS is not held: its start is kept as the rejected raw form and the
 * rest is skipped up to the next line end.
 */
async function* ndjsonItems(body: Readable): ItemBatches {
  const decoder = new StringDecoder('utf8');
  let rest = '';
  let overlong: string | null = null; // the start of a line being skipped
  let lineNumber = 0;
  let batch: RawItem[] = [];
  for await (const chunk of body) {
    let text = decoder.write(chunk as Buffer);
    if (overlong !== null) {
      const end = text.indexOf('\n');
      if (end < 0) continue;
      batch.push(overlongItem(overlong, ++lineNumber));
      overlong = null;
      text = text.slice(end + 1);
    }
    const lines = (rest + text).split('\n');
    rest = lines.pop()!;
    for (const line of lines) {
      const item = line.length > MAX_LINE_CHARS ? overlongItem(line, ++lineNumber) : lineItem(line, ++lineNumber);
      if (item) batch.push(item);
    }
    if (rest.length > MAX_LINE_CHARS) {
      overlong = rest.slice(0, 2000);
      rest = '';
    }
    if (batch.length >= LINES_PER_BATCH) {
      yield batch;
      batch = [];
    }
  }
  const tail = rest + decoder.end();
  const last = overlong !== null ? overlongItem(overlong, lineNumber + 1) : lineItem(tail, lineNumber + 1);
  if (last) batch.push(last);
  if (batch.length) yield batch;
}

function overlongItem(start: string, lineNumber: number): RawItem {
  return { raw: `${start.slice(0, 2000)}…`, error: `line ${lineNumber}: longer than ${MAX_LINE_CHARS} characters` };
}

const NUMERIC = /^-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;

/** A CSV row (header names as keys) in the record shape: lon/lat → location, props.* → props. */
export function csvRowToRecord(row: Record<string, string>): Record<string, unknown> {
  const record: Record<string, unknown> = {};
  const props: Record<string, unknown> = {};
  let lon: string | undefined;
  let lat: string | undefined;
  for (const [column, text] of Object.entries(row)) {
    const key = column.trim();
    const value = text.trim();
    if (value === '') continue;
    if (key === 'lon' || key === 'lng' || key === 'longitude') lon = value;
    else if (key === 'lat' || key === 'latitude') lat = value;
    else if (key === 'value') record.value = NUMERIC.test(value) ? Number(value) : value;
    else if (key === 'id' || key === 'entity' || key === 'metric' || key === 'ts' || key === 'area') record[key] = value;
    else props[key.startsWith('props.') ? key.slice(6) : key] = NUMERIC.test(value) ? Number(value) : value;
  }
  if (lon !== undefined || lat !== undefined) {
    record.location = [NUMERIC.test(lon ?? '') ? Number(lon) : lon, NUMERIC.test(lat ?? '') ? Number(lat) : lat];
  }
  if (Object.keys(props).length) record.props = props;
  return record;
}

async function* csvItems(body: Readable): ItemBatches {
  const parser = body.pipe(
    parseCsv({ columns: true, bom: true, skip_empty_lines: true, relax_column_count: true, trim: false, max_record_size: MAX_LINE_CHARS }),
  );
  body.on('error', (e) => parser.destroy(e));
  let batch: RawItem[] = [];
  try {
    for await (const row of parser) {
      batch.push({ raw: csvRowToRecord(row as Record<string, string>) });
      if (batch.length >= LINES_PER_BATCH) {
        yield batch;
        batch = [];
      }
    }
  } catch (error) {
    // csv-parse's errors are the body's fault (an opening quote mid-field, a record over 1 MiB, …).
    if (error instanceof CsvError) throw new BadBodyError(`The CSV could not be read: ${error.message.slice(0, 300)}`);
    throw error;
  } finally {
    // The body is piped, not iterated: ending it here is what lets the rest of an upload be drained
    // when the parser failed or the reader stopped early (a paused request holds its connection).
    body.destroy();
  }
  if (batch.length) yield batch;
}

/** Records from a request body, in batches: NDJSON and CSV stream, JSON documents are read whole. */
export function recordItems(body: Readable, format: IngestFormat): ItemBatches {
  switch (format) {
    case 'json':
    case 'geojson':
      return jsonItems(body);
    case 'ndjson':
      return ndjsonItems(body);
    case 'csv':
      return csvItems(body);
  }
}
