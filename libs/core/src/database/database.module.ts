import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';
import { dataSourceOptions } from './data-source-options';
import { DatabaseHealthRepository } from './database-health.repository';
import { DatabaseRoleCheck } from './database-role.check';
import { VectorTileQueries } from './vector-tile-query';

/**
 * PostgreSQL through TypeORM, as the application's own role (DATABASE_URL; DatabaseRoleCheck refuses a
 * superuser in production). Repositories inject the `DataSource` and write their own SQL; vector
 * tiles run on connections of their own (VectorTileQueries).
 */
@Global()
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => dataSourceOptions(config.databaseUrl, 10, config.databaseConnectTimeoutMs),
    }),
  ],
  providers: [DatabaseHealthRepository, DatabaseRoleCheck, VectorTileQueries],
  exports: [DatabaseHealthRepository, VectorTileQueries],
})
export class DatabaseModule {}
