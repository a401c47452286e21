import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type {
  WebhookAttempt,
  WebhookDefinition,
  WebhookDeliveryStatus,
  WebhookDeliveryView,
  WebhookFilter,
  WebhookView,
} from '@cityops/contracts';
import type { StoredPayload } from './webhook-payload';

export interface WebhookRow {
  id: string;
  name: string;
  url: string;
  secret_sealed: string;
  secret_rotated_at: Date;
  filter: WebhookFilter;
  enabled: boolean;
  created_by: string | null;
  created_at: Date;
  updated_at: Date;
}

interface DeliveryRow {
  id: string;
  webhook_id: string;
  alert_id: string | null;
  change: string;
  payload: StoredPayload;
  attempts: number;
  status: WebhookDeliveryStatus;
  last_status_code: number | null;
  last_error: string | null;
  next_attempt_at: Date | null;
  delivered_at: Date | null;
  created_at: Date;
  attempt_log?: { attempt: number; at: string; statusCode: number | null; error: string | null }[];
}

/** A delivery with what sending it needs of its webhook. */
export interface DeliveryTarget {
  id: string;
  status: WebhookDeliveryStatus;
  payload: StoredPayload;
  url: string;
  secretSealed: string;
  enabled: boolean;
}

export function webhookView(r: WebhookRow): WebhookView {
  return {
    id: r.id,
    name: r.name,
    url: r.url,
    filter: r.filter,
    enabled: r.enabled,
    createdBy: r.created_by,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
    secretRotatedAt: r.secret_rotated_at.toISOString(),
  };
}

function deliveryView(r: DeliveryRow): WebhookDeliveryView {
  const attemptLog: WebhookAttempt[] = (r.attempt_log ?? []).map((a) => ({
    attempt: a.attempt,
    at: new Date(a.at).toISOString(),
    statusCode: a.statusCode,
    error: a.error,
  }));
  return {
    id: r.id,
    webhookId: r.webhook_id,
    alertId: r.alert_id,
    change: r.change as WebhookDeliveryView['change'],
    status: r.status,
    attempts: r.attempts,
    lastStatusCode: r.last_status_code,
    lastError: r.last_error,
    nextAttemptAt: r.next_attempt_at?.toISOString() ?? null,
    deliveredAt: r.delivered_at?.toISOString() ?? null,
    createdAt: r.created_at.toISOString(),
    attemptLog,
  };
}

const WEBHOOK_COLUMNS = 'id, name, url, secret_sealed, secret_rotated_at, filter, enabled, created_by, created_at, updated_at';

const DELIVERY_COLUMNS = `d.id, d.webhook_id, d.alert_id, d.change, d.payload, d.attempts, d.status, d.last_status_code, d.last_error,
  d.next_attempt_at, d.delivered_at, d.created_at,
  COALESCE((SELECT json_agg(json_build_object('attempt', a.attempt, 'at', a.at, 'statusCode', a.status_code, 'error', a.error)
                            ORDER BY a.attempt)
              FROM webhook_delivery_attempt a WHERE a.delivery_id = d.id), '[]'::json) AS attempt_log`;

/** Longest reason kept in last_error and an attempt's error (the columns' check). */
export const MAX_DELIVERY_ERROR_LENGTH = 500;

@Injectable()
export class WebhookRepository {
  constructor(private readonly db: DataSource) {}

  // ---- webhooks ----

  async list(filter: { enabledOnly: boolean }): Promise<WebhookRow[]> {
    return this.db.query(`SELECT ${WEBHOOK_COLUMNS} FROM webhook ${filter.enabledOnly ? 'WHERE enabled' : ''} ORDER BY created_at, id`);
  }

  async find(id: string): Promise<WebhookRow | null> {
    const rows: WebhookRow[] = await this.db.query(`SELECT ${WEBHOOK_COLUMNS} FROM webhook WHERE id = $1`, [id]);
    return rows[0] ?? null;
  }

  async insert(d: WebhookDefinition, secretSealed: string, createdBy: string): Promise<WebhookRow> {
    const rows: WebhookRow[] = await this.db.query(
      `INSERT INTO webhook (name, url, secret_sealed, filter, enabled, created_by) VALUES ($1, $2, $3, $4, $5, $6)
       RETURNING ${WEBHOOK_COLUMNS}`,
      [d.name, d.url, secretSealed, JSON.stringify(d.filter), d.enabled, createdBy],
    );
    return rows[0];
  }

