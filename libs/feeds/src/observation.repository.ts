import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Injectable } from '@nestjs/common';
import type { PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { DataSource, type EntityManager } from 'typeorm';
import { VectorTileQueries } from '@cityops/core';
import { inScopeSql, type ScopeRoots } from '@cityops/geo';
import {
  observationAggregateParams,
  observationAggregateSql,
  type AreaAggregate,
  type ObservationAggregate,
} from './observation-aggregate';
import { COPY_COLUMNS, observationLine } from './observation-copy';
import type { ObservationRow } from './observation-row';

/** A stored observation as `GET /api/feeds/:key/sample` shows it, with its area still as an id. */
export interface StoredObservation {
  id: string;
  entity: string | null;
  metric: string;
  value: number;
  ts: Date;
  areaId: number | null;
  location: [number, number] | null;
  props: Record<string, unknown> | null;
  receivedAt: Date;
}

/** The newest value of a metric in one area. */
export interface LatestValue {
  areaId: number;
  /** ISO 8601 in UTC with the stored microseconds, so the time can be written back exactly. */
  ts: string;
  value: number;
}

/** The newest located reading of one entity and metric. */
export interface EntityReadingRow {
  entity: string;
  metric: string;
  value: number;
  /** ISO 8601 in UTC. */
  ts: string;
  lon: number;
  lat: number;
  areaId: number | null;
  name: string | null;
}

/** One bucket of an entity's readings of one metric. */
export interface EntityBucketRow {
  metric: string;
  ts: string;
  avg: number;
  min: number;
  max: number;
  count: number;
}

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

/** Web-mercator metres across one tile at zoom 0. */
const WORLD_METRES = 2 * 20037508.342789244;

/** How many heat cells a tile is cut into along each side (64 px cells in a 4096 extent). */
export const HEAT_CELLS_PER_SIDE = 64;

/**
 * The statement behind `heatTile`, exported so the tile benchmark times the bare SQL the API runs:
 * one metric's located readings with `from <= ts < to`, binned into square cells of the tile (the
 * cell's centre as a point, props count and mean). Cells are snapped to the tile's own grid, so
 * neighbouring tiles never share a cell. The partial index `observation_feed_metric_ts_located`
 * serves the feed, metric and window.
 */
export function heatTileQuery(
  feedKey: string,
  metric: string,
  from: Date,
  to: Date,
  z: number,
  x: number,
  y: number,
  scope: ScopeRoots,
): { text: string; values: unknown[] } {
  // The tile's south-west corner and cell size in web-mercator metres, so cells snap to the tile's own grid.
  const size = WORLD_METRES / 2 ** z;
  const cell = size / HEAT_CELLS_PER_SIDE;
  const west = -WORLD_METRES / 2 + x * size;
  const south = WORLD_METRES / 2 - (y + 1) * size;
  return {
    // Materialised steps, so the planner never moves ST_AsMVTGeom into a filter (its cost would switch on JIT).
    text: `WITH readings AS MATERIALIZED (
             SELECT ST_Transform(o.geom, 3857) AS p, o.value
               FROM observation o
              WHERE o.feed_key = $4 AND o.metric = $5 AND o.ts >= $6 AND o.ts < $7 AND o.geom IS NOT NULL
                AND o.geom && ST_Transform(ST_TileEnvelope($1, $2, $3), 4326) AND ${inScopeSql('o.area_id', 8)}
           ),
           cells AS MATERIALIZED (
             SELECT ST_SnapToGrid(p, $9, $10, $11, $11) AS centre, count(*)::int AS count, avg(value) AS mean FROM readings GROUP BY 1
           )
           SELECT ST_AsMVT(features.*, 'heat', 4096, 'geom') AS tile
             FROM (SELECT c.count, round(c.mean::numeric, 3)::float8 AS mean,
                          ST_AsMVTGeom(c.centre, ST_TileEnvelope($1, $2, $3), 4096, 0, true) AS geom
                     FROM cells c) features
            WHERE geom IS NOT NULL`,
    values: [z, x, y, feedKey, metric, from, to, scope, west + cell / 2, south + cell / 2, cell],
  };
}

/** Observations: the time-partitioned table every pushed, polled or MQTT record lands in. */
@Injectable()
export class ObservationRepository {
  constructor(
    private readonly db: DataSource,
    private readonly tiles: VectorTileQueries,
  ) {}

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
  async insert(
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
      const written = await this.copy(manager, feedKey, rows);
      await manager.query('RELEASE SAVEPOINT observation_batch');
      return written;
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      await manager.query('ROLLBACK TO SAVEPOINT observation_batch');
      return insertSkippingKnown();
    }
  }

  /**
   * Writes the rows with COPY on the transaction's own connection: the server inserts them in
   * bulk, cheaper per row than INSERT … SELECT. COPY knows no ON CONFLICT, so a key already stored
   * fails the whole COPY with a unique violation (23505), which `insert` handles.
   */
  private async copy(manager: EntityManager, feedKey: string, rows: ObservationRow[]): Promise<number> {
    const runner = manager.queryRunner;
    if (!runner) throw new Error('COPY needs a transaction (an EntityManager with its own query runner)');
    const client = (await runner.connect()) as PoolClient;
    const sink = client.query(copyFrom(`COPY observation (${COPY_COLUMNS}) FROM STDIN`));
    let text = '';
    for (const r of rows) text += `${observationLine(feedKey, r)}\n`;
    await pipeline(Readable.from([text]), sink);
    return sink.rowCount;
  }

  /**
   * Bulk history (observation-backfill.service.ts): holds the feed's backfill lock for the rest of
   * the transaction, so two set-ups running at once cannot both write it. Answers whether the feed
   * already holds any observation in [from, to) (then nothing is to be written).
   */
  /** The feeds among `feedKeys` that hold no observation in [from, to). */
  async emptyFeeds(feedKeys: readonly string[], from: Date, to: Date): Promise<string[]> {
    if (feedKeys.length === 0) return [];
    const rows: { key: string }[] = await this.db.query(
      `SELECT k.key FROM unnest($1::text[]) AS k(key)
        WHERE NOT EXISTS (SELECT 1 FROM observation o WHERE o.feed_key = k.key AND o.ts >= $2 AND o.ts < $3) ORDER BY k.key`,
      [feedKeys, from, to],
    );
    return rows.map((r) => r.key);
  }

  async lockAndCheckEmpty(manager: EntityManager, feedKey: string, from: Date, to: Date): Promise<boolean> {
    await manager.query(`SELECT pg_advisory_xact_lock(hashtext('cityops:observation-backfill'), hashtext($1))`, [feedKey]);
    const rows: { held: boolean }[] = await manager.query(
      `SELECT EXISTS (SELECT 1 FROM observation WHERE feed_key = $1 AND ts >= $2 AND ts < $3) AS held`,
      [feedKey, from, to],
    );
    return !rows[0]?.held;
  }

  /**
   * Streams COPY text (lines of `observationLine`) into observation on the transaction's own
   * connection, with backpressure: the source is read only as fast as the server takes it, so a
   * day of history never sits in memory. Answers the rows written.
   */
  async copyLines(manager: EntityManager, chunks: AsyncIterable<string>): Promise<number> {
    const runner = manager.queryRunner;
    if (!runner) throw new Error('COPY needs a transaction (an EntityManager with its own query runner)');
    const client = (await runner.connect()) as PoolClient;
    const sink = client.query(copyFrom(`COPY observation (${COPY_COLUMNS}) FROM STDIN`));
    await pipeline(Readable.from(chunks), sink);
    return sink.rowCount;
  }

  /** A metric's readings in a time window binned per cell of a tile; an empty buffer when none is in it. */
  heatTile(
    feedKey: string,
    metric: string,
    window: { from: Date; to: Date },
    tile: { z: number; x: number; y: number },
    scope: ScopeRoots = null,
  ): Promise<Buffer> {
    return this.tiles.tile(heatTileQuery(feedKey, metric, window.from, window.to, tile.z, tile.x, tile.y, scope));
  }

  /** The feeds among `feedKeys` with a located reading since `since` (newest partition first, stops at the first row). */
  async locatedFeeds(feedKeys: readonly string[], since: Date): Promise<string[]> {
    if (feedKeys.length === 0) return [];
    const rows: { key: string }[] = await this.db.query(
      `SELECT k.key FROM unnest($1::text[]) AS k(key)
        WHERE EXISTS (SELECT 1 FROM observation o WHERE o.feed_key = k.key AND o.ts >= $2 AND o.geom IS NOT NULL) ORDER BY k.key`,
      [feedKeys, since],
    );
    return rows.map((r) => r.key);
  }

  /**
   * A feed's newest observations in the scope, newest `ts` first. A record is in a scope when the
   * area it was tagged with is (the rule of area-keyed rows: a record tagged with an event zone is
   * seen by the scopes the zone overlaps); one without an area only by city-wide callers.
   */
  async newest(feedKey: string, limit: number, scope: ScopeRoots = null): Promise<StoredObservation[]> {
    return this.db.query(
      `SELECT record_key AS id, entity, metric, value, ts, area_id AS "areaId",
              CASE WHEN geom IS NOT NULL THEN json_build_array(round(ST_X(geom)::numeric, 6), round(ST_Y(geom)::numeric, 6)) END AS location,
              props, received_at AS "receivedAt"
         FROM observation
        WHERE feed_key = $1 AND ${inScopeSql('area_id', 3)} ORDER BY ts DESC LIMIT $2`,
      [feedKey, limit, scope],
    );
  }

  /**
   * The newest value of a feed's metric in each of the areas, in one statement: per area, an
   * index probe on (area_id, metric, ts DESC) in each partition that stops at its first row.
   * Areas without a value are absent.
   */
  async latestPerArea(feedKey: string, metric: string, areaIds: number[]): Promise<LatestValue[]> {
    if (areaIds.length === 0) return [];
    return this.db.query(
      `SELECT a.id AS "areaId", to_char(o.ts AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS ts, o.value
         FROM unnest($3::int[]) AS a(id)
         JOIN LATERAL (
           SELECT ts, value FROM observation
            WHERE area_id = a.id AND metric = $2 AND feed_key = $1
            ORDER BY ts DESC LIMIT 1) o ON true`,
      [feedKey, metric, areaIds],
    );
  }

  /** A metric aggregated per entity then across entities, for every area and point at once (observation-aggregate.ts). */
  async aggregatePerArea(q: ObservationAggregate): Promise<AreaAggregate[]> {
    if (q.areaIds.length === 0) return [];
    return this.db.query(observationAggregateSql(q), observationAggregateParams(q));
  }

  /**
   * For each feed, how many distinct entities had a located reading of one of its metrics since its
   * `since`, counted up to `cap` (the count stops there: a big feed is not scanned whole). Feed,
   * metric and window are what the partial index `observation_feed_metric_ts_located` serves.
   */
  async locatedEntityCounts(feeds: readonly { key: string; metrics: string[]; since: Date }[], cap: number): Promise<Map<string, number>> {
    if (feeds.length === 0) return new Map();
    const rows: { key: string; n: number }[] = await this.db.query(
      `SELECT k.key,
              (SELECT count(*)::int FROM (
                 SELECT DISTINCT o.entity FROM observation o
                  WHERE o.feed_key = k.key AND o.metric = ANY(k.metrics) AND o.ts >= k.since AND o.geom IS NOT NULL AND o.entity IS NOT NULL
                  LIMIT $2) d) AS n
         FROM jsonb_to_recordset($1::jsonb) AS k(key text, metrics text[], since timestamptz)`,
      [JSON.stringify(feeds), cap],
    );
    return new Map(rows.map((r) => [r.key, r.n]));
  }

  /**
   * The newest located reading of each entity and metric of a feed since `since`, in the scope
   * (by the area each reading was tagged with), for at most `maxEntities` entities. A scoped
   * caller gets only the entities whose newest reading (of any of the metrics) lies in its scope:
   * one that moved out is gone from its layer, as the live deltas take it off.
   */
  latestPerEntity(
    feedKey: string,
    metrics: readonly string[],
    since: Date,
    maxEntities: number,
    scope: ScopeRoots = null,
  ): Promise<EntityReadingRow[]> {
    const located = `o.feed_key = $1 AND o.metric = ANY($5::text[]) AND o.ts >= $2 AND o.geom IS NOT NULL AND o.entity IS NOT NULL`;
    const placedInScope =
      scope === null
        ? ''
        : `WHERE l.entity IN (
             SELECT p.entity FROM (
               SELECT DISTINCT ON (o.entity) o.entity, o.area_id FROM observation o
                WHERE ${located} AND o.entity IN (SELECT entity FROM latest)
                ORDER BY o.entity, o.ts DESC) p
              WHERE ${inScopeSql('p.area_id', 4)})`;
    return this.db.query(
      `WITH latest AS (
         SELECT DISTINCT ON (o.entity, o.metric) o.entity, o.metric, o.value, o.ts, ST_X(o.geom) AS lon, ST_Y(o.geom) AS lat,
                o.area_id AS "areaId", o.props->>'name' AS name
           FROM observation o
          WHERE ${located} AND ${inScopeSql('o.area_id', 4)}
          ORDER BY o.entity, o.metric, o.ts DESC
       ), chosen AS (SELECT DISTINCT l.entity FROM latest l ${placedInScope} ORDER BY l.entity LIMIT $3)
       SELECT l.entity, l.metric, l.value, to_char(l.ts AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS ts,
              l.lon, l.lat, l."areaId", l.name
         FROM latest l JOIN chosen c USING (entity) ORDER BY l.entity, l.metric`,
      [feedKey, since, maxEntities, scope, metrics],
    );
  }

  /** An entity's readings in [from, to) per metric, averaged (and min, max, count) per bucket of `bucketSeconds`, in the scope. */
  entitySeries(
    feedKey: string,
    entity: string,
    window: { from: Date; to: Date; bucketSeconds: number },
    scope: ScopeRoots = null,
  ): Promise<EntityBucketRow[]> {
    return this.db.query(
      `SELECT o.metric, to_char(date_bin(make_interval(secs => $5), o.ts, $3) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS ts,
              avg(o.value)::float8 AS avg, min(o.value)::float8 AS min, max(o.value)::float8 AS max, count(*)::int AS count
         FROM observation o
        WHERE o.feed_key = $1 AND o.entity = $2 AND o.ts >= $3 AND o.ts < $4 AND ${inScopeSql('o.area_id', 6)}
        GROUP BY 1, date_bin(make_interval(secs => $5), o.ts, $3)
        ORDER BY 1, 2`,
      [feedKey, entity, window.from, window.to, window.bucketSeconds, scope],
    );
  }

  /** The newest record time of a feed in the last two days (only the recent partitions are read), or null. */
  async newestRecentTs(feedKey: string): Promise<Date | null> {
    const rows: { last: Date | null }[] = await this.db.query(
      `SELECT max(ts) AS last FROM observation WHERE feed_key = $1 AND ts > now() - interval '2 days'`,
      [feedKey],
    );
    return rows[0]?.last ?? null;
  }
}
