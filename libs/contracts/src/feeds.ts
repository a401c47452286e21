import { z } from 'zod';
import { entityProfileSchema } from './cameras';
import { catalogKeySchema, ingestSourceSchema, MAX_RECORDS_PER_REQUEST } from './ingest';
import { storableTimestampSchema } from './storable';

const timestamp = z.iso.datetime({ offset: true });

export const FEED_KINDS = ['observation', 'entity', 'event'] as const;
export const feedKindSchema = z.enum(FEED_KINDS).meta({ id: 'FeedKind' });
export type FeedKind = z.output<typeof feedKindSchema>;

export const feedMetricSchema = z
  .object({
    key: z.string().regex(/^[a-z0-9_.-]{1,100}$/i, 'letters, digits, _ . - only'),
    name: z.string().max(100).optional(),
    unit: z.string().max(30).optional(),
    min: z.number().finite().optional().meta({ description: 'Records below it are rejected.' }),
    max: z.number().finite().optional().meta({ description: 'Records above it are rejected.' }),
  })
  .strict()
  .refine((m) => m.min === undefined || m.max === undefined || m.min <= m.max, 'min must not exceed max')
  .meta({ id: 'FeedMetric', description: 'A metric a feed carries, with its unit and valid range.' });
export type FeedMetric = z.output<typeof feedMetricSchema>;

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
  .strict()
  .meta({ id: 'ConnectorMapping', description: 'Where each record field is found in the source’s items (dot paths).' });

// No component id: `timeoutSeconds` has a default, so the request and the answer differ in shape.
export const connectorSchema = z
  .object({
    url: z.url({ protocol: /^https?$/ }).meta({
      description: 'Write-only in part: answers show its credentials and query values as `********`; send the URL as shown to keep them.',
    }),
    format: z.enum(['json', 'geojson', 'csv']),
    intervalSeconds: z.number().int().min(5).max(86400),
    itemsPath: z
      .string()
      .max(200)
      .optional()
      .meta({ description: 'For JSON: dot path to the array of items (empty = the body itself is the array).' }),
    metric: z.string().max(100).optional().meta({ description: 'Used when the mapping names no metric field.' }),
    mapping: connectorMappingSchema,
    headers: z.record(z.string(), z.string().max(2000)).optional().meta({
      description: 'Sent with every request. Values are write-only: answers show `********`; send `********` to keep a stored value.',
    }),
    timeoutSeconds: z.number().int().min(1).max(120).default(20),
  })
  .strict()
  .refine((c) => c.mapping.metric !== undefined || c.metric !== undefined, 'give mapping.metric or a fixed metric')
  .meta({ description: 'A source the worker polls on its own schedule (HTTP pull).' });
export type ConnectorConfig = z.output<typeof connectorSchema>;

const feedDefinitionShape = z
  .object({
    key: catalogKeySchema,
    name: z.string().min(1).max(200),
    nameEn: z.string().max(200).nullable().default(null),
    description: z.string().max(4000).nullable().default(null),
    departmentCode: z.string().max(50).nullable().default(null).meta({ description: 'One of `GET /api/departments`.' }),
    theme: z
      .string()
      .regex(/^[a-z0-9_-]{1,50}$/, 'a theme key: a-z, 0-9, _ -')
      .default('general'),
    kind: feedKindSchema.default('observation'),
    metrics: z.array(feedMetricSchema).max(200).default([]),
    expectedIntervalSeconds: z
      .number()
      .int()
      .positive()
      .max(31 * 86400)
      .nullable()
      .default(null)
      .meta({ description: 'How often records should come; feed health calls the feed stale after three missed intervals.' }),
    retentionDays: z.number().int().min(1).max(36500).default(400),
    ownerContact: z.string().max(300).nullable().default(null),
    zoneSet: z.string().max(100).nullable().default(null),
    connector: connectorSchema.nullable().default(null),
    entityProfile: entityProfileSchema.nullable().optional().meta({
      description:
        'For an entity feed: what its entities are (`camera`: props checked as a camera at ingest, served by `/api/cameras`). Left out on a replace: kept.',
    }),
  })
  .strict();

