import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@cityops/core';
import { WebhookJobs } from './webhook-jobs.service';
import { WebhookRepository } from './webhook.repository';

/**
 * How long past its due time (`next_attempt_at`) a pending delivery waits before the sweep looks
 * for its job. A job still waiting, delayed or running is left alone (a busy worker is no reason
 * to queue twice), so the grace only has to cover the moments between a row's write and its job's
 * (queueing, a retry's delay starting late, an admin's retry while the last job is ending).
 */
export const SWEEP_GRACE_MS = 5 * 60_000;
/** Deliveries one sweep looks at; more wait for the next minute's. */
export const SWEEP_BATCH = 200;
/** Deliveries one statement of the pruning deletes (each with its attempts, up to WEBHOOK_ATTEMPTS more rows). */
export const PRUNE_BATCH = 1000;

const DAY_MS = 24 * 3600_000;

/**
 * Scheduled upkeep of the delivery log. A delivery row is written before its job is queued, and
 * queueing can fail (Redis away for a moment) or be lost (a Redis that restarts empty); the sweep
 * queues such deliveries again under their own job id. The log is kept for
 * WEBHOOK_LOG_RETENTION_DAYS after a delivery ended, then deleted in batches.
 */
@Injectable()
export class WebhookMaintenanceService {
  private readonly logger = new Logger(WebhookMaintenanceService.name);

  constructor(
    private readonly webhooks: WebhookRepository,
    private readonly jobs: WebhookJobs,
    @Inject(APP_CONFIG) private readonly config: Pick<AppConfig, 'webhooks'>,
  ) {}

  /** Queues again the pending deliveries overdue by more than the grace whose job is gone or over. */
  async sweep(now = new Date()): Promise<{ overdue: number; requeued: string[] }> {
    const overdue = await this.webhooks.claimOverdue(new Date(now.getTime() - SWEEP_GRACE_MS), SWEEP_BATCH);
    const requeued: string[] = [];
    for (const delivery of overdue) {
      if (await this.jobs.requeue(delivery)) requeued.push(delivery.id);
    }
    if (requeued.length) this.logger.warn({ requeued }, 'pending webhook deliveries had no job: queued again');
    return { overdue: overdue.length, requeued };
  }

  /** Deletes the deliveries (and their attempts) that ended more than the retention ago. */
  async prune(now = new Date(), batch = PRUNE_BATCH): Promise<{ deleted: number }> {
    const before = new Date(now.getTime() - this.config.webhooks.logRetentionDays * DAY_MS);
    let deleted = 0;
    let n: number;
    do {
      n = await this.webhooks.deleteFinishedBefore(before, batch);
      deleted += n;
    } while (n === batch);
    if (deleted) this.logger.log({ deleted, before: before.toISOString() }, 'webhook delivery log pruned');
    return { deleted };
  }
}
