import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Each area's newest value of each indicator, one row per (indicator, area), kept by the writer
 * beside the history. The wall, `/latest` and every recomputation's live event read it: read from
 * the day-partitioned history, "the newest of each area" costs two index probes per area and
 * partition, which for an indicator over 2,000 grids was more work than computing it.
 * Filled from the history's newest rows (the history keeps each area's newest value however old).
 */
export class IndicatorLatest1796340000000 implements MigrationInterface {
  name = 'IndicatorLatest1796340000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE indicator_latest (
        indicator_key text NOT NULL REFERENCES indicator(key) ON DELETE CASCADE,
        area_id integer NOT NULL REFERENCES area(id) ON DELETE CASCADE,
        ts timestamptz NOT NULL,
        value double precision NOT NULL,
        numerator double precision,
        denominator double precision,
        computed_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (indicator_key, area_id)
      )`);
    await q.query(`
      INSERT INTO indicator_latest (indicator_key, area_id, ts, value, numerator, denominator, computed_at)
      SELECT DISTINCT ON (indicator_key, area_id) indicator_key, area_id, ts, value, numerator, denominator, computed_at
        FROM indicator_value ORDER BY indicator_key, area_id, ts DESC`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE indicator_latest`);
  }
}
