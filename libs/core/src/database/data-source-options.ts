import type { DataSourceOptions } from 'typeorm';
import { MIGRATIONS } from '../../../../migrations';

/** The same options for the apps, the CLI and the tests: schema only through migrations. */
export function dataSourceOptions(url: string, poolSize = 10): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    synchronize: false,
    migrationsRun: false,
    migrations: MIGRATIONS,
    migrationsTableName: 'typeorm_migrations',
    entities: [],
    poolSize,
    extra: { application_name: 'cityops', connectionTimeoutMillis: 5000 },
    logging: false,
  };
}
