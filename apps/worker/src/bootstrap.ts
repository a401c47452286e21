import 'reflect-metadata';
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { PinoNestLogger, type AppConfig } from '@cityops/core';
import { JobRunner } from './job-runner.service';
import { JobSchedules, SCHEDULE_CHECK_MS } from './job-schedules.service';
import { WorkerModule } from './worker.module';

export interface WorkerOptions {
  /** Jobs each queue runs at once in this process. */
  concurrency?: number;
  /** How often the job schedules in Redis are compared with the registry (tests shorten it). */
  scheduleCheckMs?: number;
}

/** The worker: a Nest application context with no HTTP server, running the BullMQ processors. */
export async function createWorker(config: AppConfig, options: WorkerOptions = {}): Promise<INestApplicationContext> {
  const app = await NestFactory.createApplicationContext(WorkerModule.forRoot(config), {
    logger: new PinoNestLogger(),
    abortOnError: false,
  });
  app.enableShutdownHooks();
  await app.get(JobRunner).start(options.concurrency ?? 4);
  await app.get(JobSchedules).start(options.scheduleCheckMs ?? SCHEDULE_CHECK_MS);
  return app;
}
