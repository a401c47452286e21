import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Alerts with a lifecycle: pending → firing → resolved (by the data or by hand, with a reason),
 * levels notice/warning/critical with the operator they were crossed with, staleness when data
 * stops, acknowledgement with a comment, escalation to a role; and silences by indicator, area or
 * theme. Open alerts of before become firing ones (they fired when they opened).
 */
export class AlertLifecycle1796310000000 implements MigrationInterface {
  name = 'AlertLifecycle1796310000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX alert_one_open_per_area`);
    await q.query(`DROP INDEX alert_state_opened`);
    await q.query(`ALTER TABLE alert DROP CONSTRAINT alert_level_check, DROP CONSTRAINT alert_state_check, DROP CONSTRAINT alert_check`);
    await q.query(`ALTER TABLE alert RENAME COLUMN opened_at TO started_at`);
    await q.query(`
      ALTER TABLE alert
        ADD COLUMN op text NOT NULL DEFAULT '>=' CHECK (op IN ('>=', '>', '<=', '<')),
        ADD COLUMN fired_at timestamptz,
        -- keep-firing-for: when the condition stopped holding under a firing alert
        ADD COLUMN condition_lost_at timestamptz,
        ADD COLUMN stale_since timestamptz,
        ADD COLUMN resolved_by text,
        ADD COLUMN resolve_reason text,
        ADD COLUMN ack_comment text,
        ADD COLUMN escalated_at timestamptz,
        ADD COLUMN escalated_to text,
        ADD COLUMN escalation_step smallint NOT NULL DEFAULT 0,
        -- the indicator's theme when the alert was written: silences by theme match on it without
        -- the alerts lib reading the indicator table
        ADD COLUMN theme text`);
    await q.query(`UPDATE alert SET fired_at = started_at`);
    await q.query(`UPDATE alert a SET theme = i.theme FROM indicator i WHERE i.key = a.indicator_key`);
    await q.query(`UPDATE alert SET state = 'firing' WHERE state = 'open'`);
    await q.query(`
      ALTER TABLE alert
        ADD CONSTRAINT alert_level_known CHECK (level IN ('notice', 'warning', 'critical')),
        ADD CONSTRAINT alert_state_known CHECK (state IN ('pending', 'firing', 'resolved')),
        ADD CONSTRAINT alert_resolved_at CHECK ((state = 'resolved') = (resolved_at IS NOT NULL)),
        ADD CONSTRAINT alert_firing_fired CHECK (state <> 'firing' OR fired_at IS NOT NULL),
        ADD CONSTRAINT alert_pending_unfired CHECK (state <> 'pending' OR fired_at IS NULL)`);
    // The database, not the workers, guarantees one pending or firing alert per indicator and area.
    await q.query(`CREATE UNIQUE INDEX alert_one_open_per_area ON alert (indicator_key, area_id) WHERE state IN ('pending', 'firing')`);
    await q.query(`CREATE INDEX alert_state_started ON alert (state, started_at DESC)`);
    await q.query(`CREATE INDEX alert_updated ON alert (updated_at DESC)`);
    await q.query(`ALTER TABLE alert_event ADD COLUMN comment text`);
    // An alert that opened is one that fired.
    await q.query(`UPDATE alert_event SET change = 'fired' WHERE change = 'opened'`);

    await q.query(`
      CREATE TABLE alert_silence (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        indicator_key text REFERENCES indicator(key) ON DELETE CASCADE,
        area_id integer REFERENCES area(id) ON DELETE CASCADE,
        theme text,
        starts_at timestamptz NOT NULL,
        ends_at timestamptz NOT NULL,
        reason text NOT NULL,
        created_by text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        expired_at timestamptz,
        expired_by text,
        CHECK (indicator_key IS NOT NULL OR area_id IS NOT NULL OR theme IS NOT NULL),
        CHECK (ends_at > starts_at)
      )`);
    // Matching reads the silences not yet over; those are few, the rest is history.
    await q.query(`CREATE INDEX alert_silence_current ON alert_silence (ends_at) WHERE expired_at IS NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE alert_silence`);
    await q.query(`ALTER TABLE alert_event DROP COLUMN comment`);
    await q.query(`UPDATE alert_event SET change = 'opened' WHERE change = 'fired'`);
    await q.query(`DROP INDEX alert_updated`);
    await q.query(`DROP INDEX alert_state_started`);
    await q.query(`DROP INDEX alert_one_open_per_area`);
    await q.query(`
      ALTER TABLE alert
        DROP CONSTRAINT alert_level_known, DROP CONSTRAINT alert_state_known, DROP CONSTRAINT alert_resolved_at,
        DROP CONSTRAINT alert_firing_fired, DROP CONSTRAINT alert_pending_unfired`);
    // The old schema knows only alerts that fired: the others (pending, lapsed) did not happen there.
    await q.query(`DELETE FROM alert WHERE fired_at IS NULL`);
    await q.query(`UPDATE alert SET state = 'open' WHERE state = 'firing'`);
    await q.query(`UPDATE alert SET level = 'warning' WHERE level = 'notice'`);
    await q.query(`UPDATE alert_event SET level = 'warning' WHERE level = 'notice'`);
    await q.query(`UPDATE alert SET started_at = fired_at`);
    await q.query(`
      ALTER TABLE alert
        DROP COLUMN op, DROP COLUMN fired_at, DROP COLUMN condition_lost_at, DROP COLUMN stale_since, DROP COLUMN resolved_by,
        DROP COLUMN resolve_reason, DROP COLUMN ack_comment, DROP COLUMN escalated_at, DROP COLUMN escalated_to,
        DROP COLUMN escalation_step, DROP COLUMN theme`);
    await q.query(`ALTER TABLE alert RENAME COLUMN started_at TO opened_at`);
    await q.query(`
      ALTER TABLE alert
        ADD CONSTRAINT alert_level_check CHECK (level IN ('warning','critical')),
        ADD CONSTRAINT alert_state_check CHECK (state IN ('open','resolved')),
        ADD CONSTRAINT alert_check CHECK ((state = 'resolved') = (resolved_at IS NOT NULL))`);
    await q.query(`CREATE UNIQUE INDEX alert_one_open_per_area ON alert (indicator_key, area_id) WHERE state = 'open'`);
    await q.query(`CREATE INDEX alert_state_opened ON alert (state, opened_at DESC)`);
  }
}
