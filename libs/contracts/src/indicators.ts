import { z } from 'zod';
import { catalogKeySchema } from './ingest';
import { storableTimestampSchema } from './storable';
import { severitySchema, thresholdSpecSchema } from './thresholds';

const timestamp = z.iso.datetime({ offset: true });

/** How each entity's readings in the window become one number. */
export const AGGREGATIONS_PER_ENTITY = ['latest', 'sum', 'avg', 'min', 'max', 'count', 'p95', 'rate_per_minute'] as const;
export const aggregationPerEntitySchema = z.enum(AGGREGATIONS_PER_ENTITY).meta({ id: 'AggregationPerEntity' });
export type AggregationPerEntity = z.output<typeof aggregationPerEntitySchema>;

/** How the entities' numbers of one area become the area's value. */
export const AGGREGATIONS_ACROSS = ['sum', 'avg', 'min', 'max', 'count', 'p95'] as const;
export const aggregationAcrossSchema = z.enum(AGGREGATIONS_ACROSS).meta({ id: 'AggregationAcross' });
export type AggregationAcross = z.output<typeof aggregationAcrossSchema>;

/** What an area's value is divided by: its capacity, its residents in ten-thousands, its area in km². */
export const NORMALISATIONS = ['per_capacity', 'per_10k_residents', 'per_km2'] as const;
export const normalisationSchema = z.enum(NORMALISATIONS).meta({ id: 'Normalisation' });
export type Normalisation = z.output<typeof normalisationSchema>;

/** The area levels an indicator may be grouped by (event zones come through `zoneSet`). */
export const INDICATOR_GROUPING_LEVELS = ['city', 'district', 'street', 'community', 'grid'] as const;

export const indicatorGroupingSchema = z
  .union([
    z
      .object({
        levels: z
          .array(z.string())
          .min(1)
          .max(INDICATOR_GROUPING_LEVELS.length)
          .meta({ description: `Area levels, each computed for every area of it: ${INDICATOR_GROUPING_LEVELS.join(', ')}.` }),
      })
      .strict(),
    z.object({ zoneSet: catalogKeySchema.meta({ description: 'Every zone of this zone set (e.g. a race course’s segments).' }) }).strict(),
  ])
  .meta({
    id: 'IndicatorGrouping',
    description: 'The areas an indicator has a value for: every area of some levels, or the zones of a zone set.',
  });
export type IndicatorGrouping = z.output<typeof indicatorGroupingSchema>;

export const WINDOW_SECONDS_MIN = 10;
export const WINDOW_SECONDS_MAX = 7 * 86400;

export const aggregateSourceSchema = z
  .object({
    kind: z.literal('aggregate'),
    feed: catalogKeySchema.meta({ description: 'A feed of `GET /api/feeds`.' }),
    metric: z.string().min(1).max(100).meta({ description: 'One of the feed’s metrics.' }),
    windowSeconds: z
      .number()
      .int()
      .min(WINDOW_SECONDS_MIN)
      .max(WINDOW_SECONDS_MAX)
      .meta({ description: 'Readings this recent count; for `latest`, how old an entity’s newest reading may be and still count.' }),
    perEntity: aggregationPerEntitySchema.meta({
      description: 'Per entity (records without an entity count as one entity each) over the window.',
    }),
    across: aggregationAcrossSchema.meta({ description: 'Then across the entities of each area.' }),
    normalise: normalisationSchema.optional(),
  })
  .strict()
  .meta({ id: 'AggregateSource', description: 'Computed from a feed’s observations in one SQL statement for every area at once.' });
export type AggregateSource = z.output<typeof aggregateSourceSchema>;

export const FORMULA_MAX_LENGTH = 2000;

export const compositeSourceSchema = z
  .object({
    kind: z.literal('composite'),
    formula: z.string().min(1).max(FORMULA_MAX_LENGTH).meta({
      description:
        'Over other indicators’ latest values in the same area: numbers, `{indicator.key}`, `+ - * /`, parentheses, min, max, clamp(x, lo, hi), abs, round(x[, digits]), coalesce(a, b, …), score(x, x1, s1, x2, s2, …). E.g. `clamp(100 - 0.5 * max(0, {aqi.district} - 50), 0, 100)`.',
    }),
  })
  .strict()
  .meta({ id: 'CompositeSource', description: 'A formula over other indicators, evaluated per area.' });
export type CompositeSource = z.output<typeof compositeSourceSchema>;

