import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type {
  IndicatorDefinitionView,
  IndicatorFormat,
  IndicatorGrouping,
  IndicatorSource,
  IndicatorSummaryPoint,
  IndicatorWrite,
  ThresholdOperator,
  ThresholdSpec,
} from '@cityops/contracts';
import { inScopeSql, type ScopeRoots } from '@cityops/geo';

/** A stored definition, as the API answers it. */
export type IndicatorDefinition = IndicatorDefinitionView;

interface IndicatorRow {
  key: string;
  name: string;
  name_en: string | null;
  theme: string;
  unit: string | null;
  format: IndicatorFormat;
  description: string | null;
  description_en: string | null;
  grouping: IndicatorGrouping;
  source: IndicatorSource;
  thresholds: ThresholdSpec | null;
  evaluate_every_seconds: number | null;
  enabled: boolean;
  reads: string[];
  created_at: Date;
  updated_at: Date;
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
  theme: r.theme,
  unit: r.unit,
  format: r.format,
  description: r.description,
  descriptionEn: r.description_en,
  grouping: r.grouping,
  source: r.source,
  thresholds: r.thresholds,
  evaluateEverySeconds: r.evaluate_every_seconds,
  enabled: r.enabled,
  reads: r.reads,
  createdAt: r.created_at.toISOString(),
  updatedAt: r.updated_at.toISOString(),
});

/** How an area's value compares with a threshold, as SQL over `value` ($op, $value given). */
const holdsSql = (op: string, value: string) =>
  `CASE ${op} WHEN '>=' THEN value >= ${value} WHEN '>' THEN value > ${value} WHEN '<=' THEN value <= ${value} ELSE value < ${value} END`;

@Injectable()
export class IndicatorRepository {
  constructor(private readonly db: DataSource) {}

  /** Definition writes take one lock, so two writes cannot make a cycle between them. */
  transaction<T>(work: (m: EntityManager) => Promise<T>): Promise<T> {
    return this.db.transaction(async (m) => {
      await m.query(`SELECT pg_advisory_xact_lock(hashtext('cityops.indicator-definitions'))`);
      return work(m);
    });
  }

  async find(key: string, m: EntityManager | DataSource = this.db): Promise<IndicatorDefinition | null> {
    const rows: IndicatorRow[] = await m.query(`SELECT * FROM indicator WHERE key = $1`, [key]);
    return rows[0] ? toDefinition(rows[0]) : null;
  }

  async list(): Promise<IndicatorDefinition[]> {
    const rows: IndicatorRow[] = await this.db.query(`SELECT * FROM indicator ORDER BY key`);
    return rows.map(toDefinition);
  }

  /** Every indicator with the indicators it reads: what cycles and missing references are checked against. */
  async readsGraph(m: EntityManager | DataSource = this.db): Promise<Map<string, string[]>> {
    const rows: { key: string; reads: string[] }[] = await m.query(`SELECT key, reads FROM indicator`);
    return new Map(rows.map((r) => [r.key, r.reads]));
  }

  async keysFedBy(feedKey: string): Promise<string[]> {
    const rows: { key: string }[] = await this.db.query(`SELECT key FROM indicator WHERE enabled AND source_feeds @> ARRAY[$1]::text[]`, [
      feedKey,
    ]);
    return rows.map((r) => r.key);
  }

  /** The enabled composites that read `key`. */
  async readersOf(key: string, m: EntityManager | DataSource = this.db): Promise<string[]> {
    const rows: { key: string }[] = await m.query(`SELECT key FROM indicator WHERE enabled AND reads @> ARRAY[$1]::text[] ORDER BY key`, [
      key,
    ]);
    return rows.map((r) => r.key);
  }

