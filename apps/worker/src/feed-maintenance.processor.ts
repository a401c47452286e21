import { Injectable, type OnModuleInit } from '@nestjs/common';
import { JobName } from '@cityops/core';
import { FeedHealthService, StorageService, type RetentionResult } from '@cityops/feeds';
import { JobRunner } from './job-runner.service';

/** Scheduled housekeeping: feed health for the wall, observation partitions and retention (observations and entity states). */
@Injectable()
export class FeedMaintenanceProcessor implements OnModuleInit {
  constructor(
    private readonly runner: JobRunner,
    private readonly health: FeedHealthService,
    private readonly storage: StorageService,
  ) {}

  onModuleInit(): void {
    this.runner.register(JobName.feedHealth, async () => ({ feeds: (await this.health.publish()).length }));
    this.runner.register(JobName.maintainStorage, () => this.maintain());
  }

  async maintain(): Promise<{ created: number } & RetentionResult> {
    const created = await this.storage.ensurePartitions();
    return { created, ...(await this.storage.applyRetention()) };
  }
}
