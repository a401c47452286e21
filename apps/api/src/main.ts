import { initLogger, loadConfigOrExit } from '@cityops/core';
import { createApiApp } from './bootstrap';

async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const logger = initLogger(config.logLevel, 'api');
  const app = await createApiApp(config);
  await app.listen(config.port, config.host);
  logger.info({ port: config.port }, `cityops API listening on http://localhost:${config.port}`);
}

main().catch((error: unknown) => {
  process.stderr.write(`API failed to start: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
