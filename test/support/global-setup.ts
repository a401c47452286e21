import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { ensureDatabase, initLogger, loadConfig } from '@cityops/core';
import { migrateDatabase } from '../../apps/worker/src/database-setup';
import { PrepareModule } from '../../apps/worker/src/prepare.module';
import { PrepareService } from '../../apps/worker/src/prepare.service';
import { databaseUrl, templateDatabaseName, testEnv } from './test-env';

/**
 * Once per run: a template database with the schema, the demo city and the test accounts.
 * Each suite then copies it (CREATE DATABASE … TEMPLATE), which takes a fraction of a second.
 */
export default async function globalSetup(): Promise<void> {
  const id = `${Date.now().toString(36)}${process.pid.toString(36)}`;
  process.env.CITYOPS_TEST_RUN = id;
  const template = templateDatabaseName(id);
  const config = loadConfig(testEnv({ DATABASE_URL: databaseUrl(template), REDIS_PREFIX: `cityops-test-${id}` }));
  initLogger('warn', 'test-setup');
  await ensureDatabase(config.databaseUrl);
  await migrateDatabase(config);
  const app = await NestFactory.createApplicationContext(PrepareModule.forRoot(config), { logger: false, abortOnError: false });
  try {
    await app.get(PrepareService).run();
  } finally {
    await app.close();
  }
}
