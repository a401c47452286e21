import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { inScopeSql, type ScopeRoots } from '@cityops/geo';

/** One state of an entity, checked and tagged with the grid under it. */
export interface EntityState {
  id: string;
  ts: string;
  /** GeoJSON geometry, or null for an entity without a place. */
  geometry: unknown;
  props: Record<string, unknown>;
  areaId: number | null;
  areaPath: number[];
}

/** An entity's latest state as `GET /api/feeds/:key/entities` shows it, with its area still as an id. */
export interface StoredEntity {
  id: string;
  ts: Date;
  geometry: { type: string; coordinates: unknown } | null;
  props: Record<string, unknown> | null;
  areaId: number | null;
  historyLength: number;
}

/** PostGIS's verdict on one geometry: why it is refused, or a point on it to tag it by. */
export interface GeometryVerdict {
  problem: string | null;
  /** `ST_PointOnSurface`: inside a polygon, on a line; null when refused. */
  point: [number, number] | null;
}

// GeoJSON positions may carry a height; the column is 2D, so it is dropped (PostGIS would refuse the row).
const GEOMETRY = `CASE WHEN r.geometry IS NULL OR r.geometry = 'null'::jsonb THEN NULL
                      ELSE ST_SetSRID(ST_Force2D(ST_GeomFromGeoJSON(r.geometry::text)), 4326) END`;

/** Latest-state objects (`entity`) and every state they passed through (`entity_history`). */
@Injectable()
export class EntityRepository {
  constructor(private readonly db: DataSource) {}

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.db.transaction(work);
  }

  /**
   * Each geometry judged on its own in one statement (cityops_geojson_verdict turns a geometry
   * PostGIS cannot read into a reason instead of an error): unreadable, empty, invalid or outside
   * `bounds` [w, s, e, n] is a problem; a good one comes back with a point on its surface.
   * A database that does not answer fails the call: that is not a verdict on any geometry.
   */
  async geometryVerdicts(geometries: unknown[], [w, s, e, n]: [number, number, number, number]): Promise<GeometryVerdict[]> {
    if (geometries.length === 0) return [];
    const rows: { problem: string | null; lon: number | null; lat: number | null }[] = await this.db.query(
      `SELECT p.problem, ST_X(p.point) AS lon, ST_Y(p.point) AS lat
         FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY AS e(value, ord)
         CROSS JOIN LATERAL cityops_geojson_verdict(e.value) AS v
         CROSS JOIN LATERAL (
           SELECT CASE WHEN v.problem IS NOT NULL THEN v.problem
                       WHEN NOT ST_Within(v.geom, ST_MakeEnvelope($2, $3, $4, $5, 4326)) THEN 'outside the city bounds'
                  END AS problem) j
         CROSS JOIN LATERAL (SELECT j.problem, CASE WHEN j.problem IS NULL THEN ST_PointOnSurface(v.geom) END AS point) p
        ORDER BY e.ord`,
      [JSON.stringify(geometries), w, s, e, n],
    );
    return rows.map((r) => ({ problem: r.problem, point: r.lon === null || r.lat === null ? null : [r.lon, r.lat] }));
  }

  /**
   * History first (a state seen before is a duplicate), then the latest state, only where the
   * incoming state is at least as new as the one held. Geometries were judged before.
   */
  async upsert(m: EntityManager, feedKey: string, states: EntityState[]): Promise<{ accepted: number; duplicates: number }> {
    const payload = JSON.stringify(
      states.map((r) => ({ id: r.id, ts: r.ts, geometry: r.geometry, props: r.props, area_id: r.areaId, area_path: r.areaPath })),
    );
    // Rows for new entities need their entity row before their history row (foreign key).
    await m.query(
      `WITH input AS (
         SELECT r.id, r.ts, r.props, r.area_id, coalesce(r.area_path, '{}') AS area_path, ${GEOMETRY} AS geom
           FROM jsonb_to_recordset($2::jsonb) AS r(id text, ts timestamptz, geometry jsonb, props jsonb, area_id int, area_path int[])
       ), latest AS (
         SELECT DISTINCT ON (id) * FROM input ORDER BY id, ts DESC
       ), upserted AS (
         INSERT INTO entity (feed_key, entity_id, ts, geom, props, area_id, area_path)
         SELECT $1, id, ts, geom, props, area_id, area_path FROM latest
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
         SELECT $1, r.id, r.ts, ${GEOMETRY}, r.props
           FROM jsonb_to_recordset($2::jsonb) AS r(id text, ts timestamptz, geometry jsonb, props jsonb)
           JOIN entity e ON e.feed_key = $1 AND e.entity_id = r.id
         ON CONFLICT DO NOTHING RETURNING 1)
       SELECT count(*)::int AS n FROM written`,
      [feedKey, payload],
    );
    const accepted = history[0]?.n ?? 0;
    return { accepted, duplicates: states.length - accepted };
  }

  /** A feed's entities in the scope (by the area they were tagged with; none without one for a scoped caller), most recently changed first. */
  async list(feedKey: string, limit: number, scope: ScopeRoots = null): Promise<StoredEntity[]> {
    return this.db.query(
      `SELECT e.entity_id AS id, e.ts, ST_AsGeoJSON(e.geom, 6)::json AS geometry, e.props, e.area_id AS "areaId",
              (SELECT count(*)::int FROM entity_history h WHERE h.feed_key = e.feed_key AND h.entity_id = e.entity_id) AS "historyLength"
         FROM entity e
        WHERE e.feed_key = $1 AND ${inScopeSql('e.area_id', 3)} ORDER BY e.updated_at DESC LIMIT $2`,
      [feedKey, limit, scope],
    );
  }

  async count(feedKey: string): Promise<number> {
    const rows: { n: number }[] = await this.db.query(`SELECT count(*)::int AS n FROM entity WHERE feed_key = $1`, [feedKey]);
    return rows[0]?.n ?? 0;
  }

  /** When the feed's newest state arrived, or null. */
  async newestArrival(feedKey: string): Promise<Date | null> {
    const rows: { last: Date | null }[] = await this.db.query(`SELECT max(recorded_at) AS last FROM entity_history WHERE feed_key = $1`, [
      feedKey,
    ]);
    return rows[0]?.last ?? null;
  }
}
