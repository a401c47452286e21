import { DataSource } from 'typeorm';
import { dataSourceOptions, dropDatabase, prepareDatabase, unsealAppendOnlyTables } from '@cityops/core';
import { MIGRATIONS } from '../../migrations';
import { adminUrl, databaseUrl, runId } from './test-env';

type Migration = (typeof MIGRATIONS)[number];

/**
 * One migration on a database that holds data, as a deployment meets it: a database of the test's
 * own (named after `label`), migrated up to just before `migration`, filled by `fill`; then opened
 * again with `migration` added but not yet run, for `check` to run it, look, take it back and run
 * it again. `check` gets what `fill` answered (the ids it made). The database is dropped afterwards.
 */
export async function migrationOnFilledDatabase<T>(
  label: string,
  migration: Migration,
  fill: (db: DataSource) => Promise<T>,
  check: (db: DataSource, filled: T) => Promise<void>,
): Promise<void> {
  const urls = { databaseUrl: databaseUrl(`cityops_test_${runId()}_${label}`), databaseAdminUrl: adminUrl };
  await prepareDatabase(urls);
  try {
    await unsealAppendOnlyTables(urls);
    const before = MIGRATIONS.slice(0, MIGRATIONS.indexOf(migration));
    const old = new DataSource({ ...dataSourceOptions(urls.databaseUrl, 1), migrations: before });
    await old.initialize();
    let filled: T;
    try {
      await old.runMigrations({ transaction: 'each' });
      filled = await fill(old);
    } finally {
      await old.destroy();
    }
    const db = new DataSource({ ...dataSourceOptions(urls.databaseUrl, 1), migrations: [...before, migration] });
    await db.initialize();
    try {
      await check(db, filled);
    } finally {
      await db.destroy();
    }
  } finally {
    await dropDatabase(urls);
  }
}
