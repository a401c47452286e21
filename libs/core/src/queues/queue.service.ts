import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { Queue, type JobsOptions } from 'bullmq';
import type { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';
import { queueConnectionOptions, RedisConnectionWatch } from '../redis/redis-connection';
import { JOBS, type JobName, type JobPayloads, type QueueName } from './queue.registry';

/** Producer side of BullMQ: typed `add` with the registry's defaults. */
@Injectable()
export class QueueService implements OnApplicationShutdown {
  private readonly logger = new Logger(QueueService.name);
  private readonly queues = new Map<QueueName, Queue>();

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  queue(name: QueueName): Queue {
    let queue = this.queues.get(name);
    if (!queue) {
      // While Redis is away, `add` fails at once (a 503 for a request) instead of waiting for it.
      queue = new Queue(name, {
        connection: { url: this.config.redis.url, ...queueConnectionOptions() },
        prefix: `${this.config.redis.prefix}:bull`,
      });
      const watch = new RedisConnectionWatch(this.logger, `queue ${name}`);
      queue.on('error', watch.error);
      queue.on('ioredis:close', () => watch.lost());
      queue.getBackend().on('ready', watch.ready);
      this.queues.set(name, queue);
    }
    return queue;
  }

  async add<N extends JobName>(name: N, payload: JobPayloads[N], options: JobsOptions = {}): Promise<void> {
    const def = JOBS[name];
    await this.queue(def.queue).add(name, payload, { ...def.options, ...options });
  }

  /**
   * Adds the job `jobId` unless one of that id is still to run (waiting, delayed, active). BullMQ
   * keeps finished jobs for a while and ignores an `add` with the id of one, so a finished job of
   * that id is removed first and the id runs again. Answers whether a job was added.
   */
  async addUnlessQueued<N extends JobName>(name: N, payload: JobPayloads[N], options: JobsOptions & { jobId: string }): Promise<boolean> {
    const queue = this.queue(JOBS[name].queue);
    const state = await queue.getJobState(options.jobId);
    if (state === 'completed' || state === 'failed') await queue.remove(options.jobId);
    else if (state !== 'unknown') return false;
    await this.add(name, payload, options);
    return true;
  }

  /** Waiting/active/failed counts per queue, for /api/health. */
  async counts(): Promise<Record<string, Record<string, number>>> {
    const result: Record<string, Record<string, number>> = {};
    const names = new Set(Object.values(JOBS).map((j) => j.queue));
    for (const name of names) {
      result[name] = await this.queue(name).getJobCounts('waiting', 'active', 'delayed', 'failed');
    }
    return result;
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all([...this.queues.values()].map((q) => q.close()));
  }
}
