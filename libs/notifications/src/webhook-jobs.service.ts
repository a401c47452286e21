import { Inject, Injectable } from '@nestjs/common';
import type { JobsOptions } from 'bullmq';
import { APP_CONFIG, type AppConfig, JobName, QueueService } from '@cityops/core';

/** A delivery as the queue knows it: its id, and the dedupe key its job id is made of. */
export interface QueuedDelivery {
  id: string;
  dedupeKey: string;
}

/**
 * The one BullMQ job id of a delivery for its whole life (first send, sweeps, an admin's retry):
 * whoever queues it again while it is queued adds nothing.
 */
export function deliveryJobId(dedupeKey: string): string {
  return `webhook-${dedupeKey}`;
}

/**
 * Puts deliveries on the `webhook.deliver` queue with the configured attempts and backoff. The
 * job id decides what counts as the same delivery: BullMQ adds a job once per id.
 */
@Injectable()
export class WebhookJobs {
  constructor(
    private readonly queues: QueueService,
    @Inject(APP_CONFIG) private readonly config: Pick<AppConfig, 'webhooks'>,
  ) {}

  /** Queues a delivery's first send; nothing when its job is already there, finished or not. */
  async enqueue(delivery: QueuedDelivery): Promise<void> {
    await this.queues.add(JobName.deliverWebhook, { deliveryId: delivery.id }, this.options(delivery));
  }

  /**
   * Queues a delivery again with all its attempts, replacing its finished job; nothing (false)
   * while its job is still waiting, delayed or running.
   */
  async requeue(delivery: QueuedDelivery): Promise<boolean> {
    return this.queues.addUnlessQueued(JobName.deliverWebhook, { deliveryId: delivery.id }, this.options(delivery));
  }

  /** When BullMQ tries again after the `attempt`-th try of a job failed (its exponential backoff). */
  nextAttemptAt(attempt: number, now = Date.now()): Date {
    return new Date(now + this.config.webhooks.backoffMs * 2 ** (attempt - 1));
  }

  private options(delivery: QueuedDelivery): JobsOptions & { jobId: string } {
    const { attempts, backoffMs } = this.config.webhooks;
    return { jobId: deliveryJobId(delivery.dedupeKey), attempts, backoff: { type: 'exponential', delay: backoffMs } };
  }
}