/** `POST /api/feeds`: a new feed; left-out fields take their defaults. */
export const feedDefinitionSchema = feedDefinitionShape.meta({
  id: 'FeedDefinitionInput',
  description: 'A new feed of the catalog; fields left out take their defaults.',
});
/** A feed of the catalog, as the API answers it. */
export const feedViewSchema = feedDefinitionShape.meta({
  id: 'FeedDefinition',
  description: 'A feed of the catalog: owner department, theme, metrics with units and ranges, cadence, retention.',
});
export type FeedDefinition = z.output<typeof feedDefinitionSchema>;

/** PUT replaces everything but the key. */
export const feedUpdateSchema = feedDefinitionShape
  .omit({ key: true })
  .meta({ id: 'FeedDefinitionUpdate', description: 'Everything but the key; fields left out take their defaults.' });

export const feedKeyParamsSchema = z.object({ key: catalogKeySchema });
export type FeedKeyParams = z.output<typeof feedKeyParamsSchema>;

export const listFeedsQuerySchema = z.object({
  department: z.string().max(50).optional(),
  theme: z.string().max(50).optional(),
});
export type ListFeedsQuery = z.output<typeof listFeedsQuerySchema>;

/** `?limit=` of the list routes. */
export const limitQuerySchema = (max: number, fallback: number) =>
  z.object({ limit: z.coerce.number().int().min(1).max(max).default(fallback) });
export type LimitQuery = z.output<ReturnType<typeof limitQuerySchema>>;

export const departmentViewSchema = z
  .object({
    code: z.string(),
    name: z.string(),
    nameEn: z.string().nullable(),
    feeds: z.number().int().meta({ description: 'How many feeds of the catalog it owns.' }),
  })
  .meta({ id: 'DepartmentView', description: 'A department that owns feeds.' });
export type DepartmentView = z.output<typeof departmentViewSchema>;

export const FEED_HEALTH_STATUSES = ['ok', 'stale', 'failing', 'silent'] as const;
export const feedHealthStatusSchema = z.enum(FEED_HEALTH_STATUSES).meta({ id: 'FeedHealthStatus' });
export type FeedHealthStatus = z.output<typeof feedHealthStatusSchema>;

export const connectorStateViewSchema = z
  .object({
    lastRunAt: timestamp.nullable(),
    lastSuccessAt: timestamp.nullable(),
    lastErrorAt: timestamp.nullable(),
    lastError: z.string().nullable(),
    consecutiveFailures: z.number().int(),
    nextRunAt: timestamp.nullable(),
  })
  .meta({ id: 'ConnectorStateView', description: 'How a pull connector is doing.' });
export type ConnectorStateView = z.output<typeof connectorStateViewSchema>;

/** Per feed: how it is doing now. Also the payload of the `feed.health` socket event (as a list). */
export const feedHealthViewSchema = z
  .object({
    feedKey: z.string(),
    name: z.string(),
    nameEn: z.string().nullable(),
    status: feedHealthStatusSchema,
    recordsPerMinute: z.number().meta({ description: 'Records written in the last 5 minutes, per minute.' }),
    lastRecordAt: timestamp.nullable(),
    lagSeconds: z
      .number()
      .nullable()
      .meta({ description: 'Seconds since the last record, minus the expected interval (positive = late).' }),
    expectedIntervalSeconds: z.number().nullable(),
    rejectedShare: z.number().meta({ description: 'Rejected ÷ (accepted + rejected) over the last hour.' }),
    connector: connectorStateViewSchema.nullable(),
    checkedAt: timestamp,
  })
  .meta({ id: 'FeedHealthView', description: 'How a feed is doing now.' });
export type FeedHealthView = z.output<typeof feedHealthViewSchema>;

export const feedHealthEventSchema = z.object({ feeds: z.array(feedHealthViewSchema) }).meta({ id: 'FeedHealthEvent' });
export type FeedHealthEvent = z.output<typeof feedHealthEventSchema>;

const geometrySchema = z
  .object({
    type: z.enum(['Point', 'LineString', 'Polygon', 'MultiPoint', 'MultiLineString', 'MultiPolygon']),
    coordinates: z.array(z.unknown()).meta({ description: 'GeoJSON coordinates of the type (nested arrays of numbers).' }),
  })
  .meta({ id: 'Geometry', description: 'A GeoJSON geometry in WGS 84.' });