export const indicatorSourceSchema = z
  .discriminatedUnion('kind', [aggregateSourceSchema, compositeSourceSchema])
  .meta({ id: 'IndicatorSource' });
export type IndicatorSource = z.output<typeof indicatorSourceSchema>;

const formatShape = {
  decimals: z.number().int().min(0).max(4),
  percent: z.boolean().meta({ description: 'Shown as a percentage: 0.83 reads 83 %.' }),
};

/** How a value is shown. */
export const indicatorFormatSchema = z.object(formatShape).strict().meta({ id: 'IndicatorFormat' });
export type IndicatorFormat = z.output<typeof indicatorFormatSchema>;

/** As written: left-out fields take their defaults (a request and an answer are two components). */
export const indicatorFormatInputSchema = z
  .object({ decimals: formatShape.decimals.default(1), percent: formatShape.percent.default(false) })
  .strict()
  .meta({ id: 'IndicatorFormatInput' });

/** Thresholds as answers show them (every default filled in); requests use `thresholdSpecSchema`. */
const thresholdSpecViewSchema = z.object(thresholdSpecSchema.shape).strict().meta({
  id: 'ThresholdSpecView',
  description: 'Levels with hysteresis, a pending period, keep-firing-for and a no-data policy.',
});

export const EVALUATE_EVERY_SECONDS_MIN = 5;

const indicatorWriteShape = {
  name: z.string().min(1).max(200),
  nameEn: z.string().max(200).nullable().default(null),
  theme: z
    .string()
    .regex(/^[a-z0-9_-]{1,50}$/, 'a theme key: a-z, 0-9, _ -')
    .default('general')
    .meta({ description: 'As feed themes: emergency, traffic, environment, water, urban_management, public_services, …' }),
  unit: z.string().max(30).nullable().default(null),
  format: indicatorFormatInputSchema.default({ decimals: 1, percent: false }),
  description: z.string().max(4000).nullable().default(null),
  descriptionEn: z.string().max(4000).nullable().default(null),
  grouping: indicatorGroupingSchema,
  source: indicatorSourceSchema,
  thresholds: thresholdSpecSchema.nullable().default(null),
  evaluateEverySeconds: z
    .number()
    .int()
    .min(EVALUATE_EVERY_SECONDS_MIN)
    .max(86400)
    .nullable()
    .default(null)
    .meta({ description: 'Recompute on this schedule too (windows move with time); null: only when new data arrives.' }),
  enabled: z.boolean().default(true),
};

/** `PUT /api/indicators/:key`: the definition whole, without the key (it is in the path). */
export const indicatorReplaceSchema = z
  .object(indicatorWriteShape)
  .strict()
  .meta({ id: 'IndicatorReplace', description: 'An indicator definition, replaced whole; the key is in the path.' });
export type IndicatorReplace = z.output<typeof indicatorReplaceSchema>;

/** `POST /api/indicators`, and the body of a preview: a definition as an admin writes it. */
export const indicatorWriteSchema = z
  .object({ key: catalogKeySchema, ...indicatorWriteShape })
  .strict()
  .meta({ id: 'IndicatorDefinitionInput', description: 'A new indicator; fields left out take their defaults.' });
export type IndicatorWrite = z.output<typeof indicatorWriteSchema>;
export type IndicatorWriteInput = z.input<typeof indicatorWriteSchema>;

/** A vital sign as the API answers it: the definition and what the server derived from it. */
export const indicatorDefinitionSchema = z
  .object({
    key: z.string(),
    name: z.string(),
    nameEn: z.string().nullable(),
    theme: z.string(),
    unit: z.string().nullable(),
    format: indicatorFormatSchema,
    description: z.string().nullable(),
    descriptionEn: z.string().nullable(),
    grouping: indicatorGroupingSchema,
    source: indicatorSourceSchema,
    thresholds: thresholdSpecViewSchema.nullable(),
    evaluateEverySeconds: z.number().int().nullable(),
    enabled: z.boolean(),
    reads: z.array(z.string()).meta({ description: 'The indicators a composite reads (empty for an aggregate).' }),
    createdAt: timestamp,
    updatedAt: timestamp,
  })
  .meta({
    id: 'IndicatorDefinition',
    description: 'A vital sign: how it is computed, over which areas, how it is shown and when it alerts.',
  });
export type IndicatorDefinitionView = z.output<typeof indicatorDefinitionSchema>;

