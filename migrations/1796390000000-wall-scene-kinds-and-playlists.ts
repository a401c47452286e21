import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A wall scene gets a kind (city overview, event, theme, district) with what the non-event kinds
 * show: a focus area, catalog layers, KPI tiles, cameras and a frame. Existing scenes are events
 * and stay valid as they are. A rotation of scenes (`wall_playlist`): the default one, and one
 * per display device where a room needs its own; a display that goes takes its playlist along.
 */
export class WallSceneKindsAndPlaylists1796390000000 implements MigrationInterface {
  name = 'WallSceneKindsAndPlaylists1796390000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE scene
        ADD COLUMN kind text NOT NULL DEFAULT 'event' CHECK (kind IN ('overview', 'event', 'theme', 'district')),
        ADD COLUMN focus_area_id integer CONSTRAINT scene_focus_area_fkey REFERENCES area(id) ON DELETE SET NULL,
        ADD COLUMN layers jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(layers) = 'array'),
        ADD COLUMN kpis jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(kpis) = 'array'),
        ADD COLUMN cameras jsonb,
        ADD COLUMN bounds jsonb,
        ALTER COLUMN zone_set DROP NOT NULL,
        ALTER COLUMN indicator_key DROP NOT NULL,
        ALTER COLUMN total_label DROP NOT NULL,
        ALTER COLUMN zone_label DROP NOT NULL`);
    // Only an event draws zones coloured by an indicator, and it needs its words for them.
    await q.query(`
      ALTER TABLE scene ADD CONSTRAINT scene_event_fields CHECK (
        CASE WHEN kind = 'event'
             THEN zone_set IS NOT NULL AND indicator_key IS NOT NULL AND total_label IS NOT NULL AND zone_label IS NOT NULL
             ELSE zone_set IS NULL AND indicator_key IS NULL END)`);
    await q.query(`
      CREATE TABLE wall_playlist (
        key text PRIMARY KEY CHECK (key ~ '^[a-z0-9][a-z0-9_.-]{0,99}$'),
        name text NOT NULL,
        display_id uuid UNIQUE CONSTRAINT wall_playlist_display_fkey REFERENCES display_device(id) ON DELETE CASCADE,
        -- [{scene, dwellSeconds}] in order; a scene deleted later is skipped by the wall, not refused here
        entries jsonb NOT NULL CHECK (jsonb_typeof(entries) = 'array' AND jsonb_array_length(entries) > 0),
        interrupt_on_critical boolean NOT NULL DEFAULT true,
        hold_seconds integer CHECK (hold_seconds > 0),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS wall_playlist`);
    // Scenes an older schema cannot hold go with the columns that describe them.
    await q.query(`DELETE FROM scene WHERE kind <> 'event'`);
    await q.query(`
      ALTER TABLE scene
        DROP CONSTRAINT scene_event_fields,
        DROP COLUMN kind, DROP COLUMN focus_area_id, DROP COLUMN layers, DROP COLUMN kpis, DROP COLUMN cameras, DROP COLUMN bounds,
        ALTER COLUMN zone_set SET NOT NULL,
        ALTER COLUMN indicator_key SET NOT NULL,
        ALTER COLUMN total_label SET NOT NULL,
        ALTER COLUMN zone_label SET NOT NULL`);
  }
}