  async update(id: string, d: WebhookDefinition): Promise<WebhookRow | null> {
    const rows: WebhookRow[] = await this.db.query(
      `WITH updated AS (
         UPDATE webhook SET name = $2, url = $3, filter = $4, enabled = $5, updated_at = now() WHERE id = $1
         RETURNING ${WEBHOOK_COLUMNS})
       SELECT * FROM updated`,
      [id, d.name, d.url, JSON.stringify(d.filter), d.enabled],
    );
    return rows[0] ?? null;
  }

  async rotateSecret(id: string, secretSealed: string): Promise<WebhookRow | null> {
    const rows: WebhookRow[] = await this.db.query(
      `WITH rotated AS (
         UPDATE webhook SET secret_sealed = $2, secret_rotated_at = now(), updated_at = now() WHERE id = $1
         RETURNING ${WEBHOOK_COLUMNS})
       SELECT * FROM rotated`,
      [id, secretSealed],
    );
    return rows[0] ?? null;
  }

  /** Its deliveries go with it (the log of a webhook that no longer exists would name nothing). */
  async delete(id: string): Promise<WebhookRow | null> {
    const rows: WebhookRow[] = await this.db.query(
      `WITH deleted AS (DELETE FROM webhook WHERE id = $1 RETURNING ${WEBHOOK_COLUMNS}) SELECT * FROM deleted`,
      [id],
    );
    return rows[0] ?? null;
  }

  // ---- deliveries ----

  /**
   * The delivery of `dedupeKey`: a new pending one, or the one already there (`created` false),
   * so a change published twice is delivered once.
   */
  async insertDelivery(d: {
    webhookId: string;
    alertId: string | null;
    change: string;
    dedupeKey: string;
    payload: StoredPayload;
  }): Promise<{ id: string; status: WebhookDeliveryStatus; attempts: number; created: boolean }> {
    const inserted: { id: string }[] = await this.db.query(
      `INSERT INTO webhook_delivery (webhook_id, alert_id, change, dedupe_key, payload, next_attempt_at)
       VALUES ($1, $2, $3, $4, $5, now())
       ON CONFLICT (dedupe_key) DO NOTHING RETURNING id`,
      [d.webhookId, d.alertId, d.change, d.dedupeKey, JSON.stringify(d.payload)],
    );
    if (inserted[0]) return { id: inserted[0].id, status: 'pending', attempts: 0, created: true };
    const rows: { id: string; status: WebhookDeliveryStatus; attempts: number }[] = await this.db.query(
      `SELECT id, status, attempts FROM webhook_delivery WHERE dedupe_key = $1`,
      [d.dedupeKey],
    );
    return { ...rows[0], created: false };
  }

  async findDelivery(id: string): Promise<WebhookDeliveryView | null> {
    const rows: DeliveryRow[] = await this.db.query(`SELECT ${DELIVERY_COLUMNS} FROM webhook_delivery d WHERE d.id = $1`, [id]);
    return rows[0] ? deliveryView(rows[0]) : null;
  }

  async findTarget(id: string): Promise<DeliveryTarget | null> {
    const rows: {
      id: string;
      status: WebhookDeliveryStatus;
      payload: StoredPayload;
      url: string;
      secret_sealed: string;
      enabled: boolean;
    }[] = await this.db.query(
      `SELECT d.id, d.status, d.payload, w.url, w.secret_sealed, w.enabled
           FROM webhook_delivery d JOIN webhook w ON w.id = d.webhook_id WHERE d.id = $1`,
      [id],
    );
    const r = rows[0];
    return r ? { id: r.id, status: r.status, payload: r.payload, url: r.url, secretSealed: r.secret_sealed, enabled: r.enabled } : null;
  }

  /** A webhook's log, newest first. */
  async listDeliveries(webhookId: string, status: WebhookDeliveryStatus | undefined, limit: number): Promise<WebhookDeliveryView[]> {
    const rows: DeliveryRow[] = await this.db.query(
      `SELECT ${DELIVERY_COLUMNS} FROM webhook_delivery d
        WHERE d.webhook_id = $1 AND ($2::text IS NULL OR d.status = $2)
        ORDER BY d.created_at DESC, d.id DESC LIMIT $3`,
      [webhookId, status ?? null, limit],
    );
    return rows.map(deliveryView);
  }

