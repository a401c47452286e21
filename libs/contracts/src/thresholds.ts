import { z } from 'zod';

/** How serious an alert is, lowest first: the order thresholds are listed and levels escalate in. */
export const SEVERITIES = ['notice', 'warning', 'critical'] as const;
export const severitySchema = z.enum(SEVERITIES).meta({ id: 'Severity', description: 'notice < warning < critical.' });
export type Severity = z.output<typeof severitySchema>;

/** `>=`/`>` alert on high values (load, AQI), `<=`/`<` on low ones (traffic speed); one direction per indicator. */
export const THRESHOLD_OPERATORS = ['>=', '>', '<=', '<'] as const;
export const thresholdOperatorSchema = z.enum(THRESHOLD_OPERATORS).meta({ id: 'ThresholdOperator' });
export type ThresholdOperator = z.output<typeof thresholdOperatorSchema>;

/** What an area without fresh data does to its alert. */
export const NO_DATA_POLICIES = ['keep', 'stale', 'resolve'] as const;
export const noDataPolicySchema = z.enum(NO_DATA_POLICIES).meta({
  id: 'NoDataPolicy',
  description: '`keep`: the alert stays as it is; `stale`: it is marked stale until data returns; `resolve`: it resolves.',
});
export type NoDataPolicy = z.output<typeof noDataPolicySchema>;

export const thresholdLevelSchema = z
  .object({
    level: severitySchema,
    op: thresholdOperatorSchema,
    value: z.number().meta({ description: 'The level applies while `indicator value <op> value` holds.' }),
    clear: z.number().optional().meta({
      description:
        'Hysteresis: once at this level, it holds until the value passes `clear` on the safe side (below it for `>=`/`>`, above it for `<=`/`<`). Default: `value`.',
    }),
  })
  .strict()
  .meta({ id: 'ThresholdLevel' });
export type ThresholdLevel = z.output<typeof thresholdLevelSchema>;

/**
 * When an indicator alerts. The shape only: the rules between fields (levels distinct and in
 * severity order, one direction, values monotonic, `clear` on the safe side) are checked by the
 * indicators lib, which names the offending field.
 */
export const thresholdSpecSchema = z
  .object({
    levels: z.array(thresholdLevelSchema).min(1).max(SEVERITIES.length),
    pendingSeconds: z
      .number()
      .int()
      .min(0)
      .max(86400)
      .default(0)
      .meta({ description: 'The condition must hold this long before the alert fires.' }),
    keepFiringSeconds: z
      .number()
      .int()
      .min(0)
      .max(86400)
      .default(0)
      .meta({ description: 'After the condition stops holding, the alert keeps firing this long.' }),
    noData: z
      .object({
        afterSeconds: z
          .number()
          .int()
          .min(10)
          .max(7 * 86400)
          .meta({ description: 'An area whose newest value is older than this has no data.' }),
        policy: noDataPolicySchema,
      })
      .strict()
      .optional(),
  })
  .strict()
  .meta({ id: 'ThresholdSpec', description: 'Levels with hysteresis, a pending period, keep-firing-for and a no-data policy.' });
export type ThresholdSpec = z.output<typeof thresholdSpecSchema>;
export type ThresholdSpecInput = z.input<typeof thresholdSpecSchema>;
