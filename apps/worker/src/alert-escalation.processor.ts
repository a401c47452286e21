import { Injectable, type OnModuleInit } from '@nestjs/common';
import { AlertService } from '@cityops/alerts';
import { JobName, type JobPayloads } from '@cityops/core';
import { JobRunner } from './job-runner.service';

/** A critical alert's escalation time came: escalate it unless someone acknowledged or it ended meanwhile. */
@Injectable()
export class AlertEscalationProcessor implements OnModuleInit {
  constructor(
    private readonly runner: JobRunner,
    private readonly alerts: AlertService,
  ) {}

  onModuleInit(): void {
    this.runner.register(JobName.escalateAlert, (payload) => this.process(payload));
  }

  async process(payload: JobPayloads['alert.escalate']): Promise<{ escalated: boolean }> {
    const changes = await this.alerts.escalate(payload.alertId, payload.step);
    return { escalated: changes.length > 0 };
  }
}
