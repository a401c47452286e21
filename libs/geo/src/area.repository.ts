import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { AreaLabelCollection, AreaLevel, AreaView, MultiPolygonGeometry } from '@cityops/contracts';
import { VectorTileQueries } from '@cityops/core';
import { inScopeSql, type ScopeRoots } from './area-scope';

/** One area to write; parents are named by code and must exist or come earlier in level order. */
export interface AreaInput {
  code: string;
  name: string;
  nameEn?: string | null;
  level: AreaLevel;
  parentCode?: string | null;
  zoneSet?: string | null;
  seq?: number | null;
  capacity?: number | null;
  population?: number | null;
  households?: number | null;
  geometry: unknown;
}

interface AreaRow {
  id: number;
  code: string;
  name: string;
  name_en: string | null;
  level: AreaLevel;
  parent_id: number | null;
  zone_set: string | null;
  seq: number | null;
  capacity: number | null;
  population: number | null;
  households: number | null;
  is_demo: boolean;
  geometry?: MultiPolygonGeometry;
}

/** The city-level area: the name a client shows and a point inside it. */
export interface CityView {
  code: string;
  name: string;
  nameEn: string | null;
  center: [number, number];
}

/** A named group of event zones (e.g. a race course's segments) and how many zones it has. */
export interface ZoneSetSummary {
  key: string;
  name: string;
  nameEn: string | null;
  description: string | null;
  zones: number;
}

/** What other domains need to know of an area (no geometry beyond its label point). */
export interface AreaRef {
  id: number;
  code: string;
  name: string;
  nameEn: string | null;
  level: AreaLevel;
  zoneSet: string | null;
  seq: number | null;
  capacity: number | null;
  /** Short letters for case codes (GZ, TH); null when none is set. */
  abbrev: string | null;
  /** Self and ancestors, root first. */
  path: number[];
  /** A point inside the area (`ST_PointOnSurface`), `[lon, lat]`. */
  center: [number, number] | null;
}

/** What an area's value can be divided by: its capacity, residents and size. */
export interface AreaMeasure {
  id: number;
  capacity: number | null;
  population: number | null;
  /** On the ellipsoid, in km². */
  km2: number;
}

/** A grid's outline for the in-memory locator. */
export interface GridShape {
  id: number;
  path: number[];
  polygons: number[][][][];
}

interface AreaRefRow {
  id: number;
  code: string;
  name: string;
  name_en: string | null;
  level: AreaLevel;
  zone_set: string | null;
  seq: number | null;
  capacity: number | null;
  abbrev: string | null;
  path_ids: number[];
  lon: number | null;
  lat: number | null;
}

const REF_COLUMNS = `id, code, name, name_en, level, zone_set, seq, capacity, abbrev, path_ids,
  round(ST_X(center)::numeric, 6)::float8 AS lon, round(ST_Y(center)::numeric, 6)::float8 AS lat`;

const toRef = (r: AreaRefRow): AreaRef => ({
  id: r.id,
  code: r.code,
  name: r.name,
  nameEn: r.name_en,
  level: r.level,
  zoneSet: r.zone_set,
  seq: r.seq,
  capacity: r.capacity,
  abbrev: r.abbrev,
  path: r.path_ids,
  center: r.lon === null || r.lat === null ? null : [r.lon, r.lat],
});

/** Web-mercator metres across one tile at zoom 0. */
const WORLD_METRES = 2 * 20037508.342789244;

/**
 * The statement behind `levelTile`, exported so the tile benchmark times the bare SQL that the API
 * runs. The envelope is written inline (PostgreSQL folds it into a constant, so the GiST index
 * is used), with a 64-pixel margin so outlines crossing the edge are drawn to it; the features are
 * a materialised CTE so the planner never moves ST_AsMVTGeom into a filter, where its cost would
 * switch on JIT compilation (a second per tile).
 */
