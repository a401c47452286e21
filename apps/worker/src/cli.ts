import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { initLogger, loadConfigOrExit, PinoNestLogger } from '@cityops/core';
import { migrateDatabase } from './database-setup';
import { PrepareModule } from './prepare.module';
import { PrepareService } from './prepare.service';

const USAGE = `usage: node dist/apps/worker/src/cli.js <command>
  migrate   create the database if missing and run pending migrations
  prepare   migrate, load the demo city into an empty database, ensure the admin user and tokens`;

async function main(command: string | undefined): Promise<void> {
  const config = loadConfigOrExit();
  const logger = initLogger(config.logLevel, 'cli');
  if (command !== 'migrate' && command !== 'prepare') {
    process.stderr.write(`${USAGE}\n`);
    process.exit(64);
  }
  const { created, applied } = await migrateDatabase(config);
  logger.info({ created, applied }, created ? 'database created' : 'database ready');
  if (command === 'migrate') return;

  const app = await NestFactory.createApplicationContext(PrepareModule.forRoot(config), { logger: new PinoNestLogger() });
  try {
    const prepare = app.get(PrepareService);
    const loaded = await prepare.loadDemoCityIfEmpty();
    await prepare.ensureDemoCatalog();
    const { adminCreated } = await prepare.ensureAccounts();
    logger.info({ demoAreasLoaded: loaded, adminCreated }, 'prepared');
  } finally {
    await app.close();
  }
}

main(process.argv[2]).catch((error: unknown) => {
  process.stderr.write(`cityops cli failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
