import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { type Job, Worker } from 'bullmq';
import {
  APP_CONFIG,
  type AppConfig,
  JOBS,
  type JobName,
  type JobPayloads,
  logContext,
  MetricsService,
  type QueueName,
  RedisConnectionWatch,
  unavailableService,
  waitingConnectionOptions,
} from '@cityops/core';

export type JobHandler<N extends JobName> = (payload: JobPayloads[N], job: Job) => Promise<unknown>;
type AnyHandler = (payload: never, job: Job) => Promise<unknown>;

/**
 * Runs BullMQ workers for the registry's queues. Refuses to start when a job has no handler or
 * two, so a renamed job cannot silently pile up in Redis.
 */
@Injectable()
export class JobRunner implements OnApplicationShutdown {
  private readonly logger = new Logger(JobRunner.name);
  private readonly handlers = new Map<JobName, AnyHandler>();
  private readonly workers: Worker[] = [];

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly metrics: MetricsService,
  ) {}

  register<N extends JobName>(name: N, handler: JobHandler<N>): void {
    if (this.handlers.has(name)) throw new Error(`Job ${name} has two handlers`);
    this.handlers.set(name, handler as AnyHandler);
  }

  async start(concurrency = 4): Promise<void> {
    const missing = (Object.keys(JOBS) as JobName[]).filter((name) => !this.handlers.has(name));
    if (missing.length) throw new Error(`Jobs without a handler: ${missing.join(', ')}`);
    const queues = new Set<QueueName>(Object.values(JOBS).map((d) => d.queue));
    for (const queue of queues) {
      const worker = new Worker(queue, (job) => this.run(queue, job), {
        connection: { url: this.config.redis.url, ...waitingConnectionOptions() },
        prefix: `${this.config.redis.prefix}:bull`,
        concurrency,
      });
      worker.on('failed', (job, err) => this.logger.error({ jobId: job?.id, name: job?.name, err }, 'job failed'));
      // Redis going away is said once per outage, not once per reconnection attempt.
      const watch = new RedisConnectionWatch(this.logger, `worker ${queue}`);
      worker.on('error', (err) => (unavailableService(err) ? watch.error(err) : this.logger.error({ err, queue }, 'worker error')));
      worker.on('ioredis:close', () => watch.lost());
      worker.getBackend().on('ready', watch.ready);
      await worker.waitUntilReady();
      this.workers.push(worker);
    }
    this.logger.log({ queues: [...queues], concurrency }, 'workers started');
  }

  private async run(queue: QueueName, job: Job): Promise<unknown> {
    const handler = this.handlers.get(job.name as JobName);
    if (!handler) throw new Error(`No handler for job ${job.name}`);
    const started = process.hrtime.bigint();
    return logContext.run({ jobId: job.id }, async () => {
      let status: 'completed' | 'failed' = 'failed';
      try {
        const result = await handler(job.data as never, job);
        status = 'completed';
        return result;
      } finally {
        const seconds = Number(process.hrtime.bigint() - started) / 1e9;
        this.logger.debug({ name: job.name, status, ms: Math.round(seconds * 1000) }, 'job finished');
        await this.metrics.recordJob(queue, job.name, status, seconds).catch(() => undefined);
      }
    });
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.close()));
  }
}
