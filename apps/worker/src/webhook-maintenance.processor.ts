import { Injectable, type OnModuleInit } from '@nestjs/common';
import { JobName } from '@cityops/core';
import { WebhookMaintenanceService } from '@cityops/notifications';
import { JobRunner } from './job-runner.service';

/** Scheduled: pending webhook deliveries without a job queued again every minute, the delivery log pruned every hour. */
@Injectable()
export class WebhookMaintenanceProcessor implements OnModuleInit {
  constructor(
    private readonly runner: JobRunner,
    private readonly maintenance: WebhookMaintenanceService,
  ) {}

  onModuleInit(): void {
    this.runner.register(JobName.sweepWebhookDeliveries, () => this.maintenance.sweep());
    this.runner.register(JobName.pruneWebhookLog, () => this.maintenance.prune());
  }
}
