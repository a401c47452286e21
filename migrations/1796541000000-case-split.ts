import type { MigrationInterface, QueryRunner } from 'typeorm';

/** A case split off another (one report that held two problems) keeps the link to the case it came from. */
export class CaseSplit1796541000000 implements MigrationInterface {
  name = 'CaseSplit1796541000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE city_case ADD COLUMN split_from bigint REFERENCES city_case(id) ON DELETE SET NULL`);
    await q.query(`CREATE INDEX city_case_split_from ON city_case (split_from) WHERE split_from IS NOT NULL`);
    // Duplicate suggestions: the same category near a place within two days.
    await q.query(`CREATE INDEX city_case_category_created ON city_case (category, created_at DESC)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX city_case_category_created`);
    await q.query(`DROP INDEX city_case_split_from`);
    await q.query(`ALTER TABLE city_case DROP COLUMN split_from`);
  }
}
