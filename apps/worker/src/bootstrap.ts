import 'reflect-metadata';
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { PinoNestLogger, type AppConfig } from '@cityops/core';
import { JobRunner } from './job-runner.service';
import { WorkerModule } from './worker.module';

/** The worker: a Nest application context with no HTTP server, running the BullMQ processors. */
export async function createWorker(config: AppConfig, concurrency = 4): Promise<INestApplicationContext> {
  const app = await NestFactory.createApplicationContext(WorkerModule.forRoot(config), {
    logger: new PinoNestLogger(),
    abortOnError: false,
  });
  app.enableShutdownHooks();
  await app.get(JobRunner).start(concurrency);
  return app;
}
