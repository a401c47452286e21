import { initLogger, loadConfigOrExit } from '@cityops/core';
import { createWorker } from './bootstrap';

async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const logger = initLogger(config.logLevel, 'worker');
  await createWorker(config);
  logger.info('cityops worker running');
}

main().catch((error: unknown) => {
  process.stderr.write(`Worker failed to start: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
