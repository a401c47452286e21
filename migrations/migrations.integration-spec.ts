import { DataSource } from 'typeorm';
import { dataSourceOptions, dropDatabase, prepareDatabase, unsealAppendOnlyTables, type DatabaseUrls } from '@cityops/core';
import { adminUrl, databaseUrl, runId } from '../test/support/test-env';
import { InitialSchema1763776800000 } from './1763776800000-initial-schema';
import { IndicatorsAsData1796300000000 } from './1796300000000-indicators-as-data';
import { MIGRATIONS } from './index';

/** A new database set up as `cli.js migrate` does before it migrates: the run's role, extensions, the audit schema open to it. */
async function readyToMigrate(name: string): Promise<DatabaseUrls> {
  const urls = { databaseUrl: databaseUrl(name), databaseAdminUrl: adminUrl };
  await prepareDatabase(urls);
  await unsealAppendOnlyTables(urls);
  return urls;
}

describe('migrations, run as the application role', () => {
  it('run up on an empty database, down to nothing, and up again', async () => {
    const urls = await readyToMigrate(`cityops_test_${runId()}_migrations`);
    const ds = new DataSource(dataSourceOptions(urls.databaseUrl, 1));
    await ds.initialize();
    try {
      const applied = await ds.runMigrations({ transaction: 'each' });
      expect(applied.length).toBe(ds.migrations.length);
      expect(await ds.showMigrations()).toBe(false);
      for (let i = 0; i < applied.length; i++) await ds.undoLastMigration({ transaction: 'each' });
      const tables = await ds.query(
        `SELECT schemaname, tablename FROM pg_tables
          WHERE schemaname IN ('public', 'audit') AND tablename NOT IN ('typeorm_migrations', 'spatial_ref_sys')`,
      );
      expect(tables).toEqual([]);
      expect((await ds.runMigrations({ transaction: 'each' })).length).toBe(applied.length);
    } finally {
      await ds.destroy();
      await dropDatabase(urls);
    }
  });

  it('carry data across: feed departments become catalog departments, default-partition rows move to their day', async () => {
    const urls = await readyToMigrate(`cityops_test_${runId()}_migdata`);
    const ds = new DataSource({ ...dataSourceOptions(urls.databaseUrl, 1), migrations: [InitialSchema1763776800000] });
    await ds.initialize();
    try {
      await ds.runMigrations({ transaction: 'each' });
      await ds.query(`INSERT INTO feed (key, name, department, metrics) VALUES ('air', '空气质量', '生态环境', '[{"key":"pm25"}]')`);
      await ds.query(`INSERT INTO observation (feed_key, record_key, ts, metric, value) VALUES ('air', 'a1', now(), 'pm25', 35)`);
      await ds.destroy();
      const full = new DataSource(dataSourceOptions(urls.databaseUrl, 1));
      await full.initialize();
      try {
        // Every migration after the first runs over the data, in order.
        expect((await full.runMigrations({ transaction: 'each' })).map((m) => m.name)).toEqual(full.migrations.slice(1).map((m) => m.name));
        const feed = (await full.query(`SELECT d.name FROM feed f JOIN department d ON d.code = f.department_code WHERE f.key = 'air'`))[0];
        expect(feed.name).toBe('生态环境');
        const part = (await full.query(`SELECT tableoid::regclass::text AS part FROM observation WHERE record_key = 'a1'`))[0].part;
        expect(part).toMatch(/^observation_p\d{8}$/);
        // Wall scenes start empty: the demo's comes from `cli.js prepare`, a deployment's from PUT /api/scenes.
        expect((await full.query(`SELECT count(*)::int AS n FROM scene`))[0].n).toBe(0);
        // The audit trail starts empty too, whatever the database held before.
        expect((await full.query(`SELECT count(*)::int AS n FROM audit.audit_event`))[0].n).toBe(0);
      } finally {
        await full.destroy();
      }
    } finally {
      if (ds.isInitialized) await ds.destroy();
      await dropDatabase(urls);
    }
  });

  it('leave a database that holds data (the demo city) untouched when none is pending', async () => {
    const url = databaseUrl(`cityops_test_${runId()}_tpl`);
    const ds = new DataSource(dataSourceOptions(url, 1));
    await ds.initialize();
    try {
      const before = (await ds.query(`SELECT count(*)::int AS n FROM area`))[0].n;
      expect(before).toBeGreaterThan(1500);
      expect(await ds.runMigrations({ transaction: 'each' })).toEqual([]);
      expect((await ds.query(`SELECT count(*)::int AS n FROM area`))[0].n).toBe(before);
    } finally {
      await ds.destroy();
    }
  });
  it('turn the coded segment-load indicator into a definition (aggregate per capacity, threshold levels) and back', async () => {
    const urls = await readyToMigrate(`cityops_test_${runId()}_migind`);
    const before = MIGRATIONS.slice(0, MIGRATIONS.indexOf(IndicatorsAsData1796300000000));
    const ds = new DataSource({ ...dataSourceOptions(urls.databaseUrl, 1), migrations: before });
    await ds.initialize();
    try {
      await ds.runMigrations({ transaction: 'each' });
      await ds.query(`INSERT INTO zone_set (key, name) VALUES ('course', '赛道')`);
      await ds.query(`INSERT INTO feed (key, name, metrics, zone_set) VALUES ('crowd', '人数', '[{"key":"headcount"}]', 'course')`);
      await ds.query(
        `INSERT INTO indicator (key, name, unit, kind, params, source_feeds, thresholds)
         VALUES ('course.load', '负荷', 'ratio', 'latest_ratio_to_capacity', '{"feed":"crowd","metric":"headcount","zoneSet":"course"}',
                 '{crowd}', '{"warning":0.8,"critical":1.0,"clear":0.75}')`,
      );
      await ds.destroy();
      const full = new DataSource({ ...dataSourceOptions(urls.databaseUrl, 1), migrations: MIGRATIONS });
      await full.initialize();
      try {
        const applied = await full.runMigrations({ transaction: 'each' });
        const [row] = await full.query(`SELECT * FROM indicator WHERE key = 'course.load'`);
        expect(row.source).toEqual({
          kind: 'aggregate',
          feed: 'crowd',
          metric: 'headcount',
          windowSeconds: 600,
          perEntity: 'latest',
          across: 'sum',
          normalise: 'per_capacity',
        });
        expect(row.grouping).toEqual({ zoneSet: 'course' });
        expect(row.thresholds).toEqual({
          levels: [
            { level: 'warning', op: '>=', value: 0.8, clear: 0.75 },
            { level: 'critical', op: '>=', value: 1 },
          ],
          pendingSeconds: 0,
          keepFiringSeconds: 0,
        });
        expect(row.source_feeds).toEqual(['crowd']);
        expect(row.reads).toEqual([]);
        expect(row).not.toHaveProperty('kind');
        expect(row).not.toHaveProperty('params');

        for (let i = 0; i < applied.length; i++) await full.undoLastMigration({ transaction: 'each' });
        const [restored] = await full.query(`SELECT kind, params, thresholds FROM indicator WHERE key = 'course.load'`);
        expect(restored).toEqual({
          kind: 'latest_ratio_to_capacity',
          params: { feed: 'crowd', metric: 'headcount', zoneSet: 'course' },
          thresholds: { warning: 0.8, critical: 1, clear: 0.75 },
        });
      } finally {
        await full.destroy();
      }
    } finally {
      if (ds.isInitialized) await ds.destroy();
      await dropDatabase(urls);
    }
  });
});
