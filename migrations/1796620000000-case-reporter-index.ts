import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A caller sees the cases they filed wherever they are: with this index that branch of the sight
 * (area path OR department OR reporter) joins the others in one bitmap, instead of the planner
 * walking the whole table for it. Most cases have no signed-in reporter, so a partial index.
 */
export class CaseReporterIndex1796620000000 implements MigrationInterface {
  name = 'CaseReporterIndex1796620000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX city_case_reporter ON city_case (reporter_user_id) WHERE reporter_user_id IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX city_case_reporter`);
  }
}