export function areaLevelTileQuery(
  level: AreaLevel,
  z: number,
  x: number,
  y: number,
  scope: ScopeRoots,
): { text: string; values: unknown[] } {
  const tolerance = WORLD_METRES / 2 ** z / 4096 / 4;
  return {
    text: `WITH features AS MATERIALIZED (
             SELECT a.id, a.code, a.name, a.level,
                    ST_AsMVTGeom(ST_SimplifyPreserveTopology(ST_Transform(a.geom, 3857), $6), ST_TileEnvelope($1, $2, $3), 4096, 64, true) AS geom
               FROM area a
              WHERE a.geom && ST_Transform(ST_TileEnvelope($1, $2, $3, margin => 64.0 / 4096), 4326)
                AND a.level = $4 AND ${inScopeSql('a.id', 5)}
           )
           SELECT ST_AsMVT(features.*, 'areas-' || $4, 4096, 'geom') AS tile FROM features WHERE geom IS NOT NULL`,
    values: [z, x, y, level, scope, tolerance],
  };
}

/** A row of `AreaRepository.search`. */
export interface AreaSearchRow {
  id: number;
  code: string;
  name: string;
  name_en: string | null;
  level: AreaLevel;
  lon: number | null;
  lat: number | null;
  w: number | null;
  s: number | null;
  e: number | null;
  n: number | null;
}

