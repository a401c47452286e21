import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { IndicatorSummaryPoint, IndicatorThresholds } from '@cityops/contracts';
import { inScopeSql, type ScopeRoots } from '@cityops/geo';

/** How an indicator is computed from the latest observations. */
export type IndicatorKind = 'latest_ratio_to_capacity';

export interface LatestRatioParams {
  feed: string;
  metric: string;
  zoneSet: string;
}

export interface IndicatorDefinition {
  key: string;
  name: string;
  nameEn: string | null;
  description: string | null;
  unit: string | null;
  kind: IndicatorKind;
  params: LatestRatioParams;
  sourceFeeds: string[];
  thresholds: IndicatorThresholds | null;
  enabled: boolean;
}

interface IndicatorRow {
  key: string;
  name: string;
  name_en: string | null;
  description: string | null;
  unit: string | null;
  kind: IndicatorKind;
  params: LatestRatioParams;
  source_feeds: string[];
  thresholds: IndicatorThresholds | null;
  enabled: boolean;
}

/** A value to store: for one area, at the time of the data it was computed from. */
export interface ComputedValue {
  areaId: number;
  /** ISO 8601. */
  ts: string;
  value: number;
  numerator: number | null;
  denominator: number | null;
}

export type StoredValue = ComputedValue;

const toDefinition = (r: IndicatorRow): IndicatorDefinition => ({
  key: r.key,
  name: r.name,
  nameEn: r.name_en,
  description: r.description,
  unit: r.unit,
  kind: r.kind,
  params: r.params,
  sourceFeeds: r.source_feeds,
  thresholds: r.thresholds,
  enabled: r.enabled,
});

@Injectable()
export class IndicatorRepository {
  constructor(private readonly db: DataSource) {}

  async find(key: string): Promise<IndicatorDefinition | null> {
    const rows: IndicatorRow[] = await this.db.query(`SELECT * FROM indicator WHERE key = $1`, [key]);
    return rows[0] ? toDefinition(rows[0]) : null;
  }

  async list(): Promise<IndicatorDefinition[]> {
    const rows: IndicatorRow[] = await this.db.query(`SELECT * FROM indicator ORDER BY key`);
    return rows.map(toDefinition);
  }

  async keysFedBy(feedKey: string): Promise<string[]> {
    const rows: { key: string }[] = await this.db.query(`SELECT key FROM indicator WHERE enabled AND source_feeds @> ARRAY[$1]::text[]`, [
      feedKey,
    ]);
    return rows.map((r) => r.key);
  }

  async upsert(d: IndicatorDefinition): Promise<void> {
    await this.db.query(
      `INSERT INTO indicator (key, name, name_en, description, unit, kind, params, source_feeds, thresholds, enabled)
       VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8, $9::jsonb, $10)
       ON CONFLICT (key) DO UPDATE SET name = EXCLUDED.name, name_en = EXCLUDED.name_en, description = EXCLUDED.description,
         unit = EXCLUDED.unit, kind = EXCLUDED.kind, params = EXCLUDED.params, source_feeds = EXCLUDED.source_feeds,
         thresholds = EXCLUDED.thresholds, enabled = EXCLUDED.enabled, updated_at = now()`,
      [
        d.key,
        d.name,
        d.nameEn,
        d.description,
        d.unit,
        d.kind,
        JSON.stringify(d.params),
        d.sourceFeeds,
        d.thresholds ? JSON.stringify(d.thresholds) : null,
        d.enabled,
      ],
    );
  }

  /** Names of the indicators among `keys`. */
  async names(keys: string[]): Promise<Map<string, string>> {
    if (keys.length === 0) return new Map();
    const rows: { key: string; name: string }[] = await this.db.query(`SELECT key, name FROM indicator WHERE key = ANY($1::text[])`, [
      keys,
    ]);
    return new Map(rows.map((r) => [r.key, r.name]));
  }

  /** Stores computed values; a value already stored for the same area and time is replaced only if it changed. */
  async storeValues(key: string, values: ComputedValue[]): Promise<void> {
    if (values.length === 0) return;
    await this.db.query(
      `INSERT INTO indicator_value (indicator_key, area_id, ts, value, numerator, denominator)
       SELECT $1, r.area_id, r.ts, r.value, r.numerator, r.denominator
         FROM jsonb_to_recordset($2::jsonb) AS r(area_id int, ts timestamptz, value float8, numerator float8, denominator float8)
       ON CONFLICT (indicator_key, area_id, ts) DO UPDATE
         SET value = EXCLUDED.value, numerator = EXCLUDED.numerator, denominator = EXCLUDED.denominator, computed_at = now()
         WHERE indicator_value.value IS DISTINCT FROM EXCLUDED.value`,
      [
        key,
        JSON.stringify(
          values.map((v) => ({ area_id: v.areaId, ts: v.ts, value: v.value, numerator: v.numerator, denominator: v.denominator })),
        ),
      ],
    );
  }

