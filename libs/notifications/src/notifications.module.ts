import { Module } from '@nestjs/common';
import { FeedsModule } from '@cityops/feeds';
import { AlertNotifications } from './alert-notifications.service';
import { WebhookDeliveryService } from './webhook-delivery.service';
import { WebhookJobs } from './webhook-jobs.service';
import { WebhookMaintenanceService } from './webhook-maintenance.service';
import { WebhookRepository } from './webhook.repository';
import { WebhookService } from './webhook.service';

/**
 * How alert changes reach people and systems outside: webhooks, signed, retried and logged. Owns
 * the `webhook*` tables. Outbound addresses follow the pull connectors' rule (feeds' policy).
 */
@Module({
  imports: [FeedsModule],
  providers: [WebhookRepository, WebhookJobs, AlertNotifications, WebhookService, WebhookDeliveryService, WebhookMaintenanceService],
  exports: [AlertNotifications, WebhookService, WebhookDeliveryService, WebhookMaintenanceService],
})
export class NotificationsModule {}
