import type { DataSourceOptions } from 'typeorm';
import { MIGRATIONS } from '../../../../migrations';
import { unavailableService } from '../errors/service-unavailable';
import { rootLogger } from '../logging/logger';

/**
 * How long a query waits for a connection by default (`DATABASE_CONNECT_TIMEOUT_MS`): to open one
 * (PostgreSQL down or unreachable) or for a free one (pool exhausted). Then it fails, and a request
 * answers 503 instead of hanging.
 */
const CONNECTION_TIMEOUT_MS = 3000;

/** The same options for the apps, the CLI and the tests: schema only through migrations. */
export function dataSourceOptions(url: string, poolSize = 10, connectTimeoutMs = CONNECTION_TIMEOUT_MS): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    synchronize: false,
    migrationsRun: false,
    migrations: MIGRATIONS,
    migrationsTableName: 'typeorm_migrations',
    // One transaction per migration, as every caller asks: a migration that must run outside one
    // (CREATE INDEX CONCURRENTLY) says `transaction = false`, which TypeORM refuses in mode 'all'.
    migrationsTransactionMode: 'each',
    entities: [],
    poolSize,
    // keepAlive: a connection whose peer vanished without a word is noticed by TCP, not only by the next query.
    extra: { application_name: 'cityops', connectionTimeoutMillis: connectTimeoutMs, keepAlive: true },
    // An idle pooled connection that breaks (PostgreSQL restarted) is dropped by the pool and
    // replaced on demand; say so, instead of TypeORM's silence with logging off.
    poolErrorHandler: (err: unknown) => {
      const unavailable = unavailableService(err);
      if (unavailable) rootLogger().warn({ reason: unavailable.reason }, 'database connection lost: the pool reconnects on demand');
      else rootLogger().error({ err }, 'database pool error');
    },
    logging: false,
  };
}
