import { Injectable, type OnModuleInit } from '@nestjs/common';
import { AlertService } from '@cityops/alerts';
import type { IndicatorThresholds, ThresholdSpec } from '@cityops/contracts';
import { JobName, type JobPayloads } from '@cityops/core';
import { IndicatorService } from '@cityops/indicators';
import { JobRunner } from './job-runner.service';

/**
 * The old `{warning, critical, clear}` thresholds as a spec: two upward levels, `clear` the
 * warning's hysteresis, fired at once. Only until the indicator event carries a `ThresholdSpec`
 * (issue 8, part A): delete it then.
 */
export function legacyThresholdSpec(t: IndicatorThresholds | null): ThresholdSpec | null {
  if (!t) return null;
  return {
    levels: [
      { level: 'warning', op: '>=', value: t.warning, clear: t.clear },
      { level: 'critical', op: '>=', value: t.critical },
    ],
    pendingSeconds: 0,
    keepFiringSeconds: 0,
  };
}

/** New data for a feed → recompute the indicator → evaluate its alerts (one pass, one job). */
@Injectable()
export class IndicatorProcessor implements OnModuleInit {
  constructor(
    private readonly runner: JobRunner,
    private readonly indicators: IndicatorService,
    private readonly alerts: AlertService,
  ) {}

  onModuleInit(): void {
    this.runner.register(JobName.recomputeIndicator, (payload) => this.process(payload));
  }

  async process(payload: JobPayloads['indicator.recompute']): Promise<{ values: number; alertChanges: number }> {
    const values = await this.indicators.recompute(payload.indicatorKey);
    const changes = await this.alerts.evaluate(values.indicatorKey, legacyThresholdSpec(values.thresholds), values.values);
    return { values: values.values.length, alertChanges: changes.length };
  }
}
