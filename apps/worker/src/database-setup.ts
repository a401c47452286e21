import { DataSource } from 'typeorm';
import { dataSourceOptions, prepareDatabase, sealAppendOnlyTables, unsealAppendOnlyTables, type AppConfig } from '@cityops/core';

export interface MigrationResult {
  created: boolean;
  /** The application's role did not exist and was created. */
  roleCreated: boolean;
  /** Objects of an older installation (made as the superuser) handed to the application's role. */
  adopted: number;
  applied: string[];
  warnings: string[];
}

/**
 * The set-up of the database (libs/core/src/database/database-admin.ts): as the superuser of
 * DATABASE_ADMIN_URL the application's role, its database and extensions; as that role the
 * migrations; as the superuser again the append-only tables sealed.
 */
export async function migrateDatabase(config: AppConfig): Promise<MigrationResult> {
  const prepared = await prepareDatabase(config);
  const ds = new DataSource(dataSourceOptions(config.databaseUrl, 2, config.databaseConnectTimeoutMs));
  try {
    await ds.initialize();
  } catch (error) {
    throw new Error(
      `the application's role cannot connect with DATABASE_URL (${error instanceof Error ? error.message : String(error)}): ` +
        'check its password (DATABASE_PASSWORD) and that pg_hba.conf lets it in',
      { cause: error },
    );
  }
  try {
    // A pending migration may change an append-only table: lent to the role that runs it, taken back below.
    if (await ds.showMigrations()) await unsealAppendOnlyTables(config);
    const applied = await ds.runMigrations({ transaction: 'each' });
    return {
      created: prepared.databaseCreated,
      roleCreated: prepared.roleCreated,
      adopted: prepared.adopted,
      applied: applied.map((m) => m.name),
      warnings: prepared.warnings,
    };
  } finally {
    await ds.destroy();
    await sealAppendOnlyTables(config);
  }
}
