import { z } from 'zod';
import { catalogKeySchema } from './ingest';
import { thresholdLevelSchema } from './thresholds';

const timestamp = z.iso.datetime({ offset: true });

/**
 * A feed with at most this many located entities is offered as a live GeoJSON layer (fetched
 * whole, then kept current by socket deltas); a bigger one stays vector tiles.
 */
export const LIVE_LAYER_MAX_ENTITIES = 2000;

/** A reading feed's entity is current while its newest located reading is this recent (or three of the feed's intervals, if longer). */
export const LIVE_LAYER_MIN_WINDOW_SECONDS = 3600;
/** …but never older than a day. */
export const LIVE_LAYER_MAX_WINDOW_SECONDS = 86400;

/** The window a reading feed's entities count as current in, from the feed's expected interval. */
export function liveLayerWindowSeconds(expectedIntervalSeconds: number | null): number {
  const three = (expectedIntervalSeconds ?? 0) * 3;
  return Math.min(LIVE_LAYER_MAX_WINDOW_SECONDS, Math.max(LIVE_LAYER_MIN_WINDOW_SECONDS, three));
}

export const liveLayerKey = (feedKey: string) => `live-${feedKey}`;
/** The socket channel of a feed's live layer. */
export const liveLayerChannel = (feedKey: string) => `layer:${feedKey}`;

/** Property names of a reading in a live feature: the newest value of a metric and its time. */
export const liveValueProperty = (metric: string) => `value:${metric}`;
export const liveTsProperty = (metric: string) => `ts:${metric}`;

export const liveLayerMetricSchema = z
  .object({
    key: z.string(),
    name: z.string().nullable(),
    unit: z.string().nullable(),
    min: z.number().nullable(),
    max: z.number().nullable(),
  })
  .meta({ id: 'LiveLayerMetric', description: 'A metric of the feed, with its unit and valid range (from the feed definition).' });
export type LiveLayerMetric = z.output<typeof liveLayerMetricSchema>;

/** A small layer of a feed's current entities, fetched whole as GeoJSON, then kept current by socket deltas. */
export const liveLayerViewSchema = z
  .object({
    key: z.string().meta({ description: '`live-<feed>`.' }),
    name: z.string(),
    nameEn: z.string().nullable(),
    kind: z.literal('live'),
    feed: z.string(),
    feedKind: z.enum(['observation', 'entity', 'event']),
    theme: z.string(),
    themeName: z.string(),
    themeNameEn: z.string(),
    url: z.string().meta({ description: 'The layer as a FeatureCollection (`GET /api/feeds/<feed>/live`).' }),
    channel: z.string().meta({ description: 'The socket channel of its deltas (`layer:<feed>`, event `layer.delta`).' }),
    entities: z.number().int().meta({ description: 'How many located entities it held when the catalog was read.' }),
    metrics: z.array(liveLayerMetricSchema),
    legend: z.object({ symbol: z.literal('circle'), color: z.string() }),
  })
  .meta({ id: 'LiveLayerView', description: 'A small live layer: a feed’s few located entities as GeoJSON, updated by socket deltas.' });
export type LiveLayerView = z.output<typeof liveLayerViewSchema>;

export const liveFeatureSchema = z
  .object({
    type: z.literal('Feature'),
    id: z.string(),
    geometry: z.object({ type: z.string(), coordinates: z.unknown() }),
    properties: z.record(z.string(), z.unknown()).meta({
      description:
        'For an entity feed: the entity’s props, then `id`, `ts`, `area`. For a reading feed: `id`, `name`, `ts` (newest reading), `area`, ' +
        'and per metric `value:<metric>` and `ts:<metric>` (its newest reading).',
    }),
  })
  .meta({ id: 'LiveFeature', description: 'An entity of a live layer.' });
export type LiveFeature = z.output<typeof liveFeatureSchema>;

