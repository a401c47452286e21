import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { AlertChange, AlertHistoryEntry, AlertLevel, AlertState, AlertView, Role, ThresholdOperator } from '@cityops/contracts';
import { inScopeSql, type ScopeRoots } from '@cityops/geo';
import { TIMELINE_CHANGES, type TimelineEvent } from './alert-timeline';

interface AlertRow {
  id: string;
  indicator_key: string;
  area_id: number;
  level: AlertLevel;
  state: AlertState;
  value: number;
  threshold: number;
  op: ThresholdOperator;
  value_ts: Date;
  started_at: Date;
  fired_at: Date | null;
  condition_lost_at: Date | null;
  stale_since: Date | null;
  resolved_at: Date | null;
  resolved_by: string | null;
  resolve_reason: string | null;
  acknowledged_at: Date | null;
  acknowledged_by: string | null;
  ack_comment: string | null;
  escalated_at: Date | null;
  escalated_to: Role | null;
  escalation_step: number;
  updated_at: Date;
  theme: string | null;
  silenced_by: string | null;
}

/** An alert as stored; the service adds the area's and the indicator's names (their libs own them). */
export type StoredAlert = Omit<
  AlertView,
  'areaCode' | 'areaName' | 'title' | 'center' | 'indicatorName' | 'indicatorNameEn' | 'unit' | 'format'
> & {
  /** Internal: how far escalation went (0 none, 1 the first role up, 2 the next). */
  escalationStep: number;
};

/**
 * An active silence covering the alert `a`: every field the silence names matches (its area
 * covers the areas inside it, as a scope does).
 */
const SILENCED_BY = `
  (SELECT s.id FROM alert_silence s
    WHERE a.state <> 'resolved' AND s.expired_at IS NULL AND s.starts_at <= now() AND s.ends_at > now()
      AND (s.indicator_key IS NULL OR s.indicator_key = a.indicator_key)
      AND (s.theme IS NULL OR s.theme = a.theme)
      AND (s.area_id IS NULL OR a.area_id IN (SELECT cityops_scope_area_ids(ARRAY[s.area_id])))
    ORDER BY s.created_at, s.id LIMIT 1)`;

/** An alert's columns as `toStoredAlert` reads them, of the row aliased `a` (a SELECT's, or a write's RETURNING). */
const ALERT_COLUMNS = `
  a.id, a.indicator_key, a.area_id, a.level, a.state, a.value, a.threshold, a.op, a.value_ts, a.started_at, a.fired_at,
  a.condition_lost_at, a.stale_since, a.resolved_at, a.resolved_by, a.resolve_reason, a.acknowledged_at,
  a.acknowledged_by, a.ack_comment, a.escalated_at, a.escalated_to, a.escalation_step, a.updated_at,
  a.theme, ${SILENCED_BY} AS silenced_by`;

const SELECT_ALERT = `SELECT ${ALERT_COLUMNS} FROM alert a`;

/**
 * After a write to `alert` as the CTE `changed` (RETURNING ALERT_COLUMNS): the history entries of
 * the named changes ($events, in order), and the alert as written, in the same statement.
 */
function withEvents(write: string, eventsParam: number): string {
  return `
    WITH changed AS (${write} RETURNING ${ALERT_COLUMNS}),
    events AS (
      INSERT INTO alert_event (alert_id, change, level, value)
      SELECT changed.id, e.change, changed.level, changed.value
        FROM changed CROSS JOIN unnest($${eventsParam}::text[]) WITH ORDINALITY AS e(change, n) ORDER BY e.n
    )
    SELECT * FROM changed`;
}

const iso = (d: Date | null) => d?.toISOString() ?? null;

