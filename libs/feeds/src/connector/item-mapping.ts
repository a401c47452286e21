import type { ConnectorConfig } from '@cityops/contracts';

const NUMERIC = /^\s*-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$/;

/**
 * The value at a dot path (`data.items`, `readings.0.value`). A key that itself contains dots
 * (a CSV column "pm2.5") is matched whole first.
 */
export function valueAt(source: unknown, path: string): unknown {
  if (path === '') return source;
  if (typeof source !== 'object' || source === null) return undefined;
  if (Object.hasOwn(source, path)) return (source as Record<string, unknown>)[path];
  let current: unknown = source;
  for (const segment of path.split('.')) {
    if (typeof current !== 'object' || current === null || !Object.hasOwn(current, segment)) return undefined;
    current = (current as Record<string, unknown>)[segment];
  }
  return current;
}

const present = (v: unknown): boolean => v !== undefined && v !== null && v !== '';

/** Numbers stay, numeric strings (CSV cells, lax APIs) become numbers, the rest is left for validation to explain. */
function toNumber(v: unknown): unknown {
  return typeof v === 'string' && NUMERIC.test(v) ? Number(v) : v;
}

/** Codes and ids are often numeric in sources (district 440106); records carry them as text. */
function toText(v: unknown): unknown {
  return typeof v === 'number' && Number.isFinite(v) ? String(v) : v;
}

/** Epoch numbers become ISO times: below 1e11 they are seconds (1e11 s is the year 5138), else milliseconds. */
function toTime(v: unknown): unknown {
  if (typeof v !== 'number' || !Number.isFinite(v)) return v;
  const time = new Date(v < 1e11 ? v * 1000 : v);
  // Past JavaScript's dates (±275,760 years) there is no ISO text: the number stays, and validation says why.
  return Number.isNaN(time.getTime()) ? v : time.toISOString();
}

/**
 * One source item in the ingest record shape. Fields the mapping does not name stay out, so a
 * record without an id is deduplicated by its content; a missing time is the fetch time.
 */
export function mapItem(item: unknown, connector: ConnectorConfig, fetchedAt: string): Record<string, unknown> {
  const { mapping } = connector;
  const field = (path: string | undefined): unknown => (path === undefined ? undefined : valueAt(item, path));
  const record: Record<string, unknown> = {};

  const id = field(mapping.id);
  if (present(id)) record.id = toText(id);
  const entity = field(mapping.entity);
  if (present(entity)) record.entity = toText(entity);
  const metric = field(mapping.metric);
  record.metric = present(metric) ? toText(metric) : connector.metric;
  record.value = toNumber(field(mapping.value));
  const ts = field(mapping.ts);
  record.ts = present(ts) ? toTime(ts) : fetchedAt;

  // GeoJSON items carry their Point as __lon/__lat unless the mapping points elsewhere.
  const geo = connector.format === 'geojson';
  const lon = field(mapping.lon ?? (geo ? '__lon' : undefined));
  const lat = field(mapping.lat ?? (geo ? '__lat' : undefined));
  // Half a position is kept so that validation rejects it with a reason instead of it vanishing.
  if (present(lon) || present(lat)) record.location = [present(lon) ? toNumber(lon) : null, present(lat) ? toNumber(lat) : null];

  const area = field(mapping.area);
  if (present(area)) record.area = toText(area);
  return record;
}
