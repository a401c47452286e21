import { Injectable, type OnModuleInit } from '@nestjs/common';
import { JobName } from '@cityops/core';
import { WebhookDeliveryService } from '@cityops/notifications';
import { JobRunner } from './job-runner.service';

/** Sends alert webhooks; BullMQ's attempts and exponential backoff (WEBHOOK_*) do the retrying. */
@Injectable()
export class WebhookProcessor implements OnModuleInit {
  constructor(
    private readonly runner: JobRunner,
    private readonly deliveries: WebhookDeliveryService,
  ) {}

  onModuleInit(): void {
    this.runner.register(JobName.deliverWebhook, async ({ deliveryId }, job) => {
      // attemptsMade counts the tries of this job that failed before this one.
      const attempt = job.attemptsMade + 1;
      return { outcome: await this.deliveries.deliver(deliveryId, { attempt, last: attempt >= (job.opts.attempts ?? 1) }) };
    });
  }
}
