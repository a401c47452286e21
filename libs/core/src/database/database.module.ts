import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';
import { dataSourceOptions } from './data-source-options';
import { DatabaseHealthRepository } from './database-health.repository';
import { DatabaseRoleCheck } from './database-role.check';

/**
 * PostgreSQL through TypeORM, as the application's own role (DATABASE_URL; DatabaseRoleCheck refuses a
 * superuser in production). Repositories inject the `DataSource` and write their own SQL.
 */
@Global()
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => dataSourceOptions(config.databaseUrl),
    }),
  ],
  providers: [DatabaseHealthRepository, DatabaseRoleCheck],
  exports: [DatabaseHealthRepository],
})
export class DatabaseModule {}
