import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { initLogger, loadConfigOrExit, PinoNestLogger } from '@cityops/core';
import { migrateDatabase } from './database-setup';
import { PrepareModule } from './prepare.module';
import { PrepareService } from './prepare.service';

const USAGE = `usage: node dist/apps/worker/src/cli.js <command>
  migrate                 as DATABASE_ADMIN_URL's superuser: the application's role (DATABASE_URL's user), its database
                          and extensions; as that role: pending migrations; then the audit trail sealed append-only
  prepare [--no-demo]     migrate, load the catalogue's departments, ensure the admin user and kiosk token;
                          then the demo (left out with --no-demo): the demo city into an empty database,
                          the marathon's feed, indicator and wall scene, the city's department feeds,
                          the simulator's feed keys`;

async function main(command: string | undefined, flags: string[]): Promise<void> {
  const config = loadConfigOrExit();
  const logger = initLogger(config.logLevel, 'cli');
  const known = command === 'migrate' ? [] : ['--no-demo'];
  if ((command !== 'migrate' && command !== 'prepare') || flags.some((f) => !known.includes(f))) {
    process.stderr.write(`${USAGE}\n`);
    process.exit(64);
  }
  const { created, roleCreated, adopted, applied, warnings } = await migrateDatabase(config);
  for (const warning of warnings) logger.warn(warning);
  if (adopted > 0)
    logger.info({ adopted }, "an installation made as the superuser: its tables, sequences and functions handed to the application's role");
  logger.info({ created, roleCreated, applied }, created ? 'database created' : 'database ready');
  if (command === 'migrate') return;

  const app = await NestFactory.createApplicationContext(PrepareModule.forRoot(config), { logger: new PinoNestLogger() });
  try {
    const { adminCreated, demo } = await app.get(PrepareService).run({ demo: !flags.includes('--no-demo') });
    logger.info({ adminCreated, demo: demo ?? 'left out' }, 'prepared');
  } finally {
    await app.close();
  }
}

main(process.argv[2], process.argv.slice(3)).catch((error: unknown) => {
  process.stderr.write(`cityops cli failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