  /** Enabled indicators that time alone may change: a schedule, or thresholds with a pending period, keep-firing or a no-data policy. */
  async timeDriven(): Promise<{ key: string; evaluateEverySeconds: number | null; watched: boolean }[]> {
    return this.db.query(
      `SELECT key, evaluate_every_seconds AS "evaluateEverySeconds",
              coalesce((thresholds->>'pendingSeconds')::int > 0 OR (thresholds->>'keepFiringSeconds')::int > 0
                       OR thresholds ? 'noData', false) AS watched
         FROM indicator
        WHERE enabled AND (evaluate_every_seconds IS NOT NULL OR (thresholds->>'pendingSeconds')::int > 0
              OR (thresholds->>'keepFiringSeconds')::int > 0 OR thresholds ? 'noData')`,
    );
  }

  /** Writes a definition whole (create or replace); answers it as stored. */
  async save(m: EntityManager, d: IndicatorWrite, reads: string[]): Promise<IndicatorDefinition> {
    const feeds = d.source.kind === 'aggregate' ? [d.source.feed] : [];
    const rows: IndicatorRow[] = await m.query(
      `INSERT INTO indicator (key, name, name_en, theme, unit, format, description, description_en, grouping, source,
                              thresholds, evaluate_every_seconds, enabled, reads, source_feeds)
       VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7, $8, $9::jsonb, $10::jsonb, $11::jsonb, $12, $13, $14, $15)
       ON CONFLICT (key) DO UPDATE SET name = EXCLUDED.name, name_en = EXCLUDED.name_en, theme = EXCLUDED.theme,
         unit = EXCLUDED.unit, format = EXCLUDED.format, description = EXCLUDED.description,
         description_en = EXCLUDED.description_en, grouping = EXCLUDED.grouping, source = EXCLUDED.source,
         thresholds = EXCLUDED.thresholds, evaluate_every_seconds = EXCLUDED.evaluate_every_seconds,
         enabled = EXCLUDED.enabled, reads = EXCLUDED.reads, source_feeds = EXCLUDED.source_feeds, updated_at = now()
       RETURNING *`,
      [
        d.key,
        d.name,
        d.nameEn,
        d.theme,
        d.unit,
        JSON.stringify(d.format),
        d.description,
        d.descriptionEn,
        JSON.stringify(d.grouping),
        JSON.stringify(d.source),
        d.thresholds ? JSON.stringify(d.thresholds) : null,
        d.evaluateEverySeconds,
        d.enabled,
        reads,
        feeds,
      ],
    );
    return toDefinition(rows[0]);
  }

  async delete(m: EntityManager, key: string): Promise<boolean> {
    const rows: unknown[] = await m.query(`DELETE FROM indicator WHERE key = $1 RETURNING key`, [key]);
    return rows.length > 0;
  }

  /**
   * The newest stored value (at or before each point) of each of `keys` in each of `areaIds`:
   * one index probe per (point, indicator, area) on the primary key, read backwards.
   */
  async inputsAt(
    keys: string[],
    areaIds: number[],
    points: Date[],
  ): Promise<{ pt: Date; key: string; areaId: number; ts: Date; value: number }[]> {
    if (keys.length === 0 || areaIds.length === 0 || points.length === 0) return [];
    const rows: { pt: Date; key: string; area_id: number; ts: Date; value: number }[] = await this.db.query(
      `SELECT pts.pt, k.key, a.id AS area_id, v.ts, v.value
         FROM unnest($3::timestamptz[]) AS pts(pt)
         CROSS JOIN unnest($1::text[]) AS k(key)
         CROSS JOIN unnest($2::int[]) AS a(id)
         JOIN LATERAL (
           SELECT ts, value FROM indicator_value
            WHERE indicator_key = k.key AND area_id = a.id AND ts <= pts.pt
            ORDER BY ts DESC LIMIT 1) v ON true`,
      [keys, areaIds, points],
    );
    return rows.map((r) => ({ pt: r.pt, key: r.key, areaId: r.area_id, ts: r.ts, value: r.value }));
  }

