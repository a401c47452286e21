import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { HistoryResolution, IndicatorHistoryPoint } from '@cityops/contracts';
import { inScopeSql, type ScopeRoots } from '@cityops/geo';

/** Buckets are aligned on the Unix epoch, so they are the same in every time zone. */
const ORIGIN = `TIMESTAMPTZ '1970-01-01 00:00:00+00'`;

/**
 * A transaction that started before a run may commit its values after it with an older
 * `computed_at`: values stored this long before a run are looked at again by the next one.
 */
const LATE_MARGIN = `interval '2 minutes'`;

/** The daily-partitioned history tables. */
export type PartitionedHistoryTable = 'indicator_value' | 'indicator_value_1m';

const PARTITION: Record<PartitionedHistoryTable, RegExp> = {
  indicator_value: /^indicator_value_p(\d{4})(\d{2})(\d{2})$/,
  indicator_value_1m: /^indicator_value_1m_p(\d{4})(\d{2})(\d{2})$/,
};
const KEY_COLUMN: Record<PartitionedHistoryTable, string> = { indicator_value: 'ts', indicator_value_1m: 'bucket' };

export interface HistoryPartition {
  name: string;
  /** YYYY-MM-DD (UTC). */
  day: string;
}

/** What one rollup step did. */
export interface RollupStep {
  /** Another worker holds the rollup: this one did nothing. */
  busy: boolean;
  minuteBuckets: number;
  hourBuckets: number;
  /** Every closed minute is rolled up (false: the step stopped at its span; run another). */
  caughtUp: boolean;
  minutesRolledTo: Date | null;
}

export interface RollupMarks {
  /** Every 1-minute bucket before this is closed and rolled up (null: nothing rolled yet). */
  minuteTo: Date | null;
  hourTo: Date | null;
}

interface BucketRow {
  area_id: number;
  bucket: Date;
  avg: number;
  min: number;
  max: number;
  last: number;
  count: number;
}

/** Per bucket of raw values: average, extremes, the newest value and how many. */
const RAW_AGGREGATES = `avg(value) AS avg, min(value) AS min, max(value) AS max, (array_agg(value ORDER BY ts DESC))[1] AS last, count(*)::int AS count`;

const UPSERT_SET = `SET avg = EXCLUDED.avg, min = EXCLUDED.min, max = EXCLUDED.max, last = EXCLUDED.last, count = EXCLUDED.count`;
const changed = (table: string) =>
  `WHERE (${table}.avg, ${table}.min, ${table}.max, ${table}.last, ${table}.count)
         IS DISTINCT FROM (EXCLUDED.avg, EXCLUDED.min, EXCLUDED.max, EXCLUDED.last, EXCLUDED.count)`;

/**
 * Indicator history: raw values partitioned by day, their 1-minute and 1-hour rollups, and the
 * watermark of how far the rollups have gone.
 */
@Injectable()
export class IndicatorHistoryRepository {
  constructor(private readonly db: DataSource) {}

  async indicatorExists(key: string): Promise<boolean> {
    const rows: unknown[] = await this.db.query(`SELECT 1 FROM indicator WHERE key = $1`, [key]);
    return rows.length > 0;
  }

  async marks(): Promise<RollupMarks> {
    const rows: { rollup: string; rolled_to: Date | null }[] = await this.db.query(
      `SELECT rollup, rolled_to FROM indicator_rollup_watermark`,
    );
    const of = (rollup: string) => rows.find((r) => r.rollup === rollup)?.rolled_to ?? null;
    return { minuteTo: of('1m'), hourTo: of('1h') };
  }