function toStoredAlert(r: AlertRow): StoredAlert {
  return {
    id: r.id,
    indicatorKey: r.indicator_key,
    theme: r.theme,
    areaId: r.area_id,
    level: r.level,
    state: r.state,
    stale: r.stale_since !== null,
    staleSince: iso(r.stale_since),
    value: r.value,
    threshold: r.threshold,
    op: r.op,
    startedAt: r.started_at.toISOString(),
    firedAt: iso(r.fired_at),
    resolvedAt: iso(r.resolved_at),
    resolvedBy: r.resolved_by,
    resolveReason: r.resolve_reason,
    acknowledgedAt: iso(r.acknowledged_at),
    acknowledgedBy: r.acknowledged_by,
    ackComment: r.ack_comment,
    silencedBy: r.silenced_by,
    escalatedAt: iso(r.escalated_at),
    escalatedTo: r.escalated_to,
    escalationStep: r.escalation_step,
    updatedAt: r.updated_at.toISOString(),
  };
}

/** A pending or firing alert as the state machine needs it. */
export interface OpenAlertRow {
  id: string;
  areaId: number;
  state: 'pending' | 'firing';
  level: AlertLevel;
  value: number;
  valueTs: Date;
  startedAt: Date;
  firedAt: Date | null;
  conditionLostAt: Date | null;
  staleSince: Date | null;
}

interface OpenRow {
  id: string;
  area_id: number;
  state: 'pending' | 'firing';
  level: AlertLevel;
  value: number;
  value_ts: Date;
  started_at: Date;
  fired_at: Date | null;
  condition_lost_at: Date | null;
  stale_since: Date | null;
}

const toOpen = (r: OpenRow): OpenAlertRow => ({
  id: r.id,
  areaId: r.area_id,
  state: r.state,
  level: r.level,
  value: r.value,
  valueTs: r.value_ts,
  startedAt: r.started_at,
  firedAt: r.fired_at,
  conditionLostAt: r.condition_lost_at,
  staleSince: r.stale_since,
});

const OPEN_COLUMNS = `id, area_id, state, level, value, value_ts, started_at, fired_at, condition_lost_at, stale_since`;

/** What an evaluation writes to an alert row. */
export interface AlertWrite {
  state: AlertState;
  level: AlertLevel;
  value: number;
  valueTs: Date;
  threshold: number;
  op: ThresholdOperator;
  firedAt: Date | null;
  conditionLostAt: Date | null;
  staleSince: Date | null;
  /** The indicator's theme, kept on the alert for silences by theme. */
  theme: string | null;
}

/** An alert derived from an indicator's past, with its history entries (see `deriveAlerts`). */
export interface DerivedAlertRow extends Omit<AlertWrite, 'theme'> {
  areaId: number;
  startedAt: Date;
  resolvedAt: Date | null;
  updatedAt: Date;
  events: readonly { at: Date; change: AlertChange; level: AlertLevel; value: number }[];
}

/** What `insertDerived` stored: counts, and the alerts among them still pending or firing. */
export interface DerivedAlertsStored {
  alerts: number;
  events: number;
  open: StoredAlert[];
}

/** An alert that fired during a window, with the history entries that set its level (`TIMELINE_CHANGES`), oldest first. */
export interface FiringAlert {
  id: string;
  areaId: number;
  events: TimelineEvent[];
}

export interface AlertFilter {
  state?: AlertState;
  active?: boolean;
  since?: string;
  indicator?: string;
  area?: number;
  limit: number;
}

