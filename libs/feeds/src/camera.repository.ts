import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { inScopeSql, type ScopeRoots } from '@cityops/geo';

/** A camera entity's latest state, its area still as an id. */
export interface CameraRow {
  feed: string;
  id: string;
  props: Record<string, unknown>;
  lon: number;
  lat: number;
  areaId: number | null;
  ts: Date;
  /** Metres from the point or zone asked about; null for a plain area. */
  distance: number | null;
}

const COLUMNS = `e.feed_key AS feed, e.entity_id AS id, e.props, ST_X(e.geom) AS lon, ST_Y(e.geom) AS lat,
                 e.area_id AS "areaId", e.ts`;

/** Cameras are entities of the feeds whose profile is `camera`, each with a point. */
const CAMERA_FEEDS = `e.feed_key IN (SELECT key FROM feed WHERE entity_profile = 'camera') AND e.geom IS NOT NULL`;

/**
 * Degrees a box is widened by so that it holds every point within `metres`: a degree of
 * longitude is at least 50 km up to latitude 63°, so this over-selects a little and the
 * geography test that follows decides. It lets the GiST index on `entity.geom` do the search.
 */
const boxDegrees = (param: number) => `($${param}::float8 / 50000.0)`;

/** The cameras among the entities (SQL on `entity`, which this lib owns). */
@Injectable()
export class CameraRepository {
  constructor(private readonly db: DataSource) {}

  /** Cameras tagged with the area or any area inside it, by name; `feed` (null: all) keeps one feed's. */
  inArea(areaId: number, limit: number, scope: ScopeRoots, feed: string | null = null): Promise<CameraRow[]> {
    return this.db.query(
      `SELECT ${COLUMNS}, NULL::float8 AS distance
         FROM entity e
        WHERE ${CAMERA_FEEDS} AND e.area_path @> ARRAY[$1::int] AND ${inScopeSql('e.area_id', 3)}
          AND ($4::text IS NULL OR e.feed_key = $4)
        ORDER BY e.props->>'name', e.feed_key, e.entity_id
        LIMIT $2`,
      [areaId, limit, scope, feed],
    );
  }

  /** Cameras within `buffer` metres of a geometry (a zone's outline), nearest first. */
  nearGeometry(geometry: unknown, buffer: number, limit: number, scope: ScopeRoots, feed: string | null = null): Promise<CameraRow[]> {
    return this.db.query(
      `WITH z AS (SELECT ST_SetSRID(ST_GeomFromGeoJSON($1::text), 4326) AS g)
       SELECT ${COLUMNS}, ST_Distance(e.geom::geography, z.g::geography) AS distance
         FROM entity e, z
        WHERE ${CAMERA_FEEDS} AND e.geom && ST_Expand(z.g, ${boxDegrees(2)})
          AND ST_DWithin(e.geom::geography, z.g::geography, $2) AND ${inScopeSql('e.area_id', 4)}
          AND ($5::text IS NULL OR e.feed_key = $5)
        ORDER BY distance, e.feed_key, e.entity_id
        LIMIT $3`,
      [JSON.stringify(geometry), buffer, limit, scope, feed],
    );
  }

  /** Cameras within `radius` metres of a point, nearest first. */
  nearest(lon: number, lat: number, radius: number, limit: number, scope: ScopeRoots): Promise<CameraRow[]> {
    return this.db.query(
      `WITH p AS (SELECT ST_SetSRID(ST_MakePoint($1, $2), 4326) AS g)
       SELECT ${COLUMNS}, ST_Distance(e.geom::geography, p.g::geography) AS distance
         FROM entity e, p
        WHERE ${CAMERA_FEEDS} AND e.geom && ST_Expand(p.g, ${boxDegrees(3)})
          AND ST_DWithin(e.geom::geography, p.g::geography, $3) AND ${inScopeSql('e.area_id', 5)}
        ORDER BY distance, e.feed_key, e.entity_id
        LIMIT $4`,
      [lon, lat, radius, limit, scope],
    );
  }

  /** One camera, or null when there is none or it lies outside the scope. */
  async one(feed: string, id: string, scope: ScopeRoots): Promise<CameraRow | null> {
    const rows: CameraRow[] = await this.db.query(
      `SELECT ${COLUMNS}, NULL::float8 AS distance
         FROM entity e
        WHERE ${CAMERA_FEEDS} AND e.feed_key = $1 AND e.entity_id = $2 AND ${inScopeSql('e.area_id', 3)}`,
      [feed, id, scope],
    );
    return rows[0] ?? null;
  }
}
