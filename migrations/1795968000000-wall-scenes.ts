import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Wall scenes: what the command wall shows (a zone set coloured by an indicator, fed by a feed)
 * and the words it uses for them, as data rather than code, so a deployment with its own event
 * configures a scene instead of changing the web app. A scene goes with its zone set or
 * indicator; a feed that goes only leaves the scene without one.
 */
export class WallScenes1795968000000 implements MigrationInterface {
  name = 'WallScenes1795968000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE scene (
        key text PRIMARY KEY CHECK (key ~ '^[a-z0-9][a-z0-9_.-]{0,99}$'),
        name text NOT NULL,
        name_en text,
        zone_set text NOT NULL CONSTRAINT scene_zone_set_fkey REFERENCES zone_set(key) ON DELETE CASCADE,
        indicator_key text NOT NULL CONSTRAINT scene_indicator_key_fkey REFERENCES indicator(key) ON DELETE CASCADE,
        feed_key text CONSTRAINT scene_feed_key_fkey REFERENCES feed(key) ON DELETE SET NULL,
        -- the wall's words: the sum over the zones (e.g. 在跑人数) and what the zones are called (e.g. 路段)
        total_label text NOT NULL,
        total_label_en text,
        total_unit text,
        total_unit_en text,
        zone_label text NOT NULL,
        zone_label_en text,
        zone_unit text,
        zone_unit_en text,
        position integer NOT NULL DEFAULT 0 CHECK (position >= 0),
        enabled boolean NOT NULL DEFAULT true,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS scene`);
  }
}