  /**
   * Rolls up, in one transaction, the closed minutes from the watermark on (at most `maxSpanMs`
   * of them) and the closed hours they complete, plus every bucket that received a value since
   * the last step (a late value, or a changed one) as long as its raw values are all still kept
   * (from `rawCutoff` on). Recomputing a bucket from the same values gives the same row, so a
   * step may repeat work safely; one worker at a time (an advisory lock), the others skip.
   */
  rollupStep(rawCutoff: Date, maxSpanMs: number): Promise<RollupStep> {
    return this.db.transaction(async (m) => {
      const [lock] = await m.query<{ ok: boolean }[]>(`SELECT pg_try_advisory_xact_lock(hashtext('cityops:indicator.rollup')) AS ok`);
      if (!lock.ok) return { busy: true, minuteBuckets: 0, hourBuckets: 0, caughtUp: false, minutesRolledTo: null };
      const [w] = await m.query<{ minute_to: Date | null; seen: Date | null; hour_to: Date | null; now_minute: Date }[]>(
        `SELECT m.rolled_to AS minute_to, m.changes_seen_at AS seen, h.rolled_to AS hour_to,
                date_bin('1 minute', now(), ${ORIGIN}) AS now_minute
           FROM indicator_rollup_watermark m, indicator_rollup_watermark h
          WHERE m.rollup = '1m' AND h.rollup = '1h'
            FOR UPDATE`,
      );
      const start = w.minute_to ?? (await this.oldestMinute(m)) ?? w.now_minute;
      const end = new Date(Math.min(w.now_minute.getTime(), start.getTime() + maxSpanMs));
      const hourStart = w.hour_to ?? floorTo(start, 3600_000);
      const hourEnd = new Date(Math.max(hourStart.getTime(), floorTo(end, 3600_000).getTime()));

      const minutes: { n: number }[] = await m.query(
        `WITH late AS (
           SELECT DISTINCT indicator_key, area_id, date_bin('1 minute', ts, ${ORIGIN}) AS bucket
             FROM indicator_value
            WHERE computed_at >= $3 AND ts >= $4 AND ts < $1
         ), v AS (
           SELECT indicator_key, area_id, date_bin('1 minute', ts, ${ORIGIN}) AS bucket, value, ts
             FROM indicator_value WHERE ts >= $1 AND ts < $2
           UNION ALL
           SELECT v.indicator_key, v.area_id, late.bucket, v.value, v.ts
             FROM late JOIN indicator_value v
               ON v.indicator_key = late.indicator_key AND v.area_id = late.area_id
              AND v.ts >= late.bucket AND v.ts < late.bucket + interval '1 minute'
         ), up AS (
           INSERT INTO indicator_value_1m (indicator_key, area_id, bucket, avg, min, max, last, count)
           SELECT indicator_key, area_id, bucket, ${RAW_AGGREGATES} FROM v GROUP BY indicator_key, area_id, bucket
           ON CONFLICT (indicator_key, area_id, bucket) DO UPDATE ${UPSERT_SET} ${changed('indicator_value_1m')}
           RETURNING 1
         )
         SELECT count(*)::int AS n FROM up`,
        [start, end, w.seen, rawCutoff],
      );
      // Hours from the minutes (this statement sees the minutes the one above wrote).
      const hours: { n: number }[] = await m.query(
        `WITH late AS (
           SELECT DISTINCT indicator_key, area_id, date_bin('1 hour', ts, ${ORIGIN}) AS bucket
             FROM indicator_value
            WHERE computed_at >= $3 AND ts >= $4 AND ts < $1
         ), mm AS (
           SELECT indicator_key, area_id, date_bin('1 hour', bucket, ${ORIGIN}) AS hour, bucket, avg, min, max, last, count
             FROM indicator_value_1m WHERE bucket >= $1 AND bucket < $2
           UNION ALL
           SELECT mm.indicator_key, mm.area_id, late.bucket, mm.bucket, mm.avg, mm.min, mm.max, mm.last, mm.count
             FROM late JOIN indicator_value_1m mm
               ON mm.indicator_key = late.indicator_key AND mm.area_id = late.area_id
              AND mm.bucket >= late.bucket AND mm.bucket < late.bucket + interval '1 hour'
         ), up AS (
           INSERT INTO indicator_value_1h (indicator_key, area_id, bucket, avg, min, max, last, count)
           SELECT indicator_key, area_id, hour, sum(avg * count) / sum(count), min(min), max(max),
                  (array_agg(last ORDER BY bucket DESC))[1], sum(count)::int
             FROM mm GROUP BY indicator_key, area_id, hour
           ON CONFLICT (indicator_key, area_id, bucket) DO UPDATE ${UPSERT_SET} ${changed('indicator_value_1h')}
           RETURNING 1
         )
         SELECT count(*)::int AS n FROM up`,
        [hourStart, hourEnd, w.seen, rawCutoff],
      );
      await m.query(
        `UPDATE indicator_rollup_watermark
            SET rolled_to = CASE rollup WHEN '1m' THEN $1::timestamptz ELSE $2::timestamptz END,
                changes_seen_at = now() - ${LATE_MARGIN}, updated_at = now()`,
        [end, hourEnd],
      );
      return {
        busy: false,
        minuteBuckets: minutes[0]?.n ?? 0,
        hourBuckets: hours[0]?.n ?? 0,
        caughtUp: end.getTime() >= w.now_minute.getTime(),
        minutesRolledTo: end,
      };
    });
  }

