import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Retention prunes each feed's entity states older than its `retention_days` in batches
 * (`EntityRepository.deleteHistoryBefore`): "this feed's states before this instant" is a range of
 * this index. The primary key (feed_key, entity_id, ts) cannot serve it without reading every
 * state of the feed.
 *
 * Built CONCURRENTLY, so a large history stays writable meanwhile (ingest keeps appending to it);
 * that cannot run inside a transaction, hence `transaction = false` (the migrations run with
 * `transaction: 'each'`). If a build fails halfway PostgreSQL keeps an INVALID index under the
 * name and the migration stays pending: the next run drops that and builds again.
 */
export class EntityHistoryFeedTsIndex1796800000000 implements MigrationInterface {
  name = 'EntityHistoryFeedTsIndex1796800000000';
  transaction = false;

  async up(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX CONCURRENTLY IF EXISTS entity_history_feed_ts`);
    await q.query(`CREATE INDEX CONCURRENTLY entity_history_feed_ts ON entity_history (feed_key, ts)`);
  }

  async down(q: QueryRunner): Promise<void> {
    // TypeORM reverts every migration inside a transaction, where CONCURRENTLY is refused.
    await q.query(`DROP INDEX IF EXISTS entity_history_feed_ts`);
  }
}
