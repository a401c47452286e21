import { z } from 'zod';
import { roleSchema } from './auth';
import { positionSchema } from './geo';
import { catalogKeySchema } from './ingest';
import { databaseIdSchema, storableTimestampSchema } from './storable';
import { severitySchema, thresholdOperatorSchema } from './thresholds';

/** An alert's level is a threshold's severity: notice < warning < critical. */
export const ALERT_LEVELS = ['notice', 'warning', 'critical'] as const;
export const alertLevelSchema = severitySchema;
export type AlertLevel = z.output<typeof alertLevelSchema>;

/** "Normal" is no alert open for the key: pending → firing → resolved (a pending one that never fired resolves as `lapsed`). */
export const ALERT_STATES = ['pending', 'firing', 'resolved'] as const;
export const alertStateSchema = z.enum(ALERT_STATES).meta({ id: 'AlertState' });
export type AlertState = z.output<typeof alertStateSchema>;

const timestamp = z.iso.datetime({ offset: true });

export const alertFormatSchema = z
  .object({ decimals: z.number().int().min(0).max(4), percent: z.boolean() })
  .meta({ id: 'AlertValueFormat', description: 'How the indicator shows its values (percent: 0.83 shows as 83 %).' });

export const alertViewSchema = z
  .object({
    id: z.uuid(),
    indicatorKey: z.string(),
    indicatorName: z.string(),
    indicatorNameEn: z.string().nullable(),
    theme: z.string().nullable().meta({ description: 'The indicator’s theme; null for an indicator without one.' }),
    unit: z.string().nullable(),
    format: alertFormatSchema.nullable().meta({ description: 'Null: the indicator states no format.' }),
    areaId: z.number().int(),
    areaCode: z.string(),
    areaName: z.string(),
    center: positionSchema.nullable().meta({ description: 'A point inside the area, to fly the map there.' }),
    title: z.string(),
    level: alertLevelSchema,
    state: alertStateSchema,
    stale: z.boolean().meta({ description: 'No data since `staleSince` (no-data policy `stale`).' }),
    staleSince: timestamp.nullable(),
    value: z.number().meta({ description: 'The indicator value the alert last saw.' }),
    threshold: z.number().meta({ description: 'The threshold of the current level.' }),
    op: thresholdOperatorSchema,
    startedAt: timestamp.meta({ description: 'When the condition began to hold (pending began, or it fired at once).' }),
    firedAt: timestamp.nullable().meta({ description: 'Null: it never fired (still pending, or lapsed).' }),
    resolvedAt: timestamp.nullable(),
    resolvedBy: z.string().nullable().meta({ description: 'Who resolved it by hand; null when the data resolved it.' }),
    resolveReason: z.string().nullable(),
    acknowledgedAt: timestamp.nullable(),
    acknowledgedBy: z.string().nullable(),
    ackComment: z.string().nullable(),
    silencedBy: z.uuid().nullable().meta({ description: 'An active silence covering it: it still changes, but is not notified.' }),
    escalatedAt: timestamp.nullable(),
    escalatedTo: roleSchema.nullable().meta({ description: 'The role a critical alert not acknowledged in time went up to.' }),
    updatedAt: timestamp,
  })
  .meta({ id: 'AlertView', description: 'An alert: at most one is pending or firing per indicator and area.' });
export type AlertView = z.output<typeof alertViewSchema>;

export const ALERT_CHANGES = [
  'pending',
  'fired',
  'escalated',
  'deescalated',
  'updated',
  'acknowledged',
  'resolved',
  'stale',
  'fresh',
  'silenced',
  'unsilenced',
  'escalation',
  'lapsed',
  'case_filed',
] as const;
export const alertChangeSchema = z.enum(ALERT_CHANGES).meta({
  id: 'AlertChange',
  description:
    'What happened to an alert in one change. `escalated`/`deescalated`: its level changed; `escalation`: a critical alert ' +
    'not acknowledged in time went up to the next role; `lapsed`: a pending alert stopped holding before it fired; ' +
    '`case_filed`: a case was filed from it (its code in the history entry’s comment).',
});
export type AlertChange = z.output<typeof alertChangeSchema>;

export const alertHistoryEntrySchema = z
  .object({
    at: timestamp,
    change: alertChangeSchema,
    level: alertLevelSchema,
    value: z.number().nullable(),
    actor: z.string().nullable().meta({
      description: 'Who did it; null for the data and the system, `history` for an alert derived from an indicator’s stored past.',
    }),
    comment: z.string().nullable().meta({
      description: 'An acknowledgement’s comment, a manual resolution’s reason, the role escalated to, the code of a case filed from it.',
    }),
  })
  .meta({ id: 'AlertHistoryEntry' });
export type AlertHistoryEntry = z.output<typeof alertHistoryEntrySchema>;

/** `GET /api/alerts/:id`: the alert with every change it went through. */
export const alertDetailSchema = alertViewSchema
  .extend({ history: z.array(alertHistoryEntrySchema) })
  .meta({ id: 'AlertDetail', description: 'An alert with every change it went through, oldest first.' });
export type AlertDetail = z.output<typeof alertDetailSchema>;

const queryBoolean = z.enum(['true', 'false']).transform((v) => v === 'true');

export const listAlertsQuerySchema = z.object({
  state: alertStateSchema.optional(),
  active: queryBoolean.optional().meta({ description: '`true`: pending or firing; `false`: resolved.' }),
  since: storableTimestampSchema.optional().meta({ description: 'Only alerts that changed at or after this time.' }),
  indicator: catalogKeySchema.optional(),
  area: databaseIdSchema.optional().meta({ description: 'Only alerts of this area and the areas inside it.' }),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
});
export type ListAlertsQuery = z.output<typeof listAlertsQuerySchema>;

