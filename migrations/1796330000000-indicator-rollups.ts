import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Indicator history at three resolutions: raw values for a day, 1-minute rollups for a month,
 * 1-hour rollups for longer (retention in the config).
 *
 * Raw values arrive fast (the marathon: 21 areas every 3 s; the living city: ~1,000 areas every
 * 10–30 s per indicator), so `indicator_value` becomes partitioned by day like `observation`:
 * retention drops a whole day's table instead of deleting millions of rows every hour. The
 * 1-minute rollups (a month of minutes per area) are partitioned the same way; the 1-hour rollups
 * are small enough to stay one table. The primary key keeps its columns, so `ON CONFLICT
 * (indicator_key, area_id, ts)` of the writers works unchanged on the partitioned table.
 *
 * Existing values move into the new table: today's and the surrounding days into their day's
 * partition, older ones into the default partition, from where retention deletes them once the
 * rollup job has rolled them up (it starts from the oldest value).
 */
export class IndicatorRollups1796330000000 implements MigrationInterface {
  name = 'IndicatorRollups1796330000000';

  async up(q: QueryRunner): Promise<void> {
    // Creates the daily partitions [first_day, first_day + days) of `parent` (partitioned by range
    // on `key_column`) that do not exist yet, named <parent>_pYYYYMMDD; rows already in the
    // default partition for such a day move into it first (ATTACH would refuse otherwise).
    await q.query(`
      CREATE FUNCTION cityops_ensure_daily_partitions(parent text, key_column text, first_day date, days integer)
      RETURNS integer LANGUAGE plpgsql AS $fn$
      DECLARE
        d date;
        part text;
        created integer := 0;
      BEGIN
        FOR i IN 0 .. days - 1 LOOP
          d := first_day + i;
          part := parent || '_p' || to_char(d, 'YYYYMMDD');
          CONTINUE WHEN to_regclass(part) IS NOT NULL;
          EXECUTE format('CREATE TABLE %I (LIKE %I INCLUDING DEFAULTS INCLUDING CONSTRAINTS)', part, parent);
          EXECUTE format(
            'WITH moved AS (DELETE FROM %I WHERE %I >= %L AND %I < %L RETURNING *) INSERT INTO %I SELECT * FROM moved',
            parent || '_default', key_column, d, key_column, d + 1, part);
          EXECUTE format('ALTER TABLE %I ATTACH PARTITION %I FOR VALUES FROM (%L) TO (%L)', parent, part, d, d + 1);
          created := created + 1;
        END LOOP;
        RETURN created;
      END
      $fn$`);

    await q.query(`ALTER TABLE indicator_value RENAME TO indicator_value_unpartitioned`);
    await q.query(`ALTER TABLE indicator_value_unpartitioned RENAME CONSTRAINT indicator_value_pkey TO indicator_value_unpartitioned_pkey`);
    await q.query(`DROP INDEX IF EXISTS indicator_value_key_ts`);
    // LIKE keeps every column (and its order, for the INSERT … SELECT * below) whatever earlier migrations added.
    await q.query(`
      CREATE TABLE indicator_value (
        LIKE indicator_value_unpartitioned INCLUDING DEFAULTS INCLUDING CONSTRAINTS,
        PRIMARY KEY (indicator_key, area_id, ts),
        CONSTRAINT indicator_value_indicator_key_fkey FOREIGN KEY (indicator_key) REFERENCES indicator(key) ON DELETE CASCADE,
        CONSTRAINT indicator_value_area_id_fkey FOREIGN KEY (area_id) REFERENCES area(id) ON DELETE CASCADE
      ) PARTITION BY RANGE (ts)`);
    await q.query(`CREATE INDEX indicator_value_key_ts ON indicator_value (indicator_key, ts DESC)`);
    // The rollup job finds values stored since its last run (late ones included) on this index.
    await q.query(`CREATE INDEX indicator_value_computed_at ON indicator_value (computed_at)`);
    // Each run reads the minutes just closed, of every indicator: a time range across keys. Values
    // arrive in time order, so a BRIN index finds it for almost no cost on writes.
    await q.query(`CREATE INDEX indicator_value_ts_brin ON indicator_value USING brin (ts) WITH (pages_per_range = 32)`);
    await q.query(`CREATE TABLE indicator_value_default PARTITION OF indicator_value DEFAULT`);
    await q.query(`SELECT cityops_ensure_daily_partitions('indicator_value', 'ts', (now() AT TIME ZONE 'UTC')::date - 1, 4)`);
    await q.query(`INSERT INTO indicator_value SELECT * FROM indicator_value_unpartitioned`);
    await q.query(`DROP TABLE indicator_value_unpartitioned`);

    const rollupColumns = `
        indicator_key text NOT NULL REFERENCES indicator(key) ON DELETE CASCADE,
        area_id integer NOT NULL REFERENCES area(id) ON DELETE CASCADE,
        -- start of the bucket (aligned on the Unix epoch, whatever the time zone)
        bucket timestamptz NOT NULL,
        avg double precision NOT NULL,
        min double precision NOT NULL,
        max double precision NOT NULL,
        -- the bucket's newest value
        last double precision NOT NULL,
        count integer NOT NULL CHECK (count > 0),
        PRIMARY KEY (indicator_key, area_id, bucket)`;
    await q.query(`CREATE TABLE indicator_value_1m (${rollupColumns}) PARTITION BY RANGE (bucket)`);
    await q.query(`CREATE INDEX indicator_value_1m_key_bucket ON indicator_value_1m (indicator_key, bucket)`);
    await q.query(`CREATE INDEX indicator_value_1m_bucket_brin ON indicator_value_1m USING brin (bucket) WITH (pages_per_range = 32)`);
    await q.query(`CREATE TABLE indicator_value_1m_default PARTITION OF indicator_value_1m DEFAULT`);
    await q.query(`SELECT cityops_ensure_daily_partitions('indicator_value_1m', 'bucket', (now() AT TIME ZONE 'UTC')::date - 1, 4)`);
    await q.query(`CREATE TABLE indicator_value_1h (${rollupColumns})`);
    await q.query(`CREATE INDEX indicator_value_1h_key_bucket ON indicator_value_1h (indicator_key, bucket)`);

    // How far each rollup has gone: every bucket before `rolled_to` is closed and rolled up;
    // values stored (computed_at) since `changes_seen_at` are looked at again (late values).
    // Null: nothing rolled yet, so the first run starts from the oldest raw value.
    await q.query(`
      CREATE TABLE indicator_rollup_watermark (
        rollup text PRIMARY KEY CHECK (rollup IN ('1m', '1h')),
        rolled_to timestamptz,
        changes_seen_at timestamptz,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`INSERT INTO indicator_rollup_watermark (rollup) VALUES ('1m'), ('1h')`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS indicator_rollup_watermark`);
    await q.query(`DROP TABLE IF EXISTS indicator_value_1h`);
    await q.query(`DROP TABLE IF EXISTS indicator_value_1m`);
    // Raw values go back into one plain table (history older than retention is gone either way).
    await q.query(`ALTER TABLE indicator_value RENAME TO indicator_value_partitioned`);
    await q.query(`ALTER TABLE indicator_value_partitioned RENAME CONSTRAINT indicator_value_pkey TO indicator_value_partitioned_pkey`);
    await q.query(`DROP INDEX IF EXISTS indicator_value_key_ts`);
    await q.query(`
      CREATE TABLE indicator_value (
        LIKE indicator_value_partitioned INCLUDING DEFAULTS INCLUDING CONSTRAINTS,
        PRIMARY KEY (indicator_key, area_id, ts),
        CONSTRAINT indicator_value_indicator_key_fkey FOREIGN KEY (indicator_key) REFERENCES indicator(key) ON DELETE CASCADE,
        CONSTRAINT indicator_value_area_id_fkey FOREIGN KEY (area_id) REFERENCES area(id) ON DELETE CASCADE
      )`);
    await q.query(`INSERT INTO indicator_value SELECT * FROM indicator_value_partitioned`);
    await q.query(`DROP TABLE indicator_value_partitioned`);
    await q.query(`CREATE INDEX indicator_value_key_ts ON indicator_value (indicator_key, ts DESC)`);
    await q.query(`DROP FUNCTION IF EXISTS cityops_ensure_daily_partitions(text, text, date, integer)`);
  }
}
