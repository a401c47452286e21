import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig, JobName, QueueService } from '@cityops/core';

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

  async enqueue(deliveryId: string, jobId: string): Promise<void> {
    const { attempts, backoffMs } = this.config.webhooks;
    await this.queues.add(JobName.deliverWebhook, { deliveryId }, { jobId, attempts, backoff: { type: 'exponential', delay: backoffMs } });
  }

  /** When BullMQ tries again after the `attempt`-th try of a job failed (its exponential backoff). */
  nextAttemptAt(attempt: number, now = Date.now()): Date {
    return new Date(now + this.config.webhooks.backoffMs * 2 ** (attempt - 1));
  }
}
