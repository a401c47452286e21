import type { AggregateSource, AggregationAcross, AggregationPerEntity, IndicatorGrouping, Normalisation } from '@cityops/contracts';

/**
 * The one SQL statement that computes an aggregate indicator for every area of its grouping at
 * once, at one or more points in time (one for a recomputation, sixty for a preview).
 *
 * Each observation counts in every area on its path (its grid and all ancestors, or the zone it
 * was tagged with), so grouping by any level is an array lookup, not a spatial join. Per point:
 * the readings in (point - window, point] are reduced per entity (records without an entity are
 * one entity each), then across the entities of each area, then divided by the area's
 * capacity, residents in ten-thousands or km². The aggregation names come from closed lists
 * (the contract's enums), never from text an admin typed, so they can be written into the SQL.
 */

const PER_ENTITY: Record<AggregationPerEntity, string> = {
  latest: `(array_agg(value ORDER BY ts DESC))[1]`,
  sum: `sum(value)`,
  avg: `avg(value)`,
  min: `min(value)`,
  max: `max(value)`,
  count: `count(*)::float8`,
  p95: `percentile_cont(0.95) WITHIN GROUP (ORDER BY value)`,
  // Per minute of the window: events (value 1 each) per minute, or a flow counted per reading.
  rate_per_minute: `sum(value) / ($5::float8 / 60.0)`,
};

const ACROSS: Record<AggregationAcross, string> = {
  sum: `sum(v)`,
  avg: `avg(v)`,
  min: `min(v)`,
  max: `max(v)`,
  count: `count(*)::float8`,
  p95: `percentile_cont(0.95) WITHIN GROUP (ORDER BY v)`,
};

/** The divisor of each normalisation, from the area row `t`; null (no value) where the area lacks it. */
const DENOMINATOR: Record<Normalisation, string> = {
  per_capacity: `nullif(t.capacity, 0)::float8`,
  per_10k_residents: `nullif(t.population, 0)::float8 / 10000.0`,
  per_km2: `nullif(ST_Area(t.geom::geography), 0) / 1e6`,
};

/** Parameters of `aggregateSql`, in order. */
export interface AggregateParams {
  feed: string;
  metric: string;
  zoneSet: string | null;
  levels: string[] | null;
  windowSeconds: number;
  /** First and last point (equal for one point) and the step between points. */
  from: Date;
  to: Date;
  stepSeconds: number;
  /** Readings up to this far after a point still count for it (clock skew of live senders; 0 for a preview). */
  leadSeconds: number;
}

export function aggregateParams(source: AggregateSource, grouping: IndicatorGrouping, at: Omit<AggregateParams, 'feed' | 'metric' | 'zoneSet' | 'levels' | 'windowSeconds'>): unknown[] {
  return [
    source.feed,
    source.metric,
    'zoneSet' in grouping ? grouping.zoneSet : null,
    'levels' in grouping ? grouping.levels : null,
    source.windowSeconds,
    at.from,
    at.to,
    at.stepSeconds,
    at.leadSeconds,
  ];
}

/** Rows: `pt` (the point), `area_id`, `ts` (newest reading used), `value`, `numerator`, `denominator`. */
export function aggregateSql(source: AggregateSource): string {
  const denominator = source.normalise ? DENOMINATOR[source.normalise] : null;
  return `
    WITH target AS (
      SELECT id, capacity, population, geom FROM area
       WHERE ($3::text IS NOT NULL AND zone_set = $3::text) OR level = ANY($4::text[])
    ),
    pts AS (
      SELECT generate_series($6::timestamptz, $7::timestamptz, make_interval(secs => $8::float8)) AS pt
    ),
    readings AS (
      SELECT pts.pt, p.area_id, coalesce(o.entity, o.record_key) AS entity, o.ts, o.value
        FROM observation o
        CROSS JOIN LATERAL unnest(o.area_path) AS p(area_id)
        JOIN pts ON o.ts > pts.pt - make_interval(secs => $5::float8) AND o.ts <= pts.pt + make_interval(secs => $9::float8)
       WHERE o.feed_key = $1 AND o.metric = $2
         AND o.ts > $6::timestamptz - make_interval(secs => $5::float8)
         AND o.ts <= $7::timestamptz + make_interval(secs => $9::float8)
         AND p.area_id IN (SELECT id FROM target)
    ),
    per_entity AS (
      SELECT pt, area_id, entity, max(ts) AS ts, ${PER_ENTITY[source.perEntity]} AS v
        FROM readings GROUP BY pt, area_id, entity
    ),
    per_area AS (
      SELECT pt, area_id, max(ts) AS ts, ${ACROSS[source.across]} AS v FROM per_entity GROUP BY pt, area_id
    )
    SELECT a.pt, a.area_id, a.ts,
           ${denominator ? `a.v / ${denominator}` : 'a.v'} AS value,
           ${denominator ? 'a.v' : 'NULL::float8'} AS numerator,
           ${denominator ?? 'NULL::float8'} AS denominator
      FROM per_area a JOIN target t ON t.id = a.area_id
     WHERE a.v IS NOT NULL ${denominator ? `AND ${denominator} IS NOT NULL` : ''}
     ORDER BY a.pt, a.area_id`;
}
