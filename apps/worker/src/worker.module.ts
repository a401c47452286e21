import { type DynamicModule, Module } from '@nestjs/common';
import { AlertsModule } from '@cityops/alerts';
import { CasesModule } from '@cityops/cases';
import { CoreModule, type AppConfig } from '@cityops/core';
import { FeedsModule } from '@cityops/feeds';
import { IdentityModule } from '@cityops/identity';
import { IndicatorsModule } from '@cityops/indicators';
import { NotificationsModule } from '@cityops/notifications';
import { AlertEscalationProcessor } from './alert-escalation.processor';
import { CaseJobsProcessor } from './case-jobs.processor';
import { FeedMaintenanceProcessor } from './feed-maintenance.processor';
import { ConnectorScheduler } from './feed-pull.processor';
import { IndicatorHistoryProcessor } from './indicator-history.processor';
import { IndicatorProcessor } from './indicator.processor';
import { JobRunner } from './job-runner.service';
import { JobSchedules } from './job-schedules.service';
import { MqttIngestService } from './mqtt-ingest.service';
import { SessionMaintenanceProcessor } from './session-maintenance.processor';
import { WebhookMaintenanceProcessor } from './webhook-maintenance.processor';
import { WebhookProcessor } from './webhook.processor';

@Module({})
export class WorkerModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: WorkerModule,
      imports: [CoreModule.forRoot(config), IndicatorsModule, AlertsModule, FeedsModule, IdentityModule, NotificationsModule, CasesModule],
      providers: [
        JobRunner,
        JobSchedules,
        IndicatorProcessor,
        AlertEscalationProcessor,
        CaseJobsProcessor,
        IndicatorHistoryProcessor,
        FeedMaintenanceProcessor,
        ConnectorScheduler,
        MqttIngestService,
        SessionMaintenanceProcessor,
        WebhookProcessor,
        WebhookMaintenanceProcessor,
      ],
    };
  }
}
