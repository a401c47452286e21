import { z } from 'zod';
import { positionSchema } from './geo';

export const ALERT_LEVELS = ['warning', 'critical'] as const;
export const alertLevelSchema = z.enum(ALERT_LEVELS).meta({ id: 'AlertLevel' });
export type AlertLevel = z.output<typeof alertLevelSchema>;

export const ALERT_STATES = ['open', 'resolved'] as const;
export const alertStateSchema = z.enum(ALERT_STATES).meta({ id: 'AlertState' });
export type AlertState = z.output<typeof alertStateSchema>;

const timestamp = z.iso.datetime({ offset: true });

export const alertViewSchema = z
  .object({
    id: z.uuid(),
    indicatorKey: z.string(),
    areaId: z.number().int(),
    areaCode: z.string(),
    areaName: z.string(),
    level: alertLevelSchema,
    state: alertStateSchema,
    value: z.number().meta({ description: 'Indicator value that last changed the alert.' }),
    threshold: z.number().meta({ description: 'Threshold crossed for the current level.' }),
    title: z.string(),
    center: positionSchema.nullable().meta({ description: 'A point inside the area, to fly the map there.' }),
    openedAt: timestamp,
    updatedAt: timestamp,
    acknowledgedAt: timestamp.nullable(),
    acknowledgedBy: z.string().nullable(),
    resolvedAt: timestamp.nullable(),
  })
  .meta({ id: 'AlertView', description: 'An alert: at most one is open per indicator and area.' });
export type AlertView = z.output<typeof alertViewSchema>;

export const ALERT_CHANGES = ['opened', 'escalated', 'deescalated', 'updated', 'acknowledged', 'resolved'] as const;
export const alertChangeSchema = z.enum(ALERT_CHANGES).meta({ id: 'AlertChange', description: 'What happened to an alert in one change.' });
export type AlertChange = z.output<typeof alertChangeSchema>;

export const alertHistoryEntrySchema = z
  .object({
    at: timestamp,
    change: alertChangeSchema,
    level: alertLevelSchema,
    value: z.number().nullable(),
    actor: z.string().nullable(),
  })
  .meta({ id: 'AlertHistoryEntry' });

/** `GET /api/alerts/:id`: the alert with every change it went through. */
export const alertDetailSchema = alertViewSchema
  .extend({ history: z.array(alertHistoryEntrySchema) })
  .meta({ id: 'AlertDetail', description: 'An alert with every change it went through, oldest first.' });
export type AlertDetail = z.output<typeof alertDetailSchema>;

export const listAlertsQuerySchema = z.object({
  state: alertStateSchema.optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
});
export type ListAlertsQuery = z.output<typeof listAlertsQuerySchema>;

export const alertIdParamsSchema = z.object({ id: z.uuid() });
export type AlertIdParams = z.output<typeof alertIdParamsSchema>;
