import { Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { JobName, QueueName, QueueService } from '@cityops/core';
import { PullConnectorService, type PlannedRun, type PullOutcome } from '@cityops/feeds';
import { JobRunner } from './job-runner.service';

/** How often each worker looks for connector feeds without a pending run (new or edited ones). */
export const CONNECTOR_SWEEP_MS = 60_000;

/** One job per feed and planned time: every worker that plans the same run adds the same job. */
export function pullJobId(feedKey: string, runAt: number): string {
  return `pull-${feedKey}-${runAt}`;
}

/** The planned time in a scheduled job's id; null for a job added by hand ("pull now"). */
export function plannedRunAt(jobId: string | undefined, feedKey: string): number | null {
  const match = /^pull-(.+)-(\d+)$/.exec(jobId ?? '');
  return match && match[1] === feedKey ? Number(match[2]) : null;
}

/**
 * Runs pull connectors on their own schedules with BullMQ delayed jobs, no timers: each run
 * enqueues the feed's next one. The state lives in connector_state and in job ids, never in
 * memory, so any number of workers can share the work.
 */
@Injectable()
export class ConnectorScheduler implements OnModuleInit, OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(ConnectorScheduler.name);
  private timer: NodeJS.Timeout | undefined;
  private sweeping: Promise<void> = Promise.resolve();

  constructor(
    private readonly runner: JobRunner,
    private readonly connectors: PullConnectorService,
    private readonly queues: QueueService,
  ) {}

  onModuleInit(): void {
    this.runner.register(JobName.pullFeed, (payload, job) => this.run(payload.feedKey, job.id));
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.sweepSafely();
    this.timer = setInterval(() => {
      this.sweeping = this.sweepSafely();
    }, CONNECTOR_SWEEP_MS);
    this.timer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.timer);
    // The queues close at application shutdown, after this: let a sweep in flight finish first.
    await this.sweeping;
  }

  async run(feedKey: string, jobId: string | undefined): Promise<PullOutcome | { nextRunAt: string | null }> {
    const runAt = plannedRunAt(jobId, feedKey);
    if (runAt === null) return this.connectors.pull(feedKey);
    const next = await this.connectors.runPlanned(feedKey, runAt);
    if (next) await this.enqueue(next);
    return { nextRunAt: next ? new Date(next.runAt).toISOString() : null };
  }

  /** Gives connector feeds that lack a pending run one now (at start and every minute). */
  async sweep(): Promise<PlannedRun[]> {
    const planned = await this.connectors.claimDueRuns();
    for (const run of planned) await this.enqueue(run);
    if (planned.length) this.logger.log({ feeds: planned.map((p) => p.feedKey) }, 'connector runs planned');
    return planned;
  }

  private async sweepSafely(): Promise<void> {
    try {
      await this.sweep();
    } catch (err) {
      // The next sweep tries again; a run whose job was never added counts as lost and is re-planned.
      this.logger.error({ err }, 'connector sweep failed');
    }
  }

  private async enqueue(run: PlannedRun): Promise<void> {
    await this.queues.add(
      JobName.pullFeed,
      { feedKey: run.feedKey },
      { jobId: pullJobId(run.feedKey, run.runAt), delay: Math.max(0, run.runAt - Date.now()) },
    );
    if (run.supersedes !== null) {
      // Only tidiness: a superseded job that still runs finds it is no longer the pending run.
      await this.queues
        .queue(QueueName.feeds)
        .remove(pullJobId(run.feedKey, run.supersedes))
        .catch(() => 0);
    }
  }
}
