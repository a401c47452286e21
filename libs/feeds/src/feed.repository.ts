import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { FeedDefinition, FeedEntityRecord, FeedSampleRecord, RejectedRecord } from '@cityops/contracts';
import { copyObservations } from './observation-copy';
import { storableRaw } from './record-validator';

/** A record that passed validation, ready for the batch insert. */
export interface ObservationRow {
  recordKey: string;
  ts: string;
  metric: string;
  value: number;
  entity: string | null;
  areaCode: string | null;
  /** The named area, or the grid under the location; with `areaPath`, self and ancestors. */
  areaId: number | null;
  areaPath: number[];
  lon: number | null;
  lat: number | null;
  props: Record<string, unknown> | null;
}

export interface RejectedRow {
  index: number;
  raw: unknown;
  reason: string;
}

interface FeedDbRow {
  key: string;
  name: string;
  name_en: string | null;
  description: string | null;
  department_code: string | null;
  theme: string;
  kind: FeedDefinition['kind'];
  metrics: FeedDefinition['metrics'];
  expected_interval_seconds: number | null;
  retention_days: number;
  owner_contact: string | null;
  zone_set: string | null;
  connector: FeedDefinition['connector'];
}

const toFeed = (r: FeedDbRow): FeedDefinition => ({
  key: r.key,
  name: r.name,
  nameEn: r.name_en,
  description: r.description,
  departmentCode: r.department_code,
  theme: r.theme,
  kind: r.kind,
  metrics: r.metrics,
  expectedIntervalSeconds: r.expected_interval_seconds,
  retentionDays: r.retention_days,
  ownerContact: r.owner_contact,
  zoneSet: r.zone_set,
  connector: r.connector,
});

/**
 * The rows travel as one JSON text with one-letter keys (V8 serialises it natively and PostgreSQL
 * parses it faster than the driver escapes ten parameter arrays); the area path as an array
 * literal, so the server reads it without a subquery per row.
 */
const insertObservationsSql = (onConflict: string) => `
  WITH written AS (
    INSERT INTO observation (feed_key, record_key, ts, metric, value, entity, area_id, area_path, geom, props)
    SELECT $1, r.k, r.t, r.m, r.v, r.e, r.a, coalesce(r.p, '{}'),
           CASE WHEN r.x IS NOT NULL THEN ST_SetSRID(ST_MakePoint(r.x, r.y), 4326) END, r.j::jsonb
      FROM json_to_recordset($2::json) AS r(k text, t timestamptz, m text, v float8, e text, a int, p int[], x float8, y float8, j json)
    ${onConflict}
    RETURNING 1
  )
  SELECT count(*)::int AS n FROM written`;

/** The batch as the JSON text `insertObservationsSql` reads; absent keys arrive as NULL. */
function observationPayload(rows: ObservationRow[]): string {
  const compact = new Array<Record<string, unknown>>(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i];
    compact[i] = {
      k: r.recordKey,
      t: r.ts,
      m: r.metric,
      v: r.value,
      e: r.entity ?? undefined,
      a: r.areaId ?? undefined,
      p: r.areaPath.length ? `{${r.areaPath.join(',')}}` : undefined,
      x: r.lon ?? undefined,
      y: r.lat ?? undefined,
      j: r.props ?? undefined,
    };
  }
  return JSON.stringify(compact);
}

function isUniqueViolation(error: unknown): boolean {
  const e = error as { code?: unknown; driverError?: { code?: unknown } };
  return (e?.driverError?.code ?? e?.code) === '23505';
}

/** The same record sent twice gets the same key: its id, or a digest of what it says. */
export function recordKey(record: {
  id?: string;
  entity?: string;
  metric: string;
  value: number;
  area?: string;
  location?: unknown;
  props?: unknown;
}): string {
  if (record.id) return record.id;
  const digest = createHash('sha1')
    .update(
      JSON.stringify([
        record.entity ?? null,
        record.metric,
        record.value,
        record.area ?? null,
        record.location ?? null,
        record.props ?? null,
      ]),
    )
    .digest('hex');
  return `sha1:${digest}`;
}

