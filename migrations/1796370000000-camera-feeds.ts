import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What an entity feed's entities are (`camera`), so ingest can check their props and the camera
 * routes can find every camera feed without any feed key written in code.
 */
export class CameraFeeds1796370000000 implements MigrationInterface {
  name = 'CameraFeeds1796370000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE feed ADD COLUMN entity_profile text CONSTRAINT feed_entity_profile_check CHECK (entity_profile IN ('camera'))`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE feed DROP COLUMN IF EXISTS entity_profile`);
  }
}
