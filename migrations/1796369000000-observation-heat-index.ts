import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The heat tiles read one metric of one feed over the last minutes. The feed's other index leads
 * with the entity, which such a read does not name, so without this one every heat tile scanned
 * the day's partition. Partial on located rows: only they can appear in a tile.
 */
export class ObservationHeatIndex1796369000000 implements MigrationInterface {
  name = 'ObservationHeatIndex1796369000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX observation_feed_metric_ts_located ON observation (feed_key, metric, ts DESC) WHERE geom IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS observation_feed_metric_ts_located`);
  }
}