@Injectable()
export class FeedRepository {
  constructor(private readonly db: DataSource) {}

  async find(key: string): Promise<FeedDefinition | null> {
    const rows: FeedDbRow[] = await this.db.query(`SELECT * FROM feed WHERE key = $1`, [key]);
    return rows[0] ? toFeed(rows[0]) : null;
  }

  async list(): Promise<FeedDefinition[]> {
    const rows: FeedDbRow[] = await this.db.query(`SELECT * FROM feed ORDER BY key`);
    return rows.map(toFeed);
  }

  /** Creates or replaces a feed definition; answers whether it was new. */
  async upsert(feed: FeedDefinition): Promise<boolean> {
    const rows: { inserted: boolean }[] = await this.db.query(
      `INSERT INTO feed (key, name, name_en, description, department_code, theme, kind, metrics,
                         expected_interval_seconds, retention_days, owner_contact, zone_set, connector)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb, $9, $10, $11, $12, $13::jsonb)
       ON CONFLICT (key) DO UPDATE SET name = EXCLUDED.name, name_en = EXCLUDED.name_en,
         description = EXCLUDED.description, department_code = EXCLUDED.department_code, theme = EXCLUDED.theme,
         kind = EXCLUDED.kind, metrics = EXCLUDED.metrics, expected_interval_seconds = EXCLUDED.expected_interval_seconds,
         retention_days = EXCLUDED.retention_days, owner_contact = EXCLUDED.owner_contact,
         zone_set = EXCLUDED.zone_set, connector = EXCLUDED.connector, updated_at = now()
       RETURNING (xmax = 0) AS inserted`,
      [
        feed.key,
        feed.name,
        feed.nameEn,
        feed.description,
        feed.departmentCode,
        feed.theme,
        feed.kind,
        JSON.stringify(feed.metrics),
        feed.expectedIntervalSeconds,
        feed.retentionDays,
        feed.ownerContact,
        feed.zoneSet,
        feed.connector ? JSON.stringify(feed.connector) : null,
      ],
    );
    return rows[0]?.inserted ?? false;
  }

  async departmentExists(code: string): Promise<boolean> {
    const rows: unknown[] = await this.db.query(`SELECT 1 FROM department WHERE code = $1`, [code]);
    return rows.length > 0;
  }

  async upsertDepartment(code: string, name: string, nameEn: string | null): Promise<void> {
    await this.db.query(
      `INSERT INTO department (code, name, name_en) VALUES ($1, $2, $3)
       ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name, name_en = EXCLUDED.name_en`,
      [code, name, nameEn],
    );
  }

  async departments(): Promise<{ code: string; name: string; nameEn: string | null; feeds: number }[]> {
    return this.db.query(
      `SELECT d.code, d.name, d.name_en AS "nameEn", count(f.key)::int AS feeds
         FROM department d LEFT JOIN feed f ON f.department_code = d.code
        GROUP BY d.code ORDER BY d.code`,
    );
  }

