import { Injectable, type OnModuleInit } from '@nestjs/common';
import { AlertService } from '@cityops/alerts';
import { JobName, type JobPayloads } from '@cityops/core';
import { IndicatorService, IndicatorTriggerService } from '@cityops/indicators';
import { JobRunner } from './job-runner.service';

/**
 * New data for a feed (or for an indicator a composite reads, or time passing) → recompute the
 * indicator → evaluate its alerts (one pass, one job). The tick only enqueues recomputations.
 */
@Injectable()
export class IndicatorProcessor implements OnModuleInit {
  constructor(
    private readonly runner: JobRunner,
    private readonly indicators: IndicatorService,
    private readonly triggers: IndicatorTriggerService,
    private readonly alerts: AlertService,
  ) {}

  onModuleInit(): void {
    this.runner.register(JobName.recomputeIndicator, (payload) => this.process(payload));
    this.runner.register(JobName.indicatorTick, () => this.tick());
  }

  async process(payload: JobPayloads['indicator.recompute']): Promise<{ values: number; alertChanges: number }> {
    const values = await this.indicators.recompute(payload.indicatorKey);
    const changes = await this.alerts.evaluate(values.indicatorKey, values.thresholds, values.values);
    return { values: values.values.length, alertChanges: changes.length };
  }

  async tick(): Promise<{ enqueued: number }> {
    return { enqueued: await this.triggers.tick() };
  }
}