  /**
   * Each area's newest value in the scope (areas as ids; geo names them). The areas with values
   * are walked on the primary key (one index probe each, however long the history), those in the
   * scope kept, and each one's newest row read backwards from the same index: the cost grows with
   * the number of areas, not of stored values.
   */
  async latest(key: string, scope: ScopeRoots = null): Promise<StoredValue[]> {
    const rows: { area_id: number; value: number; numerator: number | null; denominator: number | null; ts: Date }[] = await this.db.query(
      `WITH RECURSIVE areas AS (
         SELECT (SELECT min(area_id) FROM indicator_value WHERE indicator_key = $1) AS id
         UNION ALL
         SELECT (SELECT min(area_id) FROM indicator_value WHERE indicator_key = $1 AND area_id > areas.id)
           FROM areas WHERE areas.id IS NOT NULL
       )
       SELECT areas.id AS area_id, v.value, v.numerator, v.denominator, v.ts
         FROM areas
         CROSS JOIN LATERAL (
           SELECT value, numerator, denominator, ts FROM indicator_value
            WHERE indicator_key = $1 AND area_id = areas.id
            ORDER BY ts DESC LIMIT 1) v
        WHERE ${inScopeSql('areas.id', 2)}
        ORDER BY areas.id`,
      [key, scope],
    );
    return rows.map((r) => ({
      areaId: r.area_id,
      value: r.value,
      numerator: r.numerator,
      denominator: r.denominator,
      ts: r.ts.toISOString(),
    }));
  }

  async values(
    key: string,
    areaId: number | undefined,
    from: Date,
    to: Date,
    limit: number,
    scope: ScopeRoots = null,
  ): Promise<{ areaId: number; ts: string; value: number; numerator: number | null; denominator: number | null }[]> {
    const rows: { area_id: number; ts: Date; value: number; numerator: number | null; denominator: number | null }[] = await this.db.query(
      `SELECT area_id, ts, value, numerator, denominator FROM indicator_value
        WHERE indicator_key = $1 AND ($2::int IS NULL OR area_id = $2) AND ts >= $3 AND ts < $4 AND ${inScopeSql('area_id', 6)}
        ORDER BY ts LIMIT $5`,
      [key, areaId ?? null, from, to, limit, scope],
    );
    return rows.map((r) => ({
      areaId: r.area_id,
      ts: r.ts.toISOString(),
      value: r.value,
      numerator: r.numerator,
      denominator: r.denominator,
    }));
  }

  /**
   * Per time bucket, the state of every area at the end of the bucket (its last value in it),
   * summed: the series behind the wall's KPI sparklines. Only the scope's areas count.
   */
  async summary(
    key: string,
    from: Date,
    bucketSeconds: number,
    warning: number,
    critical: number,
    scope: ScopeRoots = null,
  ): Promise<IndicatorSummaryPoint[]> {
    const rows: { bucket: Date; areas: number; sum: number | null; warn: number; crit: number; max: number | null }[] = await this.db.query(
      `WITH last_in_bucket AS (
         SELECT DISTINCT ON (b, area_id) b, area_id, value, numerator
           FROM (SELECT to_timestamp(floor(extract(epoch FROM ts) / $3) * $3) AS b, area_id, value, numerator, ts
                   FROM indicator_value WHERE indicator_key = $1 AND ts >= $2 AND ${inScopeSql('area_id', 6)}) x
          ORDER BY b, area_id, ts DESC
       )
       SELECT b AS bucket, count(*)::int AS areas, sum(numerator)::float8 AS sum,
              count(*) FILTER (WHERE value >= $4)::int AS warn, count(*) FILTER (WHERE value >= $5)::int AS crit,
              max(value)::float8 AS max
         FROM last_in_bucket GROUP BY b ORDER BY b`,
      [key, from, bucketSeconds, warning, critical, scope],
    );
    return rows.map((r) => ({
      ts: r.bucket.toISOString(),
      areas: r.areas,
      sumNumerator: r.sum ?? 0,
      atOrAboveWarning: r.warn,
      atOrAboveCritical: r.crit,
      maxValue: r.max ?? 0,
    }));
  }
}
