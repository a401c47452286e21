import { Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import type { JobsOptions } from 'bullmq';
import { JOBS, type JobName, QueueService, type QueueName, unavailableService } from '@cityops/core';

/** How often each worker compares the schedules in Redis with the registry, unless told otherwise. */
export const SCHEDULE_CHECK_MS = 60_000;

interface Schedule {
  name: JobName;
  queue: QueueName;
  every: number;
  options: JobsOptions;
}

/** The registry's scheduled jobs (those with `every`). */
export function registrySchedules(): Schedule[] {
  return (Object.entries(JOBS) as [JobName, (typeof JOBS)[JobName]][]).flatMap(([name, def]) =>
    def.every ? [{ name, queue: def.queue, every: def.every, options: def.options }] : [],
  );
}

/**
 * Keeps the registry's schedules (BullMQ job schedulers, e.g. feed health every 15 s, storage
 * upkeep hourly) in Redis. They live only there: a Redis that restarts empty, or loses its data,
 * forgets them, and feed health and partition upkeep would stop until a worker restarted. So each
 * worker puts back what is missing at start, whenever a queue connection comes back (a restarted
 * Redis drops every connection), and every minute (data lost without a disconnect). Upserting a
 * scheduler is idempotent (one per id, its next run kept), so any number of workers may do it at
 * once; nothing is remembered in this process between checks.
 */
@Injectable()
export class JobSchedules implements OnModuleDestroy {
  private readonly logger = new Logger(JobSchedules.name);
  private timer: NodeJS.Timeout | undefined;
  private checking: Promise<void> | undefined;
  private checkAgain = false;
  private readonly stopListening: (() => void)[] = [];

  constructor(private readonly queues: QueueService) {}

  /** Registers every schedule (failing start-up if Redis refuses), then keeps them registered. */
  async start(checkIntervalMs = SCHEDULE_CHECK_MS): Promise<void> {
    await this.ensure();
    for (const name of new Set(registrySchedules().map((s) => s.queue))) {
      const backend = this.queues.queue(name).getBackend();
      const onReady = () => this.check('reconnected');
      backend.on('ready', onReady);
      this.stopListening.push(() => backend.off('ready', onReady));
    }
    this.timer = setInterval(() => this.check('periodic check'), checkIntervalMs);
    this.timer.unref();
  }

  /** Upserts every registry schedule that Redis lacks (or holds with another interval); answers their names. */
  async ensure(): Promise<JobName[]> {
    const upserted: JobName[] = [];
    const schedules = registrySchedules();
    for (const name of new Set(schedules.map((s) => s.queue))) {
      const queue = this.queues.queue(name);
      const present = new Map((await queue.getJobSchedulers()).map((s) => [s.key, s.every]));
      for (const s of schedules.filter((x) => x.queue === name)) {
        if (present.get(s.name) === s.every) continue;
        await queue.upsertJobScheduler(s.name, { every: s.every }, { name: s.name, data: {}, opts: s.options });
        upserted.push(s.name);
      }
    }
    return upserted;
  }

  /** One check at a time; a trigger during a check runs one more after it. */
  private check(trigger: string): void {
    if (this.checking) {
      this.checkAgain = true;
      return;
    }
    this.checking = (async () => {
      do {
        this.checkAgain = false;
        try {
          const upserted = await this.ensure();
          if (upserted.length) this.logger.warn({ trigger, jobs: upserted }, 'job schedules were missing in Redis: registered again');
        } catch (err) {
          // Redis is away (the queue connections say so once): its return brings a 'ready' event
          // and with it the next check.
          const unavailable = unavailableService(err);
          if (unavailable) this.logger.debug({ trigger, reason: unavailable.reason }, 'job schedule check skipped: redis unreachable');
          else this.logger.error({ err, trigger }, 'job schedule check failed');
        }
      } while (this.checkAgain && this.timer);
    })().finally(() => {
      this.checking = undefined;
    });
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    for (const stop of this.stopListening.splice(0)) stop();
    // The queues close at application shutdown, after this: let a check in flight finish first.
    await this.checking;
  }
}
