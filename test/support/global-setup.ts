import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { initLogger, loadConfig } from '@cityops/core';
import { migrateDatabase } from '../../apps/worker/src/database-setup';
import { PrepareModule } from '../../apps/worker/src/prepare.module';
import { PrepareService } from '../../apps/worker/src/prepare.service';
import { databaseUrl, templateDatabaseName, testEnv } from './test-env';

/**
 * Once per run: the run's own database role (made by the set-up, as `cli.js migrate` makes
 * `cityops`) and a template database with the schema, the demo city and the test accounts, its
 * audit trail sealed. Each suite then copies it (CREATE DATABASE … TEMPLATE), which takes a
 * fraction of a second, and connects as that role.
 */
export default async function globalSetup(): Promise<void> {
  const id = `${Date.now().toString(36)}${process.pid.toString(36)}`;
  process.env.CITYOPS_TEST_RUN = id;
  const template = templateDatabaseName(id);
  const config = loadConfig(testEnv({ DATABASE_URL: databaseUrl(template), REDIS_PREFIX: `cityops-test-${id}` }));
  initLogger('warn', 'test-setup');
  await migrateDatabase(config);
  const app = await NestFactory.createApplicationContext(PrepareModule.forRoot(config), { logger: false, abortOnError: false });
  try {
    await app.get(PrepareService).run();
  } finally {
    await app.close();
  }
}
