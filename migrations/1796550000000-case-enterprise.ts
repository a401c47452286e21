import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * 企业呼: an enterprise request names the enterprise behind it (its name and 统一社会信用代码, the
 * 18-character unified social credit code). Both or neither; shown to staff, never to the public.
 */
export class CaseEnterprise1796550000000 implements MigrationInterface {
  name = 'CaseEnterprise1796550000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE city_case ADD COLUMN enterprise_name text CHECK (length(enterprise_name) BETWEEN 1 AND 200)`);
    await q.query(
      `ALTER TABLE city_case ADD COLUMN enterprise_credit_code text CHECK (enterprise_credit_code ~ '^[0-9A-HJ-NPQRTUWXY]{18}$')`,
    );
    await q.query(
      `ALTER TABLE city_case ADD CONSTRAINT city_case_enterprise_both CHECK ((enterprise_name IS NULL) = (enterprise_credit_code IS NULL))`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE city_case DROP CONSTRAINT city_case_enterprise_both`);
    await q.query(`ALTER TABLE city_case DROP COLUMN enterprise_credit_code`);
    await q.query(`ALTER TABLE city_case DROP COLUMN enterprise_name`);
  }
}
