import { DataSource } from 'typeorm';
import { dataSourceOptions, ensureDatabase, type AppConfig } from '@cityops/core';

/** Creates the database if missing and brings the schema up to date through migrations. */
export async function migrateDatabase(config: AppConfig): Promise<{ created: boolean; applied: string[] }> {
  const created = await ensureDatabase(config.databaseUrl);
  const ds = new DataSource(dataSourceOptions(config.databaseUrl, 2));
  await ds.initialize();
  try {
    const applied = await ds.runMigrations({ transaction: 'each' });
    return { created, applied: applied.map((m) => m.name) };
  } finally {
    await ds.destroy();
  }
}