@Injectable()
export class AlertRepository {
  constructor(private readonly db: DataSource) {}

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.db.transaction(work);
  }

  /** Serialises evaluations and manual changes of one indicator and area across every process, for this transaction. */
  async lockArea(m: EntityManager, indicatorKey: string, areaId: number): Promise<void> {
    await m.query(`SELECT pg_advisory_xact_lock(hashtext($1), $2)`, [indicatorKey, areaId]);
  }

  /**
   * `lockArea` for several areas at once, in the order given (callers sort them: two transactions
   * taking overlapping sets in the same order cannot deadlock).
   */
  async lockAreas(m: EntityManager, indicatorKey: string, areaIds: readonly number[]): Promise<void> {
    await m.query(
      `SELECT count(pg_advisory_xact_lock(hashtext($1), a.id))
         FROM (SELECT id FROM unnest($2::int[]) WITH ORDINALITY AS u(id, n) ORDER BY n) a`,
      [indicatorKey, areaIds],
    );
  }

  /** The open alerts of these areas of an indicator, by area, row-locked for this transaction. */
  async findOpenIn(m: EntityManager, indicatorKey: string, areaIds: readonly number[]): Promise<Map<number, OpenAlertRow>> {
    const rows: OpenRow[] = await m.query(
      `SELECT ${OPEN_COLUMNS} FROM alert WHERE indicator_key = $1 AND area_id = ANY($2::int[]) AND state IN ('pending', 'firing') FOR UPDATE`,
      [indicatorKey, areaIds],
    );
    return new Map(rows.map((r) => [r.area_id, toOpen(r)]));
  }

  /** Every pending or firing alert of an indicator (unlocked: each is locked again when evaluated). */
  async openOf(indicatorKey: string): Promise<OpenAlertRow[]> {
    const rows: OpenRow[] = await this.db.query(
      `SELECT ${OPEN_COLUMNS} FROM alert WHERE indicator_key = $1 AND state IN ('pending', 'firing')`,
      [indicatorKey],
    );
    return rows.map(toOpen);
  }

  /**
   * Inserts a pending or firing alert with the history entries of its named changes, and answers
   * it as stored; the partial unique index turns a second open alert of the key into `null`.
   */
  async insert(
    m: EntityManager,
    indicatorKey: string,
    areaId: number,
    w: AlertWrite,
    now: Date,
    events: readonly AlertChange[],
  ): Promise<StoredAlert | null> {
    const rows: AlertRow[] = await m.query(
      withEvents(
        `INSERT INTO alert AS a (indicator_key, area_id, state, level, value, value_ts, threshold, op, fired_at, started_at, updated_at, theme)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10, $11)
         ON CONFLICT (indicator_key, area_id) WHERE state IN ('pending', 'firing') DO NOTHING`,
        12,
      ),
      [indicatorKey, areaId, w.state, w.level, w.value, w.valueTs, w.threshold, w.op, w.firedAt, now, w.theme, events],
    );
    return rows[0] ? toStoredAlert(rows[0]) : null;
  }

  /**
   * Writes an evaluation's outcome to an alert, with the history entries of its named changes;
   * answers the alert as written. `changedAt` null: only the value's time or the keep-firing clock
   * moved, which is no change to show.
   */
  async write(
    m: EntityManager,
    id: string,
    w: AlertWrite,
    changedAt: Date | null,
    events: readonly AlertChange[],
  ): Promise<StoredAlert | null> {
    const rows: AlertRow[] = await m.query(
      withEvents(
        `UPDATE alert AS a SET state = $2, level = $3, value = $4, value_ts = $5, threshold = $6, op = $7, fired_at = $8,
                condition_lost_at = $9, stale_since = $10, updated_at = coalesce($11, updated_at), theme = $12,
                resolved_at = CASE WHEN $2 = 'resolved' THEN coalesce($11, now()) ELSE NULL END
          WHERE a.id = $1`,
        13,
      ),
      [id, w.state, w.level, w.value, w.valueTs, w.threshold, w.op, w.firedAt, w.conditionLostAt, w.staleSince, changedAt, w.theme, events],
    );
    return rows[0] ? toStoredAlert(rows[0]) : null;
  }

  /**
   * Stores alerts derived from an indicator's past with their history entries, at their own
   * instants, every entry under `actor`; one statement. A derived alert whose time overlaps an
   * alert of the key already stored (the same derivation ran before, or the live round alerted
   * then) is skipped with its entries: the key never has two alerts at one instant. An open one
   * meets the partial unique index too. Answers how many alerts and entries were stored, and the
   * alerts stored still pending or firing as stored (what the service schedules escalations for).
   */
  async insertDerived(
    m: EntityManager,
    indicatorKey: string,
    theme: string | null,
    alerts: readonly DerivedAlertRow[],
    actor: string,
  ): Promise<DerivedAlertsStored> {
    if (alerts.length === 0) return { alerts: 0, events: 0, open: [] };
    const input = alerts.map((a, n) => ({
      n,
      area_id: a.areaId,
      state: a.state,
      level: a.level,
      value: a.value,
      value_ts: a.valueTs,
      threshold: a.threshold,
      op: a.op,
      started_at: a.startedAt,
      fired_at: a.firedAt,
      condition_lost_at: a.conditionLostAt,
      stale_since: a.staleSince,
      resolved_at: a.resolvedAt,
      updated_at: a.updatedAt,
    }));
    // In order: the entries' ids keep the order of entries at the same instant (`history` sorts by time, then id).
    const events = alerts
      .flatMap((a) =>
        a.events.map((e) => ({ area_id: a.areaId, started_at: a.startedAt, at: e.at, change: e.change, level: e.level, value: e.value })),
      )
      .map((e, n) => ({ n, ...e }));
    const rows: (Partial<AlertRow> & { alerts: number; events: number })[] = await m.query(
      `WITH input AS (
         SELECT * FROM jsonb_to_recordset($3::jsonb) AS i(
           n int, area_id int, state text, level text, value float8, value_ts timestamptz, threshold float8, op text,
           started_at timestamptz, fired_at timestamptz, condition_lost_at timestamptz, stale_since timestamptz,
           resolved_at timestamptz, updated_at timestamptz)
       ),
       stored AS (
         INSERT INTO alert AS a (indicator_key, area_id, state, level, value, value_ts, threshold, op, started_at, fired_at,
                                 condition_lost_at, stale_since, resolved_at, updated_at, theme)
         SELECT $1, i.area_id, i.state, i.level, i.value, i.value_ts, i.threshold, i.op, i.started_at, i.fired_at,
                i.condition_lost_at, i.stale_since, i.resolved_at, i.updated_at, $2
           FROM input i
          WHERE NOT EXISTS (
                  SELECT 1 FROM alert x
                   WHERE x.indicator_key = $1 AND x.area_id = i.area_id
                     AND x.started_at <= coalesce(i.resolved_at, 'infinity') AND coalesce(x.resolved_at, 'infinity') >= i.started_at)
          ORDER BY i.n
         ON CONFLICT (indicator_key, area_id) WHERE state IN ('pending', 'firing') DO NOTHING
         RETURNING ${ALERT_COLUMNS}
       ),
       entries AS (
         INSERT INTO alert_event (alert_id, at, change, level, value, actor)
         SELECT s.id, e.at, e.change, e.level, e.value, $5
           FROM jsonb_to_recordset($4::jsonb) AS e(
             n int, area_id int, started_at timestamptz, at timestamptz, change text, level text, value float8)
           JOIN stored s ON s.area_id = e.area_id AND s.started_at = e.started_at
          ORDER BY e.n
         RETURNING 1
       )
       -- The counts on every row, beside each open alert stored (one row of counts alone when there is none).
       SELECT c.alerts, c.events, o.*
         FROM (SELECT (SELECT count(*) FROM stored)::int AS alerts, (SELECT count(*) FROM entries)::int AS events) c
         LEFT JOIN (SELECT * FROM stored WHERE state IN ('pending', 'firing')) o ON true`,
      [indicatorKey, theme, JSON.stringify(input), JSON.stringify(events), actor],
    );
    return {
      alerts: rows[0]?.alerts ?? 0,
      events: rows[0]?.events ?? 0,
      open: rows.flatMap((r) => (r.id ? [toStoredAlert(r as AlertRow)] : [])),
    };
  }

  /** The alert's key, if it lies in the scope: what a manual change locks before it looks. */
  async keyOf(id: string, scope: ScopeRoots): Promise<{ indicatorKey: string; areaId: number } | null> {
    const rows: { indicator_key: string; area_id: number }[] = await this.db.query(
      `SELECT indicator_key, area_id FROM alert WHERE id = $1 AND ${inScopeSql('area_id', 2)}`,
      [id, scope],
    );
    return rows[0] ? { indicatorKey: rows[0].indicator_key, areaId: rows[0].area_id } : null;
  }

  /** Acknowledges a pending or firing alert; false when there was nothing to change. */
  async acknowledge(m: EntityManager, id: string, actor: string, comment: string | null): Promise<boolean> {
    // Wrapped in a SELECT: for a bare UPDATE, TypeORM answers [rows, count] instead of rows.
    const rows: { id: string; level: string; value: number }[] = await m.query(
      `WITH acked AS (
         UPDATE alert SET acknowledged_at = now(), acknowledged_by = $2, ack_comment = $3, updated_at = now()
          WHERE id = $1 AND state IN ('pending', 'firing') AND acknowledged_at IS NULL RETURNING id, level, value)
       SELECT * FROM acked`,
      [id, actor, comment],
    );
    if (rows[0]) await this.addEvent(m, id, 'acknowledged', rows[0].level, rows[0].value, actor, comment);
    return rows.length > 0;
  }

  /** Resolves a pending or firing alert by hand; false when it was resolved already. */
  async resolveByHand(m: EntityManager, id: string, actor: string, reason: string): Promise<boolean> {
    const rows: { id: string; level: string; value: number }[] = await m.query(
      `WITH done AS (
         UPDATE alert SET state = 'resolved', resolved_at = now(), resolved_by = $2, resolve_reason = $3, condition_lost_at = NULL,
                updated_at = now()
          WHERE id = $1 AND state IN ('pending', 'firing') RETURNING id, level, value)
       SELECT * FROM done`,
      [id, actor, reason],
    );
    if (rows[0]) await this.addEvent(m, id, 'resolved', rows[0].level, rows[0].value, actor, reason);
    return rows.length > 0;
  }

  /**
   * Escalates a firing critical alert nobody acknowledged to `role`, if it is still at the step
   * before: a job run twice, or one for an alert acknowledged or resolved meanwhile, changes nothing.
   */
  async escalate(m: EntityManager, id: string, step: number, role: Role): Promise<boolean> {
    const rows: { id: string; level: string; value: number }[] = await m.query(
      `WITH up AS (
         UPDATE alert SET escalated_at = now(), escalated_to = $3, escalation_step = $2, updated_at = now()
          WHERE id = $1 AND state = 'firing' AND level = 'critical' AND acknowledged_at IS NULL AND escalation_step = $2 - 1
          RETURNING id, level, value)
       SELECT * FROM up`,
      [id, step, role],
    );
    if (rows[0]) await this.addEvent(m, id, 'escalation', rows[0].level, rows[0].value, null, role);
    return rows.length > 0;
  }

  async addEvent(
    m: EntityManager,
    alertId: string,
    change: AlertChange,
    level: string | null,
    value: number | null,
    actor: string | null,
    comment: string | null = null,
  ): Promise<void> {
    await m.query(
      `INSERT INTO alert_event (alert_id, change, level, value, actor, comment)
       VALUES ($1, $2, coalesce($3, (SELECT level FROM alert WHERE id = $1)), $4, $5, $6)`,
      [alertId, change, level, value, actor, comment],
    );
  }

  async find(id: string, m: EntityManager = this.db.manager): Promise<StoredAlert | null> {
    const rows: AlertRow[] = await m.query(`${SELECT_ALERT} WHERE a.id = $1`, [id]);
    return rows[0] ? toStoredAlert(rows[0]) : null;
  }

  /** The alert if its area lies in the scope; null also when it exists outside it. */
  async findInScope(id: string, scope: ScopeRoots, m: Pick<EntityManager, 'query'> = this.db): Promise<StoredAlert | null> {
    const rows: AlertRow[] = await m.query(`${SELECT_ALERT} WHERE a.id = $1 AND ${inScopeSql('a.area_id', 2)}`, [id, scope]);
    return rows[0] ? toStoredAlert(rows[0]) : null;
  }

  /** The scope's alerts that pass the filter, newest change first. */
  async list(f: AlertFilter, scope: ScopeRoots = null): Promise<StoredAlert[]> {
    const rows: AlertRow[] = await this.db.query(
      `${SELECT_ALERT}
        WHERE ($1::text IS NULL OR a.state = $1)
          AND ($2::boolean IS NULL OR (a.state IN ('pending', 'firing')) = $2)
          AND ($3::timestamptz IS NULL OR a.updated_at >= $3)
          AND ($4::text IS NULL OR a.indicator_key = $4)
          AND ($5::int IS NULL OR a.area_id IN (SELECT cityops_scope_area_ids(ARRAY[$5::int])))
          AND ${inScopeSql('a.area_id', 7)}
        ORDER BY a.updated_at DESC, a.id LIMIT $6`,
      [f.state ?? null, f.active ?? null, f.since ?? null, f.indicator ?? null, f.area ?? null, f.limit, scope],
    );
    return rows.map(toStoredAlert);
  }

  /**
   * The scope's alerts of an indicator whose firing overlaps `[from, to)` (fired before `to`, not
   * resolved by `from`), earliest fired first, at most `limit`, each with its level-setting
   * history entries (every one, also those after the window: they tell whether a stretch ended).
   * The entries per alert (LATERAL), so that they come by `alert_event_alert`: a join lets the
   * planner hash the whole event table for a few dozen alerts.
   */
  async firingIn(indicatorKey: string, from: Date, to: Date, scope: ScopeRoots, limit: number): Promise<FiringAlert[]> {
    const rows: { id: string; area_id: number; events: { at: number; change: TimelineEvent['change']; level: AlertLevel }[] }[] =
      await this.db.query(
        `WITH hit AS (
           SELECT a.id, a.area_id, a.fired_at FROM alert a
            WHERE a.indicator_key = $1 AND a.fired_at IS NOT NULL AND a.fired_at < $3
              AND coalesce(a.resolved_at, 'infinity'::timestamptz) > $2
              AND ${inScopeSql('a.area_id', 4)}
            ORDER BY a.fired_at, a.id LIMIT $5)
         SELECT h.id, h.area_id, ev.events
           FROM hit h CROSS JOIN LATERAL (
             SELECT coalesce(json_agg(json_build_object('at', extract(epoch FROM e.at) * 1000, 'change', e.change, 'level', e.level)
                                      ORDER BY e.at, e.id), '[]') AS events
               FROM alert_event e WHERE e.alert_id = h.id AND e.change = ANY($6::text[])) ev
          ORDER BY h.fired_at, h.id`,
        [indicatorKey, from, to, scope, limit, TIMELINE_CHANGES],
      );
    return rows.map((r) => ({
      id: r.id,
      areaId: r.area_id,
      events: r.events.map((e) => ({ at: new Date(e.at), change: e.change, level: e.level })),
    }));
  }

  private async history(id: string, m: Pick<EntityManager, 'query'> = this.db): Promise<AlertHistoryEntry[]> {
    const rows: { at: Date; change: AlertChange; level: AlertLevel; value: number | null; actor: string | null; comment: string | null }[] =
      await m.query(`SELECT at, change, level, value, actor, comment FROM alert_event WHERE alert_id = $1 ORDER BY at, id`, [id]);
    return rows.map((r) => ({ ...r, at: r.at.toISOString() }));
  }

  /**
   * An alert in the scope and its history, read in one snapshot: read one after the other, a
   * change committed in between showed a level its history had already left, or not yet reached.
   */
  findWithHistory(id: string, scope: ScopeRoots): Promise<{ alert: StoredAlert; history: AlertHistoryEntry[] } | null> {
    return this.db.transaction('REPEATABLE READ', async (m) => {
      const alert = await this.findInScope(id, scope, m);
      return alert ? { alert, history: await this.history(id, m) } : null;
    });
  }
}
