import { z } from 'zod';
import { catalogKeySchema, type IngestSource } from './ingest';

export const FEED_KINDS = ['observation', 'entity', 'event'] as const;
export type FeedKind = (typeof FEED_KINDS)[number];

export const feedMetricSchema = z
  .object({
    key: z.string().regex(/^[a-z0-9_.-]{1,100}$/i, 'letters, digits, _ . - only'),
    name: z.string().max(100).optional(),
    unit: z.string().max(30).optional(),
    min: z.number().finite().optional(),
    max: z.number().finite().optional(),
  })
  .strict()
  .refine((m) => m.min === undefined || m.max === undefined || m.min <= m.max, 'min must not exceed max');
export type FeedMetric = z.infer<typeof feedMetricSchema>;

/** Where a pull connector finds each record field in the source's items (dot paths). */
export const connectorMappingSchema = z
  .object({
    id: z.string().max(200).optional(),
    entity: z.string().max(200).optional(),
    metric: z.string().max(200).optional(),
    value: z.string().max(200),
    ts: z.string().max(200).optional(),
    lon: z.string().max(200).optional(),
    lat: z.string().max(200).optional(),
    area: z.string().max(200).optional(),
  })
  .strict();

export const connectorSchema = z
  .object({
    url: z.url({ protocol: /^https?$/ }),
    format: z.enum(['json', 'geojson', 'csv']),
    intervalSeconds: z.number().int().min(5).max(86400),
    /** For JSON: dot path to the array of items (empty = the body itself is the array). */
    itemsPath: z.string().max(200).optional(),
    /** Used when the mapping names no metric field. */
    metric: z.string().max(100).optional(),
    mapping: connectorMappingSchema,
    headers: z.record(z.string(), z.string().max(2000)).optional(),
    timeoutSeconds: z.number().int().min(1).max(120).default(20),
  })
  .strict()
  .refine((c) => c.mapping.metric !== undefined || c.metric !== undefined, 'give mapping.metric or a fixed metric');
export type ConnectorConfig = z.infer<typeof connectorSchema>;

export const feedDefinitionSchema = z
  .object({
    key: catalogKeySchema,
    name: z.string().min(1).max(200),
    nameEn: z.string().max(200).nullable().default(null),
    description: z.string().max(4000).nullable().default(null),
    departmentCode: z.string().max(50).nullable().default(null),
    theme: z
      .string()
      .regex(/^[a-z0-9_-]{1,50}$/, 'a theme key: a-z, 0-9, _ -')
      .default('general'),
    kind: z.enum(FEED_KINDS).default('observation'),
    metrics: z.array(feedMetricSchema).max(200).default([]),
    expectedIntervalSeconds: z
      .number()
      .int()
      .positive()
      .max(31 * 86400)
      .nullable()
      .default(null),
    retentionDays: z.number().int().min(1).max(36500).default(400),
    ownerContact: z.string().max(300).nullable().default(null),
    zoneSet: z.string().max(100).nullable().default(null),
    connector: connectorSchema.nullable().default(null),
  })
  .strict();
export type FeedDefinition = z.infer<typeof feedDefinitionSchema>;

/** PUT replaces everything but the key. */
export const feedUpdateSchema = feedDefinitionSchema.omit({ key: true });

export interface DepartmentView {
  code: string;
  name: string;
  nameEn: string | null;
  feeds: number;
}

export type FeedHealthStatus = 'ok' | 'stale' | 'failing' | 'silent';

/** Per feed: how it is doing now. Also the payload of the `feed.health` socket event (as a list). */
export interface FeedHealthView {
  feedKey: string;
  status: FeedHealthStatus;
  /** Records written in the last 5 minutes, per minute. */
  recordsPerMinute: number;
  lastRecordAt: string | null;
  /** Seconds since the last record, minus the expected interval (positive = late). */
  lagSeconds: number | null;
  expectedIntervalSeconds: number | null;
  /** Rejected ÷ (accepted + rejected) over the last hour. */
  rejectedShare: number;
  connector: ConnectorStateView | null;
  checkedAt: string;
}

export interface ConnectorStateView {
  lastRunAt: string | null;
  lastSuccessAt: string | null;
  lastErrorAt: string | null;
  lastError: string | null;
  consecutiveFailures: number;
  nextRunAt: string | null;
}

export interface FeedHealthEvent {
  feeds: FeedHealthView[];
}

/** An entity's latest state (cameras, teams, shelters…), upserted with `PUT /api/feeds/:key/entities`. */
export const entityRecordSchema = z
  .object({
    id: z.string().min(1).max(200),
    ts: z.iso.datetime({ offset: true }),
    geometry: z
      .object({
        type: z.enum(['Point', 'LineString', 'Polygon', 'MultiPoint', 'MultiLineString', 'MultiPolygon']),
        coordinates: z.array(z.unknown()),
      })
      .optional(),
    location: z.tuple([z.number().finite().min(-180).max(180), z.number().finite().min(-90).max(90)]).optional(),
    props: z.record(z.string(), z.unknown()).optional(),
  })
  .strict();
export type EntityRecord = z.infer<typeof entityRecordSchema>;

/** `GET /api/feeds/:key/sample`: a stored observation, newest `ts` first. */
export interface FeedSampleRecord {
  id: string;
  entity: string | null;
  metric: string;
  value: number;
  ts: string;
  /** Code of the area the record was tagged with. */
  area: string | null;
  /** `[lon, lat]`. */
  location: [number, number] | null;
  props: Record<string, unknown> | null;
  receivedAt: string;
}

/** `GET /api/feeds/:key/entities`: an entity's latest state. */
export interface FeedEntityRecord {
  id: string;
  ts: string;
  geometry: { type: string; coordinates: unknown } | null;
  props: Record<string, unknown> | null;
  area: string | null;
  historyLength: number;
}

/** `GET /api/feeds/:key/rejected`: a record that failed validation, kept for inspection and replay. */
export interface RejectedRecord {
  id: string;
  source: IngestSource;
  batchId: string;
  index: number;
  /** The record as it was received (any JSON). */
  raw: unknown;
  reason: string;
  receivedAt: string;
  replayedAt: string | null;
}

/** `POST /api/feeds/:key/rejected/replay`. */
export interface ReplayResult {
  replayed: number;
  accepted: number;
  duplicates: number;
  stillRejected: number;
}
