import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Cases filed by machines: a feed of detected problems (video analysis, sensors) is made a case
 * source by mapping its detection kinds to case categories, with a confidence floor. Every
 * detection received is kept with what became of it (filed, attached to an open case nearby,
 * ignored under the floor, rejected with its reason), which also makes a re-sent detection
 * harmless.
 */
export class CaseDetections1796542000000 implements MigrationInterface {
  name = 'CaseDetections1796542000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE case_detection_source (
        feed_key text PRIMARY KEY REFERENCES feed(key) ON UPDATE CASCADE ON DELETE CASCADE,
        -- detection kind → case category key
        categories jsonb NOT NULL CHECK (jsonb_typeof(categories) = 'object'),
        min_confidence numeric NOT NULL DEFAULT 0 CHECK (min_confidence BETWEEN 0 AND 1),
        enabled boolean NOT NULL DEFAULT true,
        updated_by text NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE case_detection (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        feed_key text NOT NULL REFERENCES feed(key) ON UPDATE CASCADE ON DELETE CASCADE,
        detection_id text CHECK (length(detection_id) BETWEEN 1 AND 200),
        kind text,
        confidence numeric,
        location geometry(Point, 4326),
        detected_at timestamptz,
        snapshot_url text,
        verdict text NOT NULL CHECK (verdict IN ('filed', 'attached', 'ignored', 'rejected')),
        reason text,
        case_id bigint REFERENCES city_case(id) ON DELETE SET NULL,
        -- a rejected detection as it came, for inspection (cut to 10 kB)
        raw text,
        received_at timestamptz NOT NULL DEFAULT now(),
        CHECK (verdict IN ('filed', 'attached') OR case_id IS NULL)
      )`);
    await q.query(`CREATE UNIQUE INDEX case_detection_once ON case_detection (feed_key, detection_id) WHERE detection_id IS NOT NULL`);
    await q.query(`CREATE INDEX case_detection_feed_received ON case_detection (feed_key, received_at DESC)`);
    await q.query(`CREATE INDEX case_detection_case ON case_detection (case_id) WHERE case_id IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE case_detection`);
    await q.query(`DROP TABLE case_detection_source`);
  }
}
