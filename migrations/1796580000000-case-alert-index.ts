import type { MigrationInterface, QueryRunner } from 'typeorm';

/** An alert lists the cases filed from it (and `GET /api/cases?alert=`): few cases carry one, so a partial index. */
export class CaseAlertIndex1796580000000 implements MigrationInterface {
  name = 'CaseAlertIndex1796580000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX city_case_alert ON city_case (alert_id, id DESC) WHERE alert_id IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX city_case_alert`);
  }
}