  /** Id and path (self and ancestors) of each known area code. */
  async areasByCode(codes: string[]): Promise<Map<string, { id: number; path: number[] }>> {
    if (codes.length === 0) return new Map();
    const rows: { code: string; id: number; path_ids: number[] }[] = await this.db.query(
      `SELECT code, id, path_ids FROM area WHERE code = ANY($1::text[])`,
      [codes],
    );
    return new Map(rows.map((r) => [r.code, { id: r.id, path: r.path_ids }]));
  }

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.db.transaction(work);
  }

  /**
   * Writes a batch, already tagged with its areas, inside the caller's transaction. A record seen
   * before (feed, key, ts) is skipped. Answers how many were new.
   *
   * Resends are the exception for pushed data, so the batch is first written with COPY behind a
   * savepoint: bulk inserts, cheapest per row. COPY cannot skip a key already stored, so when
   * one is there (a resend) the batch is written again as INSERT … ON CONFLICT DO NOTHING. Sources
   * that mostly repeat themselves (a polled API) go straight to the second form.
   */
  async insertObservations(
    manager: EntityManager,
    feedKey: string,
    rows: ObservationRow[],
    options: { expectDuplicates?: boolean } = {},
  ): Promise<number> {
    if (rows.length === 0) return 0;
    const insertSkippingKnown = async () => {
      const inserted: { n: number }[] = await manager.query(insertObservationsSql('ON CONFLICT DO NOTHING'), [
        feedKey,
        observationPayload(rows),
      ]);
      return inserted[0]?.n ?? 0;
    };
    if (options.expectDuplicates) return insertSkippingKnown();
    await manager.query('SAVEPOINT observation_batch');
    try {
      const written = await copyObservations(manager, feedKey, rows);
      await manager.query('RELEASE SAVEPOINT observation_batch');
      return written;
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      await manager.query('ROLLBACK TO SAVEPOINT observation_batch');
      return insertSkippingKnown();
    }
  }

  async insertRejected(manager: EntityManager, feedKey: string, source: string, batchId: string, rows: RejectedRow[]): Promise<void> {
    if (rows.length === 0) return;
    await manager.query(
      `INSERT INTO rejected_record (feed_key, source, batch_id, record_index, raw, reason)
       SELECT $1, $2, $3, r.idx, coalesce(r.raw, 'null'::jsonb), r.reason
         FROM jsonb_to_recordset($4::jsonb) AS r(idx int, raw jsonb, reason text)
       ON CONFLICT (batch_id, record_index) DO NOTHING`,
      [feedKey, source, batchId, JSON.stringify(rows.map((r) => ({ idx: r.index, raw: storableRaw(r.raw ?? null), reason: r.reason })))],
    );
  }

  async latestObservations(feedKey: string, limit: number): Promise<FeedSampleRecord[]> {
    return this.db.query(
      `SELECT o.record_key AS id, o.entity, o.metric, o.value, o.ts, a.code AS area,
              CASE WHEN o.geom IS NOT NULL THEN json_build_array(round(ST_X(o.geom)::numeric, 6), round(ST_Y(o.geom)::numeric, 6)) END AS location,
              o.props, o.received_at AS "receivedAt"
         FROM observation o LEFT JOIN area a ON a.id = o.area_id
        WHERE o.feed_key = $1 ORDER BY o.ts DESC LIMIT $2`,
      [feedKey, limit],
    );
  }

  /**
   * History first (a state seen before is a duplicate), then the latest state, only where the
   * incoming state is at least as new as the one held; tagged with the grid under the geometry.
   */
  async upsertEntities(
    m: EntityManager,
    feedKey: string,
    rows: { id: string; ts: string; geometry: unknown; props: Record<string, unknown> }[],
  ): Promise<{ accepted: number; duplicates: number }> {
    const payload = JSON.stringify(rows.map((r) => ({ id: r.id, ts: r.ts, geometry: r.geometry, props: r.props })));
    // Rows for new entities need their entity row before their history row (foreign key).
    await m.query(
      `WITH input AS (
         SELECT r.id, r.ts, r.props,
                CASE WHEN r.geometry IS NULL OR r.geometry = 'null'::jsonb THEN NULL
                     ELSE ST_SetSRID(ST_GeomFromGeoJSON(r.geometry::text), 4326) END AS geom
           FROM jsonb_to_recordset($2::jsonb) AS r(id text, ts timestamptz, geometry jsonb, props jsonb)
       ), latest AS (
         SELECT DISTINCT ON (id) * FROM input ORDER BY id, ts DESC
       ), tagged AS (
         SELECT l.*, g.id AS area_id, coalesce(g.path_ids, '{}') AS area_path FROM latest l
           LEFT JOIN LATERAL (SELECT id, path_ids FROM area WHERE level = 'grid' AND l.geom IS NOT NULL
                                AND ST_Intersects(geom, ST_PointOnSurface(l.geom)) LIMIT 1) g ON true
       ), upserted AS (
         INSERT INTO entity (feed_key, entity_id, ts, geom, props, area_id, area_path)
         SELECT $1, id, ts, geom, props, area_id, area_path FROM tagged
         ON CONFLICT (feed_key, entity_id) DO UPDATE
           SET ts = EXCLUDED.ts, geom = EXCLUDED.geom, props = EXCLUDED.props, area_id = EXCLUDED.area_id,
               area_path = EXCLUDED.area_path, updated_at = now()
           WHERE entity.ts <= EXCLUDED.ts
         RETURNING 1
       )
       SELECT count(*) FROM upserted`,
      [feedKey, payload],
    );
    const history: { n: number }[] = await m.query(
      `WITH written AS (
         INSERT INTO entity_history (feed_key, entity_id, ts, geom, props)
         SELECT $1, r.id, r.ts,
                CASE WHEN r.geometry IS NULL OR r.geometry = 'null'::jsonb THEN NULL
                     ELSE ST_SetSRID(ST_GeomFromGeoJSON(r.geometry::text), 4326) END, r.props
           FROM jsonb_to_recordset($2::jsonb) AS r(id text, ts timestamptz, geometry jsonb, props jsonb)
           JOIN entity e ON e.feed_key = $1 AND e.entity_id = r.id
         ON CONFLICT DO NOTHING RETURNING 1)
       SELECT count(*)::int AS n FROM written`,
      [feedKey, payload],
    );
    const accepted = history[0]?.n ?? 0;
    return { accepted, duplicates: rows.length - accepted };
  }

  async listEntities(feedKey: string, limit: number): Promise<FeedEntityRecord[]> {
    return this.db.query(
      `SELECT e.entity_id AS id, e.ts, ST_AsGeoJSON(e.geom, 6)::json AS geometry, e.props, a.code AS area,
              (SELECT count(*)::int FROM entity_history h WHERE h.feed_key = e.feed_key AND h.entity_id = e.entity_id) AS "historyLength"
         FROM entity e LEFT JOIN area a ON a.id = e.area_id
        WHERE e.feed_key = $1 ORDER BY e.updated_at DESC LIMIT $2`,
      [feedKey, limit],
    );
  }

  /** Kept rejected records not yet replayed, oldest first. */
  async pendingRejected(feedKey: string, limit: number): Promise<{ id: string; raw: unknown }[]> {
    return this.db.query(`SELECT id::text, raw FROM rejected_record WHERE feed_key = $1 AND replayed_at IS NULL ORDER BY id LIMIT $2`, [
      feedKey,
      limit,
    ]);
  }

  async markReplayed(manager: EntityManager, ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    await manager.query(`UPDATE rejected_record SET replayed_at = now() WHERE id = ANY($1::bigint[])`, [ids]);
  }

  async updateRejectReasons(manager: EntityManager, updates: { id: string; reason: string }[]): Promise<void> {
    if (updates.length === 0) return;
    await manager.query(
      `UPDATE rejected_record r SET reason = u.reason
         FROM jsonb_to_recordset($1::jsonb) AS u(id bigint, reason text) WHERE r.id = u.id`,
      [JSON.stringify(updates)],
    );
  }

  async listRejected(feedKey: string, limit: number): Promise<RejectedRecord[]> {
    return this.db.query(
      `SELECT id::text, source, batch_id AS "batchId", record_index AS "index", raw, reason,
              received_at AS "receivedAt", replayed_at AS "replayedAt"
         FROM rejected_record WHERE feed_key = $1 ORDER BY received_at DESC, id DESC LIMIT $2`,
      [feedKey, limit],
    );
  }
}