  /** The minute of the oldest raw value (only asked before the first rollup, when there is no watermark). */
  private async oldestMinute(m: EntityManager): Promise<Date | null> {
    const rows: { t: Date | null }[] = await m.query(`SELECT date_bin('1 minute', min(ts), ${ORIGIN}) AS t FROM indicator_value`);
    return rows[0]?.t ?? null;
  }

  /** Creates the missing daily partitions [today + fromDay, … + days) of both partitioned tables; answers how many. */
  async ensurePartitions(fromDay: number, days: number): Promise<number> {
    let created = 0;
    for (const table of Object.keys(PARTITION) as PartitionedHistoryTable[]) {
      const rows: { n: number }[] = await this.db.query(
        `SELECT cityops_ensure_daily_partitions($1, $2, (now() AT TIME ZONE 'UTC')::date + $3::int, $4::int) AS n`,
        [table, KEY_COLUMN[table], fromDay, days],
      );
      created += rows[0]?.n ?? 0;
    }
    return created;
  }

  /** The daily partitions of a table, oldest first (the default partition is not one). */
  async partitions(table: PartitionedHistoryTable): Promise<HistoryPartition[]> {
    const rows: { name: string }[] = await this.db.query(
      `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
        WHERE i.inhparent = $1::regclass ORDER BY c.relname`,
      [table],
    );
    return rows.flatMap((r) => {
      const match = PARTITION[table].exec(r.name);
      return match ? [{ name: r.name, day: `${match[1]}-${match[2]}-${match[3]}` }] : [];
    });
  }

  async dropPartition(table: PartitionedHistoryTable, p: HistoryPartition): Promise<void> {
    await this.db.query(`DROP TABLE ${partitionName(table, p)}`);
  }

  /**
   * Drops a day of raw values but keeps, in the default partition, each area's newest value when
   * none came after it: an area that went quiet still has its latest value (what /latest shows
   * and what no-data checks measure the silence from), however long ago that was.
   */
  dropRawPartitionKeepingNewest(p: HistoryPartition): Promise<void> {
    const name = partitionName('indicator_value', p);
    return this.db.transaction(async (m) => {
      await m.query(
        `CREATE TEMP TABLE indicator_value_kept ON COMMIT DROP AS
         SELECT n.* FROM (SELECT DISTINCT ON (indicator_key, area_id) * FROM ${name} ORDER BY indicator_key, area_id, ts DESC) n
          WHERE NOT EXISTS (SELECT 1 FROM indicator_value v WHERE v.indicator_key = n.indicator_key AND v.area_id = n.area_id AND v.ts > n.ts)`,
      );
      await m.query(`DROP TABLE ${name}`);
      // The day has no partition any more: its kept rows go to the default one.
      await m.query(`INSERT INTO indicator_value SELECT * FROM indicator_value_kept`);
    });
  }

  /**
   * Rows the default partition caught (days without a partition) older than `cutoff`; answers how
   * many went. Of raw values, each area's newest stays (see dropRawPartitionKeepingNewest).
   */
  async deleteFromDefault(table: PartitionedHistoryTable, cutoff: Date): Promise<number> {
    const sql =
      table === 'indicator_value'
        ? `WITH gone AS (
             DELETE FROM indicator_value_default d WHERE ts < $1
                AND EXISTS (SELECT 1 FROM indicator_value v WHERE v.indicator_key = d.indicator_key AND v.area_id = d.area_id AND v.ts > d.ts)
             RETURNING 1)
           SELECT count(*)::int AS n FROM gone`
        : `WITH gone AS (DELETE FROM indicator_value_1m_default WHERE bucket < $1 RETURNING 1) SELECT count(*)::int AS n FROM gone`;
    const rows: { n: number }[] = await this.db.query(sql, [cutoff]);
    return rows[0]?.n ?? 0;
  }

