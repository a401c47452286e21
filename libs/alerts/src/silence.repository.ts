import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { SilenceView } from '@cityops/contracts';
import { inScopeSql, type ScopeRoots } from '@cityops/geo';

interface SilenceRow {
  id: string;
  indicator_key: string | null;
  area_id: number | null;
  theme: string | null;
  starts_at: Date;
  ends_at: Date;
  reason: string;
  created_by: string;
  created_at: Date;
  expired_at: Date | null;
  active: boolean;
}

const SELECT_SILENCE = `
  SELECT s.id, s.indicator_key, s.area_id, s.theme, s.starts_at, s.ends_at, s.reason, s.created_by,
         s.created_at, s.expired_at, (s.expired_at IS NULL AND s.starts_at <= now() AND s.ends_at > now()) AS active
    FROM alert_silence s`;

/** A silence as stored; the service adds its area's code (geo owns the areas). */
export type StoredSilence = Omit<SilenceView, 'areaCode'>;

function toView(r: SilenceRow): StoredSilence {
  return {
    id: r.id,
    indicatorKey: r.indicator_key,
    areaId: r.area_id,
    theme: r.theme,
    startsAt: r.starts_at.toISOString(),
    endsAt: r.ends_at.toISOString(),
    reason: r.reason,
    createdBy: r.created_by,
    createdAt: r.created_at.toISOString(),
    expiredAt: r.expired_at?.toISOString() ?? null,
    active: r.active,
  };
}

/**
 * What a scoped caller sees of the silences: those on an area in its scope, and those that cover
 * its scope from above (no area, or an area its scope lies in: `above`), since they silence its alerts too.
 */
const VISIBLE = (scope: number, above: number) => `
  ($${scope}::int[] IS NULL OR s.area_id IS NULL OR ${inScopeSql('s.area_id', scope)} OR s.area_id = ANY ($${above}::int[]))`;

/** A caller's scope as the silences read it: its roots, and the areas those lie in. */
export interface SilenceScope {
  roots: ScopeRoots;
  above: number[];
}

@Injectable()
export class SilenceRepository {
  constructor(private readonly db: DataSource) {}

  async insert(s: {
    indicatorKey: string | null;
    areaId: number | null;
    theme: string | null;
    startsAt: Date;
    endsAt: Date;
    reason: string;
    createdBy: string;
  }): Promise<StoredSilence> {
    const rows: { id: string }[] = await this.db.query(
      `INSERT INTO alert_silence (indicator_key, area_id, theme, starts_at, ends_at, reason, created_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
      [s.indicatorKey, s.areaId, s.theme, s.startsAt, s.endsAt, s.reason, s.createdBy],
    );
    return (await this.find(rows[0].id))!;
  }

  async find(id: string): Promise<StoredSilence | null> {
    const rows: SilenceRow[] = await this.db.query(`${SELECT_SILENCE} WHERE s.id = $1`, [id]);
    return rows[0] ? toView(rows[0]) : null;
  }

  /** Silences not yet over first (by end), then the past ones, newest first. */
  async list(active: boolean | undefined, limit: number, scope: SilenceScope): Promise<StoredSilence[]> {
    const rows: SilenceRow[] = await this.db.query(
      `${SELECT_SILENCE}
        WHERE ${VISIBLE(3, 4)}
          AND ($1::boolean IS NULL OR (s.expired_at IS NULL AND s.starts_at <= now() AND s.ends_at > now()) = $1)
        ORDER BY (s.expired_at IS NULL AND s.ends_at > now()) DESC, s.created_at DESC, s.id
        LIMIT $2`,
      [active ?? null, limit, scope.roots, scope.above],
    );
    return rows.map(toView);
  }

  /**
   * Ends a silence now, if it is not over. A scoped caller may end only a silence on an area of its
   * scope; null when there is no such silence for it.
   */
  async expire(id: string, actor: string, scope: ScopeRoots): Promise<{ before: StoredSilence; after: StoredSilence } | null> {
    const before: SilenceRow[] = await this.db.query(`${SELECT_SILENCE} WHERE s.id = $1 AND ${inScopeSql('s.area_id', 2)}`, [id, scope]);
    if (!before[0]) return null;
    await this.db.query(
      `UPDATE alert_silence SET expired_at = now(), expired_by = $2 WHERE id = $1 AND expired_at IS NULL AND ends_at > now()`,
      [id, actor],
    );
    return { before: toView(before[0]), after: (await this.find(id))! };
  }
}
