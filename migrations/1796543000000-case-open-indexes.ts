import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Indexes over open cases only. Most of the case table is history (closed, invalid, merged,
 * cancelled); what dispatchers list and the map draws are the open ones, by area and by place.
 * Without these a filtered list walks the whole table backwards by id, and the map tests every
 * open case against its box.
 */
const OPEN = `state IN ('reported', 'dispatched', 'accepted', 'in_progress', 'resolved', 'verified', 'returned')`;

export class CaseOpenIndexes1796543000000 implements MigrationInterface {
  name = 'CaseOpenIndexes1796543000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX city_case_open_area_path ON city_case USING gin (area_path) WHERE ${OPEN}`);
    await q.query(`CREATE INDEX city_case_open_location ON city_case USING gist (location) WHERE ${OPEN}`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const index of ['city_case_open_location', 'city_case_open_area_path']) {
      await q.query(`DROP INDEX ${index}`);
    }
  }
}
