import { Injectable, Logger } from '@nestjs/common';
import type { AlertChangedEvent } from '@cityops/contracts';
import { isSilenced, webhookMatches } from './webhook-filter';
import { WebhookJobs } from './webhook-jobs.service';
import { deliveryKey } from './webhook-payload';
import { WebhookRepository, type WebhookRow } from './webhook.repository';

/**
 * Where alert changes leave the system: AlertService calls `changed` after its transaction
 * commits, for every change it publishes. Each enabled webhook whose filter matches gets one
 * pending delivery row and one `webhook.deliver` job; the worker sends it.
 */
@Injectable()
export class AlertNotifications {
  private readonly logger = new Logger(AlertNotifications.name);

  constructor(
    private readonly webhooks: WebhookRepository,
    private readonly jobs: WebhookJobs,
  ) {}

  /**
   * Never throws: the alert change is committed and published already, and failing here would
   * only make the caller retry an evaluation that finds nothing left to change. A failure is
   * logged with what was not queued.
   */
  async changed(...events: AlertChangedEvent[]): Promise<void> {
    const loud = events.filter((e) => !isSilenced(e.alert));
    if (loud.length === 0) return;
    let hooks: WebhookRow[];
    try {
      // One read for the whole batch: an evaluation announces its changes together.
      hooks = await this.webhooks.list({ enabledOnly: true });
    } catch (err) {
      for (const event of loud)
        this.logger.error({ err, alertId: event.alert.id, change: event.change }, 'webhooks not notified: cannot read them');
      return;
    }
    for (const event of loud) {
      for (const hook of hooks) {
        if (!webhookMatches(hook.filter, event)) continue;
        try {
          await this.enqueue(hook, event);
        } catch (err) {
          this.logger.error({ err, webhookId: hook.id, alertId: event.alert.id, change: event.change }, 'webhook delivery not queued');
        }
      }
    }
  }

  private async enqueue(hook: WebhookRow, event: AlertChangedEvent): Promise<void> {
    const key = deliveryKey(hook.id, event.alert, event.change);
    const delivery = await this.webhooks.insertDelivery({
      webhookId: hook.id,
      alertId: event.alert.id,
      change: event.change,
      dedupeKey: key,
      payload: { change: event.change, alert: event.alert },
    });
    // A repeat of a change already under way adds nothing; one whose job never reached Redis
    // (pending, never tried) is queued again under the same job id.
    if (delivery.created || (delivery.status === 'pending' && delivery.attempts === 0)) {
      await this.jobs.enqueue({ id: delivery.id, dedupeKey: key });
    }
  }
}
