import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Deadline supervision (督办): a case whose stage runs past its deadline is escalated up its
 * area's hierarchy (community, street, district, command centre), one level at a time; the case
 * keeps the stage and level it reached and the area now supervising it.
 */
export class CaseSupervision1796540000000 implements MigrationInterface {
  name = 'CaseSupervision1796540000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE city_case
        ADD COLUMN supervision_stage text CHECK (supervision_stage IN ('accept', 'resolve')),
        ADD COLUMN supervision_level smallint NOT NULL DEFAULT 0 CHECK (supervision_level BETWEEN 0 AND 4),
        ADD COLUMN supervised_at timestamptz,
        ADD COLUMN supervised_area_id integer REFERENCES area(id) ON DELETE SET NULL,
        ADD CONSTRAINT city_case_supervision_stage CHECK ((supervision_level = 0) = (supervision_stage IS NULL))`);
    // The sweep reads only cases still in a stage with a deadline.
    await q.query(`CREATE INDEX city_case_accept_due ON city_case (accept_due_at) WHERE state = 'dispatched'`);
    await q.query(`CREATE INDEX city_case_resolve_due ON city_case (resolve_due_at) WHERE state IN ('accepted', 'in_progress')`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX city_case_resolve_due`);
    await q.query(`DROP INDEX city_case_accept_due`);
    await q.query(`
      ALTER TABLE city_case
        DROP CONSTRAINT city_case_supervision_stage,
        DROP COLUMN supervised_area_id, DROP COLUMN supervised_at, DROP COLUMN supervision_level, DROP COLUMN supervision_stage`);
  }
}
