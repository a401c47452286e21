import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Open311 GeoReport v2: the keys outside applications file citizens' requests with (admins hand
 * them out; only a hash is kept, the key is shown once), and an index for the public request
 * list, which reads cases by when they were reported (`start_date`/`end_date`, newest first).
 */
export class Open311ApiKeys1796530000000 implements MigrationInterface {
  name = 'Open311ApiKeys1796530000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE open311_api_key (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL,
        key_hash text NOT NULL UNIQUE,
        prefix text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        created_by text,
        last_used_at timestamptz,
        revoked_at timestamptz
      )`);
    await q.query(`CREATE UNIQUE INDEX open311_api_key_active_name ON open311_api_key (name) WHERE revoked_at IS NULL`);
    await q.query(`CREATE INDEX city_case_reported ON city_case (reported_at DESC, id DESC)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS city_case_reported`);
    await q.query(`DROP TABLE IF EXISTS open311_api_key`);
  }
}
