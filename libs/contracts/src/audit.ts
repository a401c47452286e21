import { z } from 'zod';
import { storableTimestampSchema } from './storable';

/** What became of the request: done, refused (no right, or not now: 401, 403, 429), or failed (any other problem). */
export const AUDIT_OUTCOMES = ['success', 'denied', 'failed'] as const;
export const auditOutcomeSchema = z.enum(AUDIT_OUTCOMES).meta({ id: 'AuditOutcome' });
export type AuditOutcome = z.output<typeof auditOutcomeSchema>;

/** Dotted verbs: `auth.sign_in`, `feed.update`, `feed.records.push`. */
export const AUDIT_ACTION = /^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$/;

/** Ids of audit events: PostgreSQL `bigint`, as far as JSON numbers stay exact. */
export const auditEventIdSchema = z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER);

const timestamp = z.iso.datetime({ offset: true });

export const auditEventViewSchema = z
  .object({
    id: z.number().int().meta({ description: 'Grows with every event: pass the last one seen as `before` for the next page.' }),
    at: timestamp,
    actorKind: z.string().meta({ description: '`user`, `display`, `feed` or `anonymous`.' }),
    actorId: z.string().nullable(),
    actorName: z.string().nullable(),
    actorRoles: z.array(z.string()),
    action: z.string().meta({ description: 'A dotted verb, e.g. `auth.sign_in`, `feed.update`, `feed.records.push`.' }),
    targetType: z.string().nullable(),
    targetId: z.string().nullable(),
    before: z.unknown().nullable().meta({ description: 'The thing before the change, secrets masked.' }),
    after: z.unknown().nullable().meta({ description: 'The thing after the change, secrets masked.' }),
    outcome: auditOutcomeSchema,
    clientAddress: z.string().nullable(),
    requestId: z.string().nullable(),
    detail: z
      .record(z.string(), z.unknown())
      .nullable()
      .meta({ description: 'The route, its parameters and status, the problem of a failure, counts of a push.' }),
  })
  .meta({ id: 'AuditEventView', description: 'One entry of the append-only audit trail.' });
export type AuditEventView = z.output<typeof auditEventViewSchema>;

const auditFilterFields = {
  actor: z.string().min(1).max(200).optional().meta({ description: 'The actor’s name or id, exactly.' }),
  action: z.string().min(1).max(100).optional().meta({ description: 'Actions that start with this, e.g. `feed.` or `auth.sign_in`.' }),
  targetType: z.string().min(1).max(100).optional(),
  targetId: z.string().min(1).max(200).optional(),
  outcome: auditOutcomeSchema.optional(),
  from: storableTimestampSchema.optional().meta({ description: 'Events at or after this time.' }),
  to: storableTimestampSchema.optional().meta({ description: 'Events before this time.' }),
  before: auditEventIdSchema.optional().meta({ description: 'Events older than this id (the previous page’s `nextBefore`).' }),
};

const fromBeforeTo = (q: { from?: string; to?: string }) => !q.from || !q.to || Date.parse(q.from) < Date.parse(q.to);
const fromBeforeToIssue = { path: ['to'], message: 'must be later than from' };

/** `GET /api/audit`: filters, newest first, a page of `limit`. */
export const auditQuerySchema = z
  .object({ ...auditFilterFields, limit: z.coerce.number().int().min(1).max(500).default(100) })
  .refine(fromBeforeTo, fromBeforeToIssue);
export type AuditQuery = z.output<typeof auditQuerySchema>;

/** `GET /api/audit.csv`: the same filters; every matching event unless `limit` says fewer. */
export const auditCsvQuerySchema = z
  .object({
    ...auditFilterFields,
    limit: z.coerce.number().int().min(1).max(10_000_000).optional().meta({ description: 'At most this many events; all by default.' }),
  })
  .refine(fromBeforeTo, fromBeforeToIssue);
export type AuditCsvQuery = z.output<typeof auditCsvQuerySchema>;

export const auditPageSchema = z
  .object({
    events: z.array(auditEventViewSchema),
    nextBefore: z
      .number()
      .int()
      .nullable()
      .meta({ description: 'Pass as `before` for the next (older) page; null when this is the last.' }),
  })
  .meta({ id: 'AuditPage', description: 'Audit events, newest first.' });
export type AuditPage = z.output<typeof auditPageSchema>;

/** `GET /api/audit.csv`: UTF-8 with a byte-order mark, a header row, one event per row. */
export const auditCsvSchema = z.string().meta({
  description:
    'CSV (RFC 4180), UTF-8 with a byte-order mark so spreadsheet programs read Chinese right. A cell that starts with = + - @ ' +
    '(or a tab or carriage return) is prefixed with an apostrophe so that no spreadsheet runs it as a formula.',
});