export const liveFeatureCollectionSchema = z
  .object({
    type: z.literal('FeatureCollection'),
    feed: z.string(),
    features: z.array(liveFeatureSchema),
    at: timestamp.meta({ description: 'When it was read: deltas from then on apply to it.' }),
  })
  .meta({ id: 'LiveFeatureCollection', description: 'A live layer whole: the feed’s current located entities in the caller’s scope.' });
export type LiveFeatureCollection = z.output<typeof liveFeatureCollectionSchema>;

/**
 * One change of a live layer. `replace`: the entity's whole new state (entity feeds). `merge`:
 * new readings of an entity (reading feeds): each metric's value is taken only when newer than
 * the one held, the place and `ts` only when the reading is the entity's newest. `remove`: the
 * entity has no place any more.
 */
export const liveLayerChangeSchema = z
  .discriminatedUnion('op', [
    z.object({ op: z.literal('replace'), feature: liveFeatureSchema }),
    z.object({ op: z.literal('merge'), feature: liveFeatureSchema }),
    z.object({ op: z.literal('remove'), id: z.string() }),
  ])
  .meta({ id: 'LiveLayerChange' });
export type LiveLayerChange = z.output<typeof liveLayerChangeSchema>;

export const liveLayerDeltaSchema = z
  .object({ feed: z.string(), changes: z.array(liveLayerChangeSchema) })
  .meta({ id: 'LiveLayerDelta', description: 'Payload of the `layer.delta` socket event (channel `layer:<feed>`).' });
export type LiveLayerDelta = z.output<typeof liveLayerDeltaSchema>;

export const entityParamsSchema = z.object({ key: catalogKeySchema, id: z.string().min(1).max(200) });
export type EntityParams = z.output<typeof entityParamsSchema>;

export const ENTITY_SERIES_MAX_POINTS = 500;
/** An entity feed's entity answers at most this many numeric props (its feed's declared metrics first, then those with the most states). */
export const ENTITY_SERIES_MAX_PROPS = 8;

export const entitySeriesQuerySchema = z.object({
  hours: z.coerce.number().int().min(1).max(168).default(24).meta({ description: 'How far back, ending now (default a day).' }),
  points: z.coerce
    .number()
    .int()
    .min(2)
    .max(ENTITY_SERIES_MAX_POINTS)
    .default(144)
    .meta({ description: 'At most this many buckets per metric (default 144: ten minutes over a day).' }),
});
export type EntitySeriesQuery = z.output<typeof entitySeriesQuerySchema>;

export const entitySeriesThresholdSchema = z
  .object({
    indicator: z.string(),
    name: z.string(),
    nameEn: z.string().nullable(),
    levels: z.array(thresholdLevelSchema),
  })
  .meta({
    id: 'EntitySeriesThreshold',
    description: 'The thresholds of an indicator that aggregates this metric without rescaling it (so its levels read on the same scale).',
  });
export type EntitySeriesThreshold = z.output<typeof entitySeriesThresholdSchema>;

export const entitySeriesSchema = z
  .object({
    feed: z.string(),
    entity: z.string(),
    from: timestamp,
    to: timestamp,
    bucketSeconds: z.number().int(),
    metrics: z.array(
      z.object({
        metric: liveLayerMetricSchema,
        source: z.enum(['reading', 'prop']).meta({
          description:
            '`reading`: the readings recorded with the entity’s id; `prop`: a numeric prop of an entity feed’s entity, from its recorded states.',
        }),
        thresholds: z.array(entitySeriesThresholdSchema),
        points: z.array(
          z.object({
            ts: timestamp.meta({ description: 'The bucket’s start.' }),
            avg: z.number(),
            min: z.number(),
            max: z.number(),
            count: z.number().int(),
          }),
        ),
      }),
    ),
  })
  .meta({
    id: 'EntitySeries',
    description: 'An entity’s numeric readings, and an entity feed’s numeric props, over a window, per metric or prop, bucketed.',
  });
export type EntitySeries = z.output<typeof entitySeriesSchema>;