  /**
   * Stores computed values: into the history (a value already stored for the same area and time
   * replaced only if it changed) and, where newer, as the area's latest. Values equal to the
   * latest are skipped before either write, so a recomputation on unchanged data writes nothing.
   * Answers how many history rows changed.
   */
  async storeValues(key: string, values: ComputedValue[]): Promise<number> {
    if (values.length === 0) return 0;
    const rows: { n: number }[] = await this.db.query(
      `WITH input AS (
         SELECT i.* FROM unnest($2::int[], $3::timestamptz[], $4::float8[], $5::float8[], $6::float8[])
                         AS i(area_id, ts, value, numerator, denominator)
          WHERE NOT EXISTS (
            SELECT 1 FROM indicator_latest l
             WHERE l.indicator_key = $1 AND l.area_id = i.area_id
               AND (l.ts, l.value, l.numerator, l.denominator) IS NOT DISTINCT FROM (i.ts, i.value, i.numerator, i.denominator))
       ),
       written AS (
         INSERT INTO indicator_value (indicator_key, area_id, ts, value, numerator, denominator)
         SELECT $1, area_id, ts, value, numerator, denominator FROM input
         ON CONFLICT (indicator_key, area_id, ts) DO UPDATE
           SET value = EXCLUDED.value, numerator = EXCLUDED.numerator, denominator = EXCLUDED.denominator, computed_at = now()
           WHERE (indicator_value.value, indicator_value.numerator, indicator_value.denominator)
                 IS DISTINCT FROM (EXCLUDED.value, EXCLUDED.numerator, EXCLUDED.denominator)
         RETURNING 1
       ),
       newest AS (
         INSERT INTO indicator_latest (indicator_key, area_id, ts, value, numerator, denominator)
         SELECT DISTINCT ON (area_id) $1, area_id, ts, value, numerator, denominator FROM input ORDER BY area_id, ts DESC
         ON CONFLICT (indicator_key, area_id) DO UPDATE
           SET ts = EXCLUDED.ts, value = EXCLUDED.value, numerator = EXCLUDED.numerator, denominator = EXCLUDED.denominator,
               computed_at = now()
           WHERE EXCLUDED.ts >= indicator_latest.ts
       )
       -- Both inserts run whether read or not (PostgreSQL runs every data-modifying WITH to completion).
       SELECT count(*)::int AS n FROM written`,
      [
        key,
        values.map((v) => v.areaId),
        values.map((v) => v.ts),
        values.map((v) => v.value),
        values.map((v) => v.numerator),
        values.map((v) => v.denominator),
      ],
    );
    return rows[0]?.n ?? 0;
  }

  /** Each area's newest value in the scope (areas as ids; geo names them). */
  async latest(key: string, scope: ScopeRoots = null): Promise<StoredValue[]> {
    const rows: { area_id: number; value: number; numerator: number | null; denominator: number | null; ts: Date }[] = await this.db.query(
      `SELECT area_id, value, numerator, denominator, ts FROM indicator_latest
        WHERE indicator_key = $1 AND ${inScopeSql('area_id', 2)}
        ORDER BY area_id`,
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

  /**
   * Per time bucket, the state of every area at the end of the bucket (its last value in it),
   * summed: the series behind the wall's KPI sparklines. Only the scope's areas count.
   */
  async summary(
    key: string,
    from: Date,
    bucketSeconds: number,
    warning: { op: ThresholdOperator; value: number } | null,
    critical: { op: ThresholdOperator; value: number } | null,
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
              count(*) FILTER (WHERE ${holdsSql('$4::text', '$5::float8')})::int AS warn,
              count(*) FILTER (WHERE ${holdsSql('$7::text', '$8::float8')})::int AS crit,
              max(value)::float8 AS max
         FROM last_in_bucket GROUP BY b ORDER BY b`,
      [key, from, bucketSeconds, warning?.op ?? null, warning?.value ?? null, scope, critical?.op ?? null, critical?.value ?? null],
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
