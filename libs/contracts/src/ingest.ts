import { z } from 'zod';
import { pointGeometrySchema, positionSchema } from './geo';

/**
 * Largest number of records (or entities) in one document: a JSON or GeoJSON body, an entity push,
 * an MQTT message, a pulled source. A document is read whole and checked before anything is
 * written, so a larger one is refused whole (413) and nothing of it is stored. NDJSON and CSV
 * streams are committed while they arrive and have their own cap (`INGEST_MAX_STREAM_RECORDS`).
 */
export const MAX_RECORDS_PER_REQUEST = 50000;

/**
 * Rejected records kept (and listed in the answer) per request: enough to see what is wrong and
 * to replay it, while a body of nothing but garbage cannot fill the table. The rest are counted.
 */
export const MAX_REJECTED_KEPT_PER_REQUEST = 1000;

/** Keys of feeds, indicators and zone sets: lower-case, URL-safe (the database checks the same). */
export const catalogKeySchema = z.string().regex(/^[a-z0-9][a-z0-9_.-]{0,99}$/, 'not a valid key (a-z, 0-9, _ . -)');

/** One record pushed to a feed. `ts` must carry a zone (`Z` or `+08:00`). */
export const ingestRecordSchema = z
  .object({
    id: z.string().min(1).max(200).optional().meta({ description: 'With an id, a resent record (same feed, id, ts) is a duplicate.' }),
    entity: z.string().min(1).max(200).optional().meta({ description: 'What was measured (a sensor, a gate, a segment).' }),
    metric: z.string().min(1).max(100).meta({ description: 'One of the feed’s metrics.' }),
    value: z.number().finite().meta({ description: 'Within the metric’s range, when it has one.' }),
    // The shape only: whether PostgreSQL can store the time is checked once per record by the
    // feeds lib's validator (unstorableTimeReason), which every way in goes through.
    ts: z.iso
      .datetime({ offset: true })
      .meta({ description: 'With a zone (at most ±15:59); years 0001 to 9999; not more than 5 minutes ahead.' }),
    location: z.union([positionSchema, pointGeometrySchema]).optional().meta({ description: 'Inside the city bounds.' }),
    area: z.string().min(1).max(100).optional().meta({ description: 'A known area code; wins over the location for tagging.' }),
    props: z.record(z.string(), z.unknown()).optional().meta({ description: 'Anything else, kept as JSON.' }),
  })
  .strict()
  .meta({ id: 'IngestRecord', description: 'One record pushed to a feed.' });
export type IngestRecord = z.output<typeof ingestRecordSchema>;

/**
 * The JSON bodies `POST /api/feeds/:key/records` reads. It parses them itself, record by record, so
 * that one bad record is kept with its reason instead of failing its neighbours: these schemas
 * describe the request, they do not validate it.
 */
export const ingestJsonBodySchema = z
  .union([
    z.array(ingestRecordSchema).max(MAX_RECORDS_PER_REQUEST),
    z.object({ records: z.array(ingestRecordSchema).max(MAX_RECORDS_PER_REQUEST) }).strict(),
  ])
  .meta({ id: 'IngestRecords', description: 'An array of records, or `{"records": [...]}`.' });

export const ingestFeatureCollectionSchema = z
  .object({
    type: z.literal('FeatureCollection'),
    features: z
      .array(
        z
          .object({
            type: z.literal('Feature'),
            geometry: pointGeometrySchema.nullable().meta({ description: 'The record’s location (Points only).' }),
            properties: ingestRecordSchema.omit({ location: true }),
          })
          .meta({ description: 'A record: its properties, with a Point geometry as its location.' }),
      )
      .max(MAX_RECORDS_PER_REQUEST),
  })
  .meta({ id: 'IngestFeatureCollection', description: 'A GeoJSON FeatureCollection of records.' });

export const ndjsonRecordsSchema = z.string().meta({
  description:
    'One IngestRecord per line (NDJSON). Streamed: validated and committed in chunks as the body arrives; a line over 1 MiB is rejected as a record. ' +
    'A stream past its cap (`INGEST_MAX_STREAM_RECORDS` records, `INGEST_MAX_STREAM_BYTES` decompressed) is read no further: the answer is a 413 whose `result` says what was stored.',
});

export const csvRecordsSchema = z.string().meta({
  description:
    'CSV with a header row: `id`, `entity`, `metric`, `value`, `ts`, `area` as in IngestRecord; `lon`,`lat` columns become the location, other columns the props. Streamed and capped like NDJSON; a record over 1 MiB ends the body with a 400.',
});

export const ingestErrorSchema = z
  .object({
    index: z.number().int().meta({ description: 'Position of the record in the request, from 0.' }),
    reason: z.string().meta({ description: 'Why it was rejected, e.g. `value: 812 is above the maximum 500 of headcount`.' }),
  })
  .meta({ id: 'IngestError' });
export type IngestError = z.output<typeof ingestErrorSchema>;

export const ingestResultSchema = z
  .object({
    accepted: z.number().int(),
    duplicates: z.number().int().meta({ description: 'Records seen before (same feed, id, ts), stored once.' }),
    rejected: z.number().int(),
    errors: z.array(ingestErrorSchema).meta({
      description: `Why each rejected record was rejected: the first ${MAX_REJECTED_KEPT_PER_REQUEST.toLocaleString('en')} of the request, which are also the ones kept for inspection and replay.`,
    }),
    errorsTruncated: z.literal(true).optional().meta({ description: 'Present when more records were rejected than `errors` lists.' }),
    rejectedNotKept: z
      .number()
      .int()
      .optional()
      .meta({
        description: `Rejected records past the first ${MAX_REJECTED_KEPT_PER_REQUEST.toLocaleString('en')} of the request: counted in \`rejected\`, neither listed nor kept (send them again once fixed). Present only when there are any.`,
      }),
  })
  .meta({ id: 'IngestResult', description: 'Sent after the commit: an acknowledged record survives a crash right after.' });
export type IngestResult = z.output<typeof ingestResultSchema>;

/** Where a record came in; kept with rejected records. */
/** `derived`: computed by the platform from its own data (the case statistics), not received from outside. */
export const INGEST_SOURCES = ['http', 'mqtt', 'pull', 'replay', 'derived'] as const;
export const ingestSourceSchema = z.enum(INGEST_SOURCES).meta({ id: 'IngestSource' });
export type IngestSource = z.output<typeof ingestSourceSchema>;
