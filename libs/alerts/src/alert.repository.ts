import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { AlertLevel, AlertState, AlertView } from '@cityops/contracts';
import { inScopeSql, type ScopeRoots } from '@cityops/geo';

interface AlertRow {
  id: string;
  indicator_key: string;
  area_id: number;
  level: AlertLevel;
  state: AlertState;
  value: number;
  threshold: number;
  opened_at: Date;
  updated_at: Date;
  acknowledged_at: Date | null;
  acknowledged_by: string | null;
  resolved_at: Date | null;
}

/** An alert as stored; the service adds the area's and the indicator's names (their libs own them). */
export type StoredAlert = Omit<AlertView, 'areaCode' | 'areaName' | 'title' | 'center'>;

const SELECT_ALERT = `
  SELECT id, indicator_key, area_id, level, state, value, threshold, opened_at, updated_at,
         acknowledged_at, acknowledged_by, resolved_at
    FROM alert`;

function toStoredAlert(r: AlertRow): StoredAlert {
  return {
    id: r.id,
    indicatorKey: r.indicator_key,
    areaId: r.area_id,
    level: r.level,
    state: r.state,
    value: r.value,
    threshold: r.threshold,
    openedAt: r.opened_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
    acknowledgedAt: r.acknowledged_at?.toISOString() ?? null,
    acknowledgedBy: r.acknowledged_by,
    resolvedAt: r.resolved_at?.toISOString() ?? null,
  };
}

export interface OpenAlertState {
  id: string;
  level: AlertLevel;
  value: number;
  valueTs: Date;
}

@Injectable()
export class AlertRepository {
  constructor(private readonly db: DataSource) {}

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.db.transaction(work);
  }

  /** Serialises evaluations of one indicator and area across every worker, for this transaction. */
  async lockArea(m: EntityManager, indicatorKey: string, areaId: number): Promise<void> {
    await m.query(`SELECT pg_advisory_xact_lock(hashtext($1), $2)`, [indicatorKey, areaId]);
  }

  async findOpen(m: EntityManager, indicatorKey: string, areaId: number): Promise<OpenAlertState | null> {
    const rows: { id: string; level: AlertLevel; value: number; value_ts: Date }[] = await m.query(
      `SELECT id, level, value, value_ts FROM alert WHERE indicator_key = $1 AND area_id = $2 AND state = 'open' FOR UPDATE`,
      [indicatorKey, areaId],
    );
    const r = rows[0];
    return r ? { id: r.id, level: r.level, value: r.value, valueTs: r.value_ts } : null;
  }

  /** Inserts an open alert; the partial unique index turns a second one into `null`. */
  async open(
    m: EntityManager,
    a: { indicatorKey: string; areaId: number; level: AlertLevel; value: number; threshold: number; valueTs: string },
  ): Promise<string | null> {
    const rows: { id: string }[] = await m.query(
      `INSERT INTO alert (indicator_key, area_id, level, state, value, threshold, value_ts)
       VALUES ($1, $2, $3, 'open', $4, $5, $6)
       ON CONFLICT (indicator_key, area_id) WHERE state = 'open' DO NOTHING
       RETURNING id`,
      [a.indicatorKey, a.areaId, a.level, a.value, a.threshold, a.valueTs],
    );
    return rows[0]?.id ?? null;
  }

  async update(m: EntityManager, id: string, level: AlertLevel, value: number, threshold: number, valueTs: string): Promise<void> {
    await m.query(`UPDATE alert SET level = $2, value = $3, threshold = $4, value_ts = $5, updated_at = now() WHERE id = $1`, [
      id,
      level,
      value,
      threshold,
      valueTs,
    ]);
  }

  async resolve(m: EntityManager, id: string, value: number, valueTs: string, actor: string | null): Promise<void> {
    await m.query(`UPDATE alert SET state = 'resolved', value = $2, value_ts = $3, resolved_at = now(), updated_at = now() WHERE id = $1`, [
      id,
      value,
      valueTs,
    ]);
    if (actor) await this.addEvent(m, id, 'resolved', null, value, actor);
  }

  /** Acknowledges an open alert of the scope; false when there was nothing to change there. */
  async acknowledge(id: string, actor: string, scope: ScopeRoots = null): Promise<boolean> {
    return this.db.transaction(async (m) => {
      // Wrapped in a SELECT: for a bare UPDATE, TypeORM answers [rows, count] instead of rows.
      const rows: { id: string; level: string }[] = await m.query(
        `WITH acked AS (
           UPDATE alert SET acknowledged_at = now(), acknowledged_by = $2, updated_at = now()
            WHERE id = $1 AND state = 'open' AND acknowledged_at IS NULL AND ${inScopeSql('area_id', 3)} RETURNING id, level)
         SELECT * FROM acked`,
        [id, actor, scope],
      );
      if (rows[0]) await this.addEvent(m, id, 'acknowledged', rows[0].level, null, actor);
      return rows.length > 0;
    });
  }

  async addEvent(
    m: EntityManager,
    alertId: string,
    change: string,
    level: string | null,
    value: number | null,
    actor: string | null,
  ): Promise<void> {
    await m.query(
      `INSERT INTO alert_event (alert_id, change, level, value, actor)
       VALUES ($1, $2, coalesce($3, (SELECT level FROM alert WHERE id = $1)), $4, $5)`,
      [alertId, change, level, value, actor],
    );
  }

  async find(id: string, m: EntityManager = this.db.manager): Promise<StoredAlert | null> {
    const rows: AlertRow[] = await m.query(`${SELECT_ALERT} WHERE id = $1`, [id]);
    return rows[0] ? toStoredAlert(rows[0]) : null;
  }

  /** The alert if its area lies in the scope; null also when it exists outside it. */
  async findInScope(id: string, scope: ScopeRoots): Promise<StoredAlert | null> {
    const rows: AlertRow[] = await this.db.query(`${SELECT_ALERT} WHERE id = $1 AND ${inScopeSql('area_id', 2)}`, [id, scope]);
    return rows[0] ? toStoredAlert(rows[0]) : null;
  }

  async list(state: AlertState | undefined, limit: number, scope: ScopeRoots = null): Promise<StoredAlert[]> {
    const rows: AlertRow[] = await this.db.query(
      `${SELECT_ALERT} WHERE ($1::text IS NULL OR state = $1) AND ${inScopeSql('area_id', 3)} ORDER BY opened_at DESC LIMIT $2`,
      [state ?? null, limit, scope],
    );
    return rows.map(toStoredAlert);
  }

  async history(id: string): Promise<unknown[]> {
    return this.db.query(`SELECT at, change, level, value, actor FROM alert_event WHERE alert_id = $1 ORDER BY at, id`, [id]);
  }
}
