import { DomainException } from '@cityops/core';

export class WebhookNotFoundError extends DomainException<'webhook_not_found'> {
  constructor() {
    super('webhook_not_found', 404, 'Unknown webhook', 'There is no such webhook. GET /api/webhooks lists them.');
  }
}

export class WebhookDeliveryNotFoundError extends DomainException<'webhook_delivery_not_found'> {
  constructor() {
    super('webhook_delivery_not_found', 404, 'Unknown delivery', 'There is no such webhook delivery.');
  }
}

export class WebhookDeliveryNotFailedError extends DomainException<'webhook_delivery_not_failed'> {
  constructor(status: string) {
    super('webhook_delivery_not_failed', 409, 'Delivery not failed', `Only a failed delivery can be sent again; this one is ${status}.`);
  }
}