export const indicatorValueViewSchema = z
  .object({
    areaId: z.number().int(),
    areaCode: z.string(),
    areaName: z.string(),
    seq: z.number().int().nullable().meta({ description: 'Position along an ordered zone set (course order), null for ordinary areas.' }),
    value: z.number(),
    numerator: z.number().nullable().meta({ description: 'For normalised indicators: the measured quantity (e.g. headcount).' }),
    denominator: z
      .number()
      .nullable()
      .meta({ description: 'For normalised indicators: the reference (capacity, residents in 10,000s, km²).' }),
    ts: timestamp.meta({ description: 'Time of the observation the value was computed from.' }),
  })
  .meta({ id: 'IndicatorValueView', description: 'The latest value of an indicator in one area.' });
export type IndicatorValueView = z.output<typeof indicatorValueViewSchema>;

/** Latest value per area of one indicator: the REST snapshot and the socket delta share this shape. */
export const indicatorValuesEventSchema = z
  .object({
    indicatorKey: z.string(),
    name: z.string(),
    nameEn: z.string().nullable(),
    theme: z.string(),
    unit: z.string().nullable(),
    format: indicatorFormatSchema,
    computedAt: timestamp,
    thresholds: thresholdSpecViewSchema.nullable(),
    values: z.array(indicatorValueViewSchema),
  })
  .meta({
    id: 'IndicatorValuesEvent',
    description: 'Latest value per area; the REST snapshot and the `indicator.values` socket event share this shape.',
  });
export type IndicatorValuesEvent = z.output<typeof indicatorValuesEventSchema>;

export const indicatorSummaryPointSchema = z
  .object({
    ts: timestamp.meta({ description: 'Start of the time bucket.' }),
    areas: z.number().int(),
    sumNumerator: z.number(),
    atOrAboveWarning: z.number().int(),
    atOrAboveCritical: z.number().int(),
    maxValue: z.number(),
  })
  .meta({ id: 'IndicatorSummaryPoint', description: 'Per time bucket: areas reporting, sum of numerators, areas over each threshold.' });
export type IndicatorSummaryPoint = z.output<typeof indicatorSummaryPointSchema>;

export const indicatorKeyParamsSchema = z.object({ key: catalogKeySchema });
export type IndicatorKeyParams = z.output<typeof indicatorKeyParamsSchema>;

export const indicatorSummaryQuerySchema = z.object({
  from: storableTimestampSchema.optional().meta({ description: 'Default: 30 minutes ago.' }),
  bucket: z.coerce.number().int().min(5).max(86400).default(30).meta({ description: 'Bucket length in seconds.' }),
});
export type IndicatorSummaryQuery = z.output<typeof indicatorSummaryQuerySchema>;

/** `POST /api/indicators/preview`: how a definition would have read over the last hour, without saving it. */
export const PREVIEW_POINTS = 60;

export const indicatorPreviewPointSchema = z.object({ ts: timestamp, value: z.number() }).meta({ id: 'IndicatorPreviewPoint' });
export type IndicatorPreviewPoint = z.output<typeof indicatorPreviewPointSchema>;

export const indicatorPreviewAreaSchema = z
  .object({
    areaId: z.number().int(),
    areaCode: z.string(),
    areaName: z.string(),
    points: z.array(indicatorPreviewPointSchema).meta({ description: 'One per minute where the area had a value.' }),
  })
  .meta({ id: 'IndicatorPreviewArea' });
export type IndicatorPreviewArea = z.output<typeof indicatorPreviewAreaSchema>;

/** When an area would have alerted over the previewed hour (replayed by the alert lifecycle's state machine). */
export const indicatorPreviewAlertSchema = z
  .object({
    areaId: z.number().int(),
    level: severitySchema,
    from: timestamp,
    to: timestamp.nullable().meta({ description: 'Null: still alerting at the end of the hour.' }),
  })
  .meta({ id: 'IndicatorPreviewAlert' });
export type IndicatorPreviewAlert = z.output<typeof indicatorPreviewAlertSchema>;

export const indicatorPreviewSchema = z
  .object({
    from: timestamp,
    to: timestamp,
    stepSeconds: z.number().int(),
    areas: z.array(indicatorPreviewAreaSchema),
    alerts: z.array(indicatorPreviewAlertSchema).nullable().meta({
      description:
        'Which areas would have alerted when, the live rules replayed over the series (pending, hysteresis, keep-firing, no data); null when the definition has no thresholds.',
    }),
  })
  .meta({ id: 'IndicatorPreview', description: 'A definition evaluated at 60 points over the last hour, per area, without saving it.' });
export type IndicatorPreview = z.output<typeof indicatorPreviewSchema>;