  /** One attempt and where it leaves the delivery, in one statement: the count and the log cannot disagree. */
  async recordAttempt(
    id: string,
    outcome: { status: WebhookDeliveryStatus; statusCode: number | null; error: string | null; nextAttemptAt: Date | null },
  ): Promise<number | null> {
    const error = outcome.error?.slice(0, MAX_DELIVERY_ERROR_LENGTH) ?? null;
    const rows: { attempt: number }[] = await this.db.query(
      `WITH d AS (
         UPDATE webhook_delivery
            SET attempts = attempts + 1, status = $2, last_status_code = $3, last_error = $4, next_attempt_at = $5,
                delivered_at = CASE WHEN $2 = 'delivered' THEN now() ELSE delivered_at END, updated_at = now()
          WHERE id = $1 RETURNING id, attempts)
       INSERT INTO webhook_delivery_attempt (delivery_id, attempt, status_code, error)
       SELECT id, attempts, $3, $4 FROM d RETURNING attempt`,
      [id, outcome.status, outcome.statusCode, error, outcome.nextAttemptAt],
    );
    return rows[0]?.attempt ?? null;
  }

  /** Ends a delivery without an attempt (its webhook was disabled before its turn). */
  async fail(id: string, reason: string): Promise<void> {
    await this.db.query(
      `UPDATE webhook_delivery SET status = 'failed', last_error = $2, next_attempt_at = NULL, updated_at = now()
        WHERE id = $1 AND status = 'pending'`,
      [id, reason.slice(0, MAX_DELIVERY_ERROR_LENGTH)],
    );
  }

  /** A failed delivery made pending again; null when it is not failed (or not there). */
  async reopen(id: string): Promise<{ attempts: number; dedupeKey: string } | null> {
    const rows: { attempts: number; dedupeKey: string }[] = await this.db.query(
      `WITH reopened AS (
         UPDATE webhook_delivery SET status = 'pending', next_attempt_at = now(), updated_at = now()
          WHERE id = $1 AND status = 'failed' RETURNING attempts, dedupe_key AS "dedupeKey")
       SELECT * FROM reopened`,
      [id],
    );
    return rows[0] ?? null;
  }

  // ---- upkeep ----

  /**
   * Up to `limit` pending deliveries due before `dueBefore`, oldest first, each made due now in the
   * same statement: a second sweep running at once skips what this one took (the rows are locked
   * or no longer that old), and one left unsent waits its grace again.
   */
  async claimOverdue(dueBefore: Date, limit: number): Promise<{ id: string; dedupeKey: string }[]> {
    return this.db.query(
      `WITH overdue AS (
         SELECT id FROM webhook_delivery
          WHERE status = 'pending' AND next_attempt_at < $1
          ORDER BY next_attempt_at LIMIT $2 FOR UPDATE SKIP LOCKED),
       claimed AS (
         UPDATE webhook_delivery d SET next_attempt_at = now(), updated_at = now()
           FROM overdue WHERE d.id = overdue.id
         RETURNING d.id, d.dedupe_key AS "dedupeKey")
       SELECT * FROM claimed`,
      [dueBefore, limit],
    );
  }

  /**
   * Deletes up to `limit` delivered or failed deliveries last changed before `before` (their
   * attempts go with them) and answers how many: a caller repeats it, so no one statement holds
   * a big log's rows for long.
   */
  async deleteFinishedBefore(before: Date, limit: number): Promise<number> {
    const rows: { n: number }[] = await this.db.query(
      `WITH old AS (
         SELECT id FROM webhook_delivery
          WHERE status IN ('delivered', 'failed') AND updated_at < $1
          ORDER BY updated_at LIMIT $2 FOR UPDATE SKIP LOCKED),
       gone AS (DELETE FROM webhook_delivery d USING old WHERE d.id = old.id RETURNING 1)
       SELECT count(*)::int AS n FROM gone`,
      [before, limit],
    );
    return rows[0].n;
  }
}
