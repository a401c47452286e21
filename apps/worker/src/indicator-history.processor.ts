import { Injectable, type OnModuleInit } from '@nestjs/common';
import { JobName } from '@cityops/core';
import { IndicatorRollupService } from '@cityops/indicators';
import { JobRunner } from './job-runner.service';

/** Scheduled: indicator history rolled up every minute, its retention applied every hour. */
@Injectable()
export class IndicatorHistoryProcessor implements OnModuleInit {
  constructor(
    private readonly runner: JobRunner,
    private readonly rollups: IndicatorRollupService,
  ) {}

  onModuleInit(): void {
    this.runner.register(JobName.rollupIndicators, () => this.rollups.rollup());
    this.runner.register(JobName.maintainIndicatorHistory, () => this.rollups.maintain());
  }
}