/** `text` matched literally by LIKE (its `%`, `_` and `\` escaped). */
export function likeEscape(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

export const LEVEL_ORDER: AreaLevel[] = ['city', 'district', 'street', 'community', 'grid', 'zone'];

function toView(row: AreaRow): AreaView {
  const view: AreaView = {
    id: row.id,
    code: row.code,
    name: row.name,
    nameEn: row.name_en,
    level: row.level,
    parentId: row.parent_id,
    zoneSet: row.zone_set,
    seq: row.seq,
    capacity: row.capacity,
    population: row.population,
    households: row.households,
    isDemo: row.is_demo,
  };
  if (row.geometry !== undefined) view.geometry = row.geometry;
  return view;
}

/** Which areas a feature read is about: one level or one zone set, in a box, in the caller's scope. */
export interface AreaFeatureFilter {
  level?: AreaLevel;
  zoneSet?: string;
  /** Only these areas (e.g. those with a value of an indicator). */
  ids?: readonly number[];
  /** minLon, minLat, maxLon, maxLat (WGS84). */
  bbox?: [number, number, number, number];
}

/** An area as a GeoJSON feature (OGC API – Features items). */
export interface AreaFeature {
  type: 'Feature';
  id: number;
  geometry: MultiPolygonGeometry;
  properties: Record<string, unknown>;
}

/** The box around the areas of one level or zone set. */
export interface AreaExtent {
  level: AreaLevel;
  zoneSet: string | null;
  bbox: [number, number, number, number];
}

const FEATURE_JSON = `json_build_object('type', 'Feature', 'id', a.id, 'geometry', ST_AsGeoJSON(a.geom, 6)::json,
  'properties', json_build_object('code', a.code, 'name', a.name, 'nameEn', a.name_en, 'level', a.level, 'parentId', a.parent_id,
    'zoneSet', a.zone_set, 'seq', a.seq, 'capacity', a.capacity, 'population', a.population, 'households', a.households,
    'isDemo', a.is_demo))`;

/** The WHERE of a feature read, its parameters appended to `params`. */
function featureWhere(filter: AreaFeatureFilter, scope: ScopeRoots, params: unknown[]): string {
  const where = [inScopeSql('a.id', params.push(scope))];
  if (filter.level) where.push(`a.level = $${params.push(filter.level)}`);
  if (filter.zoneSet) where.push(`a.zone_set = $${params.push(filter.zoneSet)}`);
  if (filter.ids) where.push(`a.id = ANY($${params.push(filter.ids)}::int[])`);
  if (filter.bbox) {
    const [w, s, e, n] = filter.bbox.map((v) => params.push(v));
    // && alone (the GiST index) admits areas whose box meets the box but whose shape does not.
    where.push(
      `a.geom && ST_MakeEnvelope($${w}, $${s}, $${e}, $${n}, 4326) AND ST_Intersects(a.geom, ST_MakeEnvelope($${w}, $${s}, $${e}, $${n}, 4326))`,
    );
  }
  return where.join(' AND ');
}

const COLUMNS = `id, code, name, name_en, level, parent_id, zone_set, seq, capacity, population, households, is_demo`;

@Injectable()
export class AreaRepository {
  constructor(
    private readonly db: DataSource,
    private readonly tiles: VectorTileQueries,
  ) {}

  async list(
    filter: { level?: AreaLevel; parentId?: number; zoneSet?: string; geometry: boolean; limit: number },
    scope: ScopeRoots = null,
  ): Promise<AreaView[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (scope) where.push(inScopeSql('id', params.push(scope)));
    if (filter.level) where.push(`level = $${params.push(filter.level)}`);
    if (filter.parentId) where.push(`parent_id = $${params.push(filter.parentId)}`);
    if (filter.zoneSet) where.push(`zone_set = $${params.push(filter.zoneSet)}`);
    const geometry = filter.geometry ? `, ST_AsGeoJSON(geom, 6)::json AS geometry` : '';
    const rows: AreaRow[] = await this.db.query(
      `SELECT ${COLUMNS}${geometry} FROM area ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
        ORDER BY zone_set NULLS FIRST, seq NULLS LAST, code LIMIT $${params.push(filter.limit)}`,
      params,
    );
    return rows.map(toView);
  }

  /** Label points (the stored `ST_PointOnSurface`) of the areas that match, in the same order as `list`. */
  async labels(filter: { level?: AreaLevel; zoneSet?: string; limit: number }, scope: ScopeRoots = null): Promise<AreaLabelCollection> {
    const where: string[] = ['center IS NOT NULL'];
    const params: unknown[] = [];
    if (scope) where.push(inScopeSql('id', params.push(scope)));
    if (filter.level) where.push(`level = $${params.push(filter.level)}`);
    if (filter.zoneSet) where.push(`zone_set = $${params.push(filter.zoneSet)}`);
    const rows: {
      id: number;
      code: string;
      name: string;
      name_en: string | null;
      level: AreaLevel;
      seq: number | null;
      lon: number;
      lat: number;
    }[] = await this.db.query(
      `SELECT id, code, name, name_en, level, seq,
                round(ST_X(center)::numeric, 6)::float8 AS lon, round(ST_Y(center)::numeric, 6)::float8 AS lat
           FROM area WHERE ${where.join(' AND ')}
          ORDER BY zone_set NULLS FIRST, seq NULLS LAST, code LIMIT $${params.push(filter.limit)}`,
      params,
    );
    return {
      type: 'FeatureCollection',
      features: rows.map((r) => ({
        type: 'Feature',
        id: r.id,
        geometry: { type: 'Point', coordinates: [r.lon, r.lat] },
        properties: { id: r.id, code: r.code, name: r.name, nameEn: r.name_en, level: r.level, seq: r.seq },
      })),
    };
  }

  async findById(id: number, geometry: boolean, scope: ScopeRoots = null): Promise<AreaView | null> {
    const rows: AreaRow[] = await this.db.query(
      `SELECT ${COLUMNS}${geometry ? `, ST_AsGeoJSON(geom, 6)::json AS geometry` : ''} FROM area WHERE id = $1 AND ${inScopeSql('id', 2)}`,
      [id, scope],
    );
    return rows[0] ? toView(rows[0]) : null;
  }

  /**
   * Areas whose name (either language) or code holds `text`, in the scope: exact codes and names
   * first, then the coarser levels, then by name. A plain scan: some 25,000 areas.
   */
  async search(text: string, limit: number, scope: ScopeRoots = null): Promise<AreaSearchRow[]> {
    return this.db.query(
      `SELECT id, code, name, name_en, level,
              ST_X(center) AS lon, ST_Y(center) AS lat,
              ST_XMin(geom) AS w, ST_YMin(geom) AS s, ST_XMax(geom) AS e, ST_YMax(geom) AS n
         FROM area
        WHERE (name ILIKE $1 ESCAPE '\\' OR name_en ILIKE $1 ESCAPE '\\' OR code ILIKE $1 ESCAPE '\\')
          AND ${inScopeSql('id', 4)}
        ORDER BY (lower(code) = lower($2) OR lower(name) = lower($2) OR lower(name_en) = lower($2)) DESC,
                 array_position(ARRAY['city', 'district', 'street', 'community', 'grid', 'zone'], level), name, id
        LIMIT $3`,
      [`%${likeEscape(text)}%`, text, limit, scope],
    );
  }

  async findIdByCode(code: string, manager: EntityManager = this.db.manager): Promise<number | null> {
    const rows: { id: number }[] = await manager.query(`SELECT id FROM area WHERE code = $1`, [code]);
    return rows[0]?.id ?? null;
  }

  /** The city-level area; the lowest code when several were imported. */
  async findCity(): Promise<CityView | null> {
    const rows: { code: string; name: string; name_en: string | null; lon: number; lat: number }[] = await this.db.query(
      `SELECT code, name, name_en, ST_X(center) AS lon, ST_Y(center) AS lat FROM area WHERE level = 'city' ORDER BY code LIMIT 1`,
    );
    const row = rows[0];
    return row ? { code: row.code, name: row.name, nameEn: row.name_en, center: [row.lon, row.lat] } : null;
  }

  async anyDemo(): Promise<boolean> {
    const rows: { demo: boolean }[] = await this.db.query(`SELECT EXISTS (SELECT 1 FROM area WHERE is_demo) AS demo`);
    return rows[0]?.demo ?? false;
  }

  async zoneSets(): Promise<ZoneSetSummary[]> {
    const rows: { key: string; name: string; name_en: string | null; description: string | null; zones: number }[] = await this.db.query(
      `SELECT z.key, z.name, z.name_en, z.description, count(a.id)::int AS zones
         FROM zone_set z LEFT JOIN area a ON a.zone_set = z.key
        GROUP BY z.key ORDER BY z.key`,
    );
    return rows.map((r) => ({ key: r.key, name: r.name, nameEn: r.name_en, description: r.description, zones: r.zones }));
  }

  async refsByCode(codes: string[]): Promise<AreaRef[]> {
    if (codes.length === 0) return [];
    const rows: AreaRefRow[] = await this.db.query(`SELECT ${REF_COLUMNS} FROM area WHERE code = ANY($1::text[])`, [codes]);
    return rows.map(toRef);
  }

  async refsById(ids: number[]): Promise<AreaRef[]> {
    if (ids.length === 0) return [];
    const rows: AreaRefRow[] = await this.db.query(`SELECT ${REF_COLUMNS} FROM area WHERE id = ANY($1::int[])`, [ids]);
    return rows.map(toRef);
  }

  /** The areas of a zone set or of some levels, with their measures, by id. */
  async measures(zoneSet: string | null, levels: readonly string[] | null): Promise<AreaMeasure[]> {
    return this.db.query(
      `SELECT id, capacity, population, ST_Area(geom::geography) / 1e6 AS km2 FROM area
        WHERE ($1::text IS NOT NULL AND zone_set = $1::text) OR level = ANY($2::text[]) ORDER BY id`,
      [zoneSet, levels],
    );
  }

  /** A zone set's areas in course order (`seq`, then code). */
  async refsInZoneSet(zoneSet: string): Promise<AreaRef[]> {
    const rows: AreaRefRow[] = await this.db.query(`SELECT ${REF_COLUMNS} FROM area WHERE zone_set = $1 ORDER BY seq NULLS LAST, code`, [
      zoneSet,
    ]);
    return rows.map(toRef);
  }

  async setAbbreviations(byCode: ReadonlyMap<string, string>): Promise<number> {
    const rows: { id: number }[] = await this.db.query(
      `WITH changed AS (
         UPDATE area a SET abbrev = u.abbrev, updated_at = now()
           FROM unnest($1::text[], $2::text[]) AS u(code, abbrev)
          WHERE a.code = u.code AND a.abbrev IS DISTINCT FROM u.abbrev
         RETURNING a.id)
       SELECT id FROM changed`,
      [[...byCode.keys()], [...byCode.values()]],
    );
    return rows.length;
  }

  /** The ids of every area a scope sees (`cityops_scope_area_ids`), for checks made in memory (live channels). */
  async scopeAreaIds(roots: readonly number[]): Promise<number[]> {
    const rows: { id: number }[] = await this.db.query(`SELECT s.id FROM cityops_scope_area_ids($1::int[]) AS s(id)`, [roots]);
    return rows.map((r) => r.id);
  }

  /** The zone sets with at least one zone in the scope. */
  async zoneSetsInScope(roots: readonly number[]): Promise<string[]> {
    const rows: { zone_set: string }[] = await this.db.query(
      `SELECT DISTINCT zone_set FROM area WHERE zone_set IS NOT NULL AND id IN (SELECT cityops_scope_area_ids($1::int[])) ORDER BY zone_set`,
      [roots],
    );
    return rows.map((r) => r.zone_set);
  }

  /** Every grid's outline with its path, for the in-memory point locator. */
  async gridShapes(): Promise<GridShape[]> {
    const rows: { id: number; path_ids: number[]; geom: { coordinates: number[][][][] } }[] = await this.db.query(
      `SELECT id, path_ids, ST_AsGeoJSON(geom)::json AS geom FROM area WHERE level = 'grid' ORDER BY id`,
    );
    return rows.map((r) => ({ id: r.id, path: r.path_ids, polygons: r.geom.coordinates }));
  }

  async count(): Promise<number> {
    const rows: { n: number }[] = await this.db.query(`SELECT count(*)::int AS n FROM area`);
    return rows[0]?.n ?? 0;
  }

  /**
   * PostGIS's verdict on each geometry: null when valid, else the reason. One round trip for the
   * whole collection, so a 10,000-feature import is checked in one statement; a geometry PostGIS
   * cannot read gets its reason like any other instead of failing the statement.
   */
  async geometryProblems(geometries: unknown[], manager: EntityManager = this.db.manager): Promise<(string | null)[]> {
    const rows: { problem: string | null }[] = await manager.query(
      `SELECT v.problem
         FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY AS e(value, ord), cityops_geojson_verdict(e.value) v
        ORDER BY e.ord`,
      [JSON.stringify(geometries)],
    );
    return rows.map((r) => r.problem);
  }

  /**
   * Upserts areas level by level; answers how many were new and how many replaced. A position's
   * height (GeoJSON allows one) is dropped: boundaries are 2D.
   */
  async upsertMany(areas: AreaInput[], isDemo: boolean, manager: EntityManager): Promise<{ inserted: number; updated: number }> {
    let inserted = 0;
    let updated = 0;
    for (const level of LEVEL_ORDER) {
      const batch = areas.filter((a) => a.level === level);
      for (let i = 0; i < batch.length; i += 2000) {
        const chunk = batch.slice(i, i + 2000).map((a) => ({
          code: a.code,
          name: a.name,
          name_en: a.nameEn ?? null,
          level: a.level,
          parent_code: a.parentCode ?? null,
          zone_set: a.zoneSet ?? null,
          seq: a.seq ?? null,
          capacity: a.capacity ?? null,
          population: a.population ?? null,
          households: a.households ?? null,
          geometry: a.geometry,
        }));
        const rows: { inserted: boolean }[] = await manager.query(
          `INSERT INTO area (code, name, name_en, level, parent_id, zone_set, seq, capacity, population, households, is_demo, geom)
           SELECT r.code, r.name, r.name_en, r.level, p.id, r.zone_set, r.seq, r.capacity, r.population, r.households, $2,
                  ST_Multi(ST_SetSRID(ST_Force2D(ST_GeomFromGeoJSON(r.geometry::text)), 4326))
             FROM jsonb_to_recordset($1::jsonb) AS r(code text, name text, name_en text, level text, parent_code text,
                  zone_set text, seq int, capacity int, population int, households int, geometry jsonb)
             LEFT JOIN area p ON p.code = r.parent_code
           ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name, name_en = EXCLUDED.name_en, level = EXCLUDED.level,
                  parent_id = EXCLUDED.parent_id, zone_set = EXCLUDED.zone_set, seq = EXCLUDED.seq,
                  capacity = EXCLUDED.capacity, population = EXCLUDED.population, households = EXCLUDED.households,
                  is_demo = EXCLUDED.is_demo, geom = EXCLUDED.geom, updated_at = now()
           RETURNING (xmax = 0) AS inserted`,
          [JSON.stringify(chunk), isDemo],
        );
        for (const row of rows) {
          if (row.inserted) inserted++;
          else updated++;
        }
      }
    }
    await this.refreshPaths(manager);
    return { inserted, updated };
  }

  /** Finds, for each geometry, the area of `level` that contains most of it (its point on surface). */
  async findContainingParents(geometries: unknown[], level: AreaLevel, manager: EntityManager): Promise<(string | null)[]> {
    const rows: { idx: number; code: string | null }[] = await manager.query(
      `SELECT g.idx::int AS idx,
              (SELECT a.code FROM area a
                WHERE a.level = $2 AND ST_Intersects(a.geom, ST_PointOnSurface(ST_SetSRID(g.geom, 4326)))
                LIMIT 1) AS code
         FROM (SELECT ord AS idx, ST_GeomFromGeoJSON(value::text) AS geom
                 FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY AS e(value, ord)) g
        ORDER BY g.idx`,
      [JSON.stringify(geometries), level],
    );
    return rows.map((r) => r.code);
  }

  async upsertZoneSet(key: string, name: string, nameEn: string | null, description: string | null, manager: EntityManager): Promise<void> {
    await manager.query(
      `INSERT INTO zone_set (key, name, name_en, description) VALUES ($1, $2, $3, $4)
       ON CONFLICT (key) DO UPDATE SET name = EXCLUDED.name, name_en = EXCLUDED.name_en, description = EXCLUDED.description`,
      [key, name, nameEn, description],
    );
  }

  /** Recomputes `path_ids` (self and ancestors) for every area whose path changed. */
  private async refreshPaths(manager: EntityManager): Promise<void> {
    await manager.query(
      `WITH RECURSIVE tree AS (
         SELECT id, ARRAY[id] AS path FROM area WHERE parent_id IS NULL
         UNION ALL
         SELECT a.id, tree.path || a.id FROM area a JOIN tree ON a.parent_id = tree.id
       )
       UPDATE area SET path_ids = tree.path FROM tree
        WHERE area.id = tree.id AND area.path_ids IS DISTINCT FROM tree.path`,
    );
  }

  async transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.db.transaction(work);
  }

  /**
   * A Mapbox Vector Tile of area boundaries. Finer levels appear only at zooms where they are
   * readable, so a city-wide tile stays small.
   */
  areaTile(z: number, x: number, y: number, scope: ScopeRoots = null): Promise<Buffer> {
    return this.tiles.tile({
      text: `WITH bounds AS (SELECT ST_TileEnvelope($1, $2, $3) AS env),
            box AS (SELECT env, ST_Transform(env, 4326) AS env4326 FROM bounds),
            features AS (
              SELECT a.id, a.code, a.name, a.level,
                     ST_AsMVTGeom(ST_Transform(a.geom, 3857), box.env, 4096, 64, true) AS geom
                FROM area a, box
               WHERE a.geom && box.env4326
                 AND (a.level IN ('city', 'district')
                      OR (a.level = 'street' AND $1 >= 10)
                      OR (a.level = 'community' AND $1 >= 12)
                      OR (a.level = 'grid' AND $1 >= 13))
                 AND ${inScopeSql('a.id', 4)}
            )
       SELECT ST_AsMVT(features.*, 'areas', 4096, 'geom') AS tile FROM features WHERE geom IS NOT NULL`,
      values: [z, x, y, scope],
    });
  }

  /**
   * A Mapbox Vector Tile of one level's areas (layer `areas-<level>`), props id, code, name and
   * level. Outlines are simplified to a quarter of the tile's pixel at that zoom before clipping:
   * invisible vertices cost encoding time and bytes, nothing on screen.
   */
  levelTile(level: AreaLevel, z: number, x: number, y: number, scope: ScopeRoots = null): Promise<Buffer> {
    return this.tiles.tile(areaLevelTileQuery(level, z, x, y, scope));
  }

  async featuresInBbox(
    bbox: [number, number, number, number],
    level: AreaLevel | undefined,
    limit: number,
    scope: ScopeRoots = null,
  ): Promise<unknown> {
    const rows: { fc: unknown }[] = await this.db.query(
      `SELECT json_build_object('type', 'FeatureCollection', 'features', coalesce(json_agg(json_build_object(
                'type', 'Feature', 'id', a.id,
                'geometry', ST_AsGeoJSON(a.geom, 6)::json,
                'properties', json_build_object('id', a.id, 'code', a.code, 'name', a.name, 'level', a.level,
                   'capacity', a.capacity, 'population', a.population, 'zoneSet', a.zone_set, 'seq', a.seq))), '[]'::json)) AS fc
         FROM (SELECT * FROM area
                WHERE geom && ST_MakeEnvelope($1, $2, $3, $4, 4326)
                  AND ($5::text IS NULL OR level = $5)
                  AND ${inScopeSql('id', 7)}
                ORDER BY id LIMIT $6) a`,
      [...bbox, level ?? null, limit, scope],
    );
    return rows[0]?.fc;
  }

  /** A page of areas as GeoJSON features, by id, and how many match in all. */
  async featurePage(
    filter: AreaFeatureFilter,
    limit: number,
    offset: number,
    scope: ScopeRoots = null,
  ): Promise<{ matched: number; features: AreaFeature[] }> {
    const params: unknown[] = [];
    const where = featureWhere(filter, scope, params);
    const [{ matched }]: { matched: number }[] = await this.db.query(`SELECT count(*)::int AS matched FROM area a WHERE ${where}`, params);
    const rows: { feature: AreaFeature }[] = await this.db.query(
      `SELECT ${FEATURE_JSON} AS feature FROM area a WHERE ${where}
        ORDER BY a.id LIMIT $${params.push(limit)} OFFSET $${params.push(offset)}`,
      params,
    );
    return { matched, features: rows.map((r) => r.feature) };
  }

  async feature(id: number, filter: AreaFeatureFilter, scope: ScopeRoots = null): Promise<AreaFeature | null> {
    const params: unknown[] = [];
    const where = featureWhere(filter, scope, params);
    const rows: { feature: AreaFeature }[] = await this.db.query(
      `SELECT ${FEATURE_JSON} AS feature FROM area a WHERE ${where} AND a.id = $${params.push(id)}`,
      params,
    );
    return rows[0]?.feature ?? null;
  }

  /** The box around each level's and each zone set's areas in the scope. */
  async extents(scope: ScopeRoots = null): Promise<AreaExtent[]> {
    const rows: { level: AreaLevel; zone_set: string | null; w: number; s: number; e: number; n: number }[] = await this.db.query(
      `SELECT level, zone_set, ST_XMin(box) AS w, ST_YMin(box) AS s, ST_XMax(box) AS e, ST_YMax(box) AS n
         FROM (SELECT a.level, a.zone_set, ST_Extent(a.geom) AS box FROM area a WHERE ${inScopeSql('a.id', 1)} GROUP BY 1, 2) x`,
      [scope],
    );
    return rows.map((r) => ({ level: r.level, zoneSet: r.zone_set, bbox: [r.w, r.s, r.e, r.n] }));
  }
}
