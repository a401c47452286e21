import type { AggregationAcross, AggregationPerEntity } from '@cityops/contracts';

/** What to aggregate: a feed's metric in some areas, at one or more points in time. */
export interface ObservationAggregate {
  feed: string;
  metric: string;
  /** Readings in (point - window, point] count for a point. */
  windowSeconds: number;
  perEntity: AggregationPerEntity;
  across: AggregationAcross;
  /** The areas to compute; a reading counts in every one of them on its area path. */
  areaIds: readonly number[];
  /** First and last point (equal for one point) and the step between points. */
  from: Date;
  to: Date;
  stepSeconds: number;
  /** Readings up to this far after a point still count for it (live senders' clock skew; 0 for a series). */
  leadSeconds: number;
}

/** One area's aggregate at one point, with the newest reading's time. */
export interface AreaAggregate {
  pt: Date;
  areaId: number;
  /** ISO 8601. */
  ts: string;
  value: number;
}

/*
 * The aggregation names come from closed lists (the contract's enums), never from text a person
 * typed, so they are written into the SQL; everything else is a parameter.
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
  rate_per_minute: `sum(value) / ($3::float8 / 60.0)`,
};

const ACROSS: Record<AggregationAcross, string> = {
  sum: `sum(v)`,
  avg: `avg(v)`,
  min: `min(v)`,
  max: `max(v)`,
  count: `count(*)::float8`,
  p95: `percentile_cont(0.95) WITHIN GROUP (ORDER BY v)`,
};

/**
 * One statement for every area and point: each reading counts in every area on its path (its
 * grid and all ancestors, or the zone it was tagged with), so grouping by any level is an array
 * lookup, not a spatial join. Per point, readings in the window are reduced per entity (records
 * without an entity are one entity each), then across the entities of each area.
 */
export function observationAggregateSql(q: Pick<ObservationAggregate, 'perEntity' | 'across'>): string {
  return `
    WITH pts AS (
      SELECT generate_series($5::timestamptz, $6::timestamptz, make_interval(secs => $7::float8)) AS pt
    ),
    readings AS (
      SELECT pts.pt, p.area_id, coalesce(o.entity, o.record_key) AS entity, o.ts, o.value
        FROM observation o
        CROSS JOIN LATERAL unnest(o.area_path) AS p(area_id)
        JOIN pts ON o.ts > pts.pt - make_interval(secs => $3::float8) AND o.ts <= pts.pt + make_interval(secs => $8::float8)
       WHERE o.feed_key = $1 AND o.metric = $2
         AND o.ts > $5::timestamptz - make_interval(secs => $3::float8)
         AND o.ts <= $6::timestamptz + make_interval(secs => $8::float8)
         AND p.area_id = ANY($4::int[])
    ),
    per_entity AS (
      SELECT pt, area_id, entity, max(ts) AS ts, ${PER_ENTITY[q.perEntity]} AS v FROM readings GROUP BY pt, area_id, entity
    )
    SELECT pt, area_id AS "areaId", to_char(max(ts) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS ts,
           ${ACROSS[q.across]} AS value
      FROM per_entity GROUP BY pt, area_id
    HAVING ${ACROSS[q.across]} IS NOT NULL
     ORDER BY pt, area_id`;
}

export function observationAggregateParams(q: ObservationAggregate): unknown[] {
  return [q.feed, q.metric, q.windowSeconds, q.areaIds, q.from, q.to, q.stepSeconds, q.leadSeconds];
}
