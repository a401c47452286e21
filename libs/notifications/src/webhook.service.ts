import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import {
  WEBHOOK_TEST_CHANGE,
  type ListWebhookDeliveriesQuery,
  type WebhookDefinition,
  type WebhookDeliveryView,
  type WebhookSecret,
  type WebhookView,
} from '@cityops/contracts';
import { AuditTrail, SecretBox, ValidationError } from '@cityops/core';
import { ConnectorAddressPolicy } from '@cityops/feeds';
import { WebhookJobs } from './webhook-jobs.service';
import { newWebhookSecret } from './webhook-signature';
import { WebhookDeliveryNotFailedError, WebhookDeliveryNotFoundError, WebhookNotFoundError } from './webhook.exception';
import { WebhookRepository, webhookView } from './webhook.repository';

/**
 * What admins do with webhooks. The signing secret is made here, sealed under SECRETS_KEY, and
 * shown once in the answer to create or rotate; no other answer, log line or audit event has it.
 */
@Injectable()
export class WebhookService {
  private readonly logger = new Logger(WebhookService.name);

  constructor(
    private readonly webhooks: WebhookRepository,
    private readonly jobs: WebhookJobs,
    private readonly box: SecretBox,
    private readonly addresses: ConnectorAddressPolicy,
  ) {}

  async list(): Promise<WebhookView[]> {
    return (await this.webhooks.list({ enabledOnly: false })).map(webhookView);
  }

  async get(id: string): Promise<WebhookView> {
    const row = await this.webhooks.find(id);
    if (!row) throw new WebhookNotFoundError();
    return webhookView(row);
  }

  async create(definition: WebhookDefinition, actor: string): Promise<WebhookSecret> {
    await this.checkUrl(definition.url);
    const secret = newWebhookSecret();
    const webhook = webhookView(await this.webhooks.insert(definition, this.box.seal(secret), actor));
    this.logger.log({ webhookId: webhook.id, name: webhook.name, by: actor }, 'webhook created');
    AuditTrail.noteChange({ targetType: 'webhook', targetId: webhook.id, before: null, after: webhook });
    return { webhook, secret };
  }

  /** Replaces everything but the secret; the same body twice leaves the same webhook. */
  async update(id: string, definition: WebhookDefinition, actor: string): Promise<WebhookView> {
    const before = await this.get(id);
    await this.checkUrl(definition.url);
    const row = await this.webhooks.update(id, definition);
    if (!row) throw new WebhookNotFoundError();
    const after = webhookView(row);
    this.logger.log({ webhookId: id, by: actor }, 'webhook updated');
    AuditTrail.noteChange({ targetType: 'webhook', targetId: id, before, after });
    return after;
  }

  /** The old secret stops signing at once: deliveries still to be tried are signed with the new one. */
  async rotateSecret(id: string, actor: string): Promise<WebhookSecret> {
    const secret = newWebhookSecret();
    const row = await this.webhooks.rotateSecret(id, this.box.seal(secret));
    if (!row) throw new WebhookNotFoundError();
    const webhook = webhookView(row);
    this.logger.log({ webhookId: id, by: actor }, 'webhook secret rotated');
    AuditTrail.noteChange({ targetType: 'webhook', targetId: id, after: webhook });
    return { webhook, secret };
  }

  async delete(id: string, actor: string): Promise<WebhookView> {
    const row = await this.webhooks.delete(id);
    if (!row) throw new WebhookNotFoundError();
    const webhook = webhookView(row);
    this.logger.log({ webhookId: id, by: actor }, 'webhook deleted');
    AuditTrail.noteChange({ targetType: 'webhook', targetId: id, before: webhook, after: null });
    return webhook;
  }

  /** A `test` delivery (no alert), sent whatever the filter and even while the webhook is disabled. */
  async sendTest(id: string): Promise<WebhookDeliveryView> {
    const hook = await this.get(id);
    const dedupeKey = `test-${randomUUID()}`;
    const delivery = await this.webhooks.insertDelivery({
      webhookId: hook.id,
      alertId: null,
      change: WEBHOOK_TEST_CHANGE,
      dedupeKey,
      payload: { change: WEBHOOK_TEST_CHANGE, alert: null },
    });
    await this.jobs.enqueue({ id: delivery.id, dedupeKey });
    AuditTrail.noteChange({ targetType: 'webhook', targetId: id });
    AuditTrail.noteDetail({ deliveryId: delivery.id });
    return this.delivery(delivery.id);
  }

  async deliveries(id: string, query: ListWebhookDeliveriesQuery): Promise<WebhookDeliveryView[]> {
    await this.get(id);
    return this.webhooks.listDeliveries(id, query.status, query.limit);
  }

  /** A failed delivery once more, with the configured attempts; its log keeps counting. */
  async retry(deliveryId: string): Promise<WebhookDeliveryView> {
    const reopened = await this.webhooks.reopen(deliveryId);
    if (!reopened) {
      const delivery = await this.webhooks.findDelivery(deliveryId);
      if (!delivery) throw new WebhookDeliveryNotFoundError();
      throw new WebhookDeliveryNotFailedError(delivery.status);
    }
    // A repeated request finds the delivery pending (409) before it gets here: one job per reopening.
    // Its job of the last try may still be on its way out; then the sweep queues it after its grace.
    const queued = await this.jobs.requeue({ id: deliveryId, dedupeKey: reopened.dedupeKey });
    if (!queued) this.logger.warn({ deliveryId }, 'webhook delivery reopened while its last job was finishing: left to the sweep');
    const delivery = await this.delivery(deliveryId);
    AuditTrail.noteChange({ targetType: 'webhook_delivery', targetId: deliveryId });
    AuditTrail.noteDetail({ webhookId: delivery.webhookId });
    return delivery;
  }

  private async delivery(id: string): Promise<WebhookDeliveryView> {
    const delivery = await this.webhooks.findDelivery(id);
    if (!delivery) throw new WebhookDeliveryNotFoundError();
    return delivery;
  }

  /** The rule of pull connectors (public addresses only unless CONNECTOR_ALLOW_HOSTS), checked early for a clear 400. */
  private async checkUrl(url: string): Promise<void> {
    const refusal = await this.addresses.urlRefusal(url);
    if (refusal) throw new ValidationError([{ path: 'url', message: refusal }], 'The webhook URL may not be reached.');
  }
}
