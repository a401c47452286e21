import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { AuditEventView, AuditOutcome } from '@cityops/contracts';

/** A row as it is written (secrets already masked, texts storable). */
export interface AuditRow {
  at: string;
  actor_kind: string;
  actor_id: string | null;
  actor_name: string | null;
  actor_roles: string[];
  action: string;
  target_type: string | null;
  target_id: string | null;
  before: unknown;
  after: unknown;
  outcome: AuditOutcome;
  client_address: string | null;
  request_id: string | null;
  detail: Record<string, unknown> | null;
}

export interface AuditFilter {
  actor?: string;
  /** Actions starting with this text. */
  actionPrefix?: string;
  targetType?: string;
  targetId?: string;
  outcome?: AuditOutcome;
  /** at >= from */
  from?: string;
  /** at < to */
  to?: string;
  /** id < before */
  before?: number;
}

/** A row as it is read back: with its id (bigint, as text) and its time as a Date. */
interface StoredRow extends Omit<AuditRow, 'at'> {
  id: string;
  at: Date;
}

const COLUMNS = `id, at, actor_kind, actor_id, actor_name, actor_roles, action, target_type, target_id, before, after, outcome,
  host(client_address) AS client_address, request_id, detail`;

/** `audit.audit_event`: the application may only add rows and read them (the set-up seals the table). */
@Injectable()
export class AuditRepository {
  constructor(private readonly db: DataSource) {}

  /** Every row in one statement: one round trip for a burst of events. */
  async insert(rows: AuditRow[]): Promise<void> {
    await this.db.query(
      `INSERT INTO audit.audit_event (at, actor_kind, actor_id, actor_name, actor_roles, action, target_type, target_id,
                                      before, after, outcome, client_address, request_id, detail)
       SELECT at, actor_kind, actor_id, actor_name, actor_roles, action, target_type, target_id,
              before, after, outcome, client_address, request_id, detail
         FROM jsonb_to_recordset($1::jsonb) AS r(at timestamptz, actor_kind text, actor_id text, actor_name text, actor_roles text[],
              action text, target_type text, target_id text, before jsonb, after jsonb, outcome text, client_address inet,
              request_id text, detail jsonb)`,
      [JSON.stringify(rows)],
    );
  }

  /** Newest first (by id), at most `limit`. */
  async page(filter: AuditFilter, limit: number): Promise<AuditEventView[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    const param = (value: unknown) => {
      params.push(value);
      return `$${params.length}`;
    };
    if (filter.actor !== undefined) {
      const p = param(filter.actor);
      where.push(`(actor_name = ${p} OR actor_id = ${p})`);
    }
    if (filter.actionPrefix !== undefined) where.push(`action LIKE ${param(likePrefix(filter.actionPrefix))}`);
    if (filter.targetType !== undefined) where.push(`target_type = ${param(filter.targetType)}`);
    if (filter.targetId !== undefined) where.push(`target_id = ${param(filter.targetId)}`);
    if (filter.outcome !== undefined) where.push(`outcome = ${param(filter.outcome)}`);
    if (filter.from !== undefined) where.push(`at >= ${param(filter.from)}::timestamptz`);
    if (filter.to !== undefined) where.push(`at < ${param(filter.to)}::timestamptz`);
    if (filter.before !== undefined) where.push(`id < ${param(filter.before)}::bigint`);
    const rows: StoredRow[] = await this.db.query(
      `SELECT ${COLUMNS} FROM audit.audit_event ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
        ORDER BY id DESC LIMIT ${param(limit)}`,
      params,
    );
    return rows.map(toView);
  }
}

/** `LIKE` pattern for "starts with", the wildcards of the text taken literally (default escape: backslash). */
function likePrefix(text: string): string {
  return `${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

function toView(r: StoredRow): AuditEventView {
  return {
    id: Number(r.id),
    at: r.at.toISOString(),
    actorKind: r.actor_kind,
    actorId: r.actor_id,
    actorName: r.actor_name,
    actorRoles: r.actor_roles,
    action: r.action,
    targetType: r.target_type,
    targetId: r.target_id,
    before: r.before,
    after: r.after,
    outcome: r.outcome,
    clientAddress: r.client_address,
    requestId: r.request_id,
    detail: r.detail,
  };
}
