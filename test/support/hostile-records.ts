import fc from 'fast-check';
import { findUnstorable } from '@cityops/contracts';

/**
 * Generated ingest records for the property-based tests: valid ones a feed must store exactly, and
 * hostile ones it must either store exactly or reject with a reason, never fail on. Records are
 * written as JSON text (not objects), so a record nested 20,000 deep can be sent without building
 * it in memory.
 */

/** A value nested `depth` levels deep, as JSON text. */
export const deepJson = (depth: number, open = '{"a":', close = '}'): string => `${open.repeat(depth)}1${close.repeat(depth)}`;

/** The demo's marathon feed, which every test database has: metric `headcount` (0 … 5,000), zones GZM-01 … GZM-21. */
export const RECORDS_FEED = 'marathon-crowd';
const ZONES = Array.from({ length: 21 }, (_, i) => `GZM-${String(i + 1).padStart(2, '0')}`);

/** What the feed must do with a record. */
export type Expectation = 'stored' | 'rejected' | 'either';

/** One record of a request: how to write it in each format, and what must become of it. */
export interface RecordCase {
  /** How fast-check prints it in a failure report: its label, not 20,000 brackets. */
  [fc.toStringMethod]: () => string;
  id: string;
  expect: Expectation;
  /** Why it is hostile, for the failure report. */
  label: string;
  /** The record as an object, with `DEEP` standing for `deep` in its JSON text; null when `json` is the whole text. */
  record: Record<string, unknown> | null;
  /** The record's JSON text (what JSON, NDJSON and MQTT send). */
  json: string;
  /** Its CSV cells by column, or null when it has no CSV form (nesting, a location object, …). */
  csv: Record<string, string> | null;
  /** Only NDJSON carries it (an unreadable line: in a JSON document it would spoil the whole body). */
  ndjsonOnly?: boolean;
}

const CSV_COLUMNS = ['id', 'entity', 'metric', 'value', 'ts', 'area', 'lon', 'lat', 'note'] as const;