/** The widest window `GET /api/alerts/timeline` answers for. */
export const ALERT_TIMELINE_MAX_DAYS = 7;
export const ALERT_TIMELINE_DEFAULT_LIMIT = 5000;
export const ALERT_TIMELINE_MAX_LIMIT = 20000;

/** `GET /api/alerts/timeline`. */
export const alertTimelineQuerySchema = z
  .object({
    indicator: catalogKeySchema,
    from: storableTimestampSchema,
    to: storableTimestampSchema,
    limit: z.coerce
      .number()
      .int()
      .min(1)
      .max(ALERT_TIMELINE_MAX_LIMIT)
      .default(ALERT_TIMELINE_DEFAULT_LIMIT)
      .meta({ description: 'At most this many stretches, the earliest first (`truncated` says when more were left out).' }),
  })
  .refine((q) => Date.parse(q.from) < Date.parse(q.to), { path: ['to'], message: 'must be later than from' })
  .refine((q) => Date.parse(q.to) - Date.parse(q.from) <= ALERT_TIMELINE_MAX_DAYS * 86400_000, {
    path: ['to'],
    message: `must be at most ${ALERT_TIMELINE_MAX_DAYS} days after from`,
  });
export type AlertTimelineQuery = z.output<typeof alertTimelineQuerySchema>;

export const alertStretchSchema = z
  .object({
    alertId: z.uuid(),
    areaId: z.number().int(),
    level: alertLevelSchema,
    from: timestamp.meta({ description: 'When it fired at this level, or the window’s start.' }),
    to: timestamp.nullable().meta({
      description: 'When it went to another level or resolved, or the window’s end; null: it still fires at this level.',
    }),
  })
  .meta({ id: 'AlertStretch', description: 'A stretch of time during which an alert fired at one level.' });
export type AlertStretch = z.output<typeof alertStretchSchema>;

export const alertTimelineSchema = z
  .object({
    indicatorKey: z.string(),
    from: timestamp,
    to: timestamp,
    stretches: z.array(alertStretchSchema).meta({ description: 'Earliest first; pending time is not firing and is not in it.' }),
    truncated: z.boolean().meta({ description: 'True: more stretches fell in the window than `limit`; the earliest are given.' }),
  })
  .meta({
    id: 'AlertTimeline',
    description: 'The levels the alerts of an indicator fired at over a window, from their histories: what a replay draws at each instant.',
  });
export type AlertTimeline = z.output<typeof alertTimelineSchema>;

export const alertIdParamsSchema = z.object({ id: z.uuid() });
export type AlertIdParams = z.output<typeof alertIdParamsSchema>;

const text = (max: number) => z.string().trim().min(1).max(max);

export const acknowledgeAlertSchema = z.object({ comment: text(2000).optional() }).meta({ id: 'AcknowledgeAlertRequest' });
export type AcknowledgeAlertRequest = z.output<typeof acknowledgeAlertSchema>;

export const resolveAlertSchema = z
  .object({ reason: text(2000).meta({ description: 'Why it is resolved by hand.' }) })
  .meta({ id: 'ResolveAlertRequest' });
export type ResolveAlertRequest = z.output<typeof resolveAlertSchema>;

export const silenceViewSchema = z
  .object({
    id: z.uuid(),
    indicatorKey: z.string().nullable(),
    areaId: z.number().int().nullable(),
    areaCode: z.string().nullable(),
    theme: z.string().nullable(),
    startsAt: timestamp,
    endsAt: timestamp,
    reason: z.string(),
    createdBy: z.string(),
    createdAt: timestamp,
    expiredAt: timestamp.nullable().meta({ description: 'Set when it was ended by hand before `endsAt`.' }),
    active: z.boolean().meta({ description: 'It covers alerts now.' }),
  })
  .meta({
    id: 'Silence',
    description:
      'Alerts matching every field given (the indicator, the area or any area inside it, the theme) are silenced between ' +
      '`startsAt` and `endsAt`: they still change, but are not notified nor bannered.',
  });
export type SilenceView = z.output<typeof silenceViewSchema>;

export const createSilenceSchema = z
  .object({
    indicatorKey: catalogKeySchema.optional(),
    areaId: databaseIdSchema.optional(),
    theme: catalogKeySchema.optional(),
    startsAt: storableTimestampSchema.optional().meta({ description: 'Default: now.' }),
    endsAt: storableTimestampSchema,
    reason: text(2000),
  })
  .superRefine((s, ctx) => {
    if (s.indicatorKey === undefined && s.areaId === undefined && s.theme === undefined)
      ctx.addIssue({ code: 'custom', path: ['indicatorKey'], message: 'give at least one of indicatorKey, areaId, theme' });
    const starts = s.startsAt ? Date.parse(s.startsAt) : Date.now();
    if (Date.parse(s.endsAt) <= starts) ctx.addIssue({ code: 'custom', path: ['endsAt'], message: 'must be after startsAt' });
  })
  .meta({ id: 'CreateSilenceRequest' });
export type CreateSilenceRequest = z.output<typeof createSilenceSchema>;

export const listSilencesQuerySchema = z.object({
  active: queryBoolean.optional().meta({ description: '`true`: only those covering alerts now.' }),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
});
export type ListSilencesQuery = z.output<typeof listSilencesQuerySchema>;

export const silenceIdParamsSchema = z.object({ id: z.uuid() });
export type SilenceIdParams = z.output<typeof silenceIdParamsSchema>;