/** An entity's latest state (cameras, teams, shelters…), upserted with `PUT /api/feeds/:key/entities`. */
export const entityRecordSchema = z
  .object({
    id: z.string().min(1).max(200),
    ts: storableTimestampSchema.meta({ description: 'Time of this state; an older state than the one held only goes to the history.' }),
    geometry: geometrySchema.optional(),
    location: z
      .tuple([z.number().finite().min(-180).max(180), z.number().finite().min(-90).max(90)])
      .optional()
      .meta({ description: '`[lon, lat]`, short for a Point geometry.' }),
    props: z.record(z.string(), z.unknown()).optional(),
  })
  .strict()
  .meta({ id: 'EntityRecord', description: 'The state of one entity (a camera, a team, a shelter) at a time.' });
export type EntityRecord = z.output<typeof entityRecordSchema>;

/**
 * The bodies `PUT /api/feeds/:key/entities` reads. Each entity is checked on its own (a bad one is
 * kept with its reason, the others are stored), so this describes the request, it does not validate it.
 */
export const entitiesBodySchema = z
  .union([
    z.array(entityRecordSchema).max(MAX_RECORDS_PER_REQUEST),
    z.object({ entities: z.array(entityRecordSchema).max(MAX_RECORDS_PER_REQUEST) }).strict(),
    z.object({
      type: z.literal('FeatureCollection'),
      features: z
        .array(
          z.object({
            type: z.literal('Feature'),
            id: z.string().optional().meta({ description: 'The entity id (or `properties.id`).' }),
            geometry: geometrySchema.nullable(),
            properties: z.record(z.string(), z.unknown()).meta({ description: '`ts` (and `id`) of the state; the rest become its props.' }),
          }),
        )
        .max(MAX_RECORDS_PER_REQUEST),
    }),
  ])
  .meta({ id: 'EntitiesRequest', description: 'An array of entities, `{"entities": [...]}`, or a GeoJSON FeatureCollection.' });

/** `GET /api/feeds/:key/sample`: a stored observation, newest `ts` first. */
export const feedSampleRecordSchema = z
  .object({
    id: z.string(),
    entity: z.string().nullable(),
    metric: z.string(),
    value: z.number(),
    ts: timestamp,
    area: z.string().nullable().meta({ description: 'Code of the area the record was tagged with.' }),
    location: z.tuple([z.number(), z.number()]).nullable().meta({ description: '`[lon, lat]`.' }),
    props: z.record(z.string(), z.unknown()).nullable(),
    receivedAt: timestamp,
  })
  .meta({ id: 'FeedSampleRecord', description: 'A stored observation.' });
export type FeedSampleRecord = z.output<typeof feedSampleRecordSchema>;

/** `GET /api/feeds/:key/entities`: an entity's latest state. */
export const feedEntityRecordSchema = z
  .object({
    id: z.string(),
    ts: timestamp,
    geometry: z.object({ type: z.string(), coordinates: z.unknown() }).nullable(),
    props: z.record(z.string(), z.unknown()).nullable(),
    area: z.string().nullable(),
    historyLength: z.number().int().meta({ description: 'How many states of it are kept.' }),
  })
  .meta({ id: 'FeedEntityRecord', description: 'An entity’s latest state.' });
export type FeedEntityRecord = z.output<typeof feedEntityRecordSchema>;

/** `GET /api/feeds/:key/rejected`: a record that failed validation, kept for inspection and replay. */
export const rejectedRecordSchema = z
  .object({
    id: z.string(),
    source: ingestSourceSchema,
    batchId: z.string(),
    index: z.number().int(),
    raw: z.unknown().meta({ description: 'The record as it was received (any JSON).' }),
    reason: z.string(),
    receivedAt: timestamp,
    replayedAt: timestamp.nullable(),
  })
  .meta({ id: 'RejectedRecord', description: 'A record that failed validation, kept with its reason for inspection and replay.' });
export type RejectedRecord = z.output<typeof rejectedRecordSchema>;

/** `POST /api/feeds/:key/rejected/replay`. */
export const replayResultSchema = z
  .object({
    replayed: z.number().int(),
    accepted: z.number().int(),
    duplicates: z.number().int(),
    stillRejected: z.number().int(),
  })
  .meta({ id: 'ReplayResult' });
export type ReplayResult = z.output<typeof replayResultSchema>;