  async deleteHoursBefore(cutoff: Date): Promise<number> {
    const rows: { n: number }[] = await this.db.query(
      `WITH gone AS (DELETE FROM indicator_value_1h WHERE bucket < $1 RETURNING 1) SELECT count(*)::int AS n FROM gone`,
      [cutoff],
    );
    return rows[0]?.n ?? 0;
  }

  /** Every area's raw values in [from, to], by area, oldest first (no limit: callers bound the window). */
  async series(key: string, from: Date, to: Date): Promise<{ areaId: number; ts: Date; value: number }[]> {
    const rows: { area_id: number; ts: Date; value: number }[] = await this.db.query(
      `SELECT area_id, ts, value FROM indicator_value WHERE indicator_key = $1 AND ts >= $2 AND ts <= $3 ORDER BY area_id, ts`,
      [key, from, to],
    );
    return rows.map((r) => ({ areaId: r.area_id, ts: r.ts, value: r.value }));
  }

  /** Raw values of the scope's areas in [from, to), oldest first. */
  async raw(
    key: string,
    areaId: number | undefined,
    from: Date,
    to: Date,
    limit: number,
    scope: ScopeRoots,
  ): Promise<IndicatorHistoryPoint[]> {
    const rows: { area_id: number; ts: Date; value: number; numerator: number | null; denominator: number | null }[] = await this.db.query(
      `SELECT area_id, ts, value, numerator, denominator FROM indicator_value
        WHERE indicator_key = $1 AND ($2::int IS NULL OR area_id = $2) AND ts >= $3 AND ts < $4 AND ${inScopeSql('area_id', 6)}
        ORDER BY ts, area_id LIMIT $5`,
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
   * Buckets of the scope's areas starting in [from, to) (both on bucket boundaries), oldest
   * first: the rolled-up ones from the rollup table, those past its watermark (the bucket still
   * open, a minute the job has not reached yet) computed from the raw values the same way.
   */
  async buckets(
    resolution: Exclude<HistoryResolution, 'raw'>,
    key: string,
    areaId: number | undefined,
    from: Date,
    to: Date,
    limit: number,
    scope: ScopeRoots,
  ): Promise<IndicatorHistoryPoint[]> {
    const table = resolution === '1m' ? 'indicator_value_1m' : 'indicator_value_1h';
    const width = resolution === '1m' ? '1 minute' : '1 hour';
    const rows: BucketRow[] = await this.db.query(
      `WITH mark AS (
         SELECT coalesce(rolled_to, '-infinity') AS t FROM indicator_rollup_watermark WHERE rollup = $7
       )
       SELECT area_id, bucket, avg, min, max, last, count FROM ${table}
        WHERE indicator_key = $1 AND ($2::int IS NULL OR area_id = $2) AND bucket >= $3 AND bucket < $4
          AND bucket < (SELECT t FROM mark) AND ${inScopeSql('area_id', 6)}
       UNION ALL
       SELECT area_id, date_bin('${width}', ts, ${ORIGIN}) AS bucket, ${RAW_AGGREGATES}
         FROM indicator_value
        WHERE indicator_key = $1 AND ($2::int IS NULL OR area_id = $2) AND ts >= greatest($3, (SELECT t FROM mark)) AND ts < $4
          AND ${inScopeSql('area_id', 6)}
        GROUP BY area_id, 2
       ORDER BY bucket, area_id LIMIT $5`,
      [key, areaId ?? null, from, to, limit, scope, resolution],
    );
    return rows.map((r) => ({
      areaId: r.area_id,
      ts: r.bucket.toISOString(),
      value: r.avg,
      numerator: null,
      denominator: null,
      min: r.min,
      max: r.max,
      last: r.last,
      count: r.count,
    }));
  }
}

/** A partition's name goes into DDL unquoted: only a name of the table's own pattern gets there. */
function partitionName(table: PartitionedHistoryTable, p: HistoryPartition): string {
  if (!PARTITION[table].test(p.name)) throw new Error(`not a partition of ${table}: ${p.name}`);
  return p.name;
}

function floorTo(t: Date, ms: number): Date {
  return new Date(Math.floor(t.getTime() / ms) * ms);
}
