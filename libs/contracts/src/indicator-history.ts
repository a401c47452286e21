import { z } from 'zod';
import { databaseIdSchema, storableTimestampSchema } from './storable';

/**
 * Indicator history at three resolutions: raw values (kept a day), 1-minute and 1-hour rollups
 * (kept a month, and for ever by default). `auto` picks the finest one that covers the range.
 */
export const HISTORY_RESOLUTIONS = ['raw', '1m', '1h'] as const;
export type HistoryResolution = (typeof HISTORY_RESOLUTIONS)[number];
export const HISTORY_STEPS = [...HISTORY_RESOLUTIONS, 'auto'] as const;
export type HistoryStep = (typeof HISTORY_STEPS)[number];

/** Response header of `GET /api/indicators/:key/values` naming the resolution of the points. */
export const HISTORY_RESOLUTION_HEADER = 'Cityops-Resolution';

/** `GET /api/indicators/:key/values`. */
export const indicatorHistoryQuerySchema = z
  .object({
    area: databaseIdSchema.optional(),
    from: storableTimestampSchema.optional().meta({ description: 'Default: an hour before `to`.' }),
    to: storableTimestampSchema.optional().meta({ description: 'Default: now.' }),
    step: z
      .enum(HISTORY_STEPS)
      .default('auto')
      .meta({
        description:
          'Resolution: `raw` values, `1m` or `1h` buckets, or `auto` (default): raw for ranges up to 6 hours within the raw retention, ' +
          '1-minute buckets up to 7 days (within their retention), else 1-hour buckets. The answer’s `Cityops-Resolution` header names the one used.',
      }),
    limit: z.coerce.number().int().min(1).max(100000).default(10000),
  })
  .refine((q) => !q.from || !q.to || Date.parse(q.from) < Date.parse(q.to), { path: ['to'], message: 'must be later than from' });
export type IndicatorHistoryQuery = z.output<typeof indicatorHistoryQuerySchema>;

/**
 * One point of an indicator's history in one area. A raw point is one stored value; a bucket
 * (`1m`, `1h`) starts at `ts`, its `value` is the average and it adds `min`, `max`, `last` and
 * `count` (numerator and denominator are null).
 */
export const indicatorHistoryPointSchema = z
  .object({
    areaId: z.number().int(),
    ts: z.iso.datetime({ offset: true }).meta({ description: 'Time of the value, or start of the bucket.' }),
    value: z.number().meta({ description: 'The value, or the bucket’s average.' }),
    numerator: z.number().nullable(),
    denominator: z.number().nullable(),
    min: z.number().optional().meta({ description: 'Buckets only: the smallest value in the bucket.' }),
    max: z.number().optional().meta({ description: 'Buckets only: the largest value in the bucket.' }),
    last: z.number().optional().meta({ description: 'Buckets only: the bucket’s newest value.' }),
    count: z.number().int().optional().meta({ description: 'Buckets only: how many values the bucket holds.' }),
  })
  .meta({ id: 'IndicatorHistoryPoint', description: 'A stored value of an indicator in one area, or a bucket of them.' });
export type IndicatorHistoryPoint = z.output<typeof indicatorHistoryPointSchema>;
