import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { VectorTileQueries } from '@cityops/core';
import { inScopeSql, likeEscape, type ScopeRoots } from '@cityops/geo';
import type { EntityBucketRow } from './observation.repository';

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

/** An entity whose latest state a write replaced, and the area its state before held. */
export interface ReplacedEntity {
  id: string;
  previousAreaId: number | null;
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

/** Which located entities of a feed a feature read is about. */
export interface EntityFeatureFilter {
  /** minLon, minLat, maxLon, maxLat (WGS84). */
  bbox?: [number, number, number, number];
  /** The latest state's time lies in [start, end]; a null end is open. */
  start?: Date | null;
  end?: Date | null;
}

/** A located entity's latest state, with its area still as an id. */
export interface EntityFeatureRow {
  id: string;
  ts: Date;
  geometry: { type: string; coordinates: unknown };
  props: Record<string, unknown>;
  areaId: number | null;
}

/** The WHERE of a feature read of feed `$1`, its other parameters appended to `params`. */
function featureWhere(filter: EntityFeatureFilter, scope: ScopeRoots, params: unknown[]): string {
  const where = ['e.feed_key = $1', 'e.geom IS NOT NULL', inScopeSql('e.area_id', params.push(scope))];
  if (filter.bbox) {
    const [w, s, e, n] = filter.bbox.map((v) => params.push(v));
    where.push(`ST_Intersects(e.geom, ST_MakeEnvelope($${w}, $${s}, $${e}, $${n}, 4326))`);
  }
  if (filter.start) where.push(`e.ts >= $${params.push(filter.start)}`);
  if (filter.end) where.push(`e.ts <= $${params.push(filter.end)}`);
  return where.join(' AND ');
}

const FEATURE_COLUMNS = `e.entity_id AS id, e.ts, ST_AsGeoJSON(e.geom, 6)::json AS geometry, e.props, e.area_id AS "areaId"`;

// GeoJSON positions may carry a height; the column is 2D, so it is dropped (PostGIS would refuse the row).
const GEOMETRY = `CASE WHEN r.geometry IS NULL OR r.geometry = 'null'::jsonb THEN NULL
                      ELSE ST_SetSRID(ST_Force2D(ST_GeomFromGeoJSON(r.geometry::text)), 4326) END`;

/**
 * The statement behind `tile`, exported so the tile benchmark times the bare SQL the API runs: a
 * feed's located entities in a tile (layer `entities-<feed>`), props id, name, kind, status and
 * ts when the entity has them. Scoped callers see only entities tagged with an area in their scope.
 * Written as the area tiles are (`areaLevelTileQuery` in libs/geo says why).
 */
export function entityTileQuery(feedKey: string, z: number, x: number, y: number, scope: ScopeRoots): { text: string; values: unknown[] } {
  return {
    text: `WITH features AS MATERIALIZED (
             SELECT e.entity_id AS id, e.props->>'name' AS name, e.props->>'kind' AS kind, e.props->>'status' AS status,
                    to_char(e.ts AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS ts,
                    ST_AsMVTGeom(ST_Transform(e.geom, 3857), ST_TileEnvelope($1, $2, $3), 4096, 64, true) AS geom
               FROM entity e
              WHERE e.feed_key = $4 AND e.geom && ST_Transform(ST_TileEnvelope($1, $2, $3, margin => 64.0 / 4096), 4326)
                AND ${inScopeSql('e.area_id', 5)}
           )
           SELECT ST_AsMVT(features.*, 'entities-' || $4, 4096, 'geom') AS tile FROM features WHERE geom IS NOT NULL`,
    values: [z, x, y, feedKey, scope],
  };
}

/** Latest-state objects (`entity`) and every state they passed through (`entity_history`). */
@Injectable()
export class EntityRepository {
  constructor(
    private readonly db: DataSource,
    private readonly tiles: VectorTileQueries,
  ) {}

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
   * incoming state is at least as new as the one held. Geometries were judged before. `replaced`:
   * the entities whose latest state changed, each with the area its state held before (null for
   * a new entity or one that had none), so that live listeners of that area hear it left.
   */
  async upsert(
    m: EntityManager,
    feedKey: string,
    states: EntityState[],
  ): Promise<{ accepted: number; duplicates: number; replaced: ReplacedEntity[] }> {
    const payload = JSON.stringify(
      states.map((r) => ({ id: r.id, ts: r.ts, geometry: r.geometry, props: r.props, area_id: r.areaId, area_path: r.areaPath })),
    );
    // The areas held before, read and locked in this transaction before the upsert (in the order
    // it takes the rows), so each is the one this write replaces even when another write of the
    // same entity commits meanwhile; a read after the write could see a later one.
    const held: { id: string; areaId: number | null }[] = await m.query(
      `SELECT e.entity_id AS id, e.area_id AS "areaId" FROM entity e
        WHERE e.feed_key = $1 AND e.entity_id = ANY($2::text[])
        ORDER BY e.entity_id FOR UPDATE`,
      [feedKey, [...new Set(states.map((s) => s.id))]],
    );
    const heldArea = new Map(held.map((h) => [h.id, h.areaId]));
    // Rows for new entities need their entity row before their history row (foreign key).
    const upserted: { id: string }[] = await m.query(
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
         RETURNING entity_id
       )
       SELECT entity_id AS id FROM upserted`,
      [feedKey, payload],
    );
    const replaced = upserted.map((r) => ({ id: r.id, previousAreaId: heldArea.get(r.id) ?? null }));
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
    return { accepted, duplicates: states.length - accepted, replaced };
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

  /**
   * Located entities whose name or id holds `text`, in the scope: exact matches first, then by
   * name. A plain scan of the entity table (a city's cameras are some 10,000 rows).
   */
  search(
    text: string,
    limit: number,
    scope: ScopeRoots = null,
  ): Promise<{ feed: string; id: string; name: string | null; lon: number; lat: number }[]> {
    return this.db.query(
      `SELECT e.feed_key AS feed, e.entity_id AS id, e.props->>'name' AS name, ST_X(e.geom) AS lon, ST_Y(e.geom) AS lat
         FROM entity e
        WHERE e.geom IS NOT NULL
          AND (e.props->>'name' ILIKE $1 ESCAPE '\\' OR e.props->>'nameEn' ILIKE $1 ESCAPE '\\' OR e.entity_id ILIKE $1 ESCAPE '\\')
          AND ${inScopeSql('e.area_id', 4)}
        ORDER BY (lower(e.entity_id) = lower($2) OR lower(e.props->>'name') = lower($2)) DESC, e.props->>'name', e.feed_key, e.entity_id
        LIMIT $3`,
      [`%${likeEscape(text)}%`, text, limit, scope],
    );
  }

  /** A feed's located entities in a vector tile; an empty buffer when none is in it. */
  tile(feedKey: string, z: number, x: number, y: number, scope: ScopeRoots = null): Promise<Buffer> {
    return this.tiles.tile(entityTileQuery(feedKey, z, x, y, scope));
  }

  /** The feeds among `feedKeys` that hold at least one entity with a place (one index probe each). */
  async locatedFeeds(feedKeys: readonly string[]): Promise<string[]> {
    if (feedKeys.length === 0) return [];
    const rows: { key: string }[] = await this.db.query(
      `SELECT k.key FROM unnest($1::text[]) AS k(key)
        WHERE EXISTS (SELECT 1 FROM entity e WHERE e.feed_key = k.key AND e.geom IS NOT NULL) ORDER BY k.key`,
      [feedKeys],
    );
    return rows.map((r) => r.key);
  }

  /** For each feed, how many entities with a place it holds, counted up to `cap`. */
  async locatedCounts(feedKeys: readonly string[], cap: number): Promise<Map<string, number>> {
    if (feedKeys.length === 0) return new Map();
    const rows: { key: string; n: number }[] = await this.db.query(
      `SELECT k.key, (SELECT count(*)::int FROM (SELECT 1 FROM entity e WHERE e.feed_key = k.key AND e.geom IS NOT NULL LIMIT $2) d) AS n
         FROM unnest($1::text[]) AS k(key)`,
      [feedKeys, cap],
    );
    return new Map(rows.map((r) => [r.key, r.n]));
  }

  /** The latest states of some entities of a feed, placed or not (a state without a place has a null geometry). */
  states(
    feedKey: string,
    ids: readonly string[],
  ): Promise<(Omit<EntityFeatureRow, 'geometry'> & { geometry: EntityFeatureRow['geometry'] | null })[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return this.db.query(`SELECT ${FEATURE_COLUMNS} FROM entity e WHERE e.feed_key = $1 AND e.entity_id = ANY($2::text[])`, [feedKey, ids]);
  }

  /** Whether the feed holds the entity, in the scope (placed or not). */
  async exists(feedKey: string, entityId: string, scope: ScopeRoots = null): Promise<boolean> {
    const rows: { found: boolean }[] = await this.db.query(
      `SELECT EXISTS (SELECT 1 FROM entity e WHERE e.feed_key = $1 AND e.entity_id = $2 AND ${inScopeSql('e.area_id', 3)}) AS found`,
      [feedKey, entityId, scope],
    );
    return rows[0]?.found ?? false;
  }

  /**
   * An entity's numeric props over its states in [from, to), bucketed like its readings (the
   * bucket's start as the metric's ts), at most `maxProps` of them: the feed's declared `metrics`
   * first, then those with the most states. Numeric
   * means a JSON number; one a double cannot hold (or only as a subnormal) is left out, as the
   * API's own JSON parsing would never have stored it. Scoped like the entity's other reads: by the
   * area its latest state was tagged with. A range scan of entity_history's primary key.
   */
  propSeries(
    feedKey: string,
    entityId: string,
    window: { from: Date; to: Date; bucketSeconds: number },
    { maxProps, metrics }: { maxProps: number; metrics: readonly string[] },
    scope: ScopeRoots = null,
  ): Promise<EntityBucketRow[]> {
    return this.db.query(
      `WITH prop AS MATERIALIZED (
         SELECT h.ts, p.key, (p.value)::numeric AS value
           FROM entity_history h
           CROSS JOIN LATERAL jsonb_each(CASE WHEN jsonb_typeof(h.props) = 'object' THEN h.props ELSE '{}'::jsonb END) AS p(key, value)
          WHERE h.feed_key = $1 AND h.entity_id = $2 AND h.ts >= $3 AND h.ts < $4 AND jsonb_typeof(p.value) = 'number'
            AND EXISTS (SELECT 1 FROM entity e WHERE e.feed_key = $1 AND e.entity_id = $2 AND ${inScopeSql('e.area_id', 6)})
       ), finite AS MATERIALIZED (
         SELECT ts, key, value::float8 AS value FROM prop WHERE value = 0 OR abs(value) BETWEEN 1e-300 AND 1e300
       ), kept AS (
         SELECT key FROM finite GROUP BY key ORDER BY key = ANY($8::text[]) DESC, count(*) DESC, key LIMIT $7
       )
       SELECT f.key AS metric, to_char(date_bin(make_interval(secs => $5), f.ts, $3) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS ts,
              avg(f.value)::float8 AS avg, min(f.value)::float8 AS min, max(f.value)::float8 AS max, count(*)::int AS count
         FROM finite f JOIN kept USING (key)
        GROUP BY 1, date_bin(make_interval(secs => $5), f.ts, $3)
        ORDER BY 1, 2`,
      [feedKey, entityId, window.from, window.to, window.bucketSeconds, scope, maxProps, metrics],
    );
  }

  /**
   * Deletes one batch, at most `batchSize`, of the feed's entity states from before `before`;
   * answers how many. One statement, so each batch is its own short transaction (retention calls
   * it again until a batch comes back short). The states are found on (feed_key, ts) and deleted
   * by their row address: a state is never updated in place, so the address found is the row.
   * The entity's latest state (`entity`) stays, however old.
   */
  async deleteHistoryBefore(feedKey: string, before: Date, batchSize = 5000): Promise<number> {
    const rows: { n: number }[] = await this.db.query(
      `WITH gone AS (
         DELETE FROM entity_history
          WHERE ctid = ANY (ARRAY(SELECT ctid FROM entity_history WHERE feed_key = $1 AND ts < $2 LIMIT $3))
         RETURNING 1)
       SELECT count(*)::int AS n FROM gone`,
      [feedKey, before, batchSize],
    );
    return rows[0]?.n ?? 0;
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

  /** A page of a feed's located entities, by id, and how many match in all. */
  async featurePage(
    feedKey: string,
    filter: EntityFeatureFilter,
    limit: number,
    offset: number,
    scope: ScopeRoots = null,
  ): Promise<{ matched: number; rows: EntityFeatureRow[] }> {
    const params: unknown[] = [feedKey];
    const where = featureWhere(filter, scope, params);
    const [{ matched }]: { matched: number }[] = await this.db.query(
      `SELECT count(*)::int AS matched FROM entity e WHERE ${where}`,
      params,
    );
    const rows: EntityFeatureRow[] = await this.db.query(
      `SELECT ${FEATURE_COLUMNS} FROM entity e WHERE ${where}
        ORDER BY e.entity_id LIMIT $${params.push(limit)} OFFSET $${params.push(offset)}`,
      params,
    );
    return { matched, rows };
  }

  /** One located entity of the feed in the scope, or null. */
  async feature(feedKey: string, entityId: string, scope: ScopeRoots = null): Promise<EntityFeatureRow | null> {
    const params: unknown[] = [feedKey];
    const where = featureWhere({}, scope, params);
    const rows: EntityFeatureRow[] = await this.db.query(
      `SELECT ${FEATURE_COLUMNS} FROM entity e WHERE ${where} AND e.entity_id = $${params.push(entityId)}`,
      params,
    );
    return rows[0] ?? null;
  }
}
