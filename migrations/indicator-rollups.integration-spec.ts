import { DataSource } from 'typeorm';
import { dataSourceOptions, dropDatabase, prepareDatabase, unsealAppendOnlyTables, type DatabaseUrls } from '@cityops/core';
import { adminUrl, databaseUrl, runId } from '../test/support/test-env';
import { InitialSchema1763776800000 } from './1763776800000-initial-schema';
import { IndicatorRollups1796330000000 } from './1796330000000-indicator-rollups';
import { MIGRATIONS } from './index';

/** A new database set up as `cli.js migrate` does before it migrates. */
async function readyToMigrate(name: string): Promise<DatabaseUrls> {
  const urls = { databaseUrl: databaseUrl(name), databaseAdminUrl: adminUrl };
  await prepareDatabase(urls);
  await unsealAppendOnlyTables(urls);
  return urls;
}

const partitionOf = async (ds: DataSource, ts: string): Promise<string> =>
  (await ds.query(`SELECT tableoid::regclass::text AS part FROM indicator_value WHERE ts = $1`, [ts]))[0].part;

describe('migration 1796330000000 (indicator rollups) on a database holding indicator values', () => {
  it('moves the values into daily partitions, keeps the upsert of the writers working, and goes back down with them', async () => {
    const urls = await readyToMigrate(`cityops_test_${runId()}_rollups`);
    const first = new DataSource({ ...dataSourceOptions(urls.databaseUrl, 1), migrations: [InitialSchema1763776800000] });
    await first.initialize();
    const today = new Date(Math.floor(Date.now() / 60_000) * 60_000 - 60_000).toISOString();
    const longAgo = '2026-01-15T10:00:00.000Z';
    try {
      await first.runMigrations({ transaction: 'each' });
      await first.query(
        `INSERT INTO area (code, name, level, geom) VALUES ('c1', 'city', 'city', ST_Multi(ST_MakeEnvelope(113, 23, 113.1, 23.1, 4326)))`,
      );
      await first.query(
        `INSERT INTO indicator (key, name, kind, params, source_feeds)
         VALUES ('load', 'load', 'latest_ratio_to_capacity', '{"feed":"f","metric":"m","zoneSet":"z"}', '{}')`,
      );
      await first.query(
        `INSERT INTO indicator_value (indicator_key, area_id, ts, value, numerator, denominator)
         SELECT 'load', id, t, 0.5, 50, 100 FROM area, unnest($1::timestamptz[]) AS t`,
        [[today, longAgo]],
      );
    } finally {
      await first.destroy();
    }

    // Up to this one: the later ones are not what this test takes down and up again.
    const upTo = MIGRATIONS.slice(0, MIGRATIONS.indexOf(IndicatorRollups1796330000000) + 1);
    const ds = new DataSource({ ...dataSourceOptions(urls.databaseUrl, 1), migrations: upTo });
    await ds.initialize();
    try {
      await ds.runMigrations({ transaction: 'each' });
      expect(ds.migrations[ds.migrations.length - 1].name).toBe(new IndicatorRollups1796330000000().name);
      expect(await partitionOf(ds, today)).toBe(`indicator_value_p${today.slice(0, 10).replace(/-/g, '')}`);
      // A day long before any partition sits in the default one until retention takes it (after the rollup read it).
      expect(await partitionOf(ds, longAgo)).toBe('indicator_value_default');
      expect((await ds.query(`SELECT value, numerator, denominator FROM indicator_value ORDER BY ts`)).length).toBe(2);
      // The writers' upsert (IndicatorRepository.storeValues) on the partitioned table.
      await ds.query(
        `INSERT INTO indicator_value (indicator_key, area_id, ts, value) SELECT 'load', id, $1, 0.9 FROM area
         ON CONFLICT (indicator_key, area_id, ts) DO UPDATE SET value = EXCLUDED.value, computed_at = now()`,
        [today],
      );
      expect((await ds.query(`SELECT value FROM indicator_value WHERE ts = $1`, [today]))[0].value).toBe(0.9);
      // Nothing is rolled up yet: the first run starts from the oldest value.
      expect(await ds.query(`SELECT rollup, rolled_to FROM indicator_rollup_watermark ORDER BY rollup`)).toEqual([
        { rollup: '1h', rolled_to: null },
        { rollup: '1m', rolled_to: null },
      ]);

      await ds.undoLastMigration({ transaction: 'each' });
      const kind = await ds.query(`SELECT relkind FROM pg_class WHERE relname = 'indicator_value'`);
      expect(kind).toEqual([{ relkind: 'r' }]);
      expect((await ds.query(`SELECT value FROM indicator_value ORDER BY ts`)).map((r: { value: number }) => r.value)).toEqual([0.5, 0.9]);
      expect(await ds.query(`SELECT to_regclass('indicator_value_1m') AS t`)).toEqual([{ t: null }]);
      // And up again over the same rows.
      expect((await ds.runMigrations({ transaction: 'each' })).length).toBe(1);
      expect((await ds.query(`SELECT count(*)::int AS n FROM indicator_value`))[0].n).toBe(2);
    } finally {
      await ds.destroy();
      await dropDatabase(urls);
    }
  });
});
