import { z } from 'zod';
import { catalogKeySchema } from './ingest';
import { databaseIdSchema, storableTimestampSchema } from './storable';

const timestamp = z.iso.datetime({ offset: true });

export const indicatorThresholdsSchema = z
  .object({
    warning: z.number(),
    critical: z.number(),
    clear: z.number().meta({ description: 'An open alert resolves only below this value (hysteresis).' }),
  })
  .meta({ id: 'IndicatorThresholds' });
export type IndicatorThresholds = z.output<typeof indicatorThresholdsSchema>;

export const INDICATOR_KINDS = ['latest_ratio_to_capacity'] as const;

/** A vital sign: how it is computed from which feeds, and when it alerts. */
export const indicatorDefinitionSchema = z
  .object({
    key: z.string(),
    name: z.string(),
    nameEn: z.string().nullable(),
    description: z.string().nullable(),
    unit: z.string().nullable(),
    kind: z.enum(INDICATOR_KINDS).meta({ description: 'How it is computed; each kind is one SQL statement over the latest observations.' }),
    params: z
      .object({ feed: z.string(), metric: z.string(), zoneSet: z.string() })
      .meta({ description: 'For `latest_ratio_to_capacity`: the feed and metric counted, and the zones whose capacity divides it.' }),
    sourceFeeds: z.array(z.string()),
    thresholds: indicatorThresholdsSchema.nullable(),
    enabled: z.boolean(),
  })
  .meta({ id: 'IndicatorDefinition', description: 'A vital sign: how it is computed, from which feeds, and when it alerts.' });
export type IndicatorDefinitionView = z.output<typeof indicatorDefinitionSchema>;

export const indicatorValueViewSchema = z
  .object({
    areaId: z.number().int(),
    areaCode: z.string(),
    areaName: z.string(),
    seq: z.number().int().nullable().meta({ description: 'Position along an ordered zone set (course order), null for ordinary areas.' }),
    value: z.number(),
    numerator: z.number().nullable().meta({ description: 'For ratio indicators: the measured quantity (e.g. headcount).' }),
    denominator: z.number().nullable().meta({ description: 'For ratio indicators: the reference (e.g. capacity).' }),
    ts: timestamp.meta({ description: 'Time of the observation the value was computed from.' }),
  })
  .meta({ id: 'IndicatorValueView', description: 'The latest value of an indicator in one area.' });
export type IndicatorValueView = z.output<typeof indicatorValueViewSchema>;

/** Latest value per area of one indicator: the REST snapshot and the socket delta share this shape. */
export const indicatorValuesEventSchema = z
  .object({
    indicatorKey: z.string(),
    computedAt: timestamp,
    thresholds: indicatorThresholdsSchema.nullable(),
    values: z.array(indicatorValueViewSchema),
  })
  .meta({
    id: 'IndicatorValuesEvent',
    description: 'Latest value per area; the REST snapshot and the `indicator.values` socket event share this shape.',
  });
export type IndicatorValuesEvent = z.output<typeof indicatorValuesEventSchema>;

/** `GET /api/indicators/:key/values`: stored values over time. */
export const indicatorValuePointSchema = z
  .object({
    areaId: z.number().int(),
    ts: timestamp,
    value: z.number(),
    numerator: z.number().nullable(),
    denominator: z.number().nullable(),
  })
  .meta({ id: 'IndicatorValuePoint', description: 'One stored value of an indicator in one area.' });
export type IndicatorValuePoint = z.output<typeof indicatorValuePointSchema>;

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

export const indicatorValuesQuerySchema = z.object({
  area: databaseIdSchema.optional(),
  from: storableTimestampSchema.optional().meta({ description: 'Default: an hour before `to`.' }),
  to: storableTimestampSchema.optional().meta({ description: 'Default: now.' }),
  limit: z.coerce.number().int().min(1).max(100000).default(10000),
});
export type IndicatorValuesQuery = z.output<typeof indicatorValuesQuerySchema>;

export const indicatorSummaryQuerySchema = z.object({
  from: storableTimestampSchema.optional().meta({ description: 'Default: 30 minutes ago.' }),
  bucket: z.coerce.number().int().min(5).max(86400).default(30).meta({ description: 'Bucket length in seconds.' }),
});
export type IndicatorSummaryQuery = z.output<typeof indicatorSummaryQuerySchema>;