function csvCell(text: string): string {
  return /[",\r\n]/.test(text) || text.trim() !== text ? `"${text.replaceAll('"', '""')}"` : text;
}

/** A CSV body: a header row, then one row per case (empty cells for the columns a record lacks). */
export function csvBody(cases: RecordCase[]): string {
  const rows = cases.map((c) => CSV_COLUMNS.map((column) => csvCell(c.csv?.[column] ?? '')).join(','));
  return [CSV_COLUMNS.join(','), ...rows].join('\r\n');
}

/** A case as a failure report shows it (`this` is the case). */
function describe(this: RecordCase): string {
  return `${this.label}: ${this.json.length > 300 ? `${this.json.slice(0, 300)}… (${this.json.length} characters)` : this.json}`;
}

/** A time within the last 30 days, written with one of the offsets a sender may use. */
const recentTime = fc
  .tuple(fc.integer({ min: 0, max: 30 * 86400 }), fc.constantFrom(0, 8 * 60, -(5 * 60 + 30), 15 * 60 + 59, -(15 * 60 + 59)))
  .map(([secondsAgo, offsetMinutes]) => {
    const instant = Math.floor(Date.now() / 1000) * 1000 - secondsAgo * 1000;
    const local = new Date(instant + offsetMinutes * 60000).toISOString().slice(0, 19);
    if (offsetMinutes === 0) return `${local}Z`;
    const abs = Math.abs(offsetMinutes);
    const zone = `${offsetMinutes < 0 ? '-' : '+'}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
    return `${local}${zone}`;
  });

/** Props a sender may well send: any JSON a few levels deep, with any well-formed text (CJK, emoji, RTL…). */
const storableProps = fc
  .dictionary(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 12 }), fc.jsonValue({ maxDepth: 3, stringUnit: 'grapheme' }), {
    maxKeys: 4,
  })
  .filter((props) => findUnstorable(props) === null);

/** A text cell CSV keeps as text (not taken for a number, no surrounding blanks). */
const csvText = fc
  .string({ unit: 'grapheme', minLength: 1, maxLength: 20 })
  .map((s) => `n-${s.trim()}`)
  .filter((s) => findUnstorable(s) === null);

/** A valid record for RECORDS_FEED, tagged by an area code or by a location in the city centre. */
function validCase(id: string) {
  return fc
    .record({
      value: fc.integer({ min: 0, max: 5000 }),
      ts: recentTime,
      place: fc.oneof(
        fc.constantFrom(...ZONES).map((area) => ({ area })),
        fc
          .tuple(fc.double({ min: 113.25, max: 113.35, noNaN: true }), fc.double({ min: 23.1, max: 23.15, noNaN: true }))
          .map((location) => ({
            location,
          })),
      ),
      entity: fc.option(csvText, { nil: undefined }),
      props: fc.option(storableProps, { nil: undefined }),
      note: fc.option(csvText, { nil: undefined }),
    })
    .map(({ value, ts, place, entity, props, note }): RecordCase => {
      const record: Record<string, unknown> = { id, metric: 'headcount', value, ts, ...place };
      if (entity !== undefined) record.entity = entity;
      if (props !== undefined) record.props = props;
      const csv: Record<string, string> = { id, metric: 'headcount', value: String(value), ts };
      if ('area' in place) csv.area = place.area;
      else [csv.lon, csv.lat] = place.location.map(String);
      if (entity !== undefined) csv.entity = entity;
      if (note !== undefined) csv.note = note;
      return { id, expect: 'stored', label: 'valid', record, json: JSON.stringify(record), csv, [fc.toStringMethod]: describe };
    });
}

/** A record that is good but for one field. */
function spoilt(id: string, label: string, change: Record<string, unknown>, expect: Expectation = 'rejected', csv = true) {
  return validCase(id).map((good): RecordCase => {
    const record = { ...good.record, ...change };
    const cells = csv && good.csv ? { ...good.csv, ...Object.fromEntries(Object.entries(change).map(([k, v]) => [k, String(v)])) } : null;
    return { ...good, expect, label, record, json: JSON.stringify(record), csv: cells };
  });
}

/** A record whose props hold `text` as JSON, written into the text (it may be too deep to build). */
function withRawProps(id: string, label: string, text: string) {
  return validCase(id).map((good): RecordCase => {
    const record = { ...good.record, props: 'DEEP' };
    return { ...good, expect: 'rejected', label, record: null, json: JSON.stringify(record).replace('"DEEP"', text), csv: null };
  });
}

/** A record that is not even an object. */
const notARecord = (id: string, text: string): RecordCase => ({
  id,
  expect: 'rejected',
  label: `not a record: ${text.slice(0, 20)}`,
  record: null,
  json: text,
  csv: null,
  [fc.toStringMethod]: describe,
});

/**
 * A hostile record: each class the issue names, in the field where it does harm. Text with a lone
 * surrogate is sent as a JSON escape (`\ud800`); raw, it would become U+FFFD on the way, which is
 * storable, so it has no CSV form. A NUL byte survives CSV and is sent there too.
 */
function hostileCase(id: string): fc.Arbitrary<RecordCase> {
  const r = (label: string, change: Record<string, unknown>, expect: Expectation = 'rejected', csv = true) =>
    spoilt(id, label, change, expect, csv);
  return fc.oneof(
    r('ts in year 0000', { ts: '0000-01-01T00:00:00Z' }),
    r('ts offset +16:00', { ts: '2026-01-01T00:00:00+16:00' }),
    r('ts offset −23:00', { ts: '2026-01-01T00:00:00-23:00' }),
    r('ts before year 1 in UTC', { ts: '0001-01-01T00:00:00+15:00' }),
    r('ts past year 9999 in UTC', { ts: '9999-12-31T23:59:59-15:59' }),
    r('ts 30 February', { ts: '2026-02-30T00:00:00Z' }),
    r('ts without a zone', { ts: '2026-01-01T00:00:00' }),
    r('ts an hour ahead', { ts: new Date(Date.now() + 3600_000).toISOString() }),
    r('ts in year 275760', { ts: '+275760-09-13T00:00:00.000Z' }),
    r('NUL in the id', { id: `${id}\u0000` }),
    r('NUL in the entity', { entity: 'gate\u00001' }),
    r('NUL in the metric', { metric: 'head\u0000count' }),
    r('NUL in the area', { area: 'GZM-01\u0000', location: undefined }),
    r('lone surrogate in the id', { id: `${id}\ud800` }, 'rejected', false),
    r('lone surrogate in the entity', { entity: 'gate\udc00' }, 'rejected', false),
    r('lone surrogate in props', { props: { note: 'a\udbff' } }, 'rejected', false),
    r('lone surrogate in a props key', { props: { ['k\ud800']: 1 } }, 'rejected', false),
    r('NUL in a props key', { props: { ['k\u0000']: 1 } }, 'rejected', false),
    r('an id over 200 characters', { id: `${id}-${'x'.repeat(300)}` }),
    r('a value over the maximum', { value: 1e308 }),
    r('a value that is text', { value: 'many' }),
    r('an unknown metric', { metric: 'speed' }),
    r('an unknown area', { area: 'NOWHERE', location: undefined }),
    r('a location outside the city', { location: [116.4, 39.9], area: undefined }, 'rejected', false),
    r('a latitude of 1e308', { location: [113.3, 1e308], area: undefined }, 'rejected', false),
    r(
      'a Point location with coordinates nested deep',
      { location: { type: 'Point', coordinates: [[[[113.3, 23.1]]]] }, area: undefined },
      'rejected',
      false,
    ),
    r('an unknown field', { extra: true }, 'rejected', false),
    withRawProps(id, 'props nested 65 levels', deepJson(65)),
    withRawProps(id, 'props nested 20,000 levels', deepJson(20000)),
    withRawProps(id, 'props an array nested 20,000 levels', deepJson(20000, '[', ']')),
    withRawProps(id, 'a value of 1e400 (Infinity once parsed)', '{"v":1e400}'),
    fc.constant(notARecord(id, deepJson(20000))),
    fc.constantFrom('42', 'null', '"text"', '[]', 'true').map((text) => notARecord(id, text)),
    fc.constantFrom('{"id": ', 'not json at all', '{"a":1}}').map((text) => ({ ...notARecord(id, text), ndjsonOnly: true })),
    // Strange but storable: these must be stored exactly as sent.
    r(
      'props with text SQL, HTML and format strings would choke on',
      { props: { q: "'; DROP TABLE observation; --", h: '<script>x</script>', f: '%s%n%d' } },
      'stored',
      false,
    ),
    r('props with RTL override, BOM, line separators and emoji', { props: { t: '\u202Eevil\uFEFF\u2028\u2029😀中文' } }, 'stored', false),
    r(
      'props with __proto__ and constructor keys',
      { props: JSON.parse('{"__proto__":{"x":1},"constructor":"c"}') as unknown },
      'stored',
      false,
    ),
    r('props with extreme numbers', { props: { big: 1.7976931348623157e308, tiny: 5e-324, neg: -0 } }, 'stored', false),
    r('props with a 10,000-character string', { props: { long: 'y'.repeat(10000) } }, 'stored', false),
    r('an entity of one emoji', { entity: '👩‍👩‍👧‍👦' }, 'stored'),
  );
}

/** A request's records: valid and hostile ones mixed, each with an id unique to `prefix`. */
export function recordCases(prefix: string, options: { maxLength?: number } = {}): fc.Arbitrary<RecordCase[]> {
  return fc
    .array(fc.boolean(), { minLength: 1, maxLength: options.maxLength ?? 12 })
    .chain((kinds) => fc.tuple(...kinds.map((hostile, i) => (hostile ? hostileCase(`${prefix}-${i}`) : validCase(`${prefix}-${i}`)))));
}

/** The body of a request in `format`; records are placed by index, as the answer counts them. */
export function recordsBody(format: 'json-array' | 'json-records' | 'geojson' | 'ndjson', cases: RecordCase[]): string {
  switch (format) {
    case 'json-array':
      return `[${cases.map((c) => c.json).join(',')}]`;
    case 'json-records':
      return `{"records":[${cases.map((c) => c.json).join(',')}]}`;
    case 'ndjson':
      return cases.map((c) => c.json).join('\n');
    case 'geojson':
      return `{"type":"FeatureCollection","features":[${cases.map(featureText).join(',')}]}`;
  }
}

/** A record as a GeoJSON Feature: its location as a Point, the rest as properties. */
function featureText(c: RecordCase): string {
  if (c.record === null) {
    // Text only (deep props, not an object at all): the properties are the record's text itself.
    return `{"type":"Feature","geometry":null,"properties":${c.json}}`;
  }
  const { location, ...properties } = c.record;
  const geometry = Array.isArray(location) ? { type: 'Point', coordinates: location } : (location ?? null);
  return JSON.stringify({ type: 'Feature', geometry, properties });
}
