import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Indicators as data: a definition says how it is grouped (area levels or a zone set), where its
 * value comes from (an aggregate of a feed's metric, or a formula over other indicators), how it
 * is shown (theme, format) and when it is recomputed besides new data. The one kind written in
 * code before (`latest_ratio_to_capacity`) becomes an aggregate: each entity's latest reading,
 * summed per zone, per capacity; its thresholds {warning, critical, clear} become levels.
 */
export class IndicatorsAsData1796300000000 implements MigrationInterface {
  name = 'IndicatorsAsData1796300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE indicator
        ADD COLUMN theme text NOT NULL DEFAULT 'general',
        ADD COLUMN format jsonb NOT NULL DEFAULT '{"decimals": 1, "percent": false}',
        ADD COLUMN description_en text,
        ADD COLUMN grouping jsonb,
        ADD COLUMN source jsonb,
        ADD COLUMN evaluate_every_seconds integer CHECK (evaluate_every_seconds IS NULL OR evaluate_every_seconds >= 5),
        -- the indicators a composite reads: "who reads X" finds the composites to recompute after X
        ADD COLUMN reads text[] NOT NULL DEFAULT '{}'`);
    await q.query(`CREATE INDEX indicator_reads ON indicator USING gin (reads)`);

    // A headcount "latest" stays valid 10 minutes: the course's counters report every few seconds.
    await q.query(`
      UPDATE indicator
         SET source = jsonb_build_object(
               'kind', 'aggregate', 'feed', params->>'feed', 'metric', params->>'metric',
               'windowSeconds', 600, 'perEntity', 'latest', 'across', 'sum', 'normalise', 'per_capacity'),
             grouping = jsonb_build_object('zoneSet', params->>'zoneSet'),
             source_feeds = ARRAY[params->>'feed'],
             format = '{"decimals": 0, "percent": true}'
       WHERE kind = 'latest_ratio_to_capacity'`);
    await q.query(`
      UPDATE indicator
         SET thresholds = jsonb_build_object(
               'levels', jsonb_build_array(
                 jsonb_strip_nulls(jsonb_build_object('level', 'warning', 'op', '>=', 'value', thresholds->'warning', 'clear', thresholds->'clear')),
                 jsonb_build_object('level', 'critical', 'op', '>=', 'value', thresholds->'critical')),
               'pendingSeconds', 0, 'keepFiringSeconds', 0)
       WHERE thresholds ? 'warning' AND thresholds ? 'critical'`);
    // No other kind was ever written; one that was could not be converted, and NOT NULL says so.
    await q.query(`ALTER TABLE indicator ALTER COLUMN grouping SET NOT NULL, ALTER COLUMN source SET NOT NULL`);
    await q.query(`ALTER TABLE indicator DROP COLUMN kind, DROP COLUMN params`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE indicator ADD COLUMN kind text, ADD COLUMN params jsonb NOT NULL DEFAULT '{}'`);
    await q.query(`
      UPDATE indicator
         SET kind = 'latest_ratio_to_capacity',
             params = jsonb_build_object('feed', source->>'feed', 'metric', source->>'metric', 'zoneSet', grouping->>'zoneSet')
       WHERE source->>'kind' = 'aggregate' AND source->>'perEntity' = 'latest' AND source->>'across' = 'sum'
         AND source->>'normalise' = 'per_capacity' AND grouping ? 'zoneSet'`);
    // The older schema can say nothing else: definitions it cannot express go, with their values and alerts.
    await q.query(`DELETE FROM indicator WHERE kind IS NULL`);
    await q.query(`
      WITH levels AS (
        SELECT key,
               (SELECT e.lvl FROM jsonb_array_elements(thresholds->'levels') AS e(lvl) WHERE e.lvl->>'level' = 'warning') AS w,
               (SELECT e.lvl FROM jsonb_array_elements(thresholds->'levels') AS e(lvl) WHERE e.lvl->>'level' = 'critical') AS c
          FROM indicator WHERE thresholds ? 'levels')
      UPDATE indicator i
         SET thresholds = CASE WHEN l.w IS NULL OR l.c IS NULL THEN NULL
                               ELSE jsonb_build_object('warning', l.w->'value', 'critical', l.c->'value', 'clear', coalesce(l.w->'clear', l.w->'value')) END
        FROM levels l WHERE l.key = i.key`);
    await q.query(`ALTER TABLE indicator ALTER COLUMN kind SET NOT NULL`);
    await q.query(`DROP INDEX IF EXISTS indicator_reads`);
    await q.query(`
      ALTER TABLE indicator
        DROP COLUMN theme, DROP COLUMN format, DROP COLUMN description_en, DROP COLUMN grouping, DROP COLUMN source,
        DROP COLUMN evaluate_every_seconds, DROP COLUMN reads`);
  }
}
